// The hostile inputs of the malformed-frame host test (MalformedFrameTests.swift):
// the malformed set of the QEMU test (Tests/integration/test_reliability_net.py,
// _malformed_batches, over the builders of reliability.py) rebuilt in Swift,
// frames that stop short of the virtio header or run past the device's buffer,
// and the libFuzzer corpus (Tests/fuzz-corpus) parsed from its record format.
import Foundation

/// What the fake device puts into one receive buffer.
enum Injection {
  /// A whole frame after the 12-byte header; past the buffer, the device
  /// writes what fits and still reports the whole length.
  case frame([UInt8])
  /// Used length only: the device claims `length` bytes, header included.
  case claim(UInt32)

  /// The used length the device reports.
  var claimedLength: UInt32 {
    switch self {
    case .frame(let f): return UInt32(12 + f.count)
    case .claim(let n): return n
    }
  }
}

// ---- addresses (reliability.py's) ------------------------------------------------------
let guestMAC: [UInt8] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]
let gatewayMAC: [UInt8] = [0x52, 0x55, 0x00, 0x00, 0x02, 0x02]
let fuzzPeerMAC: [UInt8] = [0x52, 0x55, 0x0a, 0x00, 0x02, 0x02]  // fuzz_netif.c's peers
let guestIP: [UInt8] = [10, 0, 2, 15]
let gatewayIP: [UInt8] = [10, 0, 2, 2]
let fuzzPeerIP: [UInt8] = [10, 0, 2, 100]

// ---- builders ----------------------------------------------------------------------------
/// The Internet checksum (RFC 1071) of bytes: 0 over a message that carries a valid one.
func onesComplementSum<C: Collection>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
  var sum: UInt32 = 0
  var high = true
  for b in bytes {
    sum += high ? UInt32(b) << 8 : UInt32(b)
    high.toggle()
  }
  while sum >> 16 != 0 { sum = (sum & 0xffff) + (sum >> 16) }
  return ~UInt16(sum)
}

func be16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
func be32(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((v >> $0) & 0xff) } }

func ethFrame(
  _ payload: [UInt8], type: Int = 0x0800, src: [UInt8] = gatewayMAC, dst: [UInt8] = guestMAC
) -> [UInt8] {
  dst + src + be16(type) + payload
}

func ipv4Packet(
  _ payload: [UInt8], proto: UInt8, src: [UInt8] = gatewayIP, dst: [UInt8] = guestIP,
  ident: Int = 1, flagsFrag: Int = 0, version: Int = 4, ihl: Int? = nil, total: Int? = nil,
  options: [UInt8] = [], check: Int? = nil
) -> [UInt8] {
  let hl = ihl ?? 5 + options.count / 4
  let tl = total ?? 20 + options.count + payload.count
  var h: [UInt8] = [UInt8(version << 4 | hl & 15), 0] + be16(tl) + be16(ident) + be16(flagsFrag)
  h += [64, proto, 0, 0] + src + dst + options
  let c = check ?? Int(onesComplementSum(h))
  h[10] = UInt8(c >> 8)
  h[11] = UInt8(c & 0xff)
  return h + payload
}

func pseudoHeader(_ src: [UInt8], _ dst: [UInt8], _ proto: UInt8, _ length: Int) -> [UInt8] {
  src + dst + [0, proto] + be16(length)
}

func tcpSegment(
  sport: Int, dport: Int, seq: UInt32 = 0, ack: UInt32 = 0, flags: UInt8 = 0x02,
  offset: Int = 5, payload: [UInt8] = [], check: Int? = nil
) -> [UInt8] {
  var s = be16(sport) + be16(dport) + be32(seq) + be32(ack)
  s += [UInt8((offset & 15) << 4), flags] + be16(65535) + [0, 0, 0, 0] + payload
  let c = check ?? Int(onesComplementSum(pseudoHeader(gatewayIP, guestIP, 6, s.count) + s))
  s[16] = UInt8(c >> 8)
  s[17] = UInt8(c & 0xff)
  return s
}

