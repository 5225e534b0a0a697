// The virtio transport: how a driver reaches a device's registers, whatever
// carries them. Drivers are generic over it (Embedded Swift has no
// existentials of plain protocols): MMIOTransport in the kernel, a fake that
// plays the device in the host tests. Also the device-initialisation
// handshake every driver shares (virtio v1.1 §3.1.1 Driver Requirements:
// Device Initialization).
import Device

/// Device status bits (virtio v1.1 §2.1 Device Status Field).
public struct DeviceStatus: OptionSet, Sendable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let acknowledge = DeviceStatus(rawValue: 1)
  public static let driver = DeviceStatus(rawValue: 2)
  public static let driverOK = DeviceStatus(rawValue: 4)
  public static let featuresOK = DeviceStatus(rawValue: 8)
  public static let deviceNeedsReset = DeviceStatus(rawValue: 64)
  public static let failed = DeviceStatus(rawValue: 128)
}

/// Feature bits common to every device type (virtio v1.1 §6 Reserved Feature Bits).
public enum VirtioFeature {
  public static let ringIndirectDesc: UInt64 = 1 << 28
  public static let ringEventIdx: UInt64 = 1 << 29
  public static let version1: UInt64 = 1 << 32
  public static let accessPlatform: UInt64 = 1 << 33
  public static let ringPacked: UInt64 = 1 << 34
  public static let inOrder: UInt64 = 1 << 35
}

/// Device types (virtio v1.1 §5 Device Types).
public enum VirtioDeviceID: UInt32, Sendable {
  case network = 1
  case block = 2
  case entropy = 4
}

/// "virt" in little-endian ASCII, at offset 0 of every virtio-mmio device.
public let virtioMagic: UInt32 = 0x7472_6976

public protocol VirtioTransport {
  var magic: UInt32 { get }
  var version: UInt32 { get }
  var deviceID: UInt32 { get }
  var vendorID: UInt32 { get }

  func readStatus() -> DeviceStatus
  func writeStatus(_ status: DeviceStatus)

  /// 32 feature bits: word 0 is bits 0-31, word 1 is bits 32-63.
  func deviceFeatures(word: UInt32) -> UInt32
  func setDriverFeatures(word: UInt32, _ bits: UInt32)

  /// The queue operations below act on the queue last selected.
  func selectQueue(_ index: UInt16)
  func queueMaxSize() -> UInt16
  func setQueueSize(_ size: UInt16)
  func setQueueAddresses(descriptors: UInt64, driverArea: UInt64, deviceArea: UInt64)
  func setQueueReady(_ ready: Bool)
  func queueIsReady() -> Bool

  func notify(queue: UInt16)
  func interruptStatus() -> UInt32
  func acknowledgeInterrupt(_ bits: UInt32)

  func configGeneration() -> UInt32
  func readConfig8(at offset: Int) -> UInt8
  func readConfig32(at offset: Int) -> UInt32
}

extension VirtioTransport {
  public func readDeviceFeatures() -> UInt64 {
    UInt64(deviceFeatures(word: 0)) | UInt64(deviceFeatures(word: 1)) << 32
  }

  public func writeDriverFeatures(_ features: UInt64) {
    setDriverFeatures(word: 0, UInt32(truncatingIfNeeded: features))
    setDriverFeatures(word: 1, UInt32(truncatingIfNeeded: features >> 32))
  }

  /// A 64-bit config field is two 32-bit reads; retry if the device changed
  /// its configuration between them (virtio v1.1 §2.4.1).
  public func readConfig64(at offset: Int) -> UInt64 {
    while true {
      let before = configGeneration()
      let low = UInt64(readConfig32(at: offset))
      let high = UInt64(readConfig32(at: offset + 4))
      if configGeneration() == before {
        return low | high << 32
      }
    }
  }

  /// Is this a modern virtio device of the wanted type?
  public func checkIdentity(_ wanted: VirtioDeviceID) throws(VirtioError) {
    guard magic == virtioMagic else { throw .notVirtio }
    guard version != 1 else { throw .legacyDevice }
    guard version == 2 else { throw .unsupportedVersion }
    guard deviceID == wanted.rawValue else { throw .wrongDevice }
  }

