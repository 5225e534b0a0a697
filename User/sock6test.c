// sock6test: AF_INET6 sockets in the guest, over lwIP's loopback (::1 and
// 127.0.0.1): TCP and UDP over IPv6, a dual-stack listener accepting IPv4 as
// ::ffff:127.0.0.1, IPV6_V6ONLY, getsockname / getpeername in both families,
// an ICMPv6 echo to ::1 through a raw socket, and malformed arguments (short
// lengths, wrong families, bad pointers, bad scopes) that must fail with
// Linux's errno, never harm the kernel. The guest side of
// Tests/integration/test_sockets6.py. Lines "sock6test: ok WHAT" or
// "sock6test: FAIL WHAT", last "sock6test: PASS" or "sock6test: FAILED".
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"

#define KADDR 0x80000000L       // the kernel's memory: never the user's
#define UNMAPPED 0x3000000000L  // past the user half (address 0 is the program's text in xv6)
#define PORT  7200

static int failures;

static void
ok(int cond, const char *what)
{
  if(cond)
    printf("sock6test: ok %s\n", what);
  else {
    printf("sock6test: FAIL %s (errno %d: %s)\n", what, errno, strerror(errno));
    failures++;
  }
}

// The call failed with errno e.
static void
fails(int r, int e, const char *what)
{
  if(r == -1 && errno == e)
    printf("sock6test: ok %s\n", what);
  else {
    printf("sock6test: FAIL %s (returned %d, errno %d, wanted %d)\n", what, r, errno, e);
    failures++;
  }
}

static struct sockaddr_in6
in6(const uint8_t addr[16], int port, uint32_t scope)
{
  struct sockaddr_in6 a;

  memset(&a, 0, sizeof(a));
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  memmove(a.sin6_addr.s6_addr, addr, 16);
  a.sin6_scope_id = scope;
  return a;
}

static struct sockaddr_in
in4(uint32_t addr, int port)
{
  struct sockaddr_in a;

  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(addr);
  return a;
}

static const uint8_t loop6[16] = { [15] = 1 };                       // ::1
static const uint8_t any6[16];                                      // ::
static const uint8_t mapped_loop[16] = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 };
static const uint8_t linklocal[16] = { 0xfe, 0x80, [15] = 1 };      // fe80::1

static int
same6(struct sockaddr_in6 *a, const uint8_t addr[16], int port)
{
  return a->sin6_family == AF_INET6 && memcmp(a->sin6_addr.s6_addr, addr, 16) == 0 &&
         (port < 0 || ntohs(a->sin6_port) == port);
}

static int
listen6(int domain, struct sockaddr *a, int alen, int v6only)
{
  int one = 1, s = socket(domain, SOCK_STREAM, 0);

  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if(v6only >= 0)
    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
  if(bind(s, a, alen) < 0 || listen(s, 4) < 0){
    close(s);
    return -1;
  }
  return s;
}

static void
tcp6(void)
{
  struct sockaddr_in6 a = in6(loop6, PORT, 0), peer, name;
  socklen_t len = sizeof(peer);
  char msg[1000], got[1000];
  int l, c, s, n = 0, r;

  l = listen6(AF_INET6, (struct sockaddr*)&a, sizeof(a), -1);
  ok(l >= 0, "tcp6 listen on [::1]");
  c = socket(AF_INET6, SOCK_STREAM, 0);
  ok(connect(c, (struct sockaddr*)&a, sizeof(a)) == 0, "tcp6 connect to [::1]");
  s = accept(l, (struct sockaddr*)&peer, &len);
  ok(s >= 0 && len == sizeof(peer) && same6(&peer, loop6, -1), "tcp6 accept sees [::1]");
  len = sizeof(name);
  ok(getsockname(c, (struct sockaddr*)&name, &len) == 0 && same6(&name, loop6, ntohs(peer.sin6_port)),
     "tcp6 getsockname is the accepted peer");
  len = sizeof(name);
  ok(getpeername(c, (struct sockaddr*)&name, &len) == 0 && same6(&name, loop6, PORT),
     "tcp6 getpeername");
  for(int i = 0; i < sizeof(msg); i++)
    msg[i] = i * 7;
  ok(send(c, msg, sizeof(msg), 0) == sizeof(msg), "tcp6 send");
  while(n < sizeof(got) && (r = recv(s, got + n, sizeof(got) - n, 0)) > 0)
    n += r;
  ok(n == sizeof(got) && memcmp(msg, got, n) == 0, "tcp6 data intact");
  close(c);
  close(s);
  close(l);
}

