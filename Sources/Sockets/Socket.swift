// Socket objects and the fixed table that holds them.
//
// Locking: every field of every Socket, and the table, is guarded by the
// network lock (lsock_lock, Kernel/net.c), which also guards all of lwIP. The
// system-call side takes it through withNetLock { }; lwIP's callbacks
// (Upcalls.swift) already run with it held. Lock order: the network lock
// before any process lock (wakeup takes p->lock inside it); the file table's
// lock is never held while calling in here.
//
// All sockets are allocated once, when the table is first used: lwIP's
// callbacks (interrupt context) only ever take a free slot, never memory.
import CShims

/// How many sockets exist at once, over all processes.
let maxSockets = 128
/// Datagrams a UDP or raw socket holds before it drops (and counts) new ones.
let udpQueueLimit = 32
/// Bytes a UDP or raw socket's datagram ring holds (headers included).
let datagramRingBytes = 32 * 1024
/// How long a closed TCP socket may wait for lwIP to accept its FIN.
let closeGraceMs: UInt64 = 10_000

/// Datagrams all UDP and raw sockets have dropped since boot (network lock).
/// A socket's own count dies with it; this one lets `ifconfig` account for
/// every datagram, even those a socket dropped after its owner last looked.
nonisolated(unsafe) var datagramDropsTotal: UInt64 = 0

enum SocketKind { case free, tcp, udp, raw }

enum SocketState {
  case idle  // created (maybe bound); UDP and raw sockets stay here or .connected
  case listening
  case connecting
  case connected  // established; the pcb may be gone since (reset, closed)
  case failed  // a connect was refused or timed out; the pcb is gone
}

/// What precedes each UDP datagram (or raw IP packet, port 0) in a socket's
/// datagram ring: its length and sender.
struct DatagramHeader {
  var length: UInt32 = 0
  var from = lsock_addr()
}

final class Socket {
  let id: UInt32  // index + 1; lwIP's callback argument
  var kind = SocketKind.free
  var family = afInet  // AF_INET or AF_INET6 (Address.swift)
  var state = SocketState.idle
  var tcp: OpaquePointer? = nil  // struct tcp_pcb *, nil once lwIP freed it
  var udp: OpaquePointer? = nil  // struct udp_pcb *
  var raw: OpaquePointer? = nil  // struct raw_pcb * (SOCK_RAW)
  var bound = false
  var released = false  // the file is closed; lwIP still finishing

  // options
  var nonblocking = false
  var reuseAddress = false
  var noDelay = false
  var recvTimeoutMs: UInt64 = 0  // 0: wait forever; noWaitMs: not at all
  var sendTimeoutMs: UInt64 = 0
  var sendBufferLimit = lsock_tcp_sndbuf_max()  // SO_SNDBUF (TCP), Options.swift
  var recvBufferLimit = datagramRingBytes  // SO_RCVBUF (UDP, raw; TCP: Options.swift)
  var windowHeld: UInt32 = 0  // TCP: bytes read but not given back to the window
  var keepAlive = false  // SO_KEEPALIVE and its timing (Linux's and lwIP's defaults)
  var keepIdleSeconds: UInt32 = 7200
  var keepIntervalSeconds: UInt32 = 75
  var keepCount: UInt32 = 9
  var pendingError: SocketError? = nil  // asynchronous error, reported once
  var v6only = false  // IPV6_V6ONLY (AF_INET6)
  var hopLimit: Int32 = -1  // IPV6_UNICAST_HOPS; -1: the pcb's default
  var defaultHopLimit: UInt8 = 255  // what lwIP gave the pcb

  // addresses, remembered for when the pcb is gone
  var local = lsock_addr()
  var remote = lsock_addr()

