// TCP sockets: the blocking rules of BSD sockets over lwIP's raw TCP API.
// Every method runs with the network lock held (see Socket.swift).
//
// The receive path, in order in the first part of this file:
//   lwIP (tcp_input) -> recv_cb (Net/lwip_sock.c) -> tcpReceived, here: the
//     segment is queued (queueReceived: its pbufs kept, or its bytes copied
//     into the ring; see "Receive memory" in Upcalls.swift), the reader woken;
//   read() -> fileread (Kernel/file.c) -> sockread (Kernel/sockfile.c), or
//   recv() -> sys_recvfrom (Kernel/sysnet.c) -> sock_recv (Exports.swift)
//     -> tcpReceive, here: copied out to the user, the window reopened.
import CShims

// ---- receive: lwIP -> the socket's queue -> read() ----------------------------

/// The upcall for a segment of TCP socket id (p nil: the peer's FIN). Not
/// LSOCK_OK: lwIP keeps p and offers it again later.
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
  let r = s.queueReceived(p)
  if r == LSOCK_OK { s.wake() }
  return r
}

extension Socket {
  /// Append TCP segment p to the receive stream: its pbufs kept, or its bytes
  /// copied into the ring and p freed. LSOCK_ERR_MEM makes lwIP keep p and
  /// offer it again later (no memory for a ring, and the stream's tail is
  /// already in the ring).
  func queueReceived(_ p: OpaquePointer) -> Int32 {
    let len = lsock_pbuf_len(p)
    let pbufs = Int(lsock_pbuf_count(p))
    if mustCopy(len, pbufs) {
      // a window's worth always fits: lwIP never delivers more than that unread
      if rxRing.reserve(Int(lsock_tcp_window()))
        && rxRing.append(Int(len), { dst, n, off in
          lsock_pbuf_copy(p, dst, UInt32(n), UInt32(off)) != 0
        })
      {
        rxCopiedTotal &+= 1
        lsock_pbuf_free(p)
        return LSOCK_OK
      }
      if !rxRing.isEmpty { return LSOCK_ERR_MEM }
      // no pages to copy into: keep the pbufs after all
    }
    if let head = rx {
      if lsock_pbuf_cat(head, p) == 0 { return LSOCK_ERR_MEM }
    } else {
      rx = p
    }
    rxPoolPbufs += pbufs
    socketPoolPbufs += pbufs
    return LSOCK_OK
  }

  /// Bytes received and not yet read: the pbuf chain, then the ring.
  var receivedBytes: UInt32 {
    (rx.map { lsock_pbuf_len($0) } ?? 0) + UInt32(rxRing.count)
  }

  /// Read up to len bytes to user address dst: 0 at the peer's FIN.
  func tcpReceive(_ dst: UInt64, _ len: UInt32, peek: Bool, dontWait: Bool)
    throws(SocketError) -> UInt32
  {
    let until = deadline(after: recvTimeoutMs)
    while true {
      let queued = receivedBytes
      if queued > 0 {
        let n = min(len, queued)
        if !copyReceived(dst, n) { throw .fault }
        if !peek {
          consumeReceived(n)
          // the program took n bytes: let the sender send that many more,
          // less what SO_RCVBUF holds back
          if let pcb = tcp { lsock_tcp_recved(pcb, n - holdWindow(n)) }
        }
        return n
      }
      if len == 0 || readShut { return 0 }
      if let e = takeError() { throw e }
      if rxFin || (state == .connected && tcp == nil) { return 0 }
      switch state {
      case .connected, .connecting: break
      case .failed: return 0
      default: throw .notConnected
      }
      if nonblocking || dontWait { throw .wouldBlock }
      if let e = block(on: self, until: until) { throw e }
    }
  }

  /// Copy n bytes of the stream (chain first, then ring) to user address dst.
  private func copyReceived(_ dst: UInt64, _ n: UInt32) -> Bool {
    var done: UInt32 = 0
    if let p = rx {
      done = min(n, lsock_pbuf_len(p))
      if lsock_pbuf_copyout(p, 0, dst, done) != LSOCK_OK { return false }
    }
    return rxRing.read(skip: 0, Int(n - done)) { src, len, off in
      lsock_copyout(dst &+ UInt64(done) &+ UInt64(off), src, UInt64(len)) == 0
    }
  }

