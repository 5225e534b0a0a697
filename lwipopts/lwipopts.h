// lwipopts.h: lwIP 2.1.3 configuration for the kernel.
//
// lwIP runs without an OS layer (NO_SYS) and is entered only with the kernel's
// network lock held (Kernel/net.c): from the virtio-net receive interrupt, the
// timer tick (sys_check_timeouts) and system calls. Only the raw (callback) API
// is built; the socket layer above it is the kernel's own.
//
// One option per line. Every value that differs from lwIP's default (src/include/
// lwip/opt.h) says why; a few defaults are spelled out because code here relies
// on them. Dependent values are derived, not written twice.
#pragma once

// ---- system ----------------------------------------------------------------
// No threads, mailboxes or semaphores: the kernel calls lwIP directly under its lock.
#define NO_SYS                          1
// The network lock already serialises every entry into lwIP, interrupts included,
// so lwIP's own critical sections (SYS_ARCH_PROTECT) would only cost time.
#define SYS_LIGHTWEIGHT_PROT            0
// lwIP's timeouts (sys_timeout / sys_check_timeouts) drive DHCP, ARP and TCP.
#define LWIP_TIMERS                     1
// The thread-based APIs need an OS layer; the kernel has its own sockets.
#define LWIP_NETCONN                    0
#define LWIP_SOCKET                     0
// Not built, so nothing must want them.
#define LWIP_NETIF_API                  0

// ---- memory ----------------------------------------------------------------
// All memory is static (in .bss): no allocator below lwIP, and a leak shows up
// in LWIP_STATS rather than as a slowly shrinking kernel heap.
#define MEM_LIBC_MALLOC                 0
#define MEMP_MEM_MALLOC                 0
// rv64: pointers and u64 are 8-byte aligned; a misaligned access traps on hardware.
#define MEM_ALIGNMENT                   8
// The heap holds PBUF_RAM pbufs: copied tcp_write data (up to TCP_SND_BUF per
// connection), UDP and ICMP replies. 1 MiB covers ~40 connections with full send
// buffers; the default (1600 bytes) would not hold one.
#define MEM_SIZE                        (1024 * 1024)
// Receive pool: every received frame takes one pool pbuf (PBUF_POOL_BUFSIZE below
// fits a whole 1514-byte frame). Enough for several full receive windows queued
// out of order plus a burst from the device. Default 16.
#define PBUF_POOL_SIZE                  256
// Default, spelled out: TCP_MSS + 40 (IP+TCP) + 14 (Ethernet) rounded up to
// MEM_ALIGNMENT = 1520 bytes, so a maximum-size frame is one pbuf, never a chain.
#define PBUF_POOL_BUFSIZE               LWIP_MEM_ALIGN_SIZE(TCP_MSS + 40 + PBUF_LINK_ENCAPSULATION_HLEN + PBUF_LINK_HLEN)
// Two bytes before the Ethernet header put the IP header on an 8-byte boundary
// in every pbuf, and the frame at 2 mod 8, where the virtio-net driver keeps its
// frames too (netBufferOffset): the copies between them then move 8 bytes at a
// time instead of one (the kernel's memcpy goes bytewise when source and
// destination differ mod 8): 16 MiB down 12 -> 19 MB/s, up 14 -> 19 MB/s
// (docs/performance-notes.md, step 1).
// Default 0.
#define ETH_PAD_SIZE                    2
// PBUF_REF/ROM headers (tcp_write without copy, fragments). Default 16.
#define MEMP_NUM_PBUF                   64
// Ping and other raw ICMP users. Default 4.
#define MEMP_NUM_RAW_PCB                8
// DHCP and DNS take one each; the rest are user UDP sockets. Default 4.
#define MEMP_NUM_UDP_PCB                16
// Active TCP connections, TIME_WAIT included (an HTTP benchmark leaves many
// behind). Default 5.
#define MEMP_NUM_TCP_PCB                64
// Listening sockets. Default 8.
#define MEMP_NUM_TCP_PCB_LISTEN         16
// Queued TCP segments over all connections: the unsent/unacked queues of several
// busy connections (TCP_SND_QUEUELEN each) plus out-of-order segments. lwIP
// requires at least TCP_SND_QUEUELEN. Default 16.
#define MEMP_NUM_TCP_SEG                (8 * TCP_SND_QUEUELEN)
// Default 30 packets waiting for ARP resolution; kept.
#define MEMP_NUM_ARP_QUEUE              30

