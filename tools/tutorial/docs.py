#!/usr/bin/env python3
"""The tutorial's generator and its drift check (docs/tutorial/, issue 17).

Every capture excerpt, table, console transcript, plot and code excerpt in the chapters
sits between two markers and is written by this program, never by hand:

    <!-- gen: code Sources/Drivers/VirtIO/Virtqueue.swift "func popUsed" -->
    ...generated...
    <!-- /gen -->

    <!-- gen: fig dhcp_dora -->            a figure of tools/tutorial/figures.py
    ...generated...
    <!-- /gen -->

`code PATH START [END]` excerpts PATH from the first line matching the regex START to
the line matching END, or (without END) to the end of the brace block START opens (of
a Python file, its indented block); it names the file and the line range. `fig NAME` calls the figure NAME, which reads what
the scenarios recorded (tools/tutorial/scenarios.py: guests booted, commands run,
captures made under build/tutorial/) and returns Markdown; a figure may also draw a
PNG into docs/tutorial/img/.

  python3 tools/tutorial/docs.py            run every scenario, rewrite the chapters and
                                            the plots (`make docs`)
  python3 tools/tutorial/docs.py --check    run every scenario, regenerate in memory and
                                            compare with the chapters as committed
                                            (`make test`): a chapter fails when a block's
                                            shape differs (see figures.shape)
  --reuse      use the scenarios' last recordings where they exist (writing a chapter)
  --code-only  only the code excerpts (no guest is booted)
  CHAPTER...   only chapters whose file name contains one of these"""
import argparse, os, re, shlex, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TUTORIAL = os.path.join(ROOT, "docs", "tutorial")
sys.path.insert(0, HERE)
import figures  # noqa: E402
import scenarios  # noqa: E402

BLOCK = re.compile(r"(<!-- gen: (.*?) -->\n)(.*?)(<!-- /gen -->)", re.S)
LANG = {".swift": "swift", ".c": "c", ".h": "c", ".S": "asm", ".py": "python", ".ld": "ld",
        "Makefile": "make"}


class DocError(Exception):
    pass


def code_excerpt(path, start, end=None):
    """Markdown for the lines of path from regex start to regex end (or start's block)."""
    full = os.path.join(ROOT, path)
    if not os.path.exists(full):
        raise DocError("code: no file %s" % path)
    with open(full) as f:
        lines = f.read().split("\n")
    first = next((i for i, l in enumerate(lines) if re.search(start, l)), None)
    if first is None:
        raise DocError("code: /%s/ matches no line of %s" % (start, path))
    last = None
    if end:
        last = next((i for i in range(first, len(lines)) if re.search(end, lines[i])), None)
    elif path.endswith(".py"):
        # Python: the block ends before the next line indented no deeper than its start
        indent = len(lines[first]) - len(lines[first].lstrip())
        last = first
        for i in range(first + 1, len(lines)):
            if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) <= indent:
                break
            if lines[i].strip():
                last = i
    else:
        depth, opened = 0, False
        for i in range(first, len(lines)):
            text = re.sub(r'"(\\.|[^"\\])*"|//.*', "", lines[i])     # braces in strings, comments
            depth += text.count("{") - text.count("}")
            opened = opened or "{" in text
            if opened and depth <= 0:
                last = i
                break
    if last is None:
        raise DocError("code: no end for /%s/ in %s" % (start, path))
    # a C function's return type on its own line above its name (xv6's style): keep it
    if first > 0 and re.match(r"(static\s+)?[A-Za-z_][\w \t*]*$", lines[first - 1]) and \
            re.match(r"[A-Za-z_]\w*\(", lines[first]):
        first -= 1
    # the comment lines just above a function say what it is for: keep them
    while first > 0 and re.match(r"\s*(//|/\*|\*|#(?!include|define|if|end))", lines[first - 1]):
        first -= 1
    ext = os.path.splitext(path)[1] or os.path.basename(path)
    body = "\n".join(without_lab_markers(lines[first:last + 1]))
    return ("[`%s`, lines %d–%d](../../%s#L%d-L%d):\n\n```%s\n%s\n```\n"
            % (path, first + 1, last + 1, path, first + 1, last + 1, LANG.get(ext, ""), body))


