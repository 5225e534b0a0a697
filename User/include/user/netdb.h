// netdb.h: host name resolution (User/lib/resolv.c), in the style of the C
// library's: gethostbyname, getaddrinfo (IPv4 only), their error codes and
// messages, and dial(), which resolves and connects in one call.
//
// The resolver is a user-space DNS client over a UDP socket. It asks the DNS
// server learned through DHCP (netinfo), unless res_setserver() chose another.
// Include after kernel/types.h, user/user.h and user/socket.h.
// POSIX programs' <netdb.h> (User/posix/include) includes this file with
// NETDB_STANDARD_ONLY defined: they see only the standard names.
#pragma once

struct hostent {
  char *h_name;           // official (canonical) name, after any CNAMEs
  char **h_aliases;       // the names that led to it, 0-terminated
  int h_addrtype;         // AF_INET
  int h_length;           // 4
  char **h_addr_list;     // addresses in network order, 0-terminated
};
#define h_addr h_addr_list[0]

// h_errno: why the last gethostbyname failed.
extern int h_errno;
#define HOST_NOT_FOUND  1   // NXDOMAIN: the name does not exist
#define TRY_AGAIN       2   // the server failed (SERVFAIL): try later
#define NO_RECOVERY     3   // refused, malformed answer or a local error
#define NO_DATA         4   // the name exists but has no IPv4 address
#define NO_ADDRESS      NO_DATA
#ifndef NETDB_STANDARD_ONLY
#define NO_SERVER       5   // (ours) no DNS server known: no network or lease
#define DNS_TIMEOUT     6   // (ours) the server did not answer in time
#define BAD_NAME        7   // (ours) not a valid DNS name (e.g. "a..b")
#endif
const char *hstrerror(int err);

struct hostent *gethostbyname(const char *name);   // a static result, or 0

struct addrinfo {
  int ai_flags;
  int ai_family;          // AF_INET
  int ai_socktype;        // SOCK_STREAM or SOCK_DGRAM
  int ai_protocol;        // IPPROTO_TCP or IPPROTO_UDP
  socklen_t ai_addrlen;
  struct sockaddr *ai_addr;
  char *ai_canonname;     // only with AI_CANONNAME, on the first entry
  struct addrinfo *ai_next;
};
#define AI_PASSIVE      0x01  // no node: INADDR_ANY (else the loopback)
#define AI_CANONNAME    0x02
#define AI_NUMERICHOST  0x04  // node must be a dotted address: never query
#define AI_NUMERICSERV  0x400
#define AI_V4MAPPED     0x08  // accepted: there is only IPv4
#define AI_ALL          0x10  // accepted: there is only IPv4
#define AI_ADDRCONFIG   0x20  // accepted: an IPv4 address is all there is

// getaddrinfo's results (Linux's values)
#define EAI_BADFLAGS    -1
#define EAI_NONAME      -2
#define EAI_AGAIN       -3
#define EAI_FAIL        -4
#define EAI_NODATA      -5
#define EAI_FAMILY      -6
#define EAI_SOCKTYPE    -7
#define EAI_SERVICE     -8
#define EAI_MEMORY      -10
int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res);
void freeaddrinfo(struct addrinfo *ai);
const char *gai_strerror(int err);

#ifndef NETDB_STANDARD_ONLY
// The DNS server to ask: addr (network order), or 0 for the one from DHCP.
void res_setserver(in_addr_t addr);
// The server that will be asked: 0, or -1 with h_errno = NO_SERVER.
int res_getserver(in_addr_t *addr);

// Resolve host and connect a socket of type (SOCK_STREAM or SOCK_DGRAM) to
// host:port, trying each address; connect gives up after timeout_ms (0: the
// kernel's own limit). Returns the socket, or -1 with a message such as
// "wttr.in: name not found" or "10.0.2.2:80: Connection refused" in why.
int dial(const char *host, int port, int type, int timeout_ms, char *why, int whylen);

// Set a socket's receive timeout (SO_RCVTIMEO) in milliseconds.
int set_rcvtimeo(int fd, int ms);
#endif
