// File system: blocks, inodes, directories and path names (xv6's design).
//
// Five layers, bottom up:
//   blocks:      allocator for raw disk blocks (the free bitmap)
//   log:         crash recovery for multi-step updates (log.c)
//   files:       inode allocator, reading, writing, metadata
//   directories: inodes whose contents are a list of struct dirent
//   names:       paths like /usr/rtm/xv6/fs.c
// One extension to xv6's format: addrs[NDIRECT] is a singly-indirect block and
// addrs[NDIRECT+1] a doubly-indirect one, so files reach MAXFILE blocks.
//
// Inode life cycle: an on-disk inode is free when its type is 0. The in-memory
// table (itable) caches inodes that some kernel code refers to; ref counts
// those references and keeps the entry. ilock() reads the disk copy in and
// locks it; the fields after 'lock' in struct inode are guarded by it.
// Typical use: ip = namei(path); ilock(ip); ... iunlock(ip); iput(ip).
//
// Lock order: log admission (begin_op) before inode sleeplocks; a directory's
// lock before its children's; inode lock before buffer locks.
// Disk contents are checked where that is cheap, so a damaged image gives
// errors rather than a panic.

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "stat.h"
#include "spinlock.h"
#include "proc.h"
#include "sleeplock.h"
#include "fs.h"
#include "buf.h"
#include "file.h"

#define min(a, b) ((a) < (b) ? (a) : (b))

// One superblock per disk; this kernel mounts only ROOTDEV.
struct superblock sb;
static uint datastart;    // first data block (after the bitmap)
static uint nbitmap;      // number of bitmap blocks
static uint alloc_hint;   // where balloc starts looking; only a hint

static void
readsb(int dev, struct superblock *sbp)
{
  struct buf *bp;

  bp = bread(dev, 1);
  memmove(sbp, bp->data, sizeof(*sbp));
  brelse(bp);
}

static void reclaim_orphans(uint dev);

// Read the superblock and recover the log. Runs in the first process,
// since reading the disk sleeps.
void
fsinit(int dev)
{
  readsb(dev, &sb);
  if(sb.magic != FSMAGIC)
    panic("fsinit: not an xv6 file system");
  nbitmap = (sb.size + BPB - 1) / BPB;
  datastart = sb.bmapstart + nbitmap;
  if(sb.size < 2 || datastart >= sb.size || sb.ninodes == 0)
    panic("fsinit: bad superblock");
  alloc_hint = datastart;
  initlog(dev, &sb);
  reclaim_orphans(dev);
}

// Can b be a data block? Anything else in an inode is disk damage.
static int
goodblock(uint b)
{
  return b >= datastart && b < sb.size;
}

// Zero a block, through the log.
static void
bzero(int dev, int bno)
{
  struct buf *bp;

  bp = bread_zero(dev, bno);  // old contents do not matter: skip the read
  log_write(bp);
  brelse(bp);
}

// Index of the first clear bit in map[from..limit), or limit if none.
static uint
bitmap_scan(uchar *map, uint from, uint limit)
{
  uint i = from;

  while(i < limit){
    if((i % 8) == 0 && i + 8 <= limit && map[i/8] == 0xff){
      i += 8;  // a full byte: skip it whole
      continue;
    }
    if((map[i/8] & (1 << (i % 8))) == 0)
      return i;
    i++;
  }
  return limit;
}

// Allocate a zeroed disk block; 0 if the disk is full. The search starts
// after the last allocation, so writing a big file is not quadratic.
static uint
balloc(uint dev)
{
  struct buf *bp;
  uint k, base, from, limit, bi, start;

  start = alloc_hint;
  if(start < datastart || start >= sb.size)
    start = datastart;
  // Visit every bitmap block once from the hint's, then the start of the
  // hint's block again (k == nbitmap).
  for(k = 0; k <= nbitmap; k++){
    base = ((start / BPB + k) % nbitmap) * BPB;
    from = (k == 0) ? start % BPB : 0;
    if(base + from < datastart)
      from = datastart - base;  // never hand out metadata blocks
    limit = min((uint)BPB, sb.size - base);
    if(k == nbitmap)
      limit = min(limit, start % BPB);
    if(from >= limit)
      continue;
    bp = bread(dev, BBLOCK(base, sb));
    bi = bitmap_scan(bp->data, from, limit);
    if(bi < limit){
      bp->data[bi/8] |= 1 << (bi % 8);
      log_write(bp);
      brelse(bp);
      alloc_hint = base + bi + 1;
      bzero(dev, base + bi);
      return base + bi;
    }
    brelse(bp);
  }
  printf("balloc: out of blocks\n");
  return 0;
}

