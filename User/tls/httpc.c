// httpc.c: the HTTP/1.1 client behind httpget and wttr (httpc.h), over plain
// TCP or verified TLS. Builds for the guest (the C library and the POSIX layer) and
// for the host (the host tests run httpget against Python servers).
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "httpc.h"
#include "tls.h"

#ifdef __riscv
// The guest's resolver (User/lib/resolv.c) says why a name failed in h_errno.
const char *hstrerror(int err);
#endif

#define LINEMAX 1024

static const char*
skipprefix(const char *s, const char *prefix)
{
  size_t n = strlen(prefix);

  return strncasecmp(s, prefix, n) == 0 ? s + n : NULL;
}

static const char*
skipspace(const char *s)
{
  while(*s == ' ' || *s == '\t')
    s++;
  return s;
}

// ---------------------------------------------------------------- URLs

// A zone in a URL is written %25en0 (RFC 6874): make it %en0.
static void
zone25(char *host)
{
  char *z = strchr(host, '%');

  if(z && z[1] == '2' && z[2] == '5')
    memmove(z + 1, z + 3, strlen(z + 3) + 1);
}

int
httpc_parse_url(const char *url, struct httpc_url *u, char *err, size_t errlen)
{
  const char *p = url, *h, *colon = NULL;
  size_t n;

  memset(u, 0, sizeof *u);
  if((h = skipprefix(url, "https://")) != NULL){
    u->https = 1;
    p = h;
  } else if((h = skipprefix(url, "http://")) != NULL)
    p = h;
  else if((h = strchr(url, ':')) != NULL && strncmp(h, "://", 3) == 0){
    snprintf(err, errlen, "%s: only http:// and https:// URLs are supported", url);
    return -1;
  }
  if(*p == '['){               // an IPv6 literal: http://[2001:db8::1]:8080/
    const char *close = strchr(p, ']');
    char addr[64], *z;
    unsigned char bin[16];
    if(close == NULL || (close[1] && !strchr(":/?", close[1])) ||
       (size_t)(close - p - 1) >= sizeof u->host || close == p + 1){
      snprintf(err, errlen, "%s: bad IPv6 address in the URL (want [address])", url);
      return -1;
    }
    h = p + 1;
    n = close - h;
    memcpy(u->host, h, n);
    u->host[n] = 0;
    zone25(u->host);
    snprintf(addr, sizeof addr, "%s", u->host);
    if((z = strchr(addr, '%')) != NULL)
      *z = 0;
    if(inet_pton(AF_INET6, addr, bin) != 1){
      snprintf(err, errlen, "%s: bad IPv6 address in the URL: %s", url, u->host);
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
    if(n == 0 || n >= sizeof u->host){
      snprintf(err, errlen, "%s: no host name in the URL", url);
      return -1;
    }
    memcpy(u->host, h, n);
    u->host[n] = 0;
  }
  u->port = u->https ? 443 : 80;
  if(colon){
    u->port = 0;
    for(colon++; colon < p && *colon >= '0' && *colon <= '9' && u->port <= 65535; colon++)
      u->port = u->port * 10 + (*colon - '0');
    if(colon != p || u->port <= 0 || u->port > 65535){
      snprintf(err, errlen, "%s: bad port", url);
      return -1;
    }
  }
  if(strlen(p) + 2 > sizeof u->path){
    snprintf(err, errlen, "%s: URL too long", url);
    return -1;
  }
  snprintf(u->path, sizeof u->path, "%s%s", *p == '/' ? "" : "/", p);
  return 0;
}

void
httpc_hosthdr(const char *host, int port, int https, char *out, size_t len)
{
  const char *z = strchr(host, '%');
  int n = z ? (int)(z - host) : (int)strlen(host);    // no zone in a Host header
  int dflt = port == (https ? 443 : 80);

  if(strchr(host, ':')){
    if(dflt)
      snprintf(out, len, "[%.*s]", n, host);
    else
      snprintf(out, len, "[%.*s]:%d", n, host, port);
  } else if(dflt)
    snprintf(out, len, "%s", host);
  else
    snprintf(out, len, "%s:%d", host, port);
}

// ---------------------------------------------------------------- connecting

static const char*
connect_error(int err)
{
  if(err == EAGAIN || err == ETIMEDOUT || err == EINPROGRESS || err == EWOULDBLOCK)
    return "connection timed out";
  if(err == ECONNREFUSED)
    return "connection refused";
  return strerror(err);
}

int
httpc_dial(const char *host, int port, int timeout_ms, char *why, size_t whylen)
{
  struct addrinfo hints, *res, *ai;
  char text[INET6_ADDRSTRLEN], service[8];
  int fd, e, err = 0;

  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;      // IPv6 and IPv4 addresses, in the resolver's order
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  snprintf(service, sizeof service, "%d", port);
  if((e = getaddrinfo(host, service, &hints, &res)) != 0){
#ifdef __riscv
    snprintf(why, whylen, "%s: %s", host, e == EAI_MEMORY ? "out of memory" : hstrerror(h_errno));
#else
    snprintf(why, whylen, "%s: %s", host, e == EAI_NONAME ? "name not found" : gai_strerror(e));
#endif
    return -1;
  }
  snprintf(why, whylen, "%s: no address", host);
  for(ai = res; ai; ai = ai->ai_next){
    if((fd = socket(ai->ai_family, SOCK_STREAM, 0)) < 0){
      err = errno;
    } else {
      if(timeout_ms > 0){
        struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      }
      if(connect(fd, ai->ai_addr, ai->ai_addrlen) == 0){
        struct timeval none = { 0, 0 };
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof none);
        freeaddrinfo(res);
        return fd;
      }
      err = errno;
      close(fd);
    }
    if(ai->ai_family == AF_INET6){
      inet_ntop(AF_INET6, &((struct sockaddr_in6*)ai->ai_addr)->sin6_addr, text, sizeof text);
      if(strcmp(text, host) == 0 || strchr(host, ':'))
        snprintf(why, whylen, "[%s]:%d: %s", text, port, connect_error(err));
      else
        snprintf(why, whylen, "%s ([%s]:%d): %s", host, text, port, connect_error(err));
    } else {
      inet_ntop(AF_INET, &((struct sockaddr_in*)ai->ai_addr)->sin_addr, text, sizeof text);
      snprintf(why, whylen, "%s (%s) port %d: %s", host, text, port, connect_error(err));
    }
  }
  freeaddrinfo(res);
  return -1;
}

