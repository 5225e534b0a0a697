// lwip_sock.c: thin wrappers around lwIP's raw TCP API for the Swift socket
// layer (Sources/Sockets), declared in CShims/include/lwip_sock.h; the UDP,
// raw-IP, pbuf and receive-memory calls are in lwip_sock_dgram.c.
//
// lwIP calls the static callbacks here (every kind's: TCP's, and the UDP and
// raw ones lsock_udp_attach / lsock_raw_attach hang on a datagram pcb), which
// pass each event on to the socket layer's upcalls with the socket's id (the
// pcb's callback argument). A received TCP segment goes recv_cb ->
// up->tcp_recv (tcpReceived, Sources/Sockets/TCP.swift). Nothing in this file
// allocates except through lwIP's own pools and heap, and every function runs
// with the network lock (Kernel/net.c) held.
#include "lwip/opt.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"   // TCP_SLOW_INTERVAL
#include "lwip/udp.h"
#include "lwip/raw.h"
#include "lwip/pbuf.h"
#include "lwip_sock.h"
#include "lwip_glue.h"
#include "lwip_sock_addr.h"
#include "lwip/netif.h"

static const struct lsock_upcalls *up;

// Staging area for user data on its way into tcp_write (which copies it).
// Guarded by the network lock, like everything lwIP touches.
static char bounce[4096];

void
lsock_set_upcalls(const struct lsock_upcalls *u)
{
  up = u;
}

static uint32_t
idof(void *arg)
{
  return (uint32_t)(uintptr_t)arg;
}

static void*
argof(uint32_t id)
{
  return (void*)(uintptr_t)id;
}

// ---- lwIP callbacks -----------------------------------------------------------

static err_t
recv_cb(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
  if(idof(arg) == 0 || up == 0 || err != ERR_OK){
    // no owner (cannot happen once detached: lwIP's tcp_recv_null runs then)
    if(p){
      tcp_recved(pcb, p->tot_len);
      pbuf_free(p);
    }
    return ERR_OK;
  }
  return (err_t)up->tcp_recv(idof(arg), p);
}

static err_t
sent_cb(void *arg, struct tcp_pcb *pcb, u16_t len)
{
  if(idof(arg) && up)
    up->tcp_sent(idof(arg), len);
  return ERR_OK;
}

static void
err_cb(void *arg, err_t err)
{
  if(idof(arg) && up)
    up->tcp_err(idof(arg), err);
}

// The retransmission timer of a new connection, set when the handshake ends.
// lwIP starts every pcb at RFC 1122's 3 s, the RTO and the variance term (sv,
// 4 x RTTVAR in slow ticks) alike, and its estimator lets sv fall by only a
// quarter per round-trip sample, one sample per round trip: a segment lost in
// a connection's first dozen round trips waited 0.5-2.9 s for its timeout.
// RFC 6298 (2.2) sets RTTVAR from the first sample R instead, R/2, so sv =
// 2R; its 1 s floor is relaxed to Linux's 200 ms (TCP_RTO_MIN), below which
// later samples take sv to lwIP's own floor of about 3 ticks. An accepted pcb
// has had its sample (the SYN-ACK's), and lwIP's estimator, starting from 0,
// leaves sa = R after one; a connecting one has not (the SYN's sample comes
// with the first ACK of data), so sa = 0 and sv gets the floor. Either way
// rto = sa/8 + sv stays above R. Measured effect: lwipopts.h, TCP_TMR_INTERVAL.
#define RTO_VAR_MIN  (200 / TCP_SLOW_INTERVAL)

static void
rto_from_handshake(struct tcp_pcb *pcb)
{
  s16_t first = pcb->sa;
  s16_t sv = 2 * first > RTO_VAR_MIN ? 2 * first : RTO_VAR_MIN;

  if(pcb->sv > sv){
    pcb->sv = sv;
    pcb->rto = (pcb->sa >> 3) + sv;
  }
}

static err_t
connected_cb(void *arg, struct tcp_pcb *pcb, err_t err)
{
  if(err == ERR_OK)
    rto_from_handshake(pcb);
  if(idof(arg) && up)
    up->tcp_connected(idof(arg));
  return ERR_OK;
}

static err_t
poll_cb(void *arg, struct tcp_pcb *pcb)
{
  if(idof(arg) && up)
    return (err_t)up->tcp_poll(idof(arg));
  return ERR_OK;
}

