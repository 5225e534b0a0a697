// socket.c: the user side of BSD sockets. Thin wrappers over the system
// calls in usys.S (which return -errno) that set errno and return -1,
// plus error messages. Address conversion is in inet.c.
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include <stdarg.h>

int errno;

int __sys_socket(int, int, int);
int __sys_bind(int, const void*, int);
int __sys_listen(int, int);
int __sys_accept(int, void*, socklen_t*);
int __sys_connect(int, const void*, int);
int __sys_sendto(int, const void*, int, int, const void*, int);
int __sys_recvfrom(int, void*, int, int, void*, socklen_t*);
int __sys_shutdown(int, int);
int __sys_getsockname(int, void*, socklen_t*);
int __sys_getpeername(int, void*, socklen_t*);
int __sys_setsockopt(int, int, int, const void*, int);
int __sys_getsockopt(int, int, int, void*, socklen_t*);
int __sys_netinfo(int, void*, int);
int __sys_fcntl(int, int, int);
int __sys_accept4(int, void*, socklen_t*, int);
int __sys_readv(int, const struct iovec*, int);
int __sys_writev(int, const struct iovec*, int);

// A system call's result: itself, or -1 with errno set (the library's newer
// calls all come through here: clockpoll.c too).
int
__sysret(int r)
{
  if(r < 0){
    errno = -r;
    return -1;
  }
  return r;
}

// read and write go through these wrappers because on a socket the kernel
// reports why a call failed (-ECONNRESET, -EAGAIN, ...), where other files
// give a bare -1: either way the caller sees -1, with the reason in errno, so
// BSD-style programs (`if(n == -1) perror("read")`) and xv6 programs
// (`if(n < 0)`) both work.
int __sys_read(int, void*, int);
int __sys_write(int, const void*, int);

static int
retio(int r)
{
  if(r == -1){
    errno = EIO;
    return -1;
  }
  return __sysret(r);
}

int read(int fd, void *buf, int n) { return retio(__sys_read(fd, buf, n)); }
int write(int fd, const void *buf, int n) { return retio(__sys_write(fd, buf, n)); }

int socket(int d, int t, int p) { return __sysret(__sys_socket(d, t, p)); }
int bind(int fd, const struct sockaddr *a, socklen_t n) { return __sysret(__sys_bind(fd, a, n)); }
int listen(int fd, int backlog) { return __sysret(__sys_listen(fd, backlog)); }
int accept(int fd, struct sockaddr *a, socklen_t *n) { return __sysret(__sys_accept(fd, a, n)); }
int accept4(int fd, struct sockaddr *a, socklen_t *n, int flags)
{
  return __sysret(__sys_accept4(fd, a, n, flags));
}
int readv(int fd, const struct iovec *v, int n) { return retio(__sys_readv(fd, v, n)); }
int writev(int fd, const struct iovec *v, int n) { return retio(__sys_writev(fd, v, n)); }
int connect(int fd, const struct sockaddr *a, socklen_t n) { return __sysret(__sys_connect(fd, a, n)); }
int shutdown(int fd, int how) { return __sysret(__sys_shutdown(fd, how)); }
int netinfo(int what, void *buf, int index) { return __sysret(__sys_netinfo(what, buf, index)); }

int
send(int fd, const void *buf, int len, int flags)
{
  return __sysret(__sys_sendto(fd, buf, len, flags, 0, 0));
}

int
recv(int fd, void *buf, int len, int flags)
{
  return __sysret(__sys_recvfrom(fd, buf, len, flags, 0, 0));
}

int
sendto(int fd, const void *buf, int len, int flags, const struct sockaddr *to,
       socklen_t tolen)
{
  return __sysret(__sys_sendto(fd, buf, len, flags, to, tolen));
}

int
recvfrom(int fd, void *buf, int len, int flags, struct sockaddr *from,
         socklen_t *fromlen)
{
  return __sysret(__sys_recvfrom(fd, buf, len, flags, from, fromlen));
}

int
getsockname(int fd, struct sockaddr *a, socklen_t *n)
{
  return __sysret(__sys_getsockname(fd, a, n));
}

int
getpeername(int fd, struct sockaddr *a, socklen_t *n)
{
  return __sysret(__sys_getpeername(fd, a, n));
}

int
setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
  return __sysret(__sys_setsockopt(fd, level, name, val, len));
}

int
getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
  return __sysret(__sys_getsockopt(fd, level, name, val, len));
}

int
fcntl(int fd, int cmd, ...)
{
  va_list ap;
  int arg;

  va_start(ap, cmd);
  arg = (cmd == F_SETFL || cmd == F_SETFD) ? va_arg(ap, int) : 0;
  va_end(ap);
  return __sysret(__sys_fcntl(fd, cmd, arg));
}

// ---- errors ---------------------------------------------------------------------

static const struct {
  int err;
  const char *msg;
} messages[] = {
  {EPERM, "Operation not permitted"},
  {ENOENT, "No such file or directory"},
  {EINTR, "Interrupted system call"},
  {EIO, "Input/output error"},
  {EBADF, "Bad file descriptor"},
  {EAGAIN, "Resource temporarily unavailable"},
  {ENOMEM, "Cannot allocate memory"},
  {EACCES, "Permission denied"},
  {EFAULT, "Bad address"},
  {EBUSY, "Device or resource busy"},
  {EEXIST, "File exists"},
  {ENODEV, "No such device"},
  {EINVAL, "Invalid argument"},
  {ENFILE, "Too many open files in system"},
  {EMFILE, "Too many open files"},
  {ENOSPC, "No space left on device"},
  {EMLINK, "Too many links"},
  {EPIPE, "Broken pipe"},
  {EDOM, "Numerical argument out of domain"},
  {ENOSYS, "Function not implemented"},
  {ENOTSOCK, "Socket operation on non-socket"},
  {EDESTADDRREQ, "Destination address required"},
  {EMSGSIZE, "Message too long"},
  {EPROTOTYPE, "Protocol wrong type for socket"},
  {ENOPROTOOPT, "Protocol not available"},
  {EPROTONOSUPPORT, "Protocol not supported"},
  {EOPNOTSUPP, "Operation not supported"},
  {EAFNOSUPPORT, "Address family not supported by protocol"},
  {EADDRINUSE, "Address already in use"},
  {EADDRNOTAVAIL, "Cannot assign requested address"},
  {ENETUNREACH, "Network is unreachable"},
  {ECONNABORTED, "Software caused connection abort"},
  {ECONNRESET, "Connection reset by peer"},
  {ENOBUFS, "No buffer space available"},
  {EISCONN, "Transport endpoint is already connected"},
  {ENOTCONN, "Transport endpoint is not connected"},
  {ETIMEDOUT, "Connection timed out"},
  {ECONNREFUSED, "Connection refused"},
  {EHOSTUNREACH, "No route to host"},
  {EALREADY, "Operation already in progress"},
  {EINPROGRESS, "Operation now in progress"},
};

char*
strerror(int err)
{
  static char unknown[32];

  if(err < 0)
    err = -err;  // a raw system-call result works too
  for(int i = 0; i < (int)(sizeof(messages) / sizeof(messages[0])); i++)
    if(messages[i].err == err)
      return (char*)messages[i].msg;
  snprintf(unknown, sizeof(unknown), "Unknown error %d", err);
  return unknown;
}

void
perror(const char *what)
{
  if(what && *what)
    fprintf(2, "%s: %s\n", what, strerror(errno));
  else
    fprintf(2, "%s\n", strerror(errno));
}
