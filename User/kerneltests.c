// kerneltests: a stress test of the kernel from user space. Each test runs in a
// child process, so a test that crashes is reported and the rest still run.
// Prints "test NAME: OK" per test and finally "ALL TESTS PASSED" or
// "SOME TESTS FAILED: n". `kerneltests NAME...` runs only the named tests;
// slow ones (linkmax) run only when named.
// Files are created in /ktdir, which is removed at the end.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "kernel/fs.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "kernel/elf.h"
#include "kernel/kstat.h"
#include "kernel/clock.h"
#include "kernel/poll.h"
#include "user/user.h"
#include "user/socket.h"
#include "kernel/syscall.h"
#include "kernel/profile.h"

#define KERNADDR   0x80000000UL          // kernel memory, never user-accessible
#define ALLONES    0xffffffffffffffffUL
#define KB 1024
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MB (1024*1024)

static char *testname;                  // the test running in this process
static char buf[16*KB];                 // scratch shared by the tests

// Report a failure of the current test and end its process.
__attribute__((noreturn, format(printf, 1, 2))) static void
fail(const char *fmt, ...)
{
  va_list ap;

  printf("  %s: ", testname);
  va_start(ap, fmt);
  vprintf(1, fmt, ap);
  va_end(ap);
  printf("\n");
  exit(1);
}

#define CHECK(cond, ...) do { if(!(cond)) fail(__VA_ARGS__); } while(0)

// Run f in a child process and return its exit status (nonzero if killed).
static int
inchild(void (*f)(void))
{
  int pid, st = 0;

  if((pid = fork()) < 0)
    fail("fork failed");
  if(pid == 0){
    f();
    exit(0);
  }
  if(wait(&st) != pid)
    fail("wait did not return the child");
  return st;
}

// Fork a child that runs f and must be killed by the kernel for a bad access.
static void
expectkilled(void (*f)(void), const char *what)
{
  int st = inchild(f);

  CHECK(st != 0, "%s: the child survived", what);
}

// A 32-bit pattern word for position i of stream seed, cheap to check.
static uint
pattern(uint seed, uint i)
{
  return (i * 2654435761U) ^ (seed * 40503U) ^ (i >> 7);
}

static void
fillpat(char *p, int n, uint seed, uint off)
{
  int i;

  for(i = 0; i < n; i += 4)
    *(uint*)(p + i) = pattern(seed, (off + i) / 4);
}

static int
checkpat(char *p, int n, uint seed, uint off)
{
  int i;

  for(i = 0; i < n; i += 4)
    if(*(uint*)(p + i) != pattern(seed, (off + i) / 4))
      return off + i;
  return -1;
}

// Write a file of size bytes filled with the pattern of seed.
static void
writefile(const char *name, int size, uint seed, int chunk)
{
  int fd, off, n;

  fd = open(name, O_CREATE|O_WRONLY|O_TRUNC);
  CHECK(fd >= 0, "create %s failed", name);
  for(off = 0; off < size; off += n){
    n = size - off < chunk ? size - off : chunk;
    fillpat(buf, n, seed, off);
    CHECK(write(fd, buf, n) == n, "write %s at %d failed", name, off);
  }
  close(fd);
}

// Check that a file holds exactly size bytes of the pattern of seed.
static void
checkfile(const char *name, int size, uint seed, int chunk)
{
  int fd, off, n, bad;
  struct stat st;

  fd = open(name, O_RDONLY);
  CHECK(fd >= 0, "open %s failed", name);
  CHECK(fstat(fd, &st) == 0 && st.size == size, "%s: size %d, want %d",
        name, (int)st.size, size);
  for(off = 0; off < size; off += n){
    n = read(fd, buf, chunk);
    CHECK(n > 0, "read %s at %d returned %d", name, off, n);
    CHECK(n % 4 == 0 || off + n == size, "odd read size %d", n);
    CHECK((bad = checkpat(buf, n, seed, off)) < 0, "%s: wrong data at %d", name, bad);
  }
  CHECK(read(fd, buf, chunk) == 0, "%s: no end of file", name);
  close(fd);
}

// ---------------------------------------------------------------- processes

// fork, exit statuses and wait; wait without children.
static void
t_forkwait(void)
{
  int i, pid, st, seen = 0;
  int pids[5];

  for(i = 0; i < 5; i++){
    if((pids[i] = fork()) == 0)
      exit(10 + i);
    CHECK(pids[i] > 0, "fork failed");
  }
  for(i = 0; i < 5; i++){
    st = -100;
    pid = wait(&st);
    CHECK(pid > 0, "wait failed");
    CHECK(st >= 10 && st < 15 && pids[st - 10] == pid, "pid %d exit status %d", pid, st);
    seen |= 1 << (st - 10);
  }
  CHECK(seen == 0x1f, "statuses missing: %x", seen);
  CHECK(wait(0) == -1, "wait without children did not fail");
  pid = getpid();
  if(fork() == 0){
    CHECK(getpid() != pid, "child has the parent's pid");
    exit(0);
  }
  wait(0);
}

// exec with arguments: run echo with its output in a file, and read it back.
static void
t_exec(void)
{
  char *argv[] = { "echo", "hello", "exec", 0 };
  int pid, fd, st, n;

  unlink("ktexec.out");
  if((pid = fork()) == 0){
    close(1);
    if(open("ktexec.out", O_CREATE|O_WRONLY) != 1)
      exit(2);
    exec("/echo", argv);
    exit(3);
  }
  CHECK(wait(&st) == pid && st == 0, "echo exit status %d", st);
  fd = open("ktexec.out", O_RDONLY);
  CHECK(fd >= 0, "no output file");
  n = read(fd, buf, sizeof(buf));
  close(fd);
  unlink("ktexec.out");
  CHECK(n == 11 && memcmp(buf, "hello exec\n", 11) == 0, "echo wrote %d bytes", n);
  CHECK(exec("/no-such-program", argv) == -1, "exec of a missing file");
  CHECK(exec("/", argv) == -1, "exec of a directory");
}

// Several processes exec at the same time, many times.
static void
t_execstorm(void)
{
  char *argv[] = { "echo", "storm", 0 };
  int i, j, pid, st, fails = 0;

  for(i = 0; i < 3; i++){
    if(fork() == 0){
      for(j = 0; j < 10; j++){
        if((pid = fork()) == 0){
          close(1);
          open("/ktdir", O_RDONLY);   // fd 1 read-only: echo's output is dropped
          exec("/echo", argv);
          exit(9);
        }
        if(wait(&st) != pid || st != 0)
          exit(1);
      }
      exit(0);
    }
  }
  for(i = 0; i < 3; i++){
    wait(&st);
    fails += st != 0;
  }
  CHECK(fails == 0, "%d exec loops failed", fails);
}

// Fork until the process table is full: fork must fail with -1, not crash;
// then every child is reaped and fork works again.
static void
t_forkfull(void)
{
  int p[2], n, pid;
  char c;

  CHECK(pipe(p) == 0, "pipe failed");
  for(n = 0; n < 4 * NPROC; n++){
    pid = fork();
    if(pid < 0)
      break;
    if(pid == 0){
      close(p[1]);
      read(p[0], &c, 1);   // returns 0 once the parent closes its end
      exit(0);
    }
  }
  close(p[0]);
  close(p[1]);
  CHECK(pid < 0, "fork never failed after %d children", n);
  CHECK(n > 5, "only %d forks succeeded", n);
  for(; n > 0; n--)
    CHECK(wait(0) > 0, "a child was lost (%d left)", n);
  CHECK(wait(0) == -1, "an extra child");
  if((pid = fork()) == 0)
    exit(0);
  CHECK(pid > 0 && wait(0) == pid, "fork after the table emptied");
}

static void
spin(void)
{
  volatile int x = 0;

  for(;;)
    x++;
}

static void
sleepy(void)
{
  pause(100000);
}

// kill ends a spinning child and a sleeping child; kill of no process fails.
static void
t_kill(void)
{
  int pid, st, orphan, p[2];

  if((pid = fork()) == 0)
    spin();
  pause(2);
  CHECK(kill(pid) == 0, "kill failed");
  CHECK(wait(&st) == pid && st != 0, "killed spinner exit status %d", st);
  if((pid = fork()) == 0)
    sleepy();
  pause(2);
  CHECK(kill(pid) == 0, "kill failed");
  CHECK(wait(&st) == pid && st != 0, "killed sleeper exit status %d", st);
  // a process killed while waiting for its child; the orphan goes to init
  CHECK(pipe(p) == 0, "pipe");
  if((pid = fork()) == 0){
    if((orphan = fork()) == 0)
      sleepy();
    write(p[1], &orphan, sizeof(orphan));
    wait(0);
    exit(0);
  }
  CHECK(read(p[0], &orphan, sizeof(orphan)) == sizeof(orphan), "no grandchild");
  close(p[0]);
  close(p[1]);
  pause(2);
  CHECK(kill(pid) == 0, "kill failed");
  CHECK(wait(&st) == pid && st != 0, "killed waiter exit status %d", st);
  CHECK(kill(orphan) == 0, "the orphan is gone");   // init reaps it
  CHECK(kill(-1) == -1 && kill(0x7fffffff) == -1, "kill of no process succeeded");
}

// A few small calls: getpid, uptime advances with pause, kstat is sane.
static void
t_misc(void)
{
  int t0, t1, pid, st;

  CHECK(getpid() > 0, "getpid");
  t0 = uptime();
  CHECK(pause(3) == 0, "pause failed");
  t1 = uptime();
  CHECK(t1 >= t0 + 3 && t1 < t0 + 300, "uptime went from %d to %d", t0, t1);
  CHECK(kstat(KSTAT_FREEPAGES) > 100, "kstat free pages %ld", kstat(KSTAT_FREEPAGES));
  CHECK(kstat(KSTAT_NPROC) >= 3, "kstat processes %ld", kstat(KSTAT_NPROC));
  CHECK(kstat(-1) == -1 && kstat(1000) == -1, "kstat of unknown selectors");
  // pause with a negative count must not sleep for ever
  if((pid = fork()) == 0){
    pause(-5);
    exit(0);
  }
  pause(10);
  kill(pid);
  CHECK(wait(&st) == pid && st == 0, "pause(-5) did not return");
}

// ---------------------------------------------------------------- pipes

static uchar
pipebyte(uint i)
{
  return (i * 131 + (i >> 9)) & 0xff;
}

// A large transfer in odd chunk sizes arrives intact and in order.
static void
t_pipedata(void)
{
  int p[2], pid, n, i, got, want = 512 * KB, chunk;

  CHECK(pipe(p) == 0, "pipe failed");
  if((pid = fork()) == 0){
    close(p[0]);
    for(got = 0, chunk = 1; got < want; got += n, chunk = chunk * 7 % 4093 + 1){
      n = want - got < chunk ? want - got : chunk;
      for(i = 0; i < n; i++)
        buf[i] = pipebyte(got + i);
      if(write(p[1], buf, n) != n)
        exit(1);
    }
    exit(0);
  }
  close(p[1]);
  for(got = 0; (n = read(p[0], buf, 3000)) > 0; got += n){
    for(i = 0; i < n; i++)
      CHECK((uchar)buf[i] == pipebyte(got + i), "wrong byte at %d", got + i);
  }
  close(p[0]);
  CHECK(got == want, "got %d bytes of %d", got, want);
  CHECK(wait(&n) == pid && n == 0, "writer failed");
}

// Closing the write ends gives end of file; writing with no reader fails.
static void
t_pipeends(void)
{
  int p[2], pid, st;
  char c;

  CHECK(pipe(p) == 0, "pipe failed");
  CHECK(write(p[1], "ab", 2) == 2, "write failed");
  close(p[1]);
  CHECK(read(p[0], buf, 10) == 2, "read of buffered bytes");
  CHECK(read(p[0], buf, 10) == 0, "no end of file");
  close(p[0]);

  // (without a reader SIGPIPE would end us: t_sigpipe)
  signal(SIGPIPE, (sighandler_t)SIG_IGN);
  CHECK(pipe(p) == 0, "pipe failed");
  close(p[0]);
  CHECK(write(p[1], "x", 1) == -1, "write with no reader succeeded");
  close(p[1]);

  // a reader blocked in read wakes with end of file when the writer exits
  CHECK(pipe(p) == 0, "pipe failed");
  if((pid = fork()) == 0){
    close(p[0]);
    pause(3);
    exit(0);
  }
  close(p[1]);
  CHECK(read(p[0], &c, 1) == 0, "blocked reader got no end of file");
  close(p[0]);
  CHECK(wait(&st) == pid, "wait");

  // a writer blocked on a full pipe fails when the reader goes away
  CHECK(pipe(p) == 0, "pipe failed");
  if((pid = fork()) == 0){
    close(p[0]);
    for(;;)
      if(write(p[1], buf, 1000) < 0)
        exit(5);
  }
  close(p[1]);
  pause(3);
  close(p[0]);
  CHECK(wait(&st) == pid && st == 5, "blocked writer exit status %d", st);
}
// ---------------------------------------------------------------- file system

// Create, write, read back, stat, O_TRUNC, and open flags.
static void
t_files(void)
{
  int fd, fd2;
  struct stat st;

  writefile("ktf", 5000, 1, 700);
  checkfile("ktf", 5000, 1, 1024);
  CHECK(stat("ktf", &st) == 0 && st.type == T_FILE && st.nlink == 1, "stat");

  fd = open("ktf", O_WRONLY|O_TRUNC);
  CHECK(fd >= 0, "open O_TRUNC failed");
  CHECK(fstat(fd, &st) == 0 && st.size == 0, "not truncated: size %d", (int)st.size);
  CHECK(write(fd, "0123456789", 10) == 10, "write after truncate");
  CHECK(read(fd, buf, 1) == -1, "read from a write-only descriptor");
  close(fd);
  fd = open("ktf", O_RDONLY);
  CHECK(write(fd, "x", 1) == -1, "write to a read-only descriptor");
  CHECK(read(fd, buf, 100) == 10 && memcmp(buf, "0123456789", 10) == 0, "data after truncate");
  close(fd);

  // dup shares the offset
  fd = open("ktf", O_RDONLY);
  fd2 = dup(fd);
  CHECK(fd2 >= 0 && read(fd, buf, 4) == 4 && read(fd2, buf, 6) == 6, "dup");
  CHECK(memcmp(buf, "456789", 6) == 0, "dup'd descriptor has its own offset");
  close(fd);
  close(fd2);

  CHECK(open("ktnone", O_RDONLY) == -1, "opened a missing file");
  CHECK(open(".", O_WRONLY) == -1 && open(".", O_RDWR) == -1, "opened a directory for writing");
  CHECK(unlink("ktf") == 0, "unlink failed");
  CHECK(open("ktf", O_RDONLY) == -1, "file still there after unlink");
  CHECK(unlink("ktf") == -1, "second unlink succeeded");
}

// Unlink while open: the data stays reachable through the descriptor.
static void
t_unlinkopen(void)
{
  int fd, fd2;

  writefile("ktu", 3000, 2, 3000);
  fd = open("ktu", O_RDWR);
  CHECK(fd >= 0, "open failed");
  CHECK(unlink("ktu") == 0, "unlink of an open file failed");
  CHECK(open("ktu", O_RDONLY) == -1, "name still there");
  fd2 = open("ktu", O_CREATE|O_RDWR);   // a new file with the same name
  CHECK(fd2 >= 0, "re-create failed");
  CHECK(write(fd2, "new", 3) == 3, "write new file");
  CHECK(read(fd, buf, 3000) == 3000 && checkpat(buf, 3000, 2, 0) < 0, "old data lost");
  CHECK(write(fd, "more", 4) == 4, "write to the unlinked file");
  close(fd);
  close(fd2);
  CHECK(unlink("ktu") == 0, "unlink of the new file");
}

// A file of several MiB uses the doubly-indirect block; check every byte.
static void
t_bigfile(void)
{
  int size = 4 * MB + 3 * KB + 100;     // past NDIRECT + NINDIRECT blocks

  CHECK(size / BSIZE > NDIRECT + NINDIRECT, "not big enough");
  writefile("ktbig", size, 3, 8 * KB);
  checkfile("ktbig", size, 3, 16 * KB);
  CHECK(unlink("ktbig") == 0, "unlink failed");
}

// A process killed during one long write stops between its pieces instead
// of writing all it asked for (sysfuzz found a kill of a 64 MiB write taking
// effect only when the write was done, some 20 s later).
static void
t_killwrite(void)
{
  int pid, st, n = 64 * MB, fd;
  struct stat s;

  unlink("ktkw");
  if((pid = fork()) == 0){
    char *p = sbrklazy(n);   // pages appear as the kernel copies them
    if(p == SBRK_ERROR || (fd = open("ktkw", O_CREATE|O_WRONLY)) < 0)
      exit(2);
    write(fd, p, n);
    exit(3);
  }
  CHECK(pid > 0, "fork failed");
  do
    pause(1);
  while(stat("ktkw", &s) < 0 || s.size == 0);
  CHECK(kill(pid) == 0, "kill failed");
  CHECK(wait(&st) == pid && st == -1, "writer exit status %d", st);
  CHECK(stat("ktkw", &s) == 0 && s.size < n / 2, "the killed writer wrote %d bytes",
        (int)s.size);
  CHECK(unlink("ktkw") == 0, "unlink failed");
}

// Several processes each write their own file at once.
static void
t_concfiles(void)
{
  int i, pid, st;
  char name[8];

  for(i = 0; i < 4; i++){
    if((pid = fork()) == 0){
      snprintf(name, sizeof(name), "ktc%d", i);
      writefile(name, 48 * KB + i * 100, 10 + i, 1000 + i * 300);
      exit(0);
    }
    CHECK(pid > 0, "fork failed");
  }
  for(i = 0; i < 4; i++)
    CHECK(wait(&st) > 0 && st == 0, "a writer failed");
  for(i = 0; i < 4; i++){
    snprintf(name, sizeof(name), "ktc%d", i);
    checkfile(name, 48 * KB + i * 100, 10 + i, 4 * KB);
    CHECK(unlink(name) == 0, "unlink %s", name);
  }
}

// Several processes append records through one shared descriptor: no record
// may be lost or overwritten.
static void
t_sharedfd(void)
{
  int fd, i, j, n, st, count[4] = {0};
  struct stat sst;

  fd = open("ktshared", O_CREATE|O_RDWR|O_TRUNC);
  CHECK(fd >= 0, "create failed");
  for(i = 0; i < 4; i++){
    if(fork() == 0){
      memset(buf, 'a' + i, 200);
      for(j = 0; j < 100; j++)
        if(write(fd, buf, 200) != 200)
          exit(1);
      exit(0);
    }
  }
  for(i = 0; i < 4; i++)
    CHECK(wait(&st) > 0 && st == 0, "a writer failed");
  close(fd);
  CHECK(stat("ktshared", &sst) == 0 && sst.size == 4 * 100 * 200, "size %d", (int)sst.size);
  fd = open("ktshared", O_RDONLY);
  while((n = read(fd, buf, sizeof(buf))) > 0)
    for(j = 0; j < n; j++){
      CHECK(buf[j] >= 'a' && buf[j] < 'a' + 4, "stray byte %d", buf[j]);
      count[buf[j] - 'a']++;
    }
  close(fd);
  for(i = 0; i < 4; i++)
    CHECK(count[i] == 100 * 200, "writer %d has %d bytes", i, count[i]);
  unlink("ktshared");
}

