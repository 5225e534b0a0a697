// lwip_sock_addr.h: struct lsock_addr (lwip_sock.h) to and from lwIP's
// ip_addr_t, for the socket shim (lwip_sock.c, lwip_sock_dgram.c). lwIP is
// built dual-stack, so an ip_addr_t carries its type: V4, V6 or ANY (the
// unspecified address of both families, what a dual-stack [::] binds).
#pragma once
#include <string.h>         // memcpy, memset (lwipopts/libc in the kernel)
#include "lwip/ip_addr.h"
#include "lwip_sock.h"
#include "abi/sockabi.h"   // AF_INET, AF_INET6

// *a as lwIP's address; family 0 is IP_ANY_TYPE. An IPv6 address takes the
// zone (scope) only if it has a scope (link-local, multicast of link or
// interface scope): lwIP compares zones, and other addresses have none.
static inline void
lsock_to_ip(const struct lsock_addr *a, ip_addr_t *ip)
{
  if(a->family == AF_INET){
    u32_t v;
    MEMCPY(&v, a->addr, 4);
    ip_addr_set_ip4_u32_val(*ip, v);
  } else if(a->family == AF_INET6){
    ip6_addr_t *ip6 = ip_2_ip6(ip);
    MEMCPY(ip6->addr, a->addr, 16);
    ip6_addr_clear_zone(ip6);
    if(ip6_addr_has_scope(ip6, IP6_UNKNOWN))
      ip6_addr_set_zone(ip6, (u8_t)a->scope);
    IP_SET_TYPE_VAL(*ip, IPADDR_TYPE_V6);
  } else {
    ip_addr_copy(*ip, *IP_ANY_TYPE);
  }
}

// lwIP's address ip and port as a struct lsock_addr.
static inline void
lsock_from_ip(const ip_addr_t *ip, uint16_t port, struct lsock_addr *a)
{
  memset(a, 0, sizeof(*a));
  a->port = port;
  if(IP_IS_ANY_TYPE_VAL(*ip))
    return;
  if(IP_IS_V6_VAL(*ip)){
    a->family = AF_INET6;
    MEMCPY(a->addr, ip_2_ip6(ip)->addr, 16);
    a->scope = ip6_addr_zone(ip_2_ip6(ip));
  } else {
    a->family = AF_INET;
    MEMCPY(a->addr, &ip_2_ip4(ip)->addr, 4);
  }
}
