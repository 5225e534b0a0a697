// profile.c: a sampling profiler. While a run is on, every hart is
// interrupted HZ times a second and the sampler records what it interrupted:
// the pc, the ra register, the process, user or kernel or idle, whether the
// kernel had interrupts off, and for kernel code the return addresses of a
// frame-pointer walk that never leaves the current kernel stack.
// tools/profile/run.py reads the samples through `prof dump` on the console and
// symbolises them against the ELF files.
//
// Machine-mode sampling (with Sstc, timer_sstc): the supervisor's ticks come from
// stimecmp, so the CLINT's machine timer is free. start() writes every hart's
// mtimecmp (the kernel maps the CLINT); each interrupt enters machinevec
// (kernelvec.S) on a small per-hart machine stack, which calls profile_msample()
// and mret's. A machine interrupt is taken whatever sstatus.SIE says, so samples
// land inside spinlocked code and inside interrupt handlers with the exact pc.
// Machine mode runs with paging off: kernel text, data and kalloc'd pages are
// direct-mapped and read as they are, but kernel stacks are not, so the walk
// translates each stack address through the interrupted satp's page table in
// software (a fault in machine mode would have nowhere to go: only RAM is read).
// The sampler may not take a lock (the hart it interrupted may hold it), so each
// hart's ring and (pid, name) table have a single writer, that hart's sampler,
// which publishes with release stores; the reader (profile() calls, serialised
// by oplock) reads with acquire loads and merges the harts' tables into the
// run's. The supervisor's ticks stay at TICK_HZ.
//
// Without Sstc the machine timer makes the ticks (timervec), and the supervisor
// timer interrupt samples instead, through the same record(): trap.c speeds it
// up to HZ and counts the extra interrupts out of the ticks. Its samples skid:
// the interrupt waits while the kernel holds a spinlock or has interrupts off,
// and is taken where they come back on (pop_off, intr_on); device interrupt
// handlers are never sampled.
//
// Caveats of machine-mode sampling: QEMU's TCG takes interrupts between
// translation blocks, so a pc is the start of a block, not any instruction, and
// a long block without branches gets its time at its start. ra names the
// caller only in a leaf or a prologue (run.py decides); the walk stops at code
// without a frame pointer. A sample in the trampoline or kernelvec before the
// stack switch has no walk.
//
// A full ring counts lost samples rather than overwriting. The rings
// (PROF_SAMPLES samples in all, 8 MiB) are taken from the page allocator at
// PROF_START and given back once a stopped run has been read to its end (or
// discarded, or replaced by the next run).
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
#define MCAUSE_MTI    ((1UL << 63) | 7)

extern char etext[];

static struct sleeplock oplock;   // one profile() call at a time: the only reader

// Set by start() before running goes to 1, read by the samplers after.
static struct {
  int running;                 // sampling is on (seq_cst: see record and stopsampling)
  int hz, harts;
  uint64 interval;             // mtime ticks between samples, 0 when stopped
  struct profsample *page[PROF_PAGES];   // harts rings of per pages; 0 if none held
  int per;                     // pages a ring has
  struct profcomm comm[PROF_NCOMM];      // the run's table, merged from the harts'
  int ncomm;
  ushort merged[NCPU][PROF_NCOMM];       // hart's comm index -> the run's; NONE: not yet
} prof;

// Each hart's ring and (pid, name) table: written by that hart's sampler only.
static struct ring {
  uint64 head;                 // next slot written (release: the slot is complete)
  uint64 tail;                 // next slot read; written by the reader only
  uint64 taken, lost;
  int busy;                    // the sampler is between its look at running and its end
  int ncomm;                   // entries of comm (release)
  int lastcomm;                // the last index used (a cache)
  struct profcomm comm[PROF_NCOMM];
} rings[NCPU];

void
profileinit(void)
{
  initsleeplock(&oplock, "profile");
}