// Processes race to create and unlink the same names; the kernel must stay
// consistent (afterwards every name can be created and removed once).
static void
t_createrace(void)
{
  int i, j, fd, st;
  char name[8];

  for(i = 0; i < 3; i++){
    if(fork() == 0){
      for(j = 0; j < 30; j++){
        snprintf(name, sizeof(name), "ktr%d", (j + i) % 5);
        if((fd = open(name, O_CREATE|O_RDWR)) >= 0){
          write(fd, name, 4);
          close(fd);
        }
        unlink(name);
        if(j % 7 == i)
          mkdir(name);   // a directory with the same name, sometimes
      }
      exit(0);
    }
  }
  for(i = 0; i < 3; i++)
    CHECK(wait(&st) > 0 && st == 0, "a racer failed");
  for(i = 0; i < 5; i++){
    snprintf(name, sizeof(name), "ktr%d", i);
    unlink(name);
    CHECK(open(name, O_RDONLY) == -1, "%s left over", name);
    CHECK((fd = open(name, O_CREATE|O_RDWR)) >= 0, "create %s", name);
    close(fd);
    CHECK(unlink(name) == 0, "unlink %s", name);
  }
}

// mkdir/unlink edge cases, ".", "..", and rules about directories.
static void
t_dirs(void)
{
  int fd;

  CHECK(mkdir("ktd") == 0, "mkdir failed");
  CHECK(mkdir("ktd") == -1, "mkdir of an existing directory succeeded");
  CHECK(mkdir("") == -1 && mkdir("/") == -1, "mkdir of \"\" or /");
  CHECK(mkdir("ktnone/sub") == -1, "mkdir in a missing directory");
  fd = open("ktd/f", O_CREATE|O_RDWR);
  CHECK(fd >= 0, "create in the directory failed");
  close(fd);
  CHECK(mkdir("ktd/f/x") == -1, "mkdir below a file");
  CHECK(open("ktd/f/x", O_CREATE|O_RDWR) == -1, "create below a file");
  CHECK(unlink("ktd") == -1, "unlink of a non-empty directory succeeded");
  CHECK(unlink(".") == -1 && unlink("..") == -1, "unlink of . or ..");
  CHECK(unlink("ktd/.") == -1 && unlink("ktd/..") == -1, "unlink of ktd/. or ktd/..");
  CHECK(unlink("/") == -1, "unlink of /");
  CHECK(chdir("ktd/f") == -1, "chdir to a file");
  CHECK(chdir("ktnone") == -1, "chdir to a missing directory");
  CHECK(chdir("ktd") == 0 && open("f", O_RDONLY) >= 0, "chdir into ktd");
  CHECK(chdir("..") == 0 && open("ktd/f", O_RDONLY) >= 0, "chdir ..");
  CHECK(link("ktd", "ktd2") == -1, "link to a directory succeeded");
  CHECK(unlink("ktd/f") == 0, "unlink ktd/f");
  CHECK(unlink("ktd") == 0, "unlink of the empty directory failed");
  CHECK(open("ktd", O_RDONLY) == -1, "directory still there");
  fd = open(".", O_RDONLY);
  CHECK(fd >= 0 && write(fd, "x", 1) == -1, "write to a directory");
  close(fd);
}

// Remove the current directory (and its parent's entry) while inside it:
// later calls may fail, but the kernel must stay sane.
static void
t_rmcwd(void)
{
  int fd;

  CHECK(mkdir("ktcwd") == 0 && chdir("ktcwd") == 0, "mkdir/chdir");
  CHECK(unlink("../ktcwd") == 0, "unlink of the empty current directory");
  fd = open("y", O_CREATE|O_RDWR);
  if(fd >= 0){
    close(fd);
    unlink("y");
  }
  mkdir("z");
  unlink("z");
  CHECK(chdir("/ktdir") == 0, "chdir back");
  CHECK(open("ktcwd", O_RDONLY) == -1, "removed directory reappeared");
}

// A directory of more than one block: create, find, list and remove entries.
static void
t_bigdir(void)
{
  enum { N = 150 };                  // 16-byte entries: three 1 KiB blocks
  char name[16];
  struct dirent de;
  int i, fd, n = 0;

  CHECK(mkdir("ktbd") == 0, "mkdir");
  for(i = 0; i < N; i++){
    snprintf(name, sizeof(name), "ktbd/e%d", i);
    CHECK((fd = open(name, O_CREATE|O_RDWR)) >= 0, "create %s", name);
    close(fd);
  }
  for(i = 0; i < N; i += 7){
    snprintf(name, sizeof(name), "ktbd/e%d", i);
    CHECK((fd = open(name, O_RDONLY)) >= 0, "open %s", name);
    close(fd);
  }
  fd = open("ktbd", O_RDONLY);
  while(read(fd, &de, sizeof(de)) == sizeof(de))
    n += de.inum != 0;
  close(fd);
  CHECK(n == N + 2, "%d entries listed, want %d", n, N + 2);
  CHECK(unlink("ktbd") == -1, "removed a full directory");
  for(i = 0; i < N; i++){
    snprintf(name, sizeof(name), "ktbd/e%d", i);
    CHECK(unlink(name) == 0, "unlink %s", name);
  }
  CHECK(unlink("ktbd") == 0, "rmdir after emptying");
}

// Device files: the console works through a new name; a device without a
// driver fails cleanly.
static void
t_devices(void)
{
  int fd;

  CHECK(mknod("ktcons", 1, 0) == 0, "mknod console");
  fd = open("ktcons", O_WRONLY);
  CHECK(fd >= 0 && write(fd, "", 0) == 0, "open/write the console");
  close(fd);
  CHECK(mknod("ktcons", 1, 0) == -1, "mknod over an existing name");
  // the kernel may refuse such nodes at mknod, at open, or at read/write
  mknod("ktnodev", 9, 0);
  mknod("ktbaddev", -1, 0);
  fd = open("ktnodev", O_RDWR);
  if(fd >= 0)
    CHECK(read(fd, buf, 1) == -1 && write(fd, "x", 1) == -1, "I/O on a device without a driver");
  close(fd);
  fd = open("ktbaddev", O_RDWR);
  if(fd >= 0)
    CHECK(read(fd, buf, 1) == -1 && write(fd, "x", 1) == -1, "I/O on device -1");
  close(fd);
  unlink("ktcons");
  unlink("ktnodev");
  unlink("ktbaddev");
}

// Names of exactly DIRSIZ characters work; longer ones are handled
// consistently; an over-long path fails cleanly.
static void
t_names(void)
{
  char name[DIRSIZ+1], longp[MAXPATH+40];
  int fd;

  memset(name, 'n', DIRSIZ);
  name[DIRSIZ] = 0;
  fd = open(name, O_CREATE|O_RDWR);
  CHECK(fd >= 0, "create of a %d-character name failed", DIRSIZ);
  CHECK(write(fd, "x", 1) == 1, "write");
  close(fd);
  CHECK(open(name, O_RDONLY) >= 0, "open of the long name");
  CHECK(unlink(name) == 0, "unlink of the long name");

  memset(longp, 'p', DIRSIZ + 6);       // longer than DIRSIZ
  longp[DIRSIZ + 6] = 0;
  fd = open(longp, O_CREATE|O_RDWR);
  if(fd >= 0){
    close(fd);
    CHECK(open(longp, O_RDONLY) >= 0, "created name cannot be opened");
    CHECK(unlink(longp) == 0, "created name cannot be unlinked");
  }

  memset(longp, 'a', sizeof(longp) - 1); // no room for it in MAXPATH
  longp[sizeof(longp) - 1] = 0;
  CHECK(open(longp, O_CREATE|O_RDWR) == -1, "a path longer than MAXPATH was accepted");
  CHECK(mkdir(longp) == -1 && chdir(longp) == -1, "long path for mkdir/chdir");
}
// A chain of nested directories, reached both step by step and by one path.
static void
t_deep(void)
{
  enum { DEPTH = 25 };
  char path[MAXPATH];
  int i, fd;

  for(i = 0; i < DEPTH; i++){
    CHECK(mkdir("kd") == 0, "mkdir at depth %d", i);
    CHECK(chdir("kd") == 0, "chdir at depth %d", i);
  }
  fd = open("bottom", O_CREATE|O_RDWR);
  CHECK(fd >= 0 && write(fd, "deep", 4) == 4, "file at the bottom");
  close(fd);
  for(i = 0; i < DEPTH; i++)
    CHECK(chdir("..") == 0, "chdir .. at depth %d", DEPTH - i);
  path[0] = 0;
  for(i = 0; i < DEPTH; i++)
    strcpy(path + 3 * i, "kd/");
  strcpy(path + 3 * DEPTH, "bottom");
  fd = open(path, O_RDONLY);
  CHECK(fd >= 0 && read(fd, buf, 10) == 4, "open by the full path");
  close(fd);
  CHECK(unlink(path) == 0, "unlink by the full path");
  for(i = DEPTH; i > 0; i--){
    path[3 * i - 1] = 0;        // cut "/..." after the i-th kd
    CHECK(unlink(path) == 0, "rmdir at depth %d", i);
  }
  CHECK(open("kd", O_RDONLY) == -1, "kd left over");
}

// Links: within and across directories; counts; failures.
static void
t_links(void)
{
  struct stat a, b;
  int fd;

  CHECK(mkdir("kta") == 0 && mkdir("ktb") == 0, "mkdir");
  writefile("kta/f", 2000, 4, 2000);
  CHECK(link("kta/f", "ktb/g") == 0, "link across directories failed");
  CHECK(stat("kta/f", &a) == 0 && stat("ktb/g", &b) == 0, "stat");
  CHECK(a.ino == b.ino && a.nlink == 2, "ino %d/%d nlink %d", a.ino, b.ino, a.nlink);
  CHECK(link("kta/f", "ktb/g") == -1, "link over an existing name");
  CHECK(link("kta/none", "ktb/h") == -1, "link of a missing file");
  CHECK(link("kta/f", "ktnone/h") == -1, "link into a missing directory");
  CHECK(unlink("kta/f") == 0, "unlink the first name");
  checkfile("ktb/g", 2000, 4, 4096);
  CHECK(stat("ktb/g", &b) == 0 && b.nlink == 1, "nlink %d after unlink", b.nlink);
  fd = open("ktb/g", O_RDONLY);           // removing an open file is allowed
  CHECK(unlink("ktb/g") == 0, "unlink of an open file");
  CHECK(read(fd, buf, 2000) == 2000 && checkpat(buf, 2000, 4, 0) < 0, "data of the removed file");
  close(fd);
  CHECK(unlink("kta") == 0 && unlink("ktb") == 0, "rmdir");
}

// Descriptors run out per process with -1, and dup obeys the same limit.
static void
t_fdlimit(void)
{
  int fds[NOFILE+4], n, i;

  for(n = 0; n < NOFILE + 4; n++)
    if((fds[n] = open("/", O_RDONLY)) < 0)
      break;
  CHECK(n < NOFILE + 4 && n > 0, "opened %d descriptors", n);
  CHECK(dup(fds[0]) == -1, "dup with a full table");
  CHECK(pipe(fds + n) == -1, "pipe with a full table");
  for(i = 0; i < n; i++)
    close(fds[i]);
  CHECK(close(fds[0]) == -1, "close of a closed descriptor");
  CHECK(close(-1) == -1 && close(NOFILE) == -1 && close(1000000) == -1, "close of bad numbers");
  CHECK(dup(-1) == -1 && dup(NOFILE) == -1, "dup of bad numbers");
  CHECK(read(-1, buf, 1) == -1 && write(NOFILE, buf, 1) == -1, "read/write on bad numbers");
}
// ---------------------------------------------------------------- memory

// sbrk grows and shrinks; memory is usable and returns to the kernel.
static void
t_sbrk(void)
{
  char *a, *b, *p;
  int i;
  long free0;

  a = sbrk(0);
  for(i = 0; i < 3000; i++){             // many small steps
    b = sbrk(1);
    CHECK(b == a + i, "sbrk(1) returned %p, want %p", b, a + i);
    *b = i;
  }
  CHECK(sbrk(-3000) == a + 3000 && sbrk(0) == a, "shrink after small steps");

  free0 = kstat(KSTAT_FREEPAGES);
  b = sbrk(2 * MB);
  CHECK(b == a, "sbrk(2 MiB) returned %p", b);
  for(p = a; p < a + 2 * MB; p += PGSIZE)
    *(int*)p = (int)(uint64)p;
  for(p = a; p < a + 2 * MB; p += PGSIZE)
    CHECK(*(int*)p == (int)(uint64)p, "memory changed at %p", p);
  CHECK(kstat(KSTAT_FREEPAGES) <= free0 - 2 * MB / PGSIZE, "free pages did not drop");
  CHECK(sbrk(-2 * MB) == a + 2 * MB && sbrk(0) == a, "shrink by 2 MiB");
  // (page-table pages may stay behind)
  CHECK(kstat(KSTAT_FREEPAGES) >= free0 - 4, "pages not freed: %ld < %ld", kstat(KSTAT_FREEPAGES), free0);

  CHECK(sbrk(-0x7fffffff) == SBRK_ERROR, "sbrk(-huge) succeeded");
  CHECK(sbrk(0) == a, "size changed by the failed sbrk");
  CHECK(sbrk(0x7fffffff) == SBRK_ERROR, "sbrk(2 GiB) succeeded");
  CHECK(sbrk(0) == a, "size changed by the failed sbrk");
}

static char *freed;

static void
readfreed(void)
{
  volatile char c = *freed;

  (void)c;
  printf("  read of freed memory did not fault\n");
}

static void
readkernel(void)
{
  volatile char c = *(volatile char*)KERNADDR;

  (void)c;
}

// The kernel is mapped in every process's page table (memlayout.h), without
// PTE_U: its memory, devices, stacks and the trampoline stay out of user reach.
static void
writekernel(void)
{
  *(volatile char*)(KERNADDR + 0x10000) = 1;
}

static void
readdevice(void)
{
  volatile char c = *(volatile char*)UART0;

  (void)c;
}

static void
readkstack(void)
{
  volatile char c = *(volatile char*)(KSTACK(0) + PGSIZE);

  (void)c;
}

static void
runtrampoline(void)
{
  ((void (*)(void))TRAMPOLINE)();
}

static void
writetext(void)
{
  *(volatile int*)t_sbrk = 0;   // code pages are not writable
}

static void
badinstr(void)
{
  asm volatile(".word 0");      // an illegal instruction
}

static int
recurse(int n)
{
  volatile char pad[1024];

  pad[0] = n;
  return n == 0 ? 0 : recurse(n - 1) + pad[0];
}

static void
overflow(void)
{
  recurse(200);                 // far past the one-page stack, into the guard page
}

// Bad accesses end the process, never the kernel.
static void
t_faults(void)
{
  char *a = sbrk(0);

  sbrk(3 * PGSIZE);
  a[0] = a[2 * PGSIZE] = 1;
  sbrk(-3 * PGSIZE);
  freed = a + PGSIZE;
  expectkilled(readfreed, "read of freed memory");
  expectkilled(readkernel, "read of kernel memory");
  expectkilled(writekernel, "write to kernel memory");
  expectkilled(readdevice, "read of a device register");
  expectkilled(readkstack, "read of a kernel stack");
  expectkilled(runtrampoline, "jump into the trampoline");
  expectkilled(writetext, "write to program text");
  expectkilled(badinstr, "illegal instruction");
  expectkilled(overflow, "stack overflow");
}

// Lazy sbrk: pages appear when touched; fork and system calls see them.
static void
t_lazy(void)
{
  enum { SZ = 16 * MB };
  char *a, *p;
  long free0, used;
  int pid, st, fd;

  free0 = kstat(KSTAT_FREEPAGES);
  a = sbrklazy(SZ);
  CHECK(a != SBRK_ERROR, "sbrklazy failed");
  CHECK(free0 - kstat(KSTAT_FREEPAGES) < 64, "lazy sbrk allocated eagerly");
  for(p = a; p < a + SZ; p += 64 * PGSIZE)
    *p = 7;
  used = free0 - kstat(KSTAT_FREEPAGES);
  CHECK(used >= SZ / (64 * PGSIZE) && used < SZ / (64 * PGSIZE) + 64, "touched pages cost %ld", used);
  CHECK(a[PGSIZE] == 0 && a[SZ - 1] == 0, "untouched lazy memory is not zero");
  if((pid = fork()) == 0){
    if(a[0] != 7 || a[64 * PGSIZE] != 7 || a[5 * PGSIZE] != 0)
      exit(1);
    a[3 * PGSIZE] = 1;
    exit(0);
  }
  CHECK(wait(&st) == pid && st == 0, "child's view of lazy memory (status %d)", st);
  CHECK(a[3 * PGSIZE] == 0, "the child's write reached the parent");
  // a system call writes into and reads from untouched lazy pages
  writefile("ktlazy", 5000, 5, 5000);
  fd = open("ktlazy", O_RDONLY);
  CHECK(read(fd, a + 9 * PGSIZE + 100, 5000) == 5000, "read into lazy memory");
  close(fd);
  CHECK(checkpat(a + 9 * PGSIZE + 100, 4, 5, 0) < 0, "data read into lazy memory");
  fd = open("ktlazy", O_WRONLY|O_TRUNC);
  CHECK(write(fd, a + 11 * PGSIZE, 3 * PGSIZE) == 3 * PGSIZE, "write from lazy memory");
  close(fd);
  unlink("ktlazy");
  CHECK(sbrk(-SZ) == a + SZ, "shrink of lazy memory");
  CHECK(kstat(KSTAT_FREEPAGES) >= free0 - 12, "lazy pages not freed: %ld < %ld", kstat(KSTAT_FREEPAGES), free0);

  // user space ends at MAXUVA: lazy memory reaches it, and not a byte further
  uint64 top = (uint64)sbrk(0);
  int rest = (int)(MAXUVA - top);
  a = sbrklazy(rest);
  CHECK(a == (char*)top, "sbrklazy up to MAXUVA failed");
  a[rest - 1] = 9;                          // the last user page
  a[rest / 2] = 8;
  CHECK(a[rest - 1] == 9 && a[rest / 2] == 8 && a[rest - 2] == 0, "memory near MAXUVA");
  CHECK(sbrklazy(1) == SBRK_ERROR && sbrk(PGSIZE) == SBRK_ERROR, "grew past MAXUVA");
  CHECK(sbrk(-rest) == (char*)MAXUVA && sbrk(0) == (char*)top, "shrink from MAXUVA");
  CHECK(kstat(KSTAT_FREEPAGES) >= free0 - 12, "pages near MAXUVA not freed: %ld < %ld", kstat(KSTAT_FREEPAGES), free0);
}

// Grow until the kernel refuses; report the amount through a pipe.
static void
hog(int fd)
{
  long n = 0;

  while(sbrk(64 * KB) != SBRK_ERROR)
    n += 64 * KB;
  sbrk(0)[-1] = 1;                      // the memory got is usable
  write(fd, &n, sizeof(n));
}

