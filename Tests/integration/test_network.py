"""The network driver issue: DHCP at boot on QEMU's user network (checked in the
capture with tshark), and on a tap device in a network namespace against dnsmasq,
a DHCP server no one here wrote, with the host side pinging the guest."""
import os, re, subprocess, time
from guest import booted, expect_in, free_port, sh, Skip, TestFailure, ROOT

LEASE_OF = r"%s: ([0-9a-f:]{17}) (\d+\.\d+\.\d+\.\d+)/(\d+) gw (\S+) dns (\S+) \(lease after (\d+) ms\)"
LEASE = r"en0: ([0-9a-f:]{17}) (\d+\.\d+\.\d+\.\d+)/(\d+) gw (\S+) dns (\S+) \(lease after (\d+) ms\)"


def _dhcp_kinds(pcap):
    out = sh("tshark -r %s -Y dhcp -T fields -e dhcp.option.dhcp" % pcap)
    return [k for k in out.split() if k]


def _malformed(pcap):
    out = sh("tshark -r %s -Y '_ws.malformed || _ws.expert.severity == error' -T fields -e frame.number" % pcap)
    return out.split()


def test_dhcp_lease_on_user_network():
    with booted("dhcp-user") as g:
        m = g.wait_for(LEASE, timeout=15)
        if not m:
            raise TestFailure("no lease line within 15 s of the prompt")
        mac, addr, prefix, gw, dns, ms = m.groups()
        if (addr, prefix, gw, dns) != ("10.0.2.15", "24", "10.0.2.2", "10.0.2.3"):
            raise TestFailure("unexpected lease: %s" % m.group(0))
        if mac != "52:54:00:12:34:56":
            raise TestFailure("MAC from config space is %s" % mac)
        g.poweroff()
    pcap = os.path.join(ROOT, g.pcap)
    kinds = _dhcp_kinds(pcap)
    # DISCOVER(1) OFFER(2) REQUEST(3) ACK(5), in that order
    order = [k for k in kinds if k in ("1", "2", "3", "5")]
    if order[:4] != ["1", "2", "3", "5"]:
        raise TestFailure("capture %s: DHCP messages %s, not DISCOVER OFFER REQUEST ACK" % (g.pcap, kinds))
    bad = _malformed(pcap)
    if bad:
        raise TestFailure("capture %s: malformed or bad-checksum frames %s" % (g.pcap, bad[:10]))
    return "lease after %s ms" % ms


NS = "xv6net-dhcp%d" % os.getpid()


def _netns_available():
    if os.geteuid() != 0:
        raise Skip("needs root to create a network namespace and a tap device (run as root)")
    if subprocess.run("command -v dnsmasq || test -x /usr/sbin/dnsmasq", shell=True,
                      capture_output=True).returncode != 0:
        raise Skip("dnsmasq is not installed (make test installs dnsmasq-base)")