// ---------------------------------------------------------------- transport

static int timeout_of(const struct httpc_opts *o) { return o->timeout_ms > 0 ? o->timeout_ms : 15000; }

static int
sendall(struct httpc *c, const char *buf, size_t n)
{
  ssize_t w;

  if(c->t){
    if(tls_write(c->t, buf, n) < 0){
      snprintf(c->err, sizeof c->err, "send: %s", tls_error());
      return -1;
    }
    return 0;
  }
  while(n > 0){
    if((w = send(c->fd, buf, n, 0)) <= 0){
      snprintf(c->err, sizeof c->err, "send: %s", strerror(errno));
      return -1;
    }
    buf += w;
    n -= w;
  }
  return 0;
}

// Make sure some unread bytes are buffered. 1, 0 at the server's close,
// -1 with c->err set.
static int
fill(struct httpc *c)
{
  ssize_t n;

  if(c->pos < c->len)
    return 1;
  if(c->t){
    if((n = tls_read(c->t, c->buf, sizeof c->buf)) < 0){
      snprintf(c->err, sizeof c->err, "%s", tls_error());
      return -1;
    }
  } else if((n = recv(c->fd, c->buf, sizeof c->buf, 0)) < 0){
    if(errno == EAGAIN || errno == EWOULDBLOCK)
      snprintf(c->err, sizeof c->err, "timed out waiting for the server");
    else
      snprintf(c->err, sizeof c->err, "receive: %s", strerror(errno));
    return -1;
  }
  c->pos = 0;
  c->len = n;
  return n > 0;
}

// One line (without CR LF) into line. Its length, or -1 with c->err set.
static int
readline(struct httpc *c, char *line, int max)
{
  int n = 0, r;
  char ch;

  for(;;){
    if((r = fill(c)) <= 0){
      if(r == 0)
        snprintf(c->err, sizeof c->err, "connection closed in the middle of the response");
      return -1;
    }
    ch = c->buf[c->pos++];
    if(ch == '\n')
      break;
    if(n + 1 >= max){
      snprintf(c->err, sizeof c->err, "response line longer than %d bytes", max);
      return -1;
    }
    line[n++] = ch;
  }
  if(n > 0 && line[n-1] == '\r')
    n--;
  line[n] = 0;
  return n;
}

// ---------------------------------------------------------------- the response

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
status_line(struct httpc *c, const char *line)
{
  const char *p = skipprefix(line, "HTTP/1.");

  if(p == NULL || (*p != '0' && *p != '1') || p[1] != ' ' ||
     p[2] < '1' || p[2] > '5' || p[3] < '0' || p[3] > '9' || p[4] < '0' || p[4] > '9' ||
     (p[5] != ' ' && p[5] != 0)){
    snprintf(c->err, sizeof c->err, "not an HTTP response: \"%.80s\"", line);
    return -1;
  }
  c->status = (p[2] - '0') * 100 + (p[3] - '0') * 10 + (p[4] - '0');
  snprintf(c->reason, sizeof c->reason, "%s", p[5] ? p + 6 : "");
  return 0;
}

