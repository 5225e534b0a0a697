// PCI configuration space: how a driver reads and writes the 4 KiB of
// registers every PCI function has, behind one protocol so the enumeration
// and BAR logic can be tested against a fake bus. On QEMU's `virt` machine
// the PCIe host bridge is "generic ECAM" (pci-host-ecam-generic): the config
// space of bus b, device d, function f is memory at
//   PCIE_ECAM + (b << 20 | d << 15 | f << 12)
// (CShims/include/platform.h). Only bus 0 is mapped; QEMU puts every
// `-device ...,bus=pcie.0` there.
import CShims

/// Where one function sits on the bus.
public struct PCIAddress: Equatable {
  public let bus: UInt8
  public let device: UInt8  // 0..<32
  public let function: UInt8  // 0..<8

  public init(bus: UInt8 = 0, device: UInt8, function: UInt8 = 0) {
    self.bus = bus
    self.device = device
    self.function = function
  }
}

/// Offsets in the type 0/1 configuration header.
/// Ref: PCI Local Bus Specification 3.0, §6.1 Configuration Space Organization.
public enum PCIConfigRegister: UInt16 {
  case vendorID = 0x00  // 16 bits; 0xffff: no function here
  case deviceID = 0x02  // 16 bits
  case command = 0x04  // 16 bits, §6.2.2
  case status = 0x06  // 16 bits; error bits are write-one-to-clear
  case revision = 0x08  // 8 bits, then the 24-bit class code
  case headerType = 0x0e  // 8 bits; bit 7: multi-function device
  case bar0 = 0x10  // 6 (type 0) or 2 (type 1) BARs, 4 bytes each, §6.2.5.1
  case interruptLine = 0x3c  // 8 bits, for software only
  case interruptPin = 0x3d  // 8 bits: 0 none, 1..4 INTA..INTD
}

/// Bits of the command register (§6.2.2).
public enum PCICommand {
  public static let ioSpace: UInt16 = 1 << 0
  public static let memorySpace: UInt16 = 1 << 1
  public static let busMaster: UInt16 = 1 << 2
  public static let interruptDisable: UInt16 = 1 << 10
}

/// 32-bit access to configuration space; narrower accesses are derived.
public protocol PCIConfigSpace {
  /// The dword at `offset` (a multiple of 4) of function `at`; all ones if
  /// nothing answers there.
  func read32(_ at: PCIAddress, _ offset: UInt16) -> UInt32
  func write32(_ at: PCIAddress, _ offset: UInt16, _ value: UInt32)
}

extension PCIConfigSpace {
  public func read16(_ at: PCIAddress, _ offset: UInt16) -> UInt16 {
    UInt16(truncatingIfNeeded: read32(at, offset & ~3) >> (UInt32(offset & 2) * 8))
  }

  public func read8(_ at: PCIAddress, _ offset: UInt16) -> UInt8 {
    UInt8(truncatingIfNeeded: read32(at, offset & ~3) >> (UInt32(offset & 3) * 8))
  }

  public func read16(_ at: PCIAddress, _ r: PCIConfigRegister) -> UInt16 { read16(at, r.rawValue) }
  public func read8(_ at: PCIAddress, _ r: PCIConfigRegister) -> UInt8 { read8(at, r.rawValue) }

  /// Write the command register. The dword also holds the status register,
  /// whose error bits are write-one-to-clear: writing zeros there leaves it
  /// as it is, so no read-modify-write of the upper half.
  public func writeCommand(_ at: PCIAddress, _ command: UInt16) {
    write32(at, PCIConfigRegister.command.rawValue, UInt32(command))
  }

  public func command(_ at: PCIAddress) -> UInt16 { read16(at, .command) }
}

/// Configuration space through the ECAM window the kernel maps at PCIE_ECAM
/// (bus 0 only: other buses read as empty and ignore writes).
public struct ECAMConfigSpace: PCIConfigSpace {
  public let base: UInt64

  public init(base: UInt64 = UInt64(PCIE_ECAM)) { self.base = base }

  func address(_ at: PCIAddress, _ offset: UInt16) -> UInt64? {
    guard at.bus == 0, at.device < 32, at.function < 8, offset < 4096 else { return nil }
    return base + (UInt64(at.device) << 15 | UInt64(at.function) << 12 | UInt64(offset & ~3))
  }

  public func read32(_ at: PCIAddress, _ offset: UInt16) -> UInt32 {
    guard let a = address(at, offset) else { return 0xffff_ffff }
    return mmio_read32(a)
  }

  public func write32(_ at: PCIAddress, _ offset: UInt16, _ value: UInt32) {
    guard let a = address(at, offset) else { return }
    mmio_write32(a, value)
  }
}
