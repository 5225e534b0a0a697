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
    for(b = bcache.head.next; b != &bcache.head; b = b->next){
      if(b->dev == dev && b->blockno == blockno){
        b->refcnt++;
        release(&bcache.lock);
        acquiresleep(&b->lock);
        return b;
      }
    }
    // Not cached: take the least recently used idle buffer.
    for(b = bcache.head.prev; b != &bcache.head; b = b->prev){
      if(b->refcnt == 0){
        b->dev = dev;
        b->blockno = blockno;
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
