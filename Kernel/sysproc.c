// sysproc.c: system calls about processes, time and the machine.
#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "proc.h"
#include "kstat.h"
#include "errnum.h"

uint64
sys_exit(void)
{
  int n;

  argint(0, &n);
  kexit(n);
}

uint64
sys_getpid(void)
{
  return myproc()->pid;
}

uint64
sys_getppid(void)
{
  return kgetppid();
}

uint64
sys_fork(void)
{
  return kfork();
}

uint64
sys_wait(void)
{
  uint64 addr;

  argaddr(0, &addr);
  return kwait(-1, addr, 0);
}

// waitpid(pid, status, options): wait for child pid (or any child, if pid is
// -1); with WNOHANG, return 0 at once if it has not exited yet. A server that
// forks a process per connection reaps them this way without blocking.
// WPOSIXSTATUS (sigabi.h) asks for Linux's encoding of the status.
uint64
sys_waitpid(void)
{
  int pid, options;
  uint64 addr;

  argint(0, &pid);
  argaddr(1, &addr);
  argint(2, &options);
  if((options & ~(WNOHANG | WPOSIXSTATUS)) != 0 || pid == 0 || pid < -1)
    return -1;
  return kwait(pid, addr, options);
}

// sbrk(n, type): grow or shrink memory by n bytes; returns the old end, or -1.
// SBRK_LAZY growth only moves p->sz: pages are mapped when first touched
// (vmfault). Any other type, and any shrinking, takes effect at once.
uint64
sys_sbrk(void)
{
  int n, type;
  struct proc *p = myproc();
  uint64 addr = p->sz;

  argint(0, &n);
  argint(1, &type);
  if(type == SBRK_LAZY && n > 0){
    if(addr + n > MAXUVA)
      return -1;
    p->sz += n;
  } else if(growproc(n) < 0){
    return -1;
  }
  return addr;
}

// pause(n) (xv6's sleep): wait n ticks. Returns 0, or -EINTR if a signal
// (or a kill) came first; it is never restarted.
uint64
sys_pause(void)
{
  int n;

  argint(0, &n);
  if(n < 0)
    n = 0;
  acquire(&tickslock);
  // Count from the clock's tick, not from `ticks`: that may lag the clock by
  // a late timer interrupt, and catching up at once would end the pause early.
  uint start = clock_ticks();
  while((int)(ticks - start) < n){   // signed: ticks may still be behind start
    if(interrupted(myproc())){
      release(&tickslock);
      return -EINTR;
    }
    sleep_killable(&ticks, &tickslock);
  }
  release(&tickslock);
  return 0;
}

uint64
sys_kill(void)
{
  int pid;

  argint(0, &pid);
  return kkill(pid);
}

// Ticks since boot.
uint64
sys_uptime(void)
{
  acquire(&tickslock);
  uint t = ticks;
  release(&tickslock);
  return t;
}

// Power the machine off through the virt test finisher. QEMU exits at the store;
// if there is no finisher, return -1.
uint64
sys_poweroff(void)
{
  *(volatile uint32*)TESTFINISHER = TESTFINISHER_POWEROFF;
  return -1;
}

// kstat(what): a kernel statistic (selectors in kstat.h), or -1.
uint64
sys_kstat(void)
{
  int what;

  argint(0, &what);
  switch(what){
  case KSTAT_FREEPAGES:
    return kfreepages();
  case KSTAT_NPROC:
    return nproc_used();
  case KSTAT_KMALLOC:
    return kmalloc_inuse();
  case KSTAT_KSTACK:
    return kstack_maxuse();
  case KSTAT_TICKS:
    return sys_uptime();
  case KSTAT_COV_HIT:
    return kcov_hits();
  case KSTAT_COV_TOTAL:
    return kcov_total();
  case KSTAT_FREEBLOCKS:
    return fs_freeblocks();
  case KSTAT_FREEINODES:
    return fs_freeinodes();
  case KSTAT_POLLSCANS:
    return poll_scans();
  }
  return -1;
}
