// The Intel 82540EM Ethernet controller as QEMU creates it with
//   -netdev user,id=net0 -device e1000,netdev=net0,bus=pcie.0
// Legacy receive descriptors (8254x SDM §3.2.3), one 2048-byte buffer per
// descriptor, so every frame we accept (at most netMaxReceivedFrame bytes,
// RCTL.LPE clear) lands in one receive descriptor; no receive checksum
// offload (QEMU's e1000 verifies nothing on receive: every descriptor comes
// back with IXSM, "ignore checksum indication"). Transmit: legacy
// descriptors (§3.3.3), or with txChecksumOffload a context and a data
// descriptor (§3.3.5-3.3.7) for TCP/UDP frames the device checksums
// (TxChecksum.swift). No TSO: lwIP never hands us a segment larger than
// the MTU.
//
// Both rings live in DMA pages with one buffer cell per descriptor, fixed at
// start; the frame sits at offset 2 of its cell (e1000FrameOffset), so it
// starts 2 mod 8 like lwIP's pbufs and the glue's copies move whole words.
// The device takes any byte address in a legacy descriptor.
//
// Receive: the device owns descriptors [RDH, RDT); we walk ours from rxNext
// while DD is set, hand good frames up and give each back by moving RDT
// (one register write per batch). Transmit: descriptor txNext's cell is the
// one buffer handed out; submit fills the descriptor and moves TDT. Finished
// descriptors (DD) are reclaimed when a buffer is needed, so no transmit
// interrupt is asked for and nothing waits per packet.
//
// Every access to a descriptor goes through CShims' volatile helpers, and
// what the driver relies on (buffer addresses, which cell belongs to which
// descriptor) it keeps itself: the device only ever tells us status,
// errors and length, and those are checked.
//
// No lock here: the caller serialises every call (the network lock,
// Kernel/net.c; one test thread on the host).
import CShims
import Device

/// One buffer cell per descriptor.
public let e1000BufferSize = 2048
/// Where the frame starts in its cell: 2 mod 8, as lwIP's pbufs (ETH_PAD_SIZE 2).
public let e1000FrameOffset = 2
/// Both descriptor formats are 16 bytes.
let e1000DescriptorSize = 16

/// Receive descriptor (§3.2.3): buffer address (8), length (2), checksum
/// (2), status (1), errors (1), special (2).
enum RxDesc {
  static let address = 0
  static let length = 8
  static let status = 12
  static let errors = 13
  static let dd: UInt8 = 1 << 0  // descriptor done
  static let eop: UInt8 = 1 << 1  // end of packet
  /// CE, SE, SEQ, CXE and RXE: the frame itself is bad. IPE and TCPE
  /// (bits 6, 5) report checksum offload, which we leave off; lwIP checks.
  static let frameErrors: UInt8 = 0x97
}

/// Legacy transmit descriptor (§3.3.3): buffer address (8), length (2),
/// CSO (1), CMD (1), STA (1), CSS (1), special (2). The data descriptor
/// (§3.3.7) has the same address, length (20 bits), CMD (DCMD), STA and
/// special; byte 10's high nibble is DTYP (1) and byte 13 is POPTS.
enum TxDesc {
  static let address = 0
  static let length = 8
  static let cso = 10
  static let cmd = 11
  static let status = 12
  static let css = 13
  static let special = 14
  static let eop: UInt8 = 1 << 0  // CMD: last descriptor of the frame
  static let ifcs: UInt8 = 1 << 1  // CMD: the device appends the FCS
  static let rs: UInt8 = 1 << 3  // CMD: report status (write DD back)
  static let dext: UInt8 = 1 << 5  // CMD: extended (context or data) descriptor
  static let dtypData: UInt8 = 1 << 4  // byte 10: DTYP 1, data (0: context)
  static let popts = 13
  static let txsm: UInt8 = 1 << 1  // POPTS: insert the TCP/UDP checksum
  static let dd: UInt8 = 1 << 0  // STA: descriptor done
  static let ecLc: UInt8 = 3 << 1  // STA: excess or late collisions (half duplex only)
}

