// Raw IP sockets over lwIP's raw API, as on Linux: AF_INET with IPPROTO_ICMP
// and AF_INET6 with IPPROTO_ICMPV6. A send carries the protocol's message
// (the kernel writes the IP header; for ICMPv6 also the checksum, which
// covers an IPv6 pseudo-header). A receive returns a whole IPv4 packet, IP
// header first, but an ICMPv6 message alone: Linux's difference between the
// families, kept so programs written for Linux work (Net/lwip_sock.c strips
// the IPv6 headers). Packets wait in the same ring as UDP datagrams
// (Socket.queueDatagram) with port 0; sending never blocks. Network lock
// held throughout.
import CShims

/// The protocols raw sockets take: ICMP (ping) and ICMPv6 (ping -6).
let ipprotoICMP = IPPROTO_ICMP
/// The largest payload of one IPv4 packet (65535 minus a 20-byte header).
let maxRawPayload: UInt32 = 65_515
/// The shortest ICMPv6 message the kernel can checksum: type, code, checksum.
let minICMPv6Message: UInt32 = 4

extension Socket {
  func rawOpen(_ proto: Int32) throws(SocketError) {
    let wanted = family == afInet6 ? ipprotoICMPv6 : ipprotoICMP
    guard proto == wanted else { throw .protocolNotSupported }
    guard let pcb = lsock_raw_new(id, ipType, UInt8(proto)) else { throw .noBuffers }
    raw = pcb
    pcbCreated()
  }

  func rawRememberAddresses() {
    guard let pcb = raw else { return }
    lsock_raw_addrs(pcb, &local, &remote)
  }

  /// Bind to a local address (a port, meaningless here, is ignored).
  func rawBind(_ a: lsock_addr) throws(SocketError) {
    guard let pcb = raw, !bound else { throw .invalid }
    var a = a
    let err = lsock_raw_bind(pcb, &a)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    bound = true
    rawRememberAddresses()
  }

  /// Fix the peer: send without an address, receive only from it. The
  /// unspecified address (or AF_UNSPEC) dissolves the association.
  func rawConnect(_ a: lsock_addr) throws(SocketError) {
    guard let pcb = raw else { throw .invalid }
    var a = a
    if a.isUnspecified { a = lsock_addr() }
    let err = lsock_raw_connect(pcb, &a)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    state = a.family == 0 ? .idle : .connected
    rawRememberAddresses()
  }

  /// The checks every raw send makes; the pcb to send on.
  func rawCanSend(_ len: UInt32, hasAddress: Bool) throws(SocketError) -> OpaquePointer {
    guard let pcb = raw else { throw .invalid }
    if writeShut { throw .brokenPipe }
    if !hasAddress && state != .connected { throw .destinationRequired }
    if len > maxRawPayload { throw .messageTooLong }
    // no room for the checksum the kernel writes: Linux says EINVAL too
    if family == afInet6 && len < minICMPv6Message { throw .invalid }
    return pcb
  }

  func rawSend(_ src: UInt64, _ len: UInt32, to: lsock_addr?) throws(SocketError) -> UInt32 {
    let pcb = try rawCanSend(len, hasAddress: to != nil)
    let err: Int32
    if var a = to {
      err = lsock_raw_send_user(pcb, src, len, &a)
    } else {
      err = lsock_raw_send_user(pcb, src, len, nil)
    }
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

/// lwIP lends us a packet for raw socket id: keep a copy (from offset skip:
/// an ICMPv6 message without its IPv6 headers) if there is room. A full
/// queue drops it, counted, as UDP does.
func rawReceived(_ id: UInt32, _ p: OpaquePointer?, _ skip: UInt32, _ from: lsock_addr) {
  guard let p, let s = sockets[id], s.kind == .raw else { return }
  s.queueDatagram(p, from, skip: skip)
}