static void
dualstack(void)
{
  struct sockaddr_in6 a = in6(any6, PORT + 1, 0), peer, name;
  struct sockaddr_in v4 = in4(0x7f000001, PORT + 1), name4;
  socklen_t len = sizeof(peer);
  int l, c, s, v = 1, zero = 0;

  l = listen6(AF_INET6, (struct sockaddr*)&a, sizeof(a), -1);
  len = sizeof(v);
  ok(getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len) == 0 && v == 0, "IPV6_V6ONLY is 0 by default");
  c = socket(AF_INET, SOCK_STREAM, 0);
  ok(connect(c, (struct sockaddr*)&v4, sizeof(v4)) == 0, "IPv4 connect to a [::] listener");
  len = sizeof(peer);
  s = accept(l, (struct sockaddr*)&peer, &len);
  ok(s >= 0 && same6(&peer, mapped_loop, -1), "accepted IPv4 peer is ::ffff:127.0.0.1");
  len = sizeof(name);
  ok(getsockname(s, (struct sockaddr*)&name, &len) == 0 && same6(&name, mapped_loop, PORT + 1),
     "its local address is ::ffff:127.0.0.1 too");
  len = sizeof(name4);
  ok(getsockname(c, (struct sockaddr*)&name4, &len) == 0 && len == sizeof(name4) &&
     name4.sin_family == AF_INET && name4.sin_port == peer.sin6_port, "the IPv4 side sees sockaddr_in");
  close(c);
  close(s);
  close(l);

  // V6ONLY: IPv4 is refused; the option is fixed once bound
  a = in6(any6, PORT + 2, 0);
  l = listen6(AF_INET6, (struct sockaddr*)&a, sizeof(a), 1);
  ok(l >= 0, "V6ONLY listener");
  fails(setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)), EINVAL, "V6ONLY after bind: EINVAL");
  c = socket(AF_INET, SOCK_STREAM, 0);
  v4 = in4(0x7f000001, PORT + 2);
  fails(connect(c, (struct sockaddr*)&v4, sizeof(v4)), ECONNREFUSED, "IPv4 to a V6ONLY listener: refused");
  close(c);
  c = socket(AF_INET6, SOCK_STREAM, 0);
  a = in6(loop6, PORT + 2, 0);
  ok(connect(c, (struct sockaddr*)&a, sizeof(a)) == 0, "IPv6 to a V6ONLY listener");
  close(c);
  close(l);
}

