// Volatile access to device registers and device-shared memory, and the fence
// that orders them. Swift never dereferences a device address itself: every
// register read or write, and every access to a virtqueue the device also
// reads or writes, goes through these helpers, so the compiler can neither
// merge, reorder nor elide them. The same header works on the host, where
// the "device" is a test playing it in ordinary memory.
#pragma once
#include <stdint.h>

static inline uint8_t
mmio_read8(uint64_t addr)
{
  return *(volatile uint8_t *)(uintptr_t)addr;
}

static inline uint16_t
mmio_read16(uint64_t addr)
{
  return *(volatile uint16_t *)(uintptr_t)addr;
}

static inline uint32_t
mmio_read32(uint64_t addr)
{
  return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline uint64_t
mmio_read64(uint64_t addr)
{
  return *(volatile uint64_t *)(uintptr_t)addr;
}

static inline void
mmio_write8(uint64_t addr, uint8_t v)
{
  *(volatile uint8_t *)(uintptr_t)addr = v;
}

static inline void
mmio_write16(uint64_t addr, uint16_t v)
{
  *(volatile uint16_t *)(uintptr_t)addr = v;
}

static inline void
mmio_write32(uint64_t addr, uint32_t v)
{
  *(volatile uint32_t *)(uintptr_t)addr = v;
}

static inline void
mmio_write64(uint64_t addr, uint64_t v)
{
  *(volatile uint64_t *)(uintptr_t)addr = v;
}

// Full fence: every earlier load and store (to memory or to a device) is
// visible before any later one. On RISC-V a plain `fence rw,rw` does not
// order device I/O, so name the I/O sets too; elsewhere a sequentially
// consistent thread fence is the equivalent.
static inline void
mmio_fence(void)
{
#if defined(__riscv)
  __asm__ volatile("fence iorw, iorw" ::: "memory");
#else
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}
