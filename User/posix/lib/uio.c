// uio.c: readv and writev over read and write. Small vectors go through one
// bounce buffer, so a writev is one write (one datagram, no interleaving
// with other writers of a pipe) and a readv one read.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#define BOUNCE_MAX (64 * 1024)
#define SSIZE_LIMIT ((size_t)-1 >> 1)

// The vector's total length, or -1 (EINVAL) for a bad count or overflow.
static ssize_t
total(const struct iovec *iov, int iovcnt)
{
  size_t sum = 0;

  if(iovcnt < 0 || iovcnt > IOV_MAX){
    errno = EINVAL;
    return -1;
  }
  for(int i = 0; i < iovcnt; i++){
    if(iov[i].iov_len > SSIZE_LIMIT - sum){
      errno = EINVAL;
      return -1;
    }
    sum += iov[i].iov_len;
  }
  return sum;
}

ssize_t
writev(int fd, const struct iovec *iov, int iovcnt)
{
  ssize_t len = total(iov, iovcnt), done = 0, n;
  char *buf;
  int i;

  if(len < 0)
    return -1;
  if(len <= BOUNCE_MAX && (buf = malloc(len ? len : 1)) != 0){
    for(i = 0; i < iovcnt; i++){
      memcpy(buf + done, iov[i].iov_base, iov[i].iov_len);
      done += iov[i].iov_len;
    }
    n = write(fd, buf, len);
    free(buf);
    return n;
  }
  for(i = 0; i < iovcnt; i++){
    if((n = write(fd, iov[i].iov_base, iov[i].iov_len)) < 0)
      return done > 0 ? done : -1;
    done += n;
    if((size_t)n < iov[i].iov_len)
      break;
  }
  return done;
}

ssize_t
readv(int fd, const struct iovec *iov, int iovcnt)
{
  ssize_t len = total(iov, iovcnt), done = 0, n, left;
  char *buf;
  int i;

  if(len < 0)
    return -1;
  if(len <= BOUNCE_MAX && (buf = malloc(len ? len : 1)) != 0){
    if((n = read(fd, buf, len)) > 0)
      for(i = 0, left = n; i < iovcnt && left > 0; i++){
        size_t m = iov[i].iov_len < (size_t)left ? iov[i].iov_len : (size_t)left;
        memcpy(iov[i].iov_base, buf + done, m);
        done += m;
        left -= m;
      }
    free(buf);
    return n;
  }
  for(i = 0; i < iovcnt; i++){
    if((n = read(fd, iov[i].iov_base, iov[i].iov_len)) < 0)
      return done > 0 ? done : -1;
    done += n;
    if((size_t)n < iov[i].iov_len)
      break;
  }
  return done;
}
