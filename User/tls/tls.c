// tls.c: TLS 1.2 client and server over a socket fd (tls.h), on mbedTLS 2.28.
//
// One struct tls per connection holds mbedTLS's contexts: its own entropy pool
// and CTR-DRBG (seeded from tls_entropy(): tls_entropy.c), the trusted CAs or
// the server's certificate and key, the configuration and the session. I/O is
// read/write on the fd, with poll() bounding every wait (TLS_TIMEOUT_MS).
//
// Verification (client): authmode REQUIRED, mbedTLS's default profile (no
// SHA-1, RSA >= 2048 bits), the CA chain, dates (MBEDTLS_HAVE_TIME_DATE), key
// usage; the host name by mbedTLS for DNS names (mbedtls_ssl_set_hostname,
// which also sends SNI), by verify() below for IP literals (tls_san.c).
// A failed handshake is explained from what verify() and the I/O callbacks saw.
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/error.h"
#include "mbedtls/platform.h"
#include "mbedtls/ssl.h"
#include "tls_internal.h"

struct tls {
  int fd;
  int server;
  int insecure;
  mbedtls_ssl_context ssl;
  mbedtls_ssl_config conf;
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_x509_crt ca;            // client: trusted CAs; server: own chain
  mbedtls_pk_context key;         // server: own key
  char host[256];
  unsigned char ip[16];           // host as an address, if it is a literal
  int iplen;
  // What the I/O callbacks saw, to explain a failure.
  unsigned char first[5];         // the peer's first bytes (a record header)
  int nfirst;
  int io_errno;                   // errno of a failed read or write
  int timed_out;
  int eof;                        // the peer closed the TCP connection
  int clean;                      // ... after its close_notify
  // What verify() saw, depth 0 (the server's certificate) and the failing one.
  char names[200];                // its subjectAltNames (or CN)
  char issuer[120];               // issuer of the certificate no CA vouched for
  int self_signed;
  int bad_signature;              // its issuer is known but did not sign it
  char notafter[24], notbefore[24];
  char verify_err[300];           // insecure: why it would have failed
};

static char errbuf[400];
static unsigned default_timeout = TLS_TIMEOUT_MS;

const char *
tls_error(void)
{
  return errbuf[0] ? errbuf : "no error";
}

void
tls_set_error(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(errbuf, sizeof errbuf, fmt, ap);
  va_end(ap);
}

// ---------------------------------------------------------------- heap accounting
// Each block carries its size in front, so free can count it.
static size_t heap_now, heap_peak;
#define HDR 16

static void *
count_calloc(size_t n, size_t size)
{
  unsigned char *p;

  if(size != 0 && n > (((size_t)-1) - HDR) / size)
    return NULL;
  if((p = calloc(1, n * size + HDR)) == NULL)
    return NULL;
  *(size_t *)p = n * size;
  heap_now += n * size;
  if(heap_now > heap_peak)
    heap_peak = heap_now;
  return p + HDR;
}

static void
count_free(void *v)
{
  unsigned char *p = v;

  if(p == NULL)
    return;
  p -= HDR;
  heap_now -= *(size_t *)p;
  free(p);
}

void
tls_heap(size_t *now, size_t *peak)
{
  *now = heap_now;
  *peak = heap_peak;
}

// ---------------------------------------------------------------- I/O callbacks
static int
io_send(void *ctx, const unsigned char *buf, size_t len)
{
  struct tls *t = ctx;
  ssize_t n;

  do
    n = write(t->fd, buf, len);
  while(n < 0 && errno == EINTR);
  if(n < 0){
    t->io_errno = errno;
    return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
  }
  return n;
}

static int
io_recv(void *ctx, unsigned char *buf, size_t len, uint32_t ms)
{
  struct tls *t = ctx;
  struct pollfd p = { .fd = t->fd, .events = POLLIN };
  ssize_t n, r;

  do
    r = poll(&p, 1, ms ? (int)ms : -1);
  while(r < 0 && errno == EINTR);
  if(r == 0){
    t->timed_out = 1;
    return MBEDTLS_ERR_SSL_TIMEOUT;
  }
  do
    n = read(t->fd, buf, len);
  while(n < 0 && errno == EINTR);
  if(n < 0){
    t->io_errno = errno;
    if(errno == ECONNRESET){
      t->eof = 1;
      return 0;                    // mbedTLS: MBEDTLS_ERR_SSL_CONN_EOF
    }
    return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
  }
  if(n == 0)
    t->eof = 1;
  for(r = 0; r < n && t->nfirst < (int)sizeof t->first; r++)
    t->first[t->nfirst++] = buf[r];
  return n;
}

