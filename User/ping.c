// ping: send ICMP echo requests to a host and report the replies, over a raw
// ICMP socket (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)): the program writes
// the ICMP message (type, code, checksum, id, sequence, payload), the kernel
// adds the IP header, and every ICMP packet that arrives is read whole, IP
// header first, so the TTL can be shown. Replies are matched by id (our pid)
// and sequence number, and their checksum is verified.
//
// An IPv6 host (a literal such as fec0::2 or fe80::1%en0, or a name's AAAA
// record) is pinged with ICMPv6 echo (types 128 and 129, RFC 4443) over
// socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6), as Linux's sockets do it: the
// kernel computes the checksum (it covers a pseudo-header of addresses only
// the stack knows) and a read gives the ICMPv6 message alone, without the IPv6
// header, so no hop limit is shown. Every ICMPv6 message reaches that socket,
// neighbour discovery and MLD included: only echo replies with our id and
// errors quoting our requests count.
//
//   ping [-4|-6] [-c count] [-i interval_ms] [-s size] [-W timeout_s] host
//
// One request at a time: send, wait up to the timeout for its reply, then
// wait out the rest of the interval. Round-trip times come from the kernel's
// microsecond clock (netinfo NETINFO_CLOCK) or, without it, from uptime ticks.
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include "user/netdb.h"

#define ICMP_ECHOREPLY  0
#define ICMP_UNREACH    3
#define ICMP_ECHO       8
#define ICMP_TIMXCEED   11
#define ICMP_HDR        8       // type, code, checksum, id, sequence
#define MAXPAYLOAD      (65535 - 20 - ICMP_HDR)
#define ICMP6_UNREACH   1       // ICMPv6 (RFC 4443)
#define ICMP6_TOOBIG    2
#define ICMP6_TIMXCEED  3
#define ICMP6_ECHO      128
#define ICMP6_ECHOREPLY 129
#define IP6_HDR         40

struct options {
  int count;                    // requests to send
  int interval_ms;              // from one request to the next
  int size;                     // payload bytes after the ICMP header
  int timeout_s;                // how long to wait for each reply
  int family;                   // -4, -6: AF_INET or AF_INET6; else AF_UNSPEC
  char *host;
};

// Where the requests go.
struct target {
  int af;                       // AF_INET or AF_INET6
  struct sockaddr_in6 sa;       // a sockaddr_in for AF_INET
  socklen_t salen;
  char text[INET6_ADDRSTRLEN];  // the address as text
};

struct stats {
  int sent, received, errors;
  uint64 min_us, max_us, sum_us;
};

// What one received packet turned out to be.
enum { PKT_OTHER, PKT_REPLY, PKT_BADSUM, PKT_ERROR };

struct packet {
  int kind;                     // PKT_*
  int seq, ttl, icmplen;        // from the reply (or the request an error quotes); ttl -1: unknown
  int type, code;               // the ICMP error's
  int off;                      // where the ICMP message starts in the buffer
  char from[INET6_ADDRSTRLEN];  // sender
};

static void
usage(void)
{
  fprintf(2, "usage: ping [-c count] [-i interval_ms] [-s size] [-W timeout_s] host\n"
             "       -4, -6: only IPv4 or only IPv6 (host an address or a name)\n");
  exit(2);
}

// A whole decimal number within [lo, hi] in *out: 0, or -1 if it is not one.
static int
number(const char *s, int lo, int hi, int *out)
{
  long v = 0;

  if(s == 0 || *s == 0)
    return -1;
  for(; *s; s++){
    if(*s < '0' || *s > '9' || v > hi)
      return -1;
    v = v * 10 + (*s - '0');
  }
  if(v < lo || v > hi)
    return -1;
  *out = (int)v;
  return 0;
}

