// lwip_sock.h: the socket layer's view of lwIP's raw TCP, UDP and raw-IP API
// (Net/lwip_sock.c: TCP and lwIP's callbacks; Net/lwip_sock_dgram.c: UDP,
// raw IP, pbufs, receive memory), and the kernel services it needs
// (Kernel/sockfile.c in the kernel, a host file in tests).
//
// lwIP's types stay behind this header: pcbs and pbufs are opaque pointers,
// addresses travel as struct lsock_addr (below) and ports are in host byte
// order. So the Swift code (Sources/Sockets) is the same whatever lwIP build
// is underneath.
//
// Every lsock_tcp_*, lsock_udp_* and lsock_pbuf_* call must be made with the
// network lock held (lsock_lock); lwIP calls the upcalls with it held too.
#pragma once
#include <stdint.h>

struct tcp_pcb;
struct udp_pcb;
struct raw_pcb;
struct pbuf;

// An IPv4 or IPv6 address and a port, as the socket layer and the system
// calls pass them. family is AF_INET or AF_INET6 (abi/sockabi.h); 0 means
// "no address" (the unspecified address of either family). An AF_INET6
// socket's IPv4 peer is carried as family AF_INET: the system calls show it
// to the program as ::ffff:a.b.c.d (Kernel/sysnet.c).
struct lsock_addr {
  uint16_t family;
  uint16_t port;        // host byte order
  uint32_t scope;       // IPv6 link-local: the interface (sin6_scope_id); else 0
  uint8_t addr[16];     // network byte order; AF_INET uses the first 4 bytes
};

// The address types a pcb takes (lwIP's IPADDR_TYPE_*): an AF_INET socket's
// pcbs are V4, an AF_INET6 socket's ANY (IPv4 too, as mapped addresses)
// unless IPV6_V6ONLY makes them V6.
#define LSOCK_IPTYPE_V4   0
#define LSOCK_IPTYPE_V6   6
#define LSOCK_IPTYPE_ANY  46

// lwIP's err_t values the socket layer tells apart (lwip/err.h).
#define LSOCK_OK          0
#define LSOCK_ERR_MEM    -1
#define LSOCK_ERR_BUF    -2
#define LSOCK_ERR_TIMEOUT -3
#define LSOCK_ERR_RTE    -4
#define LSOCK_ERR_INPROGRESS -5
#define LSOCK_ERR_VAL    -6
#define LSOCK_ERR_WOULDBLOCK -7
#define LSOCK_ERR_USE    -8
#define LSOCK_ERR_ALREADY -9
#define LSOCK_ERR_ISCONN -10
#define LSOCK_ERR_CONN   -11
#define LSOCK_ERR_IF     -12
#define LSOCK_ERR_ABRT   -13
#define LSOCK_ERR_RST    -14
#define LSOCK_ERR_CLSD   -15
#define LSOCK_ERR_ARG    -16
// Not an lwIP code: a user address could not be copied.
#define LSOCK_EFAULT     -100

// ---- upcalls: lwIP events, delivered to the socket layer ----------------------
// id is the socket's number (never 0) given to lsock_*_attach.
struct lsock_upcalls {
  // Data (p) or the peer's FIN (p == 0). Returns 0 if the pbuf was taken,
  // LSOCK_ERR_MEM to make lwIP keep it and offer it again later.
  int32_t (*tcp_recv)(uint32_t id, struct pbuf *p);
  // len bytes were acknowledged: send buffer space is free again.
  void (*tcp_sent)(uint32_t id, uint32_t len);
  // The pcb is gone (already freed by lwIP): err says why.
  void (*tcp_err)(uint32_t id, int32_t err);
  // An active open completed.
  void (*tcp_connected)(uint32_t id);
  // A listener got an established connection: returns the id of the socket
  // that now owns newpcb, or 0 to refuse it (lwIP then resets it).
  uint32_t (*tcp_accept)(uint32_t listener, struct tcp_pcb *newpcb);
  // Periodic, every 500 ms of lwIP's timer, while lsock_tcp_poll is on. Returns
  // LSOCK_ERR_ABRT if it aborted the pcb, else LSOCK_OK.
  int32_t (*tcp_poll)(uint32_t id);
  // A datagram from *from; the upcall owns p (must free or keep it).
  void (*udp_recv)(uint32_t id, struct pbuf *p, const struct lsock_addr *from);
  // A packet of the raw socket's protocol from *from (port 0). p starts at
  // the IP header and is only lent: lwIP goes on with it (ICMP still answers
  // echo requests), so the upcall copies what it keeps, from offset skip on:
  // 0 for IPv4 (the header is delivered), the IPv6 header and its extension
  // headers for IPv6 (a raw ICMPv6 socket reads the message alone, as on Linux).
  void (*raw_recv)(uint32_t id, struct pbuf *p, uint32_t skip, const struct lsock_addr *from);
};
void lsock_set_upcalls(const struct lsock_upcalls *u);