static err_t
accept_cb(void *arg, struct tcp_pcb *newpcb, err_t err)
{
  uint32_t id = 0;

  if(newpcb == 0 || err != ERR_OK)
    return ERR_VAL;
  if(idof(arg) && up)
    id = up->tcp_accept(idof(arg), newpcb);
  if(id == 0){
    // refused (backlog full, no free socket): reset it, as lwIP expects
    tcp_abort(newpcb);
    return ERR_ABRT;
  }
  lsock_tcp_attach(newpcb, id);
  rto_from_handshake(newpcb);
  return ERR_OK;
}

static void
udp_recv_cb(void *arg, struct udp_pcb *pcb, struct pbuf *p,
            const ip_addr_t *addr, u16_t port)
{
  if(idof(arg) == 0 || up == 0){
    pbuf_free(p);
    return;
  }
  struct lsock_addr from;

  lsock_from_ip(addr, port, &from);
  up->udp_recv(idof(arg), p, &from);
}

// A raw socket's packet: lent to the upcall, never eaten, so lwIP's own
// protocol handling (ICMP answering echo requests) still sees it. lwIP hands
// an IPv6 packet over at its IPv6 header (ip6_input), and ip6_input has
// measured the header and its extension headers: ip_current_header_tot_len.
static u8_t
raw_recv_cb(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
  struct lsock_addr from;
  uint32_t skip = 0;

  if(idof(arg) == 0 || up == 0)
    return 0;
  if(ip_current_is_v6())
    skip = ip_current_header_tot_len();
  if(skip > p->tot_len)
    return 0;
  lsock_from_ip(addr, 0, &from);
  up->raw_recv(idof(arg), p, skip, &from);
  return 0;
}

// ---- TCP ------------------------------------------------------------------------

struct tcp_pcb*
lsock_tcp_new(uint8_t iptype)
{
  return tcp_new_ip_type(iptype);
}

void
lsock_tcp_attach(struct tcp_pcb *pcb, uint32_t id)
{
  tcp_arg(pcb, argof(id));
  tcp_recv(pcb, recv_cb);
  tcp_sent(pcb, sent_cb);
  tcp_err(pcb, err_cb);
}

void
lsock_tcp_detach(struct tcp_pcb *pcb)
{
  tcp_arg(pcb, 0);
  if(pcb->state == LISTEN){
    tcp_accept(pcb, 0);
    return;
  }
  tcp_recv(pcb, 0);
  tcp_sent(pcb, 0);
  tcp_err(pcb, 0);
  tcp_poll(pcb, 0, 0);
}

int32_t
lsock_tcp_bind(struct tcp_pcb *pcb, const struct lsock_addr *a)
{
  ip_addr_t ip;

  lsock_to_ip(a, &ip);
  return tcp_bind(pcb, &ip, a->port);
}

struct tcp_pcb*
lsock_tcp_listen(struct tcp_pcb *pcb, uint32_t id, uint8_t backlog, int32_t *err)
{
  err_t e = ERR_OK;
  struct tcp_pcb *lpcb;

  lpcb = tcp_listen_with_backlog_and_err(pcb, backlog, &e);
  *err = e;
  if(lpcb == 0)
    return 0;
  tcp_arg(lpcb, argof(id));
  tcp_accept(lpcb, accept_cb);
  return lpcb;
}

int32_t
lsock_tcp_connect(struct tcp_pcb *pcb, const struct lsock_addr *a)
{
  ip_addr_t ip;

  lsock_to_ip(a, &ip);
  return tcp_connect(pcb, &ip, a->port, connected_cb);
}

uint32_t
lsock_tcp_sndbuf(struct tcp_pcb *pcb)
{
  // tcp_write also fails once the segment queue is full, whatever the bytes
  if(tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN - 1)
    return 0;
  return tcp_sndbuf(pcb);
}

int32_t
lsock_tcp_write_user(struct tcp_pcb *pcb, uint64_t src, uint32_t len, int more,
                     uint32_t *queued)
{
  uint32_t done = 0;
  uint32_t n;
  u8_t flags;
  err_t err;

  while(done < len){
    n = lsock_tcp_sndbuf(pcb);
    if(n == 0)
      break;
    if(n > len - done)
      n = len - done;
    if(n > sizeof(bounce))
      n = sizeof(bounce);
    if(lsock_copyin(bounce, src + done, n) < 0){
      *queued = done;
      return LSOCK_EFAULT;
    }
    if(!lwip_tcp_write_ready(pcb))
      break;   // as if the buffer were full: the queued segment goes first
    flags = TCP_WRITE_FLAG_COPY;
    if(more || done + n < len)
      flags |= TCP_WRITE_FLAG_MORE;
    err = tcp_write(pcb, bounce, (u16_t)n, flags);
    if(err == ERR_MEM)
      break;
    if(err != ERR_OK){
      *queued = done;
      return err;
    }
    done += n;
  }
  *queued = done;
  return done < len ? LSOCK_ERR_MEM : LSOCK_OK;
}

