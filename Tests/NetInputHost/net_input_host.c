// net_input_host.c: the kernel's netif glue (Net/lwip_netif.c,
// compiled here unchanged against Debian's lwIP headers) and what it needs
// underneath it on the host, for the malformed-frame test.
//
// The interface's struct netdev (CShims/include/netdev.h) has ops that reach
// the test's VirtioNet over the fake device. Two names are redirected before
// the glue is included:
// - lwip_synguard: lwip_synguard.c needs TCP_LISTEN_BACKLOG (the listener's
//   accepts_pending), which Debian's lwIP is built without, so it cannot be
//   compiled against these headers; a no-op stands in (it only ever aborts
//   half-open connections of a full listener).
// - pbuf_alloc (after lwIP's headers, so only the glue's call): counted.
// Net/lwip_newreno.c needs a pcb ext arg (LWIP_TCP_PCB_NUM_EXT_ARGS), which
// Debian's lwIP is also built without: no-ops stand in below (it only ever
// resends a segment on a partial ACK, which no malformed frame is).
//
// The kernel's lwIP calls lwip_seqguard (Net/lwip_seqguard.c, also
// compiled here) from inside tcp_input through LWIP_HOOK_TCP_INPACKET_PCB;
// Debian's lwIP is built without that hook and asserts "insane offset!" on
// Tests/fuzz-corpus/regress/crash-1f679258c241. So the netif's input runs the
// same function on the frame first (guarded_input), with the connection
// tcp_input would pick; otherwise the input is lwIP's ethernet_input, as in
// Kernel/net.c.
#define lwip_synguard nih_synguard_stub

#define _GNU_SOURCE   // RTLD_NEXT
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/def.h"
#include "lwip/pbuf.h"
#include "lwip/mem.h"
#include "lwip/memp.h"
#include "lwip/stats.h"
#include "lwip/snmp.h"
#include "lwip/etharp.h"
#include "netif/ethernet.h"
#include "lwip/netif.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/udp.h"
#include "lwip/ip4_frag.h"
#include "lwip/tcpip.h"
#include "lwip/sys.h"
#include "../../Net/lwip_glue.h"
#include "sockets_host.h"
#include "net_input_host.h"

static struct pbuf *counted_alloc(pbuf_layer l, u16_t len, pbuf_type type);
#define pbuf_alloc counted_alloc
#include "../../Net/lwip_netif.c"
#undef pbuf_alloc
#include "../../Net/lwip_seqguard.c"
#include "../../Net/lwip_ndguard.c"

void lwip_newreno_input(struct tcp_pcb *pcb, const struct tcp_hdr *hdr) { (void)pcb; (void)hdr; }
void lwip_newreno_after_input(void) {}

static nih_tx_buffer_fn tx_buffer_hook;
static nih_tx_submit_fn tx_submit_hook;
static struct netif en0;
static struct netdev en0_dev;   // the glue reaches the driver through its ops
static uint32_t tx_next_seq;

// ---- pool accounting ----------------------------------------------------------------
// Debian's lwIP has no LWIP_STATS and takes every pool element from malloc
// (MEMP_MEM_MALLOC), but it calls memp_malloc/memp_free and mem_malloc/mem_free
// through the PLT, so these definitions (the executable's come first) see
// every allocation and pass it on to lwIP's own (RTLD_NEXT). That yields what
// lwip_stats.memp[i]->used would say, per pool, plus the heap's live blocks.
// Counting only; the parent test process (SocketsTests) goes through them too.
static int64_t pool_used[MEMP_MAX + 1];   // [MEMP_MAX]: heap blocks
static uint64_t glue_allocs;

static void *
lwip_next(const char *name)
{
  void *f = dlsym(RTLD_NEXT, name);

  if(f == NULL)
    abort();
  return f;
}

void *
memp_malloc(memp_t type)
{
  static void *(*real)(memp_t);
  void *m;

  if(real == NULL)
    real = (void *(*)(memp_t))lwip_next("memp_malloc");
  m = real(type);
  if(m != NULL && type < MEMP_MAX)
    __atomic_add_fetch(&pool_used[type], 1, __ATOMIC_RELAXED);
  return m;
}

