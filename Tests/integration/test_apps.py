"""The network programs (issue 5), each against a real peer on this machine:
httpd through QEMU's port forward with curl and raw sockets; wttr, daytime and
httpget against host stand-ins reached at 10.0.2.2; nc moving a file both ways;
ifconfig and netstat; and the resolver against dnsmasq in a network namespace
(the guest on a tap device there), where wttr.in and time.nist.gov resolve to
the namespace's own address and stand-in servers listen. Nothing reaches the
internet: every server is on loopback or inside a namespace made here.

Run as a script (`test_apps.py standin ADDR`) it is the stand-in servers that
the namespace test starts inside the namespace."""
import concurrent.futures, hashlib, os, re, shutil, socket, subprocess, sys, tempfile, threading, time

from guest import booted, expect_in, free_port, recv_all, sh, Skip, TestFailure, ROOT

LEASE = r"en0: ([0-9a-f:]{17}) (\d+\.\d+\.\d+\.\d+)/(\d+) gw (\S+) dns (\S+)"

FORECAST = (
    "Weather report: Paris\n"
    "\n"
    "      \\   /     Sunny\n"
    "       .-.      +21(20) C\n"
    "    - (   ) -   -> 9 km/h\n"
    "       `-'      10 km\n"
    "      /   \\     0.0 mm\n")
DAYTIME = "60636 24-11-22 12:34:56 00 0 0 123.4 UTC(NIST) *"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def lines(text):
    return [l.rstrip() for l in text.replace("\r", "").split("\n")]


def forecast_in(out, what):
    want = lines(FORECAST)[:-1]
    got = lines(out)
    for i in range(len(got)):
        if got[i:i + len(want)] == want:
            return
    raise TestFailure("%s: the forecast is not in the output %r" % (what, out[-800:]))


# ---------------------------------------------------------------- host stand-ins

class Server:
    """A TCP server on addr:port in a thread; handler(conn) serves one connection."""

    def __init__(self, handler, addr="127.0.0.1", port=0):
        self.handler = handler
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((addr, port))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests = []
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(c,), daemon=True).start()

    def _one(self, c):
        try:
            c.settimeout(30)
            self.handler(self, c)
        except OSError:
            pass
        finally:
            c.close()

    def close(self):
        self.sock.close()


def read_head(c):
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        d = c.recv(4096)
        if not d:
            break
        data += d
    return data.split(b"\r\n\r\n", 1)[0].decode("latin-1")


def daytime_handler(srv, c):
    c.sendall((DAYTIME + "\r\n").encode())


