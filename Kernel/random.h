// random.h: getrandom(2)'s flags for the kernel and xv6-style programs (as
// "kernel/random.h"); one definition, shared with the POSIX layer's
// <sys/random.h>: CShims/include/abi/random.h.
#include "abi/random.h"
