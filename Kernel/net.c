// net.c: network bring-up, the network lock, and lwIP's clock.
//
// QEMU: -netdev user,id=net0,... -device virtio-net-device,netdev=net0
// The Swift virtio-net driver moves frames; CShims/kernel/lwip_netif.c turns
// them into lwIP pbufs; lwIP (NO_SYS, raw API) runs the protocols. netinit()
// starts DHCP and returns at once: the lease arrives while the shell starts,
// and the status callback prints it.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "defs.h"

#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/timeouts.h"
#include "lwip/stats.h"
#include "lwip/memp.h"
#include "netif/ethernet.h"
#include "lwip_glue.h"

// The network lock guards ALL lwIP state (pcbs, pbufs, pools, timeouts, the
// netif) and the virtio-net driver (its rings, buffers and counters).
// Rules:
//  - lwIP and the driver are entered only with it held: the receive interrupt
//    (net_intr), the timer (net_timer), system calls (via net_lock()).
//  - Take it with acquire(): interrupts stay off on this hart while it is held,
//    so the receive interrupt or the tick can never spin on it here. (The
//    tick only tries it: net_timer skips a tick rather than spin.)
//  - Never hold it across a sleep, except through sleep(chan, &netlock)
//    (net_sleep), which releases it while asleep.
//  - Lock order: netlock before any proc lock (wakeup() from lwIP callbacks
//    takes p->lock inside it); never take netlock while holding a proc lock.
struct spinlock netlock;

int net_irq = -1;           // PLIC irq of the virtio-net device, or -1

static struct netif en0;    // the one interface, "en0"
static uint8 mac[6];        // en0's state: low_level_init reads it
static int net_up;          // 1 once lwIP is initialised (the timer checks it)
static uint32 lease_addr;   // address of the last lease printed, 0 if none
static uint64 lease_ms;     // uptime_ms() at that lease

static int
prefixlen(uint32 mask_be)
{
  uint32 m = lwip_ntohl(mask_be);
  int n = 0;

  while(m & 0x80000000u){
    n++;
    m <<= 1;
  }
  return n;
}

// Formats a network-order IPv4 address into buf as dotted decimal.
static void
format_ip(char *buf, int size, uint32 a)
{
  // network order: the first octet is the lowest byte
  snprintf(buf, size, "%d.%d.%d.%d", (int)(a & 0xff), (int)((a >> 8) & 0xff),
           (int)((a >> 16) & 0xff), (int)(a >> 24));
}

// netif status callback: runs on netif_set_up and whenever the address changes
// (DHCP sets mask and gateway before the address). Prints one line per lease.
static void
net_status(struct netif *netif)
{
  uint32 a = ip4_addr_get_u32(netif_ip4_addr(netif));
  const ip_addr_t *dns = dns_getserver(0);

  if(a == 0 || !netif_is_up(netif)){
    if(lease_addr != 0)
      printf("net0: address released\n");
    lease_addr = 0;
    return;
  }
  if(a == lease_addr)
    return;
  lease_addr = a;
  lease_ms = uptime_ms();
  // One printf for the whole line: the console lock is per call, so a line
  // built from several calls can be split by another hart's message.
  char addr[16], gw[16], server[16];
  format_ip(addr, sizeof(addr), a);
  format_ip(gw, sizeof(gw), ip4_addr_get_u32(netif_ip4_gw(netif)));
  format_ip(server, sizeof(server), dns ? ip4_addr_get_u32(ip_2_ip4(dns)) : 0);
  printf("net0: %02x:%02x:%02x:%02x:%02x:%02x %s/%d gw %s dns %s (lease after %d ms)\n",
         mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], addr,
         prefixlen(ip4_addr_get_u32(netif_ip4_netmask(netif))), gw, server,
         (int)lease_ms);
}

// lwIP's loopback netif (lo) computes only the checksums a program can see:
// the IP header and ICMP, which raw sockets (ping) read whole and verify. TCP
// and UDP go without (UDP's 0 means "none"), and nothing is checked on input.
static void
loopback_checksums(void)
{
  struct netif *n;

  NETIF_FOREACH(n)
    if(n->name[0] == 'l' && n->name[1] == 'o')
      NETIF_SET_CHECKSUM_CTRL(n, NETIF_CHECKSUM_GEN_IP | NETIF_CHECKSUM_GEN_ICMP);
}

// Called once from main() on hart 0, after the PLIC and the allocator.
void
netinit(void)
{
  ip4_addr_t any;
  int irq;

  initlock(&netlock, "net");
  acquire(&netlock);
  irq = virtio_net_init(mac);
  if(irq < 0){
    release(&netlock);
    printf("net: no virtio-net device\n");
    return;
  }
  net_irq = irq;
  lwip_port_seed(mac, sizeof(mac));
  lwip_init();
  loopback_checksums();
  ip4_addr_set_zero(&any);
  if(netif_add(&en0, &any, &any, &any, mac, ethernetif_init, ethernet_input) == 0)
    panic("netinit: netif_add");
  netif_set_status_callback(&en0, net_status);
  netif_set_default(&en0);
  netif_set_up(&en0);
  netif_set_link_up(&en0);
  if(dhcp_start(&en0) != ERR_OK)
    printf("net: dhcp_start failed\n");
  net_up = 1;
  release(&netlock);
  plic_enable(irq);
}

// PLIC interrupt of the virtio-net device.
void
net_intr(void)
{
  acquire(&netlock);
  virtio_net_intr();
  release(&netlock);
}

