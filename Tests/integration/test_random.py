"""The kernel's random numbers (Kernel/random.c, docs/random.md): the virtio
entropy device seeds the pool at boot (one console line), getrandom's bytes
differ from boot to boot, its malformed arguments get Linux's errors (a bad
pointer EFAULT, bad flags EINVAL, a huge length bounded), /dev/random and
/dev/urandom are readable; and a boot without the device (make RNG=0) says so
and seeds from timer jitter, as documented."""
import re
from guest import booted, expect_in, TestFailure

EFAULT, EINVAL = 14, 22
SEED_LINE = r"virtio-rng: irq (\d+), seeded with (\d+) bytes"


def field(out, name):
    m = re.search(r"(?m)^%s (.*)$" % name, out)
    if not m:
        raise TestFailure("rngtest printed no `%s` line:\n%s" % (name, out[-1500:]))
    return m.group(1).split()


def check_calls(out):
    """The checks whose results do not change from boot to boot."""
    count, data = field(out, "bytes")
    if int(count) != 32 or len(data) != 64:
        raise TestFailure("getrandom(buf, 32, 0): %s %s" % (count, data))
    if field(out, "nonblock") != ["16"]:
        raise TestFailure("GRND_NONBLOCK after seeding: %s" % field(out, "nonblock"))
    if field(out, "efault") != [str(-EFAULT)] * 2:
        raise TestFailure("NULL / kernel address: %s, want -EFAULT" % field(out, "efault"))
    if field(out, "einval") != [str(-EINVAL)] * 2:
        raise TestFailure("unknown flag / RANDOM|INSECURE: %s, want -EINVAL" % field(out, "einval"))
    if field(out, "zero") != ["0"]:
        raise TestFailure("length 0: %s" % field(out, "zero"))
    return data


def run_rngtest(g):
    out = g.run("rngtest", timeout=120)
    data = check_calls(out)
    if field(out, "partial") != [str(64 * 1024)]:
        raise TestFailure("2^40 bytes into 64 KiB at the top of memory: %s, want 65536 "
                          "(stop at the fault)" % field(out, "partial"))
    if field(out, "bound") != [str(32 * 1024 * 1024 - 1)]:
        raise TestFailure("33 MiB in one call: %s, want 32 MiB - 1" % field(out, "bound"))
    for path in ("/dev/random", "/dev/urandom"):
        m = re.search(r"(?m)^dev %s 32 ([0-9a-f]{64})$" % path, out)
        if not m or m.group(1) == data:
            raise TestFailure("read of %s:\n%s" % (path, out[-800:]))
    return data


def test_random_device_seeds_and_bytes_differ_between_boots():
    seen = []
    for boot in range(2):
        with booted("random-%d" % boot, cpus=1) as g:
            m = re.search(SEED_LINE, g.console())
            if not m or int(m.group(2)) < 32:
                raise TestFailure("no `virtio-rng: irq N, seeded with 32 bytes` line at boot")
            if "timer jitter" in g.console():
                raise TestFailure("fell back to timer jitter with the device present")
            seen.append(run_rngtest(g) if boot == 0 else check_calls(g.run("rngtest -q")))
            g.poweroff()
    if seen[0] == seen[1]:
        raise TestFailure("the same 32 bytes on two boots: %s" % seen[0])
    return "boot 1 %s..., boot 2 %s..." % (seen[0][:16], seen[1][:16])


def test_random_without_device_falls_back_to_jitter():
    seen = []
    for boot in range(2):
        with booted("random-nodev-%d" % boot, cpus=1, make_args="RNG=0") as g:
            expect_in(r"random: no virtio-rng device: seeded from timer jitter \(weak",
                      g.console(), "the boot line without the device")
            if re.search(r"virtio-rng: irq", g.console()):
                raise TestFailure("a virtio-rng line without the device")
            seen.append(check_calls(g.run("rngtest -q")))
            out = g.run("rngtest")
            for path in ("/dev/random", "/dev/urandom"):
                expect_in(r"(?m)^dev %s 32 [0-9a-f]{64}$" % path, out, path + " without the device")
            g.poweroff()
    if seen[0] == seen[1]:
        raise TestFailure("jitter seeding gave the same bytes on two boots: %s" % seen[0])
