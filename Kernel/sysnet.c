// sysnet.c: the BSD socket system calls (SYS_socket .. SYS_fcntl), the
// socket file type's read/write/close for file.c, and the kernel services the
// Swift socket layer (Sources/Sockets) and Net/lwip_sock.c use.
//
// Here every user argument is checked: descriptors (EBADF, ENOTSOCK),
// address families and lengths (EAFNOSUPPORT, EINVAL), and user memory is
// only touched through copyin/copyout (EFAULT). The Swift layer does the
// rest and returns -errno, which goes back to the user unchanged.
//
// Locks: the Swift layer takes the network lock (net.c) itself; nothing here
// holds a lock when calling it. Order: netlock, then a proc lock (sleep,
// wakeup, killed); ftable.lock is never held together with netlock.
#include "types.h"
#include "riscv.h"
#include "memlayout.h"
#include "defs.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "sleeplock.h"
#include "file.h"
#include "fcntl.h"
#include "socket.h"
#include "abi/netinfo.h"   // struct netinfo (sys_netinfo)
#include "lwip_sock.h"

// ---- services for the Swift layer and lwip_sock.c (CShims/include/lwip_sock.h)

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
  return sock_recv(s, addr, n, 0, 0, 0);
}

// A send that fails with EPIPE (after shutdown or reset) raises SIGPIPE,
// unless the caller passed MSG_NOSIGNAL.
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0x4000   // Linux's value, as in User/include/user/socket.h
#endif
static int
sigpipe_on_epipe(int r, int flags)
{
  if(r == -EPIPE && !(flags & MSG_NOSIGNAL))
    signal_raise(myproc(), SIGPIPE);
  return r;
}

int
sockwrite(struct socket *s, uint64 addr, int n)
{
  return sigpipe_on_epipe(sock_send(s, addr, n, 0, 0, 0, 0), 0);
}

// The last reference to the file is gone.
void
sockclose(struct socket *s)
{
  sock_release(s);
}

// ---- argument helpers ------------------------------------------------------------

// The n'th argument as a socket descriptor: 0, -EBADF or -ENOTSOCK.
static int
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

// Read a struct sockaddr_in of len bytes from user address uaddr.
static int
getsockaddr(uint64 uaddr, int len, uint32 *addr, uint16 *port)
{
  struct ksockaddr_in sa;

  if(len < (int)sizeof(sa))
    return -EINVAL;
  if(copyin(myproc()->pagetable, (char*)&sa, uaddr, sizeof(sa)) < 0)
    return -EFAULT;
  if(sa.family != AF_INET)
    return -EAFNOSUPPORT;
  *addr = sa.addr;
  *port = (uint16)((sa.port >> 8) | (sa.port << 8));
  return 0;
}

// Write addr:port as a struct sockaddr_in to uaddr, whose size the user
// passed in *ulenp (updated to the full size, as BSD does). uaddr 0: no-op.
static int
putsockaddr(uint64 uaddr, uint64 ulenp, uint32 addr, uint16 port)
{
  struct proc *p = myproc();
  struct ksockaddr_in sa;
  int len;

  if(uaddr == 0)
    return 0;
  if(copyin(p->pagetable, (char*)&len, ulenp, sizeof(len)) < 0)
    return -EFAULT;
  if(len < 0)
    return -EINVAL;
  memset(&sa, 0, sizeof(sa));
  sa.family = AF_INET;
  sa.port = (uint16)((port >> 8) | (port << 8));
  sa.addr = addr;
  if(len > (int)sizeof(sa))
    len = sizeof(sa);
  if(copyout(p->pagetable, uaddr, (char*)&sa, len) < 0)
    return -EFAULT;
  len = sizeof(sa);
  if(copyout(p->pagetable, ulenp, (char*)&len, sizeof(len)) < 0)
    return -EFAULT;
  return 0;
}

// A fresh file and descriptor for socket s, or -errno (s is then released).
// flags: SOCK_NONBLOCK (the file's, as O_NONBLOCK) and SOCK_CLOEXEC (the
// descriptor's FD_CLOEXEC).
static int
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

// A process can never have more than NOFILE descriptors: fail early, before
// a socket or a connection is used up.
static int
fdfree(void)
{
  struct proc *p = myproc();

  for(int fd = 0; fd < NOFILE; fd++)
    if(p->ofile[fd] == 0)
      return 1;
  return 0;
}

