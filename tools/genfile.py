#!/usr/bin/env python3
"""Write a file of SIZE deterministic pseudo-random bytes (same bytes every build),
so download tests can check a known sha256 without committing binary files.
usage: genfile.py PATH SIZE"""
import hashlib, sys

path, size = sys.argv[1], int(sys.argv[2])
out = bytearray()
counter = 0
while len(out) < size:
    out += hashlib.sha256(b"xv6-net %d" % counter).digest()
    counter += 1
with open(path, "wb") as f:
    f.write(out[:size])
