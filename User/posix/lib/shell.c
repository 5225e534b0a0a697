// shell.c: system, popen and pclose over `sh -c LINE` (User/sh.c).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>

#define SHELL "/sh"

// Run line in a child shell; its wait status, or -1.
int
system(const char *line)
{
  pid_t pid;
  int st;

  if(line == 0)
    return 1;   // there is a shell
  if((pid = fork()) < 0)
    return -1;
  if(pid == 0){
    execl(SHELL, "sh", "-c", line, (char *)0);
    _exit(127);
  }
  while(waitpid(pid, &st, 0) < 0)
    if(errno != EINTR)
      return -1;
  return st;
}

// The children popen started, by stream (a program has at most NOFILE).
static struct { FILE *f; pid_t pid; } opened[16];

FILE *
popen(const char *line, const char *mode)
{
  int p[2], reading = mode && mode[0] == 'r' && mode[1] == 0, slot;
  pid_t pid;
  FILE *f;

  if(!reading && !(mode && mode[0] == 'w' && mode[1] == 0)){
    errno = EINVAL;
    return 0;
  }
  for(slot = 0; slot < 16 && opened[slot].f; slot++)
    ;
  if(slot == 16){
    errno = EMFILE;
    return 0;
  }
  if(pipe(p) < 0)
    return 0;
  if((pid = fork()) < 0){
    close(p[0]);
    close(p[1]);
    return 0;
  }
  if(pid == 0){
    dup2(reading ? p[1] : p[0], reading ? 1 : 0);
    close(p[0]);
    close(p[1]);
    execl(SHELL, "sh", "-c", line, (char *)0);
    _exit(127);
  }
  close(reading ? p[1] : p[0]);
  if((f = fdopen(reading ? p[0] : p[1], mode)) == 0){
    close(reading ? p[0] : p[1]);
    waitpid(pid, 0, 0);
    return 0;
  }
  opened[slot].f = f;
  opened[slot].pid = pid;
  return f;
}

int
pclose(FILE *f)
{
  pid_t pid;
  int st;

  for(int i = 0; i < 16; i++){
    if(opened[i].f != f)
      continue;
    pid = opened[i].pid;
    opened[i].f = 0;
    fclose(f);
    while(waitpid(pid, &st, 0) < 0)
      if(errno != EINTR)
        return -1;
    return st;
  }
  errno = EINVAL;   // not a stream popen opened
  return -1;
}
