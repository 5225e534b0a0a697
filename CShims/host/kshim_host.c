// Host variant of the kernel services (CShims/include/kshim.h) for `swift test`:
// pthread mutexes for locks, one condition variable for sleep/wakeup,
// posix_memalign for DMA pages, stdio for the console.
//
// A single-threaded test can set a sleep hook instead: kshim_sleep then
// releases the lock, runs the hook (which plays the device and its
// interrupt) and takes the lock again, so a blocking driver call completes
// without a second thread.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kshim.h"
#include "kshim_host.h"

struct kshim_lock {
  pthread_mutex_t mu;
};

static pthread_cond_t wakeup_cond = PTHREAD_COND_INITIALIZER;
static void (*sleep_hook)(void);

void
kshim_host_set_sleep_hook(void (*hook)(void))
{
  sleep_hook = hook;
}

struct kshim_lock*
kshim_lock_create(const char *name)
{
  struct kshim_lock *l = malloc(sizeof(*l));

  (void)name;
  if(l == NULL)
    kshim_panic("kshim_lock_create: out of memory");
  pthread_mutex_init(&l->mu, NULL);
  return l;
}

void
kshim_lock_acquire(struct kshim_lock *l)
{
  pthread_mutex_lock(&l->mu);
}

void
kshim_lock_release(struct kshim_lock *l)
{
  pthread_mutex_unlock(&l->mu);
}

void
kshim_sleep(const void *chan, struct kshim_lock *l)
{
  (void)chan;
  if(sleep_hook){
    pthread_mutex_unlock(&l->mu);
    sleep_hook();
    pthread_mutex_lock(&l->mu);
    return;
  }
  // Every wakeup wakes every sleeper; callers re-check their condition.
  pthread_cond_wait(&wakeup_cond, &l->mu);
}

void
kshim_wakeup(const void *chan)
{
  (void)chan;
  pthread_cond_broadcast(&wakeup_cond);
}

void*
kshim_alloc_pages(uint64_t n)
{
  void *p = NULL;

  if(n == 0 || posix_memalign(&p, KSHIM_PAGE_SIZE, n * KSHIM_PAGE_SIZE) != 0)
    return NULL;
  memset(p, 0, n * KSHIM_PAGE_SIZE);
  return p;
}

void
kshim_free_pages(void *p, uint64_t n)
{
  (void)n;
  free(p);
}

void
kshim_print(const char *s)
{
  fputs(s, stdout);
}

void
kshim_panic(const char *s)
{
  fprintf(stderr, "panic: %s\n", s);
  abort();
}

uint64_t
kshim_uptime_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
