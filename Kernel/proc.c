// proc.c: processes and the scheduler.
//
// Locks, in the order they are taken: wait_lock, then a proc's p->lock, then
// pid_lock. wait_lock guards every p->parent and serialises exit against wait,
// so a parent never misses a child's wakeup. p->lock guards p->state, chan,
// killed, xstate, pid and the signal state (see proc.h); alarm_lock
// (signal.c) comes before it.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "errnum.h"

struct cpu cpus[NCPU];
struct proc proc[NPROC];
struct proc *initproc;

static int nextpid = 1;
static struct spinlock pid_lock;
static struct spinlock wait_lock;

extern char trampoline[];   // trampoline.S
static void forkret(void);
static void freeproc(struct proc *p);

// Kernel stacks are filled with this word while unused, so the depth a stack
// ever reached shows as the part no longer holding it (kstat KSTAT_KSTACK).
#define KSTACK_FILL 0x6b73746b6b73746bUL   // "kstkkstk"
#define KSTACK_BYTES (KSTACKPAGES * PGSIZE)
static uint64 kstack_peak;                 // deepest use of stacks since refilled

// Map every process's kernel stack (KSTACKPAGES pages; the page below each is
// left unmapped as a guard) into the kernel page table. Paging is still off.
void
proc_mapstacks(pagetable_t kpt)
{
  for(int i = 0; i < NPROC; i++){
    for(int k = 0; k < KSTACKPAGES; k++){
      uint64 *pa = kalloc();
      if(pa == 0)
        panic("proc_mapstacks: out of memory");
      for(int w = 0; w < PGSIZE / 8; w++)
        pa[w] = KSTACK_FILL;
      kvmmap(kpt, KSTACK(i) + k * PGSIZE, (uint64)pa, PGSIZE, PTE_R | PTE_W);
    }
  }
}

// Bytes of p's kernel stack used since it was last filled.
static uint64
kstack_used(struct proc *p)
{
  uint64 *w = (uint64*)p->kstack;
  uint64 n = 0;

  while(n < KSTACK_BYTES / 8 && w[n] == KSTACK_FILL)
    n++;
  return KSTACK_BYTES - n * 8;
}

// Deepest kernel-stack use seen, in bytes: stacks measured before their last
// refill, and all stacks as they are now.
uint64
kstack_maxuse(void)
{
  uint64 peak = kstack_peak;

  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    uint64 u = kstack_used(p);
    if(u > peak)
      peak = u;
  }
  return peak;
}

void
procinit(void)
{
  initlock(&pid_lock, "nextpid");
  initlock(&wait_lock, "wait_lock");
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    initlock(&p->lock, "proc");
    p->state = UNUSED;
    p->kstack = KSTACK((int)(p - proc));
  }
}

// This hart's number. Interrupts must be off, or the process could move.
int
cpuid(void)
{
  return r_tp();
}

struct cpu*
mycpu(void)
{
  return &cpus[cpuid()];
}

// The process running on this hart, or 0 in the scheduler. Found from the
// stack pointer: a process runs in the kernel only on its own kernel stack
// (KSTACK(index)), the scheduler on its boot stack. Unlike reading
// mycpu()->proc, this needs no push_off/pop_off (four sstatus accesses, over a
// microsecond under TCG) and cannot be confused by a move to another hart.
struct proc*
myproc(void)
{
  uint64 sp = r_sp();
  uint64 span = (KSTACKPAGES + 1) * PGSIZE;   // a stack and its guard page

  if(sp <= KSTACK(NPROC - 1) || sp > KSTACK_TOP)
    return 0;
  return &proc[(KSTACK_TOP - 1 - sp) / span];
}

static int
allocpid(void)
{
  acquire(&pid_lock);
  int pid = nextpid++;
  release(&pid_lock);
  return pid;
}

