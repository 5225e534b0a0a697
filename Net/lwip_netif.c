// lwip_netif.c: the lwIP network interface of every NIC, after lwIP's
// ethernetif.c template (low_level_init / low_level_output / input /
// ethernetif_init). The device side is whichever driver registered the
// interface: the glue reaches it only through the ops of its struct netdev
// (CShims/include/netdev.h), so it names no driver.
//
// All entry points run with the network lock held (Kernel/net.c).
// Frames cross the boundary by one copy each way: transmit copies the pbuf
// chain into the driver's buffer, receive copies the driver's buffer into a
// pool pbuf, so the driver can recycle its buffer immediately.
#include <string.h>
#include "lwip/opt.h"
#include "lwip/def.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/snmp.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "netif/ethernet.h"
#include "lwip_glue.h"

// Frames each interface's glue dropped, by interface index (netinfo shows them).
static struct lwip_glue_stats glue_stats[NETDEV_MAX];
// Interfaces whose driver holds submitted frames it has not told the device
// about yet (ops.tx_flush), by index; lwip_glue_flush empties it.
static struct netdev *unflushed[NETDEV_MAX];

// Link-level setup: address, MTU and what the link can do.
static void
low_level_init(struct netif *netif)
{
  struct netdev *dev = netif->state;

  netif->hwaddr_len = ETH_HWADDR_LEN;
  MEMCPY(netif->hwaddr, dev->mac, ETH_HWADDR_LEN);
  netif->mtu = dev->mtu > 0 && dev->mtu <= NETDEV_MTU ? dev->mtu : NETDEV_MTU;
  // The link flag is net.c's to set, from what the driver reports.
  // MLD6: lwIP joins the solicited-node multicast groups neighbour discovery
  // needs and reports them. No mld_mac_filter: neither device filters
  // multicast here (virtio-net without VIRTIO_NET_F_CTRL_RX takes every frame;
  // the e1000 driver sets RCTL.MPE), so no group can be missed.
  netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
                 NETIF_FLAG_MLD6;
  // The device inserts TCP checksums: lwIP leaves the field 0. UDP keeps
  // lwIP's: it sums a datagram before ip4_frag splits it, and a fragment's
  // checksum is beyond the device (it sums one frame), so with GEN_UDP off a
  // fragmented datagram would go out with 0, "no checksum". (TCP segments
  // are never fragmented: TCP_MSS fits the MTU.) Received checksums are all
  // still checked: the device verifies none (QEMU's e1000 marks every frame
  // "ignore checksum indication"), and lwIP's switch is per netif, not per
  // frame. Segments to the interface's own address never reach the device;
  // Kernel/net.c skips their check (net_loop_poll).
  if(dev->offloads & NETDEV_OFFLOAD_TX_CSUM_TCP_UDP)
    NETIF_SET_CHECKSUM_CTRL(netif, NETIF_CHECKSUM_ENABLE_ALL & ~NETIF_CHECKSUM_GEN_TCP);
}

// Send one frame (the chain p). A full transmit ring drops the frame with a
// count and reports success: TCP retransmits, and returning ERR_MEM would only
// make callers retry at once against the same full ring.
static err_t
low_level_output(struct netif *netif, struct pbuf *p)
{
  struct netdev *dev = netif->state;
  struct lwip_glue_stats *st = &glue_stats[dev->index];
  void *buf;
  u16_t len = p->tot_len - ETH_PAD_SIZE;   // the pad is lwIP's, not the wire's

  if(len > NETDEV_FRAME_MAX){
    st->tx_toolong++;
    LINK_STATS_INC(link.lenerr);
    return ERR_OK;
  }
  buf = dev->ops.tx_buffer(dev);
  if(buf == NULL){
    st->tx_nobuf++;
    LINK_STATS_INC(link.drop);
    return ERR_OK;
  }
  // From ETH_PAD_SIZE on: drivers hand out buffers at 2 mod 8, as lwIP's
  // pbufs are, so the copy moves words (lwipopts.h).
  if(pbuf_copy_partial(p, buf, len, ETH_PAD_SIZE) != len)
    LWIP_ASSERT("pbuf chain shorter than tot_len", 0);
  dev->ops.tx_submit(dev, buf, len);
  if(dev->ops.tx_flush != NULL)
    unflushed[dev->index] = dev;
  LINK_STATS_INC(link.xmit);
  return ERR_OK;
}

// Called by a driver for each received frame: copy it into a pool pbuf and
// hand it to lwIP (ethernet_input). Drops are counted, never fatal.
void
netdev_receive(struct netdev *dev, const void *frame, uint32_t len)
{
  struct netif *netif = dev ? dev->stack : NULL;
  struct lwip_glue_stats *st;
  struct pbuf *p;

  if(netif == NULL)
    return;
  st = &glue_stats[dev->index];
  if(len < NETDEV_HDR_LEN || len > NETDEV_RX_FRAME_MAX){
    st->rx_badlen++;
    LINK_STATS_INC(link.lenerr);
    return;
  }
  p = pbuf_alloc(PBUF_RAW, (u16_t)(len + ETH_PAD_SIZE), PBUF_POOL);
  if(p == NULL){
    st->rx_nomem++;
    LINK_STATS_INC(link.memerr);
    return;
  }
  // After the pad: the frame lands 2 mod 8 like the driver's copy of it, so
  // the copy moves words and the IP header is aligned.
  if(pbuf_take_at(p, frame, (u16_t)len, ETH_PAD_SIZE) != ERR_OK){
    pbuf_free(p);
    st->rx_nomem++;
    LINK_STATS_INC(link.memerr);
    return;
  }
  LINK_STATS_INC(link.recv);
  if(lwip_ndguard_drop(frame, len)){   // ND options lwIP 2.1.3 would misread:
    pbuf_free(p);                      // counted as lwIP's nd6 drops
    return;
  }
  lwip_synguard(frame, len);   // a SYN flood must not lock listeners out
  if(netif->input(p, netif) != ERR_OK)
    pbuf_free(p);   // input did not take ownership
  lwip_newreno_after_input();
}

// The driver saw the link go up or down (a link-change interrupt): lwIP stops sending
// on a down link and DHCP renews when it comes back.
void
netdev_set_link(struct netdev *dev, int32_t up)
{
  struct netif *netif = dev ? dev->stack : NULL;

  if(netif == NULL)
    return;
  if(up)
    netif_set_link_up(netif);
  else
    netif_set_link_down(netif);
}

// netif_add's init callback. netif->state is the interface's struct netdev.
err_t
ethernetif_init(struct netif *netif)
{
  LWIP_ASSERT("netif has a device", netif->state != NULL);
  netif->name[0] = 'e';   // "en0": the name the capture file carries too
  netif->name[1] = 'n';
  netif->output = etharp_output;
  netif->output_ip6 = ethip6_output;
  netif->linkoutput = low_level_output;
  low_level_init(netif);
  return ERR_OK;
}

void
lwip_glue_flush(void)
{
  for(int i = 0; i < NETDEV_MAX; i++)
    if(unflushed[i] != NULL){
      struct netdev *dev = unflushed[i];
      unflushed[i] = NULL;
      dev->ops.tx_flush(dev);
    }
}

void
lwip_glue_get_stats(struct netdev *dev, struct lwip_glue_stats *out)
{
  *out = glue_stats[dev->index];
}
