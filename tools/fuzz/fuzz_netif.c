// fuzz_netif.c: libFuzzer target for the kernel's receive path on the host.
//
// Arbitrary bytes become Ethernet frames handed to the kernel's own netif glue
// (Net/lwip_netif.c: netdev_receive -> lwip_synguard -> ethernet_input)
// over lwIP 2.1.3 built from the pinned sources with the kernel's lwipopts. The
// "device" is fake: transmitted frames are parsed and dropped. Built by tools/fuzz/build.sh.
//
// Input format, so the fuzzer can play a whole conversation:
//   byte 0        bit 0: check checksums (otherwise lwIP ignores them)
//   then frames   [ctl:1][len:2 big-endian][len bytes]   (the last may be short)
//     ctl bit 0   overwrite a TCP segment's ack with the last sequence number
//                 the stack sent (so a handshake can complete)
//     ctl bits1-3 advance the clock by that many 100 ms and run the timers
//     ctl bits4-6 how the TCP echo writes what this frame brings (peer_apps.h,
//                 ECHO_*: split with MSG_MORE, output at once, shut down after)
// The stack listens on TCP 80 (echo), UDP 7 (echo) and connects out from port
// 40000 to 10.0.2.2:5000 for each input; it has IPv4 10.0.2.15 and IPv6
// fe80::5054:ff:fe12:3456 and fec0::5054:ff:fe12:3456 (both preferred, as after
// DAD on QEMU's user network), takes router advertisements (SLAAC) and runs
// stateless DHCPv6, as the kernel does (Kernel/net.c); after each input every connection is
// aborted and the clock runs 20 s, after which no pool element may still be used.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/memp.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/udp.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/dhcp6.h"
#include "lwip/nd6.h"
#include "netif/ethernet.h"
#include "lwip/timeouts.h"
#include "lwip_glue.h"

#define FRAME_MAX 1514

static struct netif nif;
static struct netdev dev = {.mac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}};  // ops set in setup()
static uint32_t now_ms;
static uint32_t rand_state;
static uint32_t tx_next_seq;   // sequence number after the last TCP segment sent
static uint8_t txbuf[FRAME_MAX];

// ---- the fake device and the port (what lwip_port.c gives the kernel) -------------
u32_t sys_now(void) { return now_ms; }

unsigned int
fuzz_rand(void)
{
  rand_state ^= rand_state << 13;
  rand_state ^= rand_state >> 17;
  rand_state ^= rand_state << 5;
  return rand_state;
}

static void *fake_tx_buffer(struct netdev *d) { (void)d; return txbuf; }

// What lwip_sock_dgram.c (not linked: the shim needs the Swift layer) tells
// lwip_seqguard.c.
uint32_t
lsock_pool_free(void)
{
  const struct stats_mem *m = lwip_stats.memp[MEMP_PBUF_POOL];
  return m->avail > m->used ? m->avail - m->used : 0;
}

// Remember where our TCP sequence space is, for ctl bit 0.
static void
fake_tx_submit(struct netdev *d, void *buf, uint32_t len)
{
  const uint8_t *f = buf;
  uint32_t ihl, tcp, seq, dlen;

  (void)d;
  if(getenv("FUZZ_DEBUG") && len >= 14 + 40 + 1 && f[12] == 0x86 && f[13] == 0xdd)
    fprintf(stderr, "tx ip6 next header %u%s%u\n", f[20], f[20] == 58 ? " icmp6 type " : " ",
            f[20] == 58 ? f[54] : 0);
  if(len < 14 + 20 || f[12] != 0x08 || f[13] != 0x00 || f[23] != 6)
    return;
  ihl = (f[14] & 0xf) * 4;
  tcp = 14 + ihl;
  if(len < tcp + 20)
    return;
  seq = (uint32_t)f[tcp+4] << 24 | f[tcp+5] << 16 | f[tcp+6] << 8 | f[tcp+7];
  dlen = ((uint32_t)f[16] << 8 | f[17]) - ihl - (f[tcp+12] >> 4) * 4;
  tx_next_seq = seq + dlen + ((f[tcp+13] & 0x03) ? 1 : 0);   // SYN or FIN
  if(getenv("FUZZ_DEBUG"))   // to check that a seed does what it says
    fprintf(stderr, "tx tcp %u->%u flags %02x len %u\n", f[tcp] << 8 | f[tcp+1],
            f[tcp+2] << 8 | f[tcp+3], f[tcp+13], dlen);
}

// ---- the applications the frames talk to -------------------------------------------
#include "peer_apps.h"

// The IPv6 side as the kernel sets it up (Kernel/net.c, Net/lwip_netif.c), its
// two addresses already preferred so the fuzzer need not wait out DAD.
static void
setup_ip6(void)
{
  ip6_addr_t global;

  if(nif.output_ip6 == 0)          // a glue from before IPv6
    nif.output_ip6 = ethip6_output;
  nif.flags |= NETIF_FLAG_MLD6;
  netif_create_ip6_linklocal_address(&nif, 1);
  netif_ip6_addr_set_state(&nif, 0, IP6_ADDR_PREFERRED);
  IP6_ADDR(&global, PP_HTONL(0xfec00000), 0, PP_HTONL(0x505400ff), PP_HTONL(0xfe123456));
  netif_ip6_addr_set(&nif, 1, &global);
  netif_ip6_addr_set_state(&nif, 1, IP6_ADDR_PREFERRED);
  netif_set_ip6_autoconfig_enabled(&nif, 1);
  dhcp6_enable_stateless(&nif);
}

