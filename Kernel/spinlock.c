// spinlock.c: mutual exclusion by spinning. Holding a spinlock keeps interrupts
// off on this hart (push_off), so an interrupt handler can never spin on a lock
// that the code it interrupted holds.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "riscv.h"
#include "proc.h"
#include "defs.h"

void
initlock(struct spinlock *lk, char *name)
{
  lk->name = name;
  lk->locked = 0;
  lk->cpu = 0;
}

void
acquire(struct spinlock *lk)
{
  push_off();
  if(holding(lk))
    panic(lk->name ? lk->name : "acquire");   // re-acquire: a kernel bug

  // amoswap.w.aq: the critical section's accesses stay after the swap.
  while(__sync_lock_test_and_set(&lk->locked, 1) != 0)
    ;
  __sync_synchronize();
  lk->cpu = mycpu();
}

void
release(struct spinlock *lk)
{
  if(!holding(lk))
    panic(lk->name ? lk->name : "release");
  lk->cpu = 0;
  // the critical section's stores become visible before the lock is free.
  __sync_synchronize();
  __sync_lock_release(&lk->locked);
  pop_off();
}

// Is this hart holding lk? Call with interrupts off.
int
holding(struct spinlock *lk)
{
  return lk->locked && lk->cpu == mycpu();
}

// push_off/pop_off are intr_off/intr_on that nest: interrupts come back on only
// when the outermost pop_off runs, and only if they were on before the first push.
void
push_off(void)
{
  int old = intr_off_was_on();
  struct cpu *c = mycpu();
  if(c->noff == 0)
    c->intena = old;
  c->noff++;
}

void
pop_off(void)
{
  struct cpu *c = mycpu();
  // xv6 also checks here that interrupts are still off; that costs a CSR read
  // per release under TCG, and sched() and kerneltrap() keep the same check.
  if(c->noff < 1)
    panic("pop_off: unbalanced");
  c->noff--;
  if(c->noff == 0 && c->intena)
    intr_on();
}
