// clockpoll.c: clock_gettime and poll for xv6-style programs. The system calls
// return -errno; like the socket calls (socket.c, which defines errno) these
// return -1 with errno set.
#include "kernel/types.h"
#include "kernel/clock.h"
#include "kernel/poll.h"
#include "user/user.h"

int __sys_clock_gettime(int, struct timespec*);
int __sys_poll(struct pollfd*, int, int);

int __sysret(int r);   // socket.c: -1 with errno set for a negative result

int
clock_gettime(int clockid, struct timespec *ts)
{
  return __sysret(__sys_clock_gettime(clockid, ts));
}

int
poll(struct pollfd *fds, int nfds, int timeout_ms)
{
  return __sysret(__sys_poll(fds, nfds, timeout_ms));
}
