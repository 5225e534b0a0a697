// clockpoll.c: clock_gettime and poll for xv6-style programs. The system calls
// return -errno; like the socket calls (socket.c, which defines errno) these
// return -1 with errno set.
#include "kernel/types.h"
#include "kernel/clock.h"
#include "kernel/poll.h"
#include "user/user.h"

extern int errno;

int __sys_clock_gettime(int, struct timespec*);
int __sys_poll(struct pollfd*, int, int);

static int
ret(int r)
{
  if(r < 0){
    errno = -r;
    return -1;
  }
  return r;
}

int
clock_gettime(int clockid, struct timespec *ts)
{
  return ret(__sys_clock_gettime(clockid, ts));
}

int
poll(struct pollfd *fds, int nfds, int timeout_ms)
{
  return ret(__sys_poll(fds, nfds, timeout_ms));
}
