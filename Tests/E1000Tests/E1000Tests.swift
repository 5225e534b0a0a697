// The e1000 driver (Sources/Drivers/E1000) against a fake 82540EM
// (FakeE1000.swift): what bring-up programs and in which order, where the
// MAC comes from, the receive ring across wrap-around with bad frames
// counted and dropped, the transmit ring filling up and being reclaimed,
// link changes and interrupts with nothing to do.
import CShims
import Device
import DriverTestSupport
import Testing

@testable import E1000

/// A started driver on a fresh fake (small rings unless asked).
func startE1000(
  _ dev: FakeE1000 = FakeE1000(), dma: TestDMA = TestDMA(), rx: Int = 8, tx: Int = 8
) throws -> E1000<FakeE1000> {
  let net = try E1000.start(registers: dev, dma: dma, rxCount: rx, txCount: tx)
  net.txPollLimit = 10
  return net
}

/// Run the interrupt handler; what it delivered and the link reports.
@discardableResult
func interrupt(_ net: E1000<FakeE1000>) -> (frames: [[UInt8]], links: [Bool]) {
  var frames: [[UInt8]] = []
  var links: [Bool] = []
  net.handleInterrupt(
    deliver: { p, n in frames.append(Array(UnsafeRawBufferPointer(start: p, count: Int(n)))) },
    link: { links.append($0) })
  return (frames, links)
}

/// Send one frame through transmitBuffer/submit; false if no buffer.
@discardableResult
func send(_ net: E1000<FakeE1000>, _ frame: [UInt8]) -> Bool {
  guard let buf = net.transmitBuffer() else { return false }
  frame.withUnsafeBytes { buf.copyMemory(from: $0.baseAddress!, byteCount: frame.count) }
  net.submit(buf, length: UInt32(frame.count))
  return true
}

func frame(_ n: Int, size: Int = 60) -> [UInt8] {
  (0..<size).map { UInt8(truncatingIfNeeded: $0 * 7 + n) }
}

