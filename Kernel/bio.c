// Buffer cache: NBUF in-memory copies of disk blocks.
//
// The cache gives two guarantees the file system relies on:
//  - a block has at most one cached copy, so every process sees the same bytes;
//  - a buffer's sleeplock is held by one process at a time between bread()
//    and brelse(), so block contents are updated atomically.
// Buffers sit on a circular list ordered by recency of release: the head's
// next is the most recently used, its prev the least. Recycling takes the
// least recently used buffer that nobody references.
//
// Interface:
//  bread(dev, blockno) returns a locked buffer holding that block.
//  bread_zero(dev, blockno) returns one zero-filled, without reading the disk.
//  bwrite(b) writes a locked buffer to disk.
//  brelse(b) unlocks it; b must not be used afterwards.
//  bpin/bunpin keep a buffer in the cache while the log holds it.

#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "riscv.h"
#include "defs.h"
#include "fs.h"
#include "buf.h"

struct {
  struct spinlock lock;  // guards the list, refcnt, dev and blockno of every buf
  struct buf buf[NBUF];
  struct buf head;       // list sentinel; head.next is most recently used
} bcache;

// Hash chains over bcache.buf by (dev, blockno), so a lookup does not walk
// all NBUF buffers (it showed up in profiles once NBUF grew to 256).
// Guarded by bcache.lock; -1 ends a chain. A buffer never yet used is in
// no chain.
#define NBHASH 127
static short hash_first[NBHASH];
static short hash_next[NBUF];
static char hashed[NBUF];

static int
bhash(uint dev, uint blockno)
{
  return (dev * 31 + blockno) % NBHASH;
}

// The cached buffer for (dev, blockno), or 0. Caller holds bcache.lock.
static struct buf*
hash_find(uint dev, uint blockno)
{
  int i;

  for(i = hash_first[bhash(dev, blockno)]; i >= 0; i = hash_next[i])
    if(bcache.buf[i].dev == dev && bcache.buf[i].blockno == blockno)
      return &bcache.buf[i];
  return 0;
}

// Give idle buffer b the identity (dev, blockno), moving it between chains.
static void
hash_rename(struct buf *b, uint dev, uint blockno)
{
  int i = b - bcache.buf;
  short *p;

  if(hashed[i]){
    for(p = &hash_first[bhash(b->dev, b->blockno)]; *p != i; p = &hash_next[*p])
      ;
    *p = hash_next[i];
  }
  b->dev = dev;
  b->blockno = blockno;
  hash_next[i] = hash_first[bhash(dev, blockno)];
  hash_first[bhash(dev, blockno)] = i;
  hashed[i] = 1;
}

// Unlink b from the recency list.
static void
list_remove(struct buf *b)
{
  b->next->prev = b->prev;
  b->prev->next = b->next;
}

// Put b at the most-recently-used end of the list.
static void
list_push_front(struct buf *b)
{
  b->next = bcache.head.next;
  b->prev = &bcache.head;
  bcache.head.next->prev = b;
  bcache.head.next = b;
}

void
binit(void)
{
  struct buf *b;

  initlock(&bcache.lock, "bcache");
  bcache.head.prev = &bcache.head;
  bcache.head.next = &bcache.head;
  memset(hash_first, 0xff, sizeof(hash_first));  // all chains empty (-1)
  for(b = bcache.buf; b < bcache.buf + NBUF; b++){
    initsleeplock(&b->lock, "buffer");
    list_push_front(b);
  }
}

// Find the cached copy of (dev, blockno), or recycle an idle buffer for it.
// Either way the buffer comes back locked. If every buffer is in use
// (referenced by a reader or pinned by the log) wait for one to be released
// rather than panic: a burst of readers is not a kernel bug.
static struct buf*
bget(uint dev, uint blockno)
{
  struct buf *b;

  acquire(&bcache.lock);
  for(;;){
    if((b = hash_find(dev, blockno)) != 0){
      b->refcnt++;
      release(&bcache.lock);
      acquiresleep(&b->lock);
      return b;
    }
    // Not cached: take the least recently used idle buffer.
    for(b = bcache.head.prev; b != &bcache.head; b = b->prev){
      if(b->refcnt == 0){
        hash_rename(b, dev, blockno);
        b->valid = 0;
        b->refcnt = 1;
        release(&bcache.lock);
        acquiresleep(&b->lock);
        return b;
      }
    }
    sleep(&bcache, &bcache.lock);
  }
}

