// sockaddr.h: the socket address structures user programs pass to the
// kernel, Linux's layouts, defined once for both user worlds: xv6-style
// programs (user/socket.h) and POSIX programs (<sys/socket.h>, <netinet/in.h>).
// The kernel reads them as struct ksockaddr_in (Kernel/socket.h).
#pragma once
#include <stdint.h>

typedef unsigned int socklen_t;
typedef unsigned short sa_family_t;
typedef uint16_t in_port_t;
typedef uint32_t in_addr_t;

struct in_addr {
  in_addr_t s_addr;           // network byte order
};

struct sockaddr {
  sa_family_t sa_family;
  char sa_data[14];
};

struct sockaddr_in {
  sa_family_t sin_family;     // AF_INET
  in_port_t sin_port;         // network byte order
  struct in_addr sin_addr;
  unsigned char sin_zero[8];
};

// IPv6 addresses (AF_INET6 sockets: TCP, UDP, raw ICMPv6). An IPv4 peer of
// a dual-stack AF_INET6 socket shows as ::ffff:a.b.c.d; sin6_scope_id names
// the interface of a link-local address (interface enN is N + 2: user/netdb.h).
struct in6_addr {
  union {
    uint8_t u6_addr8[16];
    uint16_t u6_addr16[8];
    uint32_t u6_addr32[4];
  } in6_u;                    // named: C99 and C++ compilers take it too
};
#define s6_addr   in6_u.u6_addr8
#define s6_addr16 in6_u.u6_addr16
#define s6_addr32 in6_u.u6_addr32

struct sockaddr_in6 {
  sa_family_t sin6_family;    // AF_INET6
  in_port_t sin6_port;
  uint32_t sin6_flowinfo;
  struct in6_addr sin6_addr;
  uint32_t sin6_scope_id;
};

// Large and aligned enough for any address above (128 bytes, as Linux).
struct sockaddr_storage {
  sa_family_t ss_family;
  char ss_pad[128 - sizeof(sa_family_t) - sizeof(uint64_t)];
  uint64_t ss_align;
};
