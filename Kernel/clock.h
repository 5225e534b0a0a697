// clock.h: clock_gettime(clockid, struct timespec *) (system call 26), shared by
// the kernel and user programs (as "kernel/clock.h"). Values and layout are
// Linux's, so the C library's <time.h> agrees.
#pragma once

#define CLOCK_REALTIME  0   // wall clock: nanoseconds since 1970 (Goldfish RTC)
#define CLOCK_MONOTONIC 1   // time since boot, never goes back (the timer)

// the C library's <sys/_timespec.h> defines the same layout; take whichever came first.
#ifndef _SYS__TIMESPEC_H_
#ifndef KERNEL_CLOCK_TIMESPEC
#define KERNEL_CLOCK_TIMESPEC
struct timespec {
  long tv_sec;    // seconds
  long tv_nsec;   // and nanoseconds, 0..999,999,999
};
#endif
#endif
