"""The tutorial's figures: each turns what a scenario recorded (scenarios.load) into
Markdown, and may draw a PNG. The chapters' own figures live in fig_<chapter>.py
beside this file and register with @figure; this file holds what they share:
reading captures with tshark, tables, hex dumps, plots, and the shape a drift check
compares.

A figure's shape says what of it must stay true as the system changes (docs.py --check):
  "exact"    every character (code, fixed text)
  "numbers"  every line, with numbers, addresses and times made "#" and runs of spaces
             one: the frames listed, the fields named, the rows of a table
  "header"   the first two lines (a table's columns), numbers made "#": for figures
             whose rows depend on chance (frames lost by the relay)"""
import glob, importlib, json, os, re, subprocess

import scenarios

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = scenarios.ROOT
IMG = os.path.join(ROOT, "docs", "tutorial", "img")
_FIGURES = {}


class FigureError(Exception):
    pass


class Figure:
    def __init__(self, name, needs, shape, fn):
        self.name, self.needs, self.shape, self.fn = name, needs, shape, fn

    def make(self, want_plots):
        recs = [scenarios.load(n) for n in self.needs]
        global _want_plots
        _want_plots = want_plots
        return self.fn(*recs)


_want_plots = True


def figure(name, needs=(), shape="numbers"):
    """Register fn(*recordings) -> Markdown as the figure `name`."""
    def register(fn):
        if name in _FIGURES:
            raise FigureError("figure %s is defined twice" % name)
        _FIGURES[name] = Figure(name, list(needs), shape, fn)
        return fn
    return register


def _load_all():
    for path in sorted(glob.glob(os.path.join(HERE, "fig_*.py"))):
        importlib.import_module(os.path.basename(path)[:-3])


def get(name):
    if not _FIGURES:
        _load_all()
    if name not in _FIGURES:
        raise FigureError("no figure named %s (tools/tutorial/fig_*.py)" % name)
    return _FIGURES[name]


# ------------------------------------------------------------------ shapes
# a number: digits among hex digits, colons, dots and dashes (addresses, times), or
# 0x and hex digits (0xdaaf: a random id need not contain a decimal digit)
_NUMBER = re.compile(r"(?<![A-Za-z_])(0x[0-9a-fA-F]+|[0-9a-fA-F:.\-]*[0-9][0-9a-fA-F:.\-]*)(?![A-Za-z_])")


def normalize(line):
    line = _NUMBER.sub("#", line)
    line = re.sub(r"#(\s*[#,/:.x-]\s*#)+", "#", line)    # 10.0.2.15/24, 1,234, a-b
    return re.sub(r"[ \t|-]+", " ", line).strip()


def shape(text, kind):
    if kind == "exact":
        return text
    lines = [normalize(l) for l in text.strip("\n").split("\n")]
    if kind == "header":
        lines = lines[:2]
    return lines


def first_difference(a, b, kind):
    sa, sb = shape(a, kind), shape(b, kind)
    if kind == "exact":
        la, lb = a.split("\n"), b.split("\n")
        for x, y in zip(la, lb):
            if x != y:
                return repr(x)
        return "(%d lines against %d)" % (len(la), len(lb))
    for i, line in enumerate(sa):
        if i >= len(sb) or sb[i] != line:
            return "line %d: %r" % (i + 1, line)
    return "(%d lines against %d)" % (len(sa), len(sb))


# ------------------------------------------------------------------ captures
def tshark_fields(pcap, display_filter, fields, extra=(), occurrence="f"):
    """One list of strings per frame that matches: the fields asked for (of a field that
    occurs more than once in a frame, the first; with occurrence="a" all, comma-separated)."""
    cmd = ["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=" + occurrence]
    cmd += list(extra)
    if display_filter:
        cmd += ["-Y", display_filter]
    for f in fields:
        cmd += ["-e", f]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise FigureError("tshark %s: %s" % (" ".join(cmd[5:]), r.stderr.strip()[-300:]))
    return [l.split("\t") for l in r.stdout.split("\n") if l]


