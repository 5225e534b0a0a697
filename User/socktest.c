// socktest: guest side of the socket integration tests (Tests/integration).
// Each mode prints its results line by line and ends with "socktest: PASS"
// or "socktest: FAIL <reason>", which the host side looks for.
//
//   socktest client ADDR PORT BYTES    send BYTES to an echo server, check the echo
//   socktest server PORT COUNT         echo COUNT connections (serves them one by one)
//   socktest udpserver PORT COUNT      echo COUNT datagrams back to their senders
//   socktest udpclient ADDR PORT COUNT send COUNT datagrams, expect them echoed
//   socktest many ADDR PORT N          N connections to an echo server open at once
//   socktest leak ADDR PORT N          N connect/echo/close rounds with a server that
//                                      closes first; lwIP's memory must not grow
//   socktest errors ADDR CLOSEDPORT    error codes, timeouts, non-blocking, kill
//   socktest slow ADDR PORT BYTES      read a sender's BYTES slowly: the queue stays bounded
//   socktest reset ADDR PORT           the server resets: ECONNRESET, then EPIPE
//   socktest prefork PORT N            N processes accept on one listener (fork),
//                                      until none comes for 3 s
#include "kernel/types.h"
#include "kernel/kstat.h"
#include "user/user.h"
#include "user/socket.h"
#include "kernel/../CShims/include/lwip_sock.h"

static int failures;

static void
fail(const char *what)
{
  printf("socktest: FAIL %s (errno %d: %s)\n", what, errno, strerror(errno));
  failures++;
}

static void
finish(void)
{
  if(failures == 0)
    printf("socktest: PASS\n");
  exit(failures != 0);
}

static char buf[8192];
static char rbuf[8192];

// Send bytes of the pattern while reading the echo, check every byte.
static void
client(const char *addr, int port, int bytes)
{
  int fd, sent = 0, got = 0, n, chunk;
  uint sum = 0;
  int t0 = uptime();

  if((fd = connect_to(SOCK_STREAM, addr, port)) < 0){
    fail("connect");
    return;
  }
  while(got < bytes){
    if(sent < bytes){
      chunk = bytes - sent < (int)sizeof(buf) ? bytes - sent : (int)sizeof(buf);
      // never more than one buffer ahead, so the echo cannot deadlock us
      if(sent - got < (int)sizeof(buf)){
        for(int i = 0; i < chunk; i++)
          buf[i] = streambyte(sent + i);
        if(writeall(fd, buf, chunk) < 0){
          fail("send");
          break;
        }
        sent += chunk;
      }
    }
    if((n = recv(fd, rbuf, sizeof(rbuf), 0)) <= 0){
      fail(n == 0 ? "early EOF" : "recv");
      break;
    }
    for(int i = 0; i < n; i++){
      if(rbuf[i] != streambyte(got + i)){
        printf("socktest: byte %d differs\n", got + i);
        failures++;
        close(fd);
        return;
      }
      sum = sum * 31 + (uchar)rbuf[i];
    }
    got += n;
  }
  close(fd);
  printf("socktest: client sent %d received %d sum %x in %d ticks\n", sent, got, sum,
         uptime() - t0);
}

static void
server(int port, int count)
{
  struct sockaddr_in peer;
  socklen_t len;
  int lfd, fd, n, total;
  char ip[INET_ADDRSTRLEN];

  if((lfd = listener(SOCK_STREAM, "0.0.0.0", port, 16)) < 0){
    fail("listen");
    return;
  }
  printf("socktest: listening on %d\n", port);
  for(int i = 0; i < count; i++){
    len = sizeof(peer);
    if((fd = accept(lfd, (struct sockaddr*)&peer, &len)) < 0){
      fail("accept");
      break;
    }
    total = 0;
    while((n = read(fd, buf, sizeof(buf))) > 0){
      if(writeall(fd, buf, n) < 0)
        break;
      total += n;
    }
    printf("socktest: served %s:%d %d bytes\n",
           inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof(ip)), ntohs(peer.sin_port), total);
    close(fd);
  }
  close(lfd);
}

static void
udpserver(int port, int count)
{
  struct sockaddr_in peer;
  socklen_t len;
  int fd, n;

  if((fd = listener(SOCK_DGRAM, "0.0.0.0", port, 16)) < 0){
    fail("udp bind");
    return;
  }
  printf("socktest: udp listening on %d\n", port);
  for(int i = 0; i < count; i++){
    len = sizeof(peer);
    if((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr*)&peer, &len)) < 0){
      fail("recvfrom");
      break;
    }
    if(sendto(fd, buf, n, 0, (struct sockaddr*)&peer, len) != n)
      fail("sendto");
  }
  printf("socktest: udp echoed %d\n", count);
  close(fd);
}