// Running out of memory: sbrk fails with -1, the kernel keeps working while
// memory is short, and every page comes back afterwards.
static void
t_oom(void)
{
  int p[2], q[2], pid, st, fd;
  long free0, got = 0, free1;
  char c;

  free0 = kstat(KSTAT_FREEPAGES);
  CHECK(pipe(p) == 0 && pipe(q) == 0, "pipe");
  if((pid = fork()) == 0){
    hog(p[1]);
    read(q[0], &c, 1);                  // hold the memory until told
    exit(0);
  }
  CHECK(read(p[0], &got, sizeof(got)) == sizeof(got), "the hog died");
  CHECK(got > 16 * MB, "only %ld bytes before sbrk failed", got);
  // with memory exhausted, calls fail cleanly or succeed; nothing panics
  if((st = fork()) == 0)
    exit(0);
  if(st > 0)
    wait(0);
  fd = open("ktoom", O_CREATE|O_RDWR);
  if(fd >= 0){
    write(fd, buf, 4 * KB);
    close(fd);
    unlink("ktoom");
  }
  write(q[1], "x", 1);
  CHECK(wait(&st) == pid && st == 0, "hog exit status %d", st);
  close(p[0]); close(p[1]); close(q[0]); close(q[1]);
  free1 = kstat(KSTAT_FREEPAGES);
  CHECK(free1 >= free0 - 2, "pages lost: %ld before, %ld after", free0, free1);
}

static void
lazyhog(void)
{
  char *a = sbrklazy(0x7ff00000);      // ~2 GiB of address space
  char *p;

  if(a == SBRK_ERROR)
    a = sbrklazy(512 * MB);
  if(a == SBRK_ERROR)
    exit(0);                            // refusing is also fine
  for(p = a; ; p += PGSIZE)
    *p = 1;                             // eventually the kernel must kill us
}

// Touching lazy pages until memory runs out kills the process, not the kernel.
static void
t_lazyoom(void)
{
  long free0 = kstat(KSTAT_FREEPAGES), free1;
  int st;

  st = inchild(lazyhog);
  free1 = kstat(KSTAT_FREEPAGES);
  CHECK(st != 0 || free1 >= free0 - 2, "lazy hog exit status %d", st);
  CHECK(free1 >= free0 - 2, "pages lost: %ld before, %ld after", free0, free1);
}
// ---------------------------------------------------------------- bad arguments

// Addresses no system call may use: null, all ones, the kernel, the trampoline
// and trapframe (mapped, but not for the user), a hole above the heap, and the
// guard page below the one-page stack.
static uint64 badaddrs[10];
#define NBAD (sizeof(badaddrs) / sizeof(badaddrs[0]))

static void
setbadaddrs(void)
{
  badaddrs[0] = 0;
  badaddrs[1] = ALLONES;
  badaddrs[2] = KERNADDR;
  badaddrs[3] = TRAMPOLINE;
  badaddrs[4] = TRAPFRAME;
  badaddrs[5] = (uint64)sbrk(0) + 64 * PGSIZE;   // unmapped user address
  badaddrs[6] = PGROUNDDOWN(r_sp()) - PGSIZE;     // the stack's guard page
  badaddrs[7] = UART0;                            // a device, kernel-mapped
  badaddrs[8] = KSTACK(0);                        // a kernel stack
  badaddrs[9] = MAXUVA;                           // just past user space
}

// Pointers into memory the kernel must not write (address 0 is program text:
// readable, so it is a valid source but not a valid destination).
static void
t_badread(void)
{
  int i, fd, p[2];

  setbadaddrs();
  writefile("ktbad", 100, 6, 100);
  fd = open("ktbad", O_RDONLY);
  CHECK(pipe(p) == 0, "pipe");
  for(i = 0; i < NBAD; i++){
    CHECK(read(fd, (void*)badaddrs[i], 10) == -1, "file read into %p", (void*)badaddrs[i]);
    write(p[1], "abc", 3);
    CHECK(read(p[0], (void*)badaddrs[i], 3) == -1, "pipe read into %p", (void*)badaddrs[i]);
    read(p[0], buf, 3);                 // drain whatever is left
    CHECK(pipe((int*)badaddrs[i]) == -1, "pipe(%p)", (void*)badaddrs[i]);
    CHECK(fstat(fd, (struct stat*)badaddrs[i]) == -1, "fstat into %p", (void*)badaddrs[i]);
  }
  CHECK(read(fd, buf, -1) == -1 && read(fd, buf, -4096) == -1, "negative read length");
  CHECK(read(p[0], buf, -1) == -1, "negative pipe read length");
  close(fd);
  close(p[0]);
  close(p[1]);
  unlink("ktbad");
}

static void
t_badwrite(void)
{
  int i, fd, p[2];

  setbadaddrs();
  fd = open("ktbadw", O_CREATE|O_RDWR);
  CHECK(fd >= 0 && pipe(p) == 0, "open/pipe");
  for(i = 1; i < NBAD; i++){            // (address 0 is readable text)
    CHECK(write(fd, (void*)badaddrs[i], 10) == -1, "file write from %p", (void*)badaddrs[i]);
    CHECK(write(p[1], (void*)badaddrs[i], 10) == -1, "pipe write from %p", (void*)badaddrs[i]);
    CHECK(write(1, (void*)badaddrs[i], 10) <= 0, "console write from %p", (void*)badaddrs[i]);
  }
  CHECK(write(fd, buf, -1) == -1 && write(p[1], buf, -100) == -1, "negative write length");
  // a huge length from a small buffer runs into unmapped memory: no panic
  write(fd, buf, 0x7fffffff);
  close(fd);
  close(p[0]);
  close(p[1]);
  unlink("ktbadw");
}

// Path arguments: bad pointers and strings that run off the end of memory.
static void
t_badpath(void)
{
  int i;
  char *end, *s;

  setbadaddrs();
  for(i = 1; i < NBAD; i++){
    s = (char*)badaddrs[i];
    CHECK(open(s, O_RDONLY) == -1 && open(s, O_CREATE|O_RDWR) == -1, "open(%p)", s);
    CHECK(mkdir(s) == -1 && chdir(s) == -1 && unlink(s) == -1, "mkdir/chdir/unlink(%p)", s);
    CHECK(link(s, "ktl") == -1 && link("/echo", s) == -1, "link with %p", s);
    CHECK(mknod(s, 1, 0) == -1, "mknod(%p)", s);
    CHECK(exec(s, (char*[]){ "x", 0 }) == -1, "exec(%p)", s);
  }
  // an unterminated name at the very end of the heap
  end = sbrk(PGSIZE);
  CHECK(end != SBRK_ERROR, "sbrk");
  end += PGSIZE;
  s = end - 8;
  memset(s, 'z', 8);
  CHECK(open(s, O_CREATE|O_RDWR) == -1, "open of an unterminated name");
  CHECK(mkdir(s) == -1 && unlink(s) == -1 && chdir(s) == -1, "unterminated name");
  CHECK(link("/echo", s) == -1, "link to an unterminated name");
  CHECK(exec(s, (char*[]){ "x", 0 }) == -1, "exec of an unterminated name");
  unlink("ktl");
}

// exec's argument vector: bad pointers, too many and too long arguments.
static void
t_badexec(void)
{
  char *argv[MAXARG+8], *big;
  int i;

  setbadaddrs();
  for(i = 1; i < NBAD; i++){
    CHECK(exec("/echo", (char**)badaddrs[i]) == -1, "exec with argv %p", (void*)badaddrs[i]);
    argv[0] = "echo";
    argv[1] = (char*)badaddrs[i];
    argv[2] = 0;
    CHECK(exec("/echo", argv) == -1, "exec with argv[1] = %p", argv[1]);
  }
  for(i = 0; i < MAXARG + 7; i++)
    argv[i] = "many";
  argv[MAXARG + 7] = 0;
  CHECK(exec("/echo", argv) == -1, "exec with %d arguments", MAXARG + 7);
  // arguments that cannot fit on the user stack
  big = sbrk(2 * KB);
  memset(big, 'b', 2 * KB - 1);
  big[2 * KB - 1] = 0;
  for(i = 0; i < 10; i++)
    argv[i] = big;
  argv[10] = 0;
  CHECK(exec("/echo", argv) == -1, "exec with 20 KiB of arguments");
}

// Write an executable with one program header (vaddr, filesz, memsz, offset)
// and the given entry point.
static void
writeelf(const char *name, uint64 *ph4, uint64 entry)
{
  struct elfhdr eh;
  struct proghdr ph;
  int fd;

  memset(&eh, 0, sizeof(eh));
  memset(&ph, 0, sizeof(ph));
  eh.magic = ELF_MAGIC;
  eh.phoff = sizeof(eh);
  eh.phnum = 1;
  eh.phentsize = sizeof(ph);
  eh.entry = entry;
  ph.type = ELF_PROG_LOAD;
  ph.flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_EXEC;
  ph.vaddr = ph4[0];
  ph.filesz = ph4[1];
  ph.memsz = ph4[2];
  ph.off = ph4[3];
  if(ph4[3] == ALLONES){          // two special cases: a bad magic number...
    eh.magic = 0x12345678;
    ph.off = 0;
  } else if(ph4[3] == ALLONES - 1){  // ...and program headers past the end
    eh.phoff = 1 << 30;
    ph.off = 0;
  }
  fd = open(name, O_CREATE|O_WRONLY|O_TRUNC);
  CHECK(fd >= 0, "create %s", name);
  write(fd, &eh, sizeof(eh));
  write(fd, &ph, sizeof(ph));
  memset(buf, 0, 4096);
  write(fd, buf, 4096);
  close(fd);
}

// Broken executables are refused with -1.
static void
t_badelf(void)
{
  char *argv[] = { "ktelf", 0 };
  int i;
  uint64 okph[4] = { 0, 0, PGSIZE, 0 };
  uint64 cases[][4] = {        // vaddr, filesz, memsz, offset
    { 0, 100, 50, 64 + 56 },           // memsz < filesz
    { ALLONES - 4095, 0, 8192, 0 },    // vaddr + memsz wraps
    { 100, 10, 10, 0 },                // vaddr not page-aligned
    { TRAPFRAME, 0, PGSIZE, 0 },       // over the trapframe
    { 0, 1 << 30, 1 << 30, 0 },        // file smaller than filesz
    { 0, 10, 10, ALLONES },            // no ELF magic
    { 0, 10, 10, ALLONES - 1 },        // program headers past the end
  };

  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++){
    writeelf("ktelf", cases[i], 0);
    CHECK(exec("ktelf", argv) == -1, "exec of bad ELF case %d", i);
  }
  // an entry point outside the program: exec refuses, or the process dies
  writeelf("ktelf", okph, ALLONES);
  if(fork() == 0){
    exec("ktelf", argv);
    exit(0);
  }
  wait(0);
  unlink("ktelf");
}

// wait with a bad status pointer fails, and the child can still be reaped.
static void
t_badwait(void)
{
  int i, pid;

  setbadaddrs();
  for(i = 1; i < NBAD; i++){
    if((pid = fork()) == 0)
      exit(3);
    CHECK(pid > 0, "fork");
    CHECK(wait((int*)badaddrs[i]) == -1, "wait(%p) succeeded", (void*)badaddrs[i]);
    // the child is either still waiting to be reaped or already gone
    CHECK(wait(0) == pid || wait(0) == -1, "child lost after the failed wait");
  }
}

// waitpid: one child or any; WNOHANG polls; bad arguments fail.
static void
t_waitpid(void)
{
  int p[2], a, b, st = 0;
  char c;

  CHECK(pipe(p) == 0, "pipe");
  if((a = fork()) == 0){
    read(p[0], &c, 1);                  // runs until told
    exit(3);
  }
  if((b = fork()) == 0)
    exit(4);
  CHECK(a > 0 && b > 0, "fork");
  CHECK(waitpid(a, &st, WNOHANG) == 0, "WNOHANG on a running child did not return 0");
  CHECK(waitpid(b, &st, 0) == b && st == 4, "waitpid(b): status %d", st);
  CHECK(waitpid(b, &st, WNOHANG) == -1, "a reaped child was found again");
  CHECK(waitpid(getpid(), &st, WNOHANG) == -1, "waitpid of itself");
  CHECK(waitpid(a, &st, 2) == -1 && waitpid(0, &st, 0) == -1 && waitpid(-7, &st, 0) == -1,
        "bad pid or options accepted");
  write(p[1], "x", 1);
  CHECK(waitpid(-1, (int*)KERNADDR, 0) == -1, "bad status pointer accepted");
  CHECK(waitpid(-1, &st, 0) == a && st == 3, "waitpid(-1) after a failed one: status %d", st);
  CHECK(waitpid(-1, &st, WNOHANG) == -1 && wait(0) == -1, "children left over");
  close(p[0]);
  close(p[1]);
}

// fork shares read-only pages (the program's text) instead of copying them,
// and an exiting process gives its memory back before it is reaped.
static void
t_forkshare(void)
{
  int p[2], q[2], pid, st;
  long free0, during, zombie;
  long pages = ((uint64)sbrk(0) + PGSIZE - 1) / PGSIZE;
  char c;

  CHECK(pipe(p) == 0 && pipe(q) == 0, "pipe");
  free0 = kstat(KSTAT_FREEPAGES);
  if((pid = fork()) == 0){
    write(q[1], "r", 1);
    read(p[0], &c, 1);
    exit(5);
  }
  CHECK(pid > 0 && read(q[0], &c, 1) == 1, "child did not start");
  during = free0 - kstat(KSTAT_FREEPAGES);
  // a full copy costs every page of the image plus its page tables; the text
  // (about 10 pages of this program) is shared
  CHECK(during + 4 <= pages, "the child costs %ld pages, the parent has %ld", during, pages);
  write(p[1], "x", 1);
  close(p[1]);
  sleep(2);                             // let it exit; not yet reaped
  zombie = free0 - kstat(KSTAT_FREEPAGES);
  CHECK(zombie <= 4, "a zombie holds %ld pages", zombie);
  CHECK(wait(&st) == pid && st == 5, "status %d", st);
  CHECK(kstat(KSTAT_FREEPAGES) >= free0 - 1, "pages lost: %ld before, %ld after", free0, kstat(KSTAT_FREEPAGES));
  close(p[0]);
  close(q[0]);
  close(q[1]);
}
// Remove path and, if it is a directory, everything below it.
static void
rmtree(char *path)
{
  char sub[MAXPATH];
  struct dirent de;
  struct stat st;
  int fd, n = strlen(path);

  if(stat(path, &st) < 0)
    return;
  if(st.type == T_DIR && n + DIRSIZ + 2 <= sizeof(sub) && (fd = open(path, O_RDONLY)) >= 0){
    while(read(fd, &de, sizeof(de)) == sizeof(de)){
      if(de.inum == 0 || strcmp(de.name, ".") == 0 || strcmp(de.name, "..") == 0)
        continue;
      strcpy(sub, path);
      sub[n] = '/';
      memmove(sub + n + 1, de.name, DIRSIZ);
      sub[n + 1 + DIRSIZ] = 0;
      rmtree(sub);
    }
    close(fd);
  }
  unlink(path);
}

// ---------------------------------------------------------------- rename

// rename: files and directories, within and across directories; a file or an
// empty directory replaced; ".." and the parents' link counts follow a moved
// directory. Refused: a missing source, ".", "..", the root, a directory into
// its own subtree, over a non-empty directory, a file over a directory and
// back, into a removed directory, bad pointers and over-long paths.
static void
t_rename(void)
{
  struct stat a, b;
  int fd, i;
  char longp[MAXPATH+40], *s;

  writefile("rf1", 3000, 11, 3000);
  CHECK(stat("rf1", &a) == 0, "stat rf1");
  CHECK(rename("rf1", "rf2") == 0, "rename of a file failed");
  CHECK(open("rf1", O_RDONLY) == -1, "the old name is still there");
  checkfile("rf2", 3000, 11, 4096);
  CHECK(stat("rf2", &b) == 0 && b.ino == a.ino && b.nlink == 1, "ino %d->%d nlink %d", a.ino, b.ino, b.nlink);

  writefile("rf3", 500, 12, 500);
  fd = open("rf3", O_RDONLY);             // the replaced file stays readable while open
  CHECK(rename("rf2", "rf3") == 0, "rename over a file failed");
  checkfile("rf3", 3000, 11, 4096);
  CHECK(open("rf2", O_RDONLY) == -1, "rf2 is still there");
  CHECK(read(fd, buf, 600) == 500 && checkpat(buf, 500, 12, 0) < 0, "the replaced file's data");
  close(fd);

  CHECK(link("rf3", "rf4") == 0 && rename("rf3", "rf4") == 0, "rename between two links");
  CHECK(stat("rf3", &a) == 0 && stat("rf4", &b) == 0 && a.ino == b.ino && a.nlink == 2,
        "two links after renaming one onto the other: nlink %d", a.nlink);
  CHECK(rename("rf3", "rf3") == 0 && unlink("rf4") == 0, "rename onto itself");

  CHECK(mkdir("rda") == 0 && mkdir("rdb") == 0 && mkdir("rda/sub") == 0, "mkdir");
  writefile("rda/sub/f", 100, 13, 100);
  CHECK(rename("rda/sub", "rdb/moved") == 0, "a directory across parents");
  CHECK(stat("rda", &a) == 0 && stat("rdb", &b) == 0 && a.nlink == 1 && b.nlink == 2,
        "the parents' nlink after a move: %d %d", a.nlink, b.nlink);
  checkfile("rdb/moved/f", 100, 13, 100);
  CHECK(stat("rdb/moved/..", &a) == 0 && stat("rdb", &b) == 0 && a.ino == b.ino, "\"..\" of the moved directory");
  CHECK(rename("rdb/moved", "rdb/moved2") == 0 && stat("rdb", &b) == 0 && b.nlink == 2,
        "a directory renamed in place: nlink %d", b.nlink);

  CHECK(rename("rdb", "rdb/moved2/x") == -1, "a directory moved into its own subtree");
  CHECK(rename("rdb", "rdb/x") == -1, "a directory moved into itself");
  CHECK(rename("rdb/moved2/f", "rdb") == -1, "a file over its own directory's parent");
  CHECK(rename("rf3", "rdb") == -1 && rename("rdb", "rf3") == -1, "a file over a directory or back");
  CHECK(rename("rdb", "rda/..") == -1, "onto \"..\"");
  CHECK(mkdir("rdc") == 0 && rename("rdb", "rdc") == 0, "a directory over an empty one");
  CHECK(stat("rdc/moved2/f", &a) == 0 && open("rdb", O_RDONLY) == -1, "after replacing a directory");
  CHECK(rename("rda", "rdc") == -1, "over a non-empty directory");
  CHECK(stat(".", &a) == 0 && a.nlink == 3, "ktdir's nlink %d after replacing a directory", a.nlink);

  CHECK(rename("rnone", "rx") == -1 && rename("rnodir/f", "rx") == -1, "a missing source");
  CHECK(rename("rf3", "rnodir/x") == -1 && rename("rf3", "rf3/x") == -1, "into a missing directory or a file");
  CHECK(rename(".", "rx") == -1 && rename("..", "rx") == -1 && rename("rdc/.", "rx") == -1,
        "rename of . or ..");
  CHECK(rename("rf3", ".") == -1 && rename("rf3", "..") == -1 && rename("rf3", "rdc/.") == -1,
        "rename onto . or ..");
  CHECK(rename("/", "rx") == -1 && rename("rf3", "/") == -1, "rename of or onto the root");
  CHECK(rename("", "rx") == -1 && rename("rf3", "") == -1, "empty paths");

  setbadaddrs();
  for(i = 1; i < NBAD; i++){
    s = (char*)badaddrs[i];
    CHECK(rename(s, "rx") == -1 && rename("rf3", s) == -1, "rename with %p", s);
  }
  memset(longp, 'a', sizeof(longp) - 1);  // no room for it in MAXPATH
  longp[sizeof(longp) - 1] = 0;
  CHECK(rename(longp, "rx") == -1 && rename("rf3", longp) == -1, "a path longer than MAXPATH");
  s = sbrk(PGSIZE) + PGSIZE - 8;          // unterminated, at the very end of the heap
  memset(s, 'z', 8);
  CHECK(rename(s, "rx") == -1 && rename("rf3", s) == -1, "an unterminated name");

  CHECK(mkdir("rgone") == 0 && chdir("rgone") == 0 && unlink("../rgone") == 0, "remove the cwd");
  CHECK(rename("/ktdir/rf3", "x") == -1, "rename into a removed directory");
  CHECK(chdir("/ktdir") == 0, "chdir back");
  checkfile("rf3", 3000, 11, 4096);

  CHECK(unlink("rf3") == 0 && unlink("rdc/moved2/f") == 0 && unlink("rdc/moved2") == 0 &&
        unlink("rdc") == 0 && unlink("rda") == 0, "clean up");
}