  /// Drop the first n bytes of the stream.
  private func consumeReceived(_ n: UInt32) {
    var left = n
    if let p = rx {
      let m = min(left, lsock_pbuf_len(p))
      rx = lsock_pbuf_consume(p, m)
      let pbufs = rx.map { Int(lsock_pbuf_count($0)) } ?? 0
      socketPoolPbufs -= rxPoolPbufs - pbufs
      rxPoolPbufs = pbufs
      left -= m
    }
    rxRing.consume(Int(left))
  }

  /// Free the receive queue, giving its bytes back to the window so that a
  /// close does not turn into a reset.
  /// (The bytes SO_RCVBUF held back go too: lwIP resets a connection closed
  /// with less than its whole window open.)
  func dropReceived() {
    let n = receivedBytes + windowHeld
    if let p = rx { lsock_pbuf_free(p) }
    rx = nil
    socketPoolPbufs -= rxPoolPbufs
    rxPoolPbufs = 0
    rxRing.clear()
    windowHeld = 0
    if n > 0, let pcb = tcp { lsock_tcp_recved(pcb, n) }
  }
}

// ---- connections, sending, closing -------------------------------------------------

extension Socket {
  func rememberAddresses(_ pcb: OpaquePointer) {
    lsock_tcp_local(pcb, &local)
    lsock_tcp_remote(pcb, &remote)
  }

  func tcpOpen() throws(SocketError) {
    guard let pcb = lsock_tcp_new(ipType) else { throw .noBuffers }
    lsock_tcp_attach(pcb, id)
    tcp = pcb
    pcbCreated()
  }

  func tcpBind(_ a: lsock_addr) throws(SocketError) {
    guard let pcb = tcp, state == .idle, !bound else { throw .invalid }
    lsock_tcp_set_reuseaddr(pcb, reuseAddress ? 1 : 0)
    var a = a
    let err = lsock_tcp_bind(pcb, &a)
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    bound = true
    rememberAddresses(pcb)
  }

  func tcpListen(_ n: Int32) throws(SocketError) {
    let wanted = Int(max(1, min(n, 128)))
    if state == .listening {
      backlog = wanted
      return
    }
    guard state == .idle, let pcb = tcp else { throw .invalid }
    if !bound { try tcpBind(wildcard) }
    var err: Int32 = 0
    guard let lpcb = lsock_tcp_listen(pcb, id, UInt8(min(wanted, 255)), &err) else {
      throw err == LSOCK_ERR_USE ? .addressInUse : .noBuffers
    }
    tcp = lpcb
    backlog = wanted
    state = .listening
  }

  /// The oldest established connection, waiting for one unless non-blocking.
  func tcpAccept() throws(SocketError) -> Socket {
    guard state == .listening else { throw .invalid }
    let until = deadline(after: recvTimeoutMs)
    while true {
      if let s = acceptQueue {
        acceptQueue = s.nextInQueue
        s.nextInQueue = nil
        acceptCount -= 1
        return s
      }
      if nonblocking { throw .wouldBlock }
      if let e = block(on: self, until: until) { throw e }
    }
  }

  func tcpConnect(_ a: lsock_addr) throws(SocketError) {
    switch state {
    case .listening: throw .invalid
    case .connected: throw .alreadyConnected
    case .failed:
      // the outcome of an earlier non-blocking connect, reported once
      throw takeError() ?? .invalid
    case .connecting:
      if nonblocking { throw .alreadyInProgress }
    case .idle:
      guard let pcb = tcp else { throw .invalid }
      lsock_tcp_set_reuseaddr(pcb, reuseAddress ? 1 : 0)
      var a = a
      let err = lsock_tcp_connect(pcb, &a)
      if err != LSOCK_OK { throw SocketError(lwip: err) }
      bound = true
      state = .connecting
      rememberAddresses(pcb)
      if nonblocking { throw .inProgress }
    }
    try waitConnected()
  }

  private func waitConnected() throws(SocketError) {
    let until = deadline(after: sendTimeoutMs)
    while true {
      if state == .connected { return }
      if state == .failed { throw takeError() ?? .connectionRefused }
      if let e = block(on: self, until: until) {
        if e == .interrupted { throw e }
        // timed out: forget the half-open connection
        if let pcb = tcp {
          lsock_tcp_detach(pcb)
          lsock_tcp_abort(pcb)
          tcp = nil
        }
        state = .failed
        throw .timedOut
      }
    }
  }

