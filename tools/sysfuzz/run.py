#!/usr/bin/env python3
"""Fuzzes the kernel's system calls with User/sysfuzz.c in a booted guest.

  tools/sysfuzz/run.py [--seconds N] [--seed S] [--workers P] [--calls N] [--cpus C]
                       [--avoid LIST] [--no-replay] [--no-fuzz] [--budget SECS]

1. Builds the coverage kernel (`make coverage`: build-cov/kernel, which counts the
   kernel edges it reaches) and boots it with CPUS (3) harts.
2. Replays every regression case in Tests/sysfuzz-regress/ (a program seed and the
   subset of its calls that once brought the kernel down); each must now finish.
3. Runs `sysfuzz -p P -s S -T N` and watches the console: a kernel panic, a hang (no
   progress line for a while, or sysfuzz reporting a program that outlives its kill),
   or the shell dying is a failure. Afterwards the shell must answer, httpd must serve
   a page through the forwarded port, and the free pages and the process count must be
   what they were before.
4. On a crash, the programs started last are run alone, each on a fresh boot, until
   one crashes the same way; its calls are minimised by delta debugging (each trial a
   fresh boot running `sysfuzz -r SEED -c INDICES`), printed as readable calls (-v) and
   saved as a new regression case.
The run is recorded in build/reliability/ for docs/reliability.md.

KNOWN_OPEN_BUGS lists the kernel bugs whose triggers sysfuzz leaves out (-a) until
their fixes are merged; regression cases marked `known:` with one of those names are
skipped until then. Empty the list once the fixes are in."""
import argparse, os, re, sys, time, urllib.request

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "Tests", "integration"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest                                    # noqa: E402
import cover                                    # noqa: E402
from reliability import record                  # noqa: E402
import pexpect                                  # noqa: E402

REGRESS = os.path.join(ROOT, "Tests", "sysfuzz-regress")


def calls_generation():
    """The generation of sysfuzz's call table (CALLS_GEN in User/sysfuzz.c). A
    program's calls depend on the table, so cases record it and replay with -g."""
    with open(os.path.join(ROOT, "User", "sysfuzz.c")) as f:
        m = re.search(r"^#define CALLS_GEN\s+(\d+)", f.read(), re.M)
    return int(m.group(1))


CALLS_GEN = calls_generation()

# Kernel bugs whose fixes are not merged yet (names as sysfuzz -a takes them). Empty:
# kill1, dotdot, orphan, timeo, bigtrunc and killrace, found before the fuzzer
# existed, are fixed (issue 11) and sysfuzz now aims at each of them.
KNOWN_OPEN_BUGS = []

# whole lines: a pattern that may end early would match a line not yet all printed
CRASH = r"(?:panic: |kerneltrap: |sysfuzz: HANG)[^\r\n]*\r?\n"
PAGE_SLACK = 8          # free pages a run may leave fewer (caches that keep a page)
QUIET_LIMIT = 45        # seconds without a sysfuzz line: the guest hangs
MAX_CANDIDATES = 6      # programs tried alone after a crash


def log(msg):
    print("sysfuzz-run: %s" % msg, flush=True)


def boot(name, cpus):
    os.environ["COVERAGE"] = "1"      # the Makefile boots build-cov/kernel
    return guest.Guest(name, cpus=cpus)


def kstats(g):
    out = g.run("sysfuzz -m", timeout=30)
    m = re.search(r"kstat pages (-?\d+) procs (-?\d+) kmalloc (-?\d+) edges (-?\d+) of (-?\d+)",
                  out)
    if not m:
        raise guest.TestFailure("`sysfuzz -m` printed %r" % out)
    return dict(zip(("pages", "procs", "kmalloc", "edges", "total"), map(int, m.groups())))


# Since loopback (issue 12), a program's connection to 10.0.2.15:80 or
# 127.0.0.1:80 reaches httpd, whose child for it lives until the request idles
# out (User/posix/httpd.c: IDLE_MS, 10 s) or its peer's close arrives: the process
# count gets that long to come back before it counts as a leak.
SETTLE_SECONDS = 15


