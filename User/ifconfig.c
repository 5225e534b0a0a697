// ifconfig: show the network interface: addresses from the DHCP lease, the
// MAC, MTU, and the packet counters of the driver, the lwIP glue, lwIP itself
// and the datagram sockets (together they account for every received frame).
//
//   ifconfig
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"

// struct netinfo is in a kernel header whose netinfo() prototype differs from
// the user's: rename that prototype out of the way while including it.
#define netinfo kernel_netinfo_decl
#include "kernel/../CShims/include/lwip_glue.h"
#undef netinfo
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

int
main(int argc, char *argv[])
{
  struct kernel_netinfo_decl ni;
  struct lsock_memstats mem;
  uint64 rxdrop, txdrop;
  int up;

  if(argc > 1){
    fprintf(2, "usage: ifconfig\n");
    exit(2);
  }
  if(netinfo(NETINFO_IF, &ni, 0) < 0){
    fprintf(2, "ifconfig: no network interface (%s)\n", strerror(errno));
    exit(1);
  }
  up = uptime() * 10;
  printf("net0: flags=%s  mtu %d\n", ni.up ? "UP,BROADCAST,RUNNING" : "DOWN", ni.mtu);
  printf("        inet %s  netmask %s\n", addr(ni.addr), addr(ni.netmask));
  printf("        gateway %s  dns %s\n", addr(ni.gateway), addr(ni.dns));
  printf("        ether %02x:%02x:%02x:%02x:%02x:%02x\n", ni.mac[0], ni.mac[1], ni.mac[2],
         ni.mac[3], ni.mac[4], ni.mac[5]);
  if(ni.leased)
    printf("        dhcp lease since %d ms after boot (%d s ago)\n",
           (int)ni.lease_ms, (int)((up - (int)ni.lease_ms) / 1000));
  else
    printf("        dhcp: no lease\n");
  rxdrop = ni.link.rx_drops + ni.glue.rx_nomem + ni.glue.rx_badlen;
  txdrop = ni.link.tx_drops + ni.glue.tx_nobuf + ni.glue.tx_toolong;
  printf("        RX packets %d  bytes %d  errors %d  dropped %d\n",
         (int)ni.link.rx_packets, (int)ni.link.rx_bytes, (int)ni.link.rx_errors, (int)rxdrop);
  printf("        TX packets %d  bytes %d  errors %d  dropped %d\n",
         (int)ni.link.tx_packets, (int)ni.link.tx_bytes, (int)ni.link.tx_errors, (int)txdrop);
  printf("        lwip: pbuf pool %d/%d  tcp pcbs %d  udp pcbs %d  heap %d bytes\n",
         ni.pbuf_pool_used, ni.pbuf_pool_size, ni.tcp_pcbs_used, ni.udp_pcbs_used,
         (int)ni.heap_used);
  // where received frames went after the glue: lwIP's counters, then the sockets'
  printf("        lwip in: ip %d  udp %d  udp/raw socket drops %d\n",
         ni.ip_recv, ni.udp_recv, (int)ni.sock_dgram_drops);
  printf("        lwip drops: arp %d  ip %d (checksum %d, frag %d)  icmp %d\n",
         ni.etharp_drop, ni.ip_drop, ni.ip_chkerr, ni.ip_frag_drop, ni.icmp_drop);
  printf("        lwip drops: udp %d (checksum %d, no port %d)  tcp %d (checksum %d)\n",
         ni.udp_drop, ni.udp_chkerr, ni.udp_noport, ni.tcp_drop, ni.tcp_chkerr);
  printf("        lwip alloc failures: pbuf pool %d  other pools %d  heap %d\n",
         ni.pbuf_pool_err, ni.memp_err, ni.heap_err);
  printf("        tcp syn: half-open aborted for room %d  TIME_WAIT reopened %d\n",
         (int)ni.syn_evictions, (int)ni.timewait_reuses);
  // receive memory: what sockets keep in the pool and in rings of their own
  if(netinfo(NETINFO_MEM, &mem, 0) == 0)
    printf("        receive memory: sockets hold %d pool pbufs, %d ring pages; copied %d; "
           "out-of-order dropped for pool %d\n", mem.sock_pool_pbufs, mem.sock_ring_pages,
           (int)mem.rx_copied, (int)ni.ooseq_drops);
  return 0;
}
