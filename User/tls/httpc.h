// httpc.h: the HTTP/1.1 client of httpget and wttr (User/tls/httpc.c), over
// plain TCP for http:// and over verified TLS (tls.h) for https://. One GET
// per connection ("Connection: close"); the response's status and headers,
// then a body sent with Content-Length, chunked, or closed by the server.
// Part of build/tls/libtls.a, so a program using it is one of TLS_PROGS.
#ifndef XV6NET_HTTPC_H
#define XV6NET_HTTPC_H

#include <stddef.h>
#include <sys/types.h>

#define HTTPC_BUFSZ 16384

struct tls;

struct httpc_url {
  int https;                // 1 for https://
  char host[256];           // a name, or an IP literal without brackets (zone kept)
  int port;                 // 80 or 443 unless the URL says
  char path[1024];          // "/..." with any query
};

// What the client checks and how long it waits.
struct httpc_opts {
  const char *prog;         // prefix of the -k warning ("httpget")
  const char *agent;        // User-Agent
  const char *cafile;       // https: trusted CAs (NULL: the system bundle)
  int insecure;             // https: -k (a warning is printed every time)
  int timeout_ms;           // connect, handshake and every read
};

struct httpc {
  int fd;
  struct tls *t;            // NULL for http://
  int status;               // e.g. 200
  char reason[64];          // e.g. "OK"
  long length;              // Content-Length, or -1 if not given
  int chunked;              // Transfer-Encoding: chunked
  char location[512];       // Location (redirects), or ""
  long received;            // body bytes returned so far
  char err[300];            // why the last call failed
  // private: bytes read but not yet returned, and the chunk decoder's state
  char buf[HTTPC_BUFSZ];
  int pos, len;
  long chunk_left;
  int done;
};

// Split "http://host[:port][/path]" or "https://..." (no scheme: http; an IPv6
// host in brackets, its zone written %25en0). 0, or -1 with a message in err.
int httpc_parse_url(const char *url, struct httpc_url *u, char *err, size_t errlen);
// The Host header's value: "host", "host:8080", "[2001:db8::1]:8443" (no
// default port for the scheme; brackets and no zone for IPv6).
void httpc_hosthdr(const char *host, int port, int https, char *out, size_t len);
// Resolve and connect (every address in getaddrinfo's order). The socket, or
// -1 with why: "NAME: name not found", "10.0.2.2 (10.0.2.2) port 81:
// connection refused", "[::1]:81: connection refused".
int httpc_dial(const char *host, int port, int timeout_ms, char *why, size_t whylen);
// Connect, handshake for https (verifying the server), send GET path with
// Host: hosthdr, read the status line and headers. 0, or -1 with c->err set.
int httpc_get(struct httpc *c, const struct httpc_url *u, const char *hosthdr,
              const struct httpc_opts *o);
// Up to n body bytes: a count, 0 at the end of the body, -1 with c->err set.
ssize_t httpc_read(struct httpc *c, void *dst, size_t n);
void httpc_close(struct httpc *c);

#endif // XV6NET_HTTPC_H
