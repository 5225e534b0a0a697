// The VirtIO module's functions that the kernel's C code calls
// (declared for C in CShims/include/drivers.h). Kernel/disk.c is
// their only caller.
import CShims
import Device

/// The one block device; set once by virtio_blk_init on the boot hart,
/// before interrupts are on, and never changed after.
nonisolated(unsafe) var blockDevice: VirtioBlk<MMIOTransport>? = nil

/// Find the virtio-blk device, bring it up, return its PLIC irq or -1.
// swift-format-ignore: AlwaysUseLowerCamelCase
@c @implementation public func virtio_blk_init() -> Int32 {
  guard let found = probeMMIO(.block) else {
    print("virtio-blk: no block device in the virtio-mmio slots")
    return -1
  }
  do throws(VirtioError) {
    let blk = try VirtioBlk.start(transport: found.transport, dma: PageDMA())
    blockDevice = blk
    print("virtio-blk: \(blk.capacity / 2) KiB, irq \(found.irq)")
    return found.irq
  } catch {
    print("virtio-blk: \(error.message)")
    return -1
  }
}

/// Read (write == 0) or write len bytes at sector; sleeps until done.
/// Returns 0, or -1 if the device or the request was bad.
// swift-format-ignore: AlwaysUseLowerCamelCase
@c @implementation public func virtio_blk_rw(
  _ sector: UInt64, _ data: UnsafeMutableRawPointer?, _ len: UInt32, _ write: Int32
) -> Int32 {
  guard let blk = blockDevice, let data else { return -1 }
  do throws(VirtioError) {
    try blk.readWrite(
      sector: sector, data: PageDMA().physicalAddress(of: data), length: len, write: write != 0)
    return 0
  } catch {
    print("virtio-blk: \(error.message)")
    return -1
  }
}

/// Start a request for n buffers of len bytes each, consecutive on the disk
/// from sector, without waiting; returns its handle (>= 0) for
/// virtio_blk_wait, -2 if the queue is full and mayblock is 0, -1 if bad.
/// The device is not notified: call virtio_blk_kick after the batch.
// swift-format-ignore: AlwaysUseLowerCamelCase
@c @implementation public func virtio_blk_submit(
  _ sector: UInt64, _ datas: UnsafePointer<UnsafeMutableRawPointer?>?, _ n: Int32, _ len: UInt32,
  _ write: Int32, _ mayblock: Int32
) -> Int32 {
  guard let blk = blockDevice, let datas, n > 0, n <= maxRunBuffers else { return -1 }
  // on the stack: this runs for every disk request, and may not fail for want of memory
  var physical: (
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
  ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  do throws(VirtioError) {
    let head = try withUnsafeMutableBytes(of: &physical) { (raw) throws(VirtioError) -> UInt16 in
      let p = raw.bindMemory(to: UInt64.self)
      for i in 0..<Int(n) {
        guard let d = datas[i] else { throw .badRequest }
        p[i] = PageDMA().physicalAddress(of: d)
      }
      return try blk.submit(
        sector: sector, buffers: p.baseAddress!, count: Int(n), length: len, write: write != 0,
        mayWait: mayblock != 0, notify: false)
    }
    return Int32(head)
  } catch .queueFull {
    return -2
  } catch {
    print("virtio-blk: \(error.message)")
    return -1
  }
}

/// The most buffers one request of virtio_blk_submit takes (drivers.h).
let maxRunBuffers: Int32 = 32

/// Notify the device of the requests virtio_blk_submit queued.
// swift-format-ignore: AlwaysUseLowerCamelCase
@c @implementation public func virtio_blk_kick() {
  blockDevice?.kick()
}

/// Sleep until the request from virtio_blk_submit is done; 0, or -1 on error.
// swift-format-ignore: AlwaysUseLowerCamelCase
@c @implementation public func virtio_blk_wait(_ handle: Int32) -> Int32 {
  guard let blk = blockDevice, handle >= 0, handle <= Int32(UInt16.max) else { return -1 }
  do throws(VirtioError) {
    try blk.wait(UInt16(handle))
    return 0
  } catch {
    print("virtio-blk: \(error.message)")
    return -1
  }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
@c @implementation public func virtio_blk_intr() {
  blockDevice?.handleInterrupt()
}
