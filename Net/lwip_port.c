// lwip_port.c: what lwIP (NO_SYS) needs from the kernel: a millisecond clock
// (sys_now), random numbers (LWIP_RAND), assertion handling and atoi.
// The network lock serialises every caller, so the random state needs no lock.
#include "lwip/opt.h"
#include "lwip/sys.h"
#include "lwip_glue.h"
#include "kshim.h"   // the kernel's clock and panic, as CShims offers them to Swift

// lwIP's timeouts run on this clock; it wraps after 49 days, which lwIP handles.
u32_t
sys_now(void)
{
  return (u32_t)kshim_uptime_ms();
}

// xorshift64* state. Never zero: xorshift stays at zero forever.
static uint64_t rand_state = 0x9e3779b97f4a7c15ull;

// Mix the CPU's time counter (10 MHz, differs from boot to boot by device
// timing) and caller-supplied bytes into the state. Not cryptographic: TCP
// ISNs and DHCP/DNS ids only need to differ between boots and guests.
void
lwip_port_seed(const uint8_t *extra, uint32_t n)
{
  uint64_t t;
  uint64_t s;

  asm volatile("rdtime %0" : "=r"(t));
  s = rand_state ^ t ^ (kshim_uptime_ms() << 32);
  for(uint32_t i = 0; i < n; i++)
    s = (s ^ extra[i]) * 0x100000001b3ull;  // FNV-1a step per byte
  // splitmix64 finaliser spreads the few varying bits over the whole word
  s ^= s >> 30;
  s *= 0xbf58476d1ce4e5b9ull;
  s ^= s >> 27;
  s *= 0x94d049bb133111ebull;
  s ^= s >> 31;
  rand_state = s ? s : 0x9e3779b97f4a7c15ull;
}

unsigned int
lwip_port_rand(void)
{
  uint64_t x = rand_state;

  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rand_state = x;
  return (unsigned int)((x * 0x2545f4914f6cdd1dull) >> 32);
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
