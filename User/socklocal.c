// socklocal: a server and its client side by side in the guest, over lwIP's
// loopback (127.0.0.1) or the guest's own address. The guest side of
// Tests/integration/test_socklocal.py. Lines "socklocal: ok WHAT" or
// "socklocal: FAIL WHAT", figures as "socklocal: KEY value", and last
// "socklocal: PASS" or "socklocal: FAILED".
//
//   socklocal tcp ADDR BYTES [RCVBUF]   a forked echo server; the client
//                               sends BYTES of a pattern and checks every byte
//                               echoed (both sides with SO_RCVBUF RCVBUF if given)
//   socklocal udp ADDR COUNT    a forked UDP echo server; COUNT datagrams of
//                               growing size, each checked with its sender
//   socklocal many ADDR BYTES N N echo pairs as above at once (ports of their own)
//   socklocal bench ADDR BYTES  one way: a forked sink counts what a client
//                               sends; prints the throughput in KB/s
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/kstat.h"
#include "kernel/riscv.h"
#include "user/user.h"
#include "user/socket.h"

#define PORT 7000

static int failures;
static char buf[8192];
static char rbuf[8192];

static void
ok(int cond, const char *what)
{
  if(cond)
    printf("socklocal: ok %s\n", what);
  else {
    printf("socklocal: FAIL %s (errno %d: %s)\n", what, errno, strerror(errno));
    failures++;
  }
}

// The forked server: accept one connection; echo (or only count, if sink)
// until EOF. Exits 0 if the connection ended cleanly.
static void
stream_server(int lfd, int sink)
{
  int c, n;
  long total = 0;

  if((c = accept(lfd, 0, 0)) < 0)
    exit(2);
  close(lfd);
  while((n = read(c, buf, sizeof(buf))) > 0){
    total += n;
    if(!sink && writeall(c, buf, n) < 0)
      exit(3);
  }
  if(sink)
    write(c, &total, sizeof(total));
  close(c);
  exit(n == 0 ? 0 : 4);
}

// Send bytes of the pattern while reading the echo, check every byte.
static void
tcp_echo(const char *addr, int bytes, int rcvbuf, int port)
{
  int lfd, fd, pid, st = -1, sent = 0, got = 0, n, chunk, bad = -1;
  uint64 t0;

  ok((lfd = listener(SOCK_STREAM, addr, port, 4)) >= 0, "listen");
  if(lfd < 0)
    return;
  if(rcvbuf)   // accepted connections inherit it
    ok(setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) == 0, "SO_RCVBUF");
  if((pid = fork()) == 0)
    stream_server(lfd, 0);
  close(lfd);
  ok((fd = connect_to(SOCK_STREAM, addr, port)) >= 0, "connect");
  if(rcvbuf)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  t0 = now_us();
  while(fd >= 0 && got < bytes){
    // never more than one buffer ahead, so the echo cannot deadlock us
    if(sent < bytes && sent - got < (int)sizeof(buf)){
      chunk = bytes - sent < (int)sizeof(buf) ? bytes - sent : (int)sizeof(buf);
      for(int i = 0; i < chunk; i++)
        buf[i] = streambyte(sent + i);
      if(writeall(fd, buf, chunk) < 0)
        break;
      sent += chunk;
    }
    if((n = read(fd, rbuf, sizeof(rbuf))) <= 0)
      break;
    for(int i = 0; i < n && bad < 0; i++)
      if(rbuf[i] != streambyte(got + i))
        bad = got + i;
    got += n;
  }
  ok(got == bytes && bad < 0, "every byte echoed intact");
  if(bad >= 0)
    printf("socklocal: first bad byte at %d\n", bad);
  printf("socklocal: echoed %d bytes in %d ms\n", got, (int)((now_us() - t0) / 1000));
  close(fd);
  wait(&st);
  ok(st == 0, "server saw a clean end");
  (void)pid;
}

// n echo pairs at once, each in a child of its own: their lwIP traffic and
// loop-queue deliveries interleave across harts.
static void
many(const char *addr, int bytes, int n)
{
  int st, good = 0;

  for(int i = 0; i < n; i++){
    if(fork() == 0){
      failures = 0;
      tcp_echo(addr, bytes, 0, PORT + 10 + i);
      exit(failures != 0);
    }
  }
  for(int i = 0; i < n; i++)
    if(wait(&st) > 0 && st == 0)
      good++;
  printf("socklocal: %d of %d echo pairs intact\n", good, n);
  ok(good == n, "every pair echoed intact");
}

