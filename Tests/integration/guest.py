"""A booted guest under `make qemu`, driven through its serial console with pexpect.

Every run is bounded in time, writes its own capture (pcap/<name>.pcap), uses a host
port picked free at run time, and ends by `poweroff` (or is killed if that fails).
Each guest boots on its own sparse copy of build/fs.img (build/test-disks/<name>.img);
when it has ended, build/fsck checks that disk as the next boot would see it. A
problem fails the test with fsck's lines (the disk is kept); a clean disk is deleted."""
import contextlib, os, re, signal, socket, subprocess, sys, time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import fsimage  # noqa: E402

PROMPT = r"\$ $"
DISKS = os.path.join("build", "test-disks")     # relative to ROOT

# The NIC every guest boots with (the Makefile's NIC=): run.py --nic sets it, so
# the network tests run unchanged against each driver. Guests of another NIC
# than the default get their own capture and disk names (NAME-e1000).
NIC = os.environ.get("XV6_TEST_NIC", "virtio")
NIC_DEVICES = {"virtio": "virtio-net-device,netdev=%s,bus=virtio-mmio-bus.1",
               "e1000": "e1000,netdev=%s,bus=pcie.0,romfile="}   # no option ROM: nothing runs it


def nic_device(netdev):
    """QEMU's -device argument for the guest's NIC on `netdev`."""
    return NIC_DEVICES[NIC] % netdev


def nic_suffix():
    return "" if NIC == "virtio" else "-" + NIC


class TestFailure(Exception):
    pass


class Skip(Exception):
    pass


def recv_all(sock):
    """Everything sock receives until the peer's FIN."""
    out = bytearray()
    while True:
        d = sock.recv(65536)
        if not d:
            return bytes(out)
        out += d


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def private_disk(name, base=None):
    """A fresh sparse copy of build/fs.img (or of image base) for one guest. The path is
    absolute: QEMUs are found by it (wait_qemu_gone), and another checkout's guest of
    the same name must never match."""
    os.makedirs(os.path.join(ROOT, DISKS), exist_ok=True)
    disk = os.path.join(ROOT, DISKS, re.sub(r"[^A-Za-z0-9_.-]+", "-", name) + ".img")
    fsimage.sparse_copy(os.path.join(ROOT, base or os.path.join("build", "fs.img")), os.path.join(ROOT, disk))
    return disk


def _qemu_pids(disk):
    """QEMU processes that have disk open (found by their command line)."""
    want = ("file=" + disk + ",").encode()
    pids = []
    for d in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                if d.isdigit() and want in f.read():
                    pids.append(int(d))
        except OSError:
            pass
    return pids


def wait_qemu_gone(disk, timeout=10):
    """Wait until no QEMU uses disk; after timeout, SIGKILL the ones that still do."""
    deadline = time.monotonic() + timeout
    while _qemu_pids(disk) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in _qemu_pids(disk):
        os.kill(pid, signal.SIGKILL)
    while _qemu_pids(disk) and time.monotonic() < deadline + 5:
        time.sleep(0.05)


