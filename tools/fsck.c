// fsck: check an xv6-net file system image as the kernel will see it after boot.
//
//   fsck [-v] [-a] [--recover] [--dump DIR] IMAGE
//
// A committed log (header n > 0 at sb.logstart) is replayed first, in memory:
// the image is written only with --recover, which installs the log and clears
// its header as the kernel's recovery does. Then, in order:
//   superblock    magic, the regions' layout, the size against the image
//   inodes        type known, size <= MAXFILE*BSIZE
//   directories   size a multiple of the entry size, "." first naming itself,
//                 ".." second, names well formed and not repeated, entries
//                 naming allocated inodes with valid numbers
//   blocks        every address in the data area, no data block past the
//                 size, no block owned twice (by two inodes or twice in one)
//   links         a file's nlink = the entries naming it; a directory's =
//                 1 + its subdirectories (create() counts a child's ".." in
//                 its parent, not "." in itself); a directory named exactly
//                 once, and its ".." naming that parent (the root: itself)
//   reachability  every inode with links reached from the root
//   bitmap        exactly the metadata blocks and the owned blocks marked
// An inode with a type and nlink 0 is an orphan (a file removed while open,
// or a deletion cut by a crash); the next boot frees it (reclaim_orphans in
// Kernel/fs.c). It is listed, not counted as a problem; it owns its blocks.
//
// Output: one line per problem (at most MAXLINES of each kind unless -a),
// then one summary line. Exit status: 0 clean, 1 problems, 2 the image cannot
// be checked (unreadable, not an xv6 file system, impossible layout).
//   -v           say what is checked, and list every inode with its path
//   --dump DIR   write the tree under DIR: directories, and files with their
//                contents (holes as zeros); devices are skipped. For tests
//                that compare contents with what a guest wrote.
//
// Build: cc -Werror -Wall -I Kernel -o build/fsck tools/fsck.c

// <fcntl.h> is not included: -I Kernel would find the kernel's fcntl.h.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "types.h"
#include "param.h"
#include "fs.h"
#define stat xv6_stat  // the kernel's struct stat, only for T_DIR/T_FILE/T_DEVICE
#include "stat.h"
#undef stat

#define MAXLINES 50               // lines shown per kind of problem without -a
#define MAXBYTES ((unsigned long) MAXFILE * BSIZE)
#define HOSTPATH 4096

enum { P_SUPER, P_LOG, P_INODE, P_DIR, P_BLOCK, P_LINK, P_REACH, P_BITMAP, NKIND };
static const char *kindname[NKIND] = {
  "superblock", "log", "inode", "directory", "block", "link", "reachability", "bitmap",
};
static int nproblem[NKIND];
static int verbose, showall;

static const char *imgpath;
static FILE *imgfp;
static uint imgblocks;            // whole blocks in the image file
static uchar **cache;             // cache[b]: block b, once read (replay writes here)
static uchar *replayed;           // replayed[b]: the log replay changed block b

static struct superblock sb;
static uint nbitmap, datastart;
static int lognblocks;            // committed transaction replayed (0: none)
static int logbad;                // header impossible: the kernel ignores the log

// What the checks learn about each inode.
struct ino {
  short type, nlink;
  int valid;          // a type the kernel knows: its contents are examined
  int refs;           // entries naming it in live directories ("." and ".." not counted)
  int subdirs;        // a directory's entries that name directories
  uint parent;        // the live directory that first names it
  uint dotdot;        // a directory's ".." entry (0: none)
  char *path;         // where the walk from the root reaches it (0: not reached)
};
static struct ino *ino;
static uint *owner;               // owner[b]: the inode owning block b (data area)
static uint *order;               // directories in the order the walk reached them
static uint norder;

// ---------------------------------------------------------------- reporting

static void
unusable(const char *fmt, ...)
{
  va_list ap;

  printf("fsck: %s: cannot check: ", imgpath);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  exit(2);
}

