// random.c: the kernel's random numbers: getrandom(2), /dev/random and
// /dev/urandom, and random_u32() for lwIP (TCP initial sequence numbers,
// ports, DHCP and DNS ids). docs/random.md is the longer story.
//
// Source: the virtio entropy device (Sources/Drivers/VirtIO/VirtioRng.swift,
// QEMU's -device virtio-rng-device, fed from the host's /dev/urandom): 32
// bytes at boot, fresh bytes every RESEED_MS while the generator is used.
// Without the device (or if it stays silent for DEVICE_WAIT_MS after boot)
// the pool is seeded from timer jitter instead, a weaker source, and the
// boot console says so: waiting for ever would hang every program that needs
// a key, and Linux makes the same choice (its jitter entropy since 5.4).
//
// Generator: a 256-bit key and ChaCha20 (chacha20.c) used as "fast key
// erasure" (Bernstein, 2017; Linux's crng works so too): each request runs
// one block under the key, whose first half replaces the key at once and
// whose second half keys that request's output stream. A later read of the
// kernel's memory cannot reproduce bytes already handed out (the key they
// came from is gone), and requests after a reseed do not depend on what an
// attacker may have known before it.
// Mixing input in: for every 32-byte chunk c, key = ChaCha20(key ^ c) (its
// first half): each chunk changes the whole key, and the step cannot be run
// backwards to recover earlier keys or inputs.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "errnum.h"
#include "file.h"
#include "chacha20.h"
#include "drivers.h"
#include "entropy.h"
#include "random.h"

#define SEED_BYTES      32                  // device bytes before the pool counts as seeded
#define RESEED_MS       (60 * 1000)         // ask the device again after this, when used
#define DEVICE_WAIT_MS  3000                // after boot, give up on a silent device
#define GETRANDOM_MAX   (32 * 1024 * 1024 - 1)   // bytes per call, as Linux (4.x-5.17)
#define JITTER_SAMPLES  4096

// Domain separation: the nonce's last word says what a block is for, so the
// same key never yields the same block for two purposes.
enum { NONCE_MIX = 1, NONCE_REQUEST = 2, NONCE_WORDS = 3 };

int rng_irq = -1;   // PLIC irq of the entropy device, -1 if none (trap.c)

static struct {
  struct spinlock lock;   // guards all below; taken in interrupts (lwIP, the device)
  uint32 key[8];          // the generator's key
  uint64 requests;        // blocks drawn so far: the nonce of the next one
  uint32 words[8];        // random_u32's ready words (a block's second half)
  int nwords;
  uint32 device_bytes;    // bytes mixed in from the device since boot
  int seeded;             // 1 once SEED_BYTES came from the device or jitter did
  uint64 last_reseed_ms;  // when the device last gave bytes (or seeding)
} rnd;

static void
wipe(void *p, int n)
{
  volatile uchar *b = p;

  while(n-- > 0)
    *b++ = 0;
}

// One block under the key for purpose `what`; the key is then replaced by
// its first half (fast key erasure) and the second half is left in out[8].
static void
draw_locked(uint32 out[8], int what)
{
  uint32 nonce[3] = { rnd.requests, rnd.requests >> 32, what };
  uint32 block[16];

  rnd.requests++;
  chacha20_block(rnd.key, 0, nonce, (uint8*)block);
  memmove(rnd.key, block, 32);
  memmove(out, block + 8, 32);
  wipe(block, sizeof(block));
}

// Fold n bytes into the key, 32 at a time (see the top of the file).
static void
mix_locked(const uchar *in, uint n)
{
  uint32 chunk[8], nonce[3] = { 0, 0, NONCE_MIX };
  uint32 block[16];

  while(n > 0){
    uint m = n < 32 ? n : 32;
    memset(chunk, 0, sizeof(chunk));
    memmove(chunk, in, m);
    for(int i = 0; i < 8; i++)
      rnd.key[i] ^= chunk[i];
    chacha20_block(rnd.key, 0, nonce, (uint8*)block);
    memmove(rnd.key, block, 32);
    in += m;
    n -= m;
  }
  rnd.nwords = 0;   // words drawn under the old key are not handed out after it
  wipe(chunk, sizeof(chunk));
  wipe(block, sizeof(block));
  wipe(rnd.words, sizeof(rnd.words));
}

