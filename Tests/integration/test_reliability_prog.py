"""Reliability (issue 6) against misbehaving programs and hostile HTTP clients.

Programs: User/sockabuse.c in the guest abuses every socket call (bad pointers
and lengths, closed and non-socket descriptors), fills the socket table, is
killed while blocked in connect/accept/read/write, never reads while a host peer
sends, and opens and kills 500 connections; free kernel pages and lwIP's pools
must come back. httpd: slowloris clients, over-long request lines, header floods
and path traversal. Every case is recorded in build/reliability/ (reliability.py)."""
import re, select, socket, struct, threading, time
from guest import booted, expect_in, TestFailure
from reliability import record

HOLD_SECONDS = 3.0


class _Peer:
    """A host TCP peer the guest reaches at 10.0.2.2:port. mode "hold": accept and
    never read or write, then reset the connection after HOLD_SECONDS (so the guest's
    side is freed at once, not after a FIN_WAIT timeout); mode "flood": send as fast
    as the guest takes it, for as long as it stays open."""

    def __init__(self, mode):
        self.mode = mode
        self.sent = 0
        self.s = socket.socket()
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.s.bind(("127.0.0.1", 0))
        self.s.listen(128)
        self.port = self.s.getsockname()[1]
        self.stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stop:
            try:
                c, _ = self.s.accept()
            except OSError:
                return
            fn = self._hold if self.mode == "hold" else self._flood
            threading.Thread(target=fn, args=(c,), daemon=True).start()

    def _hold(self, c):
        time.sleep(HOLD_SECONDS)
        _reset(c)

    def _flood(self, c):
        chunk = b"z" * 16384
        c.settimeout(120)
        try:
            while not self.stop:
                self.sent += c.send(chunk)
        except OSError:
            pass
        _reset(c)

    def close(self):
        self.stop = True
        self.s.close()


def _reset(c):
    try:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
    except OSError:
        pass


def _oks(out):
    good = re.findall(r"sockabuse: ok (.*)", out)
    bad = re.findall(r"sockabuse: FAIL (.*)", out)
    return good, bad


def _run(g, line, timeout):
    out = g.run(line, timeout=timeout)
    if not re.search(r"sockabuse: (PASS|FAILED)", out):
        raise TestFailure("`%s` did not finish: %r" % (line, out[-800:]))
    return out


def _alive(g):
    """The kernel still runs programs."""
    expect_in("alive", g.run("echo alive", timeout=20), "kernel alive")


