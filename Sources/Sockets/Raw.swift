// Raw IP sockets (SOCK_RAW, IPPROTO_ICMP) over lwIP's raw API, as on
// BSD/Linux: a send carries the protocol's message (the kernel writes the IP
// header), a receive returns a whole IPv4 packet, IP header first. Packets
// wait in the same ring as UDP datagrams (Socket.queueDatagram) with port 0;
// sending never blocks. Network lock held throughout.
import CShims

/// The only protocol raw sockets take: ICMP (ping).
let ipprotoICMP = IPPROTO_ICMP
/// The largest payload of one IPv4 packet (65535 minus a 20-byte header).
let maxRawPayload: UInt32 = 65_515

extension Socket {
  func rawOpen(_ proto: Int32) throws(SocketError) {
    guard proto == ipprotoICMP else { throw .protocolNotSupported }
    guard let pcb = lsock_raw_new(id, UInt8(proto)) else { throw .noBuffers }
    raw = pcb
  }

  func rawRememberAddresses() {
    guard let pcb = raw else { return }
    lsock_raw_addrs(pcb, &localAddr, &remoteAddr)
  }

  /// Bind to a local address (a port, meaningless here, is ignored).
  func rawBind(_ addr: UInt32) throws(SocketError) {
    guard let pcb = raw, !bound else { throw .invalid }
    let err = lsock_raw_bind(pcb, addr)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    bound = true
    rawRememberAddresses()
  }

  /// Fix the peer: send without an address, receive only from it. 0.0.0.0
  /// dissolves the association.
  func rawConnect(_ addr: UInt32) throws(SocketError) {
    guard let pcb = raw else { throw .invalid }
    let err = lsock_raw_connect(pcb, addr)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    state = addr == 0 ? .idle : .connected
    rawRememberAddresses()
  }

  func rawSend(_ src: UInt64, _ len: UInt32, to: UInt32?) throws(SocketError) -> UInt32 {
    guard let pcb = raw else { throw .invalid }
    if writeShut { throw .brokenPipe }
    if to == nil && state != .connected { throw .destinationRequired }
    if len > maxRawPayload { throw .messageTooLong }
    let err = lsock_raw_send_user(pcb, src, len, to == nil ? 0 : 1, to ?? 0)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    return len
  }

  func rawRelease() {
    if let pcb = raw { lsock_raw_remove(pcb) }
    raw = nil
    dropDatagrams()
    reset()
  }
}

/// lwIP lends us a packet for raw socket id: keep a copy if there is room.
/// A full queue drops it, counted, as UDP does.
func rawReceived(_ id: UInt32, _ p: OpaquePointer?, _ addr: UInt32) {
  guard let p, let s = sockets[id], s.kind == .raw else { return }
  s.queueDatagram(p, addr, 0)
}
