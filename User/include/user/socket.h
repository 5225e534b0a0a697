// socket.h: BSD-style sockets for user programs (IPv4: TCP, UDP and raw ICMP).
//
// The calls are system calls 30..43 and 55..57 (User/lib/usys_net.S) behind the C
// wrappers in User/lib/socket.c: on failure they return -1 and leave the
// reason in errno, as on Unix. Constants, structure layouts and errno numbers
// are Linux's, so code written for BSD sockets needs only its includes
// changed to:
//   #include "kernel/types.h"
//   #include "user/user.h"
//   #include "user/socket.h"
// (read() and write() work on sockets too; they return the negative error
// number directly.)
#pragma once
#include <stdint.h>

typedef unsigned int socklen_t;
typedef unsigned short sa_family_t;
typedef uint16_t in_port_t;
typedef uint32_t in_addr_t;

struct in_addr {
  in_addr_t s_addr;           // network byte order
};

struct sockaddr {
  sa_family_t sa_family;
  char sa_data[14];
};

struct sockaddr_in {
  sa_family_t sin_family;     // AF_INET
  in_port_t sin_port;         // network byte order
  struct in_addr sin_addr;
  unsigned char sin_zero[8];
};

#ifndef _STRUCT_TIMEVAL
#define _STRUCT_TIMEVAL
struct timeval {
  long tv_sec;
  long tv_usec;
};
#endif

#define AF_UNSPEC       0
#define AF_INET         2
#define PF_INET         AF_INET
#define SOCK_STREAM     1
#define SOCK_DGRAM      2
#define SOCK_RAW        3         // with IPPROTO_ICMP: send ICMP messages, receive
                                  // whole IPv4 packets (IP header first)
#define SOCK_NONBLOCK   0x800     // socket(), accept4(): O_NONBLOCK from the start
#define SOCK_CLOEXEC    0x80000   // socket(), accept4(): FD_CLOEXEC from the start
#define IPPROTO_IP      0
#define IPPROTO_ICMP    1
#define IPPROTO_TCP     6
#define IPPROTO_UDP     17

#define INADDR_ANY       ((in_addr_t)0x00000000)
#define INADDR_LOOPBACK  ((in_addr_t)0x7f000001)   // host order: use htonl
#define INADDR_BROADCAST ((in_addr_t)0xffffffff)
#define INADDR_NONE      ((in_addr_t)0xffffffff)
#define INET_ADDRSTRLEN  16

// socket options
#define SOL_SOCKET      1
#define SO_REUSEADDR    2
#define SO_TYPE         3
#define SO_ERROR        4
#define SO_SNDBUF       7         // bytes, as in effect (not doubled as Linux does):
#define SO_RCVBUF       8         //   see Sources/Sockets/Options.swift
#define SO_KEEPALIVE    9
#define SO_RCVTIMEO     20        // struct timeval (or an int of milliseconds)
#define SO_SNDTIMEO     21        // also bounds connect()
#define TCP_NODELAY     1         // level IPPROTO_TCP
#define TCP_KEEPIDLE    4         // level IPPROTO_TCP, seconds: 1..32767
#define TCP_KEEPINTVL   5         // seconds: 1..32767
#define TCP_KEEPCNT     6         // probes: 1..127

// send/recv flags
#define MSG_PEEK        0x2
#define MSG_DONTWAIT    0x40
#define MSG_NOSIGNAL    0x4000    // accepted; there are no signals

// shutdown
#define SHUT_RD         0
#define SHUT_WR         1
#define SHUT_RDWR       2

// fcntl
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define FD_CLOEXEC      1         // F_GETFD / F_SETFD: exec closes the descriptor
#define O_NONBLOCK      0x800

// netinfo(what, buf, index); the structures are in these kernel headers
#define NETINFO_IF      0         // struct netinfo (lwip_glue.h)
#define NETINFO_MEM     1         // struct lsock_memstats (lwip_sock.h)
#define NETINFO_SOCK    2         // struct sock_info of slot index (lwip_sock.h)
#define NETINFO_CLOCK   3         // uint64: microseconds since boot

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

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
int send(int fd, const void *buf, int len, int flags);
int recv(int fd, void *buf, int len, int flags);
int sendto(int fd, const void *buf, int len, int flags,
           const struct sockaddr *to, socklen_t tolen);
int recvfrom(int fd, void *buf, int len, int flags,
             struct sockaddr *from, socklen_t *fromlen);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);
int fcntl(int fd, int cmd, ...);
// Scatter/gather I/O on any descriptor (struct iovec, IOV_MAX: kernel/uio.h):
// the bytes moved, or -1 and errno (EINVAL: iovcnt past IOV_MAX or a total
// past INT_MAX; EFAULT: a piece outside the program's memory, or NULL).
int readv(int fd, const struct iovec *iov, int iovcnt);
int writev(int fd, const struct iovec *iov, int iovcnt);
int netinfo(int what, void *buf, int index);

// byte order: the machine is little-endian, the network big-endian
static inline uint16_t htons(uint16_t x) { return (uint16_t)((x << 8) | (x >> 8)); }
static inline uint16_t ntohs(uint16_t x) { return htons(x); }
static inline uint32_t htonl(uint32_t x) { return __builtin_bswap32(x); }
static inline uint32_t ntohl(uint32_t x) { return htonl(x); }

// Text <-> address: inet_pton returns 1, or 0 for a malformed string;
// inet_ntop returns dst, or 0 if it is too small.
int inet_pton(int af, const char *src, void *dst);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
in_addr_t inet_addr(const char *s);         // INADDR_NONE if malformed
int inet_aton(const char *s, struct in_addr *out);
char *inet_ntoa(struct in_addr a);          // a static buffer