// Back to the two addresses of setup_ip6: what an input's router advertisement
// configured (slot 2) or a neighbour advertisement marked goes, so one input's
// state does not leak into the next.
static void
reset_ip6(void)
{
  netif_ip6_addr_set_state(&nif, 0, IP6_ADDR_PREFERRED);
  netif_ip6_addr_set_state(&nif, 1, IP6_ADDR_PREFERRED);
  for(int k = 2; k < LWIP_IPV6_NUM_ADDRESSES; k++)
    netif_ip6_addr_set_state(&nif, k, IP6_ADDR_INVALID);
}

static void
setup(void)
{
  ip4_addr_t addr, mask, gw, peer;
  struct eth_addr pmac = {{0x52, 0x55, 0x0a, 0x00, 0x02, 0x02}};

  lwip_init();
  IP4_ADDR(&addr, 10, 0, 2, 15);
  IP4_ADDR(&mask, 255, 255, 255, 0);
  IP4_ADDR(&gw, 10, 0, 2, 2);
  dev.ops.tx_buffer = fake_tx_buffer;
  dev.ops.tx_submit = fake_tx_submit;
  dev.stack = &nif;
  netif_add(&nif, &addr, &mask, &gw, &dev, ethernetif_init, ethernet_input);
  netif_set_default(&nif);
  netif_set_up(&nif);
  netif_set_link_up(&nif);
  etharp_add_static_entry(&gw, &pmac);
  IP4_ADDR(&peer, 10, 0, 2, 100);
  etharp_add_static_entry(&peer, &pmac);
  setup_ip6();
  peer_apps_listen();
}

// The kernel's timer hook may run a sweep before lwIP's timers (see
// tools/fuzz/proposed/); the harness does what the kernel does.
void lwip_persist_sweep(void) __attribute__((weak));

static void
run_timers(uint32_t ms)
{
  now_ms += ms;
  if(lwip_persist_sweep)
    lwip_persist_sweep();
  sys_check_timeouts();
}

// Abort every connection and let reassembly and ARP queues time out; then
// every pool element must be back.
static void
teardown(void)
{
  int i;

  while(tcp_active_pcbs)
    tcp_abort(tcp_active_pcbs);
  while(tcp_tw_pcbs)
    tcp_abort(tcp_tw_pcbs);
  for(i = 0; i < 20; i++)
    run_timers(1000);
  // IPv6 reassembly gives up after IP6_REASS_MAXAGE (60 s), IPv4's after 15 s
  for(i = 0; i < 45 && lwip_stats.memp[MEMP_IP6_REASSDATA]->used != 0; i++)
    run_timers(1000);
  // lwIP never gives up on a router's neighbour entry (nd6_tmr: INCOMPLETE and
  // isrouter), so a packet queued for an unanswering router stays, one per entry
  // (bounded by MEMP_NUM_ND6_QUEUE): forget every neighbour, router and prefix
  // here, so inputs start alike; a queue entry still used after that is a leak.
  nd6_cleanup_netif(&nif);
  reset_ip6();
  if(lwip_stats.memp[MEMP_PBUF_POOL]->used != 0 ||
     lwip_stats.memp[MEMP_IP6_REASSDATA]->used != 0 ||
     lwip_stats.memp[MEMP_ND6_QUEUE]->used != 0 ||
     lwip_stats.memp[MEMP_TCP_SEG]->used != 0 ||
     lwip_stats.memp[MEMP_TCP_PCB]->used != 0 ||
     lwip_stats.memp[MEMP_REASSDATA]->used != 0 ||
     lwip_stats.memp[MEMP_PBUF]->used != 0){
    fprintf(stderr, "leak: pool %u seg %u pcb %u reass %u pbuf %u reass6 %u nd6q %u\n",
            lwip_stats.memp[MEMP_PBUF_POOL]->used, lwip_stats.memp[MEMP_TCP_SEG]->used,
            lwip_stats.memp[MEMP_TCP_PCB]->used, lwip_stats.memp[MEMP_REASSDATA]->used,
            lwip_stats.memp[MEMP_PBUF]->used, lwip_stats.memp[MEMP_IP6_REASSDATA]->used,
            lwip_stats.memp[MEMP_ND6_QUEUE]->used);
    abort();
  }
}

static void
feed(uint8_t ctl, const uint8_t *data, size_t len)
{
  static uint8_t frame[0x10000];
  size_t tcp;

  memcpy(frame, data, len);
  if((ctl & 1) && len >= 14 + 20 && frame[12] == 0x08 && frame[13] == 0 && frame[23] == 6){
    tcp = 14 + (frame[14] & 0xf) * 4;
    if(len >= tcp + 12){
      frame[tcp+8] = tx_next_seq >> 24;
      frame[tcp+9] = tx_next_seq >> 16;
      frame[tcp+10] = tx_next_seq >> 8;
      frame[tcp+11] = tx_next_seq;
    }
  }
  echo_mode = (ctl >> 4) & 7;
  netdev_receive(&dev, frame, (uint32_t)len);
  if(ctl & 0x0e)
    run_timers(((ctl >> 1) & 7) * 100);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static int ready;
  size_t len;
  uint8_t ctl;

  if(!ready){
    setup();
    ready = 1;
  }
  if(size < 1)
    return 0;
  rand_state = 0x2545f491;
  NETIF_SET_CHECKSUM_CTRL(&nif, (data[0] & 1) ? NETIF_CHECKSUM_ENABLE_ALL
                                              : 0x00ff);   // generate, don't check
  peer_connect_out();
  data++, size--;
  while(size >= 3){
    ctl = data[0];
    len = (size_t)data[1] << 8 | data[2];
    data += 3, size -= 3;
    if(len > size)
      len = size;
    feed(ctl, data, len);
    data += len, size -= len;
  }
  teardown();
  return 0;
}
