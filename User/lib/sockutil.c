// sockutil.c: the socket setup that programs and tests would otherwise each
// write again: an address from text, a connected socket, a listening (or
// bound) one; and the clock and byte pattern the network tests time and
// check transfers with. Declared in user/socket.h.
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"

// Close fd without losing the errno of the call that failed before.
static int
closefail(int fd)
{
  int e = errno;

  close(fd);
  errno = e;
  return -1;
}

int
mkaddr(struct sockaddr_in *sa, const char *addr, int port)
{
  memset(sa, 0, sizeof(*sa));
  sa->sin_family = AF_INET;
  sa->sin_port = htons(port);
  return inet_pton(AF_INET, addr, &sa->sin_addr) == 1 ? 0 : -1;
}

int
connect_to(int type, const char *addr, int port)
{
  struct sockaddr_in sa;
  int fd;

  if(mkaddr(&sa, addr, port) < 0){
    errno = EINVAL;
    return -1;
  }
  if((fd = socket(AF_INET, type, 0)) < 0)
    return -1;
  if(connect(fd, (struct sockaddr*)&sa, sizeof(sa)) < 0)
    return closefail(fd);
  return fd;
}

int
listener(int type, const char *addr, int port, int backlog)
{
  struct sockaddr_in sa;
  struct sockaddr_in6 sa6;
  int fd, one = 1, v6 = strchr(addr, ':') != 0;

  // an IPv6 literal ("::" takes both families: IPV6_V6ONLY stays 0)
  memset(&sa6, 0, sizeof(sa6));
  sa6.sin6_family = AF_INET6;
  sa6.sin6_port = htons(port);
  if(v6 ? inet_pton(AF_INET6, addr, &sa6.sin6_addr) != 1 : mkaddr(&sa, addr, port) < 0){
    errno = EINVAL;
    return -1;
  }
  if((fd = socket(v6 ? AF_INET6 : AF_INET, type, 0)) < 0)
    return -1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if(v6 ? bind(fd, (struct sockaddr*)&sa6, sizeof(sa6)) < 0 :
          bind(fd, (struct sockaddr*)&sa, sizeof(sa)) < 0)
    return closefail(fd);
  if((type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) == SOCK_STREAM && listen(fd, backlog) < 0)
    return closefail(fd);
  return fd;
}

uint64
now_us(void)
{
  uint64 t;

  if(netinfo(NETINFO_CLOCK, &t, 0) == 0)
    return t;
  return (uint64)uptime() * 10000;
}

char
streambyte(uint i)
{
  return (char)((i * 7 + (i >> 8) * 13) & 0xff);
}
