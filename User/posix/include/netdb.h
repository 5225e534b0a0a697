// <netdb.h> for POSIX programs: name resolution by the project's DNS client
// (User/lib/resolv.c, the same code xv6-style programs use; its structures
// and EAI_ numbers are in user/netdb.h). IPv4 only: AF_INET6 hints give
// EAI_FAMILY. getnameinfo and gethostbyaddr give numeric names (no reverse
// DNS lookups): with NI_NAMEREQD getnameinfo fails with EAI_NONAME.
#pragma once
#include <sys/socket.h>
#include <netinet/in.h>

#define NETDB_STANDARD_ONLY
#include "user/netdb.h"
#undef NETDB_STANDARD_ONLY

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

#ifdef __cplusplus
}
#endif