LAB_MARK = re.compile(r"^\s*(//|#) LAB\((\w+)\) (begin|stub|end)\b")


def without_lab_markers(lines):
    """The lines as a reader should see them: a lab's marker lines (tools/labs/) and the
    commented-out stub between `stub:` and `end` left out; the code stays."""
    out, in_stub = [], False
    for line in lines:
        m = LAB_MARK.match(line)
        if m:
            in_stub = m.group(3) == "stub"
            continue
        if not in_stub:
            out.append(line)
    return out


def render(directive, want_plots):
    words = shlex.split(directive)
    kind, args = words[0], words[1:]
    if kind == "code":
        return code_excerpt(*args), "exact"
    if kind == "fig":
        fig = figures.get(args[0])
        return fig.make(want_plots), fig.shape
    raise DocError("unknown generated block kind %r" % kind)


def blocks(text):
    return [(m.group(2), m.group(3)) for m in BLOCK.finditer(text)]


def needed_scenarios(chapters):
    need = []
    for path in chapters:
        for directive, _ in blocks(open(path).read()):
            words = shlex.split(directive)
            if words[0] == "fig":
                for s in figures.get(words[1]).needs:
                    if s not in need:
                        need.append(s)
    return need


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--code-only", action="store_true")
    ap.add_argument("only", nargs="*")
    a = ap.parse_args()
    chapters = sorted(p for p in (os.path.join(TUTORIAL, f) for f in os.listdir(TUTORIAL))
                      if p.endswith(".md") and (not a.only or any(o in os.path.basename(p) for o in a.only)))
    skipped = {}
    if not a.code_only:
        for name in needed_scenarios(chapters):
            try:
                scenarios.run(name, reuse=a.reuse)
            except scenarios.Skipped as e:
                skipped[name] = str(e)
                print("scenario %s: skipped: %s" % (name, e), flush=True)
    problems = 0
    for path in chapters:
        text = open(path).read()
        rel = os.path.relpath(path, ROOT)
        out, pos, drift = [], 0, []
        for m in BLOCK.finditer(text):
            directive, old = m.group(2), m.group(3)
            out.append(text[pos:m.start()] + m.group(1))
            pos = m.end()
            needs = [] if directive.startswith("code") else figures.get(shlex.split(directive)[1]).needs
            if (a.code_only and needs) or any(n in skipped for n in needs):
                out.append(old + m.group(4))      # left as it is: its scenario did not run
                continue
            try:
                new, shape = render(directive, want_plots=not a.check)
            except (DocError, figures.FigureError, KeyError) as e:
                print("%s: <!-- gen: %s -->: %s" % (rel, directive, e))
                problems += 1
                out.append(old + m.group(4))
                continue
            if not new.endswith("\n"):
                new += "\n"
            if figures.shape(old, shape) != figures.shape(new, shape):
                drift.append((directive, old, new, shape))
            out.append(new + m.group(4))
        out.append(text[pos:])
        if a.check:
            for directive, old, new, shape in drift:
                problems += 1
                print("%s: the block <!-- gen: %s --> no longer matches the system (%s shape); "
                      "`make docs` regenerates it.\n  committed: %s\n  now:       %s" % (
                          rel, directive, shape, figures.first_difference(old, new, shape),
                          figures.first_difference(new, old, shape)))
            print("%s %s (%d generated blocks)" % ("DRIFT" if drift else "ok   ", rel, len(blocks(text))))
        else:
            new_text = "".join(out)
            if new_text != text:
                open(path, "w").write(new_text)
                print("wrote %s" % rel)
    if problems:
        print("tutorial: %d problem(s)" % problems)
        sys.exit(1)
    print("tutorial: %d chapters %s%s" % (
        len(chapters), "match the system" if a.check else "regenerated",
        "; not checked: the figures of %s (%s)" % (", ".join(skipped), "; ".join(set(skipped.values())))
        if skipped else ""))


if __name__ == "__main__":
    main()