static void
problem(int kind, const char *fmt, ...)
{
  va_list ap;

  if(++nproblem[kind] > MAXLINES && !showall)
    return;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

// A line for -v.
static void
say(const char *fmt, ...)
{
  va_list ap;

  if(!verbose)
    return;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

static void*
xcalloc(size_t n, size_t size)
{
  void *p = calloc(n ? n : 1, size);

  if(p == 0)
    unusable("out of host memory");
  return p;
}

// Inode inum's path for messages: " /a/b", or "" if the walk did not reach it.
static const char*
where(uint inum)
{
  static char buf[2][HOSTPATH + 2];
  static int k;

  if(inum == 0 || inum >= sb.ninodes || ino[inum].path == 0)
    return "";
  k = !k;  // two results may appear in one message
  snprintf(buf[k], sizeof(buf[k]), " %s", ino[inum].path);
  return buf[k];
}

// A directory entry's name as a C string (DIRSIZ bytes need not end in NUL).
static void
entname(struct dirent *de, char *out)
{
  memcpy(out, de->name, DIRSIZ);
  out[DIRSIZ] = 0;
}

// The name printable: other bytes shown as '?'.
static const char*
shown(const char *name)
{
  static char buf[2][DIRSIZ + 1];
  static int k;
  int i;

  k = !k;
  for(i = 0; name[i] && i < DIRSIZ; i++)
    buf[k][i] = (name[i] >= 0x20 && name[i] < 0x7f) ? name[i] : '?';
  buf[k][i] = 0;
  return buf[k];
}

// ---------------------------------------------------------------- the image

// Block b's bytes, read on first use. Past the end of the file reads zeros.
static uchar*
block(uint b)
{
  if(b >= imgblocks)
    unusable("internal error: block %u past the image", b);
  if(cache[b] == 0){
    cache[b] = xcalloc(1, BSIZE);
    if(pread(fileno(imgfp), cache[b], BSIZE, (off_t) b * BSIZE) < 0)
      unusable("read of block %u failed: %s", b, strerror(errno));
  }
  return cache[b];
}

static void
open_image(int writable)
{
  struct stat st;

  if((imgfp = fopen(imgpath, writable ? "r+b" : "rb")) == 0)
    unusable("%s", strerror(errno));
  if(fstat(fileno(imgfp), &st) < 0)
    unusable("%s", strerror(errno));
  if(!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
    unusable("not a file");
  imgblocks = st.st_size / BSIZE;
  if(imgblocks < 2)
    unusable("%lld bytes: smaller than a boot block and a superblock", (long long) st.st_size);
  cache = xcalloc(imgblocks, sizeof(*cache));
  replayed = xcalloc(imgblocks, 1);
}

static struct dinode*
dinode(uint inum)
{
  return (struct dinode *) block(IBLOCK(inum, sb)) + inum % IPB;
}

// ---------------------------------------------------------------- superblock

// Anything wrong here makes every later check meaningless: the kernel
// itself panics on most of it (fsinit, initlog).
static void
check_super(void)
{
  uint64 inodeend;

  memmove(&sb, block(1), sizeof(sb));
  if(sb.magic != FSMAGIC)
    unusable("no xv6 file system (magic 0x%x, want 0x%x)", sb.magic, FSMAGIC);
  if(sb.size > imgblocks)
    unusable("the superblock says %u blocks but the image holds %u", sb.size, imgblocks);
  if(sb.ninodes < 2)
    unusable("the superblock says %u inodes (the root is inode %d)", sb.ninodes, ROOTINO);
  if(sb.nlog < LOGBLOCKS + 1)
    unusable("log of %u blocks, the kernel needs %d (LOGBLOCKS+1)", sb.nlog, LOGBLOCKS + 1);
  nbitmap = (sb.size + BPB - 1) / BPB;
  inodeend = (uint64) sb.inodestart + (sb.ninodes - 1) / IPB + 1;
  if(sb.logstart < 2 || (uint64) sb.logstart + sb.nlog > sb.inodestart ||
     inodeend > sb.bmapstart || (uint64) sb.bmapstart + nbitmap >= sb.size)
    unusable("regions out of order: log %u+%u, inodes at %u (%u inodes), bitmap at %u "
             "(%u blocks), size %u", sb.logstart, sb.nlog, sb.inodestart, sb.ninodes,
             sb.bmapstart, nbitmap, sb.size);
  datastart = sb.bmapstart + nbitmap;
  if(sb.nblocks != sb.size - datastart)
    problem(P_SUPER, "superblock: nblocks %u, but the data area holds %u blocks",
            sb.nblocks, sb.size - datastart);
  say("superblock: %u blocks: log %u-%u, inodes %u-%u (%u), bitmap %u-%u, data %u-%u",
      sb.size, sb.logstart, sb.logstart + sb.nlog - 1, sb.inodestart, sb.bmapstart - 1,
      sb.ninodes, sb.bmapstart, datastart - 1, datastart, sb.size - 1);
}

// ---------------------------------------------------------------- log

// What the kernel's recovery (recover_from_log) does at boot, in memory.
static void
replay_log(void)
{
  struct logheader lh;
  int i;
  uint b;

  memmove(&lh, block(sb.logstart), sizeof(lh));
  if(lh.n == 0){
    say("log: empty (no committed transaction to replay)");
    return;
  }
  if(lh.n < 0 || lh.n > LOGBLOCKS){
    logbad = 1;
    problem(P_LOG, "log: header says %d blocks (at most %d): damaged; the kernel ignores the log",
            lh.n, LOGBLOCKS);
    return;
  }
  for(i = 0; i < lh.n; i++){
    b = lh.block[i];
    if(b < 2 || b >= sb.size){
      problem(P_LOG, "log: entry %d names block %u, outside the file system: the kernel skips it", i, b);
      continue;
    }
    memmove(block(b), block(sb.logstart + 1 + i), BSIZE);
    replayed[b] = 1;
  }
  lognblocks = lh.n;
  say("log: a committed transaction of %d blocks: replayed in memory before the checks", lh.n);
}

// --recover: write the replayed blocks home and clear the header, as the
// kernel's recovery does, so the image needs no replay any more.
static void
install_log(void)
{
  uchar *hdr;
  uint b;
  int fd = fileno(imgfp);

  if(lognblocks == 0 && !logbad)
    return;
  for(b = 0; b < sb.size; b++)
    if(replayed[b] && pwrite(fd, cache[b], BSIZE, (off_t) b * BSIZE) != BSIZE)
      unusable("write of block %u failed: %s", b, strerror(errno));
  hdr = block(sb.logstart);
  memset(hdr, 0, BSIZE);
  if(pwrite(fd, hdr, BSIZE, (off_t) sb.logstart * BSIZE) != BSIZE || fsync(fd) < 0)
    unusable("write of the log header failed: %s", strerror(errno));
  say("log: installed in the image (--recover)");
}

// ---------------------------------------------------------------- file contents

// Disk address of file block bn of d, or 0 for a hole. An address outside
// the data area reads as a hole, as in the kernel (goodblock in fs.c).
static uint
fileblock(struct dinode *d, uint bn)
{
  uint a, top;

  if(bn < NDIRECT){
    a = d->addrs[bn];
  } else if((bn -= NDIRECT) < NINDIRECT){
    top = d->addrs[NDIRECT];
    if(top < datastart || top >= sb.size)
      return 0;
    a = ((uint *) block(top))[bn];
  } else if((bn -= NINDIRECT) < NDINDIRECT){
    top = d->addrs[NDIRECT+1];
    if(top < datastart || top >= sb.size)
      return 0;
    top = ((uint *) block(top))[bn / NINDIRECT];
    if(top < datastart || top >= sb.size)
      return 0;
    a = ((uint *) block(top))[bn % NINDIRECT];
  } else {
    return 0;
  }
  return (a >= datastart && a < sb.size) ? a : 0;
}

// Copy n bytes at off of d's contents (within one block) to dst.
static void
readpart(struct dinode *d, uint off, void *dst, uint n)
{
  uint a = fileblock(d, off / BSIZE);

  if(a == 0)
    memset(dst, 0, n);
  else
    memmove(dst, block(a) + off % BSIZE, n);
}

// Directory entry i of d.
static void
readent(struct dinode *d, uint i, struct dirent *de)
{
  readpart(d, i * sizeof(*de), de, sizeof(*de));  // BSIZE is a multiple of 16
}

// Entries a directory's size covers (a partial one at the end ignored).
static uint
nentries(struct dinode *d)
{
  uint64 size = d->size < MAXBYTES ? d->size : MAXBYTES;

  return size / sizeof(struct dirent);
}

// ---------------------------------------------------------------- inodes

static const char*
typename(int type)
{
  return type == T_DIR ? "directory" : type == T_FILE ? "file" : "device";
}

// Types first: everything else follows only inodes of a known type.
// Inode 0 is never used by the kernel (ialloc and entries start at 1).
static void
scan_inodes(void)
{
  struct dinode *d;
  uint inum;

  ino = xcalloc(sb.ninodes, sizeof(*ino));
  for(inum = 1; inum < sb.ninodes; inum++){
    d = dinode(inum);
    ino[inum].type = d->type;
    ino[inum].nlink = d->nlink;
    if(d->type == 0)
      continue;
    if(d->type != T_DIR && d->type != T_FILE && d->type != T_DEVICE){
      problem(P_INODE, "inode %u: type %d is not a directory, file or device", inum, d->type);
      continue;
    }
    ino[inum].valid = 1;
    if(d->size > MAXBYTES)
      problem(P_INODE, "inode %u: size %u is past the largest file (%lu bytes)",
              inum, d->size, MAXBYTES);
  }
}

// ---------------------------------------------------------------- the tree

static char*
joinpath(const char *dir, const char *name)
{
  char *p = xcalloc(1, strlen(dir) + DIRSIZ + 2);

  sprintf(p, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", name);
  return p;
}

// Can this entry be followed? (The checks of scan_dir say why not.)
static int
followable(struct dirent *de, char *name)
{
  entname(de, name);
  return de->inum != 0 && de->inum < sb.ninodes && ino[de->inum].valid &&
         name[0] != 0 && strchr(name, '/') == 0 &&
         strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

// Walk from the root, breadth first, giving each inode reached the path
// of the first entry that names it. Every directory is entered once, so
// a damaged tree with cycles still ends.
static void
walk_tree(void)
{
  struct dinode *d;
  struct dirent de;
  char name[DIRSIZ + 1];
  uint i, n, k, dir, t;

  order = xcalloc(sb.ninodes, sizeof(*order));
  if(!ino[ROOTINO].valid || ino[ROOTINO].type != T_DIR){
    problem(P_REACH, "inode %d, the root, is not a directory (type %d): nothing is reachable",
            ROOTINO, ino[ROOTINO].type);
    return;
  }
  ino[ROOTINO].path = "/";
  order[norder++] = ROOTINO;
  for(k = 0; k < norder; k++){
    dir = order[k];
    d = dinode(dir);
    n = nentries(d);
    for(i = 0; i < n; i++){
      readent(d, i, &de);
      if(!followable(&de, name) || ino[t = de.inum].path != 0)
        continue;
      ino[t].path = joinpath(ino[dir].path, name);
      if(ino[t].type == T_DIR)
        order[norder++] = t;
    }
  }
}

// Names in one directory, sorted to find any that appear twice.
static int
namecmp(const void *a, const void *b)
{
  return strncmp(a, b, DIRSIZ);
}

static void
check_dupnames(uint dir, char (*names)[DIRSIZ], uint n)
{
  uint i;
  char name[DIRSIZ + 1];

  qsort(names, n, DIRSIZ, namecmp);
  for(i = 1; i < n; i++){
    if(namecmp(names[i-1], names[i]) != 0 || (i >= 2 && namecmp(names[i-2], names[i]) == 0))
      continue;
    memcpy(name, names[i], DIRSIZ);
    name[DIRSIZ] = 0;
    problem(P_DIR, "directory %u%s: holds the name \"%s\" more than once", dir, where(dir), shown(name));
  }
}

// An entry other than "." and "..": what it names, counted for the links.
static void
check_entry(uint dir, uint i, struct dirent *de, const char *name, int live)
{
  struct ino *t;

  if(name[0] == 0 || strchr(name, '/') != 0)
    problem(P_DIR, "directory %u%s: entry %u has a bad name \"%s\"", dir, where(dir), i, shown(name));
  if(de->inum >= sb.ninodes){
    problem(P_DIR, "directory %u%s: entry \"%s\" names inode %u, past the last (%u)",
            dir, where(dir), shown(name), de->inum, sb.ninodes - 1);
    return;
  }
  t = &ino[de->inum];
  if(t->type == 0){
    problem(P_DIR, "directory %u%s: entry \"%s\" names inode %u, which is free",
            dir, where(dir), shown(name), de->inum);
    return;
  }
  if(!t->valid)
    return;  // reported with the inode
  if(!live){
    problem(P_DIR, "directory %u: removed (nlink 0, freed at the next boot) but still names "
            "\"%s\" (inode %u%s)", dir, shown(name), de->inum, where(de->inum));
    return;
  }
  t->refs++;
  if(t->type == T_DIR){
    ino[dir].subdirs++;
    if(t->parent == 0)
      t->parent = dir;
  }
}

// One directory's entries. A removed directory (nlink 0, someone's cwd) keeps
// "." (unlink takes its ".." away with the link it stood for) and must have
// nothing else; its entries count for nothing.
static void
scan_dir(uint dir)
{
  struct dinode *d = dinode(dir);
  struct dirent de;
  char name[DIRSIZ + 1], (*names)[DIRSIZ];
  uint i, n = nentries(d), nnames = 0, ndot = 0, ndotdot = 0;
  int live = d->nlink > 0;

  if(d->size % sizeof(de) != 0)
    problem(P_DIR, "directory %u%s: size %u is not a multiple of the entry size (%d)",
            dir, where(dir), d->size, (int) sizeof(de));
  names = xcalloc(n, DIRSIZ);
  for(i = 0; i < n; i++){
    readent(d, i, &de);
    if(de.inum == 0)
      continue;
    entname(&de, name);
    memcpy(names[nnames++], de.name, DIRSIZ);
    if(strcmp(name, ".") == 0){
      if(ndot++ == 0 && (i != 0 || de.inum != dir))
        problem(P_DIR, "directory %u%s: \".\" is entry %u and names inode %u (want entry 0, "
                "naming itself)", dir, where(dir), i, de.inum);
    } else if(strcmp(name, "..") == 0){
      if(ndotdot++ == 0){
        ino[dir].dotdot = de.inum;
        if(i != 1)
          problem(P_DIR, "directory %u%s: \"..\" is entry %u, not entry 1", dir, where(dir), i);
      }
    } else {
      check_entry(dir, i, &de, name, live);
    }
  }
  if(ndot == 0 || (ndotdot == 0 && live))
    problem(P_DIR, "directory %u%s: no \"%s\" entry", dir, where(dir), ndot == 0 ? "." : "..");
  check_dupnames(dir, names, nnames);
  free(names);
}

static void
scan_dirs(void)
{
  uint inum, n = 0;

  for(inum = 1; inum < sb.ninodes; inum++){
    if(ino[inum].valid && ino[inum].type == T_DIR){
      scan_dir(inum);
      n++;
    }
  }
  say("directories: %u checked: entry size, \".\" and \"..\", names, duplicates, "
      "entries naming allocated inodes", n);
}

// ---------------------------------------------------------------- blocks

// Claim block b for inode inum. 1 if it may be followed: in the data area
// and owned by nobody before.
static int
claim(uint inum, uint b, const char *what, uint bn)
{
  if(b < datastart || b >= sb.size){
    problem(P_BLOCK, "inode %u%s: %s %u has address %u, outside the data area (%u-%u)",
            inum, where(inum), what, bn, b, datastart, sb.size - 1);
    return 0;
  }
  if(owner[b] == inum){
    problem(P_BLOCK, "block %u: listed twice in inode %u%s (again as %s %u)",
            b, inum, where(inum), what, bn);
    return 0;
  }
  if(owner[b] != 0){
    problem(P_BLOCK, "block %u: owned by inode %u%s and by inode %u%s (as %s %u)",
            b, owner[b], where(owner[b]), inum, where(inum), what, bn);
    return 0;
  }
  owner[b] = inum;
  return 1;
}

// A data block: claimed, and within the size. nb: blocks the size covers.
// An orphan's size may be 0 already while its blocks are still being freed
// (itrunc commits in steps; the next boot finishes the job).
static void
data_block(uint inum, uint b, uint bn, uint nb)
{
  claim(inum, b, "file block", bn);
  if(bn >= nb && dinode(inum)->nlink > 0)
    problem(P_BLOCK, "inode %u%s: file block %u (block %u) is past its size (%u bytes)",
            inum, where(inum), bn, b, dinode(inum)->size);
}

// The entries of index block ib, mapping file blocks from bn on.
static void
index_entries(uint inum, uint ib, uint bn, uint nb)
{
  uint i, *e = (uint *) block(ib);

  for(i = 0; i < NINDIRECT; i++)
    if(e[i] != 0)
      data_block(inum, e[i], bn + i, nb);
}

// Every block inode inum owns: data and index blocks.
static void
walk_blocks(uint inum)
{
  struct dinode *d = dinode(inum);
  uint64 size = d->size < MAXBYTES ? d->size : MAXBYTES;
  uint nb = (size + BSIZE - 1) / BSIZE, i, top, mid, *e;

  for(i = 0; i < NDIRECT; i++)
    if(d->addrs[i] != 0)
      data_block(inum, d->addrs[i], i, nb);
  top = d->addrs[NDIRECT];
  if(top != 0 && claim(inum, top, "indirect block for file block", NDIRECT))
    index_entries(inum, top, NDIRECT, nb);
  top = d->addrs[NDIRECT+1];
  if(top == 0 || !claim(inum, top, "doubly-indirect block for file block", NDIRECT + NINDIRECT))
    return;
  for(i = 0; i < NINDIRECT; i++){
    e = (uint *) block(top);  // (a pointer into the cache: stable)
    mid = e[i];
    if(mid != 0 && claim(inum, mid, "index block for file block", NDIRECT + NINDIRECT + i * NINDIRECT))
      index_entries(inum, mid, NDIRECT + NINDIRECT + i * NINDIRECT, nb);
  }
}

static uint
walk_all_blocks(void)
{
  uint inum, b, n = 0;

  owner = xcalloc(sb.size, sizeof(*owner));
  for(inum = 1; inum < sb.ninodes; inum++)
    if(ino[inum].valid)
      walk_blocks(inum);
  for(b = datastart; b < sb.size; b++)
    n += owner[b] != 0;
  say("blocks: %u owned by inodes: addresses in the data area, none past a file's size, "
      "none owned twice", n);
  return n;
}

// ---------------------------------------------------------------- links

// An orphan is listed, not a problem, unless a directory still names it.
static int
check_orphan(uint inum)
{
  struct ino *t = &ino[inum];

  if(t->refs > 0){
    problem(P_LINK, "inode %u%s: nlink 0 but named by %d entries: the next boot frees it "
            "while it is named", inum, where(inum), t->refs);
    return 0;
  }
  printf("orphan: inode %u (%s, size %u): nlink 0, the next boot frees it\n",
         inum, typename(t->type), dinode(inum)->size);
  return 1;
}

static void
check_dirlinks(uint inum)
{
  struct ino *t = &ino[inum];
  uint parent = inum == ROOTINO ? ROOTINO : t->parent;

  if(t->nlink != 1 + t->subdirs)
    problem(P_LINK, "directory %u%s: nlink %d, want %d (1 + %d subdirectories)",
            inum, where(inum), t->nlink, 1 + t->subdirs, t->subdirs);
  if(inum == ROOTINO && t->refs != 0)
    problem(P_LINK, "directory %u /: the root is named by %d entries besides its own",
            inum, t->refs);
  if(inum != ROOTINO && t->refs != 1)
    problem(P_LINK, "directory %u%s: named by %d entries; a directory has exactly one",
            inum, where(inum), t->refs);
  if(t->dotdot != 0 && parent != 0 && t->dotdot != parent)
    problem(P_DIR, "directory %u%s: \"..\" names inode %u, but its parent is %u%s",
            inum, where(inum), t->dotdot, parent, where(parent));
}

// Link counts and reachability; returns the number of orphans.
static uint
check_links(void)
{
  uint inum, norphans = 0, nreached = 0;
  struct ino *t;

  for(inum = 1; inum < sb.ninodes; inum++){
    t = &ino[inum];
    if(!t->valid)
      continue;
    if(t->nlink <= 0){
      if(t->nlink < 0)
        problem(P_LINK, "inode %u%s: nlink %d is negative", inum, where(inum), t->nlink);
      else
        norphans += check_orphan(inum);
      continue;
    }
    if(t->type == T_DIR)
      check_dirlinks(inum);
    else if(t->nlink != t->refs)
      problem(P_LINK, "inode %u%s: nlink %d, but %d directory entries name it",
              inum, where(inum), t->nlink, t->refs);
    if(t->path == 0)
      problem(P_REACH, "inode %u (%s, nlink %d, size %u): not reachable from the root",
              inum, typename(t->type), t->nlink, dinode(inum)->size);
    else
      nreached++;
  }
  say("links: nlink of every inode against the entries naming it; %u inodes reached "
      "from the root, %u orphans", nreached, norphans);
  return norphans;
}

// ---------------------------------------------------------------- bitmap

static int
marked(uint b)
{
  return (block(BBLOCK(b, sb))[(b % BPB) / 8] >> (b % 8)) & 1;
}

static const char*
region(uint b)
{
  if(b == 0)
    return "boot block";
  if(b == 1)
    return "superblock";
  if(b < sb.inodestart)
    return b >= sb.logstart && b < sb.logstart + sb.nlog ? "log" : "metadata gap";
  return b < sb.bmapstart ? "inode block" : "bitmap block";
}

static void
check_bitmap(uint nowned)
{
  uint b;

  for(b = 0; b < sb.size; b++){
    if(b < datastart){
      if(!marked(b))
        problem(P_BITMAP, "block %u (%s): not marked in use in the bitmap", b, region(b));
    } else if(owner[b] != 0 && !marked(b)){
      problem(P_BITMAP, "block %u: owned by inode %u%s but marked free", b, owner[b], where(owner[b]));
    } else if(owner[b] == 0 && marked(b)){
      problem(P_BITMAP, "block %u: marked in use but no inode owns it", b);
    }
  }
  say("bitmap: %u blocks should be marked: %u metadata and %u owned", datastart + nowned,
      datastart, nowned);
}

// ---------------------------------------------------------------- -v listing

static void
list_inodes(void)
{
  uint inum;
  struct ino *t;

  for(inum = 1; inum < sb.ninodes; inum++){
    t = &ino[inum];
    if(t->valid)
      say("inode %u: %s, nlink %d, size %u%s%s", inum, typename(t->type), t->nlink,
          dinode(inum)->size, t->path ? ", " : "", t->path ? t->path : "");
  }
}

// ---------------------------------------------------------------- --dump

static void
dump_file(uint inum, const char *hostpath)
{
  struct dinode *d = dinode(inum);
  uint64 size = d->size < MAXBYTES ? d->size : MAXBYTES, off;
  uchar buf[BSIZE];
  uint n;
  FILE *fp;

  if((fp = fopen(hostpath, "wb")) == 0){
    fprintf(stderr, "fsck: --dump: %s: %s\n", hostpath, strerror(errno));
    exit(2);
  }
  for(off = 0; off < size; off += n){
    n = size - off < BSIZE ? size - off : BSIZE;
    readpart(d, off, buf, n);
    if(fwrite(buf, 1, n, fp) != n){
      fprintf(stderr, "fsck: --dump: %s: write failed\n", hostpath);
      exit(2);
    }
  }
  if(fclose(fp) != 0){
    fprintf(stderr, "fsck: --dump: %s: %s\n", hostpath, strerror(errno));
    exit(2);
  }
}

// Every reachable directory and file under dir, by the paths of walk_tree
// (a file with several names is written once per name).
static void
dump_tree(const char *dir)
{
  char host[HOSTPATH], name[DIRSIZ + 1], *path;
  struct dirent de;
  struct dinode *d;
  uint k, i, n, t;

  if(mkdir(dir, 0755) < 0 && errno != EEXIST)
    unusable("--dump: %s: %s", dir, strerror(errno));
  for(k = 0; k < norder; k++){
    d = dinode(order[k]);
    n = nentries(d);
    for(i = 0; i < n; i++){
      readent(d, i, &de);
      if(!followable(&de, name))
        continue;
      t = de.inum;
      path = joinpath(ino[order[k]].path, name);
      if(snprintf(host, sizeof(host), "%s%s", dir, path) >= (int) sizeof(host)){
        fprintf(stderr, "fsck: --dump: %s: path too long, skipped\n", path);
      } else if(ino[t].type == T_DIR && strcmp(ino[t].path, path) == 0){
        if(mkdir(host, 0755) < 0 && errno != EEXIST)
          unusable("--dump: %s: %s", host, strerror(errno));
      } else if(ino[t].type == T_FILE){
        dump_file(t, host);
      }
      free(path);
    }
  }
  say("dump: %u directories written under %s", norder, dir);
}

// ---------------------------------------------------------------- main

static void
summary(uint ninuse, uint norphans, uint nowned)
{
  int k, total = 0;
  char kinds[256] = "", log[128];

  for(k = 0; k < NKIND; k++){
    total += nproblem[k];
    if(nproblem[k] > 0)
      snprintf(kinds + strlen(kinds), sizeof(kinds) - strlen(kinds), "%s%s %d",
               kinds[0] ? ", " : "", kindname[k], nproblem[k]);
    if(nproblem[k] > MAXLINES && !showall)
      printf("(%d more %s problems not shown; -a shows all)\n", nproblem[k] - MAXLINES, kindname[k]);
  }
  if(logbad)
    snprintf(log, sizeof(log), "damaged header, ignored");
  else if(lognblocks > 0)
    snprintf(log, sizeof(log), "committed, %d blocks replayed", lognblocks);
  else
    snprintf(log, sizeof(log), "empty");
  if(total == 0)
    printf("fsck: %s: clean: ", imgpath);
  else
    printf("fsck: %s: %d problems (%s): ", imgpath, total, kinds);
  printf("%u inodes in use, %u orphans, %u of %u blocks in use; log: %s\n",
         ninuse, norphans, datastart + nowned, sb.size, log);
}

static int
usage(void)
{
  fprintf(stderr, "usage: fsck [-v] [-a] [--recover] [--dump DIR] IMAGE\n");
  return 2;
}

int
main(int argc, char *argv[])
{
  const char *dumpdir = 0;
  int i, recover = 0, k, total = 0;
  uint one = 1, inum, ninuse = 0, nowned, norphans;

  for(i = 1; i < argc - 1; i++){
    if(strcmp(argv[i], "-v") == 0)
      verbose = 1;
    else if(strcmp(argv[i], "-a") == 0)
      showall = 1;
    else if(strcmp(argv[i], "--recover") == 0)
      recover = 1;
    else if(strcmp(argv[i], "--dump") == 0 && i + 1 < argc - 1)
      dumpdir = argv[++i];
    else
      return usage();
  }
  if(i != argc - 1 || argv[i][0] == '-')
    return usage();
  imgpath = argv[i];
  if(*(uchar *) &one != 1 || sizeof(struct dinode) != 64 || sizeof(struct logheader) != BSIZE){
    fprintf(stderr, "fsck: host or format assumption broken\n");
    return 2;
  }
  setvbuf(stdout, 0, _IOLBF, 0);

  open_image(recover);
  check_super();
  replay_log();
  if(recover)
    install_log();
  scan_inodes();
  walk_tree();
  scan_dirs();
  nowned = walk_all_blocks();
  norphans = check_links();
  check_bitmap(nowned);
  for(inum = 1; inum < sb.ninodes; inum++)
    ninuse += ino[inum].valid;
  list_inodes();
  if(dumpdir)
    dump_tree(dumpdir);
  summary(ninuse, norphans, nowned);
  for(k = 0; k < NKIND; k++)
    total += nproblem[k];
  return total > 0;
}
