// A virtio-net device played in memory for the host tests, on top of the
// FakeTransport and FakeQueueDevice of FakeTransport.swift: it offers
// QEMU's feature bits and a MAC, fills the receive buffers the driver
// posted (queue 0) and reads the frames it publishes (queue 1), as QEMU's
// device would.
import CShims

@testable import VirtIO
import Device

/// What QEMU 7.2's virtio-net-device offers: low word 0x30bf8024, high 0x101.
let qemuNetFeatures: UInt64 = 0x101 << 32 | 0x30bf_8024

final class FakeNetDevice {
  let transport = FakeTransport()
  let rx: FakeQueueDevice
  let tx: FakeQueueDevice

  init(features: UInt64 = qemuNetFeatures, mac: [UInt8] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]) {
    transport.deviceID = VirtioDeviceID.network.rawValue
    transport.offeredFeatures = features
    for (i, b) in mac.enumerated() { transport.config[i] = b }
    rx = FakeQueueDevice(transport, queue: 0)
    tx = FakeQueueDevice(transport, queue: 1)
  }

  /// Receive buffers the driver has posted and the device not yet used.
  var postedReceiveBuffers: Int { Int(rx.availIdx &- rx.lastAvail) }

  /// Put one frame into the next posted receive buffer, as the device
  /// does: header (num_buffers 1) then the frame. Raises the interrupt.
  /// False if the driver has no buffer posted.
  @discardableResult
  func receive(_ frame: [UInt8]) -> Bool {
    guard let chain = rx.nextChain() else { return false }
    precondition(chain.descriptors.count == 1, "one descriptor per receive buffer")
    let d = chain.descriptors[0]
    precondition(d.flags & DescriptorFlag.write != 0, "receive buffers are device-writable")
    precondition(Int(d.length) >= virtioNetHeaderSize + frame.count, "buffer too small")
    let at = memory(d.address)
    at.initializeMemory(as: UInt8.self, repeating: 0, count: virtioNetHeaderSize)
    at.storeBytes(of: 1 as UInt16, toByteOffset: 10, as: UInt16.self)  // num_buffers
    frame.withUnsafeBytes {
      (at + virtioNetHeaderSize).copyMemory(from: $0.baseAddress!, byteCount: frame.count)
    }
    rx.complete(id: UInt32(chain.head), length: UInt32(virtioNetHeaderSize + frame.count))
    transport.interruptBits |= 1
    return true
  }

  /// Use the next receive buffer but claim `length` bytes were written.
  func receiveClaiming(length: UInt32) {
    let chain = rx.nextChain()!
    rx.complete(id: UInt32(chain.head), length: length)
    transport.interruptBits |= 1
  }

  /// One frame the driver published for sending: its header and frame.
  struct Sent {
    var head: UInt16
    var header: [UInt8]
    var frame: [UInt8]
  }

  /// Read every published transmit chain; complete them unless told not to.
  func takeSent(complete: Bool = true) -> [Sent] {
    var sent: [Sent] = []
    while let chain = tx.nextChain() {
      precondition(chain.descriptors.count == 1, "one descriptor per frame")
      let d = chain.descriptors[0]
      precondition(d.flags & DescriptorFlag.write == 0, "transmit buffers are device-readable")
      let bytes = UnsafeRawBufferPointer(start: memory(d.address), count: Int(d.length))
      sent.append(
        Sent(
          head: chain.head, header: Array(bytes[0..<virtioNetHeaderSize]),
          frame: Array(bytes[virtioNetHeaderSize...])))
      if complete { tx.complete(id: UInt32(chain.head), length: 0) }
    }
    return sent
  }
}

/// A recognisable frame: 14-byte Ethernet header then `length - 14` bytes
/// derived from `seq`, so a test can tell frames apart and spot damage.
func testFrame(seq: Int, length: Int = 60) -> [UInt8] {
  var f = [UInt8](repeating: 0, count: length)
  for i in 0..<6 { f[i] = 0xff }  // broadcast
  f[6] = 0x52
  f[7] = 0x55
  f[12] = 0x08  // IPv4
  for i in 14..<length { f[i] = UInt8(truncatingIfNeeded: seq &* 31 &+ i) }
  withUnsafeBytes(of: UInt32(truncatingIfNeeded: seq).littleEndian) { s in
    for i in 0..<min(4, length - 14) { f[14 + i] = s[i] }
  }
  return f
}
