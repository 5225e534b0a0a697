// printf.c: formatted output to the console (printf), into a buffer (snprintf),
// and panic. Conversions: %d %i %u %x %X %p %s %c %% with the l, ll and z size
// modifiers, a '0' or '-' flag and a field width (digits or *).
#include <stdarg.h>

#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "fs.h"
#include "file.h"
#include "memlayout.h"
#include "riscv.h"
#include "defs.h"
#include "proc.h"

volatile int panicked = 0;   // set by panic(); the other harts then freeze

// serialises printf so lines from different harts do not interleave.
static struct {
  struct spinlock lock;
  int locking;
} pr;

// An output sink: console or buffer.
struct sink {
  void (*put)(struct sink*, int);
  char *buf;    // snprintf only
  int size;
  int n;        // characters produced so far
};

static const char digits[] = "0123456789abcdef";
static const char udigits[] = "0123456789ABCDEF";

struct spec {
  int width;
  char pad;     // '0' or ' '
  char left;    // '-' flag: pad on the right
};

static void
emit_padded(struct sink *o, const char *s, int len, struct spec *sp)
{
  int fill = sp->width > len ? sp->width - len : 0;

  if(!sp->left && sp->pad == '0' && len > 0 && s[0] == '-'){
    o->put(o, *s++);        // sign goes before zero padding
    len--;
  }
  for(; !sp->left && fill > 0; fill--)
    o->put(o, sp->pad);
  while(len-- > 0)
    o->put(o, *s++);
  for(; fill > 0; fill--)
    o->put(o, ' ');
}

static void
emit_num(struct sink *o, uint64 x, int base, int sgn, int upper, struct spec *sp)
{
  char tmp[24];
  int i = sizeof(tmp);
  int neg = sgn && (long)x < 0;
  const char *dig = upper ? udigits : digits;

  if(neg)
    x = -(long)x;
  do {
    tmp[--i] = dig[x % base];
    x /= base;
  } while(x != 0);
  if(neg)
    tmp[--i] = '-';
  emit_padded(o, tmp + i, sizeof(tmp) - i, sp);
}

// Parse flags and width at *fmt; returns the size modifier length (0, 1 or 2).
static int
parse_spec(const char **fmt, va_list *ap, struct spec *sp)
{
  const char *f = *fmt;
  int lng = 0;

  sp->width = 0;
  sp->pad = ' ';
  sp->left = 0;
  for(; *f == '0' || *f == '-'; f++){
    if(*f == '0')
      sp->pad = '0';
    else
      sp->left = 1;
  }
  if(*f == '*'){
    sp->width = va_arg(*ap, int);
    f++;
  }
  for(; *f >= '0' && *f <= '9'; f++)
    sp->width = sp->width * 10 + (*f - '0');
  for(; *f == 'l' || *f == 'z'; f++)
    lng++;
  *fmt = f;
  return lng;
}

// One conversion c, its argument taken from *ap.
static void
convert(struct sink *o, char c, int lng, va_list *ap, struct spec *sp)
{
  uint64 u;

  switch(c){
  case 'd':
  case 'i':
    u = lng ? va_arg(*ap, long) : (long)va_arg(*ap, int);
    emit_num(o, u, 10, 1, 0, sp);
    break;
  case 'u':
  case 'x':
  case 'X':
    u = lng ? va_arg(*ap, uint64) : va_arg(*ap, uint);
    emit_num(o, u, c == 'u' ? 10 : 16, 0, c == 'X', sp);
    break;
  case 'p':
    o->put(o, '0');
    o->put(o, 'x');
    sp->width = 16;
    sp->pad = '0';
    emit_num(o, va_arg(*ap, uint64), 16, 0, 0, sp);
    break;
  case 's': {
    const char *s = va_arg(*ap, const char*);
    if(s == 0)
      s = "(null)";
    emit_padded(o, s, strlen(s), sp);
    break;
  }
  case 'c': {
    char ch = va_arg(*ap, int);
    emit_padded(o, &ch, 1, sp);
    break;
  }
  case '%':
    o->put(o, '%');
    break;
  default:
    // unknown conversion: show it, so the mistake is visible.
    o->put(o, '%');
    o->put(o, c);
  }
}

static void
vformat(struct sink *o, const char *fmt, va_list ap)
{
  struct spec sp;

  for(; *fmt; fmt++){
    if(*fmt != '%'){
      o->put(o, *fmt);
      continue;
    }
    fmt++;
    int lng = parse_spec(&fmt, &ap, &sp);
    if(*fmt == 0)
      break;
    convert(o, *fmt, lng, &ap, &sp);
  }
}

static void
console_put(struct sink *o, int c)
{
  consputc(c);
  o->n++;
}

int
printf(const char *fmt, ...)
{
  va_list ap;
  struct sink o = { console_put, 0, 0, 0 };
  int locking = pr.locking;

  if(locking){
    acquire(&pr.lock);
    uart_sync_begin();
  }
  va_start(ap, fmt);
  vformat(&o, fmt, ap);
  va_end(ap);
  if(locking){
    uart_sync_end();
    release(&pr.lock);
  }
  return o.n;
}

static void
buf_put(struct sink *o, int c)
{
  if(o->n < o->size - 1)
    o->buf[o->n] = c;
  o->n++;
}

// Like C's snprintf: writes at most size-1 characters and a NUL, and returns the
// length the whole output would have had.
int
snprintf(char *buf, int size, const char *fmt, ...)
{
  va_list ap;
  struct sink o = { buf_put, buf, size, 0 };

  va_start(ap, fmt);
  vformat(&o, fmt, ap);
  va_end(ap);
  if(size > 0)
    buf[o.n < size ? o.n : size - 1] = 0;
  return o.n;
}

void
panic(const char *s)
{
  pr.locking = 0;   // the lock may be held by whoever failed
  printf("panic: %s\n", s);
  panicked = 1;     // freeze uart output and, at their next tick, the other harts
  for(;;)
    ;
}

void
printfinit(void)
{
  initlock(&pr.lock, "pr");
  pr.locking = 1;
}
