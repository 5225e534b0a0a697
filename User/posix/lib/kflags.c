// kflags.c: the kernel's open() and fcntl flag bits, for unistd.c to map
// the C library's O_ names onto. Only kernel headers here: the C library's <fcntl.h>
// gives the same names other values.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/socket.h"    // O_NONBLOCK, F_GETFL, ...
#include "kflags.h"

const struct kflags __xv6_kflags = {
  .rdonly = O_RDONLY, .wronly = O_WRONLY, .rdwr = O_RDWR,
  .create = O_CREATE, .trunc = O_TRUNC, .append = O_APPEND, .excl = O_EXCL,
  .nonblock = O_NONBLOCK, .cloexec = O_CLOEXEC, .fd_cloexec = FD_CLOEXEC,
  .getfd = F_GETFD, .setfd = F_SETFD, .getfl = F_GETFL, .setfl = F_SETFL,
};