func udpDatagram(
  sport: Int, dport: Int, _ payload: [UInt8], length: Int? = nil, check: Int? = nil
) -> [UInt8] {
  var s = be16(sport) + be16(dport) + be16(length ?? 8 + payload.count) + [0, 0] + payload
  var c = check ?? Int(onesComplementSum(pseudoHeader(gatewayIP, guestIP, 17, s.count) + s))
  if c == 0 { c = 0xffff }
  s[6] = UInt8(c >> 8)
  s[7] = UInt8(c & 0xff)
  return s
}

func arpPacket(
  op: Int = 1, sha: [UInt8] = gatewayMAC, spa: [UInt8] = gatewayIP,
  tha: [UInt8] = [0, 0, 0, 0, 0, 0], tpa: [UInt8] = guestIP, hlen: UInt8 = 6, plen: UInt8 = 4,
  htype: Int = 1, ptype: Int = 0x0800
) -> [UInt8] {
  be16(htype) + be16(ptype) + [hlen, plen] + be16(op) + sha + spa + tha + tpa
}

/// SplitMix64: the fixed-seed source of the random frames.
struct SeededBytes: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
  mutating func bytes(_ n: Int) -> [UInt8] {
    (0..<n).map { _ in UInt8.random(in: 0...255, using: &self) }
  }
}

