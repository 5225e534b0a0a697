// The PCI module (Sources/Drivers/PCI) against a fake bus: which functions
// enumeration finds, how BARs are sized and placed, what the command
// register ends up as, and the INTx swizzle of QEMU's virt machine.
import CShims
import Testing

@testable import PCI

@Suite struct PCIEnumerationTests {
  @Test func emptyBusHasNoFunctions() {
    #expect(PCIBus.functions(FakePCIBus()).isEmpty)
  }

  @Test func emptySlotsAreSkippedAndDevicesFoundInSlotOrder() {
    let bus = FakePCIBus()
    bus.add(device: 0, vendor: 0x1b36, id: 0x0008, classCode: 0x06_00_00, pin: 0)
    bus.add(device: 3)
    bus.add(device: 31, vendor: 0x1af4, id: 0x1000)
    let found = PCIBus.functions(bus)
    #expect(found.map { $0.address.device } == [0, 3, 31])
    #expect(found.allSatisfy { $0.address.function == 0 && $0.address.bus == 0 })
  }

  @Test func functionHeaderFieldsAreRead() throws {
    let bus = FakePCIBus()
    bus.add(device: 1, vendor: 0x8086, id: 0x100e, classCode: 0x02_00_00, headerType: 0, pin: 1)
    let f = try #require(PCIBus.functions(bus).first)
    #expect(f.vendorID == 0x8086 && f.deviceID == 0x100e)
    #expect(f.classCode == 0x02_00_00)
    #expect(f.headerType == 0 && f.interruptPin == 1 && f.barCount == 6)
  }

  @Test func multiFunctionDeviceListsEachPresentFunction() {
    let bus = FakePCIBus()
    bus.add(device: 2, function: 0, headerType: 0x80)
    bus.add(device: 2, function: 1, id: 0x100f)
    bus.add(device: 2, function: 5, id: 0x1010)
    let found = PCIBus.functions(bus)
    #expect(found.map { $0.address.function } == [0, 1, 5])
    #expect(found[0].headerType == 0, "the multi-function bit is not part of the layout")
  }

  @Test func singleFunctionDeviceIsNotScannedPastFunctionZero() {
    let bus = FakePCIBus()
    bus.add(device: 2, function: 0, headerType: 0)
    bus.add(device: 2, function: 1)  // would be a phantom: bit 7 is clear
    #expect(PCIBus.functions(bus).count == 1)
  }

  @Test func findMatchesVendorAndDevice() {
    let bus = FakePCIBus()
    bus.add(device: 1, id: 0x100e)
    bus.add(device: 2, id: 0x10d3)
    bus.add(device: 4, vendor: 0x10ec, id: 0x100e)
    #expect(PCIBus.find(bus, vendor: 0x8086, device: 0x100e).map { $0.address.device } == [1])
  }

  @Test func bridgeHeaderHasTwoBARs() throws {
    let bus = FakePCIBus()
    bus.add(device: 1, classCode: 0x06_04_00, headerType: 1)
    #expect(try #require(PCIBus.functions(bus).first).barCount == 2)
  }
}

