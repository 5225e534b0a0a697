// <sys/mman.h> for POSIX programs. The kernel has no mmap: these are copies
// (User/posix/lib/mman.c). MAP_ANONYMOUS and MAP_PRIVATE mappings of a file
// are zeroed or read into page-aligned memory from the heap; a shared writable
// mapping of a file (whose writes would have to reach the file) is refused.
#pragma once
#include <sys/types.h>

#define PROT_NONE     0x0
#define PROT_READ     0x1
#define PROT_WRITE    0x2
#define PROT_EXEC     0x4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10     // refused: EINVAL
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS
#define MAP_FAILED    ((void *)-1)

#ifdef __cplusplus
extern "C" {
#endif

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);

#ifdef __cplusplus
}
#endif
