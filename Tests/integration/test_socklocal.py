"""Issue 12: a server and its client side by side in the guest, over lwIP's loopback
(127.0.0.1) and the guest's own address (User/socklocal.c), and the socket API that
guides use, each with its bad input (User/sockapi.c). No host peer: everything stays
inside the guest, and the capture shows none of it reached the NIC."""
import os, re, socketserver, struct, threading
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
        out = g.run("socklocal tcp 127.0.0.1 1000000 11680", timeout=120)
        _check(out, "socklocal", "1 MB echoed over 127.0.0.1 with the smallest SO_RCVBUF")
        out = g.run("socklocal udp 127.0.0.1 100", timeout=60)
        _check(out, "socklocal", "UDP over 127.0.0.1")
        out = g.run("socklocal tcp %s 1000000" % GUEST_ADDR, timeout=120)
        _check(out, "socklocal", "TCP to the guest's own address")
        out = g.run("socklocal udp %s 20" % GUEST_ADDR, timeout=60)
        _check(out, "socklocal", "UDP to the guest's own address")
        out = g.run("socklocal bench 127.0.0.1 16000000", timeout=120)
        _check(out, "socklocal", "one-way throughput over 127.0.0.1")
        kbs = _throughput(out)
        # raw sockets see whole packets: checksums a program checks are kept on lo
        for host in ("127.0.0.1", GUEST_ADDR):
            out = g.run("ping -c 2 -i 100 %s" % host, timeout=30)
            expect_in(r"2 packets transmitted, 2 received", out, "ping %s" % host)
        g.poweroff()
    leaked = _looped_frames_on_wire(g.pcap)
    if leaked:
        raise TestFailure("%d looped packets reached the NIC (%s)" % (len(leaked), leaked[:3]))
    return "loopback TCP %d KB/s one way (CPUS=1)" % kbs


def test_sockapi_accept4_peek_options_iovec():
    """accept4 flags and close-on-exec, MSG_PEEK / MSG_DONTWAIT, buffer and keepalive
    options, readv / writev, with bad pointers, lengths and counts; then six loopback
    echo pairs at once; on three harts."""
    with booted("sockapi", cpus=3) as g:
        g.wait_for(r"lease after", timeout=15)
        out = g.run("sockapi", timeout=120)
        _check(out, "sockapi", "sockapi")
        n = len(re.findall(r"(?m)^sockapi: ok ", out))
        out = g.run("socklocal many 127.0.0.1 1000000 6", timeout=180)
        _check(out, "socklocal", "six echo pairs at once on three harts")
        out = g.run("socklocal bench 127.0.0.1 16000000", timeout=120)
        _check(out, "socklocal", "one-way throughput over 127.0.0.1, three harts")
        kbs = _throughput(out)
        g.poweroff()
    return "%d checks; loopback TCP %d KB/s one way (CPUS=3)" % (n, kbs)


class _Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(4096)
            if not data:
                break
            self.request.sendall(data)


def _keepalive_probes(pcap, port):
    """TCP segments the guest sent to the host's port that are keepalive probes: no
    data, only ACK set, and a sequence number one below the next one it would send."""
    with open(os.path.join(ROOT, pcap), "rb") as f:
        data = f.read()
    probes, nxt, off = 0, None, 24
    while off + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, off + 8)[0]
        fr = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        if len(fr) < 54 or fr[12:14] != b"\x08\x00" or fr[23] != 6:
            continue
        ihl = (fr[14] & 0xF) * 4
        tcp = 14 + ihl
        if fr[26:30] != bytes([10, 0, 2, 15]) or struct.unpack_from(">H", fr, tcp + 2)[0] != port:
            continue
        seq = struct.unpack_from(">I", fr, tcp + 4)[0]
        flags = fr[tcp + 13]
        size = struct.unpack_from(">H", fr, 16)[0] - ihl - (fr[tcp + 12] >> 4) * 4
        if size == 0 and flags == 0x10 and nxt is not None and seq == (nxt - 1) & 0xFFFFFFFF:
            probes += 1
        end = seq + size + (1 if flags & 0x03 else 0)   # SYN and FIN take one number
        if nxt is None or ((end - nxt) & 0xFFFFFFFF) < 0x80000000:
            nxt = end & 0xFFFFFFFF
    return probes


def test_keepalive_probes_on_the_wire():
    """SO_KEEPALIVE with TCP_KEEPIDLE 1 and TCP_KEEPINTVL 1 on a connection to a host
    echo server left idle for 4 s: the capture shows lwIP's probes, and the connection
    still works after."""
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Echo)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    try:
        with booted("keepalive") as g:
            g.wait_for(r"lease after", timeout=15)
            out = g.run("sockapi keepalive 10.0.2.2 %d 4" % port, timeout=60)
            _check(out, "sockapi", "keepalive connection")
            g.poweroff()
    finally:
        srv.shutdown()
    probes = _keepalive_probes(g.pcap, port)
    # idle 1 s, then one a second: about 3 in 4 s (the peer answers every one)
    if probes < 2:
        raise TestFailure("%d keepalive probes in %s, expected at least 2" % (probes, g.pcap))
    return "%d probes in 4 idle seconds" % probes
