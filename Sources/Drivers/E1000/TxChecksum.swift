// Transmit checksum offload: which frames the device can checksum and where.
//
// QEMU's e1000 (hw/net/e1000.c) inserts a checksum only for the
// extended descriptors: a context descriptor says where to sum (TUCSS, from
// the start of the frame; TUCSE, the last byte, 0 for the end) and where to
// put it (TUCSO), and a data descriptor with POPTS.TXSM asks for it (8254x
// SDM §3.3.5-3.3.7). It ignores CMD.IC/CSO/CSS of a legacy descriptor, so
// those are not used. The context stays in the device until the next one,
// so the driver writes one only when the offsets change (TCP vs UDP, IP
// options).
//
// The device sums from TUCSS and stores the one's complement at TUCSO, as
// for any Intel NIC the field must first hold the pseudo-header sum
// (source, destination, protocol, L4 length) uncomplemented. QEMU never
// stores 0 (net_checksum_finish_nozero), so UDP's "no checksum" cannot come
// out of it.
//
// Offloaded: IPv4 (EtherType 0x0800, version 4, IHL >= 5), not a fragment
// (MF clear, offset 0), TCP (6) always, UDP (17) only when the field is 0:
// the stack left it to us (a nonzero one was computed and is kept). Lengths
// must agree (IP total length within the frame, L4 header within the IP
// packet, UDP's length field equal to the IP payload). Anything else goes
// out as the stack built it.
import Device

/// Where the device sums and stores a frame's TCP/UDP checksum.
struct TxChecksum: Equatable {
  /// TUCSS: first byte summed (the L4 header).
  var start: UInt8
  /// TUCSO: where the checksum goes.
  var offset: UInt8
  /// TUCSE: last byte summed; 0 when the IP packet ends the frame.
  var end: UInt16
  var isTCP: Bool
  /// The pseudo-header sum, folded, to put at `offset` first (host order).
  var pseudoHeader: UInt16

  /// What the context descriptor holds: all but the per-frame sum.
  func sameContext(_ other: TxChecksum) -> Bool {
    start == other.start && offset == other.offset && end == other.end && isTCP == other.isTCP
  }

  static let ethernetHeader = 14
  static let etherTypeIPv4: UInt16 = 0x0800
  static let tcp: UInt8 = 6
  static let udp: UInt8 = 17

  /// The checksum to offload for the `length`-byte frame at `frame`, or
  /// nil if the device should not touch it.
  static func parse(_ frame: UnsafeRawPointer, length: Int) -> TxChecksum? {
    func byte(_ i: Int) -> UInt8 { frame.load(fromByteOffset: i, as: UInt8.self) }
    func be16(_ i: Int) -> UInt16 { UInt16(byte(i)) << 8 | UInt16(byte(i + 1)) }

    let ip = ethernetHeader
    guard length >= ip + 20, be16(12) == etherTypeIPv4 else { return nil }
    let versionIHL = byte(ip)
    let ihl = Int(versionIHL & 0x0f) * 4
    guard versionIHL >> 4 == 4, ihl >= 20 else { return nil }
    let total = Int(be16(ip + 2))
    guard total >= ihl, ip + total <= length else { return nil }
    guard be16(ip + 6) & 0x3fff == 0 else { return nil }  // MF or an offset: a fragment
    let proto = byte(ip + 9)
    let l4 = ip + ihl
    let l4Length = total - ihl
    let field: Int
    switch proto {
    case tcp:
      guard l4Length >= 20 else { return nil }
      field = l4 + 16
    case udp:
      guard l4Length >= 8, Int(be16(l4 + 4)) == l4Length, be16(l4 + 6) == 0 else { return nil }
      field = l4 + 6
    default:
      return nil
    }
    var sum = UInt32(proto) + UInt32(l4Length)
    for i in stride(from: ip + 12, to: ip + 20, by: 2) { sum += UInt32(be16(i)) }
    while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
    return TxChecksum(
      start: UInt8(l4), offset: UInt8(field),
      end: ip + total == length ? 0 : UInt16(ip + total - 1),
      isTCP: proto == tcp, pseudoHeader: UInt16(sum))
  }
}
