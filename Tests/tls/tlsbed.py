"""A TLS test bed on the host, shared by the host tests of the tls library
(Tests/tls/test_tls_host.py, which run build/host-tls/httpget) and the guest's
(Tests/integration/test_tls.py, which run httpget in QEMU against 10.0.2.2).

Certificates are made at run time with `openssl` in a temporary folder: a test
CA, a server certificate it signs (SAN IP:10.0.2.2, IP:127.0.0.1, DNS:localhost,
DNS:tls.test), one for other names, an expired one, one not yet valid, a
self-signed one, one whose issuer has the CA's name but not its key (a bad
signature), and an unrelated CA. Servers, each on a free port of 127.0.0.1:
one per certificate speaking HTTPS (Content-Length, or chunked for /chunked),
and the misbehaving ones: TLS 1.3 only, a truncated handshake, garbage, a hang-up, silence."""
import os, shutil, socket, ssl, subprocess, tempfile, threading

BODY = bytes((i * 7 + (i >> 8)) & 0xff for i in range(65536))
CHUNKED = b"".join(b"%x\r\n%s\r\n" % (n, BODY[:n]) for n in (1, 4000, 300, 12345)) + b"0\r\n\r\n"
CHUNKED_BODY = b"".join(BODY[:n] for n in (1, 4000, 300, 12345))