// One option with its value ("-c 3" or "-c3"); returns the next argv index.
static int
option(int argc, char **argv, int i, struct options *o)
{
  char c = argv[i][1];
  char *v;
  int bad = -1;

  if((c == '4' || c == '6') && argv[i][2] == 0){   // no value
    o->family = c == '4' ? AF_INET : AF_INET6;
    return i + 1;
  }
  v = argv[i][2] ? &argv[i][2] : (i + 1 < argc ? argv[++i] : 0);
  switch(c){
  case 'c': bad = number(v, 1, 1000000, &o->count); break;
  case 'i': bad = number(v, 10, 3600000, &o->interval_ms); break;
  case 's': bad = number(v, 0, MAXPAYLOAD, &o->size); break;
  case 'W': bad = number(v, 1, 3600, &o->timeout_s); break;
  default:
    fprintf(2, "ping: unknown option -%c\n", c);
    usage();
  }
  if(bad){
    fprintf(2, "ping: bad value for -%c: %s\n", c, v ? v : "(missing)");
    usage();
  }
  return i + 1;
}

static void
parseargs(int argc, char **argv, struct options *o)
{
  int i = 1;

  o->count = 4;
  o->interval_ms = 1000;
  o->size = 56;
  o->timeout_s = 2;
  o->family = AF_UNSPEC;
  o->host = 0;
  while(i < argc){
    if(argv[i][0] == '-' && argv[i][1] != 0){
      i = option(argc, argv, i, o);
    } else {
      if(o->host)
        usage();
      o->host = argv[i++];
    }
  }
  if(o->host == 0)
    usage();
}

// The host's address in *t: a literal, or a name through the resolver (the
// first of getaddrinfo's answers: IPv6 first when this host has a global IPv6
// address). Says why not on fd 2.
static int
resolve(const char *host, int family, struct target *t)
{
  struct addrinfo hints, *res;
  int e;

  memset(t, 0, sizeof(*t));
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = family;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = family == AF_UNSPEC ? AI_ADDRCONFIG : 0;
  if((e = getaddrinfo(host, 0, &hints, &res)) != 0){
    if(e == EAI_ADDRFAMILY)
      fprintf(2, "ping: %s: not an IPv%c address\n", host, family == AF_INET6 ? '6' : '4');
    else if(e == EAI_NONAME && strchr(host, ':'))
      fprintf(2, "ping: %s: %s\n", host, strchr(host, '%') ?
              "malformed IPv6 address or unknown zone" : "malformed IPv6 address");
    else
      fprintf(2, "ping: %s: %s\n", host, e == EAI_NONAME || e == EAI_NODATA || e == EAI_AGAIN ||
              e == EAI_FAIL ? hstrerror(h_errno) : gai_strerror(e));
    return -1;
  }
  t->af = res->ai_family;
  memmove(&t->sa, res->ai_addr, res->ai_addrlen);
  t->salen = res->ai_addrlen;
  freeaddrinfo(res);
  if(t->af == AF_INET6)
    inet_ntop(AF_INET6, &t->sa.sin6_addr, t->text, sizeof(t->text));
  else
    inet_ntop(AF_INET, &((struct sockaddr_in*)&t->sa)->sin_addr, t->text, sizeof(t->text));
  return 0;
}

