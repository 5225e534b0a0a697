// On-disk file system format, shared by the kernel and mkfs.
// xv6-riscv's layout, except that the last inode address is a doubly-indirect
// block, so files can reach NDIRECT + NINDIRECT + NINDIRECT^2 blocks (~64 MiB).
//
// Disk layout:
// [ boot block | super block | log | inode blocks | free bit map | data blocks ]
#pragma once

#define ROOTINO  1   // root i-number
#define BSIZE 1024  // block size

// mkfs computes the super block and builds an initial file system.
struct superblock {
  uint magic;        // Must be FSMAGIC
  uint size;         // Size of file system image (blocks)
  uint nblocks;      // Number of data blocks
  uint ninodes;      // Number of inodes.
  uint nlog;         // Number of log blocks
  uint logstart;     // Block number of first log block
  uint inodestart;   // Block number of first inode block
  uint bmapstart;    // Block number of first free map block
};

#define FSMAGIC 0x10203040

#define NDIRECT 11
#define NINDIRECT (BSIZE / sizeof(uint))
#define NDINDIRECT (NINDIRECT * NINDIRECT)
#define MAXFILE (NDIRECT + NINDIRECT + NDINDIRECT)
// addrs[NDIRECT] is the singly-indirect block, addrs[NDIRECT+1] the doubly-indirect one.

// On-disk inode structure (64 bytes, as xv6's)
struct dinode {
  short type;           // File type
  short major;          // Major device number (T_DEVICE only)
  short minor;          // Minor device number (T_DEVICE only)
  short nlink;          // Number of links to inode in file system
  uint size;            // Size of file (bytes)
  uint addrs[NDIRECT+2];   // Data block addresses
};

// Most names (directory entries, and a directory's subdirectories' "..")
// an inode may have: nlink is a short on disk.
#define LINK_MAX 32767

// Inodes per block.
#define IPB           (BSIZE / sizeof(struct dinode))

// Block containing inode i
#define IBLOCK(i, sb)     ((i) / IPB + sb.inodestart)

// Bitmap bits per block
#define BPB           (BSIZE*8)

// Block of free map containing bit for block b
#define BBLOCK(b, sb) ((b)/BPB + sb.bmapstart)

// Directory is a file containing a sequence of dirent structures.
#define DIRSIZ 14

struct dirent {
  ushort inum;
  char name[DIRSIZ];
};

// The log's header (Kernel/log.c), in the first block of the log area: the
// committed transaction's n blocks follow it, and block[i] is where logged
// block i belongs. n == 0: no committed transaction. Only the first
// LOGBLOCKS entries are ever used; the array fills the block.
struct logheader {
  int n;
  int block[BSIZE / sizeof(int) - 1];
};
