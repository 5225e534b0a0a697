// string.h for lwIP in the freestanding kernel: the routines Kernel/string.c
// defines, declared with exactly the signatures Kernel/defs.h gives them, so a
// file may include both. Lengths are uint as in xv6; lwIP's are far below 4 GiB.
#pragma once

void *memcpy(void *dst, const void *src, unsigned int n);
void *memmove(void *dst, const void *src, unsigned int n);
void *memset(void *dst, int c, unsigned int n);
int memcmp(const void *a, const void *b, unsigned int n);
int strlen(const char *s);
int strncmp(const char *p, const char *q, unsigned int n);
// lwIP's resolver compares a name with "localhost" once a loopback netif
// exists (dns.c); the kernel itself has no use for strcmp.
static inline int
strcmp(const char *p, const char *q)
{
  while(*p && *p == *q)
    p++, q++;
  return (unsigned char)*p - (unsigned char)*q;
}