def settled_kstats(g, before):
    """kstats once the process count is back to before's, or after SETTLE_SECONDS
    (then with the kernel's process list on the console)."""
    t0 = time.monotonic()
    after = kstats(g)
    while after["procs"] != before["procs"] and time.monotonic() < t0 + SETTLE_SECONDS:
        time.sleep(1)
        after = kstats(g)
    if after["procs"] != before["procs"]:
        procdump(g)
    elif time.monotonic() - t0 > 1:
        log("processes back to %d after %.0f s" % (after["procs"], time.monotonic() - t0))
    return after


def watch(g, done, limit, echo=False):
    """Wait for the regex done on the console; returns (match text, None) or
    (None, why) on a crash, a hang, the shell dying or the time limit. echo:
    print sysfuzz's progress lines as they come."""
    pats = [done, CRASH, r"init: starting sh", r"sysfuzz: progress[^\r\n]*\r?\n"]
    end = time.monotonic() + limit
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return None, "hang: no end within %d s" % limit
        try:
            i = g.c.expect(pats, timeout=min(left, QUIET_LIMIT))
        except pexpect.TIMEOUT:
            if left > QUIET_LIMIT:
                procdump(g)
                return None, "hang: no sysfuzz line for %d s" % QUIET_LIMIT
            continue
        except pexpect.EOF:
            return None, "QEMU exited"
        text = g.c.after if isinstance(g.c.after, str) else ""
        if i == 0:
            return text, None
        if i == 1:
            try:                      # the rest of the kernel's last words
                g.c.expect([pexpect.TIMEOUT], timeout=1)
            except pexpect.EOF:
                pass
            if "HANG" in text:
                procdump(g)
            return None, text.strip()
        if i == 2:
            return None, "the shell died (init started a new one)"
        if i == 3 and echo:
            log("guest: " + text.strip())


def procdump(g):
    """^P: the kernel lists its processes on the console (for the tail we print)."""
    try:
        g.c.send("\x10")
        g.c.expect([pexpect.TIMEOUT], timeout=2)
    except pexpect.EOF:
        pass


def signature(why):
    """What two crashes must share to count as the same one: the panic's message;
    for a trap in the kernel its cause and place; any hang."""
    why = why.strip()
    if why.startswith("sysfuzz: HANG") or why.startswith("hang"):
        return "hang"
    m = re.match(r"kerneltrap: (scause \S+ sepc \S+)", why)
    return "kerneltrap: " + m.group(1) if m else why


def replay_cmd(case, verbose=False):
    cmd = "sysfuzz -r %s -w %d -n %d -d 2 -i 0" % (case["seed"], case["slot"], case["calls"])
    if case.get("indices") is not None:
        cmd += " -c %s" % compress(case["indices"])
    if case.get("avoid"):
        cmd += " -a %s" % case["avoid"]
    cmd += " -g %d" % case.get("gen", CALLS_GEN)
    return cmd + (" -v" if verbose else "")


def compress(idx):
    """[0,1,2,5] -> "0-2,5" (shell lines stay short)."""
    out, i = [], 0
    idx = sorted(idx)
    while i < len(idx):
        j = i
        while j + 1 < len(idx) and idx[j + 1] == idx[j] + 1:
            j += 1
        out.append(str(idx[i]) if i == j else "%d-%d" % (idx[i], idx[j]))
        i = j + 1
    return ",".join(out) if out else "none"


def run_program(g, case, verbose=False, limit=90):
    """Run one program alone in a booted guest: (None, console) if it finished,
    (why, console) if it crashed or hung the kernel."""
    start = len(g.console())
    g.c.sendline(replay_cmd(case, verbose))
    text, why = watch(g, r"sysfuzz: free pages[^\r\n]*\r?\n", limit)
    if why is None:
        try:
            g.c.expect(guest.PROMPT, timeout=20)
        except (pexpect.TIMEOUT, pexpect.EOF):
            why = "hang: no prompt after the program"
    return why, g.console()[start:]


