// sockets_host.h: lwIP for the socket layer's host tests (Tests/SocketsTests).
//
// Debian's liblwip-dev (lwIP 2.1.3, NO_SYS=0 with core locking) runs under
// the socket layer as the kernel's build does: the network lock is lwIP's core
// lock, and the tcpip thread plays the interrupt side (timers, input).
#pragma once
#include <stdint.h>

// Start lwIP once (the tcpip thread) and one interface, 10.0.0.1/24, with
// the IPv6 addresses fd00::1 and fe80::1 (its index is the zone). Traffic to
// its own addresses goes through lwIP's loopback; other addresses on
// 10.0.0.0/24 are routed to it and dropped (a silent peer). (Debian's lwIP
// has no loopback interface: no 127.0.0.1, no ::1.)
void sockets_host_init(void);

// Make lsock_killed() report that the calling process was killed (1) or not (0).
void sockets_host_set_killed(int on);

// 10.0.0.1 in network byte order, as the socket layer takes addresses.
#define SOCKETS_HOST_ADDR 0x0100000aU
#define SOCKETS_HOST_SILENT 0x0200000aU   // 10.0.0.2: nobody answers
#define SOCKETS_HOST_ADDR6 "fd00::1"
#define SOCKETS_HOST_ADDR6_LL "fe80::1"
// The interface's index: sin6_scope_id of its link-local address.
uint32_t sockets_host_if_index(void);

// lwIP's keepalive settings of a TCP pcb (struct tcp_pcb *), as the socket
// layer handed them over: on (SOF_KEEPALIVE), idle and interval in ms, count.
struct tcp_pcb;
void sockets_host_keepalive(struct tcp_pcb *pcb, int *on, uint32_t *idle_ms,
                            uint32_t *intvl_ms, uint32_t *count);
