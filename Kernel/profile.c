// profile.c: a sampling profiler. While it runs, every hart's timer interrupts
// at the run's rate (trap.c keeps the tick at TICK_HZ by counting the extra
// interrupts out), and each interrupt records what it interrupted: the pc, the
// ra register, the process, user or kernel or idle, and for kernel code the
// return addresses of a frame-pointer walk that never leaves the current kernel
// stack. tools/profile/run.py reads the samples through `prof dump` on the
// console and symbolises them against the ELF files.
//
// Each hart writes only its own ring; a full ring counts lost samples rather
// than overwriting. The rings (PROF_SAMPLES samples in all, 8 MiB) are taken
// from the page allocator at PROF_START and given back once a stopped run has
// been read to its end (or discarded, or replaced by the next run).
//
// Caveat: the timer interrupt is masked while the kernel holds a spinlock or
// has interrupts off, so such time is charged to the place where interrupts
// come back on (pop_off, intr_on): the stack of that sample shows whose it was.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "defs.h"
#include "errnum.h"
#include "profile.h"

#define PROF_SAMPLES  65536                               // in all rings together
#define PER_PAGE      (PGSIZE / sizeof(struct profsample))
#define PROF_PAGES    (PROF_SAMPLES / PER_PAGE)
_Static_assert(sizeof(struct profsample) == 128, "32 samples a page");
#define PROF_RESERVE  2048   // pages that must stay free for the rest of the kernel

extern char etext[];

// Lock order: oplock, then prof.lock.
static struct sleeplock oplock;   // one profile() call at a time: the reader moves the tails

static struct {
  struct spinlock lock;        // guards all below but interval; the timer interrupt takes it
  int running;                 // also read without the lock as a hint
  int hz, harts;
  uint64 interval;             // mtime ticks between samples, 0 when stopped (read unlocked)
  struct profsample *page[PROF_PAGES];   // harts rings of per pages; 0 if none held
  int per;                     // pages a ring has
  struct { uint64 head, tail; } ring[NCPU];   // head: next written; tail: next read
  uint64 taken, lost;
  struct profcomm comm[PROF_NCOMM];      // entries are only appended: read up to ncomm
  int ncomm;
  int lastcomm[NCPU];          // each hart's last comm index (a cache)
} prof;

void
profileinit(void)
{
  initlock(&prof.lock, "profile");
  initsleeplock(&oplock, "profile");
}

// mtime ticks between timer interrupts while profiling; 0 when not.
uint64
profile_interval(void)
{
  return __atomic_load_n(&prof.interval, __ATOMIC_RELAXED);
}

static struct profsample*
slot(int hart, uint64 i)
{
  uint64 k = i % (prof.per * PER_PAGE);

  return &prof.page[hart * prof.per + k / PER_PAGE][k % PER_PAGE];
}

static uint64
held(void)
{
  uint64 n = 0;

  for(int h = 0; h < prof.harts; h++)
    n += prof.ring[h].head - prof.ring[h].tail;
  return n;
}

// The comm table index of (pid, name); caller holds prof.lock.
static ushort
commof(int pid, const char *name)
{
  int *last = &prof.lastcomm[cpuid()];
  int i;

  if(*last >= 0 && prof.comm[*last].pid == pid && strncmp(prof.comm[*last].name, name, 16) == 0)
    return *last;
  for(i = 0; i < prof.ncomm; i++)
    if(prof.comm[i].pid == pid && strncmp(prof.comm[i].name, name, 16) == 0)
      return *last = i;
  if(prof.ncomm == PROF_NCOMM)
    return PROF_COMM_NONE;
  prof.comm[i].pid = pid;
  safestrcpy(prof.comm[i].name, name, sizeof(prof.comm[i].name));
  __atomic_store_n(&prof.ncomm, i + 1, __ATOMIC_RELEASE);
  return *last = i;
}

