// signal.c: POSIX signals, xv6-sized. The ABI (numbers, structures, the
// frame and the restorer rule) is in sigabi.h.
//
// A signal is posted to a process by setting its bit in p->sig_pending
// (under p->lock); a process in a killable wait (sleep_killable) is woken and
// its system call ends with -EINTR. On every return to user space usertrap()
// calls signal_deliver(), which takes each pending, unblocked signal in turn:
// ignore it, stop, terminate, or push a frame and enter its handler.
// SIGKILL is p->killed itself, as xv6's kill always was.
//
// Locks: p->lock guards each process's signal fields (proc.h). Only the
// process itself changes its actions and mask, so it reads them unlocked.
// alarm_lock guards alarm_soonest and is taken before p->lock.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "sleeplock.h"
#include "fs.h"
#include "file.h"
#include "errnum.h"
#include "sigabi.h"

extern struct proc proc[NPROC];
extern struct proc *initproc;

#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define STOPPERS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define DEFAULT_IGNORED (SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH))
#define SA_KNOWN (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_RESTORER | \
                  SA_RESTART | SA_NODEFER | SA_RESETHAND)

static struct spinlock alarm_lock;
static uint64 alarm_soonest;   // earliest p->alarm_at, or 0 if none is set

void
signalinit(void)
{
  initlock(&alarm_lock, "alarm");
}

// Would sig be thrown away on arrival? Caller holds p->lock.
static int
ignored(struct proc *p, int sig)
{
  uint64 h = p->sig_act[sig].handler;

  return h == SIG_IGN || (h == SIG_DFL && (DEFAULT_IGNORED & SIGBIT(sig)));
}

// Does a pending, unblocked signal call for action (so that a killable wait
// must end)? One ignored only after it was posted (blocked then) does not.
// Caller holds p->lock.
int
signal_pending_locked(struct proc *p)
{
  uint64 ready = p->sig_pending & ~p->sig_blocked;

  for(int sig = 1; ready != 0 && sig < NSIG; sig++)
    if((ready & SIGBIT(sig)) && !ignored(p, sig))
      return 1;
  return 0;
}

// Must a killable wait end now: killed, or a signal to act on?
int
interrupted(struct proc *p)
{
  acquire(&p->lock);
  int r = p->killed || signal_pending_locked(p);
  release(&p->lock);
  return r;
}

// Post sig to p, from pid `from` (0: the kernel). Caller holds p->lock.
static void
post(struct proc *p, int sig, int from)
{
  uint64 bit = SIGBIT(sig);

  if(p->state == UNUSED || p->state == ZOMBIE)
    return;
  if(sig == SIGKILL){
    p->killed = SIGKILL;
  } else {
    if(sig == SIGCONT){
      p->stopped = 0;
      p->sig_pending &= ~STOPPERS;
      if(p->state == SLEEPING && p->chan == &p->sig_pending)
        p->state = RUNNABLE;   // out of its stop (SIGCONT itself may be dropped)
    } else if(bit & STOPPERS){
      p->sig_pending &= ~SIGBIT(SIGCONT);
    }
    // an ignored signal is dropped unless blocked (it may be caught later);
    // init takes no default action at all (it must never exit or stop).
    if(!(p->sig_blocked & bit) && ignored(p, sig))
      return;
    if(p == initproc && p->sig_act[sig].handler == SIG_DFL)
      return;
    p->sig_pending |= bit;
    p->sig_from[sig] = from;
  }
  // wake it to act; every sleep is in a loop, so waking one in an
  // uninterruptible sleep (disk) only costs it a look.
  if(p->state == SLEEPING && (p->killed || signal_pending_locked(p)))
    p->state = RUNNABLE;
}

// The kernel raises sig in p (SIGPIPE, SIGINT, SIGALRM, a bad frame...).
void
signal_raise(struct proc *p, int sig)
{
  acquire(&p->lock);
  post(p, sig, 0);
  release(&p->lock);
}

// sigsend(pid, sig) and kill(pid): 0, -ESRCH, -EINVAL, or -EPERM for
// SIGKILL or SIGSTOP to init. sig 0 only checks that pid exists.
int
signal_send(int pid, int sig)
{
  int from = myproc() ? myproc()->pid : 0;

  if(sig < 0 || sig >= NSIG)
    return -EINVAL;
  if(pid <= 0)
    return -ESRCH;   // no process groups
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->pid == pid && p->state != UNUSED){
      int r = 0;
      if(p == initproc && (sig == SIGKILL || sig == SIGSTOP))
        r = -EPERM;
      else if(sig != 0)
        post(p, sig, from);
      release(&p->lock);
      return r;
    }
    release(&p->lock);
  }
  return -ESRCH;
}

