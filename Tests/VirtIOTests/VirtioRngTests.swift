// The virtio entropy driver against a fake device that reads the queue the
// driver set up and answers through the used ring as QEMU's would, and also
// as a broken or hostile one might: no bytes, more bytes than the buffer, an
// id never posted, a used index running ahead, or no answer at all. Each is
// an error the driver reports, never a crash.
import DriverTestSupport
import Testing

@testable import VirtIO
import Device

/// An entropy device over the fake transport: fills posted buffers with a
/// known pattern and completes them with whatever length the test says.
final class FakeRngDevice {
  let transport = FakeTransport()
  let device: FakeQueueDevice
  var next: UInt8 = 0xa0

  init() {
    transport.deviceID = VirtioDeviceID.entropy.rawValue
    device = FakeQueueDevice(transport)
  }

  /// Take the posted buffer, write `fill` bytes of the pattern into it and
  /// report `length` used (by default what was written); nil if none posted.
  @discardableResult
  func answer(fill: Int? = nil, length: UInt32? = nil, id: UInt32? = nil) -> [UInt8]? {
    guard let chain = device.nextChain() else { return nil }
    let d = chain.descriptors[0]
    let n = min(fill ?? Int(d.length), Int(d.length))
    var written: [UInt8] = []
    for i in 0..<n {
      written.append(next)
      memory(d.address).storeBytes(of: next, toByteOffset: i, as: UInt8.self)
      next &+= 7
    }
    device.complete(id: id ?? UInt32(chain.head), length: length ?? UInt32(n))
    transport.interruptBits |= 1
    return written
  }
}

func startRng(_ dev: FakeRngDevice, size: UInt32 = 32) throws -> VirtioRng<FakeTransport> {
  try VirtioRng.start(transport: dev.transport, dma: TestDMA(), requestSize: size)
}

/// Collects what the driver delivers.
final class Sink {
  var bytes: [UInt8] = []
  func take(_ p: UnsafeRawPointer, _ n: Int) {
    bytes += UnsafeRawBufferPointer(start: p, count: n)
  }
}

@Suite struct VirtioRngTests {
  @Test func handshakeIsAcknowledgeDriverFeaturesOKDriverOKWithNoDeviceFeatures() throws {
    let dev = FakeRngDevice()
    _ = try startRng(dev)
    #expect(dev.transport.statusSteps == [.acknowledge, .driver, .featuresOK, .driverOK])
    #expect(dev.transport.driverFeatures == VirtioFeature.version1)
    #expect(dev.transport.queues[0].ready)
    #expect(dev.transport.queues[0].size == 2, "one request at a time: the smallest ring")
  }

  @Test func otherDeviceTypesAreRefused() {
    let dev = FakeRngDevice()
    dev.transport.deviceID = VirtioDeviceID.block.rawValue
    #expect(throws: VirtioError.wrongDevice) { _ = try startRng(dev) }
  }

  @Test func requestPostsOneDeviceWritableBufferOnlyOnce() throws {
    let dev = FakeRngDevice()
    let rng = try startRng(dev, size: 48)
    #expect(rng.request())
    #expect(rng.request(), "a second request while one is out posts nothing")
    #expect(dev.transport.notifications == [0])
    let chain = try #require(dev.device.nextChain())
    #expect(chain.descriptors.count == 1)
    #expect(chain.descriptors[0].length == 48)
    #expect(chain.descriptors[0].flags == DescriptorFlag.write)
    #expect(dev.device.nextChain() == nil)
  }

  @Test func bytesTheDeviceWroteAreDeliveredThenWipedFromTheBuffer() throws {
    let dev = FakeRngDevice()
    let rng = try startRng(dev)
    rng.request()
    let written = try #require(dev.answer())
    let sink = Sink()
    #expect(try rng.collect(deliver: sink.take) == 32)
    #expect(sink.bytes == written)
    #expect(rng.bytesDelivered == 32)
    #expect(!rng.isWaiting)
    let buf = UnsafeRawBufferPointer(start: rng.buffer.address, count: 32)
    #expect(buf.allSatisfy { $0 == 0 }, "spent bytes do not stay in memory")
    #expect(try rng.collect(deliver: sink.take) == 0, "nothing more")
  }

