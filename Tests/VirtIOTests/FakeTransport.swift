// A virtio device played in memory for the host tests: registers a test can
// set and inspect (status writes are recorded in order), and a device loop
// that reads the available ring and descriptor table the driver filled and
// answers through the used ring, exactly as a device reading guest memory would.
import CShims

@testable import VirtIO
import Device

/// The registers of one queue, as the driver programmed them.
struct FakeQueueRegisters {
  var maxSize: UInt16 = 16
  var size: UInt16 = 0
  var descriptors: UInt64 = 0
  var driverArea: UInt64 = 0
  var deviceArea: UInt64 = 0
  var ready = false
}

final class FakeTransport: VirtioTransport {
  var magic: UInt32 = virtioMagic
  var version: UInt32 = 2
  var deviceID: UInt32 = VirtioDeviceID.block.rawValue
  var vendorID: UInt32 = 0x554d_4551  // "QEMU"

  var offeredFeatures: UInt64 = VirtioFeature.version1 | VirtioFeature.ringEventIdx | 1 << 5
  var refusesFeatures = false  // clear FEATURES_OK when the driver sets it
  var status: UInt32 = 0
  var statusWrites: [UInt32] = []
  var driverFeatures: UInt64 = 0
  var queues = [FakeQueueRegisters](repeating: FakeQueueRegisters(), count: 2)
  var selectedQueue = 0
  var notifications: [UInt16] = []
  var interruptBits: UInt32 = 0
  var acknowledged: [UInt32] = []
  var config = [UInt8](repeating: 0, count: 64)

  func readStatus() -> DeviceStatus { DeviceStatus(rawValue: status) }

  func writeStatus(_ s: DeviceStatus) {
    statusWrites.append(s.rawValue)
    status = s.rawValue
    if refusesFeatures { status &= ~DeviceStatus.featuresOK.rawValue }
  }

  func deviceFeatures(word: UInt32) -> UInt32 {
    UInt32(truncatingIfNeeded: offeredFeatures >> (32 * UInt64(word)))
  }

  func setDriverFeatures(word: UInt32, _ bits: UInt32) {
    let shift = 32 * UInt64(word)
    driverFeatures = driverFeatures & ~(0xffff_ffff << shift) | UInt64(bits) << shift
  }

  func selectQueue(_ index: UInt16) { selectedQueue = Int(index) }
  func queueMaxSize() -> UInt16 {
    selectedQueue < queues.count ? queues[selectedQueue].maxSize : 0
  }
  func setQueueSize(_ size: UInt16) { queues[selectedQueue].size = size }
  func setQueueAddresses(descriptors: UInt64, driverArea: UInt64, deviceArea: UInt64) {
    queues[selectedQueue].descriptors = descriptors
    queues[selectedQueue].driverArea = driverArea
    queues[selectedQueue].deviceArea = deviceArea
  }
  func setQueueReady(_ ready: Bool) { queues[selectedQueue].ready = ready }
  func queueIsReady() -> Bool { queues[selectedQueue].ready }

  func notify(queue: UInt16) { notifications.append(queue) }
  func interruptStatus() -> UInt32 { interruptBits }
  func acknowledgeInterrupt(_ bits: UInt32) {
    acknowledged.append(bits)
    interruptBits &= ~bits
  }

  func configGeneration() -> UInt32 { 0 }
  func readConfig8(at offset: Int) -> UInt8 { config[offset] }
  func readConfig32(at offset: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(config[offset + $1]) << (8 * UInt32($1)) }
  }

  func setCapacity(sectors: UInt64) {
    for i in 0..<8 { config[i] = UInt8(truncatingIfNeeded: sectors >> (8 * UInt64(i))) }
  }

  /// The newly set status bits of each write, in order, ignoring resets.
  var statusSteps: [DeviceStatus] {
    var steps: [DeviceStatus] = []
    var previous: UInt32 = 0
    for w in statusWrites {
      if w != 0 && w != previous { steps.append(DeviceStatus(rawValue: w & ~previous)) }
      previous = w
    }
    return steps
  }
}

/// One descriptor as the device reads it from the table.
struct DeviceDescriptor {
  var address: UInt64
  var length: UInt32
  var flags: UInt16
  var next: UInt16
}