// ---------------------------------------------------------------- verification
static void
fmt_time(char *buf, size_t n, const mbedtls_x509_time *tm)
{
  snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d UTC", tm->year, tm->mon, tm->day,
           tm->hour, tm->min, tm->sec);
}

static int
same_name(const mbedtls_x509_buf *a, const mbedtls_x509_buf *b)
{
  return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

// Called by mbedTLS for each certificate of the chain, from the top down to
// the server's (depth 0). Notes what an error message will need, and adds the
// IP-address check mbedTLS lacks.
static int
verify(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
  struct tls *t = ctx;
  const mbedtls_x509_crt *c;

  if(depth == 0){
    tls_san_describe(&crt->subject_alt_names, t->names, sizeof t->names);
    if(t->names[0] == 0 && mbedtls_x509_dn_gets(t->names, sizeof t->names, &crt->subject) < 0)
      t->names[0] = 0;
    if(t->iplen && !tls_san_has_ip(&crt->subject_alt_names, t->ip, t->iplen))
      *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
  }
  if(*flags & MBEDTLS_X509_BADCERT_EXPIRED)
    fmt_time(t->notafter, sizeof t->notafter, &crt->valid_to);
  if(*flags & MBEDTLS_X509_BADCERT_FUTURE)
    fmt_time(t->notbefore, sizeof t->notbefore, &crt->valid_from);
  if((*flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) && t->issuer[0] == 0){
    if(mbedtls_x509_dn_gets(t->issuer, sizeof t->issuer, &crt->issuer) < 0)
      t->issuer[0] = 0;
    t->self_signed = same_name(&crt->issuer_raw, &crt->subject_raw);
    // A certificate whose issuer is a trusted CA (or came in the chain) and is
    // still not trusted was not signed by that issuer's key.
    for(c = &t->ca; c != NULL && c->raw.p != NULL && !t->self_signed; c = c->next)
      if(same_name(&c->subject_raw, &crt->issuer_raw))
        t->bad_signature = 1;
    for(c = crt->next; c != NULL && !t->self_signed; c = c->next)
      if(same_name(&c->subject_raw, &crt->issuer_raw))
        t->bad_signature = 1;
  }
  return 0;
}

// The reason a certificate with verification flags f is refused.
static void
explain_flags(struct tls *t, uint32_t f, char *buf, size_t n)
{
  char also[120] = "";

  if(f & MBEDTLS_X509_BADCERT_NOT_TRUSTED){
    if(t->bad_signature)
      snprintf(buf, n, "bad signature: the certificate is not signed by its issuer %s", t->issuer);
    else if(t->self_signed)
      snprintf(buf, n, "unknown issuer: self-signed certificate (%s)", t->issuer);
    else
      snprintf(buf, n, "unknown issuer: no trusted CA for %s", t->issuer);
    f &= ~MBEDTLS_X509_BADCERT_NOT_TRUSTED;
  } else if(f & MBEDTLS_X509_BADCERT_EXPIRED){
    snprintf(buf, n, "certificate expired (not after %s)", t->notafter);
    f &= ~MBEDTLS_X509_BADCERT_EXPIRED;
  } else if(f & MBEDTLS_X509_BADCERT_FUTURE){
    snprintf(buf, n, "certificate not yet valid (not before %s)", t->notbefore);
    f &= ~MBEDTLS_X509_BADCERT_FUTURE;
  } else if(f & MBEDTLS_X509_BADCERT_CN_MISMATCH){
    snprintf(buf, n, "name mismatch: the certificate is for %s, not %s",
             t->names[0] ? t->names : "no name", t->host);
    f &= ~MBEDTLS_X509_BADCERT_CN_MISMATCH;
  } else if(f & (MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK |
                 MBEDTLS_X509_BADCERT_BAD_KEY)){
    snprintf(buf, n, "bad signature: the chain uses a weak or unsupported algorithm or key");
    f &= ~(MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY);
  } else if(f & (MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE)){
    snprintf(buf, n, "certificate not for a TLS server (key usage)");
    f &= ~(MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE);
  } else {
    if(mbedtls_x509_crt_verify_info(buf, n, "", f) < 0)
      snprintf(buf, n, "certificate refused (flags 0x%x)", (unsigned)f);
    f = 0;
  }
  if(f & MBEDTLS_X509_BADCERT_CN_MISMATCH)
    snprintf(also, sizeof also, "; also a name mismatch (%s)", t->names);
  else if(f & MBEDTLS_X509_BADCERT_EXPIRED)
    snprintf(also, sizeof also, "; also expired");
  if(also[0] && strlen(buf) + strlen(also) < n)
    strcat(buf, also);
}

// The alerts a server sends when it refuses us (RFC 5246 7.2).
static const char *
alert_name(int a)
{
  switch(a){
  case 40: return "handshake_failure";
  case 42: return "bad_certificate";
  case 47: return "illegal_parameter";
  case 48: return "unknown_ca";
  case 50: return "decode_error";
  case 70: return "protocol_version";
  case 71: return "insufficient_security";
  case 80: return "internal_error";
  case 112: return "unrecognized_name";
  }
  return "alert";
}

// Sets tls_error() to why the handshake failed with mbedTLS's code ret.
static void
explain(struct tls *t, int ret)
{
  char msg[300];
  int i;

  if(ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED){
    explain_flags(t, mbedtls_ssl_get_verify_result(&t->ssl), msg, sizeof msg);
    tls_set_error("%s", msg);
  } else if(t->nfirst > 0 && (t->first[0] < 20 || t->first[0] > 24 ||
                              (t->nfirst > 1 && t->first[1] != 3))){
    // Not a TLS record header (content type 20-24, version 3.x): show the bytes.
    for(i = 0; i < t->nfirst; i++)
      msg[i] = (t->first[i] >= 32 && t->first[i] < 127) ? t->first[i] : '.';
    msg[i] = 0;
    tls_set_error("not TLS: the peer answered with \"%s...\" (plain HTTP or another protocol?)", msg);
  } else if(t->timed_out){
    tls_set_error("timed out: no answer from the peer within %u s",
                  (unsigned)(t->conf.read_timeout / 1000));
  } else if(t->eof || ret == MBEDTLS_ERR_SSL_CONN_EOF){
    tls_set_error("peer closed the connection %s",
                  t->nfirst ? "in the middle of the handshake" : "before the handshake began");
  } else if(t->io_errno){
    tls_set_error("handshake failed: %s", strerror(t->io_errno));
  } else if(ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE){
    tls_set_error("handshake failed: the peer refused it with alert %d (%s)",
                  t->ssl.in_msg[1], alert_name(t->ssl.in_msg[1]));
  } else if(ret == MBEDTLS_ERR_RSA_VERIFY_FAILED || ret == MBEDTLS_ERR_ECP_VERIFY_FAILED ||
            ret == MBEDTLS_ERR_PK_SIG_LEN_MISMATCH){
    tls_set_error("bad signature: the server's key exchange is not signed by its certificate's key");
  } else if(ret == MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED ||
            ret == MBEDTLS_ERR_ENTROPY_SOURCE_FAILED){
    // tls_entropy() already said why
  } else {
    mbedtls_strerror(ret, msg, sizeof msg);
    tls_set_error("handshake failed: %s (-0x%04x)", msg, (unsigned)-ret);
  }
}

// ---------------------------------------------------------------- setup
static struct tls *
tls_new(int fd, int endpoint)
{
  static int counting;
  static const char pers[] = "xv6-net tls";
  struct tls *t;
  int ret;

  if(!counting){
    mbedtls_platform_set_calloc_free(count_calloc, count_free);
    counting = 1;
  }
  if((t = calloc(1, sizeof *t)) == NULL){
    tls_set_error("out of memory");
    return NULL;
  }
  t->fd = fd;
  t->server = endpoint == MBEDTLS_SSL_IS_SERVER;
  mbedtls_ssl_init(&t->ssl);
  mbedtls_ssl_config_init(&t->conf);
  mbedtls_entropy_init(&t->entropy);
  mbedtls_ctr_drbg_init(&t->drbg);
  mbedtls_x509_crt_init(&t->ca);
  mbedtls_pk_init(&t->key);
  errbuf[0] = 0;
  ret = mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->entropy,
                              (const unsigned char *)pers, sizeof pers - 1);
  if(ret != 0){
    if(errbuf[0] == 0)
      tls_set_error("no entropy: the random generator could not be seeded (-0x%04x)",
                    (unsigned)-ret);
    tls_close(t);
    return NULL;
  }
  if(mbedtls_ssl_config_defaults(&t->conf, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM,
                                 MBEDTLS_SSL_PRESET_DEFAULT) != 0){
    tls_set_error("handshake failed: no TLS configuration");
    tls_close(t);
    return NULL;
  }
  mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &t->drbg);
  mbedtls_ssl_conf_read_timeout(&t->conf, default_timeout);
  return t;
}

