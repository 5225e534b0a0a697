// Kernel services the Swift modules may call. Kernel/kshim.c implements
// them on the kernel (spinlocks, sleep/wakeup, the page allocator, the
// console); CShims/host/kshim_host.c implements them for `swift test`.
#pragma once
#include <stdint.h>

// An opaque lock (a spinlock in the kernel, a mutex on the host).
// Acquiring it in the kernel disables interrupts on this hart, as xv6's do.
struct kshim_lock;
struct kshim_lock *kshim_lock_create(const char *name);
void kshim_lock_acquire(struct kshim_lock *lk);
void kshim_lock_release(struct kshim_lock *lk);

// Sleep on chan, atomically releasing lk (held by the caller) and taking it
// again before returning; wakeup wakes every sleeper on chan.
// Callers re-check their condition in a loop, as with xv6's sleep.
void kshim_sleep(const void *chan, struct kshim_lock *lk);
void kshim_wakeup(const void *chan);

// DMA memory: n zeroed, physically contiguous, page-aligned pages, or 0.
// The kernel direct-maps RAM, so the pointer is also the physical address.
void *kshim_alloc_pages(uint64_t n);
void kshim_free_pages(void *p, uint64_t n);

// Console output (a NUL-terminated string) and fatal errors.
void kshim_print(const char *s);
void kshim_panic(const char *s) __attribute__((noreturn));

// Milliseconds since boot.
uint64_t kshim_uptime_ms(void);

#define KSHIM_PAGE_SIZE 4096
