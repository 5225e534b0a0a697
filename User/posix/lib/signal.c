// signal.c: POSIX signals over the kernel's (Kernel/sigabi.h, docs/signals.md).
// The layouts are the kernel's, so struct sigaction only changes shape: the
// restorer, which a handler returns through, is filled in here.
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "calls.h"

_Static_assert(sizeof(siginfo_t) == sizeof(struct ksiginfo), "siginfo_t is the kernel's");
_Static_assert(offsetof(siginfo_t, si_pid) == offsetof(struct ksiginfo, pid), "si_pid");
_Static_assert(sizeof(sigset_t) == sizeof(unsigned long), "sigset_t is the kernel's mask");

// The restorer: where a handler returns; sigreturn puts back what it interrupted.
void __xv6_sigreturn(void);

int
sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
  struct ksigaction k, ko;
  int r;

  if(act){
    k.handler = (unsigned long)act->sa_handler;
    k.flags = (unsigned)act->sa_flags | SA_RESTORER;
    k.restorer = (unsigned long)__xv6_sigreturn;
    k.mask = act->sa_mask;
  }
  if((r = __xv6_ret(__xv6_sigaction(sig, act ? &k : 0, old ? &ko : 0))) < 0)
    return r;
  if(old){
    memset(old, 0, sizeof(*old));
    old->sa_handler = (sighandler_t)ko.handler;
    old->sa_flags = (int)(ko.flags & ~SA_RESTORER);
    old->sa_mask = ko.mask;
  }
  return 0;
}

// BSD semantics, as most C libraries give signal(): the handler stays
// installed and interrupted reads, writes and waits restart.
sighandler_t
signal(int sig, sighandler_t handler)
{
  struct sigaction a, old;

  memset(&a, 0, sizeof(a));
  a.sa_handler = handler;
  a.sa_flags = SA_RESTART;
  if(sigaction(sig, &a, &old) < 0)
    return SIG_ERR;
  return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old) { return __xv6_ret(__xv6_sigprocmask(how, set, old)); }
int sigpending(sigset_t *set) { return __xv6_ret(__xv6_sigpending(set)); }
int sigsuspend(const sigset_t *mask) { return __xv6_ret(__xv6_sigsuspend(mask)); }
int kill(pid_t pid, int sig) { return __xv6_ret(__xv6_sigsend(pid, sig)); }
int raise(int sig) { return kill(getpid(), sig); }
unsigned alarm(unsigned seconds) { return __xv6_alarm(seconds); }

// Until a handler has run: always -1 with EINTR, as POSIX says.
int
pause(void)
{
  sigset_t now;

  if(sigprocmask(SIG_BLOCK, 0, &now) < 0)
    return -1;
  return sigsuspend(&now);
}

static int
badsig(int sig)
{
  if(sig > 0 && sig < NSIG)
    return 0;
  errno = EINVAL;
  return 1;
}

int sigemptyset(sigset_t *set) { *set = 0; return 0; }
int sigfillset(sigset_t *set) { *set = ~0UL >> (64 - (NSIG - 1)); return 0; }
int sigaddset(sigset_t *set, int sig) { if(badsig(sig)) return -1; *set |= SIGBIT(sig); return 0; }
int sigdelset(sigset_t *set, int sig) { if(badsig(sig)) return -1; *set &= ~SIGBIT(sig); return 0; }
int sigismember(const sigset_t *set, int sig) { return badsig(sig) ? -1 : (*set & SIGBIT(sig)) != 0; }

static const char *const names[NSIG] = {
  [SIGHUP] = "Hangup", [SIGINT] = "Interrupt", [SIGQUIT] = "Quit",
  [SIGILL] = "Illegal instruction", [SIGTRAP] = "Trace/breakpoint trap",
  [SIGABRT] = "Aborted", [SIGBUS] = "Bus error", [SIGFPE] = "Floating point exception",
  [SIGKILL] = "Killed", [SIGUSR1] = "User defined signal 1",
  [SIGSEGV] = "Segmentation fault", [SIGUSR2] = "User defined signal 2",
  [SIGPIPE] = "Broken pipe", [SIGALRM] = "Alarm clock", [SIGTERM] = "Terminated",
  [SIGSTKFLT] = "Stack fault", [SIGCHLD] = "Child exited", [SIGCONT] = "Continued",
  [SIGSTOP] = "Stopped (signal)", [SIGTSTP] = "Stopped", [SIGTTIN] = "Stopped (tty input)",
  [SIGTTOU] = "Stopped (tty output)", [SIGURG] = "Urgent I/O condition",
  [SIGXCPU] = "CPU time limit exceeded", [SIGXFSZ] = "File size limit exceeded",
  [SIGVTALRM] = "Virtual timer expired", [SIGPROF] = "Profiling timer expired",
  [SIGWINCH] = "Window changed", [SIGIO] = "I/O possible", [SIGPWR] = "Power failure",
  [SIGSYS] = "Bad system call",
};

// The C library's strsignal knows another system's numbers: this one the kernel's.
char *
strsignal(int sig)
{
  static char unknown[32];

  if(sig > 0 && sig < NSIG && names[sig])
    return (char *)names[sig];
  snprintf(unknown, sizeof(unknown), "Unknown signal %d", sig);
  return unknown;
}

void
psignal(int sig, const char *s)
{
  if(s && *s)
    fprintf(stderr, "%s: %s\n", s, strsignal(sig));
  else
    fprintf(stderr, "%s\n", strsignal(sig));
}
