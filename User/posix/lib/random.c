// random.c: getrandom (<sys/random.h>) and getentropy (<unistd.h>, declared
// by the C library) over the kernel's getrandom call (Kernel/random.c).
#include <errno.h>
#include <sys/random.h>
#include <unistd.h>
#include "calls.h"

ssize_t
getrandom(void *buf, size_t len, unsigned int flags)
{
  return __xv6_ret(__xv6_getrandom(buf, len, flags));
}

// glibc's rules: at most 256 bytes (else EIO), all of them or an error;
// it waits for the seed and is not cut short by signals.
int
getentropy(void *buf, size_t len)
{
  size_t done = 0;
  ssize_t r;

  if(len > 256){
    errno = EIO;
    return -1;
  }
  while(done < len){
    r = getrandom((char *)buf + done, len - done, 0);
    if(r < 0 && errno == EINTR)
      continue;
    if(r < 0)
      return -1;
    done += r;
  }
  return 0;
}
