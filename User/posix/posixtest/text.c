// String, number, sorting, environment and memory checks.
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "posixtest.h"

static int
bynumber(const void *a, const void *b)
{
  return *(const int *)a - *(const int *)b;
}

void
strings_and_numbers(void)
{
  char buf[64], *end, *word;
  int v[] = { 42, -7, 3, 1000, 0 };
  long n;

  snprintf(buf, sizeof(buf), "%s-%05d-%x-%.2f", "abc", 42, 255, 2.5);
  CHECK(strcmp(buf, "abc-00042-ff-2.50") == 0, "snprintf formats");
  strcpy(buf, "Hello");
  strcat(buf, ", World");
  CHECK(strcasecmp(buf, "hello, world") == 0 && strncasecmp(buf, "HELLO", 5) == 0, "strcat, strcasecmp");
  CHECK(strstr(buf, "World") == buf + 7 && strrchr(buf, 'o') == buf + 8, "strstr, strrchr");
  CHECK(isspace(' ') && isspace('\t') && !isspace('x') && isdigit('7') && toupper('q') == 'Q',
        "ctype");
  n = strtol("  -0x1F rest", &end, 16);
  CHECK(n == -31 && strcmp(end, " rest") == 0, "strtol base 16 with endptr");
  CHECK(strtol("0755", 0, 0) == 493 && strtoul("42", 0, 10) == 42 && atoi("12ab") == 12,
        "strtol base 0, strtoul, atoi");
  errno = 0;
  CHECK(strtol("99999999999999999999", 0, 10) == 0x7fffffffffffffffL && errno == ERANGE,
        "strtol overflow: ERANGE");
  qsort(v, 5, sizeof(v[0]), bynumber);
  CHECK(v[0] == -7 && v[1] == 0 && v[2] == 3 && v[3] == 42 && v[4] == 1000, "qsort");
  CHECK(getenv("POSIXTEST_UNSET") == 0, "getenv of an unset name");
  CHECK(setenv("GREETING", "hi", 1) == 0 && strcmp(getenv("GREETING"), "hi") == 0,
        "setenv, getenv");
  strcpy(buf, "a,b;;c");
  word = strtok(buf, ",;");
  CHECK(word && strcmp(word, "a") == 0 && strcmp(strtok(0, ",;"), "b") == 0 &&
        strcmp(strtok(0, ",;"), "c") == 0 && strtok(0, ",;") == 0, "strtok");
  char *big = malloc(1 << 20);
  CHECK(big != 0, "malloc 1 MiB (sbrk)");
  memset(big, 1, 1 << 20);
  free(big);
  CHECK(sscanf("10.0.2.15 port 80", "%15s port %ld", buf, &n) == 2 && n == 80, "sscanf");
}
