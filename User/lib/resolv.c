// resolv.c: the DNS resolver (RFC 1035), gethostbyname/getaddrinfo and dial().
//
// Why in user space over UDP rather than lwIP's DNS client behind a system
// call: it exercises the socket layer like any other program (sendto,
// recvfrom, SO_RCVTIMEO), it keeps the kernel small (no callbacks or name
// cache in the kernel), and a user can read the whole resolver in one file.
//
// One query for an A or AAAA record goes to the DHCP-learned server (or the
// one given with res_setserver): the IPv4 one if there is one, else the IPv6
// one from DHCPv6 or the router's advertisement (over an AF_INET6 socket). A
// lost answer is retried. Every offset into an answer is bounds-checked,
// compression pointers are followed with a hop limit, and CNAME chains are
// followed to the addresses of the final name. A record that does not fit
// the answer, or an address of the wrong length, makes the whole answer
// malformed (NO_RECOVERY), unless the server said it truncated it (TC).
// Built for both user worlds: xv6-style programs (ulib) and POSIX programs
// (User/posix/lib/shared.h gives this file the names it uses there).
#ifdef XV6NET_POSIX
#include "shared.h"
#else
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include "user/netdb.h"
#endif
#include "kernel/../CShims/include/lwip_sock.h"

#include "kernel/../CShims/include/abi/netinfo.h"   // struct netinfo

#define DNS_PORT      53
#define DNS_TRIES     3       // sends of the query
#define DNS_WAIT_MS   2000    // wait for an answer after each send
#define DNS_MSGMAX    1500
#define NAMEMAX       256     // a name as text, with its terminator
#define MAXHOPS       32      // compression pointers followed per name
#define MAXRR         24      // answer records looked at
#define MAXADDRS      8
#define MAXALIASES    4

#define T_A           1
#define T_CNAME       5
#define T_AAAA        28
#define C_IN          1

int h_errno;
static struct sockaddr_in6 chosen_server;   // sin6_family 0: none chosen
static int last_af = AF_INET;               // the family last looked up (messages)
static uchar msg[DNS_MSGMAX];

// A record of the answer section, decoded.
struct rr {
  char owner[NAMEMAX];
  int type;
  char target[NAMEMAX];       // CNAME
  uchar addr[16];             // A (4 bytes) or AAAA (16)
};
static struct rr rrs[MAXRR];

// gethostbyname's static result.
static char hname[NAMEMAX];
static char aliasbuf[MAXALIASES][NAMEMAX];
static char *aliases[MAXALIASES + 1];
static uchar addrs[MAXADDRS][16];
static char *addrptrs[MAXADDRS + 1];
static struct hostent host;

// The static hostent for name, with the first naddr of addrptrs (and the
// aliases, 0-terminated by the caller): the one place that fills it.
static struct hostent*
sethost(const char *name, int naddr, int af)
{
  strncpy(hname, name, NAMEMAX - 1);
  addrptrs[naddr] = 0;
  host.h_name = hname;
  host.h_aliases = aliases;
  host.h_addrtype = af;
  host.h_length = af == AF_INET6 ? 16 : 4;
  host.h_addr_list = addrptrs;
  return &host;
}

const char*
hstrerror(int err)
{
  switch(err){
  case 0: return "no error";
  case HOST_NOT_FOUND: return "name not found";
  case TRY_AGAIN: return "DNS server failure (try again)";
  case NO_RECOVERY: return "DNS query failed (refused or bad answer)";
  case NO_DATA:
    return last_af == AF_INET6 ? "name has no IPv6 address" :
           last_af == AF_INET ? "name has no IPv4 address" : "name has no address";
  case NO_SERVER: return "no DNS server (no network or no DHCP lease)";
  case DNS_TIMEOUT: return "no answer from the DNS server (timeout)";
  case BAD_NAME: return "not a valid host name";
  }
  return "unknown resolver error";
}

void
res_setserver(in_addr_t addr)
{
  memset(&chosen_server, 0, sizeof(chosen_server));
  if(addr){
    struct sockaddr_in *s4 = (struct sockaddr_in*)&chosen_server;
    s4->sin_family = AF_INET;
    s4->sin_port = htons(DNS_PORT);
    s4->sin_addr.s_addr = addr;
  }
}

