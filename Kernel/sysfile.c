// File-system system calls: argument checking, then file.c and fs.c.
// Every user-supplied number, pointer and length is checked here or by
// copyin/copyout: a bad one gets -1, never a panic.

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "stat.h"
#include "spinlock.h"
#include "proc.h"
#include "fs.h"
#include "sleeplock.h"
#include "file.h"
#include "fcntl.h"

// Fetch the n'th argument as a file descriptor and return both the
// descriptor and its open file. -1 if it is not an open descriptor.
int
argfd(int n, int *pfd, struct file **pf)
{
  int fd;
  struct file *f;

  argint(n, &fd);
  if(fd < 0 || fd >= NOFILE || (f = myproc()->ofile[fd]) == 0)
    return -1;
  if(pfd)
    *pfd = fd;
  if(pf)
    *pf = f;
  return 0;
}

// Give f the lowest free descriptor of the current process (without
// FD_CLOEXEC). Takes over the caller's reference on success; -1 if all are in use.
int
fdalloc(struct file *f)
{
  int fd;
  struct proc *p = myproc();

  for(fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd] == 0){
      p->ofile[fd] = f;
      p->cloexec[fd] = 0;
      return fd;
    }
  }
  return -1;
}

uint64
sys_dup(void)
{
  struct file *f;
  int fd;

  if(argfd(0, 0, &f) < 0)
    return -1;
  if((fd = fdalloc(f)) < 0)
    return -1;
  filedup(f);
  return fd;
}

uint64
sys_read(void)
{
  struct file *f;
  int n;
  uint64 p;

  argaddr(1, &p);
  argint(2, &n);
  if(argfd(0, 0, &f) < 0 || n < 0)
    return -1;
  return fileread(f, p, n);
}

uint64
sys_write(void)
{
  struct file *f;
  int n;
  uint64 p;

  argaddr(1, &p);
  argint(2, &n);
  if(argfd(0, 0, &f) < 0 || n < 0)
    return -1;
  return filewrite(f, p, n);
}

uint64
sys_close(void)
{
  int fd;
  struct file *f;

  if(argfd(0, &fd, &f) < 0)
    return -1;
  myproc()->ofile[fd] = 0;
  fileclose(f);
  return 0;
}

uint64
sys_fstat(void)
{
  struct file *f;
  uint64 st;  // user pointer to struct stat

  argaddr(1, &st);
  if(argfd(0, 0, &f) < 0)
    return -1;
  return filestat(f, st);
}

// Create the path new as a link to the same inode as old.
uint64
sys_link(void)
{
  char name[DIRSIZ], new[MAXPATH], old[MAXPATH];
  struct inode *dp, *ip;

  if(argstr(0, old, MAXPATH) < 0 || argstr(1, new, MAXPATH) < 0)
    return -1;

  begin_op();
  if((ip = namei(old)) == 0){
    end_op();
    return -1;
  }
  ilock(ip);
  if(ip->type == T_DIR || ip->nlink >= LINK_MAX){
    iunlockput(ip);
    end_op();
    return -1;
  }
  ip->nlink++;  // count the link first: a crash leaves one too many, not too few
  iupdate(ip);
  iunlock(ip);

  if((dp = nameiparent(new, name)) == 0)
    goto bad;
  ilock(dp);
  if(dp->dev != ip->dev || dp->nlink == 0 || dirlink(dp, name, ip->inum) < 0){
    iunlockput(dp);  // (nlink 0: a removed directory, see create)
    goto bad;
  }
  iunlockput(dp);
  iput(ip);
  end_op();
  return 0;

bad:
  ilock(ip);
  ip->nlink--;
  iupdate(ip);
  iunlockput(ip);
  end_op();
  return -1;
}

// Does directory dp hold only "." and ".."? A damaged directory counts as
// not empty, so it is not removed.
static int
isdirempty(struct inode *dp)
{
  uint off;
  struct dirent de;

  for(off = 2 * sizeof(de); off < dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64) &de, off, sizeof(de)) != sizeof(de))
      return 0;
    if(de.inum != 0)
      return 0;
  }
  return 1;
}

