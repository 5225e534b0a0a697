// platform.h: where QEMU's virt machine puts the devices the Swift drivers
// probe, and where the kernel maps them. One definition, read by the kernel
// (Kernel/memlayout.h, vm.c) and by Swift (Sources/Drivers), so the two
// cannot disagree. Physical addresses are QEMU's (hw/riscv/virt.c's memmap).
#pragma once

// Devices are mapped at DEVICE_WINDOW + their physical address, in the
// kernel's shared top-level page-table entries 3 and 4 (memlayout.h).
#define DEVICE_WINDOW 0xC0000000UL

// 8 virtio-mmio slots, one page apart; slot i interrupts on PLIC irq 1 + i.
#define VIRTIO_MMIO_BASE_PA 0x10001000UL
#define VIRTIO_MMIO_BASE    (DEVICE_WINDOW + VIRTIO_MMIO_BASE_PA)
#define VIRTIO_MMIO_STRIDE  0x1000UL
#define VIRTIO_MMIO_SLOTS   8
#define VIRTIO_MMIO_IRQ0    1

// The PCIe host bridge (generic ECAM). Config space of bus b, device d,
// function f is 4 KiB at ECAM + (b << 20 | d << 15 | f << 12). Only bus 0 is
// mapped: QEMU puts every -device on it (no bridges behind it here).
#define PCIE_ECAM_PA        0x30000000UL
#define PCIE_ECAM           (DEVICE_WINDOW + PCIE_ECAM_PA)
#define PCIE_ECAM_BUS0_SIZE 0x100000UL
// Where memory BARs go: the start of QEMU's 32-bit PCI MMIO window (PCI and
// CPU addresses are the same there). With -bios none nobody else assigns
// BARs, so the kernel does, from this much of the window.
#define PCIE_MMIO_PA        0x40000000UL
#define PCIE_MMIO           (DEVICE_WINDOW + PCIE_MMIO_PA)
#define PCIE_MMIO_SIZE      0x100000UL
// Legacy INTA..INTD reach the PLIC on sources 32..35, rotated by slot:
// pin p (1 = INTA) of device d raises 32 + (d + p - 1) % 4.
#define PCIE_INTX_IRQ0      32
