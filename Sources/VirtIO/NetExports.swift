// The virtio-net driver's functions that C calls, and the one it calls back:
// the contract of CShims/include/lwip_glue.h. The netif glue
// (CShims/kernel/lwip_netif.c) and Kernel/net.c are the callers, always
// with the kernel's network lock held, so nothing here takes a lock.
import CShims

/// The one network device; set once by virtio_net_init on the boot hart,
/// before its interrupt is enabled, and never changed after.
nonisolated(unsafe) var netDevice: VirtioNet<MMIOTransport>? = nil

#if hasFeature(Embedded)
  /// lwip_netif.c: copy one received frame into a pbuf and give it to lwIP.
  @_extern(c, "net_rx_frame")
  func net_rx_frame(_ frame: UnsafeRawPointer?, _ len: UInt32)
#endif

/// Where received frames go: lwIP in the kernel. The host build has no
/// lwIP glue linked in; its tests give the driver their own sink.
func deliverFrame(_ frame: UnsafeRawPointer, _ length: UInt32) {
  #if hasFeature(Embedded)
    net_rx_frame(frame, length)
  #endif
}

/// Find the virtio-net device, bring it up, write its MAC to mac_out and
/// return its PLIC irq, or -1.
@c public func virtio_net_init(_ macOut: UnsafeMutablePointer<UInt8>?) -> Int32 {
  guard let found = probeMMIO(.network) else {
    print("virtio-net: no network device in the virtio-mmio slots")
    return -1
  }
  do throws(VirtioNetError) {
    let net = try VirtioNet.start(transport: found.transport, dma: PageDMA())
    netDevice = net
    if let macOut {
      for i in 0..<6 { macOut[i] = net.mac[i] }
    }
    print(
      "virtio-net: irq \(found.irq), \(net.postedReceiveBuffers) receive and \(net.freeTransmitBuffers) transmit buffers"
    )
    return found.irq
  } catch {
    print("virtio-net: \(error.message)")
    return -1
  }
}

@c public func virtio_net_intr() {
  netDevice?.handleInterrupt(deliver: deliverFrame)
}

/// A free transmit frame area (at least 1514 bytes) or NULL.
@c public func virtio_net_tx_buffer() -> UnsafeMutableRawPointer? {
  netDevice?.transmitBuffer()
}

@c public func virtio_net_tx_submit(_ buf: UnsafeMutableRawPointer?, _ len: UInt32) {
  guard let net = netDevice, let buf else { return }
  net.submit(buf, length: len)
}

/// Fill C's struct virtio_net_stats: eight uint64_t in NetStats' order.
@c public func virtio_net_get_stats(_ out: UnsafeMutableRawPointer?) {
  guard let out else { return }
  let s = netDevice?.stats ?? NetStats()
  let put = { (field: Int, value: UInt64) in
    out.storeBytes(of: value, toByteOffset: 8 * field, as: UInt64.self)
  }
  put(0, s.rxPackets)
  put(1, s.rxBytes)
  put(2, s.rxDrops)
  put(3, s.rxErrors)
  put(4, s.txPackets)
  put(5, s.txBytes)
  put(6, s.txDrops)
  put(7, s.txErrors)
}