void
memp_free(memp_t type, void *mem)
{
  static void (*real)(memp_t, void *);

  if(real == NULL)
    real = (void (*)(memp_t, void *))lwip_next("memp_free");
  if(mem != NULL && type < MEMP_MAX)
    __atomic_sub_fetch(&pool_used[type], 1, __ATOMIC_RELAXED);
  real(type, mem);
}

void *
mem_malloc(mem_size_t size)
{
  static void *(*real)(mem_size_t);
  void *m;

  if(real == NULL)
    real = (void *(*)(mem_size_t))lwip_next("mem_malloc");
  m = real(size);
  if(m != NULL)
    __atomic_add_fetch(&pool_used[MEMP_MAX], 1, __ATOMIC_RELAXED);
  return m;
}

void
mem_free(void *mem)
{
  static void (*real)(void *);

  if(real == NULL)
    real = (void (*)(void *))lwip_next("mem_free");
  if(mem != NULL)
    __atomic_sub_fetch(&pool_used[MEMP_MAX], 1, __ATOMIC_RELAXED);
  real(mem);
}

uint32_t
nih_pools(int64_t *used, uint32_t n)
{
  uint32_t i;
  int64_t v, pooled = 0;

  for(i = 0; i < n && i <= MEMP_MAX; i++){
    v = __atomic_load_n(&pool_used[i], __ATOMIC_RELAXED);
    if(i < MEMP_MAX)
      pooled += v;
    else
      v -= pooled;   // memp.c takes each element from mem_malloc: not the heap's own
    used[i] = v;
  }
  return MEMP_MAX + 1;
}

const char *
nih_pool_name(uint32_t i)
{
  static const char *names[] = {
#define LWIP_MEMPOOL(name, num, size, desc) #name,
#include "lwip/priv/memp_std.h"
    "heap",
  };
  return i <= MEMP_MAX ? names[i] : "?";
}

uint32_t nih_pool_index(const char *name)
{
  uint32_t i;

  for(i = 0; i <= MEMP_MAX; i++)
    if(strcmp(nih_pool_name(i), name) == 0)
      return i;
  return MEMP_MAX + 1;
}

// The glue's pbuf_alloc: counted, to tell frames lwIP got from those the glue
// dropped. PBUF_POOL becomes PBUF_RAM: Debian's liblwip (2.1.3+dfsg1-2) is
// broken there. Its PBUF_POOL elements are 616 bytes (a 592-byte buffer), yet
// the first pbuf of pbuf_alloc(PBUF_RAW, n, PBUF_POOL) claims more, so
// pbuf_take_at of any frame over 592 bytes writes past the element (ASan:
// heap-buffer-overflow in pbuf_take_at, with lwIP alone, no glue involved).
// The kernel's own lwIP build is not affected. A PBUF_RAM pbuf is one block
// of exactly the frame's size, which lwIP's input handles the same way.
static struct pbuf *
counted_alloc(pbuf_layer l, u16_t len, pbuf_type type)
{
  struct pbuf *p = pbuf_alloc(l, len, type == PBUF_POOL ? PBUF_RAM : type);

  if(p != NULL)
    glue_allocs++;
  return p;
}

uint64_t nih_rx_pbufs_allocated(void) { return glue_allocs; }

// ---- what the glue calls: en0_dev's ops -----------------------------------------------
static void *nih_glue_tx_buffer(struct netdev *dev) { (void)dev; return tx_buffer_hook(); }

// Remember where our TCP sequence space is (as tools/fuzz/fuzz_netif.c does).
static void
nih_glue_tx_submit(struct netdev *dev, void *buf, uint32_t len)
{
  const uint8_t *f = buf;
  uint32_t ihl, t, seq, dlen;

  (void)dev;
  if(len >= 14 + 20 && f[12] == 0x08 && f[13] == 0x00 && f[23] == 6){
    ihl = (f[14] & 0xf) * 4;
    t = 14 + ihl;
    if(len >= t + 20){
      seq = (uint32_t)f[t+4] << 24 | f[t+5] << 16 | f[t+6] << 8 | f[t+7];
      dlen = ((uint32_t)f[16] << 8 | f[17]) - ihl - (f[t+12] >> 4) * 4;
      tx_next_seq = seq + dlen + ((f[t+13] & 0x03) ? 1 : 0);
    }
  }
  tx_submit_hook(buf, len);
}