  /// Queue all len bytes from user address src, waiting for send buffer space
  /// (unless non-blocking); returns how many were queued. push: hand them to
  /// lwIP's output now; else they wait for the next push (more is coming).
  func tcpSend(_ src: UInt64, _ len: UInt32, dontWait: Bool, push: Bool = true)
    throws(SocketError) -> UInt32
  {
    switch state {
    case .connected: break
    case .connecting: throw (nonblocking || dontWait) ? .wouldBlock : .notConnected
    default: throw .notConnected
    }
    let until = deadline(after: sendTimeoutMs)
    var done: UInt32 = 0
    while done < len {
      if writeShut {
        if done > 0 { break }
        throw .brokenPipe
      }
      guard let pcb = tcp else {
        if done > 0 { break }
        throw takeError() ?? .brokenPipe
      }
      // no more than SO_SNDBUF allows; past it, as if lwIP's buffer were full
      let want = len - done
      let n = min(want, sendRoom(pcb))
      var queued: UInt32 = 0
      var err = LSOCK_ERR_MEM
      if n > 0 { err = lsock_tcp_write_user(pcb, src + UInt64(done), n, 0, &queued) }
      done += queued
      if err == LSOCK_OK && n < want { err = LSOCK_ERR_MEM }
      if err == LSOCK_OK { break }
      if err == LSOCK_EFAULT {
        if done > 0 { break }
        throw .fault
      }
      if err != LSOCK_ERR_MEM { throw SocketError(lwip: err) }
      // the send buffer is full: push out what is queued, then wait for acks
      _ = lsock_tcp_output(pcb)
      if nonblocking || dontWait {
        if done > 0 { break }
        throw .wouldBlock
      }
      if let e = block(on: self, until: until) {
        if done > 0 { break }
        throw e
      }
    }
    if let pcb = tcp {
      if push {
        uncork(pcb)
      } else if done > 0 && !corked {
        corked = true
        lsock_tcp_poll(pcb, 1)
      }
    }
    return done
  }

  /// Hand everything queued to lwIP's output; the poll upcall is no longer
  /// needed for it.
  func uncork(_ pcb: OpaquePointer) {
    _ = lsock_tcp_output(pcb)
    if corked {
      corked = false
      if !released { lsock_tcp_poll(pcb, 0) }
    }
  }

  func tcpShutdown(read: Bool, write: Bool) throws(SocketError) {
    guard state == .connected || state == .connecting else { throw .notConnected }
    if read {
      readShut = true
      dropReceived()
      wake()
    }
    if write && !writeShut, let pcb = tcp {
      if rxFin {
        // the peer is done too: a full close, and the pcb is lwIP's
        lsock_tcp_detach(pcb)
        let err = lsock_tcp_close(pcb)
        if err != LSOCK_OK {
          lsock_tcp_attach(pcb, id)
          throw SocketError(lwip: err)
        }
        tcp = nil
      } else {
        let err = lsock_tcp_shutdown_tx(pcb)
        if err != LSOCK_OK { throw SocketError(lwip: err) }
      }
      writeShut = true
      wake()
    }
  }

  /// Try to close pcb for a released socket: true (and the slot freed) once
  /// lwIP took the FIN; else the poll upcall tries again later.
  func retryClose(_ pcb: OpaquePointer) -> Bool {
    // detach first: closing a pcb that never connected frees it at once
    lsock_tcp_detach(pcb)
    if lsock_tcp_close(pcb) == LSOCK_OK {
      tcp = nil
      dropReceived()
      reset()
      return true
    }
    lsock_tcp_attach(pcb, id)
    lsock_tcp_poll(pcb, 1)
    return false
  }

  /// The owner closed its last descriptor: FIN (or reset) and let go.
  func tcpRelease() {
    released = true
    if state == .listening {
      // connections nobody accepted are reset
      while let c = acceptQueue {
        acceptQueue = c.nextInQueue
        if let cp = c.tcp {
          lsock_tcp_detach(cp)
          lsock_tcp_abort(cp)
          c.tcp = nil
        }
        c.dropReceived()
        c.reset()
      }
      if let pcb = tcp {
        lsock_tcp_detach(pcb)
        _ = lsock_tcp_close(pcb)  // never fails for a listener
      }
      tcp = nil
      reset()
      return
    }
    guard let pcb = tcp else {
      dropReceived()
      reset()
      return
    }
    // unread data goes back to the window first, so lwIP sends FIN, not RST
    dropReceived()
    closeDeadline = lsock_now_ms() + closeGraceMs
    _ = retryClose(pcb)
  }
}
