#!/usr/bin/env python3
"""Crash tests of the file system: kill QEMU at random moments of a workload and check
what the disk holds (in the spirit of CrashMonkey and ALICE). `make crash-test`.

  tools/crash/run.py [--cuts N] [--seed S] [--jobs J] [--cpus 1,2] [--max-delay SECONDS]
                     [--kernel PATH] [--no-record]

Each cut boots a guest (the qemu-system-riscv64 command of `make -n qemu`, without
host port forwarding) on a fresh sparse copy of build/fs.img, runs User/crashwork.c
with a seed of its own, says "go", and SIGKILLs QEMU after a random delay (from the
cut's seed): half the cuts 0-MAX_DELAY seconds after "go", half 0-4 ms after a random
acknowledgement (to land more cuts in short operations). Then:
  - build/fsck must find the disk clean once its log is replayed;
  - `build/fsck --dump` extracts the tree, and /cw must be what crashwork's plan and
    acknowledgements allow (tools/crash/model.py): every acknowledged operation on
    disk exactly, the one in flight all or nothing (one transaction) or a prefix of
    its bytes (a write of several transactions), nothing else.
The log at the cut is classified from fsck's summary and a QEMU trace of the disk
writes: committed but not installed (fsck replays it, as the next boot would), being
written but uncommitted (the next boot ignores it), or idle. J cuts run at once (two
QEMUs on the two cores). A failing cut keeps its disk, dump and console under
build/crash/. Each CPUS value is recorded as one case for docs/reliability.md."""
import argparse, concurrent.futures, os, random, re, shlex, shutil, signal, subprocess
import sys, threading, time

import pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "Tests", "integration"))
import fsimage  # noqa: E402
import model  # noqa: E402
from guest import _Collect  # noqa: E402

WORK = os.path.join(ROOT, "build", "crash")
NOPS = 150
NPROC = 2
PROMPT = r"\$ $"
KERNEL = None          # --kernel: another build of the kernel (experiments)
_argv_cache = {}
_argv_lock = threading.Lock()


def qemu_argv(cpus, disk):
    """QEMU's command line from the Makefile for disk, with a NIC on QEMU's user
    network but no forwarded port (several guests run at once) and no capture."""
    with _argv_lock:
        if cpus not in _argv_cache:
            out = subprocess.run(["make", "-s", "-n", "qemu", "CPUS=%d" % cpus, "DISK=@DISK@"],
                                 cwd=ROOT, capture_output=True, text=True, check=True).stdout
            words = shlex.split([l for l in out.splitlines() if l.startswith("qemu-system")][-1])
            keep, i = [], 0
            while i < len(words):
                # the network and its capture go; other objects (the entropy
                # device's rng backend) stay
                if words[i] == "-netdev" or (
                        words[i] == "-object" and words[i + 1].startswith("filter-dump")) or (
                        words[i] == "-device" and words[i + 1].startswith("virtio-net")):
                    i += 2
                    continue
                keep.append(words[i])
                i += 1
            _argv_cache[cpus] = keep + [
                "-netdev", "user,id=net0",
                "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1",
                "-trace", "enable=virtio_blk_handle_write"]
    argv = [w.replace("@DISK@", disk) for w in _argv_cache[cpus]]
    if KERNEL:
        argv[argv.index("-kernel") + 1] = KERNEL
    return argv


class CutFailure(Exception):
    cpus = None


def log_at_cut(trace, summary, logstart, nlog):
    """'committed': a committed log the next boot replays; 'uncommitted': a
    transaction was being written to the log (or its commit record was in flight)
    and the next boot ignores it; 'idle': neither."""
    if summary["log"] == "committed":
        return "committed"
    heads, pending = 0, False
    for m in re.finditer(r"virtio_blk_handle_write .* sector (\d+) nsectors (\d+)", trace):
        b = int(m.group(1)) // 2
        if b == logstart:
            heads += 1
            pending = False
        elif logstart < b < logstart + nlog:
            pending = True
    # header writes alternate after boot's recovery: erase, then commit, erase...
    return "uncommitted" if pending or heads % 2 == 0 else "idle"


def read_dump(top):
    """The dumped tree below /cw: ({path: bytes}, {directories})."""
    files, dirs = {}, set()
    base = os.path.join(top, "cw")
    if not os.path.isdir(base):
        return files, dirs
    for d, subdirs, names in os.walk(base):
        rel = "/" + os.path.relpath(d, top)
        dirs.add(rel)
        for n in names:
            with open(os.path.join(d, n), "rb") as f:
                files[rel + "/" + n] = f.read()
    return files, dirs


