"""TLS in the guest (issue 16): httpget over https://, the tls library and mbedTLS cross-built
for the guest, against the host TLS bed of Tests/tls/tlsbed.py reached at
10.0.2.2 (QEMU's user network): a test CA made by openssl at run time and put
into the guest's image (/tls/ca.pem, /tls/other.pem); success with the right
CA (the file compared byte for byte after the guest ends), then an unknown CA,
a wrong name, an expired certificate, one not yet valid, a self-signed one, a
bad signature, a truncated handshake, garbage, a hang-up and silence: each a
clear message and exit status 1, never a crash or a hang. The guest's system
bundle (/etc/ssl/certs/ca-bundle.crt) is loaded too: it must parse and must not
trust the test CA.

The guest boots with virtio-rng (make qemu's default): the handshakes draw
from getrandom(2)."""
import hashlib, os, re, socket, subprocess, sys, tempfile, time
from guest import booted, expect_in, free_port, sh, ROOT, TestFailure
from test_apps import wait_lease
import fsimage

sys.path.insert(0, os.path.join(ROOT, "Tests", "tls"))
import tlsbed  # noqa: E402


def _image(bed):
    """build/fs.img's contents plus the test CA files under /tls."""
    base = os.path.join("build", "test-disks", "tls-base.img")
    os.makedirs(os.path.join(ROOT, "build", "test-disks"), exist_ok=True)
    fsargs = sh("make -s --no-print-directory -C %s fs-args" % ROOT).split()
    sh("cd %s && build/mkfs %s %s tls/ca.pem=%s tls/other.pem=%s" % (
        ROOT, base, " ".join(fsargs), bed.path("ca.pem"), bed.path("other.pem")))
    return base


def test_tls_client():
    bed = tlsbed.Bed()
    base = _image(bed)
    bodies = {}
    results = []
    try:
        with booted("tls", cpus=1, base=base) as g:
            wait_lease(g)
            out = g.run("exitcode httpget --cacert /tls/ca.pem https://10.0.2.2:%d/f -o /probe"
                        % bed.ports["good"], timeout=120)
            if "exitcode: 0" not in out:
                raise TestFailure("the first verified fetch failed: %r" % out.strip()[-300:])
            for i, (name, args, pattern, status, body) in enumerate(
                    tlsbed.cases(bed, "10.0.2.2", "/tls/ca.pem", "/tls/other.pem")):
                outfile = "/o%d" % i
                out = g.run("exitcode httpget %s -o %s" % (args, outfile), timeout=120)
                err = "\n".join(l for l in out.strip().splitlines() if not l.startswith("exitcode:"))
                m = re.search(r"exitcode: (\d+)", out)
                problems = []
                if not m or int(m.group(1)) != status:
                    problems.append("exit %s, want %d" % (m.group(1) if m else "?", status))
                if not re.search(pattern, err.strip()):
                    problems.append("output %r does not match /%s/" % (err.strip()[-300:], pattern))
                if body is not None:
                    bodies[outfile] = (name, body)
                if problems:
                    raise TestFailure("%s: httpget %s: %s" % (name, args, "; ".join(problems)))
                results.append(name)
            # the image's system bundle: parses, and does not trust the test CA
            out = g.run("exitcode httpget https://10.0.2.2:%d/f -o /sys" % bed.ports["good"], timeout=180)
            if not re.search(r"unknown issuer: no trusted CA for CN=tls-test-ca", out) or "exitcode: 1" not in out:
                raise TestFailure("with the system bundle: %r" % out.strip()[-300:])
            out = g.run("httpget -v --cacert /tls/ca.pem https://10.0.2.2:%d/f -o /v" % bed.ports["good"], timeout=120)
            heap = re.search(r"mbedTLS peak heap (\d+) bytes", out)
            # the memory budget with the whole system bundle loaded (-k: it does not trust the test CA)
            out = g.run("httpget -k -v https://10.0.2.2:%d/f -o /v" % bed.ports["good"], timeout=180)
            bundle = re.search(r"heap after the handshake (\d+) bytes, peak (\d+)", out)
            g.c.sendline("poweroff")
            g.c.expect(pexpect_eof(), timeout=30)
            dump = tempfile.mkdtemp(prefix="tls-dump-")
            rc, lines = fsimage.run_fsck(os.path.join(ROOT, g.disk), "--dump", dump)
            for outfile, (name, body) in bodies.items():
                got = open(os.path.join(dump, outfile.lstrip("/")), "rb").read()
                if got != body:
                    raise TestFailure("%s: %s has %d bytes, want the %d sent" % (name, outfile, len(got), len(body)))
            sh("rm -rf %s" % dump)
    finally:
        bed.close()
        if os.path.exists(os.path.join(ROOT, base)):
            os.unlink(os.path.join(ROOT, base))
    return "%d cases; mbedTLS peak heap %s bytes (one CA), %s held / %s peak with the system bundle" % (
        len(results), heap.group(1) if heap else "?", bundle.group(1) if bundle else "?",
        bundle.group(2) if bundle else "?")


