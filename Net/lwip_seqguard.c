// lwip_seqguard.c: drops TCP segments whose sequence number lies about half the
// sequence space away from what a connection expects.
//
// Hooked into tcp_input() by LWIP_HOOK_TCP_INPACKET_PCB in lwipopts/lwipopts.h.
//
// Why: lwIP 2.1.3's tcp_receive() trims a segment that starts before rcv_nxt
// when TCP_SEQ_BETWEEN(rcv_nxt, seqno + 1, seqno + tcplen - 1). The macro
// compares signed differences, so for a FIN-only segment (tcplen 1) with
// seqno == rcv_nxt + 2^31 it is true, and LWIP_ASSERT("insane offset!") fires:
// one crafted packet on an open connection panics the kernel. Found by
// tools/fuzz (Tests/fuzz-corpus/regress/crash-*). No receive window comes near
// 2^30 (TCP_WND < 64 KiB, no window scaling), so such a segment is never
// acceptable (RFC 9293 3.10.7.4); dropping it without an ACK is harmless.
//
// Called by tcp_input() for every segment that matched a connection, with the
// header already in host byte order and the network lock held.
#include "lwip/opt.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/tcp.h"
#include "lwip/pbuf.h"
#include "lwip_glue.h"
#include "lwip_sock.h"

static uint64_t ooseq_drops;   // out-of-order segments dropped for want of pool

signed char lwip_seqguard(struct tcp_pcb *pcb, struct tcp_hdr *hdr, struct pbuf *p);

signed char
lwip_seqguard(struct tcp_pcb *pcb, struct tcp_hdr *hdr, struct pbuf *p)
{
  u32_t d;

  // before the handshake rcv_nxt means nothing yet
  if(pcb->state == CLOSED || pcb->state == LISTEN || pcb->state == SYN_SENT)
    return ERR_OK;
  d = hdr->seqno - pcb->rcv_nxt;
  if(d >= 0x40000000UL && d <= 0xC0000000UL)
    return ERR_ABRT;   // tcp_input frees the segment
  // Data after a hole would wait in lwIP's out-of-order queue, in the pool.
  // With the pool down to its reserve, drop it as if lost: the sender sends
  // it again, and the reserve stays for what must get through (ARP, ICMP,
  // DHCP, in-order data, which sockets copy out at once).
  if(p->tot_len > 0 && d > 0 && d < 0x40000000UL && lsock_pool_free() < LSOCK_POOL_RESERVE){
    ooseq_drops++;
    return ERR_ABRT;
  }
  lwip_newreno_input(pcb, hdr);   // the segment goes on to lwIP: NewReno's look first
  return ERR_OK;
}

// Out-of-order segments lwip_seqguard dropped because the pool was short.
uint64_t
lwip_ooseq_pressure_drops(void)
{
  return ooseq_drops;
}

// Second fix, same file: lwIP 2.1.3 asserts in tcp_slowtmr() ("persist ticking
// with empty send buffer") when a peer keeps its window at zero but ACKs the
// one-byte window probes until nothing is left unsent: the persist timer keeps
// running with nothing to probe. A hostile client of httpd can do it. Call this
// from the timer hook (Kernel/net.c) right before sys_check_timeouts(), with the
// network lock held: it stops such timers; tcp_output() starts one again when
// new data meets a zero window. (tools/fuzz/fuzz_netif.c calls it if linked.)
void
lwip_persist_sweep(void)
{
  struct tcp_pcb *pcb;

  for(pcb = tcp_active_pcbs; pcb != NULL; pcb = pcb->next)
    if(pcb->persist_backoff > 0 && pcb->unsent == NULL)
      pcb->persist_backoff = 0;
}
