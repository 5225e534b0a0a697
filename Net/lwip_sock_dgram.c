// lwip_sock_dgram.c: the rest of the lwIP shim for the Swift socket layer
// (Sources/Sockets), declared in CShims/include/lwip_sock.h: UDP and raw-IP
// pcbs, the pbuf calls every kind uses (a TCP socket's receive queue is a pbuf
// chain too: lsock_pbuf_copyout and lsock_pbuf_consume read it out), and the
// receive-memory figures. The TCP calls and all of lwIP's callbacks are in
// lwip_sock.c; lsock_udp_attach and lsock_raw_attach (there) hang a datagram
// pcb's receive callback on it.
//
// Nothing in this file allocates except through lwIP's own pools and heap, and
// every function runs with the network lock (Kernel/net.c) held.
#include "lwip/opt.h"
#include "lwip/udp.h"
#include "lwip/raw.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/memp.h"
#include "lwip_sock.h"
#include "lwip_glue.h"
#include "lwip_sock_addr.h"

// ---- UDP ------------------------------------------------------------------------

struct udp_pcb*
lsock_udp_new(uint32_t id, uint8_t iptype)
{
  struct udp_pcb *pcb = udp_new_ip_type(iptype);

  if(pcb)
    lsock_udp_attach(pcb, id);
  return pcb;
}

void
lsock_udp_remove(struct udp_pcb *pcb)
{
  udp_remove(pcb);
}

int32_t
lsock_udp_bind(struct udp_pcb *pcb, const struct lsock_addr *a)
{
  ip_addr_t ip;

  lsock_to_ip(a, &ip);
  return udp_bind(pcb, &ip, a->port);
}

int32_t
lsock_udp_connect(struct udp_pcb *pcb, const struct lsock_addr *a)
{
  ip_addr_t ip;

  lsock_to_ip(a, &ip);
  return udp_connect(pcb, &ip, a->port);
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
lsock_udp_send_user(struct udp_pcb *pcb, uint64_t src, uint32_t len,
                    const struct lsock_addr *to)
{
  struct pbuf *p;
  ip_addr_t ip;
  err_t err;

  if((err = user_pbuf(PBUF_TRANSPORT, src, len, &p)) != 0)
    return err;
  if(to){
    lsock_to_ip(to, &ip);
    err = udp_sendto(pcb, p, &ip, to->port);
  } else {
    err = udp_send(pcb, p);
  }
  pbuf_free(p);
  return err;
}

void
lsock_udp_local(struct udp_pcb *pcb, struct lsock_addr *out)
{
  lsock_from_ip(&pcb->local_ip, pcb->local_port, out);
}

void
lsock_udp_remote(struct udp_pcb *pcb, struct lsock_addr *out)
{
  lsock_from_ip(&pcb->remote_ip, pcb->remote_port, out);
}

// ---- raw IP ---------------------------------------------------------------------

struct raw_pcb*
lsock_raw_new(uint32_t id, uint8_t iptype, uint8_t proto)
{
  struct raw_pcb *pcb = raw_new_ip_type(iptype, proto);

  if(pcb == 0)
    return 0;
  lsock_raw_attach(pcb, id);
  // ICMPv6's checksum covers a pseudo-header only the kernel knows (RFC
  // 4443 2.3): raw_sendto writes it at offset 2 (as lwIP's netconn does)
  if(iptype == IPADDR_TYPE_V6 && proto == IP6_NEXTH_ICMP6){
    pcb->chksum_reqd = 1;
    pcb->chksum_offset = 2;
  }
  return pcb;
}

void
lsock_raw_remove(struct raw_pcb *pcb)
{
  raw_remove(pcb);
}

int32_t
lsock_raw_bind(struct raw_pcb *pcb, const struct lsock_addr *a)
{
  ip_addr_t ip;

  lsock_to_ip(a, &ip);
  return raw_bind(pcb, &ip);
}

int32_t
lsock_raw_connect(struct raw_pcb *pcb, const struct lsock_addr *a)
{
  ip_addr_t ip;

  if(a->family == 0){
    raw_disconnect(pcb);
    return ERR_OK;
  }
  lsock_to_ip(a, &ip);
  return raw_connect(pcb, &ip);
}

// lwIP adds the ICMPv6 checksum to whatever the field holds: clear it first,
// so the program's value there does not matter (as on Linux). The caller
// checked that the message has the field.
static void
clear_chksum(struct raw_pcb *pcb, struct pbuf *p)
{
  if(pcb->chksum_reqd && p->len >= pcb->chksum_offset + 2)
    memset((char*)p->payload + pcb->chksum_offset, 0, 2);
}

int32_t
lsock_raw_send_user(struct raw_pcb *pcb, uint64_t src, uint32_t len,
                    const struct lsock_addr *to)
{
  struct pbuf *p;
  ip_addr_t ip;
  err_t err;

  // PBUF_IP leaves room in front for the IP header raw_sendto writes
  if((err = user_pbuf(PBUF_IP, src, len, &p)) != 0)
    return err;
  clear_chksum(pcb, p);
  if(to){
    lsock_to_ip(to, &ip);
    err = raw_sendto(pcb, p, &ip);
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
  clear_chksum(pcb, p);
  err = raw_send(pcb, p);
  pbuf_free(p);
  return err;
}

void
lsock_raw_addrs(struct raw_pcb *pcb, struct lsock_addr *local, struct lsock_addr *remote)
{
  lsock_from_ip(&pcb->local_ip, 0, local);
  lsock_from_ip(&pcb->remote_ip, 0, remote);
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
