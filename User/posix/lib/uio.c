// uio.c: readv and writev over read and write, sendmsg and recvmsg over
// sendto and recvfrom. Small vectors go through one bounce buffer, so a
// writev is one write (one datagram, no interleaving with other writers of
// a pipe) and a readv one read.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
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

// Gathers msg's vector into one buffer (malloc'd): its length, or -1.
static ssize_t
gather(const struct msghdr *m, char **buf)
{
  ssize_t len = total(m->msg_iov, m->msg_iovlen > IOV_MAX ? -1 : (int)m->msg_iovlen), off = 0;

  if(len < 0)
    return -1;
  if(len > BOUNCE_MAX){
    errno = EMSGSIZE;
    return -1;
  }
  if((*buf = malloc(len ? len : 1)) == 0){
    errno = ENOMEM;
    return -1;
  }
  for(size_t i = 0; i < m->msg_iovlen; i++){
    memcpy(*buf + off, m->msg_iov[i].iov_base, m->msg_iov[i].iov_len);
    off += m->msg_iov[i].iov_len;
  }
  return len;
}

ssize_t
sendmsg(int fd, const struct msghdr *m, int flags)
{
  char *buf;
  ssize_t len, n;

  if(m->msg_controllen != 0){
    errno = EOPNOTSUPP;
    return -1;
  }
  if((len = gather(m, &buf)) < 0)
    return -1;
  n = sendto(fd, buf, len, flags, m->msg_name, m->msg_name ? m->msg_namelen : 0);
  free(buf);
  return n;
}

ssize_t
recvmsg(int fd, struct msghdr *m, int flags)
{
  ssize_t len = total(m->msg_iov, m->msg_iovlen > IOV_MAX ? -1 : (int)m->msg_iovlen), n, done = 0;
  char *buf;

  if(len < 0)
    return -1;
  if(len > BOUNCE_MAX)
    len = BOUNCE_MAX;   // a shorter read: what a stream socket may give anyway
  if((buf = malloc(len ? len : 1)) == 0){
    errno = ENOMEM;
    return -1;
  }
  n = recvfrom(fd, buf, len, flags, m->msg_name, m->msg_name ? &m->msg_namelen : 0);
  for(size_t i = 0; n > 0 && i < m->msg_iovlen && done < n; i++){
    size_t k = m->msg_iov[i].iov_len < (size_t)(n - done) ? m->msg_iov[i].iov_len : (size_t)(n - done);
    memcpy(m->msg_iov[i].iov_base, buf + done, k);
    done += k;
  }
  free(buf);
  m->msg_controllen = 0;
  m->msg_flags = 0;
  return n;
}