def test_reliability_programs():
    hold, flood = _Peer("hold"), _Peer("flood")
    failed = []
    try:
        with booted("reliability_prog") as g:
            # 1. bad pointers, bad lengths, bad descriptors
            out = _run(g, "sockabuse args 10.0.2.2 %d" % hold.port, 120)
            _alive(g)
            good, bad = _oks(out)
            fds = [x for x in good + bad if "descriptor" in x or "closed" in x]
            args_good = [x for x in good if x not in fds]
            args_bad = [x for x in bad if x not in fds]
            fd_bad = [x for x in bad if x in fds]
            ok = not args_bad
            record("programs: bad pointers and lengths to every socket call",
                   {"pointers": "0, -1, 0x80000000, 0x80001000, 0x3000000000 (unmapped)",
                    "lengths": "-1, -100000, 0x7fffffff, 0x80000000",
                    "calls": "bind connect sendto send write recvfrom read accept "
                             "getsockname getpeername setsockopt getsockopt listen "
                             "shutdown socket netinfo"},
                   "%d checks refused with an error, %d not%s; kernel alive" % (
                       len(args_good), len(args_bad),
                       (": " + "; ".join(args_bad)) if args_bad else ""), ok)
            record("programs: closed, bad and non-socket descriptors",
                   {"descriptors": "-1, 99, 1<<30, 15 (unused), closed socket, console, pipe"},
                   "%d checks got EBADF/ENOTSOCK, %d not%s" % (
                       len(fds) - len(fd_bad), len(fd_bad),
                       (": " + "; ".join(fd_bad)) if fd_bad else ""), not fd_bad)
            if args_bad or fd_bad:
                failed.append("args")

            # 2. the socket table
            out = _run(g, "sockabuse fill", 120)
            _alive(g)
            good, bad = _oks(out)
            m = re.search(r"fill total (\d+) tcp (\d+) udp in (\d+) processes, refused with "
                          r"errno (\d+) \((.*?)\) and (\d+) \((.*?)\)", out)
            record("programs: sockets opened until the table is full, then recovery",
                   {"per process": "TCP and UDP sockets until refused or EMFILE, "
                                   "then another process"},
                   ("%s TCP + %s UDP sockets open in %s processes when refused: TCP errno %s "
                    "(%s), UDP errno %s (%s); %d checks ok, %d failed%s" % (
                        m.group(1), m.group(2), m.group(3), m.group(4), m.group(5),
                        m.group(6), m.group(7), len(good), len(bad),
                        (": " + "; ".join(bad)) if bad else "")) if m else
                   "no figures: " + "; ".join(bad), not bad and m is not None)
            if bad or not m:
                failed.append("fill")

            # 3. killed while blocked
            out = _run(g, "sockabuse kill 10.0.2.2 %d" % hold.port, 180)
            _alive(g)
            good, bad = _oks(out)
            record("programs: processes killed while blocked in connect, accept, read, write",
                   {"connect": "to 10.0.2.99 (no ARP answer)", "read/write":
                    "host peer that never reads or writes", "also": "connected idle, "
                    "listening, unconnected"},
                   "%d of %d went away cleanly%s" % (
                       len(good), len(good) + len(bad), (": " + "; ".join(
                           bad + re.findall(r"sockabuse: (?:connect to|[a-z ()]+: no socket)[^\r\n]*", out)))
                       if bad else ""),
                   not bad)
            if bad:
                failed.append("kill")

            # 4. a reader that never reads
            secs = 8
            out = _run(g, "sockabuse noread 10.0.2.2 %d %d" % (flood.port, secs), 120)
            _alive(g)
            good, bad = _oks(out)
            m = re.search(r"noread max pool (\d+) max heap (\d+) min pages (\d+) \(start (\d+)\)",
                          out)
            record("programs: a reader that never reads while the host sends",
                   {"seconds": secs, "sender": "host, 16 KiB writes as fast as accepted"},
                   ("peak pool pbufs %s, peak lwIP heap %s bytes, free pages %s -> min %s; "
                    "host got %d bytes in before the window closed%s" % (
                        m.group(1), m.group(2), m.group(4), m.group(3), flood.sent,
                        (": " + "; ".join(bad)) if bad else "")) if m else "no figures",
                   not bad and m is not None)
            if bad or not m:
                failed.append("noread")
            flood.stop = True

            # 5. 500 connections opened and killed in every state
            n = 500
            out = _run(g, "sockabuse churn 10.0.2.2 %d %d" % (hold.port, n), 600)
            _alive(g)
            good, bad = _oks(out)
            mem = dict(re.findall(r"sockabuse: mem (before|end|after) (.*)", out))
            drain = re.search(r"churn drained after (\d+) s", out)
            record("programs: %d connections opened and killed in every state" % n,
                   {"states": "connecting, accepting, reading, writing, connected idle, "
                              "listening, unconnected", "connections": n},
                   "before: %s | right after: %s | after %s s: %s%s" % (
                       mem.get("before", "?"), mem.get("end", "?"),
                       drain.group(1) if drain else "?", mem.get("after", "?"),
                       ("; " + "; ".join(bad)) if bad else ""), not bad)
            if bad:
                failed.append("churn")
            g.poweroff()
    finally:
        hold.close()
        flood.close()
    if failed:
        raise TestFailure("sockabuse modes failed: %s" % ", ".join(failed))


# ---------------------------------------------------------------- httpd, hostile clients

def _start_httpd(g):
    g.start_httpd()


def _exchange(port, data, timeout=30, tries=10):
    """Send data, return (everything httpd sent before closing, seconds until it
    closed). The forward accepts before the guest does: empty answers are retried."""
    last = "no answer"
    for _ in range(tries):
        try:
            t0 = time.monotonic()
            with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
                try:
                    s.sendall(data)
                except OSError:
                    pass   # httpd may answer and close before reading it all
                out = b""
                while True:
                    try:
                        d = s.recv(65536)
                    except ConnectionResetError:
                        break
                    if not d:
                        break
                    out += d
            if out:
                return out, time.monotonic() - t0
        except OSError as e:
            last = str(e)
        time.sleep(0.5)
    raise TestFailure("no answer from httpd to %r: %s" % (data[:60], last))


def _status(resp):
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", resp)
    return int(m.group(1)) if m else None


def _get(port, path="/index.html"):
    return _exchange(port, b"GET %s HTTP/1.0\r\n\r\n" % path.encode())


