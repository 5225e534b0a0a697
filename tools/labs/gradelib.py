"""What the labs' graders (labs/NAME/grade.py) share: a list of checks run in order,
one PASS or FAIL line each with its reason, the score line `grade NAME: P/N checks
passed`, exit status 0 only if every check passed; and helpers to build the graded
tree, run its host tests, and boot it as the integration tests do.

The graded tree (--tree DIR, default this one) may be a student's: only its build is
used. The test harness (Tests/integration/guest.py) and these checks are this
tree's, pointed at DIR, so a hand-out's copy of them changes nothing."""
import argparse, os, re, subprocess, sys, time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "Tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import fsimage  # noqa: E402
import guest  # noqa: E402
from guest import TestFailure  # noqa: E402,F401  (graders raise it)


class Fail(Exception):
    """A check failed; the message is its reason, shown to the student."""


class Lab:
    def __init__(self, name):
        p = argparse.ArgumentParser(description="the checks of lab " + name)
        p.add_argument("--tree", default=ROOT, help="the tree to grade (default: this one)")
        self.name = name
        self.tree = os.path.abspath(p.parse_args().tree)
        self.checks = []
        self.results = {}
        self.guests = {}
        # the harness boots, captures and fscks in the graded tree
        guest.ROOT = fsimage.ROOT = self.tree
        fsimage.FSCK = os.path.join(self.tree, "build", "fsck")
        fsimage.MKFS = os.path.join(self.tree, "build", "mkfs")
        os.chdir(self.tree)

    def check(self, title, needs=(), key=None):
        """Decorator: a check (named by key, default its function's name); it passes
        unless it raises (its return value, if any, is shown). It is failed without
        running if a check in `needs` failed."""
        def add(fn):
            self.checks.append((key or fn.__name__, title, tuple(needs), fn))
            return fn
        return add

    def run(self):
        print("grading lab %s in %s" % (self.name, self.tree), flush=True)
        t0 = time.monotonic()
        try:
            for key, title, needs, fn in self.checks:
                t = time.monotonic()
                failed = [n for n in needs if not self.results.get(n)]
                try:
                    if failed:
                        raise Fail("not run: it needs `%s`, which failed" % next(
                            c[1] for c in self.checks if c[0] == failed[0]))
                    note = fn()
                    self.results[key] = True
                    print("PASS %s (%.1f s)%s" % (title, time.monotonic() - t, ": " + note if note else ""),
                          flush=True)
                except Exception as e:   # any failure of the student's code is a FAIL line
                    self.results[key] = False
                    why = str(e) if isinstance(e, (Fail, TestFailure)) else "%s: %s" % (type(e).__name__, e)
                    print("FAIL %s (%.1f s): %s" % (title, time.monotonic() - t, why), flush=True)
        finally:
            self.end_guests()
        passed = sum(1 for v in self.results.values() if v)
        print("grade %s: %d/%d checks passed (%.0f s)" % (self.name, passed, len(self.checks),
                                                         time.monotonic() - t0))
        sys.exit(0 if passed == len(self.checks) else 1)

    # ------------------------------------------------------------ building and host tests
    def sh(self, cmd, timeout):
        """(exit status, output) of a shell command run in the graded tree."""
        try:
            r = subprocess.run(cmd, shell=True, cwd=self.tree, text=True, timeout=timeout,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            return r.returncode, r.stdout
        except subprocess.TimeoutExpired as e:
            return -1, "%s\n(timed out after %d s)" % (e.output or "", timeout)

    def build(self):
        """make all in the graded tree; Fail with the first error lines."""
        rc, out = self.sh("make -s all", timeout=1200)
        if rc != 0:
            errs = [l for l in out.splitlines() if re.search(r"error|Error|\*\*\*", l)]
            raise Fail("`make all` fails:\n    " + "\n    ".join((errs or out.splitlines())[:12]))

    def swift_test(self, filter_):
        """swift test --filter in the graded tree; Fail naming the failing tests."""
        rc, out = self.sh("swift test --filter '%s'" % filter_, timeout=1200)
        if rc != 0:
            # the failing tests by name, then their first lines, cut short (an
            # expectation may print whole arrays)
            names = list(dict.fromkeys(re.findall(r"✘ Test (\w+)\(\) (?:recorded|failed)", out)))
            bad = [l.strip() for l in out.splitlines()
                   if re.search(r"✘ Test \w+|error:|Fatal error|exited with", l) and "passed" not in l]
            bad = [l if len(l) < 200 else l[:200] + "..." for l in bad]
            raise Fail("`swift test --filter %s` fails%s:\n    %s" % (
                filter_, " (failing: %s)" % ", ".join(names) if names else "",
                "\n    ".join(bad[:8])))
        m = re.search(r"Test run with (\d+) tests? (in \d+ suites? )?passed", out)
        return "%s tests passed" % m.group(1) if m else "passed"

    # ------------------------------------------------------------ guests
    def guest(self, nic="virtio", **kw):
        """A guest booted once per NIC and kept for the following checks; powered
        off (and its disk checked) when the grading ends."""
        if nic not in self.guests:
            try:
                self.guests[nic] = guest.Guest("lab-%s" % self.name, nic=nic, **kw)
            except TestFailure as e:
                self.guests[nic] = e
        g = self.guests[nic]
        if isinstance(g, Exception):
            raise Fail("the guest did not boot: %s" % g)
        return g

    def end_guests(self):
        for g in self.guests.values():
            if isinstance(g, guest.Guest):
                try:
                    g.poweroff()
                except Exception as e:   # a hung guest was killed; its disk still checked
                    print("note: guest %s: %s" % (g.name, e), flush=True)
        self.guests = {}


def console_tail(g, n=600):
    """The end of a guest's console, indented, for a failure's reason."""
    return "\n    " + g.tail(n).replace("\r", "").replace("\n", "\n    ")
