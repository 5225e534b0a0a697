// lwip_glue.h: the lwIP side of the network layer, C only: what Kernel/net.c
// asks of the netif glue (Net/lwip_netif.c), the port (lwip_port.c) and the
// guards (lwip_synguard.c, lwip_seqguard.c, lwip_ndguard.c, lwip_mssguard.c),
// and what the socket shim's two files share (lwip_sock.c, lwip_sock_dgram.c).
// Drivers never see it: they meet the network layer in CShims/include/netdev.h.
//
// Every function here runs with the kernel's network lock held (Kernel/net.c);
// none of them takes it. No lwIP headers needed: only fixed-size types.
#pragma once
#include <stdint.h>
#include "netdev.h"
#include "abi/netinfo.h"

// ---- provided by the glue to Kernel/net.c --------------------------------------
struct netif;
// netif_add's init function (lwIP's ethernetif_init): netif->state must point
// at the interface's struct netdev. The return value is an lwIP err_t.
int8_t ethernetif_init(struct netif *netif);

// Tell every device about the frames submitted to it since the last call
// (netdev.h, tx_flush). Kernel/net.c calls it before netlock is let go.
void lwip_glue_flush(void);

// This interface's drops in the glue (abi/netinfo.h).
void lwip_glue_get_stats(struct netdev *dev, struct lwip_glue_stats *out);


// lwip_synguard.c: before a new SYN reaches lwIP (netdev_receive calls it), makes
// room in a listener's backlog full of half-open connections, and lets a SYN
// reopen a connection still in TIME_WAIT here.
void lwip_synguard(const uint8_t *frame, uint32_t len);
uint64_t lwip_synguard_evictions(void);   // half-open connections aborted so far
uint64_t lwip_timewait_reuses(void);      // TIME_WAIT states ended by a new SYN

// lwip_ndguard.c: 1 if the frame is a neighbour discovery message whose
// options RFC 4861 says to discard (length 0, past the end) or whose first
// option lwIP would misread as a MAC; counted in nd6.drop.
int lwip_ndguard_drop(const uint8_t *frame, uint32_t len);

// lwip_seqguard.c: stop persist timers with nothing left to probe (lwIP 2.1.3
// asserts on them otherwise). Called by net_timer() with the network lock held.
void lwip_persist_sweep(void);
// Out-of-order segments dropped because the receive pool was at its reserve.
uint64_t lwip_ooseq_pressure_drops(void);

// lwip_mssguard.c: lwIP 2.1.3's tcp_write asserts that its last unsent segment
// fits the segment size it computes, which a peer can shrink. The option guard
// (tcp_input's hook) drops MSS options outside a SYN; call write_ready right
// before every tcp_write, which may go ahead only if it returns 1.
struct tcp_pcb;
struct tcp_hdr;
void lwip_mss_option_guard(struct tcp_hdr *hdr, uint16_t optlen, uint16_t opt1len,
                           uint8_t *opt2);
int lwip_tcp_write_ready(struct tcp_pcb *pcb);
uint64_t lwip_mss_options_ignored(void);   // MSS options outside a SYN so far

// lwip_newreno.c: NewReno's retransmission on a partial ACK. lwip_seqguard
// shows it each segment before lwIP does; after_input must follow every
// return from lwIP's input (a frame, the loopback queue), outside tcp_input.
void lwip_newreno_input(struct tcp_pcb *pcb, const struct tcp_hdr *hdr);
void lwip_newreno_after_input(void);
uint64_t lwip_newreno_retransmits(void);   // segments resent on a partial ACK

// lwip_sock.c, for lwip_sock_dgram.c: attach a new datagram pcb to socket id,
// with lwip_sock.c's receive callback (lwIP's callbacks all live there).
struct udp_pcb;
struct raw_pcb;
void lsock_udp_attach(struct udp_pcb *pcb, uint32_t id);
void lsock_raw_attach(struct raw_pcb *pcb, uint32_t id);