/// Context descriptor (§3.3.6): IPCSS, IPCSO, IPCSE (2), TUCSS, TUCSO,
/// TUCSE (2), PAYLEN (20 bits) with DTYP 0 and TUCMD (byte 11), STA,
/// HDRLEN, MSS (2). Only the TCP/UDP fields are used; TSE stays clear.
enum TxContext {
  static let tucss = 4
  static let tucso = 5
  static let tucse = 6
  static let dtypAndPaylen = 10
  static let tucmd = 11
  static let hdrlen = 13
  static let mss = 14
  static let tcp: UInt8 = 1 << 0  // TUCMD: TCP (else UDP)
  static let ip: UInt8 = 1 << 1  // TUCMD: IPv4
}

public enum E1000Error: Error, Equatable {
  case resetTimeout
  case unusableMAC
  case noMemory
  case badRingSize

  public var message: StaticString {
    switch self {
    case .resetTimeout: return "device stays in reset (CTRL.RST does not clear)"
    case .unusableMAC: return "no usable MAC address in the EEPROM or RAL0/RAH0"
    case .noMemory: return "no memory for the descriptor rings and buffers"
    case .badRingSize: return "ring sizes must be multiples of 8, at least 8"
    }
  }
}

public final class E1000<R: E1000Registers> {
  public let registers: R
  public let mac: MACAddress
  var counters = NetStats()
  /// Frames dropped because the transmit ring stayed full.
  public private(set) var txDropsRingFull: UInt64 = 0
  /// How many times a full transmit ring is re-checked before dropping.
  public var txPollLimit = 20_000

  let rxRing: DMARegion  // rxCount descriptors
  let rxBuffers: DMARegion  // rxCount cells
  let txRing: DMARegion  // txCount descriptors
  let txBuffers: DMARegion  // txCount cells
  public let rxCount: Int
  public let txCount: Int
  /// The next receive descriptor the device will complete.
  var rxNext = 0
  /// Inside a frame that spans descriptors: dropping up to its EOP.
  var rxDiscarding = false
  /// The next transmit descriptor to fill (our TDT), and the oldest in flight.
  var txNext = 0
  var txClean = 0
  /// txNext's buffer has been handed out by transmitBuffer().
  var txReserved = false
  /// TCP/UDP checksums are the device's (TxChecksum.swift): a frame may
  /// take two descriptors, so a buffer is handed out only with two free.
  public let txChecksumOffload: Bool
  /// The device's current checksum context (nil: none written yet).
  var txContext: TxChecksum?
  /// Frames sent with their checksum left to the device, and context
  /// descriptors written for them.
  public private(set) var txChecksummed: UInt64 = 0
  public private(set) var txContexts: UInt64 = 0

  init(
    registers: R, mac: MACAddress, rxRing: DMARegion, rxBuffers: DMARegion,
    txRing: DMARegion, txBuffers: DMARegion, rxCount: Int, txCount: Int,
    txChecksumOffload: Bool
  ) {
    self.txChecksumOffload = txChecksumOffload
    self.registers = registers
    self.mac = mac
    self.rxRing = rxRing
    self.rxBuffers = rxBuffers
    self.txRing = txRing
    self.txBuffers = txBuffers
    self.rxCount = rxCount
    self.txCount = txCount
  }

  /// Link counters; the device's missed-packet count goes into rxDrops.
  public var stats: NetStats {
    collectMissed()
    return counters
  }

  /// STATUS.LU.
  public var linkUp: Bool { registers.read(.status) & E1000Status.lu != 0 }

  /// MPC clears on read: add it up.
  func collectMissed() {
    counters.rxDrops += UInt64(registers.read(.mpc))
  }

  // MARK: receive

  func rxDescriptor(_ i: Int) -> UInt64 {
    UInt64(UInt(bitPattern: rxRing.address)) + UInt64(i * e1000DescriptorSize)
  }

  func rxFrame(_ i: Int) -> UnsafeMutableRawPointer {
    rxBuffers.address + i * e1000BufferSize + e1000FrameOffset
  }

