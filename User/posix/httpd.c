// httpd: a small web server for the files under a root directory.
//
//   httpd [-q] [-p port] [-r root] [-s CERT KEY [-S port]]
//   defaults: port 80, root /www, HTTPS port 443
//
// -q: no start-up line (init starts httpd at boot and says so itself, before
// the shell's first prompt).
// -s CERT KEY: serve HTTPS too, on port 443 (-S another): the same files and
// the same request handling, each connection through tls_server (User/tls/)
// with the PEM certificate chain CERT and its unencrypted PEM key KEY, which
// are checked before httpd starts. A plain HTTP request to the HTTPS port gets
// a 400 saying so, and a TLS handshake on the plain port is answered with one
// too; both are logged and closed.
// GET and HEAD, HTTP/1.0 and 1.1 with keep-alive, Content-Length and a
// Content-Type guessed from the file name; a directory serves its index.html.
// A Range header of one byte range gets that part of a file (206) or a 416;
// several ranges, other units and malformed ones get the whole file (200).
// Each connection gets its own process, so a slow client stalls no one else;
// receive timeouts drop idle and slowloris clients. One access-log line per
// request goes to the console, with the client's address as its family
// writes it (an IPv4 client of the dual-stack socket as 10.0.2.2, not as
// ::ffff:10.0.2.2):
//   httpd: 10.0.2.2 "GET / HTTP/1.1" 200 512
//   httpd: fec0::5054:ff:fe12:3456 "GET / HTTP/1.1" 200 512
// One socket serves both families: [::] with IPV6_V6ONLY off, so IPv4 clients
// (QEMU's port forward is IPv4 only) still come in, as mapped addresses. On a
// kernel without IPv6 it listens on 0.0.0.0.
// Paths never leave the root: after percent-decoding, "." and ".." segments,
// empty segments ("//"), encoded slashes and NULs are refused with 400.
// A POSIX program (on Debian's C library, docs/posix.md), so that it can link the tls library.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tls.h"

#define MAXPATH    128      // the kernel's longest path (kernel/param.h)

#define LINEMAX    2048     // request line (longer: 414)
#define HEADMAX    8192     // all header lines together (more: 431)
#define NHEADERS   64       // header lines (more: 431)
#define IDLE_MS    10000    // wait for a request (keep-alive included)
#define HEAD_MS    20000    // the whole request head must arrive within 20 s
#define LOGREQ     120      // request-line characters shown in the log
#define MAXCHILDREN 32      // connection processes at once (the kernel has 64 slots)

struct request {
  char method[16];
  char *target;             // points into reqline
  int minor;                // HTTP/1.<minor>
  int keepalive;
  int hashost;
  int hasbody;              // the client sent a body: close afterwards
  int ifrange;              // an If-Range header came
  char range[64];           // the Range header's value, or ""
  char log[LOGREQ + 1];     // the request line as the log shows it
};

static const char *root = "/www";
static int port = 80, tlsport = 443;
static const char *certfile, *keyfile;   // -s: HTTPS too

// The connection this process serves (through ctls for HTTPS), with its input buffer.
static int cfd;
static struct tls *ctls;
static char peer[INET6_ADDRSTRLEN];
static char inbuf[4096];
static int inpos, inlen;
static long deadline;       // now_ms() by which the current head must be in; 0: unset

static char reqline[LINEMAX + 1];
static char hdrline[HEADMAX + 1];
static char path[MAXPATH + 16];
static char filebuf[16384];
// Large bodies go out through a bigger buffer, taken from the heap by the
// process serving the connection (after the fork, so no fork copies it): a
// 16 MiB download in 64 KiB rather than 16 KiB reads and sends ran 27.7 ->
// 35.3 MB/s (fewer system calls, and lwIP gets a whole window per send;
// tools/bench/ab.py, docs/performance-notes.md).
#define BIGBUF (64 * 1024)
static char *bigbuf;

