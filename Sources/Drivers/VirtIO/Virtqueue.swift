// A split virtqueue (virtio v1.1 §2.6): the descriptor table, the available
// ring (driver -> device) and the used ring (device -> driver), all in one
// DMA region. Pure memory logic: no registers here, so the host tests can
// play the device against it.
//
// The device can write anything into memory it shares with us. So the
// queue keeps a trusted shadow of every descriptor it handed out (address,
// length, flags, chain links) and never reads a descriptor back from the
// table; a used element is accepted only if its id is a chain head we
// gave the device and have not had back yet.
//
// Not thread-safe: the driver that owns the queue serialises calls under
// its lock. Nothing here allocates after init, so the interrupt path
// (popUsed, freeChain) is allocation-free.
import CShims
import Device

/// One buffer of a chain, by device-visible address.
public struct Segment {
  public var address: UInt64
  public var length: UInt32

  public init(address: UInt64, length: UInt32) {
    self.address = address
    self.length = length
  }
}

/// A chain the device has finished with: its head id and how many bytes
/// it wrote into the chain's writable part.
public struct UsedElement: Equatable {
  public let head: UInt16
  public let length: UInt32
  /// The device claimed more than the writable part (`length` is clamped):
  /// a driver that must not trust such an answer (the entropy device) drops it.
  public internal(set) var overran = false
}

/// Descriptor flags (§2.6.5 The Virtqueue Descriptor Table).
public enum DescriptorFlag {
  public static let next: UInt16 = 1
  public static let write: UInt16 = 2
  public static let indirect: UInt16 = 4
}

/// Used ring flag telling the driver not to notify (§2.6.8).
let usedFlagNoNotify: UInt16 = 1

/// What the queue knows about one descriptor, independent of the table the device can scribble on.
struct ShadowDescriptor {
  enum State: UInt8 { case free, head, body, completedHead }
  var address: UInt64 = 0
  var length: UInt32 = 0
  var flags: UInt16 = 0
  var next: UInt16 = 0  // chain link while in use, free-list link while free
  var state: State = .free
  var chainLength: UInt16 = 0  // heads only
  var writableBytes: UInt32 = 0  // heads only: most the device may report as used
}

public final class Virtqueue {
  public let index: UInt16
  public let size: UInt16
  let region: DMARegion

  // Driver-side (virtual) addresses of the three parts, for our accesses.
  let descriptors: UInt64
  let avail: UInt64
  let used: UInt64
  // Device-side (physical) addresses, for the transport's queue registers.
  public let descriptorArea: UInt64
  public let driverArea: UInt64
  public let deviceArea: UInt64

  let shadow: UnsafeMutablePointer<ShadowDescriptor>
  var freeHead: UInt16
  public private(set) var freeCount: UInt16
  var availIdx: UInt16 = 0  // our copy of avail.idx: the device never writes it
  var lastUsed: UInt16 = 0  // next used-ring entry we will look at

  /// Byte sizes of the three parts for a queue of `size` entries (§2.6).
  static func layout(size: Int) -> (availOffset: Int, usedOffset: Int, total: Int) {
    let descBytes = 16 * size  // 16-byte aligned at the region start
    let availBytes = 2 + 2 + 2 * size + 2  // flags, idx, ring, used_event
    let usedOffset = (descBytes + availBytes + 3) & ~3  // 4-byte aligned
    let usedBytes = 2 + 2 + 8 * size + 2  // flags, idx, ring, avail_event
    return (descBytes, usedOffset, usedOffset + usedBytes)
  }

  /// A queue of `size` entries in fresh DMA memory from `dma`.
  /// (A static function: Embedded Swift allows no generic initialisers on classes.)
  public static func allocate<D: DMAAllocator>(
    index: UInt16, size: UInt16, dma: D
  ) throws(VirtioError) -> Virtqueue {
    // Power of two, so the free-running 16-bit indices wrap onto the same slot.
    guard size > 0, size <= 32768, size & (size - 1) == 0 else { throw .badQueueSize }
    let pages = (layout(size: Int(size)).total + dmaPageSize - 1) / dmaPageSize
    guard let region = dma.allocate(pages: pages) else { throw .noMemory }
    return Virtqueue(index: index, size: size, region: region)
  }

  init(index: UInt16, size: UInt16, region: DMARegion) {
    let l = Virtqueue.layout(size: Int(size))
    self.index = index
    self.size = size
    self.region = region
    let base = UInt64(UInt(bitPattern: region.address))
    descriptors = base
    avail = base + UInt64(l.availOffset)
    used = base + UInt64(l.usedOffset)
    descriptorArea = region.physical
    driverArea = region.physical + UInt64(l.availOffset)
    deviceArea = region.physical + UInt64(l.usedOffset)

    shadow = .allocate(capacity: Int(size))
    for i in 0..<Int(size) {
      (shadow + i).initialize(to: ShadowDescriptor(next: UInt16(truncatingIfNeeded: i + 1)))
    }
    freeHead = 0
    freeCount = size
  }

  deinit {
    shadow.deallocate()
  }

  /// Return the rings' memory; the queue must not be used afterwards.
  public func releaseMemory<D: DMAAllocator>(to dma: D) {
    dma.free(region)
  }

