"""IPv6 test beds and frame builders (issue 15), shared by test_ipv6.py and the IPv6
cases of the reliability suite.

tap6_namespace(): a network namespace holding tap TAP_NAME (reliability.TAP_NAME, so
tools/netrelay.py can open it too) with IPv4 192.168.79.1/24 and IPv6 PREFIX::1/64, and
dnsmasq on it serving
  - DHCPv4 (192.168.79.50-99), so the guest's IPv4 side comes up as usual;
  - router advertisements of PREFIX::/64 with the O flag (`enable-ra`,
    `dhcp-range=::,constructor:TAP,ra-stateless`): the guest makes its SLAAC address
    and asks stateless DHCPv6 (Information-request) for the DNS server;
  - DNS on port 53 with AAAA (and A) records of its own (`host-record`), nothing
    forwarded (`no-resolv`): no test reaches the internet.

Frame builders for IPv6 (ipv6, ext headers, fragments, ICMPv6, ND options) in the style
of reliability.py's IPv4 ones, so no scapy is needed; tshark helpers that list the
ICMPv6 and DHCPv6 message types of a capture; v6_counters() parses the IPv6 counters
`ifconfig` shows."""
import contextlib, ipaddress, os, re, socket, struct, subprocess, time

from guest import ROOT, TestFailure, Skip
import reliability as R

TAP_NAME = R.TAP_NAME
NET4 = "192.168.79"
PREFIX = "fd00:6::"                    # a ULA prefix: never routed anywhere
HOST6 = PREFIX + "1"                   # the namespace's end of the tap: dnsmasq, servers
GUEST_MAC = R.GUEST_MAC
ALL_NODES = "ff02::1"


def eui64(mac, prefix):
    """The SLAAC address of mac under a /64 prefix (RFC 4291 appendix A: the MAC's
    U/L bit flipped, ff:fe in the middle)."""
    iid = bytes([mac[0] ^ 2]) + mac[1:3] + b"\xff\xfe" + mac[3:6]
    return str(ipaddress.IPv6Address(ipaddress.IPv6Address(prefix).packed[:8] + iid))


GUEST6 = eui64(GUEST_MAC, PREFIX)            # fd00:6::5054:ff:fe12:3456
GUEST_LL = eui64(GUEST_MAC, "fe80::")        # fe80::5054:ff:fe12:3456


# ------------------------------------------------------------------ the tap bed
def _ns(ns, cmd):
    return R._sh("ip netns exec %s %s" % (ns, cmd))