// Sleep until woken, holding p->lock (for stops and sigsuspend, whose
// condition is in p itself). Caller holds p->lock.
static void
sleep_self(struct proc *p)
{
  p->chan = &p->sig_pending;
  p->state = SLEEPING;
  sched();
  p->chan = 0;
}

// Take the lowest pending, unblocked signal off p's list; 0 if none.
// Caller holds p->lock.
static int
next_signal(struct proc *p)
{
  uint64 ready = p->sig_pending & ~p->sig_blocked;

  for(int sig = 1; sig < NSIG; sig++){
    if(ready & SIGBIT(sig)){
      p->sig_pending &= ~SIGBIT(sig);
      return sig;
    }
  }
  return 0;
}

// Make the interrupted system call run again on return: back to its ecall,
// with its first argument, which -EINTR overwrote.
static void
restart_syscall(struct proc *p)
{
  p->trapframe->epc -= 4;
  p->trapframe->a0 = p->sig_restart_a0;
}

// Push the frame for a handler of sig and enter it. Returns -1 if the
// frame does not fit in user memory.
static int
enter_handler(struct proc *p, int sig, int from, struct ksigaction *a, uint64 oldmask)
{
  struct trapframe *tf = p->trapframe;
  struct sigframe f;

  memset(&f, 0, sizeof(f));
  f.info.signo = sig;
  f.info.code = sig == SIGCHLD ? CLD_EXITED : from ? SI_USER : SI_KERNEL;
  f.info.pid = from;
  memmove(f.regs, &tf->ra, sizeof(f.regs));   // ra .. t6, in the same order
  f.pc = tf->epc;
  f.mask = oldmask;
  f.magic = SIGFRAME_MAGIC;

  uint64 sp = (tf->sp - sizeof(f)) & ~0xfUL;
  if(tf->sp < sizeof(f) + 16 || tf->sp > MAXUVA ||
     copyout(p->pagetable, sp, (char*)&f, sizeof(f)) < 0)
    return -1;
  tf->epc = a->handler;
  tf->ra = a->restorer;
  tf->sp = sp;
  tf->a0 = sig;
  tf->a1 = sp + 0;   // &frame->info: the info comes first
  tf->a2 = sp;
  return 0;
}

// Act on one signal taken off the list; returns 1 if a handler is now
// entered. Caller holds p->lock, which is released on return.
static int
act(struct proc *p, int sig)
{
  struct ksigaction a = p->sig_act[sig];
  uint64 bit = SIGBIT(sig);

  if(a.handler == SIG_IGN || (a.handler == SIG_DFL && (DEFAULT_IGNORED & bit))){
    release(&p->lock);
    return 0;
  }
  if(a.handler == SIG_DFL){
    if(bit & STOPPERS){
      p->stopped = 1;
      while(p->stopped && !p->killed)
        sleep_self(p);
    } else {
      p->killed = sig;   // terminate: signal_deliver exits
    }
    release(&p->lock);
    return 0;
  }
  if(a.flags & SA_RESETHAND)
    memset(&p->sig_act[sig], 0, sizeof(a));
  int from = p->sig_from[sig];
  uint64 oldmask = p->sig_suspended ? p->sig_saved : p->sig_blocked;
  p->sig_suspended = 0;
  p->sig_blocked |= (a.mask | ((a.flags & SA_NODEFER) ? 0 : bit)) & ~UNBLOCKABLE;
  release(&p->lock);

  if(p->sig_restart && (a.flags & SA_RESTART))
    restart_syscall(p);
  p->sig_restart = 0;
  if(enter_handler(p, sig, from, &a, oldmask) < 0){
    printf("signal: pid %d (%s) killed: no room for a signal frame\n", p->pid, p->name);
    acquire(&p->lock);
    p->killed = SIGSEGV;
    release(&p->lock);
    return 0;
  }
  return 1;
}

// On the way back to user space: act on the pending, unblocked signals,
// until one handler is entered (the rest follow when it returns). Exits if
// the process is killed or a signal's default action terminates it.
void
signal_deliver(void)
{
  struct proc *p = myproc();

  for(;;){
    acquire(&p->lock);
    if(p->killed){
      int sig = p->killed;
      release(&p->lock);
      kexit_signal(sig);
    }
    int sig = next_signal(p);
    if(sig == 0){
      if(p->sig_suspended){   // no handler ran: sigsuspend's mask goes
        p->sig_blocked = p->sig_saved;
        p->sig_suspended = 0;
      }
      release(&p->lock);
      break;
    }
    if(act(p, sig))
      return;
  }
  // nothing was handled (a stop, say): a restartable call goes on
  if(p->sig_restart)
    restart_syscall(p);
  p->sig_restart = 0;
}

