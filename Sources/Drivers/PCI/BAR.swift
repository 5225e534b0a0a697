// Base address registers (PCI Local Bus Specification 3.0, §6.2.5.1): how
// big each is, and where it goes. With `-bios none` no firmware assigns
// them, so the kernel does, from the part of QEMU's 32-bit PCI memory
// window it maps (PCIE_MMIO_PA, PCIE_MMIO_SIZE in platform.h). A BAR is
// sized by writing all ones and reading back which address bits stick;
// it must sit at a multiple of its size. I/O BARs are sized but never
// assigned: nothing here uses port I/O, and I/O decoding stays off.
import CShims

public enum PCIError: Error, Equatable {
  /// The window has no room left for a BAR of this size at its alignment.
  case windowFull(bar: Int, size: UInt64)
  /// A BAR that reads back a size that is not a power of two.
  case badBAR(bar: Int)

  public var message: StaticString {
    switch self {
    case .windowFull: return "no room for a BAR in the PCI memory window"
    case .badBAR: return "a BAR reports an impossible size"
    }
  }
}

public enum BARKind: Equatable {
  case memory32, memory64, io
}

public struct BAR: Equatable {
  /// 0...5; a 64-bit BAR also uses index + 1.
  public let index: Int
  public let kind: BARKind
  public let prefetchable: Bool
  public let size: UInt64
  /// Bus (= CPU physical) address once assigned, else 0.
  public var address: UInt64 = 0

  public init(index: Int, kind: BARKind, prefetchable: Bool, size: UInt64, address: UInt64 = 0) {
    self.index = index
    self.kind = kind
    self.prefetchable = prefetchable
    self.size = size
    self.address = address
  }
}

/// A bump allocator over a range of PCI memory space: each BAR goes at the
/// next multiple of its (power-of-two) size.
public struct PCIWindow {
  public let base: UInt64
  public let size: UInt64
  public private(set) var next: UInt64

  public init(base: UInt64 = UInt64(PCIE_MMIO_PA), size: UInt64 = UInt64(PCIE_MMIO_SIZE)) {
    self.base = base
    self.size = size
    self.next = base
  }

  /// Room for `bytes` (a power of two) aligned to `bytes`, or windowFull.
  public mutating func allocate(_ bytes: UInt64, bar: Int) throws(PCIError) -> UInt64 {
    guard bytes != 0, bytes & (bytes - 1) == 0 else { throw .badBAR(bar: bar) }
    let end = base + size
    let (rounded, overflow) = next.addingReportingOverflow(bytes - 1)
    let start = rounded & ~(bytes - 1)
    guard !overflow, start < end, bytes <= end - start else {
      throw .windowFull(bar: bar, size: bytes)
    }
    next = start + bytes
    return start
  }
}

// Low bits of a BAR (§6.2.5.1).
let barIOSpace: UInt32 = 1 << 0
let barType64: UInt32 = 2 << 1  // bits 2:1 = 10: a 64-bit memory BAR
let barTypeMask: UInt32 = 3 << 1
let barPrefetchable: UInt32 = 1 << 3

extension PCIBus {
  static func barOffset(_ i: Int) -> UInt16 { PCIConfigRegister.bar0.rawValue + UInt16(4 * i) }

