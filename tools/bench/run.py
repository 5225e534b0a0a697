#!/usr/bin/python3
"""run.py: `make bench`. Boots our kernel and the references (a Linux 6.1 guest and
Debian's U-Boot, built by tools/bench/build-refs.sh into .deps/bench/) on the same
QEMU, alternating, several runs each, and measures:

  lease      QEMU start -> DHCP lease line on the console (ours, Linux, U-Boot)
  down       16 MiB over HTTP from the guest to curl through the hostfwd, MB/s
  up-sink    16 MiB from the host into a guest TCP sink that drops it, MB/s
  up-file    16 MiB from the host into a guest file (ours: `nc -d -l PORT > f`)
  wrk-*      requests/s and p50/p99 latency for a small file, keep-alive or not
             (Connection: close), 1 and 8 connections
  echo       round trip of 64-byte TCP echo messages, median and p99 in us
  cost       kernel text size; lwIP pool use at rest and under load (`ifconfig`)
  e1000-*    lease, bulk both ways, echo and keep-alive rates with the e1000 as the NIC
  tls-*      HTTPS with the same mbedTLS build and programs in both guests (httpd -s,
             httpget): new connections/s and 16 MiB to a host client (guest as
             server), httpget runs/s and 16 MiB from a host server (guest as client)
  loss-*     TCP under loss (CPUS=1): the guest's NIC through tools/netrelay.py, which
             loses 0.5%, 2% or 5% of frames each way (2 ms delay, seeded): seconds for
             a 1 MiB and a 16 MiB download and upload into the sink. `--parts loss`
             alone prints its table and replaces only its section of the report.

It prints one table (median, min, max, ratio ours/reference), writes
docs/benchmarks.md and docs/benchmarks.png. QEMU is pinned with taskset: CPUS=1
runs on host core 0 and the host-side clients on core 1.

usage: tools/bench/run.py [--runs N] [--cpus 1[,2]] [--only ours,linux,uboot] [--nics virtio,e1000]
                          [--parts net,tap,tls,e1000,loss] [--loss-runs N] [--no-tap] [--no-report]
Environment: BENCH_RUNS (default 5), BENCH_CPUS (default "1,2"), BENCH_WRK_SECS (3),
BENCH_NICS (default "virtio,e1000": the e1000 rows boot both guests once more per run),
BENCH_PARTS (default all: which boots run), BENCH_TLS_SECS (3: the TLS connection-rate figure),
BENCH_LOSS_RUNS (3 per loss rate), BENCH_LOSS_LIMIT (180 s per transfer under loss),
BENCH_LOSS_PCAP (a folder: a capture of each loss boot's NIC, for analysis),
BENCH_LOSS_RATES (percent, default "0.5,2,5"), BENCH_LOSS_TRANSFERS (default
"down1,down16,up1,up16").
Run it as root with /usr/bin/python3 (Debian's matplotlib)."""
import argparse, collections, datetime, os, platform, re, shutil, socket, statistics, subprocess
import sys, tempfile, threading, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPS = os.path.join(ROOT, ".deps", "bench")
BUILD = os.path.join(ROOT, "build")
UBOOT = "/usr/lib/u-boot/qemu-riscv64/u-boot.bin"
MIB16 = 16 * 1024 * 1024
SMALL = "index.html"
WRK_SECS = int(os.environ.get("BENCH_WRK_SECS", "3"))
GUEST_PORTS = {"http": 80, "sink": 5001, "file": 5002, "echo": 7, "ping": 5003, "https": 443,
               "run": 5004}
PINGS = 50                # echo requests to the gateway per run


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