// ---- protocols ---------------------------------------------------------------
#define LWIP_IPV4                       1
// IPv6 beside IPv4 (dual stack): every netif gets a link-local address and
// SLAAC addresses from router advertisements; sockets of either family.
// Default 0.
#define LWIP_IPV6                       1
#define LWIP_ARP                        1
#define LWIP_ETHERNET                   1
#define LWIP_ICMP                       1
// Raw PCBs let a user-level ping send and receive ICMP. Default 0.
#define LWIP_RAW                        1
#define LWIP_UDP                        1
#define LWIP_TCP                        1
// The kernel leases its address at boot. Default 0.
#define LWIP_DHCP                       1
// DHCP's ARP probe of the offered address (RFC 2131 3.1.5) waits about a second
// for an answer that never comes on QEMU's user network or a test bed's private
// tap, where the server owns the whole range; off, the lease is ready ~20 ms after
// boot. Default (LWIP_DHCP && LWIP_ARP) = 1.
#define DHCP_DOES_ARP_CHECK             0
// DHCP keeps the DNS server it learns (dns_setserver) only with LWIP_DNS; the
// kernel hands it to the user-space resolver (User/lib/resolv.c) through
// netinfo. lwIP's own query client is compiled in but unused. Default 0.
#define LWIP_DNS                        1
// The lease line is printed from the netif status callback. Default 0.
#define LWIP_NETIF_STATUS_CALLBACK      1
// Loopback: programs in the guest reach each other at 127.0.0.1 (lwIP's own
// "lo" netif, 127.0.0.1/8) and at en0's own address (looped back on en0, never
// put on the wire). lwIP copies each such packet into a heap pbuf and queues it;
// with NO_SYS nothing feeds the queue back, so Kernel/net.c does (net_loop_poll,
// netif_poll_all) before the network lock is let go and on every tick. Cost: one
// more netif, a compare per sent packet, a copy per looped one. Defaults 0.
#define LWIP_NETIF_LOOPBACK             1
#define LWIP_HAVE_LOOPIF                1
// At most this many looped packets wait (per netif), so a busy sender cannot
// empty the heap; more get ERR_MEM (TCP resends later). Two full send queues.
// Default 0: no limit.
#define LWIP_LOOPBACK_MAX_PBUFS         (2 * TCP_SND_QUEUELEN)

// ---- IPv6 ----------------------------------------------------------------------
// The options below are lwIP's defaults unless they say otherwise; the ones
// the kernel relies on are spelled out.
// Link-local plus two SLAAC addresses per interface (a router may announce a
// second prefix). Default, spelled out: struct netinfo has as many slots.
#define LWIP_IPV6_NUM_ADDRESSES         3
// Stateless address autoconfiguration from router advertisements (RFC 4862),
// with lifetimes so a withdrawn prefix's address goes away. Defaults.
#define LWIP_IPV6_AUTOCONFIG            1
#define LWIP_IPV6_ADDRESS_LIFETIMES     1
#define LWIP_IPV6_SEND_ROUTER_SOLICIT   1
// One duplicate-address probe (RFC 4862's default): a new address is usable
// about a second after the router answers. Default, spelled out.
#define LWIP_IPV6_DUP_DETECT_ATTEMPTS   1
// MLD reports for the solicited-node groups, so switches that snoop MLD still
// deliver neighbour solicitations to us. Default, spelled out.
#define LWIP_IPV6_MLD                   1
// Fragmentation and reassembly (a 1280-byte minimum MTU path needs them).
// Defaults, spelled out.
#define LWIP_IPV6_FRAG                  1
#define LWIP_IPV6_REASS                 1
// On a 64-bit machine the reassembly bookkeeping does not fit in the 8 bytes
// of the fragment header it would overwrite: lwIP asserts unless it keeps a
// copy of the header instead. Default 0.
#define IPV6_FRAG_COPYHEADER            1
// The DNS server from the router advertisement's RDNSS option (RFC 8106);
// QEMU's user network announces one there. Default 0.
#define LWIP_ND6_RDNSS_MAX_DNS_SERVERS  1
// Stateless DHCPv6 (RFC 3736): when the router advertisement's O flag says
// so, ask for the DNS server (dnsmasq's ra-stateless). Addresses stay SLAAC's:
// stateful DHCPv6 is not built. Default 0.
#define LWIP_IPV6_DHCP6                 1
#define LWIP_IPV6_DHCP6_STATEFUL        0
#define LWIP_IPV6_DHCP6_STATELESS       1
// DHCPv4, the RA and DHCPv6 all write lwIP's one DNS server list from slot 0
// on; the kernel copies each family's server out as it arrives (Kernel/net.c),
// so two slots are enough. Default 2, spelled out.
#define DNS_MAX_SERVERS                 2
// lwIP 2.1.3's count of its own cyclic timers leaves out DHCPv6's (dhcp6_tmr),
// so with DHCPv6 on the pool is full at boot and the next timeout (the first
// TCP connection's) fails an assertion. One for that, plus Kernel/net.c's own:
// one per interface while its IPv6 address line waits for the DNS server.
// Default LWIP_NUM_SYS_TIMEOUT_INTERNAL.
#define MEMP_NUM_SYS_TIMEOUT            (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 1 + 4)
// IPv6 address state changes (DAD done, lifetime over) reach Kernel/net.c,
// which prints the address line once a global address is usable. Default 0.
#define LWIP_NETIF_EXT_STATUS_CALLBACK  1

