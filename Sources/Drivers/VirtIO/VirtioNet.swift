// The virtio network device (virtio v1.1 §5.1), as QEMU creates it with
//   -netdev user,id=net0 -device virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1
// receiveq1 is queue 0, transmitq1 is queue 1 (§5.1.2). We negotiate only
// VIRTIO_NET_F_MAC and VIRTIO_F_VERSION_1: no checksum offload, no GSO, no
// mergeable buffers, so every frame is one 12-byte header and one frame of
// at most netMaxFrame bytes in one buffer (§5.1.6).
//
// Every buffer is allocated once, at start, in DMA memory: one 2048-byte
// cell per receive descriptor and per transmit slot, the header at offset 6
// (netBufferOffset) and the frame right after it. The receive queue is kept fully posted; a used
// receive buffer is handed up and re-posted at once. Transmit buffers go
// round a free list: reserved by transmitBuffer(), published by submit(),
// back on the list when the device returns them.
//
// No lock here: the caller serialises every call (the kernel's network
// lock, Kernel/net.c; one test thread on the host). Nothing allocates
// after start, so the interrupt and transmit paths are allocation-free.
import CShims
import Device

/// Device feature bits of the network device (§5.1.3 Feature bits).
public enum VirtioNetFeature {
  public static let mac: UInt64 = 1 << 5  // VIRTIO_NET_F_MAC: config holds the address
}

/// struct virtio_net_hdr with VERSION_1 (§5.1.6): flags, gso_type (u8 each),
/// hdr_len, gso_size, csum_start, csum_offset, num_buffers (le16 each).
public let virtioNetHeaderSize = 12
/// One buffer: header and frame, rounded up so two fit a page and none straddles one.
public let netBufferSize = 2048
/// Where the device's buffer starts inside its cell. At 6, the frame (after the
/// 12-byte header) starts at 18, i.e. 2 mod 8, and its IP header at 32: the
/// layout of lwIP's pbufs with ETH_PAD_SIZE 2. Copies between the two then move
/// 8 bytes at a time (at offset 0 they went byte by byte: the kernel's memcpy
/// falls back to bytes when the pointers differ mod 8), and IP fields are aligned.
public let netBufferOffset = 6  // submit() zeroes bytes 6..<18 with stores that assume it
/// Offset of the frame inside its cell.
let netFrameOffset = netBufferOffset + virtioNetHeaderSize

/// Why the device could not be brought up.
public enum VirtioNetError: Error, Equatable {
  case missingMAC
  case transport(VirtioError)

  public var message: StaticString {
    switch self {
    case .missingMAC: return "device does not offer VIRTIO_NET_F_MAC"
    case .transport(let e): return e.message
    }
  }
}

/// Where a transmit slot is in its round.
enum TxSlotState: UInt8 {
  case free, reserved, inFlight
}

public final class VirtioNet<T: VirtioTransport> {
  public let transport: T
  public let mac: MACAddress
  public private(set) var stats = NetStats()
  /// Frames dropped because every transmit buffer stayed in flight.
  public private(set) var txDropsRingFull: UInt64 = 0
  /// How many times a full transmit ring is re-checked before dropping.
  public var txPollLimit = 20_000

  let rx: Virtqueue
  let tx: Virtqueue
  let rxBuffers: DMARegion  // rx.size cells
  let txBuffers: DMARegion  // tx.size cells
  /// Which buffer cell rides on the chain whose head is the index.
  let rxCellOfHead: UnsafeMutablePointer<UInt16>
  let txCellOfHead: UnsafeMutablePointer<UInt16>
  /// Transmit cells: their state, and a stack of the free ones.
  let txState: UnsafeMutablePointer<TxSlotState>
  let txFree: UnsafeMutablePointer<UInt16>
  var txFreeCount: Int
  /// Frames published with `submit(_:length:notify: false)` that the device
  /// has not been told about yet (flushTransmit tells it).
  var txUnannounced = 0