def trial(args, case, verbose=False):
    """A fresh boot running one program: (why or None, its console output)."""
    trial.count = getattr(trial, "count", 0) + 1
    try:
        g = boot("sysfuzz-trial", args.cpus)
    except guest.TestFailure as e:
        return "boot failed: %s" % e, ""
    try:
        why, out = run_program(g, case, verbose)
    finally:
        g.close()
    return why, out


# ------------------------------------------------------------------ regression cases
def load_cases():
    cases = []
    for path in sorted(os.listdir(REGRESS)) if os.path.isdir(REGRESS) else []:
        if not path.endswith(".txt"):
            continue
        # a case saved before the table had generations is of generation 1
        c = {"name": path[:-4], "avoid": "", "known": "", "indices": None, "gen": 1}
        for line in open(os.path.join(REGRESS, path)):
            if line.startswith("#") or not line.strip():
                continue
            key, _, val = line.strip().partition(" ")
            if key in ("slot", "calls", "gen"):
                c[key] = int(val)
            elif key == "indices":
                c[key] = expand(val)
            elif key in ("seed", "avoid", "known", "signature"):
                c[key] = val.strip()
        cases.append(c)
    return cases


def expand(s):
    out = []
    for part in s.split(","):
        if "-" in part:
            a, b = part.split("-")
            out += range(int(a), int(b) + 1)
        elif part and part != "none":
            out.append(int(part))
    return out


def replay_all(args, g):
    """Replays every case; returns (guest or None, failures, replayed, skipped)."""
    failures, done, skipped = [], 0, []
    for case in load_cases():
        if case["known"] and case["known"] in args.avoid.split(","):
            skipped.append(case["name"])
            continue
        if g is None:
            g = boot("sysfuzz-replay", args.cpus)
        why, out = run_program(g, case)
        done += 1
        if why:
            failures.append("%s: %s" % (case["name"], why))
            log("regression case %s fails again: %s" % (case["name"], why))
            g.close()
            g = None
        else:
            log("regression case %s: clean" % case["name"])
    return g, failures, done, skipped


# ------------------------------------------------------------------ after a crash
def recent_programs(console, calls, avoid):
    """The programs started last, newest first, per slot the last two."""
    progs = re.findall(r"sysfuzz: w(\d+) #(\d+) seed (0x[0-9a-f]+)", console)
    seen, out = set(), []
    per_slot = {}
    for slot, _, seed in reversed(progs):
        per_slot[slot] = per_slot.get(slot, 0) + 1
        if per_slot[slot] > 2 or (slot, seed) in seen:
            continue
        seen.add((slot, seed))
        out.append({"slot": int(slot), "seed": seed, "calls": calls, "avoid": avoid})
    return out


def ddmin(items, crashes, budget_end):
    """Zeller's delta debugging: a 1-minimal subset of items that still crashes
    (as far as the time budget allows)."""
    n = 2
    while len(items) >= 2 and time.monotonic() < budget_end:
        chunk = (len(items) + n - 1) // n
        parts = [items[i:i + chunk] for i in range(0, len(items), chunk)]
        for p in parts:
            if crashes(p):
                items, n = p, 2
                break
        else:
            for p in parts:
                rest = [x for x in items if x not in p]
                if crashes(rest):
                    items, n = rest, max(n - 1, 2)
                    break
            else:
                if n >= len(items):
                    break
                n = min(len(items), 2 * n)
    return items


def listing(out):
    """The -v lines of a run as one readable line per call."""
    calls, order = {}, []
    for line in out.replace("\r", "").split("\n"):
        m = re.match(r"(w\d+(?:\.\d+)?) #(\d+) (= .*)$", line)
        if m and (m.group(1), m.group(2)) in calls:
            calls[(m.group(1), m.group(2))] += " " + m.group(3)
            continue
        m = re.match(r"(w\d+(?:\.\d+)?) #(\d+) (\S.*)$", line)
        if m:
            key = (m.group(1), m.group(2))
            calls[key] = line
            order.append(key)
        elif line.startswith("panic:") or line.startswith("usertrap:"):
            order.append(line)
            calls[line] = line
    return [calls[k] for k in order]


