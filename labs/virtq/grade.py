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
netchecks.driver_lab(lab, "virtio", "Virtqueue|VirtioNet",
                     "host tests of the virtqueue and virtio-net (swift test --filter 'Virtqueue|VirtioNet')")
lab.run()
