// uio.c: readv and writev (the kernel's, system calls 56 and 57), sendmsg and
// recvmsg over sendto and recvfrom through one bounce buffer, so a message is
// one datagram.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "calls.h"

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
  return __xv6_ret(__xv6_writev(fd, iov, iovcnt));
}

ssize_t
readv(int fd, const struct iovec *iov, int iovcnt)
{
  return __xv6_ret(__xv6_readv(fd, iov, iovcnt));
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
