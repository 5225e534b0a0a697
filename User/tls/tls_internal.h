// tls_internal.h: what the files of the tls library share (User/tls/*.c);
// programs include tls.h only.
#ifndef XV6NET_TLS_INTERNAL_H
#define XV6NET_TLS_INTERNAL_H

#include "mbedtls/x509_crt.h"
#include "tls.h"

// Sets the text tls_error() returns.
void tls_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// 1 if the subjectAltName list san has an iPAddress entry equal to ip (len 4
// or 16 bytes), else 0. mbedTLS keeps every SAN entry raw: tag and bytes.
int tls_san_has_ip(const mbedtls_x509_sequence *san, const unsigned char *ip, int len);
// "DNS:tls.test, IP:10.0.2.2": the DNS and IP names of a SAN list, for messages.
void tls_san_describe(const mbedtls_x509_sequence *san, char *buf, size_t n);

#endif // XV6NET_TLS_INTERNAL_H
