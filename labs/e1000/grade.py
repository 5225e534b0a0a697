#!/usr/bin/env python3
"""The checks of lab e1000 (hidden from students): the e1000 driver's host tests
against the fake device, then a guest booted with NIC=e1000 that must get its DHCP
lease, be pinged back by the gateway, and serve 1 MiB through the port forward.

  python3 labs/e1000/grade.py [--tree DIR]     (or: make grade LAB=e1000 [TREE=DIR])"""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "labs"))
import gradelib, netchecks  # noqa: E402

lab = gradelib.Lab("e1000")
netchecks.driver_lab(lab, "e1000", "E1000Tests",
                     "host tests against the fake 82540EM (swift test --filter E1000Tests)")
lab.run()