def wttr_handler(mode):
    """An HTTP server answering like wttr.in: the forecast as plain text, sent
    with Content-Length, chunked, or ended by closing; 404 for /Nowhere."""
    def handler(srv, c):
        head = read_head(c)
        srv.requests.append(head)
        target = head.split(" ")[1] if head.count(" ") >= 2 else ""
        body = FORECAST.encode()
        if target.startswith("/Nowhere"):
            msg = b"Unknown location\n"
            c.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: %d\r\n\r\n%s" % (len(msg), msg))
            return
        h = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
        if mode == "length":
            c.sendall(h + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        elif mode == "chunked":
            c.sendall(h + b"Transfer-Encoding: chunked\r\n\r\n")
            parts = [body[:7], body[7:50], body[50:]]
            for i, p in enumerate(parts):
                ext = b";note=x" if i == 1 else b""
                c.sendall(b"%x%s\r\n%s\r\n" % (len(p), ext, p))
                time.sleep(0.05)   # separate segments: the decoder must join them
            c.sendall(b"0\r\n\r\n")
        else:  # close-delimited
            c.sendall(h + b"Connection: close\r\n\r\n" + body)
    return handler


def file_handler(files):
    """A static HTTP/1.1 server for a dict path -> bytes (chunked for /chunked/...)."""
    def handler(srv, c):
        head = read_head(c)
        srv.requests.append(head)
        target = head.split(" ")[1] if head.count(" ") >= 2 else ""
        name = target.replace("/chunked/", "/")
        if name not in files:
            c.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            return
        body = files[name]
        if target.startswith("/chunked/"):
            c.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            for i in range(0, len(body), 10000):
                p = body[i:i + 10000]
                c.sendall(b"%x\r\n%s\r\n" % (len(p), p))
            c.sendall(b"0\r\n\r\n")
        else:
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    return handler


def closed_port():
    """A loopback port with no listener (nothing binds it between here and use)."""
    return free_port()


# ---------------------------------------------------------------- guest helpers

def boot(name, **kw):
    return booted(name, **kw)


def wait_lease(g, timeout=20):
    m = g.wait_for(LEASE, timeout=timeout)
    if not m:
        raise TestFailure("no DHCP lease line within %d s" % timeout)
    return m


# ---------------------------------------------------------------- httpd

def http_raw(port, data, timeout=30, tries=10):
    """Send raw bytes to httpd through the forward and return all it sends back
    before closing. QEMU's forward listens with a backlog of one, and accepts
    even before the guest listens, so an empty answer is retried."""
    last = "no answer"
    for _ in range(tries):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
                s.sendall(data)
                out = recv_all(s)
            if out:
                return out
        except OSError as e:
            last = str(e)
        time.sleep(0.5)
    raise TestFailure("no answer from httpd to %r: %s" % (data[:60], last))


def status_of(resp):
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", resp)
    if not m:
        raise TestFailure("not an HTTP response: %r" % resp[:200])
    return int(m.group(1))


def curl(args, timeout=90):
    return sh("curl -sS --retry 8 --retry-connrefused --retry-delay 1 --max-time 60 " + args,
              timeout=timeout)


def get_with_retry(port, path, tries=60):
    """One GET for the concurrency test. QEMU's forward listens with a backlog
    of one: beyond it the host kernel drops SYNs (or the handshake's last ACK)
    and retries only after 1, 3, 7, 15... s, so the connection reaches QEMU,
    and the guest, that much later (the capture shows every connection that
    reaches the guest answered within a second). So a connection without an
    answer in 5 s is begun again, as are refusals, resets and 503s."""
    last = None
    for _ in range(tries):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.settimeout(5)
                s.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path.encode())
                resp = recv_all(s)
            if resp:
                head, _, body = resp.partition(b"\r\n\r\n")
                if status_of(resp) != 503:
                    return status_of(resp), body
            last = "empty answer or 503"
        except OSError as e:
            last = e
        time.sleep(0.2)
    raise TestFailure("GET %s failed %d times: %s" % (path, tries, last))


