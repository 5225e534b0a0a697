// nc: netcat, written for POSIX: copies standard input to a TCP or UDP peer
// and what the peer sends to standard output, as a client or as a listener
// for one peer. One process waits on both with poll().
//
//   nc [-4|-6] [-u] [-d] [-v] [-w secs] host port   connect to host:port
//   nc [-4|-6] [-u] [-d] [-v] [-w secs] -l port     wait for one peer on port
//
// host is a name or an IPv4 or IPv6 address (::1, [2001:db8::1], fe80::1%en0);
// a name is tried at each of its addresses in getaddrinfo's order (IPv6 first
// when this host has a global IPv6 address) until one connects. -4 or -6 keeps
// to one family. A listener is on 0.0.0.0 (IPv4), with -6 on [::], which takes
// IPv4 peers too (as ::ffff:a.b.c.d).
// -u UDP instead of TCP; -d don't read standard input; -v say who connected;
// -w give up after secs without data from the peer (UDP: wait this long after
// the end of standard input, default 1 s). On TCP the end of standard input
// shuts down our sending side (the peer sees EOF) and nc ends when the peer
// closes, so `nc -l 1234 > file` on one end and `nc host 1234 < file` on the
// other move a file.
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

static int udp, nostdin, verbose, waitsecs = -1, family = AF_UNSPEC;
static char buf[32768];
static size_t have;                // bytes from the peer not yet written out

static void
usage(void)
{
  fprintf(stderr, "usage: nc [-4|-6] [-u] [-d] [-v] [-w secs] host port\n"
                  "       nc [-4|-6] [-u] [-d] [-v] [-w secs] -l port\n");
  exit(2);
}

static int
writeall(int fd, const char *p, size_t n)
{
  ssize_t w;

  while(n > 0){
    if((w = write(fd, p, n)) <= 0)
      return -1;
    p += w;
    n -= w;
  }
  return 0;
}

// Out with what came from the peer. Into a file, TCP data is gathered into
// whole buffers first: each write to a file is a log transaction.
static int
flush_out(int all)
{
  static int tofile = -1;
  struct stat st;

  if(tofile < 0)
    tofile = !udp && fstat(1, &st) == 0 && S_ISREG(st.st_mode);
  if(have == 0 || (tofile && !all && have < sizeof(buf)))
    return 0;
  if(writeall(1, buf, have) < 0){
    perror("nc: write to standard output");
    return -1;
  }
  have = 0;
  return 0;
}

// Both directions on the connected socket s, until the peer is done (TCP:
// its EOF; UDP: -w seconds, default 1, after our input ended) or -w seconds
// pass without a byte from it.
static void
relay(int s)
{
  static char in[4096];
  struct pollfd p[2] = { { s, POLLIN, 0 }, { 0, POLLIN, 0 } };
  int inopen = !nostdin, idle = waitsecs > 0 ? waitsecs * 1000 : -1;
  ssize_t n;

  for(;;){
    int timeout = !inopen && udp ? (waitsecs < 0 ? 1000 : waitsecs * 1000) : idle;
    int r = poll(p, inopen ? 2 : 1, timeout);
    if(r < 0 && errno == EINTR)
      continue;
    if(r < 0){
      perror("nc: poll");
      return;
    }
    if(r == 0){
      if(verbose && !(udp && !inopen))
        fprintf(stderr, "nc: no data for %d s: giving up\n", waitsecs);
      return;
    }
    if(p[0].revents){
      if((n = recv(s, buf + have, sizeof(buf) - have, 0)) <= 0){
        if(n < 0)
          fprintf(stderr, "nc: receive: %s\n", strerror(errno));
        return;   // the peer closed: done
      }
      have += n;
      if(flush_out(udp) < 0)
        return;
    }
    if(inopen && p[1].revents){
      if((n = read(0, in, sizeof(in))) > 0 && send(s, in, n, 0) != n){
        fprintf(stderr, "nc: send: %s\n", strerror(errno));
        return;
      }
      if(n <= 0){
        inopen = 0;
        if(!udp)
          shutdown(s, SHUT_WR);   // the peer sees our EOF
      }
    }
  }
}

static void
say(const char *what, struct sockaddr_storage *a, socklen_t len)
{
  char host[NI_MAXHOST], serv[NI_MAXSERV];

  if(verbose && getnameinfo((struct sockaddr *)a, len, host, sizeof(host), serv, sizeof(serv),
                            NI_NUMERICHOST | NI_NUMERICSERV) == 0)
    fprintf(stderr, a->ss_family == AF_INET6 ? "nc: %s [%s]:%s\n" : "nc: %s %s:%s\n",
            what, host, serv);
}

