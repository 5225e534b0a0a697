// The virtio-net driver's registration with the network layer: probe every
// virtio-mmio slot for network devices, bring each up, and register it
// through CShims/include/netdev.h with ops that find the driver again by its
// unit number. The network layer calls the ops with its lock held, so
// nothing here takes a lock. Kernel only: the host tests drive VirtioNet
// directly over a fake device.
import CShims
import Device

extension VirtioNet: NetDriver {
  /// virtio-net without VIRTIO_NET_F_STATUS has no link state: always up.
  public func handleInterrupt(
    deliver: (UnsafeRawPointer, UInt32) -> Void, link: (Bool) -> Void
  ) {
    handleInterrupt(deliver: deliver)
  }
}

#if hasFeature(Embedded)
  /// The virtio-net devices found, by unit number; filled on the boot hart
  /// before their interrupts are routed, never changed after.
  nonisolated(unsafe) var netDevices: [VirtioNet<MMIOTransport>] = []

  func virtioNet(_ dev: UnsafeMutablePointer<netdev>?) -> VirtioNet<MMIOTransport>? {
    guard let dev, Int(dev.pointee.unit) < netDevices.count else { return nil }
    return netDevices[Int(dev.pointee.unit)]
  }

  let virtioNetOps = netdev_ops(
    tx_buffer: { dev in virtioNet(dev)?.transmitBuffer() },
    tx_submit: { dev, buf, len in
      if let net = virtioNet(dev), let buf { net.submit(buf, length: len, notify: false) }
    },
    intr: { dev in virtioNet(dev)?.handleInterrupt { netdev_receive(dev, $0, $1) } },
    get_stats: { dev, out in out?.pointee = (virtioNet(dev)?.stats ?? NetStats()).cValue },
    tx_flush: { dev in virtioNet(dev)?.flushTransmit() })

  /// Bring up every virtio-net device in the virtio-mmio slots and register
  /// each as an interface.
  @c @implementation public func virtio_net_probe() {
    for slot in 0..<VirtioMMIOBus.slots {
      guard let transport = VirtioMMIOBus.transport(slot: slot, ifDevice: .network) else {
        continue
      }
      let irq = VirtioMMIOBus.irq(slot: slot)
      do throws(VirtioNetError) {
        let net = try VirtioNet.start(transport: transport, dma: PageDMA())
        guard let dev = netdev_alloc() else {
          print("virtio-net: no interface slot left")
          return
        }
        describe(
          net, model: "virtio-net", irq: irq, unit: UInt32(netDevices.count), ops: virtioNetOps,
          into: dev)
        netDevices.append(net)
        print(
          "virtio-net: irq \(irq), \(net.postedReceiveBuffers) receive and \(net.freeTransmitBuffers) transmit buffers"
        )
        _ = netdev_register(dev)
      } catch {
        print("virtio-net: \(error.message)")
      }
    }
  }
#endif