def tshark_text(pcap, display_filter, args=(), frames=None):
    """tshark's own text output (its one-line summaries, -V trees or -x hex dumps)."""
    cmd = ["tshark", "-n", "-r", pcap] + list(args)
    if display_filter:
        cmd += ["-Y", display_filter]
    if frames:
        cmd += ["-c", str(frames)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise FigureError("tshark: %s" % r.stderr.strip()[-300:])
    return r.stdout


def frame_numbers(pcap, display_filter):
    return [int(r[0]) for r in tshark_fields(pcap, display_filter, ["frame.number"])]


def first_frame(pcap, display_filter):
    """The number of the first frame that matches."""
    numbers = frame_numbers(pcap, display_filter)
    if not numbers:
        raise FigureError("no frame of %s matches %s" % (os.path.basename(pcap), display_filter))
    return numbers[0]


def one_frame(pcap, number, args):
    """tshark's output for frame `number` alone (-V, -x, -O proto ...)."""
    return tshark_text(pcap, "frame.number == %d" % number, args)


def ms_since(t, t0):
    return "%.1f" % ((float(t) - float(t0)) * 1000)


# ------------------------------------------------------------------ Markdown
def table(headers, rows):
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |")
    return "\n".join(out) + "\n"


def fenced(text, lang="text"):
    return "```%s\n%s\n```\n" % (lang, text.strip("\n"))


def console_lines(rec, patterns):
    """The first console line matching each regex, in the order of the patterns (a
    line another printed into the middle of is still found: the match is searched for)."""
    text = rec.console()
    out = []
    for p in patterns:
        m = re.search(p, text)
        if not m:
            raise FigureError("scenario %s: no console line matches /%s/" % (rec.name, p))
        out.append(m.group(0))
    return out


def plot(png_name, spec):
    """Draw the chart spec (see plot.py) into docs/tutorial/img/png_name with Debian's
    matplotlib (the interpreter that has it); the Markdown that shows it is returned.
    In a drift check nothing is drawn."""
    rel = "img/" + png_name
    if _want_plots:
        os.makedirs(IMG, exist_ok=True)
        spec_path = os.path.join(scenarios.OUT, png_name + ".json")
        json.dump(spec, open(spec_path, "w"))
        r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "plot.py"), spec_path,
                            os.path.join(IMG, png_name)], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise FigureError("plot %s: %s" % (png_name, r.stderr.strip()[-400:]))
    return "![%s](%s)\n" % (spec.get("title", png_name), rel)


def frame_fields(pcap, number, protos):
    """The fields tshark decodes in frame `number`, for each protocol named in protos
    (its PDML: every field's name, showname, offset in the frame, size, shown value,
    and its children), as a list of (proto, field) where field is a dict with keys
    name, showname, pos, size, show, value, children."""
    import xml.etree.ElementTree as ET
    xml = tshark_text(pcap, "frame.number == %d" % number, ["-T", "pdml"])
    packet = ET.fromstring(xml).find("packet")
    if packet is None:
        raise FigureError("no frame %d in %s" % (number, pcap))

    def conv(el):
        return {"name": el.get("name", ""), "showname": el.get("showname", el.get("show", "")),
                "pos": int(el.get("pos", "0")), "size": int(el.get("size", "0")),
                "show": el.get("show", ""), "value": el.get("value", ""),
                "hide": el.get("hide") == "yes",
                "children": [conv(c) for c in el.findall("field")]}
    out = []
    for proto in packet.findall("proto"):
        if proto.get("name") in protos:
            out += [(proto.get("name"), conv(f)) for f in proto.findall("field")]
    return out


def frame_bytes(pcap, number):
    """The bytes of frame `number`, from tshark's hex dump."""
    data = bytearray()
    for line in one_frame(pcap, number, ["-x"]).split("\n"):
        m = re.match(r"[0-9a-f]{4}  ((?:[0-9a-f]{2} )+)", line)
        if m:
            data += bytes.fromhex(m.group(1).replace(" ", ""))
    return bytes(data)
