// <arpa/inet.h> for POSIX programs: byte order and address text conversion
// (User/lib/inet.c, shared with xv6-style programs). Replaces the C library's
// own <arpa/inet.h>, which has only the byte-order macros. AF_INET and
// AF_INET6 (RFC 4291 text in, RFC 5952 text out); another family gives -1
// with errno EAFNOSUPPORT.
#pragma once
#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

int inet_pton(int af, const char *src, void *dst);     // 1, 0 if malformed
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
in_addr_t inet_addr(const char *s);                    // INADDR_NONE if malformed
int inet_aton(const char *s, struct in_addr *out);
char *inet_ntoa(struct in_addr a);                     // a static buffer

#ifdef __cplusplus
}
#endif
