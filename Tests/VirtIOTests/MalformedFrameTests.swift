// Hostile frames through the whole host receive path: a fake virtio-net device
// (FakeNetDevice.swift) fills the Swift driver's receive buffers, the driver's
// interrupt handler hands each frame to the kernel's netif glue
// (Net/lwip_netif.c, built by Tests/NetInputHost) and lwIP (Debian's
// liblwip) takes it from there; lwIP's answers come back out through the glue
// and the driver's transmit ring to the fake device. Inputs: the malformed set
// of the QEMU test and the libFuzzer corpus (MalformedFrames.swift).
//
// Each scenario runs in its own process (an exit test): lwIP is one per
// process, and the socket tests use it at the same time in this one. A crash
// anywhere fails the test; the #expect failures inside are reported as usual.
import CShims
import Foundation
import NetInputHost
import DriverTestSupport
import Testing

@testable import VirtIO
import Device

/// The fake device, the driver over it and what the device was given to send.
final class NetInputRig {
  let dev = FakeNetDevice(mac: guestMAC)
  let net: VirtioNet<FakeTransport>
  var sent: [[UInt8]] = []
  var injected = 0
  /// What the driver and the glue must have counted, frame by frame.
  var rxPackets: UInt64 = 0
  var rxErrors: UInt64 = 0
  var badLength: UInt64 = 0
  var toLwIP: UInt64 = 0
  let ringSize: Int
  /// Checks that failed: the scenario's own verdict for the reliability report
  /// (an exit test hands its expectation failures to the parent process only).
  var failed = 0

  init() throws {
    net = try VirtioNet.start(transport: dev.transport, dma: TestDMA())
    ringSize = net.postedReceiveBuffers
  }

  /// #expect, counted in `failed` as well.
  func check(
    _ ok: Bool, _ comment: @autoclosure () -> Comment,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    if !ok { failed += 1 }
    #expect(ok, comment(), sourceLocation: sourceLocation)
  }

  /// One line for docs/reliability.md.
  func summary() -> String {
    var glue = nih_glue_stats()
    nih_glue_stats(&glue)
    let s = net.stats
    let verdict =
      failed == 0
      ? "every frame accounted for, ring re-posted after each interrupt, pools back and "
        + "ARP/ICMP replies exact after each batch"
      : "\(failed) checks FAILED (see swift test's output)"
    return "\(injected) frames injected; driver: \(s.rxPackets) received, \(s.rxErrors) "
      + "rx errors; glue: \(glue.rx_badlen) dropped as bad length, "
      + "\(nih_rx_pbufs_allocated()) handed to lwIP; \(verdict)"
  }

  /// The device consumes every published transmit frame and returns its buffer.
  func collectSent() { sent += dev.takeSent().map(\.frame) }

  /// The device side of one receive: false if no buffer was posted.
  func inject(_ i: Injection) -> Bool {
    let bufferBytes = UInt32(netBufferSize - netBufferOffset)
    switch i {
    case .frame(let f) where f.count + virtioNetHeaderSize <= Int(bufferBytes):
      guard dev.receive(f) else { return false }
    case .frame(let f):
      // Longer than the buffer: what fits is written, the whole length claimed.
      guard let chain = dev.rx.nextChain() else { return false }
      let at = memory(chain.descriptors[0].address)
      at.initializeMemory(as: UInt8.self, repeating: 0, count: virtioNetHeaderSize)
      f.withUnsafeBytes {
        (at + virtioNetHeaderSize).copyMemory(
          from: $0.baseAddress!, byteCount: Int(bufferBytes) - virtioNetHeaderSize)
      }
      dev.rx.complete(id: UInt32(chain.head), length: i.claimedLength)
      dev.transport.interruptBits |= 1
    case .claim(let n):
      guard dev.postedReceiveBuffers > 0 else { return false }
      dev.receiveClaiming(length: n)
    }
    account(i.claimedLength, clampedTo: bufferBytes)
    injected += 1
    return true
  }

