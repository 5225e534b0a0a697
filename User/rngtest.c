// rngtest: the guest side of Tests/integration/test_random.py. Prints one
// line per check, for the test to compare between boots and against the
// documented results (Kernel/random.c, docs/random.md):
//   bytes HEX        32 bytes from getrandom(buf, 32, 0)
//   nonblock N       getrandom with GRND_NONBLOCK (the pool is seeded by now)
//   efault N N       a NULL and a kernel address: -EFAULT (-14)
//   einval N N       an unknown flag, GRND_RANDOM|GRND_INSECURE: -EINVAL (-22)
//   zero N           a length of 0
//   partial N        64 KiB at the top of memory, asked for 2^40: stops at the fault
//   bound N          a 33 MiB buffer filled by one call: at most 32 MiB - 1
//   dev PATH N HEX   a read of 32 bytes from /dev/random, /dev/urandom
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/random.h"
#include "user/user.h"

static void
hex(const uchar *b, int n)
{
  for(int i = 0; i < n; i++)
    printf("%02x", b[i]);
}

static void
dev(const char *path)
{
  uchar b[32];
  int fd = open(path, O_RDONLY), n = -1;

  if(fd >= 0){
    n = read(fd, b, sizeof(b));
    close(fd);
  }
  printf("dev %s %d ", path, n);
  hex(b, n > 0 ? n : 0);
  printf("\n");
}

int
main(int argc, char *argv[])
{
  uchar b[32];
  long r;

  r = getrandom(b, sizeof(b), 0);
  printf("bytes %ld ", r);
  hex(b, r > 0 ? r : 0);
  printf("\n");
  printf("nonblock %ld\n", getrandom(b, 16, GRND_NONBLOCK));
  printf("efault %ld %ld\n", getrandom(0, 16, 0), getrandom((void*)0x80000000UL, 16, 0));
  printf("einval %ld %ld\n", getrandom(b, 16, 8), getrandom(b, 16, GRND_RANDOM | GRND_INSECURE));
  printf("zero %ld\n", getrandom(b, 0, GRND_RANDOM));
  if(argc > 1 && strcmp(argv[1], "-q") == 0)
    exit(0);
  dev("/dev/random");
  dev("/dev/urandom");
  // Last: these two grow the address space, and what follows the buffer is
  // the end of memory, so a fault ends each call.
  char *top = sbrk(64 * 1024);
  printf("partial %ld\n", getrandom(top, 1UL << 40, 0));
  char *big = sbrk(33 * 1024 * 1024);
  printf("bound %ld\n", big == (char*)-1 ? -1 : getrandom(big, 33 * 1024 * 1024, 0));
  exit(0);
}