  func rxBufferPhysical(_ i: Int) -> UInt64 {
    rxBuffers.physical + UInt64(i * e1000BufferSize + e1000FrameOffset)
  }

  /// Ready descriptor `i` for the device: our buffer address, status clear.
  func resetRxDescriptor(_ i: Int) {
    let d = rxDescriptor(i)
    mmio_write64(d + UInt64(RxDesc.address), rxBufferPhysical(i))
    mmio_write8(d + UInt64(RxDesc.status), 0)
  }

  /// The interrupt: read ICR (which acknowledges it), report a link change,
  /// hand every received frame to `deliver` (valid only during the call) in
  /// arrival order, give the descriptors back, reclaim transmits. A call
  /// with nothing pending (a shared line, a spurious interrupt) does nothing.
  public func handleInterrupt(
    deliver: (UnsafeRawPointer, UInt32) -> Void, link: (Bool) -> Void
  ) {
    let cause = registers.read(.icr)
    if cause & E1000Interrupt.lsc != 0 { link(linkUp) }
    if cause & E1000Interrupt.rxo != 0 { collectMissed() }
    receiveAll(deliver: deliver)
    reclaimTransmitted()
  }

  /// Walk completed descriptors, at most one ring's worth (later frames
  /// raise a new interrupt, so a flood cannot hold us here), then move RDT
  /// once to the last one we finished.
  func receiveAll(deliver: (UnsafeRawPointer, UInt32) -> Void) {
    // LAB(e1000) begin: walk the receive ring from rxNext while DD is set, then move RDT
    var last = -1
    for _ in 0..<rxCount {
      let d = rxDescriptor(rxNext)
      let status = mmio_read8(d + UInt64(RxDesc.status))
      guard status & RxDesc.dd != 0 else { break }
      // DD is written last by the device: read the rest only after it.
      mmio_fence()
      let length = Int(mmio_read16(d + UInt64(RxDesc.length)))
      let errors = mmio_read8(d + UInt64(RxDesc.errors))
      receive(rxNext, status: status, errors: errors, length: length, deliver: deliver)
      resetRxDescriptor(rxNext)
      last = rxNext
      rxNext = (rxNext + 1) % rxCount
    }
    guard last >= 0 else { return }
    // The descriptors are ready before the device may use them again.
    mmio_fence()
    registers.write(.rdt, UInt32(last))
    // LAB(e1000) stub:
    // // TODO(lab e1000): for each descriptor from rxNext whose status has DD
    // // (8254x SDM 3.2.3, RxDesc here), fence, read its length and errors, call
    // // receive(), resetRxDescriptor() and step rxNext round the ring; at most
    // // rxCount of them. Then give them back: fence, RDT = the last one (3.2.6).
    // LAB(e1000) end
  }

  /// One completed descriptor: deliver its frame or count why not.
  func receive(
    _ i: Int, status: UInt8, errors: UInt8, length: Int,
    deliver: (UnsafeRawPointer, UInt32) -> Void
  ) {
    // LAB(e1000) begin: deliver a good frame; count and drop a bad one or one without EOP
    if rxDiscarding {
      // The tail of a frame too long for one buffer: already counted.
      if status & RxDesc.eop != 0 { rxDiscarding = false }
    } else if status & RxDesc.eop == 0 {
      counters.rxErrors += 1
      rxDiscarding = true
    } else if errors & RxDesc.frameErrors != 0 || length == 0 || length > netMaxReceivedFrame {
      counters.rxErrors += 1
    } else {
      counters.rxPackets += 1
      counters.rxBytes += UInt64(length)
      deliver(UnsafeRawPointer(rxFrame(i)), UInt32(length))
    }
    // LAB(e1000) stub:
    // // TODO(lab e1000): a frame with EOP, no frameErrors and 0 < length <=
    // // netMaxReceivedFrame goes to deliver(rxFrame(i), length), counted in
    // // counters.rxPackets and rxBytes; anything else is counted in rxErrors. A
    // // descriptor without EOP starts a frame too long for one buffer: drop up
    // // to its EOP (rxDiscarding). 8254x SDM 3.2.3.1 (status) and 3.2.3.2 (errors).
    // LAB(e1000) end
  }