uint64
sys_unlink(void)
{
  struct inode *ip, *dp;
  struct dirent de;
  char name[DIRSIZ], path[MAXPATH];
  uint off;

  if(argstr(0, path, MAXPATH) < 0)
    return -1;

  begin_op();
  if((dp = nameiparent(path, name)) == 0){
    end_op();
    return -1;
  }
  ilock(dp);

  // "." and ".." cannot be unlinked.
  if(namecmp(name, ".") == 0 || namecmp(name, "..") == 0)
    goto bad;
  if((ip = dirlookup(dp, name, &off)) == 0)
    goto bad;
  ilock(ip);
  if(ip->nlink < 1 || (ip->type == T_DIR && !isdirempty(ip))){
    iunlockput(ip);
    goto bad;
  }

  memset(&de, 0, sizeof(de));
  if(writei(dp, 0, (uint64) &de, off, sizeof(de)) != sizeof(de)){
    iunlockput(ip);
    goto bad;
  }
  if(ip->type == T_DIR){
    // ip may live on as someone's current directory: its ".." must go with
    // the link it stood for, or it would name dp after dp is freed.
    dirunlink(ip, "..");
    dp->nlink--;
    iupdate(dp);
  }
  iunlockput(dp);

  ip->nlink--;
  iupdate(ip);
  iunlockput(ip);  // frees the inode if that was its last link
  end_op();
  return 0;

bad:
  iunlockput(dp);
  end_op();
  return -1;
}

// Make a new inode of the given type at path, linked into its directory.
// Opening an existing file with O_CREATE is fine: the existing inode is
// returned, unless excl (O_EXCL). Returns the inode locked, or 0. Caller is
// inside a transaction.
static struct inode*
create(char *path, short type, short major, short minor, int excl)
{
  struct inode *ip, *dp;
  char name[DIRSIZ];

  if((dp = nameiparent(path, name)) == 0)
    return 0;
  ilock(dp);
  // A removed directory (someone's cwd still) takes no new entries: no name
  // would lead to them, and they could never be freed. Nor may a directory's
  // link count (one per subdirectory) pass what the disk can hold.
  if(dp->nlink == 0 || (type == T_DIR && dp->nlink >= LINK_MAX)){
    iunlockput(dp);
    return 0;
  }

  if((ip = dirlookup(dp, name, 0)) != 0){
    iunlockput(dp);
    ilock(ip);
    if(type == T_FILE && !excl && (ip->type == T_FILE || ip->type == T_DEVICE))
      return ip;
    iunlockput(ip);
    return 0;
  }

  if((ip = ialloc(dp->dev, type)) == 0){
    iunlockput(dp);
    return 0;
  }
  ilock(ip);
  ip->major = major;
  ip->minor = minor;
  ip->nlink = 1;
  iupdate(ip);

  if(type == T_DIR){
    // "." is not counted in nlink, to avoid a cycle of references.
    if(dirlink(ip, ".", ip->inum) < 0 || dirlink(ip, "..", dp->inum) < 0)
      goto fail;
  }
  if(dirlink(dp, name, ip->inum) < 0)
    goto fail;
  if(type == T_DIR){
    dp->nlink++;  // for the child's ".."
    iupdate(dp);
  }
  iunlockput(dp);
  return ip;

fail:
  // Undo: with no links, iput frees the inode and any block it got.
  ip->nlink = 0;
  iupdate(ip);
  iunlockput(ip);
  iunlockput(dp);
  return 0;
}

// Open ip (locked) with mode omode: allocate a file and a descriptor.
// Returns the descriptor or -1; on failure ip is left as it was.
static int
open_inode(struct inode *ip, int omode)
{
  struct file *f;
  int fd;

  if((f = filealloc()) == 0)
    return -1;
  if((fd = fdalloc(f)) < 0){
    fileclose(f);  // still FD_NONE: only the slot is released
    return -1;
  }
  if(ip->type == T_DEVICE){
    f->type = FD_DEVICE;
    f->major = ip->major;
  } else {
    f->type = FD_INODE;
    f->off = 0;
  }
  f->ip = ip;
  f->readable = !(omode & O_WRONLY);
  f->writable = (omode & O_WRONLY) || (omode & O_RDWR);
  f->nonblock = 0;
  f->append = (omode & O_APPEND) != 0;
  myproc()->cloexec[fd] = (omode & O_CLOEXEC) != 0;
  return fd;
}