// From the entropy driver (interrupt or boot): mix, and wake getrandom's
// sleepers once the pool is seeded. Lock order: the driver's lock, then ours.
void
random_add_entropy(const void *buf, uint32_t len)
{
  acquire(&rnd.lock);
  mix_locked(buf, len);
  rnd.device_bytes += len;
  rnd.last_reseed_ms = uptime_ms();
  if(!rnd.seeded && rnd.device_bytes >= SEED_BYTES){
    rnd.seeded = 1;
    wakeup(&rnd.seeded);
  }
  release(&rnd.lock);
}

// Timer jitter: how long a little work takes, sampled JITTER_SAMPLES times
// with the 10 MHz timer, plus the wall clock. Under QEMU the timer follows
// the host's clock, so the low bits of each duration depend on the host's
// scheduling and caches; weak and unmeasured, but it differs from boot to
// boot and is not readable from outside the guest. Process or boot context.
static void
seed_from_jitter(void)
{
  uint64 samples[64] = {0};
  uint32 work[8] = {0}, nonce[3] = {0}, block[16];
  uint64 wall = rtc_read_ns();

  for(int i = 0; i < JITTER_SAMPLES; i++){
    uint64 t0 = r_time();
    chacha20_block(work, i, nonce, (uint8*)block);   // the work being timed
    work[i % 8] ^= block[0];
    samples[i % 64] = (samples[i % 64] << 7) ^ (r_time() - t0) ^ t0;
    if(i % 64 == 63){
      acquire(&rnd.lock);
      mix_locked((uchar*)samples, sizeof(samples));
      release(&rnd.lock);
    }
  }
  acquire(&rnd.lock);
  mix_locked((uchar*)&wall, sizeof(wall));
  if(!rnd.seeded){
    rnd.seeded = 1;
    rnd.last_reseed_ms = uptime_ms();
    wakeup(&rnd.seeded);
  }
  release(&rnd.lock);
  wipe(samples, sizeof(samples));
  wipe(block, sizeof(block));
}

// Ask the device for fresh bytes if RESEED_MS have passed. Called without
// our lock (the driver's lock comes first in the order).
static void
maybe_reseed(void)
{
  uint64 last;

  acquire(&rnd.lock);
  last = rnd.last_reseed_ms;
  release(&rnd.lock);
  if(uptime_ms() - last >= RESEED_MS)
    virtio_rng_request();   // at most one request is ever out
}

// For lwIP, under the network lock, often in an interrupt: never sleeps.
// It also keeps the reseeding going when no process reads.
uint32_t
random_u32(void)
{
  uint32 r;
  uint64 last;

  acquire(&rnd.lock);
  if(rnd.nwords == 0){
    draw_locked(rnd.words, NONCE_WORDS);
    rnd.nwords = 8;
  }
  r = rnd.words[--rnd.nwords];
  rnd.words[rnd.nwords] = 0;
  last = rnd.last_reseed_ms;
  release(&rnd.lock);
  if(uptime_ms() - last >= RESEED_MS)
    virtio_rng_request();   // lock order: network, then the driver's
  return r;
}

// Wait until the pool is seeded. 0, -EAGAIN (nonblock and not seeded) or
// -EINTR. A device silent DEVICE_WAIT_MS after boot is given up on: the
// caller seeds from jitter itself.
static int
wait_seeded(int nonblock)
{
  for(;;){
    acquire(&rnd.lock);
    int seeded = rnd.seeded;
    release(&rnd.lock);
    if(seeded)
      return 0;
    if(uptime_ms() >= DEVICE_WAIT_MS){
      printf("random: no answer from virtio-rng after %d ms: seeding from timer jitter (weak)\n",
             DEVICE_WAIT_MS);
      seed_from_jitter();
      return 0;
    }
    if(nonblock)
      return -EAGAIN;
    virtio_rng_request();   // in case a short answer left the pool unseeded
    // Sleep a tick at a time: the wakeup on &rnd.seeded is only a hint, and
    // the tick also brings DEVICE_WAIT_MS around.
    acquire(&tickslock);
    int r = sleep_killable(&ticks, &tickslock);
    release(&tickslock);
    if(r < 0 || interrupted(myproc()))
      return -EINTR;
  }
}

