// net.c: network bring-up, the network lock, and lwIP's clock.
//
// QEMU: -netdev user,id=net0,... -device <a NIC>,netdev=net0 (make qemu NIC=...)
// NIC drivers (Sources/Drivers) register each card through netdev.h; the
// glue (Net/lwip_netif.c) turns frames into lwIP pbufs; lwIP (NO_SYS, raw
// API) runs the protocols. Registering starts DHCP and returns at once: the
// lease arrives while the shell starts, and the status callback prints it.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "defs.h"

#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/dhcp6.h"
#include "lwip/nd6.h"
#include "lwip/priv/nd6_priv.h"   // default_router_list: the router netinfo shows
#include "lwip/prot/nd6.h"        // ND6_RA_FLAG_OTHER_CONFIG
#include "lwip/timeouts.h"
#include "lwip/stats.h"
#include "lwip/memp.h"
#include "netif/ethernet.h"
#include "lwip_glue.h"   // Net/: the glue, port and guards
#include "socket_exports.h"   // sock_dgram_drops (the Swift socket layer)

// The network lock guards ALL lwIP state (pcbs, pbufs, pools, timeouts, the
// netifs), the NIC drivers (their rings, buffers and counters) and the
// interface table below.
// Rules:
//  - lwIP and the drivers are entered only with it held: a NIC's interrupt
//    (net_intr), the timer (net_timer), system calls (via net_lock()).
//  - Take it with acquire(): interrupts stay off on this hart while it is held,
//    so a NIC interrupt or the tick can never spin on it here. (The
//    tick only tries it: net_timer skips a tick rather than spin.)
//  - Never hold it across a sleep, except through sleep(chan, &netlock)
//    (net_sleep), which releases it while asleep.
//  - Lock order: netlock before any proc lock (wakeup() from lwIP callbacks
//    takes p->lock inside it); never take netlock while holding a proc lock.
struct spinlock netlock;

// Let go of netlock, after telling the NICs about what lwIP sent while it was
// held: frames wait in the driver's ring until then (netdev.h, tx_flush), so
// every release of netlock, and every sleep with it, goes through here.
static void
net_release(void)
{
  lwip_glue_flush();
  release(&netlock);
}

// The interfaces en0..en(ndevs-1), in the order the drivers registered them
// (main.c's probe order). Slots are filled on the boot hart; ndevs and the
// per-interface state change only with netlock held.
static struct netdev devs[NETDEV_MAX];
static struct netif netifs[NETDEV_MAX];
static int ndevs;
static struct {
  uint32 addr;      // address of the last lease printed, 0 if none
  uint64 ms;        // uptime_ms() at that lease
  uint32 dns;       // the DNS server that lease named
  uint64 ip6_ms;    // uptime_ms() when a global IPv6 address became preferred
  ip6_addr_t dns6;  // the IPv6 DNS server the RA or DHCPv6 on it named
  int ip6_shown;    // the IPv6 line was printed (with dns6 if known then)
  int ip6_waiting;  // a global address is ready; the line waits for dns6
  int dhcp6_asked;  // a router answered: DHCPv6 was asked for DNS if need be
} leases[NETDEV_MAX];
static int net_up;          // 1 once lwIP is initialised (the timer checks it)

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
  struct netdev *dev = netif->state;
  int i = dev->index;
  uint32 a = ip4_addr_get_u32(netif_ip4_addr(netif));
  const ip_addr_t *dns = dns_getserver(0);
  const uint8 *mac = dev->mac;

  if(a == 0 || !netif_is_up(netif)){
    if(leases[i].addr != 0)
      printf("en%d: address released\n", i);
    leases[i].addr = 0;
    return;
  }
  if(a == leases[i].addr)
    return;
  leases[i].addr = a;
  leases[i].ms = uptime_ms();
  // lwIP keeps one DNS server list for all interfaces (and both families:
  // an IPv6 server may sit in slot 0 if this ack named none), and each DHCP ack
  // overwrites it just before this callback: what it holds now is this
  // lease's server. Keep it per interface (the resolver asks en0's).
  leases[i].dns = dns && IP_IS_V4(dns) ? ip4_addr_get_u32(ip_2_ip4(dns)) : 0;
  // One printf for the whole line: the console lock is per call, so a line
  // built from several calls can be split by another hart's message.
  char addr[16], gw[16], server[16];
  format_ip(addr, sizeof(addr), a);
  format_ip(gw, sizeof(gw), ip4_addr_get_u32(netif_ip4_gw(netif)));
  format_ip(server, sizeof(server), leases[i].dns);
  printf("en%d: %02x:%02x:%02x:%02x:%02x:%02x %s/%d gw %s dns %s (lease after %d ms)\n",
         i, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], addr,
         prefixlen(ip4_addr_get_u32(netif_ip4_netmask(netif))), gw, server,
         (int)leases[i].ms);
}

