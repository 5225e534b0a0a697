// kalloc.c: physical memory allocation.
//
// Pages: a bitmap over the pages between the end of the kernel image and PHYSTOP
// (one bit per page, set = in use), searched first-fit from the lowest page that
// may be free, so runs of physically contiguous pages (DMA rings and buffers)
// are found as easily as single pages. First-fit keeps the pages in use packed
// at the bottom and reuses freed pages at once. Next-fit, used before, walked
// the whole of memory: the first write to each 2 MiB of guest RAM makes the host
// fault in (and zero) a huge page, ~5 ms, so every 24th fork of a busy httpd
// stalled until all 128 MiB had been touched once.
//
// Objects: kmalloc() serves sizes up to 2048 bytes from power-of-two size
// classes (16 .. 2048) carved out of whole pages, and bigger sizes as runs of
// pages. Two side tables indexed by page number tell a pointer's class (or run
// length) and how many objects of its page are in use, so kmfree() needs no size
// and a page whose objects are all free can go back to the page allocator.
//
// Lock order: heap.lock, then pages.lock. Both are spinlocks, so every function
// here may be called with interrupts off.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "riscv.h"
#include "defs.h"

extern char end[];   // first address after the kernel, from kernel.ld

static void heap_init(void);

#define MAXPAGES ((PHYSTOP - KERNBASE) / PGSIZE)

static struct {
  struct spinlock lock;
  uint64 base;              // address of page 0 of the bitmap
  uint64 npages;            // pages managed
  uint64 nfree;             // pages free
  uint64 hint;              // no page below this one is free
  uint64 map[MAXPAGES / 64];
  uint16 sharers[MAXPAGES]; // page tables mapping a page besides its owner's
} pages;                    // all fields guarded by pages.lock

static inline int
page_used(uint64 i)
{
  return (pages.map[i / 64] >> (i % 64)) & 1;
}

static void
mark_run(uint64 i, uint64 n, int used)
{
  for(; n > 0; i++, n--){
    if(used)
      pages.map[i / 64] |= 1UL << (i % 64);
    else
      pages.map[i / 64] &= ~(1UL << (i % 64));
  }
}

void
kinit(void)
{
  initlock(&pages.lock, "kmem");
  pages.base = PGROUNDUP((uint64)end);
  pages.npages = (PHYSTOP - pages.base) / PGSIZE;
  pages.nfree = pages.npages;
  pages.hint = 0;
  // the bitmap's tail beyond npages is permanently in use.
  mark_run(pages.npages, MAXPAGES - pages.npages, 1);
  heap_init();
}

// Find the lowest n free pages in a row; returns the first page's index or -1.
// Whole words of used pages are skipped 64 at a time. Caller holds pages.lock.
static long
find_run(uint64 n)
{
  uint64 run = 0;

  for(uint64 i = pages.hint; i < pages.npages; ){
    if(run == 0 && (i % 64) == 0 && pages.map[i / 64] == ~0UL){
      i += 64;
      continue;
    }
    run = page_used(i) ? 0 : run + 1;
    i++;
    if(run == n)
      return i - n;
  }
  return -1;
}

// n physically contiguous pages, not yet filled, or 0.
static void*
take_pages(uint64 n)
{
  long i = -1;

  acquire(&pages.lock);
  if(n > 0 && n <= pages.nfree)
    i = find_run(n);
  if(i >= 0){
    mark_run(i, n, 1);
    pages.nfree -= n;
    // one page is the lowest free one; a run may have passed over free pages
    if(n == 1 || i == (long)pages.hint)
      pages.hint = i + n;
  }
  release(&pages.lock);
  return i < 0 ? 0 : (void*)(pages.base + (uint64)i * PGSIZE);
}

static void
give_pages(void *pa, uint64 n)
{
  uint64 a = (uint64)pa;

  if((a % PGSIZE) != 0 || a < pages.base || n > (PHYSTOP - a) / PGSIZE)
    panic("kfree: bad address");
  uint64 i = (a - pages.base) / PGSIZE;
  acquire(&pages.lock);
  for(uint64 k = 0; k < n; k++)
    if(!page_used(i + k))
      panic("kfree: page not allocated");   // double free
  mark_run(i, n, 0);
  pages.nfree += n;
  if(i < pages.hint)
    pages.hint = i;
  release(&pages.lock);
}

