// The virtio-blk driver against a fake disk that serves requests from the
// queue memory the driver gave it. Blocking calls complete through the host
// shim's sleep hook, which plays the device and its interrupt.
import CShims
import DriverTestSupport
import Testing

@testable import VirtIO
import Device

/// What the sleep hook runs; set per test (the suite is serialised).
nonisolated(unsafe) var onSleep: (() -> Void)?

private let sleepHook: @convention(c) () -> Void = { onSleep?() }

/// A started driver over a fake disk whose device answers whenever the driver sleeps.
func makeBlk(sectors: Int = 64, queueSize: UInt16 = 64) throws
  -> (VirtioBlk<FakeTransport>, FakeBlkDisk)
{
  let t = FakeTransport()
  let disk = FakeBlkDisk(transport: t, sectors: sectors)
  let blk = try VirtioBlk.start(transport: t, dma: TestDMA(), queueSize: queueSize)
  onSleep = {
    disk.serveAll()
    blk.handleInterrupt()
  }
  kshim_host_set_sleep_hook(sleepHook)
  return (blk, disk)
}

func address(_ p: UnsafeMutableRawBufferPointer) -> UInt64 {
  UInt64(UInt(bitPattern: p.baseAddress!))
}

@Suite(.serialized) struct VirtioBlkTests {
  @Test func capacityComesFromConfigSpace() throws {
    let (blk, _) = try makeBlk(sectors: 2048)
    #expect(blk.capacity == 2048)
  }

  @Test func writeThenReadSectorDataLands() throws {
    let (blk, disk) = try makeBlk()
    var out = [UInt8](repeating: 0, count: 1024)
    for i in out.indices { out[i] = UInt8(truncatingIfNeeded: i * 7 + 3) }
    try out.withUnsafeMutableBytes { p in
      try blk.readWrite(sector: 10, data: address(p), length: 1024, write: true)
    }
    #expect(Array(disk.sectors[5120..<6144]) == out)
    #expect(disk.sectors[5119] == 0 && disk.sectors[6144] == 0)

    var back = [UInt8](repeating: 0, count: 1024)
    try back.withUnsafeMutableBytes { p in
      try blk.readWrite(sector: 10, data: address(p), length: 1024, write: false)
    }
    #expect(back == out)
    #expect(blk.queue.freeCount == blk.queue.size, "every descriptor came back")
  }