// ---- IPv6 ------------------------------------------------------------------------
// Each interface gets a link-local address (fe80:: + the EUI-64 of its MAC) at
// registration, sends a router solicitation, and configures a global address
// from the prefix the router advertises (SLAAC). Either becomes usable once
// duplicate address detection is done, about a second later. The DNS server
// comes from the advertisement's RDNSS option or, when its O flag says so,
// from a stateless DHCPv6 exchange.

// Formats an IPv6 address as RFC 5952 says: lowercase hex, no leading zeros,
// the longest run of two or more zero groups (the first, if tied) as "::".
static void
format_ip6(char *buf, int size, const ip6_addr_t *a)
{
  uint16 g[8];
  int best = -1, bestlen = 1, n = 0;

  for(int k = 0; k < 8; k++)
    g[k] = lwip_ntohs((uint16)(a->addr[k / 2] >> (16 * (k % 2))));
  for(int k = 0; k < 8; ){
    int len = 0;
    while(k + len < 8 && g[k + len] == 0)
      len++;
    if(len > bestlen){
      best = k;
      bestlen = len;
    }
    k += len ? len : 1;
  }
  buf[0] = 0;
  for(int k = 0; k < 8 && n < size; k++){
    if(k == best){
      n += snprintf(buf + n, size - n, "::");
      k += bestlen - 1;
      continue;
    }
    n += snprintf(buf + n, size - n, "%s%x", (k > 0 && k != best + bestlen) ? ":" : "", g[k]);
  }
}

// The first default router lwIP learned on netif, or 0.
static struct nd6_router_list_entry*
router_of(struct netif *netif)
{
  for(int k = 0; k < LWIP_ND6_NUM_ROUTERS; k++){
    struct nd6_router_list_entry *r = &default_router_list[k];
    if(r->neighbor_entry != 0 && r->neighbor_entry->netif == netif)
      return r;
  }
  return 0;
}

// The global address line, once per interface: printed when the first global
// address is preferred (after DAD), beside the DHCP lease line.
static void
ip6_print(int i, struct netif *netif)
{
  struct nd6_router_list_entry *r;
  char line[200], addr[48];
  int n, k;

  n = snprintf(line, sizeof(line), "en%d: inet6", i);
  // global addresses first, then the link-local one
  for(int pass = 0; pass < 2; pass++)
    for(k = 0; k < LWIP_IPV6_NUM_ADDRESSES; k++){
      const ip6_addr_t *a = netif_ip6_addr(netif, k);
      if(!ip6_addr_isvalid(netif_ip6_addr_state(netif, k)) ||
         (pass == 0) == (ip6_addr_islinklocal(a) != 0))
        continue;
      format_ip6(addr, sizeof(addr), a);
      n += snprintf(line + n, sizeof(line) - n, " %s/64", addr);
    }
  if((r = router_of(netif)) != 0){
    format_ip6(addr, sizeof(addr), &r->neighbor_entry->next_hop_address);
    n += snprintf(line + n, sizeof(line) - n, " router %s", addr);
  }
  if(!ip6_addr_isany(&leases[i].dns6)){
    format_ip6(addr, sizeof(addr), &leases[i].dns6);
    n += snprintf(line + n, sizeof(line) - n, " dns %s", addr);
  }
  printf("%s (after %d ms)\n", line, (int)leases[i].ip6_ms);
}

static void
ip6_show(int i, struct netif *netif)
{
  leases[i].ip6_waiting = 0;
  leases[i].ip6_shown = 1;
  ip6_print(i, netif);
}

// The DNS server did not come within a second: print the line without it
// (it follows on a line of its own if it comes later).
static void
ip6_print_late(void *arg)
{
  struct netif *netif = arg;
  struct netdev *dev = netif->state;

  if(leases[dev->index].ip6_waiting)
    ip6_show(dev->index, netif);
}