// Claim an UNUSED slot and set it up to start in forkret(); returns it with
// p->lock held, or 0 if no slot or memory is free.
static struct proc*
allocproc(void)
{
  struct proc *p;

  for(p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->state == UNUSED)
      break;
    release(&p->lock);
  }
  if(p == &proc[NPROC])
    return 0;

  p->pid = allocpid();
  p->state = USED;
  if((p->trapframe = (struct trapframe*)kalloc()) == 0 ||
     (p->pagetable = proc_pagetable(p)) == 0){
    freeproc(p);
    release(&p->lock);
    return 0;
  }
  p->tlb_epoch = tlb_epoch_new();

  // remember how deep the previous user of this stack went, then refill the
  // part it used.
  uint64 used = kstack_used(p);
  if(used > kstack_peak)
    kstack_peak = used;
  for(uint64 *w = (uint64*)(p->kstack + KSTACK_BYTES - used); w < (uint64*)(p->kstack + KSTACK_BYTES); w++)
    *w = KSTACK_FILL;

  memset(&p->context, 0, sizeof(p->context));
  p->context.ra = (uint64)forkret;
  p->context.sp = p->kstack + KSTACK_BYTES;
  return p;
}

// Release a slot and everything hanging from it. Caller holds p->lock.
static void
freeproc(struct proc *p)
{
  if(p->trapframe)
    kfree(p->trapframe);
  p->trapframe = 0;
  if(p->pagetable)
    proc_freepagetable(p->pagetable, p->sz);
  p->pagetable = 0;
  p->sz = 0;
  p->pid = 0;
  p->parent = 0;
  p->name[0] = 0;
  p->chan = 0;
  p->killed = 0;
  p->xstate = 0;
  signal_clear(p);
  p->state = UNUSED;
}

// A user page table with only the trampoline and p's trapframe mapped, or 0.
pagetable_t
proc_pagetable(struct proc *p)
{
  pagetable_t pt = uvmcreate();

  if(pt == 0)
    return 0;
  // the trampoline is not PTE_U: only supervisor mode runs it.
  if(mappages(pt, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R | PTE_X) < 0){
    uvmfree(pt, 0);
    return 0;
  }
  if(mappages(pt, TRAPFRAME, PGSIZE, (uint64)p->trapframe, PTE_R | PTE_W) < 0){
    uvmunmap(pt, TRAMPOLINE, 1, 0);
    uvmfree(pt, 0);
    return 0;
  }
  return pt;
}

void
proc_freepagetable(pagetable_t pt, uint64 sz)
{
  uvmunmap(pt, TRAMPOLINE, 1, 0);
  uvmunmap(pt, TRAPFRAME, 1, 0);
  uvmfree(pt, sz);
}

// The first process. It has no memory yet: on its first run forkret() mounts
// the file system and execs /init into it.
void
userinit(void)
{
  struct proc *p = allocproc();

  if(p == 0)
    panic("userinit");
  initproc = p;
  safestrcpy(p->name, "init", sizeof(p->name));
  p->state = RUNNABLE;
  release(&p->lock);
}

// Grow (n > 0) or shrink (n < 0) the current process's memory by n bytes, with
// pages mapped now. Returns 0, or -1 if out of range or out of memory.
int
growproc(int n)
{
  struct proc *p = myproc();
  uint64 sz = p->sz;

  if(n > 0){
    if(sz + n > MAXUVA || (sz = uvmalloc(p->pagetable, sz, sz + n, PTE_W)) == 0)
      return -1;
  } else if(n < 0){
    if((uint64)(-(long)n) > sz)
      return -1;
    sz = uvmdealloc(p->pagetable, sz, sz + n);
  }
  if(sz != p->sz)
    uvm_changed(p, -1);
  p->sz = sz;
  return 0;
}

