// Buffer sizes (SO_SNDBUF, SO_RCVBUF) and keepalive (SO_KEEPALIVE,
// TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT). Network lock held throughout.
//
// What the buffer sizes change. Values are bytes, set and read back as they
// are in effect (Linux doubles what it is given; this kernel does not).
//   SO_SNDBUF, TCP: the most bytes written and not yet acknowledged; a send
//     waits (or EAGAIN) beyond it. At most lwIP's TCP_SND_BUF, the default.
//   SO_RCVBUF, UDP and raw: the bytes of unread datagrams (each with its
//     DatagramHeader) the socket keeps; more are dropped, and counted. At most
//     its ring (datagramRingBytes), the default.
//   SO_RCVBUF, TCP: the window: unread bytes plus what the peer may still
//     send. lwIP opens every connection with TCP_WND (the maximum, and the
//     default); a smaller size is reached by not giving the first
//     TCP_WND - SO_RCVBUF bytes the program reads back to the window (a
//     window is never shrunk: RFC 9293 3.8.6), so it binds once the program
//     has read that many. A larger size later gives them back at once. At
//     least lsock_tcp_rcvbuf_min() (11,680 bytes here), so that reading what
//     is queued always reopens the window at once.
//   SO_SNDBUF, UDP and raw: nothing. A datagram leaves during its send call:
//     it reads back as the largest datagram.
// A size out of range, negative included, is clamped to [the minimum (TCP's
// SO_RCVBUF: above; else minBufferBytes), the maximum], as Linux clamps. Keepalive timing is in seconds, and out of range
// is EINVAL (Linux's ranges); accepted connections inherit all of these from
// their listener, as on Linux.
import CShims

/// The smallest buffer a program may ask for (Linux's is about 2 KiB too).
let minBufferBytes = 2048
let tcpKeepIdle = TCP_KEEPIDLE
let tcpKeepInterval = TCP_KEEPINTVL
let tcpKeepCount = TCP_KEEPCNT
/// Linux's limits: MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL (seconds), MAX_TCP_KEEPCNT.
let maxKeepSeconds: Int64 = 32767
let maxKeepCount: Int64 = 127

/// value clamped into [lo, hi].
func clamped(_ value: Int64, _ lo: Int, _ hi: Int) -> Int {
  Int(min(max(value, Int64(lo)), Int64(hi)))
}

extension Socket {
  /// SO_SNDBUF as set (or its default); TCP only (see above).
  func setSendBuffer(_ value: Int64) {
    if kind == .tcp {
      sendBufferLimit = UInt32(clamped(value, minBufferBytes, Int(lsock_tcp_sndbuf_max())))
    }
  }

  func setReceiveBuffer(_ value: Int64) {
    if kind != .tcp {
      recvBufferLimit = clamped(value, minBufferBytes, datagramRingBytes)
      return
    }
    let window = Int(lsock_tcp_window())
    recvBufferLimit = clamped(value, min(Int(lsock_tcp_rcvbuf_min()), window), window)
    // a larger window at once: give back what is held beyond the new target
    let target = windowTarget
    if windowHeld > target {
      if let pcb = tcp, state != .listening { lsock_tcp_recved(pcb, windowHeld - target) }
      windowHeld = target
    }
  }

  /// Bytes of the window SO_RCVBUF keeps closed (TCP).
  var windowTarget: UInt32 {
    lsock_tcp_window() - UInt32(min(recvBufferLimit, Int(lsock_tcp_window())))
  }

  /// Of n bytes just read, how many not to give back to the window (TCP).
  func holdWindow(_ n: UInt32) -> UInt32 {
    let held = min(n, windowTarget > windowHeld ? windowTarget - windowHeld : 0)
    windowHeld += held
    return held
  }

  var sendBufferValue: Int64 {
    kind == .tcp ? Int64(sendBufferLimit) : Int64(kind == .raw ? maxRawPayload : maxDatagram)
  }

  var receiveBufferValue: Int64 { Int64(recvBufferLimit) }

  /// Bytes a send may still queue under SO_SNDBUF.
  func sendRoom(_ pcb: OpaquePointer) -> UInt32 {
    let unacked = lsock_tcp_unacked(pcb)
    return sendBufferLimit > unacked ? sendBufferLimit - unacked : 0
  }

  /// TCP_KEEPIDLE, TCP_KEEPINTVL or TCP_KEEPCNT; EINVAL out of range.
  func setKeepTiming(_ name: Int32, _ value: Int64) throws(SocketError) {
    guard kind == .tcp else { throw .noProtocolOption }
    let limit = name == tcpKeepCount ? maxKeepCount : maxKeepSeconds
    guard value >= 1 && value <= limit else { throw .invalid }
    switch name {
    case tcpKeepIdle: keepIdleSeconds = UInt32(value)
    case tcpKeepInterval: keepIntervalSeconds = UInt32(value)
    default: keepCount = UInt32(value)
    }
    applyKeepAlive()
  }

  func keepTiming(_ name: Int32) throws(SocketError) -> Int64 {
    guard kind == .tcp else { throw .noProtocolOption }
    switch name {
    case tcpKeepIdle: return Int64(keepIdleSeconds)
    case tcpKeepInterval: return Int64(keepIntervalSeconds)
    default: return Int64(keepCount)
    }
  }

  /// Hand the keepalive settings to lwIP's pcb, if there is one.
  func applyKeepAlive() {
    guard kind == .tcp, let pcb = tcp else { return }
    lsock_tcp_set_keepalive(
      pcb, keepAlive ? 1 : 0, keepIdleSeconds * 1000, keepIntervalSeconds * 1000, keepCount)
  }

  /// A new connection takes its listener's options, as on Linux.
  func inheritOptions(from l: Socket) {
    noDelay = l.noDelay
    recvTimeoutMs = l.recvTimeoutMs
    sendTimeoutMs = l.sendTimeoutMs
    sendBufferLimit = l.sendBufferLimit
    recvBufferLimit = l.recvBufferLimit
    keepAlive = l.keepAlive
    keepIdleSeconds = l.keepIdleSeconds
    keepIntervalSeconds = l.keepIntervalSeconds
    keepCount = l.keepCount
    v6only = l.v6only
    hopLimit = l.hopLimit
    defaultHopLimit = l.defaultHopLimit
    if hopLimit >= 0 { applyHopLimit() }
    if noDelay, let pcb = tcp { lsock_tcp_set_nodelay(pcb, 1) }
    applyKeepAlive()
  }
}
