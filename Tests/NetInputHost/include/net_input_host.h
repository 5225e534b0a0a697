// net_input_host.h: the kernel's netif glue (Net/lwip_netif.c) over
// Debian's host lwIP, for the host test that feeds frames through the Swift
// virtio-net driver into lwIP (Tests/VirtIOTests/MalformedFrameTests.swift).
//
// The glue's calls into the driver (its netdev ops tx_buffer / tx_submit) land in
// the two hooks the test registers, which drive a VirtioNet over a fake device.
// Everything except nih_start runs with the network lock (lwIP's core lock)
// held, as in the kernel: take it with nih_lock().
#pragma once
#include <stdint.h>

typedef void *(*nih_tx_buffer_fn)(void);
typedef void (*nih_tx_submit_fn)(void *buf, uint32_t len);

// Start lwIP (once per process) and add "en0", 10.0.2.15/24 gateway 10.0.2.2,
// with the given MAC, through the glue's ethernetif_init, like Kernel/net.c.
// Also the fuzz harness's applications: TCP echo on port 80, UDP echo on 7.
void nih_start(const uint8_t mac[6], nih_tx_buffer_fn buffer, nih_tx_submit_fn submit);
void nih_lock(void);
void nih_unlock(void);

// The glue's receive entry (netdev_receive), as a driver's interrupt calls it.
void nih_rx_frame(const void *frame, uint32_t len);

// The glue's drop counters (struct lwip_glue_stats).
struct nih_glue_stats {
  uint64_t tx_nobuf, tx_toolong, rx_nomem, rx_badlen;
};
void nih_glue_stats(struct nih_glue_stats *out);

// Segments the kernel's TCP input hook (lwip_seqguard) dropped; see net_input_host.c.
uint64_t nih_seqguard_drops(void);

// Frames the glue handed to lwIP (its pbuf_alloc calls that succeeded).
uint64_t nih_rx_pbufs_allocated(void);

// lwIP's pool usage as LWIP_STATS would give it (Debian's build has none; see
// net_input_host.c): elements in use per memp pool, then the heap's live
// blocks. Fills up to n entries and returns how many there are.
uint32_t nih_pools(int64_t *used, uint32_t n);
const char *nih_pool_name(uint32_t i);   // "TCP_PCB", "PBUF_POOL", ..., "heap"
uint32_t nih_pool_index(const char *name);

// What the fuzz harness does around each input: a client connection from port
// 40000 to 10.0.2.2:5000 before; after, abort every connection and run the
// reassembly and ARP timers for 20 s, so nothing legitimately stays allocated.
void nih_connect_out(void);
void nih_age(void);
void nih_abort_connections(void);
uint32_t nih_tcp_pcbs(void);
// Without the lock: wait until the tcpip thread has handled what lwIP queued
// for it (frames to our own address go round its loopback queue).
void nih_settle(void);   // active and TIME_WAIT connections

// Sequence number after the last TCP segment sent (the fuzz format's ctl bit 0).
uint32_t nih_tx_next_seq(void);
