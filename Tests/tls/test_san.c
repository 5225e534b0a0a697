// test_san.c: host tests of the tls library's pure name checks
// (User/tls/tls_san.c): IP literal parsing and iPAddress subjectAltName
// matching, which mbedTLS 2.28 does not do. Built and run by `make test-tls-host`.
#include <stdio.h>
#include <string.h>

#include "tls_internal.h"

static int failures, checks;

#define CHECK(cond, ...) do { checks++; if(!(cond)){ failures++; \
    printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while(0)

void
tls_set_error(const char *fmt, ...)
{
  (void)fmt;
}

static void
ip_ok(const char *s, int want_len, const char *want_hex)
{
  unsigned char b[16];
  char hex[33] = "";
  int n = tls_parse_ip(s, b), i;

  for(i = 0; i < n; i++)
    sprintf(hex + 2 * i, "%02x", b[i]);
  CHECK(n == want_len && strcmp(hex, want_hex) == 0, "tls_parse_ip(\"%s\") = %d %s, want %d %s",
        s, n, hex, want_len, want_hex);
}

static void
not_ip(const char *s)
{
  unsigned char b[16];

  CHECK(tls_parse_ip(s, b) == 0, "tls_parse_ip(\"%s\") should not be an address", s);
}

static void
test_parse(void)
{
  ip_ok("10.0.2.2", 4, "0a000202");
  ip_ok("0.0.0.0", 4, "00000000");
  ip_ok("255.255.255.255", 4, "ffffffff");
  ip_ok("::1", 16, "00000000000000000000000000000001");
  ip_ok("::", 16, "00000000000000000000000000000000");
  ip_ok("fec0::2", 16, "fec00000000000000000000000000002");
  ip_ok("FE80::5054:ff:fe12:3456", 16, "fe80000000000000505400fffe123456");
  ip_ok("1:2:3:4:5:6:7:8", 16, "00010002000300040005000600070008");
  ip_ok("::ffff:10.0.2.2", 16, "00000000000000000000ffff0a000202");
  ip_ok("1::", 16, "00010000000000000000000000000000");
  // host names and malformed addresses are not addresses
  not_ip("");
  not_ip("tls.test");
  not_ip("10.0.2");
  not_ip("10.0.2.2.");
  not_ip("10.0.2.256");
  not_ip("010.0.2.2");       // leading zero: octal to some parsers
  not_ip("10..2.2");
  not_ip("1.2.3.4a");
  not_ip("999999999999.1.1.1");
  not_ip("1:2:3:4:5:6:7");
  not_ip("1:2:3:4:5:6:7:8:9");
  not_ip("1::2::3");
  not_ip("12345::1");
  not_ip(":1:2:3:4:5:6:7");
  not_ip("1:2:3:4:5:6:7:");
  not_ip("1:2:3:4:5:6:7::8");   // "::" standing for no group
  not_ip("fec0::2%en0");
  not_ip("[::1]");
  not_ip("g::1");
  not_ip("::ffff:10.0.2");
}

// A SAN list as mbedTLS keeps it: raw entries with their context tags.
static mbedtls_x509_sequence san[4];

static void
set(int i, int tag, const void *p, size_t len)
{
  san[i].buf.tag = tag;
  san[i].buf.p = (unsigned char *)p;
  san[i].buf.len = len;
  san[i].next = i < 3 ? &san[i + 1] : NULL;
}

static void
test_match(void)
{
  static const unsigned char ip4[4] = { 10, 0, 2, 2 }, other4[4] = { 10, 0, 2, 3 };
  static unsigned char ip6[16], v4text[8] = "10.0.2.2";
  unsigned char want[16];
  char text[200];

  tls_parse_ip("fec0::2", ip6);
  set(0, 0x82, "tls.test", 8);            // dNSName
  set(1, 0x87, ip4, 4);                   // iPAddress 10.0.2.2
  set(2, 0x87, ip6, 16);                  // iPAddress fec0::2
  set(3, 0x81, "a@b.c", 5);               // rfc822Name
  tls_parse_ip("10.0.2.2", want);
  CHECK(tls_san_has_ip(san, want, 4), "10.0.2.2 is in the list");
  tls_parse_ip("fec0::2", want);
  CHECK(tls_san_has_ip(san, want, 16), "fec0::2 is in the list");
  tls_parse_ip("10.0.2.3", want);
  CHECK(!tls_san_has_ip(san, want, 4), "10.0.2.3 is not");
  tls_parse_ip("::ffff:10.0.2.2", want);
  CHECK(!tls_san_has_ip(san, want, 16), "an IPv4-mapped address does not match the IPv4 entry");
  // the address's text in a dNSName or its bytes under another tag never match
  set(0, 0x82, v4text, 8);
  set(1, 0x82, ip4, 4);
  set(2, 0x81, ip4, 4);
  set(3, 0x87, other4, 4);
  tls_parse_ip("10.0.2.2", want);
  CHECK(!tls_san_has_ip(san, want, 4), "10.0.2.2 only as DNS text or another type: no match");
  // a length that is neither 4 nor 16 is never read past
  set(3, 0x87, ip4, 3);
  CHECK(!tls_san_has_ip(san, want, 4), "a 3-byte iPAddress does not match");
  CHECK(!tls_san_has_ip(NULL, want, 4), "no SANs: no match");

  set(0, 0x82, "tls.test", 8);
  set(1, 0x87, ip4, 4);
  set(2, 0x87, ip6, 16);
  set(3, 0x81, "a@b.c", 5);
  tls_san_describe(san, text, sizeof text);
  CHECK(strcmp(text, "DNS:tls.test, IP:10.0.2.2, IP:fec0:0:0:0:0:0:0:2, (type 1)") == 0,
        "describe: %s", text);
  tls_san_describe(san, text, 12);
  CHECK(strlen(text) == 11, "describe truncates: %s", text);
}

int
main(void)
{
  test_parse();
  test_match();
  printf("tls name checks: %d checks, %d failed\n", checks, failures);
  return failures != 0;
}
