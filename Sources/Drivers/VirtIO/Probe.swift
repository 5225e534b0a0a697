// Finding a device: QEMU's virt machine has 8 virtio-mmio slots from
// VIRTIO_MMIO_BASE (CShims/include/platform.h), one page apart; slot i
// interrupts on PLIC irq 1 + i. An empty slot reads as device id 0. Devices
// are found by type, never by a hard-coded slot.
import CShims
import Device

public enum VirtioMMIOBus {
  public static let base = UInt64(VIRTIO_MMIO_BASE)
  public static let stride = UInt64(VIRTIO_MMIO_STRIDE)
  public static let slots = Int(VIRTIO_MMIO_SLOTS)

  public static func irq(slot: Int) -> Int32 { Int32(VIRTIO_MMIO_IRQ0) + Int32(slot) }

  /// The transport of `slot` if a virtio device of type `id` sits there.
  public static func transport(slot: Int, ifDevice id: VirtioDeviceID) -> MMIOTransport? {
    let t = MMIOTransport(base: base + stride * UInt64(slot))
    return isDevice(t, id) ? t : nil
  }
}

func isDevice<T: VirtioTransport>(_ t: T, _ id: VirtioDeviceID) -> Bool {
  t.magic == virtioMagic && t.deviceID == id.rawValue
}

/// The first of `slots` transports that is a virtio device of type `id`.
public func findDevice<T: VirtioTransport>(
  _ id: VirtioDeviceID, slots: Int, transportAt: (Int) -> T
) -> (slot: Int, transport: T)? {
  for slot in 0..<slots where isDevice(transportAt(slot), id) {
    return (slot, transportAt(slot))
  }
  return nil
}

/// Scan the virt machine's virtio-mmio slots for a device of type `id`.
public func probeMMIO(_ id: VirtioDeviceID) -> (transport: MMIOTransport, irq: Int32)? {
  let found = findDevice(id, slots: VirtioMMIOBus.slots) { slot in
    MMIOTransport(base: VirtioMMIOBus.base + VirtioMMIOBus.stride * UInt64(slot))
  }
  guard let found else { return nil }
  return (found.transport, VirtioMMIOBus.irq(slot: found.slot))
}