  // MARK: transmit

  func txDescriptor(_ i: Int) -> UInt64 {
    UInt64(UInt(bitPattern: txRing.address)) + UInt64(i * e1000DescriptorSize)
  }

  func txFrame(_ i: Int) -> UnsafeMutableRawPointer {
    txBuffers.address + i * e1000BufferSize + e1000FrameOffset
  }

  /// Descriptors given to the device and not yet reclaimed.
  var txInFlight: Int { (txNext - txClean + txCount) % txCount }
  /// TDT == TDH means empty, so one descriptor always stays ours; with
  /// offload a frame may need a context descriptor as well.
  var txFull: Bool { txInFlight > txCount - 1 - (txChecksumOffload ? 2 : 1) }

  /// A frame area of netMaxFrame bytes, or nil (counted as a drop) if the
  /// ring stays full after a bounded wait. One buffer is out at a time:
  /// asking again before submit hands out the same one.
  public func transmitBuffer() -> UnsafeMutableRawPointer? {
    if txReserved { return txFrame(txNext) }
    guard reclaimUntilFree(limit: txPollLimit, isFull: { txFull }, reclaim: reclaimTransmitted)
    else {
      counters.txDrops += 1
      txDropsRingFull += 1
      return nil
    }
    txReserved = true
    return txFrame(txNext)
  }

  /// Send `length` bytes written into the area from transmitBuffer(). A
  /// pointer we did not hand out, or a bad length, is counted as an error
  /// and sends nothing.
  public func submit(_ frame: UnsafeMutableRawPointer, length: UInt32) {
    guard txReserved, frame == txFrame(txNext) else {
      counters.txErrors += 1
      return
    }
    txReserved = false
    guard length > 0, length <= UInt32(netMaxFrame) else {
      counters.txErrors += 1
      return
    }
    // The frame stays in txNext's cell; with a context descriptor first,
    // the data descriptor after it points back there. That cell's next
    // user is txNext's next lap, by which time (two descriptors free, see
    // txFull) the descriptor after it is done too.
    let buffer = txBuffers.physical + UInt64(txNext * e1000BufferSize + e1000FrameOffset)
    let checksum =
      txChecksumOffload ? TxChecksum.parse(UnsafeRawPointer(frame), length: Int(length)) : nil
    if let checksum {
      // The pseudo-header sum goes in the field; the device adds the rest.
      frame.storeBytes(
        of: checksum.pseudoHeader.bigEndian, toByteOffset: Int(checksum.offset), as: UInt16.self)
      if !(txContext.map { $0.sameContext(checksum) } ?? false) {
        writeContext(checksum)
        txContext = checksum
      }
      txChecksummed += 1
    }
    let d = txDescriptor(txNext)
    if checksum != nil {
      writeDataDescriptor(d, buffer: buffer, length: length)
    } else {
      // LAB(e1000) begin: fill a legacy transmit descriptor for the frame
      mmio_write64(d + UInt64(TxDesc.address), buffer)
      mmio_write16(d + UInt64(TxDesc.length), UInt16(length))
      mmio_write8(d + UInt64(TxDesc.cso), 0)
      mmio_write8(d + UInt64(TxDesc.cmd), TxDesc.eop | TxDesc.ifcs | TxDesc.rs)
      mmio_write8(d + UInt64(TxDesc.status), 0)
      mmio_write8(d + UInt64(TxDesc.css), 0)
      mmio_write16(d + UInt64(TxDesc.special), 0)
      // LAB(e1000) stub:
      // // TODO(lab e1000): descriptor d (8254x SDM 3.3.3, TxDesc here): the
      // // buffer's address, the length, CMD with EOP, IFCS and RS (3.3.3.1),
      // // and zero in CSO, STA (DD clear), CSS and special.
      // LAB(e1000) end
    }
    // LAB(e1000) begin: hand the descriptor to the device by moving TDT
    counters.txPackets += 1
    counters.txBytes += UInt64(length)
    txNext = (txNext + 1) % txCount
    // Frame and descriptor are in memory before the device hears of them.
    mmio_fence()
    registers.write(.tdt, UInt32(txNext))
    // LAB(e1000) stub:
    // counters.txDrops += 1  // TODO(lab e1000): count the frame (txPackets, txBytes), step txNext, fence, TDT = txNext (3.4)
    // LAB(e1000) end
  }

