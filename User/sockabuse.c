// sockabuse: a misbehaving program, the guest side of the reliability tests
// for programs (Tests/integration/test_reliability_prog.py). Every abuse must
// get an error back and leave the kernel running and its memory intact.
// Lines are "sockabuse: ok WHAT", "sockabuse: FAIL WHAT ...", "sockabuse: KEY
// values" for the host to record, and last "sockabuse: PASS" or "... FAILED".
//
//   sockabuse args ADDR PORT        bad pointers and lengths to every socket call,
//                                   closed and non-socket descriptors
//   sockabuse fill                  open sockets until the table is full, recover
//   sockabuse kill ADDR PORT        kill processes blocked in connect, accept,
//                                   read and write (PORT: a host peer that accepts
//                                   and never reads or writes)
//   sockabuse noread ADDR PORT SECS a reader that never reads while the host sends
//   sockabuse churn ADDR PORT N     N connections opened and killed in every state;
//                                   pages and lwIP pools must come back
//   sockabuse hold PORT N SECS      accept N connections on PORT and read nothing
//                                   for SECS seconds while the peers send, then
//                                   read everything (receive memory under attack)
//   sockabuse udphold PORT N SECS   the same with N UDP sockets on PORT, PORT+1, ...
#include "kernel/types.h"
#include "kernel/kstat.h"
#include "user/user.h"
#include "user/socket.h"
#include "kernel/../CShims/include/lwip_sock.h"

#define KADDR    0x80000000L      // the kernel's memory: never the user's
#define UNMAPPED 0x3000000000L    // below MAXVA, far above any program's heap
#define BLACKHOLE "10.0.2.99"     // on the user network, nobody answers its ARP

static int failures;
static char buf[4096];

static void
ok(int cond, const char *what)
{
  if(cond)
    printf("sockabuse: ok %s\n", what);
  else {
    printf("sockabuse: FAIL %s (errno %d: %s)\n", what, errno, strerror(errno));
    failures++;
  }
}

static void
finish(void)
{
  printf("sockabuse: %s\n", failures ? "FAILED" : "PASS");
  exit(failures != 0);
}

// Pages and lwIP usage on one line, for the host to record.
static void
memline(const char *when, struct lsock_memstats *m, long pages)
{
  printf("sockabuse: mem %s pages %ld kmalloc %ld heap %d pool %d tcp %d listen %d seg %d "
         "udp %d sockets %d\n", when, pages, kstat(KSTAT_KMALLOC), m->heap_used, m->pbuf_pool_used, m->tcp_pcb_used,
         m->tcp_listen_used, m->tcp_seg_used, m->udp_pcb_used, m->sockets_used);
}

// ---- args: bad pointers and lengths ------------------------------------------------
static uint64 badptrs[] = { 0, (uint64)-1, KADDR, KADDR + 0x1000, UNMAPPED };
#define NBAD (sizeof(badptrs) / sizeof(badptrs[0]))
static int badlens[] = { -1, -100000, 0x7fffffff, (int)0x80000000 };
#define NLEN (sizeof(badlens) / sizeof(badlens[0]))

// A call with a bad argument must fail (r < 0) and say why (errno set).
static int
refused(int r)
{
  return r < 0 && errno > 0;
}

static void
badaddrs(int tcp, int udp)
{
  char what[80];
  struct sockaddr_in sa;
  socklen_t len;
  int r;

  for(int i = 0; i < NBAD; i++){
    void *p = (void*)badptrs[i];
    errno = 0;
    snprintf(what, sizeof(what), "bind/connect/sendto address %p", p);
    r = refused(bind(udp, p, sizeof(sa))) && refused(connect(tcp, p, sizeof(sa))) &&
        refused(sendto(udp, "x", 1, 0, p, sizeof(sa)));
    ok(r, what);
    // address 0 is a program's first text page in xv6: a valid buffer
    if(p != 0){
      snprintf(what, sizeof(what), "send/write buffer %p on a connection", p);
      r = refused(send(tcp, p, 100, 0)) && write(tcp, p, 100) < 0;
      ok(r, what);
    }
    len = sizeof(sa);
    snprintf(what, sizeof(what), "getsockname/getpeername/accept out %p", p);
    r = refused(getsockname(udp, p, &len)) && refused(getsockname(udp, (void*)&sa, p)) &&
        refused(getpeername(tcp, p, &len)) && refused(accept(tcp, p, p));
    ok(r, what);
    snprintf(what, sizeof(what), "setsockopt/getsockopt value %p", p);
    r = refused(setsockopt(udp, SOL_SOCKET, SO_RCVTIMEO, p, sizeof(struct timeval))) &&
        refused(getsockopt(udp, SOL_SOCKET, SO_ERROR, p, &len)) &&
        refused(getsockopt(udp, SOL_SOCKET, SO_ERROR, buf, p));
    ok(r, what);
    snprintf(what, sizeof(what), "netinfo buffer %p", p);
    ok(refused(netinfo(NETINFO_MEM, p, 0)) && refused(netinfo(NETINFO_IF, p, 0)), what);
  }
}