def test_httpd_through_forward():
    index = open(os.path.join(ROOT, "www/index.html"), "rb").read()
    big = open(os.path.join(ROOT, "build/www/big.bin"), "rb").read()
    with boot("apps-httpd") as g:
        wait_lease(g)
        g.start_httpd()
        port = g.fwdport
        base = "http://127.0.0.1:%d" % port
        marks = [("boot", time.monotonic())]
        # a slowloris client: half a request, then silence; checked at the end
        slow = socket.create_connection(("127.0.0.1", port), timeout=40)
        slow.sendall(b"GET /index.html HTTP/1.1\r\nHo")
        slow_t0 = time.monotonic()

        tmp = "/tmp/xv6-apps-%d" % os.getpid()
        try:
            curl("-o %s.index %s/index.html" % (tmp, base))
            if sha256(open(tmp + ".index", "rb").read()) != sha256(index):
                raise TestFailure("/index.html differs from www/index.html")
            curl("-o %s.root %s/" % (tmp, base))
            if open(tmp + ".root", "rb").read() != index:
                raise TestFailure("/ did not serve index.html")
            t0 = time.monotonic()
            curl("-o %s.big %s/big.bin" % (tmp, base))
            secs = time.monotonic() - t0
            if sha256(open(tmp + ".big", "rb").read()) != sha256(big):
                raise TestFailure("/big.bin: sha256 differs from build/www/big.bin")
        finally:
            for ext in (".index", ".root", ".big"):
                if os.path.exists(tmp + ext):
                    os.unlink(tmp + ext)

        marks.append(("get", time.monotonic()))
        head = curl("-I %s/big.bin" % base)
        expect_in(r"^HTTP/1\.1 200 OK", head, "HEAD /big.bin")
        expect_in(r"(?i)content-length: 1048576", head, "HEAD /big.bin")
        expect_in(r"(?i)content-type: application/octet-stream", head, "HEAD /big.bin")
        ctype = curl("-sI %s/index.html" % base)
        expect_in(r"(?i)content-type: text/html", ctype, "HEAD /index.html")

        marks.append(("head", time.monotonic()))
        # keep-alive: three URLs on one connection (curl reuses it: 0 new connects)
        out = curl("-o /dev/null -o /dev/null -o /dev/null -w '%%{num_connects} %%{http_code}\\n' "
                   "%s/index.html %s/nothere %s/index.html" % (base, base, base))
        if lines(out)[:3] != ["1 200", "0 404", "0 200"]:
            raise TestFailure("keep-alive: curl reports (new connections, status) %r" % out)
        # HTTP/1.0 with keep-alive, two requests pipelined in one write
        resp = http_raw(port, b"GET /index.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                              b"HEAD /index.html HTTP/1.0\r\n\r\n")
        if resp.count(b"HTTP/1.1 200 OK") != 2 or resp.count(index) != 1:
            raise TestFailure("two pipelined HTTP/1.0 requests: %r" % resp[:300])

        marks.append(("keepalive", time.monotonic()))
        code = curl("-o /dev/null -w '%%{http_code}' %s/no/such/file" % base)
        if code != "404":
            raise TestFailure("missing file: status %s, not 404" % code)
        code = curl("-o /dev/null -w '%%{http_code}' -X DELETE %s/index.html" % base)
        if code != "405":
            raise TestFailure("DELETE: status %s, not 405" % code)

        marks.append(("404/405", time.monotonic()))
        checks = [
            (b"\x00\xff\xfegarbage\r\n\r\n", 400, "garbage"),
            (b"GET /index.html\r\n\r\n", 400, "no version"),
            (b"GET /index.html HTTP/1.1\r\n\r\n", 400, "HTTP/1.1 without Host"),
            (b"GET /index.html HTTP/1.1\r\nHost: x\r\nbad header\r\n\r\n", 400, "header without colon"),
            (b"GET /" + b"a" * 3000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "3000-byte request line"),
            (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Filler: 1\r\n" * 100 + b"\r\n", 431, "100 headers"),
            (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n", 431, "9000-byte header"),
        ]
        for target in (b"/../init", b"/%2e%2e/init", b"/%2E%2E/%2e%2e/init", b"/..%2finit",
                       b"//init", b"/a/../../init", b"/%00index.html", b"/./index.html"):
            checks.append((b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                           400, "traversal " + target.decode()))
        for req, want, what in checks:
            resp = http_raw(port, req)
            if status_of(resp) != want or b"\x7fELF" in resp:
                raise TestFailure("%s: got %r, want status %d" % (what, resp[:120], want))

        marks.append(("bad requests", time.monotonic()))
        # 50 clients at once, all answered with the right bytes
        with concurrent.futures.ThreadPoolExecutor(50) as pool:
            results = list(pool.map(lambda i: get_with_retry(port, "/index.html"), range(50)))
        bad = [s for s, body in results if s != 200 or body != index]
        if bad:
            raise TestFailure("%d of 50 concurrent requests failed: %r" % (len(bad), bad[:5]))

        marks.append(("concurrent", time.monotonic()))
        # the slowloris client was dropped (idle timeout) while the others were served
        slow.settimeout(max(1, 40 - (time.monotonic() - slow_t0)))
        try:
            left = slow.recv(4096)
        except socket.timeout:
            raise TestFailure("a client that sent half a request was not dropped within 40 s")
        except ConnectionResetError:
            left = b""
        if left and status_of(left) != 408 and not left.startswith(b"HTTP/1.1 400"):
            raise TestFailure("the half-request client got %r" % left[:100])
        slow.close()

        marks.append(("slowloris", time.monotonic()))
        if not g.wait_for(r'httpd: 10\.0\.2\.2 "GET /index\.html HTTP/1\.1" 200 %d' % len(index), timeout=10):
            raise TestFailure("no access-log line for GET /index.html on the console")
        g.poweroff()
    closing = fin_with_response(os.path.join(ROOT, g.pcap))
    # every bad request above ends its connection with its error response
    if closing < len(checks):
        raise TestFailure("only %d responses from port 80 carried the FIN with their last bytes; "
                          "%d requests ended their connection (capture %s)" % (closing, len(checks), g.pcap))
    steps = " ".join("%s %.1f" % (marks[i][0], marks[i][1] - marks[i-1][1]) for i in range(1, len(marks)))
    return "1 MiB in %.1f s (%.0f KiB/s); %d closing responses with their FIN; seconds per step: %s" % (
        secs, 1024 / secs, closing, steps)


def fin_with_response(pcap):
    """Segments from port 80 with data and FIN: a response that ends its connection
    and its FIN in one segment (httpd sends the last bytes with MSG_MORE and then
    shuts down; see sendall())."""
    out = sh("tshark -r %s -Y 'tcp.srcport == 80 && tcp.len > 0 && tcp.flags.fin == 1' "
             "-T fields -e frame.number" % pcap)
    return len(out.split())


def http_split(data, methods):
    """The responses in data, one per request method in methods, framed by their
    Content-Length (none after HEAD): a list of (status, headers, body)."""
    out = []
    for m in methods:
        head, sep, data = data.partition(b"\r\n\r\n")
        if not sep:
            raise TestFailure("%d responses, not %d: %r" % (len(out), len(methods), head[:200]))
        hdrs = {}
        for l in head.decode("latin-1").split("\r\n")[1:]:
            k, _, v = l.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        n = 0 if m == "HEAD" else int(hdrs.get("content-length", "0"))
        out.append((status_of(head), hdrs, data[:n]))
        data = data[n:]
    if data:
        raise TestFailure("bytes after the last response: %r" % data[:100])
    return out


def ranged(port, path, rng, method="GET", extra=""):
    """One request with `Range: rng` (none if None) on its own connection."""
    req = "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s%s\r\n" % (
        method, path, "" if rng is None else "Range: %s\r\n" % rng, extra)
    return http_split(http_raw(port, req.encode()), [method])[0]


def test_httpd_ranges():
    index = open(os.path.join(ROOT, "www/index.html"), "rb").read()
    big = open(os.path.join(ROOT, "build/www/big.bin"), "rb").read()
    files = {"/index.html": index, "/big.bin": big}
    with boot("apps-httpd-ranges") as g:
        wait_lease(g)
        g.start_httpd()
        port = g.fwdport

        def part(path, rng, first, last, method="GET"):
            data = files[path]
            st, h, body = ranged(port, path, rng, method)
            what = "%s %s Range: %s" % (method, path, rng)
            want = data[first:last + 1] if method == "GET" else b""
            if (st, h.get("content-range"), h.get("content-length"), h.get("accept-ranges")) != \
                    (206, "bytes %d-%d/%d" % (first, last, len(data)), str(last - first + 1), "bytes"):
                raise TestFailure("%s: got %d %r" % (what, st, h))
            if body != want:
                raise TestFailure("%s: %d bytes differ from bytes %d-%d of the file" % (what, len(body), first, last))

        n = len(big)
        part("/big.bin", "bytes=0-99", 0, 99)
        part("/big.bin", "bytes=1000-40000", 1000, 40000)   # mid-block, several reads
        part("/big.bin", "bytes=7-7", 7, 7)
        part("/big.bin", "bytes=%d-" % (n - 3000), n - 3000, n - 1)
        part("/big.bin", "bytes=-500", n - 500, n - 1)
        part("/big.bin", "bytes=%d-%d" % (n - 10, n + 5000), n - 10, n - 1)   # last clamped
        part("/index.html", "bytes=-%d" % (len(index) + 1000), 0, len(index) - 1)   # suffix > file
        part("/index.html", "BYTES=0-99999999999999999999", 0, len(index) - 1)   # clamped, no wrap
        part("/big.bin", "bytes=100-199", 100, 199, method="HEAD")

        for path, rng, method in (("/big.bin", "bytes=%d-" % n, "GET"), ("/index.html", "bytes=-0", "GET"),
                                  ("/big.bin", "bytes=99999999999999999999-", "GET"),
                                  ("/index.html", "bytes=%d-%d" % (len(index), len(index) + 9), "HEAD")):
            st, h, body = ranged(port, path, rng, method)
            size = len(files[path])
            if st != 416 or h.get("content-range") != "bytes */%d" % size:
                raise TestFailure("%s %s Range: %s: got %d %r, want 416 bytes */%d" % (method, path, rng, st, h, size))

        # ignored (the whole file, 200): other units, garbage, last < first, several ranges
        for rng in (None, "items=0-9", "bytes=abc", "bytes=5-2", "bytes=0-1,3-4", "bytes=-", "bytes=10",
                    "bytes=+1-5", "bytes= 0-5", "bytes=0-5x", "bytes=-1-2", "bytes=" + "1" * 80 + "-"):
            st, h, body = ranged(port, "/index.html", rng)
            if st != 200 or body != index or "content-range" in h or h.get("accept-ranges") != "bytes":
                raise TestFailure("Range: %s: got %d %r (%d bytes), want the whole file" % (rng, st, h, len(body)))
        st, h, body = ranged(port, "/index.html", "bytes=0-9", extra="If-Range: \"x\"\r\n")
        if st != 200 or body != index:
            raise TestFailure("If-Range (no validator matches): got %d, want 200 and the file" % st)

        # one keep-alive connection: 206, 416, 206 (HEAD), 200, then close
        reqs = [("GET", "/big.bin", "bytes=10-19"), ("GET", "/big.bin", "bytes=2000000-"),
                ("HEAD", "/index.html", "bytes=-5"), ("GET", "/index.html", None)]
        raw = b"".join(("%s %s HTTP/1.1\r\nHost: x\r\n%s%s\r\n" % (
            m, p, "" if r is None else "Range: %s\r\n" % r,
            "Connection: close\r\n" if i == len(reqs) - 1 else "")).encode() for i, (m, p, r) in enumerate(reqs))
        got = http_split(http_raw(port, raw), [m for m, _, _ in reqs])
        if [(st, len(body)) for st, _, body in got] != [(206, 10), (416, len(got[1][2])), (206, 0), (200, len(index))] \
                or got[0][2] != big[10:20] or got[3][2] != index or got[2][1].get("content-length") != "5":
            raise TestFailure("four requests on one connection: %r" % [(st, h) for st, h, _ in got])
        # and curl, a real client: two ranged requests on one connection
        out = curl("-r 200-299 -o /dev/null -o /dev/null -w '%%{num_connects} %%{http_code} %%{size_download}\\n' "
                   "http://127.0.0.1:%d/big.bin http://127.0.0.1:%d/big.bin" % (port, port))
        if lines(out)[:2] != ["1 206 100", "0 206 100"]:
            raise TestFailure("curl -r, two URLs: (connects, status, bytes) %r" % out)

        for pat in (r'httpd: 10\.0\.2\.2 "GET /big\.bin HTTP/1\.1" 206 100\r?\n',
                    r'httpd: 10\.0\.2\.2 "GET /big\.bin HTTP/1\.1" 416 \d+\r?\n',
                    r'httpd: 10\.0\.2\.2 "HEAD /big\.bin HTTP/1\.1" 206 100\r?\n'):
            if not g.wait_for(pat, timeout=10):
                raise TestFailure("no access-log line /%s/ on the console" % pat)
        g.poweroff()


# ---------------------------------------------------------------- wttr, daytime

def test_wttr_and_daytime_against_standins():
    servers = {m: Server(wttr_handler(m)) for m in ("length", "chunked", "close")}
    day = Server(daytime_handler)
    refused = closed_port()
    try:
        with boot("apps-wttr") as g:
            wait_lease(g)
            for mode, srv in servers.items():
                out = g.run("wttr -s 10.0.2.2:%d Paris" % srv.port, timeout=40)
                forecast_in(out, "wttr with a %s body" % mode)
                req = srv.requests[-1] if srv.requests else ""
                expect_in(r"^GET /Paris\?0 HTTP/1\.1\r\n", req, "wttr's request line")
                expect_in(r"(?im)^user-agent: curl/8", req, "wttr's User-Agent")
                expect_in(r"(?im)^host: 10\.0\.2\.2:%d" % srv.port, req, "wttr's Host header")
            out = g.run("wttr -s 10.0.2.2:%d 'New York'" % servers["length"].port, timeout=40)
            expect_in(r"^GET /New\+York\?0 ", servers["length"].requests[-1], "a location with a space")
            out = g.run("wttr -s 10.0.2.2:%d Nowhere" % servers["length"].port, timeout=40)
            expect_in(r"wttr: 10\.0\.2\.2: server answered 404 Not Found", out, "wttr and a 404")
            out = g.run("wttr -s 10.0.2.2:%d Paris" % refused, timeout=40)
            expect_in(r"wttr: 10\.0\.2\.2 .*port %d: connection refused" % refused, out, "wttr, refused")

            out = g.run("daytime 10.0.2.2 %d" % day.port, timeout=40)
            expect_in(re.escape(DAYTIME), out, "daytime")
            out = g.run("daytime 10.0.2.2 %d" % refused, timeout=40)
            expect_in(r"daytime: .*connection refused", out, "daytime, refused")
            g.poweroff()
    finally:
        for s in list(servers.values()) + [day]:
            s.close()


# ---------------------------------------------------------------- nc, httpget

def test_nc_and_httpget_move_files():
    payload = os.urandom(200 * 1024)
    text = b"hello from the host\n" * 20
    files = {"/payload.bin": payload, "/hello.txt": text}
    web = Server(file_handler(files))
    got = {}

    def sink(srv, c):   # receives one upload, checksums it
        got[srv.port] = recv_all(c)
    up = Server(sink)
    try:
        with boot("apps-nc") as g:
            wait_lease(g)
            # host -> guest: the guest listens on port 80 (forwarded); `nc -l` ends at EOF
            g.stop_boot_httpd()
            g.run("nc -d -l 80 > /in.bin &")
            for _ in range(20):
                if re.search(r"0\.0\.0\.0:80 .*LISTEN", g.run("netstat")):
                    break
                time.sleep(0.5)
            else:
                raise TestFailure("nc -l 80 is not listening (netstat)")
            with socket.create_connection(("127.0.0.1", g.fwdport), timeout=30) as s:
                s.sendall(payload)
                s.shutdown(socket.SHUT_WR)
                s.recv(1)          # nc closes once it has everything
            for _ in range(20):
                out = g.run("wc /in.bin", timeout=20)
                if re.search(r"\b%d /in.bin" % len(payload), out):
                    break
                time.sleep(0.5)
            expect_in(r"\b%d /in.bin" % len(payload), out, "size of the file nc received")
            # guest -> host: send it back; the sha256 proves both directions
            g.run("nc 10.0.2.2 %d < /in.bin" % up.port, timeout=60)
            if sha256(got.get(up.port, b"")) != sha256(payload):
                raise TestFailure("nc round trip: %d bytes came back, sha256 differs" %
                                  len(got.get(up.port, b"")))

            # httpget: to stdout, and a file (Content-Length and chunked), checked by nc
            out = g.run("httpget http://10.0.2.2:%d/hello.txt" % web.port, timeout=40)
            expect_in(re.escape(text.decode().splitlines()[0]), out, "httpget to stdout")
            expect_in(r"httpget: %d bytes" % len(text), out, "httpget's size line")
            for path in ("/payload.bin", "/chunked/payload.bin"):
                out = g.run("httpget http://10.0.2.2:%d%s -o /dl.bin" % (web.port, path), timeout=60)
                expect_in(r"httpget: %d bytes to /dl.bin" % len(payload), out, "httpget " + path)
                got.pop(up.port, None)
                g.run("nc 10.0.2.2 %d < /dl.bin" % up.port, timeout=60)
                if sha256(got.get(up.port, b"")) != sha256(payload):
                    raise TestFailure("httpget %s: the file in the guest differs" % path)
            out = g.run("httpget http://10.0.2.2:%d/missing -o /x" % web.port, timeout=40)
            expect_in(r"server answered 404", out, "httpget of a missing file")
            out = g.run("httpget ftp://10.0.2.2/", timeout=20)
            expect_in(r"only http:// and https:// URLs are supported", out, "httpget ftp://")

            # UDP: one datagram out, the echo back
            echo = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            echo.bind(("127.0.0.1", 0))

            def udp_echo():
                try:
                    echo.settimeout(30)
                    data, peer = echo.recvfrom(2048)
                    echo.sendto(data.upper(), peer)
                except OSError:
                    pass
            threading.Thread(target=udp_echo, daemon=True).start()
            g.run("echo hello udp > /u.txt")
            out = g.run("nc -u -w 2 10.0.2.2 %d < /u.txt" % echo.getsockname()[1], timeout=30)
            echo.close()
            expect_in(r"HELLO UDP", out, "nc -u echo")
            g.poweroff()
    finally:
        web.close()
        up.close()


# ---------------------------------------------------------------- ifconfig, netstat

def test_ifconfig_and_netstat():
    with boot("apps-ifconfig") as g:
        wait_lease(g)
        out = g.run("ifconfig")
        expect_in(r"inet 10\.0\.2\.15  netmask 255\.255\.255\.0", out, "ifconfig address")
        expect_in(r"gateway 10\.0\.2\.2  dns 10\.0\.2\.3", out, "ifconfig gateway and DNS")
        expect_in(r"ether 52:54:00:12:34:56", out, "ifconfig MAC")
        expect_in(r"mtu 1500", out, "ifconfig MTU")
        expect_in(r"dhcp lease since \d+ ms", out, "ifconfig lease")
        m = re.search(r"RX packets (\d+)  bytes (\d+)  errors \d+  dropped \d+", out)
        if not m or int(m.group(1)) < 2:
            raise TestFailure("ifconfig: no received packets counted: %r" % out)
        expect_in(r"TX packets [1-9]\d*  bytes [1-9]", out, "ifconfig TX counters")
        expect_in(r"inet6 fe80::5054:ff:fe12:3456/64 scope link", out, "ifconfig link-local address")
        # SLAAC's address comes about three seconds after boot
        deadline = time.monotonic() + 20
        while not re.search(r"inet6 fec0::5054:ff:fe12:3456/64 scope global(  valid \d+s)?\n", out) and \
                time.monotonic() < deadline:   # past "tentative": duplicate detection done
            time.sleep(1)
            out = g.run("ifconfig")
        expect_in(r"inet6 fec0::5054:ff:fe12:3456/64 scope global(  valid \d+s)?\n", out, "ifconfig SLAAC address")
        expect_in(r"ipv6 router fe80::2  dns fec0::3", out, "ifconfig IPv6 router and DNS")
        expect_in(r"lwip ipv6: in [1-9]\d*  drops \d+", out, "ifconfig IPv6 counters")
        g.run("nc -d -l 8080 &")
        g.run("nc -6 -d -l 8081 &")
        time.sleep(1)
        out = g.run("netstat")
        expect_in(r"tcp\s+0\.0\.0\.0:8080\s+0\.0\.0\.0:\*\s+LISTEN", out, "netstat listener")
        expect_in(r"tcp6\s+\[::\]:8081\s+\[::\]:\*\s+LISTEN", out, "netstat IPv6 listener")
        expect_in(r"tcp6\s+\[::\]:80\s", out, "netstat: httpd on [::]:80")
        g.poweroff()


# ---------------------------------------------------------------- DNS in a namespace

NS = "xv6net-apps%d" % os.getpid()
NSADDR = "192.168.77.1"


def _netns_available():
    if os.geteuid() != 0:
        raise Skip("needs root to create a network namespace and a tap device")
    if subprocess.run("command -v dnsmasq || test -x /usr/sbin/dnsmasq", shell=True,
                      capture_output=True).returncode != 0:
        raise Skip("dnsmasq is not installed (make test installs dnsmasq-base)")


def _start(cmd):
    return subprocess.Popen(["ip", "netns", "exec", NS] + cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wttr_certs(d):
    """A test CA and a certificate for DNS:wttr.in it signs, made in folder d."""
    def r(cmd):
        subprocess.run(cmd, shell=True, cwd=d, check=True, capture_output=True)
    r("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj /CN=wttr-test-ca")
    r("openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=wttr.in")
    open(os.path.join(d, "ext"), "w").write("subjectAltName=DNS:wttr.in\nextendedKeyUsage=serverAuth\n")
    r("openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 30 -extfile ext")


def test_resolver_wttr_daytime_in_namespace():
    """dnsmasq answers wttr.in and time.nist.gov with the namespace's address,
    where stand-ins listen on ports 443 (HTTPS, a certificate for wttr.in from a
    test CA made here and put into the image), 80 and 13: the programs run with
    their default names. nxdomain.test does not exist; weather.test is a CNAME;
    wrong.test has wttr.in's address but is not in its certificate."""
    _netns_available()
    if subprocess.run("command -v openssl", shell=True, capture_output=True).returncode != 0:
        raise Skip("openssl is not installed on the host")
    leases = "/tmp/%s.leases" % NS
    procs = []
    certs = tempfile.mkdtemp(prefix="wttr-certs-")
    base = os.path.join("build", "test-disks", "apps-dns-base.img")
    try:
        _wttr_certs(certs)
        os.makedirs(os.path.join(ROOT, "build", "test-disks"), exist_ok=True)
        fsargs = sh("make -s --no-print-directory -C %s fs-args" % ROOT).split()
        sh("cd %s && build/mkfs %s %s tls/wttr-ca.pem=%s" % (
            ROOT, base, " ".join(fsargs), os.path.join(certs, "ca.pem")))
        sh("ip netns add %s" % NS)
        sh("ip netns exec %s ip link set lo up" % NS)
        sh("ip netns exec %s ip tuntap add dev tap0 mode tap" % NS)
        sh("ip netns exec %s ip addr add %s/24 dev tap0" % (NS, NSADDR))
        sh("ip netns exec %s ip link set tap0 up" % NS)
        procs.append(_start(
            ["dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
             "--no-ping", "--interface=tap0", "--bind-interfaces", "--log-queries",
             "--log-facility=-",
             "--dhcp-range=192.168.77.50,192.168.77.99,255.255.255.0,1h",
             "--dhcp-option=option:router,%s" % NSADDR,
             "--dhcp-option=option:dns-server,%s" % NSADDR,
             "--host-record=wttr.in,%s" % NSADDR,
             "--host-record=time.nist.gov,%s" % NSADDR,
             "--host-record=wrong.test,%s" % NSADDR,
             "--cname=weather.test,wttr.in",
             "--address=/nxdomain.test/",
             "--dhcp-leasefile=" + leases, "--pid-file="]))
        standin = _start([sys.executable, os.path.abspath(__file__), "standin", NSADDR, certs])
        procs.append(standin)
        if standin.stdout.readline().strip() != "ready":
            raise TestFailure("the stand-in servers did not start: %s" % standin.stderr.read()[-500:])
        with boot("apps-dns", net="tap", netns=NS, base=base) as g:
            m = wait_lease(g)
            if m.group(5) != NSADDR:
                raise TestFailure("the lease names DNS server %s, not %s" % (m.group(5), NSADDR))
            out = g.run("nslookup wttr.in", timeout=30)
            expect_in(r"Server:\s+%s" % re.escape(NSADDR), out, "nslookup's server")
            expect_in(r"Name:\s+wttr\.in\s+Address:\s+%s" % re.escape(NSADDR), out, "nslookup wttr.in")
            out = g.run("nslookup weather.test", timeout=30)
            expect_in(r"weather\.test\s+canonical name = wttr\.in", out, "nslookup of a CNAME")
            expect_in(r"Address:\s+%s" % re.escape(NSADDR), out, "the CNAME's address")
            out = g.run("nslookup nothere.nxdomain.test", timeout=30)
            expect_in(r"nslookup: nothere\.nxdomain\.test: name not found \(NXDOMAIN\)", out,
                      "nslookup of a name that does not exist")
            out = g.run("nslookup 10.1.2.3", timeout=30)
            expect_in(r"Address:\s+10\.1\.2\.3", out, "a dotted address needs no query")

            out = g.run("wttr --cacert /tls/wttr-ca.pem Paris", timeout=60)
            forecast_in(out, "wttr Paris over HTTPS through DNS")
            out = g.run("wttr Paris", timeout=60)
            expect_in(r"wttr: wttr\.in: unknown issuer: no trusted CA for CN=wttr-test-ca", out,
                      "wttr with the system bundle, which does not trust the test CA")
            out = g.run("wttr -s https://wrong.test --cacert /tls/wttr-ca.pem Paris", timeout=60)
            expect_in(r"wttr: wrong\.test: name mismatch: the certificate is for DNS:wttr\.in, not wrong\.test",
                      out, "wttr, a name the certificate does not have")
            out = g.run("wttr -k Paris", timeout=60)
            expect_in(r"wttr: warning: -k: using a certificate that fails verification \(unknown issuer", out,
                      "wttr -k's warning")
            forecast_in(out, "wttr -k")
            out = g.run("wttr --http Paris", timeout=40)
            forecast_in(out, "wttr --http Paris through DNS")
            out = g.run("wttr --http -s https://wttr.in Paris", timeout=20)
            expect_in(r"--http and an https:// server contradict", out, "wttr --http with https://")
            out = g.run("wttr -s https://wttr.in:0 Paris", timeout=20)
            expect_in(r"wttr: bad server https://wttr\.in:0", out, "wttr -s with a bad port")
            out = g.run("daytime", timeout=40)
            expect_in(re.escape(DAYTIME), out, "daytime through DNS")
            out = g.run("wttr -s nothere.nxdomain.test Paris", timeout=40)
            expect_in(r"wttr: nothere\.nxdomain\.test: name not found", out, "wttr, NXDOMAIN")
            out = g.run("daytime nothere.nxdomain.test", timeout=40)
            expect_in(r"daytime: nothere\.nxdomain\.test: name not found", out, "daytime, NXDOMAIN")
            t0 = time.monotonic()
            out = g.run("nslookup wttr.in 192.168.77.2", timeout=60)
            expect_in(r"no answer from the DNS server \(timeout\)", out, "a server that never answers")
            waited = time.monotonic() - t0
            g.poweroff()
        return "timeout reported after %.1f s" % waited
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        subprocess.run("ip netns del %s" % NS, shell=True)
        if os.path.exists(leases):
            os.unlink(leases)
        shutil.rmtree(certs, ignore_errors=True)
        if os.path.exists(os.path.join(ROOT, base)):
            os.unlink(os.path.join(ROOT, base))


def _standin_main(addr, certs):
    """The stand-ins inside the namespace: wttr.in over HTTPS on 443 (chunked,
    its certificate from certs) and plain on 80 (chunked), daytime on 13."""
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(certs, "srv.pem"), os.path.join(certs, "srv.key"))
    plain = wttr_handler("chunked")
    Server(lambda srv, c: plain(srv, ctx.wrap_socket(c, server_side=True)), addr, 443)
    Server(plain, addr, 80)
    Server(daytime_handler, addr, 13)
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "standin":
    _standin_main(sys.argv[2], sys.argv[3])
