// process.c: processes and memory for POSIX programs: fork, the exec
// family, waitpid, _exit, sbrk (the C library's malloc grows the heap with it),
// sleep and usleep (in the kernel's 10 ms ticks).
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "calls.h"
#include "kernel/types.h"
#include "kernel/param.h"      // MAXARG, TICK_HZ

#define SBRK_EAGER 1           // map the pages now (User/include/user/user.h)

pid_t
fork(void)
{
  pid_t pid = __xv6_fork();

  if(pid < 0)
    errno = EAGAIN;
  return pid < 0 ? -1 : pid;
}

void
_exit(int status)
{
  __xv6_exit(status);
}

pid_t getpid(void) { return __xv6_getpid(); }

// The new program gets envp as its environment (system call 54).
int
execve(const char *path, char *const argv[], char *const envp[])
{
  struct stat st;
  int n;

  for(n = 0; argv[n]; n++)
    if(n >= MAXARG){
      errno = E2BIG;
      return -1;
    }
  for(n = 0; envp && envp[n]; n++)
    if(n >= MAXARG){
      errno = E2BIG;
      return -1;
    }
  __xv6_execve(path, argv, envp);
  errno = stat(path, &st) < 0 ? ENOENT : S_ISDIR(st.st_mode) ? EACCES : ENOEXEC;
  return -1;
}

int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }

// No PATH in the kernel's world: a bare name is looked up as given, then in
// the root directory, where the programs are.
int
execvp(const char *file, char *const argv[])
{
  char path[128];

  if(strchr(file, '/') || strlen(file) + 2 > sizeof(path))
    return execv(file, argv);
  execv(file, argv);
  path[0] = '/';
  strcpy(path + 1, file);
  return execv(path, argv);
}

// execl's list into an argv on the stack; too many arguments: E2BIG.
#define LIST_TO_ARGV(first, argv, ap)                       \
  do {                                                       \
    int n_ = 0;                                              \
    argv[n_++] = (char *)(first);                            \
    while(n_ <= MAXARG && (argv[n_] = va_arg(ap, char *)) != 0) \
      n_++;                                                  \
    if(n_ > MAXARG){ errno = E2BIG; va_end(ap); return -1; } \
  } while(0)

int
execl(const char *path, const char *arg, ...)
{
  char *argv[MAXARG + 2];
  va_list ap;

  va_start(ap, arg);
  LIST_TO_ARGV(arg, argv, ap);
  va_end(ap);
  return execv(path, argv);
}

int
execlp(const char *file, const char *arg, ...)
{
  char *argv[MAXARG + 2];
  va_list ap;

  va_start(ap, arg);
  LIST_TO_ARGV(arg, argv, ap);
  va_end(ap);
  return execvp(file, argv);
}

// The kernel gives POSIX's encoding when asked (WPOSIXSTATUS): the exit code
// in bits 8..15 (WEXITSTATUS), or the signal that ended the process (WTERMSIG).
pid_t
waitpid(pid_t pid, int *status, int options)
{
  int xstatus, r;

  if(options & ~WNOHANG){
    errno = EINVAL;
    return -1;
  }
  if((r = __xv6_waitpid(pid, &xstatus, options | WPOSIXSTATUS)) < 0){
    errno = r == -1 ? ECHILD : __xv6_errno(-r);   // -EINTR from a signal
    return -1;
  }
  if(r > 0 && status)
    *status = xstatus;
  return r;
}

pid_t wait(int *status) { return waitpid(-1, status, 0); }

void *
sbrk(ptrdiff_t incr)
{
  char *p;

  if(incr > INT32_MAX || incr < -INT32_MAX ||
     (p = __xv6_sbrk(incr, SBRK_EAGER)) == (char *)-1){
    errno = ENOMEM;
    return (void *)-1;
  }
  return p;
}

unsigned
sleep(unsigned seconds)
{
  int start = __xv6_uptime();

  if(__xv6_pause(seconds * TICK_HZ) < 0){   // killed meanwhile
    unsigned gone = (__xv6_uptime() - start) / TICK_HZ;
    return gone < seconds ? seconds - gone : 0;
  }
  return 0;
}

int
usleep(useconds_t us)
{
  __xv6_pause((us + 1000000 / TICK_HZ - 1) / (1000000 / TICK_HZ));
  return 0;
}

