// daytime: ask a Daytime server (RFC 867) for the time and print its answer.
//
//   daytime [host] [port]          defaults: time.nist.gov 13
//
// host is a name (its IPv6 and IPv4 addresses tried in getaddrinfo's order)
// or an address: 10.0.2.2, fec0::2, [fec0::2].
// The server sends one line of text and closes the connection.
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include "user/netdb.h"

#define TIMEOUT_MS 10000

int
main(int argc, char *argv[])
{
  static char buf[512], why[160], bare[INET6_ADDRSTRLEN + 16];
  const char *host = "time.nist.gov";
  int port = 13, fd, n, total = 0;
  char last = 0;

  if(argc > 3 || (argc > 1 && argv[1][0] == '-')){
    fprintf(2, "usage: daytime [host] [port]\n");
    exit(2);
  }
  if(argc > 1)
    host = argv[1];
  if(host[0] == '[' && strlen(host) < sizeof(bare) + 2 && host[strlen(host) - 1] == ']'){
    strcpy(bare, host + 1);           // [fec0::2]: an IPv6 address in brackets
    bare[strlen(bare) - 1] = 0;
    host = bare;
  }
  if(argc > 2 && ((port = atoi(argv[2])) <= 0 || port > 65535)){
    fprintf(2, "daytime: bad port %s\n", argv[2]);
    exit(2);
  }
  if((fd = dial(host, port, SOCK_STREAM, TIMEOUT_MS, why, sizeof(why))) < 0){
    fprintf(2, "daytime: %s\n", why);
    exit(1);
  }
  set_rcvtimeo(fd, TIMEOUT_MS);
  while((n = recv(fd, buf, sizeof(buf), 0)) > 0){
    write(1, buf, n);
    total += n;
    last = buf[n-1];
  }
  if(n < 0){
    fprintf(2, "daytime: %s: %s\n", host,
            errno == EAGAIN ? "no answer (timeout)" : strerror(errno));
    exit(1);
  }
  if(total == 0){
    fprintf(2, "daytime: %s: the server closed without sending the time\n", host);
    exit(1);
  }
  if(last != '\n')
    write(1, "\n", 1);       // keep the prompt on its own line
  close(fd);
  return 0;
}
