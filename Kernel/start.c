// start.c: machine-mode setup, run once per hart from entry.S. Hands every
// exception and interrupt to supervisor mode, opens physical memory through the
// PMP, starts the timer, then mret's into main() in supervisor mode.
//
// Timer: with the Sstc extension (QEMU 7.2 has it) the supervisor programs its own
// deadline in stimecmp, and the CLINT's machine timer is the profiler's: while a
// run is on, it interrupts into machinevec (kernelvec.S), which samples
// (profile.c); otherwise its mtimecmp stays in the far future. Without Sstc, a
// machine-mode vector (timervec in kernelvec.S) re-arms the CLINT's mtimecmp and
// passes each tick on as a supervisor software interrupt.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "defs.h"

#define BOOTSTACKPAGES 4   // must match entry.S

void main(void);
void timervec(void);
void machinevec(void);
int sstc_probe(void);

// entry.S's per-hart boot stacks; scheduler() keeps running on them.
__attribute__ ((aligned (16))) char stack0[BOOTSTACKPAGES * PGSIZE * NCPU];

// 1 if the supervisor uses stimecmp (Sstc), 0 if ticks come from timervec.
// Written by each hart before it enters supervisor mode; all harts agree.
int timer_sstc;

// Scratch per hart for timervec: [0..2] saved registers, [3] address of this
// hart's mtimecmp, [4] interval in mtime ticks.
static uint64 timer_scratch[NCPU][5];

// With Sstc, machinevec's stack per hart (mscratch: its top): its saved
// registers and profile_msample's frames.
__attribute__ ((aligned (16))) static char mstack[NCPU][2048];

#define TICK_INTERVAL (MTIME_HZ / TICK_HZ)
#define MENVCFG_STCE (1L << 63)

static void
timerinit_sstc(int id)
{
  csr_set(0x30a, MENVCFG_STCE);             // menvcfg: let S-mode use stimecmp
  w_mcounteren(r_mcounteren() | 2);          // TM: S-mode may read time
  csr_write(0x14d, r_time() + TICK_INTERVAL);// stimecmp: first tick
  w_mie(r_mie() | MIE_STIE);

  // the machine timer samples for the profiler; off until a run writes mtimecmp
  *(volatile uint64*)CLINT_MTIMECMP(id) = ~0UL;
  csr_write(mscratch, (uint64)mstack[id] + sizeof(mstack[id]));
  csr_write(mtvec, (uint64)machinevec);
  w_mie(r_mie() | MIE_MTIE);
}

static void
timerinit_clint(int id)
{
  volatile uint64 *mtimecmp = (uint64*)CLINT_MTIMECMP(id);
  *mtimecmp = *(volatile uint64*)CLINT_MTIME + TICK_INTERVAL;

  uint64 *scratch = timer_scratch[id];
  scratch[3] = CLINT_MTIMECMP(id);
  scratch[4] = TICK_INTERVAL;
  csr_write(mscratch, (uint64)scratch);
  csr_write(mtvec, (uint64)timervec);
  w_mcounteren(r_mcounteren() | 2);
  w_mstatus(r_mstatus() | MSTATUS_MIE);
  w_mie(r_mie() | MIE_MTIE);
}

// The machine-mode timer's period on every hart, from its next tick on (the
// profiler raises it; with Sstc, trap.c programs stimecmp instead).
void
timer_set_interval(uint64 interval)
{
  for(int i = 0; i < NCPU; i++)
    __atomic_store_n(&timer_scratch[i][4], interval, __ATOMIC_RELAXED);
}

// The boot stack of hart id, on which its scheduler runs: [*lo, *hi).
void
bootstack(int id, uint64 *lo, uint64 *hi)
{
  *lo = (uint64)stack0 + id * BOOTSTACKPAGES * PGSIZE;
  *hi = *lo + BOOTSTACKPAGES * PGSIZE;
}

void
start(void)
{
  int id = r_mhartid();

  // mret goes to main() in supervisor mode, with paging off.
  w_mstatus((r_mstatus() & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S);
  w_mepc((uint64)main);
  w_satp(0);

  // every exception and interrupt goes to supervisor mode.
  w_medeleg(0xffff);
  w_mideleg(0xffff);
  w_sie(r_sie() | SIE_SEIE | SIE_STIE | SIE_SSIE);

  // one PMP entry: top of range at the end of the address space, all access.
  w_pmpaddr0(0x3fffffffffffffull);
  w_pmpcfg0(0xf);

  // sstc_probe traps (and says no) if menvcfg or stimecmp do not exist.
  timer_sstc = sstc_probe();
#ifdef TIMER_FORCE_CLINT
  timer_sstc = 0;   // debug: exercise the machine-mode timer path
#endif
  if(timer_sstc)
    timerinit_sstc(id);
  else
    timerinit_clint(id);

  w_tp(id);   // cpuid() reads tp
  asm volatile("mret");
}