// One way: the client sends bytes, the forked sink reports how many it got.
static void
bench(const char *addr, int bytes)
{
  int lfd, fd, st = -1, sent = 0, chunk;
  long total = -1;
  uint64 t0, us;

  ok((lfd = listener(SOCK_STREAM, addr, PORT + 1, 4)) >= 0, "listen");
  if(lfd < 0)
    return;
  if(fork() == 0)
    stream_server(lfd, 1);
  close(lfd);
  ok((fd = connect_to(SOCK_STREAM, addr, PORT + 1)) >= 0, "connect");
  for(int i = 0; i < (int)sizeof(buf); i++)
    buf[i] = streambyte(i);
  t0 = now_us();
  while(fd >= 0 && sent < bytes){
    chunk = bytes - sent < (int)sizeof(buf) ? bytes - sent : (int)sizeof(buf);
    if(writeall(fd, buf, chunk) < 0)
      break;
    sent += chunk;
  }
  shutdown(fd, SHUT_WR);
  ok(read(fd, &total, sizeof(total)) == sizeof(total) && total == bytes, "sink got every byte");
  us = now_us() - t0;
  close(fd);
  wait(&st);
  ok(st == 0, "sink saw a clean end");
  if(us == 0)
    us = 1;
  printf("socklocal: throughput %d KB/s (%d bytes in %d ms)\n",
         (int)((uint64)bytes * 1000 / us), bytes, (int)(us / 1000));
}

// The forked UDP server: echo count datagrams to their senders.
static void
udp_server(int fd, int count)
{
  struct sockaddr_in from;
  socklen_t len;
  int n;

  for(int i = 0; i < count; i++){
    len = sizeof(from);
    if((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr*)&from, &len)) < 0)
      exit(2);
    if(sendto(fd, buf, n, 0, (struct sockaddr*)&from, len) != n)
      exit(3);
  }
  exit(0);
}

static void
udp_echo(const char *addr, int count)
{
  struct sockaddr_in to, from, mine;
  socklen_t len = sizeof(mine);
  int sfd, fd, st = -1, good = 0, n, size;

  ok((sfd = listener(SOCK_DGRAM, addr, PORT + 2, 4)) >= 0, "udp bind");
  if(sfd < 0)
    return;
  if(fork() == 0)
    udp_server(sfd, count);
  close(sfd);
  ok((fd = listener(SOCK_DGRAM, addr, 0, 4)) >= 0, "udp client bind");
  getsockname(fd, (struct sockaddr*)&mine, &len);
  mkaddr(&to, addr, PORT + 2);
  for(int i = 0; i < count; i++){
    size = 1 + i * 397 % (int)sizeof(buf);
    for(int j = 0; j < size; j++)
      buf[j] = streambyte(i + j);
    if(sendto(fd, buf, size, 0, (struct sockaddr*)&to, sizeof(to)) != size)
      break;
    len = sizeof(from);
    n = recvfrom(fd, rbuf, sizeof(rbuf), 0, (struct sockaddr*)&from, &len);
    if(n == size && memcmp(buf, rbuf, size) == 0 && from.sin_port == htons(PORT + 2) &&
       from.sin_addr.s_addr == to.sin_addr.s_addr)
      good++;
  }
  printf("socklocal: %d of %d datagrams echoed intact\n", good, count);
  ok(good == count, "every datagram echoed intact, from the server's address");
  close(fd);
  wait(&st);
  ok(st == 0, "udp server done");
}

int
main(int argc, char *argv[])
{
  if((argc == 4 || argc == 5) && strcmp(argv[1], "tcp") == 0)
    tcp_echo(argv[2], atoi(argv[3]), argc == 5 ? atoi(argv[4]) : 0, PORT);
  else if(argc == 5 && strcmp(argv[1], "many") == 0)
    many(argv[2], atoi(argv[3]), atoi(argv[4]));
  else if(argc == 4 && strcmp(argv[1], "udp") == 0)
    udp_echo(argv[2], atoi(argv[3]));
  else if(argc == 4 && strcmp(argv[1], "bench") == 0)
    bench(argv[2], atoi(argv[3]));
  else {
    printf("usage: socklocal tcp|udp|bench ADDR N, or many ADDR BYTES N\n");
    exit(1);
  }
  // lwIP's input runs on the sender's kernel stack now (net_loop_poll)
  long deep = kstat(KSTAT_KSTACK);
  printf("socklocal: kernel stack high-water mark %d of %d bytes\n", (int)deep,
         KSTACKPAGES * PGSIZE);
  ok(deep > 0 && deep < KSTACKPAGES * PGSIZE * 3 / 4, "kernel stacks keep a quarter spare");
  printf("socklocal: %s\n", failures ? "FAILED" : "PASS");
  exit(failures != 0);
}
