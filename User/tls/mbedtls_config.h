// mbedtls_config.h: the whole configuration of mbedTLS 2.28 for the guest's user
// space (replaces mbedTLS's own include/mbedtls/config.h through
// -DMBEDTLS_CONFIG_FILE; built by the Makefile's `tls` part). Every option is
// here because something below needs it; the comment says what. Anything not
// listed is off.
//
// What it gives: TLS 1.2 only, client and server; key exchange ECDHE-ECDSA and
// ECDHE-RSA over X25519, P-256 or P-384; AES-GCM and ChaCha20-Poly1305; X.509
// chains verified against a CA bundle (dates, key usage, host name); SNI.
// No SSLv3, TLS 1.0/1.1, CBC suites, static RSA key exchange, renegotiation,
// DTLS, threads or compression.
//
// Memory budget, measured in the guest by Tests/integration/test_tls.py
// (`tlsget -v` prints the heap mbedTLS holds, counted by the tls library's
// calloc/free hooks; the host build gives the same figures within 0.3%):
//   - a client handshake, ECDHE-RSA with a 2048-bit RSA server certificate
//     and a one-certificate CA file: peak 41.6 KB, 36.5 KB held afterwards,
//     of which 2 x 16.4 KB + headers are the record buffers
//     (MBEDTLS_SSL_IN/OUT_CONTENT_LEN below); ECDHE-ECDSA P-256: the same;
//   - with Debian's whole CA bundle (213 KB of PEM, ~140 roots) as the trust
//     store: 413 KB held, 593 KB peak (mbedtls_x509_crt_parse_file reads the
//     whole file, then keeps every parsed root for the connection's life).
// Code: tlsget, stripped, 177 KB.
#ifndef XV6NET_MBEDTLS_CONFIG_H
#define XV6NET_MBEDTLS_CONFIG_H

// ---------------------------------------------------------------- the system
// time() and gmtime_r() exist (the C library; time() is system call 26, the wall
// clock from QEMU's Goldfish RTC: docs/poll-and-time.md). HAVE_TIME_DATE is what
// makes X.509 verification check notBefore/notAfter: without it every date
// passes.
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
// No /dev/urandom or getrandom() probing inside mbedTLS (entropy_poll.c's
// platform source assumes Linux or BSD): the one entropy source is ours.
#define MBEDTLS_NO_PLATFORM_ENTROPY
// ...and it is mbedtls_hardware_poll(), in User/tls/tls_entropy.c, which calls
// tls_entropy(): getrandom(2) from the kernel (virtio-rng). Counted as a strong
// source, so the DRBG refuses to seed from anything else. Never a fixed seed.
#define MBEDTLS_ENTROPY_HARDWARE_ALT
// The C library's stdio works on the guest's files (docs/posix.md), so CA bundles,
// certificates and keys load with mbedtls_x509_crt_parse_file() and
// mbedtls_pk_parse_keyfile().
#define MBEDTLS_FS_IO
// mbedtls_calloc/free through a pointer the tls library sets
// (mbedtls_platform_set_calloc_free): it counts the heap in use and its peak,
// which `tlsget -v` prints (the memory budget above comes from it).
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
// Deprecated interfaces are compiled out, so nothing here can come to rely on them.
#define MBEDTLS_DEPRECATED_REMOVED
// Not defined: MBEDTLS_HAVE_ASM (mbedTLS has no RISC-V assembly: bignum is
// portable C), MBEDTLS_THREADING_C (one thread per process), MBEDTLS_NET_C
// (the tls library does its own I/O on the socket fd), MBEDTLS_TIMING_C (DTLS
// only), MBEDTLS_SELF_TEST, MBEDTLS_DEBUG_C (size).

// ---------------------------------------------------------------- randomness
// The entropy pool (mixes the hardware source) and a CTR-DRBG (AES-256) seeded
// from it: what the handshake's randoms and ECDHE keys come from.
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
// ECDSA signatures by the server (httpd -s with an EC key) derive their nonce
// from the key and message (RFC 6979), so a weak moment of the RNG cannot leak
// the key; needs HMAC-DRBG.
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_HMAC_DRBG_C

