// Exports: the socket layer's C entry points, called by Kernel/sysnet.c and
// Kernel/sockfile.c, and declared once in CShims/include/socket_exports.h: each
// is `@c @implementation`, so the compiler checks it against that prototype.
// This is the one place where a SocketError becomes a number: every function
// returns 0 or a count on success and -errno on failure. A socket travels
// through C as an opaque handle (`struct socket *`): the address of its Socket
// object, which lives as long as the kernel (the table is never freed).
import CShims

// Socket types, option levels and names: CShims/include/abi/sockabi.h's
// (through CShims' abi.h), the numbers kernel C and user programs use too.
let sockStream = SOCK_STREAM
let sockDgram = SOCK_DGRAM
let sockRaw = SOCK_RAW
let solSocket = SOL_SOCKET
let soReuseAddr = SO_REUSEADDR
let soType = SO_TYPE
let soError = SO_ERROR
let soSndBuf = SO_SNDBUF
let soRcvBuf = SO_RCVBUF
let soKeepAlive = SO_KEEPALIVE
let soRcvTimeo = SO_RCVTIMEO
let soSndTimeo = SO_SNDTIMEO
let ipprotoTCP = IPPROTO_TCP
let tcpNoDelay = TCP_NODELAY
let msgPeek = MSG_PEEK
let msgDontWait = MSG_DONTWAIT
/// More follows at once (the kernel's writev; sysnet.c keeps programs from
/// passing it, since nothing would push their data out if no more came).
let msgMore = MSG_MORE

/// A `struct socket *`: C declares the struct but never defines it.
public typealias Handle = OpaquePointer

func socket(_ h: Handle) -> Socket {
  Unmanaged<Socket>.fromOpaque(UnsafeRawPointer(h)).takeUnretainedValue()
}

func handle(_ s: Socket) -> Handle {
  OpaquePointer(Unmanaged.passUnretained(s).toOpaque())
}

/// Run op under the network lock; its result, or -errno.
func call(_ op: () throws(SocketError) -> Int32) -> Int32 {
  lsock_lock()
  defer { lsock_unlock() }
  do {
    return try op()
  } catch {
    return -error.rawValue
  }
}

/// Run op on the socket behind h under the network lock; its result, or -errno.
func call(_ h: Handle, _ op: (Socket) throws(SocketError) -> Int32) -> Int32 {
  let s = socket(h)
  return call { () throws(SocketError) -> Int32 in try op(s) }
}

/// A new socket of kind and family in *out, nonblocking if asked; open makes
/// its pcb, and if it fails the slot is free again.
func create(
  _ kind: SocketKind, _ family: Int32, _ nonblock: Int32, _ out: UnsafeMutablePointer<Handle?>,
  _ open: (Socket) throws(SocketError) -> Void
) throws(SocketError) -> Int32 {
  guard family == afInet || family == afInet6 else { throw .familyNotSupported }
  guard let s = sockets.allocate(kind, family: family) else { throw .tableFull }
  do throws(SocketError) {
    try open(s)
  } catch {
    s.reset()
    throw error
  }
  s.nonblocking = nonblock != 0
  out.pointee = handle(s)
  return 0
}

/// socket(family, type, 0): a new socket in *out.
@c @implementation
public func sock_create(
  _ family: Int32, _ type: Int32, _ nonblock: Int32, _ out: UnsafeMutablePointer<Handle?>
) -> Int32 {
  call { () throws(SocketError) -> Int32 in
    guard type == sockStream || type == sockDgram else { throw .wrongProtocolType }
    return try create(type == sockStream ? .tcp : .udp, family, nonblock, out) {
      s throws(SocketError) in
      if type == sockStream { try s.tcpOpen() } else { try s.udpOpen() }
    }
  }
}

/// socket(family, SOCK_RAW, proto): a new raw socket in *out (AF_INET:
/// ICMP; AF_INET6: ICMPv6).
@c @implementation
public func sock_create_raw(
  _ family: Int32, _ proto: Int32, _ nonblock: Int32, _ out: UnsafeMutablePointer<Handle?>
) -> Int32 {
  call { () throws(SocketError) -> Int32 in
    try create(.raw, family, nonblock, out) { s throws(SocketError) in try s.rawOpen(proto) }
  }
}

