"""Checks the network labs share, on a guest booted by gradelib.Lab.guest(): the
DHCP lease line, pings of the gateway, and a 1 MiB download from the guest's httpd
through QEMU's port forward. The patterns and helpers are the integration tests'
(Tests/integration/test_network.py, test_apps.py, test_ping.py)."""
import hashlib, os, re, subprocess

from gradelib import Fail, console_tail
from test_network import LEASE
from test_ping import SUMMARY


def lease(g, timeout=20):
    """The lease line `en0: MAC ADDR/PREFIX gw ... (lease after N ms)`."""
    m = g.wait_for(LEASE, timeout=timeout)
    if not m:
        raise Fail("no DHCP lease line (en0: ... (lease after N ms)) within %d s of the prompt: "
                   "the DHCP OFFER never reached lwIP, or the DISCOVER never left%s"
                   % (timeout, console_tail(g)))
    if m.group(2) != "10.0.2.15":
        raise Fail("leased %s, not QEMU's 10.0.2.15: %s" % (m.group(2), m.group(0)))
    return "%s/%s after %s ms" % (m.group(2), m.group(3), m.group(6))


def ping(g, args, count):
    """`ping args` must get `count` of `count` replies."""
    out = g.run("ping %s" % args, timeout=15 + 3 * count)
    m = re.search(SUMMARY, out)
    if not m:
        raise Fail("`ping %s` printed no summary: %r" % (args, out[-400:]))
    if m.group(1, 2) != (str(count), str(count)):
        raise Fail("`ping %s`: %s" % (args, m.group(0)))
    if "wrong data" in out or "bad ICMP checksum" in out:
        raise Fail("`ping %s`: damaged replies: %r" % (args, out[-400:]))
    return m.group(0)


def download(g, lab):
    """www/big.bin (1 MiB) from the guest's httpd, byte for byte."""
    g.start_httpd()
    want = open(os.path.join(lab.tree, "build", "www", "big.bin"), "rb").read()
    path = os.path.join(lab.tree, "build", "lab-%s-big.bin" % lab.name)
    try:
        r = subprocess.run("curl -sS --retry 3 --retry-connrefused --retry-delay 1 --max-time 60 "
                           "-o %s http://127.0.0.1:%d/big.bin" % (path, g.fwdport),
                           shell=True, capture_output=True, text=True, timeout=200)
        if r.returncode != 0:
            raise Fail("curl of /big.bin through the forward failed: %s" % r.stderr.strip()[-300:])
        got = open(path, "rb").read()
    finally:
        if os.path.exists(path):
            os.unlink(path)
    if hashlib.sha256(got).digest() != hashlib.sha256(want).digest():
        first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        raise Fail("/big.bin arrived damaged: %d of %d bytes, first difference at byte %d"
                   % (len(got), len(want), first))
    return "1 MiB intact"


def driver_lab(lab, nic, tests, tests_title):
    """The checks of a NIC driver lab, in order: the tree builds, the driver's host
    tests (swift test --filter tests) pass, and a guest booted on nic leases, is
    answered by the gateway's pings and serves 1 MiB intact through the forward."""
    lab.check("the tree builds (make all)", key="build")(lab.build)
    lab.check(tests_title, key="host_tests")(lambda: lab.swift_test(tests))
    lab.check("DHCP lease on %s at boot" % {"virtio": "virtio-net"}.get(nic, "the " + nic),
              needs=["build"], key="lease")(
        lambda: lease(lab.guest(nic=nic)))
    lab.check("ping -c 3 10.0.2.2: 3 replies", needs=["lease"], key="ping")(
        lambda: ping(lab.guest(nic=nic), "-c 3 -i 200 10.0.2.2", 3))
    lab.check("1 MiB from httpd through the port forward, intact", needs=["lease"], key="download")(
        lambda: download(lab.guest(nic=nic), lab))
