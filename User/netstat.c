// netstat: list the sockets: protocol, local and remote address, TCP state
// and the bytes (TCP) or datagrams (UDP) waiting to be read.
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

static void
endpoint(char *out, int n, uint32_t a, uint16_t port)
{
  char text[INET_ADDRSTRLEN];

  inet_ntop(AF_INET, &a, text, sizeof(text));
  if(port)
    snprintf(out, n, "%s:%d", text, port);
  else
    snprintf(out, n, "%s:*", text);
}

static const char*
state(struct sock_info *si)
{
  if(si->kind == SOCK_DGRAM)
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
  char local[24], remote[24];
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
    endpoint(local, sizeof(local), si.laddr, si.lport);
    endpoint(remote, sizeof(remote), si.raddr, si.rport);
    printf("%-5s %-21s %-21s %-12s %d", si.kind == SOCK_STREAM ? "tcp" : "udp",
           local, remote, state(&si), si.rx_queued);
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
