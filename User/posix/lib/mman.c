// mman.c: mmap as copies in the heap, for programs that map a file to read it
// (the kernel has no mmap). See <sys/mman.h> for what is refused.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#define PAGE 4096

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
  size_t got = 0;
  ssize_t n;
  char *p;

  (void)addr;   // a hint only
  if(len == 0 || (flags & MAP_FIXED) || off < 0 || off % PAGE != 0 ||
     !(flags & (MAP_SHARED | MAP_PRIVATE)) || (flags & MAP_SHARED && flags & MAP_PRIVATE)){
    errno = EINVAL;
    return MAP_FAILED;
  }
  if(!(flags & MAP_ANONYMOUS) && (flags & MAP_SHARED) && (prot & PROT_WRITE)){
    errno = ENODEV;   // writes would have to reach the file
    return MAP_FAILED;
  }
  if(len > (size_t)-1 - PAGE || (p = aligned_alloc(PAGE, (len + PAGE - 1) / PAGE * PAGE)) == 0){
    errno = ENOMEM;
    return MAP_FAILED;
  }
  memset(p, 0, len);
  if(!(flags & MAP_ANONYMOUS)){
    while(got < len && (n = pread(fd, p + got, len - got, off + got)) > 0)
      got += n;
    if(n < 0){
      free(p);
      return MAP_FAILED;   // pread's errno: EBADF, ESPIPE, ...
    }
  }
  return p;
}

// Only whole mappings, as mmap returned them.
int
munmap(void *addr, size_t len)
{
  if(addr == 0 || addr == MAP_FAILED || len == 0 || (unsigned long)addr % PAGE != 0){
    errno = EINVAL;
    return -1;
  }
  free(addr);
  return 0;
}
