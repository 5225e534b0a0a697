// A PCI bus played in memory for the host tests: each function is a
// 256-byte configuration header whose BARs behave as hardware's do (only
// the address bits above the BAR's size stick; the type bits are fixed)
// and whose status register clears only the bits written as ones.
import PCI

/// What a fake function decodes in one BAR slot.
enum FakeBAR {
  case none
  case memory32(size: UInt32, prefetchable: Bool = false)
  case memory64(size: UInt64)  // takes this slot and the next
  case io(size: UInt32)
}

final class FakePCIFunction {
  var config = [UInt32](repeating: 0, count: 64)
  /// Per BAR dword: bits that stick when written.
  var writable = [UInt32](repeating: 0, count: 6)
  /// The command register's value whenever a BAR was written.
  var commandAtBARWrites: [UInt16] = []

  var command: UInt16 { UInt16(truncatingIfNeeded: config[1]) }
  var status: UInt16 { UInt16(truncatingIfNeeded: config[1] >> 16) }

  func bar(_ i: Int) -> UInt32 { config[4 + i] }
}

final class FakePCIBus: PCIConfigSpace {
  var functions: [Int: FakePCIFunction] = [:]
  var reads = 0

  static func key(_ a: PCIAddress) -> Int {
    Int(a.bus) << 8 | Int(a.device) << 3 | Int(a.function)
  }

  @discardableResult
  func add(
    device: UInt8, function: UInt8 = 0, vendor: UInt16 = 0x8086, id: UInt16 = 0x100e,
    classCode: UInt32 = 0x02_00_00, headerType: UInt8 = 0, pin: UInt8 = 1,
    bars: [FakeBAR] = [], status: UInt16 = 0
  ) -> FakePCIFunction {
    let f = FakePCIFunction()
    f.config[0] = UInt32(id) << 16 | UInt32(vendor)
    f.config[1] = UInt32(status) << 16
    f.config[2] = classCode << 8 | 0x03  // revision 3
    f.config[3] = UInt32(headerType) << 16
    f.config[15] = UInt32(pin) << 8
    var i = 0
    for bar in bars {
      switch bar {
      case .none:
        break
      case .memory32(let size, let prefetchable):
        f.writable[i] = ~(size - 1) & 0xffff_fff0
        f.config[4 + i] = prefetchable ? 0x8 : 0
      case .memory64(let size):
        f.writable[i] = UInt32(truncatingIfNeeded: ~(size - 1)) & 0xffff_fff0
        f.writable[i + 1] = UInt32(truncatingIfNeeded: ~(size - 1) >> 32)
        f.config[4 + i] = 0x4
        i += 1
      case .io(let size):
        f.writable[i] = ~(size - 1) & 0xffff_fffc
        f.config[4 + i] = 0x1
      }
      i += 1
    }
    functions[FakePCIBus.key(PCIAddress(device: device, function: function))] = f
    return f
  }

  func function(_ device: UInt8, _ function: UInt8 = 0) -> FakePCIFunction {
    functions[FakePCIBus.key(PCIAddress(device: device, function: function))]!
  }

  func read32(_ at: PCIAddress, _ offset: UInt16) -> UInt32 {
    reads += 1
    guard let f = functions[FakePCIBus.key(at)] else { return 0xffff_ffff }
    return f.config[Int(offset) / 4]
  }

  func write32(_ at: PCIAddress, _ offset: UInt16, _ value: UInt32) {
    guard let f = functions[FakePCIBus.key(at)] else { return }
    let i = Int(offset) / 4
    switch i {
    case 1:  // command, then status: write one to clear
      let status = (f.config[1] >> 16) & ~(value >> 16)
      f.config[1] = status << 16 | value & 0xffff
    case 4..<10:
      f.commandAtBARWrites.append(f.command)
      let w = f.writable[i - 4]
      f.config[i] = value & w | f.config[i] & ~w & (i > 4 && f.config[i - 1] & 0x7 == 0x4 ? 0 : 0xf)
    case 0, 2, 3:
      break  // identification is read-only
    default:
      f.config[i] = value
    }
  }
}