// Copy n random bytes to user address dst (user_dst as either_copyout).
// Returns the count, or -EFAULT if nothing could be copied, or -EINTR if a
// signal came before the first chunk; a signal or fault later ends it early.
static long
random_read(int user_dst, uint64 dst, uint64 n)
{
  uint32 key[8], nonce[3] = {0};
  uchar block[64];
  uint64 done = 0;

  if(n > GETRANDOM_MAX)
    n = GETRANDOM_MAX;
  acquire(&rnd.lock);
  draw_locked(key, NONCE_REQUEST);
  release(&rnd.lock);
  for(uint32 ctr = 0; done < n; ctr++){
    uint64 m = n - done < 64 ? n - done : 64;
    // Linux's rule: a pending signal ends a long read at a page boundary.
    if(done > 0 && done % PGSIZE == 0 && user_dst && interrupted(myproc()))
      break;
    chacha20_block(key, ctr, nonce, block);
    if(either_copyout(user_dst, dst + done, block, m) < 0){
      wipe(block, sizeof(block));
      wipe(key, sizeof(key));
      return done > 0 ? (long)done : -EFAULT;
    }
    done += m;
  }
  wipe(block, sizeof(block));
  wipe(key, sizeof(key));
  maybe_reseed();
  return done;
}

// getrandom(buf, len, flags), Linux's call: GRND_NONBLOCK, GRND_RANDOM
// (the same pool: Linux 5.6+ has no separate one), GRND_INSECURE (never
// waits, even unseeded). Returns the bytes written or -errno.
uint64
sys_getrandom(void)
{
  uint64 buf, len;
  int flags, r;

  argaddr(0, &buf);
  argaddr(1, &len);
  argint(2, &flags);
  if(flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
     (flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
    return -EINVAL;
  if(!(flags & GRND_INSECURE) && (r = wait_seeded(flags & GRND_NONBLOCK)) < 0)
    return r;
  if(len == 0)
    return 0;
  return random_read(1, buf, len);
}

// /dev/random: waits until seeded, as Linux's has since 5.6.
static int
devrandom_read(int user_dst, uint64 dst, int n)
{
  int r;

  if((r = wait_seeded(0)) < 0)
    return r;
  return random_read(user_dst, dst, n);
}

// /dev/urandom: never waits (Linux's rule), unseeded bytes early at boot.
static int
devurandom_read(int user_dst, uint64 dst, int n)
{
  return random_read(user_dst, dst, n);
}

// Writing mixes the bytes in, as on Linux, without counting them as seed.
static int
devrandom_write(int user_src, uint64 src, int n)
{
  uchar chunk[64];
  int done = 0;

  while(done < n){
    int m = n - done < 64 ? n - done : 64;
    if(either_copyin(chunk, user_src, src + done, m) < 0)
      break;
    acquire(&rnd.lock);
    mix_locked(chunk, m);
    release(&rnd.lock);
    done += m;
  }
  wipe(chunk, sizeof(chunk));
  return done > 0 || n == 0 ? done : -1;
}

// Boot, on hart 0 before netinit (lwIP draws its first numbers there): a
// first key from the clocks (known to nobody outside, but not secret
// either), then the device's bytes, or timer jitter if there is no device.
void
random_init(void)
{
  uint64 early[2] = { r_time(), rtc_read_ns() };

  initlock(&rnd.lock, "random");
  acquire(&rnd.lock);
  mix_locked((uchar*)early, sizeof(early));
  release(&rnd.lock);
  devsw[RANDOM].read = devrandom_read;
  devsw[RANDOM].write = devrandom_write;
  devsw[URANDOM].read = devurandom_read;
  devsw[URANDOM].write = devrandom_write;

  rng_irq = virtio_rng_init();   // prints its line; seeds if the device answers
  if(rng_irq >= 0){
    plic_enable(rng_irq);
    return;
  }
  printf("random: no virtio-rng device: seeded from timer jitter (weak; docs/random.md)\n");
  seed_from_jitter();
}

// The entropy device's interrupt (trap.c).
void
random_intr(void)
{
  virtio_rng_intr();
}