static void
udp6(void)
{
  struct sockaddr_in6 a = in6(loop6, PORT + 3, 0), from, any = in6(any6, PORT + 4, 0);
  struct sockaddr_in v4 = in4(0x7f000001, PORT + 4), from4;
  socklen_t len = sizeof(from);
  char buf[16];
  int r = socket(AF_INET6, SOCK_DGRAM, 0), w = socket(AF_INET6, SOCK_DGRAM, 0);
  int d = socket(AF_INET6, SOCK_DGRAM, 0), u4 = socket(AF_INET, SOCK_DGRAM, 0), one = 1, t;
  int r4 = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in6 mapped = in6(mapped_loop, PORT + 5, 0);
  struct { long sec, usec; } tv = { 2, 0 };   // a lost datagram fails the check, not the run

  setsockopt(r, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(r4, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

  ok(bind(r, (struct sockaddr*)&a, sizeof(a)) == 0, "udp6 bind [::1]");
  ok(sendto(w, "hello", 5, 0, (struct sockaddr*)&a, sizeof(a)) == 5, "udp6 sendto [::1]");
  ok(recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr*)&from, &len) == 5 && len == sizeof(from) &&
     same6(&from, loop6, -1) && from.sin6_port != 0, "udp6 recvfrom gives the sender [::1]:port");
  // dual stack: IPv4 into a [::] socket, and out of one to a mapped address
  ok(bind(d, (struct sockaddr*)&any, sizeof(any)) == 0, "udp6 bind [::]");
  ok(sendto(u4, "v4", 2, 0, (struct sockaddr*)&v4, sizeof(v4)) == 2, "udp IPv4 sendto 127.0.0.1");
  len = sizeof(from);
  ok(recvfrom(d, buf, sizeof(buf), 0, (struct sockaddr*)&from, &len) == 2 &&
     same6(&from, mapped_loop, -1), "the [::] socket sees ::ffff:127.0.0.1");
  v4 = in4(0x7f000001, PORT + 5);
  ok(bind(r4, (struct sockaddr*)&v4, sizeof(v4)) == 0, "udp bind 127.0.0.1");
  ok(sendto(d, "m", 1, 0, (struct sockaddr*)&mapped, sizeof(mapped)) == 1, "udp6 sendto ::ffff:127.0.0.1");
  len = sizeof(from4);
  ok(recvfrom(r4, buf, sizeof(buf), 0, (struct sockaddr*)&from4, &len) == 1 && from4.sin_family == AF_INET &&
     from4.sin_addr.s_addr == htonl(0x7f000001), "the IPv4 socket sees 127.0.0.1");
  // V6ONLY: no IPv4 out (Linux: ENETUNREACH) or in (EINVAL on bind)
  t = socket(AF_INET6, SOCK_DGRAM, 0);
  setsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  fails(sendto(t, "x", 1, 0, (struct sockaddr*)&mapped, sizeof(mapped)), ENETUNREACH,
        "V6ONLY sendto a mapped address: ENETUNREACH");
  fails(bind(t, (struct sockaddr*)&mapped, sizeof(mapped)), EINVAL, "V6ONLY bind a mapped address: EINVAL");
  close(t);
  close(r);
  close(w);
  close(d);
  close(u4);
  close(r4);
}

static void
ping6(void)
{
  struct sockaddr_in6 to = in6(loop6, 0, 0), from;
  struct ktimeval { long sec, usec; } tv = { 2, 0 };
  socklen_t len;
  uint8_t req[24] = { 128, 0, 0xde, 0xad, 0x42, 0x42, 0, 1 }, got[128];
  int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6), n, seen = 0;

  ok(s >= 0, "raw ICMPv6 socket");
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  for(int i = 8; i < sizeof(req); i++)
    req[i] = i;
  fails(sendto(s, req, 2, 0, (struct sockaddr*)&to, sizeof(to)), EINVAL, "ICMPv6 shorter than 4 bytes: EINVAL");
  ok(sendto(s, req, sizeof(req), 0, (struct sockaddr*)&to, sizeof(to)) == sizeof(req), "echo request to ::1");
  for(int i = 0; i < 4 && !seen; i++){
    len = sizeof(from);
    if((n = recvfrom(s, got, sizeof(got), 0, (struct sockaddr*)&from, &len)) < 0)
      break;
    // the message itself, no IPv6 header in front: type 129 is the reply
    if(n == sizeof(req) && got[0] == 129 && got[4] == 0x42 && got[5] == 0x42)
      seen = same6(&from, loop6, -1) && memcmp(got + 8, req + 8, sizeof(req) - 8) == 0;
  }
  ok(seen, "echo reply from ::1, the message without its IPv6 header");
  close(s);
}