// The bounds [lo, hi) of the kernel stack sp is on; 0 if none is known.
static int
stackof(uint64 sp, uint64 *lo, uint64 *hi)
{
  uint64 span = (KSTACKPAGES + 1) * PGSIZE;   // a stack and its guard page

  if(sp > KSTACK(NPROC - 1) && sp <= KSTACK_TOP){
    *lo = KSTACK((KSTACK_TOP - 1 - sp) / span);
    *hi = *lo + KSTACKPAGES * PGSIZE;
  } else {
    bootstack(cpuid(), lo, hi);
  }
  return sp > *lo && sp <= *hi;
}

// Return addresses from fp up, while each frame lies inside this stack and
// each address is kernel text: s0 points just above a frame, which keeps the
// return address at s0-8 and the caller's s0 at s0-16.
static void
fpwalk(struct profsample *s, uint64 fp)
{
  uint64 lo, hi;
  int d = 0;

  if(stackof(r_sp(), &lo, &hi)){
    while(d < PROF_DEPTH && fp >= lo + 16 && fp <= hi && (fp & 7) == 0){
      uint64 ret = ((uint64*)fp)[-1], next = ((uint64*)fp)[-2];
      if(ret < KERNBASE || ret >= (uint64)etext)
        break;
      s->stack[d++] = ret;
      if(next <= fp)   // frames lie ever higher on the stack
        break;
      fp = next;
    }
  }
  if(d < PROF_DEPTH)
    s->stack[d] = 0;
}

// From the trap handlers, at each timer interrupt, interrupts off: pc, ra and
// fp (s0) are the interrupted code's; user says whose.
void
profile_sample(int user, uint64 pc, uint64 ra, uint64 fp)
{
  if(!__atomic_load_n(&prof.running, __ATOMIC_RELAXED))
    return;
  int id = cpuid();
  struct proc *p = myproc();

  acquire(&prof.lock);
  if(!prof.running || id >= prof.harts){
    release(&prof.lock);
    return;
  }
  prof.taken++;
  if(prof.ring[id].head - prof.ring[id].tail >= (uint64)prof.per * PER_PAGE){
    prof.lost++;
    release(&prof.lock);
    return;
  }
  struct profsample *s = slot(id, prof.ring[id].head);
  s->pc = pc;
  s->ra = ra;
  s->hart = id;
  s->mode = user ? PROF_USER : mycpu()->idle ? PROF_IDLE : PROF_KERNEL;
  s->pid = p ? p->pid : 0;
  s->comm = commof(s->pid, p ? p->name : "-");
  s->upc = !user && p ? p->trapframe->epc : 0;
  if(user)
    s->stack[0] = 0;
  else
    fpwalk(s, fp);
  prof.ring[id].head++;
  release(&prof.lock);
}

// Give the rings back; caller holds oplock, and sampling is stopped.
static void
freerings(void)
{
  for(int i = 0; i < PROF_PAGES; i++){
    if(prof.page[i])
      kfree(prof.page[i]);
    prof.page[i] = 0;
  }
  acquire(&prof.lock);
  prof.harts = 0;
  for(int h = 0; h < NCPU; h++)
    prof.ring[h].head = prof.ring[h].tail = 0;
  release(&prof.lock);
}

static void
setrunning(int on)
{
  uint64 interval = on ? MTIME_HZ / prof.hz : 0;

  acquire(&prof.lock);
  prof.running = on;
  __atomic_store_n(&prof.interval, interval, __ATOMIC_RELAXED);
  release(&prof.lock);
  timer_set_interval(interval ? interval : MTIME_HZ / TICK_HZ);
}