  /// Steps 1-6 of device initialisation: reset, ACKNOWLEDGE, DRIVER, feature
  /// negotiation, FEATURES_OK and the check that the device kept it.
  /// Returns the features both sides agreed on. The caller sets up its
  /// queues and then calls `finishInitialization()`.
  public func beginInitialization(
    _ wanted: VirtioDeviceID, accepting driverFeatures: UInt64
  ) throws(VirtioError) -> UInt64 {
    try checkIdentity(wanted)
    reset()
    var status: DeviceStatus = .acknowledge
    writeStatus(status)
    status.insert(.driver)
    writeStatus(status)

    let offered = readDeviceFeatures()
    guard offered & VirtioFeature.version1 != 0 else {
      fail()
      throw .missingVersion1
    }
    let agreed = offered & (driverFeatures | VirtioFeature.version1)
    writeDriverFeatures(agreed)
    status.insert(.featuresOK)
    writeStatus(status)
    // The device clears FEATURES_OK if it cannot work with our subset.
    guard readStatus().contains(.featuresOK) else {
      fail()
      throw .featuresRefused
    }
    return agreed
  }

  /// Step 8: the driver is ready; the device may now use its queues.
  public func finishInitialization() {
    writeStatus(readStatus().union(.driverOK))
  }

  /// Tell the device we gave up on it.
  public func fail() {
    writeStatus(readStatus().union(.failed))
  }

  /// Writing 0 resets the device; it is done when status reads back 0.
  public func reset() {
    writeStatus([])
    var tries = 0
    while readStatus().rawValue != 0 && tries < 1_000_000 {
      tries += 1
    }
  }

  /// Give queue `index` to the device: pick a size the device allows (at
  /// most `preferredSize`, a power of two), allocate the rings in DMA
  /// memory and tell the device where they are.
  public func setUpQueue<D: DMAAllocator>(
    _ index: UInt16, preferredSize: UInt16, dma: D
  ) throws(VirtioError) -> Virtqueue {
    selectQueue(index)
    guard !queueIsReady() else { throw .queueInUse }
    let max = queueMaxSize()
    guard max != 0 else { throw .queueUnavailable }
    var size = preferredSize
    while size > max { size >>= 1 }
    let queue = try Virtqueue.allocate(index: index, size: size, dma: dma)
    setQueueSize(size)
    setQueueAddresses(
      descriptors: queue.descriptorArea, driverArea: queue.driverArea,
      deviceArea: queue.deviceArea)
    setQueueReady(true)
    return queue
  }
}

/// Why a virtio operation failed. Numbered so C callers can report them.
public enum VirtioError: Int32, Error, Sendable {
  case notVirtio = 1
  case legacyDevice
  case unsupportedVersion
  case wrongDevice
  case missingVersion1
  case featuresRefused
  case queueInUse
  case queueUnavailable
  case badQueueSize
  case noMemory
  case queueFull
  case badChain
  case badUsedID
  case deviceBroken
  case badRequest
  case ioError
  case emptyAnswer
  case overlongAnswer
  case noAnswer

  public var message: StaticString {
    switch self {
    case .notVirtio: return "no virtio magic value at this address"
    case .legacyDevice:
      return
        "legacy (version 1) virtio-mmio device refused: run QEMU with -global virtio-mmio.force-legacy=false"
    case .unsupportedVersion: return "unknown virtio-mmio version"
    case .wrongDevice: return "device is not of the expected type"
    case .missingVersion1: return "device does not offer VIRTIO_F_VERSION_1"
    case .featuresRefused:
      return "device refused our features (FEATURES_OK did not stick); status set to FAILED"
    case .queueInUse: return "queue is already in use"
    case .queueUnavailable: return "device has no such queue"
    case .badQueueSize: return "queue size must be a power of two up to 32768"
    case .noMemory: return "out of DMA memory"
    case .queueFull: return "no free descriptors"
    case .badChain: return "empty chain, empty segment or chain longer than the queue"
    case .badUsedID: return "device returned a used element with an id we did not give it"
    case .deviceBroken: return "device used index ran ahead of what we gave it"
    case .badRequest: return "request not a whole number of sectors or beyond the disk"
    case .ioError: return "device reported an I/O error"
    case .emptyAnswer: return "device returned a buffer with no bytes in it"
    case .overlongAnswer: return "device claimed more bytes than the buffer it was given"
    case .noAnswer: return "device did not answer in time"
    }
  }
}