  /// Bring the device up (§3.1.1 and §5.1.5): handshake, the two queues,
  /// the buffers, the receive queue posted, DRIVER_OK.
  /// (A static function: Embedded Swift allows no generic initialisers on classes.)
  public static func start<D: DMAAllocator>(
    transport: T, dma: D, rxQueueSize: UInt16 = 128, txQueueSize: UInt16 = 64
  ) throws(VirtioNetError) -> VirtioNet {
    let agreed: UInt64
    do throws(VirtioError) {
      agreed = try transport.beginInitialization(.network, accepting: VirtioNetFeature.mac)
    } catch {
      throw .transport(error)
    }
    // Without a MAC in config space we would have to invent one: refuse.
    guard agreed & VirtioNetFeature.mac != 0 else {
      transport.fail()
      throw .missingMAC
    }
    do throws(VirtioError) {
      let net = try allocate(
        transport: transport, dma: dma, rxSize: rxQueueSize, txSize: txQueueSize)
      net.postAllReceiveBuffers()
      transport.finishInitialization()
      // The buffers went in before DRIVER_OK; tell the device they are there.
      transport.notify(queue: net.rx.index)
      return net
    } catch {
      transport.fail()
      throw .transport(error)
    }
  }

  /// Queues and buffer memory; on failure frees what it got.
  static func allocate<D: DMAAllocator>(
    transport: T, dma: D, rxSize: UInt16, txSize: UInt16
  ) throws(VirtioError) -> VirtioNet {
    let rx = try transport.setUpQueue(0, preferredSize: rxSize, dma: dma)
    let tx: Virtqueue
    do throws(VirtioError) {
      tx = try transport.setUpQueue(1, preferredSize: txSize, dma: dma)
    } catch {
      rx.releaseMemory(to: dma)
      throw error
    }
    let rxPages = (Int(rx.size) * netBufferSize + dmaPageSize - 1) / dmaPageSize
    let txPages = (Int(tx.size) * netBufferSize + dmaPageSize - 1) / dmaPageSize
    guard let rxBuffers = dma.allocate(pages: rxPages) else {
      rx.releaseMemory(to: dma)
      tx.releaseMemory(to: dma)
      throw .noMemory
    }
    guard let txBuffers = dma.allocate(pages: txPages) else {
      dma.free(rxBuffers)
      rx.releaseMemory(to: dma)
      tx.releaseMemory(to: dma)
      throw .noMemory
    }
    return VirtioNet(
      transport: transport, rx: rx, tx: tx, rxBuffers: rxBuffers, txBuffers: txBuffers)
  }

  init(transport: T, rx: Virtqueue, tx: Virtqueue, rxBuffers: DMARegion, txBuffers: DMARegion) {
    self.transport = transport
    self.mac = VirtioNet.readMAC(transport)
    self.rx = rx
    self.tx = tx
    self.rxBuffers = rxBuffers
    self.txBuffers = txBuffers
    rxCellOfHead = .allocate(capacity: Int(rx.size))
    rxCellOfHead.initialize(repeating: 0, count: Int(rx.size))
    txCellOfHead = .allocate(capacity: Int(tx.size))
    txCellOfHead.initialize(repeating: 0, count: Int(tx.size))
    txState = .allocate(capacity: Int(tx.size))
    txState.initialize(repeating: .free, count: Int(tx.size))
    txFree = .allocate(capacity: Int(tx.size))
    for i in 0..<Int(tx.size) { (txFree + i).initialize(to: UInt16(i)) }
    txFreeCount = Int(tx.size)
    // We reclaim transmit buffers when we need them, so a completion
    // interrupt would only be wasted work (VIRTQ_AVAIL_F_NO_INTERRUPT, a hint).
    tx.suppressInterrupts()
  }

  deinit {
    rxCellOfHead.deallocate()
    txCellOfHead.deallocate()
    txState.deallocate()
    txFree.deallocate()
  }

  /// The MAC at config offset 0 (§5.1.4), re-read if the device changed
  /// its config meanwhile (§2.4.1).
  static func readMAC(_ t: T) -> MACAddress {
    var mac = MACAddress()
    while true {
      let before = t.configGeneration()
      for i in 0..<6 { mac[i] = t.readConfig8(at: i) }
      if t.configGeneration() == before { return mac }
    }
  }

  // MARK: receive

  func rxCell(_ cell: Int) -> UnsafeMutableRawPointer { rxBuffers.address + cell * netBufferSize }

  func postAllReceiveBuffers() {
    for cell in 0..<Int(rx.size) { postReceive(cell: cell) }
  }

