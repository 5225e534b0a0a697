// lwip_sock.c: thin wrappers around lwIP's raw TCP, UDP and raw-IP API for the Swift
// socket layer (Sources/Sockets), declared in CShims/include/lwip_sock.h.
//
// lwIP calls the static callbacks here, which pass each event on to the socket
// layer's upcalls with the socket's id (the pcb's callback argument). Nothing in
// this file allocates except through lwIP's own pools and heap, and every
// function runs with the network lock (Kernel/net.c) held.
#include "lwip/opt.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "lwip/raw.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/memp.h"
#include "lwip_sock.h"

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

static err_t
connected_cb(void *arg, struct tcp_pcb *pcb, err_t err)
{
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
  up->udp_recv(idof(arg), p, ip_addr_get_ip4_u32(addr), port);
}

// A raw socket's packet: lent to the upcall, never eaten, so lwIP's own
// protocol handling (ICMP answering echo requests) still sees it.
static u8_t
raw_recv_cb(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
  if(idof(arg) && up)
    up->raw_recv(idof(arg), p, ip_addr_get_ip4_u32(addr));
  return 0;
}

// ---- TCP ------------------------------------------------------------------------

struct tcp_pcb*
lsock_tcp_new(void)
{
  return tcp_new_ip_type(IPADDR_TYPE_V4);
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
lsock_tcp_bind(struct tcp_pcb *pcb, uint32_t addr, uint16_t port)
{
  ip_addr_t a;

  ip_addr_set_ip4_u32_val(a, addr);
  return tcp_bind(pcb, &a, port);
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
lsock_tcp_connect(struct tcp_pcb *pcb, uint32_t addr, uint16_t port)
{
  ip_addr_t a;

  ip_addr_set_ip4_u32_val(a, addr);
  return tcp_connect(pcb, &a, port, connected_cb);
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
  // the interval counts lwIP's coarse timer: 2 x 500 ms
  tcp_poll(pcb, on ? poll_cb : 0, on ? 2 : 0);
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
lsock_tcp_local(struct tcp_pcb *pcb, uint32_t *addr, uint16_t *port)
{
  *addr = ip_addr_get_ip4_u32(&pcb->local_ip);
  *port = pcb->local_port;
}

void
lsock_tcp_remote(struct tcp_pcb *pcb, uint32_t *addr, uint16_t *port)
{
  if(pcb->state == LISTEN){
    *addr = 0;
    *port = 0;
    return;
  }
  *addr = ip_addr_get_ip4_u32(&pcb->remote_ip);
  *port = pcb->remote_port;
}

int32_t
lsock_tcp_state(struct tcp_pcb *pcb)
{
  return pcb->state;
}

// ---- UDP ------------------------------------------------------------------------

struct udp_pcb*
lsock_udp_new(uint32_t id)
{
  struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_V4);

  if(pcb)
    udp_recv(pcb, udp_recv_cb, argof(id));
  return pcb;
}

void
lsock_udp_remove(struct udp_pcb *pcb)
{
  udp_remove(pcb);
}

int32_t
lsock_udp_bind(struct udp_pcb *pcb, uint32_t addr, uint16_t port)
{
  ip_addr_t a;

  ip_addr_set_ip4_u32_val(a, addr);
  return udp_bind(pcb, &a, port);
}

int32_t
lsock_udp_connect(struct udp_pcb *pcb, uint32_t addr, uint16_t port)
{
  ip_addr_t a;

  ip_addr_set_ip4_u32_val(a, addr);
  return udp_connect(pcb, &a, port);
}

void
lsock_udp_disconnect(struct udp_pcb *pcb)
{
  udp_disconnect(pcb);
}

void
lsock_udp_set_reuseaddr(struct udp_pcb *pcb, int on)
{
  if(on)
    ip_set_option(pcb, SOF_REUSEADDR);
  else
    ip_reset_option(pcb, SOF_REUSEADDR);
}

// A datagram's payload copied from user memory into a new pbuf with room in
// front for the headers of layer; 0, LSOCK_ERR_MEM or LSOCK_EFAULT.
static int32_t
user_pbuf(pbuf_layer layer, uint64_t src, uint32_t len, struct pbuf **out)
{
  struct pbuf *p;

  if((p = pbuf_alloc(layer, (u16_t)len, PBUF_RAM)) == 0)
    return LSOCK_ERR_MEM;
  // PBUF_RAM is one contiguous piece
  if(len > 0 && lsock_copyin(p->payload, src, len) < 0){
    pbuf_free(p);
    return LSOCK_EFAULT;
  }
  *out = p;
  return 0;
}

// The same gathered from n pieces of user memory (writev), total bytes in all.
static int32_t
user_pbuf_pieces(pbuf_layer layer, const uint64_t *base, const uint32_t *len, uint32_t n,
                 uint32_t total, struct pbuf **out)
{
  struct pbuf *p;
  uint32_t off = 0;

  if(total > 0xffff || (p = pbuf_alloc(layer, (u16_t)total, PBUF_RAM)) == 0)
    return LSOCK_ERR_MEM;
  for(uint32_t i = 0; i < n; i++){
    if(len[i] > total - off || lsock_copyin((char*)p->payload + off, base[i], len[i]) < 0){
      pbuf_free(p);
      return LSOCK_EFAULT;
    }
    off += len[i];
  }
  *out = p;
  return 0;
}

int32_t
lsock_udp_send_pieces(struct udp_pcb *pcb, const uint64_t *base, const uint32_t *len,
                      uint32_t n, uint32_t total)
{
  struct pbuf *p;
  err_t err;

  if((err = user_pbuf_pieces(PBUF_TRANSPORT, base, len, n, total, &p)) != 0)
    return err;
  err = udp_send(pcb, p);
  pbuf_free(p);
  return err;
}

int32_t
lsock_udp_send_user(struct udp_pcb *pcb, uint64_t src, uint32_t len, int to_addr,
                    uint32_t addr, uint16_t port)
{
  struct pbuf *p;
  ip_addr_t a;
  err_t err;

  if((err = user_pbuf(PBUF_TRANSPORT, src, len, &p)) != 0)
    return err;
  if(to_addr){
    ip_addr_set_ip4_u32_val(a, addr);
    err = udp_sendto(pcb, p, &a, port);
  } else {
    err = udp_send(pcb, p);
  }
  pbuf_free(p);
  return err;
}

void
lsock_udp_local(struct udp_pcb *pcb, uint32_t *addr, uint16_t *port)
{
  *addr = ip_addr_get_ip4_u32(&pcb->local_ip);
  *port = pcb->local_port;
}

void
lsock_udp_remote(struct udp_pcb *pcb, uint32_t *addr, uint16_t *port)
{
  *addr = ip_addr_get_ip4_u32(&pcb->remote_ip);
  *port = pcb->remote_port;
}

// ---- raw IP ---------------------------------------------------------------------

struct raw_pcb*
lsock_raw_new(uint32_t id, uint8_t proto)
{
  struct raw_pcb *pcb = raw_new_ip_type(IPADDR_TYPE_V4, proto);

  if(pcb)
    raw_recv(pcb, raw_recv_cb, argof(id));
  return pcb;
}

void
lsock_raw_remove(struct raw_pcb *pcb)
{
  raw_remove(pcb);
}

int32_t
lsock_raw_bind(struct raw_pcb *pcb, uint32_t addr)
{
  ip_addr_t a;

  ip_addr_set_ip4_u32_val(a, addr);
  return raw_bind(pcb, &a);
}

int32_t
lsock_raw_connect(struct raw_pcb *pcb, uint32_t addr)
{
  ip_addr_t a;

  if(addr == 0){
    raw_disconnect(pcb);
    return ERR_OK;
  }
  ip_addr_set_ip4_u32_val(a, addr);
  return raw_connect(pcb, &a);
}

int32_t
lsock_raw_send_user(struct raw_pcb *pcb, uint64_t src, uint32_t len, int to_addr,
                    uint32_t addr)
{
  struct pbuf *p;
  ip_addr_t a;
  err_t err;

  // PBUF_IP leaves room in front for the IP header raw_sendto writes
  if((err = user_pbuf(PBUF_IP, src, len, &p)) != 0)
    return err;
  if(to_addr){
    ip_addr_set_ip4_u32_val(a, addr);
    err = raw_sendto(pcb, p, &a);
  } else {
    err = raw_send(pcb, p);
  }
  pbuf_free(p);
  return err;
}

int32_t
lsock_raw_send_pieces(struct raw_pcb *pcb, const uint64_t *base, const uint32_t *len,
                      uint32_t n, uint32_t total)
{
  struct pbuf *p;
  err_t err;

  if((err = user_pbuf_pieces(PBUF_IP, base, len, n, total, &p)) != 0)
    return err;
  err = raw_send(pcb, p);
  pbuf_free(p);
  return err;
}

void
lsock_raw_addrs(struct raw_pcb *pcb, uint32_t *local, uint32_t *remote)
{
  *local = ip_addr_get_ip4_u32(&pcb->local_ip);
  *remote = ip_addr_get_ip4_u32(&pcb->remote_ip);
}

// ---- pbufs ----------------------------------------------------------------------

uint32_t
lsock_pbuf_len(struct pbuf *p)
{
  return p->tot_len;
}

int
lsock_pbuf_cat(struct pbuf *head, struct pbuf *tail)
{
  if((uint32_t)head->tot_len + tail->tot_len > 0xffff)
    return 0;
  pbuf_cat(head, tail);
  return 1;
}

int32_t
lsock_pbuf_copyout(struct pbuf *p, uint32_t off, uint64_t dst, uint32_t n)
{
  // skip whole pbufs before off, then copy piece by piece
  for(; p && off >= p->len; p = p->next)
    off -= p->len;
  while(p && n > 0){
    uint32_t m = p->len - off;
    if(m > n)
      m = n;
    if(lsock_copyout(dst, (char*)p->payload + off, m) < 0)
      return LSOCK_EFAULT;
    dst += m;
    n -= m;
    off = 0;
    p = p->next;
  }
  return LSOCK_OK;
}

struct pbuf*
lsock_pbuf_consume(struct pbuf *p, uint32_t n)
{
  while(p && n > 0){
    u16_t m = n > 0xffff ? 0xffff : (u16_t)n;
    if(m >= p->tot_len){
      n -= p->tot_len;
      pbuf_free(p);
      return 0;
    }
    p = pbuf_free_header(p, m);
    n -= m;
  }
  return p;
}

void
lsock_pbuf_free(struct pbuf *p)
{
  pbuf_free(p);
}

int
lsock_pbuf_copy(struct pbuf *p, void *dst, uint32_t n, uint32_t off)
{
  if(n > 0xffff || off > 0xffff)
    return 0;
  return pbuf_copy_partial(p, dst, (u16_t)n, (u16_t)off) == n;
}

uint32_t
lsock_pbuf_count(struct pbuf *p)
{
  return pbuf_clen(p);
}

// ---- receive memory ---------------------------------------------------------------

uint32_t
lsock_pool_size(void)
{
  return PBUF_POOL_SIZE;
}

uint32_t
lsock_pool_free(void)
{
#if MEMP_STATS
  const struct stats_mem *m = lwip_stats.memp[MEMP_PBUF_POOL];
  return m->avail > m->used ? m->avail - m->used : 0;
#else
  return PBUF_POOL_SIZE;   // no counts (a host build): never short
#endif
}

uint32_t
lsock_tcp_window(void)
{
  return TCP_WND;
}

uint32_t
lsock_tcp_sndbuf_max(void)
{
  return TCP_SND_BUF;
}

uint32_t
lsock_tcp_rcvbuf_min(void)
{
  return 2 * TCP_WND_UPDATE_THRESHOLD;
}

void
lsock_memstats(struct lsock_memstats *out)
{
  *out = (struct lsock_memstats){0};
#if MEM_STATS
  out->heap_used = lwip_stats.mem.used;
#endif
#if MEMP_STATS
  out->pbuf_pool_used = lwip_stats.memp[MEMP_PBUF_POOL]->used;
  out->pbuf_ref_used = lwip_stats.memp[MEMP_PBUF]->used;
  out->tcp_pcb_used = lwip_stats.memp[MEMP_TCP_PCB]->used;
  out->tcp_listen_used = lwip_stats.memp[MEMP_TCP_PCB_LISTEN]->used;
  out->tcp_seg_used = lwip_stats.memp[MEMP_TCP_SEG]->used;
  out->udp_pcb_used = lwip_stats.memp[MEMP_UDP_PCB]->used;
  out->raw_pcb_used = lwip_stats.memp[MEMP_RAW_PCB]->used;
#endif
}