@Suite struct E1000BringUpTests {
  @Test func controlRegistersAreProgrammedAsTheManualAsks() throws {
    let dev = FakeE1000()
    _ = try startE1000(dev, rx: 128, tx: 64)
    #expect(dev[.rctl] == E1000Rctl.en | E1000Rctl.bam | E1000Rctl.mpe | E1000Rctl.secrc)
    #expect(dev[.rctl] & (3 << 16) == 0, "BSIZE 2048")
    #expect(dev[.tctl] == 1 << 1 | 1 << 3 | 0x10 << 4 | 0x40 << 12)
    #expect(dev[.tipg] == 10 | 8 << 10 | 6 << 20)
    #expect(dev[.ctrl] & (E1000Ctrl.slu | E1000Ctrl.asde) == E1000Ctrl.slu | E1000Ctrl.asde)
    #expect(dev[.ctrl] & E1000Ctrl.rst == 0)
    #expect(
      dev[.ims] == E1000Interrupt.rxt0 | E1000Interrupt.rxdmt0 | E1000Interrupt.rxo
        | E1000Interrupt.lsc)
  }

  @Test func ringsArePlacedAndSized() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev, rx: 128, tx: 64)
    #expect(UInt64(dev[.rdbah]) << 32 | UInt64(dev[.rdbal]) == net.rxRing.physical)
    #expect(UInt64(dev[.tdbah]) << 32 | UInt64(dev[.tdbal]) == net.txRing.physical)
    #expect(dev[.rdlen] == 128 * 16 && dev[.tdlen] == 64 * 16)
    #expect(dev[.rdh] == 0 && dev[.rdt] == 127, "every descriptor but one is the device's")
    #expect(dev[.tdh] == 0 && dev[.tdt] == 0)
  }

  @Test func receiveBuffersStartTwoModEightOnePerCell() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev, rx: 16)
    let addresses = (0..<16).map { dev.rxBufferAddress($0) }
    #expect(addresses.allSatisfy { $0 % 8 == 2 })
    #expect(Set(addresses).count == 16)
    #expect(addresses == (0..<16).map { net.rxBuffers.physical + UInt64($0 * 2048 + 2) })
    #expect(net.rxBuffers.bytes >= 16 * 2048 + 2, "room for a full BSIZE from the last buffer")
  }

  @Test func addressFilterHoldsOurMACWithAddressValidAndNoMulticastHash() throws {
    let dev = FakeE1000()
    dev.eeprom = [0xaa02, 0xccbb, 0xeedd]
    _ = try startE1000(dev)
    #expect(dev[.ral0] == 0xccbb_aa02)
    #expect(dev[.rah0] == 0x8000_eedd)
    let mtaWrites = dev.writes.filter { $0.offset >= 0x5200 && $0.offset < 0x5400 }
    #expect(mtaWrites.count == 128 && mtaWrites.allSatisfy { $0.value == 0 })
  }

  @Test func interruptsAreMaskedAroundTheResetAndEnabledLast() throws {
    let dev = FakeE1000()
    _ = try startE1000(dev)
    let order = dev.writes.map { $0.offset }
    let reset = try #require(
      dev.writes.firstIndex { $0.offset == 0 && $0.value & E1000Ctrl.rst != 0 })
    #expect(order.first == E1000Register.imc.rawValue && dev.writes[0].value == 0xffff_ffff)
    #expect(order[(reset + 1)...].contains(E1000Register.imc.rawValue), "masked again after reset")
    #expect(order.last == E1000Register.ims.rawValue)
    #expect(dev.resets == 1)
  }

  @Test func macComesFromTheEEPROM() throws {
    let dev = FakeE1000()
    dev.eeprom = [0xaa02, 0xccbb, 0xeedd]
    let net = try startE1000(dev)
    #expect((0..<6).map { net.mac[$0] } == [0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee])
  }

  @Test func macFallsBackToRALWhenTheEEPROMDoesNotAnswer() throws {
    let dev = FakeE1000()
    dev.eepromAnswers = false
    dev.macInReset = [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef]
    let net = try startE1000(dev)
    #expect((0..<6).map { net.mac[$0] } == [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef])
  }

  @Test func unusableMACIsRefusedAndNothingAllocated() {
    for eeprom in [[UInt16(0), 0, 0], [0x0001, 0, 0x0100]] {  // zeros; a group address
      let dev = FakeE1000()
      dev.eeprom = eeprom
      let dma = TestDMA()
      #expect(throws: E1000Error.unusableMAC) { _ = try startE1000(dev, dma: dma) }
      #expect(dma.live == 0)
    }
    let dev = FakeE1000()
    dev.eepromAnswers = false
    dev.macInReset = [0, 0, 0, 0, 0, 0]
    #expect(throws: E1000Error.unusableMAC) { _ = try startE1000(dev) }
  }

  @Test func resetThatNeverClearsIsATypedError() {
    let dev = FakeE1000()
    dev.resetSticks = true
    #expect(throws: E1000Error.resetTimeout) { _ = try startE1000(dev) }
    #expect(dev[.rctl] & E1000Rctl.en == 0 && dev[.ims] == 0)
  }

  @Test func outOfDMAMemoryFreesWhatItGot() {
    let dma = TestDMA()
    dma.pagesLeft = 3
    #expect(throws: E1000Error.noMemory) { _ = try startE1000(dma: dma) }
    #expect(dma.live == 0)
  }

  @Test func ringSizesMustFitTheDescriptorLengthRule() {
    #expect(throws: E1000Error.badRingSize) { _ = try startE1000(rx: 12) }
    #expect(throws: E1000Error.badRingSize) { _ = try startE1000(tx: 0) }
  }

  @Test func linkStateIsReadFromStatus() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    #expect(net.linkUp)
    dev[.status] = 0
    #expect(!net.linkUp)
  }
}

@Suite struct E1000ReceiveTests {
  @Test func framesArriveInOrderAcrossRingWrap() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    for i in 0..<5 { #expect(dev.receive(frame(i, size: 60 + i))) }
    #expect(interrupt(net).frames == (0..<5).map { frame($0, size: 60 + $0) })
    #expect(dev[.rdt] == 4)
    for i in 5..<11 { #expect(dev.receive(frame(i, size: 1514))) }
    #expect(interrupt(net).frames == (5..<11).map { frame($0, size: 1514) })
    #expect(dev[.rdh] == 3 && dev[.rdt] == 2, "wrapped: 11 frames through 8 descriptors")
    #expect(net.stats.rxPackets == 11)
    #expect(net.stats.rxBytes == UInt64((0..<5).reduce(0) { $0 + 60 + $1 } + 6 * 1514))
    #expect(net.stats.rxErrors == 0 && net.stats.rxDrops == 0)
  }

  @Test func deliveredFramesStartTwoModEight() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    dev.receive(frame(1))
    var address = 0
    net.handleInterrupt(deliver: { p, _ in address = Int(bitPattern: p) }, link: { _ in })
    #expect(address % 8 == 2)
  }

