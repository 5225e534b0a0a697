// SocketError: every way a socket call can fail, numbered as Linux numbers
// errno, so the C boundary (Exports.swift) turns one into the negative return
// value a system call gives back (-rawValue) and nothing else needs a table.
// A Swift enum's raw values must be literals; a host test (SocketErrorTests)
// checks each against CShims/include/abi/errnum.h's definition.
import CShims

public enum SocketError: Int32, Error {
  case interrupted = 4  // EINTR: the process was killed while blocked
  case badFile = 9  // EBADF
  case wouldBlock = 11  // EAGAIN: non-blocking, or a timeout expired
  case noMemory = 12  // ENOMEM
  case fault = 14  // EFAULT: a bad user address
  case noDevice = 19  // ENODEV: sin6_scope_id names no interface
  case invalid = 22  // EINVAL
  case tableFull = 23  // ENFILE: no free socket
  case tooManyFiles = 24  // EMFILE
  case brokenPipe = 32  // EPIPE: writing after shutdown or reset
  case notSocket = 88  // ENOTSOCK
  case destinationRequired = 89  // EDESTADDRREQ
  case messageTooLong = 90  // EMSGSIZE
  case wrongProtocolType = 91  // EPROTOTYPE
  case noProtocolOption = 92  // ENOPROTOOPT
  case protocolNotSupported = 93  // EPROTONOSUPPORT
  case notSupported = 95  // EOPNOTSUPP
  case familyNotSupported = 97  // EAFNOSUPPORT
  case addressInUse = 98  // EADDRINUSE
  case addressNotAvailable = 99  // EADDRNOTAVAIL
  case networkUnreachable = 101  // ENETUNREACH: IPv4 on an IPV6_V6ONLY socket
  case connectionAborted = 103  // ECONNABORTED
  case connectionReset = 104  // ECONNRESET
  case noBuffers = 105  // ENOBUFS: an lwIP pool or the heap is empty
  case alreadyConnected = 106  // EISCONN
  case notConnected = 107  // ENOTCONN
  case timedOut = 110  // ETIMEDOUT
  case connectionRefused = 111  // ECONNREFUSED
  case hostUnreachable = 113  // EHOSTUNREACH
  case alreadyInProgress = 114  // EALREADY
  case inProgress = 115  // EINPROGRESS

  /// The error for an lwIP err_t returned by a call (not an asynchronous one:
  /// see `asyncError`).
  init(lwip err: Int32) {
    switch err {
    case LSOCK_ERR_MEM, LSOCK_ERR_BUF: self = .noBuffers
    case LSOCK_ERR_TIMEOUT: self = .timedOut
    case LSOCK_ERR_RTE, LSOCK_ERR_IF: self = .hostUnreachable
    case LSOCK_ERR_INPROGRESS: self = .inProgress
    case LSOCK_ERR_WOULDBLOCK: self = .wouldBlock
    case LSOCK_ERR_USE: self = .addressInUse
    case LSOCK_ERR_ALREADY: self = .alreadyInProgress
    case LSOCK_ERR_ISCONN: self = .alreadyConnected
    case LSOCK_ERR_CONN: self = .notConnected
    case LSOCK_ERR_ABRT: self = .connectionAborted
    case LSOCK_ERR_RST: self = .connectionReset
    case LSOCK_ERR_CLSD: self = .notConnected
    case LSOCK_EFAULT: self = .fault
    default: self = .invalid
    }
  }

  /// The error a connection's owner sees when lwIP's tcp_err reports err;
  /// nil for an orderly end (both sides closed).
  static func asyncError(lwip err: Int32, connecting: Bool) -> SocketError? {
    switch err {
    case LSOCK_ERR_CLSD: return connecting ? .connectionRefused : nil
    // a reset answering our SYN is a refusal
    case LSOCK_ERR_RST: return connecting ? .connectionRefused : .connectionReset
    // lwIP gave up retransmitting (SYN or data)
    case LSOCK_ERR_ABRT: return .timedOut
    default: return connecting ? .hostUnreachable : .connectionReset
    }
  }
}
