"""poll and clock_gettime (issue 12) against the host: the guest's wall clock
against the host's, poll over sockets with a host peer (a listener becomes
readable on connect, data, the peer's close, a non-blocking connect completing or
being refused, a UDP answer), the console, and the CPU a guest blocked in poll uses, measured from
the host as QEMU's own CPU time (User/polltest.c is the guest side)."""
import os, re, socket, threading, time
from guest import booted, expect_in, _qemu_pids, TestFailure

POLLIN, POLLOUT, POLLERR, POLLHUP = 0x1, 0x4, 0x8, 0x10


def _revents(g, what, timeout=30):
    """The revents polltest printed for what (waiting for the line)."""
    m = g.wait_for(r"(?m)^%s: poll (-?\d+) revents 0x([0-9a-f]+)" % re.escape(what), timeout=timeout)
    if not m:
        raise TestFailure("polltest printed no result for %r: %r" % (what, g.tail(600)))
    return int(m.group(1)), int(m.group(2), 16)


def _expect(g, what, n, revents):
    got = _revents(g, what)
    if got != (n, revents):
        raise TestFailure("%s: poll %d revents 0x%x, expected %d and 0x%x" % (what, got[0], got[1], n, revents))


def test_clock_matches_host():
    with booted("poll-clock", cpus=1) as g:
        before = time.time()
        out = g.run("polltest time")
        after = time.time()
        m = re.search(r"realtime (\d+)\.(\d{9}) monotonic (\d+)\.(\d{9})", out)
        if not m:
            raise TestFailure("polltest time printed %r" % out)
        rt = int(m.group(1)) + int(m.group(2)) / 1e9
        mono = int(m.group(3)) + int(m.group(4)) / 1e9
        if not before - 3 <= rt <= after + 3:
            raise TestFailure("guest CLOCK_REALTIME %.3f, host between %.3f and %.3f" % (rt, before, after))
        if not 0 < mono < time.monotonic() - g.t0 + 3:
            raise TestFailure("CLOCK_MONOTONIC %.3f s, but QEMU started %.3f s ago" % (mono, time.monotonic() - g.t0))
        g.poweroff()
        return "guest wall clock %+.3f s from the host's" % (rt - (before + after) / 2)


def _guest_accepts(g):
    """A host client of a guest listener: readable on connect, on data, on close."""
    g.stop_boot_httpd()
    g.c.sendline("polltest accept 80")
    _expect(g, "idle listener", 0, 0)
    g.wait_for(r"listening on 80", timeout=20)
    time.sleep(0.3)  # the guest is asleep in poll now
    with socket.create_connection(("127.0.0.1", g.fwdport), timeout=20) as s:
        _expect(g, "listener", 1, POLLIN)
        time.sleep(0.3)
        s.sendall(b"hello")
        _expect(g, "connection", 1, POLLIN)
        if not g.wait_for(r"read 5: hello", timeout=10):
            raise TestFailure("the guest did not read the host's data: %r" % g.tail(400))
        time.sleep(0.3)
    _expect(g, "after peer close", 1, POLLIN)
    if not g.wait_for(r"read 0\r?\n", timeout=10):
        raise TestFailure("no end of file after the host closed: %r" % g.tail(400))
    g.c.expect(r"\$ $", timeout=10)


def _guest_connects(g):
    """A non-blocking connect to a host listener: POLLOUT, SO_ERROR 0, data flows."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    got = []

    def serve():
        c, _ = srv.accept()
        c.settimeout(20)
        got.append(c.recv(16))
        c.close()
    t = threading.Thread(target=serve, daemon=True)
    t.start()
    out = g.run("polltest connect 10.0.2.2 %d" % srv.getsockname()[1], timeout=40)
    t.join(20)
    srv.close()
    expect_in(r"connect -1 errno 115", out, "non-blocking connect: EINPROGRESS")
    expect_in(r"connect: poll 1 revents 0x4\b", out, "connect completes: POLLOUT")
    expect_in(r"so_error 0\b", out, "SO_ERROR after success")
    if got != [b"ping"]:
        raise TestFailure("the host received %r, not b'ping'" % got)


def _guest_refused(g):
    """A non-blocking connect to a closed host port: POLLERR and POLLHUP, ECONNREFUSED."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    out = g.run("polltest refused 10.0.2.2 %d" % port, timeout=40)
    m = re.search(r"refused: poll 1 revents 0x([0-9a-f]+)", out)
    if not m or int(m.group(1), 16) != POLLOUT | POLLERR | POLLHUP:
        raise TestFailure("refused connect: wanted revents 0x%x: %r" % (POLLOUT | POLLERR | POLLHUP, out))
    expect_in(r"so_error 111\b", out, "SO_ERROR ECONNREFUSED")


def _guest_udp(g):
    """A datagram to a host echo server that answers after 0.3 s: the guest sleeps in
    poll until the answer makes its socket readable."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 0))
    srv.settimeout(30)

    def echo():
        try:
            data, peer = srv.recvfrom(64)
            time.sleep(0.3)
            srv.sendto(data, peer)
        except OSError:
            pass
    t = threading.Thread(target=echo, daemon=True)
    t.start()
    out = g.run("polltest udp 10.0.2.2 %d" % srv.getsockname()[1], timeout=40)
    t.join(5)
    srv.close()
    expect_in(r"udp before sending: poll 1 revents 0x4\b", out, "UDP: writable, nothing to read")
    expect_in(r"udp answer: poll 1 revents 0x1\b", out, "UDP: the answer is readable")
    expect_in(r"udp read 7: echo me", out, "UDP: the answer")
    expect_in(r"udp drained: poll 0 revents 0x0\b", out, "UDP: drained")


def test_poll_sockets_with_host_peer():
    with booted("poll-sockets") as g:
        g.wait_for(r"lease after", timeout=15)
        _guest_accepts(g)
        _guest_connects(g)
        _guest_refused(g)
        _guest_udp(g)
        g.poweroff()
    return "accept, data, EOF, connect, refusal, UDP"


def _cpu_seconds(pids):
    tck = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])   # utime, stime
    return total / tck


def _cpu_during(g, line, timeout=60):
    pids = _qemu_pids(g.disk)
    c0, t0 = _cpu_seconds(pids), time.monotonic()
    out = g.run(line, timeout=timeout)
    return _cpu_seconds(pids) - c0, time.monotonic() - t0, out


def test_poll_console_and_cpu():
    with booted("poll-console", cpus=1) as g:
        g.c.sendline("polltest console")
        _expect(g, "console before typing", 0, 0)
        g.wait_for(r"type a line", timeout=10)
        time.sleep(0.3)
        g.c.send("hello poll\r")
        _expect(g, "console", 1, POLLIN)
        if not g.wait_for(r"line 11: hello poll", timeout=10):
            raise TestFailure("the typed line did not arrive: %r" % g.tail(300))
        g.c.expect(r"\$ $", timeout=10)
        # a guest blocked in poll uses almost no host CPU; a spinning one all of a core
        idle, idle_s, out = _cpu_during(g, "polltest idle 3000")
        expect_in(r"idle done: poll 0 after 3\d\d\d ms", out, "3 s poll timeout")
        busy, busy_s, out = _cpu_during(g, "polltest spin 3000")
        expect_in(r"spin done", out, "spin")
        note = "QEMU CPU: %.2f s over %.1f s blocked in poll, %.2f s over %.1f s spinning" % (
            idle, idle_s, busy, busy_s)
        print("  " + note)
        if idle > 0.25 * busy or idle > 0.3 * idle_s:
            raise TestFailure("a guest blocked in poll is busy: " + note)
        g.poweroff()
    return note
