// The virtio-net driver (Sources/Drivers/VirtIO/VirtioNet.swift) against a fake
// device (FakeNetDevice.swift): feature negotiation, the handshake, the
// receive ring kept full across index wrap-around, transmit reclaim and a
// full transmit ring, bad used lengths, frames intact and in order.
import CShims
import DriverTestSupport
import Testing

@testable import VirtIO
import Device

/// A started driver on a fresh fake device (queues of 16, the fake's maximum).
func startNet(_ dev: FakeNetDevice = FakeNetDevice()) throws -> VirtioNet<FakeTransport> {
  try VirtioNet.start(transport: dev.transport, dma: TestDMA())
}

/// Run the interrupt handler and collect what it delivers.
func interrupt(_ net: VirtioNet<FakeTransport>) -> [[UInt8]] {
  var frames: [[UInt8]] = []
  net.handleInterrupt { p, n in
    frames.append(Array(UnsafeRawBufferPointer(start: p, count: Int(n))))
  }
  return frames
}

/// Send one frame through transmitBuffer/submit; false if no buffer.
@discardableResult
func send(_ net: VirtioNet<FakeTransport>, _ frame: [UInt8]) -> Bool {
  guard let buf = net.transmitBuffer() else { return false }
  frame.withUnsafeBytes { buf.copyMemory(from: $0.baseAddress!, byteCount: frame.count) }
  net.submit(buf, length: UInt32(frame.count))
  return true
}

@Suite struct VirtioNetNegotiationTests {
  @Test func onlyMACAndVersion1AreAcceptedFromQEMUsOffer() throws {
    let dev = FakeNetDevice()
    _ = try startNet(dev)
    #expect(dev.transport.driverFeatures == VirtioNetFeature.mac | VirtioFeature.version1)
    #expect(dev.transport.driverFeatures == 0x1_0000_0020)
  }

  @Test func statusHandshakeOrderIsAcknowledgeDriverFeaturesOKDriverOK() throws {
    let dev = FakeNetDevice()
    _ = try startNet(dev)
    #expect(dev.transport.statusWrites.first == 0, "starts with a reset")
    #expect(dev.transport.statusSteps == [.acknowledge, .driver, .featuresOK, .driverOK])
    #expect(dev.transport.readStatus() == [.acknowledge, .driver, .featuresOK, .driverOK])
  }

  @Test func deviceWithoutMACIsRefusedWithAClearMessage() {
    let dev = FakeNetDevice(features: VirtioFeature.version1 | 1 << 0 | 1 << 16)
    #expect(throws: VirtioNetError.missingMAC) { _ = try startNet(dev) }
    #expect(dev.transport.readStatus().contains(.failed))
    #expect(!dev.transport.readStatus().contains(.driverOK))
    #expect(!dev.transport.queues[0].ready && !dev.transport.queues[1].ready)
    #expect(
      "virtio-net: \(VirtioNetError.missingMAC.message)"
        == "virtio-net: device does not offer VIRTIO_NET_F_MAC")
  }

  @Test func featuresOKNotStickingIsReported() {
    let dev = FakeNetDevice()
    dev.transport.refusesFeatures = true
    #expect(throws: VirtioNetError.transport(.featuresRefused)) { _ = try startNet(dev) }
    #expect(dev.transport.readStatus().contains(.failed))
  }

  @Test func blockDeviceIsNotTakenForANetworkDevice() {
    let dev = FakeNetDevice()
    dev.transport.deviceID = VirtioDeviceID.block.rawValue
    #expect(throws: VirtioNetError.transport(.wrongDevice)) { _ = try startNet(dev) }
  }

  @Test func macIsReadFromConfigOffsetZero() throws {
    let dev = FakeNetDevice(mac: [0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee])
    let net = try startNet(dev)
    #expect((0..<6).map { net.mac[$0] } == [0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee])
  }

  @Test func outOfDMAMemoryFailsTheDeviceAndFreesWhatItGot() {
    let dev = FakeNetDevice()
    let dma = TestDMA()
    dma.pagesLeft = 3  // both rings, not the buffers
    #expect(throws: VirtioNetError.transport(.noMemory)) {
      _ = try VirtioNet.start(transport: dev.transport, dma: dma)
    }
    #expect(dma.live == 0)
    #expect(dev.transport.readStatus().contains(.failed))
  }

  @Test func receiveQueueIsFullyPostedAndNotifiedAfterDriverOK() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    #expect(dev.transport.queues[0].ready && dev.transport.queues[1].ready)
    #expect(dev.postedReceiveBuffers == 16)
    #expect(net.postedReceiveBuffers == 16)
    #expect(net.freeTransmitBuffers == 16)
    #expect(dev.transport.notifications == [0])
    // Receive buffers: one device-writable descriptor of header + 1526 bytes at least.
    let chain = dev.rx.nextChain()!
    #expect(chain.descriptors.count == 1)
    #expect(chain.descriptors[0].length >= 12 + 1526)
    #expect(chain.descriptors[0].flags == DescriptorFlag.write)
  }
}