// ---- TCP ------------------------------------------------------------------------
struct tcp_pcb *lsock_tcp_new(uint8_t iptype);    // LSOCK_IPTYPE_*; 0 if the pool is empty
void lsock_tcp_attach(struct tcp_pcb *pcb, uint32_t id);
// Forget the pcb: no more upcalls; lwIP's defaults take over (it closes what is
// left itself). Call before tcp_abort and after a successful close.
void lsock_tcp_detach(struct tcp_pcb *pcb);
int32_t lsock_tcp_bind(struct tcp_pcb *pcb, const struct lsock_addr *a);
// On success returns the (new) listening pcb, attached to id; pcb is freed.
// On failure returns 0 with *err set, and pcb is still the caller's.
struct tcp_pcb *lsock_tcp_listen(struct tcp_pcb *pcb, uint32_t id, uint8_t backlog,
                                 int32_t *err);
int32_t lsock_tcp_connect(struct tcp_pcb *pcb, const struct lsock_addr *a);
uint32_t lsock_tcp_sndbuf(struct tcp_pcb *pcb);   // 0 also when the queue is full
// Queue up to len bytes from user address src; *queued says how many were.
// Returns LSOCK_OK, LSOCK_ERR_MEM (no room now) or LSOCK_EFAULT.
int32_t lsock_tcp_write_user(struct tcp_pcb *pcb, uint64_t src, uint32_t len,
                             int more, uint32_t *queued);
int32_t lsock_tcp_output(struct tcp_pcb *pcb);
void lsock_tcp_recved(struct tcp_pcb *pcb, uint32_t len);
int32_t lsock_tcp_close(struct tcp_pcb *pcb);
int32_t lsock_tcp_shutdown_tx(struct tcp_pcb *pcb);
void lsock_tcp_abort(struct tcp_pcb *pcb);
void lsock_tcp_set_nodelay(struct tcp_pcb *pcb, int on);
void lsock_tcp_set_reuseaddr(struct tcp_pcb *pcb, int on);
void lsock_tcp_poll(struct tcp_pcb *pcb, int on);
// SO_KEEPALIVE and its timing (TCP_KEEPIDLE, TCP_KEEPINTVL in ms, TCP_KEEPCNT).
void lsock_tcp_set_keepalive(struct tcp_pcb *pcb, int on, uint32_t idle_ms,
                             uint32_t intvl_ms, uint32_t count);
// Bytes written and not yet acknowledged (what SO_SNDBUF bounds).
uint32_t lsock_tcp_unacked(struct tcp_pcb *pcb);
void lsock_tcp_local(struct tcp_pcb *pcb, struct lsock_addr *out);
void lsock_tcp_remote(struct tcp_pcb *pcb, struct lsock_addr *out);  // family 0 if none
int32_t lsock_tcp_state(struct tcp_pcb *pcb);     // lwIP's enum tcp_state

