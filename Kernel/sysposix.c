// System calls POSIX's <unistd.h> needs beyond xv6's: lseek, dup3, pread and
// pwrite (numbers 45..48). Unlike xv6's calls they return -errno (Linux's
// numbers, errnum.h), so the POSIX library can tell EBADF from ESPIPE.
// xv6-style programs can call them too (user/user.h).

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
#include "fcntl.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

// lseek(fd, offset, whence): the new offset. Past the end is allowed (a read
// there gives 0) but the file system keeps no holes, so a write there fails.
// Offsets are 32-bit in the file system: beyond that, EINVAL.
uint64
sys_lseek(void)
{
  struct file *f;
  uint64 uoff;
  long off, base;
  int whence;

  argaddr(1, &uoff);
  argint(2, &whence);
  off = (long)uoff;
  if(argfd(0, 0, &f) < 0)
    return -EBADF;
  if(f->type != FD_INODE)
    return -ESPIPE;
  if(whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
    return -EINVAL;
  ilock(f->ip);   // f->off and the size change under the inode's lock
  base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->off : f->ip->size;
  if((off > 0 && base > 0xFFFFFFFFL - off) || base + off < 0){
    iunlock(f->ip);
    return -EINVAL;
  }
  f->off = base + off;
  iunlock(f->ip);
  return base + off;
}

// dup3(oldfd, newfd, flags): newfd refers to oldfd's file; a file newfd had
// open is closed. flags: 0 or O_CLOEXEC. The descriptor table is the calling
// process's own, touched only by it, so no lock guards it.
uint64
sys_dup3(void)
{
  struct proc *p = myproc();
  struct file *f, *old;
  int oldfd, newfd, flags;

  argint(1, &newfd);
  argint(2, &flags);
  if(argfd(0, &oldfd, &f) < 0 || newfd < 0 || newfd >= NOFILE)
    return -EBADF;
  if((flags & ~O_CLOEXEC) != 0 || newfd == oldfd)
    return -EINVAL;
  old = p->ofile[newfd];
  p->ofile[newfd] = filedup(f);
  p->cloexec[newfd] = (flags & O_CLOEXEC) != 0;
  if(old)
    fileclose(old);
  return newfd;
}

// pread/pwrite(fd, buf, n, offset): at offset, leaving the file's offset.
static int
argpio(struct file **f, uint64 *buf, int *n, uint *off)
{
  uint64 uoff;

  argaddr(1, buf);
  argint(2, n);
  argaddr(3, &uoff);
  if(argfd(0, 0, f) < 0)
    return -EBADF;
  if(*n < 0 || (long)uoff < 0 || uoff > 0xFFFFFFFFUL)
    return -EINVAL;
  *off = uoff;
  return 0;
}

static uint64
pio(int write)
{
  struct file *f;
  uint64 buf;
  uint off;
  int n, r;

  if((r = argpio(&f, &buf, &n, &off)) < 0)
    return r;
  return write ? filepwrite(f, buf, n, off) : filepread(f, buf, n, off);
}

uint64
sys_pread(void)
{
  return pio(0);
}

uint64
sys_pwrite(void)
{
  return pio(1);
}
