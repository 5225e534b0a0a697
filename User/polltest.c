// polltest: the guest side of Tests/integration/test_poll.py. Each mode waits
// in poll for what a host peer (or the host typing) does and prints the
// revents it saw, for the test to check:
//   polltest time               CLOCK_REALTIME and CLOCK_MONOTONIC readings
//   polltest accept PORT        a listener, then the accepted connection: data, EOF
//   polltest connect ADDR PORT  a non-blocking connect: POLLOUT when it completes
//   polltest refused ADDR PORT  the same to a closed port: POLLERR / POLLHUP
//   polltest udp ADDR PORT      a datagram to a host echo server, poll for the answer
//   polltest console            the console becomes readable when a line is typed
//   polltest idle MS | spin MS  block in poll / busy-loop for MS (CPU use from the host)
#include "kernel/types.h"
#include "kernel/clock.h"
#include "kernel/poll.h"
#include "user/user.h"
#include "user/socket.h"

#define TIMEOUT_MS 20000

static char buf[512];

__attribute__((noreturn)) static void
die(const char *what)
{
  printf("polltest: %s: %s\n", what, strerror(errno));
  exit(1);
}

// Wait up to timeout_ms for events on fd; print and return revents.
static int
polled(const char *what, int fd, int events, int timeout_ms)
{
  struct pollfd p = { fd, events, 0 };
  int n = poll(&p, 1, timeout_ms);

  if(n < 0)
    die("poll");
  printf("%s: poll %d revents 0x%x\n", what, n, p.revents);
  return p.revents;
}

static long
ms_now(void)
{
  struct timespec ts;

  if(clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
    die("clock_gettime");
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
showtime(void)
{
  struct timespec rt, mt;

  if(clock_gettime(CLOCK_REALTIME, &rt) < 0 || clock_gettime(CLOCK_MONOTONIC, &mt) < 0)
    die("clock_gettime");
  printf("realtime %ld.%09ld monotonic %ld.%09ld\n", rt.tv_sec, rt.tv_nsec, mt.tv_sec, mt.tv_nsec);
}

static void
acceptone(int port)
{
  struct sockaddr_in sa;
  int l, c, n, one = 1;

  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if((l = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
     setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
     bind(l, (struct sockaddr*)&sa, sizeof(sa)) < 0 || listen(l, 1) < 0)
    die("listen");
  polled("idle listener", l, POLLIN, 0);
  printf("listening on %d\n", port);
  polled("listener", l, POLLIN, TIMEOUT_MS);
  if((c = accept(l, 0, 0)) < 0)
    die("accept");
  polled("connection", c, POLLIN, TIMEOUT_MS);
  n = read(c, buf, sizeof(buf) - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("read %d: %s\n", n, buf);
  polled("after peer close", c, POLLIN, TIMEOUT_MS);
  printf("read %d\n", read(c, buf, sizeof(buf)));
  close(c);
  close(l);
}

// A non-blocking connect to addr:port; then poll for POLLOUT, and SO_ERROR.
static int
connectnb(char *addr, int port, const char *what)
{
  struct sockaddr_in sa;
  int fd, r, err = -1;
  socklen_t len = sizeof(err);

  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if(inet_pton(AF_INET, addr, &sa.sin_addr) != 1){
    printf("polltest: bad address %s\n", addr);
    exit(1);
  }
  if((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
    die("socket");
  r = connect(fd, (struct sockaddr*)&sa, sizeof(sa));
  printf("connect %d errno %d\n", r, r < 0 ? errno : 0);
  polled(what, fd, POLLOUT, TIMEOUT_MS);
  if(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
    die("getsockopt");
  printf("so_error %d\n", err);
  return fd;
}

static void
udp(char *addr, int port)
{
  struct sockaddr_in sa;
  int fd, n;

  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if(inet_pton(AF_INET, addr, &sa.sin_addr) != 1 || (fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
    die("udp socket");
  polled("udp before sending", fd, POLLIN | POLLOUT, 0);
  if(sendto(fd, "echo me", 7, 0, (struct sockaddr*)&sa, sizeof(sa)) != 7)
    die("sendto");
  polled("udp answer", fd, POLLIN, TIMEOUT_MS);
  n = recv(fd, buf, sizeof(buf) - 1, 0);
  buf[n > 0 ? n : 0] = 0;
  printf("udp read %d: %s\n", n, buf);
  polled("udp drained", fd, POLLIN, 0);
  close(fd);
}

static void
console(void)
{
  int n;

  polled("console before typing", 0, POLLIN, 0);
  printf("type a line\n");
  polled("console", 0, POLLIN, TIMEOUT_MS);
  n = read(0, buf, sizeof(buf) - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("line %d: %s", n, buf);
}

static void
idle(int ms)
{
  int p[2];
  struct pollfd pf;

  if(pipe(p) < 0)
    die("pipe");
  pf = (struct pollfd){ p[0], POLLIN, 0 };
  long t0 = ms_now();
  int n = poll(&pf, 1, ms);
  printf("idle done: poll %d after %ld ms\n", n, ms_now() - t0);
}

static void
spin(int ms)
{
  long t0 = ms_now(), turns = 0;

  while(ms_now() - t0 < ms)
    turns++;
  printf("spin done: %ld turns\n", turns);
}

int
main(int argc, char *argv[])
{
  char *mode = argc > 1 ? argv[1] : "";

  if(strcmp(mode, "time") == 0)
    showtime();
  else if(strcmp(mode, "accept") == 0 && argc == 3)
    acceptone(atoi(argv[2]));
  else if(strcmp(mode, "connect") == 0 && argc == 4){
    int fd = connectnb(argv[2], atoi(argv[3]), "connect");
    printf("sent %d\n", write(fd, "ping", 4));
    close(fd);
  } else if(strcmp(mode, "refused") == 0 && argc == 4)
    close(connectnb(argv[2], atoi(argv[3]), "refused"));
  else if(strcmp(mode, "udp") == 0 && argc == 4)
    udp(argv[2], atoi(argv[3]));
  else if(strcmp(mode, "console") == 0)
    console();
  else if(strcmp(mode, "idle") == 0 && argc == 3)
    idle(atoi(argv[2]));
  else if(strcmp(mode, "spin") == 0 && argc == 3)
    spin(atoi(argv[2]));
  else {
    printf("usage: polltest time | accept PORT | connect ADDR PORT | refused ADDR PORT |"
           " udp ADDR PORT | console | idle MS | spin MS\n");
    exit(1);
  }
  exit(0);
}
