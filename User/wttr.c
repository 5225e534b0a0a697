// wttr: the weather forecast from wttr.in, as plain text.
//
//   wttr [-s host[:port]] [location]      (an IPv6 server: -s [addr]:port)
//
// Sends "GET /LOCATION?0" over HTTP/1.1 with curl's User-Agent (wttr.in
// answers curl with text rather than HTML) and prints the body, whether it
// comes with Content-Length, chunked, or ends when the server closes.
// -s asks another server (the tests' stand-in) instead of wttr.in:80.
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include "user/netdb.h"
#include "user/http.h"

#define TIMEOUT_MS 15000

static struct http_conn conn;
static char body[HTTP_BUFSZ];

// Append location to path, percent-encoded, spaces as '+' (wttr.in's way).
static int
encode(char *out, int max, const char *loc)
{
  static const char hex[] = "0123456789ABCDEF";
  int n = 0;
  uchar c;

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

// "host[:port]", "[v6]:port" or a bare IPv6 address into host and port.
static int
parse_server(const char *s, char *host, int max, int *port)
{
  char portstr[8];
  const char *p;

  if(inet_hostport(s, host, max, portstr, sizeof(portstr)) < 0)
    return -1;
  *port = 80;
  if(portstr[0]){
    for(p = portstr; *p; p++)
      if(*p < '0' || *p > '9')
        return -1;
    *port = atoi(portstr);
    if(*port <= 0 || *port > 65535)
      return -1;
  }
  return 0;
}

int
main(int argc, char *argv[])
{
  static char host[128], hosthdr[140], path[512];
  const char *server = "wttr.in", *loc = "";
  int i, n, port;

  for(i = 1; i < argc; i++){
    if(strcmp(argv[i], "-s") == 0 && i + 1 < argc)
      server = argv[++i];
    else if(argv[i][0] == '-' || *loc){
      fprintf(2, "usage: wttr [-s host[:port]] [location]\n");
      exit(2);
    } else
      loc = argv[i];
  }
  if(parse_server(server, host, sizeof(host), &port) < 0){
    fprintf(2, "wttr: bad server %s (want host[:port] or [IPv6 address][:port])\n", server);
    exit(2);
  }
  path[0] = '/';
  if(encode(path + 1, sizeof(path) - 8, loc) < 0){
    fprintf(2, "wttr: location too long\n");
    exit(2);
  }
  strcpy(path + strlen(path), "?0");
  http_hosthdr(host, port, hosthdr, sizeof(hosthdr));
  if(http_get(&conn, host, port, hosthdr, path, "curl/8", TIMEOUT_MS) < 0){
    if(strncmp(conn.err, host, strlen(host)) == 0 || conn.err[0] == '[')
      fprintf(2, "wttr: %s\n", conn.err);       // a DNS or connect error
    else
      fprintf(2, "wttr: %s: %s\n", host, conn.err);
    exit(1);
  }
  if(conn.status != 200){
    fprintf(2, "wttr: %s: server answered %d %s\n", host, conn.status, conn.reason);
    http_close(&conn);
    exit(1);
  }
  while((n = http_read(&conn, body, sizeof(body))) > 0)
    write(1, body, n);
  if(n < 0){
    fprintf(2, "wttr: %s: %s\n", host, conn.err);
    http_close(&conn);
    exit(1);
  }
  http_close(&conn);
  return 0;
}