def test_dhcp_from_dnsmasq_on_tap():
    _netns_available()
    leases = "/tmp/%s.leases" % NS
    try:
        sh("ip netns add %s" % NS)
        sh("ip netns exec %s ip link set lo up" % NS)
        sh("ip netns exec %s ip tuntap add dev tap0 mode tap" % NS)
        sh("ip netns exec %s ip addr add 192.168.77.1/24 dev tap0" % NS)
        sh("ip netns exec %s ip link set tap0 up" % NS)
        dnsmasq = subprocess.Popen(
            ["ip", "netns", "exec", NS, "dnsmasq", "--no-daemon", "--conf-file=/dev/null",
             "--port=0", "--no-ping", "--interface=tap0", "--bind-interfaces",
             "--dhcp-range=192.168.77.50,192.168.77.99,255.255.255.0,1h",
             "--dhcp-option=option:router,192.168.77.1",
             "--dhcp-option=option:dns-server,192.168.77.1",
             "--dhcp-leasefile=" + leases, "--pid-file="],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            with booted("dhcp-dnsmasq", net="tap", netns=NS) as g:
                m = g.wait_for(LEASE, timeout=15)
                if not m:
                    raise TestFailure("no lease from dnsmasq within 15 s")
                mac, addr, prefix, gw, dns, ms = m.groups()
                n = int(addr.split(".")[-1])
                if not (addr.startswith("192.168.77.") and 50 <= n <= 99 and prefix == "24"
                        and gw == "192.168.77.1" and dns == "192.168.77.1"):
                    raise TestFailure("lease %s is not what dnsmasq hands out" % m.group(0))
                ping = subprocess.run(["ip", "netns", "exec", NS, "ping", "-c", "3", "-W", "2", addr],
                                      capture_output=True, text=True, timeout=30)
                if ping.returncode != 0 or not re.search(r"3 received", ping.stdout):
                    raise TestFailure("the host side could not ping the guest at %s: %s" % (addr, ping.stdout[-300:]))
                g.poweroff()
            lease_file = open(leases).read() if os.path.exists(leases) else ""
            if addr not in lease_file:
                raise TestFailure("dnsmasq's lease file does not hold %s: %r" % (addr, lease_file))
            return "dnsmasq leased %s in %s ms; ping ok" % (addr, ms)
        finally:
            dnsmasq.terminate()
            dnsmasq.wait(timeout=10)
    finally:
        subprocess.run("ip netns del %s" % NS, shell=True)
        if os.path.exists(leases):
            os.unlink(leases)


def test_two_nics():
    """NIC=both: en0 a virtio-net on 10.0.2.0/24, en1 an e1000 on a QEMU network of its
    own (10.0.3.0/24); each leases, ifconfig lists both with their device, and httpd
    answers through either forward."""
    port1 = free_port()
    pcap1 = os.path.join("pcap", "two-nics-en1.pcap")
    with booted("two-nics", nic="both", make_args="FWDPORT1=%d PCAP1=%s" % (port1, pcap1)) as g:
        leases = {}
        for ifname in ("en0", "en1"):
            m = g.wait_for(LEASE_OF % ifname, timeout=20)
            if not m:
                raise TestFailure("no lease line for %s" % ifname)
            leases[ifname] = m.groups()
        if leases["en0"][1:4] != ("10.0.2.15", "24", "10.0.2.2"):
            raise TestFailure("en0's lease: %s" % (leases["en0"],))
        if leases["en1"][1:4] != ("10.0.3.15", "24", "10.0.3.2"):
            raise TestFailure("en1's lease: %s" % (leases["en1"],))
        if leases["en0"][0] == leases["en1"][0]:
            raise TestFailure("both interfaces have MAC %s" % leases["en0"][0])
        out = g.run("ifconfig")
        expect_in(r"en0: flags=UP,BROADCAST,RUNNING,DEFAULT\s+mtu 1500\s+device virtio-net", out,
                  "en0 is the virtio-net and carries the default route")
        expect_in(r"en1: flags=UP,BROADCAST,RUNNING\s+mtu 1500\s+device e1000", out, "en1 is the e1000")
        expect_in(r"inet 10\.0\.3\.15", out, "en1's address")
        for port, ifname in ((g.fwdport, "en0"), (port1, "en1")):
            body = sh("curl -s -m 20 http://127.0.0.1:%d/" % port)
            if "<" not in body:
                raise TestFailure("GET / through %s's forward (port %d): %r" % (ifname, port, body[:200]))
        g.poweroff()
    kinds = _dhcp_kinds(os.path.join(ROOT, pcap1))
    if [k for k in kinds if k in ("1", "2", "3", "5")][:4] != ["1", "2", "3", "5"]:
        raise TestFailure("en1's capture %s: DHCP messages %s" % (pcap1, kinds))
    return "en0 lease after %s ms, en1 after %s ms" % (leases["en0"][5], leases["en1"][5])
