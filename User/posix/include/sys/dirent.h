// <sys/dirent.h> for POSIX programs: what the C library's <dirent.h> needs from
// the system (the C library's own is an #error). Directories are read entry by
// entry from the kernel's directory files (User/posix/lib/dirent.c).
#pragma once
#include <sys/types.h>

#define MAXNAMLEN 14          // the file system's longest name (DIRSIZ)

struct dirent {
  ino_t d_ino;
  char d_name[MAXNAMLEN + 1]; // always terminated
};

typedef struct __dirstream DIR;
