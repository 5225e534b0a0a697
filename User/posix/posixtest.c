// posixtest: a POSIX program, written as for any Unix, that checks the POSIX
// layer (picolibc + User/posix/lib) from the guest. Run by
// Tests/integration/test_posix.py.
//
//   posixtest [-v] local                 library and file checks; "ALL n CHECKS PASSED"
//   posixtest [-v] [-n count] tcp HOST PORT WORD
//                                        send WORD count times to an echo-like
//                                        server, print each reply line
// Exit status: 0 when all went well, 1 on a failed check or a network error
// (with perror's message), 2 for bad usage.
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>

static int verbose, checks, failures;

#define CHECK(cond, what) check((cond) != 0, what, __LINE__)

static void
check(int ok, const char *what, int line)
{
  checks++;
  if(!ok){
    failures++;
    printf("FAIL line %d: %s (errno %d: %s)\n", line, what, errno, strerror(errno));
  } else if(verbose) {
    printf("ok: %s\n", what);
  }
}

static int
bynumber(const void *a, const void *b)
{
  return *(const int *)a - *(const int *)b;
}

static void
strings_and_numbers(void)
{
  char buf[64], *end, *word;
  int v[] = { 42, -7, 3, 1000, 0 };
  long n;

  snprintf(buf, sizeof(buf), "%s-%05d-%x-%.2f", "abc", 42, 255, 2.5);
  CHECK(strcmp(buf, "abc-00042-ff-2.50") == 0, "snprintf formats");
  strcpy(buf, "Hello");
  strcat(buf, ", World");
  CHECK(strcasecmp(buf, "hello, world") == 0 && strncasecmp(buf, "HELLO", 5) == 0, "strcat, strcasecmp");
  CHECK(strstr(buf, "World") == buf + 7 && strrchr(buf, 'o') == buf + 8, "strstr, strrchr");
  CHECK(isspace(' ') && isspace('\t') && !isspace('x') && isdigit('7') && toupper('q') == 'Q',
        "ctype");
  n = strtol("  -0x1F rest", &end, 16);
  CHECK(n == -31 && strcmp(end, " rest") == 0, "strtol base 16 with endptr");
  CHECK(strtol("0755", 0, 0) == 493 && strtoul("42", 0, 10) == 42 && atoi("12ab") == 12,
        "strtol base 0, strtoul, atoi");
  errno = 0;
  CHECK(strtol("99999999999999999999", 0, 10) == 0x7fffffffffffffffL && errno == ERANGE,
        "strtol overflow: ERANGE");
  qsort(v, 5, sizeof(v[0]), bynumber);
  CHECK(v[0] == -7 && v[1] == 0 && v[2] == 3 && v[3] == 42 && v[4] == 1000, "qsort");
  CHECK(getenv("POSIXTEST_UNSET") == 0, "getenv of an unset name");
  CHECK(setenv("GREETING", "hi", 1) == 0 && strcmp(getenv("GREETING"), "hi") == 0,
        "setenv, getenv");
  strcpy(buf, "a,b;;c");
  word = strtok(buf, ",;");
  CHECK(word && strcmp(word, "a") == 0 && strcmp(strtok(0, ",;"), "b") == 0 &&
        strcmp(strtok(0, ",;"), "c") == 0 && strtok(0, ",;") == 0, "strtok");
  char *big = malloc(1 << 20);
  CHECK(big != 0, "malloc 1 MiB (sbrk)");
  memset(big, 1, 1 << 20);
  free(big);
  CHECK(sscanf("10.0.2.15 port 80", "%15s port %ld", buf, &n) == 2 && n == 80, "sscanf");
}

static int
what_is(const char *path)   // 0: nothing there
{
  struct stat st;

  return stat(path, &st) == 0 ? (S_ISDIR(st.st_mode) ? 'd' : 'f') : 0;
}

static void
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
static void
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

// writev of three pieces as one write into a pipe, readv back in two.
static void
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

  // picolibc's O_NONBLOCK (0x4000) is the kernel's 0x800 underneath
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

// Argument checks of the time and select glue. (clock_gettime, poll and a
// select that waits need the poll/time kernel: tested once it is merged.)
static void
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
static void
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
}

