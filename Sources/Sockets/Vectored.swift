// readv / writev on UDP and raw sockets: one datagram per call, as on Linux,
// gathered from or scattered over the program's pieces. (Stream sockets take
// the pieces one by one: Kernel/sysiov.c.) Network lock held throughout.
//
// Kernel/sysiov.c has checked the iovec array (count, total, ranges); it is
// read again here, and a piece the program changed meanwhile fails its copy
// (EFAULT) like any bad buffer.
import CShims

/// One struct iovec as the program lays it out (Kernel/uio.h).
struct UserIOVec {
  var base: UInt64 = 0
  var length: UInt64 = 0
}

/// The program's non-empty pieces, in order: bases and lengths.
struct UserPieces {
  var bases: [UInt64] = []
  var lengths: [UInt32] = []
  var total: UInt32 = 0

  init(_ uiov: UInt64, _ count: Int32) throws(SocketError) {
    guard count >= 0 else { throw .invalid }
    for i in 0..<Int(count) {
      var v = UserIOVec()
      let size = MemoryLayout<UserIOVec>.size
      if lsock_copyin(&v, uiov &+ UInt64(i * size), UInt64(size)) != 0 { throw .fault }
      if v.length == 0 { continue }
      guard v.length <= UInt64(Int32.max) - UInt64(total) else { throw .invalid }
      bases.append(v.base)
      lengths.append(UInt32(v.length))
      total += UInt32(v.length)
    }
  }

  /// Copy n bytes at src to offset off of the pieces laid end to end.
  func scatter(_ off: Int, _ src: UnsafeRawPointer, _ n: Int) -> Bool {
    var skip = off
    var done = 0
    for i in 0..<bases.count where done < n {
      let len = Int(lengths[i])
      if skip >= len {
        skip -= len
        continue
      }
      let m = min(len - skip, n - done)
      if lsock_copyout(bases[i] &+ UInt64(skip), src + done, UInt64(m)) != 0 { return false }
      done += m
      skip = 0
    }
    return done == n
  }
}

extension Socket {
  /// readv: one datagram over the pieces (the rest of a longer one is lost).
  func datagramReceive(_ pieces: UserPieces) throws(SocketError) -> UInt32 {
    try datagramReceive(pieces.total, peek: false, dontWait: false) { off, src, n in
      pieces.scatter(off, src, n)
    }.count
  }

  /// writev: one datagram of all the pieces, to the connected peer.
  func datagramSend(_ pieces: UserPieces) throws(SocketError) -> UInt32 {
    let err: Int32
    if kind == .raw {
      let pcb = try rawCanSend(pieces.total, hasAddress: false)
      err = pieces.bases.withUnsafeBufferPointer { b in
        pieces.lengths.withUnsafeBufferPointer { l in
          lsock_raw_send_pieces(pcb, b.baseAddress, l.baseAddress, UInt32(b.count), pieces.total)
        }
      }
    } else {
      let pcb = try udpCanSend(pieces.total, to: nil)
      err = pieces.bases.withUnsafeBufferPointer { b in
        pieces.lengths.withUnsafeBufferPointer { l in
          lsock_udp_send_pieces(pcb, b.baseAddress, l.baseAddress, UInt32(b.count), pieces.total)
        }
      }
    }
    if err != LSOCK_OK { throw SocketError(lwip: err) }
    return pieces.total
  }
}

/// readv (write 0) or writev (write 1) of the iovec array at uiov on a UDP or
/// raw socket: the bytes moved, or -errno. -EOPNOTSUPP for a stream socket,
/// whose pieces go one by one through sock_recv / sock_send.
@c @implementation
public func sock_datagram_iov(_ h: Handle, _ write: Int32, _ uiov: UInt64, _ count: Int32)
  -> Int32
{
  call(h) { s throws(SocketError) in
    guard s.kind == .udp || s.kind == .raw else { throw .notSupported }
    let pieces = try UserPieces(uiov, count)
    let n = write != 0 ? try s.datagramSend(pieces) : try s.datagramReceive(pieces)
    return Int32(n)
  }
}
