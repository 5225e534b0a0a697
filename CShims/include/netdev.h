// netdev.h: the boundary between network drivers and the network layer.
//
// A driver (Sources/Drivers/<bus>/<device>) finds its device, brings it up,
// fills a struct netdev from netdev_alloc() (its model name, MAC, irq, the
// ops below) and calls netdev_register(). From then on the network layer
// (Kernel/net.c and the lwIP glue, Net/lwip_netif.c) calls the driver only
// through dev->ops, and the driver calls back only netdev_receive() and
// netdev_set_link(). Neither side names the other: a third NIC is a new
// folder under Sources/Drivers and one probe call in main.c.
//
// Every op and callback runs with the kernel's network lock held (Kernel/net.c);
// none of them takes it. Only fixed-size integer types appear, so the header
// is the same for C and Swift.
#pragma once
#include <stdint.h>

#define NETDEV_HDR_LEN      14     // Ethernet: destination, source, EtherType
#define NETDEV_MTU          1500   // the IP packet one frame carries
#define NETDEV_FRAME_MAX    1514   // what we send: header + MTU (the device adds the FCS)
#define NETDEV_RX_FRAME_MAX 1518   // what we accept: one 802.1Q tag more
#define NETDEV_MAX          4      // interfaces en0..en3
#define NETDEV_MODEL_MAX    24

// What the device does for the network layer (struct netdev's offloads; zero:
// nothing, as virtio-net without negotiated features).
// TX_CSUM_TCP_UDP: the driver has the device insert the TCP checksum of every
// unfragmented TCP/IPv4 frame, and the UDP checksum of one whose field the
// stack left 0, so the stack need not compute them (Net/lwip_netif.c).
#define NETDEV_OFFLOAD_TX_CSUM_TCP_UDP 0x1u

// Link-level counters each driver keeps, as ifconfig shows them.
struct netdev_stats {
  uint64_t rx_packets, rx_bytes;
  uint64_t rx_drops;    // frames the device had for us and lost (no buffer posted)
  uint64_t rx_errors;   // bad lengths or descriptors from the device
  uint64_t tx_packets, tx_bytes;
  uint64_t tx_drops;    // no transmit buffer free
  uint64_t tx_errors;   // bad submits, bad completions
};

struct netdev;

// What the network layer asks of a driver.
struct netdev_ops {
  // A free transmit buffer for one frame of up to NETDEV_FRAME_MAX bytes, or
  // NULL if the ring is full even after reclaiming finished ones.
  void *(*tx_buffer)(struct netdev *dev);
  // Send len bytes written into a buffer from tx_buffer. Tells the device at
  // once if tx_flush is NULL; else the frame waits for tx_flush.
  void (*tx_submit)(struct netdev *dev, void *buf, uint32_t len);
  // The device's interrupt: acknowledge it, netdev_receive() each frame,
  // re-post receive buffers, reclaim transmits, netdev_set_link() on a change.
  void (*intr)(struct netdev *dev);
  void (*get_stats)(struct netdev *dev, struct netdev_stats *out);
  // Optional: tell the device about every frame submitted since the last call.
  // The network layer calls it before it lets go of its lock (and before it
  // sleeps with it), so a burst lwIP sends under one hold (a window of
  // segments, the ACKs of one interrupt's frames) costs one notification, a
  // trip into the device model, instead of one per frame.
  void (*tx_flush)(struct netdev *dev);
};

struct netdev {
  char model[NETDEV_MODEL_MAX];  // what ifconfig names: "virtio-net", "e1000 (82540EM)"
  uint8_t mac[6];
  uint8_t link_up;               // the driver's view at registration
  uint8_t pad;
  int32_t irq;                   // PLIC source the device interrupts on
  uint32_t unit;                 // the driver's own instance number
  uint32_t offloads;             // NETDEV_OFFLOAD_* bits
  uint32_t mtu;                  // largest IP packet per frame, at most NETDEV_MTU
  struct netdev_ops ops;
  // Owned by the network layer from netdev_register on.
  void *stack;                   // the lwIP netif
  int32_t index;                 // N of enN
};

// ---- provided by the network layer (Kernel/net.c) ----------------------------
// A zeroed device slot to fill, or NULL when NETDEV_MAX are taken. Boot hart,
// after netinit().
struct netdev *netdev_alloc(void);
// Bring the interface up: an lwIP netif named enN, DHCP started, the irq
// routed. Returns N, or -1 (the slot is then free again).
int32_t netdev_register(struct netdev *dev);

// ---- provided by the lwIP glue (Net/lwip_netif.c), for drivers -----------------
// One received Ethernet frame (no FCS). Copied before return: the driver may
// re-post its buffer at once. Bad lengths are counted and dropped.
void netdev_receive(struct netdev *dev, const void *frame, uint32_t len);
// The link went up (1) or down (0).
void netdev_set_link(struct netdev *dev, int32_t up);