// Runs the handshake; on failure explains it, frees t and returns NULL.
static struct tls *
handshake(struct tls *t)
{
  int ret;

  if((ret = mbedtls_ssl_setup(&t->ssl, &t->conf)) != 0)
    goto fail;
  if(!t->server && t->iplen == 0 && (ret = mbedtls_ssl_set_hostname(&t->ssl, t->host)) != 0)
    goto fail;
  mbedtls_ssl_set_bio(&t->ssl, t, io_send, NULL, io_recv);
  do
    ret = mbedtls_ssl_handshake(&t->ssl);
  while(ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE);
  if(ret == 0){
    if(t->insecure && mbedtls_ssl_get_verify_result(&t->ssl) != 0)
      explain_flags(t, mbedtls_ssl_get_verify_result(&t->ssl), t->verify_err,
                    sizeof t->verify_err);
    return t;
  }
fail:
  explain(t, ret);
  tls_close(t);
  return NULL;
}

struct tls *
tls_client(int fd, const char *host, const char *cafile, int flags)
{
  struct tls *t;
  int ret;

  if(host == NULL || host[0] == 0 || strlen(host) >= sizeof t->host){
    tls_set_error("handshake failed: no host name to check the certificate against");
    return NULL;
  }
  if((t = tls_new(fd, MBEDTLS_SSL_IS_CLIENT)) == NULL)
    return NULL;
  strcpy(t->host, host);
  t->iplen = tls_parse_ip(host, t->ip);
  t->insecure = (flags & TLS_INSECURE) != 0;
  if(cafile == NULL)
    cafile = TLS_CA_BUNDLE;
  ret = mbedtls_x509_crt_parse_file(&t->ca, cafile);
  if(ret < 0 || t->ca.raw.p == NULL){
    if(access(cafile, R_OK) != 0)
      tls_set_error("cannot read CA file %s: %s", cafile, strerror(errno));
    else
      tls_set_error("no usable CA certificate in %s", cafile);
    if(!t->insecure){
      tls_close(t);
      return NULL;
    }
    // insecure and no CAs: nothing to verify against
    snprintf(t->verify_err, sizeof t->verify_err, "%s", errbuf);
    mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_NONE);
    return handshake(t);
  }
  // Some certificates of a bundle may not parse (an algorithm left out of the
  // configuration): ret > 0 counts them; the others are used.
  mbedtls_ssl_conf_ca_chain(&t->conf, &t->ca, NULL);
  mbedtls_ssl_conf_authmode(&t->conf, t->insecure ? MBEDTLS_SSL_VERIFY_OPTIONAL
                                                  : MBEDTLS_SSL_VERIFY_REQUIRED);
  mbedtls_ssl_conf_verify(&t->conf, verify, t);
  return handshake(t);
}