// Free a disk block. A bad or already-free block means disk damage: report it
// and carry on rather than corrupt the bitmap further.
static void
bfree(int dev, uint b)
{
  struct buf *bp;
  uint bi;
  uchar m;

  if(!goodblock(b)){
    printf("bfree: bad block number %d\n", b);
    return;
  }
  bp = bread(dev, BBLOCK(b, sb));
  bi = b % BPB;
  m = 1 << (bi % 8);
  if((bp->data[bi/8] & m) == 0){
    printf("bfree: block %d already free\n", b);
  } else {
    bp->data[bi/8] &= ~m;
    log_write(bp);
  }
  brelse(bp);
}

// Free data blocks, counted in the bitmap (kstat: tests check for leaks).
long
fs_freeblocks(void)
{
  struct buf *bp;
  uint b, bi;
  long n = 0;

  for(b = 0; b < sb.size; b += BPB){
    bp = bread(ROOTDEV, BBLOCK(b, sb));
    for(bi = 0; bi < BPB && b + bi < sb.size; bi++)
      if(b + bi >= datastart && (bp->data[bi/8] & (1 << (bi % 8))) == 0)
        n++;
    brelse(bp);
  }
  return n;
}

// ---------------------------------------------------------------- inodes

struct {
  struct spinlock lock;  // guards every entry's ref, dev and inum
  struct inode inode[NINODE];
} itable;

void
iinit(void)
{
  int i;

  initlock(&itable.lock, "itable");
  for(i = 0; i < NINODE; i++)
    initsleeplock(&itable.inode[i].lock, "inode");
}

// Find the in-memory entry for (dev, inum), or claim an empty one.
// Does not lock it or read it from disk. 0 if the table is full.
static struct inode*
iget(uint dev, uint inum)
{
  struct inode *ip, *empty;

  acquire(&itable.lock);
  empty = 0;
  for(ip = &itable.inode[0]; ip < &itable.inode[NINODE]; ip++){
    if(ip->ref > 0 && ip->dev == dev && ip->inum == inum){
      ip->ref++;
      release(&itable.lock);
      return ip;
    }
    if(empty == 0 && ip->ref == 0)
      empty = ip;
  }
  if(empty == 0){
    release(&itable.lock);
    printf("iget: inode table full\n");
    return 0;
  }
  empty->dev = dev;
  empty->inum = inum;
  empty->ref = 1;
  empty->valid = 0;
  release(&itable.lock);
  return empty;
}

// Allocate an on-disk inode of the given type. Returns it unlocked but
// referenced, or 0 if there is no free inode (or no table entry).
struct inode*
ialloc(uint dev, short type)
{
  uint inum;
  struct buf *bp;
  struct dinode *dip;
  struct inode *ip;

  for(inum = 1; inum < sb.ninodes; inum++){
    bp = bread(dev, IBLOCK(inum, sb));
    dip = (struct dinode *) bp->data + inum % IPB;
    if(dip->type == 0){
      ip = iget(dev, inum);
      if(ip == 0){
        brelse(bp);
        return 0;
      }
      memset(dip, 0, sizeof(*dip));
      dip->type = type;
      log_write(bp);  // claimed on disk
      brelse(bp);
      return ip;
    }
    brelse(bp);
  }
  printf("ialloc: no free inodes\n");
  return 0;
}

// Copy a modified in-memory inode to disk (through the log).
// Caller holds ip->lock.
void
iupdate(struct inode *ip)
{
  struct buf *bp;
  struct dinode *dip;

  bp = bread(ip->dev, IBLOCK(ip->inum, sb));
  dip = (struct dinode *) bp->data + ip->inum % IPB;
  dip->type = ip->type;
  dip->major = ip->major;
  dip->minor = ip->minor;
  dip->nlink = ip->nlink;
  dip->size = ip->size;
  memmove(dip->addrs, ip->addrs, sizeof(ip->addrs));
  log_write(bp);
  brelse(bp);
}

// One more reference to ip (ip = idup(ip1) idiom).
struct inode*
idup(struct inode *ip)
{
  acquire(&itable.lock);
  ip->ref++;
  release(&itable.lock);
  return ip;
}

// Lock ip, reading it from disk if this entry has not been loaded yet.
void
ilock(struct inode *ip)
{
  struct buf *bp;
  struct dinode *dip;

  if(ip == 0 || ip->ref < 1)
    panic("ilock");
  acquiresleep(&ip->lock);
  if(ip->valid == 0){
    bp = bread(ip->dev, IBLOCK(ip->inum, sb));
    dip = (struct dinode *) bp->data + ip->inum % IPB;
    ip->type = dip->type;
    ip->major = dip->major;
    ip->minor = dip->minor;
    ip->nlink = dip->nlink;
    ip->size = dip->size;
    memmove(ip->addrs, dip->addrs, sizeof(ip->addrs));
    brelse(bp);
    ip->valid = 1;
    if(ip->type == 0)
      panic("ilock: no type");
  }
}

