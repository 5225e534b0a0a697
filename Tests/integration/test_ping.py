"""ping (User/ping.c) over a raw ICMP socket: echo of the gateway 10.0.2.2 on QEMU's
user network (slirp answers ICMP echo addressed to its own gateway address itself, so
nothing leaves the machine), two pings at once kept apart by their ids, an address
nobody answers (10.0.2.9: slirp's ARP knows only its own hosts) timing out with 100%
loss, and bad arguments getting the usage line."""
import re
from guest import booted, expect_in, TestFailure

SUMMARY = (r"(\d+) packets transmitted, (\d+) received, (?:\+\d+ errors, )?(\d+)% packet loss"
           r"(?:, rtt min/avg/max = ([\d.]+)/([\d.]+)/([\d.]+) ms)?")
USAGE = r"usage: ping \[-c count\] \[-i interval_ms\] \[-s size\] \[-W timeout_s\] host"


def _summary(out, what):
    m = re.search(SUMMARY, out)
    if not m:
        raise TestFailure("%s: no summary line in %r" % (what, out[-800:]))
    return m


def _all_answered(out, count, size, what):
    for seq in range(1, count + 1):
        expect_in(r"%d bytes from 10\.0\.2\.2: icmp_seq=%d ttl=\d+ time=[\d.]+ ms\n"
                  % (size + 8, seq), out, what)
    m = _summary(out, what)
    if m.group(1, 2, 3) != (str(count), str(count), "0"):
        raise TestFailure("%s: wrong summary %r" % (what, m.group(0)))
    lo, avg, hi = (float(m.group(i)) for i in (4, 5, 6))
    if not lo <= avg <= hi:
        raise TestFailure("%s: rtt min/avg/max out of order: %r" % (what, m.group(0)))
    if "wrong data" in out or "bad ICMP checksum" in out:
        raise TestFailure("%s: damaged replies: %r" % (what, out))


def _wait_dhcp(g):
    if not g.wait_for(r"lease after", timeout=30):
        raise TestFailure("no DHCP lease line at boot")


def test_ping_gateway():
    with booted("test_ping_gateway") as g:
        _wait_dhcp(g)
        out = g.run("ping -c 3 -i 200 10.0.2.2", timeout=30)
        expect_in(r"PING 10\.0\.2\.2 \(10\.0\.2\.2\): 56 data bytes", out, "ping banner")
        _all_answered(out, 3, 56, "ping -c 3 10.0.2.2")
        # a payload of a full frame, and one IP fragments both ways
        _all_answered(g.run("ping -c 2 -i 100 -s 1472 10.0.2.2", timeout=30), 2, 1472,
                      "ping -s 1472")
        _all_answered(g.run("ping -c 2 -i 100 -s 4000 10.0.2.2", timeout=30), 2, 4000,
                      "ping -s 4000 (fragmented)")
        # two at once: each takes only the replies with its own id
        g.c.sendline("ping -c 4 -i 100 10.0.2.2 & ping -c 4 -i 100 10.0.2.2")
        both = r"(4 packets transmitted, 4 received, 0% packet loss[^\n]*\n[\s\S]*){2}"
        if not g.wait_for(both, timeout=30):
            raise TestFailure("two concurrent pings did not both get 4 of 4:\n" + g.tail())
        g.run("", timeout=10)
        g.poweroff()


def test_ping_unreachable_and_bad_input():
    with booted("test_ping_unreachable") as g:
        _wait_dhcp(g)
        out = g.run("ping -c 2 -W 1 -i 100 10.0.2.9", timeout=30)
        for seq in (1, 2):
            expect_in(r"no reply from 10\.0\.2\.9 for icmp_seq=%d within 1 s" % seq, out,
                      "unreachable ping")
        m = _summary(out, "unreachable ping")
        if m.group(1, 2, 3) != ("2", "0", "100") or m.group(4):
            raise TestFailure("unreachable ping: wrong summary %r" % m.group(0))
        for line, why in (("ping", None),
                          ("ping -c 0 10.0.2.2", r"ping: bad value for -c: 0"),
                          ("ping -c", r"ping: bad value for -c: \(missing\)"),
                          ("ping -s 70000 10.0.2.2", r"ping: bad value for -s: 70000"),
                          ("ping -W x 10.0.2.2", r"ping: bad value for -W: x"),
                          ("ping -q 10.0.2.2", r"ping: unknown option -q"),
                          ("ping 10.0.2.2 10.0.2.3", None)):
            out = g.run(line, timeout=10)
            expect_in(USAGE, out, "`%s`" % line)
            if why:
                expect_in(why, out, "`%s`" % line)
        g.poweroff()
