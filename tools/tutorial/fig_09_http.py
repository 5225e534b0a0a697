"""Chapter 9's figures: an HTTP exchange with httpd, its log, and the benchmark's
request rates against Linux (read from docs/benchmarks.md, which `make bench` writes)."""
import os, re

from figures import figure, table, fenced, FigureError, ROOT


@figure("http_curl", needs=["boot"])
def http_curl(boot):
    """What curl sent and received on its one connection (curl -v's > and < lines)."""
    out = boot.output("curl -v http://localhost:FWDPORT/ http://localhost:FWDPORT/")
    keep = [l for l in out.split("\n")
            if l.startswith(("> ", "< ")) or "Re-using existing connection" in l]
    text = "\n".join(l.rstrip() for l in keep)
    # the forwarded port is chosen at run time: show it as the reader's FWDPORT
    return fenced(re.sub(r"127\.0\.0\.1:\d+", "localhost:FWDPORT", text))


@figure("http_log", needs=["boot"])
def http_log(boot):
    lines = [l for l in boot.console().split("\n") if l.startswith("httpd: ") or "httpd: 10.0" in l]
    if len(lines) < 2:
        raise FigureError("httpd logged %d requests, not 2" % len(lines))
    return fenced("\n".join(re.sub(r"^.*?httpd:", "httpd:", l) for l in lines[:2]))


BENCH_ROWS = ("requests/s, keep-alive, 1 conn", "requests/s, no keep-alive, 1 conn",
              "requests/s, keep-alive, 8 conns", "requests/s, no keep-alive, 8 conns",
              "bulk TCP guest->host (HTTP 16 MiB)")


@figure("http_bench")
def http_bench():
    """The CPUS=1 rows of the benchmark report for httpd, each with its latency rows."""
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    text = open(path).read()
    m = re.search(r"^## CPUS=1\n\n(.*?)\n\n", text, re.S | re.M)
    if not m:
        raise FigureError("docs/benchmarks.md has no CPUS=1 table")
    date = re.search(r"^- date: (.*)$", text, re.M)
    rows, take = [], False
    for line in m.group(1).split("\n")[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not cells[0].startswith("p"):
            take = cells[0] in BENCH_ROWS
        if take:
            rows.append([cells[0], cells[1], cells[2], cells[4], cells[5]])
    if len(rows) < 9:
        raise FigureError("docs/benchmarks.md: %d of the httpd rows found" % len(rows))
    return ("From [docs/benchmarks.md](../benchmarks.md) (`make bench`, %s; medians of "
            "alternating runs, min–max in brackets; QEMU pinned to one host CPU):\n\n" % (
                date.group(1) if date else "date unknown")) + table(
        ["metric (1 hart)", "unit", "ours", "Linux 6.1 (-O2)", "ours / Linux"], rows)
