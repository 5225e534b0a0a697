// tcpecho: a TCP echo server for benchmarks (`make bench`, tools/bench/run.py).
//
//   tcpecho [port]       default port 7
//
// Accepts one connection at a time and writes back whatever it reads, until
// the peer closes. It never exits; stop it with kill or poweroff.
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"

static char buf[4096];

int
main(int argc, char *argv[])
{
  int port = argc > 1 ? atoi(argv[1]) : 7;
  int lfd, cfd, n, one = 1;

  signal(SIGPIPE, (sighandler_t)SIG_IGN);   // a reset peer is an error (EPIPE), not our end
  if((lfd = listener(SOCK_STREAM, "0.0.0.0", port, 4)) < 0){
    perror("tcpecho: listen");
    exit(1);
  }
  printf("tcpecho: listening on port %d\n", port);
  for(;;){
    if((cfd = accept(lfd, 0, 0)) < 0)
      continue;
    // small messages should leave at once, not wait for more data
    setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    while((n = read(cfd, buf, sizeof buf)) > 0)
      if(writeall(cfd, buf, n) < 0)
        break;
    close(cfd);
  }
}
