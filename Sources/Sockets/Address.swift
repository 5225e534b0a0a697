// Addresses and the two families. A socket is AF_INET or AF_INET6; its
// addresses travel as struct lsock_addr (CShims/include/lwip_sock.h), which
// Kernel/sysnet.c reads from and writes to the program's sockaddr_in /
// sockaddr_in6 (a mapped ::ffff:a.b.c.d arrives here as family AF_INET).
//
// Dual stack, as on Linux: an AF_INET6 socket's pcb is lwIP's IPADDR_TYPE_ANY
// unless IPV6_V6ONLY, so binding [::] (lwIP's IP_ANY_TYPE) takes IPv4 too and
// an IPv4 peer shows as ::ffff:a.b.c.d. IPPROTO_IPV6 options are here too
// (IPV6_V6ONLY, IPV6_UNICAST_HOPS). Network lock held throughout.
import CShims

let afInet = AF_INET
let afInet6 = AF_INET6
let ipprotoIPv6 = IPPROTO_IPV6
let ipprotoICMPv6 = IPPROTO_ICMPV6
let ipv6V6Only = IPV6_V6ONLY
let ipv6UnicastHops = IPV6_UNICAST_HOPS

/// What an address given by a program is for: the checks differ.
enum AddressUse { case bind, connect, send }

extension lsock_addr {
  var familyNumber: Int32 { Int32(family) }

  func byte(_ i: Int) -> UInt8 {
    withUnsafeBytes(of: addr) { $0[i] }
  }

  /// 0.0.0.0, ::, or no address at all (family 0).
  var isUnspecified: Bool {
    withUnsafeBytes(of: addr) { b in b.allSatisfy { $0 == 0 } }
  }

  /// An IPv6 address that names a link and needs its interface
  /// (sin6_scope_id): link-local unicast fe80::/10 and multicast of
  /// interface- or link-local scope (ff01::/16, ff02::/16; RFC 4291 2.7).
  var needsScope: Bool {
    guard familyNumber == afInet6 else { return false }
    if byte(0) == 0xfe && byte(1) & 0xc0 == 0x80 { return true }
    return byte(0) == 0xff && (byte(1) & 0x0f == 1 || byte(1) & 0x0f == 2)
  }
}

extension Socket {
  /// lwIP's address type for this socket's pcbs (LSOCK_IPTYPE_*).
  var ipType: UInt8 {
    if family == afInet { return UInt8(LSOCK_IPTYPE_V4) }
    // a raw ICMPv6 socket speaks IPv6 alone
    return UInt8(v6only || kind == .raw ? LSOCK_IPTYPE_V6 : LSOCK_IPTYPE_ANY)
  }

  /// The unspecified address an implicit bind (listen) takes: 0.0.0.0, or
  /// [::], which is lwIP's IP_ANY_TYPE unless IPV6_V6ONLY.
  var wildcard: lsock_addr {
    var a = lsock_addr()
    if family == afInet || v6only || kind == .raw { a.family = UInt16(family) }
    return a
  }

  /// The address a program passed, as lwIP should take it for this socket:
  /// sysnet.c checked its family against the socket's. Linux's errors: a
  /// mapped IPv4 address under IPV6_V6ONLY (EINVAL for bind, ENETUNREACH
  /// otherwise), a link-local address without its interface (EINVAL), an
  /// interface that does not exist (ENODEV).
  func lwipAddress(_ a: lsock_addr, for use: AddressUse) throws(SocketError) -> lsock_addr {
    guard family == afInet6 else { return a }
    var r = a
    switch a.familyNumber {
    case afInet:
      // ::ffff:a.b.c.d: IPv4 on a dual-stack socket only (a raw ICMPv6
      // socket has no IPv4 to speak)
      if v6only || kind == .raw { throw use == .bind ? .invalid : .networkUnreachable }
      return r
    case afInet6:
      if a.isUnspecified && use == .bind {
        var w = wildcard
        w.port = a.port
        return w
      }
      if a.isUnspecified { return r }
      if a.needsScope {
        if a.scope == 0 { throw .invalid }
        if lsock_netif_exists(a.scope) == 0 { throw .noDevice }
      } else {
        r.scope = 0  // an address without a scope has no zone (Linux ignores it too)
      }
      return r
    default:
      return r  // family 0: connect's AF_UNSPEC (dissolve an association)
    }
  }

  /// IPPROTO_IPV6 options: an AF_INET6 socket's only (ENOPROTOOPT otherwise, as Linux).
  func setIPv6Option(_ name: Int32, _ value: Int64) throws(SocketError) {
    guard family == afInet6 else { throw .noProtocolOption }
    switch name {
    case ipv6V6Only:
      // only before the socket has a local port: Linux's rule; a raw
      // socket's "port" is its protocol, so never there
      guard kind != .raw, !bound, state == .idle else { throw .invalid }
      v6only = value != 0
      if let p = pcb { lsock_pcb_set_iptype(p, ipType) }
    case ipv6UnicastHops:
      guard value >= -1 && value <= 255 else { throw .invalid }
      hopLimit = Int32(value)
      applyHopLimit()
    default:
      throw .noProtocolOption
    }
  }

  func ipv6Option(_ name: Int32) throws(SocketError) -> Int64 {
    guard family == afInet6 else { throw .noProtocolOption }
    switch name {
    case ipv6V6Only: return v6only ? 1 : 0
    case ipv6UnicastHops:
      if hopLimit >= 0 { return Int64(hopLimit) }
      return Int64(defaultHopLimit)
    default: throw .noProtocolOption
    }
  }

  /// Whichever pcb the socket has, as the untyped pointer the shared IP_PCB
  /// calls take.
  var pcb: UnsafeMutableRawPointer? {
    if let p = tcp { return UnsafeMutableRawPointer(p) }
    if let p = udp { return UnsafeMutableRawPointer(p) }
    if let p = raw { return UnsafeMutableRawPointer(p) }
    return nil
  }

  /// Note the pcb's own hop limit (lwIP's default for its kind) when it is
  /// made; IPV6_UNICAST_HOPS -1 goes back to it.
  func pcbCreated() {
    if let p = pcb { defaultHopLimit = lsock_pcb_ttl(p) }
  }

  func applyHopLimit() {
    guard let p = pcb else { return }
    lsock_pcb_set_ttl(p, hopLimit >= 0 ? UInt8(hopLimit) : defaultHopLimit)
  }
}