static void
udpclient(const char *addr, int port, int count)
{
  struct sockaddr_in sa, from;
  struct timeval tv = { 2, 0 };
  socklen_t len;
  int fd, n, ok = 0;

  if(mkaddr(&sa, addr, port) < 0 || (fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0){
    fail("udp socket");
    return;
  }
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  for(int i = 0; i < count; i++){
    n = snprintf(buf, sizeof(buf), "datagram %d", i);
    if(sendto(fd, buf, n, 0, (struct sockaddr*)&sa, sizeof(sa)) != n){
      fail("sendto");
      continue;
    }
    len = sizeof(from);
    if((n = recvfrom(fd, rbuf, sizeof(rbuf), 0, (struct sockaddr*)&from, &len)) < 0){
      fail("recvfrom");
      continue;
    }
    if(n == (int)strlen(buf) && memcmp(buf, rbuf, n) == 0)
      ok++;
  }
  printf("socktest: udp %d of %d echoed\n", ok, count);
  if(ok != count)
    failures++;
  close(fd);
}

// One process may hold only NOFILE descriptors: spread the connections over
// children of PERCHILD each, all open at the same time.
#define PERCHILD 8

static int
manychild(const char *addr, int port, int first, int count)
{
  int fds[PERCHILD], ok = 0, len, got, r;

  for(int i = 0; i < count; i++){
    if((fds[i] = connect_to(SOCK_STREAM, addr, port)) < 0){
      printf("socktest: connection %d\n", first + i);
      fail("connect");
      count = i;
      break;
    }
  }
  pause(30);  // let every child get all its connections open
  for(int i = 0; i < count; i++){
    len = snprintf(buf, sizeof(buf), "connection %d\n", first + i);
    if(writeall(fds[i], buf, len) < 0)
      fail("send");
  }
  for(int i = 0; i < count; i++){
    len = snprintf(buf, sizeof(buf), "connection %d\n", first + i);
    got = 0;
    while(got < len && (r = recv(fds[i], rbuf + got, len - got, 0)) > 0)
      got += r;
    if(got == len && memcmp(buf, rbuf, len) == 0)
      ok++;
    close(fds[i]);
  }
  return ok;
}

static void
many(const char *addr, int port, int n)
{
  int children = 0, status, ok = 0;

  for(int first = 0; first < n; first += PERCHILD){
    int count = n - first < PERCHILD ? n - first : PERCHILD;
    if(fork() == 0)
      exit(manychild(addr, port, first, count));
    children++;
  }
  while(children-- > 0){
    if(wait(&status) < 0)
      break;
    ok += status;
  }
  printf("socktest: %d of %d concurrent connections echoed\n", ok, n);
  if(ok != n)
    failures++;
}

static void
memline(const char *when, struct lsock_memstats *m, long pages)
{
  printf("socktest: %s pages %ld heap %d pool %d tcp %d seg %d udp %d sockets %d\n", when,
         pages, m->heap_used, m->pbuf_pool_used, m->tcp_pcb_used, m->tcp_seg_used,
         m->udp_pcb_used, m->sockets_used);
}

// Nothing lwIP holds may have grown (TIME_WAIT connections of earlier runs
// may only have expired meanwhile); free pages get a small slack for what
// other programs do.
static int
same(struct lsock_memstats *a, struct lsock_memstats *b, long pa, long pb)
{
  return b->pbuf_pool_used <= a->pbuf_pool_used && b->tcp_pcb_used <= a->tcp_pcb_used &&
         b->tcp_seg_used <= a->tcp_seg_used && b->udp_pcb_used <= a->udp_pcb_used &&
         b->sockets_used <= a->sockets_used && b->heap_used <= a->heap_used &&
         pa - pb <= 2 && pb - pa <= 2;
}

static void
leak(const char *addr, int port, int n)
{
  struct lsock_memstats before, after;
  long pb, pa;
  int fd, r;

  netinfo(NETINFO_MEM, &before, 0);
  pb = kstat(KSTAT_FREEPAGES);
  pa = pb;
  after = before;
  memline("before", &before, pb);
  for(int i = 0; i < n; i++){
    if((fd = connect_to(SOCK_STREAM, addr, port)) < 0){
      fail("connect");
      return;
    }
    // the server answers and closes first, so no TIME_WAIT is left here
    if(writeall(fd, "ping\n", 5) < 0 || (r = recv(fd, rbuf, sizeof(rbuf), 0)) <= 0)
      fail("echo");
    while(r > 0)
      r = recv(fd, rbuf, sizeof(rbuf), 0);
    close(fd);
  }
  // lwIP finishes the closes (FIN, last ACK) on its own time: wait for it
  for(int t = 0; t < 60; t++){
    netinfo(NETINFO_MEM, &after, 0);
    pa = kstat(KSTAT_FREEPAGES);
    if(same(&before, &after, pb, pa))
      break;
    pause(10);
  }
  memline("after", &after, pa);
  if(!same(&before, &after, pb, pa)){
    printf("socktest: memory after %d connections differs\n", n);
    failures++;
  }
}

#define EXPECT(cond, what) do { if(!(cond)) fail(what); else printf("socktest: ok %s\n", what); } while(0)

static void
errors(const char *addr, int closedport)
{
  struct sockaddr_in sa;
  struct timeval tv = { 0, 300000 };
  socklen_t len;
  int fd, fd2, t0, v, pid;

  errno = 0;
  EXPECT(socket(AF_INET + 1, SOCK_STREAM, 0) < 0 && errno == EAFNOSUPPORT, "bad family");
  EXPECT(socket(AF_INET, 9, 0) < 0 && errno == EPROTOTYPE, "bad type");
  EXPECT(send(99, "x", 1, 0) < 0 && errno == EBADF, "bad fd");
  EXPECT(listen(0, 1) < 0 && errno == ENOTSOCK, "not a socket");

  fd = socket(AF_INET, SOCK_STREAM, 0);
  EXPECT(fd >= 0, "socket");
  mkaddr(&sa, addr, closedport);
  EXPECT(connect(fd, (struct sockaddr*)0x7ffffff0000L, sizeof(sa)) < 0 && errno == EFAULT,
         "bad pointer");
  EXPECT(connect(fd, (struct sockaddr*)&sa, 3) < 0 && errno == EINVAL, "short address");
  EXPECT(recv(fd, buf, 10, 0) < 0 && errno == ENOTCONN, "not connected");
  t0 = uptime();
  EXPECT(connect(fd, (struct sockaddr*)&sa, sizeof(sa)) < 0 && errno == ECONNREFUSED, "refused");
  printf("socktest: refused after %d ticks\n", uptime() - t0);
  close(fd);

  // two sockets on one port
  fd = listener(SOCK_STREAM, "0.0.0.0", 7777, 16);
  fd2 = socket(AF_INET, SOCK_STREAM, 0);
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons(7777);
  EXPECT(fd >= 0 && bind(fd2, (struct sockaddr*)&sa, sizeof(sa)) < 0 && errno == EADDRINUSE,
         "address in use");
  close(fd2);

  // non-blocking accept, then a timed one
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  EXPECT(accept(fd, 0, 0) < 0 && errno == EAGAIN, "non-blocking accept");
  fcntl(fd, F_SETFL, 0);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  t0 = uptime();
  EXPECT(accept(fd, 0, 0) < 0 && errno == EAGAIN, "accept timeout");
  v = uptime() - t0;
  printf("socktest: 300 ms timeout took %d ticks\n", v);
  EXPECT(v >= 20 && v <= 150, "timeout took about 300 ms");
  len = sizeof(v);
  EXPECT(getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == 0, "SO_ERROR");

  // a process killed while blocked in accept goes away
  if((pid = fork()) == 0){
    struct timeval forever = { 0, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof(forever));
    accept(fd, 0, 0);
    exit(errno == EINTR ? 0 : 1);
  }
  pause(20);
  kill(pid);
  EXPECT(wait(0) == pid, "killed while blocked in accept");
  close(fd);

  // non-blocking connect
  fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  mkaddr(&sa, addr, closedport);
  EXPECT(connect(fd, (struct sockaddr*)&sa, sizeof(sa)) < 0 && errno == EINPROGRESS,
         "non-blocking connect");
  pause(20);
  len = sizeof(v);
  EXPECT(getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == ECONNREFUSED,
         "SO_ERROR after refused");
  close(fd);

  // UDP: a receive timeout, a send without address
  fd = socket(AF_INET, SOCK_DGRAM, 0);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  EXPECT(recv(fd, buf, 10, 0) < 0 && errno == EAGAIN, "udp receive timeout");
  EXPECT(send(fd, "x", 1, 0) < 0 && errno == EDESTADDRREQ, "udp needs an address");
  close(fd);
}

// The socket-table entry of our connection to port (netstat's view).
static int
queued(int port)
{
  struct sock_info si;

  for(int i = 0; netinfo(NETINFO_SOCK, &si, i) >= 0; i++)
    if(si.kind == SOCK_STREAM && si.remote.port == port && si.state == SOCKINFO_CONNECTED)
      return si.rx_queued;
  return -1;
}

// The sender sends more than a window; until we read, the kernel keeps at
// most one window (TCP_WND, 44 segments) and the sender waits.
static void
slow(const char *addr, int port, int bytes)
{
  int fd, n, got = 0, q, maxq = 0;

  if((fd = connect_to(SOCK_STREAM, addr, port)) < 0){
    fail("connect");
    return;
  }
  for(int i = 0; i < 5; i++){
    pause(20);
    if((q = queued(port)) > maxq)
      maxq = q;
  }
  printf("socktest: slow reader: %d bytes queued while not reading\n", maxq);
  if(maxq <= 0 || maxq > 44 * 1460){
    printf("socktest: queue not bounded by the window\n");
    failures++;
  }
  while((n = recv(fd, rbuf, 1000, 0)) > 0){
    for(int i = 0; i < n; i++)
      if(rbuf[i] != streambyte(got + i)){
        printf("socktest: byte %d differs\n", got + i);
        failures++;
        close(fd);
        return;
      }
    got += n;
    if((got / 1000) % 64 == 0)
      pause(1);  // stay slow
  }
  printf("socktest: slow reader got %d of %d bytes\n", got, bytes);
  if(n < 0 || got != bytes)
    fail("slow read");
  close(fd);
}

static void
reset(const char *addr, int port)
{
  int fd, n;

  if((fd = connect_to(SOCK_STREAM, addr, port)) < 0){
    fail("connect");
    return;
  }
  n = recv(fd, rbuf, sizeof(rbuf), 0);
  printf("socktest: got %d bytes before the reset\n", n);
  pause(20);
  errno = 0;
  EXPECT(recv(fd, rbuf, sizeof(rbuf), 0) < 0 && errno == ECONNRESET, "ECONNRESET");
  EXPECT(send(fd, "x", 1, 0) < 0 && errno == EPIPE, "EPIPE after reset");
  close(fd);
}

// Children share the listening socket through fork; each serves what it gets.
static void
prefork(int port, int nchild)
{
  struct timeval tv = { 3, 0 };
  int lfd, fd, n, status, total = 0, served;

  if((lfd = listener(SOCK_STREAM, "0.0.0.0", port, 16)) < 0){
    fail("listen");
    return;
  }
  setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  printf("socktest: prefork listening on %d\n", port);
  for(int c = 0; c < nchild; c++){
    if(fork() == 0){
      served = 0;
      while((fd = accept(lfd, 0, 0)) >= 0){
        while((n = read(fd, buf, sizeof(buf))) > 0)
          writeall(fd, buf, n);
        close(fd);
        served++;
      }
      exit(served);
    }
  }
  close(lfd);  // the children hold it now
  for(int c = 0; c < nchild; c++){
    if(wait(&status) < 0)
      break;
    printf("socktest: a child served %d\n", status);
    total += status;
  }
  printf("socktest: prefork served %d\n", total);
}

int
main(int argc, char *argv[])
{
  signal(SIGPIPE, (sighandler_t)SIG_IGN);   // a reset peer is an error (EPIPE), not our end
  if(argc >= 5 && strcmp(argv[1], "client") == 0)
    client(argv[2], atoi(argv[3]), atoi(argv[4]));
  else if(argc >= 4 && strcmp(argv[1], "server") == 0)
    server(atoi(argv[2]), atoi(argv[3]));
  else if(argc >= 4 && strcmp(argv[1], "udpserver") == 0)
    udpserver(atoi(argv[2]), atoi(argv[3]));
  else if(argc >= 5 && strcmp(argv[1], "udpclient") == 0)
    udpclient(argv[2], atoi(argv[3]), atoi(argv[4]));
  else if(argc >= 5 && strcmp(argv[1], "many") == 0)
    many(argv[2], atoi(argv[3]), atoi(argv[4]));
  else if(argc >= 5 && strcmp(argv[1], "leak") == 0)
    leak(argv[2], atoi(argv[3]), atoi(argv[4]));
  else if(argc >= 4 && strcmp(argv[1], "errors") == 0)
    errors(argv[2], atoi(argv[3]));
  else if(argc >= 5 && strcmp(argv[1], "slow") == 0)
    slow(argv[2], atoi(argv[3]), atoi(argv[4]));
  else if(argc >= 4 && strcmp(argv[1], "reset") == 0)
    reset(argv[2], atoi(argv[3]));
  else if(argc >= 4 && strcmp(argv[1], "prefork") == 0)
    prefork(atoi(argv[2]), atoi(argv[3]));
  else {
    fprintf(2, "usage: socktest client|server|udpserver|udpclient|many|leak|errors|slow|reset|prefork ...\n");
    exit(2);
  }
  finish();
  return 0;
}
