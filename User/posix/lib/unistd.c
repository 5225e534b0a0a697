// unistd.c: the file and process calls of <unistd.h>, <fcntl.h>,
// <sys/stat.h> and <sys/wait.h> over the kernel's, as the C library expects
// them: -1 and errno on failure.
//
// xv6's own calls answer a bare -1 on failure; for those the reason is
// worked out afterwards (an fd that fstat/fcntl refuses is EBADF, a path
// stat cannot find is ENOENT, ...). The newer calls (lseek, dup3, pread,
// pwrite, sockets) return -errno, mapped by name in errmap.c.
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "calls.h"
#include "kflags.h"

// The kernel's struct stat, renamed: the C library's is a different structure.
#include "kernel/types.h"
#define stat kstat
#include "kernel/stat.h"
#undef stat
#include "kernel/fs.h"         // BSIZE
#include "kernel/param.h"      // NOFILE

// Is fd an open descriptor? (fcntl answers for every kind of file.)
static int
fd_open(int fd)
{
  return __xv6_fcntl(fd, __xv6_kflags.getfl, 0) >= 0;
}

// The kernel's access mode bits of fd's F_GETFL as the C library's O_ mode.
static int
access_mode(int kfl)
{
  const struct kflags *k = &__xv6_kflags;
  int acc = kfl & (k->rdonly | k->wronly | k->rdwr);

  return acc == k->rdwr ? O_RDWR : acc == k->wronly ? O_WRONLY : O_RDONLY;
}

// errno for a read or write that got xv6's bare -1.
static ssize_t
io_error(int fd, int writing)
{
  struct kstat st;
  int fl = __xv6_fcntl(fd, __xv6_kflags.getfl, 0);

  if(fl < 0 || access_mode(fl) == (writing ? O_RDONLY : O_WRONLY))
    errno = EBADF;
  else if(writing && __xv6_fstat(fd, &st) < 0)
    errno = EPIPE;       // not a file or device: a pipe with no reader left
  else
    errno = EIO;         // the disk, or a bad buffer address
  return -1;
}

ssize_t
read(int fd, void *buf, size_t n)
{
  int r = __xv6_read(fd, buf, n > INT32_MAX ? INT32_MAX : n);

  return r == -1 ? io_error(fd, 0) : __xv6_ret(r);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
  int r = __xv6_write(fd, buf, n > INT32_MAX ? INT32_MAX : n);

  return r == -1 ? io_error(fd, 1) : __xv6_ret(r);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
  return __xv6_ret(__xv6_pread(fd, buf, n > INT32_MAX ? INT32_MAX : n, off));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
  return __xv6_ret(__xv6_pwrite(fd, buf, n > INT32_MAX ? INT32_MAX : n, off));
}

off_t lseek(int fd, off_t off, int whence) { return __xv6_ret(__xv6_lseek(fd, off, whence)); }
int
dup3(int oldfd, int newfd, int flags)
{
  if(flags & ~O_CLOEXEC){
    errno = EINVAL;
    return -1;
  }
  return __xv6_ret(__xv6_dup3(oldfd, newfd, (flags & O_CLOEXEC) ? __xv6_kflags.cloexec : 0));
}

int
dup2(int oldfd, int newfd)
{
  if(oldfd == newfd){       // dup3 refuses this; dup2 checks oldfd and is done
    if(!fd_open(oldfd)){
      errno = EBADF;
      return -1;
    }
    return newfd;
  }
  return dup3(oldfd, newfd, 0);
}

int
dup(int fd)
{
  int r = __xv6_dup(fd);

  if(r < 0)
    errno = fd_open(fd) ? EMFILE : EBADF;
  return r < 0 ? -1 : r;
}

int
close(int fd)
{
  if(__xv6_close(fd) < 0){
    errno = EBADF;
    return -1;
  }
  return 0;
}

// The C library's O_ bits onto the kernel's; flags the kernel has no use for
// (O_NOCTTY, O_SYNC, ...) are dropped.
static int
kernel_oflags(int flags)
{
  const struct kflags *k = &__xv6_kflags;
  int acc = flags & O_ACCMODE, kf;

  kf = acc == O_WRONLY ? k->wronly : acc == O_RDWR ? k->rdwr : k->rdonly;
  if(flags & O_CREAT) kf |= k->create;
  if(flags & O_TRUNC) kf |= k->trunc;
  if(flags & O_APPEND) kf |= k->append;
  if(flags & O_EXCL) kf |= k->excl;
  if(flags & O_CLOEXEC) kf |= k->cloexec;
  return kf;
}