def run_cut(i, seed, cpus, max_delay):
    """One cut: boot, workload, SIGKILL, fsck, compare. A dict of what was seen."""
    rnd = random.Random("%d/%d" % (seed, i))
    wseed, delay = rnd.randrange(1, 1 << 30), rnd.uniform(0, max_delay)
    if rnd.random() < 0.5:
        # Half the cuts come just after an acknowledgement instead: the time a
        # cut lands in is mostly spent in large writes, and this puts more cuts
        # into the short one-transaction operations.
        when = (rnd.randrange(NPROC), rnd.randrange(2, 25), rnd.uniform(0, 0.004))
        what = "kill %.1f ms after A %d %d" % (when[2] * 1000, when[0], when[1])
    else:
        when = delay
        what = "kill %.3f s after go" % delay
    try:
        r = cut(i, wseed, when, cpus)
        r["mode"] = "ack" if isinstance(when, tuple) else "time"
        return r
    except CutFailure as e:
        e2 = CutFailure("cut %d (crashwork seed %d, CPUS=%d, %s): %s" % (i, wseed, cpus, what, e))
        e2.cpus = cpus
        raise e2


def wait_to_kill(c, when):
    """Until the cut's moment: when seconds after "go", or (w, k, extra): extra
    seconds after "A w k" (or the workload's end, if that comes first)."""
    t_go = time.monotonic()
    if isinstance(when, tuple):
        w, k, extra = when
        c.expect([r"\nA %d %d\r?\n" % (w, k), r"DONE|FAILED", pexpect.EOF], timeout=60)
        t_go, when = time.monotonic(), extra
    while time.monotonic() < t_go + when:
        c.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=max(0.0005, t_go + when - time.monotonic()))


def cut(i, wseed, when, cpus):
    name = "cut%d" % i
    disk = os.path.join(WORK, name + ".img")
    dump = os.path.join(WORK, name + ".dump")
    tracef = os.path.join(WORK, name + ".trace")
    fsimage.sparse_copy(os.path.join(ROOT, "build", "fs.img"), disk)
    argv = qemu_argv(cpus, disk)
    console = []
    cmd = "exec %s 2>%s" % (" ".join(shlex.quote(a) for a in argv), shlex.quote(tracef))
    c = pexpect.spawn("/bin/sh", ["-c", cmd], cwd=ROOT, encoding="utf-8",
                      codec_errors="replace", timeout=60, maxread=65536)
    c.logfile_read = _Collect(console)
    r = {"cut": i, "seed": wseed, "cpus": cpus}
    try:
        c.expect(PROMPT, timeout=60)
        c.sendline("crashwork %d %d %d" % (wseed, NOPS, NPROC))
        c.expect(r"READY\r?\n", timeout=60)
        c.sendline("go")
        wait_to_kill(c, when)
        os.kill(c.pid, signal.SIGKILL)     # QEMU itself (exec): a crash
        c.expect(pexpect.EOF, timeout=20)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        raise CutFailure("the guest did not get to the kill point: %s\n%s" % (
            type(e).__name__, "".join(console)[-1500:]))
    finally:
        c.close(force=True)
    text = "".join(console).replace("\r", "")
    r.update(check_cut(i, disk, dump, tracef, text))
    for p in (disk, tracef):
        os.unlink(p)
    shutil.rmtree(dump, ignore_errors=True)
    return r


def check_cut(i, disk, dump, tracef, text):
    where = "kept %s, its .trace and .dump; console:\n%s" % (disk, text[-2000:])
    if re.search(r"panic|^E \d+", text, re.M):
        raise CutFailure("the workload or kernel failed before the kill; " + where)
    plans = model.parse_plans(text.splitlines())
    if sorted(plans) != list(range(NPROC)) or any(
            sorted(p) != list(range(1, NOPS + 1)) for p in plans.values()):
        raise CutFailure("the plans did not arrive whole; " + where)
    rc, lines = fsimage.run_fsck(disk, "--dump", dump)
    summary = fsimage.fsck_summary(lines)
    if rc != 0 or summary is None:
        raise CutFailure("fsck after the crash (status %d):\n  %s\n%s" % (rc, "\n  ".join(lines), where))
    whole = read_dump(dump)
    tops = ["/cw/w%d" % w for w in range(NPROC)]
    stray = [p for p in list(whole[0]) + list(whole[1])
             if p != "/cw" and not any(p == t or p.startswith(t + "/") for t in tops)]
    if "/cw" not in whole[1] or stray:
        raise CutFailure("/cw missing, or names in it that no process made: %s; %s" % (stray, where))
    r = {"acked": [], "state": [], "how": [], "inflight": []}
    for w, top in enumerate(tops):
        acked = max([int(k) for k in re.findall(r"^A %d (\d+)$" % w, text, re.M)], default=0)
        found = model.find_state(model.subtree(whole, top), plans[w], acked)
        if found is None:
            nxt = plans[w].get(acked + 1, ("-", []))
            diff = model.explain(model.subtree(whole, top), plans[w], acked)
            raise CutFailure("process %d: the disk matches no state allowed after its %d acknowledged "
                             "operations (next: %s); against state %d:\n  %s\n%s" % (
                                 w, acked, " ".join([nxt[0]] + nxt[1]), acked, "\n  ".join(diff[:20]), where))
        r["acked"].append(acked)
        r["state"].append(found[0])
        r["how"].append(found[1])
        r["inflight"].append(plans[w].get(found[0] + 1, ("none", []))[0])
    with fsimage.Image(disk, writable=False) as img:
        logstart, nlog = img.logstart, img.nlog
    with open(tracef) as f:
        r["log"] = log_at_cut(f.read(), summary, logstart, nlog)
    r.update(orphans=summary["orphans"], done="DONE" in text, files=len(whole[0]))
    return r