// ---- TCP -----------------------------------------------------------------------
// Full Ethernet segments: 1500 - 20 (IP) - 20 (TCP). Default 536.
#define TCP_MSS                         1460
// 44 segments each way (64240 bytes): the most that fits the 16-bit window
// field, so no window scaling is needed (QEMU's user network does not scale
// windows either). Against 16 segments, 16 MiB through the forward (make bench's
// rows, 6 runs each): download 35.2 -> 37.7 (32) -> 38.9 MB/s (44), into a sink
// 80.5 -> 84.7; and more duplicate ACKs follow a loss, for fast retransmit.
// Memory: a full window waits in 44 pool pbufs (or a 16-page receive ring)
// per connection that does not read. Defaults 4*MSS and 2*MSS.
#define TCP_WND                         (44 * TCP_MSS)
#define TCP_SND_BUF                     (44 * TCP_MSS)
// Derived from TCP_SND_BUF as lwIP's default does (4 pbufs per segment at most).
#define TCP_SND_QUEUELEN                ((4 * (TCP_SND_BUF) + (TCP_MSS - 1)) / (TCP_MSS))
// lwIP's TCP timers tick at this period: the fast timer (delayed ACKs, refused
// data) every tick, the slow one (retransmission timeouts, RTO granularity)
// every two. lwIP measures round trips and counts the RTO in slow ticks, and
// its RTO never falls below about 3 of them, however short the round trip: at
// the 250 ms default that is 0.6-1.5 s. Downloads through the bench's relay
// (make bench, "TCP under loss": 2 ms each way, the same seeds), median s:
//   tick      2% 1 MiB  2% 16 MiB  5% 1 MiB  5% 16 MiB
//   100 ms    1.51      20.7       10.9      120
//   50 ms     0.85      14.3       5.93      65.4
//   25 ms     0.74      10.9       3.80      41.5     (Linux 6.1: 0.56 10.2 2.31 40.6)
// Then, at 25 ms, two changes outside lwIP's code, same seeds:
//   + the RTO set from the handshake (Net/lwip_sock.c, rto_from_handshake):
//             0.60      10.9       3.49      44.5
//   + NewReno's resend on a partial ACK (Net/lwip_newreno.c):
//             0.49      7.43       1.58      30.1     (below Linux's in all four)
// Without loss, 25 against 100 ms (3 runs each): download 23.3/24.5 MB/s, into
// a sink 56.8/51.7, into a file 21.4/19.7, requests/s within 6%: noise-level.
// The kernel's clock tick is 10 ms, so it can keep a 25 ms timer. Default 250.
#define TCP_TMR_INTERVAL                25
// Out-of-order segments are kept (the default, spelled out: SACK below relies on it).
#define TCP_QUEUE_OOSEQ                 1
// ... but no more than a window's worth per connection, in bytes and in pool
// pbufs (tiny segments would otherwise pin a pbuf per byte). Defaults 0: no limit.
#define TCP_OOSEQ_MAX_BYTES             TCP_WND
#define TCP_OOSEQ_MAX_PBUFS             (TCP_WND / TCP_MSS)
// Tell the sender which out-of-order blocks arrived (RFC 2018) so that after a
// loss it resends only the holes, not everything after the first one. Default 0.
#define LWIP_TCP_SACK_OUT               1
// SO_KEEPALIVE works without it (lwIP's slow timer probes an idle connection
// whose SOF_KEEPALIVE is set), but only with the defaults (7200 s idle, 9 probes
// 75 s apart); on, each pcb keeps its own TCP_KEEPIDLE / TCP_KEEPINTVL /
// TCP_KEEPCNT (8 more bytes per pcb). Default 0.
#define LWIP_TCP_KEEPALIVE              1
// One pointer-sized slot per pcb for Net/lwip_newreno.c (a connection's
// recovery point while it recovers from loss). Default 0.
#define LWIP_TCP_PCB_NUM_EXT_ARGS       1
// Let the socket layer limit pending connections per listener. Default 0.
#define TCP_LISTEN_BACKLOG              1
// Initial sequence numbers from the kernel's generator, not lwIP's predictable
// counter (Net/lwip_port.c says why random rather than RFC 6528's hash).
unsigned int lwip_port_isn(void);
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport) lwip_port_isn()
// A restarted server can bind its port while old connections sit in TIME_WAIT.
// Default 0.
#define SO_REUSE                        1

