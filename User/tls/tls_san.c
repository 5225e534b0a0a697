// tls_san.c: the host-name check mbedTLS 2.28 leaves out. Its
// x509_crt_verify_name() compares a name with the dNSName subjectAltNames (and
// the CN) only; a certificate for https://10.0.2.2/ names the address in an
// iPAddress subjectAltName (RFC 5280 4.2.1.6: 4 or 16 bytes, network order),
// which RFC 6125 says is the only place to match an IP literal. tls.c calls
// these from its verification callback. Pure functions: host tested
// (Tests/tls/test_san.c).
#include <stdio.h>
#include <string.h>

#include "tls_internal.h"

// GeneralName's CHOICE tags: context-specific, primitive.
enum { SAN_DNS = 0x82, SAN_IP = 0x87 };

static int
parse_ip4(const char *s, unsigned char out[4])
{
  int i, digits;
  unsigned v;

  for(i = 0; i < 4; i++){
    if(i > 0 && *s++ != '.')
      return 0;
    v = 0;
    for(digits = 0; *s >= '0' && *s <= '9'; digits++, s++){
      if(digits > 0 && v == 0)
        return 0;                    // no leading zeros (octal in some parsers)
      v = v * 10 + (*s - '0');
      if(v > 255)
        return 0;
    }
    if(digits == 0)
      return 0;
    out[i] = v;
  }
  return *s == 0;
}

static int
hexval(char c)
{
  if(c >= '0' && c <= '9') return c - '0';
  if(c >= 'a' && c <= 'f') return c - 'a' + 10;
  if(c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 4291 2.2 text forms: 8 groups, one "::" for a run of zero groups, and
// an IPv4 dotted quad as the last 32 bits. No zone (%eth0).
static int
parse_ip6(const char *s, unsigned char out[16])
{
  unsigned char b[16];
  int n = 0, gap = -1, digits, h;
  unsigned v;

  if(s[0] == ':'){
    if(s[1] != ':')
      return 0;
    gap = 0;
    s += 2;
  }
  while(*s){
    if(n == 16)
      return 0;
    if(strchr(s, ':') == NULL && strchr(s, '.') != NULL){   // trailing IPv4
      if(n > 12 || !parse_ip4(s, b + n))
        return 0;
      n += 4;
      break;
    }
    v = 0;
    for(digits = 0; (h = hexval(*s)) >= 0; digits++, s++)
      v = v * 16 + h;
    if(digits == 0 || digits > 4)
      return 0;
    b[n++] = v >> 8;
    b[n++] = v;
    if(*s == 0)
      break;
    if(*s++ != ':')
      return 0;
    if(*s == ':'){
      if(gap >= 0)
        return 0;                    // two "::"
      gap = n;
      s++;
    } else if(*s == 0)
      return 0;                      // ends in a single ':'
  }
  if(gap < 0 && n != 16)
    return 0;
  if(gap >= 0 && n > 14)
    return 0;                        // "::" must stand for at least one group
  memset(out, 0, 16);
  if(gap < 0)
    memcpy(out, b, 16);
  else {
    memcpy(out, b, gap);
    memcpy(out + 16 - (n - gap), b + gap, n - gap);
  }
  return 1;
}

int
tls_parse_ip(const char *s, unsigned char out[16])
{
  if(parse_ip4(s, out))
    return 4;
  if(strchr(s, ':') && parse_ip6(s, out))
    return 16;
  return 0;
}

int
tls_san_has_ip(const mbedtls_x509_sequence *san, const unsigned char *ip, int len)
{
  for(; san != NULL; san = san->next)
    if(san->buf.tag == SAN_IP && san->buf.p != NULL && san->buf.len == (size_t)len &&
       memcmp(san->buf.p, ip, len) == 0)
      return 1;
  return 0;
}

// Appends text to buf (size n, holding a string), truncating.
static void
append(char *buf, size_t n, const char *text, size_t len)
{
  size_t at = strlen(buf);

  if(at + 1 >= n)
    return;
  if(len > n - 1 - at)
    len = n - 1 - at;
  memcpy(buf + at, text, len);
  buf[at + len] = 0;
}

void
tls_san_describe(const mbedtls_x509_sequence *san, char *buf, size_t n)
{
  char one[64];
  const unsigned char *p;
  int i;

  if(n == 0)
    return;
  buf[0] = 0;
  for(; san != NULL; san = san->next){
    p = san->buf.p;
    if(p == NULL)
      continue;
    if(buf[0])
      append(buf, n, ", ", 2);
    if(san->buf.tag == SAN_DNS){
      append(buf, n, "DNS:", 4);
      append(buf, n, (const char *)p, san->buf.len);
    } else if(san->buf.tag == SAN_IP && san->buf.len == 4){
      snprintf(one, sizeof one, "IP:%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
      append(buf, n, one, strlen(one));
    } else if(san->buf.tag == SAN_IP && san->buf.len == 16){
      append(buf, n, "IP:", 3);
      for(i = 0; i < 16; i += 2){
        snprintf(one, sizeof one, i ? ":%x" : "%x", p[i] << 8 | p[i + 1]);
        append(buf, n, one, strlen(one));
      }
    } else {
      snprintf(one, sizeof one, "(type %d)", san->buf.tag & 0x1f);
      append(buf, n, one, strlen(one));
    }
  }
}
