// http.c: the HTTP/1.1 client behind wttr and httpget (user/http.h).
// One request per connection ("Connection: close"), so a body without
// Content-Length or chunking simply ends when the server closes.
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include "user/netdb.h"
#include "user/http.h"

#define LINEMAX 1024

static int
lower(int c)
{
  return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

// Does s start with prefix, ignoring case? Returns what follows, or 0.
static const char*
skipprefix(const char *s, const char *prefix)
{
  for(; *prefix; s++, prefix++)
    if(lower(*s) != lower(*prefix))
      return 0;
  return s;
}

static const char*
skipspace(const char *s)
{
  while(*s == ' ' || *s == '\t')
    s++;
  return s;
}

// Make sure some unread bytes are buffered. 1, 0 at the server's close,
// -1 with c->err set.
static int
fill(struct http_conn *c)
{
  int n;

  if(c->pos < c->len)
    return 1;
  n = recv(c->fd, c->buf, HTTP_BUFSZ, 0);
  if(n < 0){
    if(errno == EAGAIN)
      snprintf(c->err, sizeof(c->err), "timed out waiting for the server");
    else
      snprintf(c->err, sizeof(c->err), "receive: %s", strerror(errno));
    return -1;
  }
  c->pos = 0;
  c->len = n;
  return n > 0;
}

// Read one line (without CR LF) into line. Its length, or -1 with c->err set.
static int
readline(struct http_conn *c, char *line, int max)
{
  int n = 0, r;
  char ch;

  for(;;){
    if((r = fill(c)) <= 0){
      if(r == 0)
        snprintf(c->err, sizeof(c->err), "connection closed in the middle of the response");
      return -1;
    }
    ch = c->buf[c->pos++];
    if(ch == '\n')
      break;
    if(n + 1 >= max){
      snprintf(c->err, sizeof(c->err), "response line longer than %d bytes", max);
      return -1;
    }
    line[n++] = ch;
  }
  if(n > 0 && line[n-1] == '\r')
    n--;
  line[n] = 0;
  return n;
}

static long
decimal(const char *s)
{
  long v = 0;

  if(*s < '0' || *s > '9')
    return -1;
  for(; *s >= '0' && *s <= '9'; s++)
    if((v = v * 10 + (*s - '0')) > (1L << 40))
      return -1;
  return *skipspace(s) == 0 ? v : -1;
}

// "HTTP/1.1 200 OK"
static int
status_line(struct http_conn *c, const char *line)
{
  const char *p = skipprefix(line, "HTTP/1.");

  if(p == 0 || (*p != '0' && *p != '1') || p[1] != ' ' ||
     p[2] < '1' || p[2] > '5' || p[3] < '0' || p[3] > '9' || p[4] < '0' || p[4] > '9' ||
     (p[5] != ' ' && p[5] != 0)){
    snprintf(c->err, sizeof(c->err), "not an HTTP response: \"%s\"", line);
    return -1;
  }
  c->status = (p[2] - '0') * 100 + (p[3] - '0') * 10 + (p[4] - '0');
  strncpy(c->reason, p[5] ? p + 6 : "", sizeof(c->reason) - 1);
  return 0;
}

static void
header(struct http_conn *c, const char *line)
{
  const char *v;

  if((v = skipprefix(line, "content-length:")) != 0)
    c->length = decimal(skipspace(v));
  else if((v = skipprefix(line, "transfer-encoding:")) != 0)
    c->chunked = skipprefix(skipspace(v), "chunked") != 0;
  else if((v = skipprefix(line, "content-type:")) != 0)
    strncpy(c->ctype, skipspace(v), sizeof(c->ctype) - 1);
  else if((v = skipprefix(line, "location:")) != 0)
    strncpy(c->location, skipspace(v), sizeof(c->location) - 1);
}

// Read the status line and headers (skipping any 100 Continue).
static int
response_head(struct http_conn *c)
{
  static char line[LINEMAX];
  int n, count;

  do {
    if(readline(c, line, sizeof(line)) < 0 || status_line(c, line) < 0)
      return -1;
    for(count = 0; (n = readline(c, line, sizeof(line))) > 0; count++){
      if(count > 100){
        snprintf(c->err, sizeof(c->err), "too many header lines");
        return -1;
      }
      header(c, line);
    }
    if(n < 0)
      return -1;
  } while(c->status == 100);
  if(c->status == 204 || c->status == 304)
    c->done = 1;
  if(c->chunked)
    c->length = -1;           // chunking wins over a Content-Length
  return 0;
}

int
http_get(struct http_conn *c, const char *host, int port, const char *hosthdr,
         const char *path, const char *agent, int timeout_ms)
{
  static char req[1024];
  int n;

  memset(c, 0, sizeof(*c));
  c->length = -1;
  c->chunk_left = -1;
  if((c->fd = dial(host, port, SOCK_STREAM, timeout_ms, c->err, sizeof(c->err))) < 0)
    return -1;
  set_rcvtimeo(c->fd, timeout_ms);
  n = snprintf(req, sizeof(req),
               "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\n"
               "Connection: close\r\n\r\n", path, hosthdr, agent);
  if(n >= (int)sizeof(req)){
    snprintf(c->err, sizeof(c->err), "request too long");
    http_close(c);
    return -1;
  }
  if(send(c->fd, req, n, 0) != n){
    snprintf(c->err, sizeof(c->err), "send: %s", strerror(errno));
    http_close(c);
    return -1;
  }
  if(response_head(c) < 0){
    http_close(c);
    return -1;
  }
  return 0;
}

// Start the next chunk: read its size line (and the trailer after the last).
static int
next_chunk(struct http_conn *c)
{
  static char line[LINEMAX];
  long size = 0;
  int n, d;
  char *p;

  if(c->chunk_left == 0 && readline(c, line, sizeof(line)) != 0){
    snprintf(c->err, sizeof(c->err), "bad chunked encoding (no CRLF after a chunk)");
    return -1;
  }
  if(readline(c, line, sizeof(line)) < 0)
    return -1;
  for(p = line, n = 0; ; p++, n++){
    d = lower(*p);
    if(d >= '0' && d <= '9') d -= '0';
    else if(d >= 'a' && d <= 'f') d -= 'a' - 10;
    else break;
    if(n >= 12){
      snprintf(c->err, sizeof(c->err), "chunk size too large");
      return -1;
    }
    size = size * 16 + d;
  }
  if(n == 0 || (*p != 0 && *p != ';' && *p != ' ')){
    snprintf(c->err, sizeof(c->err), "bad chunk size line \"%s\"", line);
    return -1;
  }
  if(size == 0){
    while((n = readline(c, line, sizeof(line))) > 0)
      ;                       // trailer fields: ignored
    if(n < 0)
      return -1;
    c->done = 1;
  }
  c->chunk_left = size;
  return 0;
}

int
http_read(struct http_conn *c, char *dst, int n)
{
  int r, avail;

  if(c->done || n <= 0)
    return 0;
  if(c->chunked && c->chunk_left <= 0){
    if(next_chunk(c) < 0)
      return -1;
    if(c->done)
      return 0;
  }
  if(c->length >= 0 && c->received >= c->length){
    c->done = 1;
    return 0;
  }
  if((r = fill(c)) <= 0){
    if(r < 0)
      return -1;
    if(c->chunked || c->length >= 0){
      snprintf(c->err, sizeof(c->err), "connection closed after %d of %s bytes",
               (int)c->received, c->chunked ? "the chunked" : "the announced");
      return -1;
    }
    c->done = 1;              // close-delimited body: this is its end
    return 0;
  }
  avail = c->len - c->pos;
  if(n > avail) n = avail;
  if(c->chunked && n > c->chunk_left) n = c->chunk_left;
  if(c->length >= 0 && n > c->length - c->received) n = c->length - c->received;
  memmove(dst, c->buf + c->pos, n);
  c->pos += n;
  c->received += n;
  if(c->chunked)
    c->chunk_left -= n;
  return n;
}

void
http_close(struct http_conn *c)
{
  if(c->fd >= 0)
    close(c->fd);
  c->fd = -1;
}

// A zone in a URL is written %25en0 (RFC 6874): make it %en0.
static void
zone25(char *host)
{
  char *z = strchr(host, '%');

  if(z && z[1] == '2' && z[2] == '5')
    memmove(z + 1, z + 3, strlen(z + 3) + 1);
}

void
http_hosthdr(const char *host, int port, char *out, int len)
{
  char addr[INET6_ADDRSTRLEN];
  const char *z = strchr(host, '%');
  int n = z ? z - host : (int)strlen(host);    // no zone in a Host header

  if(strchr(host, ':') && n < (int)sizeof(addr)){
    memmove(addr, host, n);
    addr[n] = 0;
    snprintf(out, len, port == 80 ? "[%s]" : "[%s]:%d", addr, port);
  } else
    snprintf(out, len, port == 80 ? "%s" : "%s:%d", host, port);
}

int
http_parse_url(const char *url, char *host, int hostlen, int *port,
               char *path, int pathlen, char *err, int errlen)
{
  const char *p = url, *h, *colon = 0;
  int n;

  if(skipprefix(url, "https://")){
    snprintf(err, errlen, "%s: https is not supported (no TLS): use http://", url);
    return -1;
  }
  if((h = skipprefix(url, "http://")) != 0)
    p = h;
  else if((h = strchr(url, ':')) != 0 && skipprefix(h, "://")){
    snprintf(err, errlen, "%s: only http:// URLs are supported", url);
    return -1;
  }
  if(*p == '['){               // an IPv6 literal: http://[2001:db8::1]:8080/
    const char *close = strchr(p, ']');
    struct sockaddr_in6 sa;
    socklen_t salen;
    if(close == 0 || (close[1] && !strchr(":/?", close[1])) || close - p - 1 >= hostlen){
      snprintf(err, errlen, "%s: bad IPv6 address in the URL (want [address])", url);
      return -1;
    }
    h = p + 1;
    n = close - h;
    memmove(host, h, n);
    host[n] = 0;
    zone25(host);
    if(inet_literal(host, 0, &sa, &salen) < 0 || sa.sin6_family != AF_INET6){
      snprintf(err, errlen, "%s: bad IPv6 address in the URL: %s", url, host);
      return -1;
    }
    p = close + 1;
    if(*p == ':')
      colon = p;
    while(*p && *p != '/' && *p != '?')
      p++;
  } else {
    for(h = p; *p && *p != '/' && *p != '?'; p++)
      if(*p == ':')
        colon = p;
    n = (colon ? colon : p) - h;
    if(n <= 0 || n >= hostlen){
      snprintf(err, errlen, "%s: no host name in the URL", url);
      return -1;
    }
    memmove(host, h, n);
    host[n] = 0;
  }
  *port = 80;
  if(colon){
    *port = 0;
    for(colon++; colon < p && *colon >= '0' && *colon <= '9' && *port <= 65535; colon++)
      *port = *port * 10 + (*colon - '0');
    if(colon != p || *port <= 0 || *port > 65535){
      snprintf(err, errlen, "%s: bad port", url);
      return -1;
    }
  }
  if(strlen(p) + 2 > (uint)pathlen){
    snprintf(err, errlen, "%s: URL too long", url);
    return -1;
  }
  if(*p != '/'){
    path[0] = '/';
    strcpy(path + 1, p);
  } else {
    strcpy(path, p);
  }
  return 0;
}
