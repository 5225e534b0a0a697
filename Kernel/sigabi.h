// sigabi.h: the signal ABI, defined once for the kernel and both user worlds.
// Numbers, flags and layouts are Linux's (riscv64), so that textbook code and
// a POSIX <signal.h> built over this header agree with what the kernel does.
//
// System calls (Kernel/syscall.h):
//   sigaction(sig, const struct ksigaction *act, struct ksigaction *old)  27
//   sigprocmask(how, const sigset *set, sigset *old)                       28
//   sigreturn()                      only from a restorer, see below       29
//   sigsend(pid, sig)                POSIX kill(pid, sig); sig 0 probes    50
//   alarm(seconds)                   SIGALRM later; returns seconds left  51
//   sigpending(sigset *set)                                                52
//   sigsuspend(const sigset *mask)   wait for a handler to run; -EINTR     53
// xv6's kill(pid) (6) stays, and means sigsend(pid, SIGKILL).
//
// A handler's return path: the caller of sigaction supplies the restorer
// (Linux's sa_restorer), a user function that makes system call 29; the
// kernel maps no code into user space. A handler without a restorer is
// refused (-EINVAL), so it cannot return into address 0. The user libraries
// fill it in (User/lib/signal.c for the xv6 world).
//
// Delivery pushes a struct sigframe on the user stack (16-byte aligned) and
// enters the handler with a0 = signo, a1 = &frame->info, a2 = frame,
// sp = frame, ra = restorer. When the handler returns, sp is the frame again
// and sigreturn restores the registers, pc and mask from it, after checking
// it (magic, pc below the kernel half); a bad frame ends the process with
// SIGSEGV. The privilege bits (sstatus) are never in the frame.
//
// A process ended by a signal has the xv6 exit status -1 (as xv6's kill);
// waitpid with WPOSIXSTATUS stores Linux's encoding instead: exit code << 8,
// or the signal number.
#pragma once

#define SIGHUP     1
#define SIGINT     2
#define SIGQUIT    3
#define SIGILL     4
#define SIGTRAP    5
#define SIGABRT    6
#define SIGBUS     7
#define SIGFPE     8
#define SIGKILL    9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23      // ignored by default, as SIGWINCH
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31
#define NSIG      32      // signals are 1 .. NSIG-1

// A signal set is a 64-bit mask; signal s is bit s-1, as in Linux.
#define SIGBIT(s) (1UL << ((s) - 1))

#define SIG_DFL 0UL       // the default action
#define SIG_IGN 1UL       // ignore

// sa_flags
#define SA_NOCLDSTOP 0x00000001   // accepted; stopped children never signal
#define SA_NOCLDWAIT 0x00000002   // children are reaped by init, not kept
#define SA_SIGINFO   0x00000004   // a1, a2 carry the siginfo and the frame
#define SA_RESTORER  0x04000000   // accepted; the restorer is always needed
#define SA_RESTART   0x10000000   // restart read, write, wait, accept, send, recv
#define SA_NODEFER   0x40000000   // the signal is not blocked in its handler
#define SA_RESETHAND 0x80000000   // back to SIG_DFL once delivered

// sigprocmask's how
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

// waitpid option: store Linux's status encoding (see above).
#define WPOSIXSTATUS 0x01000000

// Laid out like Linux's kernel sigaction (handler, flags, restorer, mask).
struct ksigaction {
  unsigned long handler;   // SIG_DFL, SIG_IGN or the handler's address
  unsigned long flags;     // SA_*
  unsigned long restorer;  // calls sigreturn; required with a handler
  unsigned long mask;      // also blocked while the handler runs
};

// siginfo_t's first fields as Linux lays them out (128 bytes in all).
#define SI_USER   0        // sent by sigsend/kill
#define SI_KERNEL 0x80     // raised by the kernel (SIGPIPE, SIGALRM, ^C, ...)
#define CLD_EXITED 1       // SIGCHLD: a child ended
struct ksiginfo {
  int signo;
  int errnum;              // always 0
  int code;                // SI_USER or SI_KERNEL
  int pad;
  int pid;                 // the sender (SI_USER), or the exited child (SIGCHLD)
  int uid;                 // always 0
  char rest[104];
};

#define SIGFRAME_MAGIC 0x5349474652414d45UL   // "SIGFRAME"

// What delivery pushes on the user stack, and sigreturn checks and restores.
struct sigframe {
  struct ksiginfo info;
  unsigned long regs[31];  // ra, sp, gp, tp, t0-t2, s0-s1, a0-a7, s2-s11, t3-t6
  unsigned long pc;        // where the interrupted code resumes
  unsigned long mask;      // the blocked set to restore
  unsigned long magic;     // SIGFRAME_MAGIC
};
