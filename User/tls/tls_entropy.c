// tls_entropy.c: where the tls library's randomness comes from. mbedTLS is
// built with MBEDTLS_ENTROPY_HARDWARE_ALT and MBEDTLS_NO_PLATFORM_ENTROPY
// (User/tls/mbedtls_config.h), so mbedtls_hardware_poll() below is its only
// entropy source, and it reads the kernel's: getrandom(2), with Linux's
// semantics (flags 0: blocks until the kernel's generator is seeded from the
// virtio-rng device, docs/random.md). There is no fallback to a clock, a
// counter or a fixed seed: if getrandom fails, so does the handshake, saying why.
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "mbedtls/entropy.h"
#include "mbedtls/entropy_poll.h"
#include "tls_internal.h"

int
tls_entropy(void *buf, size_t len)
{
  unsigned char *p = buf;
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
