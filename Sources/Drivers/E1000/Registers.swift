// The Intel 8254x's registers, as QEMU's `-device e1000` (an 82540EM,
// PCI 8086:100e) presents them in BAR0: 128 KiB of 32-bit registers.
// Ref: PCI/PCI-X Family of Gigabit Ethernet Controllers Software
// Developer's Manual (8254x, 317453), §13 Register Descriptions (Table
// 13-2 lists them all); statistics in §13.7; descriptor layouts in §3.2.3
// (receive) and §3.3.3 (legacy transmit).
//
// The driver is generic over E1000Registers, so the host tests play the
// device over a register file (Tests/E1000Tests/FakeE1000.swift).
import CShims

/// Register offsets in BAR0 (§13, Table 13-2).
public enum E1000Register: UInt32 {
  case ctrl = 0x0000  // Device Control
  case status = 0x0008  // Device Status
  case eerd = 0x0014  // EEPROM Read
  case icr = 0x00c0  // Interrupt Cause Read (clears on read)
  case itr = 0x00c4  // Interrupt Throttling
  case ics = 0x00c8  // Interrupt Cause Set
  case ims = 0x00d0  // Interrupt Mask Set/Read
  case imc = 0x00d8  // Interrupt Mask Clear
  case rctl = 0x0100  // Receive Control
  case tctl = 0x0400  // Transmit Control
  case tipg = 0x0410  // Transmit Inter Packet Gap
  case rdbal = 0x2800  // Receive Descriptor Base Low
  case rdbah = 0x2804  // Receive Descriptor Base High
  case rdlen = 0x2808  // Receive Descriptor Length (bytes, a multiple of 128)
  case rdh = 0x2810  // Receive Descriptor Head
  case rdt = 0x2818  // Receive Descriptor Tail
  case rdtr = 0x2820  // Receive Delay Timer
  case tdbal = 0x3800  // Transmit Descriptor Base Low
  case tdbah = 0x3804  // Transmit Descriptor Base High
  case tdlen = 0x3808  // Transmit Descriptor Length
  case tdh = 0x3810  // Transmit Descriptor Head
  case tdt = 0x3818  // Transmit Descriptor Tail
  case crcerrs = 0x4000  // CRC Error Count (statistics clear on read)
  case mpc = 0x4010  // Missed Packets Count: no receive descriptor free
  case gprc = 0x4074  // Good Packets Received Count
  case gptc = 0x4080  // Good Packets Transmitted Count
  case mta = 0x5200  // Multicast Table Array: 128 entries of 4 bytes
  case ral0 = 0x5400  // Receive Address Low, entry 0
  case rah0 = 0x5404  // Receive Address High, entry 0
}

/// Multicast Table Array entries (§13.5.1).
let e1000MTAEntries = 128

/// CTRL bits (§13.4.1).
public enum E1000Ctrl {
  public static let asde: UInt32 = 1 << 5  // auto-speed detection
  public static let slu: UInt32 = 1 << 6  // set link up
  public static let rst: UInt32 = 1 << 26  // device reset; self-clearing
}

/// STATUS bits (§13.4.2).
public enum E1000Status {
  public static let lu: UInt32 = 1 << 1  // link up
}

/// EERD fields on the 82540EM (§13.4.4).
public enum E1000EERD {
  public static let start: UInt32 = 1 << 0
  public static let done: UInt32 = 1 << 4
  public static let addressShift: UInt32 = 8
  public static let dataShift: UInt32 = 16
}

/// Interrupt causes: the same bit in ICR, ICS, IMS and IMC (§13.4.17).
public enum E1000Interrupt {
  public static let txdw: UInt32 = 1 << 0  // transmit descriptor written back
  public static let lsc: UInt32 = 1 << 2  // link status change
  public static let rxdmt0: UInt32 = 1 << 4  // receive ring below its minimum threshold
  public static let rxo: UInt32 = 1 << 6  // receiver overrun
  public static let rxt0: UInt32 = 1 << 7  // receive timer: a frame arrived
}

/// RCTL bits (§13.4.22). BSIZE 00 with BSEX 0 is 2048-byte buffers.
public enum E1000Rctl {
  public static let en: UInt32 = 1 << 1
  public static let mpe: UInt32 = 1 << 4  // accept all multicast
  public static let bam: UInt32 = 1 << 15  // accept broadcast
  public static let bsize2048: UInt32 = 0 << 16
  public static let secrc: UInt32 = 1 << 26  // strip the Ethernet CRC
}

/// TCTL bits and fields (§13.4.33).
public enum E1000Tctl {
  public static let en: UInt32 = 1 << 1
  public static let psp: UInt32 = 1 << 3  // pad short packets
  public static let ctShift: UInt32 = 4  // collision threshold, bits 11:4
  public static let coldShift: UInt32 = 12  // collision distance, bits 21:12
}

/// RAH's Address Valid bit (§13.5.3).
let e1000RAHValid: UInt32 = 1 << 31

/// Register access by offset; the driver uses only the enum's offsets and
/// the MTA/RA arrays.
public protocol E1000Registers {
  func read32(_ offset: UInt32) -> UInt32
  func write32(_ offset: UInt32, _ value: UInt32)
}

/// BAR0 as the kernel maps it (DEVICE_WINDOW + the BAR's physical address),
/// through the volatile helpers of CShims/include/mmio.h.
public struct MMIOE1000Registers: E1000Registers {
  public let base: UInt64

  public init(base: UInt64) { self.base = base }

  public func read32(_ offset: UInt32) -> UInt32 { mmio_read32(base + UInt64(offset)) }
  public func write32(_ offset: UInt32, _ value: UInt32) {
    mmio_write32(base + UInt64(offset), value)
  }
}

extension E1000Registers {
  func read(_ r: E1000Register) -> UInt32 { read32(r.rawValue) }
  func write(_ r: E1000Register, _ value: UInt32) { write32(r.rawValue, value) }
}