void
iunlock(struct inode *ip)
{
  if(ip == 0 || !holdingsleep(&ip->lock) || ip->ref < 1)
    panic("iunlock");
  releasesleep(&ip->lock);
}

// Drop a reference. The last reference to an inode with no links frees it
// and its blocks on disk, so every iput() must be inside a transaction.
void
iput(struct inode *ip)
{
  acquire(&itable.lock);
  if(ip->ref == 1 && ip->valid && ip->nlink == 0){
    // Nobody else holds ip (ref == 1), so this lock cannot block, and no
    // directory names it, so nobody can find it while we free it.
    acquiresleep(&ip->lock);
    release(&itable.lock);

    itrunc(ip);
    ip->type = 0;
    iupdate(ip);
    ip->valid = 0;

    releasesleep(&ip->lock);
    acquire(&itable.lock);
  }
  ip->ref--;
  release(&itable.lock);
}

void
iunlockput(struct inode *ip)
{
  iunlock(ip);
  iput(ip);
}

// Free inodes that have no links left: files unlinked while still open,
// or a deletion cut short by a crash (itrunc commits in steps). Nobody can
// hold them at boot, so the last iput frees them now.
static void
reclaim_orphans(uint dev)
{
  uint inum;
  int orphan;
  struct buf *bp;
  struct dinode *dip;
  struct inode *ip;

  for(inum = 1; inum < sb.ninodes; inum++){
    bp = bread(dev, IBLOCK(inum, sb));
    dip = (struct dinode *) bp->data + inum % IPB;
    orphan = dip->type != 0 && dip->nlink == 0;
    brelse(bp);
    if(!orphan)
      continue;
    printf("fs: freeing orphaned inode %d\n", inum);
    begin_op();
    if((ip = iget(dev, inum)) != 0){
      ilock(ip);
      iunlock(ip);
      iput(ip);
    }
    end_op();
  }
}

// Free on-disk inodes (kstat: tests check for leaks).
long
fs_freeinodes(void)
{
  struct buf *bp;
  uint inum;
  long n = 0;

  for(inum = 1; inum < sb.ninodes; inum++){
    bp = bread(ROOTDEV, IBLOCK(inum, sb));
    if(((struct dinode *) bp->data + inum % IPB)->type == 0)
      n++;
    brelse(bp);
  }
  return n;
}

// Copy stat information from an inode. Caller holds ip->lock.
void
stati(struct inode *ip, struct stat *st)
{
  st->dev = ip->dev;
  st->ino = ip->inum;
  st->type = ip->type;
  st->nlink = ip->nlink;
  st->size = ip->size;
}

// ---------------------------------------------------------------- contents
//
// The first NDIRECT block numbers live in ip->addrs[]. The next NINDIRECT
// are listed in the singly-indirect block ip->addrs[NDIRECT]. The last
// NINDIRECT*NINDIRECT are reached through the doubly-indirect block
// ip->addrs[NDIRECT+1], whose entries name second-level blocks of NINDIRECT
// data block numbers each.

// Block number held in *slot (in the inode), allocating it if asked.
// 0 for a hole, a full disk or a damaged address.
static uint
slot_block(struct inode *ip, uint *slot, int alloc)
{
  uint a = *slot;

  if(a == 0 && alloc){
    a = balloc(ip->dev);
    *slot = a;  // the caller's iupdate() writes the inode
  } else if(a != 0 && !goodblock(a)){
    a = 0;
  }
  return a;
}

// Entry idx of index block blk, allocating it if asked.
static uint
index_block(struct inode *ip, uint blk, uint idx, int alloc)
{
  struct buf *bp;
  uint *entries, a;

  bp = bread(ip->dev, blk);
  entries = (uint *) bp->data;
  a = entries[idx];
  if(a == 0 && alloc){
    a = balloc(ip->dev);
    if(a != 0){
      entries[idx] = a;
      log_write(bp);
    }
  } else if(a != 0 && !goodblock(a)){
    a = 0;
  }
  brelse(bp);
  return a;
}

// Disk address of block bn of ip; with alloc, allocate what is missing.
// 0 if there is no such block (hole, full disk, bn past MAXFILE).
static uint
bmap(struct inode *ip, uint bn, int alloc)
{
  uint top, mid;

  if(bn < NDIRECT)
    return slot_block(ip, &ip->addrs[bn], alloc);
  bn -= NDIRECT;

  if(bn < NINDIRECT){
    top = slot_block(ip, &ip->addrs[NDIRECT], alloc);
    if(top == 0)
      return 0;
    return index_block(ip, top, bn, alloc);
  }
  bn -= NINDIRECT;

  if(bn < NDINDIRECT){
    top = slot_block(ip, &ip->addrs[NDIRECT+1], alloc);
    if(top == 0)
      return 0;
    mid = index_block(ip, top, bn / NINDIRECT, alloc);
    if(mid == 0)
      return 0;
    return index_block(ip, mid, bn % NINDIRECT, alloc);
  }
  return 0;
}

