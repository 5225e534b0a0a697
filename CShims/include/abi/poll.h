// CShims/include/abi/poll.h: poll(struct pollfd *fds, int nfds, int timeout_ms)
// (system call 44), shared by the kernel, the Swift socket layer (abi.h) and
// user programs (as "kernel/poll.h", which forwards here). Values and layout
// are Linux's.
#pragma once

struct pollfd {
  int fd;          // negative: ignored (revents 0)
  short events;    // what the caller waits for
  short revents;   // what happened; POLLERR, POLLHUP, POLLNVAL come unasked
};

#define POLLIN     0x001   // data (or end of file, or a connection to accept) to read
#define POLLPRI    0x002   // urgent data (never reported here)
#define POLLOUT    0x004   // a write would not block
#define POLLERR    0x008   // an error is pending (pipe: no reader left)
#define POLLHUP    0x010   // hung up (pipe: no writer left; socket: closed)
#define POLLNVAL   0x020   // fd is not open
#define POLLRDNORM 0x040   // as POLLIN
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100   // as POLLOUT
#define POLLWRBAND 0x200

// The most pollfds one call takes (more: EINVAL). Linux's bound is
// RLIMIT_NOFILE; a process here has 16 descriptors, so 64 leaves room for
// repeated ones while the array still fits on the kernel stack.
#define POLL_NFDS_MAX 64
