// arch/cc.h: lwIP's compiler and platform description for this kernel
// (64-bit RISC-V, lp64, little endian, freestanding clang).
//
// The kernel has no C library: stddef.h, stdint.h and limits.h come from clang's
// resource directory; string.h and stdlib.h from lwipopts/libc/ (backed by
// Kernel/string.c and Net/lwip_port.c); the rest lwIP is told to do
// without.
#pragma once

// Headers lwIP may not include: it then uses its own definitions.
#define LWIP_NO_INTTYPES_H  1   // format macros are defined below
#define LWIP_NO_CTYPE_H     1   // lwIP's own isdigit()/tolower() macros
#define LWIP_NO_UNISTD_H    1   // lwIP typedefs ssize_t as int itself

// printf formats for lwIP's types under lp64: u32_t is unsigned int,
// size_t is unsigned long.
#define X8_F  "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "lu"

#define BYTE_ORDER LITTLE_ENDIAN

// Byte swaps inline (rv64imac has no byte-reverse instruction, but a few shifts
// beat a call per header field).
#define lwip_htons(x) ((u16_t)__builtin_bswap16((u16_t)(x)))
#define lwip_htonl(x) ((u32_t)__builtin_bswap32((u32_t)(x)))

// Protocol headers are laid over packet bytes at any alignment: pack them so the
// compiler never assumes a wider alignment than the data has.
#define PACK_STRUCT_BEGIN
#define PACK_STRUCT_END
#define PACK_STRUCT_STRUCT  __attribute__((packed))
#define PACK_STRUCT_FIELD(x) x

// Diagnostics go to the kernel console. An lwIP assertion is a broken invariant
// inside the stack, so it panics. The few that lwIP 2.1.3 lets a peer reach
// (found by tools/fuzz) are kept from firing by the guards, Net/lwip_*guard.c.
int printf(const char *, ...) __attribute__((format(printf, 1, 2)));
void lwip_port_assert(const char *msg, int line, const char *file)
    __attribute__((noreturn));
#define LWIP_PLATFORM_DIAG(x)   do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) lwip_port_assert((x), __LINE__, __FILE__)

// Random numbers for DHCP transaction ids, DNS ids and ports: the kernel's
// ChaCha20 generator (Net/lwip_port.c, Kernel/random.c).
unsigned int lwip_port_rand(void);
#define LWIP_RAND() ((u32_t)lwip_port_rand())
