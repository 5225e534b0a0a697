// tlsget: fetch an https:// URL over verified TLS (the tls library, User/tls/).
//
//   tlsget [--cacert FILE] [-k] [-v] [-t SECONDS] URL [-o FILE]
//
// --cacert FILE  trust the CA certificates in FILE instead of the system bundle
// -k             do not refuse a certificate that fails verification (a warning
//                saying so, and why it would have failed, is printed every time)
// -v             the protocol, cipher suite and mbedTLS's peak heap on stderr
// -t SECONDS     how long to wait for the server at any point (default 30)
// -o FILE        write the body to FILE instead of standard output
//
// HTTP/1.1 GET with Connection: close; a Content-Length, chunked or
// until-close body. Exit status 0 for a 2xx answer, 1 for any failure (a
// message on stderr naming it), 2 for bad usage. Also builds on a Linux host
// (the host tests' twin, Tests/tls/).
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls.h"

struct url {
  char host[256];
  char port[8];
  char path[1024];
};

// Buffered reading over the TLS connection.
struct in {
  struct tls *t;
  char buf[4096];
  int at, n;
};

static void
usage(void)
{
  fprintf(stderr, "usage: tlsget [--cacert FILE] [-k] [-v] [-t SECONDS] https://HOST[:PORT]/PATH [-o FILE]\n");
  exit(2);
}

// https://host[:port][/path], host possibly [an IPv6 literal].
static int
parse_url(const char *s, struct url *u)
{
  const char *h, *end, *colon;
  size_t len;

  if(strncmp(s, "https://", 8) != 0)
    return -1;
  h = s + 8;
  end = h + strcspn(h, "/?#");
  if(*h == '['){
    if((colon = memchr(h, ']', end - h)) == NULL)
      return -1;
    len = colon - h - 1;
    h++;
    colon++;
    if(colon < end && *colon != ':')
      return -1;
  } else {
    colon = memchr(h, ':', end - h);
    len = (colon ? colon : end) - h;
  }
  if(len == 0 || len >= sizeof u->host)
    return -1;
  memcpy(u->host, h, len);
  u->host[len] = 0;
  if(colon && colon < end && *colon == ':'){
    len = end - colon - 1;
    if(len == 0 || len >= sizeof u->port || strspn(colon + 1, "0123456789") < len)
      return -1;
    memcpy(u->port, colon + 1, len);
    u->port[len] = 0;
  } else
    strcpy(u->port, "443");
  snprintf(u->path, sizeof u->path, "%s%s", *end == '/' ? "" : "/", end);
  return 0;
}

static int
dial(const struct url *u)
{
  struct addrinfo hints, *res, *ai;
  int fd = -1, err;

  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if((err = getaddrinfo(u->host, u->port, &hints, &res)) != 0){
    fprintf(stderr, "tlsget: %s: %s\n", u->host, gai_strerror(err));
    return -1;
  }
  for(ai = res; ai != NULL; ai = ai->ai_next){
    if((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) < 0)
      continue;
    if(connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
      break;
    err = errno;
    close(fd);
    fd = -1;
    errno = err;
  }
  if(fd < 0)
    fprintf(stderr, "tlsget: connect to %s port %s: %s\n", u->host, u->port, strerror(errno));
  freeaddrinfo(res);
  return fd;
}

// One byte, or -1 at the end (or an error: tls_error()), -2 on error.
static int
getbyte(struct in *in)
{
  if(in->at == in->n){
    in->n = tls_read(in->t, in->buf, sizeof in->buf);
    in->at = 0;
    if(in->n <= 0){
      int r = in->n < 0 ? -2 : -1;
      in->n = 0;
      return r;
    }
  }
  return (unsigned char)in->buf[in->at++];
}

// A line without its CRLF; -1 at the end or if longer than n.
static int
getline_crlf(struct in *in, char *line, int n)
{
  int c, len = 0;

  while((c = getbyte(in)) >= 0 && c != '\n'){
    if(len + 1 >= n)
      return -1;
    line[len++] = c;
  }
  if(c < 0)
    return -1;
  if(len > 0 && line[len - 1] == '\r')
    len--;
  line[len] = 0;
  return len;
}

// Copies up to want bytes (-1: to the end) of the body to out. Bytes copied, or -1.
static long
copy(struct in *in, FILE *out, long want)
{
  long done = 0;
  int c;

  while(want < 0 || done < want){
    if(in->at == in->n && (c = getbyte(in)) >= 0)
      in->at--;                      // refill, then take from the buffer below
    if(in->at == in->n)
      break;
    long k = in->n - in->at;
    if(want >= 0 && k > want - done)
      k = want - done;
    if(fwrite(in->buf + in->at, 1, k, out) != (size_t)k)
      return -1;
    in->at += k;
    done += k;
  }
  return done;
}

static int
body(struct in *in, FILE *out, long length, int chunked)
{
  char line[256];
  long size, got;

  if(!chunked){
    got = copy(in, out, length);
    if(length >= 0 && got != length){
      fprintf(stderr, "tlsget: the body ended after %ld of %ld bytes: %s\n", got, length,
              in->n < 0 ? tls_error() : "peer closed");
      return -1;
    }
    return 0;
  }
  for(;;){
    if(getline_crlf(in, line, sizeof line) < 0 || sscanf(line, "%lx", &size) != 1 || size < 0){
      fprintf(stderr, "tlsget: bad chunked body (a chunk size line is missing or malformed)\n");
      return -1;
    }
    if(size == 0)
      return 0;                      // trailers are not needed
    if(copy(in, out, size) != size || getline_crlf(in, line, sizeof line) != 0){
      fprintf(stderr, "tlsget: the chunked body ended early\n");
      return -1;
    }
  }
}

// Request, status, headers, body.
static int
get(struct tls *t, const struct url *u, FILE *out)
{
  static struct in in;
  char req[1500], line[1024], status[128] = "";
  long length = -1;
  int chunked = 0, code = 0, n;

  n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s%s%s\r\nUser-Agent: tlsget (xv6-net)\r\n"
               "Accept: */*\r\nConnection: close\r\n\r\n", u->path, u->host,
               strcmp(u->port, "443") ? ":" : "", strcmp(u->port, "443") ? u->port : "");
  if(n >= (int)sizeof req || tls_write(t, req, n) < 0){
    fprintf(stderr, "tlsget: sending the request: %s\n", n >= (int)sizeof req ? "URL too long" : tls_error());
    return -1;
  }
  in.t = t;
  if(getline_crlf(&in, line, sizeof line) < 0 || sscanf(line, "HTTP/%*d.%*d %d", &code) != 1){
    fprintf(stderr, "tlsget: no HTTP answer from %s (%s)\n", u->host, in.n < 0 ? tls_error() : "peer closed");
    return -1;
  }
  snprintf(status, sizeof status, "%s", line);
  while((n = getline_crlf(&in, line, sizeof line)) > 0){
    if(strncasecmp(line, "Content-Length:", 15) == 0)
      length = strtol(line + 15, NULL, 10);
    else if(strncasecmp(line, "Transfer-Encoding:", 18) == 0 && strstr(line + 18, "chunked"))
      chunked = 1;
    else if(strncasecmp(line, "Location:", 9) == 0 && code / 100 == 3)
      fprintf(stderr, "tlsget: redirected to%s (not followed)\n", line + 9);
  }
  if(n < 0){
    fprintf(stderr, "tlsget: the headers ended early\n");
    return -1;
  }
  if(code / 100 != 2){
    fprintf(stderr, "tlsget: the server answered %s\n", status);
    return -1;
  }
  return body(&in, out, length, chunked);
}

