// string.c: the kernel's memory and string routines. memset and memcpy also serve
// the Swift runtime and lwIP, so they move 8 bytes at a time (unrolled) whenever
// the pointers allow it; RISC-V may trap or crawl on misaligned word accesses.
#include "types.h"

typedef uint64 __attribute__((__may_alias__)) word_t;

void*
memset(void *dst, int c, uint n)
{
  uchar *d = (uchar*)dst;
  uint64 w = (uchar)c;

  while(n > 0 && ((uint64)d & 7)){
    *d++ = c;
    n--;
  }
  if(n >= 8){
    w |= w << 8;
    w |= w << 16;
    w |= w << 32;
    word_t *wd = (word_t*)d;
    for(; n >= 32; n -= 32, wd += 4){
      wd[0] = w;
      wd[1] = w;
      wd[2] = w;
      wd[3] = w;
    }
    for(; n >= 8; n -= 8)
      *wd++ = w;
    d = (uchar*)wd;
  }
  while(n-- > 0)
    *d++ = c;
  return dst;
}

int
memcmp(const void *v1, const void *v2, uint n)
{
  const uchar *s1 = v1, *s2 = v2;

  for(; n > 0; n--, s1++, s2++){
    if(*s1 != *s2)
      return *s1 - *s2;
  }
  return 0;
}

// Forward copy; safe for overlap when dst < src.
static void
copy_forward(uchar *d, const uchar *s, uint n)
{
  if((((uint64)d ^ (uint64)s) & 7) == 0){
    while(n > 0 && ((uint64)d & 7)){
      *d++ = *s++;
      n--;
    }
    word_t *wd = (word_t*)d;
    const word_t *ws = (const word_t*)s;
    for(; n >= 32; n -= 32, wd += 4, ws += 4){
      word_t a = ws[0], b = ws[1], c = ws[2], e = ws[3];
      wd[0] = a;
      wd[1] = b;
      wd[2] = c;
      wd[3] = e;
    }
    for(; n >= 8; n -= 8)
      *wd++ = *ws++;
    d = (uchar*)wd;
    s = (const uchar*)ws;
  }
  while(n-- > 0)
    *d++ = *s++;
}

// Backward copy, for overlap with dst > src.
static void
copy_backward(uchar *d, const uchar *s, uint n)
{
  d += n;
  s += n;
  if((((uint64)d ^ (uint64)s) & 7) == 0){
    while(n > 0 && ((uint64)d & 7)){
      *--d = *--s;
      n--;
    }
    word_t *wd = (word_t*)d;
    const word_t *ws = (const word_t*)s;
    for(; n >= 8; n -= 8)
      *--wd = *--ws;
    d = (uchar*)wd;
    s = (const uchar*)ws;
  }
  while(n-- > 0)
    *--d = *--s;
}

void*
memmove(void *dst, const void *src, uint n)
{
  uchar *d = dst;
  const uchar *s = src;

  if(n == 0 || d == s)
    return dst;
  if(d < s || d >= s + n)
    copy_forward(d, s, n);
  else
    copy_backward(d, s, n);
  return dst;
}

// The C standard says memcpy's buffers must not overlap; the compiler's own calls
// rely on that, but a forward copy is correct for those anyway.
void*
memcpy(void *dst, const void *src, uint n)
{
  copy_forward(dst, src, n);
  return dst;
}

int
strncmp(const char *p, const char *q, uint n)
{
  while(n > 0 && *p && *p == *q)
    n--, p++, q++;
  if(n == 0)
    return 0;
  return (uchar)*p - (uchar)*q;
}

char*
strncpy(char *s, const char *t, int n)
{
  char *os = s;

  // copy up to n bytes of t, then pad with NULs up to n bytes in all.
  for(; n > 0 && *t; n--)
    *s++ = *t++;
  for(; n > 0; n--)
    *s++ = 0;
  return os;
}

// Like strncpy but always NUL-terminates (if n > 0).
char*
safestrcpy(char *s, const char *t, int n)
{
  char *os = s;

  if(n <= 0)
    return os;
  while(--n > 0 && (*s++ = *t++) != 0)
    ;
  *s = 0;
  return os;
}

int
strlen(const char *s)
{
  int n;

  for(n = 0; s[n]; n++)
    ;
  return n;
}