  // TCP receive side (queued and read in TCP.swift): the stream is the pbuf
  // chain rx (pool pbufs, kept as lwIP delivered them), then rxRing (copies);
  // the window is reopened as it is read. See "Receive memory" in Upcalls.swift.
  var rx: OpaquePointer? = nil
  var rxPoolPbufs = 0  // pbufs in rx
  var rxRing = ByteRing()  // TCP: the stream's tail; UDP and raw: datagrams
  var rxFin = false  // the peer sent FIN
  var readShut = false
  var writeShut = false
  /// Bytes a MSG_MORE send queued and nothing has pushed out yet. lwIP
  /// sends them with the next push, the FIN, or when an ACK lets it; the
  /// poll upcall pushes them if none of that comes (as Linux's probe timer
  /// does for its corked data), so they never wait for ever.
  var corked = false

  // listening: connections lwIP established, waiting for accept
  var backlog = 0
  var acceptQueue: Socket? = nil
  var acceptCount = 0
  var nextInQueue: Socket? = nil

  // UDP and raw receive side: dgramCount datagrams in rxRing, each after
  // its DatagramHeader
  var dgramCount = 0
  /// Datagrams this socket lost: queue full, read side shut, or unread at
  /// close. Every count also goes to datagramDropsTotal, which outlives it.
  var drops: UInt64 = 0 {
    didSet { if drops > oldValue { datagramDropsTotal &+= drops - oldValue } }
  }

  var timedWaiters = 0  // sleepers with a deadline (on the tick channel)
  var closeDeadline: UInt64 = 0

  init(id: UInt32) {
    self.id = id
  }

  /// The sleep/wakeup channel of this socket: its address.
  var channel: UnsafeRawPointer {
    UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque())
  }

  /// Wake everyone blocked on this socket.
  func wake() {
    lsock_wakeup(channel)
    if timedWaiters > 0 {
      lsock_wakeup(lsock_tick_chan())
    }
  }

  /// Back to a free slot. Everything lwIP-side must already be let go.
  func reset() {
    kind = .free
    state = .idle
    tcp = nil
    udp = nil
    raw = nil
    bound = false
    released = false
    corked = false
    nonblocking = false
    reuseAddress = false
    noDelay = false
    recvTimeoutMs = 0
    sendTimeoutMs = 0
    sendBufferLimit = lsock_tcp_sndbuf_max()
    recvBufferLimit = datagramRingBytes
    windowHeld = 0
    keepAlive = false
    keepIdleSeconds = 7200
    keepIntervalSeconds = 75
    keepCount = 9
    pendingError = nil
    family = afInet
    v6only = false
    hopLimit = -1
    defaultHopLimit = 255
    local = lsock_addr()
    remote = lsock_addr()
    if let p = rx { lsock_pbuf_free(p) }  // callers drop it first; just in case
    rx = nil
    socketPoolPbufs -= rxPoolPbufs
    rxPoolPbufs = 0
    rxRing.release()
    rxFin = false
    readShut = false
    writeShut = false
    backlog = 0
    acceptQueue = nil
    acceptCount = 0
    nextInQueue = nil
    dgramCount = 0
    drops = 0
    closeDeadline = 0
  }

  /// Take the pending asynchronous error (SO_ERROR semantics: reported once).
  func takeError() -> SocketError? {
    let e = pendingError
    pendingError = nil
    return e
  }
}

extension Socket {
  /// The one dispatch over the kinds for the calls each does its own way. A
  /// free slot takes the UDP path (no pcb there: the call fails).
  func byKind<R>(
    tcp: () throws(SocketError) -> R, udp: () throws(SocketError) -> R,
    raw: () throws(SocketError) -> R
  ) throws(SocketError) -> R {
    switch kind {
    case .tcp: return try tcp()
    case .raw: return try raw()
    case .udp, .free: return try udp()
    }
  }

  /// SOCK_STREAM, SOCK_DGRAM or SOCK_RAW; 0 for a free slot.
  var typeNumber: Int32 {
    switch kind {
    case .tcp: return sockStream
    case .udp: return sockDgram
    case .raw: return sockRaw
    case .free: return 0
    }
  }

