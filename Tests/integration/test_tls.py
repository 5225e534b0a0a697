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
import os, re, sys, tempfile
from guest import booted, sh, ROOT, TestFailure
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
