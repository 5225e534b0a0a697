// Files, directories, descriptors and streams.
#define _GNU_SOURCE   // dup3, F_DUPFD_CLOEXEC
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "posixtest.h"

static int
what_is(const char *path)   // 0: nothing there
{
  struct stat st;

  return stat(path, &st) == 0 ? (S_ISDIR(st.st_mode) ? 'd' : 'f') : 0;
}

void
files(void)
{
  char line[80], buf[32];
  struct stat st;
  FILE *f;
  int fd, lines = 0;

  unlink("/pt.txt");
  CHECK((f = fopen("/pt.txt", "w")) != 0, "fopen for writing");
  fprintf(f, "first line\nsecond %d\n", 2);
  fputs("third\n", f);
  CHECK(fclose(f) == 0, "fclose");
  CHECK((f = fopen("/pt.txt", "r")) != 0, "fopen for reading");
  while(fgets(line, sizeof(line), f))
    lines++;
  CHECK(lines == 3 && strcmp(line, "third\n") == 0, "fgets reads three lines");
  fclose(f);
  CHECK((f = fopen("/pt.txt", "a")) != 0 && fputs("fourth\n", f) >= 0 && fclose(f) == 0,
        "fopen \"a\" (O_APPEND)");
  char *text = 0;
  size_t cap = 0;
  ssize_t len;
  lines = 0;
  CHECK((f = fopen("/pt.txt", "r")) != 0, "fopen again");
  while(f && (len = getline(&text, &cap, f)) > 0)
    lines += text[len - 1] == '\n';
  CHECK(lines == 4 && strcmp(text, "fourth\n") == 0 && cap >= 8, "getline reads four lines");
  CHECK(f && getdelim(&text, &cap, ' ', f) == -1 && feof(f), "getdelim at the end: -1");
  CHECK(getline(0, &cap, f) == -1 && errno == EINVAL, "getline without a buffer: EINVAL");
  free(text);
  if(f)
    fclose(f);
  CHECK(stat("/pt.txt", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 33, "stat: S_ISREG, size");
  CHECK(stat("/", &st) == 0 && S_ISDIR(st.st_mode), "stat: S_ISDIR");
  CHECK(fopen("/no/such/file", "r") == 0 && errno == ENOENT, "fopen of a missing file: ENOENT");

  CHECK((fd = open("/pt.txt", O_RDWR)) >= 0, "open");
  CHECK(lseek(fd, 6, SEEK_SET) == 6 && read(fd, buf, 4) == 4 && memcmp(buf, "line", 4) == 0,
        "lseek, read");
  CHECK(lseek(fd, -7, SEEK_END) == 26 && read(fd, buf, 6) == 6 && memcmp(buf, "fourth", 6) == 0,
        "lseek from the end");
  CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "first", 5) == 0 && lseek(fd, 0, SEEK_CUR) == 32,
        "pread keeps the offset");
  CHECK(lseek(fd, -100, SEEK_SET) == -1 && errno == EINVAL, "lseek before the start: EINVAL");
  close(fd);
  CHECK(open("/pt.txt", O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST,
        "O_CREAT|O_EXCL on an existing file: EEXIST");
  CHECK(open("/", O_CREAT | O_RDONLY, 0644) == -1 && errno == EISDIR &&
        open("/", O_RDWR) == -1 && errno == EISDIR, "open of a directory to write: EISDIR");
  CHECK((fd = open("/pt.txt", O_WRONLY | O_TRUNC)) >= 0 && write(fd, "x", 1) == 1 &&
        fstat(fd, &st) == 0 && st.st_size == 1, "O_TRUNC");
  close(fd);
  CHECK(read(fd, buf, 1) == -1 && errno == EBADF, "read of a closed fd: EBADF");
  CHECK(lseek(0, 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek on the console: ESPIPE");
  CHECK(isatty(1) || !isatty(1), "isatty answers");
  unlink("/pt.txt");

  CHECK(mkdir("/ptdir", 0755) == 0 && mkdir("/ptdir", 0755) == -1 && errno == EEXIST,
        "mkdir, and again: EEXIST");
  CHECK(mkdir("/nowhere/x", 0755) == -1 && errno == ENOENT, "mkdir in a missing directory: ENOENT");
  CHECK((fd = open("/ptdir/f", O_CREAT | O_WRONLY, 0644)) >= 0 && close(fd) == 0, "a file in it");
  CHECK(unlink("/ptdir") == -1 && errno == EISDIR, "unlink of a directory: EISDIR");
  CHECK(rmdir("/ptdir") == -1 && errno == ENOTEMPTY, "rmdir of a full directory: ENOTEMPTY");
  CHECK(rmdir("/ptdir/f") == -1 && errno == ENOTDIR, "rmdir of a file: ENOTDIR");
  CHECK(chdir("/ptdir/f") == -1 && errno == ENOTDIR, "chdir to a file: ENOTDIR");
  CHECK(link("/ptdir/f", "/ptdir/g") == 0 && link("/ptdir/f", "/ptdir/g") == -1 &&
        errno == EEXIST, "link, and again: EEXIST");
  CHECK(rename("/ptdir/g", "/ptdir/h") == 0 && rename("/ptdir/g", "/ptdir/h") == -1 &&
        errno == ENOENT, "rename, and again: ENOENT");
  CHECK(unlink("/ptdir/f") == 0 && unlink("/ptdir/h") == 0 && unlink("/ptdir/h") == -1 &&
        errno == ENOENT, "unlink, and again: ENOENT");
  CHECK(rmdir("/ptdir") == 0 && what_is("/ptdir") == 0, "rmdir of the empty directory");

  char cwd[64], tiny[8], *dyn;
  CHECK(mkdir("/ptcwd", 0755) == 0 && mkdir("/ptcwd/inner", 0755) == 0 &&
        chdir("/ptcwd/inner") == 0, "chdir into a new directory");
  CHECK(getcwd(cwd, sizeof(cwd)) == cwd && strcmp(cwd, "/ptcwd/inner") == 0, "getcwd");
  CHECK(getcwd(tiny, sizeof(tiny)) == 0 && errno == ERANGE, "getcwd into too small a buffer: ERANGE");
  CHECK((dyn = getcwd(0, 0)) != 0 && strcmp(dyn, "/ptcwd/inner") == 0, "getcwd(NULL, 0) allocates");
  free(dyn);
  CHECK(chdir("..") == 0 && getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/ptcwd") == 0, "getcwd after ..");
  CHECK(chdir("/") == 0 && getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/") == 0, "getcwd at the root");
  CHECK(rmdir("/ptcwd/inner") == 0 && rmdir("/ptcwd") == 0, "rmdir both");

  DIR *d;
  struct dirent *e;
  int dots = 0, echo = 0, entries = 0;
  CHECK((d = opendir("/")) != 0, "opendir /");
  while(d && (e = readdir(d)) != 0){
    entries++;
    dots += strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    echo += strcmp(e->d_name, "echo") == 0 && e->d_ino > 0;
  }
  CHECK(dots == 2 && echo == 1 && entries > 10, "readdir finds ., .. and echo");
  rewinddir(d);
  CHECK(readdir(d) && strcmp(readdir(d)->d_name, "..") == 0, "rewinddir");
  CHECK(closedir(d) == 0, "closedir");
  CHECK(opendir("/echo") == 0 && errno == ENOTDIR, "opendir of a file: ENOTDIR");
  CHECK(opendir("/nowhere") == 0 && errno == ENOENT, "opendir of nothing: ENOENT");
}

// stdout into a file through dup2, then back.
void
redirect(void)
{
  char buf[64];
  int fd, saved, n;

  fflush(stdout);
  CHECK((saved = dup(1)) >= 0, "dup");
  CHECK((fd = open("/pt.out", O_CREAT | O_TRUNC | O_WRONLY, 0644)) >= 0, "open /pt.out");
  CHECK(dup2(fd, 1) == 1, "dup2 onto stdout");
  printf("into the file %d\n", 7);
  fflush(stdout);
  CHECK(dup2(saved, 1) == 1 && close(saved) == 0 && close(fd) == 0, "stdout back");
  CHECK(dup2(5, 5) == -1 && errno == EBADF, "dup2 of a closed fd: EBADF");
  CHECK(dup2(1, 1) == 1, "dup2 onto itself");
  CHECK((fd = fcntl(1, F_DUPFD, 10)) >= 10 && close(fd) == 0, "fcntl F_DUPFD");
  CHECK(fcntl(1, F_DUPFD, 100000) == -1 && errno == EMFILE, "F_DUPFD past the table: EMFILE");
  fd = open("/pt.out", O_RDONLY);
  n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  CHECK(strcmp(buf, "into the file 7\n") == 0, "dup2: printf went to the file");
  unlink("/pt.out");
}

// Whether descriptor fd is still open in a program exec'd after it was set up.
static int
open_after_exec(int fd)
{
  char arg[12];
  int st;
  pid_t pid = fork();

  if(pid == 0){
    snprintf(arg, sizeof(arg), "%d", fd);
    execl("/posixtest", "posixtest", "isopen", arg, (char *)0);
    _exit(99);
  }
  if(pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) > 1)
    return -1;
  return WEXITSTATUS(st) == 0;
}

// O_CLOEXEC, FD_CLOEXEC, dup3 and F_DUPFD_CLOEXEC: exec closes exactly the
// descriptors marked; fork and dup2 behave as POSIX says.
static void
close_on_exec(void)
{
  int fd = open("/posixtest", O_RDONLY | O_CLOEXEC), d;

  CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "open O_CLOEXEC: F_GETFD says FD_CLOEXEC");
  CHECK(open_after_exec(fd) == 0, "exec closed the O_CLOEXEC descriptor");
  CHECK((d = dup(fd)) >= 0 && fcntl(d, F_GETFD) == 0 && open_after_exec(d) == 1,
        "dup's copy is not close-on-exec and stays open across exec");
  CHECK(dup3(fd, 12, O_CLOEXEC) == 12 && fcntl(12, F_GETFD) == FD_CLOEXEC, "dup3 O_CLOEXEC");
  CHECK(dup2(fd, 12) == 12 && fcntl(12, F_GETFD) == 0, "dup2 clears FD_CLOEXEC");
  CHECK(fcntl(d, F_SETFD, FD_CLOEXEC) == 0 && open_after_exec(d) == 0, "F_SETFD FD_CLOEXEC, then exec closes");
  CHECK(fcntl(fd, F_SETFD, 0) == 0 && open_after_exec(fd) == 1, "F_SETFD 0: it stays open");
  CHECK(fcntl(fd, F_DUPFD_CLOEXEC, 10) >= 10 && open_after_exec(10) == 0, "F_DUPFD_CLOEXEC");
  CHECK(dup3(fd, 13, 0x12345) == -1 && errno == EINVAL, "dup3 with a bad flag: EINVAL");
  close(fd);
  close(d);
  close(10);
  close(12);
}

// writev of three pieces as one write into a pipe, readv back in two.
void
vectors(void)
{
  struct iovec out[3] = { { "abc", 3 }, { "", 0 }, { "defgh", 5 } }, in[2];
  char a[4] = "", b[8] = "";
  int p[2];

  CHECK(pipe(p) == 0, "pipe");
  CHECK(writev(p[1], out, 3) == 8, "writev");
  in[0].iov_base = a; in[0].iov_len = 2;
  in[1].iov_base = b; in[1].iov_len = 7;
  CHECK(readv(p[0], in, 2) == 8 && memcmp(a, "ab", 2) == 0 && memcmp(b, "cdefgh", 6) == 0,
        "readv scatters");
  CHECK(writev(p[1], out, -1) == -1 && errno == EINVAL, "writev with a negative count: EINVAL");
  CHECK(writev(p[1], out, 1 << 20) == -1 && errno == EINVAL, "writev past IOV_MAX: EINVAL");
  close(p[0]);
  close(p[1]);
  CHECK(writev(p[1], out, 3) == -1 && errno == EBADF, "writev on a closed fd: EBADF");
  close_on_exec();

  // the C library's O_NONBLOCK (0x4000) is the kernel's 0x800 underneath
  CHECK(pipe(p) == 0 && fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 &&
        (fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY,
        "fcntl F_SETFL O_NONBLOCK, F_GETFL");
  CHECK(read(p[0], a, 1) == -1 && errno == EAGAIN, "read of an empty nonblocking pipe: EAGAIN");
  CHECK(fcntl(p[0], F_SETFL, 0) == 0 && !(fcntl(p[0], F_GETFL) & O_NONBLOCK), "blocking again");
  CHECK(fcntl(p[0], 12345) == -1 && errno == EINVAL, "fcntl of an unknown command: EINVAL");
  close(p[0]);
  close(p[1]);

  // streams on a pipe, as programs put them on sockets (no seeking there)
  FILE *w, *r;
  char line[32];
  CHECK(pipe(p) == 0, "pipe");
  w = fdopen(p[1], "w");
  r = fdopen(p[0], "r");
  CHECK(w && r, "fdopen");
  if(!w || !r)
    return;
  CHECK(fprintf(w, "one %d\ntwo\n", 1) == 10 && fflush(w) == 0, "fprintf to a pipe");
  CHECK(fgets(line, sizeof(line), r) && strcmp(line, "one 1\n") == 0 &&
        fgets(line, sizeof(line), r) && strcmp(line, "two\n") == 0, "fgets from a pipe");
  CHECK(dprintf(fileno(w), "%s=%d\n", "dprintf", 42) == 11 && fgets(line, sizeof(line), r) &&
        strcmp(line, "dprintf=42\n") == 0, "dprintf");
  CHECK(fclose(w) == 0 && fgets(line, sizeof(line), r) == 0 && feof(r) && fclose(r) == 0,
        "end of file after the writer's fclose");
}
