// sysiov.c: readv(fd, iov, iovcnt) and writev(fd, iov, iovcnt) on any
// descriptor: fileread / filewrite over each piece in turn.
//
// Checked before any byte moves: the descriptor (EBADF), 0 <= iovcnt <=
// IOV_MAX and a total that fits an int (EINVAL), every iovec readable and
// every piece inside user memory (EFAULT); a NULL base with a nonzero length
// is EFAULT too, as on Linux, although xv6 programs have text at 0. The
// pieces are then moved one by one (each iovec copied in again: the program
// may change them meanwhile, so the checks are repeated) until one comes up
// short. Like one read, readv waits only while nothing has arrived: once a
// piece got bytes, the next ones take what a pipe or socket holds already
// (and a device, the console, gets no more pieces). Returns the bytes
// moved, or if none, the first piece's error (-errno for sockets, -1 for
// other files, as read and write return). On a stream socket the pieces are
// queued first and pushed out together, as one write's bytes would be (Nagle
// would otherwise hold back each piece after the first until it is
// acknowledged); on a UDP or raw socket the call moves one datagram,
// gathered from or scattered over the pieces, as on Linux
// (Sources/Sockets/Vectored.swift).
#include "types.h"
#include "riscv.h"
#include "memlayout.h"
#include "defs.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "sleeplock.h"
#include "file.h"
#include "errnum.h"
#include "socket.h"
#include "uio.h"

#define IOV_TOTAL_MAX 0x7fffffffUL   // the count is returned as an int

// The i'th iovec of the array at uiov, checked: 0 or -errno.
static int
getiov(uint64 uiov, int i, uint64 *base, uint64 *len)
{
  struct iovec v;

  if(copyin(myproc()->pagetable, (char*)&v, uiov + (uint64)i * sizeof(v), sizeof(v)) < 0)
    return -EFAULT;
  *base = (uint64)v.iov_base;
  *len = v.iov_len;
  if(*len > IOV_TOTAL_MAX)
    return -EINVAL;
  if(*len > 0 && (*base == 0 || *base >= MAXUVA || *len > MAXUVA - *base))
    return -EFAULT;
  return 0;
}

// The whole array checked once, before anything moves: 0 or -errno.
static int
checkiovs(uint64 uiov, int iovcnt)
{
  uint64 base, len, total = 0;
  int r;

  for(int i = 0; i < iovcnt; i++){
    if((r = getiov(uiov, i, &base, &len)) < 0)
      return r;
    if(len > IOV_TOTAL_MAX - total)
      return -EINVAL;
    total += len;
  }
  return 0;
}

// Move one piece. Stream sockets queue it without pushing it out (sock_push
// does, after the last piece). nowait: bytes were read already, so take only
// what is there now (0 or -EAGAIN end the call).
static int
piece(struct file *f, int write, uint64 base, int len, int nowait)
{
  if(write){
    if(f->type == FD_SOCK && f->writable)
      return sock_send(f->sock, base, len, MSG_MORE, 0);
    return filewrite(f, base, len);
  }
  if(!nowait || f->type == FD_INODE || !f->readable)
    return fileread(f, base, len);
  if(f->type == FD_SOCK)
    return sock_recv(f->sock, base, len, MSG_DONTWAIT, 0);
  if(f->type == FD_PIPE)
    return piperead(f->pipe, base, len, 1);
  return 0;
}

static uint64
iov_rw(int write)
{
  struct file *f;
  uint64 uiov, base, len, done = 0;
  int iovcnt, r = 0;

  if(argfd(0, 0, &f) < 0)
    return -EBADF;
  argaddr(1, &uiov);
  argint(2, &iovcnt);
  if(iovcnt < 0 || iovcnt > IOV_MAX)
    return -EINVAL;
  if((r = checkiovs(uiov, iovcnt)) < 0)
    return r;
  if(f->type == FD_SOCK && (write ? f->writable : f->readable) &&
     (r = sock_datagram_iov(f->sock, write, uiov, iovcnt)) != -EOPNOTSUPP)
    return r;
  r = 0;
  for(int i = 0; i < iovcnt; i++){
    if((r = getiov(uiov, i, &base, &len)) < 0)
      break;
    if(len > IOV_TOTAL_MAX - done){   // the program changed its iovecs meanwhile
      r = -EINVAL;
      break;
    }
    if(len == 0)
      continue;
    if((r = piece(f, write, base, len, done > 0)) < 0)
      break;
    done += r;
    if(r < len)
      break;
  }
  if(write && f->type == FD_SOCK && done > 0)
    sock_push(f->sock);
  return done > 0 ? done : (r < 0 ? r : 0);
}

// readv(fd, iov, iovcnt)
uint64
sys_readv(void)
{
  return iov_rw(0);
}

// writev(fd, iov, iovcnt)
uint64
sys_writev(void)
{
  return iov_rw(1);
}
