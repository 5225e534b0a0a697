// inet.c: IPv4 and IPv6 addresses to and from text (inet_pton, inet_ntop,
// ...), and the address literals programs take on their command lines
// ("host:port", "[v6]:port", "fe80::1%en0": inet_hostport, inet_literal).
// Built for both user worlds: xv6-style programs (ulib) and POSIX programs
// (User/posix/lib, with XV6NET_POSIX defined), so the logic lives once.
//
// IPv6 text forms are RFC 4291's (section 2.2): eight groups of at most four
// hex digits, one "::" for a run of zero groups, and a dotted IPv4 address
// for the last 32 bits. Output is RFC 5952's canonical form: lowercase, no
// leading zeros, the longest run of two or more zero groups as "::" (the
// first of equal runs), and ::ffff:a.b.c.d for IPv4-mapped addresses.
#ifdef XV6NET_POSIX
#include "shared.h"
#else
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include "user/netdb.h"
#endif
#include "kernel/../CShims/include/abi/netinfo.h"   // struct netinfo (zone names)

// "a.b.c.d" (each 0..255, nothing after it) into 4 bytes, network order.
static int
pton4(const char *s, unsigned char *dst)
{
  int part, digits;

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
    dst[i] = part;
    if(i < 3 && *s++ != '.')
      return 0;
  }
  return *s == 0;
}