  /// What a BAR decodes: write all ones, read back, restore. nil for an
  /// unimplemented BAR (reads back 0). Call with decoding off.
  static func probe<C: PCIConfigSpace>(
    _ config: C, _ at: PCIAddress, _ i: Int, last: Int
  ) -> (mask: UInt64, original: UInt64, low: UInt32)? {
    let off = barOffset(i)
    let low = config.read32(at, off)
    config.write32(at, off, 0xffff_ffff)
    var mask = UInt64(config.read32(at, off))
    config.write32(at, off, low)
    var original = UInt64(low)
    if low & barIOSpace == 0 && low & barTypeMask == barType64 && i < last {
      let high = config.read32(at, off + 4)
      config.write32(at, off + 4, 0xffff_ffff)
      mask |= UInt64(config.read32(at, off + 4)) << 32
      config.write32(at, off + 4, high)
      original |= UInt64(high) << 32
    } else if low & barIOSpace != 0 {
      mask |= 0xffff_ffff_0000_0000  // I/O BARs have no upper half
      if mask & 0xffff_0000 == 0 { mask |= 0xffff_0000 }  // a 16-bit I/O decoder
    } else {
      mask |= 0xffff_ffff_0000_0000
    }
    let bits = mask & (low & barIOSpace != 0 ? ~UInt64(0x3) : ~UInt64(0xf))
    guard bits & 0xffff_ffff != 0 || bits >> 32 != 0xffff_ffff else { return nil }
    return (bits, original, low)
  }

  /// Size every BAR of `fn` (decoding must be off: see configure). A
  /// 64-bit BAR is one entry; the index after it is its upper half.
  public static func sizeBARs<C: PCIConfigSpace>(
    _ config: C, _ fn: PCIFunction
  ) throws(PCIError) -> [BAR] {
    var bars: [BAR] = []
    var i = 0
    while i < fn.barCount {
      guard let (bits, original, low) = probe(config, fn.address, i, last: fn.barCount - 1) else {
        i += 1
        continue
      }
      let size = bits & (~bits &+ 1)  // the lowest address bit that sticks
      guard size != 0 else { throw .badBAR(bar: i) }
      let kind: BARKind =
        low & barIOSpace != 0 ? .io : (low & barTypeMask == barType64 ? .memory64 : .memory32)
      let base = original & (kind == .io ? ~UInt64(0x3) : ~UInt64(0xf))
      bars.append(
        BAR(
          index: i, kind: kind, prefetchable: kind != .io && low & barPrefetchable != 0,
          size: size, address: base))
      i += kind == .memory64 ? 2 : 1
    }
    return bars
  }

  /// Place every memory BAR of `fn` in `window` and program it; I/O BARs
  /// are returned unassigned (address 0). Decoding must be off.
  public static func assignBARs<C: PCIConfigSpace>(
    _ config: C, _ fn: PCIFunction, window: inout PCIWindow
  ) throws(PCIError) -> [BAR] {
    var bars = try sizeBARs(config, fn)
    for n in bars.indices where bars[n].kind != .io {
      let address = try window.allocate(bars[n].size, bar: bars[n].index)
      let off = barOffset(bars[n].index)
      let typeBits = config.read32(fn.address, off) & 0xf
      config.write32(fn.address, off, UInt32(truncatingIfNeeded: address) | typeBits)
      if bars[n].kind == .memory64 {
        config.write32(fn.address, off + 4, UInt32(truncatingIfNeeded: address >> 32))
      }
      bars[n].address = address
    }
    return bars
  }

  /// Bring a function onto the bus: decoding off while its BARs are sized
  /// and assigned, then memory decoding and bus mastering on (the device
  /// does DMA), I/O decoding off, and legacy INTx left enabled.
  public static func configure<C: PCIConfigSpace>(
    _ config: C, _ fn: PCIFunction, window: inout PCIWindow
  ) throws(PCIError) -> [BAR] {
    let command = config.command(fn.address)
    let off = command & ~(PCICommand.ioSpace | PCICommand.memorySpace | PCICommand.busMaster)
    config.writeCommand(fn.address, off)
    let bars = try assignBARs(config, fn, window: &window)
    config.writeCommand(
      fn.address,
      off & ~PCICommand.interruptDisable | PCICommand.memorySpace | PCICommand.busMaster)
    return bars
  }
}

/// The part of the PCI memory window the kernel maps, shared by every PCI
/// driver's probe. Probes run once each, on the boot hart, before other
/// harts start; nothing touches it after.
nonisolated(unsafe) public var pciMemoryWindow = PCIWindow()
