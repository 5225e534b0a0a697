// The virtio-mmio transport: a device's registers at a fixed physical
// address, as QEMU's `virt` machine places them (8 slots from VIRTIO_MMIO_BASE_PA, which the kernel maps at VIRTIO_MMIO_BASE: platform.h).
// Modern devices (version 2) only: QEMU offers those with
// `-global virtio-mmio.force-legacy=false`.
import CShims
import Device

/// Register offsets.
/// Ref: virtio v1.1 §4.2.2 MMIO Device Register Layout.
enum MMIORegister: UInt64 {
  case magicValue = 0x000
  case version = 0x004
  case deviceID = 0x008
  case vendorID = 0x00c
  case deviceFeatures = 0x010
  case deviceFeaturesSel = 0x014
  case driverFeatures = 0x020
  case driverFeaturesSel = 0x024
  case queueSel = 0x030
  case queueNumMax = 0x034
  case queueNum = 0x038
  case queueReady = 0x044
  case queueNotify = 0x050
  case interruptStatus = 0x060
  case interruptACK = 0x064
  case status = 0x070
  case queueDescLow = 0x080
  case queueDescHigh = 0x084
  case queueDriverLow = 0x090
  case queueDriverHigh = 0x094
  case queueDeviceLow = 0x0a0
  case queueDeviceHigh = 0x0a4
  case configGeneration = 0x0fc
  case config = 0x100
}

public struct MMIOTransport: VirtioTransport {
  /// Physical (= kernel virtual) address of the register block.
  public let base: UInt64

  public init(base: UInt64) { self.base = base }

  // Every register access goes through these two, and they through the
  // volatile helpers of CShims/include/mmio.h.
  func read(_ register: MMIORegister) -> UInt32 {
    mmio_read32(base + register.rawValue)
  }

  func write(_ register: MMIORegister, _ value: UInt32) {
    mmio_write32(base + register.rawValue, value)
  }

  public var magic: UInt32 { read(.magicValue) }
  public var version: UInt32 { read(.version) }
  public var deviceID: UInt32 { read(.deviceID) }
  public var vendorID: UInt32 { read(.vendorID) }

  public func readStatus() -> DeviceStatus { DeviceStatus(rawValue: read(.status)) }
  public func writeStatus(_ status: DeviceStatus) { write(.status, status.rawValue) }

  public func deviceFeatures(word: UInt32) -> UInt32 {
    write(.deviceFeaturesSel, word)
    return read(.deviceFeatures)
  }

  public func setDriverFeatures(word: UInt32, _ bits: UInt32) {
    write(.driverFeaturesSel, word)
    write(.driverFeatures, bits)
  }

  public func selectQueue(_ index: UInt16) { write(.queueSel, UInt32(index)) }
  public func queueMaxSize() -> UInt16 { UInt16(truncatingIfNeeded: read(.queueNumMax)) }
  public func setQueueSize(_ size: UInt16) { write(.queueNum, UInt32(size)) }

  public func setQueueAddresses(descriptors: UInt64, driverArea: UInt64, deviceArea: UInt64) {
    write(.queueDescLow, UInt32(truncatingIfNeeded: descriptors))
    write(.queueDescHigh, UInt32(truncatingIfNeeded: descriptors >> 32))
    write(.queueDriverLow, UInt32(truncatingIfNeeded: driverArea))
    write(.queueDriverHigh, UInt32(truncatingIfNeeded: driverArea >> 32))
    write(.queueDeviceLow, UInt32(truncatingIfNeeded: deviceArea))
    write(.queueDeviceHigh, UInt32(truncatingIfNeeded: deviceArea >> 32))
  }

  public func setQueueReady(_ ready: Bool) { write(.queueReady, ready ? 1 : 0) }
  public func queueIsReady() -> Bool { read(.queueReady) != 0 }

  public func notify(queue: UInt16) { write(.queueNotify, UInt32(queue)) }
  public func interruptStatus() -> UInt32 { read(.interruptStatus) }
  public func acknowledgeInterrupt(_ bits: UInt32) { write(.interruptACK, bits) }

  public func configGeneration() -> UInt32 { read(.configGeneration) }

  // Config fields are read at their natural width (§4.2.2.2).
  public func readConfig8(at offset: Int) -> UInt8 {
    mmio_read8(base + MMIORegister.config.rawValue + UInt64(offset))
  }

  public func readConfig32(at offset: Int) -> UInt32 {
    mmio_read32(base + MMIORegister.config.rawValue + UInt64(offset))
  }
}