static void
header(struct httpc *c, const char *line)
{
  const char *v;

  if((v = skipprefix(line, "content-length:")) != NULL)
    c->length = decimal(skipspace(v));
  else if((v = skipprefix(line, "transfer-encoding:")) != NULL)
    c->chunked = skipprefix(skipspace(v), "chunked") != NULL;
  else if((v = skipprefix(line, "location:")) != NULL)
    snprintf(c->location, sizeof c->location, "%s", skipspace(v));
}

// The status line and headers (skipping any 100 Continue).
static int
response_head(struct httpc *c)
{
  static char line[LINEMAX];
  int n, count;

  do {
    if(readline(c, line, sizeof line) < 0 || status_line(c, line) < 0)
      return -1;
    for(count = 0; (n = readline(c, line, sizeof line)) > 0; count++){
      if(count > 100){
        snprintf(c->err, sizeof c->err, "too many header lines");
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
httpc_get(struct httpc *c, const struct httpc_url *u, const char *hosthdr,
          const struct httpc_opts *o)
{
  static char req[1500];
  const char *v;
  int n, ms = timeout_of(o);

  memset(c, 0, sizeof *c);
  c->length = -1;
  c->chunk_left = -1;
  c->fd = -1;
  if((c->fd = httpc_dial(u->host, u->port, ms, c->err, sizeof c->err)) < 0)
    return -1;
  if(u->https){
    tls_set_timeout(NULL, ms);
    if((c->t = tls_client(c->fd, u->host, o->cafile, o->insecure ? TLS_INSECURE : 0)) == NULL){
      snprintf(c->err, sizeof c->err, "%s", tls_error());
      httpc_close(c);
      return -1;
    }
    if(o->insecure){
      if((v = tls_verify_error(c->t)) != NULL)
        fprintf(stderr, "%s: warning: -k: using a certificate that fails verification (%s): "
                "this connection is not authenticated\n", o->prog, v);
      else
        fprintf(stderr, "%s: warning: -k: certificate verification is not enforced "
                "(this one passed)\n", o->prog);
    }
  } else {
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  n = snprintf(req, sizeof req,
               "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\n"
               "Connection: close\r\n\r\n", u->path, hosthdr, o->agent);
  if(n >= (int)sizeof req){
    snprintf(c->err, sizeof c->err, "request too long");
    httpc_close(c);
    return -1;
  }
  if(sendall(c, req, n) < 0 || response_head(c) < 0){
    httpc_close(c);
    return -1;
  }
  return 0;
}

// Start the next chunk: read its size line (and the trailer after the last).
static int
next_chunk(struct httpc *c)
{
  static char line[LINEMAX];
  long size = 0;
  int n, d;
  char *p;

  if(c->chunk_left == 0 && readline(c, line, sizeof line) != 0){
    snprintf(c->err, sizeof c->err, "bad chunked encoding (no CRLF after a chunk)");
    return -1;
  }
  if(readline(c, line, sizeof line) < 0)
    return -1;
  for(p = line, n = 0; ; p++, n++){
    d = *p;
    if(d >= '0' && d <= '9') d -= '0';
    else if(d >= 'a' && d <= 'f') d -= 'a' - 10;
    else if(d >= 'A' && d <= 'F') d -= 'A' - 10;
    else break;
    if(n >= 12){
      snprintf(c->err, sizeof c->err, "chunk size too large");
      return -1;
    }
    size = size * 16 + d;
  }
  if(n == 0 || (*p != 0 && *p != ';' && *p != ' ')){
    snprintf(c->err, sizeof c->err, "bad chunk size line \"%.60s\"", line);
    return -1;
  }
  if(size == 0){
    while((n = readline(c, line, sizeof line)) > 0)
      ;                       // trailer fields: ignored
    if(n < 0)
      return -1;
    c->done = 1;
  }
  c->chunk_left = size;
  return 0;
}

ssize_t
httpc_read(struct httpc *c, void *dst, size_t want)
{
  long n, avail;
  int r;

  if(c->done || want == 0)
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
      snprintf(c->err, sizeof c->err, "connection closed after %ld of %s bytes",
               c->received, c->chunked ? "the chunked" : "the announced");
      return -1;
    }
    c->done = 1;              // a close-delimited body: this is its end
    return 0;
  }
  n = want;
  avail = c->len - c->pos;
  if(n > avail) n = avail;
  if(c->chunked && n > c->chunk_left) n = c->chunk_left;
  if(c->length >= 0 && n > c->length - c->received) n = c->length - c->received;
  memcpy(dst, c->buf + c->pos, n);
  c->pos += n;
  c->received += n;
  if(c->chunked)
    c->chunk_left -= n;
  return n;
}

void
httpc_close(struct httpc *c)
{
  if(c->t){
    tls_close(c->t);
    c->t = NULL;
  }
  if(c->fd >= 0)
    close(c->fd);
  c->fd = -1;
}