# ------------------------------------------------------------------ a QEMU guest
class Guest:
    """One QEMU process; its console is read by a thread that timestamps output."""

    def __init__(self, kind, cpus, args, tap=None, relay=None):
        """tap: a TapBed to attach to instead of QEMU's user network; clients then
        reach the guest's own address from inside the bed's namespace. relay: a
        netrelay.Child between the guest's NIC and the user network (with the
        same hostfwd ports as without it)."""
        self.kind, self.cpus, self.tap, self.relay = kind, cpus, tap, relay
        if tap:
            self.host, self.ports, self.prefix = None, dict(GUEST_PORTS), tap.prefix
            netdevs = ["-netdev", "tap,id=net0,ifname=%s,script=no,downscript=no" % TapBed.IFNAME]
        else:
            self.host, self.prefix = "127.0.0.1", []
            self.ports = {name: free_port() for name in GUEST_PORTS}
            fwd = ",".join("hostfwd=tcp:127.0.0.1:%d-:%d" % (self.ports[n], GUEST_PORTS[n])
                           for n in GUEST_PORTS)
            netdevs = relay.netdevs(fwd) if relay else ["-netdev", "user,id=net0," + fwd]
        cmd = self.prefix + ["taskset", "-c", "0" if cpus == 1 else "0-%d" % (cpus - 1),
               "qemu-system-riscv64", "-machine", "virt", "-m", "128M",
               "-smp", str(cpus), "-nographic"] + netdevs + args
        self.out = bytearray()
        self.chunks = []          # (monotonic time, total length after the chunk)
        self.lock = threading.Condition()
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        fd = self.proc.stdout.fileno()
        while True:
            b = os.read(fd, 65536)
            if not b:
                break
            with self.lock:
                self.out += b
                self.chunks.append((time.monotonic(), len(self.out)))
                self.lock.notify_all()

    def expect(self, pattern, timeout=30, start=0):
        """Waits for pattern (bytes regex) in the console output after start.
        Returns (match, seconds from QEMU start to the chunk holding its end)."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                m = rx.search(self.out, start)
                if m:
                    for t, end in self.chunks:
                        if end >= m.end():
                            return m, t - self.t0
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    tail = bytes(self.out[-600:]).decode(errors="replace")
                    raise TimeoutError("%s: no %r; console tail:\n%s" % (self.kind, pattern, tail))
                self.lock.wait(min(left, 0.5))

    def mark(self):
        with self.lock:
            return len(self.out)

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def client(cmd, cpus, prefix=(), timeout=120):
    """Runs a host-side client, on core 1 when QEMU has core 0 to itself (inside
    the tap bed's namespace if prefix says so)."""
    if cpus == 1 and os.cpu_count() > 1:
        cmd = ["taskset", "-c", "1"] + cmd
    return subprocess.run(list(prefix) + cmd, capture_output=True, text=True, timeout=timeout)


class TapBed:
    """A network namespace with a tap device and dnsmasq handing out addresses on
    it: the guest is reached at its own address, without hostfwd (whose listen
    backlog of one makes new connections wait for SYN retransmits)."""
    NS, IFNAME, NET = "xv6bench", "tapb", "192.168.78"
    # IPv6: dnsmasq advertises NET6::/64 (router advertisements only, no DHCPv6);
    # each guest makes its SLAAC address from its MAC, the same for both guests
    NET6 = "fd00:78::"
    GUEST6 = "fd00:78::5054:ff:fe12:3456"     # EUI-64 of QEMU's 52:54:00:12:34:56

    def __init__(self):
        self.prefix = ["ip", "netns", "exec", self.NS]
        self.dnsmasq = None

    @staticmethod
    def available():
        if os.geteuid() != 0:
            return "needs root (network namespace and tap device)"
        if not (shutil.which("dnsmasq") or os.path.exists("/usr/sbin/dnsmasq")):
            return "needs dnsmasq"
        return None

    def __enter__(self):
        subprocess.run(["ip", "netns", "del", self.NS], capture_output=True)
        for c in (["ip", "netns", "add", self.NS],
                  self.prefix + ["ip", "link", "set", "lo", "up"],
                  self.prefix + ["ip", "tuntap", "add", "dev", self.IFNAME, "mode", "tap"],
                  self.prefix + ["ip", "addr", "add", self.NET + ".1/24", "dev", self.IFNAME],
                  # no DAD on our side: the tap has no carrier before QEMU opens it
                  self.prefix + ["sysctl", "-q", "-w", "net.ipv6.conf.%s.accept_dad=0" % self.IFNAME],
                  self.prefix + ["ip", "-6", "addr", "add", self.NET6 + "1/64", "dev", self.IFNAME, "nodad"],
                  self.prefix + ["ip", "link", "set", self.IFNAME, "up"]):
            subprocess.run(c, check=True, capture_output=True)
        self.dnsmasq = subprocess.Popen(
            self.prefix + ["dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0",
                           "--no-ping", "--interface=" + self.IFNAME, "--bind-interfaces",
                           "--dhcp-range=%s.50,%s.99,255.255.255.0,1h" % (self.NET, self.NET),
                           "--dhcp-option=option:router,%s.1" % self.NET,
                           "--enable-ra", "--dhcp-range=::,constructor:%s,ra-only,64,1h" % self.IFNAME,
                           "--dhcp-leasefile=/tmp/%s.leases" % self.NS, "--pid-file="],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def __exit__(self, *exc):
        if self.dnsmasq:
            self.dnsmasq.terminate()
            self.dnsmasq.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", self.NS], capture_output=True)


# ------------------------------------------------------------------ measurements
def hostport(g, port):
    """host:port for a URL (an IPv6 host in brackets)."""
    return ("[%s]:%d" if ":" in g.host else "%s:%d") % (g.host, port)


def wait_http(g, timeout=5.0):
    """Waits until the guest really serves HTTP (through the forward a host-side
    connect succeeds even when no guest listener exists, so ask for a page)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = subprocess.run(g.prefix + ["curl", "-s", "-m", "2", "-o", "/dev/null", "-w", "%{http_code}",
                                       "http://%s/%s" % (hostport(g, g.ports["http"]), SMALL)],
                           capture_output=True, text=True)
        if r.stdout == "200":
            return True
        time.sleep(0.2)
    return False


def download(g):
    r = client(["curl", "-s", "-o", "/dev/null", "-m", "60", "-w", "%{size_download} %{time_total}",
                "http://127.0.0.1:%d/big16.bin" % g.ports["http"]], g.cpus)
    size, secs = r.stdout.split()
    if int(size) != MIB16:
        raise RuntimeError("download got %s bytes" % size)
    return MIB16 / float(secs) / 1e6


def download_tap(g):
    """download(), from inside the tap bed's namespace to the guest's own address."""
    r = client(["curl", "-s", "-o", "/dev/null", "-m", "60", "-w", "%{size_download} %{time_total}",
                "http://%s/big16.bin" % hostport(g, g.ports["http"])], g.cpus, g.prefix)
    size, secs = (r.stdout.split() + ["0", "0"])[:2]
    if int(size) != MIB16:
        raise RuntimeError("download got %s bytes" % size)
    return MIB16 / float(secs) / 1e6


# run in the tap bed's namespace: upload() there (argv: host port path); prints MB/s
UPLOADER = """import socket, sys, time
data = open(sys.argv[3], "rb").read()
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=60)
t = time.monotonic()
s.sendall(data)
s.shutdown(socket.SHUT_WR)
while s.recv(4096):
    pass
print(len(data) / (time.monotonic() - t) / 1e6)
"""


def upload_tap(g, port):
    r = client([sys.executable, "-c", UPLOADER, g.host, str(port), os.path.join(DEPS, "www", "big16.bin")],
               g.cpus, g.prefix)
    if r.returncode != 0:
        raise RuntimeError("upload: " + (r.stderr or r.stdout).strip()[-160:])
    return float(r.stdout.split()[-1])


def upload(port, data):
    """Sends data, half-closes, waits for the guest to close: MB/s end to end."""
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    t = time.monotonic()
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    while s.recv(4096):
        pass
    dt = time.monotonic() - t
    s.close()
    return len(data) / dt / 1e6


def percentiles(times):
    """(median, p99) of a list of round trips."""
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def refinit_request(port, line, timeout):
    """Send line to one of the reference's services (refinit.c) through the
    forwarded port; its answer up to the closing "done" line."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(line)
    data = b""
    while not data.endswith(b"done\n"):
        b = s.recv(4096)
        if not b:
            break
        data += b
    s.close()
    return data


def ping_linux(g):
    """The reference's ping service (refinit.c, port 5003): round trips in us."""
    data = refinit_request(g.ports["ping"], b"%d\n" % PINGS, PINGS * 2 + 10)
    rtts = [int(x) for x in re.findall(rb"rtt_us (\d+)", data)]
    if len(rtts) < PINGS // 2:
        raise RuntimeError("ping: %d of %d replies: %r" % (len(rtts), PINGS, data[-100:]))
    return percentiles(rtts)


def ping_ours(g):
    """User/ping.c on the console, an echo request every 10 ms: round trips in us."""
    m, _ = sh(g, "ping -c %d -i 10 10.0.2.2" % PINGS, rb"packet loss[^\n]*\n", PINGS + 20)
    out = bytes(g.out[max(0, m.start() - 200 * PINGS):m.end()])
    rtts = [float(x) * 1000 for x in re.findall(rb"icmp_seq=\d+ ttl=\d+ time=([\d.]+) ms", out)]
    if len(rtts) < PINGS // 2:
        raise RuntimeError("ping: %d of %d replies" % (len(rtts), PINGS))
    return percentiles(rtts[-PINGS:])


def echo_rtt(port, count=2000):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    msg = bytes(range(64))
    times = []
    for i in range(count + 50):
        t = time.perf_counter()
        s.sendall(msg)
        got = 0
        while got < 64:
            b = s.recv(64 - got)
            if not b:
                raise RuntimeError("echo closed")
            got += len(b)
        if i >= 50:                    # the first ones warm up
            times.append((time.perf_counter() - t) * 1e6)
    s.close()
    return percentiles(times)


def parse_lat(s):
    m = re.match(r"([\d.]+)(us|ms|s)", s)
    v, u = float(m.group(1)), m.group(2)
    return v * {"us": 1e-3, "ms": 1.0, "s": 1e3}[u]


def listen_overflows():
    """The host's count of connections its listening sockets had no room for
    (TcpExt ListenOverflows, of this process's network namespace)."""
    try:
        lines = [l.split() for l in open("/proc/net/netstat") if l.startswith("TcpExt:")]
        return int(dict(zip(lines[0], lines[1]))["ListenOverflows"])
    except (OSError, IndexError, KeyError, ValueError):
        return None


def wrk(g, conns, keepalive):
    """requests/s, p50 and p99 in ms, and a note ("" if none). wrk corrects its
    latencies for coordinated omission: one request that waits T adds about
    T / (mean interval) samples between it and the interval, so a few slow
    first requests move the p99. Through hostfwd those come from QEMU's
    listening socket (backlog 1): connections it has no room for wait for the
    client's SYN or data retry (0.2-1 s). The note counts them."""
    cmd = ["wrk", "-t1", "-c%d" % conns, "-d%ds" % WRK_SECS, "--latency", "--timeout", "5s"]
    if not keepalive:
        cmd += ["-H", "Connection: close"]
    before = listen_overflows() if not g.prefix else None
    r = client(cmd + ["http://%s/%s" % (hostport(g, g.ports["http"]), SMALL)], g.cpus, g.prefix)
    after = listen_overflows() if before is not None else None
    if not re.search(r"99%\s+\S+", r.stdout):
        raise RuntimeError("wrk: " + " ".join(r.stdout.split())[-160:])
    try:
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", r.stdout).group(1))
        # the distribution's own lines: "  50%    1.33ms" (a stats line can hold
        # "95.50%" too)
        p50 = parse_lat(re.search(r"^\s*50%\s+(\S+)", r.stdout, re.M).group(1))
        p99 = parse_lat(re.search(r"^\s*99%\s+(\S+)", r.stdout, re.M).group(1))
    except (AttributeError, ValueError):
        raise RuntimeError("wrk output not understood: " + " ".join(r.stdout.split())[-200:])
    errs = re.search(r"Socket errors: (.*)", r.stdout)
    note = "socket errors " + errs.group(1) if errs else ""
    if after is not None and after > before:
        n = after - before
        note += ("; " if note else "") + ("%d connection%s waited for a retry at the forward's "
                                          "listening socket (p99 %.1f ms)" % (n, "" if n == 1 else "s", p99))
    return rps, p50, p99, note


# ------------------------------------------------------------------ the guests
# The guest's NIC: virtio-net on virtio-mmio (every row), or the e1000 on the
# PCIe bus (the e1000 rows; Linux with its own e1000 driver).
NIC_DEVICES = {"virtio": ["-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1"],
               "e1000": ["-device", "e1000,netdev=net0,bus=pcie.0,romfile="]}  # no option ROM: not run


def ours_args(fsimg, nic="virtio"):
    return ["-bios", "none", "-kernel", os.path.join(DEPS, "kernel"),
            "-global", "virtio-mmio.force-legacy=false",
            "-drive", "file=%s,if=none,format=raw,id=x0,snapshot=on" % fsimg,
            "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"] + NIC_DEVICES[nic]


def linux_args(nic="virtio", append=""):
    return ["-bios", "default", "-kernel", os.path.join(DEPS, "Image"),
            "-initrd", os.path.join(DEPS, "initramfs.cpio"),
            "-append", "console=ttyS0 ip=dhcp" + append,
            "-global", "virtio-mmio.force-legacy=false"] + NIC_DEVICES[nic]


def uboot_args():
    return ["-bios", UBOOT, "-global", "virtio-mmio.force-legacy=false",
            "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1"]


def sh(g, line, pattern=rb"\$ ", timeout=10):
    m = g.mark()
    g.send(line + "\n")
    return g.expect(pattern, timeout, m)


def lwip_mem(g):
    m, _ = sh(g, "ifconfig", rb"lwip: pbuf pool (\d+)/(\d+)\s+tcp pcbs (\d+)\s+udp pcbs (\d+)\s+heap (\d+) bytes")
    return int(m.group(1)), int(m.group(5)), int(m.group(2))


def attempt(g, res, what, fn):
    """Runs one measurement; a failure is noted and the others still run."""
    try:
        return fn()
    except Exception as e:
        log("%s %s failed: %s" % (g.kind, what, e))
        res["notes"].append("%s %s: %s" % (g.kind, what, str(e).splitlines()[0][:160]))
        return None


def measure(g, res, what, fn, *keys):
    """attempt() one measurement and file its value, or its values in order, under
    keys (a None key drops that value)."""
    v = attempt(g, res, what, fn)
    if v is not None:
        for key, x in zip(keys, v if len(keys) > 1 else (v,)):
            if key:
                res[key].append(x)
    return v


def run_network(g, res, fileup, prefix="", ping=True, keepalive_only=False):
    """The measurements the HTTP guests share, under keys starting with prefix;
    fileup() starts a file receiver (None: no upload into a file)."""
    if not wait_http(g):
        raise RuntimeError("%s: no HTTP on the forward" % g.kind)
    data = open(os.path.join(DEPS, "www", "big16.bin"), "rb").read()
    bulk = [("down", lambda: download(g)), ("up-sink", lambda: upload(g.ports["sink"], data))]
    if fileup:
        bulk.append(("up-file", lambda: (fileup(), upload(g.ports["file"], data))[1]))
    for key, fn in bulk:
        measure(g, res, prefix + key, fn, prefix + key)
    measure(g, res, prefix + "echo", lambda: echo_rtt(g.ports["echo"]),
            prefix + "echo-p50", prefix + "echo-p99")
    if ping:
        measure(g, res, prefix + "ping", lambda: (ping_ours if g.kind == "ours" else ping_linux)(g),
                prefix + "ping-p50", prefix + "ping-p99")
    request_rates(g, res, prefix, (True,) if keepalive_only else (True, False))


def request_rates(g, res, prefix, modes=(True, False)):
    """wrk with 1 and 8 connections, keep-alive and not (modes); keys
    <prefix>wrk-c<N>-<ka|close>."""
    for conns in (1, 8):
        for ka in modes:
            name = "%swrk-c%d-%s" % (prefix, conns, "ka" if ka else "close")
            v = measure(g, res, name, lambda: wrk(g, conns, ka), name, name + "-p50", name + "-p99")
            if v and v[3]:
                res["notes"].append("%s CPUS=%d %s: %s" % (g.kind, g.cpus, name, v[3]))


def run_tap(kind, cpus, res, bed, fsimg):
    """The request-rate figures again, with the guest on the tap bed and wrk in its
    namespace: no hostfwd in the path. Then over IPv6 to the guest's SLAAC address
    (hostfwd has no IPv6, so these rows exist only here): bulk both ways (into a
    sink, ours listening on [::]; into a file) and the request rates, keys tap6-*."""
    if kind == "ours":
        g = Guest("ours", cpus, ours_args(fsimg), tap=bed)
        lease, ready = rb"en0: \S+ (\d+\.\d+\.\d+\.\d+)/", rb"\$ "
    else:
        g = Guest("linux", cpus, linux_args(), tap=bed)
        lease, ready = rb"ipaddr=(\d+\.\d+\.\d+\.\d+)", rb"refinit: ready"
    try:
        m, _ = g.expect(lease, 60)
        g.host = m.group(1).decode()
        g.expect(ready, 30)
        if kind == "ours":
            sh(g, "sink 5001 &", rb"sink: listening")
        if not wait_http(g, 10):
            raise RuntimeError("%s: no HTTP at %s on the tap bed" % (kind, g.host))
        request_rates(g, res, "tap-")
        # the IPv4 download on the tap too: what tap6-down compares with
        measure(g, res, "tap-down", lambda: download_tap(g), "tap-down")
        g.host = bed.GUEST6
        # SLAAC: an address about a second after the router advertisement (DAD)
        if not wait_http(g, 20):
            raise RuntimeError("%s: no HTTP at [%s] on the tap bed (IPv6)" % (kind, g.host))
        measure(g, res, "tap6-down", lambda: download_tap(g), "tap6-down")
        measure(g, res, "tap6-up-sink", lambda: upload_tap(g, g.ports["sink"]), "tap6-up-sink")
        # into a file over IPv6, both guests: ours `nc -6 -d -l` (listens on [::])
        if kind == "ours":
            sh(g, "nc -6 -d -l %d > upfile &" % g.ports["file"], rb"\$ ")
            time.sleep(0.3)
        measure(g, res, "tap6-up-file", lambda: upload_tap(g, g.ports["file"]), "tap6-up-file")
        request_rates(g, res, "tap6-", (True, False))
    finally:
        g.stop()


def run_ours(cpus, res, fsimg):
    g = Guest("ours", cpus, ours_args(fsimg))
    try:
        m, t = g.expect(rb"en0: .* \(lease after (\d+) ms\)")
        res["lease"].append(t * 1000)
        res["lease-self"].append(float(m.group(1)))
        g.expect(rb"\$ ")
        rest = lwip_mem(g)
        res["pool-rest"].append(rest[0])
        res["heap-rest"].append(rest[1])
        res["pool-size"].append(rest[2])
        # httpd runs from boot (init starts it), logging each request on the
        # console as a user would see it
        sh(g, "sink 5001 &", rb"sink: listening")
        sh(g, "tcpecho 7 &", rb"tcpecho: listening")

        def fileup():
            sh(g, "nc -d -l 5002 > upfile &", rb"\$ ")
            time.sleep(0.3)
        run_network(g, res, fileup)
        # pools under load: ifconfig while 8 keep-alive clients hammer httpd
        th = threading.Thread(target=wrk, args=(g, 8, True))
        th.start()
        time.sleep(1.0)
        load = lwip_mem(g)
        th.join()
        res["pool-load"].append(load[0])
        res["heap-load"].append(load[1])
    finally:
        g.stop()


def run_linux(cpus, res):
    g = Guest("linux", cpus, linux_args())
    try:
        m, t = g.expect(rb"IP-Config: Complete", 60)
        res["lease"].append(t * 1000)
        g.expect(rb"refinit: ready")
        run_network(g, res, lambda: None)
    finally:
        g.stop()


def run_e1000(kind, cpus, res, fsimg):
    """The e1000 rows: lease, bulk both ways, echo and keep-alive request rates with
    the e1000 as the guest's NIC, ours against Linux's e1000 driver."""
    if kind == "ours":
        g = Guest("ours", cpus, ours_args(fsimg, "e1000"))
        lease = rb"en0: .* \(lease after (\d+) ms\)"
    else:
        g = Guest("linux", cpus, linux_args("e1000"))
        lease = rb"IP-Config: Complete"
    try:
        _, t = g.expect(lease, 60)
        res["e1000-lease"].append(t * 1000)
        if kind == "ours":
            g.expect(rb"\$ ")
            sh(g, "sink 5001 &", rb"sink: listening")
            sh(g, "tcpecho 7 &", rb"tcpecho: listening")
        else:
            g.expect(rb"refinit: ready")
        run_network(g, res, None, prefix="e1000-", ping=False, keepalive_only=True)
    finally:
        g.stop()


def run_uboot(cpus, res):
    """U-Boot's lease: QEMU start to its prompt-ready line, plus the time its `dhcp`
    command takes once typed (what a boot script running dhcp first would see)."""
    g = Guest("uboot", cpus, uboot_args())
    try:
        _, tready = g.expect(rb"Hit any key to stop autoboot", 30)
        g.send(" ")
        g.expect(rb"=> ")
        sh(g, "setenv autoload no", rb"=> ")
        m = g.mark()
        t = time.monotonic()
        g.send("dhcp\n")
        _, tbound = g.expect(rb"DHCP client bound to address", 30, m)
        res["lease"].append((tready + (tbound - (t - g.t0))) * 1000)
    finally:
        g.stop()


# ------------------------------------------------------------------ TLS rows
# Both guests run the same TLS code: ours httpd -s and httpget (User/posix,
# User/tls, mbedTLS 2.28.3 with User/tls/mbedtls_config.h); the Linux guest the
# same sources built for it by build-refs.sh (.deps/bench/tls/), started through
# refinit's run service (port 5004). One cipher suite, pinned from the host side
# in both directions (the guests offer and accept all of their config's suites):
# TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE on P-256 and a P-256 server key
# (tools/bench/build-refs.sh makes .deps/bench/tlskeys/).
TLS_SUITE = "ECDHE-ECDSA-AES128-GCM-SHA256"
TLS_KEYS = os.path.join(DEPS, "tlskeys")
TLS_HS_SECS = float(os.environ.get("BENCH_TLS_SECS", "3"))
TLS_CLI_BATCHES, TLS_CLI_PER_BATCH = 3, 5   # guest client: 3 batches of 5 httpget runs


def tls_context(server):
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server else ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(TLS_SUITE)
    ctx.set_ecdh_curve("prime256v1")      # a client then offers only P-256
    if server:
        ctx.load_cert_chain(os.path.join(TLS_KEYS, "bench.crt"), os.path.join(TLS_KEYS, "bench.key"))
    else:
        ctx.load_verify_locations(os.path.join(TLS_KEYS, "ca.crt"))
    return ctx


class TlsStandIn:
    """The host's HTTPS server for the guest-client rows: Python's ssl (OpenSSL,
    native code), one thread, one connection at a time, the suite pinned. GET
    /NAME serves .deps/bench/www/NAME or www/NAME with Content-Length and
    Connection: close. Per connection it records (handshake done, request read,
    peer closed) in monotonic seconds."""

    def __init__(self):
        self.ctx = tls_context(True)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))      # a guest reaches it as 10.0.2.2
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.conns, self.errors, self.suites = [], [], set()
        self.files = {}
        threading.Thread(target=self._serve, daemon=True).start()

    def body(self, name):
        if name not in self.files:
            for d in (os.path.join(DEPS, "www"), os.path.join(ROOT, "www")):
                if os.path.isfile(os.path.join(d, name)):
                    self.files[name] = open(os.path.join(d, name), "rb").read()
                    break
        return self.files.get(name)

    def _serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            c.settimeout(60)
            try:
                s = self.ctx.wrap_socket(c, server_side=True)
                ths = time.monotonic()
                self.suites.add(s.cipher()[0])
                req = b""
                while b"\r\n\r\n" not in req:
                    b = s.recv(4096)
                    if not b:
                        raise RuntimeError("closed before the request")
                    req += b
                treq = time.monotonic()
                name = req.split(b" ")[1].decode().lstrip("/")
                data = self.body(name)
                if data is None:
                    s.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                else:
                    s.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(data))
                    s.sendall(data)
                try:
                    while s.recv(4096):       # until the client's close_notify or close
                        pass
                except Exception:
                    pass
                self.conns.append((ths, treq, time.monotonic(), name))
            except Exception as e:
                self.errors.append(str(e))
            finally:
                c.close()

    def since(self, first, count):
        """The connections recorded from index first on, once count of them are
        (the last one is recorded when the guest's close reaches us: wait a little)."""
        deadline = time.monotonic() + 3
        while len(self.conns) - first < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.conns[first:]