// ---- UDP ------------------------------------------------------------------------
struct udp_pcb *lsock_udp_new(uint32_t id, uint8_t iptype); // attached to id; 0 if none left
void lsock_udp_remove(struct udp_pcb *pcb);
int32_t lsock_udp_bind(struct udp_pcb *pcb, const struct lsock_addr *a);
int32_t lsock_udp_connect(struct udp_pcb *pcb, const struct lsock_addr *a);
void lsock_udp_disconnect(struct udp_pcb *pcb);
void lsock_udp_set_reuseaddr(struct udp_pcb *pcb, int on);
// Send len bytes from user address src as one datagram, to *to if not 0,
// else to the connected peer.
int32_t lsock_udp_send_user(struct udp_pcb *pcb, uint64_t src, uint32_t len,
                            const struct lsock_addr *to);
// One datagram to the connected peer, gathered from n pieces of user memory
// (writev): base[i], len[i], total bytes in all.
int32_t lsock_udp_send_pieces(struct udp_pcb *pcb, const uint64_t *base, const uint32_t *len,
                              uint32_t n, uint32_t total);
void lsock_udp_local(struct udp_pcb *pcb, struct lsock_addr *out);
void lsock_udp_remote(struct udp_pcb *pcb, struct lsock_addr *out);

// ---- raw IP (SOCK_RAW: ICMP, ICMPv6) -----------------------------------------------
// The kernel writes the IP header on send; receive gets whole IPv4 packets,
// or ICMPv6 messages without their IPv6 header (raw_recv's skip). An ICMPv6
// pcb has lwIP fill in the checksum (at offset 2) of what it sends.
struct raw_pcb *lsock_raw_new(uint32_t id, uint8_t iptype, uint8_t proto); // attached; 0 if none left
void lsock_raw_remove(struct raw_pcb *pcb);
int32_t lsock_raw_bind(struct raw_pcb *pcb, const struct lsock_addr *a);
// Receive only from *a; family 0 dissolves the association.
int32_t lsock_raw_connect(struct raw_pcb *pcb, const struct lsock_addr *a);
// Send len bytes from user address src as the payload of one IP packet to
// *to if not 0, else to the connected address.
int32_t lsock_raw_send_user(struct raw_pcb *pcb, uint64_t src, uint32_t len,
                            const struct lsock_addr *to);
int32_t lsock_raw_send_pieces(struct raw_pcb *pcb, const uint64_t *base, const uint32_t *len,
                              uint32_t n, uint32_t total);
void lsock_raw_addrs(struct raw_pcb *pcb, struct lsock_addr *local, struct lsock_addr *remote);

// ---- what every pcb kind shares (lwIP's IP_PCB fields) -----------------------------
// pcb is a struct tcp_pcb, udp_pcb or raw_pcb.
// The hop limit (IPv6) or TTL (IPv4) of what it sends.
void lsock_pcb_set_ttl(void *pcb, uint8_t ttl);
uint8_t lsock_pcb_ttl(void *pcb);
// The address type an unbound pcb takes (LSOCK_IPTYPE_*): IPV6_V6ONLY.
void lsock_pcb_set_iptype(void *pcb, uint8_t iptype);
// 1 if an interface has index (lwIP's netif index, sin6_scope_id) index.
int lsock_netif_exists(uint32_t index);

// ---- pbufs ----------------------------------------------------------------------
uint32_t lsock_pbuf_len(struct pbuf *p);          // total bytes in the chain
// Append tail to head's chain (head takes tail's reference). 0 if the chain
// would pass 65535 bytes (pbuf lengths are 16-bit): then nothing changed.
int lsock_pbuf_cat(struct pbuf *head, struct pbuf *tail);
// Copy n bytes from offset off of the chain to user address dst. 0 or LSOCK_EFAULT.
int32_t lsock_pbuf_copyout(struct pbuf *p, uint32_t off, uint64_t dst, uint32_t n);
// Drop n bytes from the front; returns what is left (0 when all is gone).
struct pbuf *lsock_pbuf_consume(struct pbuf *p, uint32_t n);
void lsock_pbuf_free(struct pbuf *p);
// Copy n bytes from offset off of the chain to dst (kernel memory). 1 if all
// n were there.
int lsock_pbuf_copy(struct pbuf *p, void *dst, uint32_t n, uint32_t off);
uint32_t lsock_pbuf_count(struct pbuf *p);       // pbufs in the chain