// Where the entry for file block bn lives: in the inode (returns 0 and sets
// *direct), or at entry *idx of index block (the return value; 0 for a hole,
// or, with alloc, a full disk). With alloc, missing index blocks are
// allocated. Blocks bn and bn+1 usually share an index block, so bmap_run asks
// once per index block; group is the doubly-indirect group, cached by the caller.
static uint
index_of(struct inode *ip, uint bn, uint *idx, int *direct, int *group, uint *groupblk, int alloc)
{
  *direct = 0;
  if(bn < NDIRECT){
    *direct = 1;
    *idx = bn;
    return 0;
  }
  bn -= NDIRECT;
  if(bn < NINDIRECT){
    *idx = bn;
    return slot_block(ip, &ip->addrs[NDIRECT], alloc);
  }
  bn -= NINDIRECT;
  *idx = bn % NINDIRECT;
  if(*group != (int)(bn / NINDIRECT)){
    uint top = slot_block(ip, &ip->addrs[NDIRECT+1], alloc);
    *group = bn / NINDIRECT;
    *groupblk = top ? index_block(ip, top, *group, alloc) : 0;
  }
  return *groupblk;
}

// bmap without allocation for n blocks from bn (all below MAXFILE): addrs[i]
// gets the disk address of block bn+i, 0 for a hole. Reads each index block
// once instead of once per block (bmap's cost for a large file: two breads
// per block). Caller holds ip->lock.
static void
bmap_run(struct inode *ip, uint bn, uint n, uint *addrs)
{
  struct buf *bp = 0;
  uint i, idx, blk, a;
  int direct, group = -1;
  uint groupblk = 0;

  for(i = 0; i < n; i++){
    if(bn + i >= MAXFILE){   // a damaged size can point past the last index
      addrs[i] = 0;
      continue;
    }
    blk = index_of(ip, bn + i, &idx, &direct, &group, &groupblk, 0);
    if(direct){
      a = ip->addrs[idx];
    } else if(blk == 0){
      a = 0;
    } else {
      if(bp == 0 || bp->blockno != blk){
        if(bp)
          brelse(bp);
        bp = bread(ip->dev, blk);
      }
      a = ((uint *)bp->data)[idx];
    }
    addrs[i] = (a != 0 && goodblock(a)) ? a : 0;
  }
  if(bp)
    brelse(bp);
}

// Map file blocks bn, bn+1, ... (at most n, and only as far as they share an
// index block) for writing, allocating the missing ones. The index block is
// read and logged once per run instead of once per block: for a large file
// that was most of writei's time. Returns how many blocks were mapped into
// addrs; 0 if the disk is full, bn is past MAXFILE or an address is damaged.
// Caller holds ip->lock, inside a transaction.
static uint
bmap_alloc_run(struct inode *ip, uint bn, uint n, uint *addrs)
{
  struct buf *bp;
  uint blk, idx, i, a, *entries, groupblk = 0;
  int direct, group = -1, changed = 0;

  if(bn >= MAXFILE || n == 0)
    return 0;
  blk = index_of(ip, bn, &idx, &direct, &group, &groupblk, 1);
  if(direct)
    return (addrs[0] = slot_block(ip, &ip->addrs[idx], 1)) != 0;
  if(blk == 0)
    return 0;
  n = min(n, NINDIRECT - idx);
  bp = bread(ip->dev, blk);
  entries = (uint *) bp->data;
  for(i = 0; i < n; i++){
    a = entries[idx + i];
    if(a == 0){
      if((a = balloc(ip->dev)) == 0)
        break;
      entries[idx + i] = a;
      changed = 1;
    } else if(!goodblock(a)){
      break;
    }
    addrs[i] = a;
  }
  if(changed)
    log_write(bp);
  brelse(bp);
  return i;
}

// Truncation may free tens of thousands of blocks, touching more bitmap
// blocks than one transaction may write (MAXOPBLOCKS). itrunc therefore
// counts the distinct blocks it has dirtied and, when the next free would
// pass its budget, commits and starts a new transaction. Each step clears
// the pointer to a block in the same transaction that frees it, so the disk
// never points at a free block. The budget leaves room for what the caller
// wrote before iput (directory block, parent inode).
#define TRUNC_BUDGET (MAXOPBLOCKS - 3)