def tls_get(port, path):
    """One new TLS connection to the guest's httpd -s through the forward: the
    handshake, GET path (Connection: close), the body to the end."""
    ctx = tls_context(False)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as c:
        with ctx.wrap_socket(c, server_hostname="127.0.0.1") as s:
            if s.cipher()[0] != TLS_SUITE or s.version() != "TLSv1.2":
                raise RuntimeError("negotiated %s %s" % (s.version(), s.cipher()[0]))
            s.sendall(b"GET /%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % path.encode())
            got = b""
            while True:
                try:
                    b = s.recv(65536)
                except Exception:
                    break
                if not b:
                    break
                got += b
    if not got.startswith(b"HTTP/1.1 200"):
        raise RuntimeError("answer %r" % got[:60])
    return got


def tls_server_rate(g):
    """Guest as server: new HTTPS connections per second, one after the other for
    TLS_HS_SECS, each a full handshake (no resumption in either guest) and a GET
    of the small file."""
    tls_get(g.ports["https"], SMALL)            # warm-up: binaries and files cached
    n, t0 = 0, time.monotonic()
    while time.monotonic() - t0 < TLS_HS_SECS or n < 3:
        tls_get(g.ports["https"], SMALL)
        n += 1
    return n / (time.monotonic() - t0)


def tls_server_down(g):
    """Guest as server: 16 MiB over HTTPS to curl (suite and curve pinned)."""
    r = client(["curl", "-s", "-o", "/dev/null", "-m", "120", "--tls-max", "1.2", "--ciphers", TLS_SUITE,
                "--curves", "prime256v1", "--cacert", os.path.join(TLS_KEYS, "ca.crt"),
                "-w", "%{size_download} %{time_total}",
                "https://127.0.0.1:%d/big16.bin" % g.ports["https"]], g.cpus)
    size, secs = (r.stdout.split() + ["0", "0"])[:2]
    if int(size) != MIB16:
        raise RuntimeError("https download got %s bytes (%s)" % (size, r.stderr.strip()[-100:]))
    return MIB16 / float(secs) / 1e6


def guest_httpget(g, count, url, out):
    """Runs the guest's httpget count times in a row, nothing between the runs.
    Ours: the script TLS_SCRIPT (made by make_fs, as the console takes lines of
    at most 127 bytes) through `sh <` for the batch, a typed line for one run;
    Linux: refinit's run service."""
    if g.kind == "ours":
        if count == 1:
            sh(g, "httpget --cacert benchca.crt -o %s %s" % (out, url), rb"\$ ", 90)
        else:
            if (count, url, out) != TLS_SCRIPT_RUNS:
                raise RuntimeError("no script for %r" % ((count, url, out),))
            sh(g, "sh < tlsrun", rb"tlsrun: done", 60 + 30 * count)
    else:
        data = refinit_request(g.ports["run"], b"%d /httpget --cacert /tls/ca.crt -o /%s %s\n" % (
            count, out.encode(), url.encode()), 60 + 30 * count)
        if data.count(b"exit 0\n") != count:
            raise RuntimeError("httpget runs: %r; console: %r" % (data[-40:], bytes(g.out[-300:])))


TLS_SCRIPT_RUNS = None   # (count, url, out) of ours' tlsrun script, set by make_fs


def tls_script(server):
    """The file `tlsrun` in our image: TLS_CLI_PER_BATCH httpget runs of the small
    file from the stand-in, then a line to wait for."""
    global TLS_SCRIPT_RUNS
    url = "https://10.0.2.2:%d/%s" % (server.port, SMALL)
    TLS_SCRIPT_RUNS = (TLS_CLI_PER_BATCH, url, "hs")
    path = os.path.join(DEPS, "tlsrun.sh")
    with open(path, "w") as f:
        f.write("httpget --cacert benchca.crt -o hs %s\n" % url * TLS_CLI_PER_BATCH)
        f.write("echo tlsrun: done\n")
    return path


def tls_client_rate(g, server):
    """Guest as client: httpget runs per second, each a new process (exec, CA
    file loaded), a full handshake and a GET of the small file into a file; from
    the host server's handshake times, within batches of TLS_CLI_PER_BATCH."""
    url = "https://10.0.2.2:%d/%s" % (server.port, SMALL)
    guest_httpget(g, 1, url, "hs")              # warm-up
    intervals = 0.0
    for _ in range(TLS_CLI_BATCHES):
        first = len(server.conns)
        guest_httpget(g, TLS_CLI_PER_BATCH, url, "hs")
        got = server.since(first, TLS_CLI_PER_BATCH)
        if len(got) != TLS_CLI_PER_BATCH:
            raise RuntimeError("%d of %d connections (%s)" % (len(got), TLS_CLI_PER_BATCH,
                                                             "; ".join(server.errors[-2:])))
        intervals += got[-1][0] - got[0][0]
    return TLS_CLI_BATCHES * (TLS_CLI_PER_BATCH - 1) / intervals


def tls_client_down(g, server):
    """Guest as client: httpget of the 16 MiB file into a file in the guest,
    MB/s from the request's arrival to the client's close (host's clock)."""
    first = len(server.conns)
    guest_httpget(g, 1, "https://10.0.2.2:%d/big16.bin" % server.port, "dl")
    got = server.since(first, 1)
    if len(got) != 1:
        raise RuntimeError("no download (%s)" % "; ".join(server.errors[-2:]))
    return MIB16 / (got[0][2] - got[0][1]) / 1e6


def run_tls(kind, cpus, res, fsimg, server):
    """The TLS rows: the guest as HTTPS server (httpd -s on 443 beside the
    plain one) and as client (httpget against server, the TlsStandIn the whole
    run shares: ours' tlsrun script names its port), user network."""
    rng = ["-object", "rng-random,filename=/dev/urandom,id=rng0",
           "-device", "virtio-rng-device,rng=rng0,bus=virtio-mmio-bus.2"]
    if kind == "ours":
        g = Guest("ours", cpus, ours_args(fsimg) + rng)
    else:
        # the wall clock for the certificates' dates (ours reads QEMU's RTC)
        g = Guest("linux", cpus, linux_args(append=" benchtime=%d" % time.time()) + rng)
    try:
        if kind == "ours":
            g.expect(rb"\$ ", 60)
            sh(g, "httpd -p 8080 -s bench.crt bench.key &", rb"\$ ")
        else:
            g.expect(rb"refinit: ready", 60)
            s = socket.create_connection(("127.0.0.1", g.ports["run"]), timeout=10)
            s.sendall(b"0 /httpd -q -p 8080 -r /www -s /tls/bench.crt /tls/bench.key\n")
            if not s.recv(100).startswith(b"started"):
                raise RuntimeError("linux: httpd -s not started")
            s.close()
        deadline = time.monotonic() + 20
        while True:                     # the key loads and the listeners come up
            try:
                tls_get(g.ports["https"], SMALL)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise RuntimeError("%s: no HTTPS on the forward" % kind)
                time.sleep(0.5)
        measure(g, res, "tls-srv-hs", lambda: tls_server_rate(g), "tls-srv-hs")
        measure(g, res, "tls-srv-down", lambda: tls_server_down(g), "tls-srv-down")
        measure(g, res, "tls-cli-hs", lambda: tls_client_rate(g, server), "tls-cli-hs")
        measure(g, res, "tls-cli-down", lambda: tls_client_down(g, server), "tls-cli-down")
        if server.suites - {TLS_SUITE}:
            res["notes"].append("%s TLS: the host server negotiated %s" % (kind, server.suites))
    finally:
        g.stop()


# ------------------------------------------------------------------ TCP under loss
# The guest's NIC on QEMU's dgram netdev, tools/netrelay.py (a child, netrelay.Child)
# between it and QEMU's user network with the usual hostfwd ports: for both guests
# the TCP peer is QEMU's slirp, the host clients reach slirp over loopback. Each
# boot is lossless with the relay's 2 ms delay each way; before each transfer the
# relay gets the loss rate (both ways) and a seed (100 * run + transfer: the same
# for both guests in a run, different between runs), after it loss 0 again.
sys.path.insert(0, os.path.join(ROOT, "tools"))
import netrelay  # noqa: E402

LOSS_RATES = tuple(float(r) / 100 for r in os.environ.get("BENCH_LOSS_RATES", "0.5,2,5").split(","))
LOSS_DELAY = 2                # ms, each way
LOSS_LIMIT = float(os.environ.get("BENCH_LOSS_LIMIT", "180"))   # s per transfer
LOSS_PCAP = os.environ.get("BENCH_LOSS_PCAP")   # a folder: one capture per boot
# way and MiB of each transfer; BENCH_LOSS_TRANSFERS=down1,down16 keeps to some
LOSS_TRANSFERS = tuple((t[:-2] if t.endswith("16") else t[:-1], int(t[-2:] if t.endswith("16") else t[-1]))
                       for t in os.environ.get("BENCH_LOSS_TRANSFERS", "down1,down16,up1,up16").split(","))
LOSS_FILES = {1: "big.bin", 16: "big16.bin"}
LOSS_HEADING = "## TCP under loss (the project's relay)"


def loss_key(rate, way, mib):
    return "loss-%g-%s-%d" % (rate * 100, way, mib)


def loss_seed(run, transfer):
    return 100 * (run + 1) + transfer


def loss_download(g, name, size):
    """curl of www/name through the forward: seconds, None when it took longer
    than LOSS_LIMIT."""
    r = client(["curl", "-s", "-o", "/dev/null", "-m", "%d" % LOSS_LIMIT,
                "-w", "%{size_download} %{time_total}",
                "http://127.0.0.1:%d/%s" % (g.ports["http"], name)], g.cpus, timeout=LOSS_LIMIT + 30)
    if r.returncode == 28:
        return None
    got, secs = (r.stdout.split() + ["0", "0"])[:2]
    if int(got) != size:
        raise RuntimeError("download got %s of %d bytes (curl exit %d)" % (got, size, r.returncode))
    return float(secs)


def loss_upload(port, data):
    """upload() bounded by LOSS_LIMIT: seconds from the connect to the guest's
    close after our half-close, None when that took longer."""
    deadline = time.monotonic() + LOSS_LIMIT
    left = lambda: max(0.05, deadline - time.monotonic())
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=left()) as s:
            t, view, sent = time.monotonic(), memoryview(data), 0
            while sent < len(data):
                s.settimeout(left())
                sent += s.send(view[sent:sent + 65536])
            s.shutdown(socket.SHUT_WR)
            while True:
                s.settimeout(left())
                if not s.recv(4096):
                    return time.monotonic() - t
    except socket.timeout:
        return None


