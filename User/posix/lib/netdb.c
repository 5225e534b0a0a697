// netdb.c: the parts of <netdb.h> beyond the resolver (User/lib/resolv.c):
// numeric getnameinfo and gethostbyaddr (there is no reverse DNS), herror,
// and services and protocols from small built-in tables.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>

int
getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
            char *serv, socklen_t servlen, int flags)
{
  const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

  if(sa == 0 || salen < sizeof(*in))
    return EAI_FAIL;
  if(sa->sa_family != AF_INET)
    return EAI_FAMILY;
  if(host && hostlen > 0){
    if(flags & NI_NAMEREQD)
      return EAI_NONAME;     // a name was required, and there is no reverse DNS
    if(inet_ntop(AF_INET, &in->sin_addr, host, hostlen) == 0)
      return EAI_OVERFLOW;
  }
  if(serv && servlen > 0 &&
     snprintf(serv, servlen, "%u", ntohs(in->sin_port)) >= (int)servlen)
    return EAI_OVERFLOW;
  return 0;
}

struct hostent *
gethostbyaddr(const void *addr, socklen_t len, int type)
{
  char text[INET_ADDRSTRLEN];

  if(type != AF_INET || len != 4){
    h_errno = NO_RECOVERY;
    return 0;
  }
  inet_ntop(AF_INET, addr, text, sizeof(text));
  return gethostbyname(text);   // a dotted name is its own answer: no query
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
