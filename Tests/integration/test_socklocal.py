"""Issue 12: a server and its client side by side in the guest, over lwIP's loopback
(127.0.0.1) and the guest's own address (User/socklocal.c), and the socket API that
guides use, each with its bad input (User/sockapi.c). No host peer: everything stays
inside the guest, and the capture shows none of it reached the NIC."""
import os, re, struct
from guest import booted, expect_in, TestFailure, ROOT

GUEST_ADDR = "10.0.2.15"   # QEMU's user network gives the guest this address


def _check(out, prog, what):
    if "%s: PASS" % prog not in out:
        raise TestFailure("%s:\n%s" % (what, out[-1500:]))


def _throughput(out):
    m = re.search(r"socklocal: throughput (\d+) KB/s", out)
    if not m:
        raise TestFailure("no throughput line:\n%s" % out[-800:])
    return int(m.group(1))


def _looped_frames_on_wire(pcap):
    """IPv4 frames in the capture that should have stayed inside the guest: to or
    from 127/8, or from the guest to itself."""
    with open(os.path.join(ROOT, pcap), "rb") as f:
        data = f.read()
    bad, off = [], 24                       # pcap global header
    while off + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, off + 8)[0]
        frame = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        if len(frame) >= 34 and frame[12:14] == b"\x08\x00":
            src, dst = frame[26:30], frame[30:34]
            guest = bytes(int(x) for x in GUEST_ADDR.split("."))
            if src[0] == 127 or dst[0] == 127 or (src == guest and dst == guest):
                bad.append("%s -> %s" % (".".join(map(str, src)), ".".join(map(str, dst))))
    return bad


def test_socklocal_loopback_tcp_udp():
    with booted("socklocal", cpus=1) as g:
        g.wait_for(r"lease after", timeout=15)
        out = g.run("socklocal tcp 127.0.0.1 4000000", timeout=120)
        _check(out, "socklocal", "4 MB echoed over 127.0.0.1")
        expect_in(r"echoed 4000000 bytes", out, "tcp echo")
        out = g.run("socklocal udp 127.0.0.1 100", timeout=60)
        _check(out, "socklocal", "UDP over 127.0.0.1")
        out = g.run("socklocal tcp %s 1000000" % GUEST_ADDR, timeout=120)
        _check(out, "socklocal", "TCP to the guest's own address")
        out = g.run("socklocal udp %s 20" % GUEST_ADDR, timeout=60)
        _check(out, "socklocal", "UDP to the guest's own address")
        out = g.run("socklocal bench 127.0.0.1 16000000", timeout=120)
        _check(out, "socklocal", "one-way throughput over 127.0.0.1")
        kbs = _throughput(out)
        g.poweroff()
    leaked = _looped_frames_on_wire(g.pcap)
    if leaked:
        raise TestFailure("%d looped packets reached the NIC (%s)" % (len(leaked), leaked[:3]))
    return "loopback TCP %d KB/s one way (CPUS=1)" % kbs


def test_sockapi_accept4_peek_options_iovec():
    """accept4 flags and close-on-exec, MSG_PEEK / MSG_DONTWAIT, buffer and keepalive
    options, readv / writev, with bad pointers, lengths and counts; on three harts."""
    with booted("sockapi", cpus=3) as g:
        g.wait_for(r"lease after", timeout=15)
        out = g.run("sockapi", timeout=120)
        _check(out, "sockapi", "sockapi")
        n = len(re.findall(r"(?m)^sockapi: ok ", out))
        out = g.run("socklocal bench 127.0.0.1 16000000", timeout=120)
        _check(out, "socklocal", "one-way throughput over 127.0.0.1, three harts")
        kbs = _throughput(out)
        g.poweroff()
    return "%d checks; loopback TCP %d KB/s one way (CPUS=3)" % (n, kbs)