def run_loss(kind, cpus, res, fsimg, rate, run):
    """One boot behind the relay: the LOSS_TRANSFERS at loss rate, each with its
    seed; per transfer its seconds (LOSS_LIMIT and a -timeout entry when it ran
    out) and the relay's counters over it (-relay: lost down, lost up, frames
    down, frames up)."""
    relay = netrelay.Child(netrelay.free_udp_port(), netrelay.free_udp_port(),
                           seed=loss_seed(run, 0), opts=["--delay", LOSS_DELAY])
    g = None
    try:
        args = ours_args(fsimg) if kind == "ours" else linux_args()
        if LOSS_PCAP:
            os.makedirs(LOSS_PCAP, exist_ok=True)
            args += ["-object", "filter-dump,id=lossdump,netdev=net0,file=%s" % os.path.join(
                LOSS_PCAP, "%s-loss%g-run%d.pcap" % (kind, rate * 100, run + 1))]
        g = Guest(kind, cpus, args, relay=relay)
        if kind == "ours":
            g.expect(rb"\$ ", 60)
            sh(g, "sink 5001 &", rb"sink: listening")
        else:
            g.expect(rb"refinit: ready", 60)
        if not wait_http(g, 20):
            raise RuntimeError("%s: no HTTP through the relay" % kind)
        for j, (way, mib) in enumerate(LOSS_TRANSFERS):
            key, name = loss_key(rate, way, mib), LOSS_FILES[mib]
            data = open(os.path.join(DEPS, "www", name), "rb").read()
            relay.configure(both={"loss": rate}, seed=loss_seed(run, j))
            before = relay.stats()
            fn = (lambda: loss_download(g, name, len(data))) if way == "down" else (
                lambda: loss_upload(g.ports["sink"], data))
            done = attempt(g, res, key, lambda: (fn(),))      # None: failed (noted)
            relay.configure(both={"loss": 0})
            after = relay.stats()
            res[key + "-relay"].append(tuple(after[d][c] - before[d][c] for c, d in (
                ("lost", "down"), ("lost", "up"), ("frames", "down"), ("frames", "up"))))
            if done is None:
                continue
            secs = done[0]
            if secs is None:
                res[key + "-timeout"].append(1)
                res["notes"].append("%s %s (run %d): no end within %g s" % (kind, key, run + 1, LOSS_LIMIT))
            res[key].append(LOSS_LIMIT if secs is None else secs)
    finally:
        if g:
            g.stop()
        relay.stop()


