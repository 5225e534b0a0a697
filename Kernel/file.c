// Open files: the system-wide file table and read/write/stat/close that
// dispatch on the kind of file (pipe, inode, device; sockets to come).

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "fs.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "file.h"
#include "stat.h"
#include "proc.h"
#include "errnum.h"

struct devsw devsw[NDEV];

struct {
  struct spinlock lock;  // guards every file's ref
  struct file file[NFILE];
} ftable;

void
fileinit(void)
{
  initlock(&ftable.lock, "ftable");
}

// Allocate a file structure with one reference; 0 if the table is full.
struct file*
filealloc(void)
{
  struct file *f;

  acquire(&ftable.lock);
  for(f = ftable.file; f < ftable.file + NFILE; f++){
    if(f->ref == 0){
      f->ref = 1;
      release(&ftable.lock);
      return f;
    }
  }
  release(&ftable.lock);
  return 0;
}

// One more reference to f.
struct file*
filedup(struct file *f)
{
  acquire(&ftable.lock);
  if(f->ref < 1)
    panic("filedup");
  f->ref++;
  release(&ftable.lock);
  return f;
}

// Drop a reference; the last one releases what the file holds.
void
fileclose(struct file *f)
{
  struct file ff;

  acquire(&ftable.lock);
  if(f->ref < 1)
    panic("fileclose");
  if(--f->ref > 0){
    release(&ftable.lock);
    return;
  }
  ff = *f;  // release the slot first: closing may sleep
  f->ref = 0;
  f->type = FD_NONE;
  release(&ftable.lock);

  switch(ff.type){
  case FD_PIPE:
    pipeclose(ff.pipe, ff.writable);
    break;
  case FD_INODE:
  case FD_DEVICE:
    begin_op();  // iput may free the inode
    iput(ff.ip);
    end_op();
    break;
  case FD_SOCK:
    sockclose(ff.sock);
    break;
  default:
    break;
  }
}

// Copy f's metadata to the user's struct stat at addr.
int
filestat(struct file *f, uint64 addr)
{
  struct proc *p = myproc();
  struct stat st;

  switch(f->type){
  case FD_INODE:
  case FD_DEVICE:
    ilock(f->ip);
    stati(f->ip, &st);
    iunlock(f->ip);
    if(copyout(p->pagetable, addr, (char *) &st, sizeof(st)) < 0)
      return -1;
    return 0;
  default:
    return -1;
  }
}

// The device switch entry for major, or 0 if there is none.
static struct devsw*
devsw_of(short major)
{
  if(major < 0 || major >= NDEV)
    return 0;
  return &devsw[major];
}

// Read up to n bytes from f's inode (locked) in pieces, so that a process
// killed meanwhile stops between them: one read of a 64 MiB file would
// otherwise keep it for seconds. The lock is held throughout, so the read
// still sees the file as one writer left it.
#define READ_CHUNK (64 * 1024)

// *off is f->off, or pread's own offset.
static int
inode_read(struct file *f, uint *off, uint64 addr, int n)
{
  int done = 0, chunk, r;

  do {
    chunk = n - done < READ_CHUNK ? n - done : READ_CHUNK;
    r = readi(f->ip, 1, addr + done, *off, chunk);
    if(r > 0){
      *off += r;
      done += r;
    }
  } while(r == chunk && done < n && !killed(myproc()));
  return done > 0 ? done : r;
}

// Read up to n bytes from f into user address addr.
int
fileread(struct file *f, uint64 addr, int n)
{
  struct devsw *d;
  int r;

  if(f->readable == 0 || n < 0)
    return -1;

  switch(f->type){
  case FD_PIPE:
    return piperead(f->pipe, addr, n, f->nonblock);
  case FD_DEVICE:
    d = devsw_of(f->major);
    if(d == 0 || d->read == 0)
      return -1;
    return d->read(1, addr, n);
  case FD_INODE:
    ilock(f->ip);
    r = inode_read(f, &f->off, addr, n);
    iunlock(f->ip);
    return r;
  case FD_SOCK:
    return sockread(f->sock, addr, n);
  default:
    return -1;
  }
}