@Suite struct VirtioNetReceiveTests {
  @Test func framesAreDeliveredIntactAndInOrder() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    let sent =
      (0..<10).map { testFrame(seq: $0, length: 60 + 100 * $0) } + [
        testFrame(seq: 99, length: 1514)
      ]
    for f in sent { #expect(dev.receive(f)) }
    #expect(interrupt(net) == sent)
    #expect(net.stats.rxPackets == 11)
    #expect(net.stats.rxBytes == UInt64(sent.reduce(0) { $0 + $1.count }))
    #expect(dev.transport.acknowledged == [1])
    #expect(dev.transport.interruptBits == 0)
  }

  @Test func batchIsReplenishedWithOneNotification() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    for i in 0..<16 { dev.receive(testFrame(seq: i)) }
    #expect(dev.postedReceiveBuffers == 0)
    let before = dev.transport.notifications.count
    #expect(interrupt(net).count == 16)
    #expect(dev.postedReceiveBuffers == 16, "every buffer is back")
    #expect(dev.transport.notifications.count == before + 1)
    #expect(dev.transport.notifications.last == 0)
  }

  @Test func receiveRefillSurvivesIndexWrapAround() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    var next = 0  // next sequence number the device sends
    var expected = 0  // next one we should see
    var batch = 1
    while next < 70_500 {
      // Batches of 1 to 16 frames, so the ring positions shift around.
      for _ in 0..<batch {
        #expect(dev.receive(testFrame(seq: next, length: 60 + next % 1400)))
        next += 1
      }
      for f in interrupt(net) {
        if f != testFrame(seq: expected, length: 60 + expected % 1400) {
          Issue.record("frame \(expected) damaged or out of order")
          return
        }
        expected += 1
      }
      #expect(dev.postedReceiveBuffers == 16)
      batch = batch % 16 + 1
    }
    #expect(expected == next)
    #expect(net.stats.rxPackets == UInt64(next))
    #expect(net.stats.rxErrors == 0)
    #expect(dev.rx.availIdx == UInt16(truncatingIfNeeded: 16 + next), "avail.idx wrapped")
  }

  @Test func usedLengthShorterThanTheHeaderIsAnErrorAndTheBufferComesBack() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    dev.receive(testFrame(seq: 1))
    dev.receiveClaiming(length: 5)
    dev.receiveClaiming(length: 0)
    dev.receive(testFrame(seq: 2))
    #expect(interrupt(net) == [testFrame(seq: 1), testFrame(seq: 2)])
    #expect(net.stats.rxErrors == 2)
    #expect(net.stats.rxPackets == 2)
    #expect(dev.postedReceiveBuffers == 16)
  }

  @Test func headerOnlyFrameIsPassedUpAsEmpty() throws {
    // Exactly the header: a zero-length frame; the glue drops it as too short.
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    dev.receiveClaiming(length: 12)
    #expect(interrupt(net) == [[]])
  }

  @Test func usedLengthLongerThanTheBufferIsAnError() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    dev.receiveClaiming(length: 100_000)
    dev.receiveClaiming(length: UInt32(12 + netMaxReceivedFrame + 1))
    dev.receive(testFrame(seq: 3))
    #expect(interrupt(net) == [testFrame(seq: 3)])
    #expect(net.stats.rxErrors == 2)
    #expect(dev.postedReceiveBuffers == 16)
  }

  @Test func usedIdWeDidNotGiveIsCountedAndSkipped() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    _ = dev.rx.nextChain()
    dev.rx.complete(id: 999, length: 60)
    dev.receive(testFrame(seq: 4))
    #expect(interrupt(net) == [testFrame(seq: 4)])
    #expect(net.stats.rxErrors == 1)
  }

  @Test func floodStopsAfterOneRingAndTheNextInterruptTakesTheRest() throws {
    // The device keeps filling re-posted buffers while we deliver.
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    var seq = 0
    for _ in 0..<16 {
      dev.receive(testFrame(seq: seq))
      seq += 1
    }
    var got: [[UInt8]] = []
    net.handleInterrupt { p, n in
      got.append(Array(UnsafeRawBufferPointer(start: p, count: Int(n))))
      if seq < 40 && dev.receive(testFrame(seq: seq)) { seq += 1 }
    }
    #expect(got.count == 16, "one ring's worth per interrupt")
    #expect(dev.transport.interruptBits & 1 != 0, "the frames that came later raised it again")
    while dev.transport.interruptBits != 0 { got += interrupt(net) }
    #expect(got == (0..<seq).map { testFrame(seq: $0) })
  }

  @Test func spuriousInterruptIsHarmless() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    let before = dev.transport.notifications.count
    #expect(interrupt(net).isEmpty)
    #expect(dev.transport.notifications.count == before, "nothing re-posted, nothing to notify")
  }

  @Test func transmittingFromTheReceiveCallbackWorks() throws {
    // lwIP answers an ARP request from inside netdev_receive.
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    dev.receive(testFrame(seq: 7))
    dev.receive(testFrame(seq: 8))
    net.handleInterrupt { p, n in
      let reply = Array(UnsafeRawBufferPointer(start: p, count: Int(n)))
      #expect(send(net, reply))
    }
    #expect(dev.takeSent().map(\.frame) == [testFrame(seq: 7), testFrame(seq: 8)])
    #expect(dev.postedReceiveBuffers == 16)
  }
}

