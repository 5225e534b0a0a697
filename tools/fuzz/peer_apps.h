// peer_apps.h: the applications the test frames talk to, shared by the
// libFuzzer harness (tools/fuzz/fuzz_netif.c) and the host malformed-frame
// test (Tests/NetInputHost/net_input_host.c): a TCP echo server (bound to
// port 80 by each) and a UDP echo (port 7). Include after lwIP's headers.
#pragma once

static err_t
echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
  (void)arg; (void)err;
  if(p == NULL){
    tcp_close(pcb);
    return ERR_OK;
  }
  tcp_recved(pcb, p->tot_len);
  if(tcp_sndbuf(pcb) >= p->tot_len && p->len > 0)
    tcp_write(pcb, p->payload, p->len, TCP_WRITE_FLAG_COPY);
  pbuf_free(p);
  return ERR_OK;
}

static err_t
echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
  (void)arg;
  if(err != ERR_OK || pcb == NULL)
    return ERR_VAL;
  tcp_recv(pcb, echo_recv);
  return ERR_OK;
}

static void
udp_echo(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *a, u16_t port)
{
  (void)arg;
  udp_sendto(pcb, p, a, port);
  pbuf_free(p);
}