// One page. Its contents are junk: kfree() fills pages with 1s (a page never
// used before holds the host's zeros), so use of uninitialised memory shows
// without a second fill here, which would cost every fork and pipe another
// 4 KiB of stores.
void*
kalloc(void)
{
  return take_pages(1);
}

// One more page table maps page pa (fork shares read-only pages); it is freed
// when the last of them lets go.
void
kpage_share(void *pa)
{
  uint64 a = (uint64)pa;

  if((a % PGSIZE) != 0 || a < pages.base || a >= PHYSTOP)
    panic("kpage_share: bad address");
  uint64 i = (a - pages.base) / PGSIZE;
  acquire(&pages.lock);
  if(!page_used(i) || pages.sharers[i] == 0xffff)
    panic("kpage_share: page not allocated");
  pages.sharers[i]++;
  release(&pages.lock);
}

// Free one page from kalloc() (or drop one sharer of it); filled with 1s to
// catch dangling references.
void
kfree(void *pa)
{
  uint64 a = (uint64)pa;

  if((a % PGSIZE) == 0 && a >= pages.base && a < PHYSTOP){
    uint64 i = (a - pages.base) / PGSIZE;
    acquire(&pages.lock);
    int shared = pages.sharers[i] > 0;
    if(shared)
      pages.sharers[i]--;
    release(&pages.lock);
    if(shared)
      return;
    memset(pa, 1, PGSIZE);
  }
  give_pages(pa, 1);
}

// npages physically contiguous, page-aligned, zeroed pages, or 0.
void*
kalloc_pages(uint64 npages)
{
  void *pa = take_pages(npages);

  if(pa)
    memset(pa, 0, npages * PGSIZE);
  return pa;
}

void
kfree_pages(void *pa, uint64 npages)
{
  give_pages(pa, npages);
}

uint64
kfreepages(void)
{
  return pages.nfree;   // one aligned load: no lock needed for a snapshot
}

// ---- kmalloc: the object heap ----

#define MINSHIFT   4                  // smallest class: 16 bytes
#define NCLASS     8                  // 16, 32, 64, ..., 2048
#define MAXSMALL   (1 << (MINSHIFT + NCLASS - 1))
#define TAG_LARGE  16                 // pgtag >= TAG_LARGE: run of (tag - TAG_LARGE) pages

// A free object: doubly linked, so a page's objects can leave the list in O(1).
struct freeobj {
  struct freeobj *next;
  struct freeobj *prev;
};

static struct {
  struct spinlock lock;
  struct freeobj list[NCLASS];   // circular lists with a sentinel per class
  uint64 nfree[NCLASS];          // objects on each list
  uint64 inuse;                  // bytes handed out (kstat)
  uint16 pgtag[MAXPAGES];        // per page: 0, class + 1, or TAG_LARGE + run length
  uint16 pgused[MAXPAGES];       // per small-class page: objects in use
} heap;                          // all fields guarded by heap.lock

static inline uint64
page_index(void *p)
{
  return ((uint64)p - pages.base) / PGSIZE;
}

static void
list_push(struct freeobj *head, struct freeobj *o)
{
  o->next = head->next;
  o->prev = head;
  head->next->prev = o;
  head->next = o;
}

static void
list_unlink(struct freeobj *o)
{
  o->prev->next = o->next;
  o->next->prev = o->prev;
}

static void
heap_init(void)
{
  initlock(&heap.lock, "kmalloc");
  for(int c = 0; c < NCLASS; c++)
    heap.list[c].next = heap.list[c].prev = &heap.list[c];
}

// Fill class c's empty list from a fresh page. Caller holds heap.lock.
static int
heap_grow(int c)
{
  uint64 size = 1UL << (MINSHIFT + c);
  char *pg = take_pages(1);

  if(pg == 0)
    return -1;
  heap.pgtag[page_index(pg)] = c + 1;
  heap.pgused[page_index(pg)] = 0;
  for(uint64 off = 0; off < PGSIZE; off += size)
    list_push(&heap.list[c], (struct freeobj*)(pg + off));
  heap.nfree[c] += PGSIZE / size;
  return 0;
}

// Give back a page of class c whose objects are all free. Caller holds heap.lock.
static void
heap_shrink(int c, char *pg)
{
  uint64 size = 1UL << (MINSHIFT + c);

  for(uint64 off = 0; off < PGSIZE; off += size)
    list_unlink((struct freeobj*)(pg + off));
  heap.nfree[c] -= PGSIZE / size;
  heap.pgtag[page_index(pg)] = 0;
  give_pages(pg, 1);
}