// Renames racing each other across two directories in opposite directions,
// and creates and unlinks of the same names: no deadlock, and every file is
// still in exactly one place afterwards.
static void
t_renamerace(void)
{
  enum { N = 60 };
  char *from[] = { "rr1/a", "rr2/b", "rr1/d" }, *to[] = { "rr2/a", "rr1/b", "rr2/d" };
  int i, j, st, fd, n;
  struct stat x, y;

  CHECK(mkdir("rr1") == 0 && mkdir("rr2") == 0 && mkdir("rr1/d") == 0, "mkdir");
  writefile("rr1/a", 10, 1, 10);
  writefile("rr2/b", 10, 2, 10);
  for(i = 0; i < 3; i++){
    if(fork() == 0){
      for(j = 0; j < N; j++){
        if(i < 2){   // one file each way, and the directory back and forth
          rename(from[i], to[i]);
          rename(to[i], from[i]);
          rename(j % 2 ? to[2] : from[2], j % 2 ? from[2] : to[2]);
        } else {     // a third name comes and goes in both directories
          close(open(j % 2 ? "rr1/c" : "rr2/c", O_CREATE|O_RDWR));
          rename(j % 2 ? "rr1/c" : "rr2/c", j % 2 ? "rr2/a" : "rr1/b");
          unlink(j % 2 ? "rr1/c" : "rr2/c");
        }
      }
      exit(0);
    }
  }
  for(i = 0; i < 3; i++)
    CHECK(wait(&st) > 0 && st == 0, "a racing process failed (status %d)", st);
  n = (stat("rr1/d", &x) == 0) + (stat("rr2/d", &y) == 0);
  CHECK(n == 1, "the directory is in %d places", n);
  CHECK(stat("rr1", &x) == 0 && stat("rr2", &y) == 0 && x.nlink + y.nlink == 3,
        "the parents' nlink %d + %d, want 3", x.nlink, y.nlink);
  for(i = 0; i < 2; i++){
    fd = open(i ? "rr1/b" : "rr2/a", O_RDONLY);
    if(fd < 0)
      fd = open(i ? "rr2/b" : "rr1/a", O_RDONLY);
    CHECK(fd >= 0, "a racing file is gone");
    close(fd);
  }
  rmtree("rr1");
  rmtree("rr2");
}

// ---------------------------------------------------------------- random mix

static uint64 seed;

static uint
rnd(void)
{
  seed = seed * 6364136223846793005UL + 1442695040888963407UL;
  return seed >> 33;
}

static char *heapbase;

// sbrk(n), but never below where the heap started.
static void
grow(int n)
{
  if(n < 0 && sbrk(0) + n < heapbase)
    n = heapbase - sbrk(0);
  sbrk(n);
}

// One random operation on the shared names a, b and d (in /ktdir/ktmix).
static void
randomop(int *fd)
{
  static char *names[] = { "a", "b", "d/a", "d", "../ktmix/b", "d/../a" };
  char *n = names[rnd() % 6], *m = names[rnd() % 6], *mem;
  int pid, p[2];

  switch(rnd() % 12){
  case 0: close(open(n, O_CREATE|O_RDWR)); break;
  case 1: unlink(n); break;
  case 2: link(n, m); break;
  case 3: mkdir(n); break;
  case 4: close(*fd); *fd = open(n, rnd() % 2 ? O_RDWR : O_RDONLY); break;
  case 5: write(*fd, buf, rnd() % 3000); break;
  case 6: read(*fd, buf, rnd() % 3000); break;
  case 7:
    if((pid = fork()) == 0)
      exit(0);
    if(pid > 0 && rnd() % 2)
      kill(pid);
    wait(0);
    break;
  case 8:
    if(pipe(p) < 0)
      break;
    if((pid = fork()) == 0){
      write(p[1], buf, rnd() % 2000);
      exit(0);
    }
    close(p[1]);
    while(read(p[0], buf, 1000) > 0)
      ;
    close(p[0]);
    wait(0);
    break;
  case 9: grow(rnd() % 3 == 0 ? -(int)(rnd() % 20000) : (int)(rnd() % 20000)); break;
  case 10: chdir(rnd() % 2 ? "d" : "/ktdir/ktmix"); break;
  case 11:
    if((mem = sbrklazy(rnd() % 50000 + 100)) != SBRK_ERROR)
      mem[rnd() % 100] = 1;
    break;
  }
}

// Three processes issue random system calls on the same names; afterwards the
// file system must still work and nothing may be left in a bad state.
static void
t_random(void)
{
  int i, j, fd, st;

  heapbase = sbrk(0);

  CHECK(mkdir("ktmix") == 0 && chdir("ktmix") == 0, "mkdir");
  for(i = 0; i < 3; i++){
    if(fork() == 0){
      seed = 12345 + i * 777;
      fd = -1;
      for(j = 0; j < 600; j++){
        randomop(&fd);
        if(sbrk(0) > heapbase + 2 * MB)  // keep the heap modest
          sbrk(-(sbrk(0) - heapbase));
      }
      exit(0);
    }
  }
  for(i = 0; i < 3; i++)
    CHECK(wait(&st) > 0 && st == 0, "a random process failed (status %d)", st);
  chdir("/ktdir");
  rmtree("ktmix");
  CHECK(open("ktmix", O_RDONLY) < 0, "ktmix could not be removed");
}

// ---------------------------------------------------------------- hostile programs
// Each of these broke the kernel once (a panic, a leak or a hang); they stay as
// regressions. The leak checks count free disk blocks and inodes (kstat); a
// test that checks them works in a directory of its own, removed before the
// count, since a directory keeps the blocks it grew into.

static long blocks0, inodes0;

// Note the free blocks and inodes, then work in a new directory dir.
static void
leakcheck_begin(char *dir)
{
  blocks0 = kstat(KSTAT_FREEBLOCKS);
  inodes0 = kstat(KSTAT_FREEINODES);
  CHECK(mkdir(dir) == 0 && chdir(dir) == 0, "mkdir/chdir %s", dir);
}

// Leave and remove dir; every block and inode must be free again.
static void
leakcheck_end(char *dir)
{
  CHECK(chdir("/ktdir") == 0, "chdir back");
  rmtree(dir);
  CHECK(kstat(KSTAT_FREEINODES) == inodes0, "inodes leaked: %ld free before, %ld after",
        inodes0, kstat(KSTAT_FREEINODES));
  CHECK(kstat(KSTAT_FREEBLOCKS) == blocks0, "blocks leaked: %ld free before, %ld after",
        blocks0, kstat(KSTAT_FREEBLOCKS));
}

// A removed directory that is still the current directory: ".." no longer names
// its (possibly freed) parent, and nothing can be created in it, since no name
// would reach what was created.
static void
t_deaddir(void)
{
  struct stat st;
  int fd;

  leakcheck_begin("ktdead");
  writefile("ktdf", 100, 7, 100);
  CHECK(mkdir("ktdd") == 0 && mkdir("ktdd/b") == 0, "mkdir");
  CHECK(chdir("ktdd/b") == 0, "chdir");
  CHECK(unlink("/ktdir/ktdead/ktdd/b") == 0 && unlink("/ktdir/ktdead/ktdd") == 0,
        "rmdir of cwd and parent");
  CHECK(open("..", O_RDONLY) == -1, "open(\"..\") in a removed directory");
  CHECK(chdir("..") == -1, "chdir(\"..\") in a removed directory");
  CHECK(open("../..", O_RDONLY) == -1, "open(\"../..\") in a removed directory");
  CHECK(open("y", O_CREATE|O_RDWR) == -1, "create in a removed directory");
  CHECK(mkdir("z") == -1, "mkdir in a removed directory");
  CHECK(mknod("n", 1, 1) == -1, "mknod in a removed directory");
  CHECK(link("/ktdir/ktdead/ktdf", "l") == -1, "link into a removed directory");
  CHECK(rename("/ktdir/ktdead/ktdf", "r") == -1, "rename into a removed directory");
  CHECK((fd = open(".", O_RDONLY)) >= 0 && fstat(fd, &st) == 0 && st.nlink == 0,
        "the removed directory itself");
  close(fd);
  // a directory renamed over an empty current directory: the same for the old one
  CHECK(mkdir("/ktdir/ktdead/x") == 0 && mkdir("/ktdir/ktdead/y") == 0, "mkdir x, y");
  CHECK(chdir("/ktdir/ktdead/x") == 0, "chdir x");
  CHECK(rename("/ktdir/ktdead/y", "/ktdir/ktdead/x") == 0, "rename y over the empty cwd");
  CHECK(open("..", O_RDONLY) == -1 && mkdir("z") == -1, "the replaced cwd");
  leakcheck_end("ktdead");
}

// A write whose source runs into unmapped memory partway: writei had already
// allocated the blocks for the rest of the write (up to 16, and an index block)
// and left them past the file's end. Exactly the blocks the written size needs
// may stay allocated: at the start of a file, and where a new index block of
// the doubly-indirect range begins.
static void
t_badwritetail(void)
{
  char *p = sbrk(0), *end;
  long pad = PGROUNDUP((uint64)p) - (uint64)p, before;
  int fd, n, at = (NDIRECT + NINDIRECT) * BSIZE;   // the first doubly-indirect block

  CHECK(sbrk(pad + PGSIZE) != SBRK_ERROR, "sbrk");
  end = p + pad + PGSIZE;                 // page aligned: nothing mapped past it
  memset(end - PGSIZE, 7, PGSIZE);
  leakcheck_begin("kttail");
  before = kstat(KSTAT_FREEBLOCKS);
  CHECK((fd = open("f", O_CREATE|O_RDWR)) >= 0, "create");
  n = write(fd, end - 3000, 64 * KB);
  CHECK(n > 0 && n < 3000, "a write running off memory returned %d", n);
  CHECK(before - kstat(KSTAT_FREEBLOCKS) == (n + BSIZE - 1) / BSIZE,
        "%ld blocks allocated for %d bytes", before - kstat(KSTAT_FREEBLOCKS), n);
  // grow the file to the doubly-indirect range, then the same there
  for(int off = n; off < at; off += n)
    CHECK((n = write(fd, buf, at - off < sizeof(buf) ? at - off : sizeof(buf))) > 0, "write");
  before = kstat(KSTAT_FREEBLOCKS);
  n = write(fd, end - 3000, 64 * KB);
  CHECK(n > 0 && n < 3000, "a write running off memory returned %d", n);
  // data blocks, plus the index blocks of the doubly-indirect tree (top and first leaf)
  CHECK(before - kstat(KSTAT_FREEBLOCKS) == (n + BSIZE - 1) / BSIZE + 2,
        "%ld blocks allocated for %d bytes in a new index block", before - kstat(KSTAT_FREEBLOCKS), n);
  close(fd);
  leakcheck_end("kttail");
  sbrk(-(pad + PGSIZE));
}

// init must never exit: kill(1) is refused, and init is still there.
static void
t_killinit(void)
{
  CHECK(kill(1) == -1, "kill(1) was accepted");
  pause(2);
  CHECK(kstat(KSTAT_NPROC) >= 2, "processes");
}

// A name count at its limit: link and mkdir refuse the next name instead of
// wrapping the 16-bit count (which made unlink refuse, or freed a named file).
static void
t_linkmax(void)
{
  char name[32];
  struct stat st;
  int d, i, w, n, fd, pid, st2;
  enum { PERDIR = 512, WORKERS = 4 };

  leakcheck_begin("ktlm");
  writefile("f", 10, 8, 10);
  // LINK_MAX - 1 more names, in directories of PERDIR (no directory scan gets
  // long), by WORKERS processes at once (they share commits)
  n = (LINK_MAX - 1 + PERDIR - 1) / PERDIR;
  for(d = 0; d < n; d++){
    snprintf(name, sizeof(name), "d%d", d);
    CHECK(mkdir(name) == 0, "mkdir %s", name);
  }
  for(w = 0; w < WORKERS; w++){
    if((pid = fork()) == 0){
      for(i = w; i < LINK_MAX - 1; i += WORKERS){
        snprintf(name, sizeof(name), "d%d/%d", i / PERDIR, i % PERDIR);
        if(link("f", name) != 0){
          printf("  linkmax: link number %d (%s) failed\n", i + 2, name);
          exit(1);
        }
      }
      exit(0);
    }
  }
  for(w = 0; w < WORKERS; w++)
    CHECK(wait(&st2) > 0 && st2 == 0, "a linker failed");
  CHECK(stat("f", &st) == 0 && st.nlink == LINK_MAX, "nlink %d, want %d", st.nlink, LINK_MAX);
  CHECK(link("f", "x") == -1, "a link past LINK_MAX was made");
  CHECK(stat("f", &st) == 0 && st.nlink == LINK_MAX, "nlink %d after a refused link", st.nlink);
  CHECK(unlink("f") == 0, "unlink at LINK_MAX");
  CHECK((fd = open("d0/0", O_RDONLY)) >= 0 && read(fd, buf, 10) == 10 &&
        checkpat(buf, 10, 8, 0) < 0, "the file after unlink");
  close(fd);
  CHECK(link("d0/0", "x") == 0, "link below LINK_MAX again");
  CHECK(stat("x", &st) == 0 && st.nlink == LINK_MAX, "nlink %d", st.nlink);
  leakcheck_end("ktlm");
}

// The same limit on an image made for it (Tests/integration/test_kernel.py,
// test_link_max): /ktlm/f already has LINK_MAX names, its links in
// /ktlm/d0 .. /ktlm/d63 (512 a directory). Leaves the tree as it found it.
static void
t_linkfull(void)
{
  struct stat st;

  CHECK(stat("/ktlm/f", &st) == 0, "/ktlm/f missing: boot the image test_link_max makes");
  CHECK(st.nlink == LINK_MAX, "nlink %d, want %d", st.nlink, LINK_MAX);
  CHECK(link("/ktlm/f", "/ktlm/x") == -1, "a link past LINK_MAX was made");
  CHECK(stat("/ktlm/f", &st) == 0 && st.nlink == LINK_MAX, "nlink %d after a refused link", st.nlink);
  CHECK(unlink("/ktlm/d0/0") == 0, "unlink at LINK_MAX");
  CHECK(stat("/ktlm/f", &st) == 0 && st.nlink == LINK_MAX - 1, "nlink %d after unlink", st.nlink);
  CHECK(link("/ktlm/d1/1", "/ktlm/d0/0") == 0, "link below LINK_MAX");
  CHECK(link("/ktlm/f", "/ktlm/x") == -1, "a second link past LINK_MAX");
  CHECK(rename("/ktlm/d1/5", "/ktlm/y") == 0 && rename("/ktlm/y", "/ktlm/d1/5") == 0,
        "rename keeps the count");
  CHECK(stat("/ktlm/d1/5", &st) == 0 && st.nlink == LINK_MAX, "nlink %d after renames", st.nlink);
}

// Busy-wait about n loop turns (to vary where a kill lands).
static void
spinfor(int n)
{
  volatile int i;

  for(i = 0; i < n; i++)
    ;
}

// Kill a child right as it goes to sleep, many times at different moments:
// a kill that lands between the child's check of its killed flag and its
// sleep used to be lost, and the child slept until the next event (for ever on
// a pipe nobody writes). Each victim must be gone within a second.
static void
killrace(void (*victim)(int), int fd, const char *what)
{
  int i, pid, st, t0, r;

  for(i = 0; i < 200; i++){
    if((pid = fork()) == 0){
      victim(fd);
      exit(0);
    }
    CHECK(pid > 0, "fork");
    spinfor((i * 37) % 4000);
    CHECK(kill(pid) == 0, "kill");
    t0 = uptime();
    while((r = waitpid(pid, &st, WNOHANG)) == 0 && uptime() - t0 < 100)
      pause(1);
    CHECK(r == pid, "%s: killed child %d still there after %d ticks (round %d)",
          what, pid, uptime() - t0, i);
  }
}

static void
readpipe(int fd)
{
  read(fd, buf, 1);
}

static void
writepipe(int fd)
{
  for(;;)
    write(fd, buf, sizeof(buf));
}

static void
waitchild(int fd)
{
  if(fork() == 0)
    pause(20);   // orphaned when its parent is killed: init reaps it
  wait(0);
}

static void
t_killrace(void)
{
  int p[2];

  CHECK(pipe(p) == 0, "pipe");
  killrace(readpipe, p[0], "read of an empty pipe");
  killrace(waitchild, 0, "wait");
  close(p[0]);
  CHECK(pipe(p) == 0, "pipe");
  killrace(writepipe, p[1], "write to a full pipe");
  close(p[0]);
  close(p[1]);
}

// O_NONBLOCK on a pipe: an empty pipe's read and a full pipe's write return
// -1 (EAGAIN) at once instead of waiting (they used to block).
static void
pipenonblock(void)
{
  int p[2], n, total = 0;

  CHECK(pipe(p) == 0, "pipe");
  CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 && fcntl(p[1], F_SETFL, O_NONBLOCK) == 0,
        "fcntl(F_SETFL, O_NONBLOCK)");
  CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0, "F_GETFL lost O_NONBLOCK");
  CHECK(read(p[0], buf, 10) == -1 && errno == EAGAIN, "read of an empty pipe: errno %d", errno);
  while((n = write(p[1], buf, 100)) > 0)
    total += n;
  CHECK(n == -1 && errno == EAGAIN, "write to a full pipe: %d, errno %d", n, errno);
  CHECK(total >= 400 && total < 64 * KB, "%d bytes fit", total);
  CHECK(read(p[0], buf, sizeof(buf)) > 0, "read of a full pipe");
  CHECK(write(p[1], buf, 10) == 10, "write after a read");
  CHECK(fcntl(p[1], F_SETFL, 0) == 0, "back to blocking");
  close(p[1]);
  while((n = read(p[0], buf, sizeof(buf))) > 0)
    ;
  CHECK(n == 0, "end of file on a nonblocking pipe: %d", n);
  close(p[0]);
}