uint64
sys_open(void)
{
  char path[MAXPATH];
  int fd, omode;
  struct inode *ip, *orphan = 0;
  struct file *f;

  argint(1, &omode);
  if(argstr(0, path, MAXPATH) < 0)
    return -1;

  begin_op();
  if(omode & O_CREATE){
    if((ip = create(path, T_FILE, 0, 0, omode & O_EXCL)) == 0){
      end_op();
      return -1;
    }
  } else {
    if((ip = namei(path)) == 0){
      end_op();
      return -1;
    }
    ilock(ip);
  }

  // Directories open read-only; devices need a real driver slot.
  if((ip->type == T_DIR && omode != O_RDONLY) ||
     (ip->type == T_DEVICE && (ip->major < 0 || ip->major >= NDEV)) ||
     (fd = open_inode(ip, omode)) < 0){
    iunlockput(ip);
    end_op();
    return -1;
  }
  if((omode & O_TRUNC) && ip->type == T_FILE && itrunc_detach(ip, &orphan) < 0){
    // no inode free to take the blocks: give the descriptor back
    f = myproc()->ofile[fd];
    myproc()->ofile[fd] = 0;
    f->type = FD_NONE;   // so that fileclose does not put ip as well
    f->ip = 0;
    fileclose(f);
    iunlockput(ip);
    end_op();
    return -1;
  }

  iunlock(ip);
  end_op();
  if(orphan){
    // free the old contents without holding ip: writers carry on meanwhile
    begin_op();
    iput(orphan);
    end_op();
  }
  return fd;
}

uint64
sys_mkdir(void)
{
  char path[MAXPATH];
  struct inode *ip;

  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  begin_op();
  if((ip = create(path, T_DIR, 0, 0, 0)) == 0){
    end_op();
    return -1;
  }
  iunlockput(ip);
  end_op();
  return 0;
}

uint64
sys_mknod(void)
{
  struct inode *ip;
  char path[MAXPATH];
  int major, minor;

  argint(1, &major);
  argint(2, &minor);
  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  if(major < 0 || major >= NDEV || minor < 0 || minor > 0x7fff)
    return -1;
  begin_op();
  if((ip = create(path, T_DEVICE, major, minor, 0)) == 0){
    end_op();
    return -1;
  }
  iunlockput(ip);
  end_op();
  return 0;
}

uint64
sys_chdir(void)
{
  char path[MAXPATH];
  struct inode *ip;
  struct proc *p = myproc();

  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  begin_op();
  if((ip = namei(path)) == 0){
    end_op();
    return -1;
  }
  ilock(ip);
  if(ip->type != T_DIR){
    iunlockput(ip);
    end_op();
    return -1;
  }
  iunlock(ip);
  iput(p->cwd);
  end_op();
  p->cwd = ip;
  return 0;
}

// exec(path, argv): copy the argument strings into kernel pages (one per
// argument, as xv6 does), then let kexec build the new image.
// Copy a user vector of strings (argv, envp) at uvec into vec[MAXARG], each
// string in a page of its own; 0, or -1 (what was copied is still freed by
// free_strings).
static int
fetch_strings(uint64 uvec, char **vec)
{
  uint64 ustr;

  memset(vec, 0, MAXARG * sizeof(char*));
  for(int i = 0; ; i++){
    if(i >= MAXARG)
      return -1;  // no room for the terminating null
    if(fetchaddr(uvec + sizeof(uint64) * i, &ustr) < 0)
      return -1;
    if(ustr == 0)
      return 0;
    if((vec[i] = kalloc()) == 0 || fetchstr(ustr, vec[i], PGSIZE) < 0)
      return -1;
  }
}

