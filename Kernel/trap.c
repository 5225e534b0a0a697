// trap.c: traps — system calls, exceptions and interrupts — from user space
// (usertrap, entered through trampoline.S) and from the kernel (kerneltrap,
// through kernelvec.S), and the way back to user space (usertrapret).
//
// Timer: hart 0 keeps ticks (TICK_HZ a second, from the clock) and drives the network timers;
// every hart yields on each tick, which makes scheduling preemptive. While the
// profiler runs without Sstc (profile.c) the timer interrupts faster; each
// interrupt is a sample, and only the first one of each new tick period is a
// tick. With Sstc the machine timer samples and the ticks stay as they are.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"

struct spinlock tickslock;
uint ticks;   // guarded by tickslock

extern char trampoline[], uservec[], userret[];
void kernelvec(void);

#define SCAUSE_INTR         (1UL << 63)
#define SCAUSE_SOFT         (SCAUSE_INTR | 1)
#define SCAUSE_TIMER        (SCAUSE_INTR | 5)
#define SCAUSE_EXTERNAL     (SCAUSE_INTR | 9)
#define SCAUSE_ECALL_U      8
#define SCAUSE_LOAD_PF      13
#define SCAUSE_STORE_PF     15
#define TICK_INTERVAL       (MTIME_HZ / TICK_HZ)

// INTR_PROFILE: a timer interrupt between ticks, for the profiler only.
enum { INTR_NONE, INTR_DEVICE, INTR_TIMER, INTR_PROFILE };

// PLIC irq of the disk, set by disk_init(); 0 or -1 means none. Weak, so the
// driver may define it instead. NICs are the network layer's (net_intr).
__attribute__((weak)) int disk_irq;

void
trapinit(void)
{
  initlock(&tickslock, "time");
}

// Kernel traps on this hart go to kernelvec.
void
trapinithart(void)
{
  w_stvec((uint64)kernelvec);
}

uint64
uptime_ms(void)
{
  return r_time() / (MTIME_HZ / 1000);
}

// The tick the clock is in now. `ticks` catches up with it at hart 0's next
// timer interrupt, which a loaded host can deliver a few ticks late.
uint
clock_ticks(void)
{
  return r_time() / TICK_INTERVAL;
}

static void
clockintr(void)
{
  if(cpuid() == 0){
    acquire(&tickslock);
    // Ticks follow the clock, not the count of interrupts: under a loaded host
    // QEMU delivers timer interrupts late and would lose ticks, and sleep(n),
    // uptime() and the socket timeouts must stay true to real time.
    ticks = r_time() / TICK_INTERVAL;
    uint64 now = ticks;
    wakeup(&ticks);
    release(&tickslock);
    poll_tick();
    signal_alarms(now);
    net_timer();
  }
}

// A timer interrupt: a tick, unless profiling makes it one of several in this
// tick period. Ticks stay at TICK_HZ and the profiler's interrupts yield nothing.
static int
timerintr(int profiling)
{
  struct cpu *c = mycpu();
  uint64 period = r_time() / TICK_INTERVAL;

  if(profiling && period == c->tick_period)
    return INTR_PROFILE;
  c->tick_period = period;
  clockintr();
  return INTR_TIMER;
}

static int
timercause(uint64 scause)
{
  return scause == SCAUSE_TIMER || scause == SCAUSE_SOFT;
}

// An external interrupt through the PLIC.
static void
external_intr(void)
{
  int irq = plic_claim();

  if(irq == UART0_IRQ)
    uartintr();
  else if(irq != 0 && irq == rng_irq)
    random_intr();
  else if(irq != 0 && irq == disk_irq)
    disk_intr();
  else if(irq != 0 && net_intr(irq))
    ;
  else if(irq != 0)
    printf("devintr: unexpected irq %d\n", irq);
  if(irq)
    plic_complete(irq);
}

// Handle an interrupt if that is what scause says; returns which kind.
static int
devintr(void)
{
  uint64 scause = r_scause();

  if(scause == SCAUSE_EXTERNAL){
    external_intr();
    return INTR_DEVICE;
  }
  if(scause == SCAUSE_TIMER || scause == SCAUSE_SOFT){
    if(panicked)
      for(;;)   // another hart panicked: stop here
        ;
    uint64 interval = profile_interval();
    if(scause == SCAUSE_TIMER)
      csr_write(0x14d, r_time() + (interval ? interval : TICK_INTERVAL));   // stimecmp: next one
    else
      w_sip(r_sip() & ~2);   // timervec's tick: acknowledge SSIP
    return timerintr(interval != 0);
  }
  return INTR_NONE;
}

