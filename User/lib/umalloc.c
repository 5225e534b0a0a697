// malloc and free: a first-fit allocator over a circular free list kept in
// address order, in the manner of Kernighan and Ritchie. Memory comes from
// sbrk in chunks of at least 64 KiB and is never given back.
#include "kernel/types.h"
#include "user/user.h"

// Every block starts with this header; sizes count header-sized units.
union header {
  struct {
    union header *next; // next free block (valid only while free)
    uint units;         // size of this block, header included
  } h;
  uint64 align;         // force 16-byte headers on rv64
  char pad[16];
};

typedef union header Header;

static Header anchor;        // zero-sized block that starts the list
static Header *rover;        // where the next search begins

#define MINGROW 4096         // units (64 KiB) asked of sbrk at a time

void
free(void *ap)
{
  Header *b, *p;

  if(ap == 0)
    return;
  b = (Header*)ap - 1;
  // find p with p < b < p->next, allowing for the wrap-around at the top
  for(p = rover; !(b > p && b < p->h.next); p = p->h.next){
    if(p >= p->h.next && (b > p || b < p->h.next))
      break;
  }
  if(b + b->h.units == p->h.next){    // merge with the block above
    b->h.units += p->h.next->h.units;
    b->h.next = p->h.next->h.next;
  } else {
    b->h.next = p->h.next;
  }
  if(p + p->h.units == b){            // merge with the block below
    p->h.units += b->h.units;
    p->h.next = b->h.next;
  } else {
    p->h.next = b;
  }
  rover = p;
}

// Ask the kernel for at least n more units and put them on the free list.
static Header*
grow(uint n)
{
  char *m;
  Header *b;

  if(n < MINGROW)
    n = MINGROW;
  if(n > 0x7fffffff / sizeof(Header))
    return 0;
  m = sbrk(n * sizeof(Header));
  if(m == SBRK_ERROR)
    return 0;
  b = (Header*)m;
  b->h.units = n;
  free(b + 1);
  return rover;
}

void*
malloc(uint nbytes)
{
  Header *p, *prev;
  uint64 want;

  want = ((uint64)nbytes + sizeof(Header) - 1) / sizeof(Header) + 1;
  if(want > 0x7fffffff / sizeof(Header))
    return 0;
  if((prev = rover) == 0){
    anchor.h.next = rover = prev = &anchor;
    anchor.h.units = 0;
  }
  for(p = prev->h.next; ; prev = p, p = p->h.next){
    if(p->h.units >= want){
      if(p->h.units == want){
        prev->h.next = p->h.next;
      } else {
        // carve the tail off, so the free block keeps its place in the list
        p->h.units -= want;
        p += p->h.units;
        p->h.units = want;
      }
      rover = prev;
      return (void*)(p + 1);
    }
    if(p == rover && (p = grow(want)) == 0)
      return 0;
  }
}