@c @implementation
public func sock_family(_ h: Handle) -> Int32 {
  call(h) { s throws(SocketError) in s.family }
}

@c @implementation
public func sock_bind(_ h: Handle, _ addr: UnsafePointer<lsock_addr>) -> Int32 {
  call(h) { s throws(SocketError) in
    let a = try s.lwipAddress(addr.pointee, for: .bind)
    try s.byKind(
      tcp: { () throws(SocketError) in try s.tcpBind(a) },
      udp: { () throws(SocketError) in try s.udpBind(a) },
      raw: { () throws(SocketError) in try s.rawBind(a) })
    return 0
  }
}

@c @implementation
public func sock_listen(_ h: Handle, _ backlog: Int32) -> Int32 {
  call(h) { s throws(SocketError) in
    guard s.kind == .tcp else { throw .notSupported }
    try s.tcpListen(backlog)
    return 0
  }
}

/// The next connection in *out, its peer in *peer.
@c @implementation
public func sock_accept(
  _ h: Handle, _ out: UnsafeMutablePointer<Handle?>, _ peer: UnsafeMutablePointer<lsock_addr>
) -> Int32 {
  call(h) { s throws(SocketError) in
    guard s.kind == .tcp else { throw .notSupported }
    let c = try s.tcpAccept()
    peer.pointee = c.remote
    out.pointee = handle(c)
    return 0
  }
}

@c @implementation
public func sock_connect(_ h: Handle, _ addr: UnsafePointer<lsock_addr>) -> Int32 {
  call(h) { s throws(SocketError) in
    let a = try s.lwipAddress(addr.pointee, for: .connect)
    try s.byKind(
      tcp: { () throws(SocketError) in
        // AF_UNSPEC: Linux would disconnect; there is nothing to connect to
        guard a.family != 0 else { throw .invalid }
        try s.tcpConnect(a)
      },
      udp: { () throws(SocketError) in try s.udpConnect(a) },
      raw: { () throws(SocketError) in try s.rawConnect(a) })
    return 0
  }
}

/// Send len bytes from user address src; to *to if given (UDP, raw).
@c @implementation
public func sock_send(
  _ h: Handle, _ src: UInt64, _ len: UInt32, _ flags: Int32, _ to: UnsafePointer<lsock_addr>?
) -> Int32 {
  call(h) { s throws(SocketError) in
    let n = min(len, UInt32(Int32.max))
    let dontWait = flags & msgDontWait != 0
    // an address on a stream socket is ignored (below): not checked either
    var dest: lsock_addr? = nil
    if let to, s.kind != .tcp { dest = try s.lwipAddress(to.pointee, for: .send) }
    let sent = try s.byKind(
      // an address on a connected stream socket is ignored, as in BSD
      tcp: { () throws(SocketError) in
        try s.tcpSend(src, n, dontWait: dontWait, push: flags & msgMore == 0)
      },
      udp: { () throws(SocketError) in try s.udpSend(src, n, to: dest) },
      raw: { () throws(SocketError) in try s.rawSend(src, n, to: dest) })
    return Int32(sent)
  }
}

/// Hand what earlier MSG_MORE sends queued to lwIP's output (TCP; else nothing).
@c @implementation
public func sock_push(_ h: Handle) {
  _ = call(h) { s throws(SocketError) in
    if s.kind == .tcp, let pcb = s.tcp { s.uncork(pcb) }
    return 0
  }
}