def loss_cell(res, key):
    vals = res.get(key, [])
    if not vals:
        return "-"
    med, lo, hi = summary(vals)
    timeouts = len(res.get(key + "-timeout", []))
    if not timeouts:
        return "%s (%s–%s)" % (fmt(med), fmt(lo), fmt(hi))
    if timeouts == len(vals):
        return ">%s (%d of %d timed out)" % (fmt(LOSS_LIMIT), timeouts, len(vals))
    return "%s%s (%s–>%s), %d of %d timed out" % (">" if med >= LOSS_LIMIT else "", fmt(med), fmt(lo),
                                                  fmt(hi), timeouts, len(vals))


def loss_ratio(ours, ref, key):
    """ours/Linux of the medians; a median that is a timeout makes it a bound."""
    o, r = summary(ours.get(key, [])), summary(ref.get(key, []))
    if not o or not r or not r[0]:
        return "-"
    o_out, r_out = o[0] >= LOSS_LIMIT, r[0] >= LOSS_LIMIT
    if o_out and r_out:
        return "-"
    return ("<" if r_out else ">" if o_out else "") + "%.2f" % (o[0] / r[0])


def relay_cell(res, key):
    """The relay's counters summed over the runs: frames lost down/up of frames."""
    c = res.get(key + "-relay", [])
    if not c:
        return "-"
    ld, lu, fd, fu = (sum(x[i] for x in c) for i in range(4))
    return "%d/%d of %d/%d" % (ld, lu, fd, fu)


def loss_table(allres):
    res = allres.get(1, {})
    ours, ref = res.get("ours", {}), res.get("linux", {})
    lines = ["| transfer (CPUS=1) | loss each way | ours: s median (min–max) | Linux 6.1: s median (min–max) "
             "| ours/Linux | relay, ours: lost down/up of frames down/up | relay, Linux |",
             "|---|---|---|---|---|---|---|"]
    for rate in LOSS_RATES:
        for way, mib in LOSS_TRANSFERS:
            key = loss_key(rate, way, mib)
            o, r = summary(ours.get(key, [])), summary(ref.get(key, []))
            if not o and not r:
                continue
            label = ("download (HTTP, guest->host) %d MiB" if way == "down"
                     else "upload into the sink (host->guest) %d MiB") % mib
            lines.append("| %s | %g%% | %s | %s | %s | %s | %s |" % (
                label, rate * 100, loss_cell(ours, key), loss_cell(ref, key), loss_ratio(ours, ref, key),
                relay_cell(ours, key), relay_cell(ref, key)))
    return "\n".join(lines) if len(lines) > 2 else None


LOSS_LINE = ("- loss rows (\"%s\", CPUS=1): each guest's NIC on QEMU's `-netdev dgram`, "
             "tools/netrelay.py between it and QEMU's user network (a hub joins `-netdev user` with "
             "the usual hostfwd ports to a second dgram netdev), so for both guests the TCP peer is "
             "QEMU's slirp and the host's curl and uploader reach slirp over loopback. The relay "
             "delays every frame 2 ms each way (`--delay 2`); the boot is lossless; before each "
             "transfer the relay is set to lose the rate's fraction of frames each way and its "
             "generators are reseeded with 100 * run + transfer (1..4: download 1 MiB, 16 MiB, "
             "upload 1 MiB, 16 MiB), the same seed for ours and Linux in a run, other seeds in "
             "other runs; loss 0 again after it. Ours and Linux boot alternately, one boot per "
             "rate and run. Seconds from curl's `time_total` (download of www/big.bin, "
             "www/big16.bin) or from connect to the guest's close after our half-close (upload "
             "into ours' User/sink.c, Linux refinit's sink); a transfer is given %g s, a timeout "
             "counts as %g s in the median and is said so. The relay columns: frames it dropped "
             "towards the guest (down) / from the guest (up) of the frames it saw each way, summed "
             "over the runs. Ratio below 1 is better." % (LOSS_HEADING[3:], LOSS_LIMIT, LOSS_LIMIT))


