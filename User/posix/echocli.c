// echocli host port: a TCP echo client written the way any BSD-sockets
// textbook writes one: each line read from standard input goes to the server,
// and what comes back is printed. A POSIX program (User/posix/): it builds
// unchanged on Linux or a BSD.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// Read exactly n bytes (the echo of what was sent), or fewer at end of stream.
static int
readn(int fd, char *buf, int n)
{
  int got = 0, r;

  while(got < n){
    if((r = read(fd, buf + got, n - got)) < 0)
      return -1;
    if(r == 0)
      break;
    got += r;
  }
  return got;
}

int
main(int argc, char *argv[])
{
  int sockfd, n;
  struct sockaddr_in servaddr;
  char line[512], reply[512];

  signal(SIGPIPE, SIG_IGN);   // a reset peer is an error (EPIPE), not our end
  if(argc != 3){
    fprintf(stderr, "usage: echocli host port\n");
    exit(2);
  }
  memset(&servaddr, 0, sizeof(servaddr));
  servaddr.sin_family = AF_INET;
  servaddr.sin_port = htons(atoi(argv[2]));
  if(inet_pton(AF_INET, argv[1], &servaddr.sin_addr) != 1){
    fprintf(stderr, "echocli: %s: not an IPv4 address\n", argv[1]);
    exit(2);
  }
  if((sockfd = socket(AF_INET, SOCK_STREAM, 0)) < 0){
    perror("echocli: socket");
    exit(1);
  }
  if(connect(sockfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) < 0){
    perror("echocli: connect");
    exit(1);
  }
  while(fgets(line, sizeof(line), stdin) && (n = strlen(line)) > 0){
    if(write(sockfd, line, n) != n){
      perror("echocli: write");
      exit(1);
    }
    if(readn(sockfd, reply, n) != n){
      fprintf(stderr, "echocli: server closed the connection early\n");
      exit(1);
    }
    fwrite(reply, 1, n, stdout);
  }
  close(sockfd);
  return 0;
}
