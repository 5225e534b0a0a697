// clock.c: the clocks behind clock_gettime (system call 26).
//   CLOCK_REALTIME   QEMU virt's Goldfish RTC at 0x101000, which QEMU creates
//                    with every virt machine: nanoseconds since 1970 from the
//                    host's clock (-rtc base=utc, the default).
//   CLOCK_MONOTONIC  the `time` CSR (the CLINT's mtime, MTIME_HZ = 10 MHz):
//                    100 ns resolution, counts from boot, the same on every hart.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "errnum.h"
#include "clock.h"

#define NSEC_PER_SEC 1000000000L

// Goldfish RTC registers (QEMU hw/rtc/goldfish_rtc.c). Reading TIME_LOW
// latches the high half into TIME_HIGH, so the pair is read low first.
enum { RTC_TIME_LOW = 0x00, RTC_TIME_HIGH = 0x04 };

// guards the RTC's latch: two harts reading at once could pair one's low
// half with the other's high half
static struct spinlock rtclock;

void
clockinit(void)
{
  initlock(&rtclock, "rtc");
}

static uint32
rtc_reg(int off)
{
  return *(volatile uint32*)(GOLDFISH_RTC + off);
}

// Nanoseconds since 1970, from the RTC (also an early seed: random.c).
uint64
rtc_read_ns(void)
{
  acquire(&rtclock);
  uint64 lo = rtc_reg(RTC_TIME_LOW);
  uint64 hi = rtc_reg(RTC_TIME_HIGH);
  release(&rtclock);
  return hi << 32 | lo;
}

// Nanoseconds since boot, from the timer.
static uint64
monotonic_ns(void)
{
  uint64 t = r_time();

  return t / MTIME_HZ * NSEC_PER_SEC + t % MTIME_HZ * (NSEC_PER_SEC / MTIME_HZ);
}

// clock_gettime(clockid, ts): 0, -EINVAL for an unknown clock, -EFAULT for a
// bad ts.
uint64
sys_clock_gettime(void)
{
  int id;
  uint64 uts, ns;
  struct timespec ts;

  argint(0, &id);
  argaddr(1, &uts);
  if(id == CLOCK_REALTIME)
    ns = rtc_read_ns();
  else if(id == CLOCK_MONOTONIC)
    ns = monotonic_ns();
  else
    return -EINVAL;
  ts.tv_sec = ns / NSEC_PER_SEC;
  ts.tv_nsec = ns % NSEC_PER_SEC;
  if(copyout(myproc()->pagetable, uts, (char*)&ts, sizeof(ts)) < 0)
    return -EFAULT;
  return 0;
}
