// Addresses, names and sockets: local checks, and the TCP client.
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "posixtest.h"

// Addresses and errors that need no peer.
void
sockets_local(void)
{
  struct addrinfo hints, *res;
  struct sockaddr_in sin;
  struct sockaddr_storage ss;
  char host[INET6_ADDRSTRLEN], serv[NI_MAXSERV];
  int fd, one = 1;

  CHECK(inet_pton(AF_INET, "10.0.2.15", &sin.sin_addr) == 1 &&
        sin.sin_addr.s_addr == htonl(0x0a00020f), "inet_pton");
  CHECK(inet_pton(AF_INET, "10.0.2", &sin.sin_addr) == 0, "inet_pton of a malformed address");
  CHECK(strcmp(inet_ntop(AF_INET, &sin.sin_addr, host, sizeof(host)), "10.0.2.15") == 0 &&
        strcmp(inet_ntoa(sin.sin_addr), "10.0.2.15") == 0, "inet_ntop, inet_ntoa");
  CHECK(inet_addr("255.255.255.255") == INADDR_NONE && inet_addr("1.2.3.4") == htonl(0x01020304),
        "inet_addr");
  CHECK(ntohs(htons(0x1234)) == 0x1234 && htons(0x1234) == 0x3412, "htons");
  CHECK(sizeof(ss) >= sizeof(struct sockaddr_in6) && sizeof(struct sockaddr_in6) == 28,
        "sockaddr_storage holds a sockaddr_in6");

  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_ADDRCONFIG | AI_NUMERICSERV;
  CHECK(getaddrinfo(0, "8080", &hints, &res) == 0 && res->ai_family == AF_INET &&
        ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == htonl(INADDR_ANY) &&
        ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port) == 8080, "getaddrinfo AI_PASSIVE");
  CHECK(getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0 && strcmp(host, "0.0.0.0") == 0 &&
        strcmp(serv, "8080") == 0, "getnameinfo");
  freeaddrinfo(res);
  hints.ai_family = AF_INET6;
  hints.ai_flags = AI_NUMERICSERV;
  CHECK(getaddrinfo("fe80::1%7", "80", &hints, &res) == 0 && res->ai_family == AF_INET6 &&
        res->ai_addrlen == sizeof(struct sockaddr_in6) &&
        IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr) &&
        getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0 && strcmp(host, "fe80::1%en5") == 0 &&
        strcmp(serv, "80") == 0, "getaddrinfo AF_INET6, getnameinfo with a zone");
  freeaddrinfo(res);
  struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
  CHECK(inet_pton(AF_INET6, "2001:db8::1", &s6.sin6_addr) == 1 &&
        getnameinfo((struct sockaddr *)&s6, sizeof(s6), host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0 && strcmp(host, "2001:db8::1") == 0 &&
        strcmp(serv, "443") == 0, "getnameinfo of a sockaddr_in6");
  CHECK(getnameinfo((struct sockaddr *)&s6, sizeof(s6), host, 8, 0, 0, NI_NUMERICHOST) == EAI_OVERFLOW,
        "getnameinfo IPv6: EAI_OVERFLOW");
  CHECK(getnameinfo((struct sockaddr *)&s6, sizeof(struct sockaddr_in), host, sizeof(host), 0, 0,
                    NI_NUMERICHOST) == EAI_FAIL, "getnameinfo: a short sockaddr_in6");
  CHECK(inet_pton(AF_INET6, "1::2::3", &s6.sin6_addr) == 0 && inet_pton(AF_INET6, "::1", &s6.sin6_addr) == 1 &&
        IN6_IS_ADDR_LOOPBACK(&s6.sin6_addr) && strcmp(inet_ntop(AF_INET6, &s6.sin6_addr, host, sizeof(host)), "::1") == 0,
        "inet_pton/inet_ntop AF_INET6");
  CHECK(gethostbyaddr(&s6.sin6_addr, 16, AF_INET6) && gethostbyaddr(&s6.sin6_addr, 16, AF_INET6)->h_length == 16,
        "gethostbyaddr AF_INET6");
  hints.ai_family = 99;
  CHECK(getaddrinfo("::1", "80", &hints, &res) == EAI_FAMILY, "getaddrinfo of an unknown family: EAI_FAMILY");
  CHECK(strlen(gai_strerror(EAI_NONAME)) > 0, "gai_strerror");
  CHECK(gethostbyname("10.1.2.3") && gethostbyname("10.1.2.3")->h_length == 4, "gethostbyname");
  CHECK(getservbyname("http", "tcp") && getservbyname("http", "tcp")->s_port == htons(80) &&
        getservbyname("domain", "udp")->s_port == htons(53), "getservbyname");
  CHECK(getservbyname("nosuch", "tcp") == 0 && getservbyname("http", "sctp") == 0,
        "getservbyname of unknown ones");
  CHECK(getprotobyname("tcp") && getprotobyname("tcp")->p_proto == IPPROTO_TCP &&
        strcmp(getprotobynumber(17)->p_name, "udp") == 0 && getprotobyname("xtp") == 0 &&
        getprotobyname("ipv6-icmp")->p_proto == IPPROTO_ICMPV6,
        "getprotobyname, getprotobynumber");
  h_errno = HOST_NOT_FOUND;
  herror("herror");

  CHECK((fd = socket(AF_INET6, SOCK_STREAM, 0)) >= 0 && close(fd) == 0, "socket(AF_INET6)");
  CHECK(socket(AF_UNIX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT,
        "socket(AF_UNIX): EAFNOSUPPORT");
  printf("AF_UNIX: %s\n", strerror(errno));
  CHECK((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0, "socket");
  CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0, "TCP_NODELAY");
  CHECK(listen(12345, 1) == -1 && errno == EBADF, "listen on a bad fd: EBADF");
  struct iovec iov = { host, 4 };
  struct msghdr m;
  memset(&m, 0, sizeof(m));
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  CHECK(sendmsg(12345, &m, 0) == -1 && errno == EBADF, "sendmsg on a bad fd: EBADF");
  m.msg_controllen = 16;
  m.msg_control = serv;
  CHECK(sendmsg(fd, &m, 0) == -1 && errno == EOPNOTSUPP, "sendmsg with ancillary data: EOPNOTSUPP");
  m.msg_controllen = 0;
  m.msg_iovlen = 1 << 20;
  CHECK(recvmsg(fd, &m, 0) == -1 && errno == EINVAL, "recvmsg past IOV_MAX: EINVAL");
  CHECK(recv(0, host, 1, MSG_DONTWAIT) == -1 && errno == ENOTSOCK, "recv on the console: ENOTSOCK");
  close(fd);
}

// sendmsg of buf in two pieces; recvmsg into two pieces; recv.
static ssize_t
sendpieces(int fd, char *buf, int n)
{
  struct iovec iov[2] = { { buf, n / 2 }, { buf + n / 2, n - n / 2 } };
  struct msghdr m;

  memset(&m, 0, sizeof(m));
  m.msg_iov = iov;
  m.msg_iovlen = 2;
  return sendmsg(fd, &m, 0);
}

static ssize_t
recvpieces(int fd, char *buf, int n)
{
  struct iovec iov[2] = { { buf, 3 < n ? 3 : n }, { buf + 3, n > 3 ? n - 3 : 0 } };
  struct msghdr m;

  memset(&m, 0, sizeof(m));
  m.msg_iov = iov;
  m.msg_iovlen = 2;
  return recvmsg(fd, &m, 0);
}

static ssize_t
recvplain(int fd, char *buf, int n)
{
  return recv(fd, buf, n, 0);
}

// A TCP client, the textbook way: getaddrinfo, socket, connect, send, recv.
int
tcp(const char *host, const char *port, const char *word, int count)
{
  struct addrinfo hints, *res, *ai;
  char buf[256];
  int fd = -1, err, i, n, got;

  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if((err = getaddrinfo(host, port, &hints, &res)) != 0){
    fprintf(stderr, "posixtest: %s: %s\n", host, gai_strerror(err));
    return 1;
  }
  for(ai = res; ai; ai = ai->ai_next){
    if((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) < 0)
      continue;
    if(connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
      break;
    perror("connect");
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if(fd < 0)
    return 1;
  for(i = 0; i < count; i++){
    n = snprintf(buf, sizeof(buf), "%s %d\n", word, i);
    // odd rounds the scatter-gather way: the word and the rest in two pieces
    if((i % 2 ? sendpieces(fd, buf, n) : send(fd, buf, n, 0)) != n){
      perror("send");
      return 1;
    }
    for(got = 0; got < (int)sizeof(buf) - 1 && (got == 0 || buf[got - 1] != '\n'); got += n)
      if((n = (i % 2 ? recvpieces : recvplain)(fd, buf + got, sizeof(buf) - 1 - got)) <= 0){
        if(n < 0)
          perror("recv");
        else
          fprintf(stderr, "posixtest: the server closed the connection\n");
        return 1;
      }
    buf[got] = 0;
    printf("reply: %s", buf);
  }
  close(fd);
  return 0;
}
