// <poll.h> for POSIX programs: poll() is system call 44, added by the
// poll/select piece of issue 12 (Kernel/poll.h has its structure and bits).
// Until that kernel is merged the call fails (the kernel does not know it).
#pragma once
#if __has_include("kernel/poll.h")
#include "kernel/types.h"
#include "kernel/poll.h"
#else
// The shared ABI (Linux's values), until Kernel/poll.h is merged.
struct pollfd {
  int fd;
  short events;
  short revents;
};
#define POLLIN     0x001
#define POLLPRI    0x002
#define POLLOUT    0x004
#define POLLERR    0x008
#define POLLHUP    0x010
#define POLLNVAL   0x020
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200
#endif

typedef unsigned int nfds_t;

#ifdef __cplusplus
extern "C" {
#endif

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);

#ifdef __cplusplus
}
#endif
