// Physical memory layout of QEMU's virt machine, and the kernel's virtual layout.
//
// 00100000 -- test finisher (write 0x5555 to power off)
// 00101000 -- Goldfish RTC (wall clock, nanoseconds since 1970)
// 02000000 -- CLINT (mtime at +0xBFF8, 10 MHz; mtimecmp per hart at +0x4000)
// 0C000000 -- PLIC
// 10000000 -- uart0 (16550, irq 10)
// 10001000 -- virtio-mmio slot 0 .. 10008000 slot 7; slot i interrupts on PLIC irq 1+i
// 30000000 -- PCIe config space (ECAM); INTA..D on PLIC irqs 32..35
// 40000000 -- PCIe memory window: the BARs the kernel assigns
// 80000000 -- qemu's -bios none loads the kernel here; RAM up to PHYSTOP
//
// The kernel maps RAM at its physical addresses (direct map), so a kernel pointer
// is also the physical address a device DMAs to. Devices are mapped at
// DEVICE_WINDOW + their physical address, so that the low 2 GiB belong to user
// space alone (see "Virtual layout" below).
#pragma once
#include "platform.h"   // the devices Swift probes: virtio-mmio slots, PCIe (CShims/include)

// a device's registers as the kernel sees them once paging is on.
#define DEVICE_VA(pa) (DEVICE_WINDOW + (pa))

#define TESTFINISHER_PA 0x100000L
#define TESTFINISHER DEVICE_VA(TESTFINISHER_PA)
#define TESTFINISHER_POWEROFF 0x5555

#define GOLDFISH_RTC_PA 0x101000L
#define GOLDFISH_RTC DEVICE_VA(GOLDFISH_RTC_PA)

#define CLINT 0x2000000L
#define CLINT_MTIMECMP(hartid) (CLINT + 0x4000 + 8*(hartid))
#define CLINT_MTIME (CLINT + 0xBFF8) // cycles since boot.
#define MTIME_HZ 10000000L           // mtime ticks per second

#define UART0_PA 0x10000000L
#define UART0 DEVICE_VA(UART0_PA)
#define UART0_IRQ 10

#define PLIC_PA 0x0c000000L
#define PLIC DEVICE_VA(PLIC_PA)
#define PLIC_PRIORITY (PLIC + 0x0)
#define PLIC_PENDING (PLIC + 0x1000)
#define PLIC_SENABLE(hart) (PLIC + 0x2080 + (hart)*0x100)
#define PLIC_SPRIORITY(hart) (PLIC + 0x201000 + (hart)*0x2000)
#define PLIC_SCLAIM(hart) (PLIC + 0x201004 + (hart)*0x2000)

#define KERNBASE 0x80000000L
#define PHYSTOP (KERNBASE + 128*1024*1024)

// Virtual layout. Every process's page table also maps the kernel, so a trap
// or system call needs no change of satp (under QEMU each change empties its
// whole software TLB). Sv39 top-level entries, 1 GiB each:
//   0, 1    user memory, [0, MAXUVA): text, data, guard page, stack, heap
//   2       RAM, direct map (kernel text read-only, the rest read-write)
//   3, 4    devices, at DEVICE_WINDOW + physical address (4: PCIe BARs)
//   254     kernel stacks
//   255     the process's trapframe, and the trampoline
// Entries 0, 1 and 255 belong to each process; the others are the kernel's own
// tables, shared by every page table and never changed after boot. Kernel
// pages have no PTE_U, so user mode cannot touch them.
#define MAXUVA 0x80000000L
#define KERNEL_SHARED_FIRST 2     // first and last top-level entries shared
#define KERNEL_SHARED_LAST  254

// the trampoline page is mapped at the highest address, in both user and kernel space.
#define TRAMPOLINE (MAXVA - PGSIZE)

// the process's trapframe (p->trapframe, used by the trampoline), in its own table.
#define TRAPFRAME (TRAMPOLINE - PGSIZE)

// kernel stacks sit at the top of entry 254, each KSTACKPAGES pages with an
// unmapped guard page below it, so an overflow faults instead of corrupting memory.
#define KSTACK_TOP (MAXVA - (1L << 30))
#define KSTACK(p) (KSTACK_TOP - ((p)+1) * (KSTACKPAGES+1) * PGSIZE)
