// The virtio block device (virtio v1.1 §5.2), as QEMU creates it with
//   -drive file=build/fs.img,if=none,format=raw,id=x0
//   -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
// One request queue. Each request is a chain of descriptors: a 16-byte
// header the device reads, the data (read by the device for a write,
// written by it for a read) and a one-byte status it writes. The data may
// be several buffers, consecutive on the disk (virtio's scatter-gather,
// §5.2.6): one request for a run of file-system blocks instead of one each,
// so the device pops, maps and completes one chain for the run.
// Several requests may be in flight; each waiter sleeps until the
// interrupt handler marks its request done.
import CShims
import Device

/// Request types and status values (§5.2.6 Device Operation).
enum BlkRequestType: UInt32 {
  case read = 0  // VIRTIO_BLK_T_IN
  case write = 1  // VIRTIO_BLK_T_OUT
}

let blkStatusOK: UInt8 = 0
let blkSectorSize: UInt32 = 512
/// Bytes of DMA memory per request: the header (16) and the status byte.
let blkCellSize: UInt64 = 32

/// What the waiter and the interrupt handler share about one request.
struct BlkRequestSlot {
  var waiting = false
  var done = false
  var status: UInt8 = 0xff
}

public final class VirtioBlk<T: VirtioTransport> {
  public let transport: T
  /// Size of the disk in 512-byte sectors (config offset 0).
  public let capacity: UInt64

  // lock guards all below: the queue, the request slots and the request
  // cells. The only lock this driver takes; it is taken by the process
  // path and by the interrupt handler.
  let lock: KernelLock
  let queue: Virtqueue
  /// DMA memory for the header and status of the request whose chain
  /// starts at descriptor id h: bytes h*32 ..< h*32+17.
  let cells: DMARegion
  /// One slot per possible head id, plus one more whose address is the
  /// channel for "descriptors were freed".
  let slots: UnsafeMutablePointer<BlkRequestSlot>

  /// Bring the device up: handshake, one request queue, DMA memory for
  /// request headers. (A static function: Embedded Swift allows no generic
  /// initialisers on classes.)
  public static func start<D: DMAAllocator>(
    transport: T, dma: D, queueSize: UInt16 = 128
  ) throws(VirtioError) -> VirtioBlk {
    // The block features we could use (read-only, flush, ...) are not
    // needed by the file system: accept VIRTIO_F_VERSION_1 only.
    _ = try transport.beginInitialization(.block, accepting: 0)
    let queue: Virtqueue
    do throws(VirtioError) {
      queue = try transport.setUpQueue(0, preferredSize: queueSize, dma: dma)
    } catch {
      transport.fail()
      throw error
    }
    let pages = (Int(queue.size) * Int(blkCellSize) + dmaPageSize - 1) / dmaPageSize
    guard let cells = dma.allocate(pages: pages) else {
      queue.releaseMemory(to: dma)
      transport.fail()
      throw .noMemory
    }
    let blk = VirtioBlk(transport: transport, queue: queue, cells: cells)
    transport.finishInitialization()
    return blk
  }

  init(transport: T, queue: Virtqueue, cells: DMARegion) {
    self.transport = transport
    self.queue = queue
    self.cells = cells
    self.capacity = transport.readConfig64(at: 0)
    self.lock = KernelLock(name: "virtio_blk")
    slots = .allocate(capacity: Int(queue.size) + 1)
    slots.initialize(repeating: BlkRequestSlot(), count: Int(queue.size) + 1)
  }

  /// Read or write `length` bytes at `sector` from or to device-visible
  /// address `data`; sleeps until the device is done.
  public func readWrite(
    sector: UInt64, data: UInt64, length: UInt32, write: Bool
  ) throws(VirtioError) {
    let head = try submit(
      sector: sector, data: data, length: length, write: write, mayWait: true, notify: true)
    try wait(head)
  }

  /// Start a request and return its handle (the chain's head id) without
  /// waiting for it, so a caller can keep several in flight. With a full
  /// queue: sleep for room if mayWait, else throw .queueFull (a caller that
  /// itself holds finished, uncollected requests must collect one first, or
  /// it could wait for room only it can free). With notify false the device
  /// is not told yet: a caller submitting a batch calls `kick()` once after
  /// the last one, so the device sees the whole batch in one go and can merge
  /// adjacent requests (QEMU does) instead of serving them one by one. A
  /// caller must kick before it waits or sleeps for room.
  public func submit(
    sector: UInt64, data: UInt64, length: UInt32, write: Bool, mayWait: Bool, notify: Bool
  ) throws(VirtioError) -> UInt16 {
    var one = data
    return try submit(
      sector: sector, buffers: &one, count: 1, length: length, write: write, mayWait: mayWait,
      notify: notify)
  }