  /// Give one receive cell to the device (one device-writable descriptor).
  func postReceive(cell: Int) {
    // LAB(virtq) begin: post a receive buffer: a device-writable chain on the available ring
    let address = rxBuffers.physical + UInt64(cell * netBufferSize + netBufferOffset)
    do throws(VirtioError) {
      let head = try rx.addChain(count: 1, writableFrom: 0) { _ in
        Segment(address: address, length: UInt32(netBufferSize - netBufferOffset))
      }
      rxCellOfHead[Int(head)] = UInt16(cell)
      rx.publish(head)
    } catch {
      // There are exactly as many cells as descriptors, and this cell's
      // descriptor was just freed.
      kpanic("virtio-net: no receive descriptor for a free buffer")
    }
    // LAB(virtq) stub:
    // // TODO(lab virtq): one descriptor the device may write (virtio 1.1 2.6.5,
    // // VIRTQ_DESC_F_WRITE), at the cell's physical address + netBufferOffset, of
    // // netBufferSize - netBufferOffset bytes: rx.addChain(count: 1, writableFrom: 0).
    // // Remember the cell in rxCellOfHead[head], then rx.publish(head) puts it on the
    // // available ring (2.6.6, 2.6.13). There are as many cells as descriptors: a
    // // failure here is a broken invariant (kpanic).
    // LAB(virtq) end
  }

  /// The interrupt: acknowledge it, hand every received frame to `deliver`
  /// (frame bytes after the virtio header, valid only during the call) in
  /// arrival order, re-post the buffers, notify once; reclaim transmits.
  public func handleInterrupt(deliver: (UnsafeRawPointer, UInt32) -> Void) {
    // Acknowledge before draining: a frame that lands meanwhile raises a
    // new interrupt instead of waiting unseen.
    transport.acknowledgeInterrupt(transport.interruptStatus())
    reclaimTransmitted()
    if receiveAll(deliver: deliver) && rx.needsNotification() {
      transport.notify(queue: rx.index)
    }
  }

  /// Drain the used receive ring; returns whether any buffer was re-posted.
  /// At most one ring's worth per call: that covers everything used before
  /// the interrupt was acknowledged; later frames raised a new interrupt,
  /// so a flood cannot keep us here with the lock held.
  func receiveAll(deliver: (UnsafeRawPointer, UInt32) -> Void) -> Bool {
    // LAB(virtq) begin: take used receive buffers, hand their frames up, re-post them
    var reposted = false
    for _ in 0..<Int(rx.size) {
      let used: UsedElement
      do throws(VirtioError) {
        guard let u = try rx.popUsed() else { return reposted }
        used = u
      } catch .deviceBroken {
        stats.rxErrors += 1
        return reposted
      } catch {
        stats.rxErrors += 1  // an id we did not give: skipped, nothing to re-post
        continue
      }
      let cell = Int(rxCellOfHead[Int(used.head)])
      // popUsed clamps a length beyond the buffer to the buffer size, which
      // is longer than any frame: it lands in the second test.
      let frameLength = Int(used.length) - virtioNetHeaderSize
      if frameLength < 0 || frameLength > netMaxReceivedFrame {
        stats.rxErrors += 1
      } else {
        stats.rxPackets += 1
        stats.rxBytes += UInt64(frameLength)
        deliver(UnsafeRawPointer(rxCell(cell) + netFrameOffset), UInt32(frameLength))
      }
      rx.freeChain(used.head)
      postReceive(cell: cell)
      reposted = true
    }
    return reposted
    // LAB(virtq) stub:
    // return false  // TODO(lab virtq): pop the used ring (rx.popUsed(), 2.6.8; at most rx.size per call), deliver the frame after the 12-byte header, rx.freeChain(head), postReceive(cell:) the same cell
    // LAB(virtq) end
  }

  // MARK: transmit

  func txCell(_ cell: Int) -> UnsafeMutableRawPointer { txBuffers.address + cell * netBufferSize }

  /// A free transmit frame area of netMaxFrame bytes, or nil (counted as a
  /// drop) if every buffer is still in flight after a bounded wait.
  public func transmitBuffer() -> UnsafeMutableRawPointer? {
    // A ring full of frames the device was never told about would never drain.
    if txFreeCount == 0 { flushTransmit() }
    guard
      reclaimUntilFree(
        limit: txPollLimit, isFull: { txFreeCount == 0 }, reclaim: reclaimTransmitted)
    else {
      stats.txDrops += 1
      txDropsRingFull += 1
      return nil
    }
    txFreeCount -= 1
    let cell = Int(txFree[txFreeCount])
    txState[cell] = .reserved
    return txCell(cell) + netFrameOffset
  }

