// Processes and time.
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include "posixtest.h"

// Milliseconds on clock id.
static long
ms_on(clockid_t id)
{
  struct timespec ts;

  if(clock_gettime(id, &ts) != 0)
    return -1;
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// The clocks through the C library: time(), gettimeofday and CLOCK_REALTIME
// agree on a date after 2020; CLOCK_MONOTONIC moves with a nanosleep.
static void
clocks(void)
{
  struct timespec ts = { 0, 50 * 1000 * 1000 };
  struct timeval tv;
  time_t now = time(0);
  long m0, dm, rt;

  CHECK(now > 1577836800 && now < 4102444800, "time(): a date between 2020 and 2100");
  CHECK(gettimeofday(&tv, 0) == 0 && tv.tv_sec - now >= 0 && tv.tv_sec - now <= 2 &&
        tv.tv_usec >= 0 && tv.tv_usec < 1000000, "gettimeofday agrees with time()");
  rt = ms_on(CLOCK_REALTIME) / 1000;
  CHECK(rt - now >= 0 && rt - now <= 2, "CLOCK_REALTIME agrees with time()");
  CHECK(strftime((char[64]){0}, 64, "%Y-%m-%d %H:%M:%S", gmtime(&now)) == 19, "strftime of gmtime(time())");
  m0 = ms_on(CLOCK_MONOTONIC);
  CHECK(m0 >= 0 && nanosleep(&ts, 0) == 0, "CLOCK_MONOTONIC, nanosleep of 50 ms");
  dm = ms_on(CLOCK_MONOTONIC) - m0;
  CHECK(dm >= 50 && dm < 5000, "50 ms of nanosleep moved CLOCK_MONOTONIC by 50 ms or a little more");
}

// poll and select on a pipe: not ready, then ready once a byte is written; a
// timeout that passes returns 0 after about the time asked.
static void
readiness(void)
{
  struct pollfd pfd;
  struct timeval tv = { 0, 100 * 1000 };
  fd_set rd, wr;
  int p[2];
  long t0, waited;

  CHECK(pipe(p) == 0, "pipe");
  pfd = (struct pollfd){ p[0], POLLIN, 0 };
  CHECK(poll(&pfd, 1, 0) == 0 && pfd.revents == 0, "poll: an empty pipe is not readable");
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  t0 = ms_on(CLOCK_MONOTONIC);
  CHECK(select(p[0] + 1, &rd, 0, 0, &tv) == 0 && !FD_ISSET(p[0], &rd), "select: times out on an empty pipe");
  waited = ms_on(CLOCK_MONOTONIC) - t0;
  CHECK(waited >= 90 && waited < 5000, "select's 100 ms timeout waited about 100 ms");
  CHECK(write(p[1], "x", 1) == 1, "write a byte");
  CHECK(poll(&pfd, 1, -1) == 1 && pfd.revents == POLLIN, "poll: the pipe is readable");
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_SET(p[0], &rd);
  FD_SET(p[1], &wr);
  CHECK(select(p[1] + 1, &rd, &wr, 0, 0) == 2 && FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr),
        "select: read end readable, write end writable");
  close(p[1]);
  CHECK(read(p[0], (char[1]){0}, 1) == 1, "read the byte");
  CHECK(poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLHUP), "poll: POLLHUP once the writer is gone");
  close(p[0]);
  pfd.fd = p[0];
  CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLNVAL, "poll: POLLNVAL for a closed descriptor");
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  CHECK(select(p[0] + 1, &rd, 0, 0, 0) == -1 && errno == EBADF, "select of a closed descriptor: EBADF");
}

// The time and select glue: bad arguments, the clocks, readiness.
void
timing(void)
{
  struct timespec ts = { 0, 20 * 1000 * 1000 }, bad = { 0, 1000000000L };
  struct timeval tv = { 0, 1000000 };
  fd_set rd;

  CHECK(nanosleep(&ts, 0) == 0 && usleep(10000) == 0 && sleep(0) == 0, "nanosleep, usleep, sleep");
  CHECK(nanosleep(&bad, 0) == -1 && errno == EINVAL, "nanosleep of 10^9 ns: EINVAL");
  bad.tv_sec = -1;
  bad.tv_nsec = 0;
  CHECK(nanosleep(&bad, 0) == -1 && errno == EINVAL, "nanosleep of -1 s: EINVAL");
  CHECK(clock_gettime((clockid_t)99, &ts) == -1 && errno == EINVAL, "clock_gettime of clock 99: EINVAL");
  FD_ZERO(&rd);
  FD_SET(0, &rd);
  CHECK(select(-1, &rd, 0, 0, 0) == -1 && errno == EINVAL, "select of -1 fds: EINVAL");
  CHECK(select(FD_SETSIZE + 1, &rd, 0, 0, 0) == -1 && errno == EINVAL, "select past FD_SETSIZE: EINVAL");
  CHECK(select(1, &rd, 0, 0, &tv) == -1 && errno == EINVAL, "select with 10^6 us: EINVAL");
  clocks();
  readiness();
}

