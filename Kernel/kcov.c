// kcov.c: which kernel edges have run, for the system-call fuzzer
// (User/sysfuzz.c prints "kernel edges reached: N of M").
//
// In the coverage build (`make coverage`: Kernel/*.c compiled with clang's
// -fsanitize-coverage=trace-pc-guard into build-cov/) the compiler gives every
// edge of the kernel's C code a 32-bit guard, all of them in the section
// __sancov_guards, and calls __sanitizer_cov_trace_pc_guard(&guard) each time
// the edge runs. A guard here is only a "reached" flag. In the normal build the
// section is empty and the kstat selectors say -1.
//
// The callback runs on every edge: in interrupt handlers, with spinlocks held,
// in machine mode before paging is on. So it takes no lock and calls nothing:
// one load, and on an edge's first visit an atomic swap and an atomic add (two
// harts reaching a new edge at once count it once). This file itself is
// compiled without the instrumentation, or the callback would call itself.
#include "types.h"
#include "riscv.h"
#include "defs.h"

// Defined by the linker around the output section of that name (kernel.ld).
extern uint32 __start___sancov_guards[], __stop___sancov_guards[];

static uint64 hits;   // guards set so far (atomic)

void
__sanitizer_cov_trace_pc_guard(uint32 *guard)
{
  if(*guard)
    return;
  if(__atomic_exchange_n(guard, 1, __ATOMIC_RELAXED) == 0)
    __atomic_add_fetch(&hits, 1, __ATOMIC_RELAXED);
}

// Called by each object's constructor in a hosted program; the kernel runs no
// constructors (kernel.ld discards .init_array): the guards start at 0, and
// the table of edge addresses is read from the ELF file by the host.
void
__sanitizer_cov_trace_pc_guard_init(uint32 *start, uint32 *stop)
{
}

void
__sanitizer_cov_pcs_init(const uint64 *start, const uint64 *stop)
{
}

// Edges the kernel has, or -1 if it is not instrumented.
long
kcov_total(void)
{
  long n = __stop___sancov_guards - __start___sancov_guards;

  return n > 0 ? n : -1;
}

// Edges reached since boot, or -1 if this kernel is not instrumented.
long
kcov_hits(void)
{
  if(kcov_total() < 0)
    return -1;
  return __atomic_load_n(&hits, __ATOMIC_RELAXED);
}
