// MSG_PEEK, MSG_DONTWAIT, SO_SNDBUF / SO_RCVBUF, keepalive and readv / writev
// on datagram sockets against host lwIP. Part of the serialized SocketTests suite: there is one socket table
// and one lwIP.
import CShims
import Foundation
import SocketsHost
import Testing

@testable import Sockets

let ENOPROTOOPT: Int32 = -92
let MSG_PEEK: Int32 = 0x2
let MSG_DONTWAIT: Int32 = 0x40

func getopt(_ h: Handle, _ level: Int32, _ name: Int32) -> (Int32, Int64) {
  var v: Int64 = -1
  let r = sock_getopt(h, level, name, &v)
  return (r, v)
}

/// Send a datagram from u to here:port.
func sendto(_ u: Handle, _ bytes: [UInt8], port: UInt16) -> Int32 {
  bytes.withUnsafeBufferPointer {
    sock_send(u, UInt64(UInt(bitPattern: $0.baseAddress)), UInt32($0.count), 0, 1, here, port)
  }
}

/// Wait (up to a second) until socket h holds n unread datagrams.
func datagramsQueued(_ h: Handle, _ n: Int) -> Bool {
  for _ in 0..<100 {
    if (withNetLock { socket(h).dgramCount }) >= n { return true }
    usleep(10_000)
  }
  return false
}

extension SocketTests {
  @Test func peekLeavesTheStreamAndDontWaitDoesNotBlock() {
    let (c, s) = pair(port: 5101)
    #expect(recv(s, flags: MSG_DONTWAIT).0 == EAGAIN, "nothing yet: EAGAIN, not a wait")
    #expect(send(c, Array("hello world".utf8)) == 11)
    usleep(20_000)
    let first = recv(s, max: 5, flags: MSG_PEEK)
    #expect(first.0 == 5 && first.1 == Array("hello".utf8), "a short peek")
    let second = recv(s, flags: MSG_PEEK)
    #expect(second.0 == 11 && second.1 == Array("hello world".utf8), "peeking again sees it all")
    let read = recv(s)
    #expect(read.0 == 11 && read.1 == Array("hello world".utf8), "then read takes it")
    #expect(recv(s, flags: MSG_DONTWAIT | MSG_PEEK).0 == EAGAIN, "and it is gone")
    #expect(withNetLock { !socket(s).nonblocking }, "MSG_DONTWAIT left the socket blocking")
    sock_release(c)
    sock_release(s)
    #expect(settled())
  }

  @Test func peekLeavesTheDatagramAndItsSender() {
    let a = open(2)
    let b = open(2)
    #expect(sock_bind(a, here, 6101) == 0)
    #expect(sock_bind(b, here, 6102) == 0)
    #expect(recv(a, flags: MSG_DONTWAIT).0 == EAGAIN)
    #expect(sendto(b, [1, 2, 3, 4], port: 6101) == 4)
    #expect(sendto(b, [9], port: 6101) == 1)
    #expect(datagramsQueued(a, 2))
    for _ in 0..<2 {
      var buf = [UInt8](repeating: 0, count: 16)
      var from: UInt32 = 0
      var port: UInt16 = 0
      let n = buf.withUnsafeMutableBufferPointer {
        sock_recv(a, UInt64(UInt(bitPattern: $0.baseAddress)), 16, MSG_PEEK, &from, &port)
      }
      #expect(n == 4 && Array(buf[0..<4]) == [1, 2, 3, 4] && from == here && port == 6102)
    }
    #expect(recv(a).1 == [1, 2, 3, 4], "the peeked datagram is read once")
    #expect(recv(a).1 == [9], "then the next one")
    #expect(recv(a, flags: MSG_DONTWAIT).0 == EAGAIN)
    sock_release(a)
    sock_release(b)
    #expect(settled())
  }

