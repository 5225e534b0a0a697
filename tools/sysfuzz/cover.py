#!/usr/bin/env python3
"""Which kernel edges a run of the coverage kernel reached, by file and function.

  tools/sysfuzz/cover.py GUARDS [KERNEL] [-o REPORT]

GUARDS is a dump of the kernel's __sancov_guards section (one 32-bit word per edge,
nonzero once the edge ran; tools/sysfuzz/run.py saves it with QEMU's pmemsave).
KERNEL (default build-cov/kernel) holds, in the section __sancov_pcs, each edge's
address in the same order (clang's pc-table). llvm-symbolizer turns addresses into
functions and lines. The report lists per file the edges reached, then per function
the lines of the edges never reached: where the fuzzer does not go."""
import argparse, os, struct, subprocess, sys, tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# the Swift toolchain's LLVM tools, as the Makefile finds them (TOOLBIN)
TOOLS = os.path.dirname(subprocess.run(
    ["bash", "-c", "command -v swiftc || echo /opt/swift/usr/bin/swiftc"],
    capture_output=True, text=True).stdout.strip())


def section(kernel, name):
    """(address, bytes) of a section of the ELF file."""
    with tempfile.NamedTemporaryFile() as f:
        subprocess.run([os.path.join(TOOLS, "llvm-objcopy"), "-O", "binary",
                        "--only-section=" + name, kernel, f.name], check=True)
        data = open(f.name, "rb").read()
    out = subprocess.run([os.path.join(TOOLS, "llvm-objdump"), "-h", kernel], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        w = line.split()
        if len(w) >= 4 and w[1] == name:
            return int(w[3], 16), data
    raise SystemExit("cover: no section %s in %s" % (name, kernel))


def symbolize(kernel, pcs):
    """[(function, file, line)] for each address."""
    p = subprocess.run([os.path.join(TOOLS, "llvm-symbolizer"), "--obj=" + kernel,
                        "--functions=short", "--no-inlines"],
                       input="".join("0x%x\n" % pc for pc in pcs),
                       capture_output=True, text=True, check=True)
    out, lines = [], p.stdout.split("\n")
    i = 0
    while len(out) < len(pcs) and i + 1 < len(lines):
        fn, loc = lines[i], lines[i + 1]
        i += 3   # function, file:line:col, blank
        path, _, rest = loc.rpartition(":")
        path, _, ln = path.rpartition(":")
        out.append((fn, os.path.relpath(path, ROOT) if path.startswith("/") else path,
                    int(ln) if ln.isdigit() else 0))
    return out


def report(guards_path, kernel):
    guards = open(guards_path, "rb").read()
    _, pcs_raw = section(kernel, "__sancov_pcs")
    pcs = [struct.unpack_from("<Q", pcs_raw, 16 * i)[0] for i in range(len(pcs_raw) // 16)]
    hit = [struct.unpack_from("<I", guards, 4 * i)[0] != 0 for i in range(len(guards) // 4)]
    if len(hit) != len(pcs):
        raise SystemExit("cover: %d guards but %d addresses" % (len(hit), len(pcs)))
    where = symbolize(kernel, pcs)
    files, funcs = {}, {}
    for h, (fn, path, ln) in zip(hit, where):
        f = files.setdefault(path, [0, 0])
        f[0] += h
        f[1] += 1
        u = funcs.setdefault((path, fn), [0, 0, set()])
        u[0] += h
        u[1] += 1
        if not h:
            u[2].add(ln)
    out = ["kernel edges reached: %d of %d" % (sum(hit), len(hit)), "", "by file:"]
    for path in sorted(files, key=lambda p: files[p][0] - files[p][1]):
        a, b = files[path]
        out.append("  %5d of %5d  %3d%%  %s" % (a, b, 100 * a // b, path))
    out += ["", "functions with edges never reached (file: function reached/total: lines):"]
    for (path, fn), (a, b, miss) in sorted(funcs.items()):
        if a < b:
            out.append("  %s: %s %d/%d: %s" % (path, fn, a, b, " ".join(map(str, sorted(miss)))))
    return "\n".join(out) + "\n", sum(hit), len(hit)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("guards")
    ap.add_argument("kernel", nargs="?", default=os.path.join(ROOT, "build-cov", "kernel"))
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    text, _, _ = report(args.guards, args.kernel)
    if args.output:
        open(args.output, "w").write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