// Addresses and errors that need no peer.
static void
sockets_local(void)
{
  struct addrinfo hints, *res;
  struct sockaddr_in sin;
  struct sockaddr_storage ss;
  char host[INET6_ADDRSTRLEN], serv[NI_MAXSERV];
  int fd, one = 1;

  CHECK(inet_pton(AF_INET, "10.0.2.15", &sin.sin_addr) == 1 &&
        sin.sin_addr.s_addr == htonl(0x0a00020f), "inet_pton");
  CHECK(inet_pton(AF_INET, "10.0.2", &sin.sin_addr) == 0, "inet_pton of a malformed address");
  CHECK(strcmp(inet_ntop(AF_INET, &sin.sin_addr, host, sizeof(host)), "10.0.2.15") == 0 &&
        strcmp(inet_ntoa(sin.sin_addr), "10.0.2.15") == 0, "inet_ntop, inet_ntoa");
  CHECK(inet_addr("255.255.255.255") == INADDR_NONE && inet_addr("1.2.3.4") == htonl(0x01020304),
        "inet_addr");
  CHECK(ntohs(htons(0x1234)) == 0x1234 && htons(0x1234) == 0x3412, "htons");
  CHECK(sizeof(ss) >= sizeof(struct sockaddr_in6) && sizeof(struct sockaddr_in6) == 28,
        "sockaddr_storage holds a sockaddr_in6");

  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_ADDRCONFIG | AI_NUMERICSERV;
  CHECK(getaddrinfo(0, "8080", &hints, &res) == 0 && res->ai_family == AF_INET &&
        ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == htonl(INADDR_ANY) &&
        ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port) == 8080, "getaddrinfo AI_PASSIVE");
  CHECK(getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0 && strcmp(host, "0.0.0.0") == 0 &&
        strcmp(serv, "8080") == 0, "getnameinfo");
  freeaddrinfo(res);
  hints.ai_family = AF_INET6;
  CHECK(getaddrinfo("::1", "80", &hints, &res) == EAI_FAMILY, "getaddrinfo AF_INET6: EAI_FAMILY");
  CHECK(strlen(gai_strerror(EAI_NONAME)) > 0, "gai_strerror");
  CHECK(gethostbyname("10.1.2.3") && gethostbyname("10.1.2.3")->h_length == 4, "gethostbyname");
  CHECK(getservbyname("http", "tcp") && getservbyname("http", "tcp")->s_port == htons(80) &&
        getservbyname("domain", "udp")->s_port == htons(53), "getservbyname");
  CHECK(getservbyname("nosuch", "tcp") == 0 && getservbyname("http", "sctp") == 0,
        "getservbyname of unknown ones");
  CHECK(getprotobyname("tcp") && getprotobyname("tcp")->p_proto == IPPROTO_TCP &&
        strcmp(getprotobynumber(17)->p_name, "udp") == 0 && getprotobyname("xtp") == 0,
        "getprotobyname, getprotobynumber");
  h_errno = HOST_NOT_FOUND;
  herror("herror");

  CHECK(socket(AF_INET6, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT,
        "socket(AF_INET6): EAFNOSUPPORT");
  printf("AF_INET6: %s\n", strerror(errno));
  CHECK((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0, "socket");
  CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0, "TCP_NODELAY");
  CHECK(listen(12345, 1) == -1 && errno == EBADF, "listen on a bad fd: EBADF");
  CHECK(recv(0, host, 1, MSG_DONTWAIT) == -1 && errno == ENOTSOCK, "recv on the console: ENOTSOCK");
  close(fd);
}

// A TCP client, the textbook way: getaddrinfo, socket, connect, send, recv.
static int
tcp(const char *host, const char *port, const char *word, int count)
{
  struct addrinfo hints, *res, *ai;
  char buf[256];
  int fd = -1, err, i, n, got;

  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if((err = getaddrinfo(host, port, &hints, &res)) != 0){
    fprintf(stderr, "posixtest: %s: %s\n", host, gai_strerror(err));
    return 1;
  }
  for(ai = res; ai; ai = ai->ai_next){
    if((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) < 0)
      continue;
    if(connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
      break;
    perror("connect");
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if(fd < 0)
    return 1;
  for(i = 0; i < count; i++){
    n = snprintf(buf, sizeof(buf), "%s %d\n", word, i);
    if(send(fd, buf, n, 0) != n){
      perror("send");
      return 1;
    }
    for(got = 0; got < (int)sizeof(buf) - 1 && (got == 0 || buf[got - 1] != '\n'); got += n)
      if((n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0)) <= 0){
        if(n < 0)
          perror("recv");
        else
          fprintf(stderr, "posixtest: the server closed the connection\n");
        return 1;
      }
    buf[got] = 0;
    printf("reply: %s", buf);
  }
  close(fd);
  return 0;
}

static void
usage(void)
{
  fprintf(stderr, "usage: posixtest [-v] local | [-n count] tcp HOST PORT WORD\n");
  exit(2);
}

int
main(int argc, char *argv[])
{
  int c, count = 1;

  while((c = getopt(argc, argv, "vn:")) != -1){
    switch(c){
    case 'v':
      verbose = 1;
      break;
    case 'n':
      count = atoi(optarg);
      break;
    default:
      usage();
    }
  }
  if(optind < argc && strcmp(argv[optind], "local") == 0){
    strings_and_numbers();
    files();
    redirect();
    vectors();
    timing();
    processes();
    sockets_local();
    if(failures){
      printf("%d OF %d CHECKS FAILED\n", failures, checks);
      return 1;
    }
    printf("ALL %d CHECKS PASSED\n", checks);
    return 0;
  }
  if(optind + 4 == argc && strcmp(argv[optind], "tcp") == 0 && count > 0)
    return tcp(argv[optind + 1], argv[optind + 2], argv[optind + 3], count);
  usage();
  return 2;
}