// ---------------------------------------------------------------- hashes, ciphers
#define MBEDTLS_MD_C                // the message-digest layer everything uses
#define MBEDTLS_SHA256_C            // TLS 1.2 PRF, *_SHA256 suites, most signatures
#define MBEDTLS_SHA512_C            // SHA-384 (*_SHA384 suites, P-384 chains), entropy pool
// SHA-1: only so that CA roots self-signed with SHA-1 still parse from the
// bundle (a root's own signature is never checked). Chains signed with SHA-1
// are refused by the default verification profile, which the library uses.
#define MBEDTLS_SHA1_C
#define MBEDTLS_CIPHER_C            // the cipher layer the record protection uses
#define MBEDTLS_AES_C               // AES-GCM suites; also the CTR-DRBG's block cipher
#define MBEDTLS_AES_ROM_TABLES      // AES tables in .rodata, not built in .bss at first use
#define MBEDTLS_GCM_C               // AES-128/256-GCM
#define MBEDTLS_CHACHA20_C          // ChaCha20-Poly1305 (RFC 7905): fast without AES hardware
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C

// ---------------------------------------------------------------- public keys
#define MBEDTLS_BIGNUM_C            // RSA and elliptic curves
#define MBEDTLS_RSA_C               // RSA certificates and ECDHE-RSA signatures
#define MBEDTLS_PKCS1_V15           // the RSA signatures of TLS 1.2 and of most certificates
#define MBEDTLS_PKCS1_V21           // RSASSA-PSS signed certificates (some CAs issue them)
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT
#define MBEDTLS_ECP_C               // elliptic curves: ECDHE and ECDSA
#define MBEDTLS_ECP_NIST_OPTIM      // fast reduction for P-256/P-384 (the handshake's cost)
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED   // ECDSA P-256 keys and roots, ECDHE
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED   // ECDSA P-384 roots and intermediates
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED  // X25519: what most servers pick for ECDHE
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_PK_C                // the public-key layer X.509 and TLS use
#define MBEDTLS_PK_PARSE_C          // keys in certificates, and httpd's private key
#define MBEDTLS_ASN1_PARSE_C        // DER
#define MBEDTLS_ASN1_WRITE_C        // ECDSA signatures are DER-encoded (server side)
#define MBEDTLS_OID_C
#define MBEDTLS_PEM_PARSE_C         // the CA bundle, certificates and keys are PEM
#define MBEDTLS_BASE64_C            // PEM's encoding
// Not defined: MBEDTLS_PK_WRITE_C, MBEDTLS_GENPRIME (no key generation here);
// DES, CBC and the cipher modes PEM needs for encrypted keys (an encrypted key
// fails with a clear error: give httpd an unencrypted one).

// ---------------------------------------------------------------- X.509
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
// keyUsage and extendedKeyUsage are checked (a server certificate must allow
// serverAuth); mbedTLS would skip them without these.
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE
// Not defined: MBEDTLS_X509_CRL_PARSE_C (no CRLs are distributed to the guest),
// MBEDTLS_X509_CSR_PARSE_C, the writers.

// ---------------------------------------------------------------- TLS
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C           // tls_client(): httpget, wttr, tlsget
#define MBEDTLS_SSL_SRV_C           // tls_server(): httpd -s
#define MBEDTLS_SSL_PROTO_TLS1_2    // TLS 1.2 only: no SSLv3, TLS 1.0 or 1.1
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
// Forward-secret AEAD suites only, strongest first; the client offers these and
// the server accepts only these.
#define MBEDTLS_SSL_CIPHERSUITES \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, \
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
#define MBEDTLS_SSL_SERVER_NAME_INDICATION  // SNI: the client names the host; the server can pick
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET  // RFC 7627: binds the session to the handshake
// Not defined: MBEDTLS_SSL_RENEGOTIATION (no renegotiation on either side; the
// secure-renegotiation extension is still sent, and a server's request to
// renegotiate is refused), MBEDTLS_SSL_SESSION_TICKETS and MBEDTLS_SSL_CACHE_C
// (one connection per program run: no resumption), MBEDTLS_SSL_ALPN (HTTP/1.1
// only), MBEDTLS_SSL_ENCRYPT_THEN_MAC (no CBC suites), DTLS, and
// MBEDTLS_SSL_KEEP_PEER_CERTIFICATE: the tls library looks at the peer's
// certificate in the verification callback, during the handshake, so the
// parsed chain need not be kept for the connection's life.

// Record buffers: a peer may send records of the full 16 KB, so the input
// buffer must take them (servers rarely honour max_fragment_length). The
// output buffer holds a whole handshake message (mbedTLS does not fragment
// outgoing TLS handshake messages): the server's certificate chain. 16 KB each,
// the defaults, written out so the budget above can be read here.
#define MBEDTLS_SSL_IN_CONTENT_LEN  16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 16384

// The error strings behind "handshake failed: <mbedTLS's message>".
#define MBEDTLS_ERROR_C

#include "mbedtls/check_config.h"

#endif // XV6NET_MBEDTLS_CONFIG_H
