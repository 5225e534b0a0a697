// Pipes: a 2048-byte ring buffer between a read end and a write end.
// Readers sleep while the ring is empty and a writer remains; writers sleep
// while it is full and a reader remains. A signal (or a kill) ends a wait
// with -EINTR. With O_NONBLOCK (fcntl) nobody waits: -EAGAIN instead.
// Writing with no reader left raises SIGPIPE and fails with -EPIPE.
// Every change a reader or writer could wait for also goes to poll (pipewake).

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "fs.h"
#include "sleeplock.h"
#include "file.h"
#include "errnum.h"
#include "poll.h"

// The ring is larger than PIPE_BUF, as on Linux, so that poll's POLLOUT can
// promise that a write of PIPE_BUF bytes fits (a non-blocking one of that size
// is all or nothing) while the ring still holds data. A power of two: nread and
// nwrite are free-running counters taken modulo PIPESIZE. The pipe and its ring
// share one page.
#define PIPESIZE 2048
#define PIPE_BUF 512   // POSIX's minimum: writes up to this size are never split

struct pipe {
  struct spinlock lock;  // guards everything below
  char data[PIPESIZE];
  uint nread;            // bytes read so far (free-running counter)
  uint nwrite;           // bytes written so far; nwrite - nread is in the ring
  int readopen;          // read end still open
  int writeopen;         // write end still open
};

// Wake the readers (chan &pi->nread) or writers (&pi->nwrite), and pollers.
static void
pipewake(void *chan)
{
  wakeup(chan);
  poll_notify();
}

// Create a pipe and two files for its ends. 0 on success, -1 if a file
// or the memory could not be had (nothing is left allocated then).
int
pipealloc(struct file **f0, struct file **f1)
{
  struct pipe *pi = 0;

  *f0 = *f1 = 0;
  if((*f0 = filealloc()) == 0 || (*f1 = filealloc()) == 0)
    goto bad;
  if((pi = (struct pipe *) kalloc()) == 0)
    goto bad;
  initlock(&pi->lock, "pipe");
  pi->nread = pi->nwrite = 0;
  pi->readopen = pi->writeopen = 1;

  (*f0)->type = FD_PIPE;
  (*f0)->readable = 1;
  (*f0)->writable = 0;
  (*f0)->nonblock = 0;
  (*f0)->pipe = pi;
  (*f1)->type = FD_PIPE;
  (*f1)->readable = 0;
  (*f1)->writable = 1;
  (*f1)->nonblock = 0;
  (*f1)->pipe = pi;
  return 0;

bad:
  // The files are still FD_NONE, so closing them releases only the slots.
  if(*f0)
    fileclose(*f0);
  if(*f1)
    fileclose(*f1);
  return -1;
}

// Close one end; the pipe is freed when both are closed.
void
pipeclose(struct pipe *pi, int writable)
{
  acquire(&pi->lock);
  if(writable){
    pi->writeopen = 0;
    pipewake(&pi->nread);   // readers see end of file
  } else {
    pi->readopen = 0;
    pipewake(&pi->nwrite);  // writers see a broken pipe
  }
  if(pi->readopen == 0 && pi->writeopen == 0){
    release(&pi->lock);
    kfree((char *) pi);
  } else {
    release(&pi->lock);
  }
}

// Write n bytes from user address addr. Returns the bytes written, which is
// less than n only if the user buffer went bad part way, a signal came, or
// (nonblock) the pipe filled up; -EPIPE (and SIGPIPE) if the read end is
// closed; -EINTR if a signal came first; -1 if nothing could be copied;
// -EAGAIN if nonblock and the pipe is full.
int
pipewrite(struct pipe *pi, uint64 addr, int n, int nonblock)
{
  struct proc *pr = myproc();
  int i = 0;
  uint m, at;

  acquire(&pi->lock);
  // POSIX: a nonblocking write of up to PIPE_BUF bytes is whole or
  // nothing
  if(nonblock && n <= PIPE_BUF && pi->readopen && PIPESIZE - (pi->nwrite - pi->nread) < n){
    release(&pi->lock);
    return -EAGAIN;
  }
  while(i < n){
    if(pi->readopen == 0){
      release(&pi->lock);
      signal_raise(pr, SIGPIPE);
      return -EPIPE;
    }
    if(killed(pr)){
      release(&pi->lock);
      return -1;
    }
    if(pi->nwrite - pi->nread == PIPESIZE){
      pipewake(&pi->nread);
      if(nonblock || interrupted(pr)){
        release(&pi->lock);
        return i > 0 ? i : nonblock ? -EAGAIN : -EINTR;
      }
      sleep_killable(&pi->nwrite, &pi->lock);
      continue;
    }
    // Copy as much as fits before the free space ends or the ring wraps.
    at = pi->nwrite % PIPESIZE;
    m = PIPESIZE - (pi->nwrite - pi->nread);
    if(m > PIPESIZE - at)
      m = PIPESIZE - at;
    if(m > n - i)
      m = n - i;
    if(copyin(pr->pagetable, &pi->data[at], addr + i, m) == -1)
      break;
    pi->nwrite += m;
    i += m;
  }
  pipewake(&pi->nread);
  release(&pi->lock);
  return i > 0 ? i : -1;
}

// Read up to n bytes into user address addr, waiting for at least one byte
// unless the write end is closed (then 0: end of file) or nonblock is set
// (then -EAGAIN); -EINTR if a signal (or a kill) comes first.
int
piperead(struct pipe *pi, uint64 addr, int n, int nonblock)
{
  struct proc *pr = myproc();
  int i = 0;
  uint m, at;

  acquire(&pi->lock);
  while(pi->nread == pi->nwrite && pi->writeopen){
    if(interrupted(pr)){
      release(&pi->lock);
      return -EINTR;
    }
    if(nonblock){
      release(&pi->lock);
      return -EAGAIN;
    }
    sleep_killable(&pi->nread, &pi->lock);
  }
  while(i < n && pi->nread != pi->nwrite){
    at = pi->nread % PIPESIZE;
    m = pi->nwrite - pi->nread;
    if(m > PIPESIZE - at)
      m = PIPESIZE - at;
    if(m > n - i)
      m = n - i;
    if(copyout(pr->pagetable, addr + i, &pi->data[at], m) == -1){
      if(i == 0)
        i = -1;
      break;
    }
    pi->nread += m;
    i += m;
  }
  pipewake(&pi->nwrite);
  release(&pi->lock);
  return i;
}

// poll: the read end (writeend 0) is readable with data in the ring and hung
// up once no writer is left; the write end is writable when PIPE_BUF bytes
// fit (so a non-blocking writer never gets EAGAIN after POLLOUT) and in error
// once no reader is left (a write would fail), as on Linux.
int
pipepoll(struct pipe *pi, int writeend)
{
  int r = 0;

  acquire(&pi->lock);
  if(writeend){
    if(PIPESIZE - (pi->nwrite - pi->nread) >= PIPE_BUF)
      r |= POLLOUT | POLLWRNORM;
    if(!pi->readopen)
      r |= POLLERR;
  } else {
    if(pi->nwrite != pi->nread)
      r |= POLLIN | POLLRDNORM;
    if(!pi->writeopen)
      r |= POLLHUP;
  }
  release(&pi->lock);
  return r;
}