// ---- system calls ----------------------------------------------------------------

// socket(domain, type, protocol). SOCK_RAW takes IPPROTO_ICMP only; as on
// a teaching kernel there are no users, anyone may open one.
uint64
sys_socket(void)
{
  int domain, type, protocol, base, nonblock, r;
  struct socket *s;

  argint(0, &domain);
  argint(1, &type);
  argint(2, &protocol);
  if(domain != AF_INET)
    return -EAFNOSUPPORT;
  base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  nonblock = (type & SOCK_NONBLOCK) != 0;
  if(base != SOCK_RAW && protocol != 0 &&
     !(base == SOCK_STREAM && protocol == IPPROTO_TCP) &&
     !(base == SOCK_DGRAM && protocol == IPPROTO_UDP))
    return -EPROTONOSUPPORT;
  if(!fdfree())
    return -EMFILE;
  if(base == SOCK_RAW)
    r = sock_create_raw(protocol, nonblock, &s);
  else
    r = sock_create(base, nonblock, &s);
  if(r < 0)
    return r;
  return sockfile(s, type & (SOCK_NONBLOCK | SOCK_CLOEXEC));
}

// The calls of (fd, addr, addrlen): bind and connect.
static uint64
sockaddrcall(int32_t (*op)(struct socket*, uint32_t, uint16_t))
{
  struct file *f;
  uint64 uaddr;
  uint32 addr;
  uint16 port;
  int len, r;

  if((r = argsock(0, &f)) < 0)
    return r;
  argaddr(1, &uaddr);
  argint(2, &len);
  if((r = getsockaddr(uaddr, len, &addr, &port)) < 0)
    return r;
  return op(f->sock, addr, port);
}

// The calls of (fd, n): listen and shutdown.
static uint64
sockintcall(int32_t (*op)(struct socket*, int32_t))
{
  struct file *f;
  int n, r;

  if((r = argsock(0, &f)) < 0)
    return r;
  argint(1, &n);
  return op(f->sock, n);
}

// bind(fd, addr, addrlen)
uint64
sys_bind(void)
{
  return sockaddrcall(sock_bind);
}

// listen(fd, backlog)
uint64
sys_listen(void)
{
  return sockintcall(sock_listen);
}