struct trunc {
  uint blk[TRUNC_BUDGET];  // blocks dirtied in this transaction
  int n;
};

// Count block b as dirtied; 0 if that would pass the budget.
static int
charge(struct trunc *t, uint b)
{
  int i;

  for(i = 0; i < t->n; i++)
    if(t->blk[i] == b)
      return 1;
  if(t->n >= TRUNC_BUDGET)
    return 0;
  t->blk[t->n++] = b;
  return 1;
}

// Commit what is done so far and start a new transaction. ip stays
// referenced; its lock is dropped meanwhile, since begin_op may wait for
// operations that wait for that lock. Only an inode nobody else can reach
// (no links, one reference: iput) is truncated in steps, so nobody sees it
// half-truncated; O_TRUNC of an open file goes through itrunc_detach.
static void
trunc_rotate(struct inode *ip, struct trunc *t)
{
  iupdate(ip);
  iunlock(ip);
  end_op();
  begin_op();
  ilock(ip);
  t->n = 0;
  charge(t, IBLOCK(ip->inum, sb));
}

// Free every data block listed in index block blk, clearing its entries.
static void
trunc_leaf(struct inode *ip, uint blk, struct trunc *t)
{
  struct buf *bp;
  uint *e, i;
  int dirty = 0;

  bp = bread(ip->dev, blk);
  e = (uint *) bp->data;
  for(i = 0; i < NINDIRECT; i++){
    if(e[i] == 0)
      continue;
    if(!charge(t, blk) || !charge(t, BBLOCK(e[i], sb))){
      if(dirty)
        log_write(bp);
      brelse(bp);
      trunc_rotate(ip, t);
      charge(t, blk);
      charge(t, BBLOCK(e[i], sb));  // fresh transaction: fits
      bp = bread(ip->dev, blk);
      e = (uint *) bp->data;
      dirty = 0;
    }
    bfree(ip->dev, e[i]);
    e[i] = 0;
    dirty = 1;
  }
  if(dirty)
    log_write(bp);
  brelse(bp);
}

// Free the doubly-indirect tree under blk (not blk itself).
static void
trunc_double(struct inode *ip, uint blk, struct trunc *t)
{
  struct buf *bp;
  uint i, mid;

  for(i = 0; i < NINDIRECT; i++){
    bp = bread(ip->dev, blk);
    mid = ((uint *) bp->data)[i];
    brelse(bp);
    if(mid == 0)
      continue;
    if(goodblock(mid))
      trunc_leaf(ip, mid, t);
    if(!charge(t, blk) || !charge(t, BBLOCK(mid, sb))){
      trunc_rotate(ip, t);
      charge(t, blk);
      charge(t, BBLOCK(mid, sb));
    }
    bp = bread(ip->dev, blk);
    bfree(ip->dev, mid);
    ((uint *) bp->data)[i] = 0;
    log_write(bp);
    brelse(bp);
  }
}

// Free one inode slot's block (direct or index root) once its tree is empty.
static void
trunc_slot(struct inode *ip, uint *slot, struct trunc *t)
{
  if(!charge(t, BBLOCK(*slot, sb))){
    trunc_rotate(ip, t);  // charges the inode block again
    charge(t, BBLOCK(*slot, sb));
  }
  bfree(ip->dev, *slot);
  *slot = 0;
}

// Discard ip's contents. Caller holds ip->lock and is inside a transaction;
// if the contents need more than one transaction (any indirect block), ip
// must be unreachable by anyone else (see trunc_rotate).
void
itrunc(struct inode *ip)
{
  struct trunc t;
  int i;

  t.n = 0;
  charge(&t, IBLOCK(ip->inum, sb));
  ip->size = 0;  // the file looks empty at once, even if freeing takes commits
  iupdate(ip);

  for(i = 0; i < NDIRECT; i++)
    if(ip->addrs[i])
      trunc_slot(ip, &ip->addrs[i], &t);
  if(ip->addrs[NDIRECT]){
    if(goodblock(ip->addrs[NDIRECT]))
      trunc_leaf(ip, ip->addrs[NDIRECT], &t);
    trunc_slot(ip, &ip->addrs[NDIRECT], &t);
  }
  if(ip->addrs[NDIRECT+1]){
    if(goodblock(ip->addrs[NDIRECT+1]))
      trunc_double(ip, ip->addrs[NDIRECT+1], &t);
    trunc_slot(ip, &ip->addrs[NDIRECT+1], &t);
  }
  iupdate(ip);
}

