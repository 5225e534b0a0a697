// tls.h: TLS 1.2 over a connected socket for POSIX programs (User/posix/),
// the project's small interface to mbedTLS (User/tls/tls.c; configuration in
// User/tls/mbedtls_config.h). Nothing of mbedTLS shows through it.
//
//   struct tls *t = tls_client(fd, "example.org", NULL, 0);
//   if(t == NULL) { fprintf(stderr, "example.org: %s\n", tls_error()); ... }
//   tls_write(t, req, n); while((n = tls_read(t, buf, sizeof buf)) > 0) ...
//   tls_close(t); close(fd);
//
// A client verifies the server's chain against the CA bundle (or cafile), its
// dates against the wall clock, its key usage, and the host name: DNS names by
// mbedTLS, IP addresses against the certificate's iPAddress subjectAltNames by
// this library (mbedTLS 2.28 has no IP matching). Failures are text naming the
// reason: "unknown issuer", "name mismatch", "certificate expired", "certificate
// not yet valid", "bad signature", "peer closed", "not TLS", "timed out",
// "handshake failed: <mbedTLS's message>".
// Link: programs listed in the Makefile's TLS_PROGS get build/tls/libtls.a.
#ifndef XV6NET_TLS_H
#define XV6NET_TLS_H

#include <stddef.h>
#include <sys/types.h>

// The CA bundle in the image: Debian's ca-certificates (ca-certificates.crt on
// the build host) under a name that fits the file system's 14-byte names.
#define TLS_CA_BUNDLE "/etc/ssl/certs/ca-bundle.crt"

// tls_client flags.
#define TLS_INSECURE 1   // do not refuse a certificate that fails verification
                         // (tls_verify_error() still says why it would have)

// How long a handshake or a read waits for the peer before it fails with
// "timed out" (milliseconds; 0: forever). tls_set_timeout changes it for one
// connection, or with t == NULL for those made from then on.
#define TLS_TIMEOUT_MS 30000

struct tls;

// Handshake as a client on connected socket fd for host (a DNS name, sent as
// SNI and checked against the certificate; or an IPv4/IPv6 literal, checked
// against its IP subjectAltNames). cafile: PEM file of trusted CAs, NULL for
// TLS_CA_BUNDLE. NULL on failure: tls_error() says why.
struct tls *tls_client(int fd, const char *host, const char *cafile, int flags);
// Handshake as a server on accepted socket fd with a PEM certificate chain
// (the server's first) and its unencrypted PEM private key. NULL on failure.
struct tls *tls_server(int fd, const char *certfile, const char *keyfile);
// Loads certfile and keyfile as tls_server would and checks that they go
// together, without a connection: a server's start-up check. 0, or -1 (tls_error()).
int tls_server_check(const char *certfile, const char *keyfile);
// Like read(2): bytes read, 0 at the end of the stream, -1 on error (tls_error()).
ssize_t tls_read(struct tls *t, void *buf, size_t n);
// Writes all n bytes: n, or -1 on error (tls_error()).
ssize_t tls_write(struct tls *t, const void *buf, size_t n);
// Sends close_notify and frees t. The socket stays open: close it yourself.
void tls_close(struct tls *t);

// The reason of the last failure of any call here (static text; never NULL).
const char *tls_error(void);
// With TLS_INSECURE: why the certificate would have been refused, or NULL if it
// passed. Meant for the warning an insecure client prints every time.
const char *tls_verify_error(struct tls *t);
// 1 if the last tls_read that returned 0 ended on the peer's close_notify, 0 if
// the connection just closed (a truncation an application may want to detect).
int tls_closed_cleanly(struct tls *t);
// "TLS1.2 TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384": what the handshake agreed.
const char *tls_describe(struct tls *t, char *buf, size_t n);
void tls_set_timeout(struct tls *t, unsigned ms);
// The heap mbedTLS holds now and the most it has held since the program started.
void tls_heap(size_t *now, size_t *peak);

// Entropy for the DRBG (User/tls/tls_entropy.c): len bytes from getrandom(2).
// 0, or -1 with tls_error() set.
int tls_entropy(void *buf, size_t len);

// Name checks (User/tls/tls_san.c), pure functions the host tests call.
// If s is an IPv4 dotted quad or an IPv6 literal (no brackets), its bytes in
// out and 4 or 16; else 0.
int tls_parse_ip(const char *s, unsigned char out[16]);

#endif // XV6NET_TLS_H