void nih_synguard_stub(const uint8_t *frame, uint32_t len) { (void)frame; (void)len; }

uint32_t nih_tx_next_seq(void) { return tx_next_seq; }
void nih_lock(void) { LOCK_TCPIP_CORE(); }
void nih_unlock(void) { UNLOCK_TCPIP_CORE(); }
void nih_rx_frame(const void *frame, uint32_t len) { netdev_receive(&en0_dev, frame, len); }

void
nih_glue_stats(struct nih_glue_stats *out)
{
  struct lwip_glue_stats s;

  lwip_glue_get_stats(&en0_dev, &s);
  out->tx_nobuf = s.tx_nobuf;
  out->tx_toolong = s.tx_toolong;
  out->rx_nomem = s.rx_nomem;
  out->rx_badlen = s.rx_badlen;
}

// ---- the applications (tools/fuzz/fuzz_netif.c's) -----------------------------------
#include "../../tools/fuzz/peer_apps.h"

// ---- the kernel's TCP input hook, before the frame reaches lwIP ---------------------
static uint64_t seqguard_drops;

uint64_t nih_seqguard_drops(void) { return seqguard_drops; }

// tcp_input's choice for a segment: an active connection, else one in TIME_WAIT.
static struct tcp_pcb *
connection_for(const ip4_addr_t *src, const ip4_addr_t *dst, u16_t sport, u16_t dport)
{
  struct tcp_pcb *lists[2] = {tcp_active_pcbs, tcp_tw_pcbs};
  struct tcp_pcb *pcb;
  int i;

  for(i = 0; i < 2; i++)
    for(pcb = lists[i]; pcb != NULL; pcb = pcb->next)
      if(pcb->remote_port == sport && pcb->local_port == dport &&
         ip4_addr_cmp(ip_2_ip4(&pcb->remote_ip), src) &&
         ip4_addr_cmp(ip_2_ip4(&pcb->local_ip), dst))
        return pcb;
  return NULL;
}

// Whether lwip_seqguard would have tcp_input drop this frame: an unfragmented
// IPv4 TCP segment to en0 with a whole header, for a known connection.
static int
seqguard_rejects(struct pbuf *p)
{
  uint8_t f[14 + 60 + 20];
  uint32_t n, ihl, total, hl;
  ip4_addr_t src, dst;
  struct tcp_hdr h;
  struct pbuf payload;
  struct tcp_pcb *pcb;
  const uint8_t *t;

  n = pbuf_copy_partial(p, f, sizeof f, ETH_PAD_SIZE);
  if(n < 14 + 20 || f[12] != 0x08 || f[13] != 0x00 || (f[14] >> 4) != 4 || f[23] != IP_PROTO_TCP)
    return 0;
  ihl = (f[14] & 0x0f) * 4;
  total = (uint32_t)f[16] << 8 | f[17];
  if(ihl < 20 || total < ihl + 20 || n < 14 + ihl + 20 || ((f[20] & 0x3f) | f[21]) != 0)
    return 0;
  memcpy(&src, f + 26, 4);
  memcpy(&dst, f + 30, 4);
  if(!ip4_addr_cmp(&dst, netif_ip4_addr(&en0)))
    return 0;
  t = f + 14 + ihl;
  pcb = connection_for(&src, &dst, (u16_t)(t[0] << 8 | t[1]), (u16_t)(t[2] << 8 | t[3]));
  if(pcb == NULL)
    return 0;
  memset(&h, 0, sizeof h);   // host byte order, as tcp_input hands it to the hook
  h.src = (u16_t)(t[0] << 8 | t[1]);
  h.dest = (u16_t)(t[2] << 8 | t[3]);
  h.seqno = (u32_t)t[4] << 24 | (u32_t)t[5] << 16 | (u32_t)t[6] << 8 | t[7];
  h.ackno = (u32_t)t[8] << 24 | (u32_t)t[9] << 16 | (u32_t)t[10] << 8 | t[11];
  // the hook sees the segment's payload as tcp_input left it: only its length matters
  memset(&payload, 0, sizeof payload);
  hl = (t[12] >> 4) * 4;
  payload.tot_len = total > ihl + hl ? (u16_t)(total - ihl - hl) : 0;
  return lwip_seqguard(pcb, &h, &payload) != ERR_OK;
}

