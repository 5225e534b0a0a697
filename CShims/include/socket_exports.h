// socket_exports.h: the Swift socket layer's C entry points (Sources/Sockets:
// Exports.swift, Vectored.swift, UDP.swift), declared once, here. Each Swift
// definition is `@c @implementation`, so the compiler checks it against this
// prototype; kernel C reaches them through Kernel/socket.h.
//
// All return 0 (or a count) or -errno, and block per the socket's mode; ports
// are in host order, addresses in network order. A socket is the Swift layer's
// object: C only passes its address around. Pointers are non-null unless
// marked _Nullable (Swift sees those as optionals).
#pragma once

#include <stdint.h>

struct socket;
struct sock_info;        // lwip_sock.h
struct lsock_memstats;   // lwip_sock.h

#pragma clang assume_nonnull begin

// socket(AF_INET, type, 0) and socket(AF_INET, SOCK_RAW, protocol): *out.
int32_t sock_create(int32_t type, int32_t nonblock,
                    struct socket *_Nullable *_Nonnull out);
int32_t sock_create_raw(int32_t protocol, int32_t nonblock,
                        struct socket *_Nullable *_Nonnull out);
int32_t sock_bind(struct socket *s, uint32_t addr, uint16_t port);
int32_t sock_listen(struct socket *s, int32_t backlog);
int32_t sock_accept(struct socket *s, struct socket *_Nullable *_Nonnull out,
                    uint32_t *addr, uint16_t *port);
int32_t sock_connect(struct socket *s, uint32_t addr, uint16_t port);
// len bytes from user address src; to addr:port if hasaddr (UDP, raw).
int32_t sock_send(struct socket *s, uint64_t src, uint32_t len, int32_t flags,
                  int32_t hasaddr, uint32_t addr, uint16_t port);
// up to len bytes to user address dst; the sender in *addr / *port if given.
int32_t sock_recv(struct socket *s, uint64_t dst, uint32_t len, int32_t flags,
                  uint32_t *_Nullable addr, uint16_t *_Nullable port);
// how: 0 read, 1 write, 2 both (SHUT_RD, SHUT_WR, SHUT_RDWR)
int32_t sock_shutdown(struct socket *s, int32_t how);
// the local (peer 0) or the remote address
int32_t sock_getname(struct socket *s, int32_t peer,
                     uint32_t *addr, uint16_t *port);
// timeouts in milliseconds (sockfile.c converts timevals)
int32_t sock_setopt(struct socket *s, int32_t level, int32_t name,
                    int64_t value);
int32_t sock_getopt(struct socket *s, int32_t level, int32_t name,
                    int64_t *value);
void sock_setnonblock(struct socket *s, int32_t on);
void sock_push(struct socket *s);      // send what MSG_MORE sends queued
void sock_release(struct socket *s);   // the last descriptor was closed
int32_t sock_poll(struct socket *s);   // POLL* bits ready now (abi/poll.h)

// readv (write 0) / writev (write 1) of a user iovec array on a UDP or raw
// socket (one datagram); -EOPNOTSUPP on a stream socket (its pieces go
// through sock_recv / sock_send). Vectored.swift.
int32_t sock_datagram_iov(struct socket *s, int32_t write, uint64_t uiov,
                          int32_t iovcnt);

// For netstat and ifconfig (netinfo): table slot index (1 used, 0 free,
// -EINVAL past the end); lwIP's memory and the sockets in use; datagrams
// dropped since boot (UDP.swift; the caller holds the network lock).
int32_t sock_info(int32_t index, struct sock_info *out);
void sock_memstats(struct lsock_memstats *out);
uint64_t sock_dgram_drops(void);

#pragma clang assume_nonnull end