static void
malformed(void)
{
  struct sockaddr_in6 a = in6(loop6, PORT + 6, 0);
  struct sockaddr_in v4 = in4(0x7f000001, PORT + 6);
  socklen_t len;
  int s6 = socket(AF_INET6, SOCK_DGRAM, 0), s4 = socket(AF_INET, SOCK_DGRAM, 0), big = 300;
  char small[8];

  fails(socket(99, SOCK_STREAM, 0), EAFNOSUPPORT, "socket(99): EAFNOSUPPORT");
  fails(socket(AF_INET6, SOCK_RAW, IPPROTO_ICMP), EPROTONOSUPPORT, "AF_INET6 raw ICMP: EPROTONOSUPPORT");
  fails(socket(AF_INET, SOCK_RAW, IPPROTO_ICMPV6), EPROTONOSUPPORT, "AF_INET raw ICMPv6: EPROTONOSUPPORT");
  fails(bind(s6, (struct sockaddr*)&a, 16), EINVAL, "sockaddr_in6 of 16 bytes: EINVAL");
  fails(bind(s6, (struct sockaddr*)&a, 1), EINVAL, "address of 1 byte: EINVAL");
  fails(bind(s6, (struct sockaddr*)&a, 1000), EINVAL, "address of 1000 bytes: EINVAL");
  fails(bind(s6, (struct sockaddr*)&a, -1), EINVAL, "negative length: EINVAL");
  fails(bind(s6, (struct sockaddr*)&v4, sizeof(a)), EAFNOSUPPORT, "AF_INET6 socket, AF_INET address: EAFNOSUPPORT");
  fails(bind(s4, (struct sockaddr*)&a, sizeof(a)), EAFNOSUPPORT, "AF_INET socket, sockaddr_in6: EAFNOSUPPORT");
  fails(bind(s6, (struct sockaddr*)KADDR, sizeof(a)), EFAULT, "bind a kernel address: EFAULT");
  fails(connect(s6, (struct sockaddr*)UNMAPPED, sizeof(a)), EFAULT, "connect an unmapped address: EFAULT");
  fails(sendto(s6, "x", 1, 0, (struct sockaddr*)KADDR, sizeof(a)), EFAULT, "sendto a kernel address: EFAULT");
  a = in6(linklocal, PORT + 6, 0);
  fails(sendto(s6, "x", 1, 0, (struct sockaddr*)&a, sizeof(a)), EINVAL, "link-local without a scope: EINVAL");
  a = in6(linklocal, PORT + 6, 200);
  fails(sendto(s6, "x", 1, 0, (struct sockaddr*)&a, sizeof(a)), ENODEV, "scope of no interface: ENODEV");
  fails(setsockopt(s4, IPPROTO_IPV6, IPV6_V6ONLY, &big, sizeof(big)), ENOPROTOOPT, "IPv6 option on AF_INET: ENOPROTOOPT");
  fails(setsockopt(s6, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &big, sizeof(big)), EINVAL, "hop limit 300: EINVAL");
  // an RFC 2133 sockaddr_in6 (24 bytes, no scope) is accepted, as on Linux
  a = in6(loop6, PORT + 6, 0);
  ok(bind(s6, (struct sockaddr*)&a, 24) == 0, "sockaddr_in6 of 24 bytes binds");
  len = sizeof(small);
  ok(getsockname(s6, (struct sockaddr*)small, &len) == 0 && len == sizeof(struct sockaddr_in6),
     "getsockname truncates to the caller's length and reports 28");
  len = sizeof(a);
  fails(getsockname(s6, (struct sockaddr*)KADDR, &len), EFAULT, "getsockname into the kernel: EFAULT");
  fails(getsockname(s6, (struct sockaddr*)&a, (socklen_t*)KADDR), EFAULT, "getsockname length in the kernel: EFAULT");
  close(s6);
  close(s4);
}

int
main(int argc, char *argv[])
{
  tcp6();
  dualstack();
  udp6();
  ping6();
  malformed();
  printf("sock6test: %s\n", failures ? "FAILED" : "PASS");
  exit(failures ? 1 : 0);
}