// Empty ip (O_TRUNC) at once, for everyone: in this transaction, its blocks
// move to a new inode with no links, which the caller puts once it has
// unlocked ip, freeing the blocks in transactions of their own. Truncating ip
// in place would take several transactions and drop ip's lock between them,
// and a writer could then add blocks to index blocks being freed (a leak) or
// write into blocks about to be freed (holes). A crash before the blocks are
// freed leaves an orphan that the next boot frees.
// Caller holds ip->lock, inside a transaction. Returns 0 with *orphan set
// (0 if nothing is left to free), or -1 if no inode was free to take the
// blocks (ip is then unchanged).
int
itrunc_detach(struct inode *ip, struct inode **orphan)
{
  struct inode *op;

  *orphan = 0;
  if(ip->addrs[NDIRECT] == 0 && ip->addrs[NDIRECT+1] == 0){
    itrunc(ip);   // direct blocks only: one transaction is enough
    return 0;
  }
  if((op = ialloc(ip->dev, ip->type)) == 0)
    return -1;
  ilock(op);      // new and nameless: nobody else can hold it
  op->nlink = 0;
  op->size = ip->size;
  memmove(op->addrs, ip->addrs, sizeof(ip->addrs));
  iupdate(op);
  iunlock(op);
  ip->size = 0;
  memset(ip->addrs, 0, sizeof(ip->addrs));
  iupdate(ip);
  *orphan = op;
  return 0;
}

// Blocks fetched together when readi misses the cache: the block missed
// and those after it, which a sequential reader wants next.
#define READAHEAD 32
#define READ_RUN 16     // blocks readi maps at once
#define WRITE_RUN 16    // blocks writei maps (and allocates) at once

// readi missed the cache at file block bn (disk block addr): read it and
// the next few blocks of the file in one batch, so this readi and the
// following ones hit the cache. Caller holds ip->lock.
static void
readahead(struct inode *ip, uint bn, uint addr)
{
  uint mapped[BPREFETCH_MAX], list[BPREFETCH_MAX];
  uint end, i;
  int k = 0;

  // At most READAHEAD blocks and a third of the cache, so a prefetch
  // does not evict the index blocks bmap needs or itself.
  end = bn + READAHEAD;
  if(end > bn + NBUF / 3)
    end = bn + NBUF / 3;
  if(end > (ip->size + BSIZE - 1) / BSIZE)
    end = (ip->size + BSIZE - 1) / BSIZE;
  if(end > bn + BPREFETCH_MAX)
    end = bn + BPREFETCH_MAX;
  list[k++] = addr;
  if(end > bn + 1){
    bmap_run(ip, bn + 1, end - bn - 1, mapped);
    for(i = 0; i < end - bn - 1; i++)
      if(mapped[i] != 0)
        list[k++] = mapped[i];
  }
  bprefetch(ip->dev, list, k);
}

// Read n bytes at off from ip's contents into dst (a user address if
// user_dst, else kernel). Holes read as zeros. Returns the byte count,
// or -1 if dst is bad. Caller holds ip->lock.
int
readi(struct inode *ip, int user_dst, uint64 dst, uint off, uint n)
{
  static uchar zeros[BSIZE];
  uint tot, m, addr, run[READ_RUN], run_bn = 0, run_n = 0;
  struct buf *bp;
  int r;

  if(off > ip->size || off + n < off)
    return 0;
  if(off + n > ip->size)
    n = ip->size - off;

  for(tot = 0; tot < n; tot += m, off += m, dst += m){
    m = min(n - tot, BSIZE - off % BSIZE);
    // Map the blocks this read spans a run at a time (index blocks read once).
    if(off / BSIZE >= run_bn + run_n){
      run_bn = off / BSIZE;
      run_n = min((off + (n - tot) - 1) / BSIZE - run_bn + 1, READ_RUN);
      bmap_run(ip, run_bn, run_n, run);
    }
    addr = run[off / BSIZE - run_bn];
    if(addr != 0 && !bcached(ip->dev, addr))
      readahead(ip, off / BSIZE, addr);
    if(addr == 0){
      r = either_copyout(user_dst, dst, zeros, m);
    } else {
      bp = bread(ip->dev, addr);
      r = either_copyout(user_dst, dst, bp->data + off % BSIZE, m);
      brelse(bp);
    }
    if(r == -1)
      return -1;
  }
  return tot;
}

// Free file block bn's data block, if it has one, and clear its address.
static void
free_one(struct inode *ip, uint bn)
{
  uint idx, blk, groupblk = 0, *e;
  int direct, group = -1;
  struct buf *bp;

  blk = index_of(ip, bn, &idx, &direct, &group, &groupblk, 0);
  if(direct){
    if(ip->addrs[idx])
      bfree(ip->dev, ip->addrs[idx]);
    ip->addrs[idx] = 0;
    return;
  }
  if(blk == 0 || !goodblock(blk))
    return;
  bp = bread(ip->dev, blk);
  e = (uint *) bp->data;
  if(e[idx]){
    bfree(ip->dev, e[idx]);
    e[idx] = 0;
    log_write(bp);
  }
  brelse(bp);
}

