// abi/netinfo.h: what netinfo(NETINFO_IF, buf, N) gives a program about
// interface enN (system call 42; ifconfig, the resolver). Interfaces are
// numbered from 0 with no gaps: the first N with an error is past the last.
// Addresses are in network byte order as they sit in lwIP (first octet in
// the lowest byte).
#pragma once
#include <stdint.h>
#include "../netdev.h"   // struct netdev_stats, NETDEV_MODEL_MAX

// Frames the lwIP glue dropped on this interface (the driver's counters are separate).
struct lwip_glue_stats {
  uint64_t tx_nobuf;    // no free transmit buffer: frame dropped (TCP retransmits)
  uint64_t tx_toolong;  // a frame longer than NETDEV_FRAME_MAX
  uint64_t rx_nomem;    // pbuf pool empty: received frame dropped
  uint64_t rx_badlen;   // shorter than an Ethernet header or longer than NETDEV_RX_FRAME_MAX
};

// One IPv6 address of an interface (lwIP keeps NETINFO_IP6_ADDRS per netif:
// slot 0 is the link-local fe80:: address, the others SLAAC's).
#define NETINFO_IP6_ADDRS       3
#define NETINFO_IP6_INVALID     0     // the slot is empty
#define NETINFO_IP6_TENTATIVE   1     // duplicate address detection still running
#define NETINFO_IP6_PREFERRED   2
#define NETINFO_IP6_DEPRECATED  3     // still valid, no longer used for new connections
#define NETINFO_IP6_DUPLICATED  4     // DAD found another owner: unused
struct netinfo_ip6 {
  uint8_t addr[16];     // network byte order
  uint8_t state;        // NETINFO_IP6_*
  uint8_t prefixlen;    // 64 for link-local and SLAAC addresses, 128 for others
  uint8_t pad[2];
  uint32_t valid_s;     // seconds of valid lifetime left; 0xffffffff: forever
};

struct netinfo {
  char name[8];         // "en0"
  char model[NETDEV_MODEL_MAX];  // the driver's name for the device: "virtio-net", "e1000 (82540EM)"
  uint8_t mac[6];
  uint8_t up;           // 1 once the interface is up
  uint8_t leased;       // 1 while DHCP holds a lease
  uint8_t link_up;      // the device reports a link
  uint8_t is_default;   // 1 on the interface that carries the default route
  uint8_t pad[2];
  uint32_t addr, netmask, gateway, dns;
  uint32_t mtu;
  uint32_t irq;         // PLIC source of the device
  uint64_t lease_ms;    // uptime_ms() when the current lease arrived
  struct netdev_stats link;
  struct lwip_glue_stats glue;
  // From here on the stack's, the same on every interface.
  // lwIP's own usage (LWIP_STATS), for leak checks: all near zero when idle
  uint32_t pbuf_pool_used, pbuf_pool_size;
  uint32_t tcp_pcbs_used, udp_pcbs_used;
  uint64_t heap_used;
  // Where a received frame went after the glue, for exact accounting.
  // lwIP's counters (LWIP_STATS) are 16 bits inside lwIP: they wrap at 65536.
  uint32_t etharp_drop;     // ARP and unknown EtherTypes
  uint32_t ip_recv;         // IPv4 packets lwIP took in
  uint32_t ip_drop;         // not for us, bad header, reassembly failed, ...
  uint32_t ip_chkerr;       // IPv4 header checksum wrong (also in ip_drop)
  uint32_t ip_frag_drop;    // fragments given up on
  uint32_t icmp_drop;
  uint32_t udp_recv;        // UDP datagrams lwIP took in
  uint32_t udp_drop;        // bad length or checksum, no socket on the port
  uint32_t udp_chkerr;      // UDP checksum wrong (also in udp_drop)
  uint32_t udp_noport;      // no socket on the port (also in udp_drop)
  uint32_t tcp_drop;
  uint32_t tcp_chkerr;
  uint32_t pbuf_pool_err;   // pbuf pool empty: failed PBUF_POOL allocations
  uint32_t memp_err;        // all other pools: failed allocations
  uint32_t heap_err;        // lwIP heap: failed allocations
  uint32_t tcp_partial_rexmit;   // segments resent on a partial ACK (NewReno, lwip_newreno.c)
  uint64_t sock_dgram_drops;  // dropped by UDP/raw sockets (queue full, unread at close)
  uint64_t syn_evictions;     // half-open connections aborted for a new SYN
  uint64_t timewait_reuses;   // TIME_WAIT states ended by a new SYN (lwip_synguard.c)
  uint64_t ooseq_drops;       // out-of-order TCP data dropped: pool at its reserve
  uint64_t mss_ignored;       // MSS options outside a SYN, ignored (lwip_mssguard.c)
  // IPv6 on this interface (all zero until the router answers).
  struct netinfo_ip6 ip6[NETINFO_IP6_ADDRS];
  uint8_t ip6_router[16];   // the default router (link-local), zero if none
  uint8_t ip6_dns[16];      // DNS server from stateless DHCPv6 or the RA's RDNSS
  uint64_t ip6_ms;          // uptime_ms() when a global address became preferred, 0 if none
  uint32_t ip6_recv;        // IPv6 packets lwIP took in (the stack's)
  uint32_t ip6_drop;        // not for us, bad header, bad extension headers, ...
  uint32_t ip6_frag_drop;   // IPv6 fragments given up on
  uint32_t icmp6_drop;      // ICMPv6: bad checksum, unknown type, ...
  uint32_t nd6_drop;        // neighbour discovery messages dropped
  uint32_t mld6_drop;
};