  /// Where the driver (VirtioNet.receiveAll) and the glue (netdev_receive) must put it.
  func account(_ claimed: UInt32, clampedTo buffer: UInt32) {
    let length = Int(min(claimed, buffer)) - virtioNetHeaderSize
    if length < 0 || length > netMaxReceivedFrame {
      rxErrors += 1
      return
    }
    rxPackets += 1
    if length < Int(NETDEV_HDR_LEN) { badLength += 1 } else { toLwIP += 1 }  // one limit: the driver's
  }

  /// The interrupt, as Kernel/net.c runs it: under the network lock.
  func interrupt() {
    nih_lock()
    net.handleInterrupt { frame, length in nih_rx_frame(frame, length) }
    nih_unlock()
    collectSent()
  }

  /// Inject a batch (any length) a ring's worth at a time; check after each interrupt.
  func deliver(_ inputs: [Injection], _ what: String) {
    var rest = inputs[...]
    while !rest.isEmpty {
      let chunk = rest.prefix(ringSize)
      rest = rest.dropFirst(chunk.count)
      for i in chunk { check(inject(i), "\(what): a posted buffer for every frame") }
      interrupt()
      checkCounts(what)
    }
  }

  /// Every frame accounted for, and the ring full again.
  func checkCounts(_ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    var glue = nih_glue_stats()
    nih_glue_stats(&glue)
    let s = net.stats
    check(
      s.rxPackets == rxPackets && s.rxErrors == rxErrors, "\(what): driver \(s)",
      sourceLocation: sourceLocation)
    check(s.rxPackets + s.rxErrors == UInt64(injected), "\(what)", sourceLocation: sourceLocation)
    check(
      glue.rx_badlen == badLength && glue.rx_nomem == 0, "\(what): glue \(glue)",
      sourceLocation: sourceLocation)
    check(
      nih_rx_pbufs_allocated() == toLwIP, "\(what): frames handed to lwIP",
      sourceLocation: sourceLocation)
    check(
      glue.rx_badlen + nih_rx_pbufs_allocated() == s.rxPackets, "\(what)",
      sourceLocation: sourceLocation)
    check(
      glue.tx_nobuf == 0 && glue.tx_toolong == 0 && s.txErrors == 0, "\(what): transmit",
      sourceLocation: sourceLocation)
    check(
      net.postedReceiveBuffers == ringSize, "\(what): ring re-posted",
      sourceLocation: sourceLocation)
    check(
      dev.postedReceiveBuffers == ringSize, "\(what): device sees it full",
      sourceLocation: sourceLocation)
  }

  /// lwIP's pool usage once the stack settled (nih_pools); taken at start.
  var baseline: [Int64] = []

  func settledPools() -> [Int64] {
    nih_settle()
    nih_lock()
    nih_age()
    let p = pools()
    nih_unlock()
    return p
  }

  func pools() -> [Int64] {
    var used = [Int64](repeating: 0, count: 64)
    let n = Int(nih_pools(&used, UInt32(used.count)))
    return Array(used.prefix(n))
  }

  /// The fuzz harness's teardown: abort every connection, let 20 s of
  /// reassembly and ARP timers pass; then every pool must be back where it
  /// started. (SYS_TIMEOUT is left out: lwIP's TCP timer stays armed for one
  /// more tick after the last connection.)
  func checkPoolsReturned(_ what: String) {
    nih_lock()
    nih_abort_connections()
    nih_unlock()
    nih_settle()
    nih_lock()
    nih_age()
    let now = pools()
    let pcbs = nih_tcp_pcbs()
    nih_unlock()
    collectSent()
    let skip = Int(nih_pool_index("SYS_TIMEOUT"))
    let leaked = now.indices.filter { $0 != skip && now[$0] != baseline[$0] }.map {
      "\(String(cString: nih_pool_name(UInt32($0)))) \(baseline[$0]) -> \(now[$0])"
    }
    check(leaked.isEmpty, "\(what): lwIP pools not back: \(leaked)")
    check(pcbs == 0, "\(what): connections left")
  }

