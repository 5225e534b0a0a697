// A byte ring in pages of its own: where a socket keeps received data that it
// must not leave in lwIP's receive pool (see "Receive memory" in Upcalls.swift).
// The pages come from the page allocator when first needed and go back with
// release(). Pure memory logic, tested on the host; in the kernel every use is
// under the network lock.
import CShims

struct ByteRing {
  private(set) var base: UnsafeMutableRawPointer? = nil
  private(set) var pages = 0
  private var head = 0  // offset of the oldest byte
  private(set) var count = 0

  var capacity: Int { pages * Int(KSHIM_PAGE_SIZE) }
  var free: Int { capacity - count }
  var isEmpty: Bool { count == 0 }
  var isAllocated: Bool { base != nil }

  /// Make sure the ring exists, with room for bytes in all (pages are
  /// allocated once, at the first call). false if there is no memory, or the
  /// ring was made smaller before.
  mutating func reserve(_ bytes: Int) -> Bool {
    if base != nil { return capacity >= bytes }
    let page = Int(KSHIM_PAGE_SIZE)
    let n = max(1, (bytes + page - 1) / page)
    guard let p = kshim_alloc_pages(UInt64(n)) else { return false }
    base = p
    pages = n
    head = 0
    count = 0
    return true
  }

  /// Give the pages back; the contents are gone.
  mutating func release() {
    if let b = base { kshim_free_pages(b, UInt64(pages)) }
    base = nil
    pages = 0
    head = 0
    count = 0
  }

  /// Forget the contents, keep the pages.
  mutating func clear() {
    head = 0
    count = 0
  }

  /// Run body on the (one or two) contiguous pieces of the n bytes that start
  /// at offset `from` of the ring's storage: body(piece, length, bytes before
  /// it). Stops at the first false.
  private func pieces(
    from: Int, _ n: Int, _ body: (UnsafeMutableRawPointer, Int, Int) -> Bool
  ) -> Bool {
    guard let b = base, n > 0 else { return n == 0 }
    let first = min(n, capacity - from)
    if !body(b + from, first, 0) { return false }
    return first == n || body(b, n - first, first)
  }

  /// Append n bytes, which fill(piece, length, offset) writes piece by piece
  /// (offset: where the piece starts within the n bytes). false, and nothing
  /// appended, if they do not fit or fill fails.
  mutating func append(_ n: Int, _ fill: (UnsafeMutableRawPointer, Int, Int) -> Bool) -> Bool {
    guard n <= free else { return false }
    if n == 0 { return true }
    if !pieces(from: (head + count) % capacity, n, fill) { return false }
    count += n
    return true
  }

  /// Let copy(piece, length, offset) read the n bytes that start skip bytes
  /// after the oldest one. false if there are not that many or copy fails.
  func read(skip: Int, _ n: Int, _ copy: (UnsafeRawPointer, Int, Int) -> Bool) -> Bool {
    guard skip >= 0, n >= 0, skip + n <= count else { return false }
    if n == 0 { return true }
    return pieces(from: (head + skip) % capacity, n) { p, len, off in
      copy(UnsafeRawPointer(p), len, off)
    }
  }

  /// Drop the n oldest bytes.
  mutating func consume(_ n: Int) {
    let m = min(n, count)
    if m == 0 { return }
    head = (head + m) % capacity
    count -= m
    if count == 0 { head = 0 }
  }

  /// Append the bytes of a plain value (a record header).
  mutating func append<T>(value: T) -> Bool {
    var v = value
    return withUnsafeBytes(of: &v) { src in
      append(src.count) { dst, len, off in
        dst.copyMemory(from: src.baseAddress! + off, byteCount: len)
        return true
      }
    }
  }

  /// A plain value read from the bytes skip after the oldest, or nil.
  func read<T>(skip: Int = 0, as: T.Type, zero: T) -> T? {
    var v = zero
    let ok = withUnsafeMutableBytes(of: &v) { dst in
      read(skip: skip, dst.count) { src, len, off in
        (dst.baseAddress! + off).copyMemory(from: src, byteCount: len)
        return true
      }
    }
    return ok ? v : nil
  }
}
