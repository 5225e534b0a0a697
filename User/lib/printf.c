// Formatted output: printf, fprintf, vprintf and snprintf.
// Conversions: %d %i %u %x %p %s %c %% with the length modifiers l and ll, an
// optional width, and the flags '0' (zero pad) and '-' (left-justify).
// Output to a file descriptor is gathered in a buffer and written in a few
// system calls, so a line from one process is not torn apart by another's.
#include "kernel/types.h"
#include "user/user.h"

// Where formatted characters go: a file descriptor (fd >= 0, buf is a staging
// buffer flushed when full) or a caller's string (fd < 0, excess dropped).
struct sink {
  int fd;
  char *buf;
  int cap;    // bytes buf can hold (for a string, including the terminator)
  int len;    // bytes in buf now
  int total;  // characters produced so far
};

static const char hexdigits[] = "0123456789abcdef";

static void
emit(struct sink *o, char c)
{
  o->total++;
  if(o->fd >= 0){
    if(o->len == o->cap){
      write(o->fd, o->buf, o->len);
      o->len = 0;
    }
    o->buf[o->len++] = c;
  } else if(o->len + 1 < o->cap){
    o->buf[o->len++] = c;
  }
}

static void
pad(struct sink *o, char c, int n)
{
  for(; n > 0; n--)
    emit(o, c);
}

// Emit s (n bytes) within a field of the given width.
static void
field(struct sink *o, const char *s, int n, int width, int left)
{
  int i;

  if(!left)
    pad(o, ' ', width - n);
  for(i = 0; i < n; i++)
    emit(o, s[i]);
  if(left)
    pad(o, ' ', width - n);
}

// Format an integer: value v (taken as unsigned unless neg), in the given base.
static void
number(struct sink *o, uint64 v, int base, int neg, int width, int zero, int left)
{
  char tmp[24];
  int n = 0, len;

  do {
    tmp[n++] = hexdigits[v % base];
    v /= base;
  } while(v != 0);
  len = n + neg;
  if(!left && !zero)
    pad(o, ' ', width - len);
  if(neg)
    emit(o, '-');
  if(!left && zero)
    pad(o, '0', width - len);
  while(n > 0)
    emit(o, tmp[--n]);
  if(left)
    pad(o, ' ', width - len);
}

// Fetch an integer argument of the given size (0 int, 1 long, 2 long long) and
// print it signed (conv 'd') or unsigned.
static void
intarg(struct sink *o, va_list *ap, int size, char conv, int width, int zero, int left)
{
  uint64 u;
  long s;

  if(conv == 'd' || conv == 'i'){
    s = size ? va_arg(*ap, long) : va_arg(*ap, int);
    if(s < 0)
      number(o, -(uint64)s, 10, 1, width, zero, left);
    else
      number(o, s, 10, 0, width, zero, left);
    return;
  }
  u = size ? va_arg(*ap, uint64) : va_arg(*ap, uint);
  number(o, u, conv == 'u' ? 10 : 16, 0, width, zero, left);
}

// Emit one conversion c with its width and flags; size counts 'l's.
static void
convert(struct sink *o, char c, va_list *ap, int width, int zero, int left, int size)
{
  const char *s;

  switch(c){
  case 'd': case 'i': case 'u': case 'x':
    intarg(o, ap, size, c, width, zero, left);
    break;
  case 'p':
    emit(o, '0');
    emit(o, 'x');
    number(o, (uint64)va_arg(*ap, void*), 16, 0, 16, 1, 0);
    break;
  case 's':
    if((s = va_arg(*ap, const char*)) == 0)
      s = "(null)";
    field(o, s, strlen(s), width, left);
    break;
  case 'c':
    emit(o, (char)va_arg(*ap, int));
    break;
  case '%':
    emit(o, '%');
    break;
  default:
    // unknown conversion: show it, so the mistake is visible
    emit(o, '%');
    emit(o, c);
    break;
  }
}

// ap is passed by pointer (to a va_copy) so the helpers can consume arguments.
static void
format(struct sink *o, const char *fmt, va_list *ap)
{
  int width, zero, left, size;
  char c;

  for(; (c = *fmt) != 0; fmt++){
    if(c != '%'){
      emit(o, c);
      continue;
    }
    zero = left = width = size = 0;
    for(c = *++fmt; c == '0' || c == '-'; c = *++fmt){
      if(c == '0') zero = 1;
      else left = 1;
    }
    for(; c >= '0' && c <= '9'; c = *++fmt)
      width = width*10 + (c - '0');
    for(; c == 'l'; c = *++fmt)
      size++;
    if(c == 0)
      return;
    convert(o, c, ap, width, zero, left, size);
  }
}

void
vprintf(int fd, const char *fmt, va_list ap)
{
  char buf[256];
  struct sink o = { fd, buf, sizeof(buf), 0, 0 };
  va_list cp;

  va_copy(cp, ap);
  format(&o, fmt, &cp);
  va_end(cp);
  if(o.len > 0)
    write(fd, buf, o.len);
}

void
fprintf(int fd, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vprintf(fd, fmt, ap);
  va_end(ap);
}

void
printf(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vprintf(1, fmt, ap);
  va_end(ap);
}

// Like C's snprintf: writes at most n-1 characters and a terminator, and
// returns the length the whole output would have had.
int
snprintf(char *buf, int n, const char *fmt, ...)
{
  va_list ap;
  struct sink o = { -1, buf, n, 0, 0 };

  va_start(ap, fmt);
  format(&o, fmt, &ap);
  va_end(ap);
  if(n > 0)
    buf[o.len] = 0;
  return o.total;
}
