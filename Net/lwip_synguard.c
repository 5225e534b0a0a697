// lwip_synguard.c: what happens to a SYN before lwIP sees it. Two fixes.
//
// 1. A SYN flood must not lock a listener out. lwIP counts half-open
// (SYN_RCVD) connections against a listener's backlog and drops new SYNs while
// the backlog is full; a half-open connection whose peer never answers lives
// for TCP_SYN_RCVD_TIMEOUT (20 s). So a few dozen spoofed SYNs would stop a
// server for 20 s. Before lwIP sees a SYN for a listener whose backlog is full,
// we abort that listener's oldest half-open connection, which makes room: a
// real client's SYN then gets its SYN-ACK (and a flood only ever holds the
// newest `backlog` half-open slots).
//
// 2. A client may reopen a connection that is still in TIME_WAIT here. When
// httpd closes first (Connection: close), its side waits 2 MSL (2 minutes) in
// TIME_WAIT, and a busy client soon reuses the same source port. lwIP answers
// such a SYN with an ACK for the old connection, the client resets that, lwIP
// ignores resets in TIME_WAIT (RFC 1337) and the client retransmits its SYN
// until the old state times out or is recycled for pool space: seen as a 1-s
// latency spike, or a client stuck for 2 minutes once traffic stops. BSD and
// Linux accept a SYN in TIME_WAIT whose sequence number lies beyond everything
// the old connection carried (RFC 1122 4.2.2.13, RFC 6191): no old segment can
// then be mistaken for new data. We do the same: drop the TIME_WAIT state and
// let the listener take the SYN. The segment's checksum is checked first, so a
// damaged frame cannot end a TIME_WAIT early.
//
// Called from net_rx_frame (lwip_netif.c) with the network lock held.
#include "lwip/opt.h"
#include "lwip/def.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip_glue.h"

#define ETH_HDR_LEN 14

static uint64_t synguard_evictions;    // half-open connections aborted
static uint64_t timewait_reuses;       // TIME_WAIT states ended by a new SYN

uint64_t
lwip_synguard_evictions(void)
{
  return synguard_evictions;
}

uint64_t
lwip_timewait_reuses(void)
{
  return timewait_reuses;
}

// The listener for a SYN to port, if its backlog is full; else NULL.
static struct tcp_pcb_listen*
full_listener(uint16_t port)
{
  struct tcp_pcb_listen *l;

  for(l = tcp_listen_pcbs.listen_pcbs; l != NULL; l = l->next)
    if(l->local_port == port && l->accepts_pending >= l->backlog)
      return l;
  return NULL;
}

// Abort the listener's half-open connection that has waited longest.
static void
evict_oldest(struct tcp_pcb_listen *l)
{
  struct tcp_pcb *p, *oldest = NULL;

  for(p = tcp_active_pcbs; p != NULL; p = p->next)
    if(p->state == SYN_RCVD && p->listener == l &&
       (oldest == NULL || (u32_t)(tcp_ticks - p->tmr) > (u32_t)(tcp_ticks - oldest->tmr)))
      oldest = p;
  if(oldest != NULL){
    synguard_evictions++;
    tcp_abort(oldest);   // also gives the listener its backlog slot back
  }
}

static uint32_t
be32(const uint8_t *b)
{
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

// The TCP checksum of the segment in IPv4 packet ip (header ihl bytes, the
// packet's own total length, at most avail bytes present) is right.
static int
tcp_checksum_ok(const uint8_t *ip, uint32_t ihl, uint32_t avail)
{
  uint32_t total = ((uint32_t)ip[2] << 8) | ip[3], seglen, sum, i;
  const uint8_t *seg = ip + ihl;

  if(total > avail || total < ihl + 20)
    return 0;
  seglen = total - ihl;
  sum = IP_PROTO_TCP + seglen;   // pseudo-header: addresses, protocol, length
  for(i = 12; i < 20; i += 2)
    sum += ((uint32_t)ip[i] << 8) | ip[i + 1];
  for(i = 0; i + 1 < seglen; i += 2)
    sum += ((uint32_t)seg[i] << 8) | seg[i + 1];
  if(seglen & 1)
    sum += (uint32_t)seg[seglen - 1] << 8;
  while(sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return sum == 0xffff;
}

// A SYN (ip, ihl, avail as above) for a connection in TIME_WAIT whose sequence
// number is beyond what the old connection received ends that TIME_WAIT.
static void
reopen_timewait(const uint8_t *ip, uint32_t ihl, uint32_t avail)
{
  const uint8_t *t = ip + ihl;
  uint16_t sport = (uint16_t)((t[0] << 8) | t[1]), dport = (uint16_t)((t[2] << 8) | t[3]);
  uint32_t src = lwip_htonl(be32(ip + 12)), dst = lwip_htonl(be32(ip + 16));
  struct tcp_pcb *pcb;

  for(pcb = tcp_tw_pcbs; pcb != NULL; pcb = pcb->next){
    if(pcb->remote_port != sport || pcb->local_port != dport ||
       ip4_addr_get_u32(ip_2_ip4(&pcb->remote_ip)) != src ||
       ip4_addr_get_u32(ip_2_ip4(&pcb->local_ip)) != dst)
      continue;
    if(TCP_SEQ_GT(be32(t + 4), pcb->rcv_nxt) && tcp_checksum_ok(ip, ihl, avail)){
      timewait_reuses++;
      tcp_abort(pcb);   // a TIME_WAIT pcb is just unlinked and freed: no RST
    }
    return;
  }
}

void
lwip_synguard(const uint8_t *f, uint32_t len)
{
  uint32_t ihl, flags;
  const uint8_t *t;
  struct tcp_pcb_listen *l;

  // Ethernet II, IPv4, first fragment, TCP; anything odd is lwIP's to judge
  if(len < ETH_HDR_LEN + 20 || f[12] != 0x08 || f[13] != 0x00)
    return;
  ihl = (f[ETH_HDR_LEN] & 0x0f) * 4;
  if((f[ETH_HDR_LEN] >> 4) != 4 || ihl < 20 || f[ETH_HDR_LEN + 9] != IP_PROTO_TCP)
    return;
  if(((f[ETH_HDR_LEN + 6] & 0x1f) | f[ETH_HDR_LEN + 7]) != 0)   // a later fragment
    return;
  if(len < ETH_HDR_LEN + ihl + 20)
    return;
  t = f + ETH_HDR_LEN + ihl;
  flags = t[13];
  if((flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) != TCP_SYN)
    return;
  reopen_timewait(f + ETH_HDR_LEN, ihl, len - ETH_HDR_LEN);
  if((l = full_listener((uint16_t)((t[2] << 8) | t[3]))) != NULL)
    evict_oldest(l);
}