def pexpect_eof():
    import pexpect
    return pexpect.EOF


def _serving_image(bed):
    """build/fs.img plus the test CA, the server certificate (SAN IP:127.0.0.1,
    DNS:localhost, IP:10.0.2.2, DNS:tls.test) and its key under /tls."""
    base = os.path.join("build", "test-disks", "tls-httpd-base.img")
    os.makedirs(os.path.join(ROOT, "build", "test-disks"), exist_ok=True)
    fsargs = sh("make -s --no-print-directory -C %s fs-args" % ROOT).split()
    sh("cd %s && build/mkfs %s %s tls/ca.pem=%s tls/srv.pem=%s tls/srv.key=%s tls/other.pem=%s" % (
        ROOT, base, " ".join(fsargs), bed.path("ca.pem"), bed.path("good.pem"),
        bed.path("good.key"), bed.path("other.pem")))
    return base


def _curl(args, timeout=120):
    r = subprocess.run(["curl", "-sS", "-m", str(timeout)] + args, capture_output=True, timeout=timeout + 10)
    return r.returncode, r.stdout, r.stderr.decode(errors="replace")


def test_httpd_https():
    """httpd -s CERT KEY in the guest, reached through make qemu's forward of port
    443 (FWDPORT_TLS): curl --cacert fetches /big.bin (1 MiB) intact and reuses
    the connection (keep-alive); a plain HTTP client on 443 gets a 400 saying the
    port speaks HTTPS; a TLS client on 80 fails its handshake at once; a truncated
    ClientHello and a client that hangs up are logged; httpd serves on after all
    of them. In the guest, httpget https:// to its own server: verified over
    127.0.0.1, a name mismatch at the guest's own 10.0.2.15. httpd -s refuses files that cannot work."""
    bed = tlsbed.Bed()
    base = _serving_image(bed)
    tlsport = free_port()
    big = open(os.path.join(ROOT, "build", "www", "big.bin"), "rb").read()
    ca = bed.path("ca.pem")
    try:
        with booted("tls-httpd", cpus=2, base=base, make_args="FWDPORT_TLS=%d" % tlsport) as g:
            wait_lease(g)
            if "port 443 from %d" % tlsport not in g.console():
                raise TestFailure("make qemu's banner does not name the 443 forward: %r" % g.console()[:400])
            # start-up checks
            out = g.run("httpd -s /tls/srv.pem /nonexistent.key -p 81 -S 444", timeout=60)
            expect_in(r"httpd: -s: cannot load key /nonexistent\.key", out, "httpd -s with a missing key")
            out = g.run("httpd -s /tls/other.pem /tls/srv.key -p 81 -S 444", timeout=60)
            expect_in(r"httpd: -s: certificate /tls/other\.pem and key /tls/srv\.key do not go together",
                      out, "httpd -s with a key of another certificate")
            out = g.run("httpd -s /tls/srv.pem", timeout=20)
            expect_in(r"usage: httpd", out, "httpd -s without a key")
            g.stop_boot_httpd()
            g.c.sendline("httpd -s /tls/srv.pem /tls/srv.key &")
            if not g.wait_for(r"serving /www on port 80 and HTTPS on port 443", timeout=30):
                raise TestFailure("httpd -s did not start: %r" % g.console()[-400:])
            time.sleep(1)
            url = "https://localhost:%d" % tlsport
            got = tempfile.NamedTemporaryFile(delete=False).name
            for attempt in range(30):     # the forward answers before httpd listens
                rc, _, err = _curl(["--cacert", ca, "-o", "/dev/null", url + "/"], timeout=60)
                if rc == 0:
                    break
                time.sleep(1)
            else:
                raise TestFailure("curl --cacert %s/: %s" % (url, err.strip()))
            # two requests, one connection: keep-alive over TLS
            rc, out, err = _curl(["--cacert", ca, "-w", "%{num_connects}\\n", "-o", "/dev/null",
                                  url + "/index.html", "-o", got, url + "/big.bin"], timeout=180)
            if rc != 0:
                raise TestFailure("curl --cacert of /big.bin: exit %d: %s" % (rc, err.strip()))
            data = open(got, "rb").read()
            os.unlink(got)
            if hashlib.sha256(data).hexdigest() != hashlib.sha256(big).hexdigest():
                raise TestFailure("/big.bin over HTTPS: %d bytes, sha256 differs from the %d served" % (len(data), len(big)))
            if out.decode().split() != ["1", "0"]:
                raise TestFailure("the second request did not reuse the connection (num_connects %r)" % out)
            # plain HTTP to the HTTPS port
            rc, out, err = _curl(["-i", "http://localhost:%d/" % tlsport], timeout=30)
            if not (out.startswith(b"HTTP/1.1 400") and b"This port speaks HTTPS" in out):
                raise TestFailure("plain HTTP to port 443: %r %r" % (out[:200], err))
            # TLS to the plain port
            t0 = time.monotonic()
            rc, out, err = _curl(["--cacert", ca, "https://localhost:%d/" % g.fwdport], timeout=30)
            if rc == 0 or time.monotonic() - t0 > 15:
                raise TestFailure("TLS to port 80: curl exit %d after %.1f s: %s" % (rc, time.monotonic() - t0, err))
            # a ClientHello cut short, then a hang-up
            with socket.create_connection(("127.0.0.1", tlsport), timeout=10) as s:
                s.sendall(bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]))
            with socket.create_connection(("127.0.0.1", tlsport), timeout=10):
                pass
            for pattern, what in (
                    (r"TLS handshake failed: not TLS: the peer answered with \"GET /", "the plain client on 443"),
                    (r"TLS handshake on the plain HTTP port 80: refused", "the TLS client on 80"),
                    (r"TLS handshake failed: peer closed the connection in the middle of the handshake", "the truncated ClientHello"),
                    (r"TLS handshake failed: peer closed the connection before the handshake began", "the hang-up")):
                if not g.wait_for(pattern, timeout=20):
                    raise TestFailure("httpd's log has no line for %s (/%s/)" % (what, pattern))
            rc, out, err = _curl(["--cacert", ca, url + "/index.html"], timeout=60)
            if rc != 0 or b"<html" not in out.lower():
                raise TestFailure("httpd stopped serving HTTPS after the bad clients: %s" % err)
            # the guest's own client against its own server
            out = g.run("httpget --cacert /tls/ca.pem https://127.0.0.1/big.bin -o /b", timeout=180)
            expect_in(r"httpget: 1048576 bytes to /b", out, "httpget https://127.0.0.1/big.bin in the guest")
            out = g.run("httpget --cacert /tls/ca.pem https://10.0.2.15/", timeout=120)
            expect_in(r"name mismatch: the certificate is for .*, not 10\.0\.2\.15", out,
                      "httpget https://10.0.2.15/ (the guest's address is not in the certificate)")
            out = g.run("httpget --cacert /tls/ca.pem https://localhost:80/", timeout=120)
            expect_in(r"not TLS: the peer answered with \"HTTP/", out, "httpget https:// to the plain port")
            g.poweroff()
    finally:
        bed.close()
        if os.path.exists(os.path.join(ROOT, base)):
            os.unlink(os.path.join(ROOT, base))
    return "1 MiB intact over HTTPS with keep-alive; wrong-protocol clients refused; httpd survived"
