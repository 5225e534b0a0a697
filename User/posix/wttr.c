// wttr: the weather forecast from wttr.in, as plain text.
//
//   wttr [--http] [--cacert FILE] [-k] [-s SERVER] [location]
//
// By default over verified HTTPS to wttr.in:443 (the system CA bundle, or
// --cacert FILE; -k as httpget's). --http asks wttr.in:80 in plain HTTP.
// -s asks another server (the tests' stand-ins):
//   -s host[:port]          plain HTTP (port 80 unless given)
//   -s https://host[:port]  verified HTTPS (port 443 unless given)
// an IPv6 server in brackets: -s [fec0::2]:8080, -s https://[fec0::2]:8443.
//
// Sends "GET /LOCATION?0" over HTTP/1.1 with curl's User-Agent (wttr.in
// answers curl with text rather than HTML) and prints the body, whether it
// comes with Content-Length, chunked, or ends when the server closes.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpc.h"
#include "tls.h"

static struct httpc conn;
static char body[HTTPC_BUFSZ];

static void
usage(void)
{
  fprintf(stderr, "usage: wttr [--http] [--cacert FILE] [-k] [-s host[:port] | -s https://host[:port]] [location]\n");
  exit(2);
}

// Append location to path, percent-encoded, spaces as '+' (wttr.in's way).
static int
encode(char *out, int max, const char *loc)
{
  static const char hex[] = "0123456789ABCDEF";
  int n = 0;
  unsigned char c;

  for(; (c = *loc) != 0; loc++){
    if(n + 4 >= max)
      return -1;
    if(c == ' ')
      out[n++] = '+';
    else if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-_.~+,@:", c))
      out[n++] = c;
    else {
      out[n++] = '%';
      out[n++] = hex[c >> 4];
      out[n++] = hex[c & 15];
    }
  }
  out[n] = 0;
  return n;
}

int
main(int argc, char *argv[])
{
  static char server[300], hosthdr[300], err[400], path[512];
  struct httpc_opts o = { .prog = "wttr", .agent = "curl/8", .timeout_ms = 15000 };
  struct httpc_url u;
  const char *s = NULL, *loc = "";
  int i, plain = 0;
  ssize_t n;

  for(i = 1; i < argc; i++){
    if(strcmp(argv[i], "-s") == 0 && i + 1 < argc)
      s = argv[++i];
    else if(strcmp(argv[i], "--http") == 0)
      plain = 1;
    else if(strcmp(argv[i], "--cacert") == 0 && i + 1 < argc)
      o.cafile = argv[++i];
    else if(strcmp(argv[i], "-k") == 0)
      o.insecure = 1;
    else if(argv[i][0] == '-' || *loc)
      usage();
    else
      loc = argv[i];
  }
  // the server as a URL: "host:port" alone is plain HTTP, as it always was
  if(s == NULL)
    snprintf(server, sizeof server, "%s://wttr.in", plain ? "http" : "https");
  else if(strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0)
    snprintf(server, sizeof server, "%s", s);
  else if(strchr(s, ':') && s[0] != '[' && strchr(s, ':') != strrchr(s, ':'))
    snprintf(server, sizeof server, "http://[%s]", s);        // a bare IPv6 address
  else
    snprintf(server, sizeof server, "http://%s", s);
  if(httpc_parse_url(server, &u, err, sizeof err) < 0 || strcmp(u.path, "/") != 0){
    fprintf(stderr, "wttr: bad server %s (want host[:port], [IPv6 address][:port] or https://host[:port])\n",
            s ? s : server);
    return 2;
  }
  if(plain && u.https){
    fprintf(stderr, "wttr: --http and an https:// server contradict each other\n");
    return 2;
  }
  path[0] = '/';
  if(encode(path + 1, sizeof path - 8, loc) < 0){
    fprintf(stderr, "wttr: location too long\n");
    return 2;
  }
  strcat(path, "?0");
  snprintf(u.path, sizeof u.path, "%s", path);
  httpc_hosthdr(u.host, u.port, u.https, hosthdr, sizeof hosthdr);
  if(httpc_get(&conn, &u, hosthdr, &o) < 0){
    if(strncmp(conn.err, u.host, strlen(u.host)) == 0 || conn.err[0] == '[')
      fprintf(stderr, "wttr: %s\n", conn.err);       // a DNS or connect error
    else
      fprintf(stderr, "wttr: %s: %s\n", u.host, conn.err);
    return 1;
  }
  if(conn.status != 200){
    fprintf(stderr, "wttr: %s: server answered %d %s\n", u.host, conn.status, conn.reason);
    httpc_close(&conn);
    return 1;
  }
  while((n = httpc_read(&conn, body, sizeof body)) > 0)
    fwrite(body, 1, n, stdout);
  fflush(stdout);
  if(n < 0){
    fprintf(stderr, "wttr: %s: %s\n", u.host, conn.err);
    httpc_close(&conn);
    return 1;
  }
  httpc_close(&conn);
  return 0;
}