static void
free_strings(char **vec)
{
  for(int i = 0; i < MAXARG && vec[i] != 0; i++)
    kfree(vec[i]);
}

// exec(path, argv): xv6's, with no environment.
uint64
sys_exec(void)
{
  char path[MAXPATH], *argv[MAXARG];
  uint64 uargv;
  int ret = -1;

  argaddr(1, &uargv);
  memset(argv, 0, sizeof(argv));
  if(argstr(0, path, MAXPATH) >= 0 && fetch_strings(uargv, argv) == 0)
    ret = kexec(path, argv, 0);
  free_strings(argv);
  return ret;
}

// execve(path, argv, envp): envp 0 is an empty environment.
uint64
sys_execve(void)
{
  char path[MAXPATH], *argv[MAXARG], *envp[MAXARG];
  uint64 uargv, uenvp;
  int ret = -1;

  argaddr(1, &uargv);
  argaddr(2, &uenvp);
  memset(argv, 0, sizeof(argv));
  memset(envp, 0, sizeof(envp));
  if(argstr(0, path, MAXPATH) >= 0 && fetch_strings(uargv, argv) == 0 &&
     (uenvp == 0 || fetch_strings(uenvp, envp) == 0))
    ret = kexec(path, argv, envp);
  free_strings(argv);
  free_strings(envp);
  return ret;
}

uint64
sys_pipe(void)
{
  uint64 fdarray;  // user pointer to int[2]
  struct file *rf, *wf;
  int fd0 = -1, fd1 = -1;
  struct proc *p = myproc();

  argaddr(0, &fdarray);
  if(pipealloc(&rf, &wf) < 0)
    return -1;
  if((fd0 = fdalloc(rf)) < 0 || (fd1 = fdalloc(wf)) < 0)
    goto bad;
  if(copyout(p->pagetable, fdarray, (char *) &fd0, sizeof(fd0)) < 0 ||
     copyout(p->pagetable, fdarray + sizeof(fd0), (char *) &fd1,
             sizeof(fd1)) < 0)
    goto bad;
  return 0;

bad:
  if(fd0 >= 0)
    p->ofile[fd0] = 0;
  if(fd1 >= 0)
    p->ofile[fd1] = 0;
  fileclose(rf);
  fileclose(wf);
  return -1;
}

// ---------------------------------------------------------------- rename
//
// rename(old, new) moves a name in one transaction: after a crash the file
// or directory has its old name or its new one, never both or neither. It
// replaces a file at new, or an empty directory when old is a directory.
//
// Locking. A rename locks two parents, the renamed inode and the one it
// replaces. Other calls lock at most a directory and then its child, so
// the parents are locked ancestor first, and renames that could lock two
// unrelated directories in either order are serialised by renamelock. Only
// a rename moves an existing directory, so while renamelock is held an
// ancestry found by walking ".." (with no inode locked) stays true.
// Lock order: begin_op, renamelock, inode locks.

static struct sleeplock renamelock = { .lk = { .name = "renamelock" }, .name = "rename" };

// What one rename works on. The inodes are referenced; rename_lock locks them.
struct rename {
  struct inode *odp, *ndp;     // directories of the old and the new name
  struct inode *ip;            // what the old name names
  struct inode *tip;           // what the new name names now, or 0
  short itype, ttype;          // their types
  char oname[DIRSIZ], nname[DIRSIZ];
  uint ooff, noff;             // the entries' offsets in odp and ndp
};

// Is directory a the same as d or one of its ancestors? Walks ".." from d
// up to the root. Caller holds renamelock and no inode lock.
static int
rename_above(struct inode *a, struct inode *d)
{
  struct inode *ip, *next;
  int n;

  ip = idup(d);
  for(n = 0; n < NINODES; n++){
    if(ip->inum == a->inum || ip->inum == ROOTINO)
      break;
    ilock(ip);
    next = ip->type == T_DIR ? dirlookup(ip, "..", 0) : 0;
    iunlockput(ip);
    if((ip = next) == 0)
      return 0;  // a damaged chain ends here
  }
  n = ip->inum == a->inum;
  iput(ip);
  return n;
}