func memory(_ address: UInt64) -> UnsafeMutableRawPointer {
  UnsafeMutableRawPointer(bitPattern: UInt(address))!
}

/// The device side of one split virtqueue, working only from the addresses
/// the driver wrote into the queue registers.
final class FakeQueueDevice {
  let regs: () -> FakeQueueRegisters
  var lastAvail: UInt16 = 0
  var usedIdx: UInt16 = 0

  init(regs: @escaping () -> FakeQueueRegisters) { self.regs = regs }

  convenience init(_ transport: FakeTransport, queue: Int = 0) {
    self.init { transport.queues[queue] }
  }

  var availIdx: UInt16 { memory(regs().driverArea + 2).load(as: UInt16.self) }

  /// Take the next chain the driver published, or nil.
  func nextChain() -> (head: UInt16, descriptors: [DeviceDescriptor])? {
    let r = regs()
    guard lastAvail != availIdx else { return nil }
    let slot = UInt64(lastAvail % r.size)
    let head = memory(r.driverArea + 4 + 2 * slot).load(as: UInt16.self)
    lastAvail &+= 1
    var chain: [DeviceDescriptor] = []
    var id = head
    repeat {
      let at = memory(r.descriptors + 16 * UInt64(id))
      let d = DeviceDescriptor(
        address: at.load(as: UInt64.self), length: at.load(fromByteOffset: 8, as: UInt32.self),
        flags: at.load(fromByteOffset: 12, as: UInt16.self),
        next: at.load(fromByteOffset: 14, as: UInt16.self))
      chain.append(d)
      id = d.next
      if d.flags & DescriptorFlag.next == 0 { break }
    } while chain.count <= Int(r.size)
    return (head, chain)
  }

  /// Put a used element (any id, even a bogus one) and advance used.idx.
  func complete(id: UInt32, length: UInt32) {
    let r = regs()
    let at = memory(r.deviceArea + 4 + 8 * UInt64(usedIdx % r.size))
    at.storeBytes(of: id, as: UInt32.self)
    at.storeBytes(of: length, toByteOffset: 4, as: UInt32.self)
    usedIdx &+= 1
    memory(r.deviceArea + 2).storeBytes(of: usedIdx, as: UInt16.self)
  }
}

/// A disk of 512-byte sectors behind a FakeQueueDevice: serves virtio-blk requests.
final class FakeBlkDisk {
  let transport: FakeTransport
  let device: FakeQueueDevice
  var sectors: [UInt8]
  var served = 0

  init(transport: FakeTransport, sectors count: Int) {
    self.transport = transport
    self.device = FakeQueueDevice(transport)
    self.sectors = [UInt8](repeating: 0, count: count * 512)
    transport.setCapacity(sectors: UInt64(count))
  }

  /// Serve every published request, then raise the interrupt.
  /// `order` may reverse the completion order to check out-of-order completion.
  func serveAll(reversed: Bool = false) {
    var chains: [(head: UInt16, descriptors: [DeviceDescriptor])] = []
    while let c = device.nextChain() { chains.append(c) }
    if reversed { chains.reverse() }
    for c in chains { serve(c.head, c.descriptors) }
    if !chains.isEmpty { transport.interruptBits |= 1 }
  }

  func serve(_ head: UInt16, _ chain: [DeviceDescriptor]) {
    precondition(chain.count >= 3, "virtio-blk requests: header, data..., status")
    let header = memory(chain[0].address)
    let type = header.load(as: UInt32.self)
    let sector = Int(header.load(fromByteOffset: 8, as: UInt64.self))
    // the data descriptors are one buffer to the device, in chain order (§5.2.6)
    var offset = sector * 512
    var total: UInt32 = 0
    for data in chain[1..<(chain.count - 1)] {
      sectors.withUnsafeMutableBytes { disk in
        if type == 0 {
          memory(data.address).copyMemory(
            from: disk.baseAddress! + offset, byteCount: Int(data.length))
        } else {
          (disk.baseAddress! + offset).copyMemory(
            from: memory(data.address), byteCount: Int(data.length))
        }
      }
      offset += Int(data.length)
      total += data.length
    }
    memory(chain[chain.count - 1].address).storeBytes(of: 0 as UInt8, as: UInt8.self)
    served += 1
    device.complete(id: UInt32(head), length: (type == 0 ? total : 0) + 1)
  }
}

