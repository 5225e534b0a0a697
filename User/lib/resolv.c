// resolv.c: the DNS resolver (RFC 1035), gethostbyname/getaddrinfo and dial().
//
// Why in user space over UDP rather than lwIP's DNS client behind a system
// call: it exercises the socket layer like any other program (sendto,
// recvfrom, SO_RCVTIMEO), it keeps the kernel small (no callbacks or name
// cache in the kernel), and a user can read the whole resolver in one file.
//
// One query for an A record goes to the DHCP-learned server (or the one given
// with res_setserver); a lost answer is retried. Every offset into an answer is
// bounds-checked, compression pointers are followed with a hop limit, and CNAME
// chains are followed to the addresses of the final name.
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
#define C_IN          1

int h_errno;
static in_addr_t chosen_server;
static uchar msg[DNS_MSGMAX];

// A record of the answer section, decoded.
struct rr {
  char owner[NAMEMAX];
  int type;
  char target[NAMEMAX];       // CNAME
  in_addr_t addr;             // A
};
static struct rr rrs[MAXRR];

// gethostbyname's static result.
static char hname[NAMEMAX];
static char aliasbuf[MAXALIASES][NAMEMAX];
static char *aliases[MAXALIASES + 1];
static in_addr_t addrs[MAXADDRS];
static char *addrptrs[MAXADDRS + 1];
static struct hostent host;

// The static hostent for name, with the first naddr of addrptrs (and the
// aliases, 0-terminated by the caller): the one place that fills it.
static struct hostent*
sethost(const char *name, int naddr)
{
  strncpy(hname, name, NAMEMAX - 1);
  addrptrs[naddr] = 0;
  host.h_name = hname;
  host.h_aliases = aliases;
  host.h_addrtype = AF_INET;
  host.h_length = 4;
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
  case NO_DATA: return "name has no IPv4 address";
  case NO_SERVER: return "no DNS server (no network or no DHCP lease)";
  case DNS_TIMEOUT: return "no answer from the DNS server (timeout)";
  case BAD_NAME: return "not a valid host name";
  }
  return "unknown resolver error";
}

void
res_setserver(in_addr_t addr)
{
  chosen_server = addr;
}

int
res_getserver(in_addr_t *addr)
{
  struct netinfo ni;

  if(chosen_server){
    *addr = chosen_server;
    return 0;
  }
  if(netinfo(NETINFO_IF, &ni, 0) < 0 || !ni.up || ni.dns == 0){
    h_errno = NO_SERVER;
    return -1;
  }
  *addr = ni.dns;
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

// Write the query for name's A record into msg. Returns its length, or -1
// if the name is not a valid DNS name.
static int
mkquery(const char *name, uint id)
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
  msg[n++] = 0; msg[n++] = T_A;
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
  if(r->type == T_A){
    if(rdlen != 4)
      return -1;
    memmove(&r->addr, msg + p, 4);
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
parse(int len, uint id, const char *name)
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
  if(getname(len, 12, qname, &next) < 0 || next + 4 > len || !samename(qname, name))
    return -1;
  off = next + 4;
  an = get16(msg + 6);
  for(n = 0, i = 0; i < an && n < MAXRR; i++){
    if(getrr(len, &off, &rrs[n]) < 0)
      break;                  // keep what was whole (e.g. a truncated answer)
    if(rrs[n].type == T_A || rrs[n].type == T_CNAME)
      n++;
  }
  return n;
}

// Follow CNAMEs from name and fill the static hostent. Returns it or 0.
static struct hostent*
collect(const char *name, int n)
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
    if(rrs[i].type == T_A && samename(rrs[i].owner, cur)){
      addrs[na] = rrs[i].addr;
      addrptrs[na] = (char*)&addrs[na];
      na++;
    }
  if(na == 0){
    h_errno = NO_DATA;
    return 0;
  }
  aliases[nal] = 0;
  return sethost(cur, na);
}

