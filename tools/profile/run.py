#!/usr/bin/env python3
"""run.py: `make profile WORKLOAD=...`. Boots build/kernel under QEMU, starts the
kernel's sampling profiler (`prof start HZ`), runs a workload, stops, reads the
samples from the console (`prof dump`), symbolises them against build/kernel and
build/user/_<program>, prints a flat profile and writes
build/profile/<workload>.folded (`frame;frame;... count`, for flamegraph.pl or
speedscope) beside the raw dump (<workload>.dump).

Workloads:
  download       curl fetches 16 MiB from the guest's httpd through the forward
  upload-sink    the host sends 16 MiB into `sink 5001`
  upload-file    the host sends 16 MiB into a file (`nc -d -l 5002 > f`)
  cmd:LINE       a shell command line in the guest, e.g. cmd:kerneltests pipedata

usage: tools/profile/run.py [--hz N] [--cpus N] [--nic virtio|e1000] [--top N] WORKLOAD
       tools/profile/run.py --dump FILE [--top N] [--name NAME]   (a saved dump again)
Environment: PROFILE_TASKSET=CPULIST runs QEMU under taskset -c CPULIST (default: not pinned)."""
import argparse, os, re, socket, subprocess, sys, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import kprof as prof  # noqa: E402

ROOT = prof.ROOT
BUILD = os.path.join(ROOT, "build")
OUT = os.path.join(BUILD, "profile")
MIB16 = 16 * 1024 * 1024
NICS = {"virtio": "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1",
        "e1000": "e1000,netdev=net0,bus=pcie.0,romfile="}
PORTS = {"http": 80, "sink": 5001, "file": 5002}


def log(*a):
    print("profile:", *a, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Guest:
    """QEMU with the kernel, a snapshot disk and forwards to PORTS; its console
    is gathered by a thread."""

    def __init__(self, disk, cpus, nic):
        self.ports = {n: free_port() for n in PORTS}
        fwd = ",".join("hostfwd=tcp:127.0.0.1:%d-:%d" % (self.ports[n], PORTS[n]) for n in PORTS)
        cmd = ["qemu-system-riscv64", "-machine", "virt", "-bios", "none",
               "-kernel", os.path.join(BUILD, "kernel"), "-m", "128M", "-smp", str(cpus),
               "-nographic", "-global", "virtio-mmio.force-legacy=false",
               "-drive", "file=%s,if=none,format=raw,id=x0,snapshot=on" % disk,
               "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
               "-netdev", "user,id=net0," + fwd, "-device", NICS[nic]]
        if os.environ.get("PROFILE_TASKSET"):
            cmd = ["taskset", "-c", os.environ["PROFILE_TASKSET"]] + cmd
        self.out = bytearray()
        self.cv = threading.Condition()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            b = os.read(self.proc.stdout.fileno(), 65536)
            if not b:
                break
            with self.cv:
                self.out += b
                self.cv.notify_all()

    def expect(self, pattern, timeout=30, start=0):
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                m = rx.search(self.out, start)
                if m:
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise RuntimeError("no %r on the console; its tail:\n%s" % (
                        pattern, bytes(self.out[-800:]).decode(errors="replace")))
                self.cv.wait(min(left, 0.5))

    def sh(self, line, pattern=rb"\$ ", timeout=30):
        """Types line; waits for pattern after it. Returns the match."""
        with self.cv:
            mark = len(self.out)
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()
        return self.expect(pattern, timeout, mark)

    def stop(self):
        try:
            self.proc.stdin.write(b"poweroff\n")
            self.proc.stdin.flush()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def make_disk():
    """build/fs.img's contents plus www/big16.bin, for the download workload."""
    os.makedirs(OUT, exist_ok=True)
    big = os.path.join(OUT, "big16.bin")
    if not os.path.exists(big) or os.path.getsize(big) != MIB16:
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "genfile.py"), big, str(MIB16)],
                       check=True)
    img = os.path.join(OUT, "fs.img")
    fsargs = subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT, "fs-args"],
                            capture_output=True, text=True, check=True).stdout.split()
    subprocess.run([os.path.join(BUILD, "mkfs"), img] + fsargs + ["www/big16.bin=" + big],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return img


def wait_http(g, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = subprocess.run(["curl", "-s", "-m", "2", "-o", "/dev/null", "-w", "%{http_code}",
                            "http://127.0.0.1:%d/index.html" % g.ports["http"]],
                           capture_output=True, text=True)
        if r.stdout == "200":
            return
        time.sleep(0.2)
    raise RuntimeError("no HTTP on the forward")


def upload(port, data):
    s = socket.create_connection(("127.0.0.1", port), timeout=120)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    while s.recv(4096):
        pass
    s.close()


def run_workload(g, workload, hz):
    """Starts the profiler, runs the workload, stops the profiler. Returns a note."""
    if workload.startswith("cmd:"):
        g.sh("prof start %d; %s; prof stop" % (hz, workload[4:]), rb"prof: \d+ samples held", 600)
        return workload[4:]
    if workload == "upload-sink":
        g.sh("sink 5001 &", rb"sink: listening")
    elif workload == "upload-file":
        g.sh("nc -d -l 5002 > upfile &")
        time.sleep(0.3)
    elif workload == "download":
        wait_http(g)
    else:
        raise SystemExit("run.py: unknown workload %r (download, upload-sink, upload-file, cmd:LINE)"
                         % workload)
    g.sh("prof start %d" % hz)
    t = time.monotonic()
    if workload == "download":
        r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-m", "120", "-w", "%{size_download}",
                            "http://127.0.0.1:%d/big16.bin" % g.ports["http"]],
                           capture_output=True, text=True)
        if r.stdout.strip() != str(MIB16):
            raise RuntimeError("download got %r bytes" % r.stdout)
    else:
        data = open(os.path.join(OUT, "big16.bin"), "rb").read() if os.path.exists(
            os.path.join(OUT, "big16.bin")) else os.urandom(MIB16)
        upload(g.ports["sink" if workload == "upload-sink" else "file"], data)
    dt = time.monotonic() - t
    g.sh("prof stop", rb"prof: \d+ samples held")
    return "16 MiB in %.2f s (%.1f MB/s, while sampling)" % (dt, MIB16 / dt / 1e6)