  /// Its state as netstat shows it (sock_info): SOCKINFO_*.
  var infoState: Int32 {
    if released { return SOCKINFO_CLOSING }
    switch state {
    case .idle: return SOCKINFO_IDLE
    case .listening: return SOCKINFO_LISTENING
    case .connecting: return SOCKINFO_CONNECTING
    case .connected: return SOCKINFO_CONNECTED
    case .failed: return SOCKINFO_FAILED
    }
  }
}

/// The table of all sockets. Created on first use, from a system call.
/// Unchecked Sendable: the network lock guards it, not the compiler.
final class SocketTable: @unchecked Sendable {
  let slots: [Socket]

  init() {
    var a = [Socket]()
    a.reserveCapacity(maxSockets)
    for i in 0..<maxSockets {
      a.append(Socket(id: UInt32(i + 1)))
    }
    slots = a
    installUpcalls()
  }

  /// A free socket of the given kind and family, or nil if all are in use.
  func allocate(_ kind: SocketKind, family: Int32) -> Socket? {
    for s in slots where s.kind == .free {
      s.reset()
      s.kind = kind
      s.family = family
      // SO_RCVBUF's default: what the socket can hold, a window or a ring
      s.recvBufferLimit = kind == .tcp ? Int(lsock_tcp_window()) : datagramRingBytes
      return s
    }
    return nil
  }

  /// The socket with lwIP callback id `id`, if it is in use.
  subscript(id: UInt32) -> Socket? {
    guard id >= 1 && Int(id) <= slots.count else { return nil }
    let s = slots[Int(id) - 1]
    return s.kind == .free ? nil : s
  }

  var inUse: Int {
    var n = 0
    for s in slots where s.kind != .free { n += 1 }
    return n
  }
}

/// The one socket table (lazily created under the network lock).
let sockets = SocketTable()

/// Run body with the network lock held.
@inline(__always)
func withNetLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
  lsock_lock()
  defer { lsock_unlock() }
  return try body()
}

/// A timeout (SO_RCVTIMEO, SO_SNDTIMEO) that does not wait at all.
let noWaitMs = UInt64.max
/// Longer timeouts are clamped here (about 142,000 years), so a deadline
/// never overflows.
let maxTimeoutMs: UInt64 = 1 << 52

/// A timeout as getsockopt reports it: milliseconds; "not at all" reads as 0,
/// as on Linux.
func timeoutValue(_ ms: UInt64) -> Int64 {
  ms == noWaitMs ? 0 : Int64(ms)
}

/// A deadline timeoutMs from now, or 0 (none) for a timeout of 0. A timeout
/// of noWaitMs has passed already.
func deadline(after timeoutMs: UInt64) -> UInt64 {
  if timeoutMs == 0 { return 0 }
  let now = lsock_now_ms()
  if timeoutMs == noWaitMs { return max(now, 1) }
  return now + min(timeoutMs, maxTimeoutMs)
}

/// Sleep once on s (network lock held) until something happens to it.
/// Returns nil after a wakeup (callers re-check their condition in a loop),
/// .wouldBlock once the deadline (0: none) has passed, .interrupted if the
/// process has been killed or has a signal to act on (EINTR).
func block(on s: Socket, until deadline: UInt64) -> SocketError? {
  if lsock_killed() != 0 {
    return .interrupted
  }
  if deadline != 0 {
    if lsock_now_ms() >= deadline {
      return .wouldBlock
    }
    // the tick channel wakes us every tick to look at the clock; the socket's
    // events wake it too while timedWaiters > 0
    s.timedWaiters += 1
    lsock_sleep(lsock_tick_chan())
    s.timedWaiters -= 1
  } else {
    lsock_sleep(s.channel)
  }
  return lsock_killed() != 0 ? .interrupted : nil
}
