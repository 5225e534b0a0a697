// sockfile.c: a socket as the rest of the kernel sees it: the socket file
// type (read, write and close for file.c, and a new descriptor for a socket),
// its options (setsockopt, getsockopt, fcntl), and the kernel services the
// Swift socket layer (Sources/Sockets) and Net/lwip_sock*.c use. The system
// calls that make, connect and move data through sockets are in sysnet.c.
//
// A read of a socket goes fileread (file.c) -> sockread -> sock_recv
// (Sources/Sockets/Exports.swift) -> tcpReceive (TCP.swift) for TCP.
//
// As in sysnet.c, every user argument is checked here (EBADF, ENOTSOCK,
// EINVAL, EDOM, EFAULT) and the Swift layer returns -errno for the rest.
//
// Locks: the Swift layer takes the network lock (net.c) itself; the file type
// and the options hold no lock when calling it. It calls the services below
// with the network lock held: lsock_sleep gives it up while asleep
// (net_sleep); lsock_wakeup takes proc locks (wakeup) and polllock
// (poll_notify) inside it. Order: netlock, then polllock or a proc lock;
// ftable.lock is never held together with netlock.
#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "sleeplock.h"
#include "file.h"
#include "fcntl.h"
#include "socket.h"
#include "lwip_sock.h"

// ---- services for the Swift layer and lwip_sock*.c (CShims/include/lwip_sock.h)

void lsock_lock(void) { net_lock(); }
void lsock_unlock(void) { net_unlock(); }
void lsock_sleep(const void *chan) { net_sleep((void*)chan); }
// Every change the socket layer wakes sleepers for (data, FIN, a connection
// to accept, a connect's outcome, acks, errors) is one poll may wait for.
void
lsock_wakeup(const void *chan)
{
  wakeup((void*)chan);
  poll_notify();
}
uint64_t lsock_now_ms(void) { return uptime_ms(); }

// trap.c wakes &ticks every tick: sleepers with a deadline use it as an alarm.
const void*
lsock_tick_chan(void)
{
  return &ticks;
}

// A blocking socket call must end with EINTR: killed, or a signal to act on.
int
lsock_killed(void)
{
  struct proc *p = myproc();

  return p != 0 && interrupted(p);
}

int
lsock_copyin(void *dst, uint64_t usrc, uint64_t n)
{
  return copyin(myproc()->pagetable, dst, usrc, n);
}

int
lsock_copyout(uint64_t udst, const void *src, uint64_t n)
{
  return copyout(myproc()->pagetable, udst, (char*)src, n);
}

// ---- the socket file type (called by file.c) -----------------------------------

int
sockread(struct socket *s, uint64 addr, int n)
{
  return sock_recv(s, addr, n, 0, 0);
}

// A send that fails with EPIPE (after shutdown or reset) raises SIGPIPE,
// unless the caller passed MSG_NOSIGNAL (write here, send and sendto in
// sysnet.c).
int
sigpipe_on_epipe(int r, int flags)
{
  if(r == -EPIPE && !(flags & MSG_NOSIGNAL))
    signal_raise(myproc(), SIGPIPE);
  return r;
}

int
sockwrite(struct socket *s, uint64 addr, int n)
{
  return sigpipe_on_epipe(sock_send(s, addr, n, 0, 0), 0);
}

// The last reference to the file is gone.
void
sockclose(struct socket *s)
{
  sock_release(s);
}

// ---- descriptors ------------------------------------------------------------------

// The n'th argument as a socket descriptor: 0, -EBADF or -ENOTSOCK.
int
argsock(int n, struct file **pf)
{
  struct file *f;

  if(argfd(n, 0, &f) < 0)
    return -EBADF;
  if(f->type != FD_SOCK)
    return -ENOTSOCK;
  *pf = f;
  return 0;
}

// A fresh file and descriptor for socket s, or -errno (s is then released).
// flags: SOCK_NONBLOCK (the file's, as O_NONBLOCK) and SOCK_CLOEXEC (the
// descriptor's FD_CLOEXEC).
int
sockfile(struct socket *s, int flags)
{
  struct file *f;
  int fd;

  if((f = filealloc()) == 0){
    sock_release(s);
    return -ENFILE;
  }
  f->type = FD_SOCK;
  f->readable = 1;
  f->writable = 1;
  f->nonblock = (flags & SOCK_NONBLOCK) != 0;
  f->sock = s;
  if((fd = fdalloc(f)) < 0){
    fileclose(f);  // releases s
    return -EMFILE;
  }
  myproc()->cloexec[fd] = (flags & SOCK_CLOEXEC) != 0;
  return fd;
}

// ---- options -----------------------------------------------------------------------

// The user's struct timeval (64-bit fields on rv64).
struct ktimeval {
  long sec;
  long usec;
};

static int
istimeout(int level, int name)
{
  return level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO);
}