// What a program exec'd with envp (or environ) finds in its environment:
// getenv's value on a line, or "" with status 1 when the name is not set.
static int
env_after_exec(char *const envp[], const char *name, char *out, int n)
{
  char *argv[] = { "posixtest", "getenv", (char *)name, 0 };
  int p[2], st, k;
  pid_t pid;

  if(pipe(p) < 0)
    return -1;
  if((pid = fork()) == 0){
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    if(envp == (char *const *)-1)
      execv("/posixtest", argv);   // environ
    else
      execve("/posixtest", argv, envp);
    _exit(99);
  }
  close(p[1]);
  k = read(p[0], out, n - 1);
  out[k > 0 ? k : 0] = 0;
  close(p[0]);
  if(waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
    return -1;
  return WEXITSTATUS(st);
}

// The environment crosses exec: execve's envp, execv's environ (setenv).
static void
environment(void)
{
  char out[64], *envp[] = { "GREETING=hello there", "EMPTY=", 0 }, *many[40];

  CHECK(env_after_exec(envp, "GREETING", out, sizeof(out)) == 0 && strcmp(out, "hello there\n") == 0,
        "execve's envp reaches the new program");
  CHECK(env_after_exec(envp, "PATHX", out, sizeof(out)) == 1, "a name not in envp is not set");
  CHECK(env_after_exec(0, "GREETING", out, sizeof(out)) == 1, "execve with envp NULL: an empty environment");
  CHECK(setenv("POSIXTEST_VAR", "set here", 1) == 0 &&
        env_after_exec((char *const *)-1, "POSIXTEST_VAR", out, sizeof(out)) == 0 &&
        strcmp(out, "set here\n") == 0, "setenv, then execv: the child inherits environ");
  for(int i = 0; i < 39; i++)
    many[i] = "X=1";
  many[39] = 0;
  CHECK(execve("/posixtest", (char *[]){ "posixtest", 0 }, many) == -1 && errno == E2BIG,
        "39 environment strings: E2BIG");
}

// fork, exec the shell's echo with its output in a pipe, waitpid's status.
void
processes(void)
{
  environment();
  char buf[64];
  int p[2], st, n;
  pid_t pid;

  CHECK(pipe(p) == 0, "pipe");
  if((pid = fork()) == 0){
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    execl("/echo", "echo", "from", "execl", (char *)0);
    _exit(99);
  }
  CHECK(pid > 0, "fork");
  close(p[1]);
  n = read(p[0], buf, sizeof(buf) - 1);
  buf[n > 0 ? n : 0] = 0;
  close(p[0]);
  CHECK(strcmp(buf, "from execl\n") == 0, "execl'd echo wrote into the pipe");
  CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "waitpid: echo exited 0");
  if((pid = fork()) == 0)
    exit(7);
  CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7, "WEXITSTATUS 7");
  CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "no children left: ECHILD");
  CHECK(execl("/no-such-program", "x", (char *)0) == -1 && errno == ENOENT, "execl: ENOENT");
  CHECK(getpid() > 1, "getpid");
  CHECK(kill(getpid(), SIGCHLD) == 0 && kill(getpid(), SIGWINCH) == 0, "kill with an ignored signal");
  CHECK(kill(getpid(), 0) == 0, "kill with signal 0: the process exists");
  CHECK(kill(99999, SIGTERM) == -1 && errno == ESRCH, "kill of no process: ESRCH");
  if((pid = fork()) == 0){
    for(;;)
      sleep(1);
  }
  CHECK(pid > 0 && kill(pid, SIGTERM) == 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
        WTERMSIG(st) == SIGTERM, "kill SIGTERM ends a child: WIFSIGNALED, WTERMSIG");
}