/// Receive up to len bytes to user address dst; the sender in *from.
@c @implementation
public func sock_recv(
  _ h: Handle, _ dst: UInt64, _ len: UInt32, _ flags: Int32,
  _ from: UnsafeMutablePointer<lsock_addr>?
) -> Int32 {
  call(h) { s throws(SocketError) in
    let n = min(len, UInt32(Int32.max))
    let peek = flags & msgPeek != 0
    let dontWait = flags & msgDontWait != 0
    if s.kind == .tcp {
      let got = try s.tcpReceive(dst, n, peek: peek, dontWait: dontWait)
      from?.pointee = s.remote
      return Int32(got)
    }
    let r = try s.datagramReceive(dst, n, peek: peek, dontWait: dontWait)
    from?.pointee = r.from
    return Int32(r.count)
  }
}

/// how: 0 read, 1 write, 2 both (SHUT_RD, SHUT_WR, SHUT_RDWR).
@c @implementation
public func sock_shutdown(_ h: Handle, _ how: Int32) -> Int32 {
  call(h) { s throws(SocketError) in
    guard how >= 0 && how <= 2 else { throw .invalid }
    let read = how != 1
    let write = how != 0
    if s.kind == .tcp {
      try s.tcpShutdown(read: read, write: write)
    } else {
      if s.state != .connected { throw .notConnected }
      if read {
        s.readShut = true
        s.dropDatagrams()
      }
      if write { s.writeShut = true }
      s.wake()
    }
    return 0
  }
}

/// The local (peer == 0) or remote address.
@c @implementation
public func sock_getname(_ h: Handle, _ peer: Int32, _ out: UnsafeMutablePointer<lsock_addr>)
  -> Int32
{
  call(h) { s throws(SocketError) in
    if let pcb = s.tcp, s.state != .listening {
      s.rememberAddresses(pcb)
    } else if let pcb = s.tcp {
      lsock_tcp_local(pcb, &s.local)
    } else if s.kind == .raw {
      s.rawRememberAddresses()
    } else {
      s.udpRememberAddresses()
    }
    if peer != 0 {
      guard s.state == .connected else { throw .notConnected }
      out.pointee = s.remote
    } else {
      out.pointee = s.local
    }
    return 0
  }
}

/// Set an option; timeouts are in milliseconds (sockfile.c converts timevals).
@c @implementation
public func sock_setopt(_ h: Handle, _ level: Int32, _ name: Int32, _ value: Int64) -> Int32 {
  call(h) { s throws(SocketError) in
    switch (level, name) {
    case (solSocket, soReuseAddr):
      s.reuseAddress = value != 0
      if let pcb = s.tcp { lsock_tcp_set_reuseaddr(pcb, value != 0 ? 1 : 0) }
      if let pcb = s.udp { lsock_udp_set_reuseaddr(pcb, value != 0 ? 1 : 0) }
    case (solSocket, soRcvTimeo), (solSocket, soSndTimeo):
      // milliseconds; 0 waits for ever, a negative value not at all
      let ms = value < 0 ? noWaitMs : min(UInt64(value), maxTimeoutMs)
      if name == soRcvTimeo {
        s.recvTimeoutMs = ms
      } else {
        s.sendTimeoutMs = ms
      }
    case (solSocket, soKeepAlive):
      s.keepAlive = value != 0
      s.applyKeepAlive()
    case (solSocket, soSndBuf): s.setSendBuffer(value)
    case (solSocket, soRcvBuf): s.setReceiveBuffer(value)
    case (ipprotoTCP, tcpKeepIdle), (ipprotoTCP, tcpKeepInterval), (ipprotoTCP, tcpKeepCount):
      try s.setKeepTiming(name, value)
    case (ipprotoTCP, tcpNoDelay):
      guard s.kind == .tcp else { throw .noProtocolOption }
      s.noDelay = value != 0
      if let pcb = s.tcp, s.state != .listening { lsock_tcp_set_nodelay(pcb, value != 0 ? 1 : 0) }
    case (ipprotoIPv6, _):
      try s.setIPv6Option(name, value)
    default:
      throw .noProtocolOption
    }
    return 0
  }
}