  /// Send `length` bytes written into a frame area from transmitBuffer().
  /// A pointer we did not hand out, or a bad length, is counted as an
  /// error and sends nothing. With `notify: false` the frame is on the
  /// available ring but the device is told only at the next flushTransmit():
  /// under QEMU each notification is an exit into the device model, and a
  /// burst of frames needs one.
  public func submit(_ frame: UnsafeMutableRawPointer, length: UInt32) {
    submit(frame, length: length, notify: true)
  }

  public func submit(_ frame: UnsafeMutableRawPointer, length: UInt32, notify: Bool) {
    guard let cell = reservedCell(of: frame) else {
      stats.txErrors += 1
      return
    }
    guard length > 0, length <= UInt32(netMaxFrame) else {
      stats.txErrors += 1
      releaseTransmitCell(cell)
      return
    }
    // No offloads: an all-zero header means "a plain frame". Three aligned
    // stores cover bytes 6..<18 of the cell (publish() fences them).
    let header = txCell(cell)
    header.storeBytes(of: 0, toByteOffset: 6, as: UInt16.self)
    header.storeBytes(of: 0, toByteOffset: 8, as: UInt64.self)
    header.storeBytes(of: 0, toByteOffset: 16, as: UInt16.self)
    let address = txBuffers.physical + UInt64(cell * netBufferSize + netBufferOffset)
    let head: UInt16
    do throws(VirtioError) {
      head = try tx.addChain(count: 1, writableFrom: 1) { _ in
        Segment(address: address, length: UInt32(virtioNetHeaderSize) + length)
      }
    } catch {
      // Every cell in flight holds one descriptor, and there are as many of each.
      kpanic("virtio-net: no transmit descriptor for a reserved buffer")
    }
    txCellOfHead[Int(head)] = UInt16(cell)
    txState[cell] = .inFlight
    stats.txPackets += 1
    stats.txBytes += UInt64(length)
    tx.publish(head)  // fences before the avail index
    txUnannounced += 1
    if notify { flushTransmit() }
  }

  /// Tell the device about the frames submitted without notification, unless
  /// it said it does not need to hear (VIRTQ_USED_F_NO_NOTIFY: it is still
  /// working through the ring and will see them).
  public func flushTransmit() {
    guard txUnannounced > 0 else { return }
    txUnannounced = 0
    if tx.needsNotification() {  // fences before the notify
      transport.notify(queue: tx.index)
    }
  }

  /// The cell whose frame area is `frame`, if it is reserved.
  func reservedCell(of frame: UnsafeMutableRawPointer) -> Int? {
    let offset = txBuffers.address.distance(to: frame) - netFrameOffset
    guard offset >= 0, offset % netBufferSize == 0, offset / netBufferSize < Int(tx.size)
    else { return nil }
    let cell = offset / netBufferSize
    return txState[cell] == .reserved ? cell : nil
  }

  func releaseTransmitCell(_ cell: Int) {
    txState[cell] = .free
    txFree[txFreeCount] = UInt16(cell)
    txFreeCount += 1
  }

  /// Take back every transmit buffer the device has finished with.
  func reclaimTransmitted() {
    while true {
      do throws(VirtioError) {
        guard let used = try tx.popUsed() else { return }
        let cell = Int(txCellOfHead[Int(used.head)])
        tx.freeChain(used.head)
        releaseTransmitCell(cell)
      } catch .deviceBroken {
        stats.txErrors += 1
        return
      } catch {
        stats.txErrors += 1
      }
    }
  }

  /// Transmit buffers ready for transmitBuffer() without reclaiming.
  public var freeTransmitBuffers: Int { txFreeCount }
  /// Receive buffers currently posted to the device.
  public var postedReceiveBuffers: Int { rx.inFlight }
}

extension Virtqueue {
  /// Ask the device not to interrupt when it uses this queue's buffers
  /// (VIRTQ_AVAIL_F_NO_INTERRUPT in the available ring's flags, §2.6.7).
  /// Only a hint: the interrupt handler copes with spurious interrupts.
  func suppressInterrupts() {
    mmio_write16(avail, 1)
  }
}
