// sockapi: the socket calls guides and textbooks use, checked in the guest
// over loopback (127.0.0.1), each with its bad input: accept4 with
// SOCK_NONBLOCK / SOCK_CLOEXEC (and close-on-exec itself), MSG_PEEK,
// MSG_DONTWAIT, MSG_MORE, SO_SNDBUF / SO_RCVBUF / SO_KEEPALIVE and TCP_KEEP*, readv and
// writev on pipes, files and sockets. The guest side of
// Tests/integration/test_socklocal.py. Lines "sockapi: ok WHAT" or
// "sockapi: FAIL WHAT", last "sockapi: PASS" or "sockapi: FAILED".
//
//   sockapi                          every check
//   sockapi keepalive ADDR PORT SECS connect to a host echo server with
//                                    keepalive probes every second, stay idle
//                                    SECS seconds (the host counts the probes in
//                                    the capture), then echo one line
//   sockapi execcheck C1 C2 O1 O2    (run through exec by the close-on-exec
//                                    check: C1, C2 must be closed, O1, O2 open)
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/socket.h"

#define KADDR    0x80000000L      // the kernel's memory: never the user's
#define UNMAPPED 0x3000000000L    // past the user half
#define HOLE     0x7000000L       // inside the user half, never mapped here
#define PORT     7100
#define LOOPBACK "127.0.0.1"
#define TCPWND   (44 * 1460)      // lwipopts.h: TCP_WND and TCP_SND_BUF
#define TICKS_PER_SECOND 100      // Kernel/param.h: TICK_HZ

static int failures;
static char buf[8192];
static struct iovec iov[IOV_MAX + 1];

static void
ok(int cond, const char *what)
{
  if(cond)
    printf("sockapi: ok %s\n", what);
  else {
    printf("sockapi: FAIL %s (errno %d: %s)\n", what, errno, strerror(errno));
    failures++;
  }
}

// -1 with errno e: the call failed as it should.
static int
err(int r, int e)
{
  return r == -1 && errno == e;
}


// ---- accept4 and close-on-exec -----------------------------------------------------

// Run "sockapi execcheck c1 c2 o1 o2" in a child: 1 if it saw c1 and c2
// closed and o1 and o2 open.
static int
execcheck(int c1, int c2, int o1, int o2)
{
  char a[4][12];
  char *argv[] = {"sockapi", "execcheck", a[0], a[1], a[2], a[3], 0};
  int pid, st = -1;

  snprintf(a[0], 12, "%d", c1);
  snprintf(a[1], 12, "%d", c2);
  snprintf(a[2], 12, "%d", o1);
  snprintf(a[3], 12, "%d", o2);
  if((pid = fork()) == 0){
    exec("/sockapi", argv);
    exit(9);
  }
  wait(&st);
  return pid > 0 && st == 0;
}

