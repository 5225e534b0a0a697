// Write-ahead log: makes each file system operation atomic across crashes.
//
// A system call brackets its disk updates with begin_op()/end_op() and goes
// through log_write() instead of bwrite(). log_write only records the block
// number and pins the cached buffer; nothing reaches the disk until commit.
// Commit copies every recorded block into the log area, writes the header
// (the commit point), copies the blocks to their home locations, and then
// clears the header. After a crash, recovery at boot re-installs a committed
// log, or ignores an uncommitted one.
//
// Several system calls may share one commit ("group commit"): a commit runs
// only when no operation is outstanding. begin_op admits an operation only if
// the log has room for MAXOPBLOCKS more blocks per outstanding operation.
// end_op returns only when the commit holding its operation is complete, so
// a system call that has returned is on disk: a write() that returned
// survives a crash, even if another process's operation shared its group.
//
// On-disk log area (sb.logstart .. sb.logstart + sb.nlog - 1):
//   [ header block | logged block 0 | logged block 1 | ... ]

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "fs.h"
#include "buf.h"

struct log {
  struct spinlock lock;  // guards outstanding, committing, group, done and lh
  int start;             // block number of the header
  int dev;
  int outstanding;       // operations between begin_op and end_op
  int committing;        // commit() is running; new operations wait
  uint64 group;          // number of the group operations now join
  uint64 done;           // number of the last group whose commit is complete
  uint fsize;            // file system size, to vet block numbers in the log
  struct logheader lh;    // the on-disk header's layout (fs.h)
  struct buf *pinned[LOGBLOCKS];  // lh.block[i]'s cached buffer, pinned
};
struct log log;

// Commit's request lists for disk_rw_many (static: too big for a stack).
static uint commit_blocknos[LOGBLOCKS];
static uchar *commit_datas[LOGBLOCKS];

// Commit writes the log area through this private buffer, so it never needs
// a free buffer-cache slot while the log's own blocks pin the cache.
// Only the committing process (or recovery) uses it.
static struct buf logbuf;

static void recover_from_log(void);
static void commit(void);

void
initlog(int dev, struct superblock *sb)
{
  if(sizeof(struct logheader) > BSIZE ||
     LOGBLOCKS > sizeof(log.lh.block) / sizeof(log.lh.block[0]))
    panic("initlog: LOGBLOCKS entries do not fit the header block");
  if(sb->nlog < LOGBLOCKS + 1)
    panic("initlog: log area on disk smaller than LOGBLOCKS+1");

  initlock(&log.lock, "log");
  initsleeplock(&logbuf.lock, "logbuf");
  log.start = sb->logstart;
  log.dev = dev;
  log.fsize = sb->size;
  log.group = 1;
  log.done = 0;
  recover_from_log();
}

// Write logbuf's data to block blockno of the log device.
static void
logbuf_write(uint blockno)
{
  logbuf.dev = log.dev;
  logbuf.blockno = blockno;
  disk_rw(&logbuf, 1);
}

// Read the on-disk header into log.lh. A header that cannot be right
// (a crash never writes one) is treated as an empty log.
static void
read_head(void)
{
  struct buf *b;
  struct logheader *hd;
  int i;

  b = bread(log.dev, log.start);
  hd = (struct logheader *) b->data;
  log.lh.n = hd->n;
  if(log.lh.n < 0 || log.lh.n > LOGBLOCKS){
    printf("log: bad header (n=%d), ignoring the log\n", log.lh.n);
    log.lh.n = 0;
  }
  for(i = 0; i < log.lh.n; i++)
    log.lh.block[i] = hd->block[i];
  brelse(b);
}

// Write the in-memory header to disk. With n > 0 this is the moment the
// transaction commits; with n == 0 it erases the transaction.
static void
write_head(void)
{
  struct logheader *hd;
  int i;

  acquiresleep(&logbuf.lock);
  memset(logbuf.data, 0, BSIZE);
  hd = (struct logheader *) logbuf.data;
  hd->n = log.lh.n;
  for(i = 0; i < log.lh.n; i++)
    hd->block[i] = log.lh.block[i];
  logbuf_write(log.start);
  releasesleep(&logbuf.lock);
}