def capture(workload, hz, cpus, nic):
    disk = make_disk() if workload == "download" or workload.startswith("upload") else \
        os.path.join(BUILD, "fs.img")
    g = Guest(disk, cpus, nic)
    try:
        g.expect(rb"\$ ", 60)
        if not workload.startswith("cmd:"):
            g.expect(rb"en0: .*lease", 30)
        note = run_workload(g, workload, hz)
        m = g.sh("prof dump", rb"profile: end samples=\d+ lost=\d+", 600)
        text = bytes(g.out[:m.end()]).decode(errors="replace")
        text = text[text.rfind("profile: begin"):]
    finally:
        g.stop()
    return text, note


def user_symbols_loader():
    cache = {}

    def load(program):
        if program not in cache:
            path = os.path.join(BUILD, "user", "_" + program)
            cache[program] = prof.load_symbols(path, prof.user_label(program)) \
                if os.path.exists(path) else None
        return cache[program]
    return load


def report(text, name, top):
    dump = prof.Dump(text)
    stacks = prof.symbolise(dump, prof.load_symbols(os.path.join(BUILD, "kernel"),
                                                      mapfile=os.path.join(BUILD, "kernel.map")),
                            user_symbols_loader())
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name + ".folded")
    with open(path, "w") as f:
        f.write("\n".join(prof.folded(dump, stacks)) + "\n")
    print("\n".join(prof.flat(dump, stacks, top)))
    print("folded stacks: %s" % os.path.relpath(path, ROOT))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workload", nargs="?")
    ap.add_argument("--hz", type=int, default=int(os.environ.get("HZ") or 1000))
    ap.add_argument("--cpus", type=int, default=1)
    ap.add_argument("--nic", default="virtio", choices=sorted(NICS))
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--dump", help="symbolise a saved dump instead of running a workload")
    ap.add_argument("--name", help="file name for the outputs (default: from the workload)")
    a = ap.parse_args()
    if a.dump:
        text = open(a.dump).read()
        name = a.name or os.path.splitext(os.path.basename(a.dump))[0]
    elif a.workload:
        text, note = capture(a.workload, a.hz, a.cpus, a.nic)
        name = a.name or re.sub(r"[^A-Za-z0-9_.-]+", "-", a.workload.replace("cmd:", "cmd-")).strip("-")
        if a.nic != "virtio":
            name += "-" + a.nic
        os.makedirs(OUT, exist_ok=True)
        with open(os.path.join(OUT, name + ".dump"), "w") as f:
            f.write(text)
        print("workload %s (CPUS=%d, NIC=%s): %s" % (a.workload, a.cpus, a.nic, note))
    else:
        ap.error("a workload or --dump FILE")
    report(text, name, a.top)


if __name__ == "__main__":
    main()
