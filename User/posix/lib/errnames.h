// errnames.h: every errno name the kernel returns (CShims/include/abi/errnum.h),
// as a list. errmap.c expands it twice, once with the kernel's numbers and once
// with the C library's, so the two are matched by name, never by number.
#pragma once

#define ERRNO_NAMES(X) \
  X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(EBADF) X(EAGAIN) X(ENOMEM) X(EACCES) \
  X(EFAULT) X(EBUSY) X(EEXIST) X(ENODEV) X(EINVAL) X(ENFILE) X(EMFILE) X(ENOSPC) X(ESPIPE) \
  X(EMLINK) X(EPIPE) X(EDOM) X(ENOSYS) X(ENOTSOCK) X(EDESTADDRREQ) \
  X(EMSGSIZE) X(EPROTOTYPE) X(ENOPROTOOPT) X(EPROTONOSUPPORT) X(EOPNOTSUPP) \
  X(EAFNOSUPPORT) X(EADDRINUSE) X(EADDRNOTAVAIL) X(ENETUNREACH) \
  X(ECONNABORTED) X(ECONNRESET) X(ENOBUFS) X(EISCONN) X(ENOTCONN) \
  X(ETIMEDOUT) X(ECONNREFUSED) X(EHOSTUNREACH) X(EALREADY) X(EINPROGRESS)

#define ERRNO_VALUE(name) name,