  @Test func readRequestIsThreeDescriptorsHeaderDataStatus() throws {
    let (blk, disk) = try makeBlk()
    var buf = [UInt8](repeating: 0, count: 512)
    let head = try buf.withUnsafeMutableBytes { p in
      try blk.lock.withLock { () throws(VirtioError) in
        try blk.submitLocked(sector: 3, data: address(p), length: 512, write: false)
      }
    }
    let chain = try #require(disk.device.nextChain())
    #expect(chain.head == head)
    let d = chain.descriptors
    #expect(d.map(\.length) == [16, 512, 1])
    #expect(d[0].flags == DescriptorFlag.next, "header: device-readable")
    #expect(
      d[1].flags == DescriptorFlag.next | DescriptorFlag.write, "data: device-writable for a read")
    #expect(d[2].flags == DescriptorFlag.write, "status: device-writable, last")
    let header = memory(d[0].address)
    #expect(header.load(as: UInt32.self) == 0)  // VIRTIO_BLK_T_IN
    #expect(header.load(fromByteOffset: 8, as: UInt64.self) == 3)
    #expect(disk.transport.notifications.isEmpty, "published, not yet announced")
    blk.kick()
    #expect(disk.transport.notifications == [0])
  }

  @Test func aRunOfBuffersIsOneRequestTheDiskSeesInOrder() throws {
    let (blk, disk) = try makeBlk(sectors: 64)
    // four separate 1 KiB buffers, sectors 8..<16 on the disk
    let bufs = (0..<4).map { i in
      let p = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 8)
      for j in 0..<1024 { p[j] = UInt8(truncatingIfNeeded: i * 31 + j) }
      return p
    }
    defer { bufs.forEach { $0.deallocate() } }
    var addrs = bufs.map(address)
    let head = try blk.submit(
      sector: 8, buffers: &addrs, count: 4, length: 1024, write: true, mayWait: true,
      notify: true)
    let chain = try #require(disk.device.nextChain())
    #expect(chain.head == head)
    #expect(chain.descriptors.map(\.length) == [16, 1024, 1024, 1024, 1024, 1])
    #expect(chain.descriptors[1...4].allSatisfy { $0.flags == DescriptorFlag.next })
    disk.serve(chain.head, chain.descriptors)
    blk.handleInterrupt()
    try blk.wait(head)
    for i in 0..<4 {
      #expect(Array(disk.sectors[(8 * 512 + i * 1024)..<(8 * 512 + (i + 1) * 1024)]) == Array(bufs[i]))
    }
    // and back, into fresh buffers, as one read
    bufs.forEach { $0.initializeMemory(as: UInt8.self, repeating: 0) }
    let back = try blk.submit(
      sector: 8, buffers: &addrs, count: 4, length: 1024, write: false, mayWait: true,
      notify: true)
    let d = try #require(disk.device.nextChain()).descriptors
    #expect(d[1...4].allSatisfy { $0.flags == DescriptorFlag.next | DescriptorFlag.write })
    disk.serve(back, d)
    blk.handleInterrupt()
    try blk.wait(back)
    for i in 0..<4 { #expect(bufs[i][5] == UInt8(truncatingIfNeeded: i * 31 + 5)) }
    #expect(blk.queue.freeCount == blk.queue.size, "every descriptor came back")
  }

  @Test func runsTooLongForTheQueueOrTheDiskAreRefused() throws {
    let (blk, _) = try makeBlk(sectors: 64, queueSize: 8)
    var addrs = [UInt64](repeating: 0x1000, count: 7)
    #expect(throws: VirtioError.badRequest) {
      try blk.submit(sector: 0, buffers: &addrs, count: 7, length: 512, write: false,
                     mayWait: true, notify: true)   // 9 descriptors in a queue of 8: never
    }
    #expect(throws: VirtioError.badRequest) {
      try blk.submit(sector: 60, buffers: &addrs, count: 5, length: 512, write: false,
                     mayWait: true, notify: true)   // sectors 60..<65 of 64
    }
    #expect(throws: VirtioError.badRequest) {
      try blk.submit(sector: 0, buffers: &addrs, count: 0, length: 512, write: false,
                     mayWait: true, notify: true)
    }
    #expect(blk.queue.freeCount == blk.queue.size, "nothing taken")
  }

  @Test func writeRequestDataIsDeviceReadable() throws {
    let (blk, disk) = try makeBlk()
    var buf = [UInt8](repeating: 1, count: 512)
    _ = try buf.withUnsafeMutableBytes { p in
      try blk.lock.withLock { () throws(VirtioError) in
        try blk.submitLocked(sector: 0, data: address(p), length: 512, write: true)
      }
    }
    let d = try #require(disk.device.nextChain()).descriptors
    #expect(d[1].flags == DescriptorFlag.next)
    #expect(memory(d[0].address).load(as: UInt32.self) == 1)  // VIRTIO_BLK_T_OUT
  }

  @Test func severalRequestsInFlightCompleteOutOfOrder() throws {
    let (blk, disk) = try makeBlk()
    for s in 0..<4 { disk.sectors[s * 512] = UInt8(s + 1) }
    var bufs = [[UInt8]](repeating: [UInt8](repeating: 0, count: 512), count: 4)
    var heads: [UInt16] = []
    for s in 0..<4 {
      let h = try bufs[s].withUnsafeMutableBytes { p in
        try blk.lock.withLock { () throws(VirtioError) in
          try blk.submitLocked(sector: UInt64(s), data: address(p), length: 512, write: false)
        }
      }
      heads.append(h)
    }
    #expect(blk.queue.inFlight == 4)
    disk.serveAll(reversed: true)
    blk.handleInterrupt()
    #expect(disk.transport.interruptBits == 0, "interrupt acknowledged")
    for (s, h) in heads.enumerated() {
      #expect(blk.slots[Int(h)].done)
      #expect(blk.lock.withLock { blk.collectLocked(h) } == 0)
      #expect(bufs[s][0] == UInt8(s + 1))
    }
    #expect(blk.queue.freeCount == blk.queue.size)
  }

  @Test func batchIsAnnouncedWithOneNotifyAtKick() throws {
    let (blk, disk) = try makeBlk()
    let before = disk.transport.notifications.count
    var bufs = [[UInt8]](repeating: [UInt8](repeating: 0, count: 512), count: 3)
    var heads: [UInt16] = []
    for s in 0..<3 {
      disk.sectors[s * 512] = UInt8(s + 7)
      heads.append(
        try bufs[s].withUnsafeMutableBytes { p in
          try blk.submit(
            sector: UInt64(s), data: address(p), length: 512, write: false, mayWait: false,
            notify: false)
        })
    }
    #expect(disk.transport.notifications.count == before, "no doorbell before the kick")
    #expect(blk.queue.inFlight == 3, "all three published")
    blk.kick()
    #expect(disk.transport.notifications.count == before + 1, "one doorbell for the batch")
    for (s, h) in heads.enumerated() {
      try blk.wait(h)
      #expect(bufs[s][0] == UInt8(s + 7))
    }
    #expect(blk.queue.freeCount == blk.queue.size)
  }

  @Test func submitThatMustWaitForRoomKicksItsOwnBatchFirst() throws {
    // Two 3-descriptor requests fill a queue of 8; the third waits for room.
    // Its sleep must not wait on requests the device was never told about.
    let (blk, disk) = try makeBlk(sectors: 8, queueSize: 8)
    var buf = [UInt8](repeating: 0, count: 512)
    try buf.withUnsafeMutableBytes { p in
      var batch: [UInt16] = []
      for s in 0..<2 {
        batch.append(
          try blk.submit(
            sector: UInt64(s), data: address(p), length: 512, write: false, mayWait: false,
            notify: false))
      }
      let before = disk.transport.notifications.count
      var served = -1
      onSleep = {
        served = disk.transport.notifications.count - before
        disk.serveAll()
        blk.handleInterrupt()
        // The batch is done: free it as its owner would, so room appears.
        for h in batch where blk.slots[Int(h)].done {
          _ = blk.collectLocked(h)
        }
        batch.removeAll()
      }
      let third = try blk.submit(
        sector: 2, data: address(p), length: 512, write: false, mayWait: true, notify: true)
      #expect(served == 1, "the batch was announced before sleeping for room")
      try blk.wait(third)
    }
  }

  @Test func manyRequestsThroughATinyQueueWrapTheIndices() throws {
    let (blk, disk) = try makeBlk(sectors: 8, queueSize: 4)
    var buf = [UInt8](repeating: 0, count: 512)
    for i in 0..<70_000 {
      buf[0] = UInt8(truncatingIfNeeded: i)
      try buf.withUnsafeMutableBytes { p in
        try blk.readWrite(sector: UInt64(i % 8), data: address(p), length: 512, write: true)
      }
    }
    #expect(disk.served == 70_000)
    #expect(disk.device.availIdx == UInt16(70_000 & 0xffff))
    #expect(disk.sectors[(69_999 % 8) * 512] == UInt8(truncatingIfNeeded: 69_999))
  }

  @Test func requestsBeyondTheDiskOrNotWholeSectorsAreRefused() throws {
    let (blk, disk) = try makeBlk(sectors: 8)
    var buf = [UInt8](repeating: 0, count: 1024)
    buf.withUnsafeMutableBytes { p in
      #expect(throws: VirtioError.badRequest) {
        try blk.readWrite(sector: 7, data: address(p), length: 1024, write: false)
      }
      #expect(throws: VirtioError.badRequest) {
        try blk.readWrite(sector: 0, data: address(p), length: 100, write: false)
      }
    }
    #expect(disk.served == 0)
  }

  @Test func deviceErrorStatusIsReported() throws {
    let (blk, disk) = try makeBlk()
    onSleep = {
      while let c = disk.device.nextChain() {
        memory(c.descriptors[2].address).storeBytes(of: 1 as UInt8, as: UInt8.self)  // IOERR
        disk.device.complete(id: UInt32(c.head), length: 1)
      }
      blk.handleInterrupt()
    }
    var buf = [UInt8](repeating: 0, count: 512)
    buf.withUnsafeMutableBytes { p in
      _ = #expect(throws: VirtioError.ioError) {
        try blk.readWrite(sector: 0, data: address(p), length: 512, write: false)
      }
    }
    #expect(blk.queue.freeCount == blk.queue.size)
  }
}
