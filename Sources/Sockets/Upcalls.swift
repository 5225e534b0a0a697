// lwIP's events, as Net/lwip_sock.c passes them on: they update
// socket state and wake the sleepers. They run with the network lock held, in
// interrupt context or inside a system call's lwIP call, so they never sleep
// and allocate nothing but a socket's receive ring (pages, below). A TCP
// socket's data goes to tcpReceived, in TCP.swift beside the code that reads
// it out; the rest are here.
//
// Receive memory. Every received frame lands in a pbuf of lwIP's receive pool
// (256 of them, shared by every peer). A TCP socket may keep what lwIP hands
// it in those pbufs (no copy: the common case, a reader that keeps up), but
// a peer must not be able to pin the pool: the window bounds bytes, not
// pbufs, and a 1-byte segment pins a whole pbuf. So a segment is copied into
// the socket's own ring (pages allocated for it, sized for a full window)
// and its pbuf freed at once when
//   - the ring already holds data (the stream stays in order),
//   - it is small and the socket already holds a few pbufs (tiny segments
//     piling up before a reader that does not read),
//   - the socket holds poolPbufsPerSocket pbufs, or all sockets together
//     poolPbufsAllSockets,
//   - or the pool is down to its reserve (LSOCK_POOL_RESERVE).
// Out-of-order segments, which lwIP keeps in the pool, are dropped before
// lwIP sees them once the pool is down to its reserve (lwip_seqguard.c).
// UDP and raw sockets always copy datagrams into their ring. So what one
// peer can pin is bounded, and the reserve keeps ARP, ICMP, DHCP and the
// other connections going. (BSD's sbcompress and Linux's truesize
// accounting solve the same problem.)
import CShims

/// Pool pbufs one TCP socket may keep (a full window of full segments), and
/// all sockets together (of PBUF_POOL_SIZE, 256).
let poolPbufsPerSocket = 16
let poolPbufsAllSockets = 96
/// A segment smaller than this is copied once its socket holds smallQueued pbufs.
let smallSegment: UInt32 = 512
let smallQueued = 4

/// Pool pbufs all sockets keep, and segments and datagrams copied into rings
/// since boot (network lock).
nonisolated(unsafe) var socketPoolPbufs = 0
nonisolated(unsafe) var rxCopiedTotal: UInt64 = 0

extension Socket {
  /// Should segment p (len bytes in pbufs pool pbufs) be copied rather than
  /// kept (queueReceived, TCP.swift)? See "Receive memory" above.
  func mustCopy(_ len: UInt32, _ pbufs: Int) -> Bool {
    !rxRing.isEmpty || (len < smallSegment && rxPoolPbufs >= smallQueued)
      || rxPoolPbufs + pbufs > poolPbufsPerSocket
      || socketPoolPbufs + pbufs > poolPbufsAllSockets
      || lsock_pool_free() < LSOCK_POOL_RESERVE
  }
}

func installUpcalls() {
  let u = UnsafeMutablePointer<lsock_upcalls>.allocate(capacity: 1)
  u.initialize(
    to: lsock_upcalls(
      tcp_recv: { id, p in tcpReceived(id, p) },
      tcp_sent: { id, _ in sockets[id]?.wake() },
      tcp_err: { id, err in tcpFailed(id, err) },
      tcp_connected: { id in tcpConnected(id) },
      tcp_accept: { id, pcb in tcpAccepted(id, pcb) },
      tcp_poll: { id in tcpPoll(id) },
      udp_recv: { id, p, from in udpReceived(id, p, from!.pointee) },
      raw_recv: { id, p, skip, from in rawReceived(id, p, skip, from!.pointee) }))
  lsock_set_upcalls(u)
}

func tcpFailed(_ id: UInt32, _ err: Int32) {
  guard let s = sockets[id] else { return }
  // lwIP has already freed the pcb
  s.tcp = nil
  if s.released && s.state != .listening {
    s.dropReceived()
    s.reset()
    return
  }
  if s.state == .connecting {
    s.state = .failed
    s.pendingError = SocketError.asyncError(lwip: err, connecting: true)
  } else if let e = SocketError.asyncError(lwip: err, connecting: false) {
    s.pendingError = e
  }
  s.wake()
}

func tcpConnected(_ id: UInt32) {
  guard let s = sockets[id], let pcb = s.tcp else { return }
  s.state = .connected
  s.rememberAddresses(pcb)
  s.wake()
}

/// A listener's new connection: give it a socket of its own and queue it for
/// accept. Returns the new socket's id, or 0 to make lwIP reset it.
func tcpAccepted(_ id: UInt32, _ pcb: OpaquePointer?) -> UInt32 {
  guard let l = sockets[id], let pcb, l.state == .listening, !l.released,
    l.acceptCount < l.backlog, let s = sockets.allocate(.tcp, family: l.family)
  else { return 0 }
  s.tcp = pcb
  s.state = .connected
  s.bound = true
  s.inheritOptions(from: l)
  s.rememberAddresses(pcb)
  // append to the listener's queue, oldest first
  if var q = l.acceptQueue {
    while let n = q.nextInQueue { q = n }
    q.nextInQueue = s
  } else {
    l.acceptQueue = s
  }
  l.acceptCount += 1
  l.wake()
  return s.id
}

/// Every half second or so while on: for a socket with corked bytes (pushed out
/// now), and for a closed socket whose FIN lwIP could not queue yet.
func tcpPoll(_ id: UInt32) -> Int32 {
  guard let s = sockets[id], let pcb = s.tcp else { return LSOCK_OK }
  if s.corked { s.uncork(pcb) }
  guard s.released else { return LSOCK_OK }
  if s.retryClose(pcb) {
    return LSOCK_OK
  }
  if lsock_now_ms() < s.closeDeadline {
    return LSOCK_OK
  }
  // it had its time: reset the connection and free everything
  lsock_tcp_detach(pcb)
  lsock_tcp_abort(pcb)
  s.tcp = nil
  s.reset()
  return LSOCK_ERR_ABRT
}

/// A datagram for UDP socket id: copied into its ring (p is ours to free).
func udpReceived(_ id: UInt32, _ p: OpaquePointer?, _ from: lsock_addr) {
  guard let p else { return }
  if let s = sockets[id] { s.queueDatagram(p, from) }
  lsock_pbuf_free(p)
}

extension Socket {
  /// Copy datagram p (from *from*; its first skip bytes left out) into the
  /// ring after its header; a full queue or ring, or no pages for a ring,
  /// drops it (counted).
  func queueDatagram(_ p: OpaquePointer, _ from: lsock_addr, skip: UInt32 = 0) {
    let len = lsock_pbuf_len(p) - skip
    let need = MemoryLayout<DatagramHeader>.size + Int(len)
    guard !released, !readShut, dgramCount < udpQueueLimit,
      rxRing.reserve(datagramRingBytes), rxRing.free >= need,
      rxRing.count + need <= recvBufferLimit
    else {
      drops += 1
      return
    }
    _ = rxRing.append(value: DatagramHeader(length: len, from: from))
    _ = rxRing.append(Int(len)) { dst, n, off in
      lsock_pbuf_copy(p, dst, UInt32(n), skip + UInt32(off)) != 0
    }
    dgramCount += 1
    rxCopiedTotal &+= 1
    wake()
  }
}
