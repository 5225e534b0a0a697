// The split virtqueue as pure memory logic, with a test playing the device.
import DriverTestSupport
import Testing

@testable import VirtIO
import Device

/// A queue of `size` entries whose device side is a FakeQueueDevice.
func makeQueue(size: UInt16) throws -> (Virtqueue, FakeQueueDevice) {
  let q = try Virtqueue.allocate(index: 0, size: size, dma: TestDMA())
  let regs = FakeQueueRegisters(
    maxSize: size, size: size, descriptors: q.descriptorArea, driverArea: q.driverArea,
    deviceArea: q.deviceArea, ready: true)
  return (q, FakeQueueDevice { regs })
}

func seg(_ address: UInt64, _ length: UInt32) -> Segment {
  Segment(address: address, length: length)
}

@Suite struct VirtqueueTests {
  @Test func chainOfThreeHasNextAndWriteFlagsInOrder() throws {
    let (q, dev) = try makeQueue(size: 8)
    let head = try q.addChain(
      readable: [seg(0x1000, 16)], writable: [seg(0x2000, 1024), seg(0x3000, 1)])
    q.publish(head)
    let chain = try #require(dev.nextChain())
    #expect(chain.head == head)
    #expect(chain.descriptors.map(\.address) == [0x1000, 0x2000, 0x3000])
    #expect(chain.descriptors.map(\.length) == [16, 1024, 1])
    #expect(
      chain.descriptors.map(\.flags) == [
        DescriptorFlag.next, DescriptorFlag.next | DescriptorFlag.write, DescriptorFlag.write,
      ])
    #expect(q.freeCount == 5)
  }

  @Test func fullQueueAddChainFailsCleanly() throws {
    let (q, _) = try makeQueue(size: 4)
    for i in 0..<4 { _ = try q.addChain(readable: [seg(UInt64(i + 1) * 0x1000, 8)], writable: []) }
    #expect(q.freeCount == 0)
    #expect(q.nextHead == nil)
    #expect(throws: VirtioError.queueFull) {
      _ = try q.addChain(readable: [seg(0x9000, 8)], writable: [])
    }
    #expect(q.freeCount == 0)
  }

  @Test func chainLongerThanFreeDescriptorsLeavesTheQueueUntouched() throws {
    let (q, dev) = try makeQueue(size: 4)
    _ = try q.addChain(readable: [seg(0x1000, 8), seg(0x2000, 8)], writable: [])
    #expect(throws: VirtioError.queueFull) {
      _ = try q.addChain(readable: [seg(0x3000, 8)], writable: [seg(0x4000, 8), seg(0x5000, 8)])
    }
    #expect(throws: VirtioError.badChain) {
      _ = try q.addChain(readable: [seg(0x3000, 8)], writable: [seg(0x4000, 0)])
    }
    #expect(q.freeCount == 2)
    let h = try q.addChain(readable: [seg(0x6000, 8)], writable: [seg(0x7000, 8)])
    q.publish(h)
    #expect(dev.nextChain()?.descriptors.map(\.address) == [0x6000, 0x7000])
  }

  @Test func indexWrapsAroundPast65535() throws {
    let (q, dev) = try makeQueue(size: 4)
    var completed = 0
    // Two chains in flight at a time, 70000 in all: both 16-bit indices wrap.
    for i in 0..<70_000 {
      let h = try q.addChain(
        readable: [seg(UInt64(i) * 16 + 0x1000, 16)], writable: [seg(0x8000, 64)])
      q.publish(h)
      if i % 2 == 1 {
        while let c = dev.nextChain() { dev.complete(id: UInt32(c.head), length: 64) }
        while let u = try q.popUsed() {
          #expect(u.length == 64)
          q.freeChain(u.head)
          completed += 1
        }
      }
    }
    #expect(completed == 70_000)
    #expect(dev.availIdx == UInt16(70_000 & 0xffff))
    #expect(q.freeCount == 4)
    #expect(q.inFlight == 0)
  }

  @Test func usedElementWithBogusIdIsRejected() throws {
    let (q, dev) = try makeQueue(size: 8)
    let h = try q.addChain(readable: [seg(0x1000, 8)], writable: [seg(0x2000, 8)])
    q.publish(h)
    _ = dev.nextChain()
    dev.complete(id: 99, length: 8)  // beyond the queue
    #expect(throws: VirtioError.badUsedID) { _ = try q.popUsed() }
    dev.complete(id: 5, length: 8)  // a free descriptor, never given out
    // The device has now claimed two completions for one chain in flight.
    #expect(throws: VirtioError.deviceBroken) { _ = try q.popUsed() }
    #expect(q.freeCount == 6, "nothing was freed on the device's word")
  }

  @Test func nonHeadDescriptorIdIsRejectedAndRealOneStillCompletes() throws {
    let (q, dev) = try makeQueue(size: 8)
    let h1 = try q.addChain(readable: [seg(0x1000, 8)], writable: [seg(0x2000, 8)])
    let h2 = try q.addChain(readable: [seg(0x3000, 8)], writable: [])
    q.publish(h1)
    q.publish(h2)
    let body = (h1 + 1) % 8  // the second descriptor of the first chain
    dev.complete(id: UInt32(body), length: 8)
    #expect(throws: VirtioError.badUsedID) { _ = try q.popUsed() }
    dev.complete(id: UInt32(h1), length: 8)
    #expect(try q.popUsed() == UsedElement(head: h1, length: 8))
    #expect(throws: VirtioError.deviceBroken, "two pops for two chains in flight") {
      dev.complete(id: UInt32(h1), length: 8)
      _ = try q.popUsed()
    }
  }

  @Test func sameChainReturnedTwiceIsRejected() throws {
    let (q, dev) = try makeQueue(size: 8)
    let h1 = try q.addChain(readable: [seg(0x1000, 8)], writable: [])
    let h2 = try q.addChain(readable: [seg(0x2000, 8)], writable: [])
    q.publish(h1)
    q.publish(h2)
    dev.complete(id: UInt32(h1), length: 0)
    dev.complete(id: UInt32(h1), length: 0)
    #expect(try q.popUsed()?.head == h1)
    #expect(throws: VirtioError.badUsedID) { _ = try q.popUsed() }
  }

  @Test func usedLengthBeyondWritablePartIsClamped() throws {
    let (q, dev) = try makeQueue(size: 8)
    let h = try q.addChain(readable: [seg(0x1000, 16)], writable: [seg(0x2000, 100)])
    q.publish(h)
    dev.complete(id: UInt32(h), length: 1_000_000)
    #expect(try q.popUsed()?.length == 100)
  }

  @Test func deviceScribblingOnTheTableCannotRedirectTheFreeList() throws {
    let (q, dev) = try makeQueue(size: 4)
    let h = try q.addChain(readable: [seg(0x1000, 8), seg(0x2000, 8)], writable: [seg(0x3000, 8)])
    q.publish(h)
    _ = dev.nextChain()
    // The device rewrites every descriptor's next and address.
    for i in 0..<4 {
      let d = memory(q.descriptorArea + 16 * UInt64(i))
      d.storeBytes(of: 0xdead_beef, as: UInt64.self)
      d.storeBytes(of: 3, toByteOffset: 14, as: UInt16.self)
    }
    dev.complete(id: UInt32(h), length: 8)
    let u = try #require(try q.popUsed())
    q.freeChain(u.head)
    #expect(q.freeCount == 4)
    // All four descriptors are usable again, each exactly once.
    let h2 = try q.addChain(
      readable: [seg(0x10, 1), seg(0x20, 1), seg(0x30, 1), seg(0x40, 1)], writable: [])
    q.publish(h2)
    #expect(dev.nextChain()?.descriptors.map(\.address) == [0x10, 0x20, 0x30, 0x40])
  }

  @Test func noNotificationWhenDeviceSuppressesIt() throws {
    let (q, _) = try makeQueue(size: 4)
    #expect(q.needsNotification())
    memory(q.deviceArea).storeBytes(of: 1, as: UInt16.self)  // VIRTQ_USED_F_NO_NOTIFY
    #expect(!q.needsNotification())
  }

  @Test func queueSizeMustBeAPowerOfTwo() {
    #expect(throws: VirtioError.badQueueSize) {
      _ = try Virtqueue.allocate(index: 0, size: 6, dma: TestDMA())
    }
    #expect(throws: VirtioError.badQueueSize) {
      _ = try Virtqueue.allocate(index: 0, size: 0, dma: TestDMA())
    }
  }

  @Test func ringLayoutFitsTheSpecAlignments() {
    let l = Virtqueue.layout(size: 256)
    #expect(l.availOffset == 4096)
    #expect(l.usedOffset % 4 == 0 && l.usedOffset >= 4096 + 6 + 512)
    #expect(l.total == l.usedOffset + 6 + 8 * 256)
  }
}
