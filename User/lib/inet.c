// inet.c: IPv4 addresses to and from text (inet_pton, inet_ntop, ...).
// Built for both user worlds: xv6-style programs (ulib) and POSIX programs
// (User/posix/lib, with XV6NET_POSIX defined), so the logic lives once.
#ifdef XV6NET_POSIX
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <arpa/inet.h>
#else
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#endif

// Parse a dotted quad "a.b.c.d" (each 0..255) into network order.
int
inet_pton(int af, const char *s, void *dst)
{
  uint32_t a = 0;
  int part, digits;

  if(af != AF_INET){
    errno = EAFNOSUPPORT;
    return -1;
  }
  for(int i = 0; i < 4; i++){
    part = 0;
    digits = 0;
    while(*s >= '0' && *s <= '9'){
      part = part * 10 + (*s++ - '0');
      if(++digits > 3 || part > 255)
        return 0;
    }
    if(digits == 0)
      return 0;
    a |= (uint32_t)part << (8 * i);  // first octet in the lowest byte
    if(i < 3 && *s++ != '.')
      return 0;
  }
  if(*s != 0)
    return 0;
  memmove(dst, &a, sizeof(a));
  return 1;
}

const char*
inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
  const unsigned char *b = src;

  if(af != AF_INET){
    errno = EAFNOSUPPORT;
    return 0;
  }
  if(snprintf(dst, size, "%d.%d.%d.%d", b[0], b[1], b[2], b[3]) >= (int)size){
    errno = ENOSPC;
    return 0;
  }
  return dst;
}

in_addr_t
inet_addr(const char *s)
{
  in_addr_t a;

  return inet_pton(AF_INET, s, &a) == 1 ? a : INADDR_NONE;
}

int
inet_aton(const char *s, struct in_addr *out)
{
  return inet_pton(AF_INET, s, &out->s_addr) == 1;
}

char*
inet_ntoa(struct in_addr a)
{
  static char buf[INET_ADDRSTRLEN];

  inet_ntop(AF_INET, &a, buf, sizeof(buf));
  return buf;
}