int
main(int argc, char *argv[])
{
  const char *cafile = NULL, *outname = NULL, *urlarg = NULL, *v;
  char desc[100];
  struct url u;
  struct tls *t;
  FILE *out = stdout;
  int i, insecure = 0, verbose = 0, fd, rc;
  size_t now, peak;

  for(i = 1; i < argc; i++){
    if(strcmp(argv[i], "--cacert") == 0 && i + 1 < argc)
      cafile = argv[++i];
    else if(strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      outname = argv[++i];
    else if(strcmp(argv[i], "-t") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0)
      tls_set_timeout(NULL, atoi(argv[++i]) * 1000);
    else if(strcmp(argv[i], "-k") == 0)
      insecure = 1;
    else if(strcmp(argv[i], "-v") == 0)
      verbose = 1;
    else if(argv[i][0] != '-' && urlarg == NULL)
      urlarg = argv[i];
    else
      usage();
  }
  if(urlarg == NULL)
    usage();
  if(parse_url(urlarg, &u) < 0){
    fprintf(stderr, "tlsget: %s: not an https://HOST[:PORT]/PATH URL\n", urlarg);
    return 2;
  }
  if((fd = dial(&u)) < 0)
    return 1;
  t = tls_client(fd, u.host, cafile, insecure ? TLS_INSECURE : 0);
  if(t == NULL){
    fprintf(stderr, "tlsget: %s: %s\n", u.host, tls_error());
    close(fd);
    return 1;
  }
  if(insecure){
    if((v = tls_verify_error(t)) != NULL)
      fprintf(stderr, "tlsget: warning: -k: using a certificate that fails verification (%s): "
              "this connection is not authenticated\n", v);
    else
      fprintf(stderr, "tlsget: warning: -k: certificate verification is not enforced "
              "(this one passed)\n");
  }
  if(verbose){
    tls_heap(&now, &peak);
    fprintf(stderr, "tlsget: %s, mbedTLS heap after the handshake %zu bytes, peak %zu\n",
            tls_describe(t, desc, sizeof desc), now, peak);
  }
  if(outname && (out = fopen(outname, "w")) == NULL){
    fprintf(stderr, "tlsget: %s: %s\n", outname, strerror(errno));
    tls_close(t);
    close(fd);
    return 1;
  }
  rc = get(t, &u, out);
  if(out != stdout && fclose(out) != 0 && rc == 0){
    fprintf(stderr, "tlsget: %s: %s\n", outname, strerror(errno));
    rc = -1;
  }
  if(out == stdout)
    fflush(stdout);
  tls_close(t);
  close(fd);
  if(verbose){
    tls_heap(&now, &peak);
    fprintf(stderr, "tlsget: mbedTLS peak heap %zu bytes\n", peak);
  }
  return rc < 0 ? 1 : 0;
}
