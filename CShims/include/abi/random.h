// CShims/include/abi/random.h: getrandom(2)'s flags, Linux's values, defined
// once for the kernel (Kernel/random.c) and both user worlds (user/user.h's
// getrandom, the POSIX layer's <sys/random.h>).
#pragma once

#define GRND_NONBLOCK 0x0001   // EAGAIN instead of waiting for the seed
#define GRND_RANDOM   0x0002   // accepted; the same pool (as Linux since 5.6)
#define GRND_INSECURE 0x0004   // never wait, even before the seed (Linux 5.6)
