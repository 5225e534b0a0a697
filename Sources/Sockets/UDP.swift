// UDP sockets over lwIP's raw UDP API: datagrams wait in a bounded ring of
// the socket's own (Socket.queueDatagram); sending never blocks. Network lock
// held throughout.
import CShims

/// The largest UDP payload in one IPv4 datagram.
let maxDatagram: UInt32 = 65_507

extension Socket {
  func udpOpen() throws(SocketError) {
    guard let pcb = lsock_udp_new(id, ipType) else { throw .noBuffers }
    udp = pcb
    pcbCreated()
  }

  func udpRememberAddresses() {
    guard let pcb = udp else { return }
    lsock_udp_local(pcb, &local)
  }

  func udpBind(_ a: lsock_addr) throws(SocketError) {
    guard let pcb = udp, !bound else { throw .invalid }
    lsock_udp_set_reuseaddr(pcb, reuseAddress ? 1 : 0)
    var a = a
    let err = lsock_udp_bind(pcb, &a)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    bound = true
    udpRememberAddresses()
  }

  /// Fix the peer (send without an address, receive only from it); the
  /// unspecified address with port 0 (or AF_UNSPEC) dissolves the association.
  func udpConnect(_ a: lsock_addr) throws(SocketError) {
    guard let pcb = udp else { throw .invalid }
    if a.isUnspecified && a.port == 0 {
      lsock_udp_disconnect(pcb)
      state = .idle
      remote = lsock_addr()
      return
    }
    var a = a
    let err = lsock_udp_connect(pcb, &a)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    bound = true
    state = .connected
    remote = a
    udpRememberAddresses()
  }

  /// The checks every send makes; the pcb to send on.
  func udpCanSend(_ len: UInt32, to: lsock_addr?) throws(SocketError)
    -> OpaquePointer
  {
    guard let pcb = udp else { throw .invalid }
    if writeShut { throw .brokenPipe }
    if to == nil && state != .connected { throw .destinationRequired }
    if len > maxDatagram { throw .messageTooLong }
    return pcb
  }

  func udpSend(_ src: UInt64, _ len: UInt32, to: lsock_addr?) throws(SocketError) -> UInt32 {
    let pcb = try udpCanSend(len, to: to)
    let err: Int32
    if var a = to {
      err = lsock_udp_send_user(pcb, src, len, &a)
    } else {
      err = lsock_udp_send_user(pcb, src, len, nil)
    }
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    bound = true
    udpRememberAddresses()
    return len
  }

  /// One datagram (truncated to len; the rest is lost, as in BSD) and its
  /// sender. UDP and raw sockets share the queue and this call.
  func datagramReceive(_ dst: UInt64, _ len: UInt32, peek: Bool, dontWait: Bool)
    throws(SocketError) -> (count: UInt32, from: lsock_addr)
  {
    try datagramReceive(len, peek: peek, dontWait: dontWait) { off, src, n in
      lsock_copyout(dst &+ UInt64(off), src, UInt64(n)) == 0
    }
  }

  /// The same, with copy(offset, bytes, count) putting the bytes where they go.
  func datagramReceive(
    _ len: UInt32, peek: Bool, dontWait: Bool, copy: (Int, UnsafeRawPointer, Int) -> Bool
  ) throws(SocketError) -> (count: UInt32, from: lsock_addr) {
    let until = deadline(after: recvTimeoutMs)
    while dgramCount == 0 {
      if readShut { return (0, lsock_addr()) }
      if nonblocking || dontWait { throw .wouldBlock }
      if let e = block(on: self, until: until) { throw e }
    }
    let hsize = MemoryLayout<DatagramHeader>.size
    guard let h = rxRing.read(as: DatagramHeader.self, zero: DatagramHeader()) else {
      kpanic("udp: datagram count and ring disagree")
    }
    let n = min(len, h.length)
    let ok = rxRing.read(skip: hsize, Int(n)) { src, l, off in copy(off, src, l) }
    if !ok { throw .fault }
    if !peek {
      rxRing.consume(hsize + Int(h.length))
      dgramCount -= 1
    }
    return (n, h.from)
  }

  /// Discard the unread datagrams (close, shutdown): lost, so counted.
  func dropDatagrams() {
    drops += UInt64(dgramCount)
    dgramCount = 0
    rxRing.clear()
  }

  func udpRelease() {
    if let pcb = udp { lsock_udp_remove(pcb) }
    udp = nil
    dropDatagrams()
    reset()
  }
}

/// datagramDropsTotal for netinfo (Kernel/net.c), which holds the network lock.
@c @implementation
public func sock_dgram_drops() -> UInt64 {
  datagramDropsTotal
}

/// A broken invariant of this module: stop the kernel.
func kpanic(_ message: StaticString) -> Never {
  kshim_panic(UnsafeRawPointer(message.utf8Start).assumingMemoryBound(to: CChar.self))
}