// Send the query and wait for the matching answer, retrying on silence.
// Returns the answer's length, or -1 with h_errno set.
static int
exchange(int fd, struct sockaddr_in *srv, int qlen, uint id)
{
  struct sockaddr_in from;
  socklen_t fl;
  int try, n;

  for(try = 0; try < DNS_TRIES; try++){
    if(sendto(fd, msg, qlen, 0, (struct sockaddr*)srv, sizeof(*srv)) != qlen){
      h_errno = NO_RECOVERY;
      return -1;
    }
    for(;;){
      fl = sizeof(from);
      n = recvfrom(fd, msg, sizeof(msg), 0, (struct sockaddr*)&from, &fl);
      if(n < 0)
        break;                // timeout: send again
      // only the server's answer to this query counts
      if(from.sin_addr.s_addr == srv->sin_addr.s_addr &&
         from.sin_port == srv->sin_port && n >= 2 && get16(msg) == id)
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

// Ask the DNS server for name's addresses.
static struct hostent*
query(const char *name)
{
  static uint counter;
  struct sockaddr_in srv;
  int fd, len, n;
  uint id;

  memset(&srv, 0, sizeof(srv));
  srv.sin_family = AF_INET;
  srv.sin_port = htons(DNS_PORT);
  if(res_getserver(&srv.sin_addr.s_addr) < 0)
    return 0;
  // no random source: mix the clock, the process and a counter
  id = (uptime() * 7919 + getpid() * 131 + ++counter * 40503) & 0xffff;
  if((len = mkquery(name, id)) < 0){
    h_errno = BAD_NAME;
    return 0;
  }
  if((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0){
    h_errno = NO_RECOVERY;
    return 0;
  }
  set_rcvtimeo(fd, DNS_WAIT_MS);
  len = exchange(fd, &srv, len, id);
  close(fd);
  if(len < 0 || (n = parse(len, id, name)) < 0)
    return 0;
  return collect(name, n);
}

struct hostent*
gethostbyname(const char *name)
{
  in_addr_t a;

  h_errno = 0;
  if(name == 0 || *name == 0){
    h_errno = HOST_NOT_FOUND;
    return 0;
  }
  if(inet_pton(AF_INET, name, &a) == 1 || strcmp(name, "localhost") == 0){
    if(strcmp(name, "localhost") == 0)
      a = htonl(INADDR_LOOPBACK);
    addrs[0] = a;
    addrptrs[0] = (char*)&addrs[0];
    aliases[0] = 0;
    return sethost(name, 1);
  }
  return query(name);
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
static struct addrinfo*
mkai(in_addr_t a, int port, int type, const char *canon)
{
  struct addrinfo *ai;
  struct sockaddr_in *sa;
  int clen = canon ? strlen(canon) + 1 : 0;

  if((ai = malloc(sizeof(*ai) + sizeof(*sa) + clen)) == 0)
    return 0;
  memset(ai, 0, sizeof(*ai) + sizeof(*sa));
  sa = (struct sockaddr_in*)(ai + 1);
  sa->sin_family = AF_INET;
  sa->sin_port = htons(port);
  sa->sin_addr.s_addr = a;
  ai->ai_family = AF_INET;
  ai->ai_socktype = type;
  ai->ai_protocol = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  ai->ai_addrlen = sizeof(*sa);
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

int
getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
            struct addrinfo **res)
{
  struct hostent *h = 0;
  struct addrinfo *head = 0, **tail = &head, *ai;
  int flags = hints ? hints->ai_flags : 0, type = hints ? hints->ai_socktype : 0;
  int port, i, t;
  in_addr_t a;

  *res = 0;
  if(hints && hints->ai_family != AF_UNSPEC && hints->ai_family != AF_INET)
    return EAI_FAMILY;
  if(type != 0 && type != SOCK_STREAM && type != SOCK_DGRAM)
    return EAI_SOCKTYPE;
  if(node == 0 && service == 0)
    return EAI_NONAME;
  if((port = service_port(service, flags & AI_NUMERICSERV)) < 0)
    return EAI_SERVICE;
  if(node == 0){
    a = (flags & AI_PASSIVE) ? INADDR_ANY : htonl(INADDR_LOOPBACK);
  } else if(flags & AI_NUMERICHOST){
    if(inet_pton(AF_INET, node, &a) != 1)
      return EAI_NONAME;
  } else if((h = gethostbyname(node)) == 0){
    return gai_error(h_errno);
  }
  for(i = 0; h ? h->h_addr_list[i] != 0 : i < 1; i++){
    if(h)
      memmove(&a, h->h_addr_list[i], 4);
    // no socket type asked for: one result for each
    for(t = SOCK_STREAM; t <= SOCK_DGRAM; t++){
      if(type != 0 && t != type)
        continue;
      ai = mkai(a, port, t, (flags & AI_CANONNAME) && head == 0 ?
                (h ? h->h_name : node) : 0);
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
  struct hostent *h;
  struct sockaddr_in sa;
  char text[INET_ADDRSTRLEN];
  int fd, i, err = 0;

  if((h = gethostbyname(host)) == 0){
    snprintf(why, whylen, "%s: %s", host, hstrerror(h_errno));
    return -1;
  }
  for(i = 0; h->h_addr_list[i]; i++){
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    memmove(&sa.sin_addr, h->h_addr_list[i], 4);
    if((fd = socket(AF_INET, type, 0)) < 0){
      snprintf(why, whylen, "socket: %s", strerror(errno));
      return -1;
    }
    if(timeout_ms > 0){
      struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    }
    if(connect(fd, (struct sockaddr*)&sa, sizeof(sa)) == 0)
      return fd;
    err = errno;
    close(fd);
    inet_ntop(AF_INET, &sa.sin_addr, text, sizeof(text));
    snprintf(why, whylen, "%s (%s) port %d: %s", host, text, port, connect_error(err));
  }
  return -1;
}
