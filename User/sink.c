// sink: a TCP discard server for benchmarks (`make bench`, tools/bench/run.py).
//
//   sink [port]          default port 5001
//
// Accepts one connection at a time, reads and drops everything, and prints
// one line per connection with the byte count and the rate seen in the guest:
//   sink: 16777216 bytes in 143 ms
// It never exits; stop it with kill or poweroff.
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"

static char buf[65536];   // as the Linux reference's sink (tools/bench/refinit.c)

int
main(int argc, char *argv[])
{
  int port = argc > 1 ? atoi(argv[1]) : 5001;
  int lfd, cfd, n;
  uint64 total, start;

  // [::]: IPv4 and IPv6 senders alike (the benchmark's tap6 rows)
  if((lfd = listener(SOCK_STREAM, "::", port, 4)) < 0){
    perror("sink: listen");
    exit(1);
  }
  signal(SIGPIPE, (sighandler_t)SIG_IGN);   // a reset peer is an error (EPIPE), not our end
  printf("sink: listening on port %d\n", port);
  for(;;){
    if((cfd = accept(lfd, 0, 0)) < 0)
      continue;
    total = 0;
    start = now_us();
    while((n = read(cfd, buf, sizeof buf)) > 0)
      total += n;
    close(cfd);
    printf("sink: %d bytes in %d ms\n", (int)total, (int)((now_us() - start) / 1000));
  }
}
