#!/usr/bin/env python3
"""Runs the receive-path fuzz target (tools/fuzz/fuzz_netif.c).

  tools/fuzz/run.py [SECONDS]     default 30, or $FUZZTIME

1. Replays every input in Tests/fuzz-corpus/regress/ (earlier crashes) and seeds/.
2. Fuzzes for SECONDS from the seeds plus the working corpus build/fuzz/corpus/.
3. A crash input is copied to Tests/fuzz-corpus/regress/ (so `make test` replays
   it from then on) and the run fails.
The outcome goes to build/reliability/fuzz-*.json for docs/reliability.md."""
import glob, hashlib, json, os, re, shutil, subprocess, sys, time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BIN = os.path.join(ROOT, "build", "fuzz", "fuzz_netif")
CORPUS = os.path.join(ROOT, "Tests", "fuzz-corpus")
WORK = os.path.join(ROOT, "build", "fuzz")


def record(case, params, result, ok):
    out = os.path.join(ROOT, "build", "reliability")
    os.makedirs(out, exist_ok=True)
    obj = {"case": case, "params": params, "result": result, "ok": bool(ok),
           "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with open(os.path.join(out, re.sub(r"[^A-Za-z0-9_.-]+", "-", case) + ".json"), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def replay():
    """Each input on its own, so one crash does not hide the others."""
    files = sorted(glob.glob(os.path.join(CORPUS, "regress", "*")) +
                   glob.glob(os.path.join(CORPUS, "seeds", "*")))
    bad = []
    for path in files:
        p = subprocess.run([BIN, path], capture_output=True, text=True)
        if p.returncode != 0:
            why = [l for l in p.stderr.splitlines() if "assert" in l or "ERROR" in l or
                   l.startswith("leak")]
            bad.append("%s (%s)" % (os.path.basename(path), why[0] if why else "crashed"))
            sys.stderr.write(p.stderr[-3000:])
    nreg = len(glob.glob(os.path.join(CORPUS, "regress", "*")))
    record("fuzz: replay of seeds and regression inputs",
           {"inputs": len(files), "regression inputs": nreg},
           "all %d inputs ran clean" % len(files) if not bad else
           "FAILED: %d of %d inputs crash: %s" % (len(bad), len(files), "; ".join(bad)),
           not bad)
    for b in bad:
        print("fuzz: replay fails: %s" % b)
    return not bad


def fuzz(seconds):
    crashes = os.path.join(WORK, "crashes")
    corpus = os.path.join(WORK, "corpus")
    os.makedirs(crashes, exist_ok=True)
    os.makedirs(corpus, exist_ok=True)
    before = set(os.listdir(crashes))
    cmd = [BIN, "-max_total_time=%d" % seconds, "-max_len=4096", "-timeout=10",
           "-rss_limit_mb=2048", "-print_final_stats=1", "-seed=1",
           "-artifact_prefix=" + crashes + "/", corpus, os.path.join(CORPUS, "seeds")]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    took = time.monotonic() - t0
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", p.stderr)
    execs = int(m.group(1)) if m else 0
    m = re.findall(r"cov: (\d+) ft: (\d+) corp: (\d+)", p.stderr)
    cov, ft, corp = m[-1] if m else ("?", "?", "?")
    found = sorted(set(os.listdir(crashes)) - before)
    for name in found:   # keep each crash as a regression input, named by content
        data = open(os.path.join(crashes, name), "rb").read()
        dst = os.path.join(CORPUS, "regress", "%s-%s" % (name.split("-")[0],
                                                         hashlib.sha1(data).hexdigest()[:12]))
        shutil.copyfile(os.path.join(crashes, name), dst)
        print("fuzz: crash input saved as %s" % os.path.relpath(dst, ROOT))
    ok = p.returncode == 0 and not found
    record("fuzz: Ethernet frames into netif glue + lwIP (libFuzzer, ASan, UBSan)",
           {"seconds": seconds, "seed": 1, "max_len": 4096},
           "%d executions in %.0f s, %d crashes; coverage %s edges, %s features, corpus %s" %
           (execs, took, len(found), cov, ft, corp), ok)
    print("fuzz: %d executions in %.0f s, %d crashes, coverage %s" % (execs, took, len(found), cov))
    if not ok:
        sys.stderr.write(p.stderr[-4000:])
    return ok


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("FUZZTIME", "30"))
    subprocess.run([os.path.join(ROOT, "tools", "fuzz", "build.sh")], check=True)
    ok = replay()
    ok = fuzz(seconds) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