// A child of p's parent is exiting; caller holds wait_lock. The parent gets
// SIGCHLD; if it ignores SIGCHLD (or set SA_NOCLDWAIT), init reaps the child
// instead, as POSIX allows, so the parent keeps no zombies.
void
signal_child_exit(struct proc *child)
{
  struct proc *parent = child->parent;

  acquire(&parent->lock);
  struct ksigaction *a = &parent->sig_act[SIGCHLD];
  int noreap = a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
  post(parent, SIGCHLD, child->pid);
  release(&parent->lock);
  if(noreap && parent != initproc){
    child->parent = initproc;
    wakeup(initproc);
  }
  wakeup(parent);
}

// fork: the child inherits actions and mask, nothing pending, no alarm.
// Caller holds np->lock; p's own fields are p's to read.
void
signal_fork(struct proc *p, struct proc *np)
{
  memmove(np->sig_act, p->sig_act, sizeof(p->sig_act));
  np->sig_blocked = p->sig_blocked;
  np->sig_pending = 0;
  np->stopped = 0;
  np->alarm_at = 0;
}

// exec: caught signals go back to SIG_DFL (the handlers are gone with the
// old image); ignored ones, the mask, pending signals and an alarm stay.
void
signal_exec(struct proc *p)
{
  acquire(&p->lock);
  for(int sig = 1; sig < NSIG; sig++)
    if(p->sig_act[sig].handler != SIG_IGN)
      memset(&p->sig_act[sig], 0, sizeof(p->sig_act[sig]));
  release(&p->lock);
}

// freeproc: a slot's signal state is cleared for its next process.
// Caller holds p->lock.
void
signal_clear(struct proc *p)
{
  memset(p->sig_act, 0, sizeof(p->sig_act));
  p->sig_pending = p->sig_blocked = 0;
  p->stopped = 0;
  p->alarm_at = 0;
  p->xsignal = 0;
  p->sig_restart = p->sig_suspended = 0;
}

// Ctrl-C: SIGINT to the console's foreground, which here is every process
// (but init) with the console open; the shell and what it starts in the
// background ignore SIGINT. The open files of others are only peeked at
// (they may change meanwhile; file slots are never freed), like procdump.
void
signal_console_intr(void)
{
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    if(p == initproc || *(volatile enum procstate*)&p->state == UNUSED)
      continue;
    for(int fd = 0; fd < NOFILE; fd++){
      struct file *f = *(struct file *volatile*)&p->ofile[fd];
      if(f && f->type == FD_DEVICE && f->major == CONSOLE){
        signal_raise(p, SIGINT);
        break;
      }
    }
  }
}

// The timer (hart 0, every tick): SIGALRM to each process whose alarm is due.
void
signal_alarms(uint64 now)
{
  if(__atomic_load_n(&alarm_soonest, __ATOMIC_RELAXED) == 0 ||
     now < __atomic_load_n(&alarm_soonest, __ATOMIC_RELAXED))
    return;   // the common case, without the lock
  acquire(&alarm_lock);
  uint64 soonest = 0;
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->alarm_at != 0 && p->alarm_at <= now){
      p->alarm_at = 0;
      post(p, SIGALRM, 0);
    } else if(p->alarm_at != 0 && (soonest == 0 || p->alarm_at < soonest)){
      soonest = p->alarm_at;
    }
    release(&p->lock);
  }
  __atomic_store_n(&alarm_soonest, soonest, __ATOMIC_RELAXED);
  release(&alarm_lock);
}

// ---- system calls ----

static int
action_valid(struct ksigaction *a)
{
  if(a->flags & ~SA_KNOWN)
    return 0;
  if(a->handler == SIG_DFL || a->handler == SIG_IGN)
    return 1;
  // code is 2-byte aligned (compressed instructions) and below the kernel
  return a->handler < MAXUVA && (a->handler & 1) == 0 &&
         a->restorer != 0 && a->restorer < MAXUVA && (a->restorer & 1) == 0;
}

// sigaction(sig, act, old): act (if not 0) becomes sig's action; the one it
// replaces is stored at old (if not 0).
uint64
sys_sigaction(void)
{
  struct proc *p = myproc();
  struct ksigaction act, old;
  uint64 uact, uold;
  int sig;

  argint(0, &sig);
  argaddr(1, &uact);
  argaddr(2, &uold);
  if(sig <= 0 || sig >= NSIG)
    return -EINVAL;
  if(uact && copyin(p->pagetable, (char*)&act, uact, sizeof(act)) < 0)
    return -EFAULT;
  if(uact && (sig == SIGKILL || sig == SIGSTOP || !action_valid(&act)))
    return -EINVAL;
  acquire(&p->lock);
  old = p->sig_act[sig];
  if(uact){
    p->sig_act[sig] = act;
    if(ignored(p, sig))   // POSIX: a pending signal set to be ignored goes
      p->sig_pending &= ~SIGBIT(sig);
  }
  release(&p->lock);
  if(uold && copyout(p->pagetable, uold, (char*)&old, sizeof(old)) < 0)
    return -EFAULT;
  return 0;
}

