// Kernel limits and tunables.
#pragma once

#define NPROC        64            // maximum number of processes
#define NCPU          8            // maximum number of harts
#define NOFILE       16            // open files per process
#define NFILE       200            // open files per system
#define NINODE       64            // maximum number of active i-nodes
#define NDEV         10            // maximum major device number
#define ROOTDEV       1            // device number of file system root disk
#define MAXARG       32            // max exec arguments
#define MAXOPBLOCKS  64            // max # of blocks any FS op writes
#define LOGBLOCKS    (MAXOPBLOCKS*3)  // max data blocks in on-disk log (<= 254: header is one block)
#define LOGSIZE      LOGBLOCKS     // xv6's older name for the same limit
#define NBUF         (MAXOPBLOCKS*4)  // size of disk block cache (>= LOGBLOCKS)
#define FSSIZE       131072        // file system size in blocks (128 MiB)
#define NINODES      1024          // inodes in the file system
#define MAXPATH      128           // maximum file path name
#define USERSTACK    1             // user stack pages
#define KSTACKPAGES  4             // pages per kernel stack (a guard page sits below)
#define TICK_HZ      100           // timer interrupts per second (10 ms ticks)
#define SLICE_US     1000          // a process that has had the hart this long yields at its next trap
