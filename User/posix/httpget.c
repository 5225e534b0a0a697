// httpget: download a web page or file over HTTP or HTTPS.
//
//   httpget [--cacert FILE] [-k] [-v] [-t SECONDS] URL [-o FILE]
//
// URL is http://host[:port]/path or https://host[:port]/path (no scheme:
// http); an IPv6 host is written in brackets: http://[fec0::2]:8080/. A name
// is tried at each of its addresses (IPv6 and IPv4, in getaddrinfo's order,
// AF_UNSPEC) until one connects. The body goes to standard output, or to FILE
// (created only once the server said 200). Redirects are followed (up to 5).
// Progress and the final size go to standard error.
//
// https:// verifies the server (User/tls/: the chain up to a trusted CA, the
// dates, the name or IP address; SNI sent) and fails with the reason:
// --cacert FILE  trust the CA certificates in FILE instead of the system bundle
// -k             do not refuse a certificate that fails verification (a warning
//                saying so, and why it would have failed, is printed every time)
// -v             the protocol, cipher suite and mbedTLS's peak heap
// -t SECONDS     how long to wait for the server at any point (default 15)
//
// Exit status 0 for a 200 answer, 1 for any failure (a message naming it),
// 2 for bad usage or a malformed URL. Also builds on a Linux host (the host
// tests, Tests/tls/).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "httpc.h"
#include "tls.h"

#define MAXREDIRECTS 5

static struct httpc conn;
static char body[HTTPC_BUFSZ];
static char url[1200], hosthdr[300];
static struct httpc_url u;
static struct httpc_opts opts = { .prog = "httpget", .agent = "xv6-httpget/1.1", .timeout_ms = 15000 };

static void
usage(void)
{
  fprintf(stderr, "usage: httpget [--cacert FILE] [-k] [-v] [-t SECONDS] URL [-o FILE]\n");
  exit(2);
}

static long
now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

// GET url, following redirects. Returns with conn holding a 200 response.
static void
fetch(void)
{
  char err[400];
  int hops;

  for(hops = 0; ; hops++){
    if(httpc_parse_url(url, &u, err, sizeof err) < 0){
      fprintf(stderr, "httpget: %s\n", err);
      exit(hops == 0 ? 2 : 1);
    }
    httpc_hosthdr(u.host, u.port, u.https, hosthdr, sizeof hosthdr);
    if(httpc_get(&conn, &u, hosthdr, &opts) < 0){
      // a DNS or connect error names the host already
      int named = strncmp(conn.err, u.host, strlen(u.host)) == 0 || conn.err[0] == '[';
      fprintf(stderr, "httpget: %s%s%s\n", named ? "" : hosthdr, named ? "" : ": ", conn.err);
      exit(1);
    }
    if(conn.status == 200)
      return;
    httpc_close(&conn);
    if(conn.status / 100 != 3 || conn.location[0] == 0){
      fprintf(stderr, "httpget: %s%s: server answered %d %s\n", hosthdr, u.path,
              conn.status, conn.reason);
      exit(1);
    }
    if(hops == MAXREDIRECTS){
      fprintf(stderr, "httpget: too many redirects (last to %s)\n", conn.location);
      exit(1);
    }
    if(conn.location[0] == '/')   // a path on the same server
      snprintf(url, sizeof url, "%s://%s%s", u.https ? "https" : "http", hosthdr, conn.location);
    else
      snprintf(url, sizeof url, "%s", conn.location);
    fprintf(stderr, "httpget: redirected to %s\n", url);
  }
}

int
main(int argc, char *argv[])
{
  const char *out = NULL;
  char desc[100];
  long total = 0, t0, lastshown, ms;
  ssize_t n;
  size_t heapnow, peak;
  int i, fd = 1, verbose = 0;

  for(i = 1; i < argc; i++){
    if(strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      out = argv[++i];
    else if(strcmp(argv[i], "--cacert") == 0 && i + 1 < argc)
      opts.cafile = argv[++i];
    else if(strcmp(argv[i], "-k") == 0)
      opts.insecure = 1;
    else if(strcmp(argv[i], "-v") == 0)
      verbose = 1;
    else if(strcmp(argv[i], "-t") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0)
      opts.timeout_ms = atoi(argv[++i]) * 1000;
    else if(argv[i][0] == '-' || url[0])
      usage();
    else
      snprintf(url, sizeof url, "%s", argv[i]);
  }
  if(url[0] == 0)
    usage();
  t0 = lastshown = now_ms();
  fetch();
  if(verbose && conn.t){
    tls_heap(&heapnow, &peak);
    fprintf(stderr, "httpget: %s, mbedTLS heap after the handshake %zu bytes, peak %zu\n",
            tls_describe(conn.t, desc, sizeof desc), heapnow, peak);
  }
  if(out && (fd = open(out, O_CREAT | O_WRONLY | O_TRUNC, 0644)) < 0){
    fprintf(stderr, "httpget: cannot create %s: %s\n", out, strerror(errno));
    exit(1);
  }
  while((n = httpc_read(&conn, body, sizeof body)) > 0){
    if(write(fd, body, n) != n){
      fprintf(stderr, "httpget: write to %s failed (disk full?)\n", out ? out : "standard output");
      exit(1);
    }
    total += n;
    if(out && now_ms() - lastshown >= 1000){   // about once a second
      lastshown = now_ms();
      if(conn.length > 0)
        fprintf(stderr, "httpget: %ld of %ld bytes (%ld%%)\n", total, conn.length,
                total * 100 / conn.length);
      else
        fprintf(stderr, "httpget: %ld bytes\n", total);
    }
  }
  if(n < 0){
    fprintf(stderr, "httpget: %s: %s\n", hosthdr, conn.err);
    exit(1);
  }
  httpc_close(&conn);
  if(out && close(fd) < 0){
    fprintf(stderr, "httpget: %s: %s\n", out, strerror(errno));
    exit(1);
  }
  ms = now_ms() - t0;
  fprintf(stderr, "httpget: %ld bytes%s%s in %ld.%02ld s (%ld KiB/s)\n", total,
          out ? " to " : "", out ? out : "", ms / 1000, (ms / 10) % 100,
          ms > 0 ? total * 1000 / 1024 / ms : total / 1024);
  if(verbose && u.https){
    tls_heap(&heapnow, &peak);
    fprintf(stderr, "httpget: mbedTLS peak heap %zu bytes\n", peak);
  }
  return 0;
}
