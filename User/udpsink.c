// udpsink: a slow UDP reader for the flood tests (Tests/integration/
// test_reliability_net.py). Binds a port, says so, then reads one datagram
// every `delay` ticks until `secs` seconds pass with nothing to read, and
// prints what it got and what the kernel says about its socket: the most
// datagrams ever queued at once (sampled before each read) and the drops.
//
//   udpsink [-d ticks] [-w secs] port
//
// Output (one line, parsed by the test):
//   udpsink: port P received N bytes B maxqueue Q drops D
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include "kernel/../CShims/include/lwip_sock.h"

// This socket's table entry, found by its local port: 0, or -1 if not found.
static int
myinfo(int port, struct sock_info *out)
{
  int i, r;

  for(i = 0; (r = netinfo(NETINFO_SOCK, out, i)) >= 0; i++)
    if(r == 1 && out->kind == SOCK_DGRAM && out->local.port == port)
      return 0;
  return -1;
}

static void
usage(void)
{
  fprintf(2, "usage: udpsink [-d ticks] [-w secs] port\n");
  exit(2);
}

int
main(int argc, char *argv[])
{
  static char buf[2048];
  struct sockaddr_in sa;
  struct timeval tv;
  struct sock_info si;
  int i, s, n, port = -1, delay = 1, waitsecs = 3;
  uint64 count = 0, bytes = 0, maxq = 0;

  for(i = 1; i < argc; i++){
    if(strcmp(argv[i], "-d") == 0 && i + 1 < argc) delay = atoi(argv[++i]);
    else if(strcmp(argv[i], "-w") == 0 && i + 1 < argc) waitsecs = atoi(argv[++i]);
    else if(argv[i][0] == '-' || port >= 0) usage();
    else port = atoi(argv[i]);
  }
  if(port <= 0 || port > 65535)
    usage();
  if((s = socket(AF_INET, SOCK_DGRAM, 0)) < 0){
    fprintf(2, "udpsink: socket: %s\n", strerror(errno));
    exit(1);
  }
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if(bind(s, (struct sockaddr*)&sa, sizeof(sa)) < 0){
    fprintf(2, "udpsink: bind %d: %s\n", port, strerror(errno));
    exit(1);
  }
  // the idle timeout ends the run once the sender has stopped
  tv.tv_sec = waitsecs;
  tv.tv_usec = 0;
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  printf("udpsink: listening on %d\n", port);
  for(;;){
    if(myinfo(port, &si) == 0 && si.rx_queued > maxq)
      maxq = si.rx_queued;
    if((n = recv(s, buf, sizeof(buf), 0)) < 0)
      break;
    count++;
    bytes += n;
    if(delay > 0)
      sleep(delay);   // slow on purpose: the queue must fill and overflow
  }
  if(myinfo(port, &si) < 0)
    si.drops = 0;
  printf("udpsink: port %d received %d bytes %d maxqueue %d drops %d\n",
         port, (int)count, (int)bytes, (int)maxq, (int)si.drops);
  close(s);
  return 0;
}
