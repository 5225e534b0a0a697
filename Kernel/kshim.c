// Kernel services for the Swift modules (declared in CShims/include/kshim.h):
// locks, sleep/wakeup, DMA pages and the console, built on xv6's own
// spinlock.c, proc.c, kalloc.c and printf.c.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "defs.h"
#include "kshim.h"

// A spinlock plus a private copy of its name: Swift may pass a
// temporary string, and spinlock.c keeps only the pointer.
struct kshim_lock {
  struct spinlock lk;
  char name[24];
};

struct kshim_lock*
kshim_lock_create(const char *name)
{
  struct kshim_lock *l = kmalloc(sizeof(*l));

  if(l == 0)
    panic("kshim_lock_create: out of memory");
  safestrcpy(l->name, name, sizeof(l->name));
  initlock(&l->lk, l->name);
  return l;
}

void
kshim_lock_acquire(struct kshim_lock *l)
{
  acquire(&l->lk);
}

void
kshim_lock_release(struct kshim_lock *l)
{
  release(&l->lk);
}

void
kshim_sleep(const void *chan, struct kshim_lock *l)
{
  sleep((void*)chan, &l->lk);
}

void
kshim_wakeup(const void *chan)
{
  wakeup((void*)chan);
}

void*
kshim_alloc_pages(uint64_t n)
{
  void *p = kalloc_pages(n);

  // DMA memory starts zeroed: a fresh virtqueue must read as empty.
  if(p)
    memset(p, 0, n * PGSIZE);
  return p;
}

void
kshim_free_pages(void *p, uint64_t n)
{
  kfree_pages(p, n);
}

void
kshim_print(const char *s)
{
  printf("%s", s);
}

void
kshim_panic(const char *s)
{
  panic(s);
}

uint64_t
kshim_uptime_ms(void)
{
  return uptime_ms();
}
