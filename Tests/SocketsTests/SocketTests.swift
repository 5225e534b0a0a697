// The socket layer against real lwIP on the host (Debian's liblwip, loopback on
// 10.0.0.1: see Tests/SocketsHost). Calls go through the same C entry points
// Kernel/sysnet.c and Kernel/sockfile.c use (Exports.swift); "user memory" is
// the test's own.
// Serialized: there is one socket table and one lwIP.
import CShims
import Foundation
import SocketsHost
import Testing

@testable import Sockets

let here = SOCKETS_HOST_ADDR
let EAGAIN: Int32 = -11
let EINTR: Int32 = -4
let EINVAL: Int32 = -22
let ENFILE: Int32 = -23
let EPIPE: Int32 = -32
let EPROTOTYPE: Int32 = -91
let EADDRINUSE: Int32 = -98
let ECONNRESET: Int32 = -104
let EISCONN: Int32 = -106
let ENOTCONN: Int32 = -107
let ETIMEDOUT: Int32 = -110
let ECONNREFUSED: Int32 = -111
let EINPROGRESS: Int32 = -115
let EDESTADDRREQ: Int32 = -89

// ---- helpers --------------------------------------------------------------------

func open(_ type: Int32 = 1, nonblocking: Bool = false) -> Handle {
  sockets_host_init()
  var h: Handle? = nil
  let r = sock_create(type, nonblocking ? 1 : 0, &h)
  precondition(r == 0 && h != nil, "sock_create: \(r)")
  return h!
}

func listening(on port: UInt16, backlog: Int32 = 8) -> Handle {
  let l = open()
  _ = sock_setopt(l, 1, 2, 1)  // SO_REUSEADDR
  precondition(sock_bind(l, here, port) == 0)
  precondition(sock_listen(l, backlog) == 0)
  return l
}

func accept(_ l: Handle) -> (Int32, Handle?, UInt32, UInt16) {
  var h: Handle? = nil
  var a: UInt32 = 0
  var p: UInt16 = 0
  let r = sock_accept(l, &h, &a, &p)
  return (r, h, a, p)
}

/// A connected pair: (client, server side).
func pair(port: UInt16) -> (Handle, Handle) {
  let l = listening(on: port)
  let c = open()
  precondition(sock_connect(c, here, port) == 0)
  let (r, s, _, _) = accept(l)
  precondition(r == 0)
  sock_release(l)
  return (c, s!)
}

func send(_ h: Handle, _ bytes: [UInt8], flags: Int32 = 0) -> Int32 {
  bytes.withUnsafeBufferPointer {
    sock_send(h, UInt64(UInt(bitPattern: $0.baseAddress)), UInt32($0.count), flags, 0, 0, 0)
  }
}

func recv(_ h: Handle, max: Int = 65536, flags: Int32 = 0) -> (Int32, [UInt8]) {
  var buf = [UInt8](repeating: 0, count: max)
  let r = buf.withUnsafeMutableBufferPointer {
    sock_recv(h, UInt64(UInt(bitPattern: $0.baseAddress)), UInt32(max), flags, nil, nil)
  }
  return (r, r > 0 ? Array(buf[0..<Int(r)]) : [])
}

func pattern(_ n: Int, from start: Int = 0) -> [UInt8] {
  (start..<start + n).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ ($0 >> 8) &* 13) }
}

func fnv(_ bytes: [UInt8], _ h0: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
  var h = h0
  for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
  return h
}

func ms(_ body: () -> Void) -> UInt64 {
  let t0 = lsock_now_ms()
  body()
  return lsock_now_ms() - t0
}

/// Wait until lwIP has let go of every socket (closes finish asynchronously).
func settled() -> Bool {
  for _ in 0..<200 {
    if (withNetLock { sockets.inUse }) == 0 { return true }
    usleep(10_000)
  }
  return false
}

// ---- tests ----------------------------------------------------------------------

@Suite(.serialized) struct SocketTests {
  @Test func connectAndAcceptSeeEachOthersAddresses() {
    let l = listening(on: 5001)
    let c = open()
    #expect(sock_connect(c, here, 5001) == 0)
    let (r, s, addr, port) = accept(l)
    #expect(r == 0 && addr == here)
    var a: UInt32 = 0
    var p: UInt16 = 0
    #expect(sock_getname(c, 0, &a, &p) == 0 && p == port, "accept saw the client's port")
    #expect(sock_getname(c, 1, &a, &p) == 0 && a == here && p == 5001)
    #expect(sock_getname(s!, 0, &a, &p) == 0 && p == 5001)
    #expect(sock_connect(c, here, 5001) == EISCONN)
    for h in [c, s!, l] { sock_release(h) }
    #expect(settled())
  }