// The certificate chain and key of a server, checked to go together. 0, or -1
// with the error set.
static int
load_server_files(struct tls *t, const char *certfile, const char *keyfile)
{
  char msg[120];
  int ret;

  if((ret = mbedtls_x509_crt_parse_file(&t->ca, certfile)) != 0){
    mbedtls_strerror(ret, msg, sizeof msg);
    tls_set_error("cannot load certificate %s: %s", certfile,
                  access(certfile, R_OK) ? strerror(errno) : msg);
    return -1;
  }
  if((ret = mbedtls_pk_parse_keyfile(&t->key, keyfile, NULL)) != 0){
    mbedtls_strerror(ret, msg, sizeof msg);
    tls_set_error("cannot load key %s: %s", keyfile,
                  access(keyfile, R_OK) ? strerror(errno) : msg);
    return -1;
  }
  // mbedTLS would only find out in the middle of a handshake.
  if(mbedtls_pk_check_pair(&t->ca.pk, &t->key) != 0 ||
     (ret = mbedtls_ssl_conf_own_cert(&t->conf, &t->ca, &t->key)) != 0){
    tls_set_error("certificate %s and key %s do not go together", certfile, keyfile);
    return -1;
  }
  return 0;
}

struct tls *
tls_server(int fd, const char *certfile, const char *keyfile)
{
  struct tls *t;

  if((t = tls_new(fd, MBEDTLS_SSL_IS_SERVER)) == NULL)
    return NULL;
  if(load_server_files(t, certfile, keyfile) < 0){
    tls_close(t);
    return NULL;
  }
  mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_NONE);
  return handshake(t);
}

