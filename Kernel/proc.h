#pragma once
#include "spinlock.h"
#include "param.h"
#include "sigabi.h"

// Saved registers for kernel context switches (callee-saved only).
struct context {
  uint64 ra;
  uint64 sp;
  uint64 s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
};

// Per-CPU state.
struct cpu {
  struct proc *proc;          // The process running on this cpu, or null.
  struct context context;     // swtch() here to enter scheduler().
  int noff;                   // Depth of push_off() nesting.
  int intena;                 // Were interrupts enabled before push_off()?
  pagetable_t loaded;         // the table in satp (vm.c); guarded by satp_lock
  uint64 tlb_epoch;           // version of it the TLB may hold; this hart only
  uint64 slice_start;         // r_time() when the running process got the hart
  uint64 tick_period;         // r_time() / TICK_INTERVAL at this hart's last tick (trap.c)
  int idle;                   // in the scheduler's wfi: samples count as idle (profile.c)
};

extern struct cpu cpus[NCPU];

// Per-process data for the trap handling code in trampoline.S. Sits in a page by
// itself just under the trampoline page in the process's page table. The field offsets are used by trampoline.S: keep them.
struct trapframe {
  /*   0 */ uint64 unused;        // (the kernel runs on the process's table)
  /*   8 */ uint64 kernel_sp;     // top of process's kernel stack
  /*  16 */ uint64 kernel_trap;   // usertrap()
  /*  24 */ uint64 epc;           // saved user program counter
  /*  32 */ uint64 kernel_hartid; // saved kernel tp
  /*  40 */ uint64 ra;
  /*  48 */ uint64 sp;
  /*  56 */ uint64 gp;
  /*  64 */ uint64 tp;
  /*  72 */ uint64 t0;
  /*  80 */ uint64 t1;
  /*  88 */ uint64 t2;
  /*  96 */ uint64 s0;
  /* 104 */ uint64 s1;
  /* 112 */ uint64 a0;
  /* 120 */ uint64 a1;
  /* 128 */ uint64 a2;
  /* 136 */ uint64 a3;
  /* 144 */ uint64 a4;
  /* 152 */ uint64 a5;
  /* 160 */ uint64 a6;
  /* 168 */ uint64 a7;
  /* 176 */ uint64 s2;
  /* 184 */ uint64 s3;
  /* 192 */ uint64 s4;
  /* 200 */ uint64 s5;
  /* 208 */ uint64 s6;
  /* 216 */ uint64 s7;
  /* 224 */ uint64 s8;
  /* 232 */ uint64 s9;
  /* 240 */ uint64 s10;
  /* 248 */ uint64 s11;
  /* 256 */ uint64 t3;
  /* 264 */ uint64 t4;
  /* 272 */ uint64 t5;
  /* 280 */ uint64 t6;
};

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

// Per-process state
struct proc {
  struct spinlock lock;

  // p->lock must be held when using these:
  enum procstate state;        // Process state
  void *chan;                  // If non-zero, sleeping on chan
  int killed;                  // If non-zero, killed: the signal that did it
  int xstate;                  // Exit status to be returned to parent's wait
  int xsignal;                 // The signal that ended it, or 0 (WPOSIXSTATUS)
  int pid;                     // Process ID
  // signals (signal.c); a process changes its own actions and mask, others
  // post to sig_pending, so all of them are read and written under p->lock.
  uint64 sig_pending;          // posted, not yet delivered (SIGBIT set)
  uint64 sig_blocked;          // not delivered while set
  int sig_from[NSIG];          // sender's pid of each pending signal
  struct ksigaction sig_act[NSIG];
  int stopped;                 // by SIGSTOP/SIGTSTP until SIGCONT
  uint64 alarm_at;             // ticks when SIGALRM is due, or 0

  // wait_lock must be held when using this:
  struct proc *parent;         // Parent process

  // these are private to the process, so p->lock need not be held.
  uint64 kstack;               // Virtual address of kernel stack (lowest byte)
  uint64 sz;                   // Size of process memory (bytes)
  pagetable_t pagetable;       // User page table (which maps the kernel too)
  uint64 tlb_epoch;            // its version: new whenever it changes (vm.c)
  struct trapframe *trapframe; // data page for trampoline.S
  struct context context;      // swtch() here to run process
  struct file *ofile[NOFILE];  // Open files
  char cloexec[NOFILE];        // FD_CLOEXEC of each descriptor: closed by exec
  struct inode *cwd;           // Current directory
  char name[16];               // Process name (debugging)
  // private: how the last system call ended, for a restart (signal.c)
  int sig_restart;             // it returned -EINTR and may be restarted
  uint64 sig_restart_a0;       // its first argument, overwritten by -EINTR
  int sig_suspended;           // in sigsuspend: restore sig_saved on return
  uint64 sig_saved;            // the mask sigsuspend replaced
};
