// tls_echo_server: host test of tls_server() (User/tls/tls.c), built with the
// host build of the tls library. Accepts one connection on 127.0.0.1:PORT,
// does the server handshake with CERT and KEY, answers each line with
// "echo: LINE", and prints "tls_server: <tls_error()>" if the handshake fails.
//   tls_echo_server PORT CERT KEY
// Run by Tests/tls/test_tls_host.py.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls.h"

int
main(int argc, char *argv[])
{
  struct sockaddr_in a;
  struct tls *t;
  char buf[512], reply[600];
  int s, fd, one = 1;
  ssize_t n;

  if(argc != 4){
    fprintf(stderr, "usage: tls_echo_server PORT CERT KEY\n");
    return 2;
  }
  s = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(atoi(argv[1]));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if(bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 1) < 0){
    perror("tls_echo_server: bind");
    return 1;
  }
  printf("listening\n");
  fflush(stdout);
  if((fd = accept(s, NULL, NULL)) < 0)
    return 1;
  if((t = tls_server(fd, argv[2], argv[3])) == NULL){
    printf("tls_server: %s\n", tls_error());
    return 1;
  }
  while((n = tls_read(t, buf, sizeof buf - 1)) > 0){
    buf[n] = 0;
    snprintf(reply, sizeof reply, "echo: %s", buf);
    if(tls_write(t, reply, strlen(reply)) < 0)
      break;
  }
  if(n < 0)
    printf("tls_read: %s\n", tls_error());
  printf("closed %s\n", tls_closed_cleanly(t) ? "cleanly" : "without close_notify");
  tls_close(t);
  close(fd);
  return 0;
}