// The Internet checksum (RFC 1071) of n bytes: 0 over a valid message.
static uint16
cksum(const uchar *p, int n)
{
  // LAB(ping) begin: the Internet checksum
  uint32 sum = 0;

  for(; n > 1; p += 2, n -= 2)
    sum += (p[0] << 8) | p[1];
  if(n == 1)
    sum += p[0] << 8;
  while(sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (uint16)~sum;
  // LAB(ping) stub:
  // return 0;   // TODO(lab ping): the one's complement of the one's complement sum of the 16-bit big-endian words (RFC 1071 section 4.1; an odd last byte is the high byte of a word)
  // LAB(ping) end
}

static int
get16(const uchar *p)
{
  return (p[0] << 8) | p[1];
}

static void
put16(uchar *p, int v)
{
  p[0] = (v >> 8) & 0xff;
  p[1] = v & 0xff;
}

// The payload bytes every request carries, so replies can be checked.
static uchar
fill(int i)
{
  return (uchar)(0x10 + i);
}

// Send echo request seq to t: 0, or -1 with errno set. ICMPv6's checksum
// is the kernel's to fill in.
static int
sendecho(int fd, struct target *t, int id, int seq, uchar *msg, int size)
{
  msg[0] = t->af == AF_INET6 ? ICMP6_ECHO : ICMP_ECHO;
  msg[1] = 0;
  put16(msg + 2, 0);
  // LAB(ping) begin: the echo request's id, sequence number and payload
  put16(msg + 4, id);
  put16(msg + 6, seq);
  for(int i = 0; i < size; i++)
    msg[ICMP_HDR + i] = fill(i);
  // LAB(ping) stub:
  // // TODO(lab ping): bytes 4-5 the id, 6-7 the sequence number (big-endian:
  // // put16), then size payload bytes fill(i) (RFC 792, "Echo or Echo Reply
  // // Message"). The checksum, computed last over all of it, follows.
  // LAB(ping) end
  // The checksum covers the whole message: computed last. The kernel fills
  // ICMPv6's (its pseudo-header holds addresses only the stack knows, RFC 4443 2.3).
  if(t->af == AF_INET)
    put16(msg + 2, cksum(msg, ICMP_HDR + size));
  if(sendto(fd, msg, ICMP_HDR + size, 0, (struct sockaddr*)&t->sa, t->salen) < 0)
    return -1;
  return 0;
}

// An ICMP error quoting one of our requests (its IP header, then 8 bytes
// of our ICMP header)? Sets pk->seq.
static int
quotesours(const uchar *icmp, int len, int id, struct packet *pk)
{
  const uchar *ip = icmp + ICMP_HDR;
  int ihl;

  if(len < ICMP_HDR + 20 + ICMP_HDR)
    return 0;
  ihl = (ip[0] & 0xf) * 4;
  if(ihl < 20 || len < ICMP_HDR + ihl + ICMP_HDR || ip[9] != IPPROTO_ICMP)
    return 0;
  if(ip[ihl] != ICMP_ECHO || get16(ip + ihl + 4) != id)
    return 0;
  pk->seq = get16(ip + ihl + 6);
  return 1;
}

// Look at a received IPv4 packet of n bytes: ours or not, and what.
static void
classify(const uchar *pkt, int n, int id, struct packet *pk)
{
  const uchar *icmp;
  int ihl;

  pk->kind = PKT_OTHER;
  if(n < 20 || (pkt[0] >> 4) != 4)
    return;
  ihl = (pkt[0] & 0xf) * 4;
  if(ihl < 20 || n < ihl + ICMP_HDR)
    return;
  icmp = pkt + ihl;
  pk->off = ihl;
  pk->ttl = pkt[8];
  pk->icmplen = n - ihl;
  pk->type = icmp[0];
  pk->code = icmp[1];
  // LAB(ping) begin: is it the reply to one of our requests?
  if(pk->type == ICMP_ECHOREPLY && get16(icmp + 4) == id){
    pk->seq = get16(icmp + 6);
    pk->kind = cksum(icmp, pk->icmplen) == 0 ? PKT_REPLY : PKT_BADSUM;
    return;
  }
  // LAB(ping) stub:
  // // TODO(lab ping): an echo reply (type ICMP_ECHOREPLY) whose id is ours: set
  // // pk->seq from it, and pk->kind to PKT_REPLY if its checksum verifies (the
  // // sum over a message with its checksum is 0), else PKT_BADSUM.
  // LAB(ping) end
  if((pk->type == ICMP_UNREACH || pk->type == ICMP_TIMXCEED) &&
     quotesours(icmp, pk->icmplen, id, pk))
    pk->kind = PKT_ERROR;
}

// An ICMPv6 error quoting one of our requests (as much of the invoking
// packet as fits: its IPv6 header, then our ICMPv6 header)? Sets pk->seq.
// Extension headers in the quoted packet are not followed: ours have none.
static int
quotesours6(const uchar *icmp, int len, int id, struct packet *pk)
{
  const uchar *ip6 = icmp + ICMP_HDR;

  if(len < ICMP_HDR + IP6_HDR + ICMP_HDR || (ip6[0] >> 4) != 6 || ip6[6] != IPPROTO_ICMPV6)
    return 0;
  if(ip6[IP6_HDR] != ICMP6_ECHO || get16(ip6 + IP6_HDR + 4) != id)
    return 0;
  pk->seq = get16(ip6 + IP6_HDR + 6);
  return 1;
}

// Look at a received ICMPv6 message of n bytes (no IPv6 header: the socket
// gives the message alone): ours or not, and what.
static void
classify6(const uchar *icmp, int n, int id, struct packet *pk)
{
  pk->kind = PKT_OTHER;
  if(n < ICMP_HDR)
    return;
  pk->off = 0;
  pk->ttl = -1;
  pk->icmplen = n;
  pk->type = icmp[0];
  pk->code = icmp[1];
  if(pk->type == ICMP6_ECHOREPLY && get16(icmp + 4) == id){
    pk->seq = get16(icmp + 6);
    pk->kind = PKT_REPLY;       // the kernel checked the checksum
  } else if((pk->type == ICMP6_UNREACH || pk->type == ICMP6_TIMXCEED ||
             pk->type == ICMP6_TOOBIG) && quotesours6(icmp, n, id, pk)){
    pk->kind = PKT_ERROR;
  }
  // anything else (neighbour discovery, MLD, other pings' replies): not ours
}

// Does the reply carry the payload we sent?
static int
payloadok(const uchar *pkt, int off, int size)
{
  const uchar *data = pkt + off + ICMP_HDR;

  for(int i = 0; i < size; i++)
    if(data[i] != fill(i))
      return 0;
  return 1;
}

// Wait up to timeout_s for a packet answering seq; fill *pk.
// Returns 1 if one came, 0 on timeout, -1 on an error (printed).
static int
awaitreply(int fd, int af, int id, int seq, int timeout_s, uchar *buf, int cap, struct packet *pk)
{
  uint64 deadline = now_us() + (uint64)timeout_s * 1000000;
  struct sockaddr_in6 from;
  socklen_t flen;
  struct timeval tv;
  uint64 left, t;
  int n;

  while((t = now_us()) < deadline){
    left = deadline - t;
    tv.tv_sec = left / 1000000;
    tv.tv_usec = left % 1000000;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    flen = sizeof(from);
    n = recvfrom(fd, buf, cap, 0, (struct sockaddr*)&from, &flen);
    if(n < 0){
      if(errno == EAGAIN)
        return 0;
      fprintf(2, "ping: recvfrom: %s\n", strerror(errno));
      return -1;
    }
    if(af == AF_INET6){
      classify6(buf, n, id, pk);
      inet_ntop(AF_INET6, &from.sin6_addr, pk->from, sizeof(pk->from));
    } else {
      classify(buf, n, id, pk);
      inet_ntop(AF_INET, &((struct sockaddr_in*)&from)->sin_addr, pk->from, sizeof(pk->from));
    }
    if(pk->kind == PKT_BADSUM)
      printf("%d bytes from %s: icmp_seq=%d bad ICMP checksum, ignored\n",
             pk->icmplen, pk->from, pk->seq);
    else if(pk->kind != PKT_OTHER && pk->seq == seq)
      return 1;
  }
  return 0;
}

// "1.234": microseconds as milliseconds with three decimals.
static char*
ms(uint64 us, char *buf, int len)
{
  snprintf(buf, len, "%d.%03d", (int)(us / 1000), (int)(us % 1000));
  return buf;
}

// An ICMPv6 error as Linux's ping words it.
static void
errorline6(struct packet *pk)
{
  static const char *unreach[] = { "No route", "Administratively prohibited",
    "Beyond scope of source address", "Address unreachable", "Port unreachable",
    "Source address failed ingress/egress policy", "Reject route to destination" };
  const char *what = "Destination unreachable: Unknown code";

  if(pk->type == ICMP6_TIMXCEED)
    what = "Time exceeded: Hop limit";
  else if(pk->type == ICMP6_TOOBIG)
    what = "Packet too big";
  else if(pk->code < (int)(sizeof(unreach) / sizeof(unreach[0])))
    what = unreach[pk->code];
  printf("From %s icmp_seq=%d %s%s\n", pk->from, pk->seq,
         pk->type == ICMP6_UNREACH && pk->code < 7 ? "Destination unreachable: " : "", what);
}

static void
errorline(struct packet *pk)
{
  const char *what = "Destination Unreachable";

  if(pk->type == ICMP_TIMXCEED)
    what = "Time to live exceeded";
  else if(pk->code == 0)
    what = "Destination Net Unreachable";
  else if(pk->code == 1)
    what = "Destination Host Unreachable";
  else if(pk->code == 3)
    what = "Destination Port Unreachable";
  printf("From %s icmp_seq=%d %s\n", pk->from, pk->seq, what);
}

// One request and its answer (or timeout); updates st.
static void
pingonce(int fd, struct target *t, int id, int seq, struct options *o, uchar *msg,
         uchar *buf, int cap, struct stats *st)
{
  struct packet pk;
  char hlim[16] = "";
  uint64 t0, rtt;
  char tbuf[24];
  int r;

  t0 = now_us();
  st->sent++;
  if(sendecho(fd, t, id, seq, msg, o->size) < 0){
    fprintf(2, "ping: sendto: %s\n", strerror(errno));
    st->errors++;
    return;
  }
  r = awaitreply(fd, t->af, id, seq, o->timeout_s, buf, cap, &pk);
  rtt = now_us() - t0;
  if(r < 0){
    st->errors++;
  } else if(r == 0){
    printf("no reply from %s for icmp_seq=%d within %d s\n", o->host, seq, o->timeout_s);
  } else if(pk.kind == PKT_ERROR){
    if(t->af == AF_INET6)
      errorline6(&pk);
    else
      errorline(&pk);
    st->errors++;
  } else {
    if(pk.ttl >= 0)
      snprintf(hlim, sizeof(hlim), " ttl=%d", pk.ttl);
    printf("%d bytes from %s: icmp_seq=%d%s time=%s ms%s\n", pk.icmplen,
           pk.from, seq, hlim, ms(rtt, tbuf, sizeof(tbuf)),
           payloadok(buf, pk.off, o->size) && pk.icmplen == ICMP_HDR + o->size ? "" : " (wrong data)");
    st->received++;
    st->sum_us += rtt;
    if(st->received == 1 || rtt < st->min_us)
      st->min_us = rtt;
    if(rtt > st->max_us)
      st->max_us = rtt;
  }
}

static void
summary(const char *host, struct stats *st)
{
  char a[24], b[24], c[24], errs[24] = "", rtt[96] = "";
  int loss = st->sent ? (st->sent - st->received) * 100 / st->sent : 0;

  if(st->errors)
    snprintf(errs, sizeof(errs), "+%d errors, ", st->errors);
  if(st->received)
    snprintf(rtt, sizeof(rtt), ", rtt min/avg/max = %s/%s/%s ms", ms(st->min_us, a, sizeof(a)),
             ms(st->sum_us / st->received, b, sizeof(b)), ms(st->max_us, c, sizeof(c)));
  // one printf, so one write: the summary stays whole next to another ping's output
  printf("--- %s ping statistics ---\n%d packets transmitted, %d received, %s%d%% packet loss%s\n",
         host, st->sent, st->received, errs, loss, rtt);
}

int
main(int argc, char **argv)
{
  static struct target t;
  struct options o;
  struct stats st;
  uchar *msg, *buf;
  uint64 t0, next;
  int fd, id, cap;

  parseargs(argc, argv, &o);
  if(resolve(o.host, o.family, &t) < 0)
    exit(2);
  if(t.af == AF_INET6)
    fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
  else
    fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  if(fd < 0){
    fprintf(2, "ping: socket(%s): %s\n", t.af == AF_INET6 ? "AF_INET6, ICMPv6" : "AF_INET, ICMP",
            strerror(errno));
    exit(2);
  }
  // room for a reply: IP header with options, then the echoed message
  cap = 60 + ICMP_HDR + o.size + 64;
  msg = malloc(ICMP_HDR + o.size);
  buf = malloc(cap);
  if(msg == 0 || buf == 0){
    fprintf(2, "ping: out of memory for %d-byte packets\n", o.size);
    exit(2);
  }
  id = getpid() & 0xffff;
  memset(&st, 0, sizeof(st));
  printf("PING %s (%s): %d data bytes\n", o.host, t.text, o.size);
  for(int seq = 1; seq <= o.count; seq++){
    t0 = now_us();
    pingonce(fd, &t, id, seq & 0xffff, &o, msg, buf, cap, &st);
    next = t0 + (uint64)o.interval_ms * 1000;
    if(seq < o.count && now_us() < next)
      sleep((int)((next - now_us() + 9999) / 10000));
  }
  summary(o.host, &st);
  if(st.received == 0 && st.errors == 0)
    fprintf(2, "ping: %s: no reply\n", o.host);
  close(fd);
  exit(st.received ? 0 : 1);
}
