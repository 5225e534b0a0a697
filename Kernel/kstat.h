// kstat.h: selectors for the kstat(what) system call, which reports kernel
// statistics for tests. Included by the kernel and by user programs.
#pragma once

#define KSTAT_FREEPAGES  0   // physical pages free
#define KSTAT_NPROC      1   // process slots in use
#define KSTAT_KMALLOC    2   // bytes handed out by kmalloc
#define KSTAT_TICKS      3   // timer ticks since boot (TICK_HZ a second)
#define KSTAT_KSTACK     4   // deepest kernel-stack use seen, in bytes
#define KSTAT_COV_HIT    5   // kernel edges reached since boot (coverage build; else -1)
#define KSTAT_COV_TOTAL  6   // kernel edges instrumented (coverage build; else -1)
#define KSTAT_FREEBLOCKS 8   // free data blocks on the root file system
#define KSTAT_FREEINODES 9   // free inodes on the root file system
#define KSTAT_POLLSCANS 16   // descriptor scans poll has made since boot (each wakeup: one)
