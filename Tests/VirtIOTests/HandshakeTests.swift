// Device initialisation (virtio v1.1 §3.1.1) against the fake transport:
// the order of the status bits, feature negotiation, refusals.
import DriverTestSupport
import Testing

@testable import VirtIO
import Device

@Suite struct HandshakeTests {
  @Test func statusHandshakeOrderIsAcknowledgeDriverFeaturesOKDriverOK() throws {
    let t = FakeTransport()
    t.setCapacity(sectors: 64)
    _ = try VirtioBlk.start(transport: t, dma: TestDMA())
    #expect(t.statusWrites.first == 0, "starts with a reset")
    #expect(t.statusSteps == [.acknowledge, .driver, .featuresOK, .driverOK])
    #expect(t.readStatus() == [.acknowledge, .driver, .featuresOK, .driverOK])
  }

  @Test func onlyVersion1IsAcceptedOfTheOfferedFeatures() throws {
    let t = FakeTransport()
    _ = try VirtioBlk.start(transport: t, dma: TestDMA())
    #expect(t.driverFeatures == VirtioFeature.version1)
  }

  @Test func queueIsReadyBeforeDriverOK() throws {
    let t = FakeTransport()
    _ = try VirtioBlk.start(transport: t, dma: TestDMA())
    let q = t.queues[0]
    #expect(q.ready)
    #expect(q.size == 16, "the fake's maximum bounds the preferred 64")
    #expect(q.descriptors % 16 == 0 && q.driverArea % 2 == 0 && q.deviceArea % 4 == 0)
  }

  @Test func featuresOKRefusedSetsFailedAndReportsIt() {
    let t = FakeTransport()
    t.refusesFeatures = true
    #expect(throws: VirtioError.featuresRefused) {
      _ = try VirtioBlk.start(transport: t, dma: TestDMA())
    }
    #expect(t.readStatus().contains(.failed))
    #expect(!t.readStatus().contains(.driverOK))
    #expect(!t.queues[0].ready, "no queue is set up on a refused device")
    #expect("\(VirtioError.featuresRefused.message)".contains("FEATURES_OK"))
  }

  @Test func deviceWithoutVersion1IsFailed() {
    let t = FakeTransport()
    t.offeredFeatures = 1 << 5
    #expect(throws: VirtioError.missingVersion1) {
      _ = try VirtioBlk.start(transport: t, dma: TestDMA())
    }
    #expect(t.readStatus().contains(.failed))
  }

  @Test func legacyVersion1DeviceIsRefused() {
    let t = FakeTransport()
    t.version = 1
    #expect(throws: VirtioError.legacyDevice) {
      _ = try VirtioBlk.start(transport: t, dma: TestDMA())
    }
    #expect(t.statusWrites.isEmpty, "a legacy device is not touched")
    #expect("\(VirtioError.legacyDevice.message)".contains("force-legacy=false"))
  }

  @Test func wrongDeviceTypeAndBadMagicAreRefused() {
    let net = FakeTransport()
    net.deviceID = VirtioDeviceID.network.rawValue
    #expect(throws: VirtioError.wrongDevice) {
      _ = try VirtioBlk.start(transport: net, dma: TestDMA())
    }
    let junk = FakeTransport()
    junk.magic = 0x1234
    #expect(throws: VirtioError.notVirtio) {
      _ = try VirtioBlk.start(transport: junk, dma: TestDMA())
    }
  }

  @Test func missingQueueFailsTheDevice() {
    let t = FakeTransport()
    t.queues[0].maxSize = 0
    #expect(throws: VirtioError.queueUnavailable) {
      _ = try VirtioBlk.start(transport: t, dma: TestDMA())
    }
    #expect(t.readStatus().contains(.failed))
  }

  @Test func outOfDMAMemoryFailsCleanlyAndFreesWhatItTook() {
    let t = FakeTransport()
    let dma = TestDMA()
    dma.pagesLeft = 1  // the rings fit, the request cells do not
    #expect(throws: VirtioError.noMemory) {
      _ = try VirtioBlk.start(transport: t, dma: dma)
    }
    #expect(dma.live == 0)
    #expect(t.readStatus().contains(.failed))
  }

  @Test func probeFindsTheDeviceByTypeAndIrqIsOnePlusSlot() {
    let slots = (0..<8).map { _ in FakeTransport() }
    for s in slots { s.deviceID = 0 }
    slots[3].deviceID = VirtioDeviceID.network.rawValue
    slots[6].deviceID = VirtioDeviceID.block.rawValue
    let found = findDevice(.block, slots: 8) { slots[$0] }
    #expect(found?.slot == 6)
    #expect(found.map { VirtioMMIOBus.irq(slot: $0.slot) } == 7)
    #expect(findDevice(.block, slots: 6) { slots[$0] } == nil)
  }

  @Test func mmioRegisterOffsetsMatchTheSpec() {
    #expect(MMIORegister.status.rawValue == 0x70)
    #expect(MMIORegister.queueNotify.rawValue == 0x50)
    #expect(MMIORegister.queueDeviceHigh.rawValue == 0xa4)
    #expect(MMIORegister.config.rawValue == 0x100)
  }

  @Test func mmioTransportReadsRegistersThroughMemory() {
    // A page of plain memory standing in for a register block.
    let page = UnsafeMutableRawPointer.allocate(byteCount: 0x200, alignment: 4096)
    defer { page.deallocate() }
    page.initializeMemory(as: UInt8.self, repeating: 0, count: 0x200)
    page.storeBytes(of: virtioMagic, as: UInt32.self)
    page.storeBytes(of: 2, toByteOffset: 4, as: UInt32.self)
    page.storeBytes(of: 2, toByteOffset: 8, as: UInt32.self)
    page.storeBytes(of: 0x1234_5678, toByteOffset: 0x100, as: UInt32.self)
    let t = MMIOTransport(base: UInt64(UInt(bitPattern: page)))
    #expect(throws: Never.self) { try t.checkIdentity(.block) }
    #expect(t.readConfig32(at: 0) == 0x1234_5678)
    t.writeStatus(.acknowledge)
    #expect(page.load(fromByteOffset: 0x70, as: UInt32.self) == 1)
  }
}
