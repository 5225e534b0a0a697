// refinit.c: /init of the Linux reference guest for `make bench`
// (built static with riscv64-linux-gnu-gcc by tools/bench/build-refs.sh).
// One process, one poll() loop, non-blocking sockets, serving:
//   port 80    HTTP/1.1 GET of the files under /www (held in memory), keep-alive
//   port 5001  TCP sink: reads and discards
//   port 5002  TCP sink into a file: writes what it reads to /sinkfile
//   port 7     TCP echo
//   port 5003  ping: on connect, "ping -c N" of the gateway (10.0.2.2) over a raw
//              ICMP socket; one line "rtt_us U" per reply ("lost" otherwise), then
//              "done", and close (N is the first line the client sends)
//   port 5004  run: the client sends one line "COUNT PATH ARG...": PATH runs COUNT
//              times, one after the other (fork, execv, wait), with init's console
//              as its standard input, output and error, and "exit S" goes back
//              for each run, then "done"; COUNT 0 starts it once in the
//              background ("started PID"). The TLS rows start /httpd -s and run
//              /httpget this way (tools/bench/build-refs.sh builds both from our
//              sources for this guest).
// A kernel parameter benchtime=SECONDS (the host's time; this kernel has no RTC
// driver) sets the wall clock, so that TLS certificates' dates check as in ours.
// It prints "refinit: ready uptime=S.SSS" once listening (the kernel's own
// IP-Config lines report the lease before init runs).
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { K_HTTP, K_SINK, K_FILE, K_ECHO, K_PING, K_RUN };
#define NLISTEN 6
#define MAXCONN 64
#define MAXFILES 32
#define INBUF 4096

struct webfile { char name[260]; char *data; size_t len; };
static struct webfile files[MAXFILES];
static int nfiles;

struct conn {
  int fd, kind, outfd;
  char in[INBUF]; size_t inlen;
  char hdr[256]; size_t hdrlen, hdroff;   // response header still to send
  const char *body; size_t bodylen, bodyoff;
  int closeafter;
};
static struct conn conns[MAXCONN];
static int listeners[NLISTEN], lkinds[NLISTEN] = { K_HTTP, K_SINK, K_FILE, K_ECHO, K_PING, K_RUN };
static const int lports[NLISTEN] = { 80, 5001, 5002, 7, 5003, 5004 };
static char iobuf[65536];

static void
loadfiles(void)
{
  DIR *d = opendir("/www");
  struct dirent *e;
  if(d == 0)
    return;
  while((e = readdir(d)) != 0 && nfiles < MAXFILES){
    char path[300]; struct stat st; int fd;
    if(e->d_name[0] == '.')
      continue;
    snprintf(path, sizeof path, "/www/%s", e->d_name);
    if((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0)
      continue;
    struct webfile *f = &files[nfiles];
    f->data = malloc(st.st_size + 1);
    f->len = 0;
    ssize_t n;
    while(f->len < (size_t)st.st_size && (n = read(fd, f->data + f->len, st.st_size - f->len)) > 0)
      f->len += n;
    close(fd);
    snprintf(f->name, sizeof f->name, "/%s", e->d_name);
    nfiles++;
  }
  closedir(d);
}

// Listens on [::]:port for both families (IPv4 arrives as ::ffff:a.b.c.d; the
// IPv6 rows of the bench reach the guest's SLAAC address), or on 0.0.0.0:port
// in a kernel built without IPv6.
static int
listenon(int port)
{
  int s = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1, zero = 0;
  struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
  struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port) };
  struct sockaddr *a = (struct sockaddr*)&a6;
  socklen_t alen = sizeof a6;

  if(s >= 0)
    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  else {
    s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    a = (struct sockaddr*)&a4, alen = sizeof a4;
  }
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if(bind(s, a, alen) < 0 || listen(s, 64) < 0){
    perror("refinit: listen");
    return -1;
  }
  return s;
}

static void
dropconn(struct conn *c)
{
  close(c->fd);
  if(c->outfd >= 0)
    close(c->outfd);
  c->fd = -1;
}

// Parses one request from c->in if complete; sets up the response.
static void
httprequest(struct conn *c)
{
  char *end = memmem(c->in, c->inlen, "\r\n\r\n", 4);
  if(end == 0){
    if(c->inlen == INBUF)
      c->closeafter = 1, c->inlen = 0;
    return;
  }
  size_t reqlen = end + 4 - c->in;
  char path[64] = "";
  sscanf(c->in, "GET %63s", path);
  c->in[reqlen - 1] = 0;
  int http10 = strstr(c->in, "HTTP/1.0") != 0;
  int ka = strcasestr(c->in, "connection: keep-alive") != 0;
  int cl = strcasestr(c->in, "connection: close") != 0;
  c->closeafter = cl || (http10 && !ka);
  if(strcmp(path, "/") == 0)
    strcpy(path, "/index.html");
  struct webfile *f = 0;
  for(int i = 0; i < nfiles; i++)
    if(strcmp(files[i].name, path) == 0)
      f = &files[i];
  const char *conn = c->closeafter ? "close" : "keep-alive";
  if(f){
    c->hdrlen = snprintf(c->hdr, sizeof c->hdr, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n"
                         "Content-Type: application/octet-stream\r\nConnection: %s\r\n\r\n",
                         f->len, conn);
    c->body = f->data, c->bodylen = f->len;
  } else {
    c->hdrlen = snprintf(c->hdr, sizeof c->hdr, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                         "Connection: %s\r\n\r\n", conn);
    c->body = 0, c->bodylen = 0;
  }
  c->hdroff = c->bodyoff = 0;
  memmove(c->in, c->in + reqlen, c->inlen - reqlen);
  c->inlen -= reqlen;
}