// An inode's type, read under its lock (it cannot change while we hold a
// reference: only a free inode gets a new type).
static short
rename_type(struct inode *ip)
{
  short t;

  ilock(ip);
  t = ip->type;
  iunlock(ip);
  return t;
}

// Find the two names' inodes without holding any lock across the lookups,
// and refuse what would break the tree: a directory moved into its own
// subtree, or a new name that is the old one's directory or an ancestor
// of it (a non-empty directory, and locking it after odp would break the
// lock order). 0 if the rename may go on.
static int
rename_lookup(struct rename *r)
{
  ilock(r->odp);
  r->ip = dirlookup(r->odp, r->oname, 0);
  iunlock(r->odp);
  if(r->ip == 0)
    return -1;
  ilock(r->ndp);
  r->tip = dirlookup(r->ndp, r->nname, 0);
  iunlock(r->ndp);
  // A damaged directory may name itself or its parent: locking would self-deadlock.
  if(r->ip == r->odp || r->ip == r->ndp || r->tip == r->odp || r->tip == r->ndp)
    return -1;
  r->itype = rename_type(r->ip);
  r->ttype = r->tip ? rename_type(r->tip) : 0;
  if(r->itype == T_DIR && rename_above(r->ip, r->ndp))
    return -1;
  if(r->ttype == T_DIR && rename_above(r->tip, r->odp))
    return -1;
  return 0;
}

// The i-number name names in dp (locked), 0 if none; its offset in *poff.
static uint
rename_entry(struct inode *dp, char *name, uint *poff)
{
  struct inode *ip;
  uint inum;

  if((ip = dirlookup(dp, name, poff)) == 0)
    return 0;
  inum = ip->inum;
  iput(ip);  // a named inode has links: this cannot free it
  return inum;
}

// Lock both parents (ancestor first), check that the names still name
// what rename_lookup found, then lock ip and tip. 1 if done, 0 if a name
// changed meanwhile (nothing is locked then: look up again).
static int
rename_lock(struct rename *r)
{
  if(r->odp == r->ndp){
    ilock(r->odp);
  } else if(rename_above(r->ndp, r->odp)){
    ilock(r->ndp);
    ilock(r->odp);
  } else {
    ilock(r->odp);
    ilock(r->ndp);
  }
  if(rename_entry(r->odp, r->oname, &r->ooff) != r->ip->inum ||
     rename_entry(r->ndp, r->nname, &r->noff) != (r->tip ? r->tip->inum : 0)){
    iunlock(r->odp);
    if(r->ndp != r->odp)
      iunlock(r->ndp);
    return 0;
  }
  ilock(r->ip);
  if(r->tip && r->tip != r->ip)
    ilock(r->tip);
  return 1;
}

static void
rename_unlock(struct rename *r)
{
  if(r->tip && r->tip != r->ip)
    iunlock(r->tip);
  iunlock(r->ip);
  iunlock(r->odp);
  if(r->ndp != r->odp)
    iunlock(r->ndp);
}

// Can ip replace tip? A file replaces a file or device, a directory an
// empty directory; the new name's directory must not have been removed, nor
// gain a subdirectory past LINK_MAX.
static int
rename_allowed(struct rename *r)
{
  if(r->ndp->nlink < 1 || r->ip->nlink < 1)
    return 0;
  if(r->ip->type == T_DIR && r->odp != r->ndp && r->ndp->nlink >= LINK_MAX)
    return 0;
  if(r->tip == 0)
    return 1;
  if(r->tip->nlink < 1)
    return 0;
  if(r->ip->type == T_DIR)
    return r->tip->type == T_DIR && isdirempty(r->tip);
  return r->tip->type != T_DIR;
}

