// Signals, as a program written for Unix uses them: handlers with sigaction
// and signal, masks, kill and raise, alarm and pause, SIGCHLD, SIGPIPE, EINTR,
// how waitpid reports a child a signal ended.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/types.h>
#include <sys/wait.h>
#include "posixtest.h"

static volatile sig_atomic_t got, gotsig;
static volatile pid_t chldpid;

static void on_signal(int sig) { got++; gotsig = sig; }

static void
on_chld(int sig, siginfo_t *info, void *ctx)
{
  (void)ctx;
  gotsig = sig;
  chldpid = info->si_pid;
}

// Handlers, masks, kill, raise, sigpending; the sigset helpers.
static void
handlers(void)
{
  struct sigaction sa, old;
  sigset_t set, pend;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  CHECK(sigaction(SIGUSR1, &sa, &old) == 0 && old.sa_handler == SIG_DFL, "sigaction SIGUSR1, was SIG_DFL");
  got = 0;
  CHECK(raise(SIGUSR1) == 0 && got == 1 && gotsig == SIGUSR1, "raise: the handler ran before raise returned");
  CHECK(kill(getpid(), SIGUSR1) == 0 && got == 2, "kill(getpid(), SIGUSR1)");
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  CHECK(sigismember(&set, SIGUSR1) == 1 && sigismember(&set, SIGUSR2) == 0, "sigaddset, sigismember");
  CHECK(sigprocmask(SIG_BLOCK, &set, 0) == 0 && raise(SIGUSR1) == 0 && got == 2, "blocked: not delivered");
  CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1) == 1, "sigpending shows it");
  CHECK(sigprocmask(SIG_UNBLOCK, &set, 0) == 0 && got == 3, "delivered once unblocked");
  CHECK(signal(SIGUSR1, SIG_IGN) == on_signal && raise(SIGUSR1) == 0 && got == 3, "signal SIG_IGN");
  CHECK(signal(SIGUSR1, SIG_DFL) == SIG_IGN, "signal returns the previous handler");
  CHECK(sigaction(0, &sa, 0) == -1 && errno == EINVAL, "sigaction of signal 0: EINVAL");
  CHECK(sigaction(SIGKILL, &sa, 0) == -1 && errno == EINVAL, "a handler for SIGKILL: EINVAL");
  CHECK(signal(NSIG, SIG_IGN) == SIG_ERR && errno == EINVAL, "signal(NSIG): SIG_ERR, EINVAL");
  CHECK(sigaddset(&set, 99) == -1 && errno == EINVAL, "sigaddset(99): EINVAL");
  CHECK(kill(30000, 0) == -1 && errno == ESRCH, "kill of no such process: ESRCH");
  CHECK(kill(getpid(), 0) == 0, "kill(pid, 0) checks that pid exists");
  CHECK(strcmp(strsignal(SIGCHLD), "Child exited") == 0 && strcmp(strsignal(SIGPIPE), "Broken pipe") == 0,
        "strsignal with the kernel's numbers");
}

// alarm + pause; a select interrupted by a handler without SA_RESTART.
static void
interruptions(void)
{
  struct sigaction sa;
  struct timeval tv = { 5, 0 };
  fd_set rd;
  int p[2];

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  CHECK(sigaction(SIGALRM, &sa, 0) == 0, "sigaction SIGALRM (no SA_RESTART)");
  got = 0;
  CHECK(alarm(1) == 0, "alarm(1)");
  CHECK(pause() == -1 && errno == EINTR && got == 1 && gotsig == SIGALRM, "pause ends with EINTR after SIGALRM");
  CHECK(pipe(p) == 0, "pipe");
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  alarm(1);
  CHECK(select(p[0] + 1, &rd, 0, 0, &tv) == -1 && errno == EINTR && got == 2, "select ends with EINTR");
  alarm(1);
  CHECK(read(p[0], (char[1]){0}, 1) == -1 && errno == EINTR && got == 3, "a pipe read ends with EINTR");
  CHECK(alarm(5) == 0 && alarm(0) >= 4, "alarm returns the seconds left of the last one");
  close(p[0]);
  CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR && write(p[1], "x", 1) == -1 && errno == EPIPE,
        "SIGPIPE ignored: a write with no reader is EPIPE");
  close(p[1]);
  signal(SIGPIPE, SIG_DFL);
  signal(SIGALRM, SIG_DFL);
}

// SIGCHLD with the child's pid; waitpid's WIFSIGNALED/WTERMSIG and WIFEXITED.
static void
children(void)
{
  struct sigaction sa;
  int st, p[2];
  pid_t pid;

  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  CHECK(sigaction(SIGCHLD, &sa, 0) == 0, "sigaction SIGCHLD, SA_SIGINFO");
  gotsig = 0;
  if((pid = fork()) == 0)
    _exit(7);
  CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7, "exit 7: WEXITSTATUS 7");
  CHECK(gotsig == SIGCHLD && chldpid == pid, "SIGCHLD came with the child's pid");
  signal(SIGCHLD, SIG_DFL);
  CHECK(pipe(p) == 0, "pipe");
  if((pid = fork()) == 0){
    close(p[1]);
    read(p[0], (char[1]){0}, 1);   // until killed
    _exit(0);
  }
  close(p[0]);
  CHECK(kill(pid, SIGTERM) == 0, "kill SIGTERM");
  CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && !WIFEXITED(st),
        "a child SIGTERM ended: WIFSIGNALED, WTERMSIG SIGTERM");
  close(p[1]);
  if((pid = fork()) == 0){
    close(p[1]);
    raise(SIGSEGV);
    _exit(0);
  }
  CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "raise(SIGSEGV): WTERMSIG");
}

void
signals(void)
{
  handlers();
  interruptions();
  children();
}
