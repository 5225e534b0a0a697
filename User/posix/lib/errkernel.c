// errkernel.c: the kernel's errno numbers in errnames.h's order. Only the
// kernel's header is included here: the C library's <errno.h> uses the same
// names for other numbers (errmap.c has those).
#include "kernel/errnum.h"
#include "errnames.h"

const short __xv6_kernel_errnos[] = { ERRNO_NAMES(ERRNO_VALUE) };
const int __xv6_nerrnos = sizeof(__xv6_kernel_errnos) / sizeof(__xv6_kernel_errnos[0]);