// lwIP's extended status callback: an IPv6 address changed state. The first
// time a global address is preferred, note when and print the line.
static void
net_ext_status(struct netif *netif, netif_nsc_reason_t reason,
               const netif_ext_callback_args_t *args)
{
  struct netdev *dev = netif->state;
  int i, k;

  if(!(reason & LWIP_NSC_IPV6_ADDR_STATE_CHANGED) || netif->name[0] != 'e' || dev == 0)
    return;
  i = dev->index;
  k = args->ipv6_addr_state_changed.addr_index;
  if(k < 0 || k >= LWIP_IPV6_NUM_ADDRESSES || leases[i].ip6_shown ||
     leases[i].ip6_waiting || ip6_addr_islinklocal(netif_ip6_addr(netif, k)) ||
     !ip6_addr_ispreferred(netif_ip6_addr_state(netif, k)))
    return;
  leases[i].ip6_ms = uptime_ms();
  if(ip6_addr_isany(&leases[i].dns6)){
    // DHCPv6 needs the link-local address, which DAD has only just freed:
    // its answer is a round trip away. Wait for it, a second at most.
    leases[i].ip6_waiting = 1;
    sys_timeout(1000, ip6_print_late, netif);
    return;
  }
  ip6_show(i, netif);
}
NETIF_DECLARE_EXT_CALLBACK(ext_status_cb)

// Once the first router advertisement on an interface is in: if it named no
// DNS server (no RDNSS option) and did not set its O flag (lwIP then asks
// DHCPv6 itself), ask stateless DHCPv6 once anyway. A host with no other way
// to learn a DNS server loses one packet by asking; QEMU's user network is
// such a link (its advertisement carries neither, its DHCPv6 answers). The
// answer arrives well before duplicate address detection ends, so the
// address line can name the server.
static void
ask_dhcp6_for_dns(int i, struct netif *netif)
{
  struct nd6_router_list_entry *r = router_of(netif);

  if(r == 0)
    return;
  leases[i].dhcp6_asked = 1;
  if(ip6_addr_isany(&leases[i].dns6) && !(r->flags & ND6_RA_FLAG_OTHER_CONFIG))
    dhcp6_nd6_ra_trigger(netif, 0, 1);
}

