// peer_apps.h: the applications the test frames talk to, shared by the
// libFuzzer harness (tools/fuzz/fuzz_netif.c) and the host malformed-frame
// test (Tests/NetInputHost/net_input_host.c): a TCP echo server on port 80, a
// UDP echo on port 7, and a client connection from port 40000 to 10.0.2.2:5000
// so that SYN_SENT and the states after it see input too. Include after lwIP's
// headers; call with lwIP's lock held where there is one.
#pragma once

// How the TCP echo writes, as the kernel's socket layer may (the fuzz harness
// sets it per frame; 0 is one plain write):
#define ECHO_SPLIT_MORE  0x1   // in two writes, the first with TCP_WRITE_FLAG_MORE (MSG_MORE)
#define ECHO_OUTPUT      0x2   // tcp_output at once, as a socket's push does
#define ECHO_SHUTDOWN    0x4   // then shut the sending side, as httpd does after a reply
static unsigned echo_mode;

static void
echo_write(struct tcp_pcb *pcb, const void *data, u16_t len, u8_t flags)
{
  if(len > 0 && lwip_tcp_write_ready(pcb))
    tcp_write(pcb, data, len, (u8_t)(TCP_WRITE_FLAG_COPY | flags));
}

static err_t
echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
  u16_t half;

  (void)arg; (void)err;
  if(p == NULL){
    tcp_close(pcb);
    return ERR_OK;
  }
  tcp_recved(pcb, p->tot_len);
  if(tcp_sndbuf(pcb) >= p->tot_len && p->len > 0){
    half = (echo_mode & ECHO_SPLIT_MORE) ? p->len / 2 : 0;
    echo_write(pcb, p->payload, half, TCP_WRITE_FLAG_MORE);
    echo_write(pcb, (const u8_t *)p->payload + half, (u16_t)(p->len - half), 0);
  }
  pbuf_free(p);
  if(echo_mode & ECHO_OUTPUT)
    tcp_output(pcb);
  if(echo_mode & ECHO_SHUTDOWN)
    tcp_shutdown(pcb, 0, 1);
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