static const struct {
  const char *ext;
  const char *type;
} types[] = {
  {".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"},
  {".txt", "text/plain; charset=utf-8"}, {".md", "text/plain; charset=utf-8"},
  {".c", "text/plain; charset=utf-8"}, {".css", "text/css"},
  {".js", "application/javascript"}, {".json", "application/json"},
  {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
  {".gif", "image/gif"}, {".svg", "image/svg+xml"}, {".ico", "image/x-icon"},
  {".pdf", "application/pdf"}, {".bin", "application/octet-stream"},
};

static const char*
content_type(const char *name)
{
  int i, n = strlen(name), e;

  for(i = 0; i < (int)(sizeof(types) / sizeof(types[0])); i++){
    e = strlen(types[i].ext);
    if(n >= e && strcmp(name + n - e, types[i].ext) == 0)
      return types[i].type;
  }
  return "application/octet-stream";
}

static const char*
reason(int status)
{
  switch(status){
  case 200: return "OK";
  case 206: return "Partial Content";
  case 301: return "Moved Permanently";
  case 400: return "Bad Request";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 408: return "Request Timeout";
  case 414: return "URI Too Long";
  case 416: return "Range Not Satisfiable";
  case 431: return "Request Header Fields Too Large";
  case 500: return "Internal Server Error";
  case 503: return "Service Unavailable";
  }
  return "Error";
}

// ---- input ---------------------------------------------------------------------

static long
now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000 + 1;   // never 0
}