int32_t
lsock_tcp_output(struct tcp_pcb *pcb)
{
  return tcp_output(pcb);
}

void
lsock_tcp_recved(struct tcp_pcb *pcb, uint32_t len)
{
  // tcp_recved takes 16 bits at a time
  while(len > 0){
    u16_t n = len > 0xffff ? 0xffff : (u16_t)len;
    tcp_recved(pcb, n);
    len -= n;
  }
}

int32_t
lsock_tcp_close(struct tcp_pcb *pcb)
{
  return tcp_close(pcb);
}

int32_t
lsock_tcp_shutdown_tx(struct tcp_pcb *pcb)
{
  return tcp_shutdown(pcb, 0, 1);
}

void
lsock_tcp_abort(struct tcp_pcb *pcb)
{
  tcp_abort(pcb);
}

void
lsock_tcp_set_nodelay(struct tcp_pcb *pcb, int on)
{
  if(on)
    tcp_nagle_disable(pcb);
  else
    tcp_nagle_enable(pcb);
}

void
lsock_tcp_set_reuseaddr(struct tcp_pcb *pcb, int on)
{
  if(on)
    ip_set_option(pcb, SOF_REUSEADDR);
  else
    ip_reset_option(pcb, SOF_REUSEADDR);
}

void
lsock_tcp_poll(struct tcp_pcb *pcb, int on)
{
  // the interval counts lwIP's coarse timer: the next of its 500 ms ticks
  tcp_poll(pcb, on ? poll_cb : 0, on ? 1 : 0);
}

void
lsock_tcp_set_keepalive(struct tcp_pcb *pcb, int on, uint32_t idle_ms, uint32_t intvl_ms,
                        uint32_t count)
{
  if(on)
    ip_set_option(pcb, SOF_KEEPALIVE);
  else
    ip_reset_option(pcb, SOF_KEEPALIVE);
  if(pcb->state == LISTEN)
    return;   // a listening pcb has no timing; its connections get the socket's
  pcb->keep_idle = idle_ms;
#if LWIP_TCP_KEEPALIVE
  pcb->keep_intvl = intvl_ms;
  pcb->keep_cnt = count;
#endif
}

uint32_t
lsock_tcp_unacked(struct tcp_pcb *pcb)
{
  uint32_t room = tcp_sndbuf(pcb);

  return room < TCP_SND_BUF ? TCP_SND_BUF - room : 0;
}

void
lsock_tcp_local(struct tcp_pcb *pcb, struct lsock_addr *out)
{
  lsock_from_ip(&pcb->local_ip, pcb->local_port, out);
}

void
lsock_tcp_remote(struct tcp_pcb *pcb, struct lsock_addr *out)
{
  // a listening pcb is the smaller struct tcp_pcb_listen: no remote fields
  if(pcb->state == LISTEN){
    memset(out, 0, sizeof(*out));
    return;
  }
  lsock_from_ip(&pcb->remote_ip, pcb->remote_port, out);
}

int32_t
lsock_tcp_state(struct tcp_pcb *pcb)
{
  return pcb->state;
}

// ---- what every pcb kind shares ----------------------------------------------------

// tcp_pcb, udp_pcb and raw_pcb all begin with lwIP's IP_PCB fields, the
// layout struct ip_pcb names (lwIP's ip_set_option relies on it too).
void
lsock_pcb_set_ttl(void *pcb, uint8_t ttl)
{
  ((struct ip_pcb*)pcb)->ttl = ttl;
}

uint8_t
lsock_pcb_ttl(void *pcb)
{
  return ((struct ip_pcb*)pcb)->ttl;
}

// Only for a pcb not yet bound: its unspecified local and remote addresses
// take the type (what tcp_new_ip_type and udp_new_ip_type set).
void
lsock_pcb_set_iptype(void *pcb, uint8_t iptype)
{
  IP_SET_TYPE_VAL(((struct ip_pcb*)pcb)->local_ip, iptype);
  IP_SET_TYPE_VAL(((struct ip_pcb*)pcb)->remote_ip, iptype);
}

int
lsock_netif_exists(uint32_t index)
{
  return index > 0 && index <= 255 && netif_get_by_index((u8_t)index) != 0;
}

// ---- UDP and raw: their receive callbacks (for lwip_sock_dgram.c) -------------

void
lsock_udp_attach(struct udp_pcb *pcb, uint32_t id)
{
  udp_recv(pcb, udp_recv_cb, argof(id));
}

void
lsock_raw_attach(struct raw_pcb *pcb, uint32_t id)
{
  raw_recv(pcb, raw_recv_cb, argof(id));
}
