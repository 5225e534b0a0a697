// <signal.h> for POSIX programs: the kernel's signals (Kernel/sigabi.h:
// Linux's numbers, flags and layouts), in place of the C library's own
// header, whose numbers are another system's. User/posix/lib/signal.c.
#pragma once
#include <sys/types.h>
#include <sys/_sigset.h>
#include "kernel/sigabi.h"

// sigabi.h gives the kernel's plain numbers; programs want handlers.
#undef SIG_DFL
#undef SIG_IGN
typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

#ifndef _SIGSET_T_DECLARED
#define _SIGSET_T_DECLARED
typedef __sigset_t sigset_t;        // 64 bits: signal s is bit s-1
#endif
typedef int sig_atomic_t;

union sigval {
  int sival_int;
  void *sival_ptr;
};

// For the C library's timer declarations; the kernel has no timers but alarm.
struct sigevent {
  int sigev_notify;
  int sigev_signo;
  union sigval sigev_value;
  void (*sigev_notify_function)(union sigval);
  void *sigev_notify_attributes;
};
#define SIGEV_SIGNAL 0
#define SIGEV_NONE   1
#define SIGEV_THREAD 2

// Linux's layout (struct ksiginfo): 128 bytes.
typedef struct {
  int si_signo;
  int si_errno;
  int si_code;                      // SI_USER (sent by kill) or SI_KERNEL
  int __pad;
  pid_t si_pid;                     // the sender, or the child that ended (SIGCHLD)
  unsigned int si_uid;
  int si_status;                    // always 0
  char __rest[100];
} siginfo_t;

struct sigaction {
  union {
    void (*sa_handler)(int);
    void (*sa_sigaction)(int, siginfo_t *, void *);   // with SA_SIGINFO
  };
  sigset_t sa_mask;
  int sa_flags;
};

#ifdef __cplusplus
extern "C" {
#endif

sighandler_t signal(int sig, sighandler_t handler);   // BSD semantics: stays, SA_RESTART
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int kill(pid_t pid, int sig);
int raise(int sig);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
void psignal(int sig, const char *s);   // "s: Name\n" on stderr (strsignal: <string.h>)

#ifdef __cplusplus
}
#endif
