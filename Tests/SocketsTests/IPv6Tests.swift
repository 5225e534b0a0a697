// CShims.AF_INET6 sockets against host lwIP: TCP and UDP over fd00::1 (the host
// interface's address, looped back by lwIP), the dual stack (an CShims.AF_INET6
// listener on [::] accepting an IPv4 connection, whose peer is IPv4, shown to
// programs as ::ffff:a.b.c.d by sysnet.c), CShims.IPV6_V6ONLY, scopes, and raw
// ICMPv6 echo. Part of the serialized SocketTests suite.
import CShims
import Foundation
import SocketsHost
import Testing

@testable import Sockets

let ENODEV: Int32 = -19
let ENETUNREACH: Int32 = -101
let EAFNOSUPPORT: Int32 = -97

func open6(_ type: Int32 = 1) -> Handle {
  sockets_host_init()
  var h: Handle? = nil
  let r = sock_create(CShims.AF_INET6, type, 0, &h)
  precondition(r == 0 && h != nil, "sock_create: \(r)")
  return h!
}

func bind6(_ h: Handle, _ a: [UInt8], _ port: UInt16, scope: UInt32 = 0) -> Int32 {
  var sa = v6(a, port, scope: scope)
  return sock_bind(h, &sa)
}

func connect6(_ h: Handle, _ a: [UInt8], _ port: UInt16, scope: UInt32 = 0) -> Int32 {
  var sa = v6(a, port, scope: scope)
  return sock_connect(h, &sa)
}

func sendTo(_ h: Handle, _ b: [UInt8], _ to: lsock_addr) -> Int32 {
  var to = to
  return b.withUnsafeBufferPointer {
    sock_send(h, UInt64(UInt(bitPattern: $0.baseAddress)), UInt32($0.count), 0, &to)
  }
}

func recvFrom(_ h: Handle, max: Int = 2048) -> (Int32, [UInt8], lsock_addr) {
  var buf = [UInt8](repeating: 0, count: max)
  var from = lsock_addr()
  let r = buf.withUnsafeMutableBufferPointer {
    sock_recv(h, UInt64(UInt(bitPattern: $0.baseAddress)), UInt32(max), 0, &from)
  }
  return (r, r > 0 ? Array(buf[0..<Int(r)]) : [], from)
}

func name(_ h: Handle, peer: Bool) -> lsock_addr {
  var a = lsock_addr()
  let r = sock_getname(h, peer ? 1 : 0, &a)
  precondition(r == 0, "sock_getname: \(r)")
  return a
}

