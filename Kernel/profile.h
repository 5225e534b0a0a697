// profile.h: the sampling profiler's system call, profile(op, buf, len)
// (Kernel/profile.c). Included by the kernel and by user programs (User/prof.c).
//
//   PROF_START    len = samples a second on every hart (0: PROF_HZ_DEFAULT);
//                 unread samples of an earlier run are dropped. -EBUSY if running,
//                 -EINVAL for a rate out of range, -ENOMEM without memory for the rings.
//   PROF_STOP     stops sampling; returns the samples held (0 if it was not running).
//   PROF_READ     copies up to len / sizeof(struct profsample) samples to buf and
//                 consumes them; returns how many (0: none left). Once stopped and
//                 read to the end, the rings are freed.
//   PROF_INFO     copies a struct profinfo to buf (len at least its size).
//   PROF_COMMS    copies the run's struct profcomm table to buf; returns entries.
//   PROF_DISCARD  stops and drops everything (frees the rings); returns 0.
// Results are counts or -errno (kernel/errnum.h): -EFAULT for a bad buffer,
// -EINVAL for a bad op or a len too short for one record.
#pragma once

#define PROF_START    1
#define PROF_STOP     2
#define PROF_READ     3
#define PROF_INFO     4
#define PROF_COMMS    5
#define PROF_DISCARD  6

#define PROF_HZ_DEFAULT 1000
#define PROF_HZ_MIN      100    // TICK_HZ: never slower than the tick
#define PROF_HZ_MAX    10000
#define PROF_DEPTH        12    // kernel return addresses kept per sample
#define PROF_NCOMM       128    // (pid, name) pairs a run can tell apart
#define PROF_COMM_NONE 0xffff   // the table was full

// What was running when the timer interrupted: mode & PROF_MODE.
#define PROF_USER    1   // user code: pc and ra are user addresses of pid
#define PROF_KERNEL  2   // kernel code, in pid's kernel thread (pid 0: the scheduler)
#define PROF_IDLE    3   // the scheduler waiting for an interrupt (wfi)
#define PROF_MODE    3
#define PROF_IRQSOFF 4   // flag: the kernel had interrupts off (machine-mode samples only)

// One sample: 128 bytes, 32 to a page.
struct profsample {
  uint64 pc;                  // the interrupted pc
  uint64 ra;                  // the interrupted ra register (the caller, if pc is in a leaf or prologue)
  uint64 upc;                 // kernel samples of a process: its user pc when it entered the kernel
  uint64 stack[PROF_DEPTH];   // kernel samples: return addresses from the frame-pointer walk, 0 ends
  int pid;                    // 0: no process (scheduler, idle)
  ushort comm;                // index of (pid, name) in the run's profcomm table
  uchar hart;
  uchar mode;                 // PROF_USER, PROF_KERNEL, PROF_IDLE; | PROF_IRQSOFF
};

struct profcomm {
  int pid;
  char name[16];              // the process's name (its program) when sampled
};

struct profinfo {
  int hz;                     // the run's rate (0: never started)
  int running;
  int harts;                  // harts sampled (one ring each)
  int ncomm;                  // entries of the profcomm table
  uint64 held;                // samples not read yet
  uint64 taken;               // samples recorded since PROF_START
  uint64 lost;                // samples dropped because a ring was full
  uint64 capacity;            // samples each ring holds
  int machine;                // 1: sampled in machine mode (exact pcs); 0: by the supervisor timer
};