// Create a copy of the current process. Returns the child's pid in the parent
// (the child sees 0 from the same system call), or -1.
int
kfork(void)
{
  struct proc *p = myproc();
  struct proc *np = allocproc();

  if(np == 0)
    return -1;
  if(uvmcopy(p->pagetable, np->pagetable, p->sz) < 0){
    freeproc(np);
    release(&np->lock);
    return -1;
  }
  np->sz = p->sz;
  *np->trapframe = *p->trapframe;
  np->trapframe->a0 = 0;   // fork returns 0 in the child

  for(int i = 0; i < NOFILE; i++){
    if(p->ofile[i])
      np->ofile[i] = filedup(p->ofile[i]);
    np->cloexec[i] = p->cloexec[i];   // POSIX: the child keeps the flags
  }
  np->cwd = p->cwd ? idup(p->cwd) : 0;
  safestrcpy(np->name, p->name, sizeof(p->name));
  signal_fork(p, np);
  int pid = np->pid;
  release(&np->lock);

  acquire(&wait_lock);
  np->parent = p;
  release(&wait_lock);

  acquire(&np->lock);
  np->state = RUNNABLE;
  release(&np->lock);
  return pid;
}

// Hand p's children to init. Caller holds wait_lock.
static void
reparent(struct proc *p)
{
  for(struct proc *pp = proc; pp < &proc[NPROC]; pp++){
    if(pp->parent == p){
      pp->parent = initproc;
      wakeup(initproc);
    }
  }
}

// End the current process. It stays a ZOMBIE until its parent's wait() frees its slot.
void
kexit(int status)
{
  struct proc *p = myproc();

  if(p == initproc)
    panic("init exiting");
  for(int fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd]){
      fileclose(p->ofile[fd]);
      p->ofile[fd] = 0;
    }
  }
  if(p->cwd){
    begin_op();
    iput(p->cwd);
    end_op();
    p->cwd = 0;
  }
  // user memory goes now, not when the parent reaps: a zombie keeps only its
  // slot and page-table root. This hart stays on that table until it loads
  // another, touching only the kernel's shared part of it.
  uvmdealloc(p->pagetable, p->sz, 0);
  p->sz = 0;
  uvm_changed(p, -1);

  acquire(&wait_lock);
  reparent(p);
  signal_child_exit(p);   // SIGCHLD, and wakes the parent
  acquire(&p->lock);
  p->xstate = status;
  p->state = ZOMBIE;
  release(&wait_lock);

  sched();   // never returns: the parent frees this slot
  panic("zombie exit");
}

// End the current process because of signal sig: xv6's exit status -1 (as
// for its kill), and sig for waitpid's WPOSIXSTATUS.
void
kexit_signal(int sig)
{
  myproc()->xsignal = sig;   // the parent reads it once we are a ZOMBIE
  kexit(-1);
}

// The status wait reports: the exit status, or with WPOSIXSTATUS Linux's
// encoding (exit code << 8, or the signal that ended it).
static int
wait_status(struct proc *pp, int options)
{
  if(!(options & WPOSIXSTATUS))
    return pp->xstate;
  return pp->xsignal ? (pp->xsignal & 0x7f) : (pp->xstate & 0xff) << 8;
}

// The parent's pid: init's (1) once the parent has exited. wait_lock
// guards p->parent.
int
kgetppid(void)
{
  struct proc *p = myproc();
  int pid;

  acquire(&wait_lock);
  pid = p->parent ? p->parent->pid : 0;
  release(&wait_lock);
  return pid;
}

// Wait for a child to exit: child pid, or any child if pid is -1. Stores its
// status at user address addr (if not 0). Returns the child's pid; 0 with
// WNOHANG if it has not exited yet; -1 if there is no such child or addr is
// bad; -EINTR if a signal (or a kill) came first.
int
kwait(int pid, uint64 addr, int options)
{
  struct proc *p = myproc();

  acquire(&wait_lock);
  for(;;){
    int havekids = 0;
    for(struct proc *pp = proc; pp < &proc[NPROC]; pp++){
      if(pp->parent != p)
        continue;
      acquire(&pp->lock);   // pp cannot be half-way through exit now
      if(pid != -1 && pp->pid != pid){
        release(&pp->lock);
        continue;
      }
      havekids = 1;
      if(pp->state == ZOMBIE){
        int childpid = pp->pid;
        int status = wait_status(pp, options);
        if(addr != 0 && copyout(p->pagetable, addr, (char*)&status,
                                sizeof(status)) < 0){
          release(&pp->lock);
          release(&wait_lock);
          return -1;
        }
        freeproc(pp);
        release(&pp->lock);
        release(&wait_lock);
        return childpid;
      }
      release(&pp->lock);
    }
    if(!havekids){
      release(&wait_lock);
      return -1;
    }
    if(options & WNOHANG){   // never waits, so never interrupted
      release(&wait_lock);
      return 0;
    }
    if(interrupted(p)){
      release(&wait_lock);
      return -EINTR;
    }
    sleep_killable(p, &wait_lock);   // kexit's wakeup(p->parent)
  }
}

