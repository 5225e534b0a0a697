#!/usr/bin/env python3
"""netrelay: a fault-injecting relay between a guest's NIC and QEMU's user network.

QEMU 7.2's `-netdev dgram` carries each Ethernet frame as one UDP datagram. The
guest's NIC sits on one dgram netdev whose remote is the relay's guest-side port;
a second dgram netdev, joined to `-netdev user` through two `-netdev hubport`s,
has the relay's net-side port as remote. The relay passes frames between the two
and, per direction and with a fixed random seed, drops, duplicates, delays (mean
+- jitter, uniform), reorders (holds a frame back by an extra delay) and corrupts
(flips one byte past the Ethernet header) them.

  netrelay.py --guest-peer PORT --net-peer PORT [--seed N] [--loss P] [--dup P]
              [--reorder P] [--delay MS] [--jitter MS] [--corrupt P]
              [--up-...|--down-... to set one direction only]
  netrelay.py --guest-peer PORT --tap IFNAME [--tap-netns NS] [...]

With --tap the far side is not QEMU's user network but a tap device (needs root):
frames from the guest are written to it and frames the kernel sends on it go to
the guest, so the guest's peer is the Linux stack of that namespace. The relay's
UDP sockets are bound first, in the relay's own namespace (where QEMU and the
tests are); only then does it enter --tap-netns (setns) to open the tap there.

"down" is net -> guest, "up" is guest -> net; a bare option sets both. Ports 0
for the relay's own sockets (--guest-port, --net-port, --control-port) mean
"pick one"; the relay prints one line `netrelay ready {json}` with all ports.

Control channel (UDP, 127.0.0.1:control-port), one datagram per command:
  b"G" + frame     inject a frame towards the guest (not faulted, counted)
  b"N" + frame     inject a frame towards the user network
  b"S"             reply with the counters as JSON
  b"C" + json      change settings: {"down": {"loss": 0.1, ...}, "up": {...},
                   "blackhole": ["192.0.2.0/24"], "seed": 7} (blackhole: IPv4 frames
                   from the guest to these prefixes are dropped and counted; seed:
                   both directions' generators start again as --seed 7 starts them)
  b"Q"             print the counters and exit
Empty frames are never sent: QEMU's dgram backend would take one for the end of
the connection and stop reading (counted as "empty").
Counters are printed on stderr at exit (also on SIGTERM/SIGINT).

Programs that run the relay as a child (the reliability tests, the benchmark's
loss rows) use Child below: it starts this file, reads the ready line, talks to
the control port and gives QEMU's -netdev options that wire a guest through it."""
import argparse, ctypes, ctypes.util, fcntl, heapq, ipaddress, json, os, random, re, select, signal
import socket, struct, subprocess, sys, time

FIELDS = ("loss", "dup", "reorder", "delay", "jitter", "corrupt")


class Direction:
    """Fault settings and counters for one direction of the relay."""

    def __init__(self, name, rng):
        self.name = name
        self.rng = rng
        self.loss = self.dup = self.reorder = self.corrupt = 0.0
        self.delay = self.jitter = 0.0          # milliseconds
        self.count = dict(frames=0, bytes=0, sent=0, lost=0, duped=0,
                          reordered=0, corrupted=0, injected=0, blackholed=0,
                          empty=0)

    def settings(self):
        return {k: getattr(self, k) for k in FIELDS}

    def configure(self, d):
        for k, v in d.items():
            if k not in FIELDS:
                raise ValueError("unknown setting %r" % k)
            setattr(self, k, float(v))

    def plan(self, frame, now):
        """What to do with one frame: a list of (when, bytes) to send."""
        self.count["frames"] += 1
        self.count["bytes"] += len(frame)
        r = self.rng
        # Draw every random number for every frame, in the same order, so one
        # setting's change does not shift the others' decisions.
        lose, dup, reo, cor = r.random(), r.random(), r.random(), r.random()
        d1 = self._delay()
        d2 = self._delay()
        pos, bit = r.randrange(1 << 30), r.randrange(8)
        if lose < self.loss:
            self.count["lost"] += 1
            return []
        if cor < self.corrupt and len(frame) > 14:
            b = bytearray(frame)
            i = 14 + pos % (len(b) - 14)
            b[i] ^= 1 << bit
            frame = bytes(b)
            self.count["corrupted"] += 1
        if reo < self.reorder:
            # held back past the frames that follow it
            d1 += max(self.delay, 5.0) * 2 + self.jitter
            self.count["reordered"] += 1
        out = [(now + d1 / 1000.0, frame)]
        if dup < self.dup:
            out.append((now + d2 / 1000.0, frame))
            self.count["duped"] += 1
        return out

    def _delay(self):
        if self.jitter <= 0:
            return max(0.0, self.delay)
        return max(0.0, self.rng.uniform(self.delay - self.jitter, self.delay + self.jitter))


TUNSETIFF = 0x400454ca
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000
CLONE_NEWNET = 0x40000000


