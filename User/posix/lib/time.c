// time.c: clock_gettime and gettimeofday over system call 26 (the C library's
// time() calls gettimeofday), and nanosleep over the kernel's 10 ms ticks.
#define _GNU_SOURCE            // CLOCK_MONOTONIC_RAW, _COARSE, CLOCK_BOOTTIME
#include <errno.h>
#include <time.h>
#include <sys/time.h>
#include "calls.h"
#include "kernel/types.h"
#include "kernel/param.h"      // TICK_HZ

#define NSEC_PER_TICK (1000000000L / TICK_HZ)

int
clock_gettime(clockid_t clock, struct timespec *ts)
{
  int k;

  switch(clock){
  case CLOCK_REALTIME:
  case CLOCK_REALTIME_COARSE:
    k = __xv6_kclock_realtime;
    break;
  case CLOCK_MONOTONIC:
  case CLOCK_MONOTONIC_RAW:
  case CLOCK_MONOTONIC_COARSE:
  case CLOCK_BOOTTIME:
    k = __xv6_kclock_monotonic;
    break;
  default:
    errno = EINVAL;
    return -1;
  }
  // struct timespec is two 64-bit fields in the C library and in the kernel's ABI
  return __xv6_ret(__xv6_clock_gettime(k, ts));
}

int
gettimeofday(struct timeval *tv, void *tz)
{
  struct timespec ts;

  (void)tz;   // no time zones: the clock is UTC
  if(clock_gettime(CLOCK_REALTIME, &ts) < 0)
    return -1;
  if(tv){
    tv->tv_sec = ts.tv_sec;
    tv->tv_usec = ts.tv_nsec / 1000;
  }
  return 0;
}

// Sleeps at least req: rounded up to whole ticks, plus one, since pause(n)
// counts n tick boundaries and the tick under way is partly over. A process being killed
// wakes early: EINTR, with what is left in rem.
int
nanosleep(const struct timespec *req, struct timespec *rem)
{
  long ticks;

  if(req == 0 || req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000L){
    errno = EINVAL;
    return -1;
  }
  if(req->tv_sec > 0x7fffffff / TICK_HZ - 1)
    ticks = 0x7fffffff;
  else
    ticks = req->tv_sec * TICK_HZ + (req->tv_nsec + NSEC_PER_TICK - 1) / NSEC_PER_TICK;
  if(ticks > 0 && ticks < 0x7fffffff)
    ticks++;
  int start = __xv6_uptime();
  if(__xv6_pause(ticks) < 0){
    long left = ticks - (__xv6_uptime() - start);
    if(rem){
      rem->tv_sec = left > 0 ? left / TICK_HZ : 0;
      rem->tv_nsec = left > 0 ? (left % TICK_HZ) * NSEC_PER_TICK : 0;
    }
    errno = EINTR;
    return -1;
  }
  if(rem)
    rem->tv_sec = rem->tv_nsec = 0;
  return 0;
}