class Bed:
    """What tap6_namespace made: the namespace's name and dnsmasq's log."""

    def __init__(self, ns, log):
        self.ns, self.log = ns, log

    def run(self, argv, timeout=60, **kw):
        """A command in the namespace (argv list); the CompletedProcess."""
        return subprocess.run(["ip", "netns", "exec", self.ns] + list(argv), capture_output=True,
                              text=True, timeout=timeout, **kw)

    def popen(self, argv, **kw):
        return subprocess.Popen(["ip", "netns", "exec", self.ns] + list(argv), **kw)

    def ping6(self, addr, count=3, timeout=30):
        """ping -6 from the namespace: (sent, received, text)."""
        r = self.run(["ping", "-6", "-n", "-c", str(count), "-i", "0.3", "-W", "2", addr + "%" + TAP_NAME
                      if addr.startswith("fe80") else addr], timeout=timeout)
        m = re.search(r"(\d+) packets transmitted, (\d+) received", r.stdout)
        return (int(m.group(1)), int(m.group(2))) if m else (0, 0), r.stdout + r.stderr

    def start_capture(self, name):
        """dumpcap on the tap from the namespace's side into pcap/NAME.pcap (relative to
        ROOT): QEMU's own capture of a tap netdev (filter-dump) carries each frame's
        12-byte virtio-net header in front of it, which tshark cannot read."""
        self.pcap = os.path.join("pcap", name + ".pcap")
        path = os.path.join(ROOT, self.pcap)
        if os.path.exists(path):
            os.unlink(path)
        self.dumpcap = self.popen(["dumpcap", "-q", "-i", TAP_NAME, "-w", path],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        line = self.dumpcap.stderr.readline()       # "Capturing on 'reltap0'" once it is
        if "Capturing on" not in line:
            raise TestFailure("dumpcap on %s did not start: %s" % (TAP_NAME, line + self.dumpcap.stderr.read()))
        time.sleep(0.3)
        return self.pcap

    def stop_capture(self):
        """End dumpcap (its file complete); the capture's path."""
        d = getattr(self, "dumpcap", None)
        if d and d.poll() is None:
            time.sleep(0.3)
            d.terminate()
            try:
                d.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                d.kill()
                d.communicate()
        return getattr(self, "pcap", None)

    def dnsmasq_log(self):
        try:
            return open(self.log).read()
        except OSError:
            return ""


@contextlib.contextmanager
def tap6_namespace(tag, records=()):
    """A fresh namespace with TAP_NAME, IPv4 and IPv6 on it and dnsmasq answering
    DHCPv4, router solicitations, DHCPv6 Information-requests and DNS; records are
    extra dnsmasq `host-record` values ("name,addr[,addr]"). Yields a Bed; everything
    is removed afterwards. Skips without root, a tap device or dnsmasq."""
    R.tap_available()
    ns = "xv6v6-%s-%d" % (tag, os.getpid())
    leases, log = "/tmp/%s.leases" % ns, "/tmp/%s.dnsmasq.log" % ns
    dnsmasq = bed = None
    try:
        R._sh("ip netns add %s" % ns)
        _ns(ns, "ip link set lo up")
        _ns(ns, "ip tuntap add dev %s mode tap" % TAP_NAME)
        # no duplicate address detection on the namespace's side: the tap has no
        # carrier until QEMU opens it, and a tentative address cannot send the RA
        _ns(ns, "sysctl -q -w net.ipv6.conf.%s.accept_dad=0" % TAP_NAME)
        _ns(ns, "sysctl -q -w net.ipv6.conf.%s.accept_ra=0" % TAP_NAME)
        _ns(ns, "ip addr add %s.1/24 dev %s" % (NET4, TAP_NAME))
        _ns(ns, "ip -6 addr add %s/64 dev %s nodad" % (HOST6, TAP_NAME))
        _ns(ns, "ip link set %s up" % TAP_NAME)
        args = ["ip", "netns", "exec", ns, "dnsmasq", "--no-daemon", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--no-ping", "--interface=" + TAP_NAME, "--bind-interfaces",
                "--listen-address=%s.1" % NET4, "--listen-address=" + HOST6,
                "--dhcp-range=%s.50,%s.99,255.255.255.0,1h" % (NET4, NET4),
                "--dhcp-option=option:router,%s.1" % NET4,
                "--dhcp-option=option:dns-server,%s.1" % NET4,
                "--enable-ra", "--dhcp-range=::,constructor:%s,ra-stateless,64,1h" % TAP_NAME,
                "--dhcp-option=option6:dns-server,[%s]" % HOST6,
                "--log-dhcp", "--log-queries", "--log-facility=" + log,
                "--dhcp-leasefile=" + leases, "--pid-file="]
        args += ["--host-record=" + r for r in records]
        dnsmasq = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        if dnsmasq.poll() is not None:
            raise TestFailure("dnsmasq exited at start (%d): %s" % (dnsmasq.returncode, open(log).read()[-500:]
                                                                   if os.path.exists(log) else ""))
        bed = Bed(ns, log)
        yield bed
    finally:
        if bed:
            bed.stop_capture()
        R.remove_bed(dnsmasq, ns, leases, log)


# the kernel's line once a global address is preferred (Kernel/net.c):
#   en0: inet6 ADDR/64 ... fe80::.../64 router ADDR dns ADDR (after N ms)
ADDR_LINE = r"en(\d): inet6 ([0-9a-f:/ ]+?)(?: router ([0-9a-f:]+))?(?: dns ([0-9a-f:]+))? \(after (\d+) ms\)"


def address_line(g, timeout=30):
    """The guest's IPv6 address line as a dict (addrs: ["a/64", ...], router, dns, ms)."""
    m = g.wait_for(ADDR_LINE, timeout=timeout)
    if not m:
        raise TestFailure("no `en0: inet6 ... (after N ms)` line within %d s" % timeout)
    return {"line": m.group(0), "addrs": m.group(2).split(), "router": m.group(3), "dns": m.group(4),
            "ms": int(m.group(5))}


def wait_dns6(g, want, timeout=10):
    """The DNS server on the address line, or on the `en0: inet6 dns ADDR` line the
    kernel prints when it learns one later."""
    m = g.wait_for(r"en0: inet6 (?:[^\n]* )?dns %s\b" % re.escape(want), timeout=timeout)
    return bool(m)


# ------------------------------------------------------------------ what the guest's tree can do
# ------------------------------------------------------------------ captures
def tshark_fields(pcap, flt, *fields):
    """One tuple per matching packet of the capture at pcap (relative to ROOT)."""
    r = subprocess.run(["tshark", "-r", os.path.join(ROOT, pcap), "-Y", flt, "-T", "fields"] +
                       sum((["-e", f] for f in fields), []), capture_output=True, text=True)
    return [tuple(line.split("\t")) for line in r.stdout.splitlines() if line.strip()]


ICMP6_NAMES = {133: "RS", 134: "RA", 135: "NS", 136: "NA", 128: "echo-request", 129: "echo-reply",
               143: "MLDv2-report", 131: "MLD-report", 1: "unreachable", 4: "param-problem", 3: "time-exceeded"}
DHCP6_NAMES = {11: "Information-request", 7: "Reply", 1: "Solicit", 12: "Relay-forw"}


def icmp6_kinds(pcap):
    """The ICMPv6 message types in a capture, in order, by name."""
    return [ICMP6_NAMES.get(int(t.split(",")[0]), t) for (t,) in tshark_fields(pcap, "icmpv6", "icmpv6.type")
            if t]


def dhcp6_kinds(pcap):
    return [DHCP6_NAMES.get(int(t.split(",")[0]), t) for (t,) in tshark_fields(pcap, "dhcpv6", "dhcpv6.msgtype")
            if t]


def capture_excerpt(pcap, flt="icmpv6 or dhcpv6", limit=20):
    """tshark's one-line summaries of the IPv6 control traffic (for failures and docs)."""
    r = subprocess.run(["tshark", "-r", os.path.join(ROOT, pcap), "-Y", flt], capture_output=True, text=True)
    return "\n".join(r.stdout.splitlines()[:limit])


# ------------------------------------------------------------------ counters
V6_COUNTERS = ("ip6_recv", "ip6_drop", "ip6_frag_drop", "icmp6_drop", "nd6_drop", "mld6_drop")


def v6_counters(text):
    """The IPv6 counters of ifconfig's `lwip ipv6: in N  drops N (frag N)  icmp6 N  nd6 N
    mld6 N` line, {name: value} (V6_COUNTERS), or {} if there is none."""
    m = re.search(r"lwip ipv6: in (\d+)\s+drops (\d+) \(frag (\d+)\)\s+icmp6 (\d+)\s+nd6 (\d+)\s+mld6 (\d+)",
                  text)
    return dict(zip(V6_COUNTERS, map(int, m.groups()))) if m else {}


# ------------------------------------------------------------------ frame builders
ETH_IPV6 = 0x86DD
NH_HBH, NH_TCP, NH_UDP, NH_ROUTING, NH_FRAG, NH_ICMP6, NH_NONE, NH_DEST = 0, 6, 17, 43, 44, 58, 59, 60


def a6(a):
    return socket.inet_pton(socket.AF_INET6, a)


def mcast_mac(dst):
    """The Ethernet address of an IPv6 multicast group (33:33 + its last 4 bytes)."""
    return b"\x33\x33" + a6(dst)[12:]


def eth6(payload, src_mac, dst_mac=GUEST_MAC):
    return dst_mac + src_mac + struct.pack("!H", ETH_IPV6) + payload


def ipv6(payload, nh, src, dst, hlim=64, plen=None, version=6, tclass=0, flow=0):
    ln = len(payload) if plen is None else plen
    first = (version << 28) | (tclass << 20) | (flow & 0xFFFFF)
    return struct.pack("!IHBB", first, ln & 0xFFFF, nh, hlim) + a6(src) + a6(dst) + payload


def pseudo6(src, dst, nh, length):
    return a6(src) + a6(dst) + struct.pack("!IxxxB", length, nh)


def icmp6(typ, code, body, src, dst, check=None):
    msg = struct.pack("!BBH", typ, code, 0) + body
    c = R.csum(pseudo6(src, dst, NH_ICMP6, len(msg)) + msg) if check is None else check
    return msg[:2] + struct.pack("!H", c) + msg[4:]


def udp6(sport, dport, payload, src, dst, check=None):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = R.csum(pseudo6(src, dst, NH_UDP, len(seg)) + seg) if check is None else check
    return seg[:6] + struct.pack("!H", c or 0xFFFF) + seg[8:]


def echo6(ident, seq, data, src, dst, check=None):
    return icmp6(128, 0, struct.pack("!HH", ident, seq) + data, src, dst, check)


def ext_options(nh, options=b"", hdrlen=None):
    """A hop-by-hop or destination options header: next header nh, options padded
    (PadN) to a multiple of 8 bytes; hdrlen overrides the length field."""
    body = options
    pad = (-(2 + len(body))) % 8
    if pad == 1:
        body += b"\x00"
    elif pad:
        body += bytes([1, pad - 2]) + b"\0" * (pad - 2)
    ln = (2 + len(body)) // 8 - 1 if hdrlen is None else hdrlen
    return struct.pack("!BB", nh, ln) + body


def frag6(nh, offset8, more, ident, payload):
    """A fragment header (offset in 8-byte units) followed by payload."""
    return struct.pack("!BBHI", nh, 0, (offset8 << 3) | (1 if more else 0), ident) + payload


def nd_opt(typ, data, length=None):
    """An ND option; length (in 8-byte units) is worked out unless given (0 is the
    malformed case RFC 4861 says to drop)."""
    raw = struct.pack("!BB", typ, 0) + data
    raw += b"\0" * ((-len(raw)) % 8)
    ln = len(raw) // 8 if length is None else length
    return raw[:1] + bytes([ln]) + raw[2:]


def ra(src, src_mac, prefix=None, hlim=255, flags=0x40, lifetime=1800, options=b"", dst=ALL_NODES,
       check=None):
    """A router advertisement (flags 0x40: O, other configuration), with a prefix
    information option for prefix (autonomous, /64) and the source's link-layer address."""
    opts = nd_opt(1, src_mac)
    if prefix:
        opts += nd_opt(3, struct.pack("!BBIII", 64, 0xC0, 3600, 1800, 0) + a6(prefix))
    body = struct.pack("!BBHII", 64, flags, lifetime, 0, 0) + opts + options
    return eth6(ipv6(icmp6(134, 0, body, src, dst, check), NH_ICMP6, src, dst, hlim=hlim), src_mac,
                mcast_mac(dst))


def ns_msg(target, src, dst, src_mac, options=None, hlim=255, check=None):
    """A neighbour solicitation for target (options default: source link-layer address)."""
    opts = nd_opt(1, src_mac) if options is None else options
    body = b"\0\0\0\0" + a6(target) + opts
    dmac = mcast_mac(dst) if dst.startswith("ff") else GUEST_MAC
    return eth6(ipv6(icmp6(135, 0, body, src, dst, check), NH_ICMP6, src, dst, hlim=hlim), src_mac, dmac)


# ------------------------------------------------------------------ hostile IPv6 (reliability suite)
EVIL_MAC = bytes.fromhex("020000000666")
EVIL6, EVIL_LL = PREFIX + "66", "fe80::66"
BOGUS_PREFIX = "fd00:bad::"      # announced only by RAs the guest must ignore
CONTROL_PREFIX = "fd00:600d::"   # announced by a valid RA: proves the check can see an address
LATEZERO_PREFIX = "fd00:1e0::"   # in an RA whose next option has length 0 (RFC 4861: drop it all)


def malformed6_batches(seed=6):
    """(name, [frames]) of hostile IPv6 input, built by hand; seeded. Every frame goes
    to the guest's MAC (or a multicast group it has joined) from EVIL_MAC."""
    import random
    r = random.Random(seed)
    G, E = GUEST6, EVIL6
    e6 = lambda p: eth6(p, EVIL_MAC)
    echo = lambda **kw: echo6(0x6666, 1, b"malformed6", E, G, **kw)
    b = []
    # extension header chains
    chain = []
    chain.append(e6(ipv6(ext_options(NH_ICMP6, b"\x01\x02\0\0") + echo(), NH_HBH, E, G)))       # valid HBH
    chain.append(e6(ipv6(b"".join(ext_options(NH_DEST) for _ in range(20)) + echo(), NH_DEST, E, G)))
    chain.append(e6(ipv6(b"".join(ext_options(NH_DEST, b"\x01" + bytes([254]) + b"\0" * 254)
                                  for _ in range(5))[:1400] + echo(), NH_DEST, E, G)))     # long options
    chain.append(e6(ipv6(ext_options(NH_HBH) + ext_options(NH_ICMP6) + echo(), NH_DEST, E, G)))  # HBH not first
    chain.append(e6(ipv6(b"\0" * 16, 253, E, G)))                                             # unknown next header
    chain.append(e6(ipv6(ext_options(253) + b"\0" * 8, NH_DEST, E, G)))                        # unknown after options
    chain.append(e6(ipv6(ext_options(NH_ICMP6, b"\x80\x02\0\0") + echo(), NH_DEST, E, G)))     # option: discard + ICMP
    chain.append(e6(ipv6(ext_options(NH_ICMP6, b"\x05\xff") + echo(), NH_DEST, E, G)))         # option past the end
    chain.append(e6(ipv6(ext_options(NH_ICMP6, hdrlen=200) + echo(), NH_DEST, E, G)))          # header length past the end
    chain.append(e6(ipv6(bytes([NH_ICMP6, 2, 0, 1]) + b"\0" * 20 + echo(), NH_ROUTING, E, G))) # routing type 0, segs left 1
    chain.append(e6(ipv6(bytes([NH_ICMP6, 0, 77, 1]) + b"\0" * 4 + echo(), NH_ROUTING, E, G))) # unknown routing type
    chain.append(e6(ipv6(b"", NH_HBH, E, G)))                                                  # chain cut off
    chain.append(e6(ipv6(b"".join(ext_options(NH_DEST) for _ in range(170)), NH_DEST, E, G)))  # 170 headers, no end
    b.append(("IPv6 extension header chains", chain))
    # payload length against the frame
    plen = [e6(ipv6(echo(), NH_ICMP6, E, G, plen=n)) for n in (0, 1, 7, 100, 1460, 65535)]
    plen += [e6(ipv6(echo(), NH_ICMP6, E, G)[:k]) for k in (0, 1, 20, 39)]                       # short header
    plen += [e6(ipv6(echo(), NH_ICMP6, E, G, version=v)) for v in (4, 0, 15)]
    plen += [e6(ipv6(echo() + b"trailing" * 8, NH_ICMP6, E, G, plen=len(echo())))]               # frame longer: fine
    b.append(("IPv6 payload length larger/smaller than the frame, bad version", plen))
    # fragments
    body = echo6(0x6666, 2, b"F" * 64, E, G)
    fr = []
    fr.append(e6(ipv6(frag6(NH_ICMP6, 0, True, 600, body[:24]), NH_FRAG, E, G)))             # first, never completed
    fr.append(e6(ipv6(frag6(NH_ICMP6, 3, False, 601, body[24:]), NH_FRAG, E, G)))            # last only
    for off in (0, 1, 2):                                                                       # overlapping
        fr.append(e6(ipv6(frag6(NH_ICMP6, off, True, 602, body[off * 8:off * 8 + 24]), NH_FRAG, E, G)))
    fr.append(e6(ipv6(frag6(NH_ICMP6, 2, False, 602, body[16:]), NH_FRAG, E, G)))
    fr.append(e6(ipv6(frag6(NH_ICMP6, 8190, True, 603, b"\0" * 16), NH_FRAG, E, G)))         # past 64 KiB
    fr.append(e6(ipv6(frag6(NH_ICMP6, 8191, False, 604, b"\0" * 64), NH_FRAG, E, G)))
    fr.append(e6(ipv6(frag6(NH_ICMP6, 0, True, 605, body[:13]), NH_FRAG, E, G)))             # M=1, not 8-byte multiple
    fr.append(e6(ipv6(frag6(NH_ICMP6, 0, False, 606, body), NH_FRAG, E, G)))                  # atomic fragment: valid
    fr.append(e6(ipv6(frag6(NH_FRAG, 0, True, 607, frag6(NH_ICMP6, 0, True, 608, body[:16])), NH_FRAG, E, G)))
    fr.append(e6(ipv6(frag6(NH_ICMP6, 0, True, 609, b""), NH_FRAG, E, G)))                   # empty fragment
    for i in range(40):                                                                         # many incomplete
        fr.append(e6(ipv6(frag6(NH_ICMP6, 0, True, 1000 + i, body[:32]), NH_FRAG, E, G)))
    b.append(("IPv6 overlapping, out-of-range and incomplete fragments", fr))
    # hop limits: 0 on an echo (delivered: we are the destination) and != 255 on ND
    hl = [e6(ipv6(echo(), NH_ICMP6, E, G, hlim=0))]
    hl.append(ra(EVIL_LL, EVIL_MAC, prefix=BOGUS_PREFIX, hlim=64))
    hl.append(ra(EVIL_LL, EVIL_MAC, prefix=BOGUS_PREFIX, hlim=254))
    hl.append(ra(EVIL_LL, EVIL_MAC, prefix=BOGUS_PREFIX, hlim=0))
    hl.append(ns_msg(G, EVIL_LL, G, EVIL_MAC, hlim=64))
    b.append(("IPv6 hop limit 0; router advertisements and solicitations with hop limit != 255", hl))
    # checksums
    ck = [e6(ipv6(echo(check=0x1234), NH_ICMP6, E, G)) for _ in range(3)]
    ck.append(ra(EVIL_LL, EVIL_MAC, prefix=BOGUS_PREFIX, check=0x4321))
    ck.append(ns_msg(G, EVIL_LL, G, EVIL_MAC, check=0x1111))
    ck.append(e6(ipv6(udp6(5000, 7, b"u", E, G, check=0x2222), NH_UDP, E, G)))
    b.append(("bad ICMPv6 (and UDP) checksums", ck))
    # ND options of length 0 and other bad options: lwIP's option loops must end
    nd = []
    nd.append(ra(EVIL_LL, EVIL_MAC, prefix=LATEZERO_PREFIX, options=nd_opt(25, b"\0" * 6, length=0)))
    nd.append(eth6(ipv6(icmp6(134, 0, struct.pack("!BBHII", 64, 0, 0, 0, 0) + nd_opt(1, EVIL_MAC, length=0),
                              EVIL_LL, ALL_NODES), NH_ICMP6, EVIL_LL, ALL_NODES, hlim=255), EVIL_MAC,
                   mcast_mac(ALL_NODES)))
    nd.append(ns_msg(G, EVIL_LL, G, EVIL_MAC, options=nd_opt(1, EVIL_MAC, length=0)))
    nd.append(ns_msg(G, EVIL_LL, G, EVIL_MAC, options=b"\x01"))                               # truncated option
    nd.append(ra(EVIL_LL, EVIL_MAC, options=nd_opt(5, b"\0\0" + struct.pack("!I", 68))))       # MTU below 1280
    nd.append(ra(EVIL_LL, EVIL_MAC, options=nd_opt(25, b"\0\0" + struct.pack("!I", 60), length=1)))  # RDNSS too short
    nd.append(ra(EVIL_LL, EVIL_MAC, options=nd_opt(3, b"\0" * 30, length=255)))                 # prefix past the end
    nd.append(eth6(ipv6(icmp6(137, 0, b"\0" * 4 + a6(G) + a6(EVIL6) + nd_opt(4, b"\0" * 6, length=0),
                              EVIL_LL, G), NH_ICMP6, EVIL_LL, G, hlim=255), EVIL_MAC))           # redirect
    b.append(("ND options of length 0, truncated and out of range", nd))
    # ICMPv6 oddities
    od = [e6(ipv6(icmp6(2, 0, struct.pack("!I", 0) + ipv6(b"", NH_UDP, G, E)[:40], E, G), NH_ICMP6, E, G)),  # PTB mtu 0
          e6(ipv6(icmp6(1, 4, b"\0" * 4 + b"\x60" + b"\0" * 7, E, G), NH_ICMP6, E, G)),
          e6(ipv6(icmp6(200, 0, b"junk", E, G), NH_ICMP6, E, G)),
          e6(ipv6(icmp6(128, 0, b"", E, G), NH_ICMP6, E, G)),
          e6(ipv6(icmp6(130, 0, b"\0" * 3, E, ALL_NODES), NH_ICMP6, E, ALL_NODES, hlim=1)),
          e6(ipv6(echo6(0x6666, 3, b"p" * 1400, E, G), NH_ICMP6, E, G))]
    b.append(("ICMPv6 oddities (packet too big with MTU 0, unknown types, short echo)", od))
    b.append(("random bytes after a valid IPv6 header (200 frames)",
              [e6(ipv6(bytes(r.randrange(256) for _ in range(r.randrange(0, 1400))),
                       r.choice((NH_HBH, NH_TCP, NH_UDP, NH_ROUTING, NH_FRAG, NH_ICMP6, NH_NONE, NH_DEST, 255)),
                       E, r.choice((G, GUEST_LL, ALL_NODES))))
               for _ in range(200)]))
    return b


def control_ra():
    """A valid router advertisement of CONTROL_PREFIX from EVIL_LL."""
    return ra(EVIL_LL, EVIL_MAC, prefix=CONTROL_PREFIX, lifetime=0)


def dad_targets(pcap):
    """Targets of the guest's duplicate address detection probes in a capture."""
    return [t for (t,) in tshark_fields(pcap, "icmpv6.type == 135 && ipv6.src == ::",
                                        "icmpv6.nd.ns.target_address")]
