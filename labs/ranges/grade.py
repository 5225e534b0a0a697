#!/usr/bin/env python3
"""The checks of lab ranges (hidden from students): byte ranges in httpd
(User/posix/httpd.c). The graded tree is built and booted, a file of known text is
written into the guest's /www, and httpd is asked for parts of it and of /big.bin
through QEMU's port forward. The checks differ from Tests/integration's
test_httpd_ranges on purpose.

  python3 labs/ranges/grade.py [--tree DIR]     (or: make grade LAB=ranges [TREE=DIR])"""
import os, re, socket, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "labs"))
import gradelib  # noqa: E402
from gradelib import Fail  # noqa: E402

TEXT = "ranges lab: 0123456789 abcdefghijklmnopqrstuvwxyz The End\n"   # as xv6's echo writes it
PATH = "/lab.txt"

lab = gradelib.Lab("ranges")


class Ctx:
    """The booted guest's forward and the files it serves (filled by the `boot` check)."""


ctx = Ctx()


def check(name):
    """A check of the range logic against the booted guest; its docstring is its title."""
    def add(fn):
        lab.check("%s: %s" % (name, fn.__doc__.strip().rstrip(".")), needs=["boot"], key=name)(
            lambda: fn(ctx))
        return fn
    return add


@lab.check("the tree builds (make all)")
def build():
    lab.build()


@lab.check("boot, httpd serving, a file of known text in /www", needs=["build"])
def boot():
    g = lab.guest()
    with open(os.path.join(lab.tree, "build", "www", "big.bin"), "rb") as f:
        ctx.files = {PATH: TEXT.encode(), "/big.bin": f.read()}
    ctx.guest, ctx.port = g, g.fwdport
    g.run("echo %s > /www%s" % (TEXT.strip(), PATH))
    g.start_httpd()


# ---------------------------------------------------------------- HTTP, by hand

def exchange(port, reqs, tries=6):
    """Send the requests (method, path, extra header lines) on one connection,
    the last with Connection: close, and return [(status, headers, body)]."""
    raw = b""
    for i, (method, path, extra) in enumerate(reqs):
        close = "Connection: close\r\n" if i == len(reqs) - 1 else ""
        raw += ("%s %s HTTP/1.1\r\nHost: lab\r\n%s%s\r\n" % (method, path, extra, close)).encode()
    data = b""
    for _ in range(tries):      # QEMU's forward may accept before httpd listens
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(raw)
            try:
                while True:
                    d = s.recv(65536)
                    if not d:
                        break
                    data += d
            except socket.timeout:
                raise Fail("no end of the answer within 10 s (%d bytes came)" % len(data))
        if data:
            break
        time.sleep(0.5)
    out = []
    for method, _, _ in reqs:
        head, sep, data = data.partition(b"\r\n\r\n")
        m = re.match(rb"HTTP/1\.1 (\d{3}) ", head)
        if not sep or not m:
            raise Fail("answer %d of %d is not an HTTP response: %r" % (len(out) + 1, len(reqs), head[:80]))
        hdrs = dict((k.strip().lower(), v.strip()) for k, _, v in
                    (l.partition(":") for l in head.decode("latin-1").split("\r\n")[1:]))
        n = 0 if method == "HEAD" else int(hdrs.get("content-length", "0"))
        out.append((int(m.group(1)), hdrs, data[:n]))
        data = data[n:]
    if data:
        raise Fail("%d bytes more than the Content-Lengths say" % len(data))
    return out


def get(ctx, path, rng, method="GET"):
    return exchange(ctx.port, [(method, path, "Range: %s\r\n" % rng if rng is not None else "")])[0]


def want_part(ctx, path, rng, first, last, method="GET"):
    data = ctx.files[path]
    status, h, body = get(ctx, path, rng, method)
    what = "%s %s with Range: %s" % (method, path, rng)
    if status != 206:
        raise Fail("%s: status %d, want 206" % (what, status))
    cr = "bytes %d-%d/%d" % (first, last, len(data))
    if h.get("content-range") != cr:
        raise Fail("%s: Content-Range %r, want %r" % (what, h.get("content-range"), cr))
    if h.get("content-length") != str(last - first + 1):
        raise Fail("%s: Content-Length %r, want %d" % (what, h.get("content-length"), last - first + 1))
    if method == "GET" and body != data[first:last + 1]:
        raise Fail("%s: the body is not bytes %d-%d of the file" % (what, first, last))


def want_416(ctx, path, rng, method="GET"):
    size = len(ctx.files[path])
    status, h, _ = get(ctx, path, rng, method)
    if status != 416 or h.get("content-range") != "bytes */%d" % size:
        raise Fail("%s %s with Range: %s: %d, Content-Range %r; want 416, 'bytes */%d'" % (
            method, path, rng, status, h.get("content-range"), size))


def want_whole(ctx, path, rng):
    status, h, body = get(ctx, path, rng)
    if status != 200 or body != ctx.files[path] or "content-range" in h:
        raise Fail("Range: %s: status %d, Content-Range %r, %d bytes; want 200 and the whole file" % (
            rng, status, h.get("content-range"), len(body)))