// Wait on port for one peer: a TCP connection, or the first UDP datagram
// (written out, and its sender becomes the peer). Returns the socket.
static int
listen_one(const char *port)
{
  struct addrinfo hints = { .ai_family = family == AF_INET6 ? AF_INET6 : AF_INET,
                            .ai_flags = AI_PASSIVE }, *ai;
  struct sockaddr_storage from;
  socklen_t len = sizeof(from);
  int fd, s, one = 1, zero = 0, e;
  ssize_t n;

  hints.ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM;
  if((e = getaddrinfo(0, port, &hints, &ai)) != 0){
    fprintf(stderr, "nc: port %s: %s\n", port, gai_strerror(e));
    exit(2);
  }
  if((fd = socket(ai->ai_family, ai->ai_socktype, 0)) < 0){
    perror("nc: socket");
    exit(1);
  }
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if(ai->ai_family == AF_INET6 &&
     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0)
    fprintf(stderr, "nc: IPV6_V6ONLY off: %s (IPv6 peers only)\n", strerror(errno));
  if(bind(fd, ai->ai_addr, ai->ai_addrlen) < 0){
    fprintf(stderr, "nc: bind :%s: %s\n", port, strerror(errno));
    exit(1);
  }
  freeaddrinfo(ai);
  if(udp){
    if((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len)) < 0 ||
       connect(fd, (struct sockaddr *)&from, len) < 0){
      fprintf(stderr, "nc: udp :%s: %s\n", port, strerror(errno));
      exit(1);
    }
    say("datagram from", &from, len);
    writeall(1, buf, n);
    return fd;
  }
  if(listen(fd, 1) < 0 || (s = accept(fd, (struct sockaddr *)&from, &len)) < 0){
    fprintf(stderr, "nc: listen :%s: %s\n", port, strerror(errno));
    exit(1);
  }
  close(fd);                  // one peer only
  say("connection from", &from, len);
  return s;
}

// Connect to host:port, trying each address getaddrinfo gives.
static int
dial(const char *host, const char *port)
{
  struct addrinfo hints = { .ai_family = family, .ai_flags = AI_ADDRCONFIG }, *ai, *a;
  char bare[NI_MAXHOST];
  size_t n = strlen(host);
  int s = -1, e;

  hints.ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM;
  if(host[0] == '[' && n > 2 && host[n - 1] == ']' && n - 2 < sizeof(bare)){
    memcpy(bare, host + 1, n - 2);       // [2001:db8::1]: the brackets of a URL
    bare[n - 2] = 0;
    host = bare;
  }
  if((e = getaddrinfo(host, port, &hints, &ai)) != 0){
    fprintf(stderr, "nc: %s port %s: %s\n", host, port, gai_strerror(e));
    exit(1);
  }
  for(a = ai; a; a = a->ai_next){
    if((s = socket(a->ai_family, a->ai_socktype, a->ai_protocol)) < 0)
      continue;
    if(connect(s, a->ai_addr, a->ai_addrlen) == 0)
      break;
    e = errno;
    close(s);
    s = -1;
    errno = e;
  }
  freeaddrinfo(ai);
  if(s < 0){
    fprintf(stderr, "nc: connect to %s port %s: %s\n", host, port, strerror(errno));
    exit(1);
  }
  if(verbose)
    fprintf(stderr, "nc: connected to %s port %s\n", host, port);
  return s;
}

int
main(int argc, char *argv[])
{
  int c, s, listening = 0;

  signal(SIGPIPE, SIG_IGN);   // a reset peer is an error (EPIPE), not our end
  while((c = getopt(argc, argv, "46udvlw:")) != -1){
    switch(c){
    case '4': family = AF_INET; break;
    case '6': family = AF_INET6; break;
    case 'u': udp = 1; break;
    case 'd': nostdin = 1; break;
    case 'v': verbose = 1; break;
    case 'l': listening = 1; break;
    case 'w': waitsecs = atoi(optarg); break;
    default: usage();
    }
  }
  if(listening ? argc - optind != 1 : argc - optind != 2)
    usage();
  s = listening ? listen_one(argv[optind]) : dial(argv[optind], argv[optind + 1]);
  relay(s);
  flush_out(1);
  close(s);
  return 0;
}
