#!/usr/bin/env python3
"""The checks of lab virtq (hidden from students): the virtqueue and virtio-net
host tests against the fake device, then a guest on virtio-net (the default NIC)
that must get its DHCP lease, be pinged back by the gateway, and serve 1 MiB
through the port forward.

  python3 labs/virtq/grade.py [--tree DIR]     (or: make grade LAB=virtq [TREE=DIR])"""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "labs"))
import gradelib, netchecks  # noqa: E402

lab = gradelib.Lab("virtq")


@lab.check("the tree builds (make all)")
def build():
    lab.build()


@lab.check("host tests of the virtqueue and virtio-net (swift test --filter 'Virtqueue|VirtioNet')")
def host_tests():
    return lab.swift_test("Virtqueue|VirtioNet")


@lab.check("DHCP lease on virtio-net at boot", needs=["build"])
def lease():
    return netchecks.lease(lab.guest())


@lab.check("ping -c 3 10.0.2.2: 3 replies", needs=["lease"])
def ping():
    return netchecks.ping(lab.guest(), "-c 3 -i 200 10.0.2.2", 3)


@lab.check("1 MiB from httpd through the port forward, intact", needs=["lease"])
def download():
    return netchecks.download(lab.guest(), lab)


lab.run()