// open(path, flags[, mode]): the file system keeps no permissions, so the
// mode is accepted and not stored.
int
open(const char *path, int flags, ...)
{
  struct stat st;
  int fd;

  if((fd = __xv6_open(path, kernel_oflags(flags))) >= 0){
    if(flags & O_NONBLOCK)
      __xv6_fcntl(fd, __xv6_kflags.setfl, __xv6_kflags.nonblock);
    return fd;
  }
  if(stat(path, &st) < 0)
    errno = ENOENT;
  else if((flags & O_CREAT) && (flags & O_EXCL))
    errno = EEXIST;
  else if(S_ISDIR(st.st_mode) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
    errno = EISDIR;
  else
    errno = EMFILE;        // the descriptor or file table is full
  return -1;
}

int
creat(const char *path, mode_t mode)
{
  return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int
fcntl(int fd, int cmd, ...)
{
  const struct kflags *k = &__xv6_kflags;
  va_list ap;
  int arg, r;

  va_start(ap, cmd);
  arg = va_arg(ap, int);
  va_end(ap);
  switch(cmd){
  case F_GETFL:
    if((r = __xv6_ret(__xv6_fcntl(fd, k->getfl, 0))) < 0)
      return r;
    return access_mode(r) | ((r & k->nonblock) ? O_NONBLOCK : 0);
  case F_SETFL:
    return __xv6_ret(__xv6_fcntl(fd, k->setfl, (arg & O_NONBLOCK) ? k->nonblock : 0));
  case F_GETFD:
    if((r = __xv6_ret(__xv6_fcntl(fd, k->getfd, 0))) < 0)
      return r;
    return (r & k->fd_cloexec) ? FD_CLOEXEC : 0;
  case F_SETFD:
    return __xv6_ret(__xv6_fcntl(fd, k->setfd, (arg & FD_CLOEXEC) ? k->fd_cloexec : 0));
  case F_DUPFD:
  case F_DUPFD_CLOEXEC:
    if(!fd_open(fd)){
      errno = EBADF;
      return -1;
    }
    for(r = arg < 0 ? NOFILE : arg; r < NOFILE; r++)
      if(!fd_open(r))
        return dup3(fd, r, cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
    errno = arg < 0 ? EINVAL : EMFILE;
    return -1;
  }
  errno = EINVAL;
  return -1;
}

// The kernel's stat as POSIX's: a type into st_mode (with made-up but
// usual permission bits: the file system has none).
static void
convert_stat(const struct kstat *k, struct stat *st)
{
  memset(st, 0, sizeof(*st));
  st->st_dev = k->dev;
  st->st_ino = k->ino;
  st->st_nlink = k->nlink;
  st->st_size = k->size;
  st->st_blksize = BSIZE;
  st->st_blocks = (k->size + 511) / 512;
  st->st_mode = k->type == T_DIR ? S_IFDIR | 0755 :
                k->type == T_DEVICE ? S_IFCHR | 0666 : S_IFREG | 0644;
}

int
fstat(int fd, struct stat *st)
{
  struct kstat k;

  if(__xv6_fstat(fd, &k) < 0){
    // pipes and sockets have no inode: both show as a FIFO
    int fl = __xv6_fcntl(fd, __xv6_kflags.getfl, 0);
    if(fl < 0){
      errno = EBADF;
      return -1;
    }
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFIFO | 0600;
    return 0;
  }
  convert_stat(&k, st);
  return 0;
}

int
stat(const char *path, struct stat *st)
{
  int fd = __xv6_open(path, __xv6_kflags.rdonly), r;

  if(fd < 0){
    errno = ENOENT;
    return -1;
  }
  r = fstat(fd, st);
  __xv6_close(fd);
  return r;
}

int lstat(const char *path, struct stat *st) { return stat(path, st); }

int
isatty(int fd)
{
  struct stat st;

  if(fstat(fd, &st) < 0)
    return 0;
  if(!S_ISCHR(st.st_mode)){
    errno = ENOTTY;
    return 0;
  }
  return 1;
}

// Path calls. The kernel says only -1; the reason is worked out from what
// the paths are afterwards. unlink and rmdir are one call in the kernel
// (xv6's unlink removes empty directories): POSIX keeps them apart.
enum { NONE, FILE_, DIR_ };

static int
what(const char *path)
{
  struct stat st;

  if(stat(path, &st) < 0)
    return NONE;
  return S_ISDIR(st.st_mode) ? DIR_ : FILE_;
}

static int
fail(int err)
{
  errno = err;
  return -1;
}

int
unlink(const char *path)
{
  int w = what(path);

  if(w == DIR_)
    return fail(EISDIR);
  if(__xv6_unlink(path) < 0)
    return fail(w == NONE ? ENOENT : EBUSY);
  return 0;
}

int
rmdir(const char *path)
{
  int w = what(path);

  if(w == FILE_)
    return fail(ENOTDIR);
  if(__xv6_unlink(path) < 0)
    return fail(w == NONE ? ENOENT : ENOTEMPTY);   // or "." and ".."
  return 0;
}

int
mkdir(const char *path, mode_t mode)
{
  (void)mode;
  if(__xv6_mkdir(path) < 0)
    return fail(what(path) != NONE ? EEXIST : ENOENT);
  return 0;
}

int
chdir(const char *path)
{
  if(__xv6_chdir(path) < 0)
    return fail(what(path) == NONE ? ENOENT : ENOTDIR);
  return 0;
}

int
link(const char *old, const char *new)
{
  int w = what(old);

  if(__xv6_link(old, new) < 0)
    return fail(w == NONE ? ENOENT : w == DIR_ ? EPERM : what(new) != NONE ? EEXIST : ENOENT);
  return 0;
}

int
rename(const char *old, const char *new)
{
  if(__xv6_rename(old, new) < 0)
    return fail(what(old) == NONE ? ENOENT : what(new) == DIR_ ? ENOTEMPTY : EINVAL);
  return 0;
}

int
pipe(int fds[2])
{
  return __xv6_pipe(fds) < 0 ? fail(EMFILE) : 0;
}
