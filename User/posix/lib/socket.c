// socket.c: <sys/socket.h> for POSIX programs, over the socket system calls
// (30..43), which return -errno; __xv6_ret makes that -1 and the C library's errno.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include "calls.h"

const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

int socket(int d, int t, int p) { return __xv6_ret(__xv6_socket(d, t, p)); }
int bind(int fd, const struct sockaddr *a, socklen_t n) { return __xv6_ret(__xv6_bind(fd, a, n)); }
int listen(int fd, int backlog) { return __xv6_ret(__xv6_listen(fd, backlog)); }
int accept(int fd, struct sockaddr *a, socklen_t *n) { return __xv6_ret(__xv6_accept(fd, a, n)); }
int accept4(int fd, struct sockaddr *a, socklen_t *n, int flags) { return __xv6_ret(__xv6_accept4(fd, a, n, flags)); }
int connect(int fd, const struct sockaddr *a, socklen_t n) { return __xv6_ret(__xv6_connect(fd, a, n)); }
int shutdown(int fd, int how) { return __xv6_ret(__xv6_shutdown(fd, how)); }
int netinfo(int what, void *buf, int index) { return __xv6_ret(__xv6_netinfo(what, buf, index)); }

static int
clamp(size_t n)
{
  return n > 0x7fffffff ? 0x7fffffff : (int)n;
}

ssize_t
send(int fd, const void *buf, size_t len, int flags)
{
  return __xv6_ret(__xv6_sendto(fd, buf, clamp(len), flags, 0, 0));
}

ssize_t
recv(int fd, void *buf, size_t len, int flags)
{
  return __xv6_ret(__xv6_recvfrom(fd, buf, clamp(len), flags, 0, 0));
}

ssize_t
sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
       socklen_t tolen)
{
  return __xv6_ret(__xv6_sendto(fd, buf, clamp(len), flags, to, tolen));
}

ssize_t
recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
         socklen_t *fromlen)
{
  return __xv6_ret(__xv6_recvfrom(fd, buf, clamp(len), flags, from, fromlen));
}

int
getsockname(int fd, struct sockaddr *a, socklen_t *n)
{
  return __xv6_ret(__xv6_getsockname(fd, a, n));
}

int
getpeername(int fd, struct sockaddr *a, socklen_t *n)
{
  return __xv6_ret(__xv6_getpeername(fd, a, n));
}

int
setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
  return __xv6_ret(__xv6_setsockopt(fd, level, name, val, len));
}

int
getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
  return __xv6_ret(__xv6_getsockopt(fd, level, name, val, len));
}

// A connected pair over loopback: a listener on an ephemeral port of
// 127.0.0.1, a connect to it, the accepted end. SOCK_NONBLOCK and
// SOCK_CLOEXEC apply to both ends.
int
socketpair(int domain, int type, int protocol, int sv[2])
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t len = sizeof(a);
  int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC), l, c = -1, s = -1, e;

  if(domain != AF_UNIX && domain != AF_INET){
    errno = EAFNOSUPPORT;
    return -1;
  }
  if((type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != SOCK_STREAM || (protocol != 0 && protocol != IPPROTO_TCP)){
    errno = EOPNOTSUPP;   // datagram pairs are not made
    return -1;
  }
  if((l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
    return -1;
  if(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 1) == 0 &&
     getsockname(l, (struct sockaddr *)&a, &len) == 0 &&
     (c = socket(AF_INET, SOCK_STREAM | (flags & SOCK_CLOEXEC), 0)) >= 0 &&
     connect(c, (struct sockaddr *)&a, sizeof(a)) == 0 &&
     (s = accept4(l, 0, 0, flags)) >= 0){
    close(l);
    if(flags & SOCK_NONBLOCK)
      fcntl(c, F_SETFL, O_NONBLOCK);
    sv[0] = c;
    sv[1] = s;
    return 0;
  }
  e = errno;
  close(l);
  if(c >= 0)
    close(c);
  errno = e;
  return -1;
}
