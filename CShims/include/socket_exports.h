// socket_exports.h: the Swift socket layer's C entry points (Sources/Sockets:
// Exports.swift, Vectored.swift, UDP.swift), declared once, here. Each Swift
// definition is `@c @implementation`, so the compiler checks it against this
// prototype; kernel C reaches them through Kernel/socket.h.
//
// All return 0 (or a count) or -errno, and block per the socket's mode.
// Addresses are struct lsock_addr (lwip_sock.h): Kernel/sysnet.c has checked
// a program's address against the socket's family, and turned an IPv4-mapped
// ::ffff:a.b.c.d into family AF_INET. A socket is the Swift layer's
// object: C only passes its address around. Pointers are non-null unless
// marked _Nullable (Swift sees those as optionals).
#pragma once

#include <stdint.h>

struct socket;
struct sock_info;        // lwip_sock.h
struct lsock_addr;       // lwip_sock.h
struct lsock_memstats;   // lwip_sock.h

#pragma clang assume_nonnull begin

// socket(family, type, 0) and socket(family, SOCK_RAW, protocol): *out.
// family is AF_INET or AF_INET6.
int32_t sock_create(int32_t family, int32_t type, int32_t nonblock,
                    struct socket *_Nullable *_Nonnull out);
int32_t sock_create_raw(int32_t family, int32_t protocol, int32_t nonblock,
                        struct socket *_Nullable *_Nonnull out);
int32_t sock_family(struct socket *s);  // AF_INET or AF_INET6
int32_t sock_bind(struct socket *s, const struct lsock_addr *a);
int32_t sock_listen(struct socket *s, int32_t backlog);
// the new connection's peer in *peer
int32_t sock_accept(struct socket *s, struct socket *_Nullable *_Nonnull out,
                    struct lsock_addr *peer);
// family 0 (AF_UNSPEC) dissolves a UDP or raw association
int32_t sock_connect(struct socket *s, const struct lsock_addr *a);
// len bytes from user address src; to *to if given (UDP, raw).
int32_t sock_send(struct socket *s, uint64_t src, uint32_t len, int32_t flags,
                  const struct lsock_addr *_Nullable to);
// up to len bytes to user address dst; the sender in *from if given.
int32_t sock_recv(struct socket *s, uint64_t dst, uint32_t len, int32_t flags,
                  struct lsock_addr *_Nullable from);
// how: 0 read, 1 write, 2 both (SHUT_RD, SHUT_WR, SHUT_RDWR)
int32_t sock_shutdown(struct socket *s, int32_t how);
// the local (peer 0) or the remote address
int32_t sock_getname(struct socket *s, int32_t peer, struct lsock_addr *out);
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