extension SocketTests {
  @Test func tcpOverIPv6SeesIPv6Addresses() {
    let l = open6()
    #expect(bind6(l, here6, 7001) == 0)
    #expect(sock_listen(l, 4) == 0)
    let c = open6()
    #expect(connect6(c, here6, 7001) == 0)
    var h: Handle? = nil
    var peer = lsock_addr()
    #expect(sock_accept(l, &h, &peer) == 0)
    #expect(Int32(peer.family) == CShims.AF_INET6 && bytes(peer) == here6)
    let s = h!
    #expect(name(c, peer: true).port == 7001 && bytes(name(c, peer: true)) == here6)
    #expect(name(c, peer: false).port == peer.port)
    #expect(Int32(name(s, peer: false).family) == CShims.AF_INET6)
    let data = pattern(3000)
    #expect(send(c, data) == 3000)
    var got: [UInt8] = []
    while got.count < 3000 {
      let (n, b) = recv(s)
      if n <= 0 { break }
      got += b
    }
    #expect(got == data)
    var info = CShims.sock_info()
    #expect(withNetLock { sockets.slots.firstIndex { $0 === socket(s) } }.map {
      sock_info(Int32($0), &info) } == 1)
    #expect(info.family == CShims.AF_INET6 && info.local.port == 7001)
    for x in [c, s, l] { sock_release(x) }
    #expect(settled())
  }

  @Test func dualStackListenerAcceptsIPv4AsIPv4() {
    let l = open6()
    #expect(bind6(l, any6, 7002) == 0)
    #expect(Int32(name(l, peer: false).family) == 0, "[::] is lwIP's IP_ANY_TYPE")
    #expect(sock_listen(l, 4) == 0)
    let c = open()
    #expect(sock_connect(c, here, 7002) == 0)
    var h: Handle? = nil
    var peer = lsock_addr()
    #expect(sock_accept(l, &h, &peer) == 0)
    // sysnet.c shows this as ::ffff:10.0.0.1 to an CShims.AF_INET6 socket
    #expect(Int32(peer.family) == CShims.AF_INET && ipv4(peer) == here)
    #expect(sock_family(h!) == CShims.AF_INET6)
    #expect(Int32(name(h!, peer: false).family) == CShims.AF_INET)
    // and IPv6 too, on the same listener
    let c6 = open6()
    #expect(connect6(c6, here6, 7002) == 0)
    var h6: Handle? = nil
    #expect(sock_accept(l, &h6, &peer) == 0 && Int32(peer.family) == CShims.AF_INET6)
    for x in [c, h!, c6, h6!, l] { sock_release(x) }
    #expect(settled())
  }

  @Test func v6onlyListenerRefusesIPv4() {
    let l = open6()
    var v: Int64 = 9
    #expect(sock_getopt(l, CShims.IPPROTO_IPV6, CShims.IPV6_V6ONLY, &v) == 0 && v == 0)
    #expect(sock_setopt(l, CShims.IPPROTO_IPV6, CShims.IPV6_V6ONLY, 1) == 0)
    #expect(sock_getopt(l, CShims.IPPROTO_IPV6, CShims.IPV6_V6ONLY, &v) == 0 && v == 1)
    #expect(bind6(l, any6, 7003) == 0)
    #expect(sock_setopt(l, CShims.IPPROTO_IPV6, CShims.IPV6_V6ONLY, 0) == EINVAL, "only before bind")
    #expect(sock_listen(l, 4) == 0)
    let c = open()
    #expect(sock_connect(c, here, 7003) == ECONNREFUSED)
    // a mapped address on a V6ONLY socket: Linux's errors
    let u = open6(2)
    #expect(sock_setopt(u, CShims.IPPROTO_IPV6, CShims.IPV6_V6ONLY, 1) == 0)
    #expect(sendTo(u, [1], v4(here, 7003)) == ENETUNREACH)
    var m = v4(here, 7004)
    #expect(sock_bind(u, &m) == EINVAL)
    // IPPROTO_IPV6 options on an AF_INET socket: ENOPROTOOPT
    #expect(sock_setopt(c, CShims.IPPROTO_IPV6, CShims.IPV6_V6ONLY, 1) == ENOPROTOOPT)
    for x in [c, u, l] { sock_release(x) }
    #expect(settled())
  }

  @Test func udpOverIPv6AndToAMappedAddress() {
    let a = open6(2)
    let b = open6(2)
    #expect(bind6(a, any6, 7010) == 0)
    #expect(sock_setopt(a, 1, 20, 2000) == 0)  // SO_RCVTIMEO: a lost datagram fails, not hangs
    #expect(bind6(b, here6, 7011) == 0)
    #expect(sendTo(b, [1, 2, 3], v6(here6, 7010)) == 3)
    let (n, got, from) = recvFrom(a)
    #expect(n == 3 && got == [1, 2, 3])
    #expect(Int32(from.family) == CShims.AF_INET6 && bytes(from) == here6 && from.port == 7011)
    // IPv4 through the dual-stack socket a, from an unbound dual-stack socket
    let c = open6(2)
    #expect(sendTo(c, [4], v4(here, 7010)) == 1)
    let (n4, _, from4) = recvFrom(a)
    #expect(n4 == 1 && Int32(from4.family) == CShims.AF_INET && ipv4(from4) == here)
    // hop limit: the pcb's TTL
    #expect(sock_setopt(a, CShims.IPPROTO_IPV6, CShims.IPV6_UNICAST_HOPS, 7) == 0)
    var v: Int64 = 0
    #expect(sock_getopt(a, CShims.IPPROTO_IPV6, CShims.IPV6_UNICAST_HOPS, &v) == 0 && v == 7)
    #expect(sock_setopt(a, CShims.IPPROTO_IPV6, CShims.IPV6_UNICAST_HOPS, 256) == EINVAL)
    #expect(sock_setopt(a, CShims.IPPROTO_IPV6, CShims.IPV6_UNICAST_HOPS, -1) == 0)
    #expect(sock_getopt(a, CShims.IPPROTO_IPV6, CShims.IPV6_UNICAST_HOPS, &v) == 0 && v > 0 && v <= 255)
    for x in [a, b, c] { sock_release(x) }
    #expect(settled())
  }

  @Test func linkLocalNeedsAnExistingScope() {
    let u = open6(2)
    let ifindex = sockets_host_if_index()
    #expect(sendTo(u, [1], v6(linkLocal6, 7020)) == EINVAL, "no scope")
    #expect(sendTo(u, [1], v6(linkLocal6, 7020, scope: 200)) == ENODEV)
    #expect(bind6(u, linkLocal6, 7021, scope: 200) == ENODEV)
    #expect(bind6(u, linkLocal6, 7021, scope: ifindex) == 0)
    let w = open6(2)
    #expect(sendTo(w, [9], v6(linkLocal6, 7021, scope: ifindex)) == 1)
    let (n, _, from) = recvFrom(u)
    #expect(n == 1 && bytes(from) == linkLocal6 && from.scope == ifindex)
    // a scope on a global address is ignored, as Linux does
    #expect(sendTo(w, [8], v6(here6, 7021, scope: 200)) == 1)
    for x in [u, w] { sock_release(x) }
    #expect(settled())
  }

  @Test func familiesAndProtocolsAreChecked() {
    sockets_host_init()
    var h: Handle? = nil
    #expect(sock_create(1, 1, 0, &h) == EAFNOSUPPORT)  // AF_UNIX
    #expect(sock_create_raw(CShims.AF_INET6, CShims.IPPROTO_ICMP, 0, &h) == EPROTONOSUPPORT)
    #expect(sock_create_raw(CShims.AF_INET, CShims.IPPROTO_ICMPV6, 0, &h) == EPROTONOSUPPORT)
    #expect(withNetLock { sockets.inUse } == 0)
  }

  @Test func rawICMPv6EchoComesBackWithoutTheIPv6Header() {
    sockets_host_init()
    var h: Handle? = nil
    #expect(sock_create_raw(CShims.AF_INET6, CShims.IPPROTO_ICMPV6, 0, &h) == 0)
    let s = h!
    #expect(sock_setopt(s, 1, 20, 2000) == 0)  // SO_RCVTIMEO
    #expect(sendTo(s, [128, 0], v6(here6, 0)) == EINVAL, "no room for the checksum")
    // echo request, checksum left for the kernel (garbage in the field)
    let payload = pattern(40)
    let req: [UInt8] = [128, 0, 0xde, 0xad, 0x12, 0x34, 0, 5] + payload
    #expect(sendTo(s, req, v6(here6, 0)) == Int32(req.count))
    var reply: [UInt8]? = nil
    for _ in 0..<4 where reply == nil {
      let (n, m, from) = recvFrom(s)
      guard n > 0 else { break }
      #expect(Int32(from.family) == CShims.AF_INET6 && bytes(from) == here6)
      if m[0] == 129 { reply = m }
    }
    guard let r = reply else {
      Issue.record("no echo reply")
      sock_release(s)
      return
    }
    #expect(r[4] == 0x12 && r[5] == 0x34 && r[6] == 0 && r[7] == 5)
    #expect(Array(r[8...]) == payload)
    sock_release(s)
    #expect(settled())
  }
}
