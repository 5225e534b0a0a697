#!/usr/bin/env python3
"""Host tests of the tls library: build/host-tls/httpget (the guest's httpget and
tls library built for the host with the same mbedTLS configuration) against the
servers of tlsbed.py, every case: success with the right CA, chunked bodies,
and each failure a clear message and exit status 1, never a crash or a hang.
Also DNS-name checking (localhost), which the guest cannot reach by name.
Run by `make test-tls-host`; prints mbedTLS's peak heap for one handshake."""
import os, re, socket, ssl, subprocess, sys, tempfile
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tlsbed  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
HTTPGET = os.path.join(ROOT, "build", "host-tls", "httpget")
ECHO = os.path.join(ROOT, "build", "host-tls", "tls_echo_server")


def run(args, timeout=30):
    out = tempfile.NamedTemporaryFile(delete=False)
    out.close()
    try:
        r = subprocess.run([HTTPGET] + args.split() + ["-o", out.name], capture_output=True,
                           text=True, timeout=timeout)
        return r.returncode, r.stderr, open(out.name, "rb").read()
    finally:
        os.unlink(out.name)


def serve(port, cert, key):
    """tls_echo_server on port; waits until it listens."""
    p = subprocess.Popen([ECHO, str(port), cert, key], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if line.strip() != "listening":
        p.kill()
        raise RuntimeError("tls_echo_server did not start: %r" % line)
    return p


def test_server(bed):
    """tls_server(): a Python client verifying against the test CA (RSA and ECDSA
    certificates), a client that is not TLS, and files that do not load."""
    failed = 0
    checks = []
    for kind in ("good", "ec"):
        port = free_port()
        p = serve(port, bed.path(kind + ".pem"), bed.path(kind + ".key"))
        ctx = ssl.create_default_context(cafile=bed.path("ca.pem"))
        with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
            with ctx.wrap_socket(raw, server_hostname="tls.test") as s:
                s.sendall(b"hello %s" % kind.encode())
                got = s.recv(100)
                cipher = s.cipher()[0]
                s.unwrap()
        out = p.communicate(timeout=20)[0]
        checks.append(("tls_server (%s key, %s)" % (kind, cipher),
                       got == b"echo: hello " + kind.encode() and "closed cleanly" in out, "%r %r" % (got, out)))
    port = free_port()
    p = serve(port, bed.path("good.pem"), bed.path("good.key"))
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\n\r\n")
        try:
            raw.recv(100)
        except OSError:
            pass    # a reset: the server may close before reading all
    out = p.communicate(timeout=20)[0]
    checks.append(("tls_server with a plain HTTP client", 'tls_server: not TLS: the peer answered with "GET /' in out, out))
    for what, cert, key, want in (
            ("a missing key", "good.pem", "nonexistent.key", "cannot load key .*No such file"),
            ("a key that is a certificate", "good.pem", "ca.pem", "cannot load key"),
            ("a key of another certificate", "good.pem", "ec.key", "do not go together")):
        port = free_port()
        p = serve(port, bed.path(cert), bed.path(key))
        with socket.create_connection(("127.0.0.1", port), timeout=20):
            pass
        out = p.communicate(timeout=20)[0]
        checks.append(("tls_server with %s" % what, re.search(want, out), out))
    for name, ok, detail in checks:
        print(("ok   %s" % name) if ok else ("FAIL %s: %s" % (name, detail)))
        failed += not ok
    return failed


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    bed = tlsbed.Bed()
    failed = 0
    try:
        ca, other = bed.path("ca.pem"), bed.path("other.pem")
        extra = [
            ("DNS name (SNI) verified", "--cacert %s https://localhost:%d/f" % (ca, bed.ports["good"]),
             tlsbed.OK, 0, tlsbed.BODY),
            ("name mismatch (DNS)", "--cacert %s https://localhost:%d/f" % (ca, bed.ports["wrong"]),
             r"name mismatch: the certificate is for IP:192\.0\.2\.1, DNS:other\.test, not localhost", 1, None),
        ]
        for name, args, pattern, status, body in tlsbed.cases(bed, "127.0.0.1", ca, other) + extra:
            try:
                rc, err, got = run(args)
            except subprocess.TimeoutExpired:
                rc, err, got = "hang", "", b""
            problems = []
            if rc != status:
                problems.append("exit status %s, want %d" % (rc, status))
            if not re.search(pattern, err.strip()):
                problems.append("stderr %r does not match /%s/" % (err.strip(), pattern))
            if body is not None and got != body:
                problems.append("body: %d bytes, want %d intact" % (len(got), len(body)))
            if problems:
                failed += 1
                print("FAIL %s: httpget %s: %s" % (name, args, "; ".join(problems)))
            else:
                print("ok   %s: %s" % (name, err.strip().splitlines()[-1] if err.strip() else "body intact"))
        failed += test_server(bed)
        rc, err, _ = run("-v --cacert %s https://127.0.0.1:%d/f" % (ca, bed.ports["good"]))
        print("     " + " / ".join(err.strip().splitlines()))
    finally:
        bed.close()
    print("tls host tests: %s" % ("all passed" if not failed else "%d failed" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
