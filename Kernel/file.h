#pragma once
#include "sleeplock.h"
#include "fs.h"

// An open file: a pipe, an inode, a device or a socket.
struct file {
  enum { FD_NONE, FD_PIPE, FD_INODE, FD_DEVICE, FD_SOCK } type;
  int ref; // reference count (guarded by ftable.lock)
  char readable;
  char writable;
  char nonblock;       // O_NONBLOCK-style flag (sockets)
  char append;         // O_APPEND: FD_INODE writes go to the end
  struct pipe *pipe;   // FD_PIPE
  struct inode *ip;    // FD_INODE and FD_DEVICE
  struct socket *sock; // FD_SOCK: the socket layer's object
  uint off;            // FD_INODE
  short major;         // FD_DEVICE
};

#define major(dev)  ((dev) >> 16 & 0xFFFF)
#define minor(dev)  ((dev) & 0xFFFF)
#define	mkdev(m,n)  ((uint)((m)<<16| (n)))

// in-memory copy of an inode
struct inode {
  uint dev;           // Device number
  uint inum;          // Inode number
  int ref;            // Reference count
  struct sleeplock lock; // protects everything below here
  int valid;          // inode has been read from disk?

  short type;         // copy of disk inode
  short major;
  short minor;
  short nlink;
  uint size;
  uint addrs[NDIRECT+2];
};

// map major device number to device functions.
struct devsw {
  int (*read)(int user_dst, uint64 dst, int n);
  int (*write)(int user_src, uint64 src, int n);
  int (*poll)(void);   // POLL* bits ready now (kernel/poll.h); 0: always ready
};

extern struct devsw devsw[];

#define CONSOLE 1
#define RANDOM  2   // /dev/random: waits until seeded (random.c)
#define URANDOM 3   // /dev/urandom: never waits