static void*
kmalloc_large(uint64 size)
{
  uint64 n = PGROUNDUP(size) / PGSIZE;
  if(size > PHYSTOP - KERNBASE)
    return 0;
  void *p = kalloc_pages(n);
  if(p == 0)
    return 0;
  acquire(&heap.lock);
  heap.pgtag[page_index(p)] = TAG_LARGE + n;
  heap.inuse += n * PGSIZE;
  release(&heap.lock);
  return p;
}

// size bytes, 16-byte aligned (objects of class c are aligned to their size),
// not zeroed; 0 if memory ran out.
void*
kmalloc(uint64 size)
{
  int c = 0;

  if(size > MAXSMALL)
    return kmalloc_large(size);
  while((1UL << (MINSHIFT + c)) < size)
    c++;

  acquire(&heap.lock);
  if(heap.nfree[c] == 0 && heap_grow(c) < 0){
    release(&heap.lock);
    return 0;
  }
  struct freeobj *o = heap.list[c].next;
  list_unlink(o);
  heap.nfree[c]--;
  heap.pgused[page_index(o)]++;
  heap.inuse += 1UL << (MINSHIFT + c);
  release(&heap.lock);
  return o;
}

// size bytes aligned to align (a power of two, at most PGSIZE), or 0.
void*
kmalloc_aligned(uint64 size, uint64 align)
{
  if(align == 0 || (align & (align - 1)) != 0 || align > PGSIZE)
    return 0;
  if(align <= 16)
    return kmalloc(size);
  if(align == PGSIZE)
    return kmalloc_large(size);
  // a class of at least align bytes puts its objects at multiples of align.
  return kmalloc(size > align ? size : align);
}

void
kmfree(void *p)
{
  if(p == 0)
    return;
  if((uint64)p < pages.base || (uint64)p >= PHYSTOP)
    panic("kmfree: bad pointer");
  uint64 i = page_index(p);
  char *pg = (char*)PGROUNDDOWN((uint64)p);

  acquire(&heap.lock);
  uint tag = heap.pgtag[i];
  if(tag >= TAG_LARGE && (char*)p == pg){
    heap.pgtag[i] = 0;
    heap.inuse -= (tag - TAG_LARGE) * PGSIZE;
    release(&heap.lock);
    give_pages(p, tag - TAG_LARGE);
    return;
  }
  int c = tag - 1;
  uint64 size = 1UL << (MINSHIFT + c);
  if(tag == 0 || tag > NCLASS || ((char*)p - pg) % size != 0 || heap.pgused[i] == 0)
    panic("kmfree: not a kmalloc pointer");
  list_push(&heap.list[c], p);
  heap.nfree[c]++;
  heap.inuse -= size;
  // keep a page's worth of free objects cached; return wholly free pages beyond.
  if(--heap.pgused[i] == 0 && heap.nfree[c] > 2 * (PGSIZE / size))
    heap_shrink(c, pg);
  release(&heap.lock);
}

uint64
kmalloc_inuse(void)
{
  return heap.inuse;
}

#ifdef KALLOC_SELFTEST
// Boot-time check of both allocators (build with -DKALLOC_SELFTEST).
void
kalloc_selftest(void)
{
  static void *objs[512];
  uint64 free0 = kfreepages();

  for(int i = 0; i < 512; i++){
    uint64 size = 1 + (i * 37) % 5000;
    uint64 align = 1UL << (i % 13);
    objs[i] = (i % 3) ? kmalloc(size) : kmalloc_aligned(size, align);
    if(objs[i] == 0 || ((uint64)objs[i] % ((i % 3) ? 16 : align)) != 0)
      panic("kalloc_selftest: kmalloc");
    memset(objs[i], i, size);
  }
  for(int i = 0; i < 512; i += 2)
    kmfree(objs[i]);
  for(int i = 1; i < 512; i += 2)
    kmfree(objs[i]);
  if(kmalloc_inuse() != 0)
    panic("kalloc_selftest: inuse");

  char *run = kalloc_pages(64);
  char *one = kalloc();
  if(run == 0 || one == 0 || run[0] != 0 || run[64 * PGSIZE - 1] != 0)
    panic("kalloc_selftest: pages");
  kfree(one);
  kfree_pages(run, 64);
  printf("kalloc_selftest: ok (%lu pages free, %lu before)\n", kfreepages(), free0);
}
#endif