def enter_netns(name):
    """Move this process into the network namespace `ip netns add name` made."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    fd = os.open(os.path.join("/var/run/netns", name), os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, "setns(%s): %s" % (name, os.strerror(e)))
    finally:
        os.close(fd)


def open_tap(name):
    """A non-blocking fd on tap device `name` (made if missing), one frame per read,
    no packet-information header."""
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    except OSError:
        os.close(fd)
        raise
    return fd


class TapEnd:
    """The far side as a tap fd, with the socket calls the relay uses on its UDP end."""

    def __init__(self, name, netns=None):
        if netns:
            enter_netns(netns)
        self.name = name
        self.fd = open_tap(name)

    def fileno(self):
        return self.fd

    def getsockname(self):
        return ("tap", 0)

    def recvfrom(self, n):
        return os.read(self.fd, n), None     # BlockingIOError when empty, as a socket

    def sendto(self, frame, addr):
        return os.write(self.fd, frame)


class Relay:
    def __init__(self, args):
        self.host = args.host
        self.guest_peer = (args.host, args.guest_peer)
        self.net_peer = (args.host, args.net_peer)
        self.gsock = self._bind(args.guest_port)
        self.csock = self._bind(args.control_port)
        self.tap = args.tap
        # the tap last: entering its namespace must not move the sockets above
        self.nsock = TapEnd(args.tap, args.tap_netns) if args.tap else self._bind(args.net_port)
        # one generator per direction: the two don't perturb each other
        self.down = Direction("down", random.Random("%d-down" % args.seed))
        self.up = Direction("up", random.Random("%d-up" % args.seed))
        self.blackhole = []
        self.queue = []          # heap of (when, seq, socket, address, frame)
        self.seq = 0
        self.control_msgs = 0
        self.running = True

    def _bind(self, port):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
        s.bind((self.host, port))
        s.setblocking(False)
        return s

    def ports(self):
        return dict(guest_port=self.gsock.getsockname()[1], net_port=self.nsock.getsockname()[1],
                    control_port=self.csock.getsockname()[1],
                    guest_peer=self.guest_peer[1], net_peer=self.net_peer[1], tap=self.tap)

    def stats(self):
        return dict(down=dict(self.down.count, **self.down.settings()),
                    up=dict(self.up.count, **self.up.settings()),
                    blackhole=[str(n) for n in self.blackhole], queued=len(self.queue),
                    control=self.control_msgs)

    def configure(self, conf):
        for name in ("down", "up"):
            if name in conf:
                getattr(self, name).configure(conf[name])
        if "both" in conf:
            self.down.configure(conf["both"])
            self.up.configure(conf["both"])
        if "seed" in conf:
            seed = int(conf["seed"])
            self.down.rng = random.Random("%d-down" % seed)
            self.up.rng = random.Random("%d-up" % seed)
        if "blackhole" in conf:
            self.blackhole = [ipaddress.ip_network(p, strict=False) for p in conf["blackhole"]]

    def _blackholed(self, frame):
        if not self.blackhole or len(frame) < 34 or frame[12:14] != b"\x08\x00":
            return False
        dst = ipaddress.ip_address(frame[30:34])
        return any(dst in n for n in self.blackhole)

    def _schedule(self, plan, sock, addr):
        for when, frame in plan:
            self.seq += 1
            heapq.heappush(self.queue, (when, self.seq, sock, addr, frame))

    def _send(self, sock, addr, frame, d):
        if not frame:
            # QEMU's dgram backend takes an empty datagram for the end of the
            # connection and stops reading its socket: never send one.
            d.count["empty"] += 1
            return
        try:
            sock.sendto(frame, addr)
            d.count["sent"] += 1
        except OSError:
            pass                 # the peer's socket is gone or full: a loss

    def _flush(self, now):
        while self.queue and self.queue[0][0] <= now:
            _, _, sock, addr, frame = heapq.heappop(self.queue)
            self._send(sock, addr, frame, self.down if sock is self.gsock else self.up)

    def _drain(self, sock, now):
        """Read everything waiting on one socket (bounded, so timers still run)."""
        for _ in range(256):
            try:
                data, src = sock.recvfrom(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return           # e.g. ICMP port unreachable from a peer not up yet
            if sock is self.gsock:
                if self._blackholed(data):
                    self.up.count["blackholed"] += 1
                    continue
                self._schedule(self.up.plan(data, now), self.nsock, self.net_peer)
            elif sock is self.nsock:
                self._schedule(self.down.plan(data, now), self.gsock, self.guest_peer)
            else:
                self._control(data, src)

    def _control(self, data, src):
        self.control_msgs += 1
        op, body = data[:1], data[1:]
        if op == b"G":
            self.down.count["injected"] += 1
            self._send(self.gsock, self.guest_peer, body, self.down)
        elif op == b"N":
            self.up.count["injected"] += 1
            self._send(self.nsock, self.net_peer, body, self.up)
        elif op == b"S":
            self.csock.sendto(json.dumps(self.stats()).encode(), src)
        elif op == b"C":
            try:
                self.configure(json.loads(body.decode()))
                reply = {"ok": True}
            except (ValueError, TypeError, AttributeError) as e:
                reply = {"ok": False, "error": str(e)}
            self.csock.sendto(json.dumps(reply).encode(), src)
        elif op == b"Q":
            self.running = False

    def run(self):
        socks = [self.gsock, self.nsock, self.csock]
        while self.running:
            now = time.monotonic()
            self._flush(now)
            timeout = max(0.0, self.queue[0][0] - now) if self.queue else 0.5
            ready, _, _ = select.select(socks, [], [], min(timeout, 0.5))
            now = time.monotonic()
            for s in ready:
                self._drain(s, now)
        self._flush(float("inf"))


# ------------------------------------------------------------------ as a child
class Child:
    """tools/netrelay.py running as a child of the caller, between QEMU's dgram
    ports guest_peer (the guest's NIC) and net_peer (the user network's side);
    opts are more command-line options (--loss ...). control() talks to its
    control port; stop() ends it and returns its final counters."""

    def __init__(self, guest_peer, net_peer, seed=1, opts=()):
        cmd = [sys.executable, os.path.abspath(__file__), "--guest-peer", str(guest_peer),
               "--net-peer", str(net_peer), "--seed", str(seed)] + [str(o) for o in opts]
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        if not line.startswith("netrelay ready "):
            raise RuntimeError("netrelay did not start: %r %s" % (line, self.p.stderr.read()[-500:]))
        self.ports = json.loads(line[len("netrelay ready "):])
        self.ctl = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.ctl.settimeout(5)
        self.caddr = ("127.0.0.1", self.ports["control_port"])
        self.final = None

    def netdevs(self, user, nic="net0"):
        """QEMU's -netdev options: the guest's NIC on dgram netdev `nic` (its
        -device is the caller's) to the relay's guest side; the user network
        (`user`: its options after the id, e.g. hostfwd=...) on a hub with a
        second dgram netdev to the relay's net side. With a tap as the far side,
        only the first two words (the NIC's netdev) apply."""
        dgram = ("dgram,id=%s,local.type=inet,local.host=127.0.0.1,local.port=%d,"
                 "remote.type=inet,remote.host=127.0.0.1,remote.port=%d")
        p = self.ports
        return ["-netdev", dgram % (nic, p["guest_peer"], p["guest_port"]),
                "-netdev", "user,id=u0" + ("," + user if user else ""),
                "-netdev", dgram % ("d1", p["net_peer"], p["net_port"]),
                "-netdev", "hubport,id=hp0,hubid=0,netdev=u0",
                "-netdev", "hubport,id=hp1,hubid=0,netdev=d1"]

    def control(self, op, body=b"", reply=False):
        self.ctl.sendto(op + body, self.caddr)
        if reply:
            data, _ = self.ctl.recvfrom(1 << 20)
            return json.loads(data.decode())

    def stats(self):
        return self.control(b"S", reply=True)

    def configure(self, **conf):
        r = self.control(b"C", json.dumps(conf).encode(), reply=True)
        if not r.get("ok"):
            raise RuntimeError("netrelay refused %r: %s" % (conf, r))

    def inject(self, frame, pace=0.0):
        """A frame to the guest, straight through (no faults)."""
        self.control(b"G", frame)
        if pace:
            time.sleep(pace)

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                _, err = self.p.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                _, err = self.p.communicate()
            m = re.search(r"netrelay counters (\{.*\})", err or "")
            self.final = json.loads(m.group(1)) if m else None
        self.ctl.close()
        return self.final


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ command line
def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--guest-peer", type=int, required=True, help="QEMU's guest dgram local port")
    p.add_argument("--net-peer", type=int, default=0, help="QEMU's user-side dgram local port")
    p.add_argument("--tap", help="far side: this tap device instead of --net-peer (root)")
    p.add_argument("--tap-netns", help="the network namespace that holds --tap")
    p.add_argument("--guest-port", type=int, default=0)
    p.add_argument("--net-port", type=int, default=0)
    p.add_argument("--control-port", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--blackhole", action="append", default=[], help="drop guest frames to this IPv4 prefix")
    for f in FIELDS:
        unit = " (ms)" if f in ("delay", "jitter") else " (0..1)"
        for pre in ("", "up-", "down-"):
            p.add_argument("--" + pre + f, type=float, default=None, help=pre + f + unit if not pre else argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not args.tap and not args.net_peer:
        p.error("one of --net-peer and --tap is required")
    return args


def main(argv=None):
    args = parse(argv)
    relay = Relay(args)
    conf = {"down": {}, "up": {}, "blackhole": args.blackhole}
    for f in FIELDS:
        both = getattr(args, f)
        for d in ("down", "up"):
            v = getattr(args, d + "_" + f)
            v = both if v is None else v
            if v is not None:
                conf[d][f] = v
    relay.configure(conf)

    def stop(*_):
        relay.running = False
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("netrelay ready " + json.dumps(dict(relay.ports(), seed=args.seed)), flush=True)
    try:
        relay.run()
    finally:
        print("netrelay counters " + json.dumps(relay.stats()), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
