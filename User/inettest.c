// inettest: checks of the user library's address and name code, in the guest
// (Tests/integration/test_ipv6_apps.py runs it): inet_pton/inet_ntop for both
// families (well-formed and malformed text), the command-line literal helpers,
// getaddrinfo without a network (literals, localhost, passive), and the
// resolver's answer parsing against a stand-in DNS server on 127.0.0.1:53
// that answers from a table, malformed AAAA answers included.
//
//   inettest            every check; the last line is "inettest: N checks, 0 failed"
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include "user/netdb.h"

static int checks, failed;

static void
check(int ok, const char *what, const char *detail)
{
  checks++;
  if(!ok){
    failed++;
    printf("FAIL %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  }
}

// ---- text forms ------------------------------------------------------------------

// Each input, and its canonical (RFC 5952) output.
static const char *good6[][2] = {
  {"::", "::"}, {"::1", "::1"}, {"1::", "1::"}, {"2001:DB8::1", "2001:db8::1"},
  {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
  {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},          // first of two equal runs
  {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},                      // the longest run
  {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},       // no single-group "::"
  {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
  {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
  {"::ffff:1.2.3.4", "::ffff:1.2.3.4"}, {"::FFFF:0102:0304", "::ffff:1.2.3.4"},
  {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
  {"fe80::5054:ff:fe12:3456", "fe80::5054:ff:fe12:3456"}, {"fec0::2", "fec0::2"},
};
static const char *bad6[] = {
  "", ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "1:::2", "::1::",
  "12345::", "g::1", "::-1", "::0x1", "1:", "1::2:", ":1::", ":1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6:7:8:", "::1.2.3", "::1.2.3.4:5", "::ffff:1.2.3.256",
  "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4", "[::1]", "::1%en0", " ::1", "::1 ",
};
static const char *bad4[] = {
  "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.", "a.b.c.d", "1.2.3.4 ", "::1",
};

static void
textforms(void)
{
  static uchar a[16];
  static char t[INET6_ADDRSTRLEN], small[8];
  uint i;

  for(i = 0; i < sizeof(good6) / sizeof(good6[0]); i++){
    if(inet_pton(AF_INET6, good6[i][0], a) != 1){
      check(0, "inet_pton(AF_INET6) of a good address", good6[i][0]);
      continue;
    }
    inet_ntop(AF_INET6, a, t, sizeof(t));
    check(strcmp(t, good6[i][1]) == 0, "inet_ntop(AF_INET6) canonical form", good6[i][0]);
    // the canonical form reads back as the same address
    static uchar b[16];
    check(inet_pton(AF_INET6, t, b) == 1 && memcmp(a, b, 16) == 0, "inet_ntop round trip", t);
  }
  for(i = 0; i < sizeof(bad6) / sizeof(bad6[0]); i++)
    check(inet_pton(AF_INET6, bad6[i], a) == 0, "inet_pton(AF_INET6) refuses", bad6[i]);
  for(i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++)
    check(inet_pton(AF_INET, bad4[i], a) == 0, "inet_pton(AF_INET) refuses", bad4[i]);
  check(inet_pton(AF_INET, "10.0.2.15", a) == 1 && a[0] == 10 && a[3] == 15 &&
        strcmp(inet_ntop(AF_INET, a, t, sizeof(t)), "10.0.2.15") == 0, "inet_pton/ntop AF_INET", 0);
  check(inet_pton(99, "::", a) == -1 && errno == EAFNOSUPPORT, "inet_pton: unknown family", 0);
  inet_pton(AF_INET6, "2001:db8::1", a);
  check(inet_ntop(AF_INET6, a, small, sizeof(small)) == 0 && errno == ENOSPC,
        "inet_ntop: buffer too small", 0);
  check(inet_ntop(AF_INET6, a, small, 0) == 0, "inet_ntop: size 0", 0);
  memset(a, 0xff, 16);
  check(strcmp(inet_ntop(AF_INET6, a, t, INET6_ADDRSTRLEN), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") == 0,
        "inet_ntop: the longest text", 0);
}

// ---- literals ----------------------------------------------------------------------

static void
literals(void)
{
  static const char *in[][3] = {           // input, host, port ("!" malformed)
    {"h:80", "h", "80"}, {"[::1]:80", "::1", "80"}, {"[::1]", "::1", ""}, {"::1", "::1", ""},
    {"host", "host", ""}, {"10.0.2.2:8080", "10.0.2.2", "8080"},
    {"[fe80::1%en0]:22", "fe80::1%en0", "22"}, {"2001:db8::1", "2001:db8::1", ""},
    {"[::1]:", "!", 0}, {"[::1", "!", 0}, {"[h]:80", "!", 0}, {"[::1]x", "!", 0},
    {":80", "!", 0}, {"h:", "!", 0}, {"", "!", 0}, {"[]:80", "!", 0},
  };
  static char host[64], port[8], t[64];
  static struct sockaddr_in6 sa;
  socklen_t len;
  uint i;
  int r;

  for(i = 0; i < sizeof(in) / sizeof(in[0]); i++){
    r = inet_hostport(in[i][0], host, sizeof(host), port, sizeof(port));
    if(in[i][1][0] == '!')
      check(r < 0, "inet_hostport refuses", in[i][0]);
    else
      check(r == 0 && strcmp(host, in[i][1]) == 0 && strcmp(port, in[i][2]) == 0,
            "inet_hostport", in[i][0]);
  }
  check(inet_hostport("averyveryverylonghostname:1", host, 8, port, sizeof(port)) < 0,
        "inet_hostport: host too long", 0);
  check(inet_literal("fe80::1%7", 80, &sa, &len) == 0 && sa.sin6_family == AF_INET6 &&
        sa.sin6_scope_id == 7 && ntohs(sa.sin6_port) == 80 && len == sizeof(sa),
        "inet_literal with a numeric zone", 0);
  check(inet_literal("fe80::1%en0", 80, &sa, &len) < 0 ||
        sa.sin6_scope_id == INET_SCOPE_OF(0), "inet_literal %en0", 0);
  check(inet_literal("fe80::1%nosuch", 80, &sa, &len) < 0, "inet_literal: unknown zone", 0);
  check(inet_literal("fe80::1%", 80, &sa, &len) < 0, "inet_literal: empty zone", 0);
  check(inet_literal("10.0.2.2", 13, &sa, &len) == 0 && sa.sin6_family == AF_INET &&
        len == sizeof(struct sockaddr_in), "inet_literal IPv4", 0);
  check(inet_literal("example.com", 80, &sa, &len) < 0, "inet_literal of a name", 0);
  inet_literal("2001:db8::1", 443, &sa, &len);
  check(strcmp(inet_sockaddr_text((struct sockaddr*)&sa, t, sizeof(t)), "[2001:db8::1]:443") == 0,
        "inet_sockaddr_text IPv6", t);
  inet_literal("10.0.2.2", 80, &sa, &len);
  check(strcmp(inet_sockaddr_text((struct sockaddr*)&sa, t, sizeof(t)), "10.0.2.2:80") == 0,
        "inet_sockaddr_text IPv4", t);
}

// ---- getaddrinfo without DNS ---------------------------------------------------------

static char*
aitext(struct addrinfo *ai)
{
  static char t[64];

  return (char*)inet_sockaddr_text(ai->ai_addr, t, sizeof(t));
}

static void
gai_local(void)
{
  struct addrinfo hints, *res, *ai;
  int n4 = 0, n6 = 0, first;

  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  check(getaddrinfo("localhost", "80", &hints, &res) == 0, "getaddrinfo localhost AF_UNSPEC", 0);
  for(ai = res, first = res ? res->ai_family : 0; ai; ai = ai->ai_next){
    if(ai->ai_family == AF_INET6 && strcmp(aitext(ai), "[::1]:80") == 0) n6++;
    if(ai->ai_family == AF_INET && strcmp(aitext(ai), "127.0.0.1:80") == 0) n4++;
    printf("localhost: %s\n", aitext(ai));
  }
  check(n4 == 1 && n6 == 1, "localhost is ::1 and 127.0.0.1", 0);
  check(first == (res_prefer_ipv6() ? AF_INET6 : AF_INET), "localhost: order by preference", 0);
  freeaddrinfo(res);

  hints.ai_family = AF_INET6;
  hints.ai_flags = AI_PASSIVE;
  check(getaddrinfo(0, "8080", &hints, &res) == 0 && res->ai_next == 0 &&
        strcmp(aitext(res), "[::]:8080") == 0 && res->ai_addrlen == sizeof(struct sockaddr_in6),
        "AI_PASSIVE AF_INET6 is [::]", 0);
  freeaddrinfo(res);
  hints.ai_flags = 0;
  check(getaddrinfo(0, "80", &hints, &res) == 0 && strcmp(aitext(res), "[::1]:80") == 0,
        "no node, AF_INET6: ::1", 0);
  freeaddrinfo(res);
  check(getaddrinfo("fec0::2", "http", &hints, &res) == 0 && strcmp(aitext(res), "[fec0::2]:80") == 0,
        "numeric IPv6 host", 0);
  freeaddrinfo(res);
  check(getaddrinfo("1.2.3.4", "80", &hints, &res) == EAI_ADDRFAMILY,
        "IPv4 literal for AF_INET6: EAI_ADDRFAMILY", 0);
  hints.ai_flags = AI_V4MAPPED;
  check(getaddrinfo("1.2.3.4", "80", &hints, &res) == 0 &&
        strcmp(aitext(res), "[::ffff:1.2.3.4]:80") == 0, "AI_V4MAPPED literal", 0);
  freeaddrinfo(res);
  hints.ai_family = AF_INET;
  hints.ai_flags = 0;
  check(getaddrinfo("::1", "80", &hints, &res) == EAI_ADDRFAMILY, "IPv6 literal for AF_INET", 0);
  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = AI_NUMERICHOST;
  check(getaddrinfo("localhost", "80", &hints, &res) == EAI_NONAME, "AI_NUMERICHOST of a name", 0);
  check(getaddrinfo("fe80::1%7", "80", &hints, &res) == 0 && res->ai_family == AF_INET6 &&
        ((struct sockaddr_in6*)res->ai_addr)->sin6_scope_id == 7, "numeric host with a zone", 0);
  freeaddrinfo(res);
  check(getaddrinfo("1::2::3", "80", &hints, &res) == EAI_NONAME, "malformed numeric host", 0);
  hints.ai_family = 12345;
  check(getaddrinfo("::1", "80", &hints, &res) == EAI_FAMILY, "unknown family: EAI_FAMILY", 0);
  check(gethostbyname2("::1", AF_INET6) != 0 && gethostbyname2("::1", AF_INET6)->h_length == 16,
        "gethostbyname2 of a literal", 0);
  check(gethostbyname2("::1", AF_INET) == 0 && h_errno == NO_DATA, "gethostbyname2 AF_INET of ::1", 0);
}

// ---- the resolver against a stand-in server ---------------------------------------------

static uchar q[512], out[512];

static int
put(uchar *p, int type, int rdlen, const uchar *rdata, int n)
{
  p[0] = 0xc0; p[1] = 12;           // the name: the question's
  p[2] = type >> 8; p[3] = type; p[4] = 0; p[5] = 1;
  p[6] = 0; p[7] = 0; p[8] = 0; p[9] = 60;
  p[10] = rdlen >> 8; p[11] = rdlen;
  memmove(p + 12, rdata, n);
  return 12 + n;
}

// The answer for the query in q (qlen bytes), from the table of test names.
static int
answer(int qlen)
{
  static const uchar v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
  static const uchar v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
  static const uchar v4[4] = { 10, 1, 2, 3 };
  static const uchar cname[] = { 5, 'r', 'e', 'a', 'l', '6', 4, 't', 'e', 's', 't', 0 };
  char name[64];
  int n = 0, i, p = 12, qtype, an = 0, len;

  while(p < qlen && q[p] && n < 60){
    if(n) name[n++] = '.';
    memmove(name + n, q + p + 1, q[p]);
    n += q[p];
    p += q[p] + 1;
  }
  name[n] = 0;
  p++;
  qtype = (q[p] << 8) | q[p+1];
  p += 4;
  memmove(out, q, p);
  out[2] = 0x81; out[3] = 0x80;      // an answer, recursion available
  len = p;
  if(strcmp(name, "good6.test") == 0 && qtype == 28){
    len += put(out + len, 28, 16, v6a, 16); an = 1;
  } else if(strcmp(name, "both.test") == 0){
    len += qtype == 28 ? put(out + len, 28, 16, v6b, 16) : put(out + len, 1, 4, v4, 4);
    an = 1;
  } else if(strcmp(name, "short6.test") == 0){        // AAAA with 4 bytes of rdata
    len += put(out + len, 28, 4, v4, 4); an = 1;
  } else if(strcmp(name, "long6.test") == 0){         // AAAA with 17
    static uchar x[17];
    len += put(out + len, 28, 17, x, 17); an = 1;
  } else if(strcmp(name, "trunc6.test") == 0){        // rdata cut off by the end
    len += put(out + len, 28, 16, v6a, 8); an = 1;
  } else if(strcmp(name, "bad2nd6.test") == 0){       // a good record, then a bad one
    len += put(out + len, 28, 16, v6a, 16);
    len += put(out + len, 28, 4, v4, 4); an = 2;
  } else if(strcmp(name, "tc6.test") == 0){           // the server says it truncated
    out[2] |= 0x02;
    len += put(out + len, 28, 16, v6a, 16);
    len += put(out + len, 28, 16, v6b, 8); an = 2;
  } else if(strcmp(name, "cname6.test") == 0 && qtype == 28){
    len += put(out + len, 5, sizeof(cname), cname, sizeof(cname));
    // real6.test's AAAA: owner written out in full
    memmove(out + len, cname, sizeof(cname));
    i = len + sizeof(cname);
    out[i] = 0; out[i+1] = 28; out[i+2] = 0; out[i+3] = 1;
    out[i+4] = 0; out[i+5] = 0; out[i+6] = 0; out[i+7] = 60; out[i+8] = 0; out[i+9] = 16;
    memmove(out + i + 10, v6b, 16);
    len = i + 26; an = 2;
  } else if(strcmp(name, "a-only.test") == 0 && qtype == 1){
    len += put(out + len, 1, 4, v4, 4); an = 1;
  } else if(strcmp(name, "a-only.test") != 0){
    out[3] |= 3;                      // NXDOMAIN
  }
  out[6] = 0; out[7] = an;
  return len;
}

static void
dnsserver(int fd)
{
  struct sockaddr_in from;
  socklen_t fl;
  int n;

  for(;;){
    fl = sizeof(from);
    if((n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr*)&from, &fl)) < 17)
      continue;
    n = answer(n);
    sendto(fd, out, n, 0, (struct sockaddr*)&from, fl);
  }
}

static void
resolver(void)
{
  struct hostent *h;
  struct addrinfo hints, *res;
  static char t[64];
  int fd, pid;

  if((fd = listener(SOCK_DGRAM, "127.0.0.1", 53, 0)) < 0){
    check(0, "stand-in DNS server on 127.0.0.1:53", strerror(errno));
    return;
  }
  if((pid = fork()) == 0)
    dnsserver(fd);
  close(fd);
  res_setserver(htonl(INADDR_LOOPBACK));

  h = gethostbyname2("good6.test", AF_INET6);
  check(h && h->h_addrtype == AF_INET6 && h->h_length == 16 && h->h_addr_list[1] == 0 &&
        strcmp(inet_ntop(AF_INET6, h->h_addr_list[0], t, sizeof(t)), "2001:db8::1") == 0,
        "AAAA answer", 0);
  h = gethostbyname2("cname6.test", AF_INET6);
  check(h && strcmp(h->h_name, "real6.test") == 0 &&
        strcmp(inet_ntop(AF_INET6, h->h_addr_list[0], t, sizeof(t)), "2001:db8::2") == 0,
        "AAAA through a CNAME", 0);
  check(gethostbyname2("short6.test", AF_INET6) == 0 && h_errno == NO_RECOVERY,
        "AAAA with rdlength 4 refused", hstrerror(h_errno));
  check(gethostbyname2("long6.test", AF_INET6) == 0 && h_errno == NO_RECOVERY,
        "AAAA with rdlength 17 refused", hstrerror(h_errno));
  check(gethostbyname2("trunc6.test", AF_INET6) == 0 && h_errno == NO_RECOVERY,
        "AAAA rdata past the end refused", hstrerror(h_errno));
  check(gethostbyname2("bad2nd6.test", AF_INET6) == 0 && h_errno == NO_RECOVERY,
        "a malformed second record spoils the answer", hstrerror(h_errno));
  h = gethostbyname2("tc6.test", AF_INET6);
  check(h && h->h_addr_list[0] && h->h_addr_list[1] == 0, "TC: the whole records kept", 0);
  check(gethostbyname2("a-only.test", AF_INET6) == 0 && h_errno == NO_DATA &&
        strcmp(hstrerror(h_errno), "name has no IPv6 address") == 0, "no AAAA: NO_DATA", 0);
  check(gethostbyname2("nothere.test", AF_INET6) == 0 && h_errno == HOST_NOT_FOUND,
        "NXDOMAIN for AAAA", 0);

  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  check(getaddrinfo("both.test", "80", &hints, &res) == 0 && res->ai_next &&
        res->ai_next->ai_next == 0 && res->ai_family != res->ai_next->ai_family &&
        res->ai_family == (res_prefer_ipv6() ? AF_INET6 : AF_INET),
        "AF_UNSPEC: both families, in preference order", 0);
  if(res){
    printf("both.test: %s", aitext(res));
    printf(" %s\n", res->ai_next ? aitext(res->ai_next) : "-");
    freeaddrinfo(res);
  }
  check(getaddrinfo("a-only.test", "80", &hints, &res) == 0 && res->ai_family == AF_INET &&
        res->ai_next == 0, "AF_UNSPEC: A only", 0);
  freeaddrinfo(res);
  hints.ai_family = AF_INET6;
  check(getaddrinfo("a-only.test", "80", &hints, &res) == EAI_NODATA, "AF_INET6, no AAAA: EAI_NODATA", 0);
  hints.ai_flags = AI_V4MAPPED;
  check(getaddrinfo("a-only.test", "80", &hints, &res) == 0 &&
        strcmp(aitext(res), "[::ffff:10.1.2.3]:80") == 0, "AI_V4MAPPED from an A record", 0);
  freeaddrinfo(res);
  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = 0;
  check(getaddrinfo("nothere.test", "80", &hints, &res) == EAI_NONAME, "AF_UNSPEC NXDOMAIN: EAI_NONAME", 0);
  check(getaddrinfo("short6.test", "80", &hints, &res) == EAI_NONAME ||
        getaddrinfo("short6.test", "80", &hints, &res) == EAI_FAIL, "AF_UNSPEC malformed: a failure", 0);
  kill(pid);
  wait(0);
  res_setserver(0);
}

int
main(int argc, char *argv[])
{
  textforms();
  literals();
  gai_local();
  resolver();
  printf("inettest: %d checks, %d failed\n", checks, failed);
  exit(failed ? 1 : 0);
}
