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
//
// Word by word whatever the two addresses are mod 8: when they differ, each
// destination word is put together from two aligned source words with shifts
// (little-endian), rather than copied a byte at a time. Every aligned source
// word read holds at least one byte of the source, so no read strays onto a
// page the source does not touch. (lwIP copies TCP data at offsets that move
// by 1460, 4 mod 8, from one segment to the next: half its copies went
// bytewise before.)
static void
copy_forward(uchar *d, const uchar *s, uint n)
{
  if(n >= 16){
    while((uint64)d & 7){
      *d++ = *s++;
      n--;
    }
    word_t *wd = (word_t*)d;
    uint off = (uint64)s & 7;
    if(off == 0){
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
      s = (const uchar*)ws;
    } else {
      const word_t *ws = (const word_t*)(s - off);
      uint lo = 8 * off, hi = 64 - lo;
      word_t w0 = *ws++;
      // w1 holds source bytes: its first is s + 8 - off, below s + 8 <= s + n
      for(; n >= 8; n -= 8){
        word_t w1 = *ws++;
        *wd++ = (w0 >> lo) | (w1 << hi);
        w0 = w1;
      }
      s = (const uchar*)ws - 8 + off;
    }
    d = (uchar*)wd;
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
