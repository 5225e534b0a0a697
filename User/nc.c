// nc: netcat. Copies standard input to a TCP or UDP peer and what the peer
// sends to standard output, as a client or as a listener for one peer.
//
//   nc [-u] [-d] [-v] [-w secs] host port      connect to host:port
//   nc [-u] [-d] [-v] [-w secs] -l port        wait for one peer on port
//
// -u UDP instead of TCP; -d don't read standard input; -v say who connected;
// -w give up after secs without data from the peer (UDP: wait this long after
// the end of standard input, default 1 s).
// There is no select(), so two processes share the socket: one copies
// standard input to it, the other copies it to standard output. On TCP the
// end of standard input shuts down our sending side (the peer sees EOF) and
// nc ends when the peer closes, so `nc -l 1234 > file` on one end and
// `nc host 1234 < file` on the other move a file.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "user/socket.h"
#include "user/netdb.h"

static int udp, nostdin, verbose, waitsecs = -1;
static char buf[32768];

static void
usage(void)
{
  fprintf(2, "usage: nc [-u] [-d] [-v] [-w secs] host port\n"
             "       nc [-u] [-d] [-v] [-w secs] -l port\n");
  exit(2);
}

static int
writeall(int fd, const char *p, int n)
{
  int w;

  while(n > 0){
    if((w = write(fd, p, n)) <= 0)
      return -1;
    p += w;
    n -= w;
  }
  return 0;
}

// Copy the socket to standard output until EOF, an error or a timeout.
// Into a file (not a terminal or pipe), TCP data is gathered into whole
// buffers first: each write() to a file is a log transaction, and one 32 KiB
// write costs about what a 1.4 KiB one does.
static void
sock_to_stdout(int s)
{
  struct stat st;
  int n, have = 0, gather;

  gather = !udp && fstat(1, &st) == 0 && st.type == T_FILE;
  while((n = recv(s, buf + have, sizeof(buf) - have, 0)) > 0){
    have += n;
    if(gather && have < sizeof(buf))
      continue;
    if(writeall(1, buf, have) < 0){
      fprintf(2, "nc: write to standard output failed\n");
      return;
    }
    have = 0;
  }
  if(have > 0 && writeall(1, buf, have) < 0)
    fprintf(2, "nc: write to standard output failed\n");
  if(n < 0 && errno == EAGAIN && verbose)
    fprintf(2, "nc: no data for %d s: giving up\n", waitsecs);
  else if(n < 0 && errno != EAGAIN)
    fprintf(2, "nc: receive: %s\n", strerror(errno));
}

// Copy standard input to the socket until EOF; one datagram per read on UDP.
static void
stdin_to_sock(int s)
{
  int n;

  while((n = read(0, buf, sizeof(buf))) > 0)
    if(send(s, buf, n, 0) != n){
      fprintf(2, "nc: send: %s\n", strerror(errno));
      return;
    }
  if(!udp)
    shutdown(s, SHUT_WR);     // the peer sees our EOF
}

// Run both directions on the connected socket s.
static void
relay(int s)
{
  int pid;

  if(waitsecs > 0 && (!udp || nostdin))
    set_rcvtimeo(s, waitsecs * 1000);
  if(nostdin){
    sock_to_stdout(s);
    return;
  }
  if((pid = fork()) < 0){
    fprintf(2, "nc: fork failed\n");
    exit(1);
  }
  if(pid == 0){
    if(udp) sock_to_stdout(s); else stdin_to_sock(s);
    exit(0);
  }
  if(udp){
    stdin_to_sock(s);
    sleep((waitsecs < 0 ? 1 : waitsecs) * 100);   // let the last answers arrive
  } else {
    sock_to_stdout(s);
  }
  kill(pid);                  // it may be waiting for input no one will type
  wait(0);
}

static void
say(const char *what, struct sockaddr_in *a)
{
  char text[INET_ADDRSTRLEN];

  if(verbose){
    inet_ntop(AF_INET, &a->sin_addr, text, sizeof(text));
    fprintf(2, "nc: %s %s:%d\n", what, text, ntohs(a->sin_port));
  }
}

// Wait on port for one peer: a TCP connection, or the first UDP datagram
// (written out, and its sender becomes the peer). Returns the socket.
static int
listen_one(int port)
{
  struct sockaddr_in sa, from;
  socklen_t len = sizeof(from);
  int fd, s, n, one = 1;

  if((fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0)) < 0){
    fprintf(2, "nc: socket: %s\n", strerror(errno));
    exit(1);
  }
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if(bind(fd, (struct sockaddr*)&sa, sizeof(sa)) < 0){
    fprintf(2, "nc: bind :%d: %s\n", port, strerror(errno));
    exit(1);
  }
  if(udp){
    if((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr*)&from, &len)) < 0 ||
       connect(fd, (struct sockaddr*)&from, sizeof(from)) < 0){
      fprintf(2, "nc: udp :%d: %s\n", port, strerror(errno));
      exit(1);
    }
    say("datagram from", &from);
    writeall(1, buf, n);
    return fd;
  }
  if(listen(fd, 1) < 0 || (s = accept(fd, (struct sockaddr*)&from, &len)) < 0){
    fprintf(2, "nc: listen :%d: %s\n", port, strerror(errno));
    exit(1);
  }
  close(fd);                  // one peer only
  say("connection from", &from);
  return s;
}

static int
portarg(const char *s)
{
  int p = atoi(s);

  if(p <= 0 || p > 65535){
    fprintf(2, "nc: bad port %s\n", s);
    exit(2);
  }
  return p;
}

int
main(int argc, char *argv[])
{
  static char why[160];
  int i, s, listening = 0;
  char *args[2];
  int nargs = 0;

  signal(SIGPIPE, (sighandler_t)SIG_IGN);   // a reset peer is an error (EPIPE), not our end
  for(i = 1; i < argc; i++){
    if(strcmp(argv[i], "-u") == 0) udp = 1;
    else if(strcmp(argv[i], "-d") == 0) nostdin = 1;
    else if(strcmp(argv[i], "-v") == 0) verbose = 1;
    else if(strcmp(argv[i], "-l") == 0) listening = 1;
    else if(strcmp(argv[i], "-w") == 0 && i + 1 < argc) waitsecs = atoi(argv[++i]);
    else if(argv[i][0] == '-' || nargs == 2) usage();
    else args[nargs++] = argv[i];
  }
  if(listening ? nargs != 1 : nargs != 2)
    usage();
  if(listening){
    s = listen_one(portarg(args[0]));
  } else {
    s = dial(args[0], portarg(args[1]), udp ? SOCK_DGRAM : SOCK_STREAM, 10000,
             why, sizeof(why));
    if(s < 0){
      fprintf(2, "nc: %s\n", why);
      exit(1);
    }
    if(verbose)
      fprintf(2, "nc: connected to %s port %s\n", args[0], args[1]);
  }
  relay(s);
  close(s);
  return 0;
}