static void
t_pipenonblock(void)
{
  int pid, st = 0, t0 = uptime();

  if((pid = fork()) == 0){
    pipenonblock();
    exit(0);
  }
  while(waitpid(pid, &st, WNOHANG) == 0){
    if(uptime() - t0 > 200){
      kill(pid);
      wait(0);
      fail("a nonblocking pipe call blocked");
    }
    pause(1);
  }
  CHECK(st == 0, "nonblocking pipe checks failed");
}

// O_TRUNC of a big file (many transactions to free) by two processes at once,
// while a third writes it from the start. Truncation used to drop the file's
// lock between its transactions: the other truncator then freed what the
// first was still walking (blocks freed twice), and the writer put blocks
// into index blocks about to be freed (leaked) or wrote blocks freed next
// (holes). The file must end up holding the pattern up to its size, and every
// block must come back.
static void
t_truncrace(void)
{
  int i, n, off, fd, st, go[2];

  leakcheck_begin("kttrace");
  writefile("kttr", 40 * MB, 9, 16 * KB);
  CHECK(pipe(go) == 0, "pipe");
  for(i = 0; i < 3; i++){
    if(fork() == 0){
      read(go[0], buf, 1);   // all three start together
      if(i < 2){
        if((fd = open("kttr", O_RDWR|O_TRUNC)) < 0)
          exit(1);
        close(fd);
        exit(0);
      }
      // the writer: the first MiB again and again (into the doubly-indirect
      // range), from the start whenever the file was cut under it. Its 30 KiB
      // pieces need a buffer of their own (buf has 16 KiB).
      char *piece = malloc(30 * KB);
      if(piece == 0)
        exit(1);
      for(n = 0; n < 12; n++){
        if((fd = open("kttr", O_RDWR)) < 0)
          exit(1);
        for(off = 0; off < MB; off += 30 * KB){
          fillpat(piece, 30 * KB, 9, off);
          if(write(fd, piece, 30 * KB) != 30 * KB)
            break;
        }
        close(fd);
      }
      exit(0);
    }
  }
  CHECK(write(go[1], "go!", 3) == 3, "start");
  for(i = 0; i < 3; i++)
    CHECK(wait(&st) > 0 && st == 0, "a truncator or the writer failed");
  close(go[0]);
  close(go[1]);
  CHECK((fd = open("kttr", O_RDONLY)) >= 0, "open");
  for(off = 0; (n = read(fd, buf, 16 * KB)) > 0; off += n)
    CHECK(checkpat(buf, n, 9, off) < 0, "hole or wrong data near %d", off);
  close(fd);
  leakcheck_end("kttrace");
}

// A socket bound to port on every address, or fail.
static int
boundsock(int type, int port)
{
  struct sockaddr_in sa;
  int fd;

  CHECK((fd = socket(AF_INET, type, 0)) >= 0, "socket");
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  CHECK(bind(fd, (struct sockaddr*)&sa, sizeof(sa)) == 0, "bind port %d", port);
  return fd;
}

static void
recvidle(int fd)
{
  recv(fd, buf, 1, 0);
}

static void
acceptidle(int fd)
{
  accept(fd, 0, 0);
}

// The kill race of t_killrace on sockets: an idle UDP receiver and listener.
static void
t_sockkillrace(void)
{
  int u = boundsock(SOCK_DGRAM, 7401), l = boundsock(SOCK_STREAM, 7402);

  CHECK(listen(l, 4) == 0, "listen");
  killrace(recvidle, u, "recv on an idle UDP socket");
  killrace(acceptidle, l, "accept with no connection coming");
  close(u);
  close(l);
}

// Receive timeouts of any valid struct timeval: huge ones wait (they used to
// wrap to 1 ms, or be refused), negative seconds do not wait, bad
// microseconds are refused.
static void
t_socktimeouts(void)
{
  struct timeval tv, got;
  socklen_t len = sizeof(got);
  int u = boundsock(SOCK_DGRAM, 7403), pid, st, t0;
  static const struct timeval huge[] = {
    { 1L << 61, 1000 }, { 0x7fffffffffffffffL, 0 }, { 0x7fffffffffffffffL, 999999 },
    { 1L << 40, 0 }, { (1L << 40) - 1, 999999 },
  };

  for(int i = 0; i < sizeof(huge) / sizeof(huge[0]); i++){
    tv = huge[i];
    CHECK(setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0,
          "SO_RCVTIMEO {%ld, %ld} refused", tv.tv_sec, tv.tv_usec);
    if((pid = fork()) == 0){
      recv(u, buf, 1, 0);
      exit(0);
    }
    pause(30);    // a wrapped timeout would have returned by now
    CHECK(waitpid(pid, &st, WNOHANG) == 0, "recv with timeout {%ld, %ld} returned early",
          huge[i].tv_sec, huge[i].tv_usec);
    kill(pid);
    CHECK(wait(&st) == pid, "wait");
  }
  tv = (struct timeval){ -5, 0 };
  CHECK(setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0, "negative seconds refused");
  t0 = uptime();
  CHECK(recv(u, buf, 1, 0) == -1 && errno == EAGAIN, "recv with a negative timeout: errno %d", errno);
  CHECK(uptime() - t0 < 50, "a negative timeout waited %d ticks", uptime() - t0);
  CHECK(getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &got, &len) == 0 && got.tv_sec == 0 &&
        got.tv_usec == 0, "getsockopt after a negative timeout");
  tv = (struct timeval){ 1, 1000000 };
  CHECK(setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 && errno == EDOM,
        "usec 1000000 accepted (errno %d)", errno);
  tv = (struct timeval){ 1, -1 };
  CHECK(setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 && errno == EDOM,
        "usec -1 accepted (errno %d)", errno);
  tv = (struct timeval){ 0, 20000 };
  CHECK(setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0, "20 ms refused");
  CHECK(recv(u, buf, 1, 0) == -1 && errno == EAGAIN, "recv after 20 ms: errno %d", errno);
  close(u);
}

// ---------------------------------------------------------------- time and poll

#define MS 1000000L   // nanoseconds in a millisecond

// Clock id's reading in nanoseconds, or fail.
static long
nsnow(int id)
{
  struct timespec ts;

  CHECK(clock_gettime(id, &ts) == 0, "clock_gettime(%d): errno %d", id, errno);
  CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000 * MS, "clock %d: tv_nsec %ld", id, ts.tv_nsec);
  return ts.tv_sec * 1000 * MS + ts.tv_nsec;
}

// clock_gettime: CLOCK_MONOTONIC never goes back, has sub-tick resolution,
// agrees with uptime(); CLOCK_REALTIME is a date after 2020 and moves with
// it; bad clock ids and pointers are refused.
static void
t_clock(void)
{
  static const int badids[] = { -1, 2, 3, 7, 1000, 0x7fffffff, -0x7fffffff - 1 };
  struct timespec ts;
  long prev, now, m0, r0, dm, dr, ticks;
  int finer = 0;

  prev = nsnow(CLOCK_MONOTONIC);
  for(int i = 0; i < 2000; i++){
    now = nsnow(CLOCK_MONOTONIC);
    CHECK(now >= prev, "CLOCK_MONOTONIC went back: %ld then %ld", prev, now);
    if(now != prev && (now - prev) % (10 * MS) != 0)
      finer = 1;
    prev = now;
  }
  CHECK(finer, "CLOCK_MONOTONIC moves only in whole ticks");
  // uptime's tick, read between two readings of CLOCK_MONOTONIC (a busy host
  // may stop us for ticks between any two reads)
  prev = nsnow(CLOCK_MONOTONIC) / (10 * MS);
  ticks = uptime();
  now = nsnow(CLOCK_MONOTONIC) / (10 * MS);
  CHECK(ticks >= prev - 2 && ticks <= now + 1, "uptime says tick %ld, CLOCK_MONOTONIC %ld..%ld",
        ticks, prev, now);
  r0 = nsnow(CLOCK_REALTIME) / (1000 * MS);
  CHECK(r0 > 1577836800L && r0 < 4102444800L, "CLOCK_REALTIME %ld s is not 2020..2100", r0);
  m0 = nsnow(CLOCK_MONOTONIC);
  r0 = nsnow(CLOCK_REALTIME);
  pause(20);
  dm = nsnow(CLOCK_MONOTONIC) - m0;
  dr = nsnow(CLOCK_REALTIME) - r0;
  CHECK(dm >= 190 * MS && dm < 5000 * MS, "pause(20) took %ld ms of CLOCK_MONOTONIC", dm / MS);
  CHECK(dr - dm < 500 * MS && dm - dr < 500 * MS,
        "over one pause CLOCK_REALTIME moved %ld ms, CLOCK_MONOTONIC %ld ms", dr / MS, dm / MS);
  for(int i = 0; i < sizeof(badids) / sizeof(badids[0]); i++)
    CHECK(clock_gettime(badids[i], &ts) == -1 && errno == EINVAL, "clock id %d: errno %d",
          badids[i], errno);
  setbadaddrs();
  for(int i = 0; i < NBAD; i++)
    CHECK(clock_gettime(CLOCK_REALTIME, (void*)badaddrs[i]) == -1 && errno == EFAULT,
          "clock_gettime into %p: errno %d", (void*)badaddrs[i], errno);
  uint64 top = PGROUNDUP((uint64)sbrk(0));
  CHECK(clock_gettime(CLOCK_MONOTONIC, (void*)(top - 8)) == -1 && errno == EFAULT,
        "a timespec across the end of memory: errno %d", errno);
}

// poll of one descriptor: poll's result; its revents in *rev.
static int
poll1(int fd, int events, int timeout_ms, int *rev)
{
  struct pollfd p = { fd, events, 0x7777 };   // revents must be overwritten
  int r = poll(&p, 1, timeout_ms);

  *rev = p.revents;
  return r;
}

// Fill a (nonblocking) pipe's write end to the last byte.
static void
fillpipe(int fd)
{
  CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0, "fcntl");
  while(write(fd, buf, 64) == 64)
    ;
  while(write(fd, buf, 1) == 1)
    ;
  CHECK(errno == EAGAIN, "filling a pipe: errno %d", errno);
}

#define POLLCHECK(fd, ev, want_n, want_rev, what) do { int rev_, n_ = poll1(fd, ev, 0, &rev_); \
  CHECK(n_ == (want_n) && rev_ == (want_rev), "%s: poll %d, revents %x (want %d, %x)", \
        what, n_, rev_, want_n, want_rev); } while(0)

// Readiness of pipes, files and descriptors that are not open, without waiting.
static void
t_pollready(void)
{
  struct pollfd fds[4] = {{0}};
  int p[2], fd;

  CHECK(pipe(p) == 0, "pipe");
  POLLCHECK(p[0], POLLIN, 0, 0, "empty pipe");
  POLLCHECK(p[1], POLLOUT, 1, POLLOUT, "empty pipe's write end");
  POLLCHECK(p[1], POLLIN, 0, 0, "write end asked for POLLIN");
  CHECK(write(p[1], "x", 1) == 1, "write");
  POLLCHECK(p[0], POLLIN | POLLRDNORM, 1, POLLIN | POLLRDNORM, "one byte");
  POLLCHECK(p[0], POLLRDNORM, 1, POLLRDNORM, "one byte, POLLRDNORM only");
  POLLCHECK(p[0], POLLOUT, 0, 0, "read end asked for POLLOUT");
  POLLCHECK(p[1], POLLOUT | POLLWRNORM, 1, POLLOUT | POLLWRNORM, "one byte in, write end");
  fillpipe(p[1]);
  POLLCHECK(p[1], POLLOUT, 0, 0, "full pipe");
  // writable again once PIPE_BUF (512) bytes fit, as on Linux
  CHECK(read(p[0], buf, 511) == 511, "read");
  POLLCHECK(p[1], POLLOUT, 0, 0, "full pipe after 511 bytes read");
  CHECK(read(p[0], buf, 1) == 1, "read");
  POLLCHECK(p[1], POLLOUT, 1, POLLOUT, "full pipe after 512 bytes read");
  CHECK(write(p[1], buf, 512) == 512, "a 512-byte non-blocking write after POLLOUT");
  CHECK(read(p[0], buf, 600) == 600, "read");
  // several at once: a negative fd is ignored (revents 0), no events: nothing
  fds[0] = (struct pollfd){ p[0], POLLIN, 0x55 };
  fds[1] = (struct pollfd){ -1, POLLIN | POLLOUT, 0x55 };
  fds[2] = (struct pollfd){ p[1], POLLOUT, 0x55 };
  fds[3] = (struct pollfd){ p[0], 0, 0x55 };
  CHECK(poll(fds, 4, 0) == 2 && fds[0].revents == POLLIN && fds[1].revents == 0 &&
        fds[2].revents == POLLOUT && fds[3].revents == 0, "four fds: %x %x %x %x",
        fds[0].revents, fds[1].revents, fds[2].revents, fds[3].revents);
  // no writer left: data and POLLHUP, then POLLHUP alone (asked or not)
  close(p[1]);
  POLLCHECK(p[0], POLLIN, 1, POLLIN | POLLHUP, "data, writer gone");
  while(read(p[0], buf, sizeof(buf)) > 0)
    ;
  POLLCHECK(p[0], POLLIN, 1, POLLHUP, "drained, writer gone");
  POLLCHECK(p[0], 0, 1, POLLHUP, "drained, writer gone, nothing asked");
  close(p[0]);
  // no reader left: the write end is writable and in error
  CHECK(pipe(p) == 0, "pipe");
  close(p[0]);
  POLLCHECK(p[1], POLLOUT, 1, POLLOUT | POLLERR, "reader gone");
  POLLCHECK(p[1], 0, 1, POLLERR, "reader gone, nothing asked");
  // descriptors that are not open: POLLNVAL, counted, asked or not
  POLLCHECK(p[0], POLLIN, 1, POLLNVAL, "closed fd");
  close(p[1]);
  POLLCHECK(NOFILE - 1, 0, 1, POLLNVAL, "fd NOFILE-1, never opened");
  POLLCHECK(NOFILE, POLLIN, 1, POLLNVAL, "fd NOFILE");
  POLLCHECK(1 << 30, POLLIN, 1, POLLNVAL, "fd 1<<30");
  // files never block; the console is writable
  writefile("ktpoll", 10, 1, 10);
  CHECK((fd = open("ktpoll", O_RDWR)) >= 0, "open");
  POLLCHECK(fd, POLLIN | POLLOUT, 1, POLLIN | POLLOUT, "a file");
  close(fd);
  unlink("ktpoll");
  POLLCHECK(1, POLLOUT, 1, POLLOUT, "the console");
}

// Bad input: counts out of range, arrays the kernel cannot read or write.
static void
t_pollbad(void)
{
  static struct pollfd fds[POLL_NFDS_MAX + 1];
  static const int badcounts[] = { POLL_NFDS_MAX + 1, -1, 1 << 30, 0x7fffffff, -0x7fffffff - 1 };

  for(int i = 0; i <= POLL_NFDS_MAX; i++)
    fds[i] = (struct pollfd){ -1, POLLIN, 0 };
  CHECK(poll(fds, POLL_NFDS_MAX, 0) == 0, "%d ignored fds: errno %d", POLL_NFDS_MAX, errno);
  for(int i = 0; i < sizeof(badcounts) / sizeof(badcounts[0]); i++)
    CHECK(poll(fds, badcounts[i], -1) == -1 && errno == EINVAL, "nfds %d: errno %d",
          badcounts[i], errno);
  setbadaddrs();
  for(int i = 0; i < NBAD; i++)
    CHECK(poll((void*)badaddrs[i], 1, 0) == -1 && errno == EFAULT, "poll of %p: errno %d",
          (void*)badaddrs[i], errno);
  uint64 top = PGROUNDUP((uint64)sbrk(0));
  CHECK(poll((void*)(top - sizeof(struct pollfd)), 2, 0) == -1 && errno == EFAULT,
        "an array across the end of memory: errno %d", errno);
  CHECK(poll((void*)KERNADDR, 0, 0) == 0, "nfds 0 with a bad array: errno %d", errno);
}

// Wake-ups: a poller asleep on an empty pipe wakes when data comes (prints
// the latency, write to poll's return, by CLOCK_MONOTONIC), when the last
// writer goes; one asleep on a full pipe when a reader makes room, or goes.
static void
t_pollwake(void)
{
  enum { ROUNDS = 21 };
  long lat[ROUNDS], t, now;
  int p[2], rev, n;

  CHECK(pipe(p) == 0, "pipe");
  for(int i = 0; i < ROUNDS; i++){
    if(fork() == 0){
      pause(2);    // the parent is asleep in poll by now
      t = nsnow(CLOCK_MONOTONIC);
      write(p[1], &t, sizeof(t));
      exit(0);
    }
    // 5 s: a lost wakeup fails the test instead of hanging it (pollkill
    // has polls that wait for ever)
    n = poll1(p[0], POLLIN, 5000, &rev);
    CHECK(n == 1 && rev == POLLIN, "data: %d, %x", n, rev);
    now = nsnow(CLOCK_MONOTONIC);
    CHECK(read(p[0], &t, sizeof(t)) == sizeof(t), "read");
    lat[i] = now - t;
    wait(0);
  }
  for(int i = 0; i < ROUNDS; i++)   // sort, for the median
    for(int j = i + 1; j < ROUNDS; j++)
      if(lat[j] < lat[i]){
        t = lat[i];
        lat[i] = lat[j];
        lat[j] = t;
      }
  printf("  poll wakeup latency on a pipe (%d rounds): min %ld us, median %ld us, max %ld us\n",
         ROUNDS, lat[0] / 1000, lat[ROUNDS / 2] / 1000, lat[ROUNDS - 1] / 1000);
  CHECK(lat[ROUNDS / 2] < 100 * MS, "median wakeup latency %ld us", lat[ROUNDS / 2] / 1000);
  if(fork() == 0){
    pause(5);
    exit(0);       // closes the last write end
  }
  close(p[1]);
  CHECK((n = poll1(p[0], POLLIN, 5000, &rev)) == 1 && rev == POLLHUP, "writer gone: %d, %x", n, rev);
  wait(0);
  close(p[0]);
  CHECK(pipe(p) == 0, "pipe");
  fillpipe(p[1]);
  if(fork() == 0){
    pause(5);
    read(p[0], buf, 600);
    pause(20);
    exit(0);       // closes the last read end
  }
  close(p[0]);
  CHECK((n = poll1(p[1], POLLOUT, 5000, &rev)) == 1 && rev == POLLOUT, "room made: %d, %x", n, rev);
  fillpipe(p[1]);
  CHECK((n = poll1(p[1], POLLOUT, 5000, &rev)) == 1 && rev == POLLERR, "reader gone: %d, %x", n, rev);
  wait(0);
  close(p[1]);
}

