// sleeplock.c: locks held across disk I/O and other long waits; a waiter sleeps
// instead of spinning. Only processes may take them (they record the owner's pid).
#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "proc.h"
#include "sleeplock.h"

void
initsleeplock(struct sleeplock *lk, char *name)
{
  initlock(&lk->lk, "sleep lock");
  lk->name = name;
  lk->locked = 0;
  lk->pid = 0;
}

void
acquiresleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  while(lk->locked)
    sleep(lk, &lk->lk);
  lk->locked = 1;
  lk->pid = myproc()->pid;
  release(&lk->lk);
}

void
releasesleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  lk->locked = 0;
  lk->pid = 0;
  wakeup(lk);
  release(&lk->lk);
}

// Does the calling process hold lk? Read without lk->lk: if we hold it, only
// we can change the fields, and if we don't, no value they pass through is ours.
int
holdingsleep(struct sleeplock *lk)
{
  struct proc *p = myproc();

  return *(volatile uint*)&lk->locked && p != 0 && *(volatile int*)&lk->pid == p->pid;
}
