// kclock.c: the kernel's clock ids, for time.c to map the C library's CLOCK_
// names onto (its are newlib's: CLOCK_REALTIME 1, CLOCK_MONOTONIC 4). Only
// kernel headers here.
#include "kernel/types.h"
#include "kernel/clock.h"

const int __xv6_kclock_realtime = CLOCK_REALTIME;
const int __xv6_kclock_monotonic = CLOCK_MONOTONIC;