static err_t
guarded_input(struct pbuf *p, struct netif *netif)
{
  if(seqguard_rejects(p)){
    seqguard_drops++;
    pbuf_free(p);
    return ERR_OK;
  }
  return ethernet_input(p, netif);
}

void
nih_start(const uint8_t mac[6], nih_tx_buffer_fn buffer, nih_tx_submit_fn submit)
{
  ip4_addr_t addr, mask, gw;

  sockets_host_init();   // lwIP's one-time start (tcpip thread), shared with SocketsTests
  tx_buffer_hook = buffer;
  tx_submit_hook = submit;
  memcpy(en0_dev.mac, mac, 6);
  en0_dev.ops.tx_buffer = nih_glue_tx_buffer;
  en0_dev.ops.tx_submit = nih_glue_tx_submit;
  en0_dev.index = 0;
  en0_dev.stack = &en0;
  IP4_ADDR(&addr, 10, 0, 2, 15);
  IP4_ADDR(&mask, 255, 255, 255, 0);
  IP4_ADDR(&gw, 10, 0, 2, 2);
  LOCK_TCPIP_CORE();
  if(netif_add(&en0, &addr, &mask, &gw, &en0_dev, ethernetif_init, guarded_input) == NULL)
    abort();
  netif_set_default(&en0);
  netif_set_up(&en0);
  netif_set_link_up(&en0);   // the kernel does this when the driver reports a link
  peer_apps_listen();
  UNLOCK_TCPIP_CORE();
}

void
nih_connect_out(void)
{
  peer_connect_out();
}

// 20 s of lwIP's one-second timers: reassembly past IP_REASS_MAXAGE, ARP
// requests past ARP_MAXPENDING (their queued packets go), so what is still
// allocated after it is a leak. Answered ARP entries are refreshed by each
// exchange and outlive it (ARP_MAXAGE is 300 s).
void
nih_age(void)
{
  int i;

  lwip_persist_sweep();   // what Kernel/net.c's timer does first
  for(i = 0; i < 20; i++){
    ip_reass_tmr();
    etharp_tmr();
  }
}

void
nih_abort_connections(void)
{
  while(tcp_active_pcbs)
    tcp_abort(tcp_active_pcbs);
  while(tcp_tw_pcbs)
    tcp_abort(tcp_tw_pcbs);
}

static void
barrier(void *arg)
{
  sys_sem_signal((sys_sem_t *)arg);
}

// Frames lwIP sent to its own address wait on en0's loopback queue for the
// tcpip thread (LWIP_NETIF_LOOPBACK in Debian's build, with a TCPIP_MSG_API
// message). Let the thread catch up twice: a looped frame may loop another.
void
nih_settle(void)
{
  sys_sem_t sem;
  int i;

  if(sys_sem_new(&sem, 0) != ERR_OK)
    abort();
  for(i = 0; i < 2; i++)
    if(tcpip_callback(barrier, &sem) == ERR_OK)
      sys_sem_wait(&sem);
  sys_sem_free(&sem);
}

uint32_t
nih_tcp_pcbs(void)
{
  struct tcp_pcb *p;
  uint32_t n = 0;

  for(p = tcp_active_pcbs; p != NULL; p = p->next)
    n++;
  for(p = tcp_tw_pcbs; p != NULL; p = p->next)
    n++;
  return n;
}
