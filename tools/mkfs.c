// mkfs: build an xv6-format file system image on the host.
//
//   mkfs fs.img file...          each file goes into the root directory,
//                                named after its last path element without
//                                a leading '_' (build/user/_cat -> cat)
//   mkfs fs.img DEST=SRC ...     host file SRC goes to path DEST in the image,
//                                directories created as needed
//                                (www/index.html=site/index.html)
//   mkfs fs.img DEST=@PATH ...   DEST is a hard link to PATH, a file given
//                                before it in the image
//   mkfs fs.img DEST=%MAJOR ...  DEST is a device file of that major number
//                                (dev/random=%2: Kernel/file.h's majors)
//   mkfs fs.img @ARGS ...        more arguments, one a line, from host file ARGS
//                                (test images with many names)
//
// The image has FSSIZE blocks, NINODES inodes and LOGBLOCKS log blocks, and
// uses the doubly-indirect extension of fs.h. It is created sparse: only the
// blocks in use are written, so a 128 MiB image takes a few milliseconds.
// The kernel and host are both little-endian, so structures are written as
// they are laid out in memory (checked at start).
//
// Build: cc -Werror -Wall -I Kernel -o build/mkfs tools/mkfs.c

// <fcntl.h> is not included: -I Kernel would find the kernel's fcntl.h.
// Files are opened with stdio instead.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "types.h"
#include "param.h"
#include "fs.h"
#define stat xv6_stat  // the kernel's struct stat, only for T_DIR/T_FILE
#include "stat.h"
#undef stat

#define NBITMAP     ((FSSIZE + BPB - 1) / BPB)
#define NINODEBLK   (NINODES / IPB + 1)
#define NLOG        (LOGBLOCKS + 1)      // header block + LOGBLOCKS blocks
#define NMETA       (2 + NLOG + NINODEBLK + NBITMAP)
#define RUNMAX      256                  // blocks per combined write

static const char *imgpath;
static FILE *fsfp;
static int fsfd = -1;
static struct superblock sb;
static uint nextblock = NMETA;           // blocks below this are in use
static uint nextinum = 1;
static struct dinode inodes[NINODES];
static uint nfiles;

// ---------------------------------------------------------------- errors, I/O

static void
die(const char *fmt, ...)
{
  va_list ap;

  fprintf(stderr, "mkfs: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n");
  if(fsfd >= 0)
    unlink(imgpath);  // no half-made image for make to trust
  exit(1);
}

// Write n consecutive blocks starting at bno.
static void
wblocks(uint bno, const void *buf, uint n)
{
  ssize_t want = (ssize_t) n * BSIZE;

  if(pwrite(fsfd, buf, want, (off_t) bno * BSIZE) != want)
    die("%s: write failed: %s", imgpath, strerror(errno));
}

// Pending run of consecutive data blocks, written with one pwrite.
static struct {
  uint start, n;
  uchar data[RUNMAX][BSIZE];
} run;

static void
run_flush(void)
{
  if(run.n > 0)
    wblocks(run.start, run.data, run.n);
  run.n = 0;
}

// Queue block bno for writing. All-zero blocks are skipped: the image is
// sparse, so they already read as zeros.
static void
run_add(uint bno, const uchar *data)
{
  static const uchar zero[BSIZE];

  if(memcmp(data, zero, BSIZE) == 0)
    return;
  if(run.n == RUNMAX || (run.n > 0 && bno != run.start + run.n))
    run_flush();
  if(run.n == 0)
    run.start = bno;
  memcpy(run.data[run.n++], data, BSIZE);
}

static uint
balloc(void)
{
  if(nextblock >= FSSIZE)
    die("out of blocks: the image holds only %d blocks (FSSIZE)", FSSIZE);
  return nextblock++;
}

static uint
ialloc(short type)
{
  uint inum;

  if(nextinum >= NINODES)
    die("out of inodes: the image holds only %d (NINODES)", NINODES);
  inum = nextinum++;
  memset(&inodes[inum], 0, sizeof(inodes[inum]));
  inodes[inum].type = type;
  inodes[inum].nlink = 1;
  return inum;
}

// ---------------------------------------------------------------- file contents

// Lays out one inode's blocks as they are appended: direct, then the
// singly-indirect range, then the doubly-indirect range. Index blocks are
// kept in memory and written when full or at the end.
struct writer {
  struct dinode *din;
  const char *what;          // for error messages
  uint nblocks;              // blocks appended so far
  uint ind[NINDIRECT];       // singly-indirect block's entries
  uint dind[NINDIRECT];      // doubly-indirect block's entries
  uint mid[NINDIRECT];       // current second-level block's entries
  uint midno;                // its block number (0: none yet)
};

