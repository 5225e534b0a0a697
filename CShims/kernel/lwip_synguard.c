// lwip_synguard.c: keeps a SYN flood from locking a listener out.
//
// lwIP counts half-open (SYN_RCVD) connections against a listener's backlog
// and drops new SYNs while the backlog is full; a half-open connection whose
// peer never answers lives for TCP_SYN_RCVD_TIMEOUT (20 s). So a few dozen
// spoofed SYNs would stop a server for 20 s. Before lwIP sees a SYN for a
// listener whose backlog is full, we abort that listener's oldest half-open
// connection, which makes room: a real client's SYN then gets its SYN-ACK
// (and a flood only ever holds the newest `backlog` half-open slots).
//
// Called from net_rx_frame (lwip_netif.c) with the network lock held.
#include "lwip/opt.h"
#include "lwip/def.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip_glue.h"

#define ETH_HDR_LEN 14

static uint64_t synguard_evictions;    // half-open connections aborted

uint64_t
lwip_synguard_evictions(void)
{
  return synguard_evictions;
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
  if((l = full_listener((uint16_t)((t[2] << 8) | t[3]))) != NULL)
    evict_oldest(l);
}