def loss_section(allres, notes, how=None):
    """The loss rows' part of docs/benchmarks.md (None when none ran)."""
    t = loss_table(allres)
    if not t:
        return None
    out = [LOSS_HEADING, ""] + ([how, ""] if how else []) + [t, ""]
    if notes:
        out += ["Notes:", ""] + ["- " + n for n in notes] + [""]
    return "\n".join(out)


def loss_span(text):
    """Where the loss section lies in the report's text: (start, end), end just
    past it (before the next heading, the figure or the marker), or None."""
    if LOSS_HEADING not in text:
        return None
    a = text.index(LOSS_HEADING)
    ends = [text.find(x, a + 1) for x in ("\n## ", "\n" + MARKER, "\n![")]
    return a, min([e for e in ends if e >= 0] or [len(text) - 1]) + 1


def merge_loss_report(allres, notes, how):
    """A run of the loss part alone: replace only its heading's section and its
    line in the preamble of docs/benchmarks.md; the other rows stay as they are."""
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    text = open(path).read()
    section = loss_section(allres, notes, how)
    if not section:
        return False
    lines = text.split("\n")
    old = [i for i, l in enumerate(lines) if l.startswith("- loss rows (")]
    if old:
        lines[old[0]] = LOSS_LINE
    else:   # after the preamble's last bullet
        first_h2 = next(i for i, l in enumerate(lines) if l.startswith("## "))
        last = max(i for i in range(first_h2) if lines[i].startswith("- "))
        lines.insert(last + 1, LOSS_LINE)
    text = "\n".join(lines)
    span = loss_span(text)
    if span:
        a, b = span
        text = text[:a] + section + "\n" + text[b:]
    else:
        for anchor in ("## Cost", "## Notes", "![", MARKER):
            if anchor in text:
                a = text.index(anchor)
                text = text[:a] + section + "\n" + text[a:]
                break
    with open(path, "w") as f:
        f.write(text)
    return True


# ------------------------------------------------------------------ reporting
ROWS = [  # key, label, unit, higher is better, reference
    ("lease", "QEMU start to DHCP lease", "ms", False, "uboot"),
    ("lease", "QEMU start to DHCP lease", "ms", False, "linux"),
    ("down", "bulk TCP guest->host (HTTP 16 MiB)", "MB/s", True, "linux"),
    ("up-sink", "bulk TCP host->guest into a sink", "MB/s", True, "linux"),
    ("up-file", "bulk TCP host->guest into a file", "MB/s", True, "linux"),
    ("wrk-c1-ka", "requests/s, keep-alive, 1 conn", "req/s", True, "linux"),
    ("wrk-c1-ka-p50", "  p50 latency", "ms", False, "linux"),
    ("wrk-c1-ka-p99", "  p99 latency", "ms", False, "linux"),
    ("wrk-c1-close", "requests/s, no keep-alive, 1 conn", "req/s", True, "linux"),
    ("wrk-c1-close-p50", "  p50 latency", "ms", False, "linux"),
    ("wrk-c1-close-p99", "  p99 latency", "ms", False, "linux"),
    ("wrk-c8-ka", "requests/s, keep-alive, 8 conns", "req/s", True, "linux"),
    ("wrk-c8-ka-p50", "  p50 latency", "ms", False, "linux"),
    ("wrk-c8-ka-p99", "  p99 latency", "ms", False, "linux"),
    ("wrk-c8-close", "requests/s, no keep-alive, 8 conns", "req/s", True, "linux"),
    ("wrk-c8-close-p50", "  p50 latency", "ms", False, "linux"),
    ("wrk-c8-close-p99", "  p99 latency", "ms", False, "linux"),
    ("echo-p50", "TCP echo 64 B round trip, median", "us", False, "linux"),
    ("echo-p99", "TCP echo 64 B round trip, p99", "us", False, "linux"),
    ("ping-p50", "ping to the gateway, median", "us", False, "linux"),
    ("ping-p99", "ping to the gateway, p99", "us", False, "linux"),
    ("tap-wrk-c1-ka", "tap: requests/s, keep-alive, 1 conn", "req/s", True, "linux"),
    ("tap-wrk-c1-ka-p50", "  p50 latency", "ms", False, "linux"),
    ("tap-wrk-c1-ka-p99", "  p99 latency", "ms", False, "linux"),
    ("tap-wrk-c1-close", "tap: requests/s, no keep-alive, 1 conn", "req/s", True, "linux"),
    ("tap-wrk-c1-close-p50", "  p50 latency", "ms", False, "linux"),
    ("tap-wrk-c1-close-p99", "  p99 latency", "ms", False, "linux"),
    ("tap-wrk-c8-ka", "tap: requests/s, keep-alive, 8 conns", "req/s", True, "linux"),
    ("tap-wrk-c8-ka-p50", "  p50 latency", "ms", False, "linux"),
    ("tap-wrk-c8-ka-p99", "  p99 latency", "ms", False, "linux"),
    ("tap-wrk-c8-close", "tap: requests/s, no keep-alive, 8 conns", "req/s", True, "linux"),
    ("tap-wrk-c8-close-p50", "  p50 latency", "ms", False, "linux"),
    ("tap-wrk-c8-close-p99", "  p99 latency", "ms", False, "linux"),
    ("tap-down", "tap: bulk TCP guest->host (HTTP 16 MiB)", "MB/s", True, "linux"),
    ("tap6-down", "tap IPv6: bulk TCP guest->host (HTTP 16 MiB)", "MB/s", True, "linux"),
    ("tap6-up-sink", "tap IPv6: bulk TCP host->guest into a sink", "MB/s", True, "linux"),
    ("tap6-up-file", "tap IPv6: bulk TCP host->guest into a file", "MB/s", True, "linux"),
    ("tap6-wrk-c1-ka", "tap IPv6: requests/s, keep-alive, 1 conn", "req/s", True, "linux"),
    ("tap6-wrk-c1-ka-p50", "  p50 latency", "ms", False, "linux"),
    ("tap6-wrk-c1-ka-p99", "  p99 latency", "ms", False, "linux"),
    ("tap6-wrk-c1-close", "tap IPv6: requests/s, no keep-alive, 1 conn", "req/s", True, "linux"),
    ("tap6-wrk-c1-close-p50", "  p50 latency", "ms", False, "linux"),
    ("tap6-wrk-c1-close-p99", "  p99 latency", "ms", False, "linux"),
    ("tap6-wrk-c8-ka", "tap IPv6: requests/s, keep-alive, 8 conns", "req/s", True, "linux"),
    ("tap6-wrk-c8-ka-p50", "  p50 latency", "ms", False, "linux"),
    ("tap6-wrk-c8-ka-p99", "  p99 latency", "ms", False, "linux"),
    ("tap6-wrk-c8-close", "tap IPv6: requests/s, no keep-alive, 8 conns", "req/s", True, "linux"),
    ("tap6-wrk-c8-close-p50", "  p50 latency", "ms", False, "linux"),
    ("tap6-wrk-c8-close-p99", "  p99 latency", "ms", False, "linux"),
    ("tls-srv-hs", "TLS server: new HTTPS connections/s (handshake + small GET)", "conn/s", True, "linux"),
    ("tls-srv-down", "TLS server: HTTPS 16 MiB guest->host (curl)", "MB/s", True, "linux"),
    ("tls-cli-hs", "TLS client: httpget runs/s (exec + handshake + small GET)", "runs/s", True, "linux"),
    ("tls-cli-down", "TLS client: httpget 16 MiB host->guest into a file", "MB/s", True, "linux"),
    ("e1000-lease", "e1000: QEMU start to DHCP lease", "ms", False, "linux"),
    ("e1000-down", "e1000: bulk TCP guest->host (HTTP 16 MiB)", "MB/s", True, "linux"),
    ("e1000-up-sink", "e1000: bulk TCP host->guest into a sink", "MB/s", True, "linux"),
    ("e1000-echo-p50", "e1000: TCP echo 64 B round trip, median", "us", False, "linux"),
    ("e1000-wrk-c1-ka", "e1000: requests/s, keep-alive, 1 conn", "req/s", True, "linux"),
    ("e1000-wrk-c1-ka-p99", "  p99 latency", "ms", False, "linux"),
    ("e1000-wrk-c8-ka", "e1000: requests/s, keep-alive, 8 conns", "req/s", True, "linux"),
    ("e1000-wrk-c8-ka-p99", "  p99 latency", "ms", False, "linux"),
]


def fmt(v):
    if v is None:
        return "-"
    return "%.0f" % v if abs(v) >= 100 else "%.2f" % v if abs(v) < 10 else "%.1f" % v


def summary(vals):
    if not vals:
        return None
    return statistics.median(vals), min(vals), max(vals)


def cell(vals):
    s = summary(vals)
    return "-" if s is None else "%s (%s–%s)" % (fmt(s[0]), fmt(s[1]), fmt(s[2]))


