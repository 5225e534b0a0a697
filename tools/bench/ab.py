#!/usr/bin/python3
"""ab.py: compare builds of our kernel on the bench's bulk rows, the way each change in
docs/performance-notes.md was measured before it was kept.

  tools/bench/ab.py snapshot NAME            build/kernel and a bench file system image
                                             (as make bench makes it) into build/ab/NAME
  tools/bench/ab.py run NAME NAME... [--rounds N] [--cpus C]

`run` boots the snapshots in turn, N rounds (default 3), with C harts (default 1)
pinned as in tools/bench/run.py (C=1: QEMU on core 0, clients on core 1; more:
QEMU on cores 0..C-1, clients unpinned); each boot does 3 downloads of the 16 MiB file from httpd and 3
uploads of it into `sink`, and the table gives each snapshot's medians (min-max) in
MB/s. Alternating boots keep the host's drift out of the comparison; the figures are
not the report's (no Linux here, fewer runs)."""
import argparse, os, shutil, statistics, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as B

AB = os.path.join(B.BUILD, "ab")


def snapshot(name):
    d = os.path.join(AB, name)
    os.makedirs(d, exist_ok=True)
    img = B.make_fs()
    shutil.copy(img, os.path.join(d, "fs-bench.img"))
    shutil.copy(os.path.join(B.BUILD, "kernel"), os.path.join(d, "kernel"))
    print("ab: snapshot %s in %s" % (name, d))


def one_boot(name, data, cpus):
    d = os.path.join(AB, name)
    shutil.copy(os.path.join(d, "kernel"), os.path.join(B.DEPS, "kernel"))  # ours_args boots it
    g = B.Guest("ours", cpus, B.ours_args(os.path.join(d, "fs-bench.img")))
    try:
        g.expect(rb"lease after")
        g.expect(rb"\$ ")
        B.sh(g, "sink 5001 &", rb"sink: listening")
        if not B.wait_http(g):
            raise RuntimeError("%s: no HTTP on the forward" % name)
        time.sleep(0.3)
        down = [B.download(g) for _ in range(3)]
        up = [B.upload(g.ports["sink"], data) for _ in range(3)]
        return down, up
    finally:
        g.stop()


def cell(v):
    return "%.1f (%.1f-%.1f)" % (statistics.median(v), min(v), max(v))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("op", choices=("snapshot", "run"))
    ap.add_argument("names", nargs="+")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cpus", type=int, default=1)
    a = ap.parse_args()
    if a.op == "snapshot":
        for n in a.names:
            snapshot(n)
        return
    for n in a.names:
        if not os.path.exists(os.path.join(AB, n, "kernel")):
            sys.exit("ab: no snapshot %s (tools/bench/ab.py snapshot %s)" % (n, n))
    data = open(os.path.join(B.DEPS, "www", "big16.bin"), "rb").read()
    res = {n: ([], []) for n in a.names}
    for r in range(a.rounds):
        for n in a.names:
            B.log("ab: round %d/%d: %s" % (r + 1, a.rounds, n))
            down, up = one_boot(n, data, a.cpus)
            res[n][0].extend(down)
            res[n][1].extend(up)
    print("CPUS=%d, %d rounds" % (a.cpus, a.rounds))
    print("| snapshot | download MB/s | into a sink MB/s |")
    print("|---|---|---|")
    for n in a.names:
        print("| %s | %s | %s |" % (n, cell(res[n][0]), cell(res[n][1])))


if __name__ == "__main__":
    main()
