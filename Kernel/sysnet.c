// sysnet.c: the BSD socket system calls that make, connect and move data
// through sockets (SYS_socket .. SYS_getpeername, SYS_accept4), with their
// argument helpers, and netinfo. The socket file type (read/write/close for
// file.c), the socket options (setsockopt, getsockopt, fcntl) and the kernel
// services the Swift socket layer uses are in sockfile.c.
//
// Here every user argument is checked: descriptors (EBADF, ENOTSOCK:
// argsock), address families and lengths (EAFNOSUPPORT, EINVAL), and user
// memory is only touched through copyin/copyout (EFAULT). The Swift layer
// does the rest and returns -errno, which goes back to the user unchanged.
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
#include "socket.h"
#include "abi/netinfo.h"   // struct netinfo (sys_netinfo)
#include "lwip_sock.h"       // struct lsock_memstats, struct sock_info (sys_netinfo)

// ---- argument helpers (argsock: sockfile.c) ---------------------------------------

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
