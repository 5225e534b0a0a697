#!/usr/bin/env python3
"""Run inside a test's network namespace (`ip netns exec NS python3 ...`): a TCP
client of the guest's httpd, written frame by frame, that shrinks the segment size
the guest may use while httpd's reply waits unsent (Net/lwip_mssguard.c).

  ns_shrink_client.py TAP GUEST_IP PORT PATH

It talks from an address of its own on the tap's network (.200, a made-up MAC,
ARP answered here), so the namespace's Linux neither sees nor resets the
connection. Steps:
  1. SYN with window 0 (so lwIP sizes segments to the MSS: it halves the largest
     window seen, and half of 0 means no bound);
  2. the request, window still 0: httpd fills its send buffer, all unsent;
  3. an ACK carrying an MSS option of 536 (RFC 9293 keeps MSS to SYNs; lwIP 2.1.3
     took it and tcp_write then asserted on its 1460-byte unsent segments);
  4. window 2000 (half of it, 1000, is below the queued segments: tcp_write
     asserted on that too), each segment ACKed as it comes, httpd writing more;
  5. after 128 KiB, window 64240 to the end (FIN), then a RST to let go.
Prints one JSON line: status, header and body lengths, the body's sha256, the
largest segment after step 3, the seconds it took."""
import hashlib, json, os, socket, struct, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reliability import eth, ipv4, tcp, arp  # noqa: E402  (the tests' frame builders)

ETH_P_ALL = 0x0003
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
MY_MAC = bytes.fromhex("020000a0a0c8")
MSS_1460 = struct.pack("!BBH", 2, 4, 1460)
MSS_536 = struct.pack("!BBH", 2, 4, 536)


class Peer:
    def __init__(self, tap, guest, port):
        net = [a for a in os.popen("ip -4 -o addr show dev %s" % tap).read().split() if "/" in a][0]
        self.me = ".".join(net.split("/")[0].split(".")[:3] + ["200"])
        self.guest, self.port = guest, port
        self.guest_mac = None
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.s.bind((tap, 0))
        self.s.settimeout(0.05)
        self.lport = 30000 + os.getpid() % 20000
        self.snd_nxt = 0x1000
        self.rcv_nxt = None
        self.window = 0

    def send_tcp(self, flags, payload=b"", options=b"", window=None):
        seg = tcp(self.lport, self.port, seq=self.snd_nxt, ack=self.rcv_nxt or 0, flags=flags,
                  window=self.window if window is None else window, payload=payload,
                  src=self.me, dst=self.guest, offset=5 + len(options) // 4, options=options)
        self.s.send(eth(ipv4(seg, 6, src=self.me, dst=self.guest, ident=0x4243),
                        src=MY_MAC, dst=self.guest_mac))

    def ack(self, options=b""):
        self.send_tcp(ACK, options=options)

    def next_segment(self, until):
        """(seq, flags, payload) of the guest's next segment to us; answers ARP on
        the way; None at the deadline."""
        while time.monotonic() < until:
            try:
                f = self.s.recv(65536)
            except socket.timeout:
                continue
            if f[12:14] == b"\x08\x06" and len(f) >= 42 and f[20:22] == b"\x00\x01" and \
                    f[38:42] == socket.inet_aton(self.me):        # who has .200: us
                self.s.send(eth(arp(op=2, sha=MY_MAC, spa=self.me, tha=f[22:28],
                                    tpa=socket.inet_ntoa(f[28:32])), 0x0806, src=MY_MAC, dst=f[6:12]))
                continue
            if f[12:14] == b"\x08\x06" and len(f) >= 42 and f[20:22] == b"\x00\x02" and \
                    f[28:32] == socket.inet_aton(self.guest):     # the guest's MAC
                self.guest_mac = f[22:28]
                continue
            if f[12:14] != b"\x08\x00" or f[23] != 6 or f[26:30] != socket.inet_aton(self.guest) or \
                    f[30:34] != socket.inet_aton(self.me):
                continue
            ihl = (f[14] & 15) * 4
            total = struct.unpack("!H", f[16:18])[0]
            t = f[14 + ihl:14 + total]
            sport, dport, seq, _ack, off, flags = struct.unpack("!HHIIBB", t[:14])
            if sport != self.port or dport != self.lport:
                continue
            return seq, flags, t[(off >> 4) * 4:]
        return None

    def learn_guest_mac(self):
        for _ in range(20):
            self.s.send(eth(arp(op=1, sha=MY_MAC, spa=self.me, tpa=self.guest), 0x0806,
                            src=MY_MAC, dst=b"\xff" * 6))
            self.next_segment(time.monotonic() + 0.25)
            if self.guest_mac:
                return True
        return False


def main(tap, guest, port, path):
    p = Peer(tap, guest, int(port))
    res = {}
    t0 = time.monotonic()
    if not p.learn_guest_mac():
        print(json.dumps({"error": "the guest did not answer ARP"}))
        return
    # 1. SYN, window 0
    synack = None
    for _ in range(5):
        p.send_tcp(SYN, options=MSS_1460)
        synack = p.next_segment(time.monotonic() + 1.0)
        if synack and synack[1] & (SYN | ACK) == SYN | ACK:
            break
    if not synack or synack[1] & (SYN | ACK) != SYN | ACK:
        print(json.dumps({"error": "no SYN-ACK from the guest"}))
        return
    p.snd_nxt += 1
    p.rcv_nxt = (synack[0] + 1) & 0xFFFFFFFF
    p.ack()
    # 2. the request, window 0; the guest's persist probes get ACKs that take nothing
    req = ("GET %s HTTP/1.0\r\n\r\n" % path).encode()
    p.send_tcp(ACK | PSH, req)
    p.snd_nxt += len(req)
    quiet = time.monotonic() + 1.0
    while time.monotonic() < quiet:
        if p.next_segment(quiet):
            p.ack()
    # 3. an MSS option on a plain ACK
    p.ack(options=MSS_536)
    time.sleep(0.3)
    # 4./5. small window, then a full one, each in-order segment ACKed
    p.window = 2000
    p.ack()
    got, largest, fin = bytearray(), 0, False
    deadline = time.monotonic() + 60
    while not fin and time.monotonic() < deadline:
        s = p.next_segment(min(deadline, time.monotonic() + 0.5))
        if s is None:
            p.ack()            # a lost ACK of ours must not stall the transfer
            continue
        seq, flags, data = s
        largest = max(largest, len(data))
        skip = (p.rcv_nxt - seq) & 0xFFFFFFFF   # bytes we have (a probe's byte, a resend)
        if skip <= len(data) and len(data) - skip <= p.window:
            got += data[skip:]
            p.rcv_nxt = (p.rcv_nxt + len(data) - skip) & 0xFFFFFFFF
            if flags & FIN:
                p.rcv_nxt = (p.rcv_nxt + 1) & 0xFFFFFFFF
                fin = True
        if len(got) >= 128 * 1024:
            p.window = 64240
        p.ack()
    p.send_tcp(RST | ACK)
    head, _, body = bytes(got).partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    clen = next((int(l.split(":", 1)[1]) for l in lines if l.lower().startswith("content-length:")), None)
    res.update(status=lines[0], content_length=clen, body=len(body), fin=fin,
               sha256=hashlib.sha256(body).hexdigest(),
               largest_segment=largest, seconds=round(time.monotonic() - t0, 2))
    print(json.dumps(res))


if __name__ == "__main__":
    main(*sys.argv[1:5])