def _slowloris(port, n, seconds):
    """n clients trickling a request head one byte a second; meanwhile normal
    requests must be served. Returns (latencies of normal requests, how many slow
    clients httpd had closed by the end)."""
    closed = [0]
    stop = threading.Event()
    head = b"GET /index.html HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200

    def slow():
        # counts as cut off once httpd answers (408) or closes the connection
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            for b in head:
                if stop.is_set():
                    break
                if select.select([s], [], [], 0)[0]:
                    s.recv(4096)
                    closed[0] += 1
                    break
                s.send(bytes([b]))
                time.sleep(1.0)
            s.close()
        except OSError:
            closed[0] += 1

    threads = [threading.Thread(target=slow, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    time.sleep(2)
    lat, t_end = [], time.monotonic() + seconds
    while time.monotonic() < t_end:
        resp, took = _get(port)
        if _status(resp) != 200:
            raise TestFailure("normal request during slowloris got %r" % resp[:80])
        lat.append(took)
        time.sleep(1.5)
    stop.set()
    return lat, closed[0]


def test_reliability_httpd_hostile():
    with booted("reliability_httpd") as g:
        _start_httpd(g)
        port = g.fwdport
        resp, _ = _get(port)
        if _status(resp) != 200:
            raise TestFailure("httpd does not serve /index.html: %r" % resp[:100])
        failed = []

        # slowloris
        n, secs = 8, 25
        lat, closed = _slowloris(port, n, secs)
        ok = bool(lat) and max(lat) < 5.0
        record("httpd: slowloris clients (one byte a second) do not stop others",
               {"slow clients": n, "seconds": secs, "normal requests": len(lat)},
               "%d normal requests served during the attack, slowest %.2f s, median %.2f s; "
               "%d of %d slow clients cut off by httpd's head timeout" % (
                   len(lat), max(lat), sorted(lat)[len(lat) // 2], closed, n), ok)
        if not ok:
            failed.append("slowloris")

        # over-long request lines, header floods
        probes = [
            ("request line of 5000 bytes", b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
             (414,)),
            ("request line of 64 KiB without an end", b"GET /" + b"a" * 65536, (414,)),
            ("100 header lines", b"GET / HTTP/1.1\r\nHost: x\r\n" +
             b"".join(b"X-H%d: v\r\n" % i for i in range(100)) + b"\r\n", (431, 400)),
            ("one header of 12 KiB", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 12288 +
             b"\r\n\r\n", (431, 400)),
            ("16 KiB of headers", b"GET / HTTP/1.1\r\nHost: x\r\n" +
             b"".join(b"X-%d: %s\r\n" % (i, b"c" * 500) for i in range(32)) + b"\r\n",
             (431, 400)),
            ("binary garbage", bytes(range(256)) * 4 + b"\r\n\r\n", (400, 414)),
        ]
        for name, data, want in probes:
            resp, took = _exchange(port, data)
            st = _status(resp)
            ok = st in want and took < 10
            record("httpd: %s" % name, {"bytes sent": len(data), "expected": "/".join(map(str, want))},
                   "status %s, connection closed after %.2f s" % (st, took), ok)
            if not ok:
                failed.append(name)

        # path traversal in every encoding: README.md lives above /www
        secret = open("README.md", "rb").read().split(b"\n", 1)[0].strip()
        targets = ["/../README.md", "/..%2fREADME.md", "/%2e%2e/README.md", "/%2E%2E/README.md",
                   "/.%2e/README.md", "/%2e./README.md", "/%252e%252e/README.md",
                   "/..%5cREADME.md", "/..\\README.md", "//README.md", "/./../README.md",
                   "/www/../README.md", "/index.html/../../README.md", "/%c0%ae%c0%ae/README.md",
                   "/%00/../README.md", "/index.html%00", "/..%00/README.md",
                   "http://x/../README.md", "../README.md", "/%2e%2e%2fREADME.md",
                   "/....//README.md", "/.../README.md", "/%u002e%u002e/README.md"]
        refused = []
        for t in targets:
            resp, _ = _exchange(port, b"GET %s HTTP/1.0\r\n\r\n" % t.encode("latin-1"))
            st = _status(resp)
            leaked = secret and secret in resp
            if st == 200 or st is None or leaked:
                failed.append("traversal %s -> %s" % (t, st))
            else:
                refused.append("%s %s" % (t, st))
        record("httpd: path traversal in every encoding",
               {"targets": len(targets), "outside file": "/README.md"},
               "%d of %d refused (%s)" % (len(refused), len(targets), ", ".join(refused)),
               len(refused) == len(targets))

        resp, _ = _get(port)
        if _status(resp) != 200:
            failed.append("httpd still serving afterwards")
        g.poweroff()
    if failed:
        raise TestFailure("httpd hostile-client cases failed: %s" % "; ".join(failed))
