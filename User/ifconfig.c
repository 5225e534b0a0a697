// ifconfig: show the network interfaces (en0, en1, ...): addresses from each
// DHCP lease, the IPv6 addresses (link-local, SLAAC), router and DNS server,
// the device and its MAC, MTU, the packet counters of the driver
// and the lwIP glue; then, once, lwIP's own and the datagram sockets' (together
// they account for every received frame).
//
//   ifconfig
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"

#include "abi/netinfo.h"   // struct netinfo (CShims/include/abi)
#include "kernel/../CShims/include/lwip_sock.h"

static char*
addr(uint32_t a)
{
  static char text[4][INET_ADDRSTRLEN];
  static int next;
  char *t = text[next++ % 4];

  inet_ntop(AF_INET, &a, t, INET_ADDRSTRLEN);
  return t;
}

static int
zero16(const uint8_t *a)
{
  for(int i = 0; i < 16; i++)
    if(a[i])
      return 0;
  return 1;
}

static char*
addr6(const uint8_t *a)
{
  static char text[2][INET6_ADDRSTRLEN];
  static int next;
  char *t = text[next++ % 2];

  if(zero16(a))
    return "-";
  inet_ntop(AF_INET6, a, t, INET6_ADDRSTRLEN);
  return t;
}

// The IPv6 addresses (as Linux's ifconfig: "inet6 ADDR/LEN scope link"), with
// their state when not simply usable and a valid lifetime when not forever;
// then the router and the DNS server. Nothing if the interface has none.
static void
show_ipv6(struct netinfo *ni)
{
  static const char *states[] = { "", "", "", " deprecated", " duplicate" };
  struct netinfo_ip6 *a;
  int any = 0;

  for(int i = 0; i < NETINFO_IP6_ADDRS; i++){
    a = &ni->ip6[i];
    if(a->state == NETINFO_IP6_INVALID)
      continue;
    any = 1;
    printf("        inet6 %s/%d scope %s%s", addr6(a->addr), a->prefixlen,
           a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80 ? "link" : "global",
           a->state == NETINFO_IP6_TENTATIVE ? " tentative" :
           a->state < 5 ? states[a->state] : " (unknown state)");
    if(a->valid_s != 0xffffffff && a->addr[0] != 0xfe)
      printf("  valid %ds", (int)a->valid_s);
    printf("\n");
  }
  if(any || !zero16(ni->ip6_router) || !zero16(ni->ip6_dns))
    printf("        ipv6 router %s  dns %s\n", addr6(ni->ip6_router), addr6(ni->ip6_dns));
}

// One interface: addresses, device, link counters and the glue's drops.
static void
show_interface(struct netinfo *ni)
{
  int up = uptime() * 10;
  uint64 rxdrop, txdrop;

  printf("%s: flags=%s%s%s  mtu %d\n", ni->name, ni->up ? "UP,BROADCAST" : "DOWN",
         ni->link_up ? ",RUNNING" : ",NO-CARRIER", ni->is_default ? ",DEFAULT" : "", ni->mtu);
  printf("        device %s  irq %d\n", ni->model, ni->irq);
  printf("        inet %s  netmask %s\n", addr(ni->addr), addr(ni->netmask));
  printf("        gateway %s  dns %s\n", addr(ni->gateway), addr(ni->dns));
  show_ipv6(ni);
  printf("        ether %02x:%02x:%02x:%02x:%02x:%02x\n", ni->mac[0], ni->mac[1], ni->mac[2],
         ni->mac[3], ni->mac[4], ni->mac[5]);
  if(ni->leased)
    printf("        dhcp lease since %d ms after boot (%d s ago)\n",
           (int)ni->lease_ms, (int)((up - (int)ni->lease_ms) / 1000));
  else
    printf("        dhcp: no lease\n");
  rxdrop = ni->link.rx_drops + ni->glue.rx_nomem + ni->glue.rx_badlen;
  txdrop = ni->link.tx_drops + ni->glue.tx_nobuf + ni->glue.tx_toolong;
  printf("        RX packets %d  bytes %d  errors %d  dropped %d\n",
         (int)ni->link.rx_packets, (int)ni->link.rx_bytes, (int)ni->link.rx_errors, (int)rxdrop);
  printf("        TX packets %d  bytes %d  errors %d  dropped %d\n",
         (int)ni->link.tx_packets, (int)ni->link.tx_bytes, (int)ni->link.tx_errors, (int)txdrop);
}

// The stack's counters, once (the same in every interface's netinfo).
static void
show_stack(struct netinfo *ni)
{
  struct lsock_memstats mem;

  printf("        lwip: pbuf pool %d/%d  tcp pcbs %d  udp pcbs %d  heap %d bytes\n",
         ni->pbuf_pool_used, ni->pbuf_pool_size, ni->tcp_pcbs_used, ni->udp_pcbs_used,
         (int)ni->heap_used);
  // where received frames went after the glue: lwIP's counters, then the sockets'
  printf("        lwip in: ip %d  udp %d  udp/raw socket drops %d\n",
         ni->ip_recv, ni->udp_recv, (int)ni->sock_dgram_drops);
  printf("        lwip drops: arp %d  ip %d (checksum %d, frag %d)  icmp %d\n",
         ni->etharp_drop, ni->ip_drop, ni->ip_chkerr, ni->ip_frag_drop, ni->icmp_drop);
  printf("        lwip drops: udp %d (checksum %d, no port %d)  tcp %d (checksum %d)\n",
         ni->udp_drop, ni->udp_chkerr, ni->udp_noport, ni->tcp_drop, ni->tcp_chkerr);
  printf("        lwip ipv6: in %d  drops %d (frag %d)  icmp6 %d  nd6 %d  mld6 %d\n",
         ni->ip6_recv, ni->ip6_drop, ni->ip6_frag_drop, ni->icmp6_drop, ni->nd6_drop,
         ni->mld6_drop);
  printf("        lwip alloc failures: pbuf pool %d  other pools %d  heap %d\n",
         ni->pbuf_pool_err, ni->memp_err, ni->heap_err);
  printf("        tcp syn: half-open aborted for room %d  TIME_WAIT reopened %d  "
         "MSS outside a SYN ignored %d\n",
         (int)ni->syn_evictions, (int)ni->timewait_reuses, (int)ni->mss_ignored);
  printf("        tcp recovery: resent on a partial ack %d\n", (int)ni->tcp_partial_rexmit);
  // receive memory: what sockets keep in the pool and in rings of their own
  if(netinfo(NETINFO_MEM, &mem, 0) == 0)
    printf("        receive memory: sockets hold %d pool pbufs, %d ring pages; copied %d; "
           "out-of-order dropped for pool %d\n", mem.sock_pool_pbufs, mem.sock_ring_pages,
           (int)mem.rx_copied, (int)ni->ooseq_drops);
}

int
main(int argc, char *argv[])
{
  struct netinfo ni;
  int n;

  if(argc > 1){
    fprintf(2, "usage: ifconfig\n");
    exit(2);
  }
  for(n = 0; netinfo(NETINFO_IF, &ni, n) == 0; n++)
    show_interface(&ni);
  if(n == 0){
    fprintf(2, "ifconfig: no network interface (%s)\n", strerror(errno));
    exit(1);
  }
  show_stack(&ni);
  return 0;
}
