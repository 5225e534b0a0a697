// netstat: list the sockets: protocol, local and remote address, TCP state
// and the bytes (TCP) or datagrams (UDP) waiting to be read. AF_INET6
// sockets are tcp6, udp6 and raw6, as in Linux's netstat; their endpoints
// are [address]:port, the address in RFC 5952's form (an IPv4 peer of a
// dual-stack socket as [::ffff:a.b.c.d]).
//
//   netstat
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include "kernel/../CShims/include/lwip_sock.h"

// lwIP's enum tcp_state, in its order (lwip/tcpbase.h).
static const char *tcpstates[] = {
  "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1",
  "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
};

// The socket layer's own state, for sockets without a TCP pcb.
static const char *sockstates[] = {
  "IDLE", "LISTENING", "CONNECTING", "CONNECTED", "FAILED", "CLOSING",
};

// An IPv6 address in RFC 5952's text form: lowercase hex groups without
// leading zeros, the longest run of two or more zero groups (the first of
// equals) as "::", and ::ffff:a.b.c.d for IPv4-mapped addresses.
static void
ip6text(char *out, int n, const uint8_t a[16])
{
  int g[8], best = -1, bestlen = 1, i, j, len = 0;

  for(i = 0; i < 8; i++)
    g[i] = a[2*i] << 8 | a[2*i+1];
  for(i = 0; i < 8; i = j + 1){
    for(j = i; j < 8 && g[j] == 0; j++)
      ;
    if(j - i > bestlen){
      best = i;
      bestlen = j - i;
    }
  }
  if(best == 0 && bestlen == 5 && g[5] == 0xffff){
    snprintf(out, n, "::ffff:%d.%d.%d.%d", a[12], a[13], a[14], a[15]);
    return;
  }
  out[0] = 0;
  for(i = 0; i < 8 && len < n; ){
    if(i == best){
      len += snprintf(out + len, n - len, "::");
      i += bestlen;
      continue;
    }
    len += snprintf(out + len, n - len, "%s%x", i > 0 && i != best + bestlen ? ":" : "", g[i]);
    i++;
  }
}

// addr:port (port 0: *); for an AF_INET6 socket [addr]:port, an IPv4
// address shown as the IPv4-mapped one and a zone as %scope.
static void
endpoint(char *out, int n, int family, struct lsock_addr *a)
{
  char text[64];
  uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff };

  if(family == AF_INET){
    inet_ntop(AF_INET, a->addr, text, sizeof(text));
  } else {
    if(a->family == AF_INET){
      memmove(mapped + 12, a->addr, 4);
      ip6text(text, sizeof(text) - 12, mapped);
    } else {
      ip6text(text, sizeof(text) - 12, a->addr);
    }
    if(a->scope)
      snprintf(text + strlen(text), 12, "%%%d", a->scope);
  }
  if(family == AF_INET && a->port)
    snprintf(out, n, "%s:%d", text, a->port);
  else if(family == AF_INET)
    snprintf(out, n, "%s:*", text);
  else if(a->port)
    snprintf(out, n, "[%s]:%d", text, a->port);
  else
    snprintf(out, n, "[%s]:*", text);
}

static const char*
proto(struct sock_info *si)
{
  static const char *names[2][3] = { { "tcp", "udp", "raw" }, { "tcp6", "udp6", "raw6" } };

  if(si->kind < SOCK_STREAM || si->kind > SOCK_RAW)
    return "?";
  return names[si->family == AF_INET6][si->kind - SOCK_STREAM];
}

static const char*
state(struct sock_info *si)
{
  if(si->kind != SOCK_STREAM)
    return "";
  if(si->tcp_state >= 0 && si->tcp_state < (int)(sizeof(tcpstates) / sizeof(tcpstates[0])))
    return tcpstates[si->tcp_state];
  if(si->state >= 0 && si->state < (int)(sizeof(sockstates) / sizeof(sockstates[0])))
    return sockstates[si->state];
  return "?";
}

int
main(int argc, char *argv[])
{
  struct sock_info si;
  char local[80], remote[80];
  int i, r, n = 0;

  if(argc > 1){
    fprintf(2, "usage: netstat\n");
    exit(2);
  }
  printf("%-5s %-21s %-21s %-12s %s\n", "Proto", "Local Address", "Foreign Address",
         "State", "Recv-Q");
  for(i = 0; (r = netinfo(NETINFO_SOCK, &si, i)) >= 0; i++){
    if(r == 0 || si.kind == 0)
      continue;
    endpoint(local, sizeof(local), si.family, &si.local);
    endpoint(remote, sizeof(remote), si.family, &si.remote);
    printf("%-5s %-21s %-21s %-12s %d", proto(&si), local, remote, state(&si), si.rx_queued);
    if(si.accept_queued)
      printf("  (%d to accept)", si.accept_queued);
    if(si.drops)
      printf("  (%d dropped)", (int)si.drops);
    printf("\n");
    n++;
  }
  if(i == 0 && errno != EINVAL){
    fprintf(2, "netstat: %s\n", strerror(errno));
    exit(1);
  }
  printf("%d socket%s\n", n, n == 1 ? "" : "s");
  return 0;
}
