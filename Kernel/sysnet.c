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
// Addresses: an AF_INET socket takes and gives struct sockaddr_in, an
// AF_INET6 socket struct sockaddr_in6, as on Linux. Both become struct
// lsock_addr for the Swift layer; on an AF_INET6 socket an IPv4-mapped
// ::ffff:a.b.c.d becomes an AF_INET address (IPv4 over a dual-stack socket)
// and an IPv4 address comes back as ::ffff:a.b.c.d.
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

static uint16
swap16(uint16 v)
{
  return (uint16)((v >> 8) | (v << 8));
}

// The first 12 bytes of an IPv4-mapped IPv6 address (RFC 4291 2.5.5.2).
static const uint8 v4mapped[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };

// Read the address of len bytes at user address uaddr that a program passed
// to socket s, into *a. Linux's checks, in Linux's order: the length
// (EINVAL), the copy (EFAULT), the length the socket's family needs
// (EINVAL), the family (EAFNOSUPPORT). unspec: AF_UNSPEC is accepted (connect:
// dissolve a datagram association) and gives family 0.
static int
getsockaddr(struct socket *s, uint64 uaddr, int len, int unspec, struct lsock_addr *a)
{
  union {
    uint16 family;
    struct ksockaddr_in in;
    struct ksockaddr_in6 in6;
  } sa;
  int family = sock_family(s);
  int need = family == AF_INET6 ? SIN6_LEN_RFC2133 : (int)sizeof(struct ksockaddr_in);

  if(len < (int)sizeof(sa.family) || len > SOCKADDR_MAX)
    return -EINVAL;
  memset(&sa, 0, sizeof(sa));
  if(copyin(myproc()->pagetable, (char*)&sa, uaddr, len < (int)sizeof(sa) ? len : sizeof(sa)) < 0)
    return -EFAULT;
  memset(a, 0, sizeof(*a));
  if(unspec && sa.family == AF_UNSPEC)
    return 0;
  if(len < need)
    return -EINVAL;
  if(sa.family != family)
    return -EAFNOSUPPORT;
  if(family == AF_INET){
    a->family = AF_INET;
    a->port = swap16(sa.in.port);
    memmove(a->addr, &sa.in.addr, 4);
    return 0;
  }
  a->port = swap16(sa.in6.port);
  if(memcmp(sa.in6.addr, v4mapped, sizeof(v4mapped)) == 0){
    a->family = AF_INET;
    memmove(a->addr, sa.in6.addr + 12, 4);
    return 0;
  }
  a->family = AF_INET6;
  memmove(a->addr, sa.in6.addr, 16);
  if(len >= (int)sizeof(sa.in6))
    a->scope = sa.in6.scope_id;
  return 0;
}

// *a as the sockaddr a socket of family gives back: a struct sockaddr_in, or
// a struct sockaddr_in6 (an IPv4 address as ::ffff:a.b.c.d). Its size.
static int
sockaddr_of(int family, struct lsock_addr *a, void *out)
{
  struct ksockaddr_in *in = out;
  struct ksockaddr_in6 *in6 = out;

  if(family == AF_INET){
    memset(in, 0, sizeof(*in));
    in->family = AF_INET;
    in->port = swap16(a->port);
    if(a->family == AF_INET)
      memmove(&in->addr, a->addr, 4);
    return sizeof(*in);
  }
  memset(in6, 0, sizeof(*in6));
  in6->family = AF_INET6;
  in6->port = swap16(a->port);
  if(a->family == AF_INET){
    memmove(in6->addr, v4mapped, sizeof(v4mapped));
    memmove(in6->addr + 12, a->addr, 4);
  } else if(a->family == AF_INET6){
    memmove(in6->addr, a->addr, 16);
    in6->scope_id = a->scope;
  }
  return sizeof(*in6);
}