// ---- receive memory --------------------------------------------------------------
// The receive pool (every received frame takes one pool pbuf) is shared by all
// peers. Below this many free pool pbufs, sockets stop keeping what they receive
// in the pool (they copy it into their own pages) and out-of-order TCP data is
// dropped before lwIP queues it (lwip_seqguard.c): what is left serves ARP,
// ICMP, DHCP, new connections and the data everyone reads at once.
#define LSOCK_POOL_RESERVE 48
uint32_t lsock_pool_free(void);                  // free receive pool pbufs
uint32_t lsock_pool_size(void);
uint32_t lsock_tcp_window(void);                 // TCP_WND: the most a connection queues
uint32_t lsock_tcp_sndbuf_max(void);             // TCP_SND_BUF: the most it has unacked
// The smallest TCP SO_RCVBUF: twice the window growth after which lwIP tells
// the peer at once (TCP_WND_UPDATE_THRESHOLD); below it, a reader that read
// everything could leave the peer waiting for its persist timer.
uint32_t lsock_tcp_rcvbuf_min(void);

// lwIP's memory in use, for leak checks (netinfo's NETINFO_MEM).
struct lsock_memstats {
  uint32_t heap_used;                  // bytes of lwIP's heap (PBUF_RAM, copies)
  uint32_t pbuf_pool_used;             // receive pool pbufs
  uint32_t tcp_pcb_used, tcp_listen_used, tcp_seg_used, udp_pcb_used, pbuf_ref_used;
  uint32_t raw_pcb_used;
  uint32_t sockets_used;               // socket table slots (filled by the Swift side)
  // receive memory (the Swift side): pool pbufs sockets hold, pages their
  // rings hold, and segments and datagrams copied into rings since boot
  uint32_t sock_pool_pbufs;
  uint32_t sock_ring_pages;
  uint64_t rx_copied;
};
void lsock_memstats(struct lsock_memstats *out);

// One socket as `netstat` shows it (Sources/Sockets fills it: sock_info).
struct sock_info {
  int32_t kind;                        // SOCK_STREAM (1), SOCK_DGRAM (2), SOCK_RAW (3); 0: free
  int32_t state;                       // SOCKINFO_* below
  int32_t tcp_state;                   // lwIP's enum tcp_state, -1 without a pcb
  int32_t family;                      // AF_INET or AF_INET6
  struct lsock_addr local, remote;     // family 0: none (unspecified)
  uint32_t rx_queued;                  // bytes (TCP) or datagrams (UDP, raw) unread
  uint32_t accept_queued;              // listeners: connections not yet accepted
  uint64_t drops;                      // UDP / raw datagrams dropped (queue full)
  uint32_t rx_pool_pbufs;              // receive pool pbufs the socket holds
  uint32_t rx_ring_bytes;              // bytes waiting in its own pages
};
#define SOCKINFO_IDLE       0
#define SOCKINFO_LISTENING  1
#define SOCKINFO_CONNECTING 2
#define SOCKINFO_CONNECTED  3
#define SOCKINFO_FAILED     4
#define SOCKINFO_CLOSING    5          // closed by its owner, lwIP finishing

// ---- kernel services (Kernel/sockfile.c; a host file for tests) ----------------------
void lsock_lock(void);                 // the network lock (Kernel/net.c)
void lsock_unlock(void);
// Sleep on chan, releasing the network lock while asleep (held on return).
void lsock_sleep(const void *chan);
void lsock_wakeup(const void *chan);
// A channel woken every clock tick: deadlines are checked by sleeping on it.
const void *lsock_tick_chan(void);
int lsock_killed(void);                // killed, or a signal to act on: EINTR
uint64_t lsock_now_ms(void);           // milliseconds since boot
// Copies between the calling process's memory and the kernel: 0 or -1.
int lsock_copyin(void *dst, uint64_t usrc, uint64_t n);
int lsock_copyout(uint64_t udst, const void *src, uint64_t n);
