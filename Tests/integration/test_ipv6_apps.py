"""The user programs over IPv6 (issue 15): the address library and the resolver
checked in the guest (`inettest`: inet_pton/inet_ntop in both directions with their
malformed cases, the literal helpers, getaddrinfo without a network, and malformed AAAA
answers from a stand-in DNS server on the guest's loopback); programs talking to each
other over ::1 (httpget against the guest's own httpd, which listens on [::] for both
families, nc both ways); and QEMU's user network, which has IPv6 by default (prefix
fec0::/64, the host's side fec0::2, DNS fec0::3): `ping -c 3 fec0::2`, ifconfig's
inet6 lines, httpd still reached from the host through the IPv4-only port forward, and
the clear messages for what fails (no reply, connection refused, malformed literals).
Nothing leaves the machine: fec0::2 is QEMU itself."""
import re, socket, threading, time, urllib.request

from guest import booted, expect_in, TestFailure

SUMMARY = r"(\d+) packets transmitted, (\d+) received, (\d+)% packet loss"


def _wait_ipv6(g, timeout=30):
    """Wait until ifconfig shows a global (SLAAC) address: the router has answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = g.run("ifconfig")
        m = re.search(r"inet6 (fec0:\S+)/64 scope global\n", out)
        if m:
            return m.group(1), out
        time.sleep(1)
    raise TestFailure("no global IPv6 address (fec0::/64) within %d s:\n%s" % (timeout, out))


class V6Server:
    """A TCP server on the host's ::1 (QEMU's user network takes the guest's
    connections to fec0::2 there). reply(request) is what each connection gets:
    at once (request None: a daytime server), or after a request head."""

    def __init__(self, reply, speaks_first=False):
        self.sock = socket.socket(socket.AF_INET6)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("::1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.reply, self.speaks_first = reply, speaks_first
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            with c:
                try:
                    c.settimeout(5)
                    req = None
                    if not self.speaks_first:
                        req = b""
                        while b"\r\n\r\n" not in req:
                            d = c.recv(4096)
                            if not d:
                                break
                            req += d
                    c.sendall(self.reply(req))
                except OSError:
                    pass

    def close(self):
        self.sock.close()


def test_ipv6_inet_library():
    with booted("test_ipv6_inet_library") as g:
        out = g.run("inettest", timeout=60)
        m = re.search(r"inettest: (\d+) checks, (\d+) failed", out)
        if not m or m.group(2) != "0" or int(m.group(1)) < 100:
            raise TestFailure("inettest: %r" % out[-2000:])
        g.poweroff()
        return "(%s checks)" % m.group(1)


def test_ipv6_loopback_apps():
    """httpget and nc over ::1, and httpd logging its IPv6 and IPv4 clients."""
    with booted("test_ipv6_loopback_apps") as g:
        g.start_httpd()
        out = g.run("httpget http://[::1]/ -o /v6.html", timeout=30)
        expect_in(r"httpget: \d+ bytes to /v6.html", out, "httpget http://[::1]/")
        expect_in(r"httpd: ::1 ", g.console(), "httpd's log line for a ::1 client")
        out = g.run("httpget http://127.0.0.1/ -o /v4.html", timeout=30)
        expect_in(r"httpget: \d+ bytes to /v4.html", out, "httpget http://127.0.0.1/ (dual-stack listener)")
        expect_in(r"httpd: 127\.0\.0\.1 ", g.console(), "httpd's log line for an IPv4 client (unmapped)")
        same = g.run("cmp /v6.html /v4.html && echo SAME")
        if "SAME" not in same and "differ" in same:
            raise TestFailure("the page differs over IPv6 and IPv4: %r" % same)
        # the host reaches the same httpd over QEMU's IPv4-only port forward
        body = urllib.request.urlopen("http://127.0.0.1:%d/" % g.fwdport, timeout=20).read()
        if not body:
            raise TestFailure("httpd on [::] did not answer an IPv4 client through the port forward")
        # nc: a listener on [::] and a client to ::1
        g.run("echo hello-over-v6 > /msg")
        g.c.sendline("nc -6 -l 7777 > /got &")
        time.sleep(1)
        g.run("nc -v ::1 7777 < /msg", timeout=30)
        time.sleep(1)
        expect_in(r"hello-over-v6", g.run("cat /got"), "nc over ::1")
        # what fails says so
        out = g.run("httpget http://[::1]:81/", timeout=30)
        expect_in(r"httpget: \[::1\]:81: connection refused", out, "httpget to a closed port")
        out = g.run("httpget http://[::1/", timeout=10)
        expect_in(r"httpget: .*(bad|malformed)", out, "httpget with an unclosed bracket")
        out = g.run("nc ::1 7778", timeout=30)
        expect_in(r"nc: connect to ::1 port 7778: Connection refused", out, "nc to a closed port")
        g.poweroff()


def test_ipv6_user_network():
    """QEMU's IPv6: SLAAC address, ping of fec0::2, ping's failures, daytime by literal."""
    with booted("test_ipv6_user_network") as g:
        addr, ifc = _wait_ipv6(g)
        expect_in(r"inet6 fe80::\S+/64 scope link", ifc, "ifconfig: link-local address")
        expect_in(r"ipv6 router fe80::\S+", ifc, "ifconfig: the IPv6 router")
        out = g.run("ping -c 3 -i 200 fec0::2", timeout=40)
        expect_in(r"PING fec0::2 \(fec0::2\): 56 data bytes", out, "ping banner")
        for seq in (1, 2, 3):
            expect_in(r"64 bytes from fec0::2: icmp_seq=%d time=[\d.]+ ms" % seq, out,
                      "ping reply %d" % seq)
        m = re.search(SUMMARY, out)
        if not m or m.group(1, 2, 3) != ("3", "3", "0"):
            raise TestFailure("ping -c 3 fec0::2: summary %r" % out[-600:])
        # its own global address answers too (through the stack's loopback)
        out = g.run("ping -c 1 %s" % addr, timeout=20)
        expect_in(r"1 packets transmitted, 1 received", out, "ping of our own address")
        out = g.run("ping -c 1 ::1", timeout=20)
        expect_in(r"1 packets transmitted, 1 received", out, "ping ::1")
        out = g.run("ping -c 2 -W 1 fec0::99", timeout=30)
        expect_in(r"ping: fec0::99: no reply", out, "ping of an address nobody has")
        expect_in(r"2 packets transmitted, 0 received, 100% packet loss", out, "ping loss summary")
        # clients to a host server over IPv6: QEMU hands fec0::2 to the host's ::1
        day = V6Server(lambda req: b"60636 24-11-22 12:34:56 UTC\r\n", speaks_first=True)
        web = V6Server(lambda req: b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nhello v6\n"
                       if req.startswith(b"GET /x HTTP/1.1\r\nHost: [fec0::2]:%d\r\n" % web.port)
                       else b"HTTP/1.1 400 Bad\r\nContent-Length: 0\r\n\r\n")
        try:
            out = g.run("daytime fec0::2 %d" % day.port, timeout=30)
            expect_in(r"60636 24-11-22 12:34:56 UTC", out, "daytime over IPv6")
            out = g.run("httpget http://[fec0::2]:%d/x" % web.port, timeout=30)
            expect_in(r"hello v6", out, "httpget over IPv6 (Host: [fec0::2]:port)")
            out = g.run("wttr -s [fec0::2]:%d x" % web.port, timeout=30)
            expect_in(r"server answered 400", out, "wttr -s [v6]:port reaches the server")
        finally:
            day.close()
            web.close()
        out = g.run("ping -c 1 1::2::3", timeout=10)
        expect_in(r"ping: 1::2::3: ", out, "ping of a malformed address")
        out = g.run("ping -4 -c 1 ::1", timeout=10)
        expect_in(r"ping: ::1: ", out, "ping -4 of an IPv6 literal")
        g.poweroff()