// mtime ticks between supervisor timer interrupts while profiling without
// Sstc; 0 otherwise (with Sstc the machine timer samples: ticks stay as they are).
uint64
profile_interval(void)
{
  return timer_sstc ? 0 : __atomic_load_n(&prof.interval, __ATOMIC_RELAXED);
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
    n += __atomic_load_n(&rings[h].head, __ATOMIC_ACQUIRE) - rings[h].tail;
  return n;
}

// The index of (pid, name) in table t of *n entries, appended if new; or
// PROF_COMM_NONE if t is full. *last caches the previous answer.
static ushort
commof(struct profcomm *t, int *n, int *last, int pid, const char *name)
{
  int i;

  if(*last >= 0 && t[*last].pid == pid && strncmp(t[*last].name, name, 16) == 0)
    return *last;
  for(i = 0; i < *n; i++)
    if(t[i].pid == pid && strncmp(t[i].name, name, 16) == 0)
      return *last = i;
  if(i == PROF_NCOMM)
    return PROF_COMM_NONE;
  t[i].pid = pid;
  safestrcpy(t[i].name, name, sizeof(t[i].name));
  __atomic_store_n(n, i + 1, __ATOMIC_RELEASE);
  return *last = i;
}

static int
inram(uint64 pa)
{
  return pa >= KERNBASE && pa <= PHYSTOP - 8;
}

// The physical address of kernel address va under satp, or 0: a walk of the
// Sv39 table in software, for machine mode, where paging is off. Only tables
// and pages in RAM are followed, and only readable pages answer.
static uint64
kpa(uint64 satp, uint64 va)
{
  if((satp >> 60) != ((uint64)SATP_SV39 >> 60))   // paging off (bare)
    return inram(va) ? va : 0;
  uint64 pt = (satp & ((1UL << 44) - 1)) << PGSHIFT;
  for(int level = 2; level >= 0 && inram(pt); level--){
    pte_t pte = ((pagetable_t)pt)[PX(level, va)];
    if((pte & PTE_V) == 0)
      return 0;
    if(pte & (PTE_R | PTE_X)){   // a leaf, perhaps a superpage
      uint64 pa = PTE2PA(pte) + (va & ((1UL << PXSHIFT(level)) - 1));
      return (pte & PTE_R) && inram(pa) ? pa : 0;
    }
    pt = PTE2PA(pte);
  }
  return 0;
}

// The bounds [lo, hi) of the kernel stack sp is on, on hart h; 0 if none is known.
static int
stackof(int h, uint64 sp, uint64 *lo, uint64 *hi)
{
  uint64 span = (KSTACKPAGES + 1) * PGSIZE;   // a stack and its guard page

  if(sp > KSTACK(NPROC - 1) && sp <= KSTACK_TOP){
    *lo = KSTACK((KSTACK_TOP - 1 - sp) / span);
    *hi = *lo + KSTACKPAGES * PGSIZE;
  } else {
    bootstack(h, lo, hi);
  }
  return sp > *lo && sp <= *hi;
}

