// Memory the device reads and writes by physical address (virtqueues,
// request headers): one protocol, as virtio-drivers' `Hal`. The kernel's
// pages come from kalloc_pages through CShims; on the host the same shim
// hands out page-aligned heap memory, and a test may bring its own.
import CShims

public let dmaPageSize = 4096

/// A run of contiguous pages: where the driver sees it and where the device does.
public struct DMARegion {
  public let address: UnsafeMutableRawPointer
  public let physical: UInt64
  public let pages: Int

  public init(address: UnsafeMutableRawPointer, physical: UInt64, pages: Int) {
    self.address = address
    self.physical = physical
    self.pages = pages
  }

  public var bytes: Int { pages * dmaPageSize }
}

public protocol DMAAllocator {
  /// Zeroed, contiguous, page-aligned pages, or nil.
  func allocate(pages: Int) -> DMARegion?
  func free(_ region: DMARegion)
  /// The device-visible address of memory the caller owns (a buffer-cache block).
  func physicalAddress(of pointer: UnsafeRawPointer) -> UInt64
}

/// Pages from the kernel's page allocator. The kernel direct-maps RAM, so
/// physical and virtual addresses are the same number.
public struct PageDMA: DMAAllocator {
  public init() {}

  public func allocate(pages: Int) -> DMARegion? {
    guard pages > 0, let p = kshim_alloc_pages(UInt64(pages)) else { return nil }
    return DMARegion(address: p, physical: UInt64(UInt(bitPattern: p)), pages: pages)
  }

  public func free(_ region: DMARegion) {
    kshim_free_pages(region.address, UInt64(region.pages))
  }

  public func physicalAddress(of pointer: UnsafeRawPointer) -> UInt64 {
    UInt64(UInt(bitPattern: pointer))
  }
}