  /// The same for `count` buffers of `length` bytes each at device-visible
  /// addresses `buffers[0..<count]`, which the disk holds one after the other
  /// from `sector`: one request, count + 2 descriptors.
  public func submit(
    sector: UInt64, buffers: UnsafePointer<UInt64>, count: Int, length: UInt32, write: Bool,
    mayWait: Bool, notify: Bool
  ) throws(VirtioError) -> UInt16 {
    try lock.withLock { () throws(VirtioError) -> UInt16 in
      while true {
        do throws(VirtioError) {
          let head = try submitLocked(
            sector: sector, buffers: buffers, count: count, length: length, write: write)
          if notify { kickLocked() }
          return head
        } catch .queueFull {
          if !mayWait { throw .queueFull }
          kickLocked()  // our own unannounced requests may be what fills it
          lock.sleep(on: freedChannel)
        }
      }
    }
  }

  /// Tell the device about every request published so far.
  public func kick() {
    lock.withLock { kickLocked() }
  }

  func kickLocked() {
    if queue.needsNotification() {
      transport.notify(queue: queue.index)
    }
  }

  /// Sleep until the request `head` from submit is done, then free it.
  public func wait(_ head: UInt16) throws(VirtioError) {
    guard head < queue.size else { throw .badRequest }
    try lock.withLock { () throws(VirtioError) in
      guard slots[Int(head)].waiting else { throw .badRequest }
      while !slots[Int(head)].done {
        lock.sleep(on: channel(head))
      }
      guard collectLocked(head) == blkStatusOK else { throw .ioError }
    }
  }

  /// The interrupt handler: acknowledge, then finish every completed request.
  public func handleInterrupt() {
    lock.withLock {
      // Acknowledge before draining: a completion that lands meanwhile
      // raises a new interrupt instead of being lost.
      transport.acknowledgeInterrupt(transport.interruptStatus())
      drainUsedLocked()
    }
  }

  /// Build and publish one request; returns its head id. Caller holds lock.
  func submitLocked(
    sector: UInt64, data: UInt64, length: UInt32, write: Bool
  ) throws(VirtioError) -> UInt16 {
    var one = data
    return try submitLocked(sector: sector, buffers: &one, count: 1, length: length, write: write)
  }

  func submitLocked(
    sector: UInt64, buffers: UnsafePointer<UInt64>, count: Int, length: UInt32, write: Bool
  ) throws(VirtioError) -> UInt16 {
    // count + 2 descriptors must fit the queue at all, or waiting for room never ends
    guard count > 0, count + 2 <= Int(queue.size) else { throw .badRequest }
    let sectors = UInt64(length / blkSectorSize) * UInt64(count)
    guard length > 0, length % blkSectorSize == 0, sector < capacity,
      sectors <= capacity - sector
    else { throw .badRequest }
    guard queue.freeCount >= count + 2, let head = queue.nextHead else { throw .queueFull }

    let cell = UInt64(UInt(bitPattern: cells.address)) + blkCellSize * UInt64(head)
    mmio_write32(cell, write ? BlkRequestType.write.rawValue : BlkRequestType.read.rawValue)
    mmio_write32(cell + 4, 0)
    mmio_write64(cell + 8, sector)
    mmio_write8(cell + 16, 0xff)  // a device that never writes status is not "OK"

    let cellPhysical = cells.physical + blkCellSize * UInt64(head)
    let got = try queue.addChain(count: count + 2, writableFrom: write ? count + 1 : 1) { i in
      if i == 0 { return Segment(address: cellPhysical, length: 16) }
      if i <= count { return Segment(address: buffers[i - 1], length: length) }
      return Segment(address: cellPhysical + 16, length: 1)
    }
    if got != head { kpanic("virtio-blk: chain head is not the queue's next head") }
    slots[Int(head)] = BlkRequestSlot(waiting: true, done: false, status: 0xff)
    queue.publish(head)
    return head
  }

  /// Mark done every request the device has returned. Caller holds lock.
  func drainUsedLocked() {
    while true {
      do throws(VirtioError) {
        guard let used = try queue.popUsed() else { return }
        let cell = UInt64(UInt(bitPattern: cells.address)) + blkCellSize * UInt64(used.head)
        slots[Int(used.head)].status = mmio_read8(cell + 16)
        slots[Int(used.head)].done = true
        wakeup(channel(used.head))
      } catch .deviceBroken {
        print("virtio-blk: device used index ran ahead; ignoring it")
        return
      } catch {
        print("virtio-blk: ignored a used element with an id we did not give out")
      }
    }
  }

  /// Take a finished request's status and free its descriptors. Caller holds lock.
  func collectLocked(_ head: UInt16) -> UInt8 {
    let status = slots[Int(head)].status
    slots[Int(head)] = BlkRequestSlot()
    queue.freeChain(head)
    wakeup(freedChannel)
    return status
  }

  func channel(_ head: UInt16) -> UnsafeRawPointer { UnsafeRawPointer(slots + Int(head)) }
  var freedChannel: UnsafeRawPointer { UnsafeRawPointer(slots + Int(queue.size)) }
}
