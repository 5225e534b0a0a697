// Physical memory layout of QEMU's virt machine, and the kernel's virtual layout.
//
// 00100000 -- test finisher (write 0x5555 to power off)
// 02000000 -- CLINT (mtime at +0xBFF8, 10 MHz; mtimecmp per hart at +0x4000)
// 0C000000 -- PLIC
// 10000000 -- uart0 (16550, irq 10)
// 10001000 -- virtio-mmio slot 0 .. 10008000 slot 7; slot i interrupts on PLIC irq 1+i
// 80000000 -- qemu's -bios none loads the kernel here; RAM up to PHYSTOP
//
// The kernel maps devices and RAM at their physical addresses (direct map), so a
// kernel pointer is also the physical address a device DMAs to.
#pragma once

#define TESTFINISHER 0x100000L
#define TESTFINISHER_POWEROFF 0x5555

#define CLINT 0x2000000L
#define CLINT_MTIMECMP(hartid) (CLINT + 0x4000 + 8*(hartid))
#define CLINT_MTIME (CLINT + 0xBFF8) // cycles since boot.
#define MTIME_HZ 10000000L           // mtime ticks per second

#define UART0 0x10000000L
#define UART0_IRQ 10

#define VIRTIO_MMIO_BASE 0x10001000L
#define VIRTIO_MMIO_STRIDE 0x1000L
#define VIRTIO_MMIO_SLOTS 8
#define VIRTIO_MMIO_IRQ(slot) (1 + (slot))

#define PLIC 0x0c000000L
#define PLIC_PRIORITY (PLIC + 0x0)
#define PLIC_PENDING (PLIC + 0x1000)
#define PLIC_SENABLE(hart) (PLIC + 0x2080 + (hart)*0x100)
#define PLIC_SPRIORITY(hart) (PLIC + 0x201000 + (hart)*0x2000)
#define PLIC_SCLAIM(hart) (PLIC + 0x201004 + (hart)*0x2000)

#define KERNBASE 0x80000000L
#define PHYSTOP (KERNBASE + 128*1024*1024)

// the trampoline page is mapped at the highest address, in both user and kernel space.
#define TRAMPOLINE (MAXVA - PGSIZE)

// kernel stacks sit beneath the trampoline, each KSTACKPAGES pages with an
// unmapped guard page below it, so an overflow faults instead of corrupting memory.
#define KSTACK(p) (TRAMPOLINE - ((p)+1) * (KSTACKPAGES+1) * PGSIZE)

// User memory layout, from address zero: text, data, guard page, stack, heap
// (grown by sbrk) ... TRAPFRAME (p->trapframe, used by the trampoline), TRAMPOLINE.
#define TRAPFRAME (TRAMPOLINE - PGSIZE)
