// errmap.c: the kernel's errno numbers (Linux's) turned into the C library's
// (newlib's, which differ above 34), matched by name through errnames.h.
#include <errno.h>
#include "errnames.h"
#include "calls.h"

static const short posix_errnos[] = { ERRNO_NAMES(ERRNO_VALUE) };
extern const short __xv6_kernel_errnos[];
extern const int __xv6_nerrnos;

int
__xv6_errno(int kerr)
{
  for(int i = 0; i < __xv6_nerrnos; i++)
    if(__xv6_kernel_errnos[i] == kerr)
      return posix_errnos[i];
  return EIO;
}

long
__xv6_ret(long r)
{
  if(r < 0){
    errno = __xv6_errno(-r);
    return -1;
  }
  return r;
}