  @Test func rdtIsWrittenOncePerBatchAndNotWhenNothingArrived() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    let before = dev.writes(to: .rdt).count
    for i in 0..<4 { dev.receive(frame(i)) }
    interrupt(net)
    #expect(dev.writes(to: .rdt).count == before + 1)
    interrupt(net)
    #expect(dev.writes(to: .rdt).count == before + 1)
  }

  @Test func givenBackDescriptorsAreCleanWithOurBufferAddress() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    let original = dev.rxBufferAddress(0)
    dev.receive(frame(0))
    dev.rxRing.storeBytes(of: UInt64(0xdead_0000), as: UInt64.self)  // device scribbles
    interrupt(net)
    #expect(dev.rxBufferAddress(0) == original)
    #expect(dev.rxRing.load(fromByteOffset: 12, as: UInt8.self) == 0)
  }

  @Test func fullRingCountsMissedPacketsIntoDrops() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    for i in 0..<7 { #expect(dev.receive(frame(i))) }
    #expect(!dev.receive(frame(7)), "one descriptor always stays the driver's")
    #expect(!dev.receive(frame(8)))
    #expect(interrupt(net).frames.count == 7)
    #expect(net.stats.rxDrops == 2)
    #expect(dev.receive(frame(9)))
    #expect(net.stats.rxDrops == 2, "MPC clears on read: counted once")
  }

  @Test func badFramesAreCountedDroppedAndTheirDescriptorsGivenBack() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    dev.receive(frame(0), errors: 1 << 0)  // CRC error
    dev.receive(frame(1), errors: 1 << 7)  // RX data error
    dev.receive(frame(2), length: 0)
    dev.receive(frame(3), length: 1519)
    dev.receive(frame(4))
    let got = interrupt(net)
    #expect(got.frames == [frame(4)])
    #expect(net.stats.rxErrors == 4 && net.stats.rxPackets == 1)
    #expect(dev[.rdt] == 4)
  }

  @Test func largestAcceptedFrameIsDelivered() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    dev.receive(frame(0, size: 1518))
    #expect(interrupt(net).frames == [frame(0, size: 1518)])
  }

  @Test func frameWithoutEOPIsDroppedWithItsTail() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    dev.receive(frame(0), status: RxDesc.dd)  // first part of a long frame
    dev.receive(frame(1), status: RxDesc.dd)  // middle
    dev.receive(frame(2))  // its last part (EOP)
    dev.receive(frame(3))  // the next frame
    #expect(interrupt(net).frames == [frame(3)])
    #expect(net.stats.rxErrors == 1)
    #expect(dev[.rdt] == 3)
  }

  @Test func checksumOffloadBitsAloneDoNotDropAFrame() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    dev.receive(frame(0), errors: 1 << 5 | 1 << 6)  // TCPE, IPE: offload is off, lwIP checks
    #expect(interrupt(net).frames == [frame(0)])
  }

  @Test func descriptorNotDoneIsLeftAlone() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    dev.receive(frame(0))
    dev.receive(frame(1), status: 0)  // the device is still writing it
    #expect(interrupt(net).frames == [frame(0)])
    dev.rxRing.storeBytes(of: RxDesc.dd | RxDesc.eop, toByteOffset: 16 + 12, as: UInt8.self)
    #expect(interrupt(net).frames == [frame(1)])
  }
}

