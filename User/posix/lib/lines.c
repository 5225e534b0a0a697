// lines.c: getline, getdelim and dprintf, which POSIX has and the C library (1.8)
// does not (declared in User/posix/include/stdio.h).
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

// Reads up to and including delim into *lineptr, growing it (realloc) as
// needed, and terminates it. The length, or -1 at end of file or on error.
ssize_t
getdelim(char **lineptr, size_t *n, int delim, FILE *f)
{
  size_t len = 0;
  char *p;
  int c;

  if(lineptr == 0 || n == 0 || f == 0){
    errno = EINVAL;
    return -1;
  }
  if(*lineptr == 0)
    *n = 0;
  while((c = getc(f)) != EOF){
    if(len + 2 > *n){
      size_t want = *n < 64 ? 128 : *n * 2;
      if((p = realloc(*lineptr, want)) == 0){
        errno = ENOMEM;
        return -1;
      }
      *lineptr = p;
      *n = want;
    }
    (*lineptr)[len++] = c;
    if(c == delim)
      break;
  }
  if(len == 0)
    return -1;
  (*lineptr)[len] = 0;
  return len;
}

ssize_t
getline(char **lineptr, size_t *n, FILE *f)
{
  return getdelim(lineptr, n, '\n', f);
}

// Formats into a buffer (on the stack when short) and writes it whole.
int
vdprintf(int fd, const char *fmt, va_list ap)
{
  char small[256], *buf = small;
  va_list again;
  int len, off, w;

  va_copy(again, ap);
  len = vsnprintf(small, sizeof(small), fmt, ap);
  if(len >= (int)sizeof(small)){
    if((buf = malloc(len + 1)) == 0){
      va_end(again);
      errno = ENOMEM;
      return -1;
    }
    vsnprintf(buf, len + 1, fmt, again);
  }
  va_end(again);
  for(off = 0; len > 0 && off < len; off += w)
    if((w = write(fd, buf + off, len - off)) <= 0){
      len = -1;
      break;
    }
  if(buf != small)
    free(buf);
  return len;
}

int
dprintf(int fd, const char *fmt, ...)
{
  va_list ap;
  int r;

  va_start(ap, fmt);
  r = vdprintf(fd, fmt, ap);
  va_end(ap);
  return r;
}
