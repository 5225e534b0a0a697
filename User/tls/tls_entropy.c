// tls_entropy.c: where the tls library's randomness comes from. mbedTLS is
// built with MBEDTLS_ENTROPY_HARDWARE_ALT and MBEDTLS_NO_PLATFORM_ENTROPY
// (User/tls/mbedtls_config.h), so mbedtls_hardware_poll() below is its only
// entropy source, and it reads the kernel's: getrandom(2), with Linux's
// semantics (flags 0: blocks until the kernel's pool is seeded from the
// virtio-rng device, then never fails short of a signal). Until the POSIX
// layer has getrandom, /dev/random is read if it opens and is a device;
// otherwise TLS fails with a clear message. There is no fallback to a clock,
// a counter or a fixed seed.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mbedtls/entropy.h"
#include "mbedtls/entropy_poll.h"
#include "tls_internal.h"

// Weak: resolves to NULL while no library defines getrandom. A weak reference
// does not pull a member out of an archive, so when the POSIX layer gains
// getrandom (issue 16, branch rng), drop the weak attribute here.
extern ssize_t getrandom(void *buf, size_t len, unsigned int flags) __attribute__((weak));

static int
from_getrandom(unsigned char *p, size_t len)
{
  ssize_t n;

  while(len > 0){
    n = getrandom(p, len, 0);
    if(n < 0 && errno == EINTR)
      continue;
    if(n <= 0){
      tls_set_error("no entropy: getrandom: %s", n < 0 ? strerror(errno) : "returned 0");
      return -1;
    }
    p += n;
    len -= n;
  }
  return 0;
}

static int
from_device(unsigned char *p, size_t len)
{
  struct stat st;
  ssize_t n;
  int fd;

  if((fd = open("/dev/random", O_RDONLY)) < 0){
    tls_set_error("no entropy source: this system has no getrandom() and no /dev/random "
                  "(the virtio-rng device and getrandom system call of issue 16)");
    return -1;
  }
  // A regular file would be a fixed seed: the same bytes every run.
  if(fstat(fd, &st) < 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)){
    close(fd);
    tls_set_error("no entropy source: /dev/random is not a device");
    return -1;
  }
  while(len > 0){
    n = read(fd, p, len);
    if(n < 0 && errno == EINTR)
      continue;
    if(n <= 0){
      tls_set_error("no entropy: /dev/random: %s", n < 0 ? strerror(errno) : "end of file");
      close(fd);
      return -1;
    }
    p += n;
    len -= n;
  }
  close(fd);
  return 0;
}

int
tls_entropy(void *buf, size_t len)
{
  if(getrandom != NULL)
    return from_getrandom(buf, len);
  return from_device(buf, len);
}

// mbedTLS's entropy pool polls this for MBEDTLS_ENTROPY_MIN_HARDWARE bytes at
// a time and counts them as strong.
int
mbedtls_hardware_poll(void *data, unsigned char *out, size_t len, size_t *olen)
{
  (void)data;
  *olen = 0;
  if(tls_entropy(out, len) < 0)
    return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
  *olen = len;
  return 0;
}
