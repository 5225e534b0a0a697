// plic.c: the platform-level interrupt controller of QEMU's virt machine, which
// routes device interrupts (UART irq 10, virtio-mmio slot i irq 1+i) to the harts'
// supervisor-mode contexts. Drivers call plic_enable() for their irq, possibly
// after other harts ran plicinithart(): the set of enabled irqs is kept here and
// written to IRQ_HART's context whenever it changes.
//
// Every device irq goes to one hart, as Linux gives each irq one CPU. Offered
// to every hart, an irq wakes them all from wfi; all but one find nothing to
// claim, and each claim is a trip into QEMU under its global lock. At CPUS=2
// one hart took 12-15% more downloads and keep-alive requests per second
// (tools/bench/ab.py run --cpus 2, docs/performance-notes.md).
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "defs.h"

#define NIRQWORDS 2   // irqs 1..63: enough for virt's UART and virtio slots

static struct spinlock plic_lock;
#define IRQ_HART 0    // the boot hart, always started

static uint32 enabled[NIRQWORDS];   // irqs routed to IRQ_HART (plic_lock)
static int hart_ready[NCPU];        // hart ran plicinithart (plic_lock)

static void
write_enables(int hart)
{
  for(int w = 0; w < NIRQWORDS; w++)
    *(volatile uint32*)(PLIC_SENABLE(hart) + 4 * w) = hart == IRQ_HART ? enabled[w] : 0;
}

void
plicinit(void)
{
  initlock(&plic_lock, "plic");
  plic_enable(UART0_IRQ);
}

// Route irq to IRQ_HART's supervisor context, at priority 1 (above threshold 0).
void
plic_enable(int irq)
{
  if(irq <= 0 || irq >= 32 * NIRQWORDS)
    panic("plic_enable: irq out of range");
  acquire(&plic_lock);
  *(volatile uint32*)(PLIC_PRIORITY + 4 * irq) = 1;
  enabled[irq / 32] |= 1U << (irq % 32);
  if(hart_ready[IRQ_HART])
    write_enables(IRQ_HART);
  release(&plic_lock);
}

// This hart's context: IRQ_HART takes every enabled irq with priority above 0,
// the others none.
void
plicinithart(void)
{
  int hart = cpuid();

  acquire(&plic_lock);
  hart_ready[hart] = 1;
  write_enables(hart);
  *(volatile uint32*)PLIC_SPRIORITY(hart) = 0;
  release(&plic_lock);
}

// The highest-priority pending irq, now claimed by this hart; 0 if none.
int
plic_claim(void)
{
  return *(volatile uint32*)PLIC_SCLAIM(cpuid());
}

// Done with irq: the PLIC may deliver it again.
void
plic_complete(int irq)
{
  *(volatile uint32*)PLIC_SCLAIM(cpuid()) = irq;
}
