// Raw ICMP sockets against host lwIP: an echo request to 10.0.0.1 goes
// through lwIP's loopback, lwIP's ICMP answers it, and the raw socket reads
// whole IPv4 packets (the request it sent and the reply). Part of the
// serialized SocketTests suite: there is one socket table and one lwIP.
import CShims
import Foundation
import SocketsHost
import Testing

@testable import Sockets

let EPROTONOSUPPORT: Int32 = -93

func openRaw() -> Handle {
  sockets_host_init()
  var h: Handle? = nil
  let r = sock_create_raw(1, 0, &h)
  precondition(r == 0 && h != nil, "sock_create_raw: \(r)")
  return h!
}

/// The Internet checksum of bytes (0 over a valid message).
func internetChecksum(_ b: [UInt8]) -> UInt16 {
  var sum: UInt32 = 0
  var i = 0
  while i + 1 < b.count {
    sum += UInt32(b[i]) << 8 | UInt32(b[i + 1])
    i += 2
  }
  if i < b.count { sum += UInt32(b[i]) << 8 }
  while sum >> 16 != 0 { sum = (sum & 0xffff) + (sum >> 16) }
  return ~UInt16(sum)
}

/// An ICMP echo request with a valid checksum.
func echoRequest(id: UInt16, seq: UInt16, payload: [UInt8]) -> [UInt8] {
  var m: [UInt8] = [8, 0, 0, 0, UInt8(id >> 8), UInt8(id & 0xff), UInt8(seq >> 8), UInt8(seq & 0xff)]
  m += payload
  let c = internetChecksum(m)
  m[2] = UInt8(c >> 8)
  m[3] = UInt8(c & 0xff)
  return m
}

func sendTo(_ h: Handle, _ bytes: [UInt8], _ addr: UInt32) -> Int32 {
  bytes.withUnsafeBufferPointer {
    sock_send(h, UInt64(UInt(bitPattern: $0.baseAddress)), UInt32($0.count), 0, 1, addr, 0)
  }
}

extension SocketTests {
  @Test func rawICMPEchoComesBackAsAWholeIPv4Packet() {
    let h = openRaw()
    var type: Int64 = 0
    #expect(sock_getopt(h, 1, 3, &type) == 0 && type == 3)  // SO_TYPE: SOCK_RAW
    #expect(sock_setopt(h, 1, 20, 2000) == 0)  // SO_RCVTIMEO
    let payload = pattern(56)
    let req = echoRequest(id: 0x1234, seq: 7, payload: payload)
    #expect(sendTo(h, req, here) == Int32(req.count))
    var reply: [UInt8]? = nil
    var from: UInt32 = 0
    for _ in 0..<4 where reply == nil {
      var buf = [UInt8](repeating: 0, count: 2048)
      var port: UInt16 = 9
      let n = buf.withUnsafeMutableBufferPointer {
        sock_recv(h, UInt64(UInt(bitPattern: $0.baseAddress)), 2048, 0, &from, &port)
      }
      guard n > 0 else { break }
      let p = Array(buf[0..<Int(n)])
      // IPv4, protocol ICMP, the sender's address in the header too
      #expect(p[0] >> 4 == 4 && p[9] == 1 && port == 0)
      #expect(Array(p[12..<16]) == [10, 0, 0, 1])
      let ihl = Int(p[0] & 0xf) * 4
      if p[ihl] == 0 { reply = Array(p[ihl...]) }
    }
    guard let r = reply else {
      Issue.record("no echo reply")
      sock_release(h)
      return
    }
    #expect(from == here)
    #expect(internetChecksum(r) == 0)
    #expect(r[4] == 0x12 && r[5] == 0x34 && r[6] == 0 && r[7] == 7)
    #expect(Array(r[8...]) == payload)
    sock_release(h)
    #expect(settled())
  }

  @Test func rawSocketsCheckProtocolAddressAndQueueLimit() {
    sockets_host_init()
    var h: Handle? = nil
    #expect(sock_create_raw(6, 0, &h) == EPROTONOSUPPORT)
    let s = openRaw()
    #expect(send(s, [8, 0, 0, 0]) == EDESTADDRREQ)
    #expect(sock_listen(s, 1) == -95)  // EOPNOTSUPP
    // 40 requests: their copies and the replies overflow the 32-packet queue
    for i in 0..<40 {
      let req = echoRequest(id: 1, seq: UInt16(i), payload: [1, 2, 3])
      #expect(sendTo(s, req, here) == Int32(req.count))
    }
    usleep(100_000)
    let (drops, queued) = withNetLock { (socket(s).drops, socket(s).dgramCount) }
    #expect(queued == udpQueueLimit && drops > 0)
    sock_release(s)
    #expect(settled())
    var m = lsock_memstats()
    sock_memstats(&m)
    #expect(m.raw_pcb_used == 0)
  }
}
