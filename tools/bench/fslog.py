#!/usr/bin/env python3
"""fslog.py: times the file system under one or more kernel builds, for changes to the
log or the buffer cache (docs/performance-notes.md, commit messages). Not a test.

  python3 tools/bench/fslog.py [--runs N] [--cpus C] KERNEL...

Boots each KERNEL in turn, alternating, N times each (default 5), every boot on a fresh
copy of build/fs.img, and runs in the guest:
  kerneltests                                   wall-clock seconds, command to prompt
  fsbench write /w1 8192                        one writer, 16 KiB write() calls
  fsbench write /w2 1024 1024                   one writer, 1 KiB write() calls
  fsbench write /w3 512 1024 > /r | fsbench write /w4 512 1024
                                                two writers at once, 1 KiB calls (summed)
Rates are in KB/s (1000 bytes), from fsbench's own byte counts and times.
Prints the median, min and max of each per kernel."""
import argparse, os, re, statistics, sys, tempfile, time

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import fsimage  # noqa: E402

PROMPT = r"\$ $"
RATE = r"fsbench: wrote (\d+) bytes in (\d+) ms"


def boot(kernel, disk, cpus):
    argv = ["-machine", "virt", "-bios", "none", "-kernel", kernel, "-m", "128M",
            "-smp", str(cpus), "-nographic", "-global", "virtio-mmio.force-legacy=false",
            "-drive", "file=%s,if=none,format=raw,id=x0" % disk,
            "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
            "-netdev", "user,id=net0", "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1"]
    c = pexpect.spawn("qemu-system-riscv64", argv, encoding="utf-8", codec_errors="replace",
                      timeout=900)
    c.expect(PROMPT)
    return c


def run(c, line):
    """Type line, wait for the prompt; (seconds, output)."""
    t0 = time.monotonic()
    c.sendline(line)
    c.expect_exact(line)
    c.expect(PROMPT)
    return time.monotonic() - t0, c.before


def rate(out):
    """KB/s of every fsbench line in out, summed (writers that ran together)."""
    found = re.findall(RATE, out)
    if not found:
        raise RuntimeError("no fsbench result in %r" % out[-500:])
    return sum(int(b) / int(ms) for b, ms in found)


def one_boot(kernel, cpus, tmp):
    disk = os.path.join(tmp, "disk.img")
    fsimage.sparse_copy(os.path.join(ROOT, "build", "fs.img"), disk)
    c = boot(kernel, disk, cpus)
    r = {}
    try:
        secs, out = run(c, "kerneltests")
        if "ALL TESTS PASSED" not in out:
            raise RuntimeError("kerneltests failed under %s:\n%s" % (kernel, out[-1500:]))
        r["kerneltests s"] = secs
        r["write 16K KB/s"] = rate(run(c, "fsbench write /w1 8192")[1])
        r["write 1K KB/s"] = rate(run(c, "fsbench write /w2 1024 1024")[1])
        _, out = run(c, "fsbench write /w3 512 1024 > /r | fsbench write /w4 512 1024")
        _, out2 = run(c, "cat /r")
        r["2 writers 1K KB/s"] = rate(out + out2)
        c.sendline("poweroff")
        c.expect(pexpect.EOF)
    finally:
        c.close(force=True)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cpus", type=int, default=3)
    ap.add_argument("kernels", nargs="+")
    a = ap.parse_args()
    results = {k: [] for k in a.kernels}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.runs):
            for k in a.kernels:
                r = one_boot(k, a.cpus, tmp)
                results[k].append(r)
                print("run %d %s: %s" % (i + 1, k, ", ".join("%s %.1f" % kv for kv in r.items())),
                      flush=True)
    print("\nCPUS=%d, %d runs each: median (min-max)" % (a.cpus, a.runs))
    for k in a.kernels:
        cols = []
        for key in results[k][0]:
            v = [r[key] for r in results[k]]
            cols.append("%s %.1f (%.1f-%.1f)" % (key, statistics.median(v), min(v), max(v)))
        print("%s: %s" % (k, "; ".join(cols)))


if __name__ == "__main__":
    main()
