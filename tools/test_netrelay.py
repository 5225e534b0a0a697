#!/usr/bin/env python3
"""Tests of tools/netrelay.py without QEMU: two UDP sockets stand in for QEMU's two
dgram netdevs. Runnable as `python3 tools/test_netrelay.py`."""
import json, os, socket, subprocess, sys, time, unittest, random

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import netrelay  # noqa: E402


def udp_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("127.0.0.1", 0))
    return s


class Ends:
    """A relay child process with a fake guest end and a fake network end."""

    def __init__(self, *opts):
        self.guest, self.net = udp_socket(), udp_socket()
        cmd = [sys.executable, os.path.join(HERE, "netrelay.py"),
               "--guest-peer", str(self.guest.getsockname()[1]),
               "--net-peer", str(self.net.getsockname()[1])] + list(opts)
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        assert line.startswith("netrelay ready "), line
        self.ports = json.loads(line.split(" ", 2)[2])
        self.to_guest_side = ("127.0.0.1", self.ports["guest_port"])   # where the guest sends
        self.to_net_side = ("127.0.0.1", self.ports["net_port"])
        self.ctl = ("127.0.0.1", self.ports["control_port"])

    def collect(self, sock, n, timeout=3.0):
        sock.settimeout(0.3)
        got, end = [], time.monotonic() + timeout
        while len(got) < n and time.monotonic() < end:
            try:
                data = sock.recv(65536)
                got.append((time.monotonic(), data))
            except socket.timeout:
                pass
        return got

    def control(self, msg):
        s = udp_socket()
        s.settimeout(3)
        s.sendto(msg, self.ctl)
        r = s.recv(1 << 20) if msg[:1] in (b"S", b"C") else None
        s.close()
        return json.loads(r) if r else None

    def stop(self):
        self.p.terminate()
        _, err = self.p.communicate(timeout=5)
        self.guest.close()
        self.net.close()
        return err


def frames(n, size=200, seed=3):
    r = random.Random(seed)
    return [i.to_bytes(4, "big") + bytes(r.randrange(256) for _ in range(size - 4)) for i in range(n)]


class RelayTest(unittest.TestCase):
    def test_pass_through_intact_both_ways(self):
        e = Ends()
        try:
            fs = frames(300)
            for f in fs:
                e.guest.sendto(f, e.to_guest_side)
                time.sleep(0.0005)
            up = [d for _, d in e.collect(e.net, len(fs))]
            for f in fs:
                e.net.sendto(f, e.to_net_side)
                time.sleep(0.0005)
            down = [d for _, d in e.collect(e.guest, len(fs))]
            self.assertEqual(up, fs)
            self.assertEqual(down, fs)
        finally:
            err = e.stop()
        self.assertIn("netrelay counters", err)

    def test_loss_and_dup_statistics(self):
        # the fault model itself, with a fixed seed: fast and exact
        d = netrelay.Direction("down", random.Random("7-down"))
        d.configure({"loss": 0.05, "dup": 0.01})
        n, out = 20000, 0
        for f in frames(n, size=64):
            out += len(d.plan(f, 0.0))
        c = d.count
        self.assertAlmostEqual(c["lost"] / n, 0.05, delta=0.008)
        self.assertAlmostEqual(c["duped"] / n, 0.01 * 0.95, delta=0.004)
        self.assertEqual(out, n - c["lost"] + c["duped"])
        # same seed, same decisions
        d2 = netrelay.Direction("down", random.Random("7-down"))
        d2.configure({"loss": 0.05, "dup": 0.01})
        for f in frames(n, size=64):
            d2.plan(f, 0.0)
        self.assertEqual(d2.count, c)

    def test_delay_jitter_and_reorder(self):
        d = netrelay.Direction("up", random.Random("1-up"))
        d.configure({"delay": 10, "jitter": 5})
        ds = [d.plan(b"x" * 60, 0.0)[0][0] * 1000 for _ in range(5000)]
        self.assertTrue(all(5 <= x <= 15 for x in ds))
        self.assertAlmostEqual(sum(ds) / len(ds), 10, delta=0.3)
        d.configure({"reorder": 0.1, "jitter": 0})
        ds = [d.plan(b"x" * 60, 0.0)[0][0] * 1000 for _ in range(5000)]
        late = sum(1 for x in ds if x > 10)
        self.assertAlmostEqual(late / 5000, 0.1, delta=0.02)

    def test_corruption_keeps_ethernet_header(self):
        d = netrelay.Direction("down", random.Random("2-down"))
        d.configure({"corrupt": 1.0})
        f = bytes(100)
        g = d.plan(f, 0.0)[0][1]
        self.assertEqual(g[:14], f[:14])
        self.assertEqual(sum(bin(b).count("1") for b in g), 1)

    def test_live_delay_and_loss(self):
        e = Ends("--down-delay", "30", "--down-loss", "0.2", "--seed", "9")
        try:
            fs = frames(200)
            t0 = time.monotonic()
            for f in fs:
                e.net.sendto(f, e.to_net_side)
            got = e.collect(e.guest, 200, timeout=2)
            st = e.control(b"S")
        finally:
            e.stop()
        self.assertEqual(len(got), 200 - st["down"]["lost"])
        self.assertTrue(20 <= st["down"]["lost"] <= 60, st["down"])
        self.assertGreaterEqual(got[0][0] - t0, 0.025)
        self.assertTrue(all(d in fs for _, d in got))

    def test_injection_and_blackhole_and_config(self):
        e = Ends()
        try:
            e.control(b"G" + b"\x01" * 60)
            e.control(b"G")                      # empty: never sent
            got = e.collect(e.guest, 2, timeout=1)
            self.assertEqual([d for _, d in got], [b"\x01" * 60])
            self.assertTrue(e.control(b'C{"blackhole": ["192.0.2.0/24"], "up": {"loss": 0}}')["ok"])
            self.assertFalse(e.control(b'C{"up": {"bogus": 1}}')["ok"])
            ip = bytes([0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 2, 15, 192, 0, 2, 9])
            frame = b"\0" * 12 + b"\x08\x00" + ip
            e.guest.sendto(frame, e.to_guest_side)
            e.guest.sendto(frame[:30] + bytes([10, 0, 2, 2]), e.to_guest_side)
            got = e.collect(e.net, 2, timeout=1)
            st = e.control(b"S")
            self.assertEqual(len(got), 1)
            self.assertEqual(st["up"]["blackholed"], 1)
            self.assertEqual(st["down"]["empty"], 1)
        finally:
            e.stop()


