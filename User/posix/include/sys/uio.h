// <sys/uio.h> for POSIX programs: readv and writev, system calls 56 and 57
// (the kernel's struct iovec and IOV_MAX: Kernel/uio.h). On any descriptor; a
// UDP or raw socket moves one datagram per call.
#pragma once
#include <sys/types.h>
#include <limits.h>
#include "kernel/uio.h"

#ifdef __cplusplus
extern "C" {
#endif

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#ifdef __cplusplus
}
#endif