// Return addresses from fp up, while each frame lies inside sp's stack and
// each address is kernel text: s0 points just above a frame, which keeps the
// return address at s0-8 and the caller's s0 at s0-16.
static void
fpwalk(struct profsample *s, int h, uint64 sp, uint64 fp, uint64 satp)
{
  uint64 lo, hi;
  int d = 0;

  if(stackof(h, sp, &lo, &hi)){
    while(d < PROF_DEPTH && fp >= lo + 16 && fp <= hi && (fp & 7) == 0){
      uint64 r = kpa(satp, fp - 8), n = kpa(satp, fp - 16);
      if(r == 0 || n == 0)
        break;
      uint64 ret = *(uint64*)r, next = *(uint64*)n;
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

// One sample on hart h, from either sampler; takes no lock. pc, ra, sp, fp
// (s0) and satp are the interrupted code's. Returns the interval to the next
// sample, 0 if the run is off. busy tells stopsampling() that the rings are in use.
static uint64
record(int h, int mode, uint64 pc, uint64 ra, uint64 sp, uint64 fp, uint64 satp)
{
  struct ring *r = &rings[h];
  uint64 interval = 0;

  __atomic_store_n(&r->busy, 1, __ATOMIC_SEQ_CST);
  if(__atomic_load_n(&prof.running, __ATOMIC_SEQ_CST) && h < prof.harts){
    interval = prof.interval;
    uint64 head = r->head;
    __atomic_store_n(&r->taken, r->taken + 1, __ATOMIC_RELAXED);
    if(head - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) >= (uint64)prof.per * PER_PAGE){
      __atomic_store_n(&r->lost, r->lost + 1, __ATOMIC_RELAXED);
    } else {
      struct proc *p = __atomic_load_n(&cpus[h].proc, __ATOMIC_RELAXED);
      struct profsample *s = slot(h, head);
      int user = (mode & PROF_MODE) == PROF_USER;
      s->pc = pc;
      s->ra = ra;
      s->hart = h;
      s->mode = mode;
      s->pid = p ? p->pid : 0;
      s->comm = commof(r->comm, &r->ncomm, &r->lastcomm, s->pid, p ? p->name : "-");
      s->upc = !user && p ? p->trapframe->epc : 0;
      if(user)
        s->stack[0] = 0;
      else
        fpwalk(s, h, sp, fp, satp);
      __atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
    }
  }
  __atomic_store_n(&r->busy, 0, __ATOMIC_RELEASE);
  return interval;
}

// The supervisor timer's sample, from the trap handlers, interrupts off: pc,
// ra and fp (s0) are the interrupted code's; user says whose. Only without
// Sstc: with it, the machine timer samples (profile_msample).
void
profile_sample(int user, uint64 pc, uint64 ra, uint64 fp)
{
  if(timer_sstc || !__atomic_load_n(&prof.running, __ATOMIC_RELAXED))
    return;
  int h = cpuid();
  record(h, user ? PROF_USER : mycpu()->idle ? PROF_IDLE : PROF_KERNEL, pc, ra, r_sp(), fp,
         r_satp());
}

// Machine mode, paging off, from machinevec (kernelvec.S) at each machine
// timer interrupt: sp, ra and fp (s0) are the interrupted code's. Uses no tp
// (user code's own in user mode): the hart is mhartid. Re-arms the timer, or
// leaves it off once the run is.
void
profile_msample(uint64 sp, uint64 ra, uint64 fp)
{
  int h = r_mhartid();
  uint64 mstatus = r_mstatus();
  int mode = PROF_USER;

  if(csr_read(mcause) != MCAUSE_MTI)
    for(;;)   // a fault in machine mode: nothing can report it
      asm volatile("wfi");
  if((mstatus & MSTATUS_MPP_MASK) != MSTATUS_MPP_U){
    // the scheduler's wfi (kerneltrap clears idle for the interrupts it takes)
    mode = __atomic_load_n(&cpus[h].idle, __ATOMIC_RELAXED) ? PROF_IDLE : PROF_KERNEL;
    if((mstatus & MSTATUS_SIE) == 0)   // the supervisor had interrupts off
      mode |= PROF_IRQSOFF;
  }
  uint64 interval = record(h, mode, csr_read(mepc), ra, sp, fp, csr_read(satp));
  *(volatile uint64*)CLINT_MTIMECMP(h) = interval ? *(volatile uint64*)CLINT_MTIME + interval : ~0UL;
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
  prof.harts = 0;
  for(int h = 0; h < NCPU; h++)
    rings[h].head = rings[h].tail = 0;
}

// Turn sampling on (the rings are ready) or off. Off returns once no sampler
// is still using the rings, which may then be freed: a sampler either sees
// running at 0 or has said it is busy before it looked (both seq_cst).
static void
setrunning(int on)
{
  uint64 interval = on ? MTIME_HZ / prof.hz : 0;

  if(on)
    __atomic_store_n(&prof.interval, interval, __ATOMIC_RELAXED);
  __atomic_store_n(&prof.running, on, __ATOMIC_SEQ_CST);
  if(!on){
    for(int h = 0; h < NCPU; h++)
      while(__atomic_load_n(&rings[h].busy, __ATOMIC_SEQ_CST))
        ;
    __atomic_store_n(&prof.interval, 0, __ATOMIC_RELAXED);
  }
  if(!timer_sstc)
    timer_set_interval(on ? interval : MTIME_HZ / TICK_HZ);
  else if(on)   // every hart's first machine timer interrupt; each re-arms its own
    for(int h = 0; h < prof.harts; h++)
      *(volatile uint64*)DEVICE_VA(CLINT_MTIMECMP(h)) = r_time() + interval;
  // (off: each hart's sampler sets its mtimecmp to the far future at its next interrupt)
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
  prof.harts = harts;
  prof.per = per;
  prof.ncomm = 0;
  memset(prof.merged, 0xff, sizeof(prof.merged));   // PROF_COMM_NONE
  for(int h = 0; h < NCPU; h++){
    rings[h].taken = rings[h].lost = 0;
    rings[h].ncomm = 0;
    rings[h].lastcomm = -1;
  }
  prof.hz = hz;
  setrunning(1);
  return 0;
}

// Merge the harts' (pid, name) tables into the run's: merged[h][i] says where
// hart h's entry i went.
static void
mergecomms(void)
{
  int last = -1;

  for(int h = 0; h < prof.harts; h++){
    int n = __atomic_load_n(&rings[h].ncomm, __ATOMIC_ACQUIRE);
    for(int i = 0; i < n; i++)
      if(prof.merged[h][i] == PROF_COMM_NONE)   // (a full run's table says NONE again)
        prof.merged[h][i] = commof(prof.comm, &prof.ncomm, &last, rings[h].comm[i].pid,
                                   rings[h].comm[i].name);
  }
}

// Copy up to n samples to user address dst, oldest first, hart by hart.
static long
readsamples(uint64 dst, long n)
{
  struct profsample *bounce = kalloc();
  long done = 0;

  if(bounce == 0)
    return -ENOMEM;
  mergecomms();
  while(done < n){
    int h, k = 0;
    uint64 head = 0;
    for(h = 0; h < prof.harts; h++)
      if((head = __atomic_load_n(&rings[h].head, __ATOMIC_ACQUIRE)) != rings[h].tail)
        break;
    if(h == prof.harts)
      break;
    for(; k < PER_PAGE && k < n - done && k < head - rings[h].tail; k++){
      bounce[k] = *slot(h, rings[h].tail + k);
      if(bounce[k].comm != PROF_COMM_NONE)   // the hart's index -> the run's
        bounce[k].comm = prof.merged[h][bounce[k].comm];
    }
    if(copyout(myproc()->pagetable, dst + done * sizeof(*bounce), (char*)bounce,
               k * sizeof(*bounce)) < 0){
      if(done == 0)
        done = -EFAULT;
      break;
    }
    __atomic_store_n(&rings[h].tail, rings[h].tail + k, __ATOMIC_RELEASE);  // the slots are free
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
  memset(&pi, 0, sizeof(pi));
  pi.hz = prof.hz;
  pi.running = prof.running;
  pi.harts = prof.harts;
  pi.held = held();
  mergecomms();
  pi.ncomm = prof.ncomm;
  for(int h = 0; h < prof.harts; h++){
    pi.taken += __atomic_load_n(&rings[h].taken, __ATOMIC_RELAXED);
    pi.lost += __atomic_load_n(&rings[h].lost, __ATOMIC_RELAXED);
  }
  pi.capacity = prof.harts ? (uint64)prof.per * PER_PAGE : 0;
  pi.machine = timer_sstc;
  return copyout(myproc()->pagetable, dst, (char*)&pi, sizeof(pi)) < 0 ? -EFAULT : 0;
}

static long
comms(uint64 dst, int len)
{
  if(len < (int)sizeof(struct profcomm))
    return -EINVAL;
  mergecomms();
  long n = prof.ncomm;
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
    r = held();
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