def summarize(results):
    n = len(results)
    logs = {k: sum(1 for r in results if r["log"] == k) for k in ("committed", "uncommitted", "idle")}
    acked = sorted(a for r in results for a in r["acked"])
    gap = max((s - a for r in results for s, a in zip(r["state"], r["acked"])), default=0)
    partial = sum(1 for r in results for h in r["how"] if h == "in flight")
    kinds = {}
    for r in results:
        for k in r["inflight"]:
            kinds[k] = kinds.get(k, 0) + 1
    return ("%d cuts of %d processes each, all consistent: fsck clean after log replay, every "
            "acknowledged operation on disk; log at the cut: %d committed and not installed "
            "(replayed), %d uncommitted (ignored), %d idle; %d processes cut inside a "
            "multi-transaction write (a prefix of its bytes on disk); next operation at the cut: "
            "%s; operations acknowledged per process %d-%d (median %d), at most %d more done "
            "but not yet acknowledged; %d cuts after the workload's end; %d orphans left for "
            "the next boot" % (
                n, NPROC, logs["committed"], logs["uncommitted"], logs["idle"], partial,
                ", ".join("%s %d" % kv for kv in sorted(kinds.items(), key=lambda kv: -kv[1])),
                acked[0], acked[-1], acked[len(acked) // 2], gap,
                sum(1 for r in results if r["done"]), sum(r["orphans"] for r in results)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cuts", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cpus", default="1,2")
    ap.add_argument("--max-delay", type=float, default=1.2)
    ap.add_argument("--kernel", help="boot this kernel instead of build/kernel")
    ap.add_argument("--no-record", action="store_true", help="do not write build/reliability/")
    a = ap.parse_args()
    global KERNEL
    KERNEL = a.kernel and os.path.abspath(a.kernel)
    for tool in (fsimage.FSCK, os.path.join(ROOT, "build", "fs.img")):
        if not os.path.exists(tool):
            sys.exit("crash: %s missing: run make first" % tool)
    shutil.rmtree(WORK, ignore_errors=True)    # the last run's kept failures
    os.makedirs(WORK, exist_ok=True)
    cpus = [int(c) for c in a.cpus.split(",")]
    t0 = time.monotonic()
    results, failures = {c: [] for c in cpus}, []
    failed_cpus = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = {ex.submit(run_cut, i, a.seed, cpus[i % len(cpus)], a.max_delay): i
                for i in range(a.cuts)}
        for f in concurrent.futures.as_completed(futs):
            try:
                r = f.result()
                results[r["cpus"]].append(r)
            except Exception as e:   # a failed cut: report it, keep going
                failures.append(str(e))
                failed_cpus.append(getattr(e, "cpus", None))
                print("crash: FAILED %s" % e, flush=True)
    secs = time.monotonic() - t0
    record = None
    if not a.no_record:
        from reliability import record
    for c in cpus:
        res = results[c]
        params = {"cuts": len([i for i in range(a.cuts) if cpus[i % len(cpus)] == c]),
                  "seed": a.seed, "CPUS": c, "kill": "SIGKILL 0-%.1f s after go, or 0-4 ms after an acknowledgement" % a.max_delay,
                  "workload": "crashwork, %d processes of %d planned operations" % (NPROC, NOPS)}
        text = summarize(res) if res else "no cut completed"
        ok = len(res) == params["cuts"]
        if not ok:
            text = "%d of %d cuts FAILED; %s" % (params["cuts"] - len(res), params["cuts"], text)
        print("crash: CPUS=%d: %s" % (c, text), flush=True)
        if record:
            record("crash: kill during a file system workload, CPUS=%d" % c, params, text, ok)
    if None in failed_cpus:
        print("crash: %d failures were not cuts (errors of the harness)" % failed_cpus.count(None))
    print("crash: %d cuts in %.0f s, %d failed" % (a.cuts, secs, len(failures)), flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