class TapTest(unittest.TestCase):
    """The tap far side: an ARP request from the fake guest, answered by the Linux
    stack of a throwaway namespace. Needs root (skipped otherwise)."""

    @unittest.skipUnless(os.geteuid() == 0 and os.path.exists("/dev/net/tun"),
                         "needs root and /dev/net/tun")
    def test_arp_through_tap_in_namespace(self):
        ns, tap = "netrelay-test-%d" % os.getpid(), "nrtap0"
        run = lambda c: subprocess.run(c, shell=True, check=True, capture_output=True)
        guest = udp_socket()
        p = None
        try:
            run("ip netns add %s" % ns)
            run("ip netns exec %s ip tuntap add dev %s mode tap" % (ns, tap))
            run("ip netns exec %s ip addr add 10.77.0.1/24 dev %s" % (ns, tap))
            run("ip netns exec %s ip link set %s up" % (ns, tap))
            p = subprocess.Popen([sys.executable, os.path.join(HERE, "netrelay.py"),
                                  "--guest-peer", str(guest.getsockname()[1]),
                                  "--tap", tap, "--tap-netns", ns],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            line = p.stdout.readline()
            if not line.startswith("netrelay ready "):
                self.fail("relay did not start: %r %s" % (line, p.stderr.read()[-500:]))
            ports = json.loads(line.split(" ", 2)[2])
            mac = bytes.fromhex("525400aabbcc")
            arp = (b"\x00\x01\x08\x00\x06\x04\x00\x01" + mac + bytes([10, 77, 0, 2])
                   + b"\0" * 6 + bytes([10, 77, 0, 1]))
            guest.settimeout(0.5)
            reply = None
            for _ in range(10):          # the first may go before the tap's carrier is up
                guest.sendto(b"\xff" * 6 + mac + b"\x08\x06" + arp, ("127.0.0.1", ports["guest_port"]))
                try:
                    while True:
                        f = guest.recv(65536)
                        if f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x02":
                            reply = f
                            break
                except socket.timeout:
                    pass
                if reply:
                    break
            self.assertIsNotNone(reply, "no ARP reply from the namespace's kernel")
            self.assertEqual(reply[:6], mac)
            self.assertEqual(reply[28:32], bytes([10, 77, 0, 1]))
        finally:
            if p:
                p.terminate()
                p.communicate(timeout=5)
            guest.close()
            subprocess.run("ip netns del %s" % ns, shell=True, capture_output=True)


if __name__ == "__main__":
    unittest.main(verbosity=1)