// Sends what it can of the pending response; returns -1 to drop the connection.
static int
httpsend(struct conn *c)
{
  while(c->hdroff < c->hdrlen || c->bodyoff < c->bodylen){
    ssize_t n;
    if(c->hdroff < c->hdrlen){
      // header and the start of the body in one segment when possible
      struct iovec v[2] = { { c->hdr + c->hdroff, c->hdrlen - c->hdroff },
                            { (char*)c->body, c->bodylen } };
      n = writev(c->fd, v, c->bodylen ? 2 : 1);
      if(n > 0){
        size_t h = c->hdrlen - c->hdroff;
        if((size_t)n >= h){ c->hdroff = c->hdrlen; c->bodyoff = n - h; }
        else c->hdroff += n;
      }
    } else {
      n = write(c->fd, c->body + c->bodyoff, c->bodylen - c->bodyoff);
      if(n > 0)
        c->bodyoff += n;
    }
    if(n < 0)
      return errno == EAGAIN ? 0 : -1;
  }
  c->hdrlen = c->hdroff = c->bodylen = c->bodyoff = 0;
  if(c->closeafter)
    return -1;
  httprequest(c);   // a pipelined request may already be buffered
  return c->hdrlen ? httpsend(c) : 0;
}

static int
pending(struct conn *c)
{
  return c->hdroff < c->hdrlen || c->bodyoff < c->bodylen;
}

// Handles readable data; returns -1 to drop the connection.
static int
onread(struct conn *c)
{
  ssize_t n;
  if(c->kind == K_HTTP){
    if(pending(c))
      return 0;
    n = read(c->fd, c->in + c->inlen, INBUF - c->inlen);
    if(n <= 0)
      return (n < 0 && errno == EAGAIN) ? 0 : -1;
    c->inlen += n;
    httprequest(c);
    return httpsend(c);
  }
  for(;;){
    n = read(c->fd, iobuf, sizeof iobuf);
    if(n == 0)
      return -1;
    if(n < 0)
      return errno == EAGAIN ? 0 : -1;
    if(c->kind == K_FILE && write(c->outfd, iobuf, n) != n)
      return -1;
    if(c->kind == K_ECHO){
      ssize_t off = 0, w;
      while(off < n){
        w = write(c->fd, iobuf + off, n - off);
        if(w < 0 && errno != EAGAIN)
          return -1;
        if(w > 0)
          off += w;
      }
    }
  }
}

static unsigned short
cksum(const unsigned char *p, int n)
{
  unsigned long s = 0;
  for(int i = 0; i + 1 < n; i += 2)
    s += (p[i] << 8) | p[i + 1];
  if(n & 1)
    s += p[n - 1] << 8;
  while(s >> 16)
    s = (s & 0xffff) + (s >> 16);
  return ~s & 0xffff;
}

static long
now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

// The ping service: count echo requests to the gateway, one at a time, each
// answered within a second or reported lost; results go back over fd.
static void
pingservice(int fd)
{
  char line[32] = "", out[64];
  int count = 0, n, s, seq;
  struct pollfd p = { .fd = fd, .events = POLLIN };
  struct sockaddr_in gw = { .sin_family = AF_INET };

  if(poll(&p, 1, 2000) == 1 && (n = read(fd, line, sizeof line - 1)) > 0)
    count = atoi(line);
  if(count <= 0 || count > 10000)
    count = 10;
  inet_pton(AF_INET, "10.0.2.2", &gw.sin_addr);
  if((s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) < 0){
    dprintf(fd, "error socket\n");
    return;
  }
  for(seq = 1; seq <= count; seq++){
    unsigned char msg[64] = { 8, 0, 0, 0, 0x12, 0x34, seq >> 8, seq & 0xff }, in[1500];
    unsigned short c;
    for(int i = 8; i < 64; i++)
      msg[i] = i;
    c = cksum(msg, sizeof msg);
    msg[2] = c >> 8, msg[3] = c & 0xff;
    long t0 = now_us(), rtt = -1;
    sendto(s, msg, sizeof msg, 0, (struct sockaddr *)&gw, sizeof gw);
    struct pollfd ps = { .fd = s, .events = POLLIN };
    while(rtt < 0){
      long left = 1000 - (now_us() - t0) / 1000;
      if(left <= 0 || poll(&ps, 1, left) != 1)
        break;
      n = recv(s, in, sizeof in, 0);
      int hl = n > 0 ? (in[0] & 15) * 4 : 0;
      if(n >= hl + 8 && in[hl] == 0 && in[hl + 4] == 0x12 && in[hl + 5] == 0x34 &&
         ((in[hl + 6] << 8) | in[hl + 7]) == seq)
        rtt = now_us() - t0;
    }
    n = rtt < 0 ? snprintf(out, sizeof out, "lost\n") : snprintf(out, sizeof out, "rtt_us %ld\n", rtt);
    if(write(fd, out, n) != n)
      break;
    usleep(10000);
  }
  close(s);
  dprintf(fd, "done\n");
}