// accept(fd, addr, addrlen*) and accept4(..., flags): a descriptor for the
// next connection. flags: SOCK_NONBLOCK and SOCK_CLOEXEC for the new
// descriptor (it never inherits the listener's O_NONBLOCK, as on Linux).
static uint64
accept_flags(int flags)
{
  struct file *f;
  struct socket *c;
  uint64 uaddr, ulenp;
  uint32 addr;
  uint16 port;
  int len, r, fd;

  if((r = argsock(0, &f)) < 0)
    return r;
  if(flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
    return -EINVAL;
  argaddr(1, &uaddr);
  argaddr(2, &ulenp);
  // check the length pointer before a connection is taken off the queue
  if(uaddr && copyin(myproc()->pagetable, (char*)&len, ulenp, sizeof(len)) < 0)
    return -EFAULT;
  if(!fdfree())
    return -EMFILE;
  if((r = sock_accept(f->sock, &c, &addr, &port)) < 0)
    return r;
  if(flags & SOCK_NONBLOCK)
    sock_setnonblock(c, 1);
  if((fd = sockfile(c, flags)) < 0)
    return fd;
  if((r = putsockaddr(uaddr, ulenp, addr, port)) < 0){
    f = myproc()->ofile[fd];
    myproc()->ofile[fd] = 0;
    fileclose(f);
    return r;
  }
  return fd;
}

uint64
sys_accept(void)
{
  return accept_flags(0);
}

// accept4(fd, addr, addrlen*, flags)
uint64
sys_accept4(void)
{
  int flags;

  argint(3, &flags);
  return accept_flags(flags);
}

// connect(fd, addr, addrlen)
uint64
sys_connect(void)
{
  return sockaddrcall(sock_connect);
}

// The (fd, buf, len, flags, addr, ...) arguments sendto and recvfrom share.
static int
argmsg(struct file **f, uint64 *ubuf, int *len, int *flags, uint64 *uaddr)
{
  int r;

  if((r = argsock(0, f)) < 0)
    return r;
  argaddr(1, ubuf);
  argint(2, len);
  argint(3, flags);
  argaddr(4, uaddr);
  if(*len < 0)
    return -EINVAL;
  return 0;
}

// sendto(fd, buf, len, flags, addr, addrlen); send() passes addr 0.
uint64
sys_sendto(void)
{
  struct file *f;
  uint64 ubuf, uaddr;
  int len, flags, alen, r;
  uint32 addr = 0;
  uint16 port = 0;

  if((r = argmsg(&f, &ubuf, &len, &flags, &uaddr)) < 0)
    return r;
  argint(5, &alen);
  // a program's MSG_MORE is ignored: no timer would push its data out if no
  // more came (Linux's waits 200 ms); writev uses it between its pieces
  flags &= ~MSG_MORE;
  if(uaddr && (r = getsockaddr(uaddr, alen, &addr, &port)) < 0)
    return r;
  return sigpipe_on_epipe(sock_send(f->sock, ubuf, len, flags, uaddr != 0, addr, port), flags);
}

// recvfrom(fd, buf, len, flags, addr, addrlen*); recv() passes addr 0.
uint64
sys_recvfrom(void)
{
  struct file *f;
  uint64 ubuf, uaddr, ulenp;
  int len, flags, alen, r, n;
  uint32 addr = 0;
  uint16 port = 0;

  if((r = argmsg(&f, &ubuf, &len, &flags, &uaddr)) < 0)
    return r;
  argaddr(5, &ulenp);
  if(uaddr && copyin(myproc()->pagetable, (char*)&alen, ulenp, sizeof(alen)) < 0)
    return -EFAULT;
  if((n = sock_recv(f->sock, ubuf, len, flags, &addr, &port)) < 0)
    return n;
  if((r = putsockaddr(uaddr, ulenp, addr, port)) < 0)
    return r;
  return n;
}

// shutdown(fd, how)
uint64
sys_shutdown(void)
{
  return sockintcall(sock_shutdown);
}

static uint64
getname(int peer)
{
  struct file *f;
  uint64 uaddr, ulenp;
  uint32 addr;
  uint16 port;
  int r;

  if((r = argsock(0, &f)) < 0)
    return r;
  argaddr(1, &uaddr);
  argaddr(2, &ulenp);
  if(uaddr == 0)
    return -EFAULT;
  if((r = sock_getname(f->sock, peer, &addr, &port)) < 0)
    return r;
  return putsockaddr(uaddr, ulenp, addr, port);
}

// getsockname(fd, addr, addrlen*)
uint64
sys_getsockname(void)
{
  return getname(0);
}

// getpeername(fd, addr, addrlen*)
uint64
sys_getpeername(void)
{
  return getname(1);
}

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

// netinfo(what, buf, index): see NETINFO_* in socket.h.
uint64
sys_netinfo(void)
{
  struct proc *p = myproc();
  struct netinfo ni;
  struct lsock_memstats ms;
  struct sock_info si;
  uint64 ubuf, us;
  int what, index, r;

  argint(0, &what);
  argaddr(1, &ubuf);
  argint(2, &index);
  switch(what){
  case NETINFO_IF:
    if(netinfo(index, &ni) < 0)
      return index == 0 ? -EAFNOSUPPORT : -ENODEV;  // no network card / past the last
    if(copyout(p->pagetable, ubuf, (char*)&ni, sizeof(ni)) < 0)
      return -EFAULT;
    return 0;
  case NETINFO_MEM:
    sock_memstats(&ms);
    if(copyout(p->pagetable, ubuf, (char*)&ms, sizeof(ms)) < 0)
      return -EFAULT;
    return 0;
  case NETINFO_SOCK:
    if((r = sock_info(index, &si)) < 0)
      return r;
    if(copyout(p->pagetable, ubuf, (char*)&si, sizeof(si)) < 0)
      return -EFAULT;
    return r;
  case NETINFO_CLOCK:
    // the time CSR, finer than the tick: network tools time round trips
    us = r_time() / (MTIME_HZ / 1000000);
    if(copyout(p->pagetable, ubuf, (char*)&us, sizeof(us)) < 0)
      return -EFAULT;
    return 0;
  }
  return -EINVAL;
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
