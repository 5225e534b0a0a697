"""The sampling profiler end to end: tools/profile/run.py boots a guest, profiles a
short command, symbolises the samples and writes the folded stacks."""
import os, re, subprocess, sys
from guest import TestFailure, ROOT

WORKLOAD = "cmd:kerneltests forkwait pipedata exec"
FOLDED = os.path.join(ROOT, "build", "profile", "cmd-kerneltests-forkwait-pipedata-exec.folded")


def test_profile_command():
    if os.path.exists(FOLDED):
        os.unlink(FOLDED)
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "profile", "run.py"),
                        "--cpus", "2", "--hz", "2000", WORKLOAD],
                       capture_output=True, text=True, timeout=300, cwd=ROOT)
    out = r.stdout
    if r.returncode != 0:
        raise TestFailure("run.py failed (%d):\n%s\n%s" % (r.returncode, out[-2000:], r.stderr[-2000:]))
    m = re.search(r"(\d+) samples at 2000 Hz on 2 harts", out)
    if not m or int(m.group(1)) < 20:
        raise TestFailure("too few samples:\n%s" % out[-2000:])
    # rows of the flat profile: "self self% cum% total% module function"
    rows = re.findall(r"(?m)^\s*\d+\s+[\d.]+%\s+[\d.]+%\s+[\d.]+%\s+(kernel|idle|user \w+|Swift \w+|lwIP[\w ]*)\s+(\S+)", out)
    if not any(mod == "kernel" for mod, _ in rows):
        raise TestFailure("no kernel function in the flat profile:\n%s" % out[-2000:])
    if not any(mod == "user kerneltests" for mod, _ in rows):
        raise TestFailure("no kerneltests function in the flat profile:\n%s" % out[-2000:])
    lines = open(FOLDED).read().splitlines()
    total = 0
    for line in lines:
        if not re.fullmatch(r"[^ ]+(;[^ ;]+)* \d+", line):
            raise TestFailure("a malformed folded line: %r" % line)
        total += int(line.rsplit(" ", 1)[1])
    if total != int(m.group(1)):
        raise TestFailure("folded counts add up to %d, not %s" % (total, m.group(1)))
    text = "\n".join(lines)
    for fn in ("usertrap_[k]", "syscall_[k]", "scheduler_[k]"):
        if fn not in text:
            raise TestFailure("%s is on no folded stack" % fn)
    return "%s samples; %d stacks" % (m.group(1), len(lines))
