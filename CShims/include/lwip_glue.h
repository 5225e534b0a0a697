// lwip_glue.h: the contract between the Swift virtio-net driver and lwIP's netif
// glue (CShims/kernel/lwip_netif.c), plus what Kernel/net.c needs from the glue.
//
// Every function here runs with the kernel's network lock held (Kernel/net.c);
// none of them takes it. Only fixed-size integer types appear, so the header is
// the same for C and Swift and needs no lwIP headers.
#pragma once
#include <stdint.h>

// Link-level counters kept by the Swift driver.
struct virtio_net_stats {
  uint64_t rx_packets, rx_bytes, rx_drops, rx_errors;
  uint64_t tx_packets, tx_bytes, tx_drops, tx_errors;
};

// ---- provided by the Swift driver (Sources/, exported to C) --------------------
// Probe the virtio-mmio slots for a net device (id 1), negotiate MAC|VERSION_1,
// post the receive buffers and write the MAC. Returns the device's PLIC irq,
// or -1 if there is no usable device.
int32_t virtio_net_init(uint8_t mac_out[6]);
// Interrupt: acknowledge, call net_rx_frame() for each received frame, refill
// the receive queue, reclaim finished transmit buffers.
void virtio_net_intr(void);
// A free transmit buffer for one frame of up to 1514 bytes (the virtio header
// is the driver's business), or NULL if the ring is full even after reclaiming
// completions. The caller fills it and passes it to virtio_net_tx_submit.
void *virtio_net_tx_buffer(void);
// Hand a filled buffer of len frame bytes to the device and notify it.
void virtio_net_tx_submit(void *buf, uint32_t len);
void virtio_net_get_stats(struct virtio_net_stats *out);

// ---- provided by the glue to the Swift driver ------------------------------------
// One received Ethernet frame (no virtio header). The bytes are copied before
// return; the driver may reuse its buffer at once. Bad lengths are dropped.
void net_rx_frame(const void *frame, uint32_t len);

// ---- provided by the glue to Kernel/net.c --------------------------------------
struct netif;
// netif_add's init function (lwIP's ethernetif_init): netif->state must point
// at the 6-byte MAC. The return value is an lwIP err_t.
int8_t ethernetif_init(struct netif *netif);

// Frames the glue itself dropped (the driver's counters are separate).
struct lwip_glue_stats {
  uint64_t tx_nobuf;    // no free transmit buffer: frame dropped (TCP retransmits)
  uint64_t tx_toolong;  // a frame longer than 1514 bytes
  uint64_t rx_nomem;    // pbuf pool empty: received frame dropped
  uint64_t rx_badlen;   // shorter than an Ethernet header or longer than 1514
};
void lwip_glue_get_stats(struct lwip_glue_stats *out);

// Seed lwIP's random numbers (LWIP_RAND) from the clock and some bytes of
// identity (the MAC), before lwip_init().
void lwip_port_seed(const uint8_t *extra, uint32_t n);

// What `ifconfig` shows: addresses in network byte order as they sit in lwIP
// (first octet in the lowest byte), lease time, and counters. Filled by netinfo().
struct netinfo {
  uint8_t mac[6];
  uint8_t up;           // 1 once a device was found and the interface is up
  uint8_t leased;       // 1 while DHCP holds a lease
  uint32_t addr, netmask, gateway, dns;
  uint32_t mtu;
  uint64_t lease_ms;    // uptime_ms() when the current lease arrived
  struct virtio_net_stats link;
  struct lwip_glue_stats glue;
  // lwIP's own usage (LWIP_STATS), for leak checks: all near zero when idle
  uint32_t pbuf_pool_used, pbuf_pool_size;
  uint32_t tcp_pcbs_used, udp_pcbs_used;
  uint64_t heap_used;
  // Appended: where a received frame went after the glue, for exact accounting.
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
  uint32_t spare;
  uint64_t sock_dgram_drops;  // dropped by UDP/raw sockets (queue full, unread
                              // at close), since boot: sock_dgram_drops()
  uint64_t syn_evictions;     // half-open connections aborted for a new SYN
  uint64_t timewait_reuses;   // TIME_WAIT states ended by a new SYN (lwip_synguard.c)
  uint64_t ooseq_drops;       // out-of-order TCP data dropped: pool at its reserve
};
int netinfo(struct netinfo *out);  // 0, or -1 if there is no network device
// Provided by the socket layer (Sources/Sockets/UDP.swift), network lock held:
// datagrams UDP and raw sockets have dropped since boot.
uint64_t sock_dgram_drops(void);

// lwip_synguard.c: before a new SYN reaches lwIP (net_rx_frame calls it), makes
// room in a listener's backlog full of half-open connections, and lets a SYN
// reopen a connection still in TIME_WAIT here.
void lwip_synguard(const uint8_t *frame, uint32_t len);
uint64_t lwip_synguard_evictions(void);   // half-open connections aborted so far
uint64_t lwip_timewait_reuses(void);      // TIME_WAIT states ended by a new SYN

// lwip_seqguard.c: stop persist timers with nothing left to probe (lwIP 2.1.3
// asserts on them otherwise). Called by net_timer() with the network lock held.
void lwip_persist_sweep(void);
// Out-of-order segments dropped because the receive pool was at its reserve.
uint64_t lwip_ooseq_pressure_drops(void);
