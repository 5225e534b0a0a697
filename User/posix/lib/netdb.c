// netdb.c: the parts of <netdb.h> beyond the resolver (User/lib/resolv.c):
// numeric getnameinfo and gethostbyaddr for IPv4 and IPv6 (there is no
// reverse DNS), herror, and services and protocols from small built-in tables.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>

// A link-local address's zone, as glibc writes it: "%en0" (the interface
// whose scope id it is), else the number.
static int
addzone(char *host, socklen_t hostlen, const struct sockaddr_in6 *in6)
{
  const uint8_t *a = in6->sin6_addr.s6_addr;
  char zone[16];
  int n = in6->sin6_scope_id - INET_SCOPE_OF(0);

  if(in6->sin6_scope_id == 0 || !(a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
    return 0;
  if(n >= 0 && n < 100)
    snprintf(zone, sizeof(zone), "%%en%d", n);
  else
    snprintf(zone, sizeof(zone), "%%%u", (unsigned)in6->sin6_scope_id);
  if(strlen(host) + strlen(zone) + 1 > hostlen)
    return -1;
  strcat(host, zone);
  return 0;
}

int
getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
            char *serv, socklen_t servlen, int flags)
{
  const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
  const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
  int port;

  if(sa == 0 || salen < sizeof(sa_family_t))
    return EAI_FAIL;
  if(sa->sa_family == AF_INET6 ? salen < sizeof(*in6) :
     sa->sa_family == AF_INET ? salen < sizeof(*in) : 0)
    return EAI_FAIL;
  if(sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
    return EAI_FAMILY;
  port = ntohs(sa->sa_family == AF_INET6 ? in6->sin6_port : in->sin_port);
  if(host && hostlen > 0){
    if(flags & NI_NAMEREQD)
      return EAI_NONAME;     // a name was required, and there is no reverse DNS
    if(sa->sa_family == AF_INET6){
      if(inet_ntop(AF_INET6, &in6->sin6_addr, host, hostlen) == 0 ||
         addzone(host, hostlen, in6) < 0)
        return EAI_OVERFLOW;
    } else if(inet_ntop(AF_INET, &in->sin_addr, host, hostlen) == 0){
      return EAI_OVERFLOW;
    }
  }
  if(serv && servlen > 0 && snprintf(serv, servlen, "%u", port) >= (int)servlen)
    return EAI_OVERFLOW;
  return 0;
}

struct hostent *
gethostbyaddr(const void *addr, socklen_t len, int type)
{
  char text[INET6_ADDRSTRLEN];

  if(!(type == AF_INET && len == 4) && !(type == AF_INET6 && len == 16)){
    h_errno = NO_RECOVERY;
    return 0;
  }
  inet_ntop(type, addr, text, sizeof(text));
  return gethostbyname2(text, type);   // an address is its own answer: no query
}

void
herror(const char *what)
{
  if(what && *what)
    fprintf(stderr, "%s: %s\n", what, hstrerror(h_errno));
  else
    fprintf(stderr, "%s\n", hstrerror(h_errno));
}

// A service's port through getaddrinfo's table, so there is one table.
struct servent *
getservbyname(const char *name, const char *proto)
{
  static struct servent se;
  static char *none[] = { 0 };
  static char namebuf[32], protobuf[8];
  struct addrinfo hints, *res;
  int udp = proto && strcmp(proto, "udp") == 0;

  if(name == 0 || (name[0] >= '0' && name[0] <= '9') || strlen(name) >= sizeof(namebuf) ||
     (proto && !udp && strcmp(proto, "tcp") != 0))
    return 0;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_INET;
  hints.ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  if(getaddrinfo(0, name, &hints, &res) != 0)
    return 0;
  se.s_port = ((struct sockaddr_in *)res->ai_addr)->sin_port;
  freeaddrinfo(res);
  strcpy(namebuf, name);
  strcpy(protobuf, udp ? "udp" : "tcp");
  se.s_name = namebuf;
  se.s_aliases = none;
  se.s_proto = protobuf;
  return &se;
}

static const struct {
  const char *name;
  int number;
} protocols[] = {
  { "ip", IPPROTO_IP }, { "icmp", IPPROTO_ICMP }, { "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
  { "ipv6", IPPROTO_IPV6 }, { "ipv6-icmp", IPPROTO_ICMPV6 },
};

static struct protoent *
protoent(int i)
{
  static struct protoent pe;
  static char *none[] = { 0 };

  pe.p_name = (char *)protocols[i].name;
  pe.p_aliases = none;
  pe.p_proto = protocols[i].number;
  return &pe;
}

struct protoent *
getprotobyname(const char *name)
{
  for(int i = 0; name && i < (int)(sizeof(protocols) / sizeof(protocols[0])); i++)
    if(strcasecmp(name, protocols[i].name) == 0)
      return protoent(i);
  return 0;
}

struct protoent *
getprotobynumber(int proto)
{
  for(int i = 0; i < (int)(sizeof(protocols) / sizeof(protocols[0])); i++)
    if(protocols[i].number == proto)
      return protoent(i);
  return 0;
}
