// What the driver tests share: DMA memory for the drivers under test
// (VirtIOTests, E1000Tests), from the host's kshim page allocator.
import CShims
import Device

/// DMA memory for tests: page-aligned heap memory, counted, and able to run out.
public final class TestDMA: DMAAllocator {
  public var pagesLeft = Int.max
  public var live = 0

  public init() {}

  public func allocate(pages: Int) -> DMARegion? {
    guard pages <= pagesLeft, let p = kshim_alloc_pages(UInt64(pages)) else { return nil }
    pagesLeft -= pages
    live += 1
    return DMARegion(address: p, physical: UInt64(UInt(bitPattern: p)), pages: pages)
  }

  public func free(_ region: DMARegion) {
    live -= 1
    kshim_free_pages(region.address, UInt64(region.pages))
  }

  public func physicalAddress(of pointer: UnsafeRawPointer) -> UInt64 {
    UInt64(UInt(bitPattern: pointer))
  }
}
