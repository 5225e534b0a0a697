#!/usr/bin/env python3
"""The checks of lab e1000 (hidden from students): the e1000 driver's host tests
against the fake device, then a guest booted with NIC=e1000 that must get its DHCP
lease, be pinged back by the gateway, and serve 1 MiB through the port forward.

  python3 labs/e1000/grade.py [--tree DIR]     (or: make grade LAB=e1000 [TREE=DIR])"""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "labs"))
import gradelib, netchecks  # noqa: E402

lab = gradelib.Lab("e1000")


@lab.check("the tree builds (make all)")
def build():
    lab.build()


@lab.check("host tests against the fake 82540EM (swift test --filter E1000Tests)")
def host_tests():
    return lab.swift_test("E1000Tests")


@lab.check("DHCP lease on the e1000 at boot", needs=["build"])
def lease():
    return netchecks.lease(lab.guest(nic="e1000"))


@lab.check("ping -c 3 10.0.2.2: 3 replies", needs=["lease"])
def ping():
    return netchecks.ping(lab.guest(nic="e1000"), "-c 3 -i 200 10.0.2.2", 3)


@lab.check("1 MiB from httpd through the port forward, intact", needs=["lease"])
def download():
    return netchecks.download(lab.guest(nic="e1000"), lab)


lab.run()
