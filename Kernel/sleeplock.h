#pragma once
#include "spinlock.h"
// Long-term lock for processes: sleeps instead of spinning.
struct sleeplock {
  uint locked;       // Is the lock held?
  struct spinlock lk; // spinlock protecting this sleep lock
  char *name;        // Name of lock.
  int pid;           // Process holding lock
};