// Timeouts: 0 returns at once, positive ones wait that long (the tick is 10
// ms), nfds 0 is a sleep. While blocked, poll sleeps: a 2 s wait scans its
// descriptors a few times (kstat KSTAT_POLLSCANS), not thousands.
static void
t_polltimeout(void)
{
  static const int waits[] = { 1, 30, 250 };
  long t0, el, scans;
  int p[2], rev, n;

  CHECK(pipe(p) == 0, "pipe");
  t0 = nsnow(CLOCK_MONOTONIC);
  CHECK(poll1(p[0], POLLIN, 0, &rev) == 0 && rev == 0, "timeout 0");
  el = nsnow(CLOCK_MONOTONIC) - t0;
  CHECK(el < 50 * MS, "timeout 0 took %ld ms", el / MS);
  for(int i = 0; i < sizeof(waits) / sizeof(waits[0]); i++){
    t0 = nsnow(CLOCK_MONOTONIC);
    CHECK((n = poll1(p[0], POLLIN, waits[i], &rev)) == 0 && rev == 0, "timeout %d: %d, %x",
          waits[i], n, rev);
    el = nsnow(CLOCK_MONOTONIC) - t0;
    CHECK(el >= (waits[i] - 1) * MS && el < (waits[i] + 500) * MS,
          "timeout %d ms took %ld ms", waits[i], el / MS);
  }
  t0 = nsnow(CLOCK_MONOTONIC);
  CHECK(poll(0, 0, 100) == 0, "nfds 0, timeout 100: errno %d", errno);
  el = nsnow(CLOCK_MONOTONIC) - t0;
  CHECK(el >= 99 * MS && el < 600 * MS, "poll(0, 0, 100) took %ld ms", el / MS);
  scans = kstat(KSTAT_POLLSCANS);
  t0 = nsnow(CLOCK_MONOTONIC);
  CHECK(poll1(p[0], POLLIN, 2000, &rev) == 0, "2 s timeout");
  el = nsnow(CLOCK_MONOTONIC) - t0;
  scans = kstat(KSTAT_POLLSCANS) - scans;
  printf("  a poll blocked for %ld ms scanned its descriptors %ld times\n", el / MS, scans);
  CHECK(el >= 1999 * MS && el < 3000 * MS, "2 s timeout took %ld ms", el / MS);
  CHECK(scans >= 2 && scans <= 10, "%ld scans in a 2 s poll", scans);
  close(p[0]);
  close(p[1]);
}

static void
pollidle(int fd)
{
  struct pollfd p = { fd, POLLIN, 0 };

  poll(&p, 1, -1);
}

static void
polltimed(int fd)
{
  struct pollfd p = { fd, POLLIN, 0 };

  poll(&p, 1, 3600 * 1000);
}

static void
pollnothing(int fd)
{
  poll(0, 0, -1);
}

// A kill ends a poll however it waits (the kill race of t_killrace).
static void
t_pollkill(void)
{
  int p[2];

  CHECK(pipe(p) == 0, "pipe");
  killrace(pollidle, p[0], "poll of an empty pipe");
  killrace(polltimed, p[0], "poll of an empty pipe with an hour's timeout");
  killrace(pollnothing, 0, "poll of no descriptors for ever");
  close(p[0]);
  close(p[1]);
}

// Sockets without a peer (the rest is Tests/integration/test_poll.py): a new
// TCP socket is writable and hung up (Linux too), a listener with nobody
// connecting is not readable, a UDP socket is writable and not readable.
static void
t_pollsock(void)
{
  int t, l, u;

  CHECK((t = socket(AF_INET, SOCK_STREAM, 0)) >= 0, "socket");
  POLLCHECK(t, POLLIN | POLLOUT, 1, POLLOUT | POLLHUP, "a new TCP socket");
  l = boundsock(SOCK_STREAM, 7404);
  CHECK(listen(l, 4) == 0, "listen");
  POLLCHECK(l, POLLIN | POLLOUT, 0, 0, "a listener");
  u = boundsock(SOCK_DGRAM, 7405);
  POLLCHECK(u, POLLIN | POLLOUT, 1, POLLOUT, "a UDP socket");
  close(t);
  close(l);
  close(u);
}

// A fd that may be anything: open (pipe ends, a file, sockets, the console),
// closed, negative or far past the table.
static int
randomfd(int *fds, int nfds)
{
  static const int odd[] = { -1, -2, -0x7fffffff - 1, NOFILE, NOFILE + 1, 99, 1 << 30 };

  switch(rnd() % 4){
  case 0: return odd[rnd() % (sizeof(odd) / sizeof(odd[0]))];
  case 1: return rnd() % (NOFILE + 2);
  default: return fds[rnd() % nfds];
  }
}

// Check one poll result against its array: every revents within what was
// asked (plus the unasked bits), 0 for a negative fd, POLLNVAL past the
// table, and the count of non-zero revents returned.
static void
checkpoll(struct pollfd *fds, int nfds, int r, int round)
{
  int ready = 0;

  for(int i = 0; i < nfds; i++){
    int rev = fds[i].revents & 0xffff, allowed = fds[i].events | POLLERR | POLLHUP | POLLNVAL;
    CHECK((rev & ~allowed) == 0, "round %d: fd %d events %x got revents %x", round, fds[i].fd,
          fds[i].events, rev);
    CHECK(fds[i].fd >= 0 || rev == 0, "round %d: negative fd %d got %x", round, fds[i].fd, rev);
    CHECK(fds[i].fd < NOFILE || rev == POLLNVAL, "round %d: fd %d got %x", round, fds[i].fd, rev);
    if(rev)
      ready++;
  }
  CHECK(r == ready, "round %d: poll returned %d, %d revents set", round, r, ready);
}

// Random poll calls: counts in and out of range, arrays of random
// descriptors and events, good and bad array addresses, short timeouts.
// Every call must return a valid count or EINVAL / EFAULT, never hang.
static void
t_pollrandom(void)
{
  static struct pollfd fds[POLL_NFDS_MAX + 8];
  int fdset[8], p[2], q[2], nopen = 0, r, nfds;
  struct pollfd *arr;

  seed = 0x9e3779b97f4a7c15UL;
  setbadaddrs();
  CHECK(pipe(p) == 0 && pipe(q) == 0, "pipe");
  write(q[1], "x", 1);
  close(q[1]);                        // q[0]: data, then end of file
  writefile("ktpr", 10, 3, 10);
  fdset[nopen++] = p[0];
  fdset[nopen++] = p[1];
  fdset[nopen++] = q[0];
  fdset[nopen++] = 0;
  CHECK((fdset[nopen++] = open("ktpr", O_RDONLY)) >= 0, "open");
  fdset[nopen++] = boundsock(SOCK_DGRAM, 7406);
  CHECK((fdset[nopen++] = socket(AF_INET, SOCK_STREAM, 0)) >= 0, "socket");
  for(int round = 0; round < 3000; round++){
    nfds = rnd() % 8 == 0 ? (int)rnd() - (1 << 30) : rnd() % (POLL_NFDS_MAX + 4);
    for(int i = 0; i < POLL_NFDS_MAX + 8; i++)
      fds[i] = (struct pollfd){ randomfd(fdset, nopen), rnd(), rnd() };
    arr = rnd() % 10 == 0 ? (struct pollfd*)badaddrs[rnd() % NBAD] : fds;
    r = poll(arr, nfds, rnd() % 50 == 0 ? 1 + rnd() % 3 : 0);
    if(nfds < 0 || nfds > POLL_NFDS_MAX){
      CHECK(r == -1 && errno == EINVAL, "round %d: nfds %d: %d errno %d", round, nfds, r, errno);
    } else if(arr != fds){
      CHECK((r == -1 && errno == EFAULT) || nfds == 0, "round %d: array %p: %d errno %d",
            round, arr, r, errno);
    } else {
      CHECK(r >= 0, "round %d: %d fds: errno %d", round, nfds, errno);
      checkpoll(fds, nfds, r, round);
    }
  }
  for(int i = 0; i < nopen; i++)
    if(fdset[i] > 2)
      close(fdset[i]);
  close(q[0]);
  unlink("ktpr");
}

// ---------------------------------------------------------------- POSIX file calls

// lseek (45): each whence, past the end, and every bad argument with its errno.
static void
t_lseek(void)
{
  int fd, p[2];

  writefile("ktseek", 3000, 21, 1000);
  CHECK((fd = open("ktseek", O_RDWR)) >= 0, "open");
  CHECK(lseek(fd, 0, 2) == 3000, "SEEK_END: %ld", lseek(fd, 0, 2));
  CHECK(lseek(fd, 1000, 0) == 1000, "SEEK_SET");
  CHECK(lseek(fd, 500, 1) == 1500, "SEEK_CUR forward");
  CHECK(read(fd, buf, 12) == 12 && checkpat(buf, 12, 21, 1500) == -1, "read after seek");
  CHECK(lseek(fd, -12, 1) == 1500, "SEEK_CUR back");
  CHECK(lseek(fd, 0, 1) == 1500, "SEEK_CUR 0 tells the offset");
  CHECK(lseek(fd, 5000, 0) == 5000 && read(fd, buf, 10) == 0, "past the end reads 0");
  CHECK(lseek(fd, -1, 0) == -EINVAL, "negative offset");
  CHECK(lseek(fd, -3001, 2) == -EINVAL, "before the start from the end");
  CHECK(lseek(fd, 0x100000000L, 0) == -EINVAL, "past 4 GiB");
  CHECK(lseek(fd, 0x7fffffffffffffffL, 2) == -EINVAL, "LONG_MAX from the end");
  CHECK(lseek(fd, (long)0x8000000000000000UL, 1) == -EINVAL, "LONG_MIN");
  CHECK(lseek(fd, 0, 3) == -EINVAL && lseek(fd, 0, -1) == -EINVAL, "bad whence");
  CHECK(lseek(fd, 0, 1) == 5000, "a refused seek moved the offset");
  CHECK(lseek(-1, 0, 0) == -EBADF && lseek(NOFILE, 0, 0) == -EBADF &&
        lseek(1000000, 0, 0) == -EBADF, "bad fd");
  CHECK(pipe(p) == 0, "pipe");
  CHECK(lseek(p[0], 0, 0) == -ESPIPE && lseek(p[1], 0, 0) == -ESPIPE, "pipe: ESPIPE");
  close(p[0]);
  close(p[1]);
  close(fd);
  unlink("ktseek");
}

// dup3 (46) and the dup2 made from it: the target is replaced (its old file
// closed), the offset shared; bad descriptors and flags are refused.
static void
t_dup3(void)
{
  int a, b, p[2];

  writefile("ktdup", 100, 22, 100);
  CHECK((a = open("ktdup", O_RDONLY)) >= 0, "open");
  CHECK(pipe(p) == 0, "pipe");
  CHECK(dup3(a, p[0], 0) == p[0], "dup3 over an open pipe end");
  CHECK(read(p[0], buf, 12) == 12 && checkpat(buf, 12, 22, 0) == -1, "p[0] reads the file");
  CHECK(read(a, buf, 12) == 12 && checkpat(buf, 12, 22, 12) == -1, "offset shared with a");
  signal(SIGPIPE, (sighandler_t)SIG_IGN);   // the write must fail, not end us
  CHECK(write(p[1], "x", 1) == -1, "the pipe's read end was not closed");
  signal(SIGPIPE, (sighandler_t)SIG_DFL);
  close(p[1]);
  CHECK(dup3(a, 15, 0x80000) == 15, "dup3 to a free fd, O_CLOEXEC");
  CHECK(read(15, buf, 12) == 12 && checkpat(buf, 12, 22, 24) == -1, "fd 15 reads on");
  CHECK(dup3(a, a, 0) == -EINVAL, "dup3 to itself");
  CHECK(dup3(a, 15, 1) == -EINVAL && dup3(a, 15, -1) == -EINVAL, "bad flags");
  CHECK(dup3(a, -1, 0) == -EBADF && dup3(a, NOFILE, 0) == -EBADF &&
        dup3(a, 1 << 30, 0) == -EBADF, "bad new fd");
  CHECK(dup3(-1, 14, 0) == -EBADF && dup3(NOFILE, 14, 0) == -EBADF &&
        dup3(14, 13, 0) == -EBADF, "bad old fd");
  CHECK((b = dup(15)) >= 0 && dup3(b, 15, 0) == 15, "dup3 between two fds of one file");
  close(a);
  close(b);
  close(15);
  close(p[0]);
  CHECK(read(p[0], buf, 1) == -1 && read(15, buf, 1) == -1, "closed");
  unlink("ktdup");
}

// pread/pwrite (47, 48): at an offset, the file's offset untouched; pipes
// refuse them; bad buffers, lengths, offsets and modes get errors.
static void
t_pio(void)
{
  int i, fd, p[2];

  setbadaddrs();
  writefile("ktpio", 4000, 23, 1000);
  CHECK((fd = open("ktpio", O_RDWR)) >= 0, "open");
  CHECK(read(fd, buf, 100) == 100, "read");
  CHECK(pread(fd, buf, 52, 3000) == 52 && checkpat(buf, 52, 23, 3000) == -1, "pread");
  CHECK(pread(fd, buf, 100, 3950) == 50, "pread stops at the end");
  CHECK(pread(fd, buf, 10, 9000) == 0, "pread past the end");
  fillpat(buf, 30, 24, 0);
  CHECK(pwrite(fd, buf, 30, 2000) == 30, "pwrite");
  CHECK(pwrite(fd, buf, 0, 2000) == 0, "pwrite of nothing");
  CHECK(lseek(fd, 0, 1) == 100, "the offset moved: %ld", lseek(fd, 0, 1));
  CHECK(pread(fd, buf + 100, 30, 2000) == 30 && memcmp(buf, buf + 100, 30) == 0,
        "pread sees pwrite");
  CHECK(pwrite(fd, buf, 10, 4000) == 10 && pread(fd, buf + 200, 10, 4000) == 10,
        "pwrite at the end grows the file");
  CHECK(pwrite(fd, buf, 10, 6000) < 0, "pwrite past the end (no holes)");
  for(i = 0; i < NBAD; i++){
    CHECK(pread(fd, (void*)badaddrs[i], 10, 0) == -EFAULT, "pread into %p", (void*)badaddrs[i]);
    if(badaddrs[i] != 0)   // address 0 is readable program text
      CHECK(pwrite(fd, (void*)badaddrs[i], 10, 0) < 0, "pwrite from %p", (void*)badaddrs[i]);
  }
  CHECK(pread(fd, buf, -1, 0) == -EINVAL && pwrite(fd, buf, -5, 0) == -EINVAL, "negative n");
  CHECK(pread(fd, buf, 1, -1) == -EINVAL && pwrite(fd, buf, 1, 0x100000000L) == -EINVAL,
        "bad offset");
  CHECK(pread(-1, buf, 1, 0) == -EBADF && pwrite(NOFILE, buf, 1, 0) == -EBADF, "bad fd");
  close(fd);
  CHECK((fd = open("ktpio", O_RDONLY)) >= 0, "reopen read-only");
  CHECK(pwrite(fd, buf, 1, 0) == -EBADF, "pwrite on a read-only fd");
  close(fd);
  CHECK(pipe(p) == 0, "pipe");
  CHECK(pread(p[0], buf, 1, 0) == -ESPIPE && pwrite(p[1], buf, 1, 0) == -ESPIPE, "pipe: ESPIPE");
  close(p[0]);
  close(p[1]);
  unlink("ktpio");
}

// O_APPEND: two processes appending never overwrite each other; O_EXCL with
// O_CREATE refuses an existing file and creates a missing one.
static void
t_append(void)
{
  int fd, i, pid, st, counts[2] = { 0, 0 };
  struct stat s;

  unlink("ktapp");
  CHECK((fd = open("ktapp", O_CREATE | O_EXCL | O_WRONLY)) >= 0, "O_EXCL creates");
  close(fd);
  CHECK(open("ktapp", O_CREATE | O_EXCL | O_WRONLY) < 0, "O_EXCL on an existing file");
  CHECK((fd = open("ktapp", O_CREATE | O_WRONLY)) >= 0, "O_CREATE without O_EXCL");
  close(fd);
  for(i = 0; i < 2; i++){
    if((pid = fork()) == 0){
      fd = open("ktapp", O_WRONLY | O_APPEND);
      memset(buf, 'a' + i, 100);
      for(int k = 0; k < 50; k++)
        if(write(fd, buf, 100) != 100)
          exit(1);
      exit(0);
    }
  }
  for(i = 0; i < 2; i++)
    CHECK(wait(&st) > 0 && st == 0, "appender failed");
  CHECK(stat("ktapp", &s) == 0 && s.size == 10000, "size %d, not 10000", (int)s.size);
  fd = open("ktapp", O_RDONLY);
  while((i = read(fd, buf, sizeof(buf))) > 0)
    for(int k = 0; k < i; k++){
      CHECK(buf[k] == 'a' || buf[k] == 'b', "byte %c", buf[k]);
      counts[buf[k] - 'a']++;
    }
  close(fd);
  CHECK(counts[0] == 5000 && counts[1] == 5000, "%d a, %d b", counts[0], counts[1]);
  CHECK((fd = open("ktapp", O_RDWR | O_APPEND)) >= 0 && lseek(fd, 0, 0) == 0 &&
        write(fd, "z", 1) == 1 && lseek(fd, 0, 1) == 10001, "O_APPEND after a seek");
  close(fd);
  unlink("ktapp");
}

// ---------------------------------------------------------------- signals

int __sigaction(int, const struct ksigaction*, struct ksigaction*);
int __sys_read(int, void*, int);
int __sys_write(int, const void*, int);

static volatile int sig_count;    // handler calls
static volatile int sig_last;     // the last signal a handler saw
static volatile uint64 sig_inmask;  // the blocked set inside the handler

static void
on_signal(int sig)
{
  sig_count++;
  sig_last = sig;
  sigprocmask(SIG_BLOCK, 0, (uint64*)&sig_inmask);
  // a handler may use any caller-saved register: trash them
  asm volatile("li t0, -1; li t1, -1; li t2, -1; li t3, -1; li t4, -1; li t5, -1; li t6, -1;"
               "li a1, -1; li a2, -1; li a3, -1; li a4, -1; li a5, -1; li a6, -1; li a7, -1"
               ::: "t0", "t1", "t2", "t3", "t4", "t5", "t6",
                   "a1", "a2", "a3", "a4", "a5", "a6", "a7");
}

static volatile struct ksiginfo sig_info;   // what an SA_SIGINFO handler got
static volatile uint64 sig_frame;

static void
on_siginfo(int sig, struct ksiginfo *info, void *frame)
{
  sig_count++;
  sig_last = sig;
  sig_info = *info;
  sig_frame = (uint64)frame;
}

// Install handler h (SIG_DFL, SIG_IGN or a function) for sig with flags.
static void
handle(int sig, sighandler_t h, uint64 flags, uint64 mask)
{
  struct ksigaction a = { (unsigned long)h, flags, 0, mask };

  CHECK(sigaction(sig, &a, 0) == 0, "sigaction(%d) failed", sig);
}

// Waitpid for pid with Linux's status encoding.
static int
posixstatus(int pid)
{
  int st = -12345;

  CHECK(waitpid(pid, &st, WPOSIXSTATUS) == pid, "waitpid %d", pid);
  return st;
}

// A child that sends sig to pid after ticks, then exits.
static int
sendlater(int pid, int sig, int ticks)
{
  int c = fork();

  CHECK(c >= 0, "fork");
  if(c == 0){
    pause(ticks);
    sigsend(pid, sig);
    exit(0);
  }
  return c;
}