// Each hart loops here from main(): pick a RUNNABLE process, run it until it
// gives the hart back, repeat. When none is runnable, wait for an interrupt.
// The hart stays on the last process's page table (vm.c) so that running the
// same one again costs no TLB flush; an idle hart drops it if there are other
// harts, which may free that table meanwhile.
static int harts_scheduling;   // harts that reached the scheduler (atomic)

void
scheduler(void)
{
  struct cpu *c = mycpu();

  c->proc = 0;
  __atomic_add_fetch(&harts_scheduling, 1, __ATOMIC_RELAXED);
  for(;;){
    // let pending interrupts in (a process may have left them off), then turn
    // them off so that a wakeup cannot slip in between the scan and wfi.
    intr_on();
    intr_off();
    c->idle = 0;
    int found = 0;
    for(struct proc *p = proc; p < &proc[NPROC]; p++){
      // peek without the lock first: idle harts scanning the table would
      // otherwise contend for every p->lock. Checked again under the lock.
      if(*(volatile enum procstate*)&p->state != RUNNABLE)
        continue;
      acquire(&p->lock);
      if(p->state == RUNNABLE){
        p->state = RUNNING;
        c->proc = p;
        uvm_activate(p);
        c->slice_start = r_time();
        swtch(&c->context, &p->context);
        c->proc = 0;   // p is back, having changed its state
        found = 1;
      }
      release(&p->lock);
    }
    if(!found){
      if(__atomic_load_n(&harts_scheduling, __ATOMIC_RELAXED) > 1)
        uvm_activate_kernel();
      c->idle = 1;   // until the interrupt that wakes it is taken, at intr_on
      asm volatile("wfi");
    }
  }
}

int
nharts(void)
{
  return __atomic_load_n(&harts_scheduling, __ATOMIC_RELAXED);
}

// Switch to this hart's scheduler. Caller holds p->lock only and has changed
// p->state. intena belongs to this kernel thread, not to the hart.
void
sched(void)
{
  struct proc *p = myproc();

  if(!holding(&p->lock))
    panic("sched p->lock");
  if(mycpu()->noff != 1)
    panic("sched locks");
  if(p->state == RUNNING)
    panic("sched running");
  if(intr_get())
    panic("sched interruptible");

  int intena = mycpu()->intena;
  swtch(&p->context, &mycpu()->context);
  mycpu()->intena = intena;
}

// Give up the hart for one scheduling round.
void
yield(void)
{
  struct proc *p = myproc();

  acquire(&p->lock);
  p->state = RUNNABLE;
  sched();
  release(&p->lock);
}

// A new process's first scheduling lands here (context.ra), still holding
// p->lock from scheduler(). The very first one also mounts the root file
// system, which needs a process context to sleep in, and execs /init.
static void
forkret(void)
{
  static int first = 1;
  struct proc *p = myproc();

  release(&p->lock);
  if(first){
    first = 0;
    fsinit(ROOTDEV);
    __sync_synchronize();
    p->cwd = namei("/");
    char *argv[] = { "/init", 0 };
    p->trapframe->a0 = kexec("/init", argv, 0);
    if((long)p->trapframe->a0 < 0)
      panic("forkret: cannot exec /init");
  }
  usertrapret();
}