// Every received frame enters lwIP here. lwIP keeps one DNS server list for
// all interfaces and families, and the RA's RDNSS option and the DHCPv6 reply
// write it from slot 0 while their packet is being handled: an IPv6 server
// that appears there during a frame was learned on that frame's interface.
// Costs two address copies and compares per frame.
static err_t
net_input(struct pbuf *p, struct netif *netif)
{
  struct netdev *dev = netif->state;
  ip_addr_t before[DNS_MAX_SERVERS];
  err_t err;

  for(int k = 0; k < DNS_MAX_SERVERS; k++)
    ip_addr_copy(before[k], *dns_getserver(k));
  err = ethernet_input(p, netif);
  for(int k = 0; k < DNS_MAX_SERVERS; k++){
    const ip_addr_t *d = dns_getserver(k);
    if(!IP_IS_V6(d) || ip6_addr_isany(ip_2_ip6(d)) || ip_addr_cmp(d, &before[k]) ||
       ip6_addr_cmp_zoneless(ip_2_ip6(d), &leases[dev->index].dns6))
      continue;
    ip6_addr_copy(leases[dev->index].dns6, *ip_2_ip6(d));
    ip6_addr_clear_zone(&leases[dev->index].dns6);
    if(leases[dev->index].ip6_waiting){
      sys_untimeout(ip6_print_late, netif);
      ip6_show(dev->index, netif);
    } else if(leases[dev->index].ip6_shown){   // learned after the line: say so
      char addr[48];
      format_ip6(addr, sizeof(addr), &leases[dev->index].dns6);
      printf("en%d: inet6 dns %s\n", dev->index, addr);
    }
    break;
  }
  if(!leases[dev->index].dhcp6_asked)
    ask_dhcp6_for_dns(dev->index, netif);
  return err;
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

// Called once from main() on hart 0, after the PLIC and the allocator and
// before the NIC drivers probe: lwIP and the loopback interface.
void
netinit(void)
{
  initlock(&netlock, "net");
  acquire(&netlock);
  lwip_init();
  loopback_checksums();
  netif_add_ext_callback(&ext_status_cb, net_ext_status);
  net_up = 1;
  release(&netlock);
}

// A slot for a driver to describe its device in (netdev.h). Boot hart only.
struct netdev*
netdev_alloc(void)
{
  if(!net_up || ndevs >= NETDEV_MAX)
    return 0;
  memset(&devs[ndevs], 0, sizeof(devs[ndevs]));
  return &devs[ndevs];
}

// Bring a driver's device up as interface enN: an lwIP netif, DHCP started,
// its irq routed. Returns N, or -1.
//
// Routing: the first interface (en0) carries the default route. lwIP sends
// to an address on a subnet some interface is on through that interface, and
// everything else through en0's gateway. With NIC=both the Makefile puts en1
// on a subnet of its own (10.0.3.0/24), so each reaches its own QEMU network.
int
netdev_register(struct netdev *dev)
{
  struct netif *netif;
  ip4_addr_t any;
  int i;

  if(dev != &devs[ndevs] || dev->ops.tx_buffer == 0 || dev->ops.tx_submit == 0 ||
     dev->ops.intr == 0 || dev->ops.get_stats == 0)
    return -1;
  acquire(&netlock);
  i = ndevs;
  netif = &netifs[i];
  dev->index = i;
  dev->stack = netif;
  ip4_addr_set_zero(&any);
  if(netif_add(netif, &any, &any, &any, dev, ethernetif_init, net_input) == 0){
    release(&netlock);
    printf("net: netif_add failed for %s\n", dev->model);
    return -1;
  }
  netif->num = i;            // "en0" whatever lo took: names follow our table
  ndevs++;
  netif_set_status_callback(netif, net_status);
  if(i == 0)
    netif_set_default(netif);
  netif_set_up(netif);
  if(dev->link_up)
    netif_set_link_up(netif);
  if(dhcp_start(netif) != ERR_OK)
    printf("en%d: dhcp_start failed\n", i);
  // IPv6: the link-local address from the MAC (EUI-64), then SLAAC from the
  // router's advertisement; stateless DHCPv6 runs if the advertisement asks.
  netif_create_ip6_linklocal_address(netif, 1);
  netif_set_ip6_autoconfig_enabled(netif, 1);
  if(dhcp6_enable_stateless(netif) != ERR_OK)
    printf("en%d: dhcp6_enable_stateless failed\n", i);
  net_release();
  plic_enable(dev->irq);     // after the table holds it: its interrupt may come at once
  return i;
}

// After the probes: say so if no card was found (the shell still starts).
void
net_probed(void)
{
  if(ndevs == 0)
    printf("net: no network card found (QEMU: -device <nic>,netdev=...)\n");
}

// A PLIC interrupt: run the interrupt op of every NIC on that irq (PCI INTx
// lines may be shared). Returns 1 if any NIC is on it.
int
net_intr(int irq)
{
  int mine = 0;

  if(!net_up)
    return 0;
  acquire(&netlock);
  for(int i = 0; i < ndevs; i++)
    if(devs[i].irq == irq){
      devs[i].ops.intr(&devs[i]);
      mine = 1;
    }
  net_release();
  return mine;
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
//
// An interface whose device inserts TCP checksums (netdev.h's offloads) gets
// TCP segments from lwIP without one, and those to its own address come back
// here, never having met the device, onto an interface that checks TCP
// checksums. While the queue is fed nothing else enters lwIP (netlock held,
// receive runs under it too), so that check is off for exactly these packets,
// which never left memory (as on lo).
static int
net_loop_poll(void)
{
  struct netif *n;
  int queued = 0;
  uint32_t unchecked = 0;   // by netif index: CHECK_TCP cleared here

  if(!net_up)
    return 0;
  NETIF_FOREACH(n)
    if(n->loop_first != 0)
      queued = 1;
  if(!queued)
    return 0;
  NETIF_FOREACH(n)
    if((n->chksum_flags & (NETIF_CHECKSUM_GEN_TCP | NETIF_CHECKSUM_CHECK_TCP)) ==
       NETIF_CHECKSUM_CHECK_TCP && netif_get_index(n) < 32){
      n->chksum_flags &= ~NETIF_CHECKSUM_CHECK_TCP;
      unchecked |= 1u << netif_get_index(n);
    }
  netif_poll_all();
  lwip_newreno_after_input();
  NETIF_FOREACH(n)
    if(netif_get_index(n) < 32 && (unchecked & (1u << netif_get_index(n))))
      n->chksum_flags |= NETIF_CHECKSUM_CHECK_TCP;
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
  net_release();
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
  net_release();
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
  lwip_glue_flush();
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
  out->tcp_partial_rexmit = (uint32_t)lwip_newreno_retransmits();
  out->mss_ignored = lwip_mss_options_ignored();
}

// The IPv6 part of interface enN's netinfo. netlock held.
static void
netinfo_ip6(int index, struct netif *netif, struct netinfo *out)
{
  struct nd6_router_list_entry *r;

  for(int k = 0; k < LWIP_IPV6_NUM_ADDRESSES && k < NETINFO_IP6_ADDRS; k++){
    u8_t st = netif_ip6_addr_state(netif, k);
    struct netinfo_ip6 *o = &out->ip6[k];
    if(!ip6_addr_isvalid(st) && !ip6_addr_istentative(st) && !ip6_addr_isduplicated(st))
      continue;
    memmove(o->addr, netif_ip6_addr(netif, k)->addr, 16);
    o->prefixlen = 64;   // link-local, and SLAAC takes /64 prefixes only
    o->state = ip6_addr_istentative(st) ? NETINFO_IP6_TENTATIVE :
               ip6_addr_isduplicated(st) ? NETINFO_IP6_DUPLICATED :
               ip6_addr_isdeprecated(st) ? NETINFO_IP6_DEPRECATED : NETINFO_IP6_PREFERRED;
    o->valid_s = netif_ip6_addr_isstatic(netif, k) ? 0xffffffffu :
                 netif_ip6_addr_valid_life(netif, k);
  }
  if((r = router_of(netif)) != 0)
    memmove(out->ip6_router, r->neighbor_entry->next_hop_address.addr, 16);
  memmove(out->ip6_dns, leases[index].dns6.addr, 16);
  out->ip6_ms = leases[index].ip6_ms;
  out->ip6_recv = lwip_stats.ip6.recv;
  out->ip6_drop = lwip_stats.ip6.drop;
  out->ip6_frag_drop = lwip_stats.ip6_frag.drop;
  out->icmp6_drop = lwip_stats.icmp6.drop;
  out->nd6_drop = lwip_stats.nd6.drop;
  out->mld6_drop = lwip_stats.mld6.drop;
}

// Addresses and counters of interface enN for ifconfig. 0, or -1 past the last.
int
netinfo(int index, struct netinfo *out)
{
  struct netdev *dev;
  struct netif *netif;

  memset(out, 0, sizeof(*out));
  acquire(&netlock);
  if(index < 0 || index >= ndevs){
    release(&netlock);
    return -1;
  }
  dev = &devs[index];
  netif = &netifs[index];
  snprintf(out->name, sizeof(out->name), "en%d", index);
  safestrcpy(out->model, dev->model, sizeof(out->model));
  memmove(out->mac, dev->mac, sizeof(out->mac));
  out->up = netif_is_up(netif) ? 1 : 0;
  out->leased = dhcp_supplied_address(netif) ? 1 : 0;
  out->link_up = netif_is_link_up(netif) ? 1 : 0;
  out->is_default = netif_default == netif;
  out->addr = ip4_addr_get_u32(netif_ip4_addr(netif));
  out->netmask = ip4_addr_get_u32(netif_ip4_netmask(netif));
  out->gateway = ip4_addr_get_u32(netif_ip4_gw(netif));
  out->dns = leases[index].dns;
  out->mtu = netif->mtu;
  out->irq = dev->irq;
  out->lease_ms = leases[index].ms;
  netinfo_ip6(index, netif, out);
  dev->ops.get_stats(dev, &out->link);
  lwip_glue_get_stats(dev, &out->glue);
  out->pbuf_pool_used = lwip_stats.memp[MEMP_PBUF_POOL]->used;
  out->pbuf_pool_size = lwip_stats.memp[MEMP_PBUF_POOL]->avail;
  out->tcp_pcbs_used = lwip_stats.memp[MEMP_TCP_PCB]->used;
  out->udp_pcbs_used = lwip_stats.memp[MEMP_UDP_PCB]->used;
  out->heap_used = lwip_stats.mem.used;
  netinfo_drops(out);
  release(&netlock);
  return 0;
}
