// SocketError's numbers are literals (a Swift enum's raw values must be);
// this checks each against its one definition, CShims/include/abi/errnum.h
// (through abi.h; qualified: SocketTests.swift has negated ones of its own),
// so the two cannot drift apart.
import CShims
import Testing

@testable import Sockets

@Suite struct SocketErrorTests {
  @Test func everyErrorIsTheKernelsNumber() {
    let kernel: [(SocketError, Int32)] = [
      (.interrupted, CShims.EINTR),
      (.badFile, CShims.EBADF),
      (.wouldBlock, CShims.EAGAIN),
      (.noMemory, CShims.ENOMEM),
      (.fault, CShims.EFAULT),
      (.invalid, CShims.EINVAL),
      (.tableFull, CShims.ENFILE),
      (.tooManyFiles, CShims.EMFILE),
      (.brokenPipe, CShims.EPIPE),
      (.notSocket, CShims.ENOTSOCK),
      (.destinationRequired, CShims.EDESTADDRREQ),
      (.messageTooLong, CShims.EMSGSIZE),
      (.wrongProtocolType, CShims.EPROTOTYPE),
      (.noProtocolOption, CShims.ENOPROTOOPT),
      (.protocolNotSupported, CShims.EPROTONOSUPPORT),
      (.notSupported, CShims.EOPNOTSUPP),
      (.familyNotSupported, CShims.EAFNOSUPPORT),
      (.addressInUse, CShims.EADDRINUSE),
      (.addressNotAvailable, CShims.EADDRNOTAVAIL),
      (.connectionAborted, CShims.ECONNABORTED),
      (.connectionReset, CShims.ECONNRESET),
      (.noBuffers, CShims.ENOBUFS),
      (.noDevice, CShims.ENODEV),
      (.networkUnreachable, CShims.ENETUNREACH),
      (.alreadyConnected, CShims.EISCONN),
      (.notConnected, CShims.ENOTCONN),
      (.timedOut, CShims.ETIMEDOUT),
      (.connectionRefused, CShims.ECONNREFUSED),
      (.hostUnreachable, CShims.EHOSTUNREACH),
      (.alreadyInProgress, CShims.EALREADY),
      (.inProgress, CShims.EINPROGRESS),
    ]
    for (error, number) in kernel {
      #expect(error.rawValue == number, "\(error) is \(error.rawValue), errnum.h says \(number)")
    }
  }
}