// ---- the malformed set ---------------------------------------------------------------------
/// (name, frames) in the order and with the parameters of _malformed_batches;
/// the random bytes differ (Swift's seeded generator, not Python's).
func malformedBatches() -> [(name: String, inputs: [Injection])] {
  var r = SeededBytes(state: 42)
  let goodUDP = udpDatagram(sport: 5000, dport: 7, [UInt8](repeating: 0x78, count: 32))
  let syn = { (offset: Int, check: Int?) in
    tcpSegment(sport: 1234, dport: 80, seq: 1, offset: offset, check: check)
  }
  var b: [(String, [[UInt8]])] = []
  b.append(("runts (1-13 bytes)", (1...13).map { r.bytes($0) }))
  b.append(
    (
      "bare Ethernet headers and short IP",
      [ethFrame([]), ethFrame([0x45]), ethFrame(Array(ipv4Packet([], proto: 17).prefix(19)))]
    ))
  b.append(
    (
      "longer than the MTU (1515-9000 bytes)",
      [1473, 2000, 4000, 9000].map {
        ethFrame(
          ipv4Packet(
            udpDatagram(sport: 5000, dport: 7, [UInt8](repeating: 0x79, count: $0)), proto: 17))
      }
    ))
  b.append(
    ("bad IP version", [0, 5, 6, 15].map { ethFrame(ipv4Packet(goodUDP, proto: 17, version: $0)) }))
  b.append(
    (
      "bad IP header length",
      [0, 1, 4, 6, 15].map { ethFrame(ipv4Packet(goodUDP, proto: 17, ihl: $0)) }
    ))
  b.append(
    (
      "bad IP total length",
      [0, 19, 20, 27, 61, 1500, 65535].map { ethFrame(ipv4Packet(goodUDP, proto: 17, total: $0)) }
    ))
  b.append(
    (
      "bad IP checksum",
      (0..<4).map { _ in ethFrame(ipv4Packet(goodUDP, proto: 17, check: 0x1234)) }
    ))
  b.append(
    (
      "bad UDP/TCP checksums",
      [
        ethFrame(ipv4Packet(udpDatagram(sport: 5000, dport: 7, [0x7a], check: 0x4321), proto: 17)),
        ethFrame(ipv4Packet(syn(5, 0x1111), proto: 6)),
      ]
    ))
  b.append(
    (
      "bad UDP length",
      [0, 7, 9, 400, 65535].map {
        ethFrame(
          ipv4Packet(
            udpDatagram(sport: 5000, dport: 7, [UInt8](repeating: 0x71, count: 8), length: $0),
            proto: 17))
      }
    ))
  b.append(
    (
      "IP options (valid, junk, runaway lengths)",
      [
        ethFrame(ipv4Packet(goodUDP, proto: 17, options: [0x94, 0x04, 0, 0])),  // router alert
        ethFrame(
          ipv4Packet(
            goodUDP, proto: 17, options: [0x07, 0x27, 0x04] + [UInt8](repeating: 0, count: 37))),
        ethFrame(ipv4Packet(goodUDP, proto: 17, options: [0x44, 0xff, 0, 0])),  // length past the end
        ethFrame(ipv4Packet(syn(5, nil), proto: 6, options: [1, 1, 1, 0])),
        ethFrame(ipv4Packet(goodUDP, proto: 17, options: [0x83, 0, 0, 0])),  // zero-length option
      ]
    ))
  var frag: [[UInt8]] = []
  let body = udpDatagram(sport: 5000, dport: 7, [UInt8](repeating: 0x46, count: 64))
  frag.append(ethFrame(ipv4Packet(Array(body[0..<24]), proto: 17, ident: 900, flagsFrag: 0x2000)))
  frag.append(ethFrame(ipv4Packet(Array(body[16...]), proto: 17, ident: 901, flagsFrag: 0x0002)))
  for off in 0..<3 {  // overlapping pieces
    frag.append(
      ethFrame(
        ipv4Packet(
          Array(body[off * 8..<off * 8 + 24]), proto: 17, ident: 902, flagsFrag: 0x2000 | off)))
  }
  frag.append(
    ethFrame(ipv4Packet([UInt8](repeating: 0, count: 16), proto: 17, ident: 903, flagsFrag: 0x1fff))
  )
  frag.append(
    ethFrame(ipv4Packet([UInt8](repeating: 0, count: 8), proto: 17, ident: 904, flagsFrag: 0x3ffe)))
  for i in 0..<40 {  // many incomplete datagrams
    frag.append(
      ethFrame(
        ipv4Packet([UInt8](repeating: 0, count: 32), proto: 17, ident: 1000 + i, flagsFrag: 0x2000))
    )
  }
  b.append(("overlapping and incomplete fragments", frag))
  b.append(
    ("TCP bad data offsets", [0, 1, 4, 15].map { ethFrame(ipv4Packet(syn($0, nil), proto: 6)) }))
  b.append(
    (
      "TCP odd flag combinations",
      [0x00, 0x03, 0x07, 0x3f, 0xff, 0x29, 0x06, 0x12, 0x11, 0x14].map {
        ethFrame(
          ipv4Packet(
            tcpSegment(
              sport: 1234, dport: 80, seq: UInt32.random(in: 0...UInt32.max, using: &r),
              flags: UInt8($0)),
            proto: 6))
      }
    ))
  let arpFrames =
    [(0, 4), (6, 0), (16, 16), (255, 255)].map {
      ethFrame(arpPacket(hlen: $0.0, plen: $0.1), type: 0x0806)
    }
    + [0, 7, 27].map { ethFrame(Array(arpPacket().prefix($0)), type: 0x0806) }
    + [
      ethFrame(arpPacket(op: 9), type: 0x0806),
      ethFrame(arpPacket(htype: 6, ptype: 0x86dd), type: 0x0806),
    ]
  b.append(("ARP with bad lengths", arpFrames))
  b.append(
    (
      "ICMP oddities",
      [
        ethFrame(ipv4Packet([8, 0], proto: 1)),
        ethFrame(ipv4Packet([8, 0, 0, 0] + [UInt8](repeating: 0x70, count: 2000), proto: 1)),
        ethFrame(
          ipv4Packet([3, 3, 0, 0, 0, 0, 0, 0, 0x45] + [UInt8](repeating: 0, count: 7), proto: 1)),
      ]
    ))
  b.append(
    (
      "random bytes (200 frames)",
      (0..<200).map { _ in r.bytes(Int.random(in: 14..<1600, using: &r)) }
    ))
  b.append(
    (
      "random IPv4 after a valid header (200 frames)",
      (0..<200).map { _ in
        let n = Int.random(in: 0..<1400, using: &r)
        let proto: [UInt8] = [1, 6, 17, 2, 255]
        return ethFrame(ipv4Packet(r.bytes(n), proto: proto[Int.random(in: 0..<5, using: &r)]))
      }
    ))
  var out = b.map { (name: $0.0, inputs: $0.1.map { Injection.frame($0) }) }
  // The driver's own checks: shorter than the virtio header, exactly the
  // header, one past the largest frame, past the buffer, absurd.
  out.append(
    (
      name: "used lengths the driver must refuse",
      inputs: [0, 1, 11, 12, UInt32(12 + 1519), 2042, 2043, 100_000, UInt32.max].map {
        Injection.claim($0)
      }
        + [
          .frame(r.bytes(1519)), .frame(r.bytes(2030)), .frame(r.bytes(2031)),
          .frame(r.bytes(5000)),
        ]
    ))
  return out
}

