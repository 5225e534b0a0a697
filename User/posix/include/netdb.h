// <netdb.h> for POSIX programs: name resolution by the project's DNS client
// (User/lib/resolv.c, the same code xv6-style programs use; its structures
// and EAI_ numbers are in user/netdb.h): A and AAAA records, getaddrinfo for
// AF_INET, AF_INET6 and AF_UNSPEC. getnameinfo and gethostbyaddr give numeric
// names (no reverse DNS lookups): with NI_NAMEREQD getnameinfo fails with
// EAI_NONAME; a link-local IPv6 address gets its zone ("fe80::1%en0").
// (User/posix/lib/netdb.c has these extras.)
#pragma once
#include <sys/socket.h>
#include <netinet/in.h>

#define NETDB_STANDARD_ONLY
#include "user/netdb.h"
#undef NETDB_STANDARD_ONLY
#define INET_SCOPE_OF(n) ((n) + 2)   // interface enN's scope id (user/netdb.h)

#define EAI_SYSTEM      -11
#define EAI_OVERFLOW    -12

#define NI_MAXHOST      1025
#define NI_MAXSERV      32
#define NI_NUMERICHOST  1
#define NI_NUMERICSERV  2
#define NI_NOFQDN       4
#define NI_NAMEREQD     8
#define NI_DGRAM        16

#ifdef __cplusplus
extern "C" {
#endif

int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                socklen_t hostlen, char *serv, socklen_t servlen, int flags);
struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type);
void herror(const char *what);    // "what: message" for h_errno, on stderr

// Services and protocols come from small built-in tables (no /etc files):
// the services getaddrinfo knows (http, domain, echo, daytime, discard) and
// ip, icmp, tcp, udp. Results are static.
struct servent {
  char *s_name;
  char **s_aliases;
  int s_port;             // network order
  char *s_proto;
};
struct protoent {
  char *p_name;
  char **p_aliases;
  int p_proto;
};
struct servent *getservbyname(const char *name, const char *proto);
struct protoent *getprotobyname(const char *name);
struct protoent *getprotobynumber(int proto);

#ifdef __cplusplus
}
#endif