@Suite struct E1000TransmitTests {
  @Test func submittedFrameReachesTheDeviceIntact() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    #expect(send(net, frame(5, size: 1514)))
    #expect(dev[.tdt] == 1)
    dev.transmit()
    #expect(dev.sent.count == 1)
    #expect(dev.sent[0].frame == frame(5, size: 1514))
    #expect(dev.sent[0].cmd == TxDesc.eop | TxDesc.ifcs | TxDesc.rs)
    #expect(dev.sent[0].address % 8 == 2)
    #expect(net.stats.txPackets == 1 && net.stats.txBytes == 1514)
  }

  @Test func tdtFollowsEachSubmitAcrossWrap() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    for i in 0..<20 {
      #expect(send(net, frame(i)))
      #expect(dev[.tdt] == UInt32((i + 1) % 8))
      dev.transmit()
    }
    #expect(dev.sent.map { $0.frame } == (0..<20).map { frame($0) })
  }

  @Test func fullRingGivesNilAndCountsADrop() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    for i in 0..<7 { #expect(send(net, frame(i))) }
    #expect(net.transmitBuffer() == nil)
    #expect(net.stats.txDrops == 1 && net.txDropsRingFull == 1)
    #expect(dev[.tdt] == 7)
  }

  @Test func finishedDescriptorsAreReclaimedByDD() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    for i in 0..<7 { send(net, frame(i)) }
    dev.transmit(limit: 3)
    #expect(send(net, frame(7)))
    #expect(net.freeTransmitBuffers == 2)
    dev.transmit()
    for i in 8..<15 { #expect(send(net, frame(i))) }
    dev.transmit()
    #expect(dev.sent.map { $0.frame } == (0..<15).map { frame($0) })
    #expect(net.stats.txDrops == 0)
  }

  @Test func askingTwiceBeforeSubmitHandsOutTheSameBuffer() throws {
    let net = try startE1000()
    let a = net.transmitBuffer()
    #expect(a != nil && net.transmitBuffer() == a)
  }

  @Test func pointerNotHandedOutIsAnErrorAndSendsNothing() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    let buf = try #require(net.transmitBuffer())
    net.submit(buf + 8, length: 60)
    let unreserved = net.txBuffers.address + 2048 + 2
    net.submit(unreserved, length: 60)
    #expect(net.stats.txErrors == 2 && dev[.tdt] == 0)
    net.submit(buf, length: 60)
    net.submit(buf, length: 60)  // already submitted: no longer reserved
    #expect(net.stats.txErrors == 3 && dev[.tdt] == 1)
  }

  @Test func badLengthIsAnErrorAndFreesTheBuffer() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    for length in [UInt32(0), 1515] {
      let buf = try #require(net.transmitBuffer())
      net.submit(buf, length: length)
    }
    #expect(net.stats.txErrors == 2 && dev[.tdt] == 0)
    #expect(send(net, frame(0)))
    #expect(dev[.tdt] == 1)
  }

  @Test func noTransmitInterruptIsAskedFor() throws {
    let dev = FakeE1000()
    _ = try startE1000(dev)
    #expect(dev[.ims] & E1000Interrupt.txdw == 0)
  }
}

@Suite struct E1000InterruptTests {
  @Test func linkChangeIsReported() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    dev.setLink(up: false)
    #expect(interrupt(net).links == [false])
    dev.setLink(up: true)
    #expect(interrupt(net).links == [true])
  }

  @Test func readingICRAcknowledges() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    dev.receive(frame(0))
    interrupt(net)
    #expect(dev[.icr] == 0)
  }

  @Test func spuriousInterruptChangesNothing() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    let writes = dev.writes.count
    let got = interrupt(net)
    #expect(got.frames.isEmpty && got.links.isEmpty)
    #expect(dev.writes.count == writes)
    #expect(net.stats == NetStats())
  }

  @Test func stopMasksEverythingAndTurnsTheRingsOff() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    net.stop()
    #expect(dev[.ims] == 0 && dev[.rctl] == 0 && dev[.tctl] == 0)
  }
}

// MARK: transmit checksum offload

