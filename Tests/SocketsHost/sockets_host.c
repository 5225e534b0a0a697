// sockets_host.c: what the socket layer needs underneath it on the host:
// the lwIP shim itself (Net/lwip_sock.c and Net/lwip_sock_dgram.c, compiled
// here against Debian's lwIP headers, with the tcp_write guard they call,
// Net/lwip_mssguard.c), the kernel services of lwip_sock.h, and an interface
// to talk over.
//
// The network lock is lwIP's core lock. Sleep/wakeup use one condition
// variable and a generation count read under the core lock, so a wakeup
// between "decide to sleep" and "sleep" is never lost. Sleeps last at most a
// tick (10 ms), as the kernel's tick channel wakes its timed sleepers.
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/ip4_addr.h"
#include "lwip/ip6_addr.h"

#include "../../Net/lwip_sock.c"
#include "../../Net/lwip_sock_dgram.c"
#include "../../Net/lwip_mssguard.c"
#include "sockets_host.h"

static pthread_mutex_t sleep_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sleep_cv = PTHREAD_COND_INITIALIZER;
static unsigned long generation;   // guarded by sleep_mu, changed under the core lock
static __thread int killed_flag;
static char tick_chan;

void lsock_lock(void) { LOCK_TCPIP_CORE(); }
void lsock_unlock(void) { UNLOCK_TCPIP_CORE(); }
const void *lsock_tick_chan(void) { return &tick_chan; }
int lsock_killed(void) { return killed_flag; }
void sockets_host_set_killed(int on) { killed_flag = on; }

void
lsock_sleep(const void *chan)
{
  struct timespec ts;
  unsigned long g;

  (void)chan;
  pthread_mutex_lock(&sleep_mu);
  g = generation;
  UNLOCK_TCPIP_CORE();
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += 10 * 1000 * 1000;
  if(ts.tv_nsec >= 1000000000){
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000;
  }
  while(generation == g)
    if(pthread_cond_timedwait(&sleep_cv, &sleep_mu, &ts) == ETIMEDOUT)
      break;
  pthread_mutex_unlock(&sleep_mu);
  LOCK_TCPIP_CORE();
}

void
lsock_wakeup(const void *chan)
{
  (void)chan;
  pthread_mutex_lock(&sleep_mu);
  generation++;
  pthread_cond_broadcast(&sleep_cv);
  pthread_mutex_unlock(&sleep_mu);
}

uint64_t
lsock_now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// "User" memory is the test's own memory.
int
lsock_copyin(void *dst, uint64_t usrc, uint64_t n)
{
  if(usrc == 0)
    return -1;
  memcpy(dst, (const void*)(uintptr_t)usrc, n);
  return 0;
}

int
lsock_copyout(uint64_t udst, const void *src, uint64_t n)
{
  if(udst == 0)
    return -1;
  memcpy((void*)(uintptr_t)udst, src, n);
  return 0;
}

// ---- the interface ---------------------------------------------------------------

static struct netif host_if;

// Only frames for other hosts get here (lwIP loops back our own address).
static err_t
silent_output(struct netif *n, struct pbuf *p, const ip4_addr_t *dst)
{
  (void)n; (void)p; (void)dst;
  return ERR_OK;
}

static err_t
silent_output6(struct netif *n, struct pbuf *p, const ip6_addr_t *dst)
{
  (void)n; (void)p; (void)dst;
  return ERR_OK;
}

static err_t
host_if_init(struct netif *n)
{
  n->name[0] = 't';
  n->name[1] = '0';
  n->mtu = 1500;
  n->output = silent_output;
  n->output_ip6 = silent_output6;
  return ERR_OK;
}

// An IPv6 address of the interface, usable at once (no duplicate detection).
static void
add_ip6(const char *text)
{
  ip6_addr_t a;
  s8_t i;

  ip6addr_aton(text, &a);
  if(netif_add_ip6_address(&host_if, &a, &i) == ERR_OK)
    netif_ip6_addr_set_state(&host_if, i, IP6_ADDR_PREFERRED);
}

static pthread_mutex_t init_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t init_cv = PTHREAD_COND_INITIALIZER;
static int init_done;

static void
tcpip_ready(void *arg)
{
  (void)arg;
  pthread_mutex_lock(&init_mu);
  init_done = 1;
  pthread_cond_broadcast(&init_cv);
  pthread_mutex_unlock(&init_mu);
}

static void
init_once(void)
{
  ip4_addr_t addr, mask, gw;

  tcpip_init(tcpip_ready, 0);
  pthread_mutex_lock(&init_mu);
  while(!init_done)
    pthread_cond_wait(&init_cv, &init_mu);
  pthread_mutex_unlock(&init_mu);

  IP4_ADDR(&addr, 10, 0, 0, 1);
  IP4_ADDR(&mask, 255, 255, 255, 0);
  IP4_ADDR(&gw, 0, 0, 0, 0);
  LOCK_TCPIP_CORE();
  netif_add(&host_if, &addr, &mask, &gw, 0, host_if_init, tcpip_input);
  netif_set_default(&host_if);
  netif_set_up(&host_if);
  netif_set_link_up(&host_if);
  add_ip6(SOCKETS_HOST_ADDR6_LL);
  add_ip6(SOCKETS_HOST_ADDR6);
  UNLOCK_TCPIP_CORE();
}

void
sockets_host_init(void)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;

  pthread_once(&once, init_once);
}

uint32_t
sockets_host_if_index(void)
{
  return netif_get_index(&host_if);
}

void
sockets_host_keepalive(struct tcp_pcb *pcb, int *on, uint32_t *idle_ms, uint32_t *intvl_ms,
                       uint32_t *count)
{
  *on = ip_get_option(pcb, SOF_KEEPALIVE) != 0;
  *idle_ms = pcb->keep_idle;
  *intvl_ms = pcb->keep_intvl;
  *count = pcb->keep_cnt;
}