// Clear *slot and free the index block it names.
static void
free_slot(struct inode *ip, uint *slot)
{
  if(*slot)
    bfree(ip->dev, *slot);
  *slot = 0;
}

// writei mapped file blocks [nb, end) (allocating them, and maybe an index
// block for them) but its copy from user memory failed before it reached them:
// free them, so that no block lies past the file's size (nb blocks). They all
// hang off one index block (bmap_alloc_run), so this fits writei's
// transaction. Caller holds ip->lock.
static void
free_unwritten(struct inode *ip, uint nb, uint end)
{
  uint first = NDIRECT + NINDIRECT, g, bn;
  struct buf *bp;
  uint *top;

  for(bn = nb; bn < end && bn < MAXFILE; bn++)
    free_one(ip, bn);
  // an index block that maps nothing below nb maps nothing at all now
  if(nb <= NDIRECT)
    free_slot(ip, &ip->addrs[NDIRECT]);
  if(end > first && ip->addrs[NDIRECT+1] && goodblock(ip->addrs[NDIRECT+1])){
    g = (end - 1 - first) / NINDIRECT;
    if(nb <= first + g * NINDIRECT){
      bp = bread(ip->dev, ip->addrs[NDIRECT+1]);
      top = (uint *) bp->data;
      if(top[g]){
        free_slot(ip, &top[g]);
        log_write(bp);
      }
      brelse(bp);
    }
    if(nb <= first)
      free_slot(ip, &ip->addrs[NDIRECT+1]);
  }
}

// Write n bytes from src (user address if user_src) at off in ip.
// Writes stop at MAXFILE*BSIZE, a full disk or a bad src. Returns the bytes
// written, or -1 if none could be. Caller holds ip->lock, in a transaction.
int
writei(struct inode *ip, int user_src, uint64 src, uint off, uint n)
{
  uint tot, m, addr, bn = 0, run[WRITE_RUN], runstart = 0, runlen = 0;
  struct buf *bp;
  uint64 limit = (uint64) MAXFILE * BSIZE;

  if(off > ip->size || off + n < off)
    return -1;
  if(n == 0)
    return 0;
  if(off >= limit)
    return -1;
  if((uint64) off + n > limit)
    n = limit - off;

  for(tot = 0; tot < n; tot += m, off += m, src += m){
    m = min(n - tot, BSIZE - off % BSIZE);
    bn = off / BSIZE;
    if(bn < runstart || bn >= runstart + runlen){
      // map the blocks this write still needs a run at a time
      runstart = bn;
      runlen = bmap_alloc_run(ip, bn, min((off + (n - tot) - 1) / BSIZE - bn + 1, WRITE_RUN), run);
      if(runlen == 0)
        break;
    }
    addr = run[bn - runstart];
    bp = bread(ip->dev, addr);
    if(either_copyin(bp->data + off % BSIZE, user_src, src, m) == -1){
      brelse(bp);
      break;
    }
    log_write(bp);
    brelse(bp);
  }
  if(off > ip->size)
    ip->size = off;
  if(tot < n)   // stopped early: blocks mapped ahead may lie past the end
    free_unwritten(ip, (ip->size + BSIZE - 1) / BSIZE, runstart + runlen > bn + 1 ?
                   runstart + runlen : bn + 1);
  // Write the inode back even if the size did not change: bmap may have
  // put new block numbers in ip->addrs[].
  iupdate(ip);
  return tot > 0 ? (int) tot : -1;
}

// ---------------------------------------------------------------- directories

int
namecmp(const char *s, const char *t)
{
  return strncmp(s, t, DIRSIZ);
}

// Find name in directory dp; its i-number (0 if absent) and entry offset.
// If pfree is set and name is absent, *pfree is where a new entry goes: the
// first empty slot, or the end.
static uint
dirscan(struct inode *dp, char *name, uint *poff, uint *pfree)
{
  uint off, addr, inum, freeoff = dp->size;
  struct buf *bp;
  struct dirent *de;

  if(dp->type != T_DIR)
    return 0;
  // One buffer per directory block rather than one readi per entry: a path
  // lookup runs on every open, and under emulation each readi costs locks.
  for(off = 0; off + sizeof(*de) <= dp->size; ){
    if((addr = bmap(dp, off / BSIZE, 0)) == 0){
      off = (off / BSIZE + 1) * BSIZE;   // a hole holds no entries
      continue;
    }
    bp = bread(dp->dev, addr);
    for(de = (struct dirent *)(bp->data + off % BSIZE);
        (uchar *)(de + 1) <= bp->data + BSIZE && off + sizeof(*de) <= dp->size;
        de++, off += sizeof(*de)){
      if(de->inum == 0 && freeoff == dp->size)
        freeoff = off;
      if(de->inum == 0 || namecmp(name, de->name) != 0)
        continue;
      if(de->inum >= sb.ninodes)
        continue;  // damaged entry: treat as absent
      inum = de->inum;
      brelse(bp);
      if(poff)
        *poff = off;
      return inum;
    }
    brelse(bp);
  }
  if(pfree)
    *pfree = freeoff;
  return 0;
}