  @Test func bufferSizesAreClampedAndReadBackAsInEffect() {
    let t = open()
    let u = open(2)
    let sndMax = Int64(lsock_tcp_sndbuf_max())
    #expect(getopt(t, 1, 7) == (0, sndMax), "SO_SNDBUF: lwIP's TCP_SND_BUF")
    #expect(getopt(t, 1, 8) == (0, Int64(lsock_tcp_window())), "SO_RCVBUF: the window")
    #expect(getopt(u, 1, 8) == (0, Int64(datagramRingBytes)))
    for (set, want) in [(Int64(8192), Int64(8192)), (1, 2048), (-5, 2048), (Int64.max, sndMax)] {
      #expect(sock_setopt(t, 1, 7, set) == 0)
      #expect(getopt(t, 1, 7) == (0, want), "SO_SNDBUF \(set)")
    }
    for (set, want) in [(Int64(4096), Int64(4096)), (0, 2048), (1 << 40, Int64(datagramRingBytes))] {
      #expect(sock_setopt(u, 1, 8, set) == 0)
      #expect(getopt(u, 1, 8) == (0, want), "SO_RCVBUF \(set)")
    }
    let rcvMin = Int64(lsock_tcp_rcvbuf_min())
    #expect(sock_setopt(t, 1, 8, rcvMin + 100) == 0 && getopt(t, 1, 8).1 == rcvMin + 100)
    #expect(sock_setopt(t, 1, 8, 4096) == 0 && getopt(t, 1, 8).1 == rcvMin, "TCP's minimum")
    #expect(sock_setopt(t, 1, 8, 1 << 30) == 0)
    #expect(getopt(t, 1, 8).1 == Int64(lsock_tcp_window()), "at most the window lwIP opens")
    sock_release(t)
    sock_release(u)
    #expect(settled())
  }

  @Test func sndbufBoundsWhatASenderQueues() {
    let (c, s) = pair(port: 5102)
    let limit: Int64 = 4096
    #expect(sock_setopt(c, 1, 7, limit) == 0)
    sock_setnonblock(c, 1)
    var queued = 0
    var stuck = 0
    while stuck < 20 && queued < 4 << 20 {
      let n = send(c, pattern(3000, from: queued))
      if n < 0 {
        #expect(n == EAGAIN)
        stuck += 1
        usleep(2000)
        continue
      }
      queued += Int(n)
      let unacked = withNetLock { lsock_tcp_unacked(socket(c).tcp!) }
      #expect(Int64(unacked) <= limit, "\(unacked) unacked")
    }
    // the receiver's window and SO_SNDBUF, not lwIP's whole send buffer
    #expect(queued > 0 && queued <= Int(lsock_tcp_window()) + Int(limit), "queued \(queued)")
    var got = [UInt8]()
    while got.count < queued { got += recv(s, max: 10_000).1 }
    #expect(got == pattern(queued), "nothing lost or reordered")
    sock_release(c)
    sock_release(s)
    #expect(settled())
  }

  @Test func rcvbufBoundsATCPWindowOnceTheReaderHasRead() {
    let (c, s) = pair(port: 5104)
    let limit = Int(lsock_tcp_rcvbuf_min())
    #expect(sock_setopt(s, 1, 8, Int64(limit)) == 0)
    sock_setnonblock(c, 1)
    var sent = 0
    var got = [UInt8]()
    /// Send until the window is shut (EAGAIN for a while); the bytes queued unread.
    func fill() -> Int {
      var stuck = 0
      while stuck < 30 {
        let n = send(c, pattern(2000, from: sent))
        if n > 0 {
          sent += Int(n)
          stuck = 0
        } else {
          stuck += 1
          usleep(2000)
        }
      }
      return Int(withNetLock { socket(s).receivedBytes })
    }
    let first = fill()
    #expect(first > limit, "at first the whole window lwIP opened: \(first)")
    // read two windows' worth: the held-back bytes add up as the reader reads
    while got.count < 2 * Int(lsock_tcp_window()) {
      let (n, b) = recv(s, max: 3000)
      if n <= 0 { break }
      got += b
      if got.count % 6000 < 3000 { _ = fill() }
    }
    while true {
      let (n, b) = recv(s, max: 65536, flags: MSG_DONTWAIT)
      if n <= 0 { break }
      got += b
    }
    let later = fill()
    #expect(later <= limit, "then at most SO_RCVBUF unread: \(later)")
    #expect(sock_setopt(s, 1, 8, 1 << 20) == 0)  // a larger buffer opens the window at once
    let more = fill()
    #expect(more > limit, "a larger SO_RCVBUF: \(more)")
    while got.count < sent {
      let (n, b) = recv(s, max: 65536)
      if n <= 0 { break }
      got += b
    }
    #expect(got == pattern(sent), "every byte, in order")
    sock_release(c)
    sock_release(s)
    #expect(settled())
  }

