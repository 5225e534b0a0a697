// uio.h: scatter/gather I/O (readv, writev), Linux's layout, shared by the
// kernel (Kernel/sysiov.c) and user programs (include "kernel/uio.h").
#pragma once

// One piece of a readv/writev buffer: 16 bytes on rv64.
struct iovec {
  void *iov_base;
  unsigned long iov_len;
};

// The most pieces one call takes (Linux's UIO_MAXIOV); more is EINVAL.
#define IOV_MAX 1024
