// Finding a device: QEMU's virt machine has 8 virtio-mmio slots from
// VIRTIO_MMIO_BASE (Kernel/memlayout.h), one page apart; slot i interrupts
// on PLIC irq 1 + i. An empty slot reads as device id 0. Devices are found
// by type, never by a hard-coded slot.

public enum VirtioMMIOBus {
  public static let base: UInt64 = 0xD000_1000  // VIRTIO_MMIO_BASE: DEVICE_VA(0x1000_1000)
  public static let stride: UInt64 = 0x1000  // VIRTIO_MMIO_STRIDE
  public static let slots = 8  // VIRTIO_MMIO_SLOTS

  public static func irq(slot: Int) -> Int32 { Int32(1 + slot) }
}

/// The first of `slots` transports that is a virtio device of type `id`.
public func findDevice<T: VirtioTransport>(
  _ id: VirtioDeviceID, slots: Int, transportAt: (Int) -> T
) -> (slot: Int, transport: T)? {
  for slot in 0..<slots {
    let t = transportAt(slot)
    if t.magic == virtioMagic && t.deviceID == id.rawValue {
      return (slot, t)
    }
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