@check("full_get")
def full_get(ctx):
    """Full GETs still work."""
    for path in (PATH, "/big.bin"):
        want_whole(ctx, path, None)
    status, _, body = get(ctx, "/", None)
    if status != 200 or b"<html" not in body.lower():
        raise Fail("GET /: status %d" % status)


@check("accept_ranges")
def accept_ranges(ctx):
    """Accept-Ranges: bytes on file responses."""
    h = get(ctx, PATH, None)[1]
    if h.get("accept-ranges") != "bytes":
        raise Fail("a 200 for %s has Accept-Ranges %r" % (PATH, h.get("accept-ranges")))


@check("first_last")
def first_last(ctx):
    """Bytes=first-last."""
    want_part(ctx, PATH, "bytes=11-20", 11, 20)
    want_part(ctx, PATH, "bytes=0-0", 0, 0)


@check("first_to_end")
def first_to_end(ctx):
    """Bytes=first- (to the end)."""
    want_part(ctx, "/big.bin", "bytes=1040000-", 1040000, len(ctx.files["/big.bin"]) - 1)


@check("suffix")
def suffix(ctx):
    """Bytes=-suffix (the last bytes)."""
    want_part(ctx, PATH, "bytes=-7", len(TEXT) - 7, len(TEXT) - 1)


@check("suffix_longer_than_file")
def suffix_longer_than_file(ctx):
    """A suffix longer than the file: all of it, 206."""
    want_part(ctx, PATH, "bytes=-100000", 0, len(TEXT) - 1)


@check("last_clamped")
def last_clamped(ctx):
    """Last-byte-pos past the end is clamped."""
    want_part(ctx, PATH, "bytes=30-4000", 30, len(TEXT) - 1)


@check("overflow_clamped")
def overflow_clamped(ctx):
    """Overflowing numbers do not wrap."""
    want_part(ctx, PATH, "bytes=5-184467440737095516170", 5, len(TEXT) - 1)
    want_part(ctx, PATH, "bytes=-36893488147419103232", 0, len(TEXT) - 1)
    want_416(ctx, PATH, "bytes=36893488147419103232-")


@check("part_across_reads")
def part_across_reads(ctx):
    """A part spanning several reads, mid-block."""
    want_part(ctx, "/big.bin", "bytes=33333-99999", 33333, 99999)


@check("unsatisfiable_416")
def unsatisfiable_416(ctx):
    """416 with Content-Range: bytes */size."""
    n = len(TEXT)
    want_416(ctx, PATH, "bytes=%d-" % n)
    want_416(ctx, PATH, "bytes=%d-%d" % (n + 10, n + 20))
    want_416(ctx, "/big.bin", "bytes=-0")


@check("malformed_ignored")
def malformed_ignored(ctx):
    """Malformed ranges are ignored (200, the whole file)."""
    for rng in ("lines=1-2", "bytes=x-3", "bytes=9-3", "bytes=-", "bytes=4", "bytes=0x10-0x20",
                "bytes=-3-", "bytes=1-2 3", "bytes:1-2"):
        want_whole(ctx, PATH, rng)


@check("several_ranges_ignored")
def several_ranges_ignored(ctx):
    """Several ranges are ignored (200, the whole file)."""
    want_whole(ctx, PATH, "bytes=0-1,5-6")
    want_whole(ctx, PATH, "bytes=-2,0-0")


@check("head_range")
def head_range(ctx):
    """HEAD with a range: a 206's headers, no body."""
    want_part(ctx, "/big.bin", "bytes=500-1499", 500, 1499, method="HEAD")
    want_416(ctx, PATH, "bytes=999-", method="HEAD")


@check("keepalive_after_206_416")
def keepalive_after_206_416(ctx):
    """Keep-alive after 206 and 416."""
    big = ctx.files["/big.bin"]
    got = exchange(ctx.port, [("GET", PATH, "Range: bytes=-3\r\n"), ("GET", "/big.bin", "Range: bytes=9999999-\r\n"),
                              ("GET", "/big.bin", "Range: bytes=64-127\r\n"), ("GET", PATH, "")])
    want = [(206, TEXT[-3:].encode()), (416, None), (206, big[64:128]), (200, TEXT.encode())]
    for i, ((status, _, body), (ws, wb)) in enumerate(zip(got, want)):
        if status != ws or (wb is not None and body != wb):
            raise Fail("request %d of 4 on one connection: status %d (%d bytes), want %d" % (i + 1, status, len(body), ws))


@check("log_line")
def log_line(ctx):
    """One log line per ranged request."""
    get(ctx, PATH, "bytes=2-6")
    get(ctx, PATH, "bytes=5000-")
    for pat in (r'httpd: 10\.0\.2\.2 "GET /lab\.txt HTTP/1\.1" 206 5\r?\n',
                r'httpd: 10\.0\.2\.2 "GET /lab\.txt HTTP/1\.1" 416 \d+\r?\n'):
        if not ctx.guest.wait_for(pat, timeout=5):
            raise Fail("no console line /%s/" % pat)


lab.run()