  /// The id `addChain` will use as the next chain's head, so a driver can
  /// place per-request memory by it before building the chain.
  public var nextHead: UInt16? { freeCount > 0 ? freeHead : nil }

  /// Add a chain of `count` segments; those from `writableFrom` on are for
  /// the device to write (device-writable parts follow readable ones, §2.6.4.2).
  /// Returns the head id, or throws without touching the queue.
  public func addChain(
    count: Int, writableFrom: Int, segment: (Int) -> Segment
  ) throws(VirtioError) -> UInt16 {
    guard count > 0, count <= Int(size) else { throw .badChain }
    guard count <= Int(freeCount) else { throw .queueFull }
    // Check every segment first, so a bad one leaves the queue untouched.
    for i in 0..<count where segment(i).length == 0 { throw .badChain }
    var ids: (first: UInt16, previous: UInt16) = (freeHead, freeHead)
    var writable: UInt32 = 0
    for i in 0..<count {
      let seg = segment(i)
      let id = freeHead
      freeHead = shadow[Int(id)].next
      var flags: UInt16 = i + 1 < count ? DescriptorFlag.next : 0
      if i >= writableFrom {
        flags |= DescriptorFlag.write
        writable &+= seg.length
      }
      shadow[Int(id)] = ShadowDescriptor(
        address: seg.address, length: seg.length, flags: flags, next: 0,
        state: i == 0 ? .head : .body)
      if i > 0 { shadow[Int(ids.previous)].next = id }
      ids.previous = id
    }
    freeCount -= UInt16(count)
    shadow[Int(ids.first)].chainLength = UInt16(count)
    shadow[Int(ids.first)].writableBytes = writable
    writeChain(head: ids.first)
    return ids.first
  }

  /// Convenience for tests and callers that have arrays at hand.
  public func addChain(readable: [Segment], writable: [Segment]) throws(VirtioError) -> UInt16 {
    try addChain(count: readable.count + writable.count, writableFrom: readable.count) { i in
      i < readable.count ? readable[i] : writable[i - readable.count]
    }
  }

  /// Copy a chain from the shadow into the table the device reads.
  private func writeChain(head: UInt16) {
    var id = head
    for _ in 0..<shadow[Int(head)].chainLength {
      let d = shadow[Int(id)]
      let at = descriptors + 16 * UInt64(id)
      mmio_write64(at, d.address)
      mmio_write32(at + 8, d.length)
      mmio_write16(at + 12, d.flags)
      mmio_write16(at + 14, d.next)
      id = d.next
    }
  }

  /// Hand a chain to the device.
  public func publish(_ head: UInt16) {
    let slot = UInt64(availIdx % size)
    mmio_write16(avail + 4 + 2 * slot, head)
    // Fence: the descriptors and this ring entry must be visible to the
    // device before the index that tells it they are there (§2.6.13.3).
    mmio_fence()
    availIdx &+= 1
    mmio_write16(avail + 2, availIdx)
  }

  /// Whether the device wants a notification for what was just published.
  public func needsNotification() -> Bool {
    // Fence: our avail.idx store must be visible before we read the
    // device's flags and before the caller's notify register write, or
    // the device could look, find nothing, and sleep (§2.6.13.6).
    mmio_fence()
    return mmio_read16(used) & usedFlagNoNotify == 0
  }

  /// The next chain the device has finished with, or nil if none.
  /// The chain stays allocated until `freeChain(head)`, so per-request
  /// memory indexed by its head stays valid until the driver is done.
  /// Throws `.badUsedID` (and skips the element) for an id we did not give
  /// the device, `.deviceBroken` if the device claims more than it could.
  public func popUsed() throws(VirtioError) -> UsedElement? {
    let deviceIdx = mmio_read16(used + 2)
    if deviceIdx == lastUsed { return nil }
    guard deviceIdx &- lastUsed <= availIdx &- lastUsed else { throw .deviceBroken }
    // Fence: read the element only after the index that covers it.
    mmio_fence()
    let at = used + 4 + 8 * UInt64(lastUsed % size)
    let id = mmio_read32(at)
    let length = mmio_read32(at + 4)
    lastUsed &+= 1
    guard id < UInt32(size), shadow[Int(id)].state == .head else { throw .badUsedID }
    shadow[Int(id)].state = .completedHead
    // A length beyond what we offered is clamped, never trusted.
    let writable = shadow[Int(id)].writableBytes
    return UsedElement(
      head: UInt16(id), length: min(length, writable), overran: length > writable)
  }

  /// Return a completed chain's descriptors to the free list, following
  /// the shadow links (never the table the device could have changed).
  public func freeChain(_ head: UInt16) {
    guard head < size, shadow[Int(head)].state == .completedHead else {
      kpanic("virtqueue: freeChain of a chain the device has not returned")
    }
    var id = head
    let count = shadow[Int(head)].chainLength
    for _ in 0..<count {
      let next = shadow[Int(id)].next
      shadow[Int(id)] = ShadowDescriptor(next: freeHead)
      freeHead = id
      id = next
    }
    freeCount += count
  }

  /// Chains given to the device and not yet returned through popUsed.
  public var inFlight: Int { Int(availIdx &- lastUsed) }
}
