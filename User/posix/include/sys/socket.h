// <sys/socket.h> for POSIX programs (User/posix/): BSD sockets over the
// kernel's socket calls (system calls 30..43). Numbers come from
// kernel/sockabi.h, structures from user/sockaddr.h and the calls both worlds
// declare alike from user/sockcalls.h: one definition both user worlds share.
// AF_INET and AF_INET6 (TCP, UDP, raw ICMP and ICMPv6).
// Failing calls return -1 with errno set (the C library's <errno.h> numbers).
#pragma once
#include <sys/types.h>
#include "user/sockaddr.h"
#include "kernel/sockabi.h"

#define SOMAXCONN 128

// sendmsg/recvmsg: scatter-gather with an address. No ancillary data
// (msg_control): a message carrying some is refused with EOPNOTSUPP.
struct iovec;
struct msghdr {
  void *msg_name;
  socklen_t msg_namelen;
  struct iovec *msg_iov;
  size_t msg_iovlen;
  void *msg_control;
  size_t msg_controllen;
  int msg_flags;
};

#ifdef __cplusplus
extern "C" {
#endif

#include "user/sockcalls.h"   // socket, bind, listen, accept, connect, ... (both worlds)
// A connected pair of TCP sockets over loopback (127.0.0.1): AF_UNIX is not a
// family the kernel has, but a program wanting a two-way channel gets one.
int socketpair(int domain, int type, int protocol, int sv[2]);
ssize_t send(int fd, const void *buf, size_t len, int flags);
ssize_t recv(int fd, void *buf, size_t len, int flags);
ssize_t sendto(int fd, const void *buf, size_t len, int flags,
               const struct sockaddr *to, socklen_t tolen);
ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
                 struct sockaddr *from, socklen_t *fromlen);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);

#ifdef __cplusplus
}
#endif