static void
accept4_checks(void)
{
  struct sockaddr_in sa;
  socklen_t len = sizeof(sa);
  int l, c1, c2, c3, a1, a2, p[2], pd;

  l = listener(SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, LOOPBACK, PORT, 8);
  ok(l >= 0, "listen (socket with SOCK_NONBLOCK | SOCK_CLOEXEC)");
  ok(fcntl(l, F_GETFD) == FD_CLOEXEC && (fcntl(l, F_GETFL) & O_NONBLOCK), "socket() set both");
  ok(err(accept4(l, 0, 0, 0), EAGAIN), "non-blocking listener, nothing queued: EAGAIN");
  ok(err(accept4(l, 0, 0, 1), EINVAL) && err(accept4(l, 0, 0, -1), EINVAL), "bad flags: EINVAL");
  pipe(p);
  ok(err(accept4(99, 0, 0, 0), EBADF) && err(accept4(p[0], 0, 0, 0), ENOTSOCK),
     "bad descriptors: EBADF, ENOTSOCK");
  c1 = connect_to(SOCK_STREAM, LOOPBACK, PORT);
  a1 = accept4(l, (struct sockaddr*)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
  ok(c1 >= 0 && a1 >= 0 && len == sizeof(sa) && sa.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
     "accept4 gives the peer 127.0.0.1");
  ok(fcntl(a1, F_GETFD) == FD_CLOEXEC && (fcntl(a1, F_GETFL) & O_NONBLOCK),
     "accept4(SOCK_NONBLOCK | SOCK_CLOEXEC): both on the new descriptor");
  ok(err(recv(a1, buf, 10, 0), EAGAIN), "SOCK_NONBLOCK: a read with nothing there is EAGAIN");
  c2 = connect_to(SOCK_STREAM, LOOPBACK, PORT);
  a2 = accept4(l, 0, 0, 0);
  ok(a2 >= 0 && fcntl(a2, F_GETFD) == 0 && !(fcntl(a2, F_GETFL) & O_NONBLOCK),
     "accept4(0): neither, whatever the listener has");
  c3 = connect_to(SOCK_STREAM, LOOPBACK, PORT);
  len = sizeof(sa);
  ok(err(accept4(l, (struct sockaddr*)&sa, (socklen_t*)KADDR, 0), EFAULT) &&
     err(accept4(l, (struct sockaddr*)KADDR, &len, 0), EFAULT), "bad address pointers: EFAULT");
  // close-on-exec: F_SETFD on a pipe, and dup never copies the flag
  ok(fcntl(p[0], F_SETFD, FD_CLOEXEC) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC,
     "F_SETFD FD_CLOEXEC on a pipe");
  pd = dup(p[0]);
  ok(fcntl(pd, F_GETFD) == 0, "dup: the copy does not close on exec");
  ok(execcheck(a1, p[0], a2, pd), "exec closed the FD_CLOEXEC descriptors, kept the others");
  ok(fcntl(a1, F_GETFD) == FD_CLOEXEC, "the parent still has its own");
  ok(fcntl(p[0], F_SETFD, 0) == 0 && fcntl(p[0], F_GETFD) == 0, "F_SETFD 0 clears it");
  int fds[] = {l, c1, c2, c3, a1, a2, p[0], p[1], pd};
  for(int i = 0; i < (int)(sizeof(fds) / sizeof(fds[0])); i++)
    close(fds[i]);
}

// ---- MSG_PEEK and MSG_DONTWAIT ----------------------------------------------------

static void
peek_checks(void)
{
  struct sockaddr_in from;
  socklen_t len = sizeof(from);
  int l, c, s, u1, u2, n, sent = 0, t0;

  l = listener(SOCK_STREAM, LOOPBACK, PORT + 1, 8);
  c = connect_to(SOCK_STREAM, LOOPBACK, PORT + 1);
  s = accept(l, 0, 0);
  t0 = uptime();
  ok(err(recv(s, buf, 10, MSG_DONTWAIT), EAGAIN) && uptime() - t0 <= 1,
     "MSG_DONTWAIT on a blocking socket: EAGAIN at once");
  ok(!(fcntl(s, F_GETFL) & O_NONBLOCK), "the socket stays blocking");
  ok(send(c, "abcdef", 6, 0) == 6, "send");
  ok(recv(s, buf, 3, MSG_PEEK) == 3 && memcmp(buf, "abc", 3) == 0, "MSG_PEEK, short");
  ok(recv(s, buf, 10, MSG_PEEK) == 6 && memcmp(buf, "abcdef", 6) == 0, "MSG_PEEK again: all");
  ok(err(recv(s, (void*)KADDR, 10, MSG_PEEK), EFAULT), "MSG_PEEK to a kernel address: EFAULT");
  ok(read(s, buf, 10) == 6 && memcmp(buf, "abcdef", 6) == 0, "then read takes it");
  ok(err(recv(s, buf, 10, MSG_DONTWAIT | MSG_PEEK), EAGAIN), "and it is gone");
  // a send that cannot queue more: EAGAIN instead of waiting
  int small = 4096;
  setsockopt(c, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
  for(int i = 0; i < 200 && (n = send(c, buf, 1000, MSG_DONTWAIT)) > 0; i++)
    sent += n;
  ok(n == -1 && errno == EAGAIN && sent <= TCPWND + small,
     "MSG_DONTWAIT send to a reader that does not read: EAGAIN");
  close(c);
  close(s);
  close(l);

  u1 = listener(SOCK_DGRAM, LOOPBACK, PORT + 2, 8);
  u2 = listener(SOCK_DGRAM, LOOPBACK, PORT + 3, 8);
  ok(err(recv(u1, buf, 10, MSG_DONTWAIT), EAGAIN), "UDP: MSG_DONTWAIT with nothing: EAGAIN");
  mkaddr(&from, LOOPBACK, PORT + 2);
  sendto(u2, "one", 3, 0, (struct sockaddr*)&from, sizeof(from));
  sendto(u2, "second", 6, 0, (struct sockaddr*)&from, sizeof(from));
  for(int i = 0; i < 2; i++){
    memset(&from, 0, sizeof(from));
    len = sizeof(from);
    ok(recvfrom(u1, buf, 10, MSG_PEEK, (struct sockaddr*)&from, &len) == 3 &&
       memcmp(buf, "one", 3) == 0 && from.sin_port == htons(PORT + 3),
       "UDP: MSG_PEEK shows the first datagram and its sender");
  }
  ok(recv(u1, buf, 10, 0) == 3 && recv(u1, buf, 10, 0) == 6 && memcmp(buf, "second", 6) == 0,
     "UDP: read once each, in order");
  ok(err(recv(u1, buf, 10, MSG_DONTWAIT), EAGAIN), "UDP: then EAGAIN");
  close(u1);
  close(u2);
}

// ---- MSG_MORE ----------------------------------------------------------------------------

// A TCP send with MSG_MORE is held back for what follows; the next plain send
// takes it along, shutdown sends it with the FIN, and if nothing comes the
// socket layer's timer pushes it out (within half a second).
static void
more_checks(void)
{
  struct timeval tv = { .tv_sec = 3 };
  int l, c, s, t0, n;

  l = listener(SOCK_STREAM, LOOPBACK, PORT + 4, 8);
  c = connect_to(SOCK_STREAM, LOOPBACK, PORT + 4);
  s = accept(l, 0, 0);
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ok(send(c, "hello", 5, MSG_MORE) == 5, "send with MSG_MORE");
  ok(err(recv(s, buf, 10, MSG_DONTWAIT), EAGAIN), "MSG_MORE: the bytes are held back");
  ok(send(c, " you", 4, 0) == 4, "a plain send after it");
  n = recv(s, buf, 20, 0);
  if(n == 5)
    n += recv(s, buf + 5, 15, 0);
  ok(n == 9 && memcmp(buf, "hello you", 9) == 0, "the plain send took the held bytes along");
  ok(send(c, "late", 4, MSG_MORE) == 4, "MSG_MORE with nothing after it");
  t0 = uptime();
  n = recv(s, buf, 20, 0);
  ok(n == 4 && memcmp(buf, "late", 4) == 0, "the timer pushed them out");
  printf("sockapi: MSG_MORE bytes alone went out after %d ms\n", (uptime() - t0) * 1000 / TICKS_PER_SECOND);
  ok(send(c, "last", 4, MSG_MORE) == 4 && shutdown(c, SHUT_WR) == 0, "MSG_MORE, then shutdown");
  n = recv(s, buf, 20, 0);
  ok(n == 4 && memcmp(buf, "last", 4) == 0 && recv(s, buf, 20, 0) == 0,
     "the held bytes, then end of file");
  ok(err(send(c, "x", 1, MSG_MORE | MSG_NOSIGNAL), EPIPE), "MSG_MORE after shutdown: EPIPE");
  close(c);
  close(s);
  close(l);
}

// ---- socket options ------------------------------------------------------------------

static int
getint(int fd, int level, int name)
{
  int v = -12345;
  socklen_t len = sizeof(v);

  if(getsockopt(fd, level, name, &v, &len) < 0 || len != sizeof(v))
    return -12345;
  return v;
}

static int
setint(int fd, int level, int name, int v)
{
  return setsockopt(fd, level, name, &v, sizeof(v));
}

static void
option_checks(void)
{
  int t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
  int v = 8192, l, c, s;
  socklen_t len = 2;

  ok(getint(t, SOL_SOCKET, SO_SNDBUF) == TCPWND && getint(t, SOL_SOCKET, SO_RCVBUF) == TCPWND,
     "TCP buffers: lwIP's TCP_SND_BUF and TCP_WND");
  ok(getint(u, SOL_SOCKET, SO_RCVBUF) == 32768, "UDP receive buffer: its 32 KiB ring");
  ok(setint(t, SOL_SOCKET, SO_SNDBUF, 8192) == 0 && getint(t, SOL_SOCKET, SO_SNDBUF) == 8192,
     "SO_SNDBUF 8192");
  ok(setint(t, SOL_SOCKET, SO_SNDBUF, -1) == 0 && getint(t, SOL_SOCKET, SO_SNDBUF) == 2048,
     "SO_SNDBUF -1: the minimum");
  ok(setint(t, SOL_SOCKET, SO_SNDBUF, 1 << 30) == 0 && getint(t, SOL_SOCKET, SO_SNDBUF) == TCPWND,
     "SO_SNDBUF 1 GiB: the maximum");
  ok(setint(u, SOL_SOCKET, SO_RCVBUF, 4096) == 0 && getint(u, SOL_SOCKET, SO_RCVBUF) == 4096,
     "UDP SO_RCVBUF 4096");
  ok(setint(t, SOL_SOCKET, SO_RCVBUF, 16000) == 0 && getint(t, SOL_SOCKET, SO_RCVBUF) == 16000 &&
     setint(t, SOL_SOCKET, SO_RCVBUF, 1) == 0 && getint(t, SOL_SOCKET, SO_RCVBUF) == 4 * 2 * 1460,
     "TCP SO_RCVBUF 16000, and 1: its minimum (twice lwIP's window-update step)");
  ok(err(setsockopt(t, SOL_SOCKET, SO_SNDBUF, &v, 2), EINVAL) &&
     err(setsockopt(t, SOL_SOCKET, SO_SNDBUF, &v, 0), EINVAL) &&
     err(setsockopt(t, SOL_SOCKET, SO_SNDBUF, &v, -1), EINVAL), "short or negative lengths: EINVAL");
  ok(err(setsockopt(t, SOL_SOCKET, SO_SNDBUF, (void*)KADDR, 4), EFAULT) &&
     err(setsockopt(t, SOL_SOCKET, SO_SNDBUF, (void*)UNMAPPED, 4), EFAULT), "bad values: EFAULT");
  ok(err(getsockopt(t, SOL_SOCKET, SO_RCVBUF, &v, &len), EINVAL), "getsockopt, length 2: EINVAL");
  len = sizeof(v);
  ok(err(getsockopt(t, SOL_SOCKET, SO_RCVBUF, (void*)KADDR, &len), EFAULT) &&
     err(getsockopt(t, SOL_SOCKET, SO_RCVBUF, &v, (socklen_t*)KADDR), EFAULT),
     "getsockopt, bad pointers: EFAULT");
  ok(err(setint(t, SOL_SOCKET, 100, 1), ENOPROTOOPT), "unknown option: ENOPROTOOPT");

  ok(getint(t, SOL_SOCKET, SO_KEEPALIVE) == 0 && setint(t, SOL_SOCKET, SO_KEEPALIVE, 1) == 0 &&
     getint(t, SOL_SOCKET, SO_KEEPALIVE) == 1, "SO_KEEPALIVE");
  ok(getint(t, IPPROTO_TCP, TCP_KEEPIDLE) == 7200 && getint(t, IPPROTO_TCP, TCP_KEEPCNT) == 9,
     "keepalive defaults: 7200 s, 9 probes");
  ok(err(setint(t, IPPROTO_TCP, TCP_KEEPIDLE, 0), EINVAL) &&
     err(setint(t, IPPROTO_TCP, TCP_KEEPIDLE, 32768), EINVAL) &&
     err(setint(t, IPPROTO_TCP, TCP_KEEPINTVL, -5), EINVAL) &&
     err(setint(t, IPPROTO_TCP, TCP_KEEPCNT, 128), EINVAL), "keepalive out of range: EINVAL");
  ok(err(setint(u, IPPROTO_TCP, TCP_KEEPIDLE, 10), ENOPROTOOPT), "TCP_KEEPIDLE on UDP: ENOPROTOOPT");
  // a listener's settings reach the connections it accepts
  l = listener(SOCK_STREAM, LOOPBACK, PORT + 4, 8);
  ok(setint(l, SOL_SOCKET, SO_KEEPALIVE, 1) == 0 && setint(l, IPPROTO_TCP, TCP_KEEPIDLE, 60) == 0 &&
     setint(l, IPPROTO_TCP, TCP_KEEPINTVL, 7) == 0 && setint(l, SOL_SOCKET, SO_SNDBUF, 4096) == 0,
     "keepalive and SO_SNDBUF on a listener");
  c = connect_to(SOCK_STREAM, LOOPBACK, PORT + 4);
  s = accept(l, 0, 0);
  ok(getint(s, SOL_SOCKET, SO_KEEPALIVE) == 1 && getint(s, IPPROTO_TCP, TCP_KEEPIDLE) == 60 &&
     getint(s, IPPROTO_TCP, TCP_KEEPINTVL) == 7 && getint(s, SOL_SOCKET, SO_SNDBUF) == 4096,
     "accepted connections inherit them");
  ok(getint(c, SOL_SOCKET, SO_KEEPALIVE) == 0, "the client did not ask for keepalive");
  close(c);
  close(s);
  close(l);
  close(t);
  close(u);
}

// ---- readv and writev ---------------------------------------------------------------

static int
iov2(void *b0, long n0, void *b1, long n1)
{
  iov[0].iov_base = b0;
  iov[0].iov_len = n0;
  iov[1].iov_base = b1;
  iov[1].iov_len = n1;
  return 2;
}

static void
iov_good(void)
{
  char a[4], b[16];
  int p[2], fd, l, c, s;

  pipe(p);
  iov[0].iov_base = "ab";
  iov[0].iov_len = 2;
  iov[1].iov_base = "";
  iov[1].iov_len = 0;
  iov[2].iov_base = "cdef";
  iov[2].iov_len = 4;
  ok(writev(p[1], iov, 3) == 6, "writev on a pipe: 3 pieces");
  ok(readv(p[0], iov, iov2(a, 3, b, 16)) == 6 && memcmp(a, "abc", 3) == 0 &&
     memcmp(b, "def", 3) == 0, "readv on a pipe: split elsewhere");
  write(p[1], "xyz", 3);
  ok(readv(p[0], iov, iov2(a, 3, b, 16)) == 3, "readv on a pipe: the first piece full, "
     "then no waiting for more (it would hang here)");
  close(p[0]);
  close(p[1]);

  for(int i = 0; i < 4000; i++)
    buf[i] = 'a' + i % 23;
  fd = open("iovfile", O_CREATE | O_RDWR);
  iov[0].iov_base = buf;
  iov[0].iov_len = 1000;
  iov[1].iov_base = buf + 1000;
  iov[1].iov_len = 3000;
  ok(fd >= 0 && writev(fd, iov, 2) == 4000, "writev to a file");
  close(fd);
  fd = open("iovfile", O_RDONLY);
  ok(readv(fd, iov, iov2(buf + 4096, 2500, buf + 6596, 2000)) == 4000 &&
     memcmp(buf, buf + 4096, 4000) == 0, "readv from a file: the same bytes");
  close(fd);
  unlink("iovfile");

  l = listener(SOCK_STREAM, LOOPBACK, PORT + 5, 8);
  c = connect_to(SOCK_STREAM, LOOPBACK, PORT + 5);
  s = accept(l, 0, 0);
  ok(writev(c, iov, iov2("hello ", 6, "world", 5)) == 11, "writev on a socket");
  ok(recv(s, b, 16, MSG_PEEK | MSG_DONTWAIT) == 11,
     "both pieces left at once (Nagle did not hold the second back)");
  ok(readv(s, iov, iov2(a, 4, (void*)HOLE, 7)) == 4 && memcmp(a, "hell", 4) == 0,
     "readv on a socket, second piece unmapped: the first piece's bytes");
  int got = 0, n;
  while(got < 7 && (n = read(s, b + got, 16 - got)) > 0)
    got += n;
  ok(got == 7 && memcmp(b, "o world", 7) == 0, "the rest is still there");
  int second = 1000, t0;
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &second, sizeof(second));
  send(c, "1234", 4, 0);
  t0 = uptime();
  ok(readv(s, iov, iov2(a, 4, b, 16)) == 4 && uptime() - t0 < 50,
     "readv on a socket: the first piece full, then no waiting for more");
  for(int i = 0; i < IOV_MAX; i++){
    iov[i].iov_base = buf + i;
    iov[i].iov_len = 1;
  }
  got = 0;
  ok(writev(c, iov, IOV_MAX) == IOV_MAX, "writev of IOV_MAX pieces");
  while(got < IOV_MAX && (n = read(s, buf + 4096 + got, IOV_MAX - got)) > 0)
    got += n;
  ok(got == IOV_MAX && memcmp(buf, buf + 4096, IOV_MAX) == 0, "all of them arrive in order");
  close(c);
  close(s);
  close(l);
}

// On UDP a readv or writev moves one datagram, as on Linux.
static void
iov_datagram(void)
{
  char a[8], b[16];
  int u1 = listener(SOCK_DGRAM, LOOPBACK, PORT + 6, 8);
  int u2 = connect_to(SOCK_DGRAM, LOOPBACK, PORT + 6);
  int u3 = socket(AF_INET, SOCK_DGRAM, 0);

  iov[0].iov_base = "ab";
  iov[0].iov_len = 2;
  iov[1].iov_base = "";
  iov[1].iov_len = 0;
  iov[2].iov_base = "cdefg";
  iov[2].iov_len = 5;
  ok(writev(u2, iov, 3) == 7 && recv(u1, b, 16, 0) == 7 && memcmp(b, "abcdefg", 7) == 0,
     "UDP writev: one datagram of all the pieces");
  ok(writev(u2, iov, iov2("hello ", 6, "world", 5)) == 11, "UDP writev");
  ok(readv(u1, iov, iov2(a, 4, (void*)HOLE, 7)) == -1 && errno == EFAULT,
     "UDP readv into an unmapped piece: EFAULT");
  ok(readv(u1, iov, iov2(a, 4, b, 16)) == 11 && memcmp(a, "hell", 4) == 0 &&
     memcmp(b, "o world", 7) == 0, "UDP readv: the same datagram, scattered");
  writev(u2, iov, iov2("123", 3, "45", 2));
  ok(readv(u1, iov, iov2(a, 2, b, 1)) == 3 && memcmp(a, "12", 2) == 0 && b[0] == '3' &&
     err(recv(u1, b, 16, MSG_DONTWAIT), EAGAIN), "UDP readv, short: the rest is dropped");
  ok(err(writev(u3, iov, 1), EDESTADDRREQ), "UDP writev, unconnected: EDESTADDRREQ");
  ok(err(writev(u2, iov, iov2(buf, 8192, (void*)0x10000, 60000)), EMSGSIZE),
     "UDP writev past 65507 bytes: EMSGSIZE");
  close(u1);
  close(u2);
  close(u3);
}

static void
iov_bad(void)
{
  int p[2];
  char a[8];

  pipe(p);
  write(p[1], "xyz", 3);
  iov[0].iov_base = a;
  iov[0].iov_len = 1;
  ok(err(readv(p[0], iov, -1), EINVAL) && err(readv(p[0], iov, IOV_MAX + 1), EINVAL) &&
     err(writev(p[1], iov, 1 << 30), EINVAL), "iovcnt < 0 or > IOV_MAX: EINVAL");
  ok(err(readv(p[0], (struct iovec*)KADDR, 1), EFAULT) &&
     err(writev(p[1], (struct iovec*)UNMAPPED, 1), EFAULT), "iovec array in kernel or unmapped: EFAULT");
  ok(err(readv(p[0], iov, iov2(a, 1, 0, 5)), EFAULT) && err(writev(p[1], iov, iov2(0, 5, a, 1)), EFAULT),
     "NULL base with a length: EFAULT");
  ok(readv(p[0], iov, iov2(0, 0, a, 1)) == 1 && a[0] == 'x', "NULL base, length 0: fine");
  ok(err(readv(p[0], iov, iov2(a, 1, (void*)KADDR, 4)), EFAULT) &&
     err(writev(p[1], iov, iov2((void*)UNMAPPED, 4, a, 1)), EFAULT) &&
     err(writev(p[1], iov, iov2((void*)(KADDR - 8), 16, a, 1)), EFAULT),
     "a piece in the kernel, unmapped or across the top: EFAULT");
  ok(read(p[0], a, 8) == 2 && a[0] == 'y', "nothing was taken by the failed calls");
  ok(err(writev(p[1], iov, iov2(a, 0x80000000L, a, 1)), EINVAL) &&
     err(writev(p[1], iov, iov2(buf, 0x40000000L, buf, 0x40000000L)), EINVAL),
     "a piece or a total past INT_MAX: EINVAL");
  ok(writev(p[1], iov, iov2("12345", 5, (void*)HOLE, 5)) == 5 && read(p[0], a, 8) == 5,
     "second piece unmapped: the first one's bytes are written");
  ok(err(readv(99, iov, 1), EBADF) && err(writev(-1, iov, 1), EBADF), "bad descriptors: EBADF");
  ok(readv(p[1], iov, iov2(a, 1, a, 1)) == -1, "readv on a pipe's write end: an error");
  close(p[0]);
  close(p[1]);
}

// ---- keepalive on the wire --------------------------------------------------------

static void
keepalive(const char *addr, int port, int secs)
{
  struct sockaddr_in sa;
  int fd;

  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  inet_pton(AF_INET, addr, &sa.sin_addr);
  fd = socket(AF_INET, SOCK_STREAM, 0);
  ok(fd >= 0 && setint(fd, SOL_SOCKET, SO_KEEPALIVE, 1) == 0 &&
     setint(fd, IPPROTO_TCP, TCP_KEEPIDLE, 1) == 0 && setint(fd, IPPROTO_TCP, TCP_KEEPINTVL, 1) == 0 &&
     setint(fd, IPPROTO_TCP, TCP_KEEPCNT, 5) == 0, "keepalive: 1 s idle, 1 s apart, 5 probes");
  ok(connect(fd, (struct sockaddr*)&sa, sizeof(sa)) == 0, "connect");
  ok(send(fd, "before\n", 7, 0) == 7 && recv(fd, buf, 7, 0) == 7, "echo before the pause");
  printf("sockapi: idle for %d s\n", secs);
  sleep(secs * TICKS_PER_SECOND);
  ok(send(fd, "after\n", 6, 0) == 6 && recv(fd, buf, 6, 0) == 6 && memcmp(buf, "after", 5) == 0,
     "the connection lived through it: echo after");
  close(fd);
}

int
main(int argc, char *argv[])
{
  if(argc == 6 && strcmp(argv[1], "execcheck") == 0){
    int closed = err(fcntl(atoi(argv[2]), F_GETFD), EBADF) && err(fcntl(atoi(argv[3]), F_GETFD), EBADF);
    int open = fcntl(atoi(argv[4]), F_GETFD) == 0 && fcntl(atoi(argv[5]), F_GETFD) == 0;
    exit(closed && open ? 0 : 1);
  }
  if(argc == 5 && strcmp(argv[1], "keepalive") == 0){
    keepalive(argv[2], atoi(argv[3]), atoi(argv[4]));
    printf("sockapi: %s\n", failures ? "FAILED" : "PASS");
    exit(failures != 0);
  }
  accept4_checks();
  peek_checks();
  more_checks();
  option_checks();
  iov_good();
  iov_datagram();
  iov_bad();
  printf("sockapi: %s\n", failures ? "FAILED" : "PASS");
  exit(failures != 0);
}
