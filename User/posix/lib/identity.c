// identity.c: who and what the process is. There is one user (root, 0), no
// permissions on files, no process groups or sessions and one host name; these
// say so in the answers POSIX allows, so that programs written for a Unix with
// all of that run unchanged (docs/posix.md).
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include "calls.h"
#include "kernel/types.h"
#include "kernel/param.h"      // NOFILE, TICK_HZ, MAXARG

#define HOSTNAME "xv6-net"

uid_t getuid(void) { return 0; }
uid_t geteuid(void) { return 0; }
gid_t getgid(void) { return 0; }
gid_t getegid(void) { return 0; }
pid_t getppid(void) { return __xv6_getppid(); }

// No process groups: every process is the only one in its own group.
pid_t getpgrp(void) { return getpid(); }
pid_t setsid(void) { return getpid(); }

pid_t
getpgid(pid_t pid)
{
  if(pid != 0 && pid != getpid() && __xv6_sigsend(pid, 0) < 0){
    errno = ESRCH;
    return -1;
  }
  return pid ? pid : getpid();
}

int
setpgid(pid_t pid, pid_t pgid)
{
  if(pid < 0 || pgid < 0){
    errno = EINVAL;
    return -1;
  }
  return (pid == 0 || pid == getpid()) && (pgid == 0 || pgid == getpid()) ? 0 : (errno = EPERM, -1);
}

int
gethostname(char *name, size_t len)
{
  if(len < sizeof(HOSTNAME)){
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(name, HOSTNAME, sizeof(HOSTNAME));
  return 0;
}

int
uname(struct utsname *u)
{
  memset(u, 0, sizeof(*u));
  strcpy(u->sysname, "xv6-net");
  strcpy(u->nodename, HOSTNAME);
  strcpy(u->release, "2");
  strcpy(u->version, "xv6-net, an xv6-style teaching kernel");
  strcpy(u->machine, "riscv64");
  return 0;
}

long
sysconf(int name)
{
  switch(name){
  case _SC_OPEN_MAX: return NOFILE;
  case _SC_PAGESIZE: return 4096;
  case _SC_CLK_TCK: return TICK_HZ;
  case _SC_ARG_MAX: return MAXARG * 128;
  case _SC_HOST_NAME_MAX: return 64;
  case _SC_IOV_MAX: return 1024;
  case _SC_CHILD_MAX: return 64;
  }
  errno = EINVAL;   // the rest (e.g. the number of CPUs) the kernel does not say
  return -1;
}

int getdtablesize(void) { return NOFILE; }

// No permissions: a file that exists may be read, written and run.
int
access(const char *path, int mode)
{
  struct stat st;

  if(mode & ~(R_OK | W_OK | X_OK)){
    errno = EINVAL;
    return -1;
  }
  return stat(path, &st);
}

int
chmod(const char *path, mode_t mode)
{
  struct stat st;

  (void)mode;   // not stored: the file system keeps no permissions
  return stat(path, &st);
}

int
fchmod(int fd, mode_t mode)
{
  struct stat st;

  (void)mode;
  return fstat(fd, &st);
}

static mode_t mask = 022;

mode_t
umask(mode_t m)
{
  mode_t old = mask;

  mask = m & 0777;
  return old;
}