static void
writer_init(struct writer *w, uint inum, const char *what)
{
  memset(w, 0, sizeof(*w));
  w->din = &inodes[inum];
  w->what = what;
}

static void
write_index(uint bno, uint *entries)
{
  wblocks(bno, entries, 1);
}

// Append one block of data to the inode.
static void
writer_add(struct writer *w, const uchar *data)
{
  uint fbn = w->nblocks, k, addr;

  if(fbn >= MAXFILE)
    die("%s: too large (the limit is MAXFILE = %lu blocks, %lu bytes)",
        w->what, (unsigned long) MAXFILE, (unsigned long) MAXFILE * BSIZE);
  if(fbn < NDIRECT){
    addr = w->din->addrs[fbn] = balloc();
  } else if(fbn < NDIRECT + NINDIRECT){
    if(w->din->addrs[NDIRECT] == 0)
      w->din->addrs[NDIRECT] = balloc();
    addr = w->ind[fbn - NDIRECT] = balloc();
  } else {
    k = fbn - NDIRECT - NINDIRECT;
    if(w->din->addrs[NDIRECT+1] == 0)
      w->din->addrs[NDIRECT+1] = balloc();
    if(k % NINDIRECT == 0){
      if(w->midno)
        write_index(w->midno, w->mid);
      memset(w->mid, 0, sizeof(w->mid));
      w->midno = w->dind[k / NINDIRECT] = balloc();
    }
    addr = w->mid[k % NINDIRECT] = balloc();
  }
  run_add(addr, data);
  w->nblocks++;
}

static void
writer_finish(struct writer *w, uint size)
{
  run_flush();
  if(w->din->addrs[NDIRECT])
    write_index(w->din->addrs[NDIRECT], w->ind);
  if(w->midno)
    write_index(w->midno, w->mid);
  if(w->din->addrs[NDIRECT+1])
    write_index(w->din->addrs[NDIRECT+1], w->dind);
  w->din->size = size;
}

// Append n bytes from memory (n may be anything; the tail is zero-padded).
static void
write_bytes(struct writer *w, const void *p, uint n)
{
  uchar blk[BSIZE];
  uint off, m;

  for(off = 0; off < n; off += m){
    m = n - off < BSIZE ? n - off : BSIZE;
    memset(blk, 0, BSIZE);
    memcpy(blk, (const uchar *) p + off, m);
    writer_add(w, blk);
  }
}

// Copy host file src into inode inum.
static void
copy_file(uint inum, const char *src)
{
  static uchar buf[RUNMAX * BSIZE];
  struct writer w;
  struct stat st;
  size_t n;
  unsigned long long total = 0;
  FILE *fp;

  if((fp = fopen(src, "rb")) == 0)
    die("%s: %s", src, strerror(errno));
  if(fstat(fileno(fp), &st) < 0)
    die("%s: %s", src, strerror(errno));
  if(S_ISDIR(st.st_mode))
    die("%s: is a directory (give its files as DEST=SRC)", src);
  if((unsigned long long) st.st_size > (unsigned long long) MAXFILE * BSIZE)
    die("%s: too large: %lld bytes, the limit is %lu (MAXFILE blocks)",
        src, (long long) st.st_size, (unsigned long) MAXFILE * BSIZE);

  writer_init(&w, inum, src);
  while((n = fread(buf, 1, sizeof(buf), fp)) > 0){
    total += n;
    if(total > (unsigned long long) MAXFILE * BSIZE)
      die("%s: too large (grew while being read)", src);
    write_bytes(&w, buf, n);
  }
  if(ferror(fp))
    die("%s: read error", src);
  fclose(fp);
  writer_finish(&w, total);
}

// ---------------------------------------------------------------- directories

// Directories are built in memory and written at the end.
struct dir {
  uint inum;
  char path[MAXPATH];
  struct dirent *ents;
  int n, cap;
};

static struct dir *dirs;
static int ndirs;

static struct dir*
dir_of(uint inum)
{
  int i;

  for(i = 0; i < ndirs; i++)
    if(dirs[i].inum == inum)
      return &dirs[i];
  return 0;
}

// Entry name in directory d, or 0 if absent.
static uint
dir_find(struct dir *d, const char *name)
{
  int i;

  for(i = 0; i < d->n; i++)
    if(strncmp(d->ents[i].name, name, DIRSIZ) == 0)
      return d->ents[i].inum;
  return 0;
}