void
res_setserver6(const struct sockaddr_in6 *sa)
{
  memset(&chosen_server, 0, sizeof(chosen_server));
  if(sa){
    chosen_server = *sa;
    if(chosen_server.sin6_port == 0)
      chosen_server.sin6_port = htons(DNS_PORT);
  }
}

static int
zero16(const uchar *a)
{
  for(int i = 0; i < 16; i++)
    if(a[i])
      return 0;
  return 1;
}

int
res_getserver6(struct sockaddr_in6 *sa, socklen_t *len)
{
  struct netinfo ni;
  struct sockaddr_in *s4 = (struct sockaddr_in*)sa;
  int i;

  memset(sa, 0, sizeof(*sa));
  if(chosen_server.sin6_family){
    *sa = chosen_server;
    *len = sa->sin6_family == AF_INET6 ? sizeof(*sa) : sizeof(*s4);
    return 0;
  }
  // the IPv4 server of the first interface that has one, else an IPv6 one
  for(i = 0; netinfo(NETINFO_IF, &ni, i) == 0; i++)
    if(ni.up && ni.dns){
      s4->sin_family = AF_INET;
      s4->sin_port = htons(DNS_PORT);
      s4->sin_addr.s_addr = ni.dns;
      *len = sizeof(*s4);
      return 0;
    }
  for(i = 0; netinfo(NETINFO_IF, &ni, i) == 0; i++)
    if(ni.up && !zero16(ni.ip6_dns)){
      sa->sin6_family = AF_INET6;
      sa->sin6_port = htons(DNS_PORT);
      memmove(&sa->sin6_addr, ni.ip6_dns, 16);
      if(ni.ip6_dns[0] == 0xfe && (ni.ip6_dns[1] & 0xc0) == 0x80)
        sa->sin6_scope_id = INET_SCOPE_OF(i);   // a link-local server: its interface
      *len = sizeof(*sa);
      return 0;
    }
  h_errno = NO_SERVER;
  return -1;
}

int
res_getserver(in_addr_t *addr)
{
  struct sockaddr_in6 sa;
  socklen_t len;

  if(res_getserver6(&sa, &len) < 0)
    return -1;
  if(sa.sin6_family != AF_INET){
    h_errno = NO_SERVER;       // only an IPv6 one: res_getserver6 gives it
    return -1;
  }
  *addr = ((struct sockaddr_in*)&sa)->sin_addr.s_addr;
  return 0;
}

int
res_prefer_ipv6(void)
{
  struct netinfo ni;

  for(int i = 0; netinfo(NETINFO_IF, &ni, i) == 0; i++)
    for(int j = 0; j < NETINFO_IP6_ADDRS; j++)
      if(ni.ip6[j].state == NETINFO_IP6_PREFERRED &&
         !(ni.ip6[j].addr[0] == 0xfe && (ni.ip6[j].addr[1] & 0xc0) == 0x80))
        return 1;
  return 0;
}