// Reads into bad buffers on a non-blocking socket with data waiting: the data
// is there, so only the pointer can fail the first call.
static void
badreads(int udp, struct sockaddr_in *self)
{
  char what[80];
  socklen_t len;

  for(int i = 0; i < NBAD; i++){
    void *p = (void*)badptrs[i];
    if(p == 0)
      continue;   // a valid address in xv6 (see badaddrs)
    sendto(udp, "ping", 4, 0, (struct sockaddr*)self, sizeof(*self));
    pause(2);
    errno = 0;
    len = sizeof(*self);
    snprintf(what, sizeof(what), "recvfrom/read into %p with data queued", p);
    ok(refused(recvfrom(udp, p, 100, 0, 0, 0)) && read(udp, p, 100) < 0, what);
    sendto(udp, "ping", 4, 0, (struct sockaddr*)self, sizeof(*self));
    pause(2);
    snprintf(what, sizeof(what), "recvfrom address out %p", p);
    ok(refused(recvfrom(udp, buf, 100, 0, p, &len)), what);
    while(recv(udp, buf, sizeof(buf), MSG_DONTWAIT) > 0)
      ;
  }
}

static void
badlengths(int tcp, int udp)
{
  char what[80];
  struct sockaddr_in sa;
  socklen_t len;

  for(int i = 0; i < NLEN; i++){
    int n = badlens[i];
    errno = 0;
    snprintf(what, sizeof(what), "address length %d", n);
    ok(refused(bind(udp, (void*)&sa, n)) && refused(connect(tcp, (void*)&sa, n)) &&
       refused(sendto(udp, "x", 1, 0, (void*)&sa, n)), what);
    snprintf(what, sizeof(what), "buffer length %d", n);
    // a huge length over a small buffer runs into unmapped memory: an error or a
    // short count, never a crash; a negative one is an error
    int r1 = send(udp, buf, n, 0), r2 = recv(udp, buf, n, MSG_DONTWAIT);
    ok((n < 0 ? r1 < 0 && r2 < 0 : 1), what);
    len = n;
    snprintf(what, sizeof(what), "in/out length %d", n);
    getsockname(udp, (void*)&sa, &len);
    len = n;
    getsockopt(udp, SOL_SOCKET, SO_ERROR, buf, &len);
    ok(refused(setsockopt(udp, SOL_SOCKET, SO_RCVTIMEO, buf, n)) || n > 0, what);
  }
  ok(refused(listen(udp, 5)), "listen on a UDP socket");
  ok(refused(listen(tcp, -1)) || 1, "listen backlog -1 (accepted or refused)");
  ok(refused(shutdown(tcp, 7)), "shutdown how 7");
  ok(refused(setsockopt(udp, 9999, 9999, buf, 4)), "setsockopt unknown option");
  ok(refused(socket(AF_INET, SOCK_STREAM, 12345)), "socket protocol 12345");
  ok(refused(socket(-1, -1, -1)), "socket -1 -1 -1");
  ok(refused(netinfo(99, buf, 0)) && refused(netinfo(NETINFO_SOCK, buf, -1)) &&
     refused(netinfo(NETINFO_SOCK, buf, 1 << 30)), "netinfo bad selector and index");
}

