#!/usr/bin/env python3
"""A hostile peer, run inside a test's network namespace (ip netns exec NS ...):
floods the guest's paused readers with tiny segments or datagrams, so that each
one pins as much of the guest's receive memory as a frame can.

  ns_flood.py tcp IP PORT N SECS    N connections to IP:PORT, 1-byte segments
                                    round-robin (TCP_NODELAY, autocorking off in
                                    this namespace) for SECS seconds, then close
  ns_flood.py udp IP PORT N SECS    1-byte datagrams to PORT..PORT+N-1, 2000 a
                                    second (a rate the guest takes in: the point
                                    is what unread datagrams pin, not a flood
                                    that overruns the NIC)

The last line of output is JSON: bytes sent per connection (tcp) or datagrams
sent per port (udp), and the seconds the flood lasted."""
import json, select, socket, sys, time


def tcp_flood(ip, port, n, secs):
    # Linux would otherwise hold back small writes while earlier ones are queued
    # and send them as one segment (tcp_autocorking); this sysctl is per namespace.
    with open("/proc/sys/net/ipv4/tcp_autocorking", "w") as f:
        f.write("0\n")
    conns = []
    for _ in range(n):
        s = socket.create_connection((ip, port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        conns.append(s)
    sent = [0] * n
    t0 = time.monotonic()
    while time.monotonic() - t0 < secs:
        progress = False
        for i, s in enumerate(conns):
            try:
                sent[i] += s.send(bytes([sent[i] & 0xFF]))
                progress = True
            except BlockingIOError:
                pass
        if not progress:   # every window is shut: wait for one to open
            select.select([], conns, [], 0.05)
    took = time.monotonic() - t0
    for s in conns:
        s.setblocking(True)
        s.settimeout(120)
        s.shutdown(socket.SHUT_WR)   # everything sent goes out before the FIN
    for s in conns:
        try:
            s.recv(1)                # the guest's FIN, once it read all
        except OSError:
            pass
        s.close()
    return {"sent": sent, "seconds": round(took, 2)}


def udp_flood(ip, port, n, secs, rate=2000):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sent = [0] * n
    t0 = time.monotonic()
    k = 0
    while time.monotonic() - t0 < secs:
        try:
            s.sendto(b"x", (ip, port + k % n))
            sent[k % n] += 1
        except OSError:
            pass   # the tap's queue is full: lost, and not counted as sent
        k += 1
        ahead = t0 + k / rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    return {"sent": sent, "seconds": round(time.monotonic() - t0, 2)}


def main():
    kind, ip, port, n, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    res = tcp_flood(ip, port, n, secs) if kind == "tcp" else udp_flood(ip, port, n, secs)
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