@Suite struct VirtioNetTransmitTests {
  @Test func framesGoOutIntactWithAZeroHeaderAndANotify() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    let buf = net.transmitBuffer()!
    // Dirty the header area: submit must zero it.
    (buf - 12).initializeMemory(as: UInt8.self, repeating: 0xee, count: 12)
    let f = testFrame(seq: 5, length: 1514)
    f.withUnsafeBytes { buf.copyMemory(from: $0.baseAddress!, byteCount: f.count) }
    net.submit(buf, length: 1514)
    #expect(dev.transport.notifications.last == 1)
    let sent = dev.takeSent()
    #expect(sent.count == 1)
    #expect(sent[0].header == [UInt8](repeating: 0, count: 12))
    #expect(sent[0].frame == f)
    #expect(net.stats.txPackets == 1 && net.stats.txBytes == 1514)
  }

  @Test func quietSubmitsWaitForOneFlush() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    let before = dev.transport.notifications.count
    for i in 0..<5 {
      let buf = net.transmitBuffer()!
      let f = testFrame(seq: i, length: 200 + i)
      f.withUnsafeBytes { buf.copyMemory(from: $0.baseAddress!, byteCount: f.count) }
      net.submit(buf, length: UInt32(f.count), notify: false)
    }
    #expect(dev.transport.notifications.count == before, "no exit per frame")
    net.flushTransmit()
    #expect(dev.transport.notifications.count == before + 1)
    #expect(dev.transport.notifications.last == 1)
    net.flushTransmit()
    #expect(dev.transport.notifications.count == before + 1, "nothing new, nothing to tell")
    #expect(dev.takeSent().map(\.frame) == (0..<5).map { testFrame(seq: $0, length: 200 + $0) })
  }

  @Test func aRingFullOfUnannouncedFramesIsAnnouncedBeforeWaiting() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    net.txPollLimit = 10
    for i in 0..<16 {
      let buf = net.transmitBuffer()!
      let f = testFrame(seq: i, length: 100)
      f.withUnsafeBytes { buf.copyMemory(from: $0.baseAddress!, byteCount: f.count) }
      net.submit(buf, length: UInt32(f.count), notify: false)
    }
    let before = dev.transport.notifications.count
    #expect(net.transmitBuffer() == nil)   // the fake completes only when read
    #expect(dev.transport.notifications.count == before + 1, "told before polling")
    #expect(dev.takeSent().count == 16)
    #expect(net.transmitBuffer() != nil)
  }

  @Test func transmitQueueSuppressesInterrupts() throws {
    let dev = FakeNetDevice()
    _ = try startNet(dev)
    let availFlags = memory(dev.transport.queues[1].driverArea).load(as: UInt16.self)
    #expect(availFlags == 1, "VIRTQ_AVAIL_F_NO_INTERRUPT on the transmit queue")
    let rxFlags = memory(dev.transport.queues[0].driverArea).load(as: UInt16.self)
    #expect(rxFlags == 0, "receive keeps its interrupts")
  }

  @Test func completedBuffersAreReclaimedAndReused() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    var received: [[UInt8]] = []
    for i in 0..<1000 {
      #expect(send(net, testFrame(seq: i, length: 60 + i)))
      if i % 7 == 6 { received += dev.takeSent().map(\.frame) }
    }
    received += dev.takeSent().map(\.frame)
    #expect(received == (0..<1000).map { testFrame(seq: $0, length: 60 + $0) })
    #expect(net.stats.txDrops == 0)
    #expect(net.stats.txPackets == 1000)
    _ = net.transmitBuffer()  // reclaims the last completions
    #expect(net.freeTransmitBuffers == 15)
  }

  @Test func fullRingDropsWithACountAndCorruptsNothing() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    net.txPollLimit = 100
    for i in 0..<16 { #expect(send(net, testFrame(seq: i, length: 100 + i))) }
    #expect(net.transmitBuffer() == nil)
    #expect(net.transmitBuffer() == nil)
    #expect(net.stats.txDrops == 2)
    #expect(net.txDropsRingFull == 2)
    #expect(net.stats.txPackets == 16)
    // The device now reads all 16: none was touched by the failed attempts.
    let sent = dev.takeSent(complete: false)
    #expect(sent.map(\.frame) == (0..<16).map { testFrame(seq: $0, length: 100 + $0) })
    // One completion frees exactly one buffer.
    dev.tx.complete(id: UInt32(sent[3].head), length: 0)
    #expect(send(net, testFrame(seq: 16)))
    #expect(net.transmitBuffer() == nil)
    #expect(net.stats.txDrops == 3)
  }

  @Test func reservedButUnsubmittedBuffersAreNotHandedOutTwice() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    net.txPollLimit = 10
    var seen = Set<UnsafeMutableRawPointer>()
    for _ in 0..<16 { seen.insert(net.transmitBuffer()!) }
    #expect(seen.count == 16)
    #expect(net.transmitBuffer() == nil)
    #expect(dev.takeSent().isEmpty)
  }

  @Test func badSubmitsAreCountedAndSendNothing() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    var stray = [UInt8](repeating: 0, count: 2048)
    stray.withUnsafeMutableBytes { net.submit($0.baseAddress! + 12, length: 60) }  // not ours
    let buf = net.transmitBuffer()!
    net.submit(buf + 1, length: 60)  // inside a buffer, not its start
    net.submit(buf, length: 1515)  // too long: the buffer goes back
    net.submit(buf, length: 60)  // no longer reserved
    #expect(net.stats.txErrors == 4)
    #expect(dev.takeSent().isEmpty)
    #expect(net.freeTransmitBuffers == 16)
    #expect(net.stats.txPackets == 0)
  }

  @Test func interruptReclaimsTransmits() throws {
    let dev = FakeNetDevice()
    let net = try startNet(dev)
    for i in 0..<5 { send(net, testFrame(seq: i)) }
    _ = dev.takeSent()
    #expect(net.freeTransmitBuffers == 11)
    _ = interrupt(net)
    #expect(net.freeTransmitBuffers == 16)
  }
}

