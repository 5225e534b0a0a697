// lwIP's events, as CShims/kernel/lwip_sock.c passes them on: they update
// socket state and wake the sleepers. They run with the network lock held, in
// interrupt context or inside a system call's lwIP call, so they never
// allocate and never sleep.
import CShims

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
      udp_recv: { id, p, addr, port in udpReceived(id, p, addr, port) },
      raw_recv: { id, p, addr in rawReceived(id, p, addr) }))
  lsock_set_upcalls(u)
}

func tcpReceived(_ id: UInt32, _ p: OpaquePointer?) -> Int32 {
  guard let s = sockets[id], let pcb = s.tcp else {
    if let p { lsock_pbuf_free(p) }
    return LSOCK_OK
  }
  guard let p else {
    // the peer's FIN
    s.rxFin = true
    if s.released {
      // closed by its owner before: try again to queue our FIN
      _ = s.retryClose(pcb)
    } else if s.writeShut {
      // both directions done: lwIP finishes (TIME_WAIT) on its own and would
      // free the pcb without telling us, so let it go now. Our FIN is already
      // out, so this close only marks the receive side closed.
      lsock_tcp_detach(pcb)
      _ = lsock_tcp_close(pcb)
      s.tcp = nil
    }
    s.wake()
    return LSOCK_OK
  }
  if s.readShut || s.released {
    // nobody will read it: take it and reopen the window at once
    lsock_tcp_recved(pcb, lsock_pbuf_len(p))
    lsock_pbuf_free(p)
    return LSOCK_OK
  }
  if let head = s.rx {
    if lsock_pbuf_cat(head, p) == 0 {
      return LSOCK_ERR_MEM  // lwIP keeps it and offers it again later
    }
  } else {
    s.rx = p
  }
  s.wake()
  return LSOCK_OK
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
    l.acceptCount < l.backlog, let s = sockets.allocate(.tcp)
  else { return 0 }
  s.tcp = pcb
  s.state = .connected
  s.bound = true
  s.noDelay = l.noDelay
  s.recvTimeoutMs = l.recvTimeoutMs
  s.sendTimeoutMs = l.sendTimeoutMs
  if s.noDelay { lsock_tcp_set_nodelay(pcb, 1) }
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

/// About once a second for a closed socket whose FIN lwIP could not queue yet.
func tcpPoll(_ id: UInt32) -> Int32 {
  guard let s = sockets[id], let pcb = s.tcp, s.released else { return LSOCK_OK }
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

func udpReceived(_ id: UInt32, _ p: OpaquePointer?, _ addr: UInt32, _ port: UInt16) {
  guard let p else { return }
  guard let s = sockets[id], !s.released, !s.readShut, s.dgramCount < udpQueueLimit
  else {
    sockets[id]?.drops += 1
    lsock_pbuf_free(p)
    return
  }
  s.dgrams[(s.dgramHead + s.dgramCount) % udpQueueLimit] =
    Datagram(pbuf: p, addr: addr, port: port)
  s.dgramCount += 1
  s.wake()
}
