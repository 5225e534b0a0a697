// The byte ring sockets copy received data into (Sources/Sockets/ByteRing.swift):
// wrap-around, exact fills, refusals, and records with headers.
import Testing

@testable import Sockets

/// Bytes 0, 1, 2, ... from start, as the ring's fill closure writes them.
func fill(from start: Int) -> (UnsafeMutableRawPointer, Int, Int) -> Bool {
  { dst, len, off in
    for i in 0..<len { dst.storeBytes(of: UInt8(truncatingIfNeeded: start + off + i), toByteOffset: i, as: UInt8.self) }
    return true
  }
}

/// The n bytes skip after the oldest, read piece by piece.
func contents(_ r: ByteRing, skip: Int = 0, _ n: Int) -> [UInt8]? {
  var out = [UInt8](repeating: 0, count: n)
  let ok = out.withUnsafeMutableBytes { buf in
    r.read(skip: skip, n) { src, len, off in
      (buf.baseAddress! + off).copyMemory(from: src, byteCount: len)
      return true
    }
  }
  return ok ? out : nil
}

func sequence(_ start: Int, _ n: Int) -> [UInt8] {
  (0..<n).map { UInt8(truncatingIfNeeded: start + $0) }
}

@Suite struct ByteRingTests {
  @Test func pagesComeAtTheFirstReserveAndGoBackOnRelease() {
    var r = ByteRing()
    #expect(!r.isAllocated && r.capacity == 0 && r.free == 0)
    let early = r.append(1, fill(from: 0))
    #expect(!early, "no pages yet: nothing fits")
    let got = r.reserve(5000)
    #expect(got && r.isAllocated && r.pages == 2 && r.capacity == 8192)
    let same = r.reserve(8192)
    let bigger = r.reserve(8193)
    #expect(same && !bigger, "sized once")
    r.release()
    #expect(!r.isAllocated && r.count == 0)
  }

  @Test func dataWrapsAroundTheEndInOrder() {
    var r = ByteRing()
    _ = r.reserve(4096)
    // go round the ring several times in odd steps
    var written = 0
    var read = 0
    for step in [1000, 3000, 700, 4000, 96, 2500, 4096, 1] {
      while r.free < step {
        let n = min(r.count, 1500)
        #expect(contents(r, n) == sequence(read, n))
        r.consume(n)
        read += n
      }
      let ok = r.append(step, fill(from: written))
      #expect(ok)
      written += step
    }
    #expect(contents(r, r.count) == sequence(read, written - read))
    r.release()
  }

  @Test func aFullRingRefusesAndAFailedFillChangesNothing() {
    var r = ByteRing()
    _ = r.reserve(4096)
    let full = r.append(4096, fill(from: 0))
    let more = r.append(1, fill(from: 0))
    #expect(full && r.free == 0 && !more)
    r.consume(100)
    let failed = r.append(50) { _, _, _ in false }  // the source failed (a bad pbuf)
    #expect(!failed && r.count == 3996)
    let wrapped = r.append(100, fill(from: 4096))  // 100 at the end, 0 after
    #expect(wrapped)
    #expect(contents(r, skip: 3990, 6) == sequence(4090, 6))
    #expect(contents(r, skip: 3990, 200) == nil, "past what is there")
    r.release()
  }

  @Test func recordsWithHeadersSurviveTheWrap() {
    var r = ByteRing()
    _ = r.reserve(4096)
    _ = r.append(4090, fill(from: 0))
    r.consume(4090)  // the next header straddles the end
    let h = DatagramHeader(length: 7, from: v6(linkLocal6, 53, scope: 3))
    let headed = r.append(value: h)
    let body = r.append(7, fill(from: 9))
    #expect(headed && body)
    let back = r.read(as: DatagramHeader.self, zero: DatagramHeader())
    #expect(back?.length == 7 && back.map { bytes($0.from) } == linkLocal6)
    #expect(back?.from.port == 53 && back?.from.scope == 3)
    #expect(contents(r, skip: MemoryLayout<DatagramHeader>.size, 7) == sequence(9, 7))
    r.release()
  }
}
