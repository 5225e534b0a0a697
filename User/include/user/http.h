// http.h: a small HTTP/1.1 client (User/lib/http.c) shared by wttr and httpget:
// one GET per connection, the response's status and headers, and a body sent
// with Content-Length, chunked transfer encoding or closed by the server.
// Include after user/socket.h.
#pragma once

#define HTTP_BUFSZ 4096

struct http_conn {
  int fd;
  int status;               // e.g. 200
  char reason[64];          // e.g. "OK"
  long length;              // Content-Length, or -1 if not given
  int chunked;              // Transfer-Encoding: chunked
  char ctype[64];           // Content-Type, or ""
  char location[256];       // Location (redirects), or ""
  long received;            // body bytes returned so far
  char err[160];            // why the last call failed
  // private: bytes read but not yet returned, and the chunk decoder's state
  char buf[HTTP_BUFSZ];
  int pos, len;
  long chunk_left;          // bytes left in the current chunk; -1 before the first
  int done;
};

// Connect to host:port, send "GET path" with the given User-Agent (and Host:
// hosthdr), read the status line and headers. 0, or -1 with c->err set.
int http_get(struct http_conn *c, const char *host, int port, const char *hosthdr,
             const char *path, const char *agent, int timeout_ms);
// Up to n body bytes: a count, 0 at the end of the body, -1 with c->err set.
int http_read(struct http_conn *c, char *dst, int n);
void http_close(struct http_conn *c);

// Split "http://host[:port][/path]" (the scheme is optional; an IPv6 host is
// in brackets, "http://[fec0::2]:8080/", its zone written %25en0). 0, or -1
// with a message in err.
int http_parse_url(const char *url, char *host, int hostlen, int *port,
                   char *path, int pathlen, char *err, int errlen);
// The Host header's value for host and port: "host", "host:8080",
// "[2001:db8::1]:8080" (no ":80"; brackets and no zone for IPv6).
void http_hosthdr(const char *host, int port, char *out, int len);