static void
set_rcvtimeo(int fd, int ms)
{
  struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

// Bytes from the client, plain or through TLS: a count, 0 or -1 when it is over.
static int
crecv(char *buf, int n)
{
  return ctls ? (int)tls_read(ctls, buf, n) : (int)recv(cfd, buf, n, 0);
}

// Next byte of the request, or -1 if the client closed, failed or was too slow.
static int
getbyte(void)
{
  int n;

  if(inpos == inlen){
    if(deadline != 0 && now_ms() - deadline > 0)
      return -1;              // dribbling a request for too long (slowloris)
    n = crecv(inbuf, sizeof(inbuf));
    if(n <= 0)
      return -1;              // closed, reset, or idle past SO_RCVTIMEO
    if(deadline == 0)
      deadline = now_ms() + HEAD_MS;  // the clock starts at the first byte
    inpos = 0;
    inlen = n;
  }
  return (unsigned char)inbuf[inpos++];
}

// Read a line ending in LF (a CR before it is dropped) into buf. Returns its
// length, -1 if the connection is gone, -2 if it is longer than max.
static int
readline(char *buf, int max)
{
  int n = 0, c;

  while((c = getbyte()) >= 0){
    if(c == '\n'){
      if(n > 0 && buf[n-1] == '\r')
        n--;
      buf[n] = 0;
      return n;
    }
    if(n == max)
      return -2;
    buf[n++] = c;
  }
  return -1;
}

// ---- output --------------------------------------------------------------------

// Send all n bytes. last: nothing follows on this connection, so they are
// queued without being pushed (MSG_MORE) and linger_close's shutdown sends
// them with the FIN in one segment. Otherwise the peer (QEMU's forward, say)
// often has the response and closes before our FIN comes; the side that
// closes first keeps the connection in TIME_WAIT, and thousands of those slow
// the forward's lookups for every other connection (docs/performance-notes.md).
static int
sendall(const char *buf, int n, int last)
{
  int w;

  if(ctls)
    return tls_write(ctls, buf, n) == n ? 0 : -1;
  while(n > 0){
    if((w = send(cfd, buf, n, last ? MSG_MORE : 0)) <= 0)
      return -1;
    buf += w;
    n -= w;
  }
  return 0;
}

static void
logline(struct request *r, int status, long bytes)
{
  printf("httpd: %s \"%s\" %d %d\n", peer, r->log, status, (int)bytes);
}

// Write the status line and headers into buf; returns their length. extra is
// more header text (each line ending in CRLF) or "". The caller sends them
// together with the start of the body: two small sends would leave the body
// waiting for the peer's ACK of the headers (Nagle's algorithm).
static int
format_head(char *buf, int size, struct request *r, int status, const char *type,
            long length, const char *extra)
{
  int n;

  n = snprintf(buf, size,
               "HTTP/1.1 %d %s\r\nServer: xv6-httpd\r\nContent-Type: %s\r\n"
               "Content-Length: %d\r\nConnection: %s\r\n%s\r\n",
               status, reason(status), type, (int)length,
               r->keepalive ? "keep-alive" : "close", extra);
  return n < size ? n : size - 1;
}

// An error (or redirect) response with a small HTML body. After a request
// that could not be parsed the connection closes: its framing is unknown.
static void
send_error(struct request *r, int status, const char *extra)
{
  static char body[160], out[768];
  int n, used;

  if(status != 301 && status != 404 && status != 416)
    r->keepalive = 0;
  n = snprintf(body, sizeof(body), "<html><body><h1>%d %s</h1></body></html>\n",
               status, reason(status));
  logline(r, status, n);
  used = format_head(out, sizeof(out), r, status, "text/html; charset=utf-8", n, extra);
  if(strcmp(r->method, "HEAD") != 0 && used + n < (int)sizeof(out)){
    memmove(out + used, body, n);
    used += n;
  }
  if(sendall(out, used, !r->keepalive) < 0)
    r->keepalive = 0;
}

// ---- requests ------------------------------------------------------------------

static int
istoken(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int
lower(int c)
{
  return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

// Does header line h have name (any case)? Returns its value, or 0.
static const char*
hvalue(const char *h, const char *name)
{
  for(; *name; h++, name++)
    if(lower(*h) != lower(*name))
      return 0;
  if(*h++ != ':')
    return 0;
  while(*h == ' ' || *h == '\t')
    h++;
  return h;
}

// Does a comma-separated header value contain word (any case)?
static int
hasword(const char *v, const char *word)
{
  int n = strlen(word), i;

  for(; *v; v++){
    for(i = 0; i < n && lower(v[i]) == lower(word[i]); i++)
      ;
    if(i == n)
      return 1;
  }
  return 0;
}

// Copy the request line for the log, with control characters replaced.
static void
setlog(struct request *r, const char *line)
{
  int i;

  for(i = 0; i < LOGREQ && line[i]; i++)
    r->log[i] = (line[i] < 0x20 || line[i] >= 0x7f || line[i] == '"') ? '?' : line[i];
  r->log[i] = 0;
}

// "METHOD SP target SP HTTP/1.x". Returns 0, or 400.
static int
parse_reqline(struct request *r, char *line)
{
  char *sp1, *sp2;
  int i;

  for(i = 0; istoken(line[i]); i++)
    if(i >= (int)sizeof(r->method) - 1)
      return 400;
  if(i == 0 || line[i] != ' ')
    return 400;
  memmove(r->method, line, i);
  r->method[i] = 0;
  sp1 = line + i;
  if((sp2 = strchr(sp1 + 1, ' ')) == 0 || sp2 == sp1 + 1)
    return 400;
  *sp2 = 0;
  r->target = sp1 + 1;
  if(strcmp(sp2 + 1, "HTTP/1.1") == 0)
    r->minor = 1;
  else if(strcmp(sp2 + 1, "HTTP/1.0") == 0)
    r->minor = 0;
  else
    return 400;
  r->keepalive = r->minor == 1;
  return 0;
}

// One header line: check its form and note what matters here. 0 or 400.
static int
parse_header(struct request *r, const char *h)
{
  const char *v;
  int i;

  for(i = 0; istoken(h[i]); i++)
    ;
  if(i == 0 || h[i] != ':')
    return 400;               // no name, or space before the colon
  if(hvalue(h, "host"))
    r->hashost = 1;
  else if((v = hvalue(h, "connection")) != 0){
    if(hasword(v, "close"))
      r->keepalive = 0;
    else if(hasword(v, "keep-alive"))
      r->keepalive = 1;
  } else if((v = hvalue(h, "content-length")) != 0){
    if(*v < '0' || *v > '9')
      return 400;
    if(atoi(v) > 0)
      r->hasbody = 1;
  } else if(hvalue(h, "transfer-encoding")){
    r->hasbody = 1;
  } else if((v = hvalue(h, "range")) != 0){
    // a second Range header, or one too long for one range: one to ignore
    if(r->range[0] || strlen(v) >= sizeof(r->range))
      v = ",";
    strcpy(r->range, v);
  } else if(hvalue(h, "if-range")){
    r->ifrange = 1;
  }
  return 0;
}

// Read one request's line and headers. Returns 0 for a request to answer,
// an error status to send, or -1 if the connection ended (or idled out).
static int
read_request(struct request *r)
{
  int n, used = 0, count = 0, status;

  memset(r, 0, sizeof(*r));
  strcpy(r->method, "-");
  strcpy(r->log, "-");
  deadline = 0;
  do
    n = readline(reqline, LINEMAX);   // a client may send CRLFs before a request
  while(n == 0);
  if(n == -1)
    return -1;
  if(n == -2){
    reqline[LOGREQ] = 0;
    setlog(r, reqline);
    return 414;
  }
  setlog(r, reqline);
  if((status = parse_reqline(r, reqline)) != 0)
    return status;
  while((n = readline(hdrline, HEADMAX - used)) != 0){
    if(n == -1)
      return -1;
    if(n == -2 || ++count > NHEADERS)
      return 431;
    used += n;
    if((status = parse_header(r, hdrline)) != 0)
      return status;
  }
  if(r->minor == 1 && !r->hashost)
    return 400;               // RFC 9112: a 1.1 request must name the host
  if(strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
    return 405;
  if(r->hasbody)
    r->keepalive = 0;         // the body is not read: don't parse it as a request
  return 0;
}

static int
hexval(int c)
{
  if(c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if(c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Percent-decode the target's path into out (size max) and check that it
// stays inside the root. Returns 0, or an error status.
static int
decode_path(const char *t, char *out, int max)
{
  int n = 0, c, hi, lo;
  char *seg;

  if(t[0] != '/')
    return 400;               // not origin-form ("http://..." or "*")
  for(; *t && *t != '?' && *t != '#'; t++){
    c = (unsigned char)*t;
    if(c == '%'){
      if((hi = hexval(t[1])) < 0 || (lo = hexval(t[2])) < 0)
        return 400;
      c = hi * 16 + lo;
      t += 2;
      if(c == '/' || c == '\\')
        return 400;           // an encoded slash would hide a segment
    }
    if(c < 0x20 || c == 0x7f)
      return 400;             // NUL and control characters
    if(n + 1 >= max)
      return 414;
    out[n++] = c;
  }
  out[n] = 0;
  // every segment between slashes: not empty (but the last), not . or ..
  for(seg = out + 1; ; seg = strchr(seg, '/') + 1){
    if(seg[0] == '/' || (seg[0] == '.' && (seg[1] == '/' || seg[1] == 0)) ||
       (seg[0] == '.' && seg[1] == '.' && (seg[2] == '/' || seg[2] == 0)))
      return 400;
    if(strchr(seg, '/') == 0)
      break;
  }
  return 0;
}

// ---- answering -----------------------------------------------------------------

// Which part of a file of size bytes the Range header v asks for (RFC 9110
// 14.1.2): "bytes=first-last", "bytes=first-" or "bytes=-suffixlength". 206 with
// the part's *first and *last byte; 416 if it holds no byte of the file
// (15.5.17); 200 to ignore it and send the whole file: no Range, another unit,
// a malformed or invalid one (last < first), or several ranges. Several are
// ignored, as 14.2 allows any Range to be: they would need a
// multipart/byteranges body (14.6), with a boundary and headers per part and
// its length computed ahead, while the clients that use ranges (resuming a
// download, seeking in a media file) ask for one.
static int
parse_range(const char *v, long size, long *first, long *last)
{
  // LAB(ranges) begin: parse one byte range, clamped to the file
  const char *p = v + 6;
  char *e;
  long a = -1, b = -1;        // first-pos, last-pos or suffix-length; -1: none
  int i;

  for(i = 0; i < 6; i++)
    if(lower(v[i]) != "bytes="[i])
      return 200;             // no Range, or another unit (any case: 14.1)
  // digits only (strtol would take a sign or spaces); past LONG_MAX strtol
  // gives LONG_MAX: clamped, never wrapped
  if(*p >= '0' && *p <= '9'){
    a = strtol(p, &e, 10);
    p = e;
  }
  if(*p++ != '-')
    return 200;
  if(*p >= '0' && *p <= '9'){
    b = strtol(p, &e, 10);
    p = e;
  }
  while(*p == ' ' || *p == '\t')
    p++;
  if(*p != 0 || (a < 0 && b < 0) || (a >= 0 && b >= 0 && b < a))
    return 200;               // more after it (a second range), "-", or last < first
  if(a < 0){                  // the last b bytes, or all of a shorter file
    if(b == 0 || size == 0)
      return b == 0 ? 416 : 200;
    a = b < size ? size - b : 0;
    b = size - 1;
  }
  if(a >= size)
    return 416;
  *first = a;
  *last = b < 0 || b >= size ? size - 1 : b;
  return 206;
  // LAB(ranges) stub:
  // // TODO(lab ranges): parse v, one range of three forms (RFC 9110 14.1.2): 206
  // // with *first and *last set, 416 if unsatisfiable, 200 to ignore it (14.2)
  // return 200;
  // LAB(ranges) end
}

// Send the file fd of size bytes (headers first; the body unless HEAD): all of
// it, or the part a Range header asks for. HEAD gets the headers GET would
// (RFC 9110 9.3.2), a 206's too. httpd sends no validator (ETag,
// Last-Modified), so no If-Range can match one: a request with If-Range gets
// the whole file (13.1.5).
static int
send_file(struct request *r, int fd, const char *name, long size)
{
  static char extra[96];
  long first = 0, last = size - 1, left, room, bufsize = sizeof(filebuf);
  int status, n, used;
  char *buf = filebuf;

  status = r->ifrange ? 200 : parse_range(r->range, size, &first, &last);
  // LAB(ranges) begin: answer 206 with that part, or 416
  n = snprintf(extra, sizeof(extra), "Accept-Ranges: bytes\r\n");
  if(status == 416){
    snprintf(extra + n, sizeof(extra) - n, "Content-Range: bytes */%ld\r\n", size);
    send_error(r, 416, extra);
    return 0;
  }
  if(status == 206){
    snprintf(extra + n, sizeof(extra) - n, "Content-Range: bytes %ld-%ld/%ld\r\n",
             first, last, size);
    if(lseek(fd, first, SEEK_SET) != first)
      return -1;
  }
  // LAB(ranges) stub:
  // // TODO(lab ranges): Accept-Ranges (14.3); a 416 with Content-Range through
  // // send_error() (15.5.17); a 206 with Content-Range (14.4, 15.3.7) and the body
  // // from byte first
  // status = 200;
  // first = 0, last = size - 1, extra[0] = 0;
  // LAB(ranges) end
  left = last - first + 1;
  logline(r, status, left);
  if(left > (long)sizeof(filebuf) && bigbuf == NULL)
    bigbuf = malloc(BIGBUF);   // none: the small buffer does it, more slowly
  if(left > (long)sizeof(filebuf) && bigbuf != NULL)
    buf = bigbuf, bufsize = BIGBUF;
  // the headers go out with the first piece of the body, in one send
  used = format_head(buf, bufsize, r, status, content_type(name), left, extra);
  if(strcmp(r->method, "HEAD") == 0)
    return sendall(buf, used, !r->keepalive);
  do {
    // read whole 1 KiB blocks: after the headers' piece, reads stay block-aligned
    // (from the first byte sent: a range's part may begin mid-block)
    room = (bufsize - used) & ~(long)1023;
    if(left > 0){
      n = read(fd, buf + used, left < room ? left : room);
      if(n <= 0)
        return -1;            // the file shrank: the client sees a short body
      left -= n;
      used += n;
    }
    if(sendall(buf, used, !r->keepalive && left == 0) < 0)
      return -1;
    used = 0;
  } while(left > 0);
  return 0;
}

// Open path read-only and fill *st: the descriptor, or -1.
static int
openstat(const char *path, struct stat *st)
{
  int fd;

  if((fd = open(path, O_RDONLY)) < 0)
    return -1;
  if(fstat(fd, st) < 0){
    close(fd);
    return -1;
  }
  return fd;
}

// Answer a well-formed GET or HEAD. Returns 0 to go on with the connection.
static int
answer(struct request *r)
{
  static char decoded[MAXPATH];
  static char loc[MAXPATH + 64];
  struct stat st;
  int status, fd, n;

  if((status = decode_path(r->target, decoded, sizeof(decoded))) != 0){
    send_error(r, status, "");
    return -1;
  }
  n = snprintf(path, sizeof(path), "%s%s", root, decoded);
  if(n >= MAXPATH){
    send_error(r, 414, "");
    return -1;
  }
  // open, then fstat the descriptor: one path lookup per request, not two
  if((fd = openstat(path, &st)) < 0){
    send_error(r, 404, "");
    return r->keepalive ? 0 : -1;
  }
  if(S_ISDIR(st.st_mode)){
    close(fd);
    if(path[n-1] != '/'){
      // send the browser to "dir/" so the page's relative links work
      snprintf(loc, sizeof(loc), "Location: %s/\r\n", decoded);
      send_error(r, 301, loc);
      return r->keepalive ? 0 : -1;
    }
    if(n + 10 >= MAXPATH || (strcpy(path + n, "index.html"), fd = openstat(path, &st)) < 0){
      send_error(r, 404, "");
      return r->keepalive ? 0 : -1;
    }
  }
  if(!S_ISREG(st.st_mode)){
    close(fd);
    send_error(r, 404, "");   // devices (and a directory named index.html) are not served
    return r->keepalive ? 0 : -1;
  }
  status = send_file(r, fd, path, st.st_size);
  close(fd);
  return status < 0 || !r->keepalive ? -1 : 0;
}

// Close after draining what the client still sends (for a second at most):
// closing with unread data makes TCP send a reset, which can destroy the
// response (e.g. a 414) before the client has read it. A TLS connection says
// close_notify first.
static void
linger_close(int fd)
{
  int n, total = 0;

  if(ctls){
    tls_close(ctls);
    ctls = NULL;
  }
  shutdown(fd, SHUT_WR);
  set_rcvtimeo(fd, 1000);
  while(total < 65536 && (n = recv(fd, inbuf, sizeof(inbuf), 0)) > 0)
    total += n;
  close(fd);
}

// A client's address for the log: IPv4 ones (mapped ones too) dotted.
static void
clienttext(struct sockaddr_in6 *from, char *text, int len)
{
  uint8_t *a = from->sin6_addr.s6_addr;
  static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

  if(from->sin6_family == AF_INET)
    inet_ntop(AF_INET, &((struct sockaddr_in*)from)->sin_addr, text, len);
  else if(from->sin6_family == AF_INET6 && memcmp(a, mapped, 12) == 0)
    inet_ntop(AF_INET, a + 12, text, len);
  else if(from->sin6_family == AF_INET6)
    inet_ntop(AF_INET6, a, text, len);
  else
    snprintf(text, len, "?");
}

// A plain answer to a client of the wrong protocol, then the end of the connection.
static void
wrong_protocol(int fd, const char *says)
{
  char msg[300];
  int n;

  n = snprintf(msg, sizeof(msg), "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
               "Content-Length: %d\r\nConnection: close\r\n\r\n%s\n", (int)strlen(says) + 1, says);
  send(fd, msg, n, 0);
}

// Serve requests on one connection until it closes, errs or idles out.
static void
serve(int fd, struct sockaddr_in6 *from, int https)
{
  struct request r;
  int status;

  cfd = fd;
  clienttext(from, peer, sizeof(peer));
  set_rcvtimeo(fd, IDLE_MS);
  if(https){
    tls_set_timeout(NULL, IDLE_MS);
    if((ctls = tls_server(fd, certfile, keyfile)) == NULL){
      const char *why = tls_error();
      printf("httpd: %s TLS handshake failed: %s\n", peer, why);
      if(strncmp(why, "not TLS", 7) == 0)
        wrong_protocol(fd, "This port speaks HTTPS: use an https:// URL.");
      linger_close(fd);
      return;
    }
  } else {
    // a TLS ClientHello (a handshake record, version 3.x) on the plain port
    int c = getbyte();
    if(c < 0){
      linger_close(fd);
      return;
    }
    inpos--;
    if(c == 0x16 && (inlen < 2 || inbuf[1] == 3)){
      printf("httpd: %s TLS handshake on the plain HTTP port %d: refused\n", peer, port);
      wrong_protocol(fd, "This port speaks plain HTTP: use an http:// URL.");
      linger_close(fd);
      return;
    }
  }
  for(;;){
    if((status = read_request(&r)) < 0)
      break;
    if(status > 0){
      send_error(&r, status, status == 405 ? "Allow: GET, HEAD\r\n" : "");
      break;
    }
    if(answer(&r) < 0)
      break;
  }
  linger_close(fd);
}

// ---- the listener --------------------------------------------------------------

static int
listen_on(int p)
{
  struct sockaddr_in6 sa;
  struct sockaddr_in *s4 = (struct sockaddr_in*)&sa;
  int fd, one = 1, zero = 0;
  socklen_t len = sizeof(sa);

  memset(&sa, 0, sizeof(sa));
  if((fd = socket(AF_INET6, SOCK_STREAM, 0)) >= 0){
    // both families on one socket: IPv4 clients arrive as ::ffff:a.b.c.d
    if(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0)
      fprintf(stderr, "httpd: IPV6_V6ONLY off: %s (IPv6 clients only)\n", strerror(errno));
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(p);        // sin6_addr zero: [::]
  } else if(errno == EAFNOSUPPORT && (fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0){
    s4->sin_family = AF_INET;       // a kernel without IPv6
    s4->sin_port = htons(p);
    s4->sin_addr.s_addr = htonl(INADDR_ANY);
    len = sizeof(*s4);
  } else {
    fprintf(stderr, "httpd: socket: %s\n", strerror(errno));
    exit(1);
  }
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if(bind(fd, (struct sockaddr*)&sa, len) < 0){
    fprintf(stderr, "httpd: bind :%d: %s\n", p, strerror(errno));
    exit(1);
  }
  if(listen(fd, 16) < 0){
    // lwIP finds a clash with SO_REUSEADDR set only here: report it as bind's
    fprintf(stderr, "httpd: %s :%d: %s\n", errno == EADDRINUSE ? "bind" : "listen", p,
            strerror(errno));
    exit(1);
  }
  return fd;
}

// No process left for this connection: say so instead of dropping it.
static void
busy(int fd, struct sockaddr_in6 *from)
{
  static const char msg[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                            "Connection: close\r\n\r\n";
  char text[INET6_ADDRSTRLEN];

  clienttext(from, text, sizeof(text));
  printf("httpd: %s - 503 (fork failed)\n", text);
  send(fd, msg, sizeof(msg) - 1, 0);
}

static void
usage(void)
{
  fprintf(stderr, "usage: httpd [-q] [-p port] [-r root] [-s CERT KEY [-S port]]\n");
  exit(2);
}

static int
portarg(const char *s)
{
  int p = atoi(s);

  if(p <= 0 || p > 65535 || strspn(s, "0123456789") != strlen(s))
    usage();
  return p;
}

int
main(int argc, char *argv[])
{
  struct sockaddr_in6 from;
  struct stat st;
  struct pollfd ready[2];
  socklen_t len;
  int lfd[2] = { -1, -1 }, nl, fd, i, pid, quiet = 0, children = 0, timeout;

  signal(SIGPIPE, SIG_IGN);   // a reset peer is an error (EPIPE), not our end
  for(i = 1; i < argc; i++){
    if(strcmp(argv[i], "-q") == 0)
      quiet = 1;
    else if(strcmp(argv[i], "-p") == 0 && i + 1 < argc)
      port = portarg(argv[++i]);
    else if(strcmp(argv[i], "-S") == 0 && i + 1 < argc)
      tlsport = portarg(argv[++i]);
    else if(strcmp(argv[i], "-r") == 0 && i + 1 < argc)
      root = argv[++i];
    else if(strcmp(argv[i], "-s") == 0 && i + 2 < argc){
      certfile = argv[++i];
      keyfile = argv[++i];
    } else
      usage();
  }
  if(certfile && tlsport == port){
    fprintf(stderr, "httpd: HTTP and HTTPS on the same port %d\n", port);
    exit(2);
  }
  if(stat(root, &st) < 0 || !S_ISDIR(st.st_mode)){
    fprintf(stderr, "httpd: root %s: not a directory\n", root);
    exit(1);
  }
  // a certificate or key that would fail every handshake fails here instead
  if(certfile && tls_server_check(certfile, keyfile) < 0){
    fprintf(stderr, "httpd: -s: %s\n", tls_error());
    exit(1);
  }
  if(strcmp(root, "/") == 0)
    root = "";                // paths begin with '/' already
  lfd[0] = listen_on(port);
  nl = 1;
  if(certfile)
    lfd[nl++] = listen_on(tlsport);
  if(!quiet){
    if(certfile)
      printf("httpd: pid %d serving %s on port %d and HTTPS on port %d\n", getpid(),
             *root ? root : "/", port, tlsport);
    else
      printf("httpd: pid %d serving %s on port %d\n", getpid(), *root ? root : "/", port);
  }
  fflush(stdout);
  for(;;){
    // reap the connection processes that have finished; at MAXCHILDREN wait
    // for one, leaving new connections in the listen backlog meanwhile.
    while(children > 0 && waitpid(-1, 0, children >= MAXCHILDREN ? 0 : WNOHANG) > 0)
      children--;
    // while some are still running, wake once a second to reap them: an
    // ended one is never left a zombie until the next connection comes.
    // With one listener and none running, accept() alone waits.
    for(i = 0; i < nl; i++)
      ready[i] = (struct pollfd){ lfd[i], POLLIN, 0 };
    timeout = children > 0 ? 1000 : -1;
    if((children > 0 || nl > 1) && poll(ready, nl, timeout) <= 0)
      continue;
    for(i = 0; i < nl; i++){
      if(nl > 1 && !(ready[i].revents & POLLIN))
        continue;
      len = sizeof(from);
      if((fd = accept(lfd[i], (struct sockaddr*)&from, &len)) < 0){
        fprintf(stderr, "httpd: accept: %s\n", strerror(errno));
        if(errno == EMFILE || errno == ENFILE || errno == ENOMEM || errno == ENOBUFS)
          sleep(10);            // let connections finish before trying again
        continue;
      }
      // a process per connection: a slow client holds up only its own.
      if((pid = fork()) == 0){
        close(lfd[0]);
        if(nl > 1)
          close(lfd[1]);
        serve(fd, &from, i == 1);
        fflush(stdout);
        _exit(0);
      }
      if(pid < 0)
        busy(fd, &from);
      else
        children++;
      close(fd);
    }
  }
}