@Suite struct NetDeviceBoundaryTests {
  @Test func statsReachCFieldByField() {
    var s = NetStats()
    s.rxPackets = 1
    s.rxBytes = 2
    s.rxDrops = 3
    s.rxErrors = 4
    s.txPackets = 5
    s.txBytes = 6
    s.txDrops = 7
    s.txErrors = 8
    let c = s.cValue
    #expect([c.rx_packets, c.rx_bytes, c.rx_drops, c.rx_errors] == [1, 2, 3, 4])
    #expect([c.tx_packets, c.tx_bytes, c.tx_drops, c.tx_errors] == [5, 6, 7, 8])
  }

  @Test func describeFillsTheNetworkLayersSlot() throws {
    let net = try startNet(FakeNetDevice())
    var slot = netdev()
    describe(
      net, model: "a model name longer than the field holds", irq: 7, unit: 3, ops: netdev_ops(),
      into: &slot)
    let model = withUnsafeBytes(of: slot.model) { Array($0) }
    #expect(model.count == Int(NETDEV_MODEL_MAX))
    #expect(model.last == 0)  // truncated, still a C string
    #expect(String(decoding: model.prefix(while: { $0 != 0 }), as: UTF8.self) == "a model name longer tha")
    #expect(withUnsafeBytes(of: slot.mac) { Array($0) } == (0..<6).map { net.mac[$0] })
    #expect(slot.irq == 7 && slot.unit == 3 && slot.link_up == 1)
    #expect(slot.mtu == 1500 && slot.offloads == 0)
  }
}
