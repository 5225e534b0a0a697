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

// Give f the lowest free descriptor of the current process.
// Takes over the caller's reference on success; -1 if all are in use.
int
fdalloc(struct file *f)
{
  int fd;
  struct proc *p = myproc();

  for(fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd] == 0){
      p->ofile[fd] = f;
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
// returned. Returns the inode locked, or 0. Caller is inside a transaction.
static struct inode*
create(char *path, short type, short major, short minor)
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
    if(type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE))
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
    if((ip = create(path, T_FILE, 0, 0)) == 0){
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
  if((ip = create(path, T_DIR, 0, 0)) == 0){
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
  if((ip = create(path, T_DEVICE, major, minor)) == 0){
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
uint64
sys_exec(void)
{
  char path[MAXPATH], *argv[MAXARG];
  uint64 uargv, uarg;
  int i, ret = -1;

  argaddr(1, &uargv);
  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  memset(argv, 0, sizeof(argv));
  for(i = 0; ; i++){
    if(i >= NELEM(argv))
      goto out;  // no room for the terminating null
    if(fetchaddr(uargv + sizeof(uint64) * i, &uarg) < 0)
      goto out;
    if(uarg == 0)
      break;
    if((argv[i] = kalloc()) == 0)
      goto out;
    if(fetchstr(uarg, argv[i], PGSIZE) < 0)
      goto out;
  }
  ret = kexec(path, argv);

out:
  for(i = 0; i < NELEM(argv) && argv[i] != 0; i++)
    kfree(argv[i]);
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
