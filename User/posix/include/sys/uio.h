// <sys/uio.h> for POSIX programs: readv and writev (User/posix/lib/uio.c).
// A vector of up to 64 KiB in all moves in one read or write (one datagram
// on a UDP socket); a longer one in one call per piece, stopping at the
// first short transfer.
#pragma once
#include <sys/types.h>
#include <limits.h>      // IOV_MAX

struct iovec {
  void *iov_base;
  size_t iov_len;
};

#ifdef __cplusplus
extern "C" {
#endif

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#ifdef __cplusplus
}
#endif