@Suite struct PCIBARTests {
  func only(_ bus: FakePCIBus) throws -> PCIFunction { try #require(PCIBus.functions(bus).first) }

  @Test func sizes32BitMemoryBARAndRestoresIt() throws {
    let bus = FakePCIBus()
    let f = bus.add(device: 1, bars: [.memory32(size: 0x20000)])
    let bars = try PCIBus.sizeBARs(bus, try only(bus))
    #expect(bars == [BAR(index: 0, kind: .memory32, prefetchable: false, size: 0x20000)])
    #expect(f.bar(0) == 0, "the original value is written back")
  }

  @Test func sizes64BitMemoryBARAsOneEntry() throws {
    let bus = FakePCIBus()
    bus.add(
      device: 1, bars: [.memory64(size: 0x4000), .memory32(size: 0x1000, prefetchable: true)])
    let bars = try PCIBus.sizeBARs(bus, try only(bus))
    #expect(bars.map { $0.index } == [0, 2])
    #expect(bars[0].kind == .memory64 && bars[0].size == 0x4000)
    #expect(bars[1].kind == .memory32 && bars[1].prefetchable && bars[1].size == 0x1000)
  }

  @Test func sizes64BitBARLargerThan4GiB() throws {
    let bus = FakePCIBus()
    bus.add(device: 1, bars: [.memory64(size: 0x2_0000_0000)])
    let bars = try PCIBus.sizeBARs(bus, try only(bus))
    #expect(bars.first?.size == 0x2_0000_0000)
  }

  @Test func sizesIOBARAndSkipsUnimplementedOnes() throws {
    let bus = FakePCIBus()
    bus.add(device: 1, bars: [.memory32(size: 0x20000), .io(size: 0x40), .none, .none])
    let bars = try PCIBus.sizeBARs(bus, try only(bus))
    #expect(bars.count == 2)
    #expect(bars[1] == BAR(index: 1, kind: .io, prefetchable: false, size: 0x40))
  }

  @Test func memoryBARsAreAlignedToTheirSizeAndIOBARsLeftAlone() throws {
    let bus = FakePCIBus()
    let f = bus.add(
      device: 1, bars: [.memory32(size: 0x1000), .io(size: 0x40), .memory32(size: 0x20000)])
    var window = PCIWindow(base: 0x4000_0000, size: 0x10_0000)
    let bars = try PCIBus.assignBARs(bus, try only(bus), window: &window)
    #expect(bars.map { $0.address } == [0x4000_0000, 0, 0x4002_0000])
    #expect(f.bar(0) == 0x4000_0000 && f.bar(2) == 0x4002_0000)
    #expect(f.bar(1) == 0x1, "the I/O BAR keeps address 0")
    #expect(window.next == 0x4004_0000)
  }

  @Test func assigned64BitBARWritesBothHalves() throws {
    let bus = FakePCIBus()
    let f = bus.add(device: 1, bars: [.memory64(size: 0x4000)])
    f.config[5] = 0xdead_beef & f.writable[1]  // stale upper half
    var window = PCIWindow(base: 0x4000_0000, size: 0x10_0000)
    let bars = try PCIBus.assignBARs(bus, try only(bus), window: &window)
    #expect(bars[0].address == 0x4000_0000)
    #expect(f.bar(0) == 0x4000_0004 && f.bar(1) == 0)
  }

  @Test func windowFullIsATypedError() throws {
    let bus = FakePCIBus()
    bus.add(device: 1, bars: [.memory32(size: 0x8_0000), .memory32(size: 0x10_0000)])
    var window = PCIWindow(base: 0x4000_0000, size: 0x10_0000)
    #expect(throws: PCIError.windowFull(bar: 1, size: 0x10_0000)) {
      _ = try PCIBus.assignBARs(bus, try only(bus), window: &window)
    }
  }

  @Test func windowAlignsUpAndFillsExactlyToItsEnd() throws {
    var window = PCIWindow(base: 0x4000_0000, size: 0x10_0000)
    #expect(try window.allocate(0x1000, bar: 0) == 0x4000_0000)
    #expect(try window.allocate(0x8_0000, bar: 1) == 0x4008_0000, "aligned up past the first")
    #expect(window.next == 0x4010_0000)
    #expect(throws: PCIError.windowFull(bar: 2, size: 0x10)) {
      _ = try window.allocate(0x10, bar: 2)
    }
  }

  @Test func windowTakesFourQuartersAndNoFifth() throws {
    var window = PCIWindow(base: 0x4000_0000, size: 0x10_0000)
    for i in 0..<4 {
      #expect(try window.allocate(0x4_0000, bar: i) == 0x4000_0000 + UInt64(i) * 0x4_0000)
    }
    #expect(throws: PCIError.windowFull(bar: 4, size: 0x4_0000)) {
      _ = try window.allocate(0x4_0000, bar: 4)
    }
  }

  @Test func defaultWindowIsThePlatformsMappedWindow() {
    let window = PCIWindow()
    #expect(window.base == UInt64(PCIE_MMIO_PA) && window.size == UInt64(PCIE_MMIO_SIZE))
  }

  @Test func sizeThatIsNotAPowerOfTwoIsRefused() {
    var window = PCIWindow(base: 0x4000_0000, size: 0x10_0000)
    #expect(throws: PCIError.badBAR(bar: 0)) { _ = try window.allocate(0x3000, bar: 0) }
  }
}

