// lwip_port.c: what lwIP (NO_SYS) needs from the kernel: a millisecond clock
// (sys_now), random numbers (LWIP_RAND, TCP ISNs), assertion handling and atoi.
#include "lwip/opt.h"
#include "lwip/sys.h"
#include "lwip_glue.h"
#include "kshim.h"   // the kernel's clock and panic, as CShims offers them to Swift
#include "entropy.h" // the kernel's random numbers, the same way

// lwIP's timeouts run on this clock; it wraps after 49 days, which lwIP handles.
u32_t
sys_now(void)
{
  return (u32_t)kshim_uptime_ms();
}

// LWIP_RAND: ports, DHCP/DHCPv6 transaction ids, DNS ids and source ports,
// MLD delays. From the kernel's ChaCha20 generator (Kernel/random.c), so none
// of them can be guessed from earlier ones or from the boot time.
unsigned int
lwip_port_rand(void)
{
  return random_u32();
}

// LWIP_HOOK_TCP_ISN: every connection's initial sequence number drawn at
// random (lwIP's default is a counter an off-path attacker can predict, RFC
// 6528 §1). Not RFC 6528's clock-plus-hash: it keeps successive
// incarnations of one 4-tuple increasing, which matters only while the old
// one is in TIME_WAIT, and lwIP refuses a new SYN then (lwip_synguard.c's
// early reuse aborts the old connection first).
unsigned int
lwip_port_isn(void)
{
  return random_u32();
}

// LWIP_PLATFORM_ASSERT: lwIP found its own state inconsistent.
void
lwip_port_assert(const char *msg, int line, const char *file)
{
  printf("lwip: assertion \"%s\" failed at %s:%d\n", msg, file, line);
  kshim_panic("lwip assertion");
}

// atoi for lwIP's netif_find (lwipopts/libc/stdlib.h maps atoi here).
int
lwip_port_atoi(const char *s)
{
  int n = 0;
  int neg = 0;

  if(*s == '-'){
    neg = 1;
    s++;
  }
  while(*s >= '0' && *s <= '9')
    n = n * 10 + (*s++ - '0');
  return neg ? -n : n;
}
