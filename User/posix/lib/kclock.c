// kclock.c: the kernel's clock ids, for time.c to map picolibc's CLOCK_
// names onto (picolibc's are newlib's: CLOCK_REALTIME 1, CLOCK_MONOTONIC 4).
// Only kernel headers here. Kernel/clock.h comes with the poll/time piece of
// issue 12; until it is merged, the shared ABI's values.
#if __has_include("kernel/clock.h")
#include "kernel/types.h"
#include "kernel/clock.h"
#else
#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1
#endif

const int __xv6_kclock_realtime = CLOCK_REALTIME;
const int __xv6_kclock_monotonic = CLOCK_MONOTONIC;
