// The small C library every user program links with: the program entry point,
// string and memory routines, line input, stat() and the sbrk wrappers.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

// exec() jumps here with argc in a0 and argv in a1. Calling exit() with main's
// result lets a program simply return from main.
void
start(int argc, char **argv)
{
  extern int main(int, char **);
  exit(main(argc, argv));
}

char*
strcpy(char *dst, const char *src)
{
  char *d = dst;

  while((*d++ = *src++) != 0)
    ;
  return dst;
}

// Copy at most n bytes; pad with zeros like the C library (no terminator if src
// is n bytes or longer).
char*
strncpy(char *dst, const char *src, int n)
{
  int i;

  for(i = 0; i < n && src[i]; i++)
    dst[i] = src[i];
  for(; i < n; i++)
    dst[i] = 0;
  return dst;
}

int
strcmp(const char *a, const char *b)
{
  while(*a && *a == *b){
    a++;
    b++;
  }
  return (uchar)*a - (uchar)*b;
}

int
strncmp(const char *a, const char *b, uint n)
{
  for(; n > 0; n--, a++, b++){
    if(*a != *b || *a == 0)
      return (uchar)*a - (uchar)*b;
  }
  return 0;
}

uint
strlen(const char *s)
{
  const char *p = s;

  while(*p)
    p++;
  return p - s;
}

char*
strchr(const char *s, char c)
{
  for(; *s; s++){
    if(*s == c)
      return (char*)s;
  }
  return 0;
}

void*
memset(void *dst, int c, uint n)
{
  uchar *d = dst;

  while(n-- > 0)
    *d++ = c;
  return dst;
}

// Handles overlap in either direction; when both pointers are 8-byte aligned
// and there is no overlap in the way, move a word at a time (big copies in the
// tests would otherwise be slow under QEMU).
void*
memmove(void *dst, const void *src, int n)
{
  uchar *d = dst;
  const uchar *s = src;

  if(n <= 0 || d == s)
    return dst;
  if(d < s || d >= s + n){
    if((((uint64)d | (uint64)s) & 7) == 0){
      for(; n >= 8; n -= 8, d += 8, s += 8)
        *(uint64*)d = *(const uint64*)s;
    }
    while(n-- > 0)
      *d++ = *s++;
  } else {
    d += n;
    s += n;
    while(n-- > 0)
      *--d = *--s;
  }
  return dst;
}

void*
memcpy(void *dst, const void *src, uint n)
{
  return memmove(dst, src, n);
}

int
memcmp(const void *a, const void *b, uint n)
{
  const uchar *p = a, *q = b;

  for(; n > 0; n--, p++, q++){
    if(*p != *q)
      return *p - *q;
  }
  return 0;
}

// Read a line (up to max-1 bytes, keeping the newline) from standard input.
// An empty string means end of file.
char*
gets(char *buf, int max)
{
  int i = 0;
  char c;

  while(i + 1 < max){
    if(read(0, &c, 1) != 1)
      break;
    buf[i++] = c;
    if(c == '\n' || c == '\r')
      break;
  }
  buf[i] = 0;
  return buf;
}

int
stat(const char *path, struct stat *st)
{
  int fd, r;

  fd = open(path, O_RDONLY);
  if(fd < 0)
    return -1;
  r = fstat(fd, st);
  close(fd);
  return r;
}

// Decimal digits only, with an optional leading minus sign (xv6's kill and
// the tests pass negative numbers).
int
atoi(const char *s)
{
  int n = 0, neg = 0;

  while(*s == ' ' || *s == '\t')
    s++;
  if(*s == '-'){
    neg = 1;
    s++;
  }
  while(*s >= '0' && *s <= '9')
    n = n*10 + (*s++ - '0');
  return neg ? -n : n;
}

char*
sbrk(int n)
{
  return sys_sbrk(n, SBRK_EAGER);
}

char*
sbrklazy(int n)
{
  return sys_sbrk(n, SBRK_LAZY);
}

// Write all n bytes (a pipe or socket may take fewer at a time): 0, or -1
// once a write fails or makes no progress.
int
writeall(int fd, const void *buf, int n)
{
  const char *p = buf;
  int w;

  while(n > 0){
    if((w = write(fd, p, n)) <= 0)
      return -1;
    p += w;
    n -= w;
  }
  return 0;
}