  /// The stack still answers: ARP for our address, then a ping.
  func checkStillAnswers(_ what: String, seq: UInt16) {
    sent = []
    let request = ethFrame(
      arpPacket(op: 1, sha: gatewayMAC, spa: gatewayIP, tpa: guestIP), type: 0x0806,
      dst: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
    deliver([.frame(request)], what)
    let arpReplies = sent.filter { f in
      f.count >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 && f[21] == 2
    }
    check(arpReplies.count == 1, "\(what): one ARP reply, sent \(sent.count) frames")
    if let a = arpReplies.first {
      check(
        Array(a[0..<6]) == gatewayMAC && Array(a[6..<12]) == guestMAC,
        "\(what): ARP reply addressing")
      check(Array(a[14..<20]) == [0, 1, 8, 0, 6, 4], "\(what): ARP reply header")
      check(
        Array(a[22..<28]) == guestMAC && Array(a[28..<32]) == guestIP, "\(what): sender is us")
      check(
        Array(a[32..<38]) == gatewayMAC && Array(a[38..<42]) == gatewayIP,
        "\(what): target is the asker")
    }
    sent = []
    let payload = (0..<48).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seq)) }
    var icmp: [UInt8] = [8, 0, 0, 0, 0x42, 0x42] + be16(Int(seq)) + payload
    let c = onesComplementSum(icmp)
    icmp[2] = UInt8(c >> 8)
    icmp[3] = UInt8(c & 0xff)
    deliver([.frame(ethFrame(ipv4Packet(icmp, proto: 1, ident: 77)))], what)
    let echoReplies = sent.filter { f in
      f.count >= 42 && f[12] == 0x08 && f[13] == 0 && f[23] == 1
        && f[14 + Int(f[14] & 0xf) * 4] == 0
    }
    check(echoReplies.count == 1, "\(what): one echo reply, sent \(sent.count) frames")
    if let e = echoReplies.first {
      let ihl = Int(e[14] & 0xf) * 4
      let total = Int(e[16]) << 8 | Int(e[17])
      check(
        Array(e[0..<6]) == gatewayMAC && Array(e[6..<12]) == guestMAC,
        "\(what): echo reply addressing")
      check(onesComplementSum(e[14..<14 + ihl]) == 0, "\(what): IP header checksum")
      check(
        Array(e[26..<30]) == guestIP && Array(e[30..<34]) == gatewayIP, "\(what): echo reply IPs")
      check(14 + total <= e.count, "\(what): IP total length")
      let reply = Array(e[(14 + ihl)..<min(e.count, 14 + total)])
      check(reply.count == icmp.count && reply[1] == 0, "\(what): type 0 code 0, same length")
      check(
        Array(reply.dropFirst(4).prefix(4)) == [0x42, 0x42] + be16(Int(seq)),
        "\(what): same id and seq")
      check(Array(reply.dropFirst(8)) == payload, "\(what): same data")
      check(onesComplementSum(reply) == 0, "\(what): ICMP checksum valid")
    }
  }
}

/// Write a case for docs/reliability.md (tools/reliability_report.py reads
/// build/reliability/*.json, as the QEMU tests and the fuzzer write them).
func recordReliability(_ name: String, params: [String: Int], result: String, ok: Bool) {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  let dir = root.appendingPathComponent("build/reliability")
  let slug = String(
    String(name.prefix(48)).map { $0.isLetter || $0.isNumber ? $0 : "-" })
  let formatter = ISO8601DateFormatter()
  let object: [String: Any] = [
    "case": name, "params": params, "result": result, "ok": ok,
    "time": formatter.string(from: Date()),
  ]
  do {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
    try data.write(to: dir.appendingPathComponent(slug + ".json"))
  } catch {
    Issue.record("could not write \(slug).json for the reliability report: \(error)")
  }
}

/// The process's one rig; the glue's transmit calls reach it through the hooks.
nonisolated(unsafe) var netInputRig: NetInputRig? = nil

func startNetInputRig() throws -> NetInputRig {
  let rig = try NetInputRig()
  netInputRig = rig
  guestMAC.withUnsafeBufferPointer { mac in
    nih_start(
      mac.baseAddress,
      { netInputRig!.net.transmitBuffer() },
      { buf, len in
        guard let buf, let rig = netInputRig else { return }
        rig.net.submit(buf, length: len)
        rig.collectSent()
      })
  }
  return rig
}