static void
badfds(void)
{
  struct sockaddr_in sa;
  socklen_t len = sizeof(sa);
  int fds[] = { -1, 99, 1 << 30, 15 }, fd;

  mkaddr(&sa, "10.0.2.2", 9);
  for(int i = 0; i < 4; i++){
    fd = fds[i];
    errno = 0;
    ok(bind(fd, (void*)&sa, sizeof(sa)) < 0 && errno == EBADF &&
       connect(fd, (void*)&sa, sizeof(sa)) < 0 && errno == EBADF &&
       send(fd, "x", 1, 0) < 0 && errno == EBADF && recv(fd, buf, 1, 0) < 0 &&
       errno == EBADF && accept(fd, 0, 0) < 0 && errno == EBADF &&
       getsockname(fd, (void*)&sa, &len) < 0 && errno == EBADF, "bad descriptor: EBADF");
  }
  fd = socket(AF_INET, SOCK_DGRAM, 0);
  close(fd);
  ok(send(fd, "x", 1, 0) < 0 && errno == EBADF && listen(fd, 1) < 0 && errno == EBADF &&
     shutdown(fd, SHUT_RDWR) < 0 && errno == EBADF, "closed socket: EBADF");
  ok(close(fd) < 0, "closing twice fails");
  // descriptor 0 is the console
  ok(listen(0, 1) < 0 && errno == ENOTSOCK && send(0, "x", 1, 0) < 0 && errno == ENOTSOCK &&
     accept(0, 0, 0) < 0 && errno == ENOTSOCK && setsockopt(0, SOL_SOCKET, SO_REUSEADDR,
     buf, 4) < 0 && errno == ENOTSOCK && getpeername(0, (void*)&sa, &len) < 0 &&
     errno == ENOTSOCK, "console descriptor: ENOTSOCK");
  int p[2];
  pipe(p);
  ok(connect(p[0], (void*)&sa, sizeof(sa)) < 0 && errno == ENOTSOCK &&
     recv(p[0], buf, 1, MSG_DONTWAIT) < 0 && errno == ENOTSOCK, "pipe descriptor: ENOTSOCK");
  close(p[0]);
  close(p[1]);
}

static void
args(const char *addr, int port)
{
  struct sockaddr_in self;
  int tcp, udp;
  long pages = kstat(KSTAT_FREEPAGES);

  udp = socket(AF_INET, SOCK_DGRAM, 0);
  mkaddr(&self, "0.0.0.0", 5555);
  ok(udp >= 0 && bind(udp, (void*)&self, sizeof(self)) == 0, "udp socket bound");
  tcp = connect_to(SOCK_STREAM, addr, port);
  ok(tcp >= 0, "tcp connection to the host");
  badaddrs(tcp, udp);
  close(udp);
  udp = socket(AF_INET, SOCK_DGRAM, 0);
  bind(udp, (void*)&self, sizeof(self));
  fcntl(udp, F_SETFL, O_NONBLOCK);
  mkaddr(&self, "10.0.2.15", 5555);
  badreads(udp, &self);
  badlengths(tcp, udp);
  close(udp);
  close(tcp);
  badfds();
  // still working afterwards
  tcp = connect_to(SOCK_STREAM, addr, port);
  ok(tcp >= 0 && write(tcp, "bye\n", 4) == 4, "sockets still work afterwards");
  close(tcp);
  printf("sockabuse: pages before %ld after %ld\n", pages, kstat(KSTAT_FREEPAGES));
  finish();
}

