// ls: list files and directories as xv6 does: name (padded to DIRSIZ), type,
// inode number and size.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fs.h"
#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "user/user.h"

// The last component of path, padded with spaces to DIRSIZ characters.
static char*
basename(char *path)
{
  static char name[DIRSIZ+1];
  char *p = path + strlen(path);
  int n;

  while(p > path && p[-1] != '/')
    p--;
  n = strlen(p);
  if(n >= DIRSIZ)
    return p;
  memmove(name, p, n);
  memset(name + n, ' ', DIRSIZ - n);
  name[DIRSIZ] = 0;
  return name;
}

static void
show(char *path, struct stat *st)
{
  printf("%s %d %d %d\n", basename(path), st->type, st->ino, (int)st->size);
}

// List each entry of the open directory fd, whose name is path.
static void
listdir(int fd, char *path)
{
  char buf[MAXPATH + DIRSIZ + 2], *p;
  struct dirent de;
  struct stat st;

  if(strlen(path) + 1 + DIRSIZ + 1 > sizeof(buf)){
    fprintf(2, "ls: path too long\n");
    return;
  }
  strcpy(buf, path);
  p = buf + strlen(buf);
  *p++ = '/';
  while(read(fd, &de, sizeof(de)) == sizeof(de)){
    if(de.inum == 0)
      continue;
    memmove(p, de.name, DIRSIZ);
    p[DIRSIZ] = 0;
    if(stat(buf, &st) < 0){
      fprintf(2, "ls: cannot stat %s\n", buf);
      continue;
    }
    show(buf, &st);
  }
}

static void
ls(char *path)
{
  int fd;
  struct stat st;

  if((fd = open(path, O_RDONLY)) < 0){
    fprintf(2, "ls: cannot open %s\n", path);
    return;
  }
  if(fstat(fd, &st) < 0){
    fprintf(2, "ls: cannot stat %s\n", path);
  } else if(st.type == T_DIR){
    listdir(fd, path);
  } else {
    show(path, &st);
  }
  close(fd);
}

int
main(int argc, char *argv[])
{
  int i;

  if(argc < 2)
    ls(".");
  for(i = 1; i < argc; i++)
    ls(argv[i]);
  return 0;
}
