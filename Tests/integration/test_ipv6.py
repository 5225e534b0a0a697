"""Issue 15 (IPv6), hermetic: the guest's addresses, router and DNS server on QEMU's user
network and on a tap in a network namespace where dnsmasq sends router advertisements,
answers stateless DHCPv6 and serves AAAA records (ipv6bed.py); traffic both ways over
IPv6; the RS/RA/NS/NA and DHCPv6 exchanges checked in the capture with tshark.

The tap tests need root (a namespace and a tap device) and say so when they skip. A
part that needs a program or socket feature this tree does not have yet (AF_INET6 in
httpd, ping, httpget) skips with the file it looked in, so a skip never hides a
regression of something that has landed."""
import os, random, re, socket, subprocess, sys, threading, time

from guest import TestFailure, Skip, booted, expect_in
import ipv6bed as V
import reliability as R

GUEST_USER6 = V.eui64(V.GUEST_MAC, "fec0::")     # SLAAC on QEMU's user network


def _check_line(line, global6, router, dns):
    want = "%s/64" % global6
    if want not in line["addrs"]:
        raise TestFailure("address line %r lacks %s" % (line["line"], want))
    if "%s/64" % V.GUEST_LL not in line["addrs"]:
        raise TestFailure("address line %r lacks the link-local %s/64" % (line["line"], V.GUEST_LL))
    if router and line["router"] != router:
        raise TestFailure("address line %r: router %s, not %s" % (line["line"], line["router"], router))


def _check_exchange(pcap, want_icmp, want_dhcp):
    """Every ICMPv6 kind in want_icmp and DHCPv6 kind in want_dhcp is in the capture."""
    kinds, dkinds = V.icmp6_kinds(pcap), V.dhcp6_kinds(pcap)
    missing = [k for k in want_icmp if k not in kinds] + [k for k in want_dhcp if k not in dkinds]
    if missing:
        raise TestFailure("capture %s lacks %s; it has ICMPv6 %s, DHCPv6 %s:\n%s" % (
            pcap, missing, sorted(set(kinds)), sorted(set(dkinds)), V.capture_excerpt(pcap)))
    # order: the router solicitation before the advertisement that answers it, the
    # Information-request before its Reply
    if kinds.index("RS") > len(kinds) - 1 - kinds[::-1].index("RA"):
        raise TestFailure("no RA after the guest's RS: %s" % kinds)
    if want_dhcp and dkinds.index("Information-request") > len(dkinds) - 1 - dkinds[::-1].index("Reply"):
        raise TestFailure("no DHCPv6 Reply after the Information-request: %s" % dkinds)
    return kinds, dkinds


# ------------------------------------------------------------------ QEMU's user network
def test_ipv6_user_network():
    """`make qemu`: SLAAC on QEMU's user network (fec0::/64), its router fe80::2 and
    DNS server fec0::3 on the boot line, the exchange in the capture; ping fec0::2."""
    with booted("ipv6-user") as g:
        line = V.address_line(g, timeout=30)
        _check_line(line, GUEST_USER6, "fe80::2", None)
        if not V.wait_dns6(g, "fec0::3", timeout=10):
            raise TestFailure("no DNS server fec0::3 on the address line or after it: %r" % line["line"])
        out = g.run("ping -c 3 fec0::2", timeout=30)
        if not re.search(r"3 (packets )?received|3 received", out):
            raise TestFailure("ping -c 3 fec0::2: %r" % out[-400:])
        g.poweroff()
    _check_exchange(g.pcap, ["RS", "RA", "NS", "echo-request", "echo-reply"], ["Information-request", "Reply"])
    return "%s; ping fec0::2 3/3" % line["line"]


# ------------------------------------------------------------------ tap + namespace + dnsmasq
NAME6 = "web6.test"        # AAAA only: reaching it proves the guest used IPv6 by name
NAME46 = "both.test"       # A and AAAA


def _records():
    return ["%s,%s" % (NAME6, V.HOST6), "%s,%s.1,%s" % (NAME46, V.NET4, V.HOST6)]


def _tap_guest(bed, name):
    """A guest on the bed's tap; the bed captures on the tap (bed.pcap) from before boot."""
    bed.start_capture(name + "-tap")
    return booted(name, net="tap", tap=V.TAP_NAME, netns=bed.ns)


def test_ipv6_tap_slaac_dhcp6():
    """dnsmasq's RA (O flag) and stateless DHCPv6: the guest's SLAAC address, router and
    DNS server on its line; the namespace pings the guest's global and link-local
    addresses; RS, RA, NS, NA, Information-request and Reply are in the capture."""
    with V.tap6_namespace("slaac", _records()) as bed:
        with _tap_guest(bed, "ipv6-tap") as g:
            line = V.address_line(g, timeout=30)
            router = line["router"]
            _check_line(line, V.GUEST6, None, None)
            if not router or not router.startswith("fe80::"):
                raise TestFailure("no link-local router on %r" % line["line"])
            if not V.wait_dns6(g, V.HOST6, timeout=10):
                raise TestFailure("the DNS server %s (from DHCPv6) is not on the address line or after "
                                  "it: %r" % (V.HOST6, line["line"]))
            (sent, got), text = bed.ping6(V.GUEST6, count=3)
            if got != sent or not sent:
                raise TestFailure("ping -6 %s from the namespace: %d of %d\n%s" % (V.GUEST6, got, sent, text))
            (sent2, got2), text = bed.ping6(V.GUEST_LL, count=3)
            if got2 != sent2 or not sent2:
                raise TestFailure("ping -6 %s from the namespace: %d of %d\n%s" % (V.GUEST_LL, got2, sent2, text))
            g.poweroff()
        pcap = bed.stop_capture()
    kinds, dkinds = _check_exchange(pcap, ["RS", "RA", "NS", "NA", "echo-request", "echo-reply"],
                                    ["Information-request", "Reply"])
    # the DAD probe for the SLAAC address: an NS from :: for the guest's own address
    dad = V.tshark_fields(pcap, "icmpv6.type == 135 && ipv6.src == ::", "icmpv6.nd.ns.target_address")
    if (V.GUEST6,) not in dad or (V.GUEST_LL,) not in dad:
        raise TestFailure("no duplicate address detection probes for %s and %s: %s" % (V.GUEST6, V.GUEST_LL, dad))
    return "%s; ping -6 %d/%d global, %d/%d link-local; capture: ICMPv6 %s, DHCPv6 %s" % (
        line["line"], got, sent, got2, sent2, " ".join(sorted(set(kinds))), " ".join(sorted(set(dkinds))))