// Copy the cached (pinned) blocks into the log area, all requests in
// flight together. No buffer locks needed: the buffers are pinned, and
// while committing no operation runs, so nobody changes their data.
static void
write_log(void)
{
  int i;

  for(i = 0; i < log.lh.n; i++){
    commit_blocknos[i] = log.start + 1 + i;
    commit_datas[i] = log.pinned[i]->data;
  }
  disk_rw_many(commit_blocknos, commit_datas, log.lh.n, 1);
}

// After the commit point: write the pinned blocks home, all at once,
// then let the cache recycle them.
static void
install_committed(void)
{
  int i;

  for(i = 0; i < log.lh.n; i++){
    commit_blocknos[i] = log.lh.block[i];
    commit_datas[i] = log.pinned[i]->data;
  }
  disk_rw_many(commit_blocknos, commit_datas, log.lh.n, 1);
  for(i = 0; i < log.lh.n; i++){
    bunpin(log.pinned[i]);
    log.pinned[i] = 0;
  }
}

// At boot: copy a committed log's blocks from the log area to their homes.
static void
install_recovered(void)
{
  struct buf *home;
  int i;
  uint bno;

  for(i = 0; i < log.lh.n; i++){
    bno = log.lh.block[i];
    if(bno < 2 || bno >= log.fsize){
      printf("log: skipping bad block number %d\n", bno);
      continue;
    }
    home = bread(log.dev, bno);
    acquiresleep(&logbuf.lock);
    logbuf.dev = log.dev;
    logbuf.blockno = log.start + 1 + i;
    disk_rw(&logbuf, 0);
    memmove(home->data, logbuf.data, BSIZE);
    releasesleep(&logbuf.lock);
    bwrite(home);
    brelse(home);
  }
}

static void
recover_from_log(void)
{
  read_head();
  install_recovered();
  log.lh.n = 0;
  write_head();
}

// Start a file system operation: wait until no commit is running and the
// log has room for this operation's worst case.
void
begin_op(void)
{
  acquire(&log.lock);
  for(;;){
    if(log.committing){
      sleep(&log, &log.lock);
    } else if(log.lh.n + (log.outstanding + 1) * MAXOPBLOCKS > LOGBLOCKS){
      sleep(&log, &log.lock);  // wait for the current group to commit
    } else {
      log.outstanding++;
      release(&log.lock);
      return;
    }
  }
}

// Finish a file system operation; the last one out commits the group.
// The others wait for that commit: their updates are in it, and the
// caller must not return to user space before they are on disk. Nobody
// calls end_op holding an inode or buffer lock, so waiting here cannot
// hold up the operations that remain in the group.
void
end_op(void)
{
  uint64 mine;

  acquire(&log.lock);
  if(log.committing)
    panic("end_op: commit in progress");
  mine = log.group;  // no commit can start while this operation is outstanding
  log.outstanding--;
  if(log.outstanding > 0){
    // begin_op may be waiting for the room this operation reserved.
    wakeup(&log);
    while(log.done < mine)
      sleep(&log, &log.lock);
    release(&log.lock);
    return;
  }
  log.committing = 1;
  release(&log.lock);

  // commit() sleeps on disk I/O, so it runs without log.lock;
  // committing keeps new operations out meanwhile.
  commit();

  acquire(&log.lock);
  log.committing = 0;
  log.done = mine;
  log.group++;
  wakeup(&log);  // begin_op callers, and the group's other end_op callers
  release(&log.lock);
}

static void
commit(void)
{
  if(log.lh.n == 0)
    return;
  write_log();
  write_head();       // the commit point
  install_committed();
  log.lh.n = 0;
  write_head();       // the transaction is installed: erase it
}

// Record that b (locked, modified) belongs to the current transaction.
// Replaces bwrite(): the block goes to disk at commit. Writing the same block
// twice in one transaction uses one log slot ("absorption").
void
log_write(struct buf *b)
{
  int i;

  acquire(&log.lock);
  if(log.outstanding < 1)
    panic("log_write: outside of a transaction");
  for(i = 0; i < log.lh.n; i++){
    if(log.lh.block[i] == b->blockno)
      break;
  }
  if(i == log.lh.n){
    if(log.lh.n >= LOGBLOCKS)
      panic("log_write: transaction too big");
    log.lh.block[i] = b->blockno;
    log.pinned[i] = b;  // pinned below, so this buffer stays b's
    log.lh.n++;
    bpin(b);  // stays cached until install_committed
  }
  release(&log.lock);
}
