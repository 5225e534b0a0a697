// Bringing an 82540EM up (8254x SDM §14 General Initialization and Reset
// Operation): interrupts masked, a full reset, the MAC address, the
// receive and transmit rings, link up, then the interrupts we want.
import CShims
import Device

extension E1000 {
  /// How many CTRL reads to wait for RST to clear (the manual asks for
  /// about 1 µs; QEMU clears it during the write).
  static var resetPollLimit: Int { 100_000 }
  /// How many EERD reads to wait for DONE (QEMU answers at once).
  static var eepromPollLimit: Int { 10_000 }

  /// Reset and program the device; on failure nothing is left allocated.
  /// txChecksumOffload: TCP/UDP checksums left to the device (TxChecksum.swift).
  /// (A static function: Embedded Swift allows no generic initialisers on classes.)
  public static func start<D: DMAAllocator>(
    registers r: R, dma: D, rxCount: Int = 128, txCount: Int = 64,
    receiveDelay: UInt32 = 0, throttle: UInt32 = 0, txChecksumOffload: Bool = false
  ) throws(E1000Error) -> E1000 {
    guard rxCount >= 8, rxCount % 8 == 0, txCount >= 8, txCount % 8 == 0,
      rxCount <= 4096, txCount <= 4096
    else { throw .badRingSize }
    try reset(r)
    let mac = readMAC(r)
    guard mac.isUsableUnicast else { throw .unusableMAC }

    func pages(_ bytes: Int) -> Int { (bytes + dmaPageSize - 1) / dmaPageSize }
    // The device may fill a whole BSIZE from a buffer's start: the receive
    // cells get e1000FrameOffset bytes of slack after the last one.
    let sizes = [
      pages(rxCount * e1000DescriptorSize), pages(rxCount * e1000BufferSize + e1000FrameOffset),
      pages(txCount * e1000DescriptorSize), pages(txCount * e1000BufferSize),
    ]
    var regions: [DMARegion] = []
    for n in sizes {
      guard let region = dma.allocate(pages: n) else {
        for got in regions { dma.free(got) }
        throw .noMemory
      }
      regions.append(region)
    }
    let net = E1000(
      registers: r, mac: mac, rxRing: regions[0], rxBuffers: regions[1], txRing: regions[2],
      txBuffers: regions[3], rxCount: rxCount, txCount: txCount,
      txChecksumOffload: txChecksumOffload)
    net.programAddressFilters()
    net.programReceive(delay: receiveDelay)
    net.programTransmit()
    r.write(.ctrl, r.read(.ctrl) | E1000Ctrl.slu | E1000Ctrl.asde)
    r.write(.itr, throttle)
    _ = r.read(.icr)  // drop causes from before
    // Received frames, a ring running low or over, link changes. No TXDW:
    // transmit descriptors are reclaimed when a buffer is needed.
    r.write(
      .ims,
      E1000Interrupt.rxt0 | E1000Interrupt.rxdmt0 | E1000Interrupt.rxo | E1000Interrupt.lsc)
    return net
  }

  /// Mask every interrupt, reset, wait (bounded) for RST to clear, mask
  /// again (the reset may have changed the mask).
  static func reset(_ r: R) throws(E1000Error) {
    r.write(.imc, 0xffff_ffff)
    r.write(.ctrl, r.read(.ctrl) | E1000Ctrl.rst)
    var cleared = false
    for _ in 0..<resetPollLimit where r.read(.ctrl) & E1000Ctrl.rst == 0 {
      cleared = true
      break
    }
    guard cleared else { throw .resetTimeout }
    r.write(.imc, 0xffff_ffff)
  }

  /// Words 0..2 of the EEPROM hold the address, low byte first (§5.6.1);
  /// if the EEPROM does not answer, what the reset loaded into RAL0/RAH0.
  static func readMAC(_ r: R) -> MACAddress {
    var mac = MACAddress()
    var fromEEPROM = true
    for word in 0..<3 {
      guard let w = readEEPROM(r, word: UInt32(word)) else {
        fromEEPROM = false
        break
      }
      mac[2 * word] = UInt8(truncatingIfNeeded: w)
      mac[2 * word + 1] = UInt8(truncatingIfNeeded: w >> 8)
    }
    if fromEEPROM { return mac }
    let low = r.read(.ral0)
    let high = r.read(.rah0)
    for i in 0..<4 { mac[i] = UInt8(truncatingIfNeeded: low >> (8 * UInt32(i))) }
    for i in 0..<2 { mac[4 + i] = UInt8(truncatingIfNeeded: high >> (8 * UInt32(i))) }
    return mac
  }

  /// One EEPROM word through EERD, or nil if DONE never comes.
  static func readEEPROM(_ r: R, word: UInt32) -> UInt16? {
    r.write(.eerd, word << E1000EERD.addressShift | E1000EERD.start)
    for _ in 0..<eepromPollLimit {
      let v = r.read(.eerd)
      if v & E1000EERD.done != 0 { return UInt16(truncatingIfNeeded: v >> E1000EERD.dataShift) }
    }
    return nil
  }

  /// Our address in receive address 0, marked valid; no multicast hash bits.
  func programAddressFilters() {
    var low: UInt32 = 0
    for i in 0..<4 { low |= UInt32(mac[i]) << (8 * UInt32(i)) }
    let high = UInt32(mac[4]) | UInt32(mac[5]) << 8 | e1000RAHValid
    registers.write(.ral0, low)
    registers.write(.rah0, high)
    for i in 0..<e1000MTAEntries {
      registers.write32(E1000Register.mta.rawValue + UInt32(4 * i), 0)
    }
  }

  /// Every receive descriptor gets its buffer; the device owns all but the
  /// last (RDT = last: head == tail would mean "none").
  func programReceive(delay: UInt32) {
    for i in 0..<rxCount { resetRxDescriptor(i) }
    registers.write(.rdbal, UInt32(truncatingIfNeeded: rxRing.physical))
    registers.write(.rdbah, UInt32(truncatingIfNeeded: rxRing.physical >> 32))
    registers.write(.rdlen, UInt32(rxCount * e1000DescriptorSize))
    registers.write(.rdh, 0)
    mmio_fence()  // descriptors in memory before the device may read them
    registers.write(.rdt, UInt32(rxCount - 1))
    registers.write(.rdtr, delay)
    // Multicast promiscuous (MPE): IPv6 neighbour discovery goes to
    // solicited-node groups we do not program into the MTA.
    registers.write(
      .rctl,
      E1000Rctl.en | E1000Rctl.bam | E1000Rctl.mpe | E1000Rctl.bsize2048 | E1000Rctl.secrc)
  }

  /// An empty transmit ring, no checksum context yet; full-duplex
  /// collision settings (§14.5).
  func programTransmit() {
    txContext = nil
    registers.write(.tdbal, UInt32(truncatingIfNeeded: txRing.physical))
    registers.write(.tdbah, UInt32(truncatingIfNeeded: txRing.physical >> 32))
    registers.write(.tdlen, UInt32(txCount * e1000DescriptorSize))
    registers.write(.tdh, 0)
    registers.write(.tdt, 0)
    registers.write(
      .tctl,
      E1000Tctl.en | E1000Tctl.psp | 0x10 << E1000Tctl.ctShift | 0x40 << E1000Tctl.coldShift)
    // IPGT 10, IPGR1 8, IPGR2 6: the manual's values for IEEE 802.3 (§13.4.34).
    registers.write(.tipg, 10 | 8 << 10 | 6 << 20)
  }
}