  /// The data descriptor (§3.3.7) of a frame whose TCP/UDP checksum the
  /// device inserts, after its context descriptor.
  func writeDataDescriptor(_ d: UInt64, buffer: UInt64, length: UInt32) {
    mmio_write64(d + UInt64(TxDesc.address), buffer)
    mmio_write16(d + UInt64(TxDesc.length), UInt16(length))
    mmio_write8(d + UInt64(TxDesc.cso), TxDesc.dtypData)  // DTYP, length bits 19:16 zero
    mmio_write8(d + UInt64(TxDesc.cmd), TxDesc.dext | TxDesc.eop | TxDesc.ifcs | TxDesc.rs)
    mmio_write8(d + UInt64(TxDesc.status), 0)
    mmio_write8(d + UInt64(TxDesc.popts), TxDesc.txsm)
    mmio_write16(d + UInt64(TxDesc.special), 0)
  }

  /// A context descriptor at txNext for `c` (its DD is reclaimed like a
  /// frame's); txNext moves past it.
  func writeContext(_ c: TxChecksum) {
    let d = txDescriptor(txNext)
    mmio_write64(d, 0)  // IPCSS, IPCSO, IPCSE: no IP header checksum (lwIP's)
    mmio_write8(d + UInt64(TxContext.tucss), c.start)
    mmio_write8(d + UInt64(TxContext.tucso), c.offset)
    mmio_write16(d + UInt64(TxContext.tucse), c.end)
    mmio_write16(d + UInt64(TxDesc.length), 0)  // PAYLEN: TSO only
    mmio_write8(d + UInt64(TxContext.dtypAndPaylen), 0)  // DTYP 0: context
    mmio_write8(
      d + UInt64(TxContext.tucmd),
      TxDesc.dext | TxDesc.rs | TxContext.ip | (c.isTCP ? TxContext.tcp : 0))
    mmio_write8(d + UInt64(TxDesc.status), 0)
    mmio_write8(d + UInt64(TxContext.hdrlen), 0)
    mmio_write16(d + UInt64(TxContext.mss), 0)
    txContexts += 1
    txNext = (txNext + 1) % txCount
  }

  /// Take back every descriptor the device has written back (DD), oldest first.
  func reclaimTransmitted() {
    // LAB(e1000) begin: take back the descriptors the device has finished (DD)
    while txClean != txNext {
      let status = mmio_read8(txDescriptor(txClean) + UInt64(TxDesc.status))
      guard status & TxDesc.dd != 0 else { return }
      if status & TxDesc.ecLc != 0 { counters.txErrors += 1 }
      txClean = (txClean + 1) % txCount
    }
    // LAB(e1000) stub:
    // // TODO(lab e1000): from txClean towards txNext, while the descriptor's STA
    // // has DD (3.3.3.2): count EC or LC in counters.txErrors and step txClean.
    // LAB(e1000) end
  }

  /// Transmit buffers ready for transmitBuffer() without reclaiming (with
  /// offload one descriptor fewer: each may need a context descriptor).
  public var freeTransmitBuffers: Int {
    max(0, txCount - 1 - txInFlight - (txChecksumOffload ? 1 : 0))
  }
}

extension E1000: NetDriver {
  /// Quiet the device: every interrupt masked, receiver and transmitter
  /// off. For a device brought up but then not registered.
  public func stop() {
    registers.write(.imc, 0xffff_ffff)
    registers.write(.rctl, 0)
    registers.write(.tctl, 0)
  }
}