def table(allres, cpus):
    res = allres[cpus]
    present = {k for kind in res.values() for k in kind}
    lines = ["| metric (CPUS=%d) | unit | ours: median (min–max) | reference | ref: median (min–max) | ours/ref |" % cpus,
             "|---|---|---|---|---|---|"]
    for key, label, unit, _, ref in ROWS:
        o, r = summary(res["ours"].get(key, [])), summary(res[ref].get(key, []))
        if not o and not r and (key.startswith(("tap-", "tap6-", "e1000-", "tls-")) or key not in present):
            continue   # the tap bed runs at CPUS=1 only; the e1000 rows only with --nics e1000; --parts
        ratio = "%.2f" % (o[0] / r[0]) if o and r and r[0] else "-"
        lines.append("| %s | %s | %s | %s | %s | %s |" % (label, unit, cell(res["ours"].get(key, [])),
                     {"uboot": "U-Boot", "linux": "Linux 6.1"}[ref], cell(res[ref].get(key, [])), ratio))
    return "\n".join(lines)


def cost_lines(allres):
    def text(path):
        try:
            r = subprocess.run(["riscv64-linux-gnu-size", path], capture_output=True, text=True)
            return int(r.stdout.splitlines()[1].split()[0])
        except Exception:
            return None
    ours = allres[min(allres)]["ours"]
    out = ["| cost | ours | Linux 6.1 |", "|---|---|---|",
           "| kernel text (bytes) | %s | %s |" % (text(os.path.join(DEPS, "kernel")),
                                                   text(os.path.join(DEPS, "vmlinux")))]
    for key, label in (("pool-size", "lwIP pbuf pool size (pbufs)"),
                       ("pool-rest", "lwIP pbuf pool in use at rest"),
                       ("pool-load", "lwIP pbuf pool in use under wrk -c8 keep-alive"),
                       ("heap-rest", "lwIP heap bytes at rest"),
                       ("heap-load", "lwIP heap bytes under wrk -c8 keep-alive"),
                       ("lease-self", "lease time the kernel reports itself (ms)")):
        out.append("| %s | %s | - |" % (label, cell(ours.get(key, []))))
    return "\n".join(out)


def chart(allres, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("no matplotlib: no chart")
        return
    groups = [(["down", "up-sink", "up-file"], "MB/s", "bulk TCP throughput"),
              (["wrk-c1-ka", "wrk-c1-close", "wrk-c8-ka", "wrk-c8-close"], "requests/s",
               "small-file request rate (wrk)")]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, (keys, unit, title) in zip(axes, groups):
        series = [(c, k) for c in sorted(allres) for k in ("ours", "linux")]
        width = 0.8 / len(series)
        for i, (c, kind) in enumerate(series):
            med, lo, hi = [], [], []
            for k in keys:
                s = summary(allres[c][kind].get(k, [])) or (0, 0, 0)
                med.append(s[0]); lo.append(s[0] - s[1]); hi.append(s[2] - s[0])
            xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(keys))]
            ax.bar(xs, med, width, yerr=[lo, hi], capsize=3,
                   label="%s CPUS=%d" % ("ours" if kind == "ours" else "Linux 6.1", c))
        ax.set_xticks(range(len(keys)))
        ax.set_xticklabels(keys)
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.legend(fontsize=8)
    fig.suptitle("xv6-net vs Linux 6.1 on QEMU %s (median, bars min–max)" % qemu_version())
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def qemu_version():
    r = subprocess.run(["qemu-system-riscv64", "--version"], capture_output=True, text=True)
    return r.stdout.split()[3] if r.returncode == 0 else "?"


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return "%s, %d cores, %s, QEMU %s, load average %s" % (
        cpu, os.cpu_count(), platform.platform(), qemu_version(), LOADS)


ALL_PARTS = "net,tap,tls,e1000,loss"
LOADS = ""
MARKER = "<!-- run.py keeps everything below this line -->"


def kept_loss_section(cmdline):
    """For a run without the loss part: the report's loss section and its preamble
    line as they are, said to come from the run that made them; (None, None) if
    the report has none."""
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    if not os.path.exists(path):
        return None, None
    text = open(path).read()
    span = loss_span(text)
    if not span:
        return None, None
    section = text[span[0]:span[1]].rstrip("\n") + "\n"
    line = next((l for l in text.split("\n") if l.startswith("- loss rows (")), LOSS_LINE)
    if "\nKept from " not in section:
        date = re.search(r"(?m)^- date: (.*)$", text)
        command = re.search(r"(?m)^- command: `([^`]*)`", text)
        section = section.replace(LOSS_HEADING + "\n", LOSS_HEADING + "\n\nKept from the run of %s (`%s`): "
                                  "`%s` left the loss part out.\n" % (
                                      date.group(1) if date else "?", command.group(1) if command else "?",
                                      cmdline), 1)
    return line, section


def write_report(allres, runs, cmdline, elapsed):
    parts = ["# Benchmarks", "",
             "Generated by `make bench` (tools/bench/run.py): rerun it rather than editing; the hand-written analysis below the marker line is kept.", "",
             "- date: %s" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
             "- machine: %s" % machine(),
             "- command: `%s` (%d runs per guest, alternating; %.0f s)" % (cmdline, runs, elapsed),
             "- QEMU pinned with `taskset -c 0` at CPUS=1 (host clients on core 1); at CPUS=2 on "
             "cores 0-1 with the clients unpinned. User network with hostfwd; no packet capture.",
             "- references: Linux 6.1 (Debian linux-source-6.1, tinyconfig + tools/bench/linux.config: "
             "-O2 (CC_OPTIMIZE_FOR_PERFORMANCE) and SLUB, virtio-net, PCI and e1000, "
             "init tools/bench/refinit.c: one poll() loop), U-Boot (Debian u-boot-qemu).",
             "- ours: httpd as started at boot (access log on the console), User/sink.c, User/tcpecho.c, `nc -d -l` into a file.",
             "- into a file: ours writes through xv6's log to the virtio-blk disk and commits every "
             "write() (each block is written twice, log then home); Linux's /sinkfile is in its "
             "initramfs, i.e. in RAM. The comparison favours Linux; the figure is kept as the issue asks.",
             "- ping: %d echo requests to the gateway 10.0.2.2 (answered by QEMU's user network "
             "itself), 10 ms apart: ours with User/ping.c, Linux with refinit's raw-socket loop." % PINGS,
             "- MB/s is 10^6 bytes/s. wrk -t1 for %d s per figure; latency p50/p99 from `wrk --latency`. "
             "hostfwd's listen backlog is one: new connections from 8 clients can wait for a SYN "
             "retransmit (~1 s), which shows up in the no-keep-alive p99." % WRK_SECS,
             "- ratio ours/ref: above 1 is better for MB/s and req/s, below 1 for ms and us.",
             "- tap rows: the wrk figures again with the guest on a tap device in a network "
             "namespace the bench creates afresh for each boot (dnsmasq hands out the address, wrk "
             "runs inside the namespace), so hostfwd and its backlog of one are out of the path; "
             "CPUS=1 only.",
             "- tap IPv6 rows: in the same boot, once the guest has its SLAAC address (dnsmasq's router "
             "advertisement of fd00:78::/64; both guests get fd00:78::5054:ff:fe12:3456), the 16 MiB "
             "download (curl), the uploads into the sink (Linux only: ours' User/sink.c is IPv4 only) and into a "
             "file (ours `nc -6 -d -l`) and the wrk figures over IPv6 from the namespace "
             "(QEMU's hostfwd has no IPv6). The Linux reference is built with CONFIG_IPV6 and its init "
             "listens on [::] for both families.",
             "- U-Boot's lease: QEMU start to its autoboot prompt plus the duration of a typed `dhcp`.",
             "- e1000 rows: the same guests with `-device e1000` on the PCIe bus instead of "
             "virtio-net (ours: Sources/Drivers/E1000; Linux: its e1000 driver, CONFIG_E1000), "
             "user network with hostfwd.",
             "- TLS rows: one boot per guest with a virtio-rng device, user network with hostfwd. "
             "Both guests run the same TLS code: mbedTLS 2.28.3 with User/tls/mbedtls_config.h, "
             "the tls library (User/tls) and User/posix/httpd.c and httpget.c, built by the same "
             "clang -O2 (ours rv64imac against picolibc; Linux rv64gc, static glibc, by build-refs.sh). "
             "TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256 with ECDHE on P-256 and a P-256 server key "
             "(pinned by the host side, checked on every connection), full handshakes (neither "
             "guest resumes sessions). Server: `httpd -p 8080 -s` (443), one process per connection, "
             "access log on the console; new connections/s for %g s, one at a time, each a handshake "
             "and a GET of %s (Python's ssl); 16 MiB to `curl --cacert`. Client: `httpget --cacert` "
             "against a Python ssl server on the host (10.0.2.2); runs/s from the server's handshake "
             "times in batches of %d back-to-back runs (ours a script through `sh <`, Linux refinit's "
             "run service), each an exec, the CA file, a handshake and a GET into a file; the 16 MiB "
             "into a file (ours through the log to virtio-blk, Linux into its initramfs in RAM), from "
             "the request's arrival to the client's close." % (TLS_HS_SECS, SMALL, TLS_CLI_PER_BATCH),
             ""]
    for c in sorted(allres):
        parts += ["## CPUS=%d" % c, "", table(allres, c), ""]
    loss = loss_section(allres, [])
    loss_line = LOSS_LINE
    if not loss:
        loss_line, loss = kept_loss_section(cmdline)
    if loss:
        first_h2 = next(i for i, l in enumerate(parts) if l.startswith("## "))
        parts.insert(first_h2 - 1, loss_line)        # the preamble's last bullet
        parts += [loss]
    parts += ["## Cost", "", cost_lines(allres), ""]
    notes = list(dict.fromkeys(n for c in allres for k in allres[c] for n in allres[c][k].get("notes", [])))
    if notes:
        parts += ["## Notes", ""] + ["- " + n for n in notes] + [""]
    parts += ["![throughput and request rates](benchmarks.png)", ""]
    # Hand-written analysis and the log of performance work live below the
    # marker; a rerun replaces only what is above it.
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    kept = MARKER + "\n\n## Analysis and performance log (hand-written)\n"
    if os.path.exists(path):
        old = open(path).read()
        if MARKER in old:
            kept = old[old.index(MARKER):]
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n" + kept)


