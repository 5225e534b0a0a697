// swift_runtime.c: the C library functions Embedded Swift's code calls
// (check with `llvm-nm -u build/swift/*.o`). Allocation goes to the kernel's
// object heap (kalloc.c), so freed memory is really reused; memset, memcpy
// and memmove come from string.c; print() writes through putchar.
// No Dictionary/Set in kernel Swift: they would pull in arc4random_buf.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "defs.h"

#define ENOMEM 12
#define EINVAL 22

// Swift asks for memory aligned to at least a pointer's size; the heap
// gives 16 bytes by default and power-of-two alignment up to a page.
int
posix_memalign(void **memptr, uint64 align, uint64 size)
{
  void *p;

  if(align < sizeof(void*) || (align & (align - 1)) != 0)
    return EINVAL;
  p = kmalloc_aligned(size ? size : 1, align < 16 ? 16 : align);
  if(p == 0)
    return ENOMEM;
  *memptr = p;
  return 0;
}

void
free(void *p)
{
  kmfree(p);
}

int
putchar(int c)
{
  consputc(c);
  return c;
}

// Swift's runtime traps land here (an invariant broke: a bug, not input).
void
abort(void)
{
  panic("swift: abort");
}