def _run(cmd, cwd):
    r = subprocess.run(cmd, shell=True, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("`%s` failed: %s" % (cmd, r.stderr.strip()[-500:]))


CA_CNF = """[ca]
default_ca = c
[c]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = supplied
"""
LEAF_EXT = "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n" \
           "extendedKeyUsage=serverAuth\nsubjectAltName=%s\n"
GOOD_SAN = "IP:10.0.2.2,IP:127.0.0.1,DNS:localhost,DNS:tls.test"


def make_certs(d):
    """Every certificate the cases need, in folder d."""
    r = lambda c: _run(c, d)
    open(os.path.join(d, "ca.cnf"), "w").write(CA_CNF)
    open(os.path.join(d, "index.txt"), "w").write("")
    open(os.path.join(d, "serial"), "w").write("1000\n")
    open(os.path.join(d, "good.ext"), "w").write(LEAF_EXT % GOOD_SAN)
    open(os.path.join(d, "wrong.ext"), "w").write(LEAF_EXT % "IP:192.0.2.1,DNS:other.test")
    r("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj /CN=tls-test-ca")
    r("openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 30 -subj /CN=other-ca")
    # same name as the test CA, another key: what it signs has a bad signature
    r("openssl req -x509 -newkey rsa:2048 -nodes -keyout fake.key -out fake.pem -days 30 -subj /CN=tls-test-ca")
    for name in ("good", "wrong", "expired", "future", "badsig"):
        r("openssl req -newkey rsa:2048 -nodes -keyout %s.key -out %s.csr -subj /CN=%s" % (name, name, name))
    sign = "openssl ca -batch -notext -config ca.cnf -in %s.csr -out %s.pem -extfile %s.ext %s"
    r(sign % ("good", "good", "good", "-cert ca.pem -keyfile ca.key -days 30"))
    r(sign % ("wrong", "wrong", "wrong", "-cert ca.pem -keyfile ca.key -days 30"))
    r(sign % ("expired", "expired", "good", "-cert ca.pem -keyfile ca.key "
              "-startdate 20200101000000Z -enddate 20200201000000Z"))
    r(sign % ("future", "future", "good", "-cert ca.pem -keyfile ca.key "
              "-startdate 20990101000000Z -enddate 20990201000000Z"))
    r(sign % ("badsig", "badsig", "good", "-cert fake.pem -keyfile fake.key -days 30"))
    r("openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 30 "
      "-subj /CN=10.0.2.2 -addext subjectAltName=%s" % GOOD_SAN)
    # an ECDSA server certificate (P-256) from the same CA: the ECDHE-ECDSA suites
    r("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.csr -subj /CN=ec")
    r(sign % ("ec", "ec", "good", "-cert ca.pem -keyfile ca.key -days 30"))


class Bed:
    """The certificates and every server; close() stops them and removes the files."""

    def __init__(self):
        if not shutil.which("openssl"):
            raise RuntimeError("openssl is not installed on the host")
        self.dir = tempfile.mkdtemp(prefix="tlsbed-")
        make_certs(self.dir)
        self.socks = []
        self.ports = {}
        self.accepted = {}
        for name in ("good", "wrong", "expired", "future", "self", "badsig", "ec"):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(self.path(name + ".pem"), self.path(name + ".key"))
            self._serve(name, lambda c, ctx=ctx: self._https(ctx, c))
        # a server that speaks only TLS 1.3: it refuses our TLS 1.2 with an alert
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_cert_chain(self.path("good.pem"), self.path("good.key"))
        self._serve("tls13", lambda c, ctx=ctx: self._https(ctx, c))
        self._serve("truncated", self._truncated)
        self._serve("garbage", self._garbage)
        self._serve("hangup", lambda c: c.close())
        self._serve("silent", self._silent)

    def path(self, name):
        return os.path.join(self.dir, name)

    def _serve(self, name, handler):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        self.socks.append(s)
        self.ports[name] = s.getsockname()[1]
        self.accepted[name] = 0

        def loop():
            while True:
                try:
                    c, _ = s.accept()
                except OSError:
                    return
                self.accepted[name] += 1
                c.settimeout(20)
                threading.Thread(target=self._guard, args=(handler, c), daemon=True).start()
        threading.Thread(target=loop, daemon=True).start()

    @staticmethod
    def _guard(handler, c):
        try:
            handler(c)
        except Exception:
            pass
        finally:
            c.close()

    @staticmethod
    def _https(ctx, c):
        s = ctx.wrap_socket(c, server_side=True)
        req = b""
        while b"\r\n\r\n" not in req:
            more = s.recv(4096)
            if not more:
                return
            req += more
        if req.startswith(b"GET /chunked "):
            s.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + CHUNKED)
        elif req.startswith(b"GET /missing "):
            s.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        else:
            s.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(BODY) + BODY)
        s.close()

    def _truncated(self, c):
        """A real server's first flight (ServerHello, Certificate, ...), cut in half."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(self.path("good.pem"), self.path("good.key"))
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = ctx.wrap_bio(inc, out, server_side=True)
        inc.write(c.recv(4096))
        try:
            obj.do_handshake()
        except ssl.SSLWantReadError:
            pass
        flight = out.read()
        c.sendall(flight[:len(flight) // 2])

    @staticmethod
    def _garbage(c):
        c.recv(4096)
        c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    @staticmethod
    def _silent(c):
        c.recv(4096)
        c.recv(4096)     # until the client gives up (or 20 s)

    def close(self):
        for s in self.socks:
            s.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# what httpget prints on standard error after a download, and nothing before it
OK = r"^httpget: \d+ bytes to \S+ in [\d.]+ s"


def cases(bed, host, ca, other_ca):
    """(name, httpget arguments, regex its output must match, exit status, expected
    body or None). host: the address the servers are reached at; ca, other_ca:
    paths of ca.pem and other.pem where httpget reads them."""
    u = lambda name, path="/f": "https://%s:%d%s" % (host, bed.ports[name], path)
    return [
        ("verified fetch (RSA chain, IP SAN)", "--cacert %s %s" % (ca, u("good")), OK, 0, BODY),
        ("verified fetch (ECDSA P-256)", "--cacert %s %s" % (ca, u("ec")), OK, 0, BODY),
        ("chunked body", "--cacert %s %s" % (ca, u("good", "/chunked")), OK, 0, CHUNKED_BODY),
        ("HTTP error status", "--cacert %s %s" % (ca, u("good", "/missing")), r"server answered 404 Not Found", 1, None),
        ("unknown CA", "--cacert %s %s" % (other_ca, u("good")), r"unknown issuer: no trusted CA", 1, None),
        ("name mismatch (IP)", "--cacert %s %s" % (ca, u("wrong")),
         r"name mismatch: the certificate is for IP:192\.0\.2\.1, DNS:other\.test, not %s" % host, 1, None),
        ("expired", "--cacert %s %s" % (ca, u("expired")), r"certificate expired \(not after 2020-02-01", 1, None),
        ("not yet valid", "--cacert %s %s" % (ca, u("future")), r"certificate not yet valid \(not before 2099-01-01", 1, None),
        ("self-signed", "--cacert %s %s" % (ca, u("self")), r"unknown issuer: self-signed certificate", 1, None),
        ("bad signature", "--cacert %s %s" % (ca, u("badsig")), r"bad signature", 1, None),
        ("refused by the server (TLS 1.3 only)", "--cacert %s %s" % (ca, u("tls13")),
         r"handshake failed: the peer refused it with alert 70 \(protocol_version\)", 1, None),
        ("truncated handshake", "--cacert %s %s" % (ca, u("truncated")),
         r"peer closed the connection in the middle of the handshake", 1, None),
        ("garbage", "--cacert %s %s" % (ca, u("garbage")), r'not TLS: the peer answered with "HTTP/', 1, None),
        ("hang-up", "--cacert %s %s" % (ca, u("hangup")), r"peer closed the connection before the handshake began", 1, None),
        ("silence", "-t 3 --cacert %s %s" % (ca, u("silent")), r"timed out: no answer from the peer within 3 s", 1, None),
        ("-k with an untrusted certificate", "-k --cacert %s %s" % (other_ca, u("good")),
         r"warning: -k: using a certificate that fails verification \(unknown issuer", 0, BODY),
        ("-k with a good certificate", "-k --cacert %s %s" % (ca, u("good")),
         r"warning: -k: certificate verification is not enforced", 0, BODY),
        ("missing CA file", "--cacert /nonexistent.pem %s" % u("good"), r"cannot read CA file /nonexistent\.pem", 1, None),
        ("not a CA file", "--cacert %s %s" % (bed.path("good.key") if host == "127.0.0.1" else "/README.md", u("good")),
         r"no usable CA certificate in", 1, None),
        ("bad URL (scheme)", "ftp://%s/" % host, r"only http:// and https:// URLs are supported", 2, None),
        ("bad URL (unclosed IPv6 bracket)", "https://[::1/f", r"bad IPv6 address in the URL", 2, None),
        ("bad URL (port)", "https://%s:99999/f" % host, r"bad port", 2, None),
    ]