# ------------------------------------------------------------------ main
def make_fs(tlsrun=None):
    """Snapshots build/kernel and makes our fs image (build/fs.img's contents plus
    the 16 MiB file), so a rebuild during the run doesn't change what is measured."""
    shutil.copy(os.path.join(BUILD, "kernel"), os.path.join(DEPS, "kernel"))
    img = os.path.join(DEPS, "fs-bench.img")
    progs = sorted(os.path.join(BUILD, "user", p) for p in os.listdir(os.path.join(BUILD, "user"))
                   if p.startswith("_"))
    www = sorted("www/%s=www/%s" % (f, f) for f in os.listdir(os.path.join(ROOT, "www")))
    args = [os.path.join(BUILD, "mkfs"), img, "README.md"] + progs + www + [
        "www/big.bin=" + os.path.join(BUILD, "www", "big.bin"),
        "www/big16.bin=" + os.path.join(DEPS, "www", "big16.bin"),
        # the TLS rows' server key and CA (tools/bench/build-refs.sh)
        "bench.crt=" + os.path.join(DEPS, "tlskeys", "bench.crt"),
        "bench.key=" + os.path.join(DEPS, "tlskeys", "bench.key"),
        "benchca.crt=" + os.path.join(DEPS, "tlskeys", "ca.crt")] + (
        ["tlsrun=" + tlsrun] if tlsrun else [])
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return img


def one_run(bucket, what, fn):
    """One guest boot's measurements into bucket; a failure becomes a note."""
    r = collections.defaultdict(list)
    log(what)
    try:
        fn(r)
    except Exception as e:
        log("%s failed: %s" % (what, e))
        bucket.setdefault("notes", []).append("%s: %s" % (what, str(e).splitlines()[0]))
    for k, v in r.items():
        bucket.setdefault(k, []).extend(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    ap.add_argument("--cpus", default=os.environ.get("BENCH_CPUS", "1,2"))
    ap.add_argument("--only", default="ours,linux,uboot")
    ap.add_argument("--no-report", action="store_true")
    ap.add_argument("--no-tap", action="store_true", help="skip the tap-device run")
    ap.add_argument("--nics", default=os.environ.get("BENCH_NICS", "virtio,e1000"),
                    help="virtio: the virtio-net rows (all but e1000-*); e1000: the e1000 rows")
    ap.add_argument("--parts", default=os.environ.get("BENCH_PARTS", ALL_PARTS),
                    help="which boots: net (the hostfwd rows and U-Boot), tap (tap- and tap6- rows), "
                         "tls (tls- rows), e1000 (with --nics e1000), loss (TCP under loss, CPUS=1)")
    ap.add_argument("--loss-runs", type=int, default=int(os.environ.get("BENCH_LOSS_RUNS", "3")),
                    help="runs per loss rate (the loss part)")
    a = ap.parse_args()
    parts = a.parts.split(",")
    kinds = a.only.split(",")
    cmdline = "make bench BENCH_RUNS=%d BENCH_CPUS=%s" % (a.runs, a.cpus)
    if a.parts != ALL_PARTS:
        cmdline = "tools/bench/run.py --runs %d --cpus %s --only %s --parts %s" % (a.runs, a.cpus, a.only, a.parts)
    if "loss" in parts:
        cmdline += " (loss: %d runs per rate)" % a.loss_runs
    tls_server = TlsStandIn() if "tls" in parts else None
    fsimg = make_fs(tls_script(tls_server) if tls_server else None) if "ours" in kinds else None
    global LOADS
    LOADS = "%.1f at the start" % os.getloadavg()[0]
    allres, start = {}, time.monotonic()
    all_cores = os.sched_getaffinity(0)
    for cpus in [int(c) for c in a.cpus.split(",")]:
        # at CPUS=1 QEMU has core 0 to itself: this process (and the console
        # reader threads it starts) joins the clients on core 1
        os.sched_setaffinity(0, {1} if cpus == 1 and 1 in all_cores else all_cores)
        res = {k: {} for k in ("ours", "linux", "uboot")}
        allres[cpus] = res
        runners = {"ours": lambda r: run_ours(cpus, r, fsimg), "linux": lambda r: run_linux(cpus, r),
                   "uboot": lambda r: run_uboot(cpus, r)}
        nics = a.nics.split(",")
        for i in range(a.runs):
            for kind in kinds if "virtio" in nics and "net" in parts else []:
                one_run(res[kind], "CPUS=%d run %d/%d: %s" % (cpus, i + 1, a.runs, kind), runners[kind])
            for kind in [k for k in kinds if k in ("ours", "linux") and "tls" in parts]:
                one_run(res[kind], "CPUS=%d run %d/%d: %s TLS" % (cpus, i + 1, a.runs, kind),
                        lambda r: run_tls(kind, cpus, r, fsimg, tls_server))
            for kind in [k for k in kinds if k in ("ours", "linux") and "e1000" in a.nics.split(",")
                         and "e1000" in parts]:
                one_run(res[kind], "CPUS=%d run %d/%d: %s on the e1000" % (cpus, i + 1, a.runs, kind),
                        lambda r: run_e1000(kind, cpus, r, fsimg))
        # the request rates once more on a tap device, at CPUS=1
        tap_kinds = [k for k in kinds if k in ("ours", "linux")]
        why_not = TapBed.available()
        if "virtio" not in nics or "tap" not in parts:
            pass   # the tap rows are virtio-net's
        elif cpus == 1 and tap_kinds and not a.no_tap and why_not:
            res["ours"].setdefault("notes", []).append("tap-device run skipped: " + why_not)
        elif cpus == 1 and tap_kinds and not a.no_tap:
            # a fresh bed for every boot: both guests get the same address, and the
            # client's TIME_WAIT sockets from the last few thousand connections would
            # otherwise leave it few free ports (connects then wait, for either guest)
            for i in range(a.runs):
                for kind in tap_kinds:
                    with TapBed() as bed:
                        one_run(res[kind], "CPUS=1 tap run %d/%d: %s" % (i + 1, a.runs, kind),
                                lambda r: run_tap(kind, 1, r, bed, fsimg))
        # TCP under loss, through the relay, at CPUS=1: one boot per rate, run and guest
        loss_t0 = time.monotonic()
        for rate in LOSS_RATES if cpus == 1 and "loss" in parts else []:
            for i in range(a.loss_runs):
                for kind in [k for k in kinds if k in ("ours", "linux")]:
                    one_run(res[kind], "CPUS=1 loss %g%% run %d/%d: %s" % (rate * 100, i + 1, a.loss_runs, kind),
                            lambda r: run_loss(kind, 1, r, fsimg, rate, i))
        if cpus == 1 and "loss" in parts:
            log("loss part: %.0f s" % (time.monotonic() - loss_t0))
        if parts != ["loss"]:
            print(table(allres, cpus))
            print()
    loss_notes = list(dict.fromkeys(n for k in ("ours", "linux") for n in allres.get(1, {}).get(k, {}).get("notes", [])
                                    if "loss" in n))
    if "loss" in parts:
        print(loss_section(allres, loss_notes) or "(no loss rows: the loss part runs at CPUS=1 only)")
    if parts == ["loss"]:
        # the loss part alone: its section of the report, the other rows untouched
        if not a.no_report:
            how = "Made by `%s` on %s (%.0f s), machine as above." % (
                cmdline, datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), time.monotonic() - start)
            if merge_loss_report(allres, loss_notes, how):
                log("replaced the loss section of docs/benchmarks.md")
        return
    print(cost_lines(allres))
    LOADS += ", %.1f at the end (other work on the host skews absolute figures; ratios are from alternating runs)" % os.getloadavg()[0]
    if not a.no_report:
        write_report(allres, a.runs, cmdline, time.monotonic() - start)
        chart(allres, os.path.join(ROOT, "docs", "benchmarks.png"))
        log("wrote docs/benchmarks.md and docs/benchmarks.png")


if __name__ == "__main__":
    main()