static int
start(int hz)
{
  if(hz == 0)
    hz = PROF_HZ_DEFAULT;
  if(hz < PROF_HZ_MIN || hz > PROF_HZ_MAX)
    return -EINVAL;
  if(prof.running)
    return -EBUSY;
  freerings();
  int harts = nharts();
  int per = PROF_PAGES / harts;
  if(kfreepages() < (uint64)(harts * per + PROF_RESERVE))
    return -ENOMEM;
  for(int i = 0; i < harts * per; i++)
    if((prof.page[i] = kalloc()) == 0){
      freerings();
      return -ENOMEM;
    }
  acquire(&prof.lock);
  prof.harts = harts;
  prof.per = per;
  prof.taken = prof.lost = 0;
  prof.ncomm = 0;
  for(int h = 0; h < NCPU; h++)
    prof.lastcomm[h] = -1;
  prof.hz = hz;
  release(&prof.lock);
  setrunning(1);
  return 0;
}

// Copy up to n samples to user address dst, oldest first, hart by hart.
static long
readsamples(uint64 dst, long n)
{
  struct profsample *bounce = kalloc();
  long done = 0;

  if(bounce == 0)
    return -ENOMEM;
  while(done < n){
    int h, k = 0;
    acquire(&prof.lock);
    for(h = 0; h < prof.harts && prof.ring[h].head == prof.ring[h].tail; h++)
      ;
    if(h < prof.harts){
      uint64 avail = prof.ring[h].head - prof.ring[h].tail;
      for(; k < PER_PAGE && k < n - done && k < avail; k++)
        bounce[k] = *slot(h, prof.ring[h].tail + k);
    }
    release(&prof.lock);
    if(k == 0)
      break;
    if(copyout(myproc()->pagetable, dst + done * sizeof(*bounce), (char*)bounce,
               k * sizeof(*bounce)) < 0){
      if(done == 0)
        done = -EFAULT;
      break;
    }
    acquire(&prof.lock);
    prof.ring[h].tail += k;    // only this call moves tails (oplock)
    release(&prof.lock);
    done += k;
  }
  kfree(bounce);
  if(!prof.running && held() == 0)
    freerings();
  return done;
}

static long
info(uint64 dst, int len)
{
  struct profinfo pi;

  if(len < (int)sizeof(pi))
    return -EINVAL;
  acquire(&prof.lock);
  pi.hz = prof.hz;
  pi.running = prof.running;
  pi.harts = prof.harts;
  pi.ncomm = prof.ncomm;
  pi.held = held();
  pi.taken = prof.taken;
  pi.lost = prof.lost;
  pi.capacity = prof.harts ? (uint64)prof.per * PER_PAGE : 0;
  release(&prof.lock);
  return copyout(myproc()->pagetable, dst, (char*)&pi, sizeof(pi)) < 0 ? -EFAULT : 0;
}

static long
comms(uint64 dst, int len)
{
  if(len < (int)sizeof(struct profcomm))
    return -EINVAL;
  long n = __atomic_load_n(&prof.ncomm, __ATOMIC_ACQUIRE);
  if(n > len / (long)sizeof(struct profcomm))
    n = len / sizeof(struct profcomm);
  if(copyout(myproc()->pagetable, dst, (char*)prof.comm, n * sizeof(struct profcomm)) < 0)
    return -EFAULT;
  return n;
}

// profile(op, buf, len): kernel/profile.h.
uint64
sys_profile(void)
{
  int op, len;
  uint64 buf;
  long r;

  argint(0, &op);
  argaddr(1, &buf);
  argint(2, &len);
  acquiresleep(&oplock);
  switch(op){
  case PROF_START:
    r = start(len);
    break;
  case PROF_STOP:
    if(prof.running)
      setrunning(0);
    acquire(&prof.lock);
    r = held();
    release(&prof.lock);
    if(r == 0)
      freerings();
    break;
  case PROF_READ:
    r = len < (int)sizeof(struct profsample) ? -EINVAL :
        readsamples(buf, len / sizeof(struct profsample));
    break;
  case PROF_INFO:
    r = info(buf, len);
    break;
  case PROF_COMMS:
    r = comms(buf, len);
    break;
  case PROF_DISCARD:
    if(prof.running)
      setrunning(0);
    freerings();
    r = 0;
    break;
  default:
    r = -EINVAL;
  }
  releasesleep(&oplock);
  return r;
}