@c @implementation
public func sock_getopt(
  _ h: Handle, _ level: Int32, _ name: Int32, _ value: UnsafeMutablePointer<Int64>
) -> Int32 {
  call(h) { s throws(SocketError) in
    switch (level, name) {
    case (solSocket, soReuseAddr): value.pointee = s.reuseAddress ? 1 : 0
    case (solSocket, soType): value.pointee = Int64(s.typeNumber)
    case (solSocket, soError): value.pointee = Int64(s.takeError()?.rawValue ?? 0)
    case (solSocket, soRcvTimeo): value.pointee = timeoutValue(s.recvTimeoutMs)
    case (solSocket, soSndTimeo): value.pointee = timeoutValue(s.sendTimeoutMs)
    case (solSocket, soKeepAlive): value.pointee = s.keepAlive ? 1 : 0
    case (solSocket, soSndBuf): value.pointee = s.sendBufferValue
    case (solSocket, soRcvBuf): value.pointee = s.receiveBufferValue
    case (ipprotoTCP, tcpKeepIdle), (ipprotoTCP, tcpKeepInterval), (ipprotoTCP, tcpKeepCount):
      value.pointee = try s.keepTiming(name)
    case (ipprotoTCP, tcpNoDelay):
      guard s.kind == .tcp else { throw .noProtocolOption }
      value.pointee = s.noDelay ? 1 : 0
    case (ipprotoIPv6, _):
      value.pointee = try s.ipv6Option(name)
    default:
      throw .noProtocolOption
    }
    return 0
  }
}

@c @implementation
public func sock_setnonblock(_ h: Handle, _ on: Int32) {
  _ = call(h) { s throws(SocketError) in
    s.nonblocking = on != 0
    return 0
  }
}

/// The last descriptor of the socket was closed.
@c @implementation
public func sock_release(_ h: Handle) {
  _ = call(h) { s throws(SocketError) in
    switch s.kind {
    case .tcp: s.tcpRelease()
    case .udp: s.udpRelease()
    case .raw: s.rawRelease()
    case .free: break
    }
    s.wake()
    return 0
  }
}

/// What the socket is ready for now: POLL* bits (CShims/include/abi/poll.h), see Poll.swift.
@c @implementation
public func sock_poll(_ h: Handle) -> Int32 {
  call(h) { s throws(SocketError) in s.pollEvents.rawValue }
}

/// Slot index of the table, for netstat: 1 if in use, 0 if free, -EINVAL past the end.
@c @implementation
public func sock_info(_ index: Int32, _ out: UnsafeMutablePointer<sock_info>) -> Int32 {
  call { () throws(SocketError) -> Int32 in
    guard index >= 0 && Int(index) < maxSockets else { throw .invalid }
    let s = sockets.slots[Int(index)]
    var i = CShims.sock_info()
    if s.kind == .free {
      out.pointee = i
      return 0
    }
    i.kind = s.typeNumber
    i.state = s.infoState
    i.tcp_state = -1
    if let pcb = s.tcp {
      i.tcp_state = lsock_tcp_state(pcb)
      if s.state == .listening {
        lsock_tcp_local(pcb, &s.local)
      } else {
        s.rememberAddresses(pcb)
      }
    }
    i.family = s.family
    i.local = s.local
    i.remote = s.remote
    i.rx_queued = s.kind == .tcp ? s.receivedBytes : UInt32(s.dgramCount)
    i.rx_pool_pbufs = UInt32(s.rxPoolPbufs)
    i.rx_ring_bytes = UInt32(s.rxRing.count)
    i.accept_queued = UInt32(s.acceptCount)
    i.drops = s.drops
    out.pointee = i
    return 1
  }
}

/// lwIP's memory in use and the sockets in use, for leak checks.
@c @implementation
public func sock_memstats(_ out: UnsafeMutablePointer<lsock_memstats>) {
  _ = call { () throws(SocketError) -> Int32 in
    lsock_memstats(out)
    out.pointee.sockets_used = UInt32(sockets.inUse)
    out.pointee.sock_pool_pbufs = UInt32(socketPoolPbufs)
    out.pointee.sock_ring_pages = UInt32(sockets.slots.reduce(0) { $0 + $1.rxRing.pages })
    out.pointee.rx_copied = rxCopiedTotal
    return 0
  }
}
