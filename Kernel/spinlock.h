#pragma once
// Mutual exclusion lock that spins; acquiring it disables interrupts on this hart.
struct spinlock {
  uint locked;       // Is the lock held?
  char *name;        // Name of lock.
  struct cpu *cpu;   // The cpu holding the lock.
};