// Write n bytes to an inode, a few blocks per transaction.
//
// One transaction may write at most MAXOPBLOCKS blocks. A chunk of k whole
// data blocks (chunks after the first start on a block boundary, and the
// first is cut to end on one, so a chunk touches exactly k data blocks)
// also writes, at worst:
//   1  the inode (size, direct addresses)
//   2  bitmap blocks (the k blocks and any new index blocks can straddle
//      one bitmap-block boundary; balloc allocates near its last block)
//   1  the singly-indirect block
//   1  the doubly-indirect block
//   1  one second-level block
// (A chunk crossing from the singly- into the doubly-indirect range touches
// all three index blocks; one inside the doubly-indirect range can touch two
// second-level blocks but then not the singly-indirect one: 3 either way.)
// So k = MAXOPBLOCKS - 1 - 2 - 3; with MAXOPBLOCKS = 10 that is 4 blocks.
#define WRITE_META_BLOCKS (1 + 2 + 3)
#define WRITE_CHUNK_BLOCKS (MAXOPBLOCKS - WRITE_META_BLOCKS)

// *off is f->off, or pwrite's own offset; O_APPEND moves f->off to the end
// before each piece, under the inode's lock, so appenders never overwrite.
static int
inode_write(struct file *f, uint *off, uint64 addr, int n)
{
  int done = 0, chunk, r;

  while(done < n){
    // A killed process stops here: one write of 64 MiB takes a minute under
    // QEMU, and kill must not wait for it (sysfuzz found that).
    if(killed(myproc()))
      break;
    begin_op();
    ilock(f->ip);
    if(f->append && off == &f->off)
      *off = f->ip->size;
    // Stop at the next block boundary at most WRITE_CHUNK_BLOCKS ahead.
    chunk = WRITE_CHUNK_BLOCKS * BSIZE - *off % BSIZE;
    if(chunk > n - done)
      chunk = n - done;
    r = writei(f->ip, 1, addr + done, *off, chunk);
    if(r > 0)
      *off += r;
    iunlock(f->ip);
    end_op();

    if(r < 0)
      break;
    done += r;
    if(r != chunk)
      break;  // file limit, full disk or bad address
  }
  return done > 0 ? done : -1;
}

// Write n bytes from user address addr to f.
int
filewrite(struct file *f, uint64 addr, int n)
{
  struct devsw *d;

  if(f->writable == 0 || n < 0)
    return -1;
  if(n == 0)
    return 0;

  switch(f->type){
  case FD_PIPE:
    return pipewrite(f->pipe, addr, n, f->nonblock);
  case FD_DEVICE:
    d = devsw_of(f->major);
    if(d == 0 || d->write == 0)
      return -1;
    return d->write(1, addr, n);
  case FD_INODE:
    return inode_write(f, &f->off, addr, n);
  case FD_SOCK:
    return sockwrite(f->sock, addr, n);
  default:
    return -1;
  }
}

// pread/pwrite: n bytes at offset off of an inode's file, f->off untouched.
// -ESPIPE for pipes, sockets and devices; -EBADF if f's mode forbids it.
int
filepread(struct file *f, uint64 addr, int n, uint off)
{
  int r;

  if(f->type != FD_INODE)
    return -ESPIPE;
  if(f->readable == 0)
    return -EBADF;
  ilock(f->ip);
  r = inode_read(f, &off, addr, n);
  iunlock(f->ip);
  return r < 0 ? -EFAULT : r;
}

int
filepwrite(struct file *f, uint64 addr, int n, uint off)
{
  if(f->type != FD_INODE)
    return -ESPIPE;
  if(f->writable == 0)
    return -EBADF;
  if(n == 0)
    return 0;
  int r = inode_write(f, &off, addr, n);
  return r < 0 ? -EIO : r;
}
