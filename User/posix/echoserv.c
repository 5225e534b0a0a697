// echoserv [port [count]]: a TCP echo server written the way any BSD-sockets
// textbook writes one. A POSIX program (User/posix/): it builds unchanged on
// Linux or a BSD. Serves `count` connections (default: forever).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void
echo(int connfd)
{
  char buf[2048];
  int n, off, w;

  while((n = read(connfd, buf, sizeof(buf))) > 0){
    for(off = 0; off < n; off += w){
      if((w = write(connfd, buf + off, n - off)) < 0){
        perror("echoserv: write");
        return;
      }
    }
  }
  if(n < 0)
    perror("echoserv: read");
}

int
main(int argc, char *argv[])
{
  int listenfd, connfd, on = 1;
  int port = argc > 1 ? atoi(argv[1]) : 7;
  int count = argc > 2 ? atoi(argv[2]) : -1;
  struct sockaddr_in servaddr, cliaddr;
  socklen_t clilen;
  char ip[INET_ADDRSTRLEN];

  signal(SIGPIPE, SIG_IGN);   // a reset peer is an error (EPIPE), not our end
  if((listenfd = socket(AF_INET, SOCK_STREAM, 0)) < 0){
    perror("echoserv: socket");
    exit(1);
  }
  setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  memset(&servaddr, 0, sizeof(servaddr));
  servaddr.sin_family = AF_INET;
  servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
  servaddr.sin_port = htons(port);
  if(bind(listenfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) < 0){
    perror("echoserv: bind");
    exit(1);
  }
  if(listen(listenfd, 8) < 0){
    perror("echoserv: listen");
    exit(1);
  }
  printf("echoserv: listening on port %d\n", port);
  while(count != 0){
    clilen = sizeof(cliaddr);
    if((connfd = accept(listenfd, (struct sockaddr *)&cliaddr, &clilen)) < 0){
      perror("echoserv: accept");
      exit(1);
    }
    inet_ntop(AF_INET, &cliaddr.sin_addr, ip, sizeof(ip));
    printf("echoserv: connection from %s:%d\n", ip, ntohs(cliaddr.sin_port));
    echo(connfd);
    close(connfd);
    if(count > 0)
      count--;
  }
  close(listenfd);
  return 0;
}