def test_ipv6_tap_http_to_guest():
    """The namespace reaches the guest's httpd over IPv6: `curl -6 http://[SLAAC]/`
    gets the same page as over IPv4."""
    with V.tap6_namespace("http", _records()) as bed:
        with _tap_guest(bed, "ipv6-http") as g:
            V.address_line(g, timeout=30)
            g.start_httpd()
            outs = {}
            for fam, url in (("-6", "http://[%s]/" % V.GUEST6), ("-4", None)):
                if url is None:
                    url = "http://%s/" % _guest_ipv4(g)
                r = bed.run(["curl", fam, "-s", "--retry", "3", "--retry-connrefused", "-m", "10",
                             "-w", "\n%{http_code}", url], timeout=40)
                body, _, code = r.stdout.rpartition("\n")
                if code != "200":
                    raise TestFailure("curl %s %s: status %r (%s)" % (fam, url, code, r.stderr.strip()))
                outs[fam] = body
            if outs["-6"] != outs["-4"]:
                raise TestFailure("the page over IPv6 (%d bytes) differs from the one over IPv4 (%d bytes)" % (
                    len(outs["-6"]), len(outs["-4"])))
            g.poweroff()
        pcap = bed.stop_capture()
    tcp6 = V.tshark_fields(pcap, "tcp.flags.syn == 1 && tcp.flags.ack == 1 && ipv6.src == %s" % V.GUEST6,
                           "tcp.srcport")
    if not tcp6:
        raise TestFailure("no SYN-ACK from %s in %s" % (V.GUEST6, pcap))
    return "GET / over IPv6: 200, %d bytes, same as over IPv4" % len(outs["-6"])


def _guest_ipv4(g):
    m = g.wait_for(r"en0: [0-9a-f:]{17} (\d+\.\d+\.\d+\.\d+)/", timeout=30)
    if not m:
        raise TestFailure("no DHCP lease line")
    return m.group(1)


# run in the namespace: an HTTP server on [::] (port picked by the kernel), one line
# with the port once it listens
SERVER6 = """import http.server, os, socket, sys
os.chdir(sys.argv[1])
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
h = S(("::", 0), http.server.SimpleHTTPRequestHandler)
print(h.server_address[1], flush=True)
h.serve_forever()
"""


def test_ipv6_tap_guest_to_host_by_name():
    """The guest looks up a name with only an AAAA record at dnsmasq (the server it
    learned by DHCPv6) and fetches a file over IPv6 from an HTTP server in the namespace."""
    d = "/tmp/xv6v6-www-%d" % os.getpid()
    os.makedirs(d, exist_ok=True)
    data = bytes(random.Random(15).randrange(256) for _ in range(20000))
    with open(os.path.join(d, "blob.bin"), "wb") as f:
        f.write(data)
    srv = None
    try:
        with V.tap6_namespace("name", _records()) as bed:
            srv = bed.popen([sys.executable, "-c", SERVER6, d], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
            port = int(srv.stdout.readline())
            with _tap_guest(bed, "ipv6-name") as g:
                V.address_line(g, timeout=30)
                if not V.wait_dns6(g, V.HOST6, timeout=10):
                    raise TestFailure("no IPv6 DNS server learned")
                out = g.run("nslookup -type=AAAA %s" % NAME6, timeout=30)
                expect_in(re.escape(V.HOST6), out, "nslookup -type=AAAA %s" % NAME6)
                out = g.run("httpget http://%s:%d/blob.bin -o /blob.bin" % (NAME6, port), timeout=60)
                sums = g.run("wc /blob.bin", timeout=20)
                if not re.search(r"\b%d\b" % len(data), sums):
                    raise TestFailure("httpget over IPv6: %r; wc: %r" % (out[-300:], sums))
                g.poweroff()
            pcap = bed.stop_capture()
    finally:
        if srv:
            srv.terminate()
            srv.wait(timeout=10)
        subprocess.run(["rm", "-rf", d])
    aaaa = V.tshark_fields(pcap, "dns.qry.type == 28 && dns.flags.response == 1", "dns.aaaa")
    if not any(V.HOST6 in a for (a, *_rest) in aaaa):
        raise TestFailure("no AAAA answer with %s in the capture: %s" % (V.HOST6, aaaa))
    syn = V.tshark_fields(pcap, "tcp.flags.syn == 1 && tcp.flags.ack == 0 && ipv6.dst == %s" % V.HOST6,
                          "tcp.dstport")
    if (str(port),) not in syn:
        raise TestFailure("no SYN from the guest to [%s]:%d in the capture" % (V.HOST6, port))
    return "nslookup -type=AAAA %s -> %s; httpget of %d bytes over IPv6 by name" % (NAME6, V.HOST6, len(data))
