// Processes and time.
#include <errno.h>
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

// Argument checks of the time and select glue. (clock_gettime, poll and a
// select that waits need the poll/time kernel: tested once it is merged.)
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
}

// fork, exec the shell's echo with its output in a pipe, waitpid's status.
void
processes(void)
{
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
  CHECK(kill(getpid(), 0) == -1 && errno == EINVAL, "kill with signal 0: EINVAL (not yet)");
  CHECK(kill(99999, SIGTERM) == -1 && errno == ESRCH, "kill of no process: ESRCH");
  if((pid = fork()) == 0){
    for(;;)
      sleep(1);
  }
  CHECK(pid > 0 && kill(pid, SIGTERM) == 0 && waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) != 0,
        "kill SIGTERM ends a child");
}