// ---- checksums -------------------------------------------------------------------
// virtio-net offloads are not negotiated, so lwIP computes and checks every
// checksum (all defaults, spelled out because the captures are checked for them).
#define CHECKSUM_GEN_IP                 1
#define CHECKSUM_GEN_UDP                1
#define CHECKSUM_GEN_TCP                1
#define CHECKSUM_GEN_ICMP               1
#define CHECKSUM_CHECK_IP               1
#define CHECKSUM_CHECK_UDP              1
#define CHECKSUM_CHECK_TCP              1
#define CHECKSUM_CHECK_ICMP             1
// Checksums per netif: on lwIP's loopback netif (lo, 127.0.0.1) the kernel
// keeps only those a program sees (IP header, ICMP: raw sockets read them;
// Kernel/net.c) and checks none, as Linux skips them on its loopback: a packet
// that never leaves memory cannot be damaged on a wire. Saves a pass over every
// TCP byte. en0, and packets to its own address, keep all of them. Default 0.
#define LWIP_CHECKSUM_CTRL_PER_NETIF    1
// Sum tcp_write data while copying it instead of in a second pass. Default 0.
#define LWIP_CHECKSUM_ON_COPY           1
// Algorithm 3 sums 32 bits at a time (default 2: 16 bits); the emulated CPU
// pays per instruction.
#define LWIP_CHKSUM_ALGORITHM           3

// ---- statistics and debugging ------------------------------------------------------
// Counters for pbufs, pools and the heap let tests check that nothing leaks
// (default 1, spelled out because tests rely on it).
#define LWIP_STATS                      1
// No printing of the whole table: the kernel reads the counters itself.
#define LWIP_STATS_DISPLAY              0

// ---- guards against lwIP 2.1.3 assertions a peer can trigger ------------------------
// Net/lwip_seqguard.c drops a segment half the sequence space away
// from rcv_nxt before tcp_receive() would assert "insane offset!" on it (found
// by tools/fuzz). Its companion lwip_persist_sweep() runs from net_timer().
// The same hook drops out-of-order data while the receive pool is down to its
// reserve (see "Receive memory" in Sources/Sockets/Upcalls.swift), and shows
// each segment it passes to Net/lwip_newreno.c (NewReno's partial ACKs).
// First, Net/lwip_mssguard.c turns an MSS option outside a SYN into NOPs:
// lwIP would take it, and a shrunken MSS trips tcp_write's assertion.
struct tcp_pcb;
struct tcp_hdr;
struct pbuf;
signed char lwip_seqguard(struct tcp_pcb *pcb, struct tcp_hdr *hdr, struct pbuf *p);
void lwip_mss_option_guard(struct tcp_hdr *hdr, unsigned short optlen, unsigned short opt1len,
                           unsigned char *opt2);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
        (lwip_mss_option_guard((hdr), (optlen), (opt1len), (opt2)), \
         lwip_seqguard((struct tcp_pcb *)(pcb), (hdr), (p)))
