#!/usr/bin/env python3
"""The labs of the tutorial: hand-outs made from this tree, and their graders.

  lab.py make NAME [--out DIR]    the starting point of lab NAME (default build/labs/NAME)
  lab.py grade NAME [--tree DIR]  this tree's hidden checks of NAME run against DIR
  lab.py check [NAME...]          per lab: hand-out made, stubbed, built; grader fails it
                                  and passes this tree (the maintainer's self-check)
  lab.py lint                     markers well-formed, every lab complete; no builds

A lab is labs/NAME/README.md (the hand-out text) and labs/NAME/grade.py (the checks,
never handed out), and regions of the project's own code marked as its solution:

    // LAB(NAME) begin: one-line title
    ...the solution...
    // LAB(NAME) stub:
    // return nil   // TODO(lab NAME): what to do
    // LAB(NAME) end

(`#` instead of `//` in Makefiles and Python). The stub part is optional and is
comment lines here; the hand-out of NAME has each region's solution replaced by
its stub, uncommented. Other labs' regions stay solved; every marker line goes.
Markdown files and this folder are never scanned: they may show the markers."""
import argparse, difflib, os, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MARK = re.compile(r"^(\s*)(//|#) LAB\((\w+)\) (begin|stub|end):(.*)$|^(\s*)(//|#) LAB\((\w+)\) end\s*$")
ANY_MARK = re.compile(r"^\s*(//|#) LAB\(")
STUB_LINE = re.compile(r"^(\s*)(//|#)( |$)")


class LabError(Exception):
    pass


class Region:
    def __init__(self, lab, title, begin, stub, end, comment):
        self.lab, self.title, self.comment = lab, title, comment
        self.begin, self.stub, self.end = begin, stub, end     # line indices of the markers

    def solution(self, lines):
        return lines[self.begin + 1:self.stub if self.stub is not None else self.end]

    def stubbed(self, lines):
        """The stub lines uncommented: the first `// ` (or `# `) after the indentation goes."""
        if self.stub is None:
            return []
        return [STUB_LINE.sub(r"\1", l, count=1) for l in lines[self.stub + 1:self.end]]


def marker(line):
    """(lab, kind, title, comment) of a marker line, or None."""
    m = MARK.match(line.rstrip("\n"))
    if not m:
        return None
    if m.group(8):
        return m.group(8), "end", "", m.group(7)
    return m.group(3), m.group(4), m.group(5).strip(), m.group(2)


def parse(path, lines):
    """The regions of one file; LabError for a malformed one."""
    regions, open_ = [], None
    for i, line in enumerate(lines):
        mk = marker(line)
        where = "%s:%d" % (path, i + 1)
        if mk is None:
            if ANY_MARK.match(line):
                raise LabError("%s: not a marker line: %r (use `LAB(name) begin: title`, `stub:`, `end`)"
                               % (where, line.strip()))
            if open_ and open_.stub is not None and not STUB_LINE.match(line):
                raise LabError("%s: a stub line of LAB(%s) must be a comment" % (where, open_.lab))
            continue
        lab, kind, title, comment = mk
        if kind == "begin":
            if open_:
                raise LabError("%s: LAB(%s) begins inside LAB(%s) (line %d)"
                               % (where, lab, open_.lab, open_.begin + 1))
            if not title:
                raise LabError("%s: LAB(%s) begin needs a title" % (where, lab))
            open_ = Region(lab, title, i, None, None, comment)
            continue
        if not open_ or open_.lab != lab:
            raise LabError("%s: LAB(%s) %s outside a LAB(%s) region" % (where, lab, kind, lab))
        if kind == "stub":
            if open_.stub is not None or title:
                raise LabError("%s: LAB(%s) stub: twice, or text after it" % (where, lab))
            open_.stub = i
        else:
            if title:
                raise LabError("%s: LAB(%s) end takes no text" % (where, lab))
            open_.end = i
            regions.append(open_)
            open_ = None
    if open_:
        raise LabError("%s:%d: LAB(%s) is never ended" % (path, open_.begin + 1, open_.lab))
    return regions


def transform(lines, regions, name):
    """The hand-out text of one file for lab `name`."""
    out, at = [], 0
    for r in regions:
        out += lines[at:r.begin]
        out += r.stubbed(lines) if r.lab == name else r.solution(lines)
        at = r.end + 1
    return out + lines[at:]


def tracked(tree):
    return [f for f in subprocess.run(["git", "-C", tree, "ls-files", "-z"], check=True,
                                      capture_output=True).stdout.decode().split("\0") if f]


def scanned(path):
    return not path.endswith(".md") and not path.startswith("tools/labs/")


def read_lines(full):
    try:
        with open(full, encoding="utf-8") as f:
            return f.read().splitlines(keepends=True)
    except (UnicodeDecodeError, IsADirectoryError):
        return None


def all_regions(tree):
    """{path: (lines, regions)} of every tracked file with a region."""
    found = {}
    for path in tracked(tree):
        full = os.path.join(tree, path)
        if not scanned(path) or os.path.islink(full) or not os.path.isfile(full):
            continue
        lines = read_lines(full)
        if lines and any("LAB(" in l for l in lines):
            regions = parse(path, lines)
            if regions:
                found[path] = (lines, regions)
    return found


