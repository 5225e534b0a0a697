// tools/fuzz/arch/cc.h: lwIP's platform description for the host (x86_64 Linux,
// glibc) build of the fuzz target. It shadows lwipopts/arch/cc.h, which is for
// the freestanding kernel; the lwIP sources and options are the kernel's.
#pragma once
#include <stdio.h>
#include <stdlib.h>

#define LWIP_NO_UNISTD_H 1

// An lwIP assertion is a broken invariant: make it a crash the fuzzer reports.
#define LWIP_PLATFORM_DIAG(x)   do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) do { fprintf(stderr, "lwIP assert: %s at %s:%d\n", \
                                     (x), __FILE__, __LINE__); abort(); } while (0)

// Deterministic random numbers so a crash input replays the same way.
unsigned int fuzz_rand(void);
#define LWIP_RAND() ((u32_t)fuzz_rand())