static void
dir_add(struct dir *d, const char *name, uint inum)
{
  if(d->n == d->cap){
    d->cap = d->cap ? 2 * d->cap : 16;
    if((d->ents = realloc(d->ents, d->cap * sizeof(struct dirent))) == 0)
      die("out of host memory");
  }
  memset(&d->ents[d->n], 0, sizeof(struct dirent));
  // a name of exactly DIRSIZ bytes has no NUL on disk, as in xv6
  memcpy(d->ents[d->n].name, name, strnlen(name, DIRSIZ));
  d->ents[d->n].inum = inum;
  d->n++;
}

// Make a new directory inode named name in directory pinum (0: this is
// the root). Pointers into dirs[] are stale afterwards.
static uint
dir_create(uint pinum, const char *name, const char *path)
{
  uint inum = ialloc(T_DIR);
  struct dir *d, *parent;

  if((dirs = realloc(dirs, (ndirs + 1) * sizeof(struct dir))) == 0)
    die("out of host memory");
  parent = pinum ? dir_of(pinum) : 0;
  d = &dirs[ndirs++];
  memset(d, 0, sizeof(*d));
  d->inum = inum;
  snprintf(d->path, sizeof(d->path), "%s", path);
  dir_add(d, ".", inum);
  if(parent == 0){
    dir_add(d, "..", inum);
  } else {
    dir_add(d, "..", parent->inum);
    inodes[parent->inum].nlink++;  // the child's ".." (as the kernel counts)
    dir_add(parent, name, inum);
  }
  return inum;
}