  @Test func oneMebibyteArrivesIntactAndCloseGivesEOF() {
    let (c, s) = pair(port: 5002)
    let total = 1 << 20
    let sent = pattern(total)
    let writer = DispatchGroup()
    let client = UInt(bitPattern: c)  // a plain number crosses threads
    writer.enter()
    DispatchQueue.global().async {
      let c = Handle(bitPattern: client)!
      var off = 0
      while off < total {
        let n = send(c, Array(sent[off..<min(total, off + 50_000)]))
        if n <= 0 { break }
        off += Int(n)
      }
      sock_release(c)  // orderly close: FIN after the data
      writer.leave()
    }
    var got = [UInt8]()
    got.reserveCapacity(total)
    while true {
      let (n, bytes) = recv(s, max: 7000)
      if n <= 0 {
        #expect(n == 0, "EOF, not an error")
        break
      }
      got += bytes
    }
    writer.wait()
    #expect(got.count == total)
    #expect(fnv(got) == fnv(sent))
    sock_release(s)
    #expect(settled())
  }

  @Test func closingAListenerResetsConnectionsNobodyAccepted() {
    let l = listening(on: 5003)
    let c = open()
    #expect(sock_connect(c, here, 5003) == 0)
    usleep(20_000)  // the connection reaches the accept queue
    sock_release(l)
    let (n, _) = recv(c)
    #expect(n == ECONNRESET)
    #expect(send(c, [1, 2, 3]) == EPIPE)
    sock_release(c)
    #expect(settled())
  }

  @Test func connectingToAClosedPortIsRefused() {
    let c = open()
    #expect(sock_connect(c, here, 5999) == ECONNREFUSED)
    sock_release(c)
    #expect(settled())
  }

  @Test func connectTimesOutAfterSndTimeo() {
    let c = open()
    #expect(sock_setopt(c, 1, 21, 300) == 0)  // SO_SNDTIMEO 300 ms
    var r: Int32 = 0
    let t = ms { r = sock_connect(c, SOCKETS_HOST_SILENT, 80) }
    #expect(r == ETIMEDOUT)
    #expect(t >= 300 && t < 2000, "took \(t) ms")
    sock_release(c)
    #expect(settled())
  }

  @Test func receiveTimesOutAfterRcvTimeo() {
    let (c, s) = pair(port: 5004)
    #expect(sock_setopt(s, 1, 20, 200) == 0)  // SO_RCVTIMEO 200 ms
    var r: Int32 = 0
    let t = ms { r = recv(s).0 }
    #expect(r == EAGAIN)
    #expect(t >= 200 && t < 2000, "took \(t) ms")
    var v: Int64 = 0
    #expect(sock_getopt(s, 1, 20, &v) == 0 && v == 200)
    sock_release(c)
    sock_release(s)
    #expect(settled())
  }

  @Test func timeoutsOfAnySizeAreAccepted() {
    let (c, s) = pair(port: 5006)
    var v: Int64 = -5
    // negative: do not wait at all (reported as 0, as on Linux)
    #expect(sock_setopt(s, 1, 20, -1) == 0)
    var r: Int32 = 0
    let t = ms { r = recv(s).0 }
    #expect(r == EAGAIN)
    #expect(t < 1000, "took \(t) ms")
    #expect(sock_getopt(s, 1, 20, &v) == 0 && v == 0)
    // huge: clamped, never overflowing the deadline (the sleep ends with the peer's data)
    #expect(sock_setopt(s, 1, 20, Int64.max) == 0)
    #expect(sock_getopt(s, 1, 20, &v) == 0 && v > 0 && v <= 1 << 52)
    #expect(send(c, pattern(10, from: 0)) == 10)
    #expect(recv(s).0 == 10)
    sock_release(c)
    sock_release(s)
    #expect(settled())
  }

