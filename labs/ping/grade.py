#!/usr/bin/env python3
"""The checks of lab ping (hidden from students): ping of the gateway with the
default payload, with -s 1000 (the requests checked in the guest's capture: type,
payload length, id, sequence numbers, checksum as tshark verifies it) and with
-s 0; -s 70000 refused; ping of ::1 over ICMPv6.

  python3 labs/ping/grade.py [--tree DIR]     (or: make grade LAB=ping [TREE=DIR])"""
import os, re, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "labs"))
import gradelib, netchecks  # noqa: E402
from gradelib import Fail  # noqa: E402
from guest import sh  # noqa: E402
from test_ping import _all_answered  # noqa: E402

lab = gradelib.Lab("ping")


@lab.check("the tree builds (make all)")
def build():
    lab.build()


@lab.check("DHCP lease at boot", needs=["build"])
def lease():
    return netchecks.lease(lab.guest())


@lab.check("ping -c 3 10.0.2.2: 3 replies with the payload sent", needs=["lease"])
def ping3():
    _all_answered(lab.guest().run("ping -c 3 -i 200 10.0.2.2", timeout=30), 3, 56, "ping -c 3 10.0.2.2")


def echo_requests(size):
    """(id, seq, checksum status) of the echo requests of `size` payload bytes in the
    guest's capture; checksum status is tshark's: 1 good, 0 bad."""
    out = sh("tshark -r %s -Y 'icmp.type == 8' -T fields -e icmp.ident -e icmp.seq -e data.len "
             "-e icmp.checksum.status" % lab.guest().pcap)
    rows = [l.split("\t") for l in out.splitlines() if l.strip()]
    return [(r[0], r[1], r[3]) for r in rows if len(r) == 4 and (r[2] or "0") == str(size)]


@lab.check("ping -c 2 -s 1000: replies, and requests on the wire with a 1000-byte payload, "
           "our id, sequence 1 and 2, a correct checksum", needs=["lease"])
def size1000():
    g = lab.guest()
    out = g.run("ping -c 2 -i 100 -s 1000 10.0.2.2", timeout=30)
    reqs = echo_requests(1000)
    if len(reqs) < 2:
        raise Fail("the capture %s holds %d ICMP echo requests (type 8) with 1000 payload bytes, not 2"
                   % (g.pcap, len(reqs)))
    if [s for _, s, _ in reqs[-2:]] != ["1", "2"]:
        raise Fail("the echo requests carry sequence numbers %s, not 1 and 2" % [s for _, s, _ in reqs[-2:]])
    if len({i for i, _, _ in reqs[-2:]}) != 1 or reqs[-1][0] == "0":
        raise Fail("the echo requests carry ids %s: one id, the process's, for all of them"
                   % [i for i, _, _ in reqs[-2:]])
    bad = [s for _, s, st in reqs[-2:] if st != "1"]
    if bad:
        raise Fail("tshark finds the ICMP checksum wrong in the requests of sequence %s" % ", ".join(bad))
    _all_answered(out, 2, 1000, "ping -c 2 -s 1000 10.0.2.2")


@lab.check("ping -c 2 -s 0: replies without payload", needs=["lease"])
def size0():
    _all_answered(lab.guest().run("ping -c 2 -i 100 -s 0 10.0.2.2", timeout=30), 2, 0, "ping -c 2 -s 0 10.0.2.2")


@lab.check("ping -s 70000 refused with a clear message", needs=["lease"])
def size70000():
    out = lab.guest().run("ping -s 70000 10.0.2.2", timeout=15)
    if not re.search(r"ping: bad value for -s: 70000", out):
        raise Fail("`ping -s 70000 10.0.2.2` should say `ping: bad value for -s: 70000`; it printed %r"
                   % out[-300:])


@lab.check("ping -c 2 ::1 over ICMPv6: 2 replies", needs=["lease"])
def ipv6():
    return netchecks.ping(lab.guest(), "-c 2 -i 100 ::1", 2)


lab.run()
