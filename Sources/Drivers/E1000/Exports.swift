// The e1000 driver's registration with the network layer: find every
// 82540EM on PCI bus 0, give it its BARs, bring it up and register it
// through CShims/include/netdev.h with ops that find the driver again by
// its unit number. The network layer calls the ops with its lock held, so
// nothing here takes a lock. Kernel only: the host tests drive E1000
// directly over a fake device, and the PCI logic over a fake bus.
#if hasFeature(Embedded)
  import CShims
  import Device
  import PCI

  /// Transmit checksum offload (TxChecksum.swift): off unless the kernel
  /// is built with E1000_TX_CSUM=1 (the Makefile then passes -D E1000_TX_CSUM).
  /// Off because it does not pay under TCG. `tools/bench/run.py --only ours
  /// --nics e1000 --cpus 1 --runs 3 --no-report`, kernels alternating, 5
  /// rounds each; medians of the rounds' medians, off -> on:
  ///   e1000-down 24.4 -> 24.9 MB/s (rounds 24.1-25.5 vs 24.5-26.0),
  ///   e1000-up-sink 71.8 -> 73.4 MB/s, e1000-echo-p50 161 -> 161 us,
  ///   e1000-wrk-c1-ka 2602 -> 2597 req/s, e1000-wrk-c8-ka 2989 -> 3024 req/s.
  /// lwIP still sums the payload as tcp_write copies it (LWIP_CHECKSUM_ON_COPY
  /// is global, not per netif); with that off too, so that nothing sums it,
  /// 2 rounds: down 25.4, 24.7 (off) vs 25.2, 25.1 MB/s. The 16 MiB download
  /// is not bound by the checksum. TSO is not tried: lwIP never builds a
  /// segment larger than the MTU.
  #if E1000_TX_CSUM
    let e1000TxChecksumOffload = true
  #else
    let e1000TxChecksumOffload = false
  #endif

  /// Intel's vendor id and the 82540EM's device id (what `-device e1000` is).
  let intelVendorID: UInt16 = 0x8086
  let i82540EMDeviceID: UInt16 = 0x100e

  /// The e1000 devices found, by unit number; filled on the boot hart
  /// before their interrupts are routed, never changed after.
  nonisolated(unsafe) var e1000Devices: [E1000<MMIOE1000Registers>] = []

  func e1000Device(_ dev: UnsafeMutablePointer<netdev>?) -> E1000<MMIOE1000Registers>? {
    guard let dev, Int(dev.pointee.unit) < e1000Devices.count else { return nil }
    return e1000Devices[Int(dev.pointee.unit)]
  }

  let e1000Ops = netdev_ops(
    tx_buffer: { dev in e1000Device(dev)?.transmitBuffer() },
    tx_submit: { dev, buf, len in
      if let net = e1000Device(dev), let buf { net.submit(buf, length: len) }
    },
    intr: { dev in
      e1000Device(dev)?.handleInterrupt(
        deliver: { netdev_receive(dev, $0, $1) }, link: { netdev_set_link(dev, $0 ? 1 : 0) })
    },
    get_stats: { dev, out in out?.pointee = (e1000Device(dev)?.stats ?? NetStats()).cValue },
    tx_flush: nil)  // submit moves TDT itself

  /// Bring up every 82540EM on bus 0 and register each as an interface.
  @c @implementation public func e1000_probe() {
    let config = ECAMConfigSpace()
    for fn in PCIBus.find(config, vendor: intelVendorID, device: i82540EMDeviceID) {
      startE1000(fn, config)
    }
  }

  func startE1000(_ fn: PCIFunction, _ config: ECAMConfigSpace) {
    let at = slotName(fn.address)
    guard let irq = PCIBus.intxIRQ(device: fn.address.device, pin: fn.interruptPin) else {
      print("e1000: \(at): no interrupt pin")
      return
    }
    let bars: [BAR]
    do throws(PCIError) {
      bars = try PCIBus.configure(config, fn, window: &pciMemoryWindow)
    } catch {
      print("e1000: \(at): \(error.message)")
      return
    }
    guard let bar0 = bars.first(where: { $0.index == 0 && $0.kind != .io }) else {
      print("e1000: \(at): BAR0 is not a memory BAR")
      return
    }
    let registers = MMIOE1000Registers(base: UInt64(DEVICE_WINDOW) + bar0.address)
    do throws(E1000Error) {
      let net = try E1000.start(
        registers: registers, dma: PageDMA(), txChecksumOffload: e1000TxChecksumOffload)
      guard let dev = netdev_alloc() else {
        net.stop()
        print("e1000: \(at): no interface slot left")
        return
      }
      describe(
        net, model: "e1000 (82540EM)", irq: irq, unit: UInt32(e1000Devices.count),
        ops: e1000Ops,
        offloads: net.txChecksumOffload ? NETDEV_OFFLOAD_TX_CSUM_TCP_UDP : 0, into: dev)
      e1000Devices.append(net)
      print(
        "e1000: \(at) irq \(irq), mmio 0x\(hex(bar0.address, digits: 8)), \(net.rxCount) receive and \(net.txCount) transmit buffers\(net.txChecksumOffload ? ", TCP/UDP checksums inserted" : "")"
      )
      _ = netdev_register(dev)
    } catch {
      print("e1000: \(at): \(error.message)")
    }
  }

  /// "dd:ss.f" as lspci writes it.
  func slotName(_ a: PCIAddress) -> String {
    "\(hex(UInt64(a.bus), digits: 2)):\(hex(UInt64(a.device), digits: 2)).\(a.function)"
  }

  /// `v` in lower-case hex, zero-padded to at least `digits`.
  func hex(_ v: UInt64, digits: Int) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, digits - s.utf8.count)) + s
  }
#endif