// Return a locked buffer with the contents of the given block.
struct buf*
bread(uint dev, uint blockno)
{
  struct buf *b;

  b = bget(dev, blockno);
  if(!b->valid){
    disk_rw(b, 0);
    b->valid = 1;
  }
  return b;
}

// Like bread, for a block the caller is about to overwrite entirely (a newly
// allocated one): no disk read, the data comes back zero-filled.
struct buf*
bread_zero(uint dev, uint blockno)
{
  struct buf *b;

  b = bget(dev, blockno);
  memset(b->data, 0, BSIZE);
  b->valid = 1;
  return b;
}

// Write b's contents to disk. The caller holds b's lock.
void
bwrite(struct buf *b)
{
  if(!holdingsleep(&b->lock))
    panic("bwrite: buffer not locked");
  disk_rw(b, 1);
}

// Release a locked buffer and mark it most recently used.
void
brelse(struct buf *b)
{
  if(!holdingsleep(&b->lock))
    panic("brelse: buffer not locked");
  releasesleep(&b->lock);

  acquire(&bcache.lock);
  b->refcnt--;
  if(b->refcnt == 0){
    list_remove(b);
    list_push_front(b);
    wakeup(&bcache);  // someone may be waiting in bget for an idle buffer
  }
  release(&bcache.lock);
}

// Keep b cached until bunpin: the log must find it again at commit.
void
bpin(struct buf *b)
{
  acquire(&bcache.lock);
  b->refcnt++;
  release(&bcache.lock);
}

void
bunpin(struct buf *b)
{
  acquire(&bcache.lock);
  b->refcnt--;
  if(b->refcnt == 0)
    wakeup(&bcache);
  release(&bcache.lock);
}

// Is (dev, blockno) cached now? A hint: it may be recycled right after.
int
bcached(uint dev, uint blockno)
{
  int found;

  acquire(&bcache.lock);
  found = hash_find(dev, blockno) != 0;
  release(&bcache.lock);
  return found;
}

// Claim an idle buffer for (dev, blockno), locked and not valid; 0 if the
// block is cached already or (setting *none) no buffer is idle.
// Caller holds bcache.lock.
// An idle buffer's sleeplock is free (brelse unlocks before refcnt drops),
// so acquiresleep cannot sleep here.
static struct buf*
bclaim(uint dev, uint blockno, int *none)
{
  struct buf *b;

  if(hash_find(dev, blockno) != 0)
    return 0;
  for(b = bcache.head.prev; b != &bcache.head; b = b->prev){
    if(b->refcnt == 0){
      hash_rename(b, dev, blockno);
      b->valid = 0;
      b->refcnt = 1;
      acquiresleep(&b->lock);
      return b;
    }
  }
  *none = 1;
  return 0;
}

// Read ahead: bring the listed blocks that are not cached into the cache
// with all their reads in flight together. Best effort: it stops when no
// buffer is idle and never waits for one, as the caller's next bread would.
void
bprefetch(uint dev, uint *blocknos, int n)
{
  struct buf *got[BPREFETCH_MAX];
  int i, k = 0, none = 0;

  acquire(&bcache.lock);
  for(i = 0; i < n && k < BPREFETCH_MAX && !none; i++){
    if((got[k] = bclaim(dev, blocknos[i], &none)) != 0)
      k++;
  }
  release(&bcache.lock);
  if(k == 0)
    return;
  disk_rw_batch(got, k, 0);
  for(i = 0; i < k; i++){
    got[i]->valid = 1;
    brelse(got[i]);
  }
}
