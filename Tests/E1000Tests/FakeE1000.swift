// An 82540EM played in memory for the host tests: a register file with the
// device's side effects (CTRL.RST resets it, EERD answers from an EEPROM,
// ICR and the statistics clear on read, IMS/IMC set and clear the mask),
// and a device side that reads and writes the descriptor rings the driver
// programmed, as the hardware would through DMA (on the host, a DMA
// address is the pointer itself). Transmit checksum insertion as QEMU's
// e1000 does it: context descriptors set TUCSS/TUCSO/TUCSE, a data
// descriptor with POPTS.TXSM has its frame summed from TUCSS (to TUCSE, or
// the end) and the complement stored at TUCSO, never 0; a legacy
// descriptor's CSO/CSS/IC are ignored.
import CShims
import Device

@testable import E1000

final class FakeE1000: E1000Registers {
  var regs: [UInt32: UInt32] = [:]
  /// Every register write, in order.
  var writes: [(offset: UInt32, value: UInt32)] = []
  /// Words 0..2: the MAC 52:54:00:12:34:56, low byte first.
  var eeprom: [UInt16] = [0x5452, 0x1200, 0x5634]
  var eepromAnswers = true
  /// What a reset loads into RAL0/RAH0.
  var macInReset: [UInt8] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]
  var resetSticks = false
  var resets = 0
  /// Frames the device sent, with the CMD and POPTS bytes of their descriptor.
  var sent: [(frame: [UInt8], cmd: UInt8, popts: UInt8, address: UInt64)] = []
  /// The checksum context (TUCSS, TUCSO, TUCSE, TUCMD) and how many were written.
  var context: (start: Int, offset: Int, end: Int, cmd: UInt8)?
  var contexts = 0

  init() { powerOn() }

  func powerOn() {
    regs = [:]
    regs[E1000Register.status.rawValue] = E1000Status.lu
    regs[E1000Register.ctrl.rawValue] = E1000Ctrl.slu
    regs[E1000Register.ral0.rawValue] =
      UInt32(macInReset[0]) | UInt32(macInReset[1]) << 8 | UInt32(macInReset[2]) << 16
      | UInt32(macInReset[3]) << 24
    regs[E1000Register.rah0.rawValue] =
      UInt32(macInReset[4]) | UInt32(macInReset[5]) << 8 | e1000RAHValid
  }

  subscript(_ r: E1000Register) -> UInt32 {
    get { regs[r.rawValue] ?? 0 }
    set { regs[r.rawValue] = newValue }
  }

  func writes(to r: E1000Register) -> [UInt32] {
    writes.filter { $0.offset == r.rawValue }.map { $0.value }
  }

  func read32(_ offset: UInt32) -> UInt32 {
    let v = regs[offset] ?? 0
    switch E1000Register(rawValue: offset) {
    case .icr?, .mpc?, .crcerrs?, .gprc?, .gptc?:
      regs[offset] = 0  // clear on read
    case .eerd?:
      guard eepromAnswers, v & E1000EERD.start != 0 else { return v & ~E1000EERD.done }
      let word = Int(v >> E1000EERD.addressShift & 0xff)
      let data = word < eeprom.count ? UInt32(eeprom[word]) : 0xffff
      return data << E1000EERD.dataShift | v & 0xff00 | E1000EERD.done
    default:
      break
    }
    return v
  }

  func write32(_ offset: UInt32, _ value: UInt32) {
    writes.append((offset, value))
    switch E1000Register(rawValue: offset) {
    case .ctrl?:
      if value & E1000Ctrl.rst != 0 {
        resets += 1
        powerOn()
        regs[offset] = resetSticks ? value : value & ~E1000Ctrl.rst
        regs[E1000Register.ims.rawValue] = resetSticks ? 0 : 0x9d  // reset leaves junk to mask
      } else {
        regs[offset] = value
      }
    case .ims?: self[.ims] |= value
    case .imc?: self[.ims] &= ~value
    case .ics?: raise(value)
    default: regs[offset] = value
    }
  }

  func raise(_ causes: UInt32) { self[.icr] |= causes }

  // MARK: the device side

  func pointer(_ address: UInt64) -> UnsafeMutableRawPointer {
    UnsafeMutableRawPointer(bitPattern: UInt(address))!
  }

  var rxRing: UnsafeMutableRawPointer { pointer(UInt64(self[.rdbah]) << 32 | UInt64(self[.rdbal])) }
  var rxCount: UInt32 { self[.rdlen] / 16 }
  var txRing: UnsafeMutableRawPointer { pointer(UInt64(self[.tdbah]) << 32 | UInt64(self[.tdbal])) }
  var txCount: UInt32 { self[.tdlen] / 16 }

  func rxBufferAddress(_ i: Int) -> UInt64 { rxRing.load(fromByteOffset: 16 * i, as: UInt64.self) }

  /// Receive one frame into the descriptor at RDH, as the device does:
  /// false (and a missed packet, RXO) when RDH == RDT, i.e. no descriptor
  /// is ours. `length` overrides what the descriptor reports.
  @discardableResult
  func receive(
    _ frame: [UInt8], status: UInt8 = RxDesc.dd | RxDesc.eop, errors: UInt8 = 0,
    length: Int? = nil
  ) -> Bool {
    guard self[.rctl] & E1000Rctl.en != 0 else { return false }
    let head = self[.rdh]
    guard head != self[.rdt] else {
      self[.mpc] += 1
      raise(E1000Interrupt.rxo)
      return false
    }
    let d = rxRing + 16 * Int(head)
    let buffer = pointer(d.load(as: UInt64.self))
    frame.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: frame.count) }
    d.storeBytes(of: UInt16(length ?? frame.count), toByteOffset: 8, as: UInt16.self)
    d.storeBytes(of: errors, toByteOffset: 13, as: UInt8.self)
    d.storeBytes(of: status, toByteOffset: 12, as: UInt8.self)
    self[.rdh] = (head + 1) % rxCount
    raise(E1000Interrupt.rxt0)
    return true
  }

  /// Send what the driver queued from TDH up to TDT (at most `limit`),
  /// writing DD back where RS asks for it.
  func transmit(limit: Int = .max) {
    var n = 0
    while self[.tdh] != self[.tdt] && n < limit {
      let d = txRing + 16 * Int(self[.tdh])
      let address = d.load(as: UInt64.self)
      let length = Int(d.load(fromByteOffset: 8, as: UInt16.self))
      let cmd = d.load(fromByteOffset: 11, as: UInt8.self)
      let dtype = d.load(fromByteOffset: 10, as: UInt8.self) >> 4
      let popts = d.load(fromByteOffset: 13, as: UInt8.self)
      if cmd & TxDesc.dext != 0 && dtype == 0 {
        context = (
          Int(d.load(fromByteOffset: 4, as: UInt8.self)),
          Int(d.load(fromByteOffset: 5, as: UInt8.self)),
          Int(d.load(fromByteOffset: 6, as: UInt16.self)), cmd
        )
        contexts += 1
      } else {
        // A data descriptor's length has 20 bits: byte 10's low nibble on top.
        let high = Int(d.load(fromByteOffset: 10, as: UInt8.self) & 0x0f) << 16
        let dataLength = cmd & TxDesc.dext != 0 ? length | high : length
        var bytes = Array(UnsafeRawBufferPointer(start: pointer(address), count: dataLength))
        if cmd & TxDesc.dext != 0 && popts & TxDesc.txsm != 0, let c = context {
          insertChecksum(&bytes, start: c.start, offset: c.offset, end: c.end)
        }
        sent.append((bytes, cmd, cmd & TxDesc.dext != 0 ? popts : 0, address))
      }
      if cmd & TxDesc.rs != 0 {
        d.storeBytes(of: TxDesc.dd, toByteOffset: 12, as: UInt8.self)
      }
      self[.tdh] = (self[.tdh] + 1) % txCount
      n += 1
    }
  }

  /// QEMU's putsum: sum [start, end] (end 0 or past the frame: to its
  /// end), store the complement at offset, 0xffff for 0.
  func insertChecksum(_ bytes: inout [UInt8], start: Int, offset: Int, end: Int) {
    let n = end != 0 && end < bytes.count ? end + 1 : bytes.count
    guard offset < n - 1 else { return }
    var sum = internetSum(bytes[start..<n])
    sum = ~sum
    if sum == 0 { sum = 0xffff }
    bytes[offset] = UInt8(sum >> 8)
    bytes[offset + 1] = UInt8(sum & 0xff)
  }

  func setLink(up: Bool) {
    self[.status] = up ? self[.status] | E1000Status.lu : self[.status] & ~E1000Status.lu
    raise(E1000Interrupt.lsc)
  }
}


/// The one's-complement sum of `bytes` as 16-bit big-endian words (an odd
/// last byte padded with zero), folded, not complemented.
func internetSum<C: Collection>(_ bytes: C, initial: UInt32 = 0) -> UInt16 where C.Element == UInt8 {
  var sum = initial
  var high = true
  for b in bytes {
    sum += high ? UInt32(b) << 8 : UInt32(b)
    high.toggle()
  }
  while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
  return UInt16(sum)
}
