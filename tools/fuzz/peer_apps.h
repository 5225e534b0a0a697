// peer_apps.h: the applications the test frames talk to, shared by the
// libFuzzer harness (tools/fuzz/fuzz_netif.c) and the host malformed-frame
// test (Tests/NetInputHost/net_input_host.c): a TCP echo server on port 80, a
// UDP echo on port 7, and a client connection from port 40000 to 10.0.2.2:5000
// so that SYN_SENT and the states after it see input too. Include after lwIP's
// headers; call with lwIP's lock held where there is one.
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
  if(tcp_sndbuf(pcb) >= p->tot_len && p->len > 0 && lwip_tcp_write_ready(pcb))
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

// Start the echo servers (once, after the interface is up), on both families
// (dual-stack pcbs, as the kernel's AF_INET6 sockets have them).
static void
peer_apps_listen(void)
{
  struct tcp_pcb *l = tcp_new_ip_type(IPADDR_TYPE_ANY);
  struct udp_pcb *u = udp_new_ip_type(IPADDR_TYPE_ANY);

  tcp_bind(l, IP_ANY_TYPE, 80);
  l = tcp_listen_with_backlog(l, 4);
  tcp_accept(l, echo_accept);
  udp_bind(u, IP_ANY_TYPE, 7);
  udp_recv(u, udp_echo, NULL);
}

// Open the client connection (again after a teardown aborted it).
static void
peer_connect_out(void)
{
  struct tcp_pcb *c = tcp_new();
  ip_addr_t dst;

  if(c == NULL)
    return;
  ip_set_option(c, SOF_REUSEADDR);
  IP_ADDR4(&dst, 10, 0, 2, 2);
  if(tcp_bind(c, IP_ADDR_ANY, 40000) != ERR_OK){
    tcp_abort(c);
    return;
  }
  tcp_recv(c, echo_recv);
  tcp_connect(c, &dst, 5000, NULL);
}