static int
hexval(int c)
{
  if(c >= '0' && c <= '9') return c - '0';
  if(c >= 'a' && c <= 'f') return c - 'a' + 10;
  if(c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// An RFC 4291 text address into 16 bytes. 1, or 0 if malformed: more than
// eight groups, two "::", a group of more than four hex digits or none, a
// lone leading or trailing colon, a dotted tail that is not last or not an
// IPv4 address, "::" standing for no group at all.
static int
pton6(const char *s, unsigned char *dst)
{
  unsigned char a[16];
  const char *start;
  int n = 0, gap = -1, v, d, digits;

  if(*s == ':' && *++s != ':')
    return 0;                   // ":1::" : one colon cannot begin an address
  while(*s){
    if(*s == ':'){              // the second colon of a "::"
      if(gap >= 0)
        return 0;
      gap = n;
      if(*++s == 0)
        break;
      continue;
    }
    start = s;
    for(v = 0, digits = 0; (d = hexval(*s)) >= 0; s++){
      if(++digits > 4)
        return 0;
      v = v * 16 + d;
    }
    if(*s == '.'){              // the last 32 bits as a dotted IPv4 address
      if(n > 12 || !pton4(start, a + n))
        return 0;
      n += 4;
      break;
    }
    if(digits == 0 || n > 14)
      return 0;
    a[n++] = v >> 8;
    a[n++] = v;
    if(*s == 0)
      break;
    if(*s++ != ':' || *s == 0)
      return 0;                 // not a separator, or a trailing single colon
  }
  if(gap >= 0){
    if(n == 16)
      return 0;                 // "::" must stand for at least one group
    memmove(a + 16 - (n - gap), a + gap, n - gap);
    memset(a + gap, 0, 16 - n);
  } else if(n != 16){
    return 0;
  }
  memmove(dst, a, 16);
  return 1;
}

int
inet_pton(int af, const char *s, void *dst)
{
  if(af == AF_INET)
    return pton4(s, dst);
  if(af == AF_INET6)
    return pton6(s, dst);
  errno = EAFNOSUPPORT;
  return -1;
}

static char*
puthex(char *p, int v)
{
  static const char digits[] = "0123456789abcdef";
  int shift = 12;

  while(shift > 0 && ((v >> shift) & 0xf) == 0)
    shift -= 4;
  for(; shift >= 0; shift -= 4)
    *p++ = digits[(v >> shift) & 0xf];
  return p;
}

static char*
putdec(char *p, int v)
{
  if(v >= 100) *p++ = '0' + v / 100;
  if(v >= 10) *p++ = '0' + v / 10 % 10;
  *p++ = '0' + v % 10;
  return p;
}

// 16 bytes as RFC 5952 text into out (at least INET6_ADDRSTRLEN bytes).
static void
ntop6(const unsigned char *b, char *out)
{
  int g[8], best = -1, bestlen = 1, i, j;
  char *p = out;

  for(i = 0; i < 8; i++)
    g[i] = (b[2*i] << 8) | b[2*i + 1];
  for(i = 0; i < 8; i = j + 1){           // the longest run of zero groups, two or more
    for(j = i; j < 8 && g[j] == 0; j++)
      ;
    if(j - i > bestlen){
      best = i;
      bestlen = j - i;
    }
  }
  if(best == 0 && bestlen == 5 && g[5] == 0xffff){   // IPv4-mapped
    p = out + 7;
    memmove(out, "::ffff:", 7);
    for(i = 12; i < 16; i++){
      p = putdec(p, b[i]);
      *p++ = i < 15 ? '.' : 0;
    }
    return;
  }
  for(i = 0; i < 8; i++){
    if(i == best){
      *p++ = ':';
      if(i == 0)
        *p++ = ':';
      i += bestlen - 1;
      continue;
    }
    p = puthex(p, g[i]);
    if(i < 7)
      *p++ = ':';
  }
  *p = 0;
}

const char*
inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
  const unsigned char *b = src;
  char text[INET6_ADDRSTRLEN], *p = text;

  if(af == AF_INET){
    for(int i = 0; i < 4; i++){
      p = putdec(p, b[i]);
      *p++ = i < 3 ? '.' : 0;
    }
  } else if(af == AF_INET6){
    ntop6(b, text);
  } else {
    errno = EAFNOSUPPORT;
    return 0;
  }
  if(strlen(text) + 1 > size){
    errno = ENOSPC;
    return 0;
  }
  strcpy(dst, text);
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

// ---- literals on command lines ------------------------------------------------

int
inet_hostport(const char *s, char *host, int hostlen, char *port, int portlen)
{
  const char *h = s, *end, *p = 0, *colon;
  int n;

  if(*s == '['){                 // "[v6]" or "[v6]:port"
    if((end = strchr(s, ']')) == 0)
      return -1;
    h = s + 1;
    if(end[1] == ':')
      p = end + 2;
    else if(end[1] != 0)
      return -1;
    if(strchr(h, ':') == 0 || strchr(h, ':') > end)
      return -1;                 // brackets are for IPv6 addresses
  } else if((colon = strchr(s, ':')) != 0 && strchr(colon + 1, ':') == 0){
    end = colon;                 // "host:port"
    p = colon + 1;
  } else {
    end = s + strlen(s);         // "host", or a bare IPv6 address
  }
  n = end - h;
  if(n <= 0 || n >= hostlen)
    return -1;
  memmove(host, h, n);
  host[n] = 0;
  port[0] = 0;
  if(p){
    if(*p == 0 || (int)strlen(p) >= portlen)
      return -1;
    strcpy(port, p);
  }
  return 0;
}

int
inet_zone(const char *zone, uint32_t *scope)
{
  struct netinfo ni;
  uint32_t v = 0;
  const char *z = zone;

  if(*z >= '0' && *z <= '9'){    // a number: the scope id itself
    for(; *z >= '0' && *z <= '9'; z++)
      if((v = v * 10 + (*z - '0')) > 0xffff)
        return -1;
    if(*z != 0)
      return -1;
    *scope = v;
    return 0;
  }
  for(int i = 0; netinfo(NETINFO_IF, &ni, i) == 0; i++)
    if(strcmp(ni.name, zone) == 0){
      *scope = INET_SCOPE_OF(i);
      return 0;
    }
  return -1;
}

int
inet_literal(const char *host, int port, struct sockaddr_in6 *sa, socklen_t *len)
{
  char text[INET6_ADDRSTRLEN];
  const char *pct = strchr(host, '%');
  struct sockaddr_in *s4 = (struct sockaddr_in*)sa;
  int n;

  memset(sa, 0, sizeof(*sa));
  if(!pct && pton4(host, (unsigned char*)&s4->sin_addr)){
    s4->sin_family = AF_INET;
    s4->sin_port = htons(port);
    *len = sizeof(*s4);
    return 0;
  }
  n = pct ? pct - host : (int)strlen(host);
  if(n >= (int)sizeof(text))
    return -1;
  memmove(text, host, n);
  text[n] = 0;
  if(!pton6(text, sa->sin6_addr.s6_addr))
    return -1;
  if(pct && (pct[1] == 0 || inet_zone(pct + 1, &sa->sin6_scope_id) < 0))
    return -1;
  sa->sin6_family = AF_INET6;
  sa->sin6_port = htons(port);
  *len = sizeof(*sa);
  return 0;
}

const char*
inet_sockaddr_text(const struct sockaddr *sa, char *buf, int len)
{
  const struct sockaddr_in *s4 = (const struct sockaddr_in*)sa;
  const struct sockaddr_in6 *s6 = (const struct sockaddr_in6*)sa;
  char text[INET6_ADDRSTRLEN];

  if(sa->sa_family == AF_INET6){
    inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
    snprintf(buf, len, "[%s]:%d", text, ntohs(s6->sin6_port));
  } else if(sa->sa_family == AF_INET){
    inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text));
    snprintf(buf, len, "%s:%d", text, ntohs(s4->sin_port));
  } else {
    snprintf(buf, len, "(family %d)", sa->sa_family);
  }
  return buf;
}
