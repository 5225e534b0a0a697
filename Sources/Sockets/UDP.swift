// UDP sockets over lwIP's raw UDP API: datagrams wait in a bounded ring of
// the socket's own (Socket.queueDatagram); sending never blocks. Network lock
// held throughout.
import CShims

/// The largest UDP payload in one IPv4 datagram.
let maxDatagram: UInt32 = 65_507

extension Socket {
  func udpOpen() throws(SocketError) {
    guard let pcb = lsock_udp_new(id) else { throw .noBuffers }
    udp = pcb
  }

  func udpRememberAddresses() {
    guard let pcb = udp else { return }
    lsock_udp_local(pcb, &localAddr, &localPort)
  }

  func udpBind(_ addr: UInt32, _ port: UInt16) throws(SocketError) {
    guard let pcb = udp, !bound else { throw .invalid }
    lsock_udp_set_reuseaddr(pcb, reuseAddress ? 1 : 0)
    let err = lsock_udp_bind(pcb, addr, port)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    bound = true
    udpRememberAddresses()
  }

  /// Fix the peer (send without an address, receive only from it); the
  /// address 0.0.0.0 port 0 dissolves the association.
  func udpConnect(_ addr: UInt32, _ port: UInt16) throws(SocketError) {
    guard let pcb = udp else { throw .invalid }
    if addr == 0 && port == 0 {
      lsock_udp_disconnect(pcb)
      state = .idle
      remoteAddr = 0
      remotePort = 0
      return
    }
    let err = lsock_udp_connect(pcb, addr, port)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    bound = true
    state = .connected
    remoteAddr = addr
    remotePort = port
    udpRememberAddresses()
  }

  /// The checks every send makes; the pcb to send on.
  func udpCanSend(_ len: UInt32, to: (addr: UInt32, port: UInt16)?) throws(SocketError)
    -> OpaquePointer
  {
    guard let pcb = udp else { throw .invalid }
    if writeShut { throw .brokenPipe }
    if to == nil && state != .connected { throw .destinationRequired }
    if len > maxDatagram { throw .messageTooLong }
    return pcb
  }

  func udpSend(_ src: UInt64, _ len: UInt32, to: (addr: UInt32, port: UInt16)?)
    throws(SocketError) -> UInt32
  {
    let pcb = try udpCanSend(len, to: to)
    let err = lsock_udp_send_user(
      pcb, src, len, to == nil ? 0 : 1, to?.addr ?? 0, to?.port ?? 0)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    bound = true
    udpRememberAddresses()
    return len
  }

  /// One datagram (truncated to len; the rest is lost, as in BSD) and its
  /// sender. UDP and raw sockets share the queue and this call.
  func datagramReceive(_ dst: UInt64, _ len: UInt32, peek: Bool, dontWait: Bool)
    throws(SocketError) -> (count: UInt32, addr: UInt32, port: UInt16)
  {
    try datagramReceive(len, peek: peek, dontWait: dontWait) { off, src, n in
      lsock_copyout(dst &+ UInt64(off), src, UInt64(n)) == 0
    }
  }

  /// The same, with copy(offset, bytes, count) putting the bytes where they go.
  func datagramReceive(
    _ len: UInt32, peek: Bool, dontWait: Bool, copy: (Int, UnsafeRawPointer, Int) -> Bool
  ) throws(SocketError) -> (count: UInt32, addr: UInt32, port: UInt16) {
    let until = deadline(after: recvTimeoutMs)
    while dgramCount == 0 {
      if readShut { return (0, 0, 0) }
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
    return (n, h.addr, h.port)
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
