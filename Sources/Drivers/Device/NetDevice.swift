// What every network driver shares: the Ethernet address, the link counters,
// the frame limits, and the hand-over to the network layer through the
// boundary in CShims/include/netdev.h (register, receive, link changes).
// Drivers are generic over their register access and have no lock of their
// own: the network layer calls them with its lock held (Kernel/net.c).
import CShims

/// Largest frame we send: Ethernet header and a 1500-byte payload; the device adds the FCS.
public let netMaxFrame = Int(NETDEV_FRAME_MAX)
/// Largest frame we accept: the above plus an 802.1Q tag.
public let netMaxReceivedFrame = Int(NETDEV_RX_FRAME_MAX)

/// A 6-byte Ethernet address.
public struct MACAddress: Equatable {
  public var octets: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)

  public init() {}

  public subscript(i: Int) -> UInt8 {
    get { withUnsafeBytes(of: octets) { $0[i] } }
    set { withUnsafeMutableBytes(of: &octets) { $0[i] = newValue } }
  }

  public static func == (a: MACAddress, b: MACAddress) -> Bool {
    (0..<6).allSatisfy { a[$0] == b[$0] }
  }

  /// Neither all zeros nor a group (multicast/broadcast) address.
  public var isUsableUnicast: Bool {
    self[0] & 1 == 0 && (0..<6).contains { self[$0] != 0 }
  }
}

/// Link counters, as C's struct netdev_stats names them (netdev.h).
public struct NetStats: Equatable {
  public var rxPackets: UInt64 = 0
  public var rxBytes: UInt64 = 0
  public var rxDrops: UInt64 = 0  // frames the device had for us and lost
  public var rxErrors: UInt64 = 0  // bad lengths or descriptors from the device
  public var txPackets: UInt64 = 0
  public var txBytes: UInt64 = 0
  public var txDrops: UInt64 = 0  // no transmit buffer free
  public var txErrors: UInt64 = 0  // bad submits, bad completions

  public init() {}

  /// The C view, field by field.
  public var cValue: netdev_stats {
    netdev_stats(
      rx_packets: rxPackets, rx_bytes: rxBytes, rx_drops: rxDrops, rx_errors: rxErrors,
      tx_packets: txPackets, tx_bytes: txBytes, tx_drops: txDrops, tx_errors: txErrors)
  }
}

/// A NIC driver as the network layer drives it (netdev.h's ops). One generic
/// `registerNetDevice` turns any of them into a registered interface.
public protocol NetDriver: AnyObject {
  var mac: MACAddress { get }
  var stats: NetStats { get }
  var linkUp: Bool { get }
  func transmitBuffer() -> UnsafeMutableRawPointer?
  func submit(_ frame: UnsafeMutableRawPointer, length: UInt32)
  /// The interrupt: every received frame to `deliver`, link changes to `link`.
  func handleInterrupt(
    deliver: (UnsafeRawPointer, UInt32) -> Void, link: (Bool) -> Void)
}

extension NetDriver {
  public var linkUp: Bool { true }
}

/// A transmit ring is full: reclaim what the device has finished, and give it
/// a short while (QEMU sends during the doorbell write, real hardware a
/// little later) before the caller drops the frame. True once a buffer is
/// free; false after `limit` polls (TCP retransmits, others resend).
public func reclaimUntilFree(limit: Int, isFull: () -> Bool, reclaim: () -> Void) -> Bool {
  reclaim()
  var polls = 0
  while isFull() {
    if polls == limit { return false }
    polls += 1
    reclaim()
  }
  return true
}

/// Fill a netdev_alloc()'d slot for `driver`: model name (truncated to fit),
/// MAC, irq, its instance number, the ops and what the device offloads
/// (NETDEV_OFFLOAD_* bits).
public func describe<D: NetDriver>(
  _ driver: D, model: StaticString, irq: Int32, unit: UInt32, ops: netdev_ops,
  offloads: UInt32 = 0, into dev: UnsafeMutablePointer<netdev>
) {
  withUnsafeMutableBytes(of: &dev.pointee.model) { out in
    let name = UnsafeRawBufferPointer(start: model.utf8Start, count: model.utf8CodeUnitCount)
    let n = min(name.count, out.count - 1)
    for i in 0..<n { out[i] = name[i] }
    out[n] = 0
  }
  withUnsafeMutableBytes(of: &dev.pointee.mac) { out in
    for i in 0..<6 { out[i] = driver.mac[i] }
  }
  dev.pointee.link_up = driver.linkUp ? 1 : 0
  dev.pointee.irq = irq
  dev.pointee.mtu = UInt32(NETDEV_MTU)  // both NICs carry standard Ethernet frames
  dev.pointee.unit = unit
  dev.pointee.ops = ops
  dev.pointee.offloads = offloads
}