// The signal a fatal exception stands for (waitpid's WPOSIXSTATUS reports it).
// Faults are not catchable here: the process always ends.
static int
fault_signal(uint64 scause)
{
  switch(scause){
  case 2:  return SIGILL;    // illegal instruction
  case 3:  return SIGTRAP;   // breakpoint
  case 0: case 4: case 6: return SIGBUS;   // misaligned
  }
  return SIGSEGV;            // access and page faults
}

// A trap from user space, arriving from uservec in trampoline.S.
void
usertrap(void)
{
  if((r_sstatus() & SSTATUS_SPP) != 0)
    panic("usertrap: not from user mode");
  w_stvec((uint64)kernelvec);   // we are in the kernel now

  struct proc *p = myproc();
  p->trapframe->epc = r_sepc();
  uint64 scause = r_scause();
  int which = INTR_NONE;

  if(scause == SCAUSE_ECALL_U){
    if(killed(p))
      kexit_signal(killed(p));
    p->trapframe->epc += 4;   // return after the ecall
    intr_on();                // sepc, scause, sstatus are saved: allow interrupts
    syscall();
  } else if(timercause(scause)){
    profile_sample(1, p->trapframe->epc, p->trapframe->ra, p->trapframe->s0);
    which = devintr();
  } else if((which = devintr()) != INTR_NONE){
    // handled
  } else if((scause == SCAUSE_LOAD_PF || scause == SCAUSE_STORE_PF) &&
            vmfault(p->pagetable, r_stval(), scause == SCAUSE_STORE_PF) != 0){
    // a lazily allocated page, now mapped
  } else {
    printf("usertrap: pid %d (%s) killed: scause 0x%lx sepc 0x%lx stval 0x%lx\n",
           p->pid, p->name, scause, r_sepc(), r_stval());
    setkilled(p, fault_signal(scause));
  }

  if(killed(p))
    kexit_signal(killed(p));
  // Give up the hart at a tick, or sooner when this process has had it for a
  // whole slice: a server process whose next request is always waiting would
  // otherwise keep it for the full 10 ms tick while processes woken by the
  // network wait (8 keep-alive clients saw a p99 of 100-300 ms). The
  // profiler's interrupts leave scheduling as it would be without them.
  if(which == INTR_TIMER ||
     (which != INTR_PROFILE && r_time() - mycpu()->slice_start >= SLICE_US * (MTIME_HZ / 1000000)))
    yield();
  signal_deliver();   // may enter a handler, or exit
  usertrapret();
}

// Return to user space through userret in trampoline.S.
void
usertrapret(void)
{
  struct proc *p = myproc();

  // from here until sret, a trap would go to the kernel's vector in user mode.
  intr_off();
  w_stvec(TRAMPOLINE + (uservec - trampoline));

  // what uservec needs on the next trap.
  p->trapframe->kernel_sp = p->kstack + KSTACKPAGES * PGSIZE;
  p->trapframe->kernel_trap = (uint64)usertrap;
  p->trapframe->kernel_hartid = r_tp();

  // sret: to user mode (SPP = 0), interrupts on there (SPIE = 1), at epc.
  uint64 x = r_sstatus();
  x &= ~SSTATUS_SPP;
  x |= SSTATUS_SPIE;
  w_sstatus(x);
  w_sepc(p->trapframe->epc);

  // the scheduler (or exec) loaded p's table; returning to user mode on any
  // other would hand the process someone else's memory.
  if(r_satp() != MAKE_SATP(p->pagetable))
    panic("usertrapret: not on the process's page table");
  void (*enter)(void) = (void (*)(void))(TRAMPOLINE + (userret - trampoline));
  enter();
}

// A trap in supervisor mode, through kernelvec: only interrupts are expected.
void
kerneltrap(void)
{
  uint64 sepc = r_sepc();
  uint64 sstatus = r_sstatus();
  uint64 scause = r_scause();

  if((sstatus & SSTATUS_SPP) == 0)
    panic("kerneltrap: not from supervisor mode");
  if(sstatus & SSTATUS_SIE)
    panic("kerneltrap: interrupts enabled");

  if(timercause(scause)){
    // kernelvec saved the interrupted ra at the bottom of its frame, which is
    // just above ours; our prologue saved the interrupted s0 at our s0 - 16.
    uint64 *fp = __builtin_frame_address(0);
    profile_sample(0, sepc, fp[0], fp[-2]);
  }
  // an interrupt that woke the scheduler's wfi is not idle time (profile.c)
  mycpu()->idle = 0;
  int which = devintr();
  if(which == INTR_NONE){
    printf("kerneltrap: scause 0x%lx sepc 0x%lx stval 0x%lx\n",
           scause, sepc, r_stval());
    panic("kerneltrap");
  }
  if(which == INTR_TIMER && myproc() != 0)
    yield();

  // yield() may have run other code that took traps: restore ours for sret.
  w_sepc(sepc);
  w_sstatus(sstatus);
}
