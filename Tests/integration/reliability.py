"""Shared helpers of the reliability tests (issue 6).

record(): every case writes one JSON object {"case", "params", "result", "ok"} to
build/reliability/<case>.json (one file per case, replaced on each run), from which
docs/reliability.md is generated.

relayed(): a guest whose NIC is on QEMU's `-netdev dgram`, with tools/netrelay.py
between it and QEMU's user network (host port forwarded to the guest's port 80),
so tests can lose, duplicate, delay, reorder and corrupt frames and inject their own.

tap_namespace() + relayed(..., tap_netns=NS): the relay's far side is a tap device in
a network namespace with dnsmasq on it, so the guest's TCP peer is the Linux kernel
(SACK, RACK) rather than slirp's old BSD stack.

Frame builders (eth/ipv4/tcp/udp/arp) craft frames by hand, so no scapy is needed."""
import contextlib, json, os, re, shlex, socket, struct, subprocess, sys, time

import pexpect

import guest
import netrelay  # tools/ (guest.py puts it on the path): the relay as a child
from netrelay import free_udp_port  # noqa: F401  (the tests use R.free_udp_port)
from guest import Guest, TestFailure, Skip, PROMPT, ROOT, _Collect, free_port, private_disk, ended

OUTDIR = os.path.join(ROOT, "build", "reliability")
GUEST_MAC = bytes.fromhex("525400123456")
GW_MAC = bytes.fromhex("525500000202")   # slirp's gateway MAC (10.0.2.2)
GUEST_IP = "10.0.2.15"
GW_IP = "10.0.2.2"


