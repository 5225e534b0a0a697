// poll.c: poll(fds, nfds, timeout_ms), system call 44, with Linux's semantics
// over pipes, sockets, the console and files (kernel/poll.h).
//
// How a poller waits without polling: it scans its descriptors, and if none is
// ready sleeps on one wait channel that every readiness change wakes through
// poll_notify() (pipe.c: reads, writes, closes; console.c: a line typed;
// sockfile.c: every socket-layer wakeup, i.e. data, FIN, accept queue, connect
// outcome, acks, errors). A generation count makes the scan and the sleep one
// step as far as wakeups go: the poller reads the count before scanning and
// sleeps only if it has not moved since, under polllock, which poll_notify
// takes to move it. So a change that the scan missed always leaves a moved
// count or a wakeup behind. Timeouts: poll_tick() (each clock tick, hart 0)
// wakes the channel once some sleeping poller's deadline has passed.
//
// The price of one channel is that any change wakes every poller, which then
// rescans its few descriptors and sleeps again; NPROC and NOFILE are small.
//
// Locks: polllock guards pollgen, nwaiting, ntimed and deadline_ms[]. It is
// taken inside a pipe's lock, cons.lock and the network lock (poll_notify),
// and p->lock is taken inside it (wakeup, sleep); the poller holds no other
// lock while it holds polllock.
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
#include "socket.h"
#include "poll.h"

extern struct proc proc[NPROC];

static struct spinlock polllock;
static uint64 pollgen;               // moved by every poll_notify()
static int nwaiting;                 // pollers asleep
static volatile int ntimed;          // sleeping pollers with a deadline
static uint64 deadline_ms[NPROC];    // per process slot: uptime_ms() to wake at, 0 none
static uint64 nscans;                // scans since boot (atomic; kstat, to show poll sleeps)

void
pollinit(void)
{
  initlock(&polllock, "poll");
}

// Some file's readiness may have changed: wake every poller to look again.
void
poll_notify(void)
{
  acquire(&polllock);
  pollgen++;
  if(nwaiting > 0)
    wakeup(&pollgen);
  release(&polllock);
}

// A clock tick (hart 0, interrupt context): wake the pollers if one of them
// has reached its deadline. The unlocked look at ntimed can only miss a
// poller that is just going to sleep; the next tick sees it.
void
poll_tick(void)
{
  uint64 now = uptime_ms();
  int due = 0;

  if(ntimed == 0)
    return;
  acquire(&polllock);
  for(int i = 0; i < NPROC; i++)
    if(deadline_ms[i] != 0 && deadline_ms[i] <= now)
      due = 1;
  if(due)
    wakeup(&pollgen);
  release(&polllock);
}

uint64
poll_scans(void)
{
  return __atomic_load_n(&nscans, __ATOMIC_RELAXED);
}

// What f is ready for now: POLL* bits, before masking with the events asked.
static int
filepoll(struct file *f)
{
  const int always = POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;

  switch(f->type){
  case FD_PIPE:
    return pipepoll(f->pipe, f->writable);
  case FD_SOCK:
    return sock_poll(f->sock);
  case FD_DEVICE:
    if(f->major >= 0 && f->major < NDEV && devsw[f->major].poll)
      return devsw[f->major].poll();
    return always;   // reads and writes return at once (maybe an error)
  case FD_INODE:
    return always;   // regular files and directories never block (Linux too)
  default:
    return POLLNVAL;
  }
}

// Fill in every revents; returns how many are non-zero.
static int
pollscan(struct pollfd *fds, int nfds)
{
  struct proc *p = myproc();
  int ready = 0;

  __sync_fetch_and_add(&nscans, 1);
  for(int i = 0; i < nfds; i++){
    int fd = fds[i].fd;
    struct file *f;
    int r;

    if(fd < 0)
      r = 0;
    else if(fd >= NOFILE || (f = p->ofile[fd]) == 0)
      r = POLLNVAL;
    else
      r = filepoll(f) & (fds[i].events | POLLERR | POLLHUP | POLLNVAL);
    fds[i].revents = r;
    if(r)
      ready++;
  }
  return ready;
}

// Sleep until pollgen moves from gen (at once if it already has), the
// deadline (0: none) passes or the process is killed or signalled. polllock is held.
static void
pollsleep(uint64 gen, uint64 deadline)
{
  int slot = myproc() - proc;

  if(pollgen != gen)
    return;
  nwaiting++;
  if(deadline){
    deadline_ms[slot] = deadline;
    ntimed++;
  }
  sleep_killable(&pollgen, &polllock);
  if(deadline){
    deadline_ms[slot] = 0;
    ntimed--;
  }
  nwaiting--;
}

// Scan until something is ready, the timeout passes or a kill comes.
// Returns the ready count (0 on timeout) or -EINTR.
static int
pollwait(struct pollfd *fds, int nfds, int timeout_ms)
{
  uint64 deadline = timeout_ms > 0 ? uptime_ms() + timeout_ms : 0;
  uint64 gen;
  int ready;

  for(;;){
    acquire(&polllock);
    gen = pollgen;   // read before the scan: see the top of the file
    release(&polllock);
    ready = pollscan(fds, nfds);
    if(ready > 0 || timeout_ms == 0 || (deadline && uptime_ms() >= deadline))
      return ready;
    if(interrupted(myproc()))   // killed, or a signal to act on
      return -EINTR;
    acquire(&polllock);
    pollsleep(gen, deadline);
    release(&polllock);
  }
}

// poll(fds, nfds, timeout_ms): the number of fds with revents set, 0 on
// timeout; -EINVAL if nfds is negative or above POLL_NFDS_MAX, -EFAULT for a
// bad array, -EINTR if killed while waiting. timeout_ms < 0 waits for ever,
// 0 does not wait. nfds 0 just sleeps (fds is not looked at).
uint64
sys_poll(void)
{
  struct pollfd fds[POLL_NFDS_MAX];
  uint64 ufds;
  int nfds, timeout_ms, ready;
  uint64 bytes;

  argaddr(0, &ufds);
  argint(1, &nfds);
  argint(2, &timeout_ms);
  if(nfds < 0 || nfds > POLL_NFDS_MAX)
    return -EINVAL;
  bytes = nfds * sizeof(struct pollfd);
  if(copyin(myproc()->pagetable, (char*)fds, ufds, bytes) < 0)
    return -EFAULT;
  ready = pollwait(fds, nfds, timeout_ms);
  if(ready < 0)
    return ready;
  if(copyout(myproc()->pagetable, ufds, (char*)fds, bytes) < 0)
    return -EFAULT;
  return ready;
}
