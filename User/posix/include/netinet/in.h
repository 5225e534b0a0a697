// <netinet/in.h> for POSIX programs: Internet addresses (user/sockaddr.h),
// the IPPROTO_ and INADDR_ numbers (kernel/sockabi.h) and byte order.
#pragma once
#include <sys/socket.h>
#include <stdint.h>

// byte order: the machine is little-endian, the network big-endian
static inline uint16_t htons(uint16_t x) { return __builtin_bswap16(x); }
static inline uint16_t ntohs(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t htonl(uint32_t x) { return __builtin_bswap32(x); }
static inline uint32_t ntohl(uint32_t x) { return __builtin_bswap32(x); }

#define IN6ADDR_ANY_INIT      { { { 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0 } } }
#define IN6ADDR_LOOPBACK_INIT { { { 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1 } } }
extern const struct in6_addr in6addr_any;
extern const struct in6_addr in6addr_loopback;