def candidates(args, console, why):
    """The programs to try alone: one a hang report names, then the last ones."""
    out = []
    m = re.search(r"w(\d+) \(pid \d+, seed (0x[0-9a-f]+)\)", why or "")
    if m:
        out.append({"slot": int(m.group(1)), "seed": m.group(2), "calls": args.calls,
                    "avoid": args.avoid})
    for c in recent_programs(console, args.calls, args.avoid):
        if (c["slot"], c["seed"]) not in [(o["slot"], o["seed"]) for o in out]:
            out.append(c)
    return out[:MAX_CANDIDATES]


def investigate(args, console, why, given=None):
    """Reproduce a crash program by program, minimise the first that does it alone,
    save it as a regression case. Returns a one-line account. given: one program
    to try (--program), whatever it crashes with."""
    sig = signature(why) if why else None
    budget_end = time.monotonic() + args.budget
    cands = [given] if given else candidates(args, console, why)
    log("programs to try alone: %s" % ", ".join("w%d seed %s" % (c["slot"], c["seed"])
                                                 for c in cands))
    for cand in cands:
        if time.monotonic() > budget_end:
            break
        log("trying w%d seed %s alone" % (cand["slot"], cand["seed"]))
        got, _ = trial(args, cand)
        if got and sig is None:
            sig = signature(got)
        if not got or signature(got) != sig:
            log("  no (%s)" % (got or "it finished"))
            continue
        log("  reproduced: %s; minimising its %d calls" % (got, args.calls))
        tried = {}
        t0 = time.monotonic()

        def crashes(idx):
            key = tuple(sorted(idx))
            if key not in tried:
                c = dict(cand, indices=list(key))
                w, _ = trial(args, c)
                tried[key] = bool(w) and signature(w) == sig
                log("  %d calls %s: %s (trial %d, %.0f s into the search)" % (
                    len(key), compress(key), "crash" if tried[key] else "no", trial.count,
                    time.monotonic() - t0))
            return tried[key]

        idx = ddmin(list(range(args.calls)), crashes, budget_end)
        case = dict(cand, indices=idx)
        w, out = trial(args, case, verbose=True)
        lines = listing(out)
        log("minimised to %d calls (%s):" % (len(idx), compress(idx)))
        for line in lines:
            print("    " + line, flush=True)
        path = save_case(case, sig, lines)
        return "reproduced alone (w%d seed %s), minimised to calls %s, saved as %s" % (
            cand["slot"], cand["seed"], compress(idx), os.path.relpath(path, ROOT))
    return "not reproduced by any of the last programs alone (seeds above)" if not given else \
        "w%d seed %s finished cleanly alone" % (given["slot"], given["seed"])


