#!/usr/bin/python3
"""exits.py: how often each guest makes QEMU stop and work for it during the bench's bulk
transfers, per MiB moved. Under TCG every guest access to a device register, every queue
notification and every interrupt is a trip out of translated code into QEMU's device
model, under QEMU's global lock, which its I/O thread (slirp, the virtio back ends) needs
too; at CPUS=1 both share one host core. The counts say where a stack's design costs.

Boots ours and the bench's Linux (`make bench` builds it) the way tools/bench/run.py does
(CPUS=1, pinned, user network with hostfwd), with QEMU's trace events for virtio-mmio
logged to a file, and for the 16 MiB download (curl from httpd / refinit), the 16 MiB
upload into the sink and the one into a file (ours `nc -d -l 5002 > upfile`, Linux
refinit's file sink, in its RAM) counts, per MiB:
  kicks       virtio_queue_notify: the driver told the device a queue has new buffers
  irqs        virtio_notify: the device interrupted the guest for a queue
  mmio r / w  virtio-mmio register reads and writes (interrupt status and acknowledge,
              queue notify, ...)
  disk KiB w  KiB the disk was asked to write (virtio_blk_handle_write)
by queue (rx 0, tx 1 of the NIC; blk: the disk's queue), and the transfer's MB/s with
tracing on (slower than without: only the counts matter here).

  /usr/bin/python3 tools/bench/exits.py [--runs N] [--only ours,linux]
"""
import argparse, collections, os, re, statistics, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as B

EVENTS = ("virtio_queue_notify", "virtio_notify", "virtio_mmio_read", "virtio_mmio_write_offset",
          "virtio_blk_handle_write")
LINE = re.compile(r"(virtio_queue_notify|virtio_notify|virtio_mmio_read|virtio_mmio_write_offset"
                  r"|virtio_blk_handle_write) (.*)")


class Trace:
    """QEMU's trace log file, read from a mark on."""

    def __init__(self):
        fd, self.path = tempfile.mkstemp(prefix="exits-", suffix=".log")
        os.close(fd)

    def args(self):
        return sum((["-trace", e] for e in EVENTS), []) + ["-D", self.path]

    def mark(self):
        return os.path.getsize(self.path)

    def count(self, start, devices):
        """Counts from byte start on: {(event, device): n}, device the vdev/proxy
        pointer named through devices (pointer -> name), else the pointer."""
        c = collections.Counter()
        with open(self.path, "rb") as f:
            f.seek(start)
            for raw in f:
                m = LINE.search(raw.decode(errors="replace"))
                if not m:
                    continue
                ev, rest = m.groups()
                if ev == "virtio_queue_notify":       # vdev 0x.. n 1 vq 0x..
                    v = re.search(r"vdev (\S+) n (\d+)", rest)
                    c[(ev, "%s q%s" % (devices.get(v.group(1), v.group(1)), v.group(2)))] += 1
                elif ev == "virtio_notify":           # vdev 0x.. vq 0x..
                    v = re.search(r"vdev (\S+) vq (\S+)", rest)
                    c[(ev, devices.get(v.group(2), devices.get(v.group(1), v.group(1))))] += 1
                elif ev == "virtio_blk_handle_write":  # ... sector N nsectors M
                    v = re.search(r"nsectors (\d+)", rest)
                    c[(ev, "")] += int(v.group(1)) if v else 0
                else:
                    c[(ev, "")] += 1
        return c

    def devices(self, start=0):
        """{vq pointer: 'vdev qN'}: the queues virtio_queue_notify named, so that
        virtio_notify's queue pointer can be told apart."""
        names = {}
        with open(self.path, "rb") as f:
            f.seek(start)
            for raw in f:
                m = re.search(r"virtio_queue_notify vdev (\S+) n (\d+) vq (\S+)",
                              raw.decode(errors="replace"))
                if m:
                    names[m.group(3)] = "%s q%s" % (m.group(1), m.group(2))
        return names

    def close(self):
        os.unlink(self.path)


def measure(kind, fsimg, what):
    """One boot: (MB/s, counts) for what ('down' or 'up-sink')."""
    tr = Trace()
    args = (B.ours_args(fsimg) if kind == "ours" else B.linux_args()) + tr.args()
    g = B.Guest(kind, 1, args)
    try:
        if kind == "ours":
            g.expect(rb"lease after")
            g.expect(rb"\$ ")
            B.sh(g, "sink 5001 &", rb"sink: listening")
            if what == "up-file":
                B.sh(g, "nc -d -l 5002 > upfile &", rb"\$ ")
        else:
            g.expect(rb"refinit: ready", 60)
        if not B.wait_http(g):
            raise RuntimeError("%s: no HTTP" % kind)
        time.sleep(0.5)
        start = tr.mark()
        if what == "down":
            rate = B.download(g)
        else:
            data = open(os.path.join(B.DEPS, "www", "big16.bin"), "rb").read()
            rate = B.upload(g.ports["sink" if what == "up-sink" else "file"], data)
        time.sleep(0.2)
        names = tr.devices()
        return rate, tr.count(start, names), names
    finally:
        g.stop()
        tr.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--only", default="ours,linux")
    a = ap.parse_args()
    fsimg = B.make_fs()
    mib = B.MIB16 / (1 << 20)
    rows = []
    for what in ("down", "up-sink", "up-file"):
        for kind in a.only.split(","):
            for r in range(a.runs):
                rate, c, names = measure(kind, fsimg, what)
                vdevs = collections.defaultdict(set)
                for n in names.values():
                    v, q = n.split(" q")
                    vdevs[v].add(int(q))
                nic = [v for v, qs in vdevs.items() if 1 in qs]
                def qname(s):
                    v, _, q = s.partition(" q")
                    if v in nic:
                        return "nic " + ("rx" if q == "0" else "tx" if q == "1" else "q" + q)
                    return "blk" if v in vdevs else s
                agg = collections.Counter()
                for (ev, dev), n in c.items():
                    agg[(ev, qname(dev) if dev else "")] += n
                rows.append((what, kind, r + 1, rate, agg))
    keys = [("virtio_queue_notify", "nic rx"), ("virtio_queue_notify", "nic tx"),
            ("virtio_queue_notify", "blk"), ("virtio_notify", "nic rx"), ("virtio_notify", "nic tx"),
            ("virtio_notify", "blk"), ("virtio_mmio_read", ""), ("virtio_mmio_write_offset", ""),
            ("virtio_blk_handle_write", "")]
    heads = ["kicks rx", "kicks tx", "kicks blk", "irqs rx", "irqs tx", "irqs blk", "mmio r", "mmio w",
             "disk KiB w"]
    print("| transfer | guest | run | MB/s (traced) | " + " | ".join(heads) + " |")
    print("|---|---|---|---|" + "---|" * len(heads))
    for what, kind, r, rate, agg in rows:
        print("| %s | %s | %d | %.1f | %s |" % (what, kind, r, rate, " | ".join(
            "%.0f" % (agg[k] / mib / (2 if k[0] == "virtio_blk_handle_write" else 1))
            for k in keys)))
    print("(per MiB of the 16 MiB transfer)")


if __name__ == "__main__":
    main()