static uint
dirfind(struct inode *dp, char *name, uint *poff)
{
  return dirscan(dp, name, poff, 0);
}

// Is inode inum in use on disk? An entry naming a free inode is damage.
static int
allocated(uint dev, uint inum)
{
  struct buf *bp;
  int type;

  bp = bread(dev, IBLOCK(inum, sb));
  type = ((struct dinode *) bp->data + inum % IPB)->type;
  brelse(bp);
  return type != 0;
}

// Look up name in directory dp (locked). Returns the inode referenced but
// unlocked, and its entry's offset in *poff; 0 if not found. An entry that
// names a free inode (a damaged directory) counts as absent: locking that
// inode would find no type.
struct inode*
dirlookup(struct inode *dp, char *name, uint *poff)
{
  uint inum;

  inum = dirfind(dp, name, poff);
  if(inum == 0)
    return 0;
  if(!allocated(dp->dev, inum)){
    printf("fs: directory %d names free inode %d\n", dp->inum, inum);
    return 0;
  }
  return iget(dp->dev, inum);
}

// Remove the entry name from directory dp (locked), in a transaction.
// 0, or -1 if there is no such entry.
int
dirunlink(struct inode *dp, char *name)
{
  struct dirent de;
  uint off;

  if(dirfind(dp, name, &off) == 0)
    return -1;
  memset(&de, 0, sizeof(de));
  if(writei(dp, 0, (uint64) &de, off, sizeof(de)) != sizeof(de))
    return -1;
  return 0;
}

// Add the entry (name, inum) to directory dp (locked).
// 0 on success, -1 if the name exists or the directory cannot grow.
int
dirlink(struct inode *dp, char *name, uint inum)
{
  uint off;
  struct dirent de;

  // one scan finds both: the name must be absent, and where the entry goes
  // (an empty slot, or the end)
  if(dirscan(dp, name, 0, &off) != 0)
    return -1;
  memset(&de, 0, sizeof(de));
  strncpy(de.name, name, DIRSIZ);
  de.inum = inum;
  if(writei(dp, 0, (uint64) &de, off, sizeof(de)) != sizeof(de))
    return -1;
  return 0;
}

// ---------------------------------------------------------------- path names

// Copy the next element of path into name and return what follows it
// (leading slashes skipped); 0 if there is no element. Elements longer than
// DIRSIZ are cut, as xv6 does.
//   skipelem("a/bb/c", name) = "bb/c", name = "a"
//   skipelem("///a//bb", name) = "bb", name = "a"
//   skipelem("", name) = skipelem("////", name) = 0
static char*
skipelem(char *path, char *name)
{
  char *s;
  int len;

  while(*path == '/')
    path++;
  if(*path == 0)
    return 0;
  s = path;
  while(*path != '/' && *path != 0)
    path++;
  len = path - s;
  if(len >= DIRSIZ){
    memmove(name, s, DIRSIZ);
  } else {
    memmove(name, s, len);
    name[len] = 0;
  }
  while(*path == '/')
    path++;
  return path;
}

// Look up a path. With parent set, return the inode of the last element's
// directory and copy the last element into name (DIRSIZ bytes).
// Must run inside a transaction: it calls iput().
static struct inode*
namex(char *path, int parent, char *name)
{
  struct inode *ip, *next;

  if(*path == '/')
    ip = iget(ROOTDEV, ROOTINO);
  else
    ip = idup(myproc()->cwd);
  if(ip == 0)
    return 0;

  while((path = skipelem(path, name)) != 0){
    ilock(ip);
    if(ip->type != T_DIR){
      iunlockput(ip);
      return 0;
    }
    if(parent && *path == 0){
      iunlock(ip);  // stop one level early
      return ip;
    }
    next = dirlookup(ip, name, 0);
    iunlockput(ip);
    if(next == 0)
      return 0;
    ip = next;
  }
  if(parent){
    iput(ip);
    return 0;
  }
  return ip;
}

struct inode*
namei(char *path)
{
  char name[DIRSIZ];
  return namex(path, 0, name);
}

struct inode*
nameiparent(char *path, char *name)
{
  return namex(path, 1, name);
}
