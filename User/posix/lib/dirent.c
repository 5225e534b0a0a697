// dirent.c: opendir, readdir and the rest over a directory's descriptor. The
// kernel lets a directory be read as a file of its entries (Kernel/fs.h's
// struct dirent: an inode number, 0 for a free slot, and a name of up to
// DIRSIZ bytes, not terminated when it is that long).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "kernel/types.h"
#define dirent kdirent
#include "kernel/fs.h"
#undef dirent

struct __dirstream {
  int fd;
  struct dirent entry;      // what readdir returns last
};

DIR *
fdopendir(int fd)
{
  struct stat st;
  DIR *d;

  if(fstat(fd, &st) < 0)
    return 0;
  if(!S_ISDIR(st.st_mode)){
    errno = ENOTDIR;
    return 0;
  }
  if((d = malloc(sizeof(*d))) == 0)
    return 0;
  d->fd = fd;
  return d;
}

DIR *
opendir(const char *path)
{
  int fd = open(path, O_RDONLY);
  DIR *d;

  if(fd < 0)
    return 0;
  if((d = fdopendir(fd)) == 0){
    int err = errno;
    close(fd);
    errno = err;
  }
  return d;
}

struct dirent *
readdir(DIR *d)
{
  struct kdirent k;
  int n;

  while((n = read(d->fd, &k, sizeof(k))) == sizeof(k)){
    if(k.inum == 0)
      continue;              // a free slot
    d->entry.d_ino = k.inum;
    memcpy(d->entry.d_name, k.name, DIRSIZ);
    d->entry.d_name[DIRSIZ] = 0;
    return &d->entry;
  }
  if(n > 0)
    errno = EIO;             // a torn entry: not a directory as the kernel writes them
  return 0;                  // the end (errno untouched) or an error
}

void rewinddir(DIR *d) { lseek(d->fd, 0, SEEK_SET); }
int dirfd(DIR *d) { return d->fd; }

int
closedir(DIR *d)
{
  int r = close(d->fd);

  free(d);
  return r;
}
