#!/usr/bin/env python3
"""Host tests of the tls library: build/host-tls/tlsget (the guest's tlsget and
tls library built for the host with the same mbedTLS configuration) against the
servers of tlsbed.py, every case: success with the right CA, chunked bodies,
and each failure a clear message and exit status 1, never a crash or a hang.
Also DNS-name checking (localhost), which the guest cannot reach by name.
Run by `make test-tls-host`; prints mbedTLS's peak heap for one handshake."""
import os, re, subprocess, sys, tempfile
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tlsbed  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TLSGET = os.path.join(ROOT, "build", "host-tls", "tlsget")


def run(args, timeout=30):
    out = tempfile.NamedTemporaryFile(delete=False)
    out.close()
    try:
        r = subprocess.run([TLSGET] + args.split() + ["-o", out.name], capture_output=True,
                           text=True, timeout=timeout)
        return r.returncode, r.stderr, open(out.name, "rb").read()
    finally:
        os.unlink(out.name)


def main():
    bed = tlsbed.Bed()
    failed = 0
    try:
        ca, other = bed.path("ca.pem"), bed.path("other.pem")
        extra = [
            ("DNS name (SNI) verified", "--cacert %s https://localhost:%d/f" % (ca, bed.ports["good"]),
             r"^$", 0, tlsbed.BODY),
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
                print("FAIL %s: tlsget %s: %s" % (name, args, "; ".join(problems)))
            else:
                print("ok   %s: %s" % (name, err.strip().splitlines()[-1] if err.strip() else "body intact"))
        rc, err, _ = run("-v --cacert %s https://127.0.0.1:%d/f" % (ca, bed.ports["good"]))
        print("     " + " / ".join(err.strip().splitlines()))
    finally:
        bed.close()
    print("tls host tests: %s" % ("all passed" if not failed else "%d failed" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