def save_case(case, sig, lines):
    os.makedirs(REGRESS, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", sig.lower()).strip("-")[:40] or "crash"
    path = os.path.join(REGRESS, "%s-%s.txt" % (slug, case["seed"][2:10]))
    with open(path, "w") as f:
        f.write("# sysfuzz regression case: %s\n" % sig)
        f.write("# found %s by tools/sysfuzz/run.py; replayed by it on every run as\n"
                "#   %s\n" % (time.strftime("%Y-%m-%d"), replay_cmd(case)))
        f.write("# Add `known NAME` (a name in KNOWN_OPEN_BUGS) while the bug is unfixed.\n")
        f.write("seed %s\nslot %d\ncalls %d\nindices %s\navoid %s\ngen %d\nsignature %s\n" % (
            case["seed"], case["slot"], case["calls"], compress(case["indices"]),
            case["avoid"] or "none", case.get("gen", CALLS_GEN), sig))
        f.write("# the calls (sysfuzz -v; 'wN.K' lines are the child forked by call K):\n")
        for line in lines:
            f.write("#   %s\n" % line)
    return path


# ------------------------------------------------------------------ coverage
def coverage_report(g):
    """Dump the kernel's edge guards through QEMU's monitor (Ctrl-a c, pmemsave:
    the kernel's addresses are physical ones) and write the report of what was
    reached to build/sysfuzz/coverage.txt. Returns its path, or None."""
    kernel = os.path.join(ROOT, "build-cov", "kernel")
    addr, data = cover.section(kernel, "__sancov_guards")
    out = os.path.join(ROOT, "build", "sysfuzz")
    os.makedirs(out, exist_ok=True)
    dump = os.path.join(out, "guards.bin")
    if os.path.exists(dump):
        os.unlink(dump)
    try:
        g.c.send("\x01c")
        g.c.expect(r"\(qemu\) ", timeout=10)
        # a relative name (QEMU runs in ROOT): after the size, a '/' would read
        # as a division
        g.c.sendline("pmemsave 0x%x %d %s" % (addr, len(data), os.path.relpath(dump, ROOT)))
        g.c.expect(r"\(qemu\) ", timeout=10)
        g.c.send("\x01c")
        g.c.sendline("")
        g.c.expect(guest.PROMPT, timeout=10)
    except (pexpect.TIMEOUT, pexpect.EOF):
        return None
    for _ in range(50):
        if os.path.exists(dump) and os.path.getsize(dump) == len(data):
            break
        time.sleep(0.1)
    text, hit, total = cover.report(dump, kernel)
    path = os.path.join(out, "coverage.txt")
    open(path, "w").write(text)
    return path


# ------------------------------------------------------------------ the fuzz run
def httpd_answers(g):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/" % g.fwdport, timeout=20) as r:
            return r.status == 200
    except OSError:
        return False


def figures(out):
    """The numbers sysfuzz printed: its report, or its last progress line."""
    res = {}
    prog = re.findall(r"progress (\d+) s: (\d+) calls \((\d+)/s\), (\d+) programs, (\d+) pairs, "
                      r"edges (-?\d+) of (-?\d+)", out)
    if prog:   # figures up to a crash
        res.update(zip(("seconds", "calls", "rate", "programs", "pairs", "edges", "total"),
                       map(int, prog[-1])))
    m = re.search(r"done: (\d+) calls in ([\d.]+) s \((\d+) calls/s\), (\d+) programs "
                  r"\((\d+) stopped", out)
    if m:
        res.update(calls=int(m.group(1)), seconds=float(m.group(2)), rate=int(m.group(3)),
                   programs=int(m.group(4)), stopped=int(m.group(5)))
    m = re.search(r"distinct \(call, result\) pairs: (\d+)", out)
    if m:
        res["pairs"] = int(m.group(1))
    m = re.search(r"kernel edges reached: (\d+) of (\d+) \((\d+) before", out)
    if m:
        res.update(edges=int(m.group(1)), total=int(m.group(2)), edges_before=int(m.group(3)))
    return res


def fuzz(args, g):
    """The bounded run. Returns (result dict, failure or None, console of the run)."""
    before = kstats(g)
    start = len(g.console())
    cmd = "sysfuzz -p %d -s %s -T %d -n %d" % (args.workers, args.seed, args.seconds, args.calls)
    if args.avoid:
        cmd += " -a %s" % args.avoid
    log("guest: %s" % cmd)
    g.c.sendline(cmd)
    text, why = watch(g, r"sysfuzz: free pages[^\r\n]*\r?\n", args.seconds + 120, echo=True)
    out = g.console()[start:].replace("\r", "")
    res = figures(out)
    res["command"] = cmd
    if why:
        return res, why, out
    try:
        g.c.expect(guest.PROMPT, timeout=30)
    except (pexpect.TIMEOUT, pexpect.EOF):
        return res, "no shell prompt after sysfuzz", out
    after = settled_kstats(g, before)
    res.update(pages_before=before["pages"], pages_after=after["pages"],
               procs_before=before["procs"], procs_after=after["procs"])
    if "alive" not in g.run("echo alive", timeout=20):
        return res, "the shell does not answer after the run", out
    if not httpd_answers(g):
        return res, "httpd does not serve a page after the run", out
    if after["pages"] < before["pages"] - PAGE_SLACK:
        return res, "%d pages leaked (%d free before, %d after)" % (
            before["pages"] - after["pages"], before["pages"], after["pages"]), out
    if after["procs"] != before["procs"]:
        return res, "%d processes before, %d after" % (before["procs"], after["procs"]), out
    return res, None, out


def replay_step(args):
    """Replay the regression cases and record the outcome; (guest, ok)."""
    g, failures, done, skipped = replay_all(args, None)
    result = "all %d replayed clean" % done
    if skipped:
        result += "; skipped (known open bugs) %s" % ", ".join(skipped)
    if failures:
        result = "FAILED: " + "; ".join(failures)
    record("syscalls: replay of the fuzzer's regression cases (Tests/sysfuzz-regress)",
           {"cases": done, "skipped (known open bugs)": len(skipped)}, result, not failures)
    return g, not failures


def fuzz_step(args, g):
    """The bounded run, its checks and its record; on a crash, the investigation.
    Returns (guest still up or None, ok)."""
    if g is None:
        g = boot("sysfuzz", args.cpus)
    try:
        res, why, out = fuzz(args, g)
    except guest.TestFailure as e:   # the shell did not answer a command
        res, why, out = {}, str(e), g.console()
    params = {"seconds": args.seconds, "workers": args.workers, "calls a program": args.calls,
              "seed": args.seed, "cpus": args.cpus, "avoiding": args.avoid or "none",
              "kernel": "build-cov (edge coverage)"}
    summary = "%s calls (%s calls/s), %s distinct (call, result) pairs, %s of %s kernel edges" % (
        res.get("calls", "?"), res.get("rate", "?"), res.get("pairs", "?"),
        res.get("edges", "?"), res.get("total", "?"))
    if why is None:
        summary += ("; no panic, no hang; free pages %d before, %d after: nothing leaked; "
                    "shell and httpd answer afterwards" % (res["pages_before"], res["pages_after"]))
        path = coverage_report(g)
        if path:
            log("edges reached and not, by file and function: %s" % os.path.relpath(path, ROOT))
        g.poweroff()
    else:
        log("FAILED: %s" % why)
        print(g.tail(3000), flush=True)
        g.close()
        if why.startswith(("panic", "kerneltrap", "sysfuzz: HANG", "hang", "the shell died")):
            summary += "; " + investigate(args, out, why)
        summary = "FAILED (%s): %s" % (why, summary)
    record("syscalls: fuzzing every system call, no panic, hang or leak (sysfuzz)",
           params, summary, why is None)
    log(summary)
    return None, why is None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=int, default=75)
    ap.add_argument("--seed", default=None, help="the run's seed (default: from the clock)")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--calls", type=int, default=48, help="calls a program")
    ap.add_argument("--cpus", type=int, default=3)
    ap.add_argument("--avoid", default=",".join(KNOWN_OPEN_BUGS),
                    help="known bugs not to trigger (sysfuzz -a); default KNOWN_OPEN_BUGS")
    ap.add_argument("--no-replay", action="store_true")
    ap.add_argument("--no-fuzz", action="store_true")
    ap.add_argument("--budget", type=int, default=900,
                    help="seconds for reproducing and minimising a crash")
    ap.add_argument("--program", metavar="SLOT:SEED",
                    help="only reproduce, minimise and save this program (as printed "
                         "'sysfuzz: wSLOT #N seed SEED'), run with --avoid and --calls")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = "0x%x" % (int(time.time() * 1000) & 0xffffffffffff)
    os.chdir(ROOT)
    r = os.system("make -s coverage")
    if r != 0:
        log("make coverage failed")
        sys.exit(1)
    if args.program:
        slot, seed = args.program.lstrip("w").split(":")
        print(investigate(args, "", None, {"slot": int(slot), "seed": seed, "calls": args.calls,
                                           "avoid": args.avoid}), flush=True)
        return
    g, ok = None, True
    try:
        if not args.no_replay:
            g, ok = replay_step(args)
        if not args.no_fuzz:
            g, fuzzed = fuzz_step(args, g)
            ok = ok and fuzzed
    finally:
        if g is not None:
            g.close()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
