// <sys/random.h>: getrandom, as glibc declares it (Linux's call, number and
// flags; the kernel's is Kernel/random.c). getentropy is in <unistd.h>.
#pragma once
#include <sys/types.h>
#include "abi/random.h"   // GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE: Linux's values

// Up to len random bytes into buf (at most 32 MiB - 1 per call): the count,
// or -1 and errno (EAGAIN with GRND_NONBLOCK before the kernel is seeded,
// EINTR, EFAULT, EINVAL for unknown flags).
ssize_t getrandom(void *buf, size_t len, unsigned int flags);