// acquire() that gives up instead of spinning: 1 with netlock held, 0 if busy.
// Same protocol as spinlock.c (interrupts off first, then the atomic swap), so
// release() undoes it. This hart cannot already hold netlock here: holding it
// keeps interrupts off, and only interrupt handlers call this.
static int
net_tryacquire(void)
{
  push_off();
  if(__sync_lock_test_and_set(&netlock.locked, 1) != 0){
    pop_off();
    return 0;
  }
  __sync_synchronize();
  netlock.cpu = mycpu();
  return 1;
}

// Feed lwIP the packets it looped back (to 127.0.0.1 or en0's own address):
// with NO_SYS it only queues them. Answers they cause (ACKs, more data) join
// the queue and are fed in the same call, until it is empty. netlock held, and
// never from inside lwIP (a callback): tcp_input is not reentrant. With nothing
// queued this is a pointer check per netif. Returns 1 if it fed any.
static int
net_loop_poll(void)
{
  struct netif *n;
  int queued = 0;

  if(!net_up)
    return 0;
  NETIF_FOREACH(n)
    if(n->loop_first != 0)
      queued = 1;
  if(queued)
    netif_poll_all();
  return queued;
}

// Every tick, from the timer interrupt on one hart: run lwIP timeouts that are
// due. With nothing due sys_check_timeouts is a clock read and one compare.
// If another hart is inside lwIP, skip this tick rather than spin in an
// interrupt handler (under TCG the holder's vCPU may not even be running);
// lwIP's timers are coarse (250 ms and up), so a tick late does not matter.
void
net_timer(void)
{
  if(!net_up || !net_tryacquire())
    return;
  lwip_persist_sweep();   // before lwIP's slow timer can assert (lwip_seqguard.c)
  sys_check_timeouts();
  net_loop_poll();        // what timers sent to ourselves (retransmissions)
  release(&netlock);
}

// For code outside this file (the socket layer) that enters lwIP.
void
net_lock(void)
{
  acquire(&netlock);
}

// A system call is done with lwIP: deliver what it sent to ourselves first,
// so a local peer sees it now rather than at the next tick.
void
net_unlock(void)
{
  net_loop_poll();
  release(&netlock);
}

// Sleep on chan with netlock held; netlock is released while asleep and held
// again on return. A killed process does not sleep (the socket layer checks
// killed() again on return). Looped packets are delivered first (a sender
// waiting for a local receiver's ACKs would otherwise wait for the tick); if
// there were any, return at once instead: what the caller waits for may have
// happened in them, and its wakeup is already past. Callers re-check in a loop.
void
net_sleep(void *chan)
{
  if(net_loop_poll())
    return;
  sleep_killable(chan, &netlock);
}

// The drop counters appended to struct netinfo: lwIP's (LWIP_STATS) and the
// socket layer's. netlock held.
static void
netinfo_drops(struct netinfo *out)
{
  int i;

  out->etharp_drop = lwip_stats.etharp.drop;
  out->ip_recv = lwip_stats.ip.recv;
  out->ip_drop = lwip_stats.ip.drop;
  out->ip_chkerr = lwip_stats.ip.chkerr;
#if IPFRAG_STATS
  out->ip_frag_drop = lwip_stats.ip_frag.drop;
#endif
  out->icmp_drop = lwip_stats.icmp.drop;
  out->udp_recv = lwip_stats.udp.recv;
  out->udp_drop = lwip_stats.udp.drop;
  out->udp_chkerr = lwip_stats.udp.chkerr;
  out->udp_noport = lwip_stats.udp.proterr;
  out->tcp_drop = lwip_stats.tcp.drop;
  out->tcp_chkerr = lwip_stats.tcp.chkerr;
  out->pbuf_pool_err = lwip_stats.memp[MEMP_PBUF_POOL]->err;
  for(i = 0; i < MEMP_MAX; i++)
    if(i != MEMP_PBUF_POOL)
      out->memp_err += lwip_stats.memp[i]->err;
  out->heap_err = lwip_stats.mem.err;
  out->sock_dgram_drops = sock_dgram_drops();
  out->syn_evictions = lwip_synguard_evictions();
  out->timewait_reuses = lwip_timewait_reuses();
  out->ooseq_drops = lwip_ooseq_pressure_drops();
}

// Addresses and counters for ifconfig. 0, or -1 if there is no device.
int
netinfo(struct netinfo *out)
{
  const ip_addr_t *dns;

  memset(out, 0, sizeof(*out));
  if(!net_up)
    return -1;
  acquire(&netlock);
  memmove(out->mac, mac, sizeof(mac));
  out->up = netif_is_up(&en0) ? 1 : 0;
  out->leased = dhcp_supplied_address(&en0) ? 1 : 0;
  out->addr = ip4_addr_get_u32(netif_ip4_addr(&en0));
  out->netmask = ip4_addr_get_u32(netif_ip4_netmask(&en0));
  out->gateway = ip4_addr_get_u32(netif_ip4_gw(&en0));
  dns = dns_getserver(0);
  out->dns = dns ? ip4_addr_get_u32(ip_2_ip4(dns)) : 0;
  out->mtu = en0.mtu;
  out->lease_ms = lease_ms;
  virtio_net_get_stats(&out->link);
  lwip_glue_get_stats(&out->glue);
  out->pbuf_pool_used = lwip_stats.memp[MEMP_PBUF_POOL]->used;
  out->pbuf_pool_size = lwip_stats.memp[MEMP_PBUF_POOL]->avail;
  out->tcp_pcbs_used = lwip_stats.memp[MEMP_TCP_PCB]->used;
  out->udp_pcbs_used = lwip_stats.memp[MEMP_UDP_PCB]->used;
  out->heap_used = lwip_stats.mem.used;
  netinfo_drops(out);
  release(&netlock);
  return 0;
}