// Spin in user code with known values in the registers until a handler has
// run (sig_count > 0); returns which of them changed meanwhile (0: none).
static uint64
spin_until_handled(void)
{
  register uint64 flag asm("a0") = (uint64)&sig_count;

  asm volatile(
    "li t0, 0x101; li t1, 0x102; li t2, 0x103; li t3, 0x104; li t4, 0x105;"
    "li t5, 0x106; li t6, 0x107; li s2, 0x202; li s3, 0x203; li s4, 0x204;"
    "li s5, 0x205; li s6, 0x206; li s7, 0x207; li s8, 0x208; li s9, 0x209;"
    "li s10, 0x20a; li s11, 0x20b; li a2, 0x302; li a3, 0x303; li a4, 0x304;"
    "li a5, 0x305; li a6, 0x306; li a7, 0x307\n"
    "1: lw a1, 0(a0); beqz a1, 1b\n"
    "li a1, 0\n"
    "addi t0, t0, -0x101; or a1, a1, t0; addi t1, t1, -0x102; or a1, a1, t1;"
    "addi t2, t2, -0x103; or a1, a1, t2; addi t3, t3, -0x104; or a1, a1, t3;"
    "addi t4, t4, -0x105; or a1, a1, t4; addi t5, t5, -0x106; or a1, a1, t5;"
    "addi t6, t6, -0x107; or a1, a1, t6; addi s2, s2, -0x202; or a1, a1, s2;"
    "addi s3, s3, -0x203; or a1, a1, s3; addi s4, s4, -0x204; or a1, a1, s4;"
    "addi s5, s5, -0x205; or a1, a1, s5; addi s6, s6, -0x206; or a1, a1, s6;"
    "addi s7, s7, -0x207; or a1, a1, s7; addi s8, s8, -0x208; or a1, a1, s8;"
    "addi s9, s9, -0x209; or a1, a1, s9; addi s10, s10, -0x20a; or a1, a1, s10;"
    "addi s11, s11, -0x20b; or a1, a1, s11; addi a2, a2, -0x302; or a1, a1, a2;"
    "addi a3, a3, -0x303; or a1, a1, a3; addi a4, a4, -0x304; or a1, a1, a4;"
    "addi a5, a5, -0x305; or a1, a1, a5; addi a6, a6, -0x306; or a1, a1, a6;"
    "addi a7, a7, -0x307; or a1, a1, a7; mv a0, a1"
    : "+r"(flag)
    :
    : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "s2", "s3", "s4", "s5", "s6", "s7",
      "s8", "s9", "s10", "s11", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "memory");
  return flag;
}

// A handler runs for a signal sent to ourselves (at once, on the way back
// from sigsend) and for one that interrupts a loop in user code, which then
// goes on with every register as it was.
static void
t_sighandler(void)
{
  int me = getpid(), pid, st;

  handle(SIGUSR1, on_signal, 0, 0);
  CHECK(sigsend(me, SIGUSR1) == 0, "sigsend to self");
  CHECK(sig_count == 1 && sig_last == SIGUSR1, "handler calls %d, signal %d", sig_count, sig_last);
  CHECK(sig_inmask & SIGBIT(SIGUSR1), "the signal was not blocked in its handler");
  uint64 now;
  CHECK(sigprocmask(SIG_BLOCK, 0, &now) == 0 && now == 0, "mask after the handler 0x%lx", now);

  sig_count = 0;
  pid = sendlater(me, SIGUSR1, 5);
  uint64 changed = spin_until_handled();
  CHECK(changed == 0, "registers changed across the handler (or: 0x%lx)", changed);
  CHECK(wait(&st) == pid, "wait");

  // SA_NODEFER: not blocked inside; sa_mask: blocked inside
  handle(SIGUSR2, on_signal, SA_NODEFER, SIGBIT(SIGTERM));
  sigsend(me, SIGUSR2);
  CHECK(sig_last == SIGUSR2 && !(sig_inmask & SIGBIT(SIGUSR2)) && (sig_inmask & SIGBIT(SIGTERM)),
        "SA_NODEFER/sa_mask: mask in the handler 0x%lx", sig_inmask);
  // SA_RESETHAND: once, then the default (which ends us: check in a child)
  handle(SIGUSR2, on_signal, SA_RESETHAND, 0);
  sig_count = 0;
  sigsend(me, SIGUSR2);
  struct ksigaction old;
  CHECK(sig_count == 1 && sigaction(SIGUSR2, 0, &old) == 0 && old.handler == SIG_DFL,
        "SA_RESETHAND left handler 0x%lx", old.handler);

  // SA_SIGINFO: the sender's pid, the code, and the frame on our stack
  handle(SIGUSR1, (sighandler_t)on_siginfo, SA_SIGINFO, 0);
  pid = sendlater(me, SIGUSR1, 2);
  while(sig_info.signo == 0)
    ;
  CHECK(sig_info.signo == SIGUSR1 && sig_info.pid == pid && sig_info.code == SI_USER,
        "siginfo: signo %d pid %d (sender %d) code %d", sig_info.signo, sig_info.pid, pid,
        sig_info.code);
  CHECK(sig_frame != 0 && sig_frame < (uint64)&old && sig_frame > (uint64)&old - 4096,
        "frame at 0x%lx, our stack at %p", sig_frame, &old);
  CHECK(wait(&st) == pid, "wait");
}

// Blocked signals wait in sigpending until unblocked; SIGKILL and SIGSTOP
// cannot be blocked.
static void
t_sigmask(void)
{
  uint64 set = SIGBIT(SIGUSR1), got = 0, all = ~0UL;

  handle(SIGUSR1, on_signal, 0, 0);
  CHECK(sigprocmask(SIG_BLOCK, &set, 0) == 0, "block");
  CHECK(sigsend(getpid(), SIGUSR1) == 0 && sigsend(getpid(), SIGUSR1) == 0, "sigsend");
  CHECK(sig_count == 0, "a blocked signal was delivered");
  CHECK(sigpending(&got) == 0 && got == SIGBIT(SIGUSR1), "sigpending 0x%lx", got);
  CHECK(sigprocmask(SIG_UNBLOCK, &set, 0) == 0, "unblock");
  CHECK(sig_count == 1, "after unblocking: %d handler calls (signals do not queue)", sig_count);
  CHECK(sigpending(&got) == 0 && got == 0, "still pending 0x%lx", got);

  CHECK(sigprocmask(SIG_SETMASK, &all, 0) == 0 && sigprocmask(SIG_SETMASK, 0, &got) == 0,
        "block all");
  CHECK(got == (~0UL & ~SIGBIT(SIGKILL) & ~SIGBIT(SIGSTOP)), "blocked set 0x%lx", got);
  set = 0;
  CHECK(sigprocmask(SIG_SETMASK, &set, 0) == 0, "unblock all");

  // the mask survives fork and exec's reset of handlers keeps it (child)
  CHECK(sigprocmask(SIG_BLOCK, &all, 0) == 0, "block all");
  int pid = fork();
  if(pid == 0){
    sigprocmask(SIG_BLOCK, 0, &got);
    exit(got == (~0UL & ~SIGBIT(SIGKILL) & ~SIGBIT(SIGSTOP)) ? 0 : 1);
  }
  int st;
  CHECK(wait(&st) == pid && st == 0, "fork did not inherit the mask");
}

// SIG_IGN drops a signal; default actions ignore SIGCHLD and SIGCONT, end
// the process for the others (xv6 status -1, Linux's encoding with
// WPOSIXSTATUS) and SIGKILL can be neither caught, ignored nor blocked.
static void
t_sigdefault(void)
{
  int pid, st;
  uint64 got, all = ~0UL;

  handle(SIGUSR1, (sighandler_t)SIG_IGN, 0, 0);
  CHECK(sigsend(getpid(), SIGUSR1) == 0 && sigpending(&got) == 0 && got == 0, "ignored");
  CHECK(sigsend(getpid(), SIGCHLD) == 0 && sigsend(getpid(), SIGCONT) == 0, "default ignore");

  int sigs[] = { SIGTERM, SIGINT, SIGUSR2, SIGALRM, SIGHUP, SIGKILL };
  for(int i = 0; i < NELEM(sigs); i++){
    if((pid = fork()) == 0){
      for(;;)
        pause(100);
    }
    pause(2);
    CHECK(sigsend(pid, sigs[i]) == 0, "sigsend %d", sigs[i]);
    CHECK((st = posixstatus(pid)) == sigs[i], "signal %d: status 0x%x", sigs[i], st);
  }
  if((pid = fork()) == 0)
    exit(3);
  CHECK((st = posixstatus(pid)) == 3 << 8, "exit(3): status 0x%x", st);
  if((pid = fork()) == 0){
    pause(100);
    exit(0);
  }
  CHECK(sigsend(pid, SIGTERM) == 0 && wait(&st) == pid && st == -1, "xv6 status %d", st);

  // SIGKILL: ignoring everything and blocking everything does not help
  struct ksigaction a = { (unsigned long)on_signal, 0, 0, 0 };
  CHECK(sigaction(SIGKILL, &a, 0) == -EINVAL && sigaction(SIGSTOP, &a, 0) == -EINVAL,
        "SIGKILL or SIGSTOP accepted a handler");
  if((pid = fork()) == 0){
    for(int s = 1; s < NSIG; s++)
      if(s != SIGKILL && s != SIGSTOP)
        handle(s, (sighandler_t)SIG_IGN, 0, 0);
    sigprocmask(SIG_SETMASK, &all, 0);
    for(;;)
      ;
  }
  pause(2);
  CHECK(sigsend(pid, SIGTERM) == 0, "sigsend");
  pause(2);
  CHECK(waitpid(pid, &st, WNOHANG) == 0, "an ignored SIGTERM ended the child");
  CHECK(kill(pid) == 0 && (st = posixstatus(pid)) == SIGKILL, "kill: status 0x%x", st);
}

// A blocking call ends with -EINTR when a handler is to run; with
// SA_RESTART, read and write go on instead.
static void
t_sigeintr(void)
{
  int p[2], me = getpid(), pid, st, t0;
  char c;

  handle(SIGUSR1, on_signal, 0, 0);
  CHECK(pipe(p) == 0, "pipe");
  pid = sendlater(me, SIGUSR1, 3);
  CHECK(__sys_read(p[0], &c, 1) == -EINTR && sig_count == 1, "pipe read: no EINTR");
  wait(&st);

  t0 = uptime();
  pid = sendlater(me, SIGUSR1, 3);
  CHECK(pause(500) == -EINTR && uptime() - t0 < 300, "pause: no EINTR");
  CHECK(wait(&st) == pid, "wait");

  // wait itself: a child that never ends and one that signals us
  int sleeper = fork();
  if(sleeper == 0){
    pause(1000);
    exit(0);
  }
  pid = sendlater(me, SIGUSR1, 3);
  CHECK(waitpid(sleeper, &st, 0) == -EINTR, "waitpid: no EINTR");
  kill(sleeper);
  waitpid(sleeper, &st, 0);
  waitpid(pid, &st, 0);

  // a socket's receiver, and a console reader (our stdin: nobody types)
  int u = boundsock(SOCK_DGRAM, 7412);
  pid = sendlater(me, SIGUSR1, 3);
  CHECK(recv(u, buf, 1, 0) == -1 && errno == EINTR, "recv: errno %d", errno);
  wait(&st);
  close(u);
  pid = sendlater(me, SIGUSR1, 3);
  CHECK(__sys_read(0, buf, 1) == -EINTR, "console read: no EINTR");
  wait(&st);

  // a full pipe's writer (filled without blocking, whatever its size)
  CHECK(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0, "fcntl");
  while(write(p[1], "x", 1) == 1)
    ;
  CHECK(errno == EAGAIN && fcntl(p[1], F_SETFL, 0) == 0, "fill: errno %d", errno);
  pid = sendlater(me, SIGUSR1, 3);
  CHECK(__sys_write(p[1], "y", 1) == -EINTR, "pipe write: no EINTR");
  wait(&st);
  while(__sys_read(p[0], buf, sizeof(buf)) == 512)   // empty it
    break;

  // SA_RESTART: the read goes on and gets the byte written after the signal
  handle(SIGUSR1, on_signal, SA_RESTART, 0);
  sig_count = 0;
  if((pid = fork()) == 0){
    pause(3);
    sigsend(me, SIGUSR1);
    pause(3);
    write(p[1], "z", 1);
    exit(0);
  }
  CHECK(__sys_read(p[0], &c, 1) == 1 && c == 'z' && sig_count == 1,
        "restarted read: count %d byte %c", sig_count, c);
  wait(&st);

  // sigsuspend: waits with the given mask until a handler has run
  uint64 block = SIGBIT(SIGUSR1), none = 0, now;
  sigprocmask(SIG_BLOCK, &block, 0);
  sig_count = 0;
  pid = sendlater(me, SIGUSR1, 3);
  CHECK(sigsuspend(&none) == -EINTR && sig_count == 1, "sigsuspend");
  CHECK(sigprocmask(SIG_BLOCK, 0, &now) == 0 && now == block, "mask after sigsuspend 0x%lx", now);
  wait(&st);
  close(p[0]);
  close(p[1]);
}

// SIGCHLD comes when a child ends; ignoring it means init reaps them.
static void
t_sigchld(void)
{
  int pid, st;

  handle(SIGCHLD, on_signal, 0, 0);
  if((pid = fork()) == 0)
    exit(0);
  CHECK(wait(&st) == pid, "wait");
  CHECK(sig_count == 1 && sig_last == SIGCHLD, "SIGCHLD: %d calls", sig_count);

  handle(SIGCHLD, (sighandler_t)SIG_IGN, 0, 0);
  if((pid = fork()) == 0){
    pause(3);
    exit(0);
  }
  CHECK(wait(&st) == -1, "a child of a parent ignoring SIGCHLD was left to it");
  CHECK(sigsend(pid, 0) == -ESRCH, "the child was not reaped");
}

// A write to a pipe nobody reads: SIGPIPE ends the writer, or with SIGPIPE
// ignored the write fails with EPIPE.
static void
t_sigpipe(void)
{
  int p[2], pid, st;

  CHECK(pipe(p) == 0, "pipe");
  close(p[0]);
  if((pid = fork()) == 0){
    write(p[1], "x", 1);
    exit(0);
  }
  CHECK((st = posixstatus(pid)) == SIGPIPE, "writer status 0x%x", st);
  handle(SIGPIPE, (sighandler_t)SIG_IGN, 0, 0);
  CHECK(__sys_write(p[1], "x", 1) == -EPIPE, "write without SIGPIPE");
  close(p[1]);
}

// alarm: SIGALRM after the seconds asked; a new alarm returns what was left.
static void
t_alarm(void)
{
  int pid, st, t0;

  handle(SIGALRM, on_signal, 0, 0);
  t0 = uptime();
  CHECK(alarm(1) == 0, "no alarm before");
  CHECK(pause(500) == -EINTR && sig_last == SIGALRM, "pause was not ended by SIGALRM");
  int took = uptime() - t0;
  CHECK(took >= 90 && took < 300, "SIGALRM after %d ticks", took);
  CHECK(alarm(5) == 0, "the alarm was not spent");
  int left = alarm(0);
  CHECK(left >= 4 && left <= 5, "alarm(0) returned %d", left);
  pause(20);
  CHECK(sig_count == 1, "a cancelled alarm fired");
  if((pid = fork()) == 0){
    handle(SIGALRM, (sighandler_t)SIG_DFL, 0, 0);   // (the handler was inherited)
    alarm(1);
    for(;;)
      ;
  }
  CHECK((st = posixstatus(pid)) == SIGALRM, "default SIGALRM: status 0x%x", st);
}

// Forged and misplaced sigreturn frames end the process with SIGSEGV and
// never give it the kernel's privileges.
static struct sigframe forged;
static char forgestack[4096] __attribute__((aligned(16)));

static void
read_kernel(void)
{
  volatile uint64 x = *(volatile uint64*)KERNADDR;   // faults in user mode
  (void)x;
  exit(0);
}

static void
sigreturn_at(uint64 sp)
{
  asm volatile("mv sp, %0; li a7, %1; ecall" :: "r"(sp), "i"(SYS_sigreturn) : "memory");
  exit(0);   // (its sp is gone: never reached after a good frame)
}

static void forge_kernelpc(void) { forged.pc = KERNADDR; sigreturn_at((uint64)&forged); }
static void forge_hugepc(void) { forged.pc = ALLONES - 3; sigreturn_at((uint64)&forged); }
static void forge_oddpc(void) { forged.pc = (uint64)read_kernel + 1; sigreturn_at((uint64)&forged); }
static void forge_magic(void) { forged.magic = 0; sigreturn_at((uint64)&forged); }
static void forge_nullsp(void) { sigreturn_at(0); }
static void forge_kernsp(void) { sigreturn_at(KERNADDR); }
static void forge_topsp(void) { sigreturn_at(MAXVA - 64); }
static void forge_none(void) { sigreturn(); exit(0); }   // no handler, no frame
static void forge_user(void) { sigreturn_at((uint64)&forged); }   // valid: runs read_kernel

static void
t_sigframe(void)
{
  struct { void (*f)(void); char *what; } cases[] = {
    { forge_kernelpc, "kernel pc" }, { forge_hugepc, "pc past MAXVA" },
    { forge_oddpc, "odd pc" }, { forge_magic, "no magic" }, { forge_nullsp, "sp 0" },
    { forge_kernsp, "sp in the kernel" }, { forge_topsp, "sp at the trampoline" },
    { forge_none, "no frame" },
    // a well-formed frame may go anywhere in user space, but in user mode:
    // the kernel read there must fault
    { forge_user, "a frame into code reading the kernel" },
  };

  for(int i = 0; i < NELEM(cases); i++){
    memset(&forged, 0, sizeof(forged));
    forged.magic = SIGFRAME_MAGIC;
    forged.pc = (uint64)read_kernel;
    forged.regs[1] = (uint64)forgestack + sizeof(forgestack);   // sp
    forged.mask = ~0UL;   // (SIGKILL must stay unblocked)
    int pid = fork();
    if(pid == 0){
      cases[i].f();
      exit(0);
    }
    int st = posixstatus(pid);
    CHECK(st == SIGSEGV, "%s: status 0x%x, not SIGSEGV", cases[i].what, st);
  }
  CHECK(kstat(KSTAT_NPROC) >= 2, "the kernel lost processes");
}

