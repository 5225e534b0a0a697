#!/usr/bin/env python3
"""Writes the fuzz target's seed inputs to Tests/fuzz-corpus/seeds/ (committed;
re-run only to change them). Each seed is in fuzz_netif.c's input format: a
flags byte, then frames as [ctl][len:2][bytes]. Frames are built by hand."""
import os, socket, struct

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


def tcp(sport, dport, seq, ack, flags, data=b"", src=PEER, opts=b"", wnd=8192):
    off = (20 + len(opts)) // 4
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, wnd, 0, 0) + opts
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
    # The same, the echo writing as httpd does: in two writes with MSG_MORE, pushed
    # at once, then its sending side shut (ctl bits 4-6).
    "tcp-server-split-shutdown": frames(0, eth(tcp(1240, 80, 2000, 0, SYN, opts=MSS)),
                                        (1, eth(tcp(1240, 80, 2001, 0, ACK))),
                                        (0x71, eth(tcp(1240, 80, 2001, 0, ACK | PSH, req))),
                                        (7, eth(tcp(1240, 80, 2001 + len(req), 0, ACK))),
                                        (7, eth(tcp(1240, 80, 2001 + len(req), 0, ACK | FIN)))),
    "tcp-ooseq": frames(0, eth(tcp(1235, 80, 5000, 0, SYN)),
                        (1, eth(tcp(1235, 80, 5001, 0, ACK))),
                        (1, eth(tcp(1235, 80, 5101, 0, ACK | PSH, b"B" * 100))),
                        (1, eth(tcp(1235, 80, 5001, 0, ACK | PSH, b"A" * 100)))),
    "tcp-client": frames(0, (1, eth(tcp(5000, 40000, 7000, 0, SYN | ACK, src=GW, opts=MSS))),
                         (1, eth(tcp(5000, 40000, 7001, 0, ACK | PSH, b"hi", src=GW))),
                         (1, eth(tcp(5000, 40000, 7003, 0, RST, src=GW)))),
    "tcp-syn-checked": frames(1, eth(tcp(1236, 80, 1, 0, SYN, opts=MSS))),
    # The echo server's reply waits unsent behind a zero window; then the peer
    # shrinks what tcp_write may append to it (Net/lwip_mssguard.c): by an MSS
    # option on an ACK, or by opening its window to only 8 bytes.
    "tcp-mss-on-ack": frames(0, eth(tcp(1237, 80, 3000, 0, SYN, opts=MSS)),
                             (1, eth(tcp(1237, 80, 3001, 0, ACK, wnd=0))),
                             (1, eth(tcp(1237, 80, 3001, 0, ACK | PSH, req, wnd=0))),
                             (1, eth(tcp(1237, 80, 3001 + len(req), 0, ACK | PSH, b"x", wnd=0,
                                         opts=struct.pack("!BBH", 2, 4, 1))))),
    "tcp-window-zero-then-small": frames(0, eth(tcp(1238, 80, 4000, 0, SYN, opts=MSS, wnd=0)),
                                         (1, eth(tcp(1238, 80, 4001, 0, ACK, wnd=0))),
                                         (1, eth(tcp(1238, 80, 4001, 0, ACK | PSH, req, wnd=0))),
                                         (1, eth(tcp(1238, 80, 4001 + len(req), 0, ACK | PSH, b"x",
                                                     wnd=8)))),
    # The same with two replies queued (the second leaves spare room at the end of
    # its pbuf) and a window of 1000: half of it covers the segment, not its room.
    "tcp-window-zero-spare-room": frames(0, eth(tcp(1239, 80, 6000, 0, SYN, opts=MSS, wnd=0)),
                                         (1, eth(tcp(1239, 80, 6001, 0, ACK, wnd=0))),
                                         (1, eth(tcp(1239, 80, 6001, 0, ACK | PSH, req, wnd=0))),
                                         (1, eth(tcp(1239, 80, 6001 + len(req), 0, ACK | PSH, b"y" * 10,
                                                     wnd=0))),
                                         (1, eth(tcp(1239, 80, 6011 + len(req), 0, ACK | PSH, b"z",
                                                     wnd=1000)))),
    "ip-fragments": frames(1, eth(ip(17, udp(1, 7, b"F" * 32)[20:][:16], frag=0x2000, ident=7)),
                           eth(ip(17, udp(1, 7, b"F" * 32)[20:][16:], frag=2, ident=7))),
    "ip-options": frames(1, eth(ip(17, udp(3333, 7, b"o")[20:], opts=b"\x01\x01\x01\x00"))),
}

# ---- IPv6 (issue 15): the target has fe80::5054:ff:fe12:3456 and fec0::5054:ff:fe12:3456
US6, LL6 = socket.inet_pton(socket.AF_INET6, "fec0::5054:ff:fe12:3456"), \
    socket.inet_pton(socket.AF_INET6, "fe80::5054:ff:fe12:3456")
PEER6, PEERLL = socket.inet_pton(socket.AF_INET6, "fec0::2"), socket.inet_pton(socket.AF_INET6, "fe80::2")
ALLNODES = socket.inet_pton(socket.AF_INET6, "ff02::1")
SNMCAST = socket.inet_pton(socket.AF_INET6, "ff02::1:ff12:3456")


def ip6(nh, payload, src=PEER6, dst=US6, hlim=64):
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, hlim) + src + dst + payload


def sum6(nh, seg, src, dst):
    return csum(src + dst + struct.pack("!IxxxB", len(seg), nh) + seg)


