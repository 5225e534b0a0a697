// Addresses for the host tests: struct lsock_addr from an IPv4 address (a
// UInt32 in network order, as SOCKETS_HOST_ADDR) or IPv6 bytes, and IPv4
// shorthands of the C entry points (address and port apart, family AF_INET),
// which the IPv4 tests were written against.
import CShims
import SocketsHost

@testable import Sockets

func v4(_ addr: UInt32, _ port: UInt16) -> lsock_addr {
  var a = lsock_addr()
  a.family = UInt16(AF_INET)
  a.port = port
  withUnsafeMutableBytes(of: &a.addr) { b in
    withUnsafeBytes(of: addr) { b.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: 4) }
  }
  return a
}

func v6(_ bytes: [UInt8], _ port: UInt16, scope: UInt32 = 0) -> lsock_addr {
  var a = lsock_addr()
  a.family = UInt16(AF_INET6)
  a.port = port
  a.scope = scope
  withUnsafeMutableBytes(of: &a.addr) { b in
    for i in 0..<16 { b[i] = bytes[i] }
  }
  return a
}

/// fd00::1, fe80::1 (the host interface's), :: and fd00::2 (nobody).
let here6: [UInt8] = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
let linkLocal6: [UInt8] = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
let any6 = [UInt8](repeating: 0, count: 16)

func bytes(_ a: lsock_addr) -> [UInt8] {
  withUnsafeBytes(of: a.addr) { Array($0) }
}

func ipv4(_ a: lsock_addr) -> UInt32 {
  withUnsafeBytes(of: a.addr) { $0.load(as: UInt32.self) }
}

func sock_create(_ type: Int32, _ nonblock: Int32, _ out: UnsafeMutablePointer<Handle?>) -> Int32 {
  sock_create(AF_INET, type, nonblock, out)
}

func sock_create_raw(_ proto: Int32, _ nonblock: Int32, _ out: UnsafeMutablePointer<Handle?>)
  -> Int32
{
  sock_create_raw(AF_INET, proto, nonblock, out)
}

func sock_bind(_ h: Handle, _ addr: UInt32, _ port: UInt16) -> Int32 {
  var a = v4(addr, port)
  return sock_bind(h, &a)
}

func sock_connect(_ h: Handle, _ addr: UInt32, _ port: UInt16) -> Int32 {
  var a = v4(addr, port)
  return sock_connect(h, &a)
}

func sock_send(
  _ h: Handle, _ src: UInt64, _ len: UInt32, _ flags: Int32, _ hasAddr: Int32, _ addr: UInt32,
  _ port: UInt16
) -> Int32 {
  var a = v4(addr, port)
  return hasAddr != 0 ? sock_send(h, src, len, flags, &a) : sock_send(h, src, len, flags, nil)
}

func sock_recv(
  _ h: Handle, _ dst: UInt64, _ len: UInt32, _ flags: Int32,
  _ addr: UnsafeMutablePointer<UInt32>?, _ port: UnsafeMutablePointer<UInt16>?
) -> Int32 {
  var from = lsock_addr()
  let r = sock_recv(h, dst, len, flags, &from)
  addr?.pointee = ipv4(from)
  port?.pointee = from.port
  return r
}

func sock_getname(
  _ h: Handle, _ peer: Int32, _ addr: UnsafeMutablePointer<UInt32>,
  _ port: UnsafeMutablePointer<UInt16>
) -> Int32 {
  var a = lsock_addr()
  let r = sock_getname(h, peer, &a)
  addr.pointee = ipv4(a)
  port.pointee = a.port
  return r
}

func sock_accept(
  _ h: Handle, _ out: UnsafeMutablePointer<Handle?>, _ addr: UnsafeMutablePointer<UInt32>,
  _ port: UnsafeMutablePointer<UInt16>
) -> Int32 {
  var a = lsock_addr()
  let r = sock_accept(h, out, &a)
  addr.pointee = ipv4(a)
  port.pointee = a.port
  return r
}