// sigprocmask(how, set, old): change the blocked set (if set is not 0) and
// store the previous one at old (if not 0). SIGKILL and SIGSTOP stay unblocked.
uint64
sys_sigprocmask(void)
{
  struct proc *p = myproc();
  uint64 uset, uold, set = 0, old;
  int how;

  argint(0, &how);
  argaddr(1, &uset);
  argaddr(2, &uold);
  if(uset && copyin(p->pagetable, (char*)&set, uset, sizeof(set)) < 0)
    return -EFAULT;
  if(uset && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
    return -EINVAL;
  acquire(&p->lock);
  old = p->sig_blocked;
  if(uset && how == SIG_BLOCK)
    p->sig_blocked |= set;
  else if(uset && how == SIG_UNBLOCK)
    p->sig_blocked &= ~set;
  else if(uset)
    p->sig_blocked = set;
  p->sig_blocked &= ~UNBLOCKABLE;
  release(&p->lock);
  if(uold && copyout(p->pagetable, uold, (char*)&old, sizeof(old)) < 0)
    return -EFAULT;
  return 0;
}

// sigreturn(): from a handler's restorer, with sp at the frame. Restores
// what delivery saved. The frame is the user's to forge, so it must only
// ever yield what the user could have set anyway: user registers, a user
// pc, a mask. Anything else ends the process with SIGSEGV.
uint64
sys_sigreturn(void)
{
  struct proc *p = myproc();
  struct trapframe *tf = p->trapframe;
  struct sigframe f;

  if(copyin(p->pagetable, (char*)&f, tf->sp, sizeof(f)) < 0 ||
     f.magic != SIGFRAME_MAGIC || f.pc >= MAXUVA || (f.pc & 1)){
    printf("sigreturn: pid %d (%s) killed: bad signal frame at 0x%lx\n",
           p->pid, p->name, tf->sp);
    acquire(&p->lock);
    p->killed = SIGSEGV;
    release(&p->lock);
    return -1;
  }
  memmove(&tf->ra, f.regs, sizeof(f.regs));
  tf->epc = f.pc;
  acquire(&p->lock);
  p->sig_blocked = f.mask & ~UNBLOCKABLE;
  release(&p->lock);
  return tf->a0;   // syscall() stores the result in a0: keep the restored one
}

// sigsend(pid, sig): POSIX kill.
uint64
sys_sigsend(void)
{
  int pid, sig;

  argint(0, &pid);
  argint(1, &sig);
  return signal_send(pid, sig);
}

// alarm(seconds): SIGALRM after that many seconds (0 cancels). Returns the
// seconds left of the previous alarm, rounded up, or 0.
uint64
sys_alarm(void)
{
  struct proc *p = myproc();
  uint64 seconds, now, left = 0;

  arglong(0, &seconds);
  seconds &= 0xffffffff;   // unsigned int, as POSIX has it
  acquire(&tickslock);
  now = ticks;
  release(&tickslock);
  uint64 due = seconds ? now + seconds * TICK_HZ : 0;

  acquire(&p->lock);
  if(p->alarm_at > now)
    left = (p->alarm_at - now + TICK_HZ - 1) / TICK_HZ;
  p->alarm_at = due;
  release(&p->lock);
  if(due){
    acquire(&alarm_lock);
    if(alarm_soonest == 0 || due < alarm_soonest)
      __atomic_store_n(&alarm_soonest, due, __ATOMIC_RELAXED);
    release(&alarm_lock);
  }
  return left;
}

// sigpending(set): the signals posted but not delivered (blocked ones).
uint64
sys_sigpending(void)
{
  struct proc *p = myproc();
  uint64 uset, set;

  argaddr(0, &uset);
  acquire(&p->lock);
  set = p->sig_pending;
  release(&p->lock);
  if(copyout(p->pagetable, uset, (char*)&set, sizeof(set)) < 0)
    return -EFAULT;
  return 0;
}

// sigsuspend(mask): block mask instead, wait for a signal to act on, and
// return -EINTR; the old mask comes back when its handler returns.
uint64
sys_sigsuspend(void)
{
  struct proc *p = myproc();
  uint64 umask, mask;

  argaddr(0, &umask);
  if(copyin(p->pagetable, (char*)&mask, umask, sizeof(mask)) < 0)
    return -EFAULT;
  acquire(&p->lock);
  p->sig_saved = p->sig_blocked;
  p->sig_suspended = 1;
  p->sig_blocked = mask & ~UNBLOCKABLE;
  while(!p->killed && !signal_pending_locked(p))
    sleep_self(p);
  release(&p->lock);
  return -EINTR;
}
