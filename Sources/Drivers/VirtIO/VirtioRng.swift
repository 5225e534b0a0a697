// The virtio entropy device (virtio v1.1 §5.4), as QEMU creates it with
//   -object rng-random,filename=/dev/urandom,id=rng0
//   -device virtio-rng-device,rng=rng0,bus=virtio-mmio-bus.2
// One queue, requestq (§5.4.2). The driver posts a device-writable buffer;
// the device puts one or more random bytes in it and returns it with the
// count as the used length (§5.4.6). No feature bits, no config space.
//
// The kernel's generator (Kernel/random.c) needs a few dozen bytes at boot
// and again when it reseeds, not a stream: so one buffer, at most one
// request in flight. The answer is handed to a `deliver` closure (the
// kernel's pool) and never kept here. A malformed answer is an error the
// caller reports, never a stop of the kernel: no bytes, or more bytes than
// the buffer, is dropped (the next request may do better); an id we never
// posted, or a used index running ahead, retires the device.
import CShims
import Device

public final class VirtioRng<T: VirtioTransport> {
  public let transport: T
  /// Bytes asked for per request (the buffer posted to the device).
  public let requestSize: UInt32

  // lock guards all below: the queue, the buffer, what is in flight and the
  // counters. Taken by process code (request, poll) and by the interrupt
  // handler; `deliver` runs with it held (lock order: this, then the pool's).
  let lock: KernelLock
  let queue: Virtqueue
  let buffer: DMARegion
  /// Head id of the posted buffer while the device holds it.
  var pending: UInt16? = nil
  /// The device broke the ring's rules (a used index running ahead, an id
  /// never posted): not used again.
  public private(set) var broken = false
  public private(set) var bytesDelivered: UInt64 = 0
  public private(set) var badAnswers: UInt64 = 0

  /// Bring the device up: handshake, the request queue, one page for answers.
  /// (A static function: Embedded Swift allows no generic initialisers on classes.)
  public static func start<D: DMAAllocator>(
    transport: T, dma: D, requestSize: UInt32 = 32
  ) throws(VirtioError) -> VirtioRng {
    guard requestSize > 0, requestSize <= UInt32(dmaPageSize) else { throw .badRequest }
    _ = try transport.beginInitialization(.entropy, accepting: 0)
    let queue: Virtqueue
    do throws(VirtioError) {
      // One buffer in flight at a time: the smallest ring does.
      queue = try transport.setUpQueue(0, preferredSize: 2, dma: dma)
    } catch {
      transport.fail()
      throw error
    }
    guard let buffer = dma.allocate(pages: 1) else {
      queue.releaseMemory(to: dma)
      transport.fail()
      throw .noMemory
    }
    let rng = VirtioRng(transport: transport, queue: queue, buffer: buffer, size: requestSize)
    transport.finishInitialization()
    return rng
  }

  init(transport: T, queue: Virtqueue, buffer: DMARegion, size: UInt32) {
    self.transport = transport
    self.queue = queue
    self.buffer = buffer
    self.requestSize = size
    self.lock = KernelLock(name: "virtio_rng")
  }

  /// Ask the device for `requestSize` bytes, unless a request is already out.
  /// Returns whether one is out now (false only for a broken device).
  @discardableResult
  public func request() -> Bool {
    lock.withLock { requestLocked() }
  }

  func requestLocked() -> Bool {
    if broken { return false }
    if pending != nil { return true }
    let segment = Segment(address: buffer.physical, length: requestSize)
    do throws(VirtioError) {
      let head = try queue.addChain(count: 1, writableFrom: 0) { _ in segment }
      pending = head
      queue.publish(head)
      if queue.needsNotification() { transport.notify(queue: queue.index) }
      return true
    } catch {
      return false  // cannot happen with one request in a ring of two; not fatal
    }
  }

  /// Take the device's answer if it has come: `deliver(bytes, count)` with the
  /// lock held. Returns the bytes delivered, 0 if there is no answer yet.
  /// A malformed answer throws (and its buffer is free for the next request).
  public func collect(
    deliver: (UnsafeRawPointer, Int) -> Void
  ) throws(VirtioError) -> Int {
    try lock.withLock { () throws(VirtioError) -> Int in try collectLocked(deliver: deliver) }
  }

  func collectLocked(deliver: (UnsafeRawPointer, Int) -> Void) throws(VirtioError) -> Int {
    if broken { throw .deviceBroken }
    let used: UsedElement
    do throws(VirtioError) {
      guard let u = try queue.popUsed() else { return 0 }
      used = u
    } catch {
      // The used index ran ahead, or an id we never posted took the slot of
      // our one request: the ring can no longer tell an answer from noise,
      // so the device is not used again (the pool keeps what it has).
      broken = true
      badAnswers += 1
      throw error
    }
    queue.freeChain(used.head)
    pending = nil
    guard !used.overran else {
      badAnswers += 1
      throw .overlongAnswer
    }
    guard used.length > 0 else {
      badAnswers += 1  // §5.4.6.1: the device MUST place one or more bytes
      throw .emptyAnswer
    }
    let n = Int(used.length)
    deliver(UnsafeRawPointer(buffer.address), n)
    // Spent: the bytes must not linger in memory once the pool has them.
    buffer.address.initializeMemory(as: UInt8.self, repeating: 0, count: n)
    bytesDelivered += UInt64(n)
    return n
  }

  /// Request and wait for an answer by polling (at boot, before interrupts
  /// are on), calling `timedOut` between looks. Throws `.noAnswer` once it
  /// says so; the request stays out and a later interrupt delivers it.
  public func poll(
    deliver: (UnsafeRawPointer, Int) -> Void, timedOut: () -> Bool
  ) throws(VirtioError) -> Int {
    guard request() else { throw .deviceBroken }
    while true {
      let n = try collect(deliver: deliver)
      if n > 0 { return n }
      if timedOut() { throw .noAnswer }
    }
  }

  /// The interrupt handler: acknowledge, then deliver the answer if any.
  /// Returns the bytes delivered, 0 if none; a malformed answer throws.
  public func handleInterrupt(
    deliver: (UnsafeRawPointer, Int) -> Void
  ) throws(VirtioError) -> Int {
    try lock.withLock { () throws(VirtioError) -> Int in
      // Acknowledge before draining: an answer landing meanwhile raises a
      // new interrupt instead of being lost.
      transport.acknowledgeInterrupt(transport.interruptStatus())
      return try collectLocked(deliver: deliver)
    }
  }

  /// A request is out and the device has not answered it yet.
  public var isWaiting: Bool { lock.withLock { pending != nil } }
}
