#!/usr/bin/env python3
"""Writes the fuzz target's seed inputs to Tests/fuzz-corpus/seeds/ (committed;
re-run only to change them). Each seed is in fuzz_netif.c's input format: a
flags byte, then frames as [ctl][len:2][bytes]. Frames are built by hand."""
import os, struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "Tests", "fuzz-corpus", "seeds")
US_MAC, PEER_MAC = bytes.fromhex("525400123456"), bytes.fromhex("52550a000202")
US, GW, PEER = bytes([10, 0, 2, 15]), bytes([10, 0, 2, 2]), bytes([10, 0, 2, 100])


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def eth(payload, etype=0x0800, dst=US_MAC):
    return dst + PEER_MAC + struct.pack("!H", etype) + payload


def ip(proto, payload, src=PEER, frag=0, ident=1, opts=b""):
    ihl = 5 + len(opts) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident,
                    frag, 64, proto, 0, src, US) + opts
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def l4sum(proto, seg, src):
    return csum(src + US + struct.pack("!BBH", 0, proto, len(seg)) + seg)


def tcp(sport, dport, seq, ack, flags, data=b"", src=PEER, opts=b""):
    off = (20 + len(opts)) // 4
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, 8192, 0, 0) + opts
    s = h + data
    c = l4sum(6, s, src)
    return ip(6, s[:16] + struct.pack("!H", c) + s[18:], src)


def udp(sport, dport, data, src=PEER):
    s = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = l4sum(17, s, src) or 0xffff
    return ip(17, s[:6] + struct.pack("!H", c) + s[8:], src)


def frames(flags, *fs):
    """fs: (ctl, frame) pairs or plain frames."""
    out = bytes([flags])
    for f in fs:
        ctl, f = f if isinstance(f, tuple) else (0, f)
        out += struct.pack("!BH", ctl, len(f)) + f
    return out


SYN, ACK, FIN, PSH, RST = 0x02, 0x10, 0x01, 0x08, 0x04
MSS = struct.pack("!BBH", 2, 4, 1460)
req = b"GET / HTTP/1.0\r\n\r\n"
seeds = {
    "arp-request": frames(1, eth(struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, PEER_MAC,
                                             PEER, b"\0" * 6, US), 0x0806, b"\xff" * 6)),
    "icmp-echo": frames(1, eth(ip(1, b"\x08\0" + struct.pack("!H", csum(b"\x08\0\0\0\0\1\0\1abcd"))
                                  + b"\0\1\0\1abcd"))),
    "udp-echo": frames(1, eth(udp(3333, 7, b"hello"))),
    "udp-closed-port": frames(1, eth(udp(3333, 9999, b"x"))),
    # A whole conversation with the echo server: the ctl bit 0 fills in acks.
    "tcp-server": frames(0, eth(tcp(1234, 80, 1000, 0, SYN, opts=MSS)),
                         (1, eth(tcp(1234, 80, 1001, 0, ACK))),
                         (1, eth(tcp(1234, 80, 1001, 0, ACK | PSH, req))),
                         (3, eth(tcp(1234, 80, 1001 + len(req), 0, ACK | FIN))),
                         (7, eth(tcp(1234, 80, 1002 + len(req), 0, ACK)))),
    "tcp-ooseq": frames(0, eth(tcp(1235, 80, 5000, 0, SYN)),
                        (1, eth(tcp(1235, 80, 5001, 0, ACK))),
                        (1, eth(tcp(1235, 80, 5101, 0, ACK | PSH, b"B" * 100))),
                        (1, eth(tcp(1235, 80, 5001, 0, ACK | PSH, b"A" * 100)))),
    "tcp-client": frames(0, (1, eth(tcp(5000, 40000, 7000, 0, SYN | ACK, src=GW, opts=MSS))),
                         (1, eth(tcp(5000, 40000, 7001, 0, ACK | PSH, b"hi", src=GW))),
                         (1, eth(tcp(5000, 40000, 7003, 0, RST, src=GW)))),
    "tcp-syn-checked": frames(1, eth(tcp(1236, 80, 1, 0, SYN, opts=MSS))),
    "ip-fragments": frames(1, eth(ip(17, udp(1, 7, b"F" * 32)[20:][:16], frag=0x2000, ident=7)),
                           eth(ip(17, udp(1, 7, b"F" * 32)[20:][16:], frag=2, ident=7))),
    "ip-options": frames(1, eth(ip(17, udp(3333, 7, b"o")[20:], opts=b"\x01\x01\x01\x00"))),
}
os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print("wrote %d seeds to %s" % (len(seeds), os.path.normpath(OUT)))