@Suite struct PCICommandTests {
  @Test func configureEnablesMemoryAndBusMasteringOnly() throws {
    let bus = FakePCIBus()
    let f = bus.add(device: 1, bars: [.memory32(size: 0x20000), .io(size: 0x40)])
    f.config[1] = UInt32(PCICommand.ioSpace | PCICommand.interruptDisable)
    var window = PCIWindow()
    _ = try PCIBus.configure(bus, try #require(PCIBus.functions(bus).first), window: &window)
    #expect(f.command == PCICommand.memorySpace | PCICommand.busMaster)
    #expect(f.command & PCICommand.interruptDisable == 0, "INTx stays enabled")
  }

  @Test func barsAreSizedWithDecodingOff() throws {
    let bus = FakePCIBus()
    let f = bus.add(device: 1, bars: [.memory32(size: 0x20000)])
    f.config[1] = UInt32(PCICommand.memorySpace | PCICommand.ioSpace)
    var window = PCIWindow()
    _ = try PCIBus.configure(bus, try #require(PCIBus.functions(bus).first), window: &window)
    #expect(!f.commandAtBARWrites.isEmpty)
    #expect(
      f.commandAtBARWrites.allSatisfy { $0 & (PCICommand.memorySpace | PCICommand.ioSpace) == 0 })
  }

  @Test func commandWriteLeavesStatusErrorBitsAlone() throws {
    let bus = FakePCIBus()
    let f = bus.add(device: 1, bars: [.memory32(size: 0x1000)], status: 0x8010)
    var window = PCIWindow()
    _ = try PCIBus.configure(bus, try #require(PCIBus.functions(bus).first), window: &window)
    #expect(f.status == 0x8010)
  }

  @Test func failedAssignmentLeavesDecodingOff() throws {
    let bus = FakePCIBus()
    let f = bus.add(device: 1, bars: [.memory32(size: 0x20_0000)])
    var window = PCIWindow()
    #expect(throws: PCIError.self) {
      _ = try PCIBus.configure(bus, try #require(PCIBus.functions(bus).first), window: &window)
    }
    #expect(f.command & PCICommand.memorySpace == 0)
  }
}

@Suite struct PCIInterruptTests {
  @Test func intxSwizzleFollowsQEMUsVirtMap() {
    #expect(PCIBus.intxIRQ(device: 0, pin: 1) == 32)
    #expect(PCIBus.intxIRQ(device: 1, pin: 1) == 33)
    #expect(PCIBus.intxIRQ(device: 3, pin: 1) == 35)
    #expect(PCIBus.intxIRQ(device: 4, pin: 1) == 32)
    #expect(PCIBus.intxIRQ(device: 1, pin: 2) == 34)
    #expect(PCIBus.intxIRQ(device: 3, pin: 4) == 34)
    #expect(PCIBus.intxIRQ(device: 31, pin: 4) == 34)
  }

  @Test func noPinMeansNoIRQ() {
    #expect(PCIBus.intxIRQ(device: 1, pin: 0) == nil)
    #expect(PCIBus.intxIRQ(device: 1, pin: 5) == nil)
  }
}

@Suite struct ECAMTests {
  @Test func ecamAddressIsDeviceFunctionRegister() {
    let ecam = ECAMConfigSpace(base: 0x3000_0000)
    #expect(
      ecam.address(PCIAddress(device: 1, function: 2), 0x10) == 0x3000_0000
        + (1 << 15 | 2 << 12 | 0x10))
    #expect(ecam.address(PCIAddress(device: 31, function: 7), 0x3d) == 0x3000_0000 + 0xf_f03c)
    #expect(ecam.address(PCIAddress(bus: 1, device: 0), 0) == nil, "only bus 0 is mapped")
  }

  @Test func ecamReadsAndNarrowAccessesGoThroughMemory() {
    let page = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 4096)
    defer { page.deallocate() }
    page.initializeMemory(as: UInt8.self, repeating: 0, count: 1 << 16)
    let ecam = ECAMConfigSpace(base: UInt64(UInt(bitPattern: page)))
    let at = PCIAddress(device: 1, function: 0)
    ecam.write32(at, 0, 0x100e_8086)
    ecam.write32(at, 0x3c, 0x0000_010b)
    #expect(page.load(fromByteOffset: 1 << 15, as: UInt32.self) == 0x100e_8086)
    #expect(ecam.read16(at, .vendorID) == 0x8086 && ecam.read16(at, .deviceID) == 0x100e)
    #expect(ecam.read8(at, .interruptPin) == 1 && ecam.read8(at, .interruptLine) == 0x0b)
    #expect(ecam.read32(PCIAddress(bus: 2, device: 0), 0) == 0xffff_ffff)
  }
}