// Longer timeouts than this many seconds (about 35,000 years) wait for ever,
// as Linux's do: the milliseconds must not overflow.
#define TIMEOUT_MAX_SEC (1L << 40)

// A timeout as the socket layer counts it (sock_setopt): milliseconds,
// 0 to wait for ever, -1 not to wait at all. Read as Linux reads it: any
// timeval with usec in [0, 1000000) is accepted (else -EDOM); negative
// seconds mean no waiting; anything too long to count waits for ever.
static int
timeout_ms(struct ktimeval *tv, int64_t *ms)
{
  if(tv->usec < 0 || tv->usec >= 1000000)
    return -EDOM;
  if(tv->sec < 0)
    *ms = -1;
  else if(tv->sec >= TIMEOUT_MAX_SEC)
    *ms = 0;
  else  // round up, so a tiny timeout does not become "forever" (0)
    *ms = tv->sec * 1000 + (tv->usec + 999) / 1000;
  return 0;
}

// The (fd, level, name, value, ...) arguments setsockopt and getsockopt share.
static int
argopt(struct file **f, int *level, int *name, uint64 *uval)
{
  int r;

  if((r = argsock(0, f)) < 0)
    return r;
  argint(1, level);
  argint(2, name);
  argaddr(3, uval);
  return 0;
}

// setsockopt(fd, level, name, value, len): an int, or for the timeouts a
// struct timeval (a plain int counts milliseconds; negative: no waiting).
uint64
sys_setsockopt(void)
{
  struct file *f;
  struct ktimeval tv;
  uint64 uval;
  int level, name, len, r, v;
  int64_t value;

  if((r = argopt(&f, &level, &name, &uval)) < 0)
    return r;
  argint(4, &len);
  if(istimeout(level, name) && len >= (int)sizeof(tv)){
    if(copyin(myproc()->pagetable, (char*)&tv, uval, sizeof(tv)) < 0)
      return -EFAULT;
    if((r = timeout_ms(&tv, &value)) < 0)
      return r;
  } else {
    if(len < (int)sizeof(v))
      return -EINVAL;
    if(copyin(myproc()->pagetable, (char*)&v, uval, sizeof(v)) < 0)
      return -EFAULT;
    value = v;
    if(istimeout(level, name) && v < 0)
      value = -1;
  }
  return sock_setopt(f->sock, level, name, value);
}

// getsockopt(fd, level, name, value, len*)
uint64
sys_getsockopt(void)
{
  struct proc *p = myproc();
  struct file *f;
  struct ktimeval tv;
  uint64 uval, ulenp;
  int level, name, len, r, v;
  int64_t value;

  if((r = argopt(&f, &level, &name, &uval)) < 0)
    return r;
  argaddr(4, &ulenp);
  if(copyin(p->pagetable, (char*)&len, ulenp, sizeof(len)) < 0)
    return -EFAULT;
  if((r = sock_getopt(f->sock, level, name, &value)) < 0)
    return r;
  if(istimeout(level, name) && len >= (int)sizeof(tv)){
    tv.sec = value / 1000;
    tv.usec = (value % 1000) * 1000;
    if(copyout(p->pagetable, uval, (char*)&tv, sizeof(tv)) < 0)
      return -EFAULT;
    len = sizeof(tv);
  } else {
    if(len < (int)sizeof(v))
      return -EINVAL;
    v = (int)value;
    if(copyout(p->pagetable, uval, (char*)&v, sizeof(v)) < 0)
      return -EFAULT;
    len = sizeof(v);
  }
  if(copyout(p->pagetable, ulenp, (char*)&len, sizeof(len)) < 0)
    return -EFAULT;
  return 0;
}

// fcntl(fd, cmd, arg) on any descriptor: F_GETFL / F_SETFL (O_NONBLOCK, the
// file's) and F_GETFD / F_SETFD (FD_CLOEXEC, the descriptor's).
uint64
sys_fcntl(void)
{
  struct file *f;
  int fd, cmd, arg, flags;

  if(argfd(0, &fd, &f) < 0)
    return -EBADF;
  argint(1, &cmd);
  argint(2, &arg);
  switch(cmd){
  case F_GETFD:
    return myproc()->cloexec[fd] ? FD_CLOEXEC : 0;
  case F_SETFD:
    myproc()->cloexec[fd] = (arg & FD_CLOEXEC) != 0;
    return 0;
  case F_GETFL:
    flags = f->readable && f->writable ? O_RDWR : f->writable ? O_WRONLY : O_RDONLY;
    if(f->nonblock)
      flags |= O_NONBLOCK;
    return flags;
  case F_SETFL:
    f->nonblock = (arg & O_NONBLOCK) != 0;
    if(f->type == FD_SOCK)
      sock_setnonblock(f->sock, f->nonblock);
    return 0;
  }
  return -EINVAL;
}