// ---- the fuzz corpus -------------------------------------------------------------------------
/// One input of tools/fuzz/fuzz_netif.c: byte 0's bit 0 says whether the
/// checksums count, then [ctl][len:2 BE][frame] records (the last may be short).
struct CorpusInput {
  var name: String
  var checkChecksums: Bool
  var records: [(ctl: UInt8, frame: [UInt8])]
}

func parseCorpusInput(name: String, _ data: [UInt8]) -> CorpusInput {
  var input = CorpusInput(name: name, checkChecksums: (data.first ?? 0) & 1 != 0, records: [])
  var at = 1
  while data.count - at >= 3 {
    let ctl = data[at]
    let len = min(Int(data[at + 1]) << 8 | Int(data[at + 2]), data.count - at - 3)
    at += 3
    input.records.append((ctl, Array(data[at..<at + len])))
    at += len
  }
  return input
}

/// Every file of Tests/fuzz-corpus/seeds and regress, by name.
func loadCorpus() -> [CorpusInput] {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("fuzz-corpus")
  var inputs: [CorpusInput] = []
  for dir in ["seeds", "regress"] {
    let d = root.appendingPathComponent(dir)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: d.path)) ?? []
    for n in names.sorted() where !n.hasPrefix(".") {
      guard let data = FileManager.default.contents(atPath: d.appendingPathComponent(n).path) else {
        continue
      }
      inputs.append(parseCorpusInput(name: "\(dir)/\(n)", [UInt8](data)))
    }
  }
  return inputs
}

/// The fuzz target's ctl bit 0: make a TCP segment acknowledge what the stack sent.
func patchAck(_ f: inout [UInt8], to seq: UInt32) {
  guard f.count >= 34, f[12] == 0x08, f[13] == 0, f[23] == 6 else { return }
  let t = 14 + Int(f[14] & 0xf) * 4
  guard f.count >= t + 12 else { return }
  for i in 0..<4 { f[t + 8 + i] = UInt8((seq >> (24 - 8 * UInt32(i))) & 0xff) }
}

/// The fuzz target runs with checksum checks off unless byte 0 says otherwise;
/// Debian's lwIP always checks them, so the test makes them right instead:
/// the IPv4 header's and, in an unfragmented packet, ICMP's, TCP's or UDP's.
func fixChecksums(_ f: inout [UInt8]) {
  guard f.count >= 34, f[12] == 0x08, f[13] == 0, f[14] >> 4 == 4 else { return }
  let ihl = Int(f[14] & 0xf) * 4
  guard ihl >= 20, f.count >= 14 + ihl else { return }
  f[24] = 0
  f[25] = 0
  let hc = onesComplementSum(f[14..<14 + ihl])
  f[24] = UInt8(hc >> 8)
  f[25] = UInt8(hc & 0xff)
  let total = Int(f[16]) << 8 | Int(f[17])
  let moreOrOffset = (Int(f[20]) & 0x3f) << 8 | Int(f[21])
  guard total >= ihl, 14 + total <= f.count, moreOrOffset == 0 else { return }
  let l4 = 14 + ihl
  let length = total - ihl
  let src = Array(f[26..<30])
  let dst = Array(f[30..<34])
  let at: Int
  var pseudo: [UInt8] = []
  switch f[23] {
  case 1 where length >= 4: at = 2
  case 6 where length >= 20:
    at = 16
    pseudo = pseudoHeader(src, dst, 6, length)
  case 17 where length >= 8:
    at = 6
    pseudo = pseudoHeader(src, dst, 17, length)
  default: return
  }
  f[l4 + at] = 0
  f[l4 + at + 1] = 0
  var c = onesComplementSum(pseudo + f[l4..<l4 + length])
  if c == 0 && f[23] == 17 { c = 0xffff }
  f[l4 + at] = UInt8(c >> 8)
  f[l4 + at + 1] = UInt8(c & 0xff)
}