// ---- fill: the socket table ----------------------------------------------------------
// A full table or pool must give a clear error; EMFILE only means this process
// has no descriptor left.
static int
fullerr(int e)
{
  return e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

// A child opens TCP and UDP sockets until both kinds are refused for want of
// room, or it runs out of descriptors; it reports on the pipe, then holds its
// sockets until killed.
static void
filler(int wfd)
{
  int n[2] = { 0, 0 }, err[2] = { 0, 0 }, types[2] = { SOCK_STREAM, SOCK_DGRAM };

  for(int t = 0; !(err[0] && err[1]); t ^= 1){
    if(err[t])
      continue;
    if(socket(AF_INET, types[t], 0) >= 0)
      n[t]++;
    else if(errno == EMFILE)
      break;
    else
      err[t] = errno;
  }
  write(wfd, n, sizeof(n));
  write(wfd, err, sizeof(err));
  for(;;)
    pause(100);
}

static void
fill(void)
{
  int pids[20], np = 0, p[2], n[2], err[2] = { 0, 0 }, total[2] = { 0, 0 }, fd, fd2;
  long pages = kstat(KSTAT_FREEPAGES);

  pipe(p);
  while(!(err[0] && err[1]) && np < 20){
    if((pids[np] = fork()) == 0){
      close(p[0]);
      filler(p[1]);
    }
    np++;
    if(read(p[0], n, sizeof(n)) != sizeof(n) || read(p[0], err, sizeof(err)) != sizeof(err))
      break;
    total[0] += n[0];
    total[1] += n[1];
    printf("sockabuse: child %d opened %d tcp %d udp\n", np, n[0], n[1]);
  }
  printf("sockabuse: fill total %d tcp %d udp in %d processes, refused with errno %d (%s) "
         "and %d (%s)\n", total[0], total[1], np, err[0], strerror(err[0]), err[1],
         strerror(err[1]));
  ok(fullerr(err[0]) && fullerr(err[1]), "table full: a clear error for each kind");
  errno = 0;
  fd = socket(AF_INET, SOCK_STREAM, 0);
  ok(fd < 0 && (fullerr(errno) || errno == EMFILE), "another TCP socket refused while full");
  fd2 = socket(AF_INET, SOCK_DGRAM, 0);
  ok(fd2 < 0 && (fullerr(errno) || errno == EMFILE), "another UDP socket refused while full");
  for(int i = 0; i < np; i++){
    kill(pids[i]);
    wait(0);
  }
  close(p[0]);
  close(p[1]);
  fd = socket(AF_INET, SOCK_STREAM, 0);
  ok(fd >= 0, "a TCP socket again after the holders exited");
  close(fd);
  fd = socket(AF_INET, SOCK_DGRAM, 0);
  ok(fd >= 0, "a UDP socket again");
  close(fd);
  pause(20);
  printf("sockabuse: pages before %ld after %ld\n", pages, kstat(KSTAT_FREEPAGES));
  finish();
}

// ---- kill: processes blocked in each call ------------------------------------------
enum { K_CONNECT, K_ACCEPT, K_READ, K_WRITE, K_CONNECTED, K_LISTENING, K_IDLE, K_KINDS };
static const char *kname[] = { "connect", "accept", "read", "write", "connected (idle)",
                               "listening", "unconnected" };

// The child's part: get into the state and block there (or just sit).
static void
victim(int kind, const char *addr, int port, int lport)
{
  int fd;

  switch(kind){
  case K_CONNECT:   // blocks: nobody answers the ARP (any return is news)
    fd = connect_to(SOCK_STREAM, BLACKHOLE, 80);
    printf("sockabuse: connect to %s returned %d (errno %d)\n", BLACKHOLE, fd, fd < 0 ? errno : 0);
    break;
  case K_ACCEPT:
  case K_LISTENING:
    if((fd = listener(SOCK_STREAM, "0.0.0.0", lport, 8)) >= 0 && kind == K_ACCEPT)
      accept(fd, 0, 0);
    break;
  case K_READ:
    if((fd = connect_to(SOCK_STREAM, addr, port)) >= 0)
      read(fd, buf, sizeof(buf));
    break;
  case K_WRITE:   // the peer never reads: fills its window, then blocks
    if((fd = connect_to(SOCK_STREAM, addr, port)) >= 0)
      while(write(fd, buf, sizeof(buf)) > 0)
        ;
    break;
  case K_CONNECTED:
    connect_to(SOCK_STREAM, addr, port);
    break;
  case K_IDLE:
    socket(AF_INET, SOCK_STREAM, 0);
    socket(AF_INET, SOCK_DGRAM, 0);
    break;
  }
  for(;;)
    pause(100);
}

// The table slots holding a socket in socket-layer state st (SOCKINFO_*):
// bit i for slot i (the first 64 slots); 0 if none.
static uint64
instate(int st)
{
  struct sock_info si;
  uint64 set = 0;

  for(int i = 0; i < 64 && netinfo(NETINFO_SOCK, &si, i) >= 0; i++)
    if(si.kind != 0 && si.state == st)
      set |= 1ULL << i;
  return set;
}

// The state a victim's socket must be in while it blocks (-1: no check).
static int wantstate[] = { SOCKINFO_CONNECTING, SOCKINFO_LISTENING, SOCKINFO_CONNECTED,
                           SOCKINFO_CONNECTED, SOCKINFO_CONNECTED, SOCKINFO_LISTENING, -1 };

// Start a victim, give it time to block (ticks, and with check until a
// socket is in the expected state, 3 s at most), kill it; 1 if it went away
// (and, with check, if a socket was in that state when it was killed).
static int
killone(int kind, const char *addr, int port, int lport, int ticks, int check)
{
  int pid = fork(), checked = check && wantstate[kind] >= 0;
  uint64 fresh = 1;

  if(pid < 0)
    return 0;
  if(pid == 0)
    victim(kind, addr, port, lport);
  pause(ticks);
  // Some socket must be in the state when the victim is killed. (Counting
  // against the sockets in it before the fork misjudged: an earlier victim's
  // socket may leave the state meanwhile, or its slot be reused.) A loaded
  // host may not have run the child that far yet: up to 3 s more.
  for(int waited = 0; checked && !(fresh = instate(wantstate[kind])) && waited < 300; waited += 10)
    pause(10);
  kill(pid);
  if(wait(0) != pid)
    return 0;
  if(!fresh){
    printf("sockabuse: %s: no socket in state %d when killed\n", kname[kind], wantstate[kind]);
    errno = 0;
    return 0;
  }
  return 1;
}

static void
killall(const char *addr, int port)
{
  char what[64];
  long pages = kstat(KSTAT_FREEPAGES);

  for(int k = 0; k < K_KINDS; k++){
    snprintf(what, sizeof(what), "killed while in %s", kname[k]);
    // write gets longer: the window must fill first
    ok(killone(k, addr, port, 6000 + k, k == K_WRITE ? 150 : 30, 1), what);
  }
  int fd = connect_to(SOCK_STREAM, addr, port);
  ok(fd >= 0, "connections still work afterwards");
  close(fd);
  printf("sockabuse: pages before %ld after %ld\n", pages, kstat(KSTAT_FREEPAGES));
  finish();
}

// ---- noread: a reader that never reads -----------------------------------------------
static void
noread(const char *addr, int port, int secs)
{
  struct lsock_memstats m0, m;
  long p0 = kstat(KSTAT_FREEPAGES), p, maxpool = 0, maxheap = 0, minpages = p0;
  int fd, n = 0;

  netinfo(NETINFO_MEM, &m0, 0);
  memline("start", &m0, p0);
  fd = connect_to(SOCK_STREAM, addr, port);
  ok(fd >= 0, "connected to a sender");
  for(int t = 0; t < secs * 4; t++){
    pause(25);
    netinfo(NETINFO_MEM, &m, 0);
    p = kstat(KSTAT_FREEPAGES);
    if(m.pbuf_pool_used > maxpool)
      maxpool = m.pbuf_pool_used;
    if(m.heap_used > maxheap)
      maxheap = m.heap_used;
    if(p < minpages)
      minpages = p;
  }
  memline("peak-sample", &m, p);
  printf("sockabuse: noread max pool %ld max heap %ld min pages %ld (start %ld)\n",
         maxpool, maxheap, minpages, p0);
  // the window (44 segments) bounds what may wait: say 52 pool pbufs with slack,
  // and the pages of a receive ring (16) if the segments came small
  ok(maxpool <= 52 + m0.pbuf_pool_used, "queued data bounded by the window");
  ok(p0 - minpages <= 4 + 16, "no kernel pages used up");
  // now read it all: the window reopens and data flows again
  for(int i = 0; i < 64; i++){
    int r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if(r <= 0)
      break;
    n += r;
  }
  ok(n > 0, "reading reopens the flow");
  printf("sockabuse: noread read %d bytes after the stall\n", n);
  close(fd);
  finish();
}

// ---- churn: many connections killed in every state -------------------------------------
static int
same(struct lsock_memstats *a, struct lsock_memstats *b, long pa, long pb, long ka, long kb)
{
  return ka == kb && b->pbuf_pool_used == a->pbuf_pool_used && b->tcp_pcb_used == a->tcp_pcb_used &&
         b->tcp_listen_used == a->tcp_listen_used && b->tcp_seg_used == a->tcp_seg_used &&
         b->udp_pcb_used == a->udp_pcb_used && b->sockets_used == a->sockets_used &&
         b->heap_used == a->heap_used && pa == pb;
}

static void
churn(const char *addr, int port, int n)
{
  struct lsock_memstats before, after;
  long pb, pa, kb, ka;
  int gone = 0, t;

  pause(50);   // let earlier modes' connections finish
  netinfo(NETINFO_MEM, &before, 0);
  pb = kstat(KSTAT_FREEPAGES);
  kb = kstat(KSTAT_KMALLOC);
  memline("before", &before, pb);
  for(int i = 0; i < n; i++){
    int k = i % K_KINDS;
    gone += killone(k, addr, port, 7000 + (i % 50), k == K_WRITE ? 40 : 3 + i % 5, 0);
    if(i % 100 == 99){
      netinfo(NETINFO_MEM, &after, 0);
      memline("during", &after, kstat(KSTAT_FREEPAGES));
    }
  }
  ok(gone == n, "every killed process went away");
  netinfo(NETINFO_MEM, &after, 0);
  pa = kstat(KSTAT_FREEPAGES);
  ka = kstat(KSTAT_KMALLOC);
  memline("end", &after, pa);
  // TIME_WAIT (2 MSL = 2 minutes in lwIP) and ARP queues drain on lwIP's timers
  for(t = 0; t < 300 && !same(&before, &after, pb, pa, kb, ka); t++){
    pause(50);
    netinfo(NETINFO_MEM, &after, 0);
    pa = kstat(KSTAT_FREEPAGES);
    ka = kstat(KSTAT_KMALLOC);
  }
  printf("sockabuse: churn drained after %d s\n", t / 2);
  memline("after", &after, pa);
  ok(same(&before, &after, pb, pa, kb, ka),
     "pages, kmalloc and lwIP pools back to their starting values");
  finish();
}

// ---- hold / udphold: readers that pause while peers flood them ---------------------------
// Sample the receive pool while nobody reads, for the host to record.
static void
holdsample(int secs)
{
  struct lsock_memstats m;
  long maxpool = 0, maxsock = 0, maxpages = 0;

  for(int t = 0; t < secs * 4; t++){
    pause(25);
    netinfo(NETINFO_MEM, &m, 0);
    if(m.pbuf_pool_used > maxpool)
      maxpool = m.pbuf_pool_used;
    if(m.sock_pool_pbufs > maxsock)
      maxsock = m.sock_pool_pbufs;
    if(m.sock_ring_pages > maxpages)
      maxpages = m.sock_ring_pages;
  }
  printf("sockabuse: hold max pool %ld sockets' pool %ld ring pages %ld copied %d\n",
         maxpool, maxsock, maxpages, (int)m.rx_copied);
}

static void
hold(int port, int n, int secs)
{
  int l, fds[16], i, r;
  long bytes;

  if(n > 16)
    n = 16;
  l = listener(SOCK_STREAM, "0.0.0.0", port, 8);
  ok(l >= 0, "listening");
  printf("sockabuse: hold listening on %d\n", port);
  for(i = 0; i < n; i++)
    ok((fds[i] = accept(l, 0, 0)) >= 0, "accepted");
  close(l);
  printf("sockabuse: hold accepted %d, not reading for %d s\n", n, secs);
  holdsample(secs);
  for(i = 0; i < n; i++){
    for(bytes = 0; (r = read(fds[i], buf, sizeof(buf))) > 0; bytes += r)
      ;
    ok(r == 0, "read to the end");
    printf("sockabuse: hold conn %d bytes %ld\n", i, bytes);
    close(fds[i]);
  }
  finish();
}

static void
udphold(int port, int n, int secs)
{
  struct sockaddr_in sa;
  int fds[16], i, r, count;

  if(n > 16)
    n = 16;
  for(i = 0; i < n; i++){
    fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
    mkaddr(&sa, "0.0.0.0", port + i);
    ok(fds[i] >= 0 && bind(fds[i], (struct sockaddr*)&sa, sizeof(sa)) == 0, "udp socket bound");
  }
  printf("sockabuse: udphold listening on %d..%d, not reading for %d s\n", port, port + n - 1, secs);
  holdsample(secs);
  for(i = 0; i < n; i++){
    for(count = 0; (r = recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT)) >= 0; count++)
      ;
    ok(errno == EAGAIN, "drained");
    printf("sockabuse: udphold port %d datagrams %d\n", port + i, count);
    close(fds[i]);
  }
  finish();
}

int
main(int argc, char *argv[])
{
  signal(SIGPIPE, (sighandler_t)SIG_IGN);   // a reset peer is an error (EPIPE), not our end
  if(argc >= 4 && strcmp(argv[1], "args") == 0)
    args(argv[2], atoi(argv[3]));
  else if(argc >= 2 && strcmp(argv[1], "fill") == 0)
    fill();
  else if(argc >= 4 && strcmp(argv[1], "kill") == 0)
    killall(argv[2], atoi(argv[3]));
  else if(argc >= 5 && strcmp(argv[1], "noread") == 0)
    noread(argv[2], atoi(argv[3]), atoi(argv[4]));
  else if(argc >= 5 && strcmp(argv[1], "churn") == 0)
    churn(argv[2], atoi(argv[3]), atoi(argv[4]));
  else if(argc >= 5 && strcmp(argv[1], "hold") == 0)
    hold(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
  else if(argc >= 5 && strcmp(argv[1], "udphold") == 0)
    udphold(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
  fprintf(2, "usage: sockabuse args|fill|kill|noread|churn|hold|udphold ...\n");
  exit(2);
}
