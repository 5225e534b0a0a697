// httpget: download a web page or file over HTTP.
//
//   httpget URL [-o file]
//
// URL is http://host[:port]/path (the scheme may be left out); an IPv6 host
// is written in brackets: http://[fec0::2]:8080/. A name is tried at each of
// its addresses (IPv6 and IPv4, in getaddrinfo's order) until one connects. The body goes
// to standard output, or to file (created only once the server said 200).
// Redirects are followed (up to 5). Progress and the final size go to fd 2.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/socket.h"
#include "user/netdb.h"
#include "user/http.h"

#define TIMEOUT_MS   15000
#define MAXREDIRECTS 5

static struct http_conn conn;
static char body[HTTP_BUFSZ];
static char url[512], host[128], hosthdr[140], path[512], err[200];

static void
usage(void)
{
  fprintf(2, "usage: httpget URL [-o file]\n");
  exit(2);
}

// GET url, following redirects. Returns with conn holding a 200 response.
static void
fetch(void)
{
  int port, hops;

  for(hops = 0; ; hops++){
    if(http_parse_url(url, host, sizeof(host), &port, path, sizeof(path),
                      err, sizeof(err)) < 0){
      fprintf(2, "httpget: %s\n", err);
      exit(1);
    }
    http_hosthdr(host, port, hosthdr, sizeof(hosthdr));
    if(http_get(&conn, host, port, hosthdr, path, "xv6-httpget/1.0", TIMEOUT_MS) < 0){
      // a DNS or connect error names the host already
      int named = strncmp(conn.err, host, strlen(host)) == 0 || conn.err[0] == '[';
      fprintf(2, "httpget: %s%s%s\n", named ? "" : hosthdr, named ? "" : ": ", conn.err);
      exit(1);
    }
    if(conn.status == 200)
      return;
    http_close(&conn);
    if(conn.status / 100 != 3 || conn.location[0] == 0){
      fprintf(2, "httpget: %s%s: server answered %d %s\n", hosthdr, path,
              conn.status, conn.reason);
      exit(1);
    }
    if(hops == MAXREDIRECTS){
      fprintf(2, "httpget: too many redirects (last to %s)\n", conn.location);
      exit(1);
    }
    if(conn.location[0] == '/')   // a path on the same server
      snprintf(url, sizeof(url), "http://%s%s", hosthdr, conn.location);
    else
      strncpy(url, conn.location, sizeof(url) - 1);
    fprintf(2, "httpget: redirected to %s\n", url);
  }
}

int
main(int argc, char *argv[])
{
  const char *out = 0;
  int i, fd = 1, n, t0, lastshown, ticks;
  long total = 0;

  for(i = 1; i < argc; i++){
    if(strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      out = argv[++i];
    else if(argv[i][0] == '-' || url[0])
      usage();
    else
      strncpy(url, argv[i], sizeof(url) - 1);
  }
  if(url[0] == 0)
    usage();
  t0 = lastshown = uptime();
  fetch();
  if(out && (fd = open(out, O_CREATE | O_WRONLY | O_TRUNC)) < 0){
    fprintf(2, "httpget: cannot create %s\n", out);
    exit(1);
  }
  while((n = http_read(&conn, body, sizeof(body))) > 0){
    if(write(fd, body, n) != n){
      fprintf(2, "httpget: write to %s failed (disk full?)\n", out ? out : "standard output");
      exit(1);
    }
    total += n;
    if(out && uptime() - lastshown >= 100){   // about once a second
      lastshown = uptime();
      if(conn.length > 0)
        fprintf(2, "httpget: %d of %d bytes (%d%%)\n", (int)total, (int)conn.length,
                (int)(total * 100 / conn.length));
      else
        fprintf(2, "httpget: %d bytes\n", (int)total);
    }
  }
  if(n < 0){
    fprintf(2, "httpget: %s: %s\n", hosthdr, conn.err);
    exit(1);
  }
  http_close(&conn);
  if(out)
    close(fd);
  ticks = uptime() - t0;
  fprintf(2, "httpget: %d bytes%s%s in %d.%d%d s (%d KiB/s)\n", (int)total,
          out ? " to " : "", out ? out : "", ticks / 100, (ticks / 10) % 10, ticks % 10,
          ticks > 0 ? (int)(total * 100 / 1024 / ticks) : (int)(total / 1024));
  return 0;
}
