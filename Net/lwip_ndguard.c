// lwip_ndguard.c: checks the options of neighbour discovery messages before
// lwIP 2.1.3 sees them (netdev_receive calls it on every frame).
//
// RFC 4861 (4.6, 6.1) says a node silently discards an ND message with an
// option of length 0 or one that runs past the packet. lwIP parses options in
// order and stops at the bad one, so what came before it (a prefix, a router)
// has already been taken. And for neighbour solicitations and advertisements
// it reads the first option as the sender's link-layer address without
// checking its type or length: a solicitation whose first option is another
// kind would put those bytes in the neighbour cache as a MAC. Both are
// dropped here whole, counted as lwIP's own ND drops (nd6.drop).
//
// Only ND messages right after the IPv6 header are looked at: RFC 4861 ones
// carry no extension headers (their hop limit must be 255, so they come from
// the link itself), and lwIP's ND code is only reached with none.
#include <stdint.h>
#include "lwip/opt.h"
#include "lwip/stats.h"
#include "lwip_glue.h"

enum {
  ND_ETH_HLEN = 14, ND_IP6_HLEN = 40,
  ND_ICMP6 = 58,
  ND_RS = 133, ND_RA = 134, ND_NS = 135, ND_NA = 136, ND_REDIRECT = 137,
  OPT_SOURCE_LLADDR = 1, OPT_TARGET_LLADDR = 2,
};

// Bytes of each ND message's fixed part (ICMPv6 header included): options follow.
static uint32_t
nd_fixed_len(uint8_t type)
{
  switch(type){
  case ND_RS: return 8;
  case ND_RA: return 16;
  case ND_NS: case ND_NA: return 24;
  case ND_REDIRECT: return 40;
  }
  return 0;
}

int
lwip_ndguard_drop(const uint8_t *frame, uint32_t len)
{
  const uint8_t *ip, *icmp;
  uint32_t end, off, fixed;
  int specified_source = 0;

  if(len < ND_ETH_HLEN + ND_IP6_HLEN + 4 || frame[12] != 0x86 || frame[13] != 0xdd)
    return 0;
  ip = frame + ND_ETH_HLEN;
  if((ip[0] >> 4) != 6 || ip[6] != ND_ICMP6)
    return 0;
  icmp = ip + ND_IP6_HLEN;
  if((fixed = nd_fixed_len(icmp[0])) == 0)
    return 0;
  // The options end where the payload does; a payload longer than the frame
  // is lwIP's to drop (ip6_input checks it).
  end = ((uint32_t)ip[4] << 8 | ip[5]);
  if(ND_ETH_HLEN + ND_IP6_HLEN + end > len || end < fixed)
    return 0;
  for(int k = 8; k < 24; k++)
    specified_source |= ip[k];
  for(off = fixed; off < end; ){
    uint32_t optlen;
    if(end - off < 2)
      goto drop;   // a lone byte where an option should start
    optlen = (uint32_t)icmp[off + 1] * 8;
    if(optlen == 0 || optlen > end - off)
      goto drop;
    // What lwIP will read as the sender's (NS) or target's (NA) MAC must be one.
    if(off == fixed && specified_source && (icmp[0] == ND_NS || icmp[0] == ND_NA) &&
       (icmp[off] != (icmp[0] == ND_NS ? OPT_SOURCE_LLADDR : OPT_TARGET_LLADDR) || optlen != 8))
      goto drop;
    off += optlen;
  }
  return 0;
drop:
  ND6_STATS_INC(nd6.drop);
  return 1;
}
