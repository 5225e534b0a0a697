#!/usr/bin/env python3
"""Run inside a test's network namespace (`ip netns exec NS python3 ...`): reopen a
connection to the guest's httpd from the same source port while the guest still
holds the first one in TIME_WAIT, and offer it SYNs it must not take for a reopening.

  ns_timewait_client.py TAP GUEST_IP PORT

Steps, each reported in the JSON printed at the end:
  first      GET with Connection: close from PORT; httpd closes first, so the guest's
             side of the connection is in TIME_WAIT (2 minutes in lwIP)
  badsum     a SYN on the same addresses, sequence number beyond the old connection,
             TCP checksum wrong: the guest must ignore it (no reply)
  oldseq     a SYN whose sequence number is the old connection's own: not a new
             connection; the guest answers with an ACK of the old one (RFC 9293)
  reopen     a new connection from PORT (Linux picks a larger sequence number): it
             must be accepted at once and served
Frames are sent and watched with a packet socket on the tap."""
import json, os, socket, struct, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import recv_all  # noqa: E402
from reliability import eth, ipv4, tcp  # noqa: E402  (the tests' frame builders)

ETH_P_ALL = 0x0003
SYN, ACK = 0x02, 0x10


def syn_frame(src_mac, dst_mac, src, dst, sport, dport, seq, good_sum=True):
    seg = tcp(sport, dport, seq=seq, flags=SYN, window=64240, src=src, dst=dst, offset=6,
              options=struct.pack("!BBH", 2, 4, 1460))                         # MSS
    if not good_sum:
        seg = seg[:16] + bytes([seg[16] ^ 0x5A, seg[17] ^ 0x5A]) + seg[18:]
    return eth(ipv4(seg, 6, src=src, dst=dst, ident=0x4242, flags_frag=0x4000), src=src_mac, dst=dst_mac)


TCP_FIELDS = ("src", "dst", "sport", "dport", "seq", "ack", "flags")


def tcp_of(frame):
    """The TCP_FIELDS of an IPv4/TCP frame as a dict, else None."""
    if len(frame) < 54 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return None
    ihl = (frame[14] & 15) * 4
    t = frame[14 + ihl:]
    if len(t) < 20:
        return None
    sport, dport, seq, ack, _, flags = struct.unpack("!HHIIBB", t[:14])
    return dict(zip(TCP_FIELDS, (socket.inet_ntoa(frame[26:30]), socket.inet_ntoa(frame[30:34]),
                                 sport, dport, seq, ack, flags)))


class Watch:
    """Frames on the tap, in both directions, kept with what they carry."""

    def __init__(self, tap):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.s.bind((tap, 0))
        self.s.setblocking(False)
        self.seen = []          # (frame, tcp_of(frame))

    def drain(self, seconds=0.0):
        end = time.monotonic() + seconds
        while True:
            try:
                f = self.s.recv(65536)
                self.seen.append((f, tcp_of(f)))
                continue
            except BlockingIOError:
                pass
            if time.monotonic() >= end:
                return
            time.sleep(0.01)

    def mark(self):
        self.drain()
        return len(self.seen)

    def tcp(self, since=0, **want):
        """(frame, fields) of the TCP frames since mark `since` whose fields match want."""
        return [(f, t) for f, t in self.seen[since:]
                if t and all(t[k] == v for k, v in want.items())]


def get(guest, port, local_port, timeout):
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind(("", local_port))
    c.settimeout(timeout)
    t0 = time.monotonic()
    c.connect((guest, port))
    connect_s = time.monotonic() - t0
    c.sendall(b"GET / HTTP/1.1\r\nHost: guest\r\nConnection: close\r\n\r\n")
    body = recv_all(c)
    c.close()
    return body.split(b"\r\n", 1)[0].decode(errors="replace"), connect_s


def main(tap, guest, port):
    port = int(port)
    me = [a for a in os.popen("ip -4 -o addr show dev %s" % tap).read().split() if "/" in a][0].split("/")[0]
    my_mac = bytes.fromhex(open("/sys/class/net/%s/address" % tap).read().strip().replace(":", ""))
    w = Watch(tap)
    res = {}
    lport = 40000 + os.getpid() % 20000

    # first: the guest closes first and keeps the connection in TIME_WAIT
    status, _ = get(guest, port, lport, 10)
    w.drain(0.3)     # our FIN's ACK, so Linux has let the port go
    res["first"] = status
    syns = w.tcp(src=me, sport=lport, flags=SYN)
    fin_at = {who: next((i for i, (_, t) in enumerate(w.seen)
                         if t and t["sport"] == sport and t["flags"] & 0x01), None)
              for who, sport in (("guest", port), ("us", lport))}
    if not syns or fin_at["guest"] is None:
        res["error"] = "the first connection was not seen on the tap"
        print(json.dumps(res))
        return
    isn = syns[0][1]["seq"]
    guest_mac = w.tcp(src=guest, sport=port)[0][0][6:12]
    res["guest_closed_first"] = fin_at["us"] is None or fin_at["guest"] < fin_at["us"]

    def offer(name, seq, good_sum):
        m = w.mark()
        w.s.send(syn_frame(my_mac, guest_mac, me, guest, lport, port, seq, good_sum))
        w.drain(0.7)
        res[name] = [t["flags"] for _, t in w.tcp(m, src=guest, sport=port, dport=lport)]
        return res[name]

    offer("badsum", isn + 1000000, False)   # damaged: ignored
    offer("oldseq", isn, True)              # the old connection's SYN again: ACKed, not opened
    w.drain(0.3)

    # reopen: Linux's new sequence number lies beyond the old connection's
    m = w.mark()
    try:
        status, secs = get(guest, port, lport, 10)
        res["reopen"] = status
        res["reopen_connect_s"] = round(secs, 3)
    except OSError as e:
        res["reopen"] = "error: %s" % e
    w.drain(0.1)
    res["reopen_synack"] = any(t["flags"] & (SYN | ACK) == SYN | ACK
                               for _, t in w.tcp(m, src=guest, sport=port, dport=lport))
    print(json.dumps(res))


if __name__ == "__main__":
    main(*sys.argv[1:4])
