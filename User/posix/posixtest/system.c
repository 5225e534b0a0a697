// What a program learns about the system, and the calls built over others:
// uname, gethostname, sysconf, getppid, access, umask; system and popen over
// the shell; socketpair over loopback; mmap as a copy.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "posixtest.h"

static void
identity(void)
{
  struct utsname u;
  char host[64];
  int st;
  pid_t pid, me = getpid();

  CHECK(uname(&u) == 0 && strcmp(u.sysname, "xv6-net") == 0 && strcmp(u.machine, "riscv64") == 0,
        "uname: xv6-net on riscv64");
  CHECK(gethostname(host, sizeof(host)) == 0 && strcmp(host, u.nodename) == 0, "gethostname is uname's nodename");
  CHECK(gethostname(host, 3) == -1 && errno == ENAMETOOLONG, "gethostname into 3 bytes: ENAMETOOLONG");
  CHECK(sysconf(_SC_OPEN_MAX) == 16 && sysconf(_SC_PAGESIZE) == 4096 && sysconf(_SC_CLK_TCK) == 100,
        "sysconf: 16 files, 4096-byte pages, 100 ticks a second");
  CHECK(sysconf(-5) == -1 && errno == EINVAL, "sysconf of an unknown name: EINVAL");
  if((pid = fork()) == 0)
    _exit(getppid() == me ? 0 : 1);
  CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "a child's getppid is its parent");
  CHECK(getuid() == 0 && geteuid() == 0 && getpgrp() == me, "one user, root; no process groups");
  CHECK(access("/posixtest", R_OK | X_OK) == 0, "access of a program that exists");
  CHECK(access("/no-such-file", F_OK) == -1 && errno == ENOENT, "access of nothing: ENOENT");
  CHECK(umask(077) == 022 && umask(022) == 077, "umask returns the mask before");
}

static void
shell(void)
{
  char line[64] = "";
  FILE *f;
  int st;

  st = system("echo made by sh > ptsys");
  CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "system: sh -c ran the line");
  CHECK((f = fopen("ptsys", "r")) && fgets(line, sizeof(line), f) && strcmp(line, "made by sh\n") == 0,
        "system's redirection made the file");
  if(f)
    fclose(f);
  unlink("ptsys");
  st = system("/no-such-program");
  CHECK(st != -1 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0), "system of a missing program fails");
  CHECK(system(0) != 0, "system(NULL): there is a shell");
  CHECK((f = popen("echo one two | wc", "r")) != 0, "popen of a pipeline, for reading");
  line[0] = 0;
  CHECK(f && fgets(line, sizeof(line), f) && strstr(line, "1 2") != 0, "popen: the pipeline's output");
  CHECK(f && WIFEXITED(pclose(f)), "pclose waits for the shell");
  CHECK(popen("echo", "rw") == 0 && errno == EINVAL, "popen mode \"rw\": EINVAL");
}

static void
pairs_and_maps(void)
{
  char buf[32] = "", *m;
  int sv[2], fd, yes = 1;

  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair (over loopback)");
  CHECK(write(sv[0], "ping", 4) == 4 && read(sv[1], buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0 &&
        write(sv[1], "pong", 4) == 4 && read(sv[0], buf, sizeof(buf)) == 4 && memcmp(buf, "pong", 4) == 0,
        "socketpair: both ways");
  close(sv[0]);
  CHECK(read(sv[1], buf, sizeof(buf)) == 0, "socketpair: end of file once the other end is closed");
  close(sv[1]);
  CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == -1 && errno == EOPNOTSUPP, "a datagram pair: EOPNOTSUPP");
  CHECK(socket(AF_UNIX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT, "socket(AF_UNIX): EAFNOSUPPORT");
  fd = socket(AF_INET, SOCK_DGRAM, 0);
  CHECK(setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &yes, sizeof(yes)) == -1 && errno == ENOPROTOOPT,
        "SO_BROADCAST: ENOPROTOOPT");
  close(fd);
  CHECK((fd = open("/posixtest", O_RDONLY)) >= 0, "open a file to map");
  m = mmap(0, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
  CHECK(m != MAP_FAILED && memcmp(m, "\177ELF", 4) == 0 && ((unsigned long)m & 4095) == 0,
        "mmap of a file: its bytes, page-aligned");
  CHECK(m != MAP_FAILED && munmap(m, 8192) == 0, "munmap");
  CHECK(mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENODEV,
        "a shared writable mapping of a file: ENODEV");
  CHECK(mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL, "an unaligned offset: EINVAL");
  close(fd);
  m = mmap(0, 100000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(m != MAP_FAILED && m[0] == 0 && m[99999] == 0, "anonymous memory, zeroed");
  if(m != MAP_FAILED)
    munmap(m, 100000);
}

void
system_calls_built(void)
{
  identity();
  shell();
  pairs_and_maps();
}