/// An Ethernet + IPv4 frame carrying `proto` with an L4 header of `l4Header`
/// bytes (its checksum field 0) and `payload` bytes; `options` words of IP
/// options, `flagsFragment` as IP's flags/offset field.
func ipv4Frame(
  proto: UInt8, payload: Int = 100, options: Int = 0, flagsFragment: UInt16 = 0x4000,
  udpChecksum: UInt16 = 0
) -> [UInt8] {
  let ihl = 20 + 4 * options
  let l4Header = proto == 6 ? 20 : proto == 17 ? 8 : 8
  let total = ihl + l4Header + payload
  var f: [UInt8] = [0x52, 0x55, 0x0a, 0x00, 0x02, 0x02, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x00]
  f += [0x40 | UInt8(ihl / 4), 0, UInt8(total >> 8), UInt8(total & 0xff), 0x12, 0x34]
  f += [UInt8(flagsFragment >> 8), UInt8(flagsFragment & 0xff), 64, proto, 0, 0]
  f += [10, 0, 2, 15, 10, 0, 2, 2]
  f += [UInt8](repeating: 1, count: 4 * options)
  let ipSum = ~internetSum(f[14..<(14 + ihl)])
  f[24] = UInt8(ipSum >> 8)
  f[25] = UInt8(ipSum & 0xff)
  switch proto {
  case 6:  // ports 80 -> 40000, seq, ack, offset 5, ACK|PSH, window
    f += [0, 80, 0x9c, 0x40, 1, 2, 3, 4, 5, 6, 7, 8, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]
  case 17:
    let len = 8 + payload
    f += [0x00, 0x35, 0x9c, 0x40, UInt8(len >> 8), UInt8(len & 0xff)]
    f += [UInt8(udpChecksum >> 8), UInt8(udpChecksum & 0xff)]
  default:  // ICMP echo request, checksum left as is
    f += [8, 0, 0, 0, 0, 1, 0, 1]
  }
  f += (0..<payload).map { UInt8(truncatingIfNeeded: $0 * 13 + 5) }
  return f
}

/// The TCP/UDP checksum of a frame built by ipv4Frame verifies: the sum over
/// the pseudo-header and the whole segment, checksum included, is 0xffff.
func l4ChecksumIsValid(_ f: [UInt8]) -> Bool {
  let ihl = Int(f[14] & 0x0f) * 4
  let total = Int(f[16]) << 8 | Int(f[17])
  let l4Length = total - ihl
  var pseudo: [UInt8] = Array(f[26..<34])
  pseudo += [0, f[23], UInt8(l4Length >> 8), UInt8(l4Length & 0xff)]
  let s = internetSum(f[(14 + ihl)..<(14 + total)], initial: UInt32(internetSum(pseudo)))
  return s == 0xffff
}

func startOffloading(_ dev: FakeE1000, tx: Int = 8) throws -> E1000<FakeE1000> {
  let net = try E1000.start(registers: dev, dma: TestDMA(), rxCount: 8, txCount: tx, txChecksumOffload: true)
  net.txPollLimit = 10
  return net
}

@Suite struct E1000ChecksumOffloadTests {
  @Test func tcpFrameIsLeftToTheDeviceWithThePseudoHeaderSum() throws {
    let dev = FakeE1000()
    let net = try startOffloading(dev)
    let f = ipv4Frame(proto: 6, payload: 1460)
    #expect(!l4ChecksumIsValid(f))
    let buf = try #require(net.transmitBuffer())
    f.withUnsafeBytes { buf.copyMemory(from: $0.baseAddress!, byteCount: f.count) }
    net.submit(buf, length: UInt32(f.count))
    // What the driver left in the field: the pseudo-header sum, uncomplemented.
    let field = UInt16(buf.load(fromByteOffset: 50, as: UInt8.self)) << 8
      | UInt16(buf.load(fromByteOffset: 51, as: UInt8.self))
    let l4Length = f.count - 34
    let pseudo = Array(f[26..<34]) + [0, 6, UInt8(l4Length >> 8), UInt8(l4Length & 0xff)]
    #expect(field == internetSum(pseudo))
    #expect(dev[.tdt] == 2, "a context descriptor, then the data descriptor")
    dev.transmit()
    #expect(dev.contexts == 1)
    let c = try #require(dev.context)
    #expect(c.start == 34 && c.offset == 50 && c.end == 0)
    #expect(c.cmd == TxDesc.dext | TxDesc.rs | TxContext.ip | TxContext.tcp)
    #expect(dev.sent.count == 1)
    #expect(dev.sent[0].cmd == TxDesc.dext | TxDesc.eop | TxDesc.ifcs | TxDesc.rs)
    #expect(dev.sent[0].popts == TxDesc.txsm)
    #expect(dev.sent[0].address % 8 == 2 && dev.sent[0].address == net.txBuffers.physical + 2)
    #expect(l4ChecksumIsValid(dev.sent[0].frame))
    var expected = f
    expected[50] = dev.sent[0].frame[50]
    expected[51] = dev.sent[0].frame[51]
    #expect(dev.sent[0].frame == expected, "only the checksum changes")
    #expect(net.txChecksummed == 1 && net.stats.txPackets == 1)
    #expect(net.stats.txBytes == UInt64(f.count))
  }