  @Test func rcvbufBoundsTheDatagramsKept() {
    let a = open(2)
    let b = open(2)
    #expect(sock_bind(a, here, 6103) == 0)
    #expect(sock_setopt(a, 1, 8, 2048) == 0)
    for i in 0..<10 { #expect(sendto(b, pattern(500, from: i), port: 6103) == 500) }
    usleep(50_000)
    let per = 500 + MemoryLayout<DatagramHeader>.size
    let (kept, drops) = withNetLock { (socket(a).dgramCount, socket(a).drops) }
    #expect(kept == 2048 / per && drops == UInt64(10 - kept), "kept \(kept), dropped \(drops)")
    #expect(recv(a).1 == pattern(500, from: 0))
    sock_release(a)
    sock_release(b)
    #expect(settled())
  }

  @Test func vectoredDatagramsAreOneDatagramPerCall() {
    let a = open(2)
    let b = open(2)
    #expect(sock_bind(a, here, 6104) == 0)
    #expect(sock_connect(b, here, 6104) == 0)
    let one: [UInt8] = [1, 2, 3]
    let two: [UInt8] = [4, 5, 6, 7, 8]
    var got = [UInt8](repeating: 0, count: 4)
    var rest = [UInt8](repeating: 0, count: 16)
    let sent = one.withUnsafeBufferPointer { p1 in
      two.withUnsafeBufferPointer { p2 in
        var v = [
          UserIOVec(base: UInt64(UInt(bitPattern: p1.baseAddress)), length: 3),
          UserIOVec(base: 0, length: 0),
          UserIOVec(base: UInt64(UInt(bitPattern: p2.baseAddress)), length: 5),
        ]
        return v.withUnsafeMutableBufferPointer {
          sock_datagram_iov(b, 1, UInt64(UInt(bitPattern: $0.baseAddress)), 3)
        }
      }
    }
    #expect(sent == 8)
    #expect(datagramsQueued(a, 1) && withNetLock { socket(a).dgramCount } == 1, "one datagram")
    let n = got.withUnsafeMutableBufferPointer { g in
      rest.withUnsafeMutableBufferPointer { r in
        var v = [
          UserIOVec(base: UInt64(UInt(bitPattern: g.baseAddress)), length: 4),
          UserIOVec(base: UInt64(UInt(bitPattern: r.baseAddress)), length: 16),
        ]
        return v.withUnsafeMutableBufferPointer {
          sock_datagram_iov(a, 0, UInt64(UInt(bitPattern: $0.baseAddress)), 2)
        }
      }
    }
    #expect(n == 8 && got == [1, 2, 3, 4] && Array(rest[0..<4]) == [5, 6, 7, 8], "scattered")
    let (c, s) = pair(port: 5105)
    #expect(sock_datagram_iov(c, 1, 0, 0) == -95, "streams: EOPNOTSUPP (sysiov.c's own path)")
    for h in [a, b, c, s] { sock_release(h) }
    #expect(settled())
  }

  @Test func keepaliveReachesLwIPAndAcceptedConnectionsInheritIt() {
    let l = listening(on: 5103)
    #expect(sock_setopt(l, 1, 9, 1) == 0)
    for (name, bad) in [(tcpKeepIdle, Int64(0)), (tcpKeepIdle, 32768), (tcpKeepInterval, -1),
      (tcpKeepCount, 128)]
    {
      #expect(sock_setopt(l, 6, name, bad) == EINVAL, "option \(name) = \(bad)")
    }
    #expect(sock_setopt(l, 6, tcpKeepIdle, 30) == 0)
    #expect(sock_setopt(l, 6, tcpKeepInterval, 5) == 0)
    #expect(sock_setopt(l, 6, tcpKeepCount, 3) == 0)
    #expect(getopt(l, 6, tcpKeepIdle) == (0, 30))
    let c = open()
    #expect(sock_connect(c, here, 5103) == 0)
    let (r, s, _, _) = accept(l)
    #expect(r == 0)
    #expect(getopt(s!, 1, 9) == (0, 1), "accepted: SO_KEEPALIVE inherited")
    var on: Int32 = 0
    var idle: UInt32 = 0
    var intvl: UInt32 = 0
    var count: UInt32 = 0
    withNetLock { sockets_host_keepalive(socket(s!).tcp!, &on, &idle, &intvl, &count) }
    #expect(on == 1 && idle == 30_000 && intvl == 5_000 && count == 3, "lwIP's pcb")
    #expect(getopt(c, 1, 9) == (0, 0), "the client did not ask for it")
    withNetLock { sockets_host_keepalive(socket(c).tcp!, &on, &idle, &intvl, &count) }
    #expect(on == 0)
    #expect(sock_setopt(c, 1, 9, 1) == 0)
    withNetLock { sockets_host_keepalive(socket(c).tcp!, &on, &idle, &intvl, &count) }
    #expect(on == 1 && idle == 7_200_000 && count == 9, "defaults: 7200 s, 9 probes")
    let u = open(2)
    #expect(sock_setopt(u, 6, tcpKeepIdle, 10) == ENOPROTOOPT)
    for h in [c, s!, l, u] { sock_release(h) }
    #expect(settled())
  }
}