// Check one path element; complain about the whole destination if bad.
static void
check_name(const char *name, const char *dest)
{
  if(name[0] == 0)
    die("%s: empty path element", dest);
  if(strlen(name) > DIRSIZ)
    die("%s: name \"%s\" longer than DIRSIZ (%d)", dest, name, DIRSIZ);
  if(strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    die("%s: \".\" and \"..\" are not allowed", dest);
}

// The directory that will hold dest's last element, made as needed; that
// element is left in *last (pointing into path, a copy of dest).
static struct dir*
dest_dir(const char *dest, char *path, char **last)
{
  char *elem, *slash;
  struct dir *d = dir_of(ROOTINO);
  uint inum;

  while(*dest == '/')
    dest++;
  if(strlen(dest) >= MAXPATH)
    die("%s: path longer than MAXPATH (%d)", dest, MAXPATH);
  strcpy(path, dest);
  for(elem = path; (slash = strchr(elem, '/')) != 0; elem = slash + 1){
    *slash = 0;
    check_name(elem, dest);
    inum = dir_find(d, elem);
    if(inum == 0)
      inum = dir_create(d->inum, elem, dest);
    else if(inodes[inum].type != T_DIR)
      die("%s: \"%s\" is a file, not a directory", dest, elem);
    d = dir_of(inum);
  }
  check_name(elem, dest);
  if(dir_find(d, elem) != 0)
    die("%s: given twice", dest);
  *last = elem;
  return d;
}

// dest becomes another name of the file at target (a path in the image).
static void
add_link(const char *dest, const char *target)
{
  char path[MAXPATH], tpath[MAXPATH], *elem, *name;
  struct dir *d;
  uint inum;

  // the target's directory must exist already: look it up without making it
  d = dir_of(ROOTINO);
  strncpy(tpath, target[0] == '/' ? target + 1 : target, sizeof(tpath) - 1);
  tpath[sizeof(tpath) - 1] = 0;
  inum = 0;
  for(elem = strtok(tpath, "/"); elem; elem = strtok(0, "/")){
    if(d == 0 || (inum = dir_find(d, elem)) == 0)
      die("%s: link target %s is not in the image (give it first)", dest, target);
    d = inodes[inum].type == T_DIR ? dir_of(inum) : 0;
  }
  if(inum == 0 || inodes[inum].type != T_FILE)
    die("%s: link target %s is not a file", dest, target);
  if(inodes[inum].nlink >= LINK_MAX)
    die("%s: %s has LINK_MAX (%d) names already", dest, target, LINK_MAX);
  d = dest_dir(dest, path, &name);
  dir_add(d, name, inum);
  inodes[inum].nlink++;
}

// Place host file src at dest (a path in the image).
static void
add_file(const char *dest, const char *src)
{
  char path[MAXPATH], *elem;
  struct dir *d;
  uint inum;

  d = dest_dir(dest, path, &elem);
  inum = ialloc(T_FILE);
  dir_add(d, elem, inum);
  copy_file(inum, src);
  nfiles++;
}

// A device file (T_DEVICE, minor 0) at dest, as mknod would make it.
static void
add_device(const char *dest, const char *major)
{
  char path[MAXPATH], *elem, *end;
  struct dir *d;
  long m = strtol(major, &end, 10);
  uint inum;

  if(*major == 0 || *end != 0 || m < 0 || m >= NDEV)
    die("%s: device major \"%s\" is not a number below NDEV (%d)", dest, major, NDEV);
  d = dest_dir(dest, path, &elem);
  inum = ialloc(T_DEVICE);
  inodes[inum].major = m;
  dir_add(d, elem, inum);
}

// A plain argument: root directory, last element, leading '_' dropped.
static void
add_plain(const char *src)
{
  const char *name = strrchr(src, '/');

  name = name ? name + 1 : src;
  if(name[0] == '_')
    name++;
  add_file(name, src);
}

// One command-line argument: file, DEST=SRC, DEST=@PATH or DEST=%MAJOR.
static void
add_arg(char *arg)
{
  char *eq = strchr(arg, '=');

  if(eq == 0){
    add_plain(arg);
    return;
  }
  *eq = 0;
  if(eq[1] == '@')
    add_link(arg, eq + 2);
  else if(eq[1] == '%')
    add_device(arg, eq + 2);
  else
    add_file(arg, eq + 1);
}

// The arguments in host file path, one a line.
static void
add_args_from(const char *path)
{
  char line[2 * MAXPATH + 8];
  FILE *fp;
  size_t n;

  if((fp = fopen(path, "r")) == 0)
    die("%s: %s", path, strerror(errno));
  while(fgets(line, sizeof(line), fp)){
    n = strlen(line);
    if(n > 0 && line[n - 1] == '\n')
      line[--n] = 0;
    if(n > 0)
      add_arg(line);
  }
  fclose(fp);
}

// ---------------------------------------------------------------- metadata

static void
write_dirs(void)
{
  struct writer w;
  int i;

  for(i = 0; i < ndirs; i++){
    writer_init(&w, dirs[i].inum, dirs[i].path);
    write_bytes(&w, dirs[i].ents, dirs[i].n * sizeof(struct dirent));
    writer_finish(&w, dirs[i].n * sizeof(struct dirent));
  }
}

// Superblock, inode blocks and the free bitmap (every block below
// nextblock is in use: allocation was sequential).
static void
write_meta(void)
{
  static uchar bitmap[NBITMAP * BSIZE];
  uchar blk[BSIZE];
  uint b;

  memset(blk, 0, BSIZE);
  memcpy(blk, &sb, sizeof(sb));
  wblocks(1, blk, 1);

  wblocks(sb.inodestart, inodes, NINODES / IPB);
  for(b = 0; b < nextblock; b++)
    bitmap[b / 8] |= 1 << (b % 8);
  wblocks(sb.bmapstart, bitmap, NBITMAP);
}

int
main(int argc, char *argv[])
{
  uint one = 1;
  int i;

  if(argc < 2){
    fprintf(stderr, "usage: mkfs fs.img [file | DEST=SRC | DEST=@PATH | DEST=%%MAJOR | @ARGS]...\n");
    return 1;
  }
  if(*(uchar *) &one != 1 || sizeof(struct dinode) != 64 ||
     BSIZE % sizeof(struct dinode) != 0 || NINODES % IPB != 0){
    fprintf(stderr, "mkfs: host or format assumption broken\n");
    return 1;
  }

  imgpath = argv[1];
  // "w+": create or empty the image, so unwritten blocks read as zeros.
  if((fsfp = fopen(imgpath, "w+b")) == 0)
    die("%s: %s", imgpath, strerror(errno));
  fsfd = fileno(fsfp);
  if(ftruncate(fsfd, (off_t) FSSIZE * BSIZE) < 0)
    die("%s: %s", imgpath, strerror(errno));

  sb.magic = FSMAGIC;
  sb.size = FSSIZE;
  sb.nblocks = FSSIZE - NMETA;
  sb.ninodes = NINODES;
  sb.nlog = NLOG;
  sb.logstart = 2;
  sb.inodestart = 2 + NLOG;
  sb.bmapstart = 2 + NLOG + NINODEBLK;

  if(dir_create(0, "", "/") != ROOTINO)
    die("root directory is not inode %d", ROOTINO);

  for(i = 2; i < argc; i++){
    if(argv[i][0] == '@')
      add_args_from(argv[i] + 1);
    else
      add_arg(argv[i]);
  }

  write_dirs();
  write_meta();
  if(fclose(fsfp) != 0)
    die("%s: %s", imgpath, strerror(errno));

  printf("mkfs: %s: %u of %u blocks used (%u metadata), %u of %u inodes, "
         "%u files, %d directories\n", imgpath, nextblock, FSSIZE, (uint) NMETA,
         nextinum - 1, NINODES, nfiles, ndirs);
  return 0;
}