  @Test func udpWithAZeroFieldIsOffloadedAndAComputedOneKept() throws {
    let dev = FakeE1000()
    let net = try startOffloading(dev)
    let f = ipv4Frame(proto: 17, payload: 333)
    send(net, f)
    dev.transmit()
    let c = try #require(dev.context)
    #expect(c.start == 34 && c.offset == 40 && c.end == 0 && c.cmd & TxContext.tcp == 0)
    #expect(dev.sent[0].popts == TxDesc.txsm)
    #expect(l4ChecksumIsValid(dev.sent[0].frame))
    // lwIP computed this one (GEN_UDP on): sent as it is, legacy descriptor.
    var done = ipv4Frame(proto: 17, payload: 333)
    let pseudo = Array(done[26..<34]) + [0, 17, 0x01, 0x55]
    let sum = ~internetSum(done[34...], initial: UInt32(internetSum(pseudo)))
    done[40] = UInt8(sum >> 8)
    done[41] = UInt8(sum & 0xff)
    #expect(l4ChecksumIsValid(done))
    send(net, done)
    dev.transmit()
    #expect(dev.sent[1].frame == done)
    #expect(dev.sent[1].cmd == TxDesc.eop | TxDesc.ifcs | TxDesc.rs)
    #expect(net.txChecksummed == 1)
  }

  @Test func ipOptionsMoveTheChecksumStart() throws {
    let dev = FakeE1000()
    let net = try startOffloading(dev)
    send(net, ipv4Frame(proto: 6, payload: 10, options: 3))
    dev.transmit()
    let c = try #require(dev.context)
    #expect(c.start == 46 && c.offset == 62)
    #expect(l4ChecksumIsValid(dev.sent[0].frame))
  }

  @Test func bytesAfterTheIPPacketAreNotSummed() throws {
    let dev = FakeE1000()
    let net = try startOffloading(dev)
    let f = ipv4Frame(proto: 6, payload: 7)
    send(net, f + [0xde, 0xad, 0xbe, 0xef, 0x11])  // padding after the IP packet
    dev.transmit()
    let c = try #require(dev.context)
    #expect(c.end == f.count - 1)
    #expect(l4ChecksumIsValid(dev.sent[0].frame))
    #expect(Array(dev.sent[0].frame[f.count...]) == [0xde, 0xad, 0xbe, 0xef, 0x11])
  }

  @Test func contextIsWrittenOnlyWhenItChanges() throws {
    let dev = FakeE1000()
    let net = try startOffloading(dev)
    let frames = [
      ipv4Frame(proto: 6, payload: 1), ipv4Frame(proto: 6, payload: 1460),
      ipv4Frame(proto: 6, payload: 0), ipv4Frame(proto: 17, payload: 20),
      ipv4Frame(proto: 17, payload: 21), ipv4Frame(proto: 6, payload: 5),
    ]
    for f in frames {
      #expect(send(net, f))
      dev.transmit()
    }
    #expect(dev.contexts == 3 && net.txContexts == 3)
    #expect(dev.sent.count == 6 && dev.sent.allSatisfy { l4ChecksumIsValid($0.frame) })
  }

  @Test func notOffloadedFramesGoOutUntouchedOnLegacyDescriptors() throws {
    let dev = FakeE1000()
    let net = try startOffloading(dev)
    var arp = ipv4Frame(proto: 6)
    arp[12] = 0x08
    arp[13] = 0x06
    var ipv6 = ipv4Frame(proto: 6)
    ipv6[12] = 0x86
    ipv6[13] = 0xdd
    var vlan = ipv4Frame(proto: 6)
    vlan[12] = 0x81
    vlan[13] = 0x00
    var version6 = ipv4Frame(proto: 6)
    version6[14] = 0x65
    var shortIHL = ipv4Frame(proto: 6)
    shortIHL[14] = 0x44
    var longTotal = ipv4Frame(proto: 6, payload: 10)
    longTotal[17] += 1  // one byte more than the frame has
    var shortTCP = ipv4Frame(proto: 6, payload: 0)
    shortTCP[17] -= 1  // TCP header cut short by the IP length
    var udpLength = ipv4Frame(proto: 17, payload: 10)
    udpLength[39] += 1  // UDP length disagrees with IP's
    let frames = [
      arp, ipv6, vlan, version6, shortIHL, longTotal, shortTCP, udpLength,
      ipv4Frame(proto: 1),  // ICMP: lwIP's own checksum
      ipv4Frame(proto: 6, flagsFragment: 0x2000),  // MF: first fragment
      ipv4Frame(proto: 17, flagsFragment: 0x0010),  // a later fragment
      ipv4Frame(proto: 6, flagsFragment: 0x6000),  // DF and MF: still a fragment
      frame(1, size: 60),
    ]
    for f in frames {
      #expect(send(net, f))
      dev.transmit()
    }
    #expect(dev.contexts == 0 && net.txChecksummed == 0)
    #expect(dev.sent.map { $0.frame } == frames)
    #expect(dev.sent.allSatisfy { $0.cmd == TxDesc.eop | TxDesc.ifcs | TxDesc.rs })
  }

