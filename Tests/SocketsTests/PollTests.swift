// poll's view of sockets (sock_poll, Sources/Sockets/Poll.swift): over real
// lwIP on the host for the events a peer causes, and on bare Socket objects
// for the rules that are pure state. Part of SocketTests, so it runs serialized
// with the other tests of the one socket table.
import CShims
import Foundation
import SocketsHost
import Testing

@testable import Sockets

let POLLIN: Int32 = 0x001 | 0x040  // with POLLRDNORM, as the kernel reports it
let POLLOUT: Int32 = 0x004 | 0x100  // with POLLWRNORM
let POLLERR: Int32 = 0x008
let POLLHUP: Int32 = 0x010
let POLLNVAL: Int32 = 0x020

/// The socket's events once `until` holds of them (lwIP runs on its own
/// thread), or what they are after a second.
func events(_ h: Handle, until done: (Int32) -> Bool = { _ in true }) -> Int32 {
  var e = sock_poll(h)
  for _ in 0..<100 where !done(e) {
    usleep(10_000)
    e = sock_poll(h)
  }
  return e
}

extension SocketTests {
  @Test func pollListenerIsReadableWhileAConnectionWaits() {
    let l = listening(on: 5201)
    #expect(sock_poll(l) == 0)
    let c = open()
    #expect(sock_connect(c, here, 5201) == 0)
    #expect(events(l) { $0 != 0 } == POLLIN)
    let (r, s, _, _) = accept(l)
    #expect(r == 0)
    #expect(sock_poll(l) == 0, "nothing left to accept")
    for h in [c, s!, l] { sock_release(h) }
    #expect(settled())
  }

  @Test func pollConnectedStreamDataFinAndShutdown() {
    let (c, s) = pair(port: 5202)
    #expect(events(c) == POLLOUT, "connected, nothing to read")
    #expect(send(s, [1, 2, 3]) == 3)
    #expect(events(c) { $0 & POLLIN != 0 } == POLLIN | POLLOUT)
    #expect(recv(c).0 == 3)
    #expect(sock_poll(c) == POLLOUT, "drained")
    sock_release(s)  // FIN: readable (read returns 0), not hung up
    #expect(events(c) { $0 & POLLIN != 0 } == POLLIN | POLLOUT)
    #expect(recv(c).0 == 0)
    #expect(sock_shutdown(c, 1) == 0)  // both directions done now
    #expect(sock_poll(c) & (POLLIN | POLLOUT | POLLHUP) == POLLIN | POLLOUT | POLLHUP)
    sock_release(c)
    #expect(settled())
  }

  @Test func pollFullSendBufferIsNotWritableUntilThePeerReads() {
    let (c, s) = pair(port: 5205)
    sock_setnonblock(c, 1)
    var queued = 0
    while queued < 4 << 20 {
      let n = send(c, pattern(8192, from: queued))
      if n < 0 { break }
      queued += Int(n)
      usleep(1000)
    }
    #expect(events(c) { $0 & POLLOUT == 0 } & POLLOUT == 0, "full after \(queued) bytes")
    var got = 0
    while got < 40_000 { got += Int(recv(s, max: 10_000).0) }
    #expect(events(c) { $0 & POLLOUT != 0 } & POLLOUT != 0, "acks made room")
    sock_release(c)
    sock_release(s)
    #expect(settled())
  }

  @Test func pollNonBlockingConnectShowsPollOutWhenDone() {
    let l = listening(on: 5203)
    let c = open(nonblocking: true)
    #expect(sock_connect(c, here, 5203) == EINPROGRESS)
    let e = events(c) { $0 & POLLOUT != 0 }
    #expect(e == POLLOUT, "connected: \(e)")
    var err: Int64 = -1
    #expect(sock_getopt(c, 1, 4, &err) == 0 && err == 0)  // SO_ERROR
    let (r, s, _, _) = accept(l)
    #expect(r == 0)
    for h in [c, s!, l] { sock_release(h) }
    #expect(settled())
  }

  @Test func pollRefusedConnectShowsErrorAndHangUp() {
    let c = open(nonblocking: true)
    #expect(sock_connect(c, here, 5999) == EINPROGRESS)
    let e = events(c) { $0 & POLLERR != 0 }
    #expect(e == POLLIN | POLLOUT | POLLERR | POLLHUP, "refused: \(e)")
    var err: Int64 = 0
    #expect(sock_getopt(c, 1, 4, &err) == 0 && err == -Int64(ECONNREFUSED), "SO_ERROR is positive")
    #expect(sock_poll(c) == POLLIN | POLLOUT | POLLHUP, "the error is reported once")
    sock_release(c)
    #expect(settled())
  }

  @Test func pollResetConnectionShowsErrorAndHangUp() {
    let l = listening(on: 5204)
    let c = open()
    #expect(sock_connect(c, here, 5204) == 0)
    usleep(20_000)  // the connection reaches the accept queue
    sock_release(l)  // resets what nobody accepted
    let e = events(c) { $0 & POLLERR != 0 }
    #expect(e == POLLIN | POLLOUT | POLLERR | POLLHUP, "reset: \(e)")
    #expect(recv(c).0 == ECONNRESET)
    sock_release(c)
    #expect(settled())
  }

  @Test func pollDatagramSocketIsReadableWithADatagram() {
    let a = open(2)
    let b = open(2)
    #expect(sock_bind(a, here, 6101) == 0)
    #expect(sock_poll(a) == POLLOUT)
    let d: [UInt8] = [7, 8, 9]
    let r = d.withUnsafeBufferPointer {
      sock_send(b, UInt64(UInt(bitPattern: $0.baseAddress)), 3, 0, 1, here, 6101)
    }
    #expect(r == 3)
    #expect(events(a) { $0 & POLLIN != 0 } == POLLIN | POLLOUT)
    #expect(recv(a).0 == 3)
    #expect(sock_poll(a) == POLLOUT)
    sock_release(a)
    sock_release(b)
    #expect(settled())
  }

  @Test func pollRulesOnBareSockets() {
    let s = Socket(id: 9999)
    #expect(s.pollEvents.rawValue == POLLNVAL, "a free slot")
    s.kind = .tcp
    #expect(s.pollEvents.rawValue == POLLOUT | POLLHUP, "never connected (Linux: TCP_CLOSE)")
    s.state = .connecting
    #expect(s.pollEvents.rawValue == 0)
    s.pendingError = .connectionRefused
    #expect(s.pollEvents.rawValue == POLLERR)
    s.state = .listening
    s.pendingError = nil
    #expect(s.pollEvents.rawValue == 0)
    s.state = .connected  // the pcb is gone: reset, or both sides closed
    #expect(s.pollEvents.rawValue == POLLIN | POLLOUT | POLLHUP)
    s.kind = .udp
    s.state = .idle
    #expect(s.pollEvents.rawValue == POLLOUT)
    s.dgramCount = 1
    #expect(s.pollEvents.rawValue == POLLIN | POLLOUT)
    s.dgramCount = 0
    s.readShut = true
    s.writeShut = true
    #expect(s.pollEvents.rawValue == POLLIN | POLLOUT | POLLHUP)
    s.kind = .raw
    s.pendingError = .hostUnreachable
    #expect(s.pollEvents.rawValue == POLLIN | POLLOUT | POLLHUP | POLLERR)
  }
}
