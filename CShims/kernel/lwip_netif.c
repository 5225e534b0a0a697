// lwip_netif.c: the lwIP network interface for the virtio-net device, after
// lwIP's ethernetif.c template (low_level_init / low_level_output / input /
// ethernetif_init). The device side is the Swift driver (lwip_glue.h).
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
#include "netif/ethernet.h"
#include "lwip_glue.h"

#define ETH_HDR_LEN   14                       // dst, src, type
#define ETH_MTU       1500
#define ETH_FRAME_MAX (ETH_HDR_LEN + ETH_MTU)  // no FCS: the device strips it

// The one interface this glue drives; set by ethernetif_init.
static struct netif *the_netif;
static struct lwip_glue_stats glue_stats;

// Link-level setup: address, MTU and what the link can do.
static void
low_level_init(struct netif *netif)
{
  const u8_t *mac = (const u8_t *)netif->state;

  netif->hwaddr_len = ETH_HWADDR_LEN;
  MEMCPY(netif->hwaddr, mac, ETH_HWADDR_LEN);
  netif->mtu = ETH_MTU;
  // virtio-net has no link-state feature negotiated: the link is up from the start.
  netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
                 NETIF_FLAG_LINK_UP;
}

// Send one frame (the chain p). A full transmit ring drops the frame with a
// count and reports success: TCP retransmits, and returning ERR_MEM would only
// make callers retry at once against the same full ring.
static err_t
low_level_output(struct netif *netif, struct pbuf *p)
{
  void *buf;
  u16_t len = p->tot_len - ETH_PAD_SIZE;   // the pad is lwIP's, not the wire's

  (void)netif;
  if(len > ETH_FRAME_MAX){
    glue_stats.tx_toolong++;
    LINK_STATS_INC(link.lenerr);
    return ERR_OK;
  }
  buf = virtio_net_tx_buffer();
  if(buf == NULL){
    glue_stats.tx_nobuf++;
    LINK_STATS_INC(link.drop);
    return ERR_OK;
  }
  // From ETH_PAD_SIZE on: source and buffer are then equally aligned (2 mod 8),
  // so the copy moves words (lwipopts.h, VirtioNet.swift's netBufferOffset).
  if(pbuf_copy_partial(p, buf, len, ETH_PAD_SIZE) != len)
    LWIP_ASSERT("pbuf chain shorter than tot_len", 0);
  virtio_net_tx_submit(buf, len);
  LINK_STATS_INC(link.xmit);
  return ERR_OK;
}

// Called by the Swift driver for each received frame: copy it into a pool
// pbuf and hand it to lwIP (ethernet_input). Drops are counted, never fatal.
void
net_rx_frame(const void *frame, uint32_t len)
{
  struct netif *netif = the_netif;
  struct pbuf *p;

  if(netif == NULL)
    return;
  if(len < ETH_HDR_LEN || len > ETH_FRAME_MAX){
    glue_stats.rx_badlen++;
    LINK_STATS_INC(link.lenerr);
    return;
  }
  p = pbuf_alloc(PBUF_RAW, (u16_t)(len + ETH_PAD_SIZE), PBUF_POOL);
  if(p == NULL){
    glue_stats.rx_nomem++;
    LINK_STATS_INC(link.memerr);
    return;
  }
  // After the pad: the frame lands 2 mod 8 like the driver's copy of it, so
  // the copy moves words and the IP header is aligned.
  if(pbuf_take_at(p, frame, (u16_t)len, ETH_PAD_SIZE) != ERR_OK){
    pbuf_free(p);
    glue_stats.rx_nomem++;
    LINK_STATS_INC(link.memerr);
    return;
  }
  LINK_STATS_INC(link.recv);
  lwip_synguard(frame, len);   // a SYN flood must not lock listeners out
  if(netif->input(p, netif) != ERR_OK)
    pbuf_free(p);   // input did not take ownership
}

// netif_add's init callback. netif->state points at the 6-byte MAC.
err_t
ethernetif_init(struct netif *netif)
{
  LWIP_ASSERT("netif has a MAC", netif->state != NULL);
  netif->name[0] = 'e';   // "en0": the name the capture file carries too
  netif->name[1] = 'n';
  netif->output = etharp_output;
  netif->linkoutput = low_level_output;
  low_level_init(netif);
  the_netif = netif;
  return ERR_OK;
}

void
lwip_glue_get_stats(struct lwip_glue_stats *out)
{
  *out = glue_stats;
}