class Guest:
    def __init__(self, name, cpus=3, net="user", tap="tap0", netns=None, boot_timeout=60, base=None,
                 nic=None, make_args=""):
        nic = nic or NIC
        name += "" if nic == "virtio" else "-" + nic
        self.name = name
        self.fwdport = free_port()
        self.pcap = os.path.join("pcap", name + ".pcap")
        if os.path.exists(os.path.join(ROOT, self.pcap)):
            os.unlink(os.path.join(ROOT, self.pcap))
        self.disk = private_disk(name, base)
        cmd = "make -s qemu CPUS=%d FWDPORT=%d PCAP=%s DISK=%s NET=%s TAP=%s NIC=%s %s" % (
            cpus, self.fwdport, self.pcap, self.disk, net, tap, nic, make_args)
        if netns:
            cmd = "ip netns exec %s %s" % (netns, cmd)
        self.cmd = cmd
        self.log = []
        self.t0 = time.monotonic()
        self.c = pexpect.spawn("/bin/bash", ["-c", cmd], cwd=ROOT, encoding="utf-8",
                               codec_errors="replace", timeout=boot_timeout, maxread=65536)
        self.c.logfile_read = _Collect(self.log)
        self.wait_for_boot_prompt(boot_timeout)

    def wait_for_boot_prompt(self, boot_timeout):
        """Wait for sh's first prompt. A kernel line (the lease) printed just after
        it leaves "$ " mid-line where PROMPT cannot see it; once sh has started and
        no prompt came for a while, an empty line asks sh for a fresh one."""
        deadline = self.t0 + boot_timeout
        nudged_at = None
        err = None
        while err is None:
            left = deadline - time.monotonic()
            if left <= 0:
                err = TestFailure("no shell prompt within %d s of `%s`" % (boot_timeout, self.cmd))
                break
            try:
                self.c.expect(PROMPT, timeout=min(left, 2))
                self.boot_seconds = time.monotonic() - self.t0
                return
            except pexpect.TIMEOUT:
                if "init: starting sh" in self.console() and (
                        nudged_at is None or time.monotonic() - nudged_at > 5):
                    self.c.sendline("")
                    nudged_at = time.monotonic()
            except pexpect.EOF:
                err = TestFailure("QEMU exited before the shell prompt: `%s`" % self.cmd)
        self.close()
        err.guest = self
        err.fsck = self.check_disk()
        raise err

    def console(self):
        return "".join(self.log)

    def tail(self, n=1500):
        return self.console()[-n:]

    def run(self, line, timeout=60, expect=None):
        """Type a command line, wait for the next prompt, return what it printed."""
        start = len(self.console())
        self.c.sendline(line)
        try:
            # past our own echoed line first: a prompt still pending from a
            # background job (`prog &` prints its output and "$ " in either
            # order) must not count as this command's end
            try:
                self.c.expect_exact(line, timeout=min(timeout, 10))
            except pexpect.TIMEOUT:
                pass   # the echo was interleaved with other output: the prompt decides
            if expect:
                self.c.expect(expect, timeout=timeout)
            self.c.expect(PROMPT, timeout=timeout)
        except pexpect.TIMEOUT:
            raise TestFailure("`%s` did not finish within %d s" % (line, timeout))
        except pexpect.EOF:
            raise TestFailure("QEMU exited during `%s`" % line)
        out = self.console()[start:].replace("\r", "")
        # drop everything up to the echoed command line (a lease or log line may
        # come first), and the final prompt
        at = out.find(line + "\n")
        out = out[at + len(line) + 1:] if at >= 0 else out.split("\n", 1)[-1]
        return re.sub(r"\$ $", "", out)

    def wait_for(self, pattern, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.console())
            if m or time.monotonic() > deadline:
                return m
            try:
                self.c.expect([pattern, pexpect.TIMEOUT], timeout=0.5)
            except pexpect.EOF:
                return re.search(pattern, self.console())

    # init's line; matched loosely, since a kernel line (the lease) may land inside it
    BOOT_HTTPD = r"httpd \(pid (\d+)\) on port 80"

    def httpd_listening(self):
        # httpd listens on [::] (both families), or on 0.0.0.0 without IPv6
        return re.search(r"(0\.0\.0\.0|\[::\]|::):80 .*LISTEN", self.run("netstat"))

    def start_httpd(self):
        """Make sure httpd listens on port 80: the one init starts at boot, or
        `httpd &` if none comes up."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if self.httpd_listening():
                return
            time.sleep(0.2)
        # not run(): httpd's first line may come after the prompt and hide it
        self.c.sendline("httpd &")
        deadline = time.monotonic() + 20
        while not self.httpd_listening():
            if time.monotonic() > deadline:
                raise TestFailure("httpd is not listening on port 80")
            time.sleep(0.2)

    def stop_boot_httpd(self):
        """Free guest port 80 for another program: kill the httpd init started."""
        m = re.search(self.BOOT_HTTPD, self.console())
        if m and not getattr(self, "_boot_httpd_stopped", False):
            self.run("kill %s" % m.group(1))
            self._boot_httpd_stopped = True
            time.sleep(0.5)

    def poweroff(self, timeout=20):
        """`poweroff` in the guest; then its disk must pass fsck."""
        self.c.sendline("poweroff")
        try:
            self.c.expect(pexpect.EOF, timeout=timeout)
        except pexpect.TIMEOUT:
            self.close()
            raise TestFailure("poweroff did not end QEMU within %d s" % timeout)
        self.c.close()
        self.end()

    def close(self):
        """Kill QEMU if it still runs (a crash, as far as the disk knows)."""
        if self.c.isalive():
            self.c.terminate(force=True)
        wait_qemu_gone(self.disk)

    def check_disk(self):
        """fsck on the disk of this guest, once it has ended (first call only).
        None if clean (the copy is deleted), else the failure's text."""
        if not hasattr(self, "disk_problem"):
            rc, lines = fsimage.run_fsck(os.path.join(ROOT, self.disk))
            if rc == 0:
                os.unlink(os.path.join(ROOT, self.disk))
                self.disk_problem = None
            else:
                self.disk_problem = "fsck found problems on the disk after the guest ended " \
                    "(kept at %s):\n    %s" % (self.disk, "\n    ".join(lines))
        return self.disk_problem

    def end(self):
        """The guest is over: QEMU killed if it still runs, then its disk checked."""
        self.close()
        problem = self.check_disk()
        if problem:
            raise TestFailure(problem)


class _Collect:
    def __init__(self, sink):
        self.sink = sink

    def write(self, s):
        self.sink.append(s)

    def flush(self):
        pass


def sh(cmd, check=True, timeout=60):
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise TestFailure("`%s` failed (%d): %s" % (cmd, r.returncode, (r.stdout + r.stderr).strip()[-500:]))
    return r.stdout


def expect_in(needle, haystack, what):
    if not re.search(needle, haystack):
        raise TestFailure("%s: expected /%s/ in %r" % (what, needle, haystack[-800:]))


@contextlib.contextmanager
def booted(name, **kw):
    """Boot a guest for one test; on failure attach it to the error (for its console
    tail and capture) and kill QEMU."""
    g = Guest(name, **kw)
    try:
        yield g
        g.end()
    except Exception as e:
        ended(g, e)
        raise


def ended(g, e):
    """After a failed test: kill the guest, and attach what fsck says of its disk."""
    e.guest = g
    g.close()
    problem = g.check_disk()
    if problem and problem not in str(e):
        e.fsck = problem
