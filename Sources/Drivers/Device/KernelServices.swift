// Swift faces of the kernel services in CShims/include/kshim.h: a lock
// taken only through withLock { }, sleep/wakeup on it, and panic.
import CShims

/// A kernel spinlock (a mutex on the host). Holding it disables interrupts
/// on this hart, so the interrupt handler and process code may share it.
public struct KernelLock {
  let raw: OpaquePointer

  public init(name: StaticString) {
    raw = kshim_lock_create(cString(name))!
  }

  public func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    kshim_lock_acquire(raw)
    defer { kshim_lock_release(raw) }
    return try body()
  }

  /// Give up the lock and sleep until `wakeup(channel)`; the lock is held
  /// again on return. Call only inside `withLock`, and re-check the
  /// condition afterwards: a wakeup is a hint, not a promise.
  public func sleep(on channel: UnsafeRawPointer) {
    kshim_sleep(channel, raw)
  }
}

public func wakeup(_ channel: UnsafeRawPointer) {
  kshim_wakeup(channel)
}

/// A broken invariant: stop the kernel with a message.
public func kpanic(_ message: StaticString) -> Never {
  kshim_panic(cString(message))
}

/// A string literal's bytes, which are NUL-terminated, as a C string.
public func cString(_ s: StaticString) -> UnsafePointer<CChar> {
  UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}