  @Test func truncatedFramesAreNeverMisparsed() throws {
    let dev = FakeE1000()
    let net = try startOffloading(dev, tx: 64)
    for proto: UInt8 in [6, 17] {
      let f = ipv4Frame(proto: proto, payload: 0)
      for n in 1..<f.count {  // every cut short of the whole packet
        dev.sent = []
        #expect(send(net, Array(f[0..<n])))
        dev.transmit()
        #expect(dev.sent.count == 1 && dev.sent[0].frame == Array(f[0..<n]))
        #expect(dev.sent[0].cmd & TxDesc.dext == 0, "length \(n)")
      }
    }
    #expect(net.txChecksummed == 0)
  }

  @Test func offloadOffLeavesTCPFramesAlone() throws {
    let dev = FakeE1000()
    let net = try startE1000(dev)
    let f = ipv4Frame(proto: 6)
    send(net, f)
    dev.transmit()
    #expect(dev.contexts == 0 && dev.sent[0].frame == f)
    #expect(dev.sent[0].cmd == TxDesc.eop | TxDesc.ifcs | TxDesc.rs)
  }

  @Test func ringKeepsRoomForAContextAndReclaimsIt() throws {
    let dev = FakeE1000()
    let net = try startOffloading(dev)
    // 8 descriptors: one always stays ours, and a buffer needs two free.
    var n = 0
    while send(net, frame(n)) { n += 1 }
    #expect(n == 6 && net.stats.txDrops == 1)
    dev.transmit()
    // Alternate TCP and UDP so each frame takes a context too, across wraps.
    var expected: [[UInt8]] = []
    for i in 0..<40 {
      let f = ipv4Frame(proto: i % 2 == 0 ? 6 : 17, payload: i * 30)
      #expect(send(net, f))
      expected.append(f)
      if i % 3 == 2 { dev.transmit() }
    }
    dev.transmit()
    let sent = dev.sent.suffix(40)
    #expect(sent.count == 40 && sent.allSatisfy { l4ChecksumIsValid($0.frame) })
    for (s, f) in zip(sent, expected) {
      #expect(s.frame.count == f.count && Array(s.frame[0..<34]) == Array(f[0..<34]))
    }
    #expect(dev.contexts == 40)
    net.reclaimTransmitted()
    #expect(net.stats.txDrops == 1 && net.freeTransmitBuffers == 6)
  }

  @Test func aZeroSumGoesOutAsAllOnes() throws {
    // QEMU stores 0xffff for a computed 0 (UDP's 0 would mean "none").
    var f = ipv4Frame(proto: 17, payload: 2)
    let dev = FakeE1000()
    let net = try startOffloading(dev)
    // Choose the payload so that the segment sums to 0xffff before complement.
    let l4Length = f.count - 34
    let pseudo = Array(f[26..<34]) + [0, 17, UInt8(l4Length >> 8), UInt8(l4Length & 0xff)]
    f[42] = 0
    f[43] = 0
    let partial = internetSum(f[34...], initial: UInt32(internetSum(pseudo)))
    let need = 0xffff - UInt32(partial)
    f[42] = UInt8(need >> 8)
    f[43] = UInt8(need & 0xff)
    send(net, f)
    dev.transmit()
    #expect(dev.sent[0].frame[40] == 0xff && dev.sent[0].frame[41] == 0xff)
    #expect(l4ChecksumIsValid(dev.sent[0].frame))
  }
}