def icmp6(typ, code, body, src=PEER6, dst=US6, hlim=64, nh_chain=None):
    m = struct.pack("!BBH", typ, code, 0) + body
    m = m[:2] + struct.pack("!H", sum6(58, m, src, dst)) + m[4:]
    if nh_chain:          # extension headers between IPv6 and ICMPv6: (first nh, bytes)
        return ip6(nh_chain[0], nh_chain[1] + m, src, dst, hlim)
    return ip6(58, m, src, dst, hlim)


def udp6(sport, dport, data, src=PEER6, dst=US6):
    s = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    return ip6(17, s[:6] + struct.pack("!H", sum6(17, s, src, dst) or 0xffff) + s[8:], src, dst)


def tcp6(sport, dport, seq, ack, flags, data=b"", src=PEER6, dst=US6, opts=b""):
    off = (20 + len(opts)) // 4
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, 8192, 0, 0) + opts
    s = h + data
    return ip6(6, s[:16] + struct.pack("!H", sum6(6, s, src, dst)) + s[18:], src, dst)


def eth6(p, dst=US_MAC):
    return eth(p, 0x86dd, dst)


def opt(typ, data, length=None):
    raw = bytes([typ, 0]) + data
    raw += b"\0" * ((-len(raw)) % 8)
    return raw[:1] + bytes([len(raw) // 8 if length is None else length]) + raw[2:]


def ext(nh, ln=0, fill=None):
    """An options header (hop-by-hop or destination) of (ln + 1) * 8 bytes of PadN."""
    body = fill if fill is not None else bytes([1, 4 + 8 * ln]) + b"\0" * (4 + 8 * ln)
    return bytes([nh, ln]) + body


ECHO6 = struct.pack("!HH", 0x77, 1) + b"abcdefgh"
SLLA = opt(1, PEER_MAC)
PREFIX = opt(3, struct.pack("!BBIII", 64, 0xc0, 3600, 1800, 0) + socket.inet_pton(socket.AF_INET6, "fd00:6::"))
RDNSS = opt(25, b"\0\0" + struct.pack("!I", 600) + socket.inet_pton(socket.AF_INET6, "fd00:6::1"))
MTU = opt(5, b"\0\0" + struct.pack("!I", 1400))
RA = struct.pack("!BBHII", 64, 0x40, 1800, 0, 0)
echo_body = udp6(1, 7, b"F" * 48)[40:]        # UDP to the echo port, to be cut in fragments
DNSOPT = struct.pack("!HH", 23, 16) + socket.inet_pton(socket.AF_INET6, "fd00:6::1")
seeds.update({
    "ip6-echo": frames(1, eth6(icmp6(128, 0, ECHO6))),
    "ip6-echo-linklocal": frames(1, eth6(icmp6(128, 0, ECHO6, src=PEERLL, dst=LL6))),
    "ip6-neighbour-solicit": frames(1, eth6(icmp6(135, 0, b"\0" * 4 + US6 + SLLA, src=PEERLL, dst=SNMCAST, hlim=255),
                                            b"\x33\x33\xff\x12\x34\x56"),
                                    eth6(icmp6(136, 0, struct.pack("!I", 0x60000000) + PEER6 + opt(2, PEER_MAC),
                                               src=PEER6, hlim=255))),
    # a router advertisement (O flag, prefix, RDNSS, MTU); the timers run DAD and DHCPv6
    "ip6-router-advert": frames(1, (0x0e, eth6(icmp6(134, 0, RA + SLLA + PREFIX + RDNSS + MTU, src=PEERLL,
                                                     dst=ALLNODES, hlim=255), b"\x33\x33\0\0\0\1")),
                                (0x0e, eth6(udp6(547, 546, struct.pack("!I", 0x07000000) + DNSOPT, src=PEERLL,
                                                 dst=LL6)))),
    "ip6-nd-option-zero-length": frames(1, eth6(icmp6(134, 0, RA + opt(1, PEER_MAC, length=0) + PREFIX, src=PEERLL,
                                                      dst=ALLNODES, hlim=255), b"\x33\x33\0\0\0\1")),
    "ip6-udp-echo": frames(1, eth6(udp6(3333, 7, b"hello6"))),
    "ip6-tcp-server": frames(0, eth6(tcp6(1234, 80, 1000, 0, SYN, opts=MSS)),
                             (1, eth6(tcp6(1234, 80, 1001, 0, ACK))),
                             (1, eth6(tcp6(1234, 80, 1001, 0, ACK | PSH, req))),
                             (7, eth6(tcp6(1234, 80, 1001 + len(req), 0, ACK | FIN)))),
    "ip6-ext-headers": frames(1, eth6(icmp6(128, 0, ECHO6, nh_chain=(0, ext(60) + ext(60, 1) + ext(58))))),
    "ip6-fragments": frames(1, eth6(ip6(44, struct.pack("!BBHI", 17, 0, 1, 9) + echo_body[:24])),
                            eth6(ip6(44, struct.pack("!BBHI", 17, 0, 3 << 3, 9) + echo_body[24:])),
                            eth6(ip6(44, struct.pack("!BBHI", 17, 0, (1 << 3) | 1, 10) + echo_body[8:40])),
                            eth6(ip6(44, struct.pack("!BBHI", 17, 0, 1, 10) + echo_body[:16]))),   # overlap
    "ip6-mld-query": frames(1, eth6(ip6(0, bytes([58, 0, 5, 2, 0, 0, 1, 0]) + (lambda m: m[:2] + struct.pack(
        "!H", sum6(58, m, PEERLL, ALLNODES)) + m[4:])(struct.pack("!BBHHH", 130, 0, 0, 1000, 0) + b"\0" * 16),
        PEERLL, ALLNODES, 1), b"\x33\x33\0\0\0\1")),
})
os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print("wrote %d seeds to %s" % (len(seeds), os.path.normpath(OUT)))
