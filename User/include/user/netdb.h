// netdb.h: host name resolution (User/lib/resolv.c), in the style of the C
// library's: gethostbyname(2), getaddrinfo (IPv4 and IPv6), their error codes
// and messages, and dial(), which resolves and connects in one call; and the
// address literals programs take (User/lib/inet.c).
//
// The resolver is a user-space DNS client over a UDP socket. It asks the DNS
// server learned through DHCP (netinfo), or if there is none the IPv6 one
// learned through DHCPv6 or the router's advertisement, unless
// res_setserver() chose another.
// Include after kernel/types.h, user/user.h and user/socket.h.
// POSIX programs' <netdb.h> (User/posix/include) includes this file with
// NETDB_STANDARD_ONLY defined: they see only the standard names.
#pragma once

struct hostent {
  char *h_name;           // official (canonical) name, after any CNAMEs
  char **h_aliases;       // the names that led to it, 0-terminated
  int h_addrtype;         // AF_INET (gethostbyname) or AF_INET6
  int h_length;           // 4 or 16
  char **h_addr_list;     // addresses in network order, 0-terminated
};
#define h_addr h_addr_list[0]

// h_errno: why the last gethostbyname failed.
extern int h_errno;
#define HOST_NOT_FOUND  1   // NXDOMAIN: the name does not exist
#define TRY_AGAIN       2   // the server failed (SERVFAIL): try later
#define NO_RECOVERY     3   // refused, malformed answer or a local error
#define NO_DATA         4   // the name exists but has no address of the family
#define NO_ADDRESS      NO_DATA
#ifndef NETDB_STANDARD_ONLY
#define NO_SERVER       5   // (ours) no DNS server known: no network or lease
#define DNS_TIMEOUT     6   // (ours) the server did not answer in time
#define BAD_NAME        7   // (ours) not a valid DNS name (e.g. "a..b")
#endif
const char *hstrerror(int err);

struct hostent *gethostbyname(const char *name);   // a static result, or 0
// af AF_INET (A records) or AF_INET6 (AAAA); "localhost" is 127.0.0.1 and ::1.
struct hostent *gethostbyname2(const char *name, int af);

struct addrinfo {
  int ai_flags;
  int ai_family;          // AF_INET or AF_INET6
  int ai_socktype;        // SOCK_STREAM or SOCK_DGRAM
  int ai_protocol;        // IPPROTO_TCP or IPPROTO_UDP
  socklen_t ai_addrlen;
  struct sockaddr *ai_addr;
  char *ai_canonname;     // only with AI_CANONNAME, on the first entry
  struct addrinfo *ai_next;
};
// AF_UNSPEC gives IPv6 (AAAA) and IPv4 (A) results: IPv6 first when this
// host has a preferred global IPv6 address (netinfo), else IPv4 first.
#define AI_PASSIVE      0x01  // no node: 0.0.0.0 / :: (else 127.0.0.1 / ::1)
#define AI_CANONNAME    0x02
#define AI_NUMERICHOST  0x04  // node must be an address literal: never query
#define AI_NUMERICSERV  0x400
#define AI_V4MAPPED     0x08  // AF_INET6: IPv4 results as ::ffff:a.b.c.d if no AAAA
#define AI_ALL          0x10  // with AI_V4MAPPED: the A records too, mapped
#define AI_ADDRCONFIG   0x20  // AF_UNSPEC: no AAAA query without an IPv6 address
                              // beyond link-local

// getaddrinfo's results (Linux's values)
#define EAI_BADFLAGS    -1
#define EAI_NONAME      -2
#define EAI_AGAIN       -3
#define EAI_FAIL        -4
#define EAI_NODATA      -5
#define EAI_FAMILY      -6
#define EAI_SOCKTYPE    -7
#define EAI_SERVICE     -8
#define EAI_ADDRFAMILY  -9    // a literal of the other family than the hints'
#define EAI_MEMORY      -10
int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res);
void freeaddrinfo(struct addrinfo *ai);
const char *gai_strerror(int err);

#ifndef NETDB_STANDARD_ONLY
// The DNS server to ask: addr (network order), or 0 for the one from DHCP.
void res_setserver(in_addr_t addr);
// An IPv6 server (port 0 means 53), or 0 for the learned one.
void res_setserver6(const struct sockaddr_in6 *sa);
// The IPv4 server that will be asked: 0, or -1 with h_errno = NO_SERVER.
int res_getserver(in_addr_t *addr);
// The server that will be asked, of either family (a sockaddr_in or
// sockaddr_in6 in *sa, port 53): 0, or -1 with h_errno = NO_SERVER.
int res_getserver6(struct sockaddr_in6 *sa, socklen_t *len);
// 1 if an interface has a preferred IPv6 address beyond link-local: then
// getaddrinfo(AF_UNSPEC) puts IPv6 addresses first.
int res_prefer_ipv6(void);

// Address literals (User/lib/inet.c).
// Split "host:port", "[v6]:port", "[v6]", "v6" or "host" into host (without
// brackets) and port ("" if none). 0, or -1 if malformed (an unclosed or
// misplaced bracket, an empty host or port, brackets around no IPv6 address).
int inet_hostport(const char *s, char *host, int hostlen, char *port, int portlen);
// A literal "a.b.c.d" or "v6[%zone]" and port (host order) as a sockaddr_in
// or sockaddr_in6 in *sa (big enough for both), its length in *len. 0, or -1
// if host is no literal (or names an unknown zone).
int inet_literal(const char *host, int port, struct sockaddr_in6 *sa, socklen_t *len);
// A zone ("en0", or a number) as a scope id: 0, or -1 if there is no such
// interface. The scope id of interface enN is lwIP's netif index: the
// loopback interface is 1 (Linux's lo), en0 is 2, en1 3, ...
#define INET_SCOPE_OF(n) ((n) + 2)
int inet_zone(const char *zone, uint32_t *scope);
// "a.b.c.d:port" or "[v6]:port" of a sockaddr_in or sockaddr_in6.
const char *inet_sockaddr_text(const struct sockaddr *sa, char *buf, int len);

// Resolve host and connect a socket of type (SOCK_STREAM or SOCK_DGRAM) to
// host:port, trying each address; connect gives up after timeout_ms (0: the
// kernel's own limit). Returns the socket, or -1 with a message such as
// "wttr.in: name not found" or "10.0.2.2:80: Connection refused" in why.
int dial(const char *host, int port, int type, int timeout_ms, char *why, int whylen);

// Set a socket's receive timeout (SO_RCVTIMEO) in milliseconds.
int set_rcvtimeo(int fd, int ms);
#endif
