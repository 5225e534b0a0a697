// socket.h: BSD-style sockets for user programs (IPv4 and IPv6: TCP, UDP,
// raw ICMP and ICMPv6).
//
// The calls are system calls 30..43 and 55..57 (User/lib/usys.S) behind the C
// wrappers in User/lib/socket.c: on failure they return -1 and leave the
// reason in errno, as on Unix. Constants, structure layouts and errno numbers
// are Linux's, so code written for BSD sockets needs only its includes
// changed to:
//   #include "kernel/types.h"
//   #include "user/user.h"
//   #include "user/socket.h"
// (read() and write() work on sockets too, with the same -1 and errno.)
// POSIX programs use <sys/socket.h> etc. instead (docs/posix.md).
#pragma once
#include "user/sockaddr.h"   // socklen_t, struct sockaddr, sockaddr_in, ...

#ifndef _STRUCT_TIMEVAL
#define _STRUCT_TIMEVAL
struct timeval {
  long tv_sec;
  long tv_usec;
};
#endif

// AF_, SOCK_, IPPROTO_, SOL_/SO_, TCP_NODELAY, MSG_, SHUT_, INADDR_ numbers:
// one definition for the kernel and both user worlds
#include "kernel/sockabi.h"

// fcntl
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define O_NONBLOCK      0x800

// netinfo(what, buf, index): the NETINFO_ selectors are in kernel/sockabi.h.

// errno values (Linux's numbers), shared with the kernel
#include "kernel/errnum.h"
#include "kernel/uio.h"

extern int errno;
char *strerror(int err);
void perror(const char *what);    // "what: message" on stderr

// Unix programs write `fprintf(stderr, ...)`; xv6's fprintf takes a descriptor.
#ifndef stderr
#define stdin  0
#define stdout 1
#define stderr 2
#endif

#include "user/sockcalls.h"   // socket, bind, listen, accept, connect, ... (both worlds)
int send(int fd, const void *buf, int len, int flags);
int recv(int fd, void *buf, int len, int flags);
int sendto(int fd, const void *buf, int len, int flags,
           const struct sockaddr *to, socklen_t tolen);
int recvfrom(int fd, void *buf, int len, int flags,
             struct sockaddr *from, socklen_t *fromlen);
int fcntl(int fd, int cmd, ...);
// Scatter/gather I/O on any descriptor (struct iovec, IOV_MAX: kernel/uio.h):
// the bytes moved, or -1 and errno (EINVAL: iovcnt past IOV_MAX or a total
// past INT_MAX; EFAULT: a piece outside the program's memory, or NULL).
int readv(int fd, const struct iovec *iov, int iovcnt);
int writev(int fd, const struct iovec *iov, int iovcnt);
int netinfo(int what, void *buf, int index);

// Setup helpers (User/lib/sockutil.c). mkaddr: addr ("a.b.c.d") and port as
// a struct sockaddr_in, 0, or -1 if addr is malformed. connect_to: a socket of
// type (SOCK_STREAM or SOCK_DGRAM, maybe | SOCK_NONBLOCK) connected to
// addr:port. listener: a socket of type bound to addr:port with SO_REUSEADDR
// (addr an IPv4 or IPv6 literal; "::" takes both families),
// listening with backlog if a stream. Both give -1 and errno on failure, the
// socket closed again.
int mkaddr(struct sockaddr_in *sa, const char *addr, int port);
int connect_to(int type, const char *addr, int port);
int listener(int type, const char *addr, int port, int backlog);
// Microseconds since boot: the kernel's fine clock (NETINFO_CLOCK), else ticks.
uint64 now_us(void);
// Byte i of a pattern that differs at every offset of a long stream: what the
// network tests send, and check the echo against.
char streambyte(uint i);

// byte order: the machine is little-endian, the network big-endian
static inline uint16_t htons(uint16_t x) { return (uint16_t)((x << 8) | (x >> 8)); }
static inline uint16_t ntohs(uint16_t x) { return htons(x); }
static inline uint32_t htonl(uint32_t x) { return __builtin_bswap32(x); }
static inline uint32_t ntohl(uint32_t x) { return htonl(x); }

// Text <-> address, AF_INET or AF_INET6 (RFC 4291 text in, RFC 5952 out:
// User/lib/inet.c): inet_pton returns 1, 0 for a malformed string, -1 for
// another family; inet_ntop returns dst, or 0 if it is too small (ENOSPC).
int inet_pton(int af, const char *src, void *dst);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
in_addr_t inet_addr(const char *s);         // INADDR_NONE if malformed
int inet_aton(const char *s, struct in_addr *out);
char *inet_ntoa(struct in_addr a);          // a static buffer