def labs(tree=ROOT):
    """{name: title} of labs/*/README.md (title: its first heading)."""
    out = {}
    for name in sorted(os.listdir(os.path.join(tree, "labs")) if os.path.isdir(os.path.join(tree, "labs")) else []):
        readme = os.path.join(tree, "labs", name, "README.md")
        if os.path.isfile(readme):
            # "# Lab NAME: title" -> "title"
            out[name] = re.sub(r"^#+\s*(Lab \w+:\s*)?", "", open(readme).readline().strip())
    return out


def need_lab(name):
    known = labs()
    if name in known:
        return
    print("lab.py: %s; the labs (make lab LAB=name, make grade LAB=name):"
          % ("no lab %r" % name if name else "LAB= is required"), file=sys.stderr)
    for n, title in known.items():
        print("  %-10s %s" % (n, title), file=sys.stderr)
    sys.exit(2)


def hidden(path):
    return re.match(r"labs/[^/]+/grade\.py$", path) is not None


def make_handout(name, out, tree=ROOT, commit=True):
    """Write lab `name`'s starting point to `out` (replaced if it exists)."""
    regions = all_regions(tree)
    if not any(r.lab == name for _, rs in regions.values() for r in rs):
        raise LabError("no LAB(%s) region in the tree" % name)
    if os.path.lexists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for path in tracked(tree):
        src, dst = os.path.join(tree, path), os.path.join(out, path)
        if hidden(path) or not os.path.lexists(src):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if path in regions:
            lines, rs = regions[path]
            with open(dst, "w", encoding="utf-8") as f:
                f.write("".join(transform(lines, rs, name)))
            shutil.copymode(src, dst)
        else:
            # copy2: unchanged files keep their times (make rebuilds only what changed)
            shutil.copy2(src, dst, follow_symlinks=False)
    # lwIP and mbedTLS as fetched for this tree: nothing is fetched again
    deps = os.path.realpath(os.path.join(tree, ".deps"))
    if os.path.isdir(deps):
        os.symlink(deps, os.path.join(out, ".deps"))
    # the tutorial's code excerpts show the code: in the hand-out, its stubs
    excerpts = os.path.join(out, "tools", "tutorial", "docs.py")
    if os.path.exists(excerpts):
        r = subprocess.run([sys.executable, excerpts, "--code-only"], cwd=out, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            raise LabError("the tutorial's code excerpts in the hand-out: %s" % r.stdout.strip()[-300:])
    if commit:
        git = ["git", "-C", out, "-c", "user.name=xv6-net labs", "-c", "user.email=labs@xv6-net.invalid"]
        subprocess.run(git[:3] + ["init", "-q", "-b", "main"], check=True)
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-q", "-m", "lab %s: starting point" % name], check=True)
    return out


def cmd_make(a):
    need_lab(a.name)
    out = os.path.abspath(a.out or os.path.join(ROOT, "build", "labs", a.name))
    make_handout(a.name, out)
    print("lab %s: the starting point is in %s (a git repository of its own, one commit)\n"
          "next:  cd %s && cat labs/%s/README.md\n"
          "       make qemu            to try your code\n"
          "       git diff             to see your work\n"
          "grading: the teacher runs `make grade LAB=%s TREE=%s` in the full tree"
          % (a.name, out, out, a.name, a.name, out))


def grade(name, tree, quiet=False):
    """Run this tree's grader of `name` against `tree`: (exit status, output)."""
    script = os.path.join(ROOT, "labs", name, "grade.py")
    r = subprocess.run([sys.executable, script, "--tree", tree], cwd=tree, text=True,
                       stdout=subprocess.PIPE if quiet else None, stderr=subprocess.STDOUT)
    return r.returncode, r.stdout or ""


def cmd_grade(a):
    need_lab(a.name)
    if not os.path.isfile(os.path.join(ROOT, "labs", a.name, "grade.py")):
        sys.exit("lab.py: this tree has no checks for lab %s (a hand-out keeps them hidden): "
                 "your teacher grades it with `make grade LAB=%s TREE=<this folder>`" % (a.name, a.name))
    tree = os.path.abspath(a.tree or ROOT)
    sys.exit(grade(a.name, tree)[0])


def differs_only_in_regions(name, path, lines, regions, handout_lines):
    """Every difference between a file and its hand-out lies in one of `name`'s
    regions or is another lab's marker line. None if so, else what differs."""
    spans = [(r.begin, r.end) for r in regions if r.lab == name]
    # other labs' regions lose their marker and stub lines, nothing else
    markers = {i for r in regions if r.lab != name
               for i in [r.begin] + list(range(r.stub if r.stub is not None else r.end, r.end + 1))}
    sm = difflib.SequenceMatcher(None, lines, handout_lines, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        inside = lambda i: any(b <= i <= e for b, e in spans) or i in markers
        if i1 == i2:   # an insertion: must sit at or in a region
            if not any(b <= i1 <= e + 1 for b, e in spans):
                return "%s:%d: the hand-out adds lines outside LAB(%s)" % (path, i1 + 1, name)
        elif not all(inside(i) for i in range(i1, i2)):
            return "%s:%d: the hand-out differs outside LAB(%s)" % (path, i1 + 1, name)
    for r in regions:
        if r.lab == name and r.solution(lines) == r.stubbed(lines):
            return "%s:%d: LAB(%s)'s stub is its solution" % (path, r.begin + 1, name)
    return None


def cmd_lint(a):
    problems = []
    try:
        regions = all_regions(ROOT)
    except LabError as e:
        print("lab lint: %s" % e)
        sys.exit(1)
    named = sorted({r.lab for _, rs in regions.values() for r in rs})
    for name in named:
        for f in ("README.md", "grade.py"):
            if not os.path.isfile(os.path.join(ROOT, "labs", name, f)):
                problems.append("LAB(%s) has no labs/%s/%s" % (name, name, f))
    for name in labs():
        # (a hand-out has READMEs without graders or regions)
        if name not in named and os.path.isfile(os.path.join(ROOT, "labs", name, "grade.py")):
            problems.append("labs/%s has no LAB(%s) region in the code" % (name, name))
        if not re.fullmatch(r"\w+", name):
            problems.append("labs/%s: a lab's name is letters, digits and _" % name)
    with tempfile.TemporaryDirectory() as tmp:
        for name in named:
            out = make_handout(name, os.path.join(tmp, name), commit=False)
            for path, (lines, rs) in regions.items():
                got = read_lines(os.path.join(out, path))
                if any(ANY_MARK.match(l) for l in got):
                    problems.append("%s: the hand-out of %s keeps a marker" % (path, name))
                why = differs_only_in_regions(name, path, lines, rs, got)
                if why:
                    problems.append(why)
            if any(os.path.exists(os.path.join(out, "labs", n, "grade.py")) for n in labs()):
                problems.append("the hand-out of %s holds a grade.py" % name)
    for p in problems:
        print("lab lint: " + p)
    count = sum(len(rs) for _, rs in regions.values())
    print("lab lint: %d labs, %d regions in %d files: %s" % (
        len(named), count, len(regions), "%d problems" % len(problems) if problems else "ok"))
    sys.exit(1 if problems else 0)


def timed(fn, *args):
    t0 = time.monotonic()
    r = fn(*args)
    return r, time.monotonic() - t0


def handout_stubbed(name, out):
    """No marker left in the hand-out, and every file with a region of `name` changed."""
    for path, (lines, rs) in all_regions(ROOT).items():
        got = read_lines(os.path.join(out, path)) or []
        if any(ANY_MARK.match(l) for l in got):
            return False
        if any(r.lab == name for r in rs) and got == lines:
            return False
    return True


def cmd_check(a):
    names = a.names or list(labs())
    for n in names:
        need_lab(n)
    rows = []
    for name in names:
        out = os.path.join(ROOT, "build", "labs", name)
        print("== lab %s: hand-out in %s" % (name, out), flush=True)
        _, t_make = timed(make_handout, name, out)
        stubbed = handout_stubbed(name, out)
        print("== lab %s: building the hand-out" % name, flush=True)
        b, t_build = timed(subprocess.run, ["make", "-s", "-j2", "-C", out, "all"])
        print("== lab %s: grading the hand-out (must fail)" % name, flush=True)
        (h_rc, _), t_hgrade = timed(grade, name, out)
        print("== lab %s: grading this tree (must pass)" % name, flush=True)
        (s_rc, _), t_sgrade = timed(grade, name, ROOT)
        ok = stubbed and b.returncode == 0 and h_rc != 0 and s_rc == 0
        rows.append((name, stubbed, b.returncode == 0, t_make, t_build, h_rc != 0, t_hgrade,
                     s_rc == 0, t_sgrade, ok))
    print("\n%-8s %-8s %-16s %-20s %-20s %s" % ("lab", "stubbed", "hand-out builds", "hand-out fails",
                                                "solution passes", "ok"))
    for (name, stubbed, built, t_make, t_build, hfail, t_h, spass, t_s, ok) in rows:
        print("%-8s %-8s %-16s %-20s %-20s %s" % (
            name, "yes" if stubbed else "NO", "%s (%.0f s)" % ("yes" if built else "NO", t_build),
            "%s (%.0f s)" % ("yes" if hfail else "NO", t_h),
            "%s (%.0f s)" % ("yes" if spass else "NO", t_s), "ok" if ok else "PROBLEM"))
    sys.exit(0 if all(r[-1] for r in rows) else 1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("name", nargs="?", default="")
    m.add_argument("--out")
    g = sub.add_parser("grade")
    g.add_argument("name", nargs="?", default="")
    g.add_argument("--tree")
    c = sub.add_parser("check")
    c.add_argument("names", nargs="*")
    sub.add_parser("lint")
    a = p.parse_args()
    try:
        {"make": cmd_make, "grade": cmd_grade, "check": cmd_check, "lint": cmd_lint}[a.cmd](a)
    except LabError as e:
        sys.exit("lab.py: %s" % e)


if __name__ == "__main__":
    main()
