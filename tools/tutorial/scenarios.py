"""What the tutorial's figures are made from: each scenario boots the system the way the
test suite does (Tests/integration/guest.py, reliability.py), runs what a chapter
describes, and records it under build/tutorial/NAME/:

  console.txt   the guest's whole console
  en0.pcap      every frame the guest's NIC sent or received (QEMU's filter-dump)
  runs.json     each command run (in the guest or on the host) and what it printed
  facts.json    numbers a figure quotes (ports, addresses, sizes)

Figures read these through load(NAME). A scenario never touches the internet: QEMU's
user network, the loss relay (tools/netrelay.py) and namespaces it makes itself."""
import json, os, shutil, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "build", "tutorial")
sys.path.insert(0, os.path.join(ROOT, "Tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "Tests", "tls"))

LEASE = r"en0: ([0-9a-f:]{17}) (\d+\.\d+\.\d+\.\d+)/(\d+) gw (\S+) dns (\S+) \(lease after (\d+) ms\)"
INET6 = r"en0: inet6 (\S+)/64 (\S+)/64 router (\S+)(?: dns (\S+))? \(after (\d+) ms\)"

_SCENARIOS = {}


def scenario(name):
    def register(fn):
        _SCENARIOS[name] = fn
        return fn
    return register


class Recording:
    """What one scenario saw; saved as the files above, and read back by load()."""

    def __init__(self, name, fresh=True):
        self.name = name
        self.dir = os.path.join(OUT, name)
        if fresh:
            shutil.rmtree(self.dir, ignore_errors=True)
            os.makedirs(self.dir)
            self.runs, self.facts = [], {}
        else:
            self.runs = json.load(open(self.path("runs.json")))
            self.facts = json.load(open(self.path("facts.json")))

    def path(self, f):
        return os.path.join(self.dir, f)

    @property
    def pcap(self):
        return self.path("en0.pcap")

    def console(self):
        return open(self.path("console.txt"), errors="replace").read()

    def cmd(self, g, line, timeout=60, **kw):
        """Run line in the guest; record and return what it printed."""
        out = g.run(line, timeout=timeout, **kw)
        self.runs.append([line, out])
        return out

    def host(self, line, out):
        self.runs.append([line, out])
        return out

    def output(self, line):
        """What the command line printed (the first run of it)."""
        for cmd, out in self.runs:
            if cmd == line:
                return out
        raise KeyError("scenario %s ran no `%s`" % (self.name, line))

    def keep(self, g):
        """The guest has ended: keep its console and capture."""
        open(self.path("console.txt"), "w").write(g.console().replace("\r", ""))
        shutil.copy(os.path.join(ROOT, g.pcap), self.pcap)

    def save(self):
        json.dump(self.runs, open(self.path("runs.json"), "w"), indent=1)
        json.dump(self.facts, open(self.path("facts.json"), "w"), indent=1)


class Skipped(Exception):
    """A scenario that cannot run here (a test bed that needs root); its figures are
    left as committed, and the run says so."""


def run(name, reuse=False):
    rec_dir = os.path.join(OUT, name)
    if reuse and os.path.exists(os.path.join(rec_dir, "facts.json")):
        print("scenario %s: reusing %s" % (name, os.path.relpath(rec_dir, ROOT)), flush=True)
        return
    print("scenario %s: running" % name, flush=True)
    t0 = time.monotonic()
    rec = Recording(name)
    import guest
    try:
        _SCENARIOS[name](rec)
    except guest.Skip as e:
        raise Skipped(str(e))
    rec.save()
    print("scenario %s: done in %.1f s" % (name, time.monotonic() - t0), flush=True)


def load(name):
    return Recording(name, fresh=False)


def curl(args):
    return subprocess.run("curl -sS --retry 8 --retry-connrefused --retry-delay 1 --max-time 60 " + args,
                          shell=True, capture_output=True, text=True, timeout=90).stdout


# ------------------------------------------------------------------ the scenarios

@scenario("boot")
def boot(rec):
    """`make qemu` as a reader runs it: boot, DHCP, IPv6's autoconfiguration, ping both
    ways round, the interface and socket tables, and two requests to httpd from the
    host over one keep-alive connection."""
    import guest
    with guest.booted("tutorial-boot") as g:
        lease = g.wait_for(LEASE, timeout=30)
        inet6 = g.wait_for(INET6, timeout=30)
        if not lease or not inet6:
            raise guest.TestFailure("no lease or no IPv6 address line")
        rec.facts.update(lease_ms=int(lease.group(6)), inet6_ms=int(inet6.group(5)),
                         fwdport=g.fwdport)
        rec.cmd(g, "ping -c 3 10.0.2.2")
        rec.cmd(g, "ping -c 2 fec0::2")
        g.start_httpd()
        url = "http://127.0.0.1:%d/" % g.fwdport
        rec.host("curl -v http://localhost:FWDPORT/ http://localhost:FWDPORT/",
                 subprocess.run("curl -sS -v -o /dev/null %s -o /dev/null %s 2>&1" % (url, url),
                                shell=True, capture_output=True, text=True, timeout=60).stdout)
        time.sleep(0.5)
        rec.cmd(g, "netstat")
        rec.cmd(g, "ifconfig")
        g.poweroff()
    rec.keep(g)


DNS_NS = "xv6tut-dns%d" % os.getpid()
DNS_NET = "192.168.79"


@scenario("dns")
def dns(rec):
    """A tap device in a namespace with dnsmasq serving DHCP and DNS (a real server,
    where `make qemu` has QEMU's proxy that forwards to the internet): the guest looks
    a name up for each record type, and one that does not exist."""
    import guest
    if os.geteuid() != 0:
        raise guest.Skip("the DNS scenario needs root for its namespace and tap device")
    leases = "/tmp/%s.leases" % DNS_NS
    sh = guest.sh
    dnsmasq = None
    try:
        sh("ip netns add %s" % DNS_NS)
        sh("ip netns exec %s ip link set lo up" % DNS_NS)
        sh("ip netns exec %s ip tuntap add dev tap0 mode tap" % DNS_NS)
        sh("ip netns exec %s ip addr add %s.1/24 dev tap0" % (DNS_NS, DNS_NET))
        sh("ip netns exec %s ip link set tap0 up" % DNS_NS)
        dnsmasq = subprocess.Popen(
            ["ip", "netns", "exec", DNS_NS, "dnsmasq", "--no-daemon", "--conf-file=/dev/null",
             "--no-resolv", "--no-hosts", "--no-ping", "--interface=tap0", "--bind-interfaces",
             "--dhcp-range=%s.50,%s.99,255.255.255.0,1h" % (DNS_NET, DNS_NET),
             "--dhcp-option=option:router,%s.1" % DNS_NET,
             "--dhcp-option=option:dns-server,%s.1" % DNS_NET,
             "--host-record=www.tutorial.test,%s.1,fd00:79::1" % DNS_NET,
             "--cname=web.tutorial.test,www.tutorial.test",
             "--address=/missing.test/",
             "--dhcp-leasefile=" + leases, "--pid-file="],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with guest.booted("tutorial-dns", net="tap", netns=DNS_NS) as g:
            lease = g.wait_for(LEASE, timeout=30)
            if not lease:
                raise guest.TestFailure("no lease from dnsmasq")
            rec.facts.update(guest_ip=lease.group(2), server=lease.group(5))
            rec.cmd(g, "nslookup www.tutorial.test", timeout=30)
            rec.cmd(g, "nslookup -type=AAAA www.tutorial.test", timeout=30)
            rec.cmd(g, "nslookup web.tutorial.test", timeout=30)
            rec.cmd(g, "nslookup nothere.missing.test", timeout=30)
            g.poweroff()
        rec.keep(g)
    finally:
        if dnsmasq:
            dnsmasq.terminate()
            dnsmasq.wait(timeout=10)
        subprocess.run("ip netns del %s" % DNS_NS, shell=True, capture_output=True)
        if os.path.exists(leases):
            os.unlink(leases)


LOSS_RATES = (0.0, 0.02)
LOSS_DELAY_MS = 5


@scenario("loss")
def loss(rec):
    """A 1 MiB download from the guest's httpd to the host, once through a clean relay
    and once through the project's relay dropping 2% of frames each way (tools/netrelay.py,
    seed 1), both with 5 ms of delay each way, each with its own capture."""
    import reliability
    rec.facts["runs"] = []
    for rate in LOSS_RATES:
        tag = "loss%d" % round(rate * 100)
        opts = ["--loss", str(rate), "--delay", str(LOSS_DELAY_MS)]
        with reliability.relayed("tutorial-" + tag, cpus=1, seed=1, relay_opts=opts) as g:
            if not g.wait_for(LEASE, timeout=60):
                raise reliability.TestFailure("no lease through the relay")
            g.start_httpd()
            t0 = time.monotonic()
            size = int(curl("-o /dev/null -w %%{size_download} http://127.0.0.1:%d/big.bin" % g.fwdport) or 0)
            seconds = time.monotonic() - t0
            stats = g.relay.stats()
            g.poweroff()
        shutil.copy(os.path.join(ROOT, g.pcap), rec.path(tag + ".pcap"))
        rec.facts["runs"].append({"rate": rate, "delay_ms": LOSS_DELAY_MS, "pcap": tag + ".pcap", "seconds": round(seconds, 2),
                                  "bytes": size, "relay": stats})


@scenario("tls")
def tls(rec):
    """httpget over HTTPS from the guest to the host's TLS bed (Tests/tls/tlsbed.py:
    a CA made by openssl at run time, put into the image): one verified fetch, and one
    refused because the certificate names another host."""
    import guest, tlsbed
    from test_tls import _image
    bed = tlsbed.Bed()
    base = _image(bed)
    try:
        with guest.booted("tutorial-tls", cpus=1, base=base) as g:
            if not g.wait_for(LEASE, timeout=30):
                raise guest.TestFailure("no lease")
            port = bed.ports["good"]
            rec.facts["port"] = port
            rec.cmd(g, "httpget -v --cacert /tls/ca.pem https://10.0.2.2:%d/f -o /f" % port, timeout=120)
            rec.cmd(g, "httpget https://10.0.2.2:%d/f -o /g" % port, timeout=180)
            g.poweroff()
        rec.keep(g)
    finally:
        bed.close()
        if os.path.exists(os.path.join(ROOT, base)):
            os.unlink(os.path.join(ROOT, base))