def record(case, params, result, ok):
    """Write one case's outcome for the report."""
    os.makedirs(OUTDIR, exist_ok=True)
    if guest.NIC != "virtio":
        case = "%s [%s]" % (case, guest.NIC)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", case).strip("-")
    obj = {"case": case, "params": params, "result": result, "ok": bool(ok),
           "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with open(os.path.join(OUTDIR, slug + ".json"), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


@contextlib.contextmanager
def case(name, params):
    """Record a case: ok with the returned note, or failed with the error's text.
    Use as `with case(n, p) as c: ...; c.result = "..."`."""
    class Box:
        result = ""
    box = Box()
    try:
        yield box
    except Exception as e:
        record(name, params, "FAILED: %s" % e, False)
        raise
    record(name, params, box.result or "passed", True)


def _qemu_base(cpus, disk):
    """QEMU's command line from the Makefile on disk, minus its network options."""
    out = subprocess.run(["make", "-s", "-n", "qemu", "CPUS=%d" % cpus, "DISK=" + disk],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    line = [l for l in out.splitlines() if l.startswith("qemu-system")][-1]
    words = shlex.split(line)
    keep, i = [], 0
    while i < len(words):
        # the network and its capture go; other objects (the entropy device's
        # rng backend) stay
        if words[i] == "-netdev" or (words[i] == "-object" and words[i + 1].startswith("filter-dump")):
            i += 2
            continue
        keep.append(words[i])
        i += 1
    # drop the NIC's -device too: we add our own
    out, i = [], 0
    while i < len(keep):
        if keep[i] == "-device" and keep[i + 1].startswith(("virtio-net", "e1000")):
            i += 2
            continue
        out.append(keep[i])
        i += 1
    return out


class Relay(netrelay.Child):
    """tools/netrelay.py running as a child (netrelay.Child); a failure to start or
    a refused setting fails the test."""

    def __init__(self, *args, **kw):
        try:
            netrelay.Child.__init__(self, *args, **kw)
        except RuntimeError as e:
            raise TestFailure(str(e))

    def configure(self, **conf):
        try:
            netrelay.Child.configure(self, **conf)
        except RuntimeError as e:
            raise TestFailure(str(e))


class RelayGuest(Guest):
    """A Guest (same run/wait_for/poweroff) whose NIC goes through a netrelay: to QEMU's
    user network, or with tap_netns to the tap device TAP_NAME in that namespace."""

    def __init__(self, name, cpus=3, seed=1, relay_opts=(), boot_timeout=90, hostfwd=(),
                 kernel=None, tap_netns=None, base=None):
        name += guest.nic_suffix()
        self.name = name
        self.fwdport = free_port()
        self.pcap = os.path.join("pcap", name + ".pcap")
        os.makedirs(os.path.join(ROOT, "pcap"), exist_ok=True)
        if os.path.exists(os.path.join(ROOT, self.pcap)):
            os.unlink(os.path.join(ROOT, self.pcap))
        self.disk = private_disk(name, base)     # base: another image than build/fs.img
        gport, nport = free_udp_port(), free_udp_port()
        if tap_netns:
            relay_opts = ["--tap", TAP_NAME, "--tap-netns", tap_netns] + list(relay_opts)
            nport = 0
        self.relay = Relay(gport, nport, seed=seed, opts=relay_opts)
        fwd = ",".join(["hostfwd=tcp:127.0.0.1:%d-:80" % self.fwdport] + list(hostfwd))
        netdevs = self.relay.netdevs(fwd)
        net = netdevs[:2] + [
            "-object", "filter-dump,id=net0dump,netdev=net0,file=%s" % self.pcap,
            "-device", guest.nic_device("net0")]
        if not tap_netns:        # else the guest's NIC only: the relay writes to the tap
            net += netdevs[2:]
        argv = _qemu_base(cpus, self.disk) + net
        if kernel:   # another build of the kernel (experiments with lwIP options)
            argv[argv.index("-kernel") + 1] = kernel
        self.cmd = " ".join(shlex.quote(a) for a in argv)
        self.log = []
        self.t0 = time.monotonic()
        self.c = pexpect.spawn(argv[0], argv[1:], cwd=ROOT, encoding="utf-8",
                               codec_errors="replace", timeout=boot_timeout, maxread=65536)
        self.c.logfile_read = _Collect(self.log)
        self.wait_for_boot_prompt(boot_timeout)

    def close(self):
        Guest.close(self)
        self.relay.stop()

    def poweroff(self, timeout=20):
        try:
            Guest.poweroff(self, timeout)
        finally:
            self.relay.stop()


@contextlib.contextmanager
def relayed(name, **kw):
    g = RelayGuest(name, **kw)
    try:
        yield g
        g.end()
    except Exception as e:
        ended(g, e)
        raise
    finally:
        g.relay.stop()


# ------------------------------------------------------------------ tap in a namespace
TAP_NAME = "reltap0"
TAP_NET = "192.168.78"          # host side .1, dnsmasq hands out .50-.99


def _sh(cmd):
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if r.returncode != 0:
        raise TestFailure("`%s` failed: %s" % (cmd, (r.stderr or r.stdout)[-300:]))
    return r.stdout


def tap_available():
    """Raise Skip unless a namespace, a tap and dnsmasq can be had."""
    if os.geteuid() != 0:
        raise Skip("needs root: the test makes a network namespace and a tap device "
                   "(the guest's TCP peer is then the Linux kernel); run `make test` as root")
    if not os.path.exists("/dev/net/tun"):
        raise Skip("no /dev/net/tun: cannot make a tap device")
    if subprocess.run("command -v dnsmasq || test -x /usr/sbin/dnsmasq", shell=True,
                      capture_output=True).returncode != 0:
        raise Skip("dnsmasq is not installed (make test installs dnsmasq-base)")


@contextlib.contextmanager
def tap_namespace(tag):
    """A fresh namespace holding tap TAP_NAME at TAP_NET.1/24 and dnsmasq serving DHCP
    on it; yields the namespace's name. Everything is removed afterwards."""
    tap_available()
    ns = "xv6rel-%s-%d" % (tag, os.getpid())
    leases = "/tmp/%s.leases" % ns
    dnsmasq = None
    try:
        _sh("ip netns add %s" % ns)
        _sh("ip netns exec %s ip link set lo up" % ns)
        _sh("ip netns exec %s ip tuntap add dev %s mode tap" % (ns, TAP_NAME))
        _sh("ip netns exec %s ip addr add %s.1/24 dev %s" % (ns, TAP_NET, TAP_NAME))
        _sh("ip netns exec %s ip link set %s up" % (ns, TAP_NAME))
        dnsmasq = subprocess.Popen(
            ["ip", "netns", "exec", ns, "dnsmasq", "--no-daemon", "--conf-file=/dev/null",
             "--port=0", "--no-ping", "--interface=" + TAP_NAME, "--bind-interfaces",
             "--dhcp-range=%s.50,%s.99,255.255.255.0,1h" % (TAP_NET, TAP_NET),
             "--dhcp-option=option:router,%s.1" % TAP_NET,
             "--dhcp-option=option:dns-server,%s.1" % TAP_NET,
             "--dhcp-leasefile=" + leases, "--pid-file="],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        yield ns
    finally:
        remove_bed(dnsmasq, ns, leases)


def remove_bed(dnsmasq, ns, *files):
    """Stop a test bed's dnsmasq (if it started), delete its namespace and its files."""
    if dnsmasq:
        dnsmasq.terminate()
        try:
            dnsmasq.wait(timeout=10)
        except subprocess.TimeoutExpired:
            dnsmasq.kill()
    subprocess.run("ip netns del %s" % ns, shell=True, capture_output=True)
    for f in files:
        if os.path.exists(f):
            os.unlink(f)


def leased_address(ns, timeout=60):
    """The address dnsmasq in namespace ns leased (from its lease file, not the guest's
    console, where the lease line can come interleaved with other output)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            for line in open("/tmp/%s.leases" % ns):
                f = line.split()
                if len(f) >= 3 and f[2].startswith(TAP_NET + "."):
                    return f[2]
        except OSError:
            pass
        time.sleep(0.2)
    return None


# ------------------------------------------------------------------ frame builders
def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip2b(a):
    return socket.inet_aton(a)


def eth(payload, etype=0x0800, src=GW_MAC, dst=GUEST_MAC):
    return dst + src + struct.pack("!H", etype) + payload


def ipv4(payload, proto, src=GW_IP, dst=GUEST_IP, ident=1, flags_frag=0, ttl=64,
         version=4, ihl=None, total=None, options=b"", check=None):
    ihl = ihl if ihl is not None else 5 + len(options) // 4
    total = total if total is not None else 20 + len(options) + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", (version << 4) | (ihl & 15), 0, total & 0xFFFF, ident,
                      flags_frag, ttl, proto, 0, ip2b(src), ip2b(dst)) + options
    c = csum(hdr) if check is None else check
    hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
    return hdr + payload


def _pseudo(src, dst, proto, length):
    return ip2b(src) + ip2b(dst) + struct.pack("!BBH", 0, proto, length)


def tcp(sport, dport, seq=0, ack=0, flags=0x02, window=65535, payload=b"", src=GW_IP,
        dst=GUEST_IP, offset=5, options=b"", check=None):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (offset & 15) << 4, flags,
                      window, 0, 0) + options
    seg = hdr + payload
    c = csum(_pseudo(src, dst, 6, len(seg)) + seg) if check is None else check
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def udp(sport, dport, payload=b"", src=GW_IP, dst=GUEST_IP, length=None, check=None):
    ln = length if length is not None else 8 + len(payload)
    seg = struct.pack("!HHHH", sport, dport, ln, 0) + payload
    c = csum(_pseudo(src, dst, 17, len(seg)) + seg) if check is None else check
    return seg[:6] + struct.pack("!H", c or 0xFFFF) + seg[8:]


def arp(op=1, sha=GW_MAC, spa=GW_IP, tha=b"\0" * 6, tpa=GUEST_IP, hlen=6, plen=4, htype=1, ptype=0x0800):
    return struct.pack("!HHBBH", htype, ptype, hlen, plen, op) + sha + ip2b(spa) + tha + ip2b(tpa)


def netinfo_counters(g):
    """The guest's `ifconfig` figures as a dict (rx/tx packets, errors, dropped, pools;
    "lwip": lwIP's receive and drop counters and the datagram sockets' drops)."""
    out = g.run("ifconfig", timeout=20)
    d = {}
    for direction in ("RX", "TX"):
        m = re.search(direction + r" packets (\d+)\s+bytes (\d+)\s+errors (\d+)\s+dropped (\d+)", out)
        if m:
            d[direction.lower()] = dict(zip(("packets", "bytes", "errors", "dropped"), map(int, m.groups())))
    m = re.search(r"pbuf pool (\d+)/(\d+)\s+tcp pcbs (\d+)\s+udp pcbs (\d+)\s+heap (\d+)", out)
    if m:
        d["pool"] = dict(zip(("pbuf_used", "pbuf_size", "tcp_pcbs", "udp_pcbs", "heap"), map(int, m.groups())))
    # where frames went after the glue: lwIP's counters and the datagram sockets' drops
    pats = [r"lwip in: ip (?P<ip_recv>\d+)\s+udp (?P<udp_recv>\d+)\s+udp/raw socket drops (?P<sock_drops>\d+)",
            r"lwip drops: arp (?P<arp_drop>\d+)\s+ip (?P<ip_drop>\d+) \(checksum (?P<ip_chkerr>\d+), "
            r"frag (?P<ip_frag_drop>\d+)\)\s+icmp (?P<icmp_drop>\d+)",
            r"lwip drops: udp (?P<udp_drop>\d+) \(checksum (?P<udp_chkerr>\d+), no port (?P<udp_noport>\d+)\)"
            r"\s+tcp (?P<tcp_drop>\d+) \(checksum (?P<tcp_chkerr>\d+)\)",
            r"lwip alloc failures: pbuf pool (?P<pbuf_pool_err>\d+)\s+other pools (?P<memp_err>\d+)\s+heap (?P<heap_err>\d+)"]
    lw = {}
    for p in pats:
        m = re.search(p, out)
        if m:
            lw.update({k: int(v) for k, v in m.groupdict().items()})
    if lw:
        d["lwip"] = lw
    d["text"] = out
    return d


def dhcp_kinds(pcap):
    """DHCP message types (1 DISCOVER, 2 OFFER, 3 REQUEST, 5 ACK) in a capture."""
    r = subprocess.run(["tshark", "-r", os.path.join(ROOT, pcap), "-Y", "dhcp", "-T", "fields",
                        "-e", "dhcp.option.dhcp"], capture_output=True, text=True)
    return [k for k in r.stdout.split() if k]