static int
lower(int c)
{
  return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

// DNS names compare without regard to case, and a trailing dot is optional.
static int
samename(const char *a, const char *b)
{
  for(; *a && lower(*a) == lower(*b); a++, b++)
    ;
  if(*a == '.' && a[1] == 0) a++;
  if(*b == '.' && b[1] == 0) b++;
  return *a == 0 && *b == 0;
}

static uint
get16(const uchar *p)
{
  return (p[0] << 8) | p[1];
}

// Write the query for name's record of type qtype (A or AAAA) into msg.
// Returns its length, or -1 if the name is not a valid DNS name.
static int
mkquery(const char *name, uint id, int qtype)
{
  int n = 12, len;
  const char *dot;

  memset(msg, 0, 12);
  msg[0] = id >> 8; msg[1] = id;
  msg[2] = 0x01;              // RD: ask the server to recurse
  msg[5] = 1;                 // one question
  if(strlen(name) > 253 || name[0] == 0)
    return -1;
  while(*name){
    dot = strchr(name, '.');
    len = dot ? dot - name : strlen(name);
    if(len < 1 || len > 63)
      return -1;
    msg[n++] = len;
    memmove(msg + n, name, len);
    n += len;
    name += len;
    if(*name == '.')
      name++;
  }
  msg[n++] = 0;
  msg[n++] = 0; msg[n++] = qtype;
  msg[n++] = 0; msg[n++] = C_IN;
  return n;
}

// Decode the (possibly compressed) name at off into out. *next is the offset
// just after the name where it started. Returns 0, or -1 if malformed.
static int
getname(int len, int off, char *out, int *next)
{
  int n = 0, hops = 0, l;

  *next = -1;
  for(;;){
    if(off >= len)
      return -1;
    l = msg[off];
    if((l & 0xc0) == 0xc0){
      if(off + 1 >= len || ++hops > MAXHOPS)
        return -1;
      if(*next < 0)
        *next = off + 2;
      off = ((l & 0x3f) << 8) | msg[off + 1];
      continue;
    }
    if(l & 0xc0)
      return -1;             // the reserved label types
    if(l == 0)
      break;
    if(off + 1 + l > len || n + l + 2 > NAMEMAX)
      return -1;
    if(n > 0)
      out[n++] = '.';
    memmove(out + n, msg + off + 1, l);
    n += l;
    off += 1 + l;
  }
  if(*next < 0)
    *next = off + 1;
  out[n] = 0;
  return 0;
}

// Decode one answer record at *off into r. Returns 0, or -1 if malformed.
static int
getrr(int len, int *off, struct rr *r)
{
  int p, rdlen;

  if(getname(len, *off, r->owner, &p) < 0 || p + 10 > len)
    return -1;
  r->type = get16(msg + p);
  rdlen = get16(msg + p + 8);
  p += 10;
  if(p + rdlen > len)
    return -1;
  if(get16(msg + p - 8) != C_IN)
    r->type = 0;             // not the Internet class: ignore it
  if(r->type == T_A || r->type == T_AAAA){
    if(rdlen != (r->type == T_A ? 4 : 16))
      return -1;             // an address of the wrong length
    memmove(r->addr, msg + p, rdlen);
  } else if(r->type == T_CNAME){
    int end;
    if(getname(len, p, r->target, &end) < 0 || end > p + rdlen)
      return -1;
  }
  *off = p + rdlen;
  return 0;
}

// Check the answer's header and question, decode its records into rrs.
// Returns the number of records, or -1 with h_errno set.
static int
parse(int len, uint id, const char *name, int qtype)
{
  int off, n, i, an, next;
  char qname[NAMEMAX];

  h_errno = NO_RECOVERY;
  if(len < 12 || get16(msg) != id || !(msg[2] & 0x80) || get16(msg + 4) != 1)
    return -1;
  switch(msg[3] & 0x0f){
  case 0: break;
  case 2: h_errno = TRY_AGAIN; return -1;
  case 3: h_errno = HOST_NOT_FOUND; return -1;
  default: return -1;         // FORMERR, NOTIMP, REFUSED, ...
  }
  if(getname(len, 12, qname, &next) < 0 || next + 4 > len || !samename(qname, name) ||
     get16(msg + next) != qtype)
    return -1;
  off = next + 4;
  an = get16(msg + 6);
  for(n = 0, i = 0; i < an && n < MAXRR; i++){
    if(getrr(len, &off, &rrs[n]) < 0){
      if(msg[2] & 0x02)
        break;                // truncated by the server (TC): keep what was whole
      return -1;              // malformed: believe none of it
    }
    if(rrs[n].type == qtype || rrs[n].type == T_CNAME)
      n++;
  }
  return n;
}

// Follow CNAMEs from name and fill the static hostent. Returns it or 0.
static struct hostent*
collect(const char *name, int n, int qtype)
{
  const char *cur = name;
  int i, hops, na = 0, nal = 0;

  for(hops = 0; hops < 8; hops++){
    for(i = 0; i < n; i++)
      if(rrs[i].type == T_CNAME && samename(rrs[i].owner, cur))
        break;
    if(i == n)
      break;
    if(nal < MAXALIASES){
      strncpy(aliasbuf[nal], cur, NAMEMAX - 1);
      aliases[nal] = aliasbuf[nal];
      nal++;
    }
    cur = rrs[i].target;
  }
  for(i = 0; i < n && na < MAXADDRS; i++)
    if(rrs[i].type == qtype && samename(rrs[i].owner, cur)){
      memmove(addrs[na], rrs[i].addr, 16);
      addrptrs[na] = (char*)addrs[na];
      na++;
    }
  if(na == 0){
    h_errno = NO_DATA;
    return 0;
  }
  aliases[nal] = 0;
  return sethost(cur, na, qtype == T_AAAA ? AF_INET6 : AF_INET);
}

// Is from (what recvfrom gave) the server srv, address and port?
static int
samesource(struct sockaddr_in6 *from, struct sockaddr_in6 *srv)
{
  struct sockaddr_in *f4 = (struct sockaddr_in*)from, *s4 = (struct sockaddr_in*)srv;

  if(from->sin6_family != srv->sin6_family)
    return 0;
  if(srv->sin6_family == AF_INET)
    return f4->sin_addr.s_addr == s4->sin_addr.s_addr && f4->sin_port == s4->sin_port;
  return memcmp(&from->sin6_addr, &srv->sin6_addr, 16) == 0 &&
         from->sin6_port == srv->sin6_port;
}

// Send the query and wait for the matching answer, retrying on silence.
// Returns the answer's length, or -1 with h_errno set.
static int
exchange(int fd, struct sockaddr_in6 *srv, socklen_t slen, int qlen, uint id)
{
  struct sockaddr_in6 from;
  socklen_t fl;
  int try, n;

  for(try = 0; try < DNS_TRIES; try++){
    if(sendto(fd, msg, qlen, 0, (struct sockaddr*)srv, slen) != qlen){
      h_errno = NO_RECOVERY;
      return -1;
    }
    for(;;){
      fl = sizeof(from);
      n = recvfrom(fd, msg, sizeof(msg), 0, (struct sockaddr*)&from, &fl);
      if(n < 0)
        break;                // timeout: send again
      // only the server's answer to this query counts
      if(samesource(&from, srv) && n >= 2 && get16(msg) == id)
        return n;
    }
    if(errno != EAGAIN){
      h_errno = NO_RECOVERY;
      return -1;
    }
  }
  h_errno = DNS_TIMEOUT;
  return -1;
}

// Ask the DNS server for name's addresses of type qtype (A or AAAA).
static struct hostent*
query(const char *name, int qtype)
{
  static uint counter;
  struct sockaddr_in6 srv;
  socklen_t slen;
  int fd, len, n;
  uint id;

  if(res_getserver6(&srv, &slen) < 0)
    return 0;
  // no random source: mix the clock, the process and a counter
  id = (uptime() * 7919 + getpid() * 131 + ++counter * 40503) & 0xffff;
  if((len = mkquery(name, id, qtype)) < 0){
    h_errno = BAD_NAME;
    return 0;
  }
  if((fd = socket(srv.sin6_family, SOCK_DGRAM, 0)) < 0){
    h_errno = NO_RECOVERY;
    return 0;
  }
  set_rcvtimeo(fd, DNS_WAIT_MS);
  len = exchange(fd, &srv, slen, len, id);
  close(fd);
  if(len < 0 || (n = parse(len, id, name, qtype)) < 0)
    return 0;
  return collect(name, n, qtype);
}

struct hostent*
gethostbyname2(const char *name, int af)
{
  static const uchar loop6[16] = { [15] = 1 }, loop4[16] = { 127, 0, 0, 1 };
  uchar a[16];

  h_errno = 0;
  last_af = af;
  if(af != AF_INET && af != AF_INET6){
    h_errno = NO_RECOVERY;
    return 0;
  }
  if(name == 0 || *name == 0){
    h_errno = HOST_NOT_FOUND;
    return 0;
  }
  if(samename(name, "localhost")){
    memmove(a, af == AF_INET6 ? loop6 : loop4, 16);
  } else if(inet_pton(af, name, a) != 1){
    if(inet_pton(af == AF_INET ? AF_INET6 : AF_INET, name, a) == 1){
      h_errno = NO_DATA;       // the other family's address: nothing to ask
      return 0;
    }
    if(strchr(name, ':') || strchr(name, '%')){
      h_errno = BAD_NAME;      // a malformed IPv6 literal: no DNS name has a colon
      return 0;
    }
    return query(name, af == AF_INET6 ? T_AAAA : T_A);
  }
  memmove(addrs[0], a, 16);
  addrptrs[0] = (char*)addrs[0];
  aliases[0] = 0;
  return sethost(name, 1, af);
}

struct hostent*
gethostbyname(const char *name)
{
  return gethostbyname2(name, AF_INET);
}

int
set_rcvtimeo(int fd, int ms)
{
  struct timeval tv;

  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

// ---- getaddrinfo ---------------------------------------------------------------

static const struct {
  const char *name;
  int port;
} services[] = {
  {"daytime", 13}, {"domain", 53}, {"http", 80}, {"echo", 7}, {"discard", 9},
};

// A service name or number into a port (host order), or -1.
static int
service_port(const char *s, int numeric)
{
  int i, p = 0;

  if(s == 0)
    return 0;
  if(*s >= '0' && *s <= '9'){
    for(; *s >= '0' && *s <= '9'; s++)
      if((p = p * 10 + (*s - '0')) > 65535)
        return -1;
    return *s == 0 ? p : -1;
  }
  if(numeric)
    return -1;
  for(i = 0; i < (int)(sizeof(services) / sizeof(services[0])); i++)
    if(strcmp(s, services[i].name) == 0)
      return services[i].port;
  return -1;
}

// One result: the addrinfo, its address and (optionally) its name in one block.
// a is 4 (AF_INET) or 16 (AF_INET6) bytes in network order.
static struct addrinfo*
mkai(int af, const uchar *a, uint32_t scope, int port, int type, const char *canon)
{
  struct addrinfo *ai;
  struct sockaddr_in6 *sa;     // room for either family
  int clen = canon ? strlen(canon) + 1 : 0;

  if((ai = malloc(sizeof(*ai) + sizeof(*sa) + clen)) == 0)
    return 0;
  memset(ai, 0, sizeof(*ai) + sizeof(*sa));
  sa = (struct sockaddr_in6*)(ai + 1);
  if(af == AF_INET6){
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(port);
    memmove(&sa->sin6_addr, a, 16);
    sa->sin6_scope_id = scope;
    ai->ai_addrlen = sizeof(struct sockaddr_in6);
  } else {
    struct sockaddr_in *s4 = (struct sockaddr_in*)sa;
    s4->sin_family = AF_INET;
    s4->sin_port = htons(port);
    memmove(&s4->sin_addr, a, 4);
    ai->ai_addrlen = sizeof(struct sockaddr_in);
  }
  ai->ai_family = af;
  ai->ai_socktype = type;
  ai->ai_protocol = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  ai->ai_addr = (struct sockaddr*)sa;
  if(canon){
    ai->ai_canonname = (char*)(sa + 1);
    strcpy(ai->ai_canonname, canon);
  }
  return ai;
}

static int
gai_error(int herr)
{
  switch(herr){
  case HOST_NOT_FOUND: case BAD_NAME: return EAI_NONAME;
  case NO_DATA: return EAI_NODATA;
  case TRY_AGAIN: case DNS_TIMEOUT: return EAI_AGAIN;
  }
  return EAI_FAIL;
}

// The addresses getaddrinfo found for a node, in the order to try them.
#define MAXFOUND (2 * MAXADDRS)
static struct {
  int n;
  int af[MAXFOUND];
  uchar a[MAXFOUND][16];
  uint32_t scope[MAXFOUND];
  char canon[NAMEMAX];
} found;

static void
addfound(int af, const uchar *a, uint32_t scope)
{
  if(found.n == MAXFOUND)
    return;
  found.af[found.n] = af;
  memset(found.a[found.n], 0, 16);
  memmove(found.a[found.n], a, af == AF_INET6 ? 16 : 4);
  found.scope[found.n] = scope;
  found.n++;
}

// a (4 bytes) as ::ffff:a.b.c.d (AI_V4MAPPED).
static void
addmapped(const uchar *a)
{
  uchar m[16] = { [10] = 0xff, [11] = 0xff };

  memmove(m + 12, a, 4);
  addfound(AF_INET6, m, 0);
}

// Does any interface have an IPv6 address beyond link-local (AI_ADDRCONFIG)?
static int
have_ipv6(void)
{
  struct netinfo ni;

  for(int i = 0; netinfo(NETINFO_IF, &ni, i) == 0; i++)
    for(int j = 0; j < NETINFO_IP6_ADDRS; j++)
      if((ni.ip6[j].state == NETINFO_IP6_PREFERRED || ni.ip6[j].state == NETINFO_IP6_DEPRECATED) &&
         !(ni.ip6[j].addr[0] == 0xfe && (ni.ip6[j].addr[1] & 0xc0) == 0x80))
        return 1;
  return 0;
}

// Look node up for one family (a literal or "localhost" without a query).
// Adds what it finds (mapped to IPv6 if mapped); 0, or an h_errno value.
static int
lookup(const char *node, int af, int mapped)
{
  struct hostent *h;

  if((h = gethostbyname2(node, af)) == 0)
    return h_errno;
  if(found.canon[0] == 0)
    strncpy(found.canon, h->h_name, NAMEMAX - 1);
  for(int i = 0; h->h_addr_list[i]; i++){
    if(mapped)
      addmapped((uchar*)h->h_addr_list[i]);
    else
      addfound(af, (uchar*)h->h_addr_list[i], 0);
  }
  return 0;
}

// The worse of two lookups' failures: a name that does not exist, or a
// server failure, says more than "no address of this family".
static int
worse(int a, int b)
{
  if(a == 0 || a == NO_DATA)
    return b ? b : a;
  return a;
}

// Resolve a name for the hints' family. 0, or an EAI_ value.
static int
resolve_name(const char *node, int family, int flags)
{
  int first, second, e1, e2 = 0, mapped;

  if(family == AF_INET)
    return (e1 = lookup(node, AF_INET, 0)) ? (h_errno = e1, gai_error(e1)) : 0;
  if(family == AF_INET6){
    mapped = flags & AI_V4MAPPED;
    e1 = lookup(node, AF_INET6, 0);
    if(mapped && (e1 == NO_DATA || (flags & AI_ALL)))
      e2 = lookup(node, AF_INET, 1);
    h_errno = found.n ? 0 : worse(e1, e2);
    return found.n ? 0 : gai_error(h_errno);
  }
  // AF_UNSPEC: both, IPv6 first when this host has a preferred global IPv6
  // address to reach it from (RFC 6724's gist), else IPv4 first.
  first = res_prefer_ipv6() ? AF_INET6 : AF_INET;
  second = first == AF_INET6 ? AF_INET : AF_INET6;
  e1 = lookup(node, first, 0);
  if(second == AF_INET || !(flags & AI_ADDRCONFIG) || have_ipv6() || samename(node, "localhost"))
    e2 = lookup(node, second, 0);
  else
    e2 = NO_DATA;
  last_af = AF_UNSPEC;
  h_errno = found.n ? 0 : worse(e1, e2);
  return found.n ? 0 : gai_error(h_errno);
}

// A node that is an address: found as itself. 0, or an EAI_ value.
static int
resolve_literal(const char *node, int family, int flags)
{
  struct sockaddr_in6 sa;
  socklen_t len;

  if(inet_literal(node, 0, &sa, &len) < 0)
    return 1;                    // not a literal
  if(sa.sin6_family == AF_INET6){
    if(family == AF_INET)
      return EAI_ADDRFAMILY;
    addfound(AF_INET6, sa.sin6_addr.s6_addr, sa.sin6_scope_id);
  } else if(family == AF_INET6){
    if(!(flags & AI_V4MAPPED))
      return EAI_ADDRFAMILY;
    addmapped((uchar*)&((struct sockaddr_in*)&sa)->sin_addr);
  } else {
    addfound(AF_INET, (uchar*)&((struct sockaddr_in*)&sa)->sin_addr, 0);
  }
  strncpy(found.canon, node, NAMEMAX - 1);
  return 0;
}

// No node: the wildcard (AI_PASSIVE) or the loopback address.
static void
resolve_none(int family, int passive)
{
  static const uchar any[16], loop6[16] = { [15] = 1 }, loop4[4] = { 127, 0, 0, 1 };

  if(family != AF_INET6)
    addfound(AF_INET, passive ? any : loop4, 0);
  if(family != AF_INET)
    addfound(AF_INET6, passive ? any : loop6, 0);
}

int
getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
            struct addrinfo **res)
{
  struct addrinfo *head = 0, **tail = &head, *ai;
  int flags = hints ? hints->ai_flags : 0, type = hints ? hints->ai_socktype : 0;
  int family = hints ? hints->ai_family : AF_UNSPEC;
  int port, i, t, e;

  *res = 0;
  if(family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
    return EAI_FAMILY;
  if(type != 0 && type != SOCK_STREAM && type != SOCK_DGRAM)
    return EAI_SOCKTYPE;
  if(node == 0 && service == 0)
    return EAI_NONAME;
  if((port = service_port(service, flags & AI_NUMERICSERV)) < 0)
    return EAI_SERVICE;
  memset(&found, 0, sizeof(found));
  if(node == 0)
    resolve_none(family, flags & AI_PASSIVE);
  else if((e = resolve_literal(node, family, flags)) == 1)
    e = (flags & AI_NUMERICHOST) ? EAI_NONAME : resolve_name(node, family, flags);
  if(node && e != 0)
    return e;
  for(i = 0; i < found.n; i++){
    // no socket type asked for: one result for each
    for(t = SOCK_STREAM; t <= SOCK_DGRAM; t++){
      if(type != 0 && t != type)
        continue;
      ai = mkai(found.af[i], found.a[i], found.scope[i], port, t,
                (flags & AI_CANONNAME) && head == 0 ? (node ? found.canon : "localhost") : 0);
      if(ai == 0){
        freeaddrinfo(head);
        return EAI_MEMORY;
      }
      *tail = ai;
      tail = &ai->ai_next;
    }
  }
  *res = head;
  return 0;
}

void
freeaddrinfo(struct addrinfo *ai)
{
  struct addrinfo *next;

  for(; ai; ai = next){
    next = ai->ai_next;
    free(ai);
  }
}

const char*
gai_strerror(int err)
{
  switch(err){
  case 0: return "Success";
  case EAI_BADFLAGS: return "Bad value for ai_flags";
  case EAI_NONAME: return "Name or service not known";
  case EAI_AGAIN: return "Temporary failure in name resolution";
  case EAI_FAIL: return "Non-recoverable failure in name resolution";
  case EAI_NODATA: return "No address associated with hostname";
  case EAI_FAMILY: return "ai_family not supported";
  case EAI_SOCKTYPE: return "ai_socktype not supported";
  case EAI_SERVICE: return "Service not supported for ai_socktype";
  case EAI_MEMORY: return "Memory allocation failure";
  case EAI_ADDRFAMILY: return "Address family for hostname not supported";
  }
  return "Unknown getaddrinfo error";
}

// ---- dial ----------------------------------------------------------------------

// A connect failure as a message; a timeout shows up as EAGAIN from the
// socket layer when SO_SNDTIMEO bounds connect.
static const char*
connect_error(int err)
{
  if(err == EAGAIN || err == ETIMEDOUT)
    return "connection timed out";
  if(err == ECONNREFUSED)
    return "connection refused";
  return strerror(err);
}

int
dial(const char *host, int port, int type, int timeout_ms, char *why, int whylen)
{
  struct addrinfo hints, *res, *ai;
  struct sockaddr_in6 *s6;
  char text[INET6_ADDRSTRLEN], service[8];
  int fd, e, err = 0, literal;

  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = type;
  hints.ai_flags = AI_ADDRCONFIG;
  snprintf(service, sizeof(service), "%d", port);
  if((e = getaddrinfo(host, service, &hints, &res)) != 0){
    snprintf(why, whylen, "%s: %s", host,
             e == EAI_MEMORY ? "out of memory" : hstrerror(h_errno));
    return -1;
  }
  // in getaddrinfo's order; the last failure is the one reported
  for(ai = res; ai; ai = ai->ai_next){
    s6 = (struct sockaddr_in6*)ai->ai_addr;
    if((fd = socket(ai->ai_family, type, 0)) < 0){
      err = errno;
    } else {
      if(timeout_ms > 0){
        struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
      }
      if(connect(fd, ai->ai_addr, ai->ai_addrlen) == 0){
        freeaddrinfo(res);
        return fd;
      }
      err = errno;
      close(fd);
    }
    if(ai->ai_family == AF_INET6){
      inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
      literal = strcmp(text, host) == 0 || strchr(host, ':') != 0;
      if(literal)
        snprintf(why, whylen, "[%s]:%d: %s", text, port, connect_error(err));
      else
        snprintf(why, whylen, "%s ([%s]:%d): %s", host, text, port, connect_error(err));
    } else {
      inet_ntop(AF_INET, &((struct sockaddr_in*)s6)->sin_addr, text, sizeof(text));
      snprintf(why, whylen, "%s (%s) port %d: %s", host, text, port, connect_error(err));
    }
  }
  freeaddrinfo(res);
  return -1;
}
