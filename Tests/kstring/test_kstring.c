// test_kstring.c: the kernel's memcpy, memmove and memset (Kernel/string.c),
// compiled for the host and checked against plain byte loops: every length up
// to 300 at every pair of source and destination offsets mod 8, overlapping
// moves both ways, and copies that end or start at a page boundary next to an
// inaccessible page (the word-wise copy of misaligned buffers reads whole
// aligned source words; none may touch a page the source does not).
// Built and run by `make test` (the test-kstring target).
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

// The kernel's routines under other names, so the host's libc keeps its own.
#define memset kmemset
#define memmove kmemmove
#define memcpy kmemcpy
#define memcmp kmemcmp
#define strncmp kstrncmp
#define strncpy kstrncpy
#define safestrcpy ksafestrcpy
#define strlen kstrlen
#include "../../Kernel/string.c"
#undef memset
#undef memmove
#undef memcpy
#undef memcmp

static int failures;

static void
check(int ok, const char *what, int so, int dof, int n)
{
  if(!ok && failures++ < 10)
    printf("test_kstring: FAIL %s (src +%d, dst +%d, %d bytes)\n", what, so, dof, n);
}

static void
fill(unsigned char *p, int n, int seed)
{
  for(int i = 0; i < n; i++)
    p[i] = (unsigned char)(i * 131 + seed * 7 + 1);
}

int
main(void)
{
  static unsigned char src[512 + 16], dst[512 + 16], want[512 + 16];
  long page = sysconf(_SC_PAGESIZE);

  // every length, every alignment pair
  for(int so = 0; so < 8; so++)
    for(int dof = 0; dof < 8; dof++)
      for(int n = 0; n <= 300; n++){
        fill(src, sizeof(src), n + so);
        fill(dst, sizeof(dst), 99);
        memcpy(want, dst, sizeof(dst));
        for(int i = 0; i < n; i++)
          want[dof + i] = src[so + i];
        kmemcpy(dst + dof, src + so, n);
        check(memcmp(dst, want, sizeof(dst)) == 0, "memcpy", so, dof, n);
        fill(dst, sizeof(dst), 99);
        kmemmove(dst + dof, src + so, n);
        check(memcmp(dst, want, sizeof(dst)) == 0, "memmove", so, dof, n);
      }

  // overlapping moves, forwards and backwards
  for(int shift = -20; shift <= 20; shift++)
    for(int n = 0; n <= 200; n += 7){
      unsigned char buf[300], ref[300];
      fill(buf, sizeof(buf), shift + 50);
      memcpy(ref, buf, sizeof(buf));
      memmove(ref + 50 + shift, ref + 50, n);
      kmemmove(buf + 50 + shift, buf + 50, n);
      check(memcmp(buf, ref, sizeof(buf)) == 0, "overlapping memmove", 50, 50 + shift, n);
    }

  // memset at every alignment
  for(int dof = 0; dof < 8; dof++)
    for(int n = 0; n <= 100; n++){
      fill(dst, sizeof(dst), 3);
      memcpy(want, dst, sizeof(dst));
      memset(want + dof, 0xa5, n);
      kmemset(dst + dof, 0xa5, n);
      check(memcmp(dst, want, sizeof(dst)) == 0, "memset", 0, dof, n);
    }

  // a source that ends where an inaccessible page begins, and one that starts
  // right after one: a read past either edge faults
  unsigned char *area = mmap(0, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if(area == MAP_FAILED){
    perror("test_kstring: mmap");
    return 1;
  }
  if(mprotect(area, page, PROT_NONE) != 0 || mprotect(area + 2 * page, page, PROT_NONE) != 0){
    perror("test_kstring: mprotect");
    return 1;
  }
  unsigned char *mid = area + page;
  fill(mid, page, 5);
  for(int so = 0; so < 8; so++)
    for(int n = 1; n <= 100; n++){
      for(int dof = 0; dof < 8; dof++){
        kmemcpy(dst + dof, mid + page - n, n);           // ends at the edge
        check(memcmp(dst + dof, mid + page - n, n) == 0, "copy to a page's end", page - n, dof, n);
        kmemcpy(dst + dof, mid + so, n);                 // starts at the edge
        check(memcmp(dst + dof, mid + so, n) == 0, "copy from a page's start", so, dof, n);
      }
    }

  if(failures){
    printf("test_kstring: %d failures\n", failures);
    return 1;
  }
  printf("test_kstring: memcpy, memmove, memset at every alignment: ok\n");
  return 0;
}
