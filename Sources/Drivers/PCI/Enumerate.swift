// Finding functions on bus 0 (PCI Local Bus Specification 3.0, §6.1): a
// device slot whose function 0 reads vendor 0xffff is empty; a device whose
// header type has bit 7 set has functions 1..7 too (each may be empty).
// There are no bridges behind QEMU virt's root bus, so one bus is all.
import CShims

/// One function found on the bus, as its configuration header describes it.
public struct PCIFunction: Equatable {
  public let address: PCIAddress
  public let vendorID: UInt16
  public let deviceID: UInt16
  /// Class, subclass, programming interface (bits 23..16, 15..8, 7..0).
  public let classCode: UInt32
  /// Layout of the header (bit 7 removed): 0 a device, 1 a PCI-PCI bridge.
  public let headerType: UInt8
  /// 0: no interrupt; 1..4: INTA..INTD.
  public let interruptPin: UInt8

  /// How many BARs the header has (§6.2.5.1; a bridge has two).
  public var barCount: Int {
    switch headerType {
    case 0: return 6
    case 1: return 2
    default: return 0
    }
  }
}

public enum PCIBus {
  public static let devicesPerBus: UInt8 = 32
  public static let functionsPerDevice: UInt8 = 8
  static let multiFunction: UInt8 = 0x80

  /// The function at `at`, or nil if nothing answers there.
  public static func function<C: PCIConfigSpace>(_ config: C, at: PCIAddress) -> PCIFunction? {
    let ids = config.read32(at, PCIConfigRegister.vendorID.rawValue)
    let vendor = UInt16(truncatingIfNeeded: ids)
    guard vendor != 0xffff else { return nil }
    return PCIFunction(
      address: at, vendorID: vendor, deviceID: UInt16(truncatingIfNeeded: ids >> 16),
      classCode: config.read32(at, PCIConfigRegister.revision.rawValue) >> 8,
      headerType: config.read8(at, .headerType) & ~multiFunction,
      interruptPin: config.read8(at, .interruptPin))
  }

  /// Every function on `bus`, in device then function order.
  public static func functions<C: PCIConfigSpace>(_ config: C, bus: UInt8 = 0) -> [PCIFunction] {
    var found: [PCIFunction] = []
    for device in 0..<devicesPerBus {
      let first = PCIAddress(bus: bus, device: device, function: 0)
      guard let f0 = function(config, at: first) else { continue }
      found.append(f0)
      guard config.read8(first, .headerType) & multiFunction != 0 else { continue }
      for fn in 1..<functionsPerDevice {
        if let f = function(config, at: PCIAddress(bus: bus, device: device, function: fn)) {
          found.append(f)
        }
      }
    }
    return found
  }

  /// The functions on `bus` with these vendor and device ids.
  public static func find<C: PCIConfigSpace>(
    _ config: C, vendor: UInt16, device: UInt16, bus: UInt8 = 0
  ) -> [PCIFunction] {
    functions(config, bus: bus).filter { $0.vendorID == vendor && $0.deviceID == device }
  }

  /// The PLIC source of a function's legacy interrupt on QEMU's virt machine:
  /// pin p (1 = INTA) of device d raises PCIE_INTX_IRQ0 + (d + p - 1) % 4
  /// (the interrupt-map QEMU puts in the device tree). nil: no interrupt pin.
  public static func intxIRQ(device: UInt8, pin: UInt8) -> Int32? {
    guard (1...4).contains(pin) else { return nil }
    return Int32(PCIE_INTX_IRQ0) + (Int32(device) + Int32(pin) - 1) % 4
  }
}
