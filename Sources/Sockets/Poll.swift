// Readiness for poll (Kernel/poll.c): what a socket could do now without
// blocking, as Linux's tcp_poll and udp_poll report it. The network lock is
// held (sock_poll in Exports.swift takes it). The kernel's poll sleeps until
// a socket-layer wakeup (Socket.wake), so every state change read here must
// be followed by one.
import CShims

/// poll's event bits (CShims/include/abi/poll.h, through CShims' abi.h).
struct PollEvents: OptionSet {
  let rawValue: Int32
  static let readable = PollEvents(rawValue: POLLIN | POLLRDNORM)
  static let writable = PollEvents(rawValue: POLLOUT | POLLWRNORM)
  static let error = PollEvents(rawValue: POLLERR)
  static let hangUp = PollEvents(rawValue: POLLHUP)
  static let invalid = PollEvents(rawValue: POLLNVAL)
}

extension Socket {
  var pollEvents: PollEvents {
    var r: PollEvents = []
    switch kind {
    case .free: return .invalid
    case .tcp: r = tcpPollEvents
    case .udp, .raw: r = datagramPollEvents
    }
    if pendingError != nil { r.insert(.error) }
    return r
  }

  /// Readable: bytes, the peer's FIN, a reset, our own SHUT_RD (read returns
  /// at once), or a connection to accept. Writable: room in lwIP's send
  /// buffer, or a write would fail at once (shut, reset). Hung up: nothing
  /// more will ever flow either way (Linux: TCP_CLOSE or both directions shut).
  var tcpPollEvents: PollEvents {
    switch state {
    case .listening:
      return acceptQueue != nil ? .readable : []
    case .connecting:
      return []
    case .idle, .failed:
      // never connected, or the connect failed: reads and writes fail at once
      return state == .failed ? [.readable, .writable, .hangUp] : [.writable, .hangUp]
    case .connected:
      break
    }
    guard let pcb = tcp else { return [.readable, .writable, .hangUp] }
    var r: PollEvents = []
    if receivedBytes > 0 || rxFin || readShut { r.insert(.readable) }
    if writeShut || lsock_tcp_sndbuf(pcb) > 0 { r.insert(.writable) }
    if (rxFin || readShut) && writeShut { r.insert(.hangUp) }
    return r
  }

  /// UDP and raw: readable with a datagram queued (or SHUT_RD), always
  /// writable (a send never waits), hung up once both directions are shut.
  var datagramPollEvents: PollEvents {
    var r: PollEvents = .writable
    if dgramCount > 0 || readShut { r.insert(.readable) }
    if readShut && writeShut { r.insert(.hangUp) }
    return r
  }
}