  @Test func aShortAnswerDeliversOnlyWhatTheDeviceWrote() throws {
    let dev = FakeRngDevice()
    let rng = try startRng(dev)
    rng.request()
    let written = try #require(dev.answer(fill: 5))
    let sink = Sink()
    #expect(try rng.collect(deliver: sink.take) == 5)
    #expect(sink.bytes == written)
  }

  @Test func usedLengthZeroIsAnErrorAndTheNextRequestWorks() throws {
    let dev = FakeRngDevice()
    let rng = try startRng(dev)
    rng.request()
    dev.answer(fill: 0, length: 0)
    let sink = Sink()
    #expect(throws: VirtioError.emptyAnswer) { _ = try rng.collect(deliver: sink.take) }
    #expect(sink.bytes.isEmpty)
    #expect(rng.badAnswers == 1)
    #expect(rng.request())
    dev.answer()
    #expect(try rng.collect(deliver: sink.take) == 32)
  }

  @Test func usedLengthBeyondTheBufferIsDroppedNotTrusted() throws {
    let dev = FakeRngDevice()
    let rng = try startRng(dev)
    rng.request()
    dev.answer(length: 4096)
    let sink = Sink()
    #expect(throws: VirtioError.overlongAnswer) { _ = try rng.collect(deliver: sink.take) }
    #expect(sink.bytes.isEmpty, "an answer that lies about its length is not used at all")
    #expect(rng.queue.freeCount == rng.queue.size, "its descriptor came back")
    #expect(rng.request())
  }

  @Test func usedIdNeverPostedRetiresTheDevice() throws {
    for bogus: UInt32 in [1, 77] {  // descriptor 1 was never handed out; 77 is beyond the ring
      let dev = FakeRngDevice()
      let rng = try startRng(dev)
      rng.request()
      _ = try #require(dev.device.nextChain())
      dev.device.complete(id: bogus, length: 32)
      let sink = Sink()
      #expect(throws: VirtioError.badUsedID) { _ = try rng.collect(deliver: sink.take) }
      #expect(sink.bytes.isEmpty)
      #expect(rng.broken, "with one buffer out the ring cannot recover: the device is retired")
      #expect(!rng.request())
      #expect(rng.badAnswers == 1)
    }
  }

  @Test func usedIndexRunningAheadMarksTheDeviceBroken() throws {
    let dev = FakeRngDevice()
    let rng = try startRng(dev)
    rng.request()
    let chain = try #require(dev.device.nextChain())
    dev.device.complete(id: UInt32(chain.head), length: 8)
    dev.device.complete(id: UInt32(chain.head), length: 8)  // two answers for one request
    let sink = Sink()
    #expect(throws: VirtioError.deviceBroken) { _ = try rng.collect(deliver: sink.take) }
    #expect(sink.bytes.isEmpty)
    #expect(rng.broken)
    #expect(!rng.request(), "a broken device is not asked again")
    #expect(throws: VirtioError.deviceBroken) { _ = try rng.collect(deliver: sink.take) }
  }

  @Test func aDeviceThatNeverAnswersTimesOutAndALateAnswerStillArrives() throws {
    let dev = FakeRngDevice()
    let rng = try startRng(dev)
    let sink = Sink()
    var looks = 0
    #expect(throws: VirtioError.noAnswer) {
      _ = try rng.poll(deliver: sink.take) {
        looks += 1
        return looks >= 100
      }
    }
    #expect(looks == 100)
    #expect(rng.isWaiting)
    #expect(sink.bytes.isEmpty)
    // The device answers later: the interrupt acknowledges and delivers.
    let written = try #require(dev.answer())
    #expect(try rng.handleInterrupt(deliver: sink.take) == 32)
    #expect(dev.transport.acknowledged == [1])
    #expect(sink.bytes == written)
  }

  @Test func pollReturnsAsSoonAsTheDeviceAnswers() throws {
    let dev = FakeRngDevice()
    let rng = try startRng(dev)
    let sink = Sink()
    var looks = 0
    let n = try rng.poll(deliver: sink.take) {
      looks += 1
      if looks == 3 { dev.answer(fill: 16) }
      return looks > 10
    }
    #expect(n == 16 && sink.bytes.count == 16 && looks == 3)
  }

  @Test func requestSizeMustFitTheBufferPage() {
    let dev = FakeRngDevice()
    #expect(throws: VirtioError.badRequest) { _ = try startRng(dev, size: 0) }
    #expect(throws: VirtioError.badRequest) { _ = try startRng(dev, size: 4097) }
  }
}