// Write *a as socket family's sockaddr to uaddr, whose size the user passed
// in *ulenp: truncated to it, and *ulenp updated to the full size, as BSD
// does. uaddr 0: no-op.
static int
putsockaddr(uint64 uaddr, uint64 ulenp, int family, struct lsock_addr *a)
{
  struct proc *p = myproc();
  struct ksockaddr_in6 sa;   // the larger of the two
  int len, size;

  if(uaddr == 0)
    return 0;
  if(copyin(p->pagetable, (char*)&len, ulenp, sizeof(len)) < 0)
    return -EFAULT;
  if(len < 0)
    return -EINVAL;
  size = sockaddr_of(family, a, &sa);
  if(len > size)
    len = size;
  if(copyout(p->pagetable, uaddr, (char*)&sa, len) < 0)
    return -EFAULT;
  if(copyout(p->pagetable, ulenp, (char*)&size, sizeof(size)) < 0)
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

// socket(domain, type, protocol): AF_INET or AF_INET6. SOCK_RAW takes
// IPPROTO_ICMP (AF_INET) or IPPROTO_ICMPV6 (AF_INET6) only; as on a teaching
// kernel there are no users, anyone may open one.
uint64
sys_socket(void)
{
  int domain, type, protocol, base, nonblock, r;
  struct socket *s;

  argint(0, &domain);
  argint(1, &type);
  argint(2, &protocol);
  if(domain != AF_INET && domain != AF_INET6)
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
    r = sock_create_raw(domain, protocol, nonblock, &s);
  else
    r = sock_create(domain, base, nonblock, &s);
  if(r < 0)
    return r;
  return sockfile(s, type & (SOCK_NONBLOCK | SOCK_CLOEXEC));
}

// The calls of (fd, addr, addrlen): bind and connect (unspec: AF_UNSPEC allowed).
static uint64
sockaddrcall(int32_t (*op)(struct socket*, const struct lsock_addr*), int unspec)
{
  struct file *f;
  struct lsock_addr a;
  uint64 uaddr;
  int len, r;

  if((r = argsock(0, &f)) < 0)
    return r;
  argaddr(1, &uaddr);
  argint(2, &len);
  if((r = getsockaddr(f->sock, uaddr, len, unspec, &a)) < 0)
    return r;
  return op(f->sock, &a);
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
  return sockaddrcall(sock_bind, 0);
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
  struct lsock_addr peer;
  uint64 uaddr, ulenp;
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
  if((r = sock_accept(f->sock, &c, &peer)) < 0)
    return r;
  if(flags & SOCK_NONBLOCK)
    sock_setnonblock(c, 1);
  if((fd = sockfile(c, flags)) < 0)
    return fd;
  if((r = putsockaddr(uaddr, ulenp, sock_family(c), &peer)) < 0){
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
  return sockaddrcall(sock_connect, 1);
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
  struct lsock_addr to;

  if((r = argmsg(&f, &ubuf, &len, &flags, &uaddr)) < 0)
    return r;
  argint(5, &alen);
  if(uaddr && (r = getsockaddr(f->sock, uaddr, alen, 0, &to)) < 0)
    return r;
  return sigpipe_on_epipe(sock_send(f->sock, ubuf, len, flags, uaddr ? &to : 0), flags);
}

// recvfrom(fd, buf, len, flags, addr, addrlen*); recv() passes addr 0.
uint64
sys_recvfrom(void)
{
  struct file *f;
  uint64 ubuf, uaddr, ulenp;
  int len, flags, alen, r, n;
  struct lsock_addr from;

  if((r = argmsg(&f, &ubuf, &len, &flags, &uaddr)) < 0)
    return r;
  argaddr(5, &ulenp);
  if(uaddr && copyin(myproc()->pagetable, (char*)&alen, ulenp, sizeof(alen)) < 0)
    return -EFAULT;
  memset(&from, 0, sizeof(from));
  if((n = sock_recv(f->sock, ubuf, len, flags, &from)) < 0)
    return n;
  if((r = putsockaddr(uaddr, ulenp, sock_family(f->sock), &from)) < 0)
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
  struct lsock_addr a;
  uint64 uaddr, ulenp;
  int r;

  if((r = argsock(0, &f)) < 0)
    return r;
  argaddr(1, &uaddr);
  argaddr(2, &ulenp);
  if(uaddr == 0)
    return -EFAULT;
  if((r = sock_getname(f->sock, peer, &a)) < 0)
    return r;
  return putsockaddr(uaddr, ulenp, sock_family(f->sock), &a);
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