int
tls_server_check(const char *certfile, const char *keyfile)
{
  struct tls *t;
  int r;

  // a server connection that never handshakes: the same loading and checks
  if((t = tls_new(-1, MBEDTLS_SSL_IS_SERVER)) == NULL)
    return -1;
  r = load_server_files(t, certfile, keyfile);
  tls_close(t);
  return r;
}

// ---------------------------------------------------------------- data
ssize_t
tls_read(struct tls *t, void *buf, size_t n)
{
  char msg[120];
  int ret;

  do
    ret = mbedtls_ssl_read(&t->ssl, buf, n);
  while(ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE);
  if(ret >= 0){
    if(ret == 0)
      t->eof = 1;
    return ret;
  }
  if(ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY){
    t->clean = 1;
    return 0;
  }
  if(ret == MBEDTLS_ERR_SSL_CONN_EOF || t->eof)
    return 0;
  if(t->timed_out)
    tls_set_error("timed out: nothing from the peer within %u s",
                  (unsigned)(t->conf.read_timeout / 1000));
  else if(t->io_errno)
    tls_set_error("read: %s", strerror(t->io_errno));
  else {
    mbedtls_strerror(ret, msg, sizeof msg);
    tls_set_error("read: %s", msg);
  }
  return -1;
}

ssize_t
tls_write(struct tls *t, const void *buf, size_t n)
{
  const unsigned char *p = buf;
  char msg[120];
  size_t done = 0;
  int ret;

  while(done < n){
    ret = mbedtls_ssl_write(&t->ssl, p + done, n - done);
    if(ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
      continue;
    if(ret < 0){
      if(t->io_errno == EPIPE || t->io_errno == ECONNRESET)
        tls_set_error("peer closed the connection");
      else if(t->io_errno)
        tls_set_error("write: %s", strerror(t->io_errno));
      else {
        mbedtls_strerror(ret, msg, sizeof msg);
        tls_set_error("write: %s", msg);
      }
      return -1;
    }
    done += ret;
  }
  return n;
}

void
tls_close(struct tls *t)
{
  if(t == NULL)
    return;
  if(t->ssl.state == MBEDTLS_SSL_HANDSHAKE_OVER && !t->eof && t->io_errno == 0)
    mbedtls_ssl_close_notify(&t->ssl);
  mbedtls_ssl_free(&t->ssl);
  mbedtls_ssl_config_free(&t->conf);
  mbedtls_x509_crt_free(&t->ca);
  mbedtls_pk_free(&t->key);
  mbedtls_ctr_drbg_free(&t->drbg);
  mbedtls_entropy_free(&t->entropy);
  free(t);
}

// ---------------------------------------------------------------- queries
const char *
tls_verify_error(struct tls *t)
{
  return t->verify_err[0] ? t->verify_err : NULL;
}

int
tls_closed_cleanly(struct tls *t)
{
  return t->clean;
}

const char *
tls_describe(struct tls *t, char *buf, size_t n)
{
  snprintf(buf, n, "%s %s", mbedtls_ssl_get_version(&t->ssl), mbedtls_ssl_get_ciphersuite(&t->ssl));
  return buf;
}

void
tls_set_timeout(struct tls *t, unsigned ms)
{
  if(t == NULL)
    default_timeout = ms;
  else
    mbedtls_ssl_conf_read_timeout(&t->conf, ms);
}