// Write the entry (name, inum) at offset off of dp.
static int
rename_setent(struct inode *dp, uint off, char *name, uint inum)
{
  struct dirent de;

  memset(&de, 0, sizeof(de));
  if(inum)
    strncpy(de.name, name, DIRSIZ);
  de.inum = inum;
  return writei(dp, 0, (uint64) &de, off, sizeof(de)) == sizeof(de) ? 0 : -1;
}

// The changes, all locked and inside the transaction. The first step is the
// only one that can fail (a directory that cannot grow); the rest rewrite
// entries that exist.
static int
rename_apply(struct rename *r)
{
  uint off;
  struct inode *up;

  if(r->tip == 0){
    if(dirlink(r->ndp, r->nname, r->ip->inum) < 0)
      return -1;
  } else if(rename_setent(r->ndp, r->noff, r->nname, r->ip->inum) < 0){
    return -1;
  }
  rename_setent(r->odp, r->ooff, 0, 0);
  if(r->ip->type == T_DIR && r->odp != r->ndp){
    // The moved directory's ".." and both parents' counts of subdirectories.
    if((up = dirlookup(r->ip, "..", &off)) != 0){
      iput(up);
      rename_setent(r->ip, off, "..", r->ndp->inum);
    }
    r->odp->nlink--;
    r->ndp->nlink++;
    iupdate(r->odp);
  }
  if(r->tip){
    if(r->tip->type == T_DIR){
      // as unlink does: the replaced directory may live on as someone's cwd,
      // and its ".." goes with the link it stood for
      dirunlink(r->tip, "..");
      r->ndp->nlink--;
    }
    r->tip->nlink--;
    iupdate(r->tip);
  }
  iupdate(r->ndp);
  return 0;
}

static int
isdotname(char *name)
{
  return namecmp(name, ".") == 0 || namecmp(name, "..") == 0;
}

// The rename itself, in the caller's transaction, holding renamelock.
// On success *replaced is what the new name named before (referenced,
// unlocked, perhaps without links now), or 0.
static int
rename_paths(char *old, char *new, struct inode **replaced)
{
  struct rename r;
  int tries, ok = -1;

  memset(&r, 0, sizeof(r));
  if((r.odp = nameiparent(old, r.oname)) == 0 || (r.ndp = nameiparent(new, r.nname)) == 0 ||
     isdotname(r.oname) || isdotname(r.nname) || r.odp->dev != r.ndp->dev)
    goto out;
  for(tries = 0; tries < 10; tries++){
    if(rename_lookup(&r) < 0)
      goto out;
    if(rename_lock(&r))
      break;
    iput(r.ip);  // a name changed between lookup and lock: again
    if(r.tip)
      iput(r.tip);
    r.ip = r.tip = 0;
  }
  if(tries == 10)
    goto out;
  if(r.tip == r.ip){
    ok = 0;  // two names of one inode: nothing to do (as POSIX says)
  } else if(rename_allowed(&r)){
    ok = rename_apply(&r);
  }
  rename_unlock(&r);
  if(ok == 0 && r.tip != r.ip){
    *replaced = r.tip;
    r.tip = 0;
  }

out:
  if(r.tip)
    iput(r.tip);
  if(r.ip)
    iput(r.ip);
  if(r.ndp)
    iput(r.ndp);
  if(r.odp)
    iput(r.odp);
  return ok;
}

// rename(old, new): 0, or -1 on any error (as the other file calls).
// A replaced inode that lost its last link is freed in a transaction of its
// own, after the rename has committed: freeing a large file takes several
// commits (itrunc), and a crash between them leaves an orphan that the next
// boot frees, never a half-done rename.
uint64
sys_rename(void)
{
  char old[MAXPATH], new[MAXPATH];
  struct inode *replaced = 0;
  int r;

  if(argstr(0, old, MAXPATH) < 0 || argstr(1, new, MAXPATH) < 0)
    return -1;
  begin_op();
  acquiresleep(&renamelock);
  r = rename_paths(old, new, &replaced);
  releasesleep(&renamelock);
  end_op();
  if(replaced){
    begin_op();
    iput(replaced);
    end_op();
  }
  return r;
}
