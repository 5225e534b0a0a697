// lwip_newreno.c: NewReno's answer to a partial acknowledgment (RFC 6582)
// for lwIP 2.1.3, which recovers from loss as Reno does.
//
// Why: lwIP leaves fast recovery on the first ACK that acknowledges anything
// (tcp_receive clears TF_INFR) and retransmits once per recovery. When two
// segments of one window are lost, the ACK of the first retransmission
// acknowledges only up to the second hole (a partial ACK); the duplicate ACKs
// that would resend it were spent on the first, so the second waits for the
// retransmission timeout. Through the bench's relay at 5% loss that was a
// good part of the time our downloads spent in timeouts (docs/performance-notes.md,
// "TCP under loss"). NewReno instead stays in recovery until everything sent
// before it began is acknowledged, and resends the next hole on each partial
// ACK at once, one round trip per hole. slirp (the usual peer) sends no SACK,
// so NewReno is what Linux does against it too.
//
// How, from outside lwIP's code:
//  - Before lwIP processes a segment (LWIP_HOOK_TCP_INPACKET_PCB, via
//    lwip_seqguard), lwip_newreno_input remembers per pcb the recovery point
//    (`recover`, snd_nxt when recovery was first seen) in the pcb's ext arg,
//    and notes a pcb whose ACK lies between its last ACK and `recover`.
//  - lwIP then handles the ACK as always (it frees the acknowledged segments,
//    leaves recovery, sets cwnd to ssthresh, restarts the timer).
//  - After lwIP returned (lwip_newreno_after_input, from net_rx_frame and the
//    loopback poll, never inside tcp_input), each noted pcb that still lives
//    gets its first unacknowledged segment resent (tcp_rexmit) and its
//    TF_INFR set again, so recovery goes on: more duplicate ACKs inflate the
//    window rather than start another recovery, and the next partial ACK
//    resends the next hole. An ACK at or beyond `recover` ends it (lwIP
//    clears TF_INFR and we forget `recover`); so does a timeout (TF_RTO).
//
// Every function runs with the network lock held.
#include "lwip/opt.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/tcp.h"
#include "lwip_glue.h"

#define IN_RECOVERY   ((uintptr_t)1 << 32)   // ext arg: recover is valid (low 32 bits)
#define MAX_NOTED     4                      // partial ACKs between two after_input calls

static u8_t ext_id = 0xff;                   // lwIP's ext arg slot, taken on first use
static struct tcp_pcb *noted[MAX_NOTED];     // pcbs that got a partial ACK, not served yet
static int nnoted;
static uint64_t partial_retransmits;

static uintptr_t
state_of(struct tcp_pcb *pcb)
{
  return (uintptr_t)tcp_ext_arg_get(pcb, ext_id);
}

static void
set_state(struct tcp_pcb *pcb, uintptr_t st)
{
  tcp_ext_arg_set(pcb, ext_id, (void*)st);
}

// Before tcp_input processes hdr (host byte order) for pcb.
void
lwip_newreno_input(struct tcp_pcb *pcb, const struct tcp_hdr *hdr)
{
  uintptr_t st;

  if(pcb->state < ESTABLISHED || pcb->state == TIME_WAIT)
    return;   // LISTEN (a tcp_pcb_listen: no ext args), handshakes, TIME_WAIT
  if(ext_id == 0xff)
    ext_id = tcp_ext_arg_alloc_id();
  st = state_of(pcb);
  if(!(pcb->flags & TF_INFR) || (pcb->flags & TF_RTO)){
    if(st != 0)
      set_state(pcb, 0);   // recovery is over (a full ACK) or a timeout took over
    return;
  }
  if(st == 0){
    st = IN_RECOVERY | pcb->snd_nxt;
    set_state(pcb, st);
  }
  if(!(TCPH_FLAGS(hdr) & TCP_ACK))
    return;
  if(TCP_SEQ_GT(hdr->ackno, pcb->lastack) && TCP_SEQ_LT(hdr->ackno, (u32_t)st) &&
     nnoted < MAX_NOTED)
    noted[nnoted++] = pcb;
}

static int
is_active(struct tcp_pcb *pcb)
{
  struct tcp_pcb *p;

  for(p = tcp_active_pcbs; p != NULL; p = p->next)
    if(p == pcb)
      return 1;
  return 0;
}

// After tcp_input returned: resend the next hole of each connection that got
// a partial ACK, and keep it in recovery.
void
lwip_newreno_after_input(void)
{
  while(nnoted > 0){
    struct tcp_pcb *pcb = noted[--nnoted];
    if(!is_active(pcb) || pcb->unacked == NULL || (pcb->flags & TF_RTO) ||
       (state_of(pcb) & IN_RECOVERY) == 0)
      continue;
    if(tcp_rexmit(pcb) != ERR_OK)
      continue;
    tcp_set_flags(pcb, TF_INFR);
    partial_retransmits++;
    tcp_output(pcb);
  }
}

// Segments resent on a partial ACK so far (ifconfig shows them).
uint64_t
lwip_newreno_retransmits(void)
{
  return partial_retransmits;
}