/// The malformed set, batch by batch; after each, pbufs back and the stack answering.
func runMalformedScenario() throws {
  let rig = try startNetInputRig()
  rig.checkStillAnswers("before", seq: 0)
  rig.baseline = rig.settledPools()
  for (n, batch) in malformedBatches().enumerated() {
    rig.deliver(batch.inputs, batch.name)
    rig.checkPoolsReturned(batch.name)
    rig.checkStillAnswers("after \(batch.name)", seq: UInt16(n + 1))
  }
  rig.checkCounts("end")
  let batches = malformedBatches()
  recordReliability(
    "host: malformed frames (the QEMU test's set) through the Swift driver, the netif "
      + "glue and lwIP",
    params: ["batches": batches.count, "injections": rig.injected, "ring": rig.ringSize],
    result: rig.summary(), ok: rig.failed == 0)
}

/// Every corpus input as the fuzz harness plays it: peers announced, a client
/// connection opened, the records one frame per interrupt, then teardown.
func runCorpusScenario() throws {
  let rig = try startNetInputRig()
  rig.baseline = rig.settledPools()
  for (n, input) in loadCorpus().enumerated() {
    for (ip, mac) in [(gatewayIP, fuzzPeerMAC), (fuzzPeerIP, fuzzPeerMAC)] {
      let announce = ethFrame(
        arpPacket(op: 1, sha: mac, spa: ip, tpa: guestIP), type: 0x0806, src: mac,
        dst: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
      rig.deliver([.frame(announce)], input.name)
    }
    nih_lock()
    nih_connect_out()
    nih_unlock()
    rig.collectSent()
    for record in input.records {
      var f = record.frame
      if record.ctl & 1 != 0 { patchAck(&f, to: nih_tx_next_seq()) }
      if !input.checkChecksums { fixChecksums(&f) }
      rig.deliver([.frame(f)], input.name)
    }
    rig.checkPoolsReturned(input.name)
    rig.checkStillAnswers("after \(input.name)", seq: UInt16(n))
  }
  rig.checkCounts("end")
  recordReliability(
    "host: the fuzz corpus through the Swift driver, the netif glue and lwIP",
    params: ["inputs": loadCorpus().count, "frames": rig.injected],
    result: rig.summary(), ok: rig.failed == 0)
}

@Suite struct MalformedFrameTests {
  @Test func inputSetsAreComplete() {
    let batches = malformedBatches()
    #expect(batches.count == 18)
    #expect(batches.reduce(0) { $0 + $1.inputs.count } == 538)
    let corpus = loadCorpus()
    #expect(corpus.count >= 14, "seeds and regress inputs found")
    #expect(corpus.allSatisfy { !$0.records.isEmpty })
    // The well-formed templates really are: checksums come out zero.
    let udp = ethFrame(ipv4Packet(udpDatagram(sport: 5000, dport: 7, [1, 2, 3]), proto: 17))
    #expect(onesComplementSum(udp[14..<34]) == 0)
    #expect(onesComplementSum(pseudoHeader(gatewayIP, guestIP, 17, 11) + udp[34...]) == 0)
    var fixed = udp
    fixed[40] ^= 0xff
    fixed[24] ^= 0xff
    fixChecksums(&fixed)
    #expect(fixed == udp)
  }

  @Test func malformedFramesPassThroughDriverGlueAndLwIP() async {
    // A crash (an lwIP assertion, a Swift trap, glibc's heap checks) ends the
    // child with a signal; its #expect failures come back here as usual.
    await #expect(processExitsWith: .success) { try runMalformedScenario() }
  }

  @Test func fuzzCorpusPassesThroughDriverGlueAndLwIP() async {
    // A crash (an lwIP assertion, a Swift trap, glibc's heap checks) ends the
    // child with a signal; its #expect failures come back here as usual.
    await #expect(processExitsWith: .success) { try runCorpusScenario() }
  }
}