  @Test func tinySegmentsToAPausedReaderAreCopiedOutOfThePool() {
    let (c, s) = pair(port: 5007)
    #expect(sock_setopt(c, 6, 1, 1) == 0)  // TCP_NODELAY: one segment per send
    let total = 2000
    for i in 0..<total { #expect(send(c, pattern(1, from: i)) == 1) }
    // wait until everything arrived, unread
    var info = CShims.sock_info()
    let slot = Int32(socket(s).id) - 1
    for _ in 0..<300 {
      _ = sock_info(slot, &info)
      if info.rx_queued == UInt32(total) { break }
      usleep(10_000)
    }
    #expect(info.rx_queued == UInt32(total))
    // a few pbufs kept, the rest copied into the socket's ring
    #expect(info.rx_pool_pbufs <= UInt32(smallQueued), "\(info.rx_pool_pbufs) pbufs kept")
    #expect(info.rx_ring_bytes >= UInt32(total - smallQueued))
    var got = [UInt8]()
    while got.count < total {
      let (n, bytes) = recv(s, max: 777)
      if n <= 0 { break }
      got += bytes
    }
    #expect(got == pattern(total), "the stream arrived whole and in order")
    _ = sock_info(slot, &info)
    #expect(info.rx_pool_pbufs == 0 && info.rx_ring_bytes == 0)
    sock_release(c)
    sock_release(s)
    #expect(settled())
    #expect(withNetLock { socketPoolPbufs } == 0, "every kept pbuf accounted for")
  }

  @Test func aSlowReaderStopsTheSender() {
    let (c, s) = pair(port: 5005)
    sock_setnonblock(c, 1)
    var queued = 0
    while true {
      let n = send(c, pattern(8192, from: queued))
      if n < 0 {
        #expect(n == EAGAIN)
        break
      }
      queued += Int(n)
      usleep(1000)  // let lwIP move it to the receiver
      if queued > 4 << 20 { break }
    }
    // the receiver's window plus the sender's buffer, not more (64 KiB each here)
    #expect(queued > 0 && queued <= 2 * 0xFFFF + 8192, "sender queued \(queued)")
    let inKernel = withNetLock { socket(s).rx.map { Int(lsock_pbuf_len($0)) } ?? 0 }
    #expect(inKernel <= 0xFFFF, "receive queue holds \(inKernel)")
    // reading reopens the window: the sender can go on, and nothing was lost
    var got = [UInt8]()
    while got.count < 40_000 { got += recv(s, max: 10_000).1 }
    usleep(50_000)
    #expect(send(c, pattern(1000, from: queued)) > 0)
    #expect(got == pattern(got.count))
    sock_release(c)
    sock_release(s)
    #expect(settled())
  }

  @Test func nonBlockingCallsReturnEAGAINAndEINPROGRESS() {
    let l = listening(on: 5006)
    sock_setnonblock(l, 1)
    #expect(accept(l).0 == EAGAIN)
    let c = open(nonblocking: true)
    #expect(sock_connect(c, here, 5006) == EINPROGRESS)
    var r = EINPROGRESS
    for _ in 0..<100 where r != EISCONN {
      usleep(5000)
      r = sock_connect(c, here, 5006)
    }
    #expect(r == EISCONN, "connected in the background")
    #expect(recv(c).0 == EAGAIN)
    let (ar, s, _, _) = accept(l)
    #expect(ar == 0)
    for h in [c, s!, l] { sock_release(h) }
    #expect(settled())
  }

  @Test func killedProcessStopsWaiting() {
    let l = listening(on: 5007)
    sockets_host_set_killed(1)
    #expect(accept(l).0 == EINTR)
    sockets_host_set_killed(0)
    sock_release(l)
    #expect(settled())
  }

  @Test func badRequestsGetErrors() {
    var h: Handle? = nil
    sockets_host_init()
    #expect(sock_create(7, 0, &h) == EPROTOTYPE)
    let a = listening(on: 5008)
    let b = open()
    #expect(sock_bind(b, here, 5008) == EADDRINUSE)
    #expect(send(b, [1]) == ENOTCONN)
    #expect(recv(a).0 == ENOTCONN)
    #expect(sock_shutdown(b, 7) == EINVAL)
    let u = open(2)
    #expect(send(u, [1]) == EDESTADDRREQ)
    for s in [a, b, u] { sock_release(s) }
    #expect(settled())
  }

  @Test func theTableHasRoomFor128AndSaysWhenFull() {
    var all = [Handle]()
    var h: Handle? = nil
    var r: Int32 = 0
    repeat {
      r = sock_create(2, 0, &h)
      if r == 0 { all.append(h!) }
    } while r == 0 && all.count < 200
    #expect(r == ENFILE)
    #expect(all.count == maxSockets)
    all.forEach(sock_release)
    #expect(settled())
  }

  @Test func datagramsKeepTheirSenderAndFullQueuesDrop() {
    let a = open(2)
    let b = open(2)
    #expect(sock_bind(a, here, 6001) == 0)
    #expect(sock_bind(b, here, 6002) == 0)
    for i in 0..<40 {
      let d: [UInt8] = [UInt8(i), 1, 2]
      let r = d.withUnsafeBufferPointer {
        sock_send(b, UInt64(UInt(bitPattern: $0.baseAddress)), 3, 0, 1, here, 6001)
      }
      #expect(r == 3)
    }
    usleep(50_000)
    var buf = [UInt8](repeating: 0, count: 16)
    var from: UInt32 = 0
    var port: UInt16 = 0
    let n = buf.withUnsafeMutableBufferPointer {
      sock_recv(a, UInt64(UInt(bitPattern: $0.baseAddress)), 16, 0, &from, &port)
    }
    #expect(n == 3 && buf[0] == 0 && from == here && port == 6002)
    let (drops, queued) = withNetLock { (socket(a).drops, socket(a).dgramCount) }
    #expect(queued == udpQueueLimit - 1 && drops == UInt64(40 - udpQueueLimit))
    sock_release(a)
    sock_release(b)
    #expect(settled())
  }
}