// Sleep on chan, releasing lk while asleep and holding it again on return.
// With killable set, a killed process does not go to sleep: 1 is returned
// at once (else 0).
static int
sleep_on(void *chan, struct spinlock *lk, int killable)
{
  struct proc *p = myproc();

  // SLEEPING is set before lk is released: a waker must take lk first, so it
  // then sees SLEEPING (wakeup may skip other states without taking p->lock),
  // and it cannot make us RUNNABLE before sched() since that needs p->lock.
  acquire(&p->lock);
  if(killable && (p->killed || signal_pending_locked(p))){
    release(&p->lock);
    return 1;
  }
  p->chan = chan;
  p->state = SLEEPING;
  release(lk);
  sched();
  p->chan = 0;
  release(&p->lock);
  acquire(lk);
  return 0;
}

// A wait nothing else ends (disk I/O, sleep locks, the log).
void
sleep(void *chan, struct spinlock *lk)
{
  sleep_on(chan, lk, 0);
}

// A wait a kill or a signal must end (pipes, sockets, wait, console input,
// pause). Returns -1 without sleeping if the process has been killed or has
// a signal to act on. The caller's own check of interrupted() is not
// enough: a sender posts under p->lock and wakes only a SLEEPING process,
// so a signal landing between that check and sleep() was lost. Here it is
// checked under p->lock, which is held until the process is asleep. After a
// wakeup, callers check interrupted() again and return -EINTR.
int
sleep_killable(void *chan, struct spinlock *lk)
{
  return sleep_on(chan, lk, 1) ? -1 : 0;
}

// Wake every process sleeping on chan. Caller must not hold any p->lock.
void
wakeup(void *chan)
{
  struct proc *self = myproc();

  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    if(p == self || *(volatile enum procstate*)&p->state != SLEEPING ||
       *(void *volatile*)&p->chan != chan)
      continue;   // unlocked peek, safe because of the order in sleep()
    acquire(&p->lock);
    if(p->state == SLEEPING && p->chan == chan)
      p->state = RUNNABLE;
    release(&p->lock);
  }
}

// xv6's kill(pid): SIGKILL. The process exits when it next returns to user
// space (or checks killed() while waiting). Returns 0, or -1 if there is no
// such process or it is init, which must never exit (it reaps orphans; Linux
// likewise ignores fatal signals to pid 1).
int
kkill(int pid)
{
  return signal_send(pid, SIGKILL) < 0 ? -1 : 0;
}

// Kill p for a fault: sig (SIGSEGV, ...) is what waitpid will report.
void
setkilled(struct proc *p, int sig)
{
  acquire(&p->lock);
  p->killed = sig;
  release(&p->lock);
}

// The signal p was killed with, or 0.
int
killed(struct proc *p)
{
  acquire(&p->lock);
  int k = p->killed;
  release(&p->lock);
  return k;
}

// Copy to a user address (user_dst) or a kernel one. Returns 0 or -1.
int
either_copyout(int user_dst, uint64 dst, void *src, uint64 len)
{
  if(user_dst)
    return copyout(myproc()->pagetable, dst, src, len);
  memmove((char*)dst, src, len);
  return 0;
}

// Copy from a user address (user_src) or a kernel one. Returns 0 or -1.
int
either_copyin(void *dst, int user_src, uint64 src, uint64 len)
{
  if(user_src)
    return copyin(myproc()->pagetable, dst, src, len);
  memmove(dst, (char*)src, len);
  return 0;
}

// Slots not UNUSED.
int
nproc_used(void)
{
  int n = 0;

  for(struct proc *p = proc; p < &proc[NPROC]; p++)
    if(p->state != UNUSED)   // a racy snapshot is good enough for statistics
      n++;
  return n;
}

// List processes on the console (^P). Takes no locks, so that it works on a
// wedged machine.
void
procdump(void)
{
  static char *names[] = {
    [UNUSED] = "unused", [USED] = "used", [SLEEPING] = "sleep ",
    [RUNNABLE] = "runble", [RUNNING] = "run   ", [ZOMBIE] = "zombie"
  };

  printf("\n");
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    if(p->state == UNUSED)
      continue;
    char *state = "???";
    if(p->state >= 0 && p->state < NELEM(names) && names[p->state])
      state = names[p->state];
    printf("%d %s %s kstack %lu\n", p->pid, state, p->name, kstack_used(p));
  }
}
