// getcwd: the kernel keeps no path for a process's directory, so the name
// is found the way early Unix's pwd found it: look up the current
// directory's inode number among its parent's entries, then the parent's
// in the grandparent's, until a directory is its own parent (the root).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "kernel/types.h"
#include "kernel/param.h"      // MAXPATH

// The name under which dir (a path such as "../..") lists inode ino.
static int
name_in(const char *dir, ino_t ino, char *name, size_t size)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  int found = 0;

  if(d == 0)
    return -1;
  while(!found && (e = readdir(d)) != 0)
    if(e->d_ino == ino && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
       strlen(e->d_name) < size){
      strcpy(name, e->d_name);
      found = 1;
    }
  closedir(d);
  return found ? 0 : -1;
}

char *
getcwd(char *buf, size_t size)
{
  char up[MAXPATH], path[MAXPATH], name[MAXNAMLEN + 1];
  struct stat here, parent;
  size_t len = 0, n;

  if(buf && size == 0){
    errno = EINVAL;
    return 0;
  }
  path[sizeof(path) - 1] = 0;   // built from the end: path + sizeof - 1 - len
  strcpy(up, ".");
  if(stat(up, &here) < 0)
    return 0;
  for(;;){
    if(strlen(up) + 4 > sizeof(up))
      return errno = ENAMETOOLONG, (char *)0;
    strcat(up, strcmp(up, ".") == 0 ? "." : "/..");
    if(stat(up, &parent) < 0)
      return 0;
    if(parent.st_ino == here.st_ino)
      break;                    // the root is its own parent
    if(name_in(up, here.st_ino, name, sizeof(name)) < 0)
      return errno = ENOENT, (char *)0;   // removed, or moved meanwhile
    n = strlen(name) + 1;
    if(len + n > sizeof(path) - 1)
      return errno = ENAMETOOLONG, (char *)0;
    len += n;
    memcpy(path + sizeof(path) - 1 - len, "/", 1);
    memcpy(path + sizeof(path) - len, name, n - 1);
    here = parent;
  }
  if(len == 0){
    len = 1;
    path[sizeof(path) - 2] = '/';
  }
  if(buf == 0 && (buf = malloc(size = size > len ? size : len + 1)) == 0)
    return errno = ENOMEM, (char *)0;
  if(size < len + 1)
    return errno = ERANGE, (char *)0;
  memcpy(buf, path + sizeof(path) - 1 - len, len + 1);
  return buf;
}