// Bad arguments get errors: numbers, pointers, handler addresses, flags.
static void
t_sigbadargs(void)
{
  struct ksigaction a = { (unsigned long)on_signal, 0, (unsigned long)sigreturn, 0 }, old;
  // (not 1: user memory starts at 0, and 1 is SIG_IGN)
  uint64 bad[] = { KERNADDR, MAXUVA, MAXVA - 8, ALLONES, 0x7ffffffffUL };
  int sigs[] = { 0, -1, NSIG, 64, 1000, -0x7fffffff - 1 };
  uint64 set = 0;

  for(int i = 0; i < NELEM(sigs); i++){
    CHECK(__sigaction(sigs[i], &a, 0) == -EINVAL, "sigaction(%d)", sigs[i]);
    CHECK(__sigaction(sigs[i], 0, &old) == -EINVAL, "sigaction(%d) query", sigs[i]);
    CHECK(sigsend(getpid(), sigs[i]) == (sigs[i] == 0 ? 0 : -EINVAL), "sigsend sig %d", sigs[i]);
  }
  for(int i = 0; i < NELEM(bad); i++){
    CHECK(__sigaction(SIGUSR1, (void*)bad[i], 0) == -EFAULT, "act %p", (void*)bad[i]);
    CHECK(__sigaction(SIGUSR1, 0, (void*)bad[i]) == -EFAULT, "old %p", (void*)bad[i]);
    CHECK(sigprocmask(SIG_BLOCK, (void*)bad[i], 0) == -EFAULT, "set %p", (void*)bad[i]);
    CHECK(sigprocmask(SIG_BLOCK, 0, (void*)bad[i]) == -EFAULT, "oldset %p", (void*)bad[i]);
    CHECK(sigpending((void*)bad[i]) == -EFAULT, "sigpending %p", (void*)bad[i]);
    CHECK(sigsuspend((void*)bad[i]) == -EFAULT, "sigsuspend %p", (void*)bad[i]);
    a.handler = bad[i];
    CHECK(__sigaction(SIGUSR1, &a, 0) == -EINVAL, "handler %p accepted", (void*)bad[i]);
    a.handler = (uint64)on_signal;
    a.restorer = bad[i];
    CHECK(__sigaction(SIGUSR1, &a, 0) == -EINVAL, "restorer %p accepted", (void*)bad[i]);
    a.restorer = (uint64)sigreturn;
  }
  a.restorer = 0;
  CHECK(__sigaction(SIGUSR1, &a, 0) == -EINVAL, "a handler without a restorer");
  a.restorer = (uint64)sigreturn;
  a.handler = (uint64)on_signal + 1;
  CHECK(__sigaction(SIGUSR1, &a, 0) == -EINVAL, "an odd handler address");
  a.handler = (uint64)on_signal;
  a.flags = 0x08000000;   // SA_ONSTACK: no alternate stacks here
  CHECK(__sigaction(SIGUSR1, &a, 0) == -EINVAL, "unknown flags");
  CHECK(sigprocmask(3, &set, 0) == -EINVAL && sigprocmask(-1, &set, 0) == -EINVAL, "how");
  CHECK(sigprocmask(77, 0, &set) == 0, "how is not looked at without a set");
  int pids[] = { 0, -1, -2, 0x7fffffff, 99999 };
  for(int i = 0; i < NELEM(pids); i++)
    CHECK(sigsend(pids[i], SIGUSR1) == -ESRCH, "sigsend pid %d", pids[i]);
  CHECK(sigsend(getpid(), 0) == 0, "sig 0 to self");
  CHECK(sigsend(1, SIGKILL) == -EPERM && sigsend(1, SIGSTOP) == -EPERM, "SIGKILL to init");
  CHECK(sigsend(1, SIGTERM) == 0 && sigsend(1, SIGINT) == 0 && sigsend(1, SIGSEGV) == 0,
        "signals to init");
  pause(2);
  CHECK(sigsend(1, 0) == 0, "init is gone");

  // random actions and signals, each in a child that may well die of them
  static const uint64 vals[] = { 0, 1, 2, 4, 0x1000, KERNADDR, MAXUVA - 2, ALLONES,
                                 SA_RESTART, SA_RESETHAND | SA_NODEFER, SA_SIGINFO };
  seed = 12345;
  for(int i = 0; i < 60; i++){
    int pid = fork();
    if(pid == 0){
      for(int k = 0; k < 20; k++){
        struct ksigaction r = { vals[rnd() % NELEM(vals)], vals[rnd() % NELEM(vals)],
                                rnd() % 2 ? (uint64)sigreturn : vals[rnd() % NELEM(vals)],
                                vals[rnd() % NELEM(vals)] };
        if(rnd() % 3 == 0)
          r.handler = (uint64)on_signal;
        __sigaction(rnd() % 34, &r, 0);
        uint64 m = vals[rnd() % NELEM(vals)];
        sigprocmask(rnd() % 4, &m, 0);
        sigsend(getpid(), rnd() % 34);
      }
      exit(0);
    }
    for(int k = 0; k < 20; k++)
      rnd(), rnd(), rnd(), rnd(), rnd(), rnd(), rnd(), rnd(), rnd();
    int st, w = 0;
    for(int t = 0; t < 20 && (w = waitpid(pid, &st, WNOHANG)) == 0; t++)
      pause(1);
    if(w == 0)   // it stopped itself (SIGSTOP, SIGTSTP...): SIGKILL still works
      CHECK(kill(pid) == 0 && waitpid(pid, &st, 0) == pid, "kill a stopped child");
  }
}

// exec: a caught signal goes back to its default action (the handler's
// code is gone); an ignored one stays ignored, and the mask stays.
static void
t_sigexec(void)
{
  int p[2], pid, st;
  char *argv[] = { "cat", 0 };
  uint64 term = SIGBIT(SIGTERM);

  CHECK(pipe(p) == 0, "pipe");
  if((pid = fork()) == 0){
    handle(SIGUSR1, on_signal, 0, 0);
    handle(SIGUSR2, (sighandler_t)SIG_IGN, 0, 0);
    sigprocmask(SIG_BLOCK, &term, 0);
    close(0);
    dup(p[0]);
    close(p[0]);
    close(p[1]);
    exec("/cat", argv);   // reads the pipe until we end it
    exit(99);
  }
  close(p[0]);
  pause(10);
  CHECK(sigsend(pid, SIGUSR2) == 0 && sigsend(pid, SIGTERM) == 0, "sigsend");
  pause(5);
  CHECK(waitpid(pid, &st, WNOHANG) == 0, "an ignored or blocked signal ended the program");
  CHECK(sigsend(pid, SIGUSR1) == 0, "sigsend");
  CHECK((st = posixstatus(pid)) == SIGUSR1, "SIGUSR1 after exec: status 0x%x", st);
  close(p[1]);
}

// A send on a socket shut for writing fails with EPIPE and raises SIGPIPE,
// unless MSG_NOSIGNAL.
static void
t_sigpipesock(void)
{
  int u = boundsock(SOCK_DGRAM, 7411), pid, st;
  struct sockaddr_in sa;

  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons(9);
  sa.sin_addr.s_addr = inet_addr("10.0.2.2");
  CHECK(connect(u, (struct sockaddr*)&sa, sizeof(sa)) == 0, "connect");
  CHECK(shutdown(u, SHUT_WR) == 0, "shutdown");
  CHECK(send(u, "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "MSG_NOSIGNAL: errno %d", errno);
  if((pid = fork()) == 0){
    send(u, "x", 1, 0);
    exit(0);
  }
  CHECK((st = posixstatus(pid)) == SIGPIPE, "send: status 0x%x", st);
  if((pid = fork()) == 0){
    write(u, "x", 1);
    exit(0);
  }
  CHECK((st = posixstatus(pid)) == SIGPIPE, "write: status 0x%x", st);
  close(u);
}

// SIGSTOP stops a process (it makes no progress) until SIGCONT.
static void
t_sigstop(void)
{
  int p[2], pid, st;
  char c;

  CHECK(pipe(p) == 0, "pipe");
  if((pid = fork()) == 0){
    close(p[0]);
    for(;;){
      write(p[1], "t", 1);
      pause(1);
    }
  }
  close(p[1]);
  CHECK(read(p[0], &c, 1) == 1, "the child runs");
  CHECK(sigsend(pid, SIGSTOP) == 0, "SIGSTOP");
  pause(10);   // (a write under way when it came may still land)
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  while(read(p[0], buf, sizeof(buf)) > 0)
    ;
  pause(20);
  CHECK(read(p[0], buf, sizeof(buf)) < 0, "a stopped process wrote");
  CHECK(sigsend(pid, SIGCONT) == 0, "SIGCONT");
  pause(20);
  CHECK(read(p[0], buf, sizeof(buf)) > 0, "no progress after SIGCONT");
  CHECK(sigsend(pid, SIGSTOP) == 0 && kill(pid) == 0, "kill a stopped process");
  CHECK((st = posixstatus(pid)) == SIGKILL, "status 0x%x", st);
  close(p[0]);
}

// Ctrl-C test (tests/integration: test_kernel.py): loop until a signal ends us.
static void
t_ctrlc(void)
{
  printf("spinning until ^C\n");
  for(;;)
    ;
}

// ---------------------------------------------------------------- execve (54)

// execve: the environment reaches the new program (main's third argument:
// posixtest prints what getenv finds); bad vectors, too many strings and
// ones too big for the new stack are refused, the caller going on.
static void
t_execve(void)
{
  char *argv[] = { "posixtest", "getenv", "KT", 0 }, *env[] = { "KT=from kerneltests", 0 };
  char *many[MAXARG + 2], big[600];
  int p[2], pid, st, n;

  CHECK(pipe(p) == 0, "pipe");
  if((pid = fork()) == 0){
    close(1);
    dup(p[1]);
    close(p[0]);
    close(p[1]);
    execve("/posixtest", argv, env);
    exit(99);
  }
  close(p[1]);
  n = read(p[0], buf, 64);
  close(p[0]);
  CHECK(n == 17 && memcmp(buf, "from kerneltests\n", 17) == 0, "the child's getenv: %d bytes", n);
  CHECK(waitpid(pid, &st, 0) == pid && st == 0, "the child exited %d", st);
  setbadaddrs();
  for(int i = 0; i < NBAD; i++)
    if(badaddrs[i] != 0)   // address 0 is readable program text: an envp that may work
      CHECK(execve("/posixtest", argv, (char**)badaddrs[i]) < 0, "envp %p accepted",
            (void*)badaddrs[i]);
  for(int i = 0; i < MAXARG + 1; i++)
    many[i] = "A=1";
  many[MAXARG + 1] = 0;
  CHECK(execve("/posixtest", argv, many) < 0, "%d environment strings accepted", MAXARG + 1);
  memset(big, 'b', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  for(int i = 0; i < 8; i++)
    many[i] = big;
  many[8] = 0;
  CHECK(execve("/posixtest", argv, many) < 0, "4.8 KB of environment accepted on a one-page stack");
  env[1] = (char*)badaddrs[1];
  CHECK(execve("/posixtest", argv, env) < 0, "an environment string at %p accepted", env[1]);
}

// ---------------------------------------------------------------- the runner

// ---------------------------------------------------------------- profiler
static volatile uint64 profspins;

// A user loop that the samples must find: almost all its time is in user code.
__attribute__((noinline)) static void
profspin(int ticks)
{
  int t0 = uptime();

  while(uptime() - t0 < ticks)
    for(int i = 0; i < 200000; i++)
      profspins++;
}

// profile(2): bad arguments are refused; samples of a user loop appear, with
// pcs in its text; reading them to the end gives the rings' memory back.
static void
t_profile(void)
{
  static struct profsample s[64];
  struct profinfo pi;
  long free0 = kstat(KSTAT_FREEPAGES), n, total = 0, mine = 0, inspin = 0;
  int pid = getpid();

  profile(PROF_DISCARD, 0, 0);   // nothing left from an earlier run
  CHECK(profile(0, 0, 0) == -EINVAL && profile(99, 0, 0) == -EINVAL, "bad op");
  CHECK(profile(PROF_START, 0, 50) == -EINVAL, "start at 50 Hz");
  CHECK(profile(PROF_START, 0, PROF_HZ_MAX + 1) == -EINVAL, "start above PROF_HZ_MAX");
  CHECK(profile(PROF_INFO, (void*)KERNADDR, sizeof(pi)) == -EFAULT, "info to kernel memory");
  CHECK(profile(PROF_INFO, &pi, 4) == -EINVAL, "info into 4 bytes");
  CHECK(profile(PROF_STOP, 0, 0) == 0, "stop when not running");
  CHECK(profile(PROF_START, 0, 2000) == 0, "start at 2000 Hz");
  CHECK(profile(PROF_START, 0, 2000) == -EBUSY, "a second start");
  profspin(30);
  n = profile(PROF_STOP, 0, 0);
  CHECK(n > 0, "stop after 0.3 s of spinning: %ld samples", n);
  CHECK(profile(PROF_INFO, &pi, sizeof(pi)) == 0 && pi.hz == 2000 && !pi.running &&
        pi.held == n, "info: hz %d running %d held %ld", pi.hz, pi.running, pi.held);
  CHECK(profile(PROF_READ, s, sizeof(s[0]) - 1) == -EINVAL, "read into less than a sample");
  CHECK(profile(PROF_READ, (void*)KERNADDR, sizeof(s)) == -EFAULT, "read into kernel memory");
  CHECK(profile(PROF_READ, (void*)ALLONES, sizeof(s)) == -EFAULT, "read to address -1");
  while((n = profile(PROF_READ, s, sizeof(s))) > 0){
    for(int i = 0; i < n; i++){
      // PROF_IRQSOFF only on kernel and idle samples (and only from the machine timer)
      CHECK((s[i].mode & PROF_MODE) >= PROF_USER && (s[i].mode & ~(PROF_MODE | PROF_IRQSOFF)) == 0 &&
            s[i].mode != (PROF_USER | PROF_IRQSOFF), "sample mode %d", s[i].mode);
      if(s[i].pid != pid || s[i].mode != PROF_USER)
        continue;
      mine++;
      CHECK(s[i].pc < (uint64)buf, "a user pc 0x%lx past the program's text", s[i].pc);
      inspin += s[i].pc >= (uint64)profspin && s[i].pc < (uint64)profspin + 256;
    }
    total += n;
  }
  CHECK(n == 0, "read returned %ld", n);
  CHECK(total == pi.held, "read %ld samples of %ld", total, pi.held);
  // 0.3 s at 2000 Hz: about 600 on this hart; TCG under load may deliver fewer
  CHECK(mine >= 20 && inspin * 2 > mine, "%ld user samples of this process, %ld in the loop",
        mine, inspin);
  CHECK(profile(PROF_INFO, &pi, sizeof(pi)) == 0 && pi.harts == 0 && pi.held == 0,
        "rings kept after reading to the end");
  CHECK(kstat(KSTAT_FREEPAGES) >= free0 - 8, "pages not given back: %ld free, %ld before",
        kstat(KSTAT_FREEPAGES), free0);
  CHECK(profile(PROF_START, 0, 0) == 0 && profile(PROF_DISCARD, 0, 0) == 0, "start, discard");
  CHECK(kstat(KSTAT_FREEPAGES) >= free0 - 8, "discard kept pages");
}

struct test {
  char *name;
  void (*f)(void);
  int slow;   // run only when named (a minute or more)
} tests[] = {
  { "forkwait", t_forkwait },
  { "exec", t_exec },
  { "execstorm", t_execstorm },
  { "forkfull", t_forkfull },
  { "kill", t_kill },
  { "misc", t_misc },
  { "pipedata", t_pipedata },
  { "pipeends", t_pipeends },
  { "files", t_files },
  { "unlinkopen", t_unlinkopen },
  { "bigfile", t_bigfile },
  { "killwrite", t_killwrite },
  { "concfiles", t_concfiles },
  { "sharedfd", t_sharedfd },
  { "createrace", t_createrace },
  { "dirs", t_dirs },
  { "rmcwd", t_rmcwd },
  { "bigdir", t_bigdir },
  { "devices", t_devices },
  { "names", t_names },
  { "deep", t_deep },
  { "links", t_links },
  { "rename", t_rename },
  { "renamerace", t_renamerace },
  { "fdlimit", t_fdlimit },
  { "sbrk", t_sbrk },
  { "faults", t_faults },
  { "lazy", t_lazy },
  { "oom", t_oom },
  { "lazyoom", t_lazyoom },
  { "badread", t_badread },
  { "badwrite", t_badwrite },
  { "badpath", t_badpath },
  { "badexec", t_badexec },
  { "badelf", t_badelf },
  { "badwait", t_badwait },
  { "waitpid", t_waitpid },
  { "forkshare", t_forkshare },
  { "random", t_random },
  { "deaddir", t_deaddir },
  { "killinit", t_killinit },
  { "badwritetail", t_badwritetail },
  { "linkmax", t_linkmax, 1 },
  { "linkfull", t_linkfull, 1 },
  { "killrace", t_killrace },
  { "sockkillrace", t_sockkillrace },
  { "socktimeouts", t_socktimeouts },
  { "pipenonblock", t_pipenonblock },
  { "sighandler", t_sighandler },
  { "sigmask", t_sigmask },
  { "sigdefault", t_sigdefault },
  { "sigeintr", t_sigeintr },
  { "sigchld", t_sigchld },
  { "sigpipe", t_sigpipe },
  { "alarm", t_alarm },
  { "sigframe", t_sigframe },
  { "sigbadargs", t_sigbadargs },
  { "sigstop", t_sigstop },
  { "sigexec", t_sigexec },
  { "sigpipesock", t_sigpipesock },
  { "ctrlc", t_ctrlc, 1 },
  { "truncrace", t_truncrace },
  { "clock", t_clock },
  { "pollready", t_pollready },
  { "pollbad", t_pollbad },
  { "pollwake", t_pollwake },
  { "polltimeout", t_polltimeout },
  { "pollkill", t_pollkill },
  { "pollsock", t_pollsock },
  { "pollrandom", t_pollrandom },
  { "lseek", t_lseek },
  { "dup3", t_dup3 },
  { "pio", t_pio },
  { "append", t_append },
  { "execve", t_execve },
  { "profile", t_profile },
  { 0, 0 },
};

#define PASSED 77   // exit status of a test process that finished its test

// Run one test in its own process; 1 if it passed.
static int
runtest(struct test *t)
{
  int pid, st = -1, t0 = uptime();

  testname = t->name;
  if((pid = fork()) < 0){
    printf("test %s: FAILED (cannot fork)\n", t->name);
    return 0;
  }
  if(pid == 0){
    t->f();
    exit(PASSED);
  }
  wait(&st);
  if(st != PASSED){
    printf("test %s: FAILED (exit status %d)\n", t->name, st);
    return 0;
  }
  printf("test %s: OK (%d ticks)\n", t->name, uptime() - t0);
  return 1;
}

// Runs last: nothing leaked across the whole run.
static int
checkleaks(long free0)
{
  long free1;
  int i;

  // orphans of the tests may still be waiting for init to reap them
  for(i = 0; i < 20 && (free1 = kstat(KSTAT_FREEPAGES)) < free0 - 8; i++)
    pause(5);
  if(free1 < free0 - 8){
    printf("test leaks: FAILED (%ld free pages before, %ld after)\n", free0, free1);
    return 0;
  }
  printf("test leaks: OK\n");
  printf("kernel stack high-water mark: %ld of %d bytes\n", kstat(KSTAT_KSTACK),
         KSTACKPAGES * PGSIZE);
  return 1;
}

static int
wanted(struct test *t, int argc, char **argv)
{
  int i;
  char *name = t->name;

  if(argc < 2)
    return !t->slow;
  for(i = 1; i < argc; i++)
    if(strcmp(argv[i], name) == 0)
      return 1;
  return 0;
}

int
main(int argc, char *argv[])
{
  struct test *t;
  int failed = 0;
  long free0;

  rmtree("/ktdir");             // left over from an interrupted run
  mkdir("/ktdir");
  if(chdir("/ktdir") < 0){
    printf("kerneltests: cannot use /ktdir\n");
    exit(1);
  }
  free0 = kstat(KSTAT_FREEPAGES);
  for(t = tests; t->name; t++)
    if(wanted(t, argc, argv) && !runtest(t))
      failed++;
  if(!checkleaks(free0))
    failed++;
  chdir("/");
  if(unlink("/ktdir") < 0){
    printf("kerneltests: a test left files behind in /ktdir\n");
    rmtree("/ktdir");
  }
  if(failed)
    printf("SOME TESTS FAILED: %d\n", failed);
  else
    printf("ALL TESTS PASSED\n");
  return failed != 0;
}