// The run service: one line "COUNT PATH ARG..." read from fd.
static void
runservice(int fd)
{
  char line[1024], *argv[32];
  int n = 0, argc = 0, count, st, i;
  struct pollfd p = { .fd = fd, .events = POLLIN };

  while(n < (int)sizeof line - 1 && poll(&p, 1, 2000) == 1){
    int r = read(fd, line + n, sizeof line - 1 - n);
    if(r <= 0)
      break;
    n += r;
    if(memchr(line, '\n', n))
      break;
  }
  line[n] = 0;
  for(char *w = strtok(line, " \r\n"); w && argc < 31; w = strtok(0, " \r\n"))
    argv[argc++] = w;
  argv[argc] = 0;
  if(argc < 2){
    dprintf(fd, "error usage\n");
    return;
  }
  count = atoi(argv[0]);
  for(i = 0; i < (count > 0 ? count : 1); i++){
    pid_t pid = fork();
    if(pid == 0){
      close(fd);
      for(int j = 0; j < NLISTEN; j++)
        close(listeners[j]);
      execv(argv[1], argv + 1);
      _exit(127);
    }
    if(pid < 0){
      dprintf(fd, "error fork\n");
      return;
    }
    if(count == 0){           // never waited for (a zombie if it exits: harmless)
      dprintf(fd, "started %d\n", (int)pid);
      return;
    }
    waitpid(pid, &st, 0);
    dprintf(fd, "exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  }
  dprintf(fd, "done\n");
}

static void
acceptall(int l, int kind)
{
  int fd, one = 1;
  while((fd = accept4(l, 0, 0, SOCK_NONBLOCK)) >= 0){
    if(kind == K_PING){          // served at once: the bench runs nothing else meanwhile
      pingservice(fd);
      close(fd);
      continue;
    }
    if(kind == K_RUN){           // the same: the bench waits for the runs
      int fl = fcntl(fd, F_GETFL);
      fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
      runservice(fd);
      close(fd);
      continue;
    }
    struct conn *c = 0;
    for(int i = 0; i < MAXCONN; i++)
      if(conns[i].fd < 0){ c = &conns[i]; break; }
    if(c == 0){ close(fd); continue; }
    memset(c, 0, sizeof *c);
    c->fd = fd, c->kind = kind, c->outfd = -1;
    if(kind != K_SINK && kind != K_FILE)
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if(kind == K_FILE)
      c->outfd = open("/sinkfile", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
}

int
main(void)
{
  struct pollfd pf[NLISTEN + MAXCONN];
  struct conn *pc[NLISTEN + MAXCONN];
  struct timespec ts;

  mount("proc", "/proc", "proc", 0, 0);
  if(getenv("benchtime")){      // an unknown kernel parameter: init's environment
    struct timespec now = { .tv_sec = atol(getenv("benchtime")) };
    clock_settime(CLOCK_REALTIME, &now);
  }
  loadfiles();
  for(int i = 0; i < MAXCONN; i++)
    conns[i].fd = -1;
  for(int i = 0; i < NLISTEN; i++)
    listeners[i] = listenon(lports[i]);
  clock_gettime(CLOCK_BOOTTIME, &ts);
  printf("refinit: ready uptime=%ld.%03ld files=%d\n", (long)ts.tv_sec, ts.tv_nsec / 1000000, nfiles);
  fflush(stdout);
  for(;;){
    int n = 0;
    for(int i = 0; i < NLISTEN; i++){
      pf[n].fd = listeners[i], pf[n].events = POLLIN, pc[n++] = 0;
    }
    for(int i = 0; i < MAXCONN; i++)
      if(conns[i].fd >= 0){
        pf[n].fd = conns[i].fd;
        pf[n].events = pending(&conns[i]) ? POLLOUT : POLLIN;
        pc[n++] = &conns[i];
      }
    if(poll(pf, n, -1) < 0)
      continue;
    for(int i = 0; i < n; i++){
      if(pf[i].revents == 0)
        continue;
      if(pc[i] == 0){
        acceptall(pf[i].fd, lkinds[i]);
        continue;
      }
      struct conn *c = pc[i];
      int r = pending(c) ? httpsend(c) : onread(c);
      if(r < 0)
        dropconn(c);
    }
  }
}
