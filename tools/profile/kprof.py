"""kprof.py: what tools/profile/run.py does with a dump of the kernel's
sampling profiler (`prof dump`, User/prof.c): parse it, symbolise the addresses
against the ELF files, and make a flat profile and a folded-stack file.

Symbols: a function is the ELF symbol (type FUNC, with its size) holding the
address, from the toolchain's llvm-objdump -t: the assembler's local labels
(.Lpcrel_hi...) that llvm-symbolizer would name instead are not functions. One
batch call of llvm-symbolizer per ELF gives each function's source file, which
says its module (kernel C, lwIP, the netif glue); Swift code carries no debug
information and is known by its mangled name, demangled by swift-demangle.
Return addresses are looked up at address - 1 (the call, not what follows it)."""
import bisect, collections, json, os, re, shutil, subprocess

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MODES = {"u": "user", "k": "kernel", "i": "idle"}   # capitals: the kernel had interrupts off
# Without Sstc the supervisor timer samples: it waits while the kernel has
# interrupts off (a spinlock held) and is taken where they come back on, in these
# functions. The flat profile charges such a sample to the function that called
# them, marked IRQS_OFF. Machine-mode samples (sampler=machine) are exact.
SKID = {"release", "pop_off", "intr_on"}
IRQS_OFF = " [irqs off]"
# The trampoline page (trampoline.S) runs at TRAMPOLINE (kernel/memlayout.h:
# MAXVA - PGSIZE), not at its link address; its entry points are labels, not functions.
TRAMPOLINE = 0x3ffffff000
TRAMPOLINE_LABELS = ("uservec", "userret")


def toolbin():
    swiftc = shutil.which("swiftc")
    return os.path.dirname(swiftc) if swiftc else "/opt/swift/usr/bin"


def tool(name):
    return os.path.join(toolbin(), name)


# ------------------------------------------------------------------ the dump
class Sample:
    __slots__ = ("hart", "mode", "pid", "comm", "pc", "ra", "upc", "stack", "irqsoff")

    def __init__(self, hart, mode, pid, comm, pc, ra, upc, stack, irqsoff=False):
        self.hart, self.mode, self.pid, self.comm = hart, mode, pid, comm
        self.pc, self.ra, self.upc, self.stack = pc, ra, upc, stack
        self.irqsoff = irqsoff


class Dump:
    """A parsed dump: header fields, the (pid, name) table, the samples."""

    def __init__(self, text):
        m = re.search(r"profile: begin hz=(\d+) harts=(\d+) samples=(\d+) lost=(\d+) taken=(\d+)", text)
        if not m:
            raise ValueError("no `profile: begin` line in the dump")
        self.hz, self.harts, self.count, self.lost, self.taken = map(int, m.groups())
        sampler = re.match(r" sampler=(\w+)", text[m.end():])
        self.machine = bool(sampler) and sampler.group(1) == "machine"
        end = re.search(r"profile: end samples=(\d+) lost=(\d+)", text[m.end():])
        if not end:
            raise ValueError("the dump has no `profile: end` line (cut short?)")
        body = text[m.end():m.end() + end.start()]
        self.comms = {}      # index -> (pid, name)
        self.samples = []
        for line in body.replace("\r", "").split("\n"):
            f = line.split()
            if len(f) >= 4 and f[0] == "C":
                self.comms[int(f[1])] = (int(f[2]), f[3])
            elif len(f) >= 8 and f[0] == "S" and f[2].lower() in MODES:
                v = [int(x, 16) for x in f[5:]]
                self.samples.append(Sample(int(f[1]), MODES[f[2].lower()], int(f[3]), int(f[4]),
                                           v[0], v[1], v[2], v[3:], f[2].isupper()))
        if len(self.samples) != int(end.group(1)):
            raise ValueError("the dump says %s samples, %d parsed (console lines lost?)" % (
                end.group(1), len(self.samples)))

    def program(self, s):
        """The program a sample's process was running (its name when sampled)."""
        return self.comms.get(s.comm, (s.pid, "?"))[1]


# ------------------------------------------------------------------ symbols
class Symbols:
    """The functions of one ELF file: name, module, and lookups by address.
    funcs: (start, size, name) triples; files: name -> source file of the function
    (from debug information; missing for Swift code); label names the module of
    a user program."""

    def __init__(self, funcs, files=None, label=None, demangled=None, objects=None, labels=None):
        self.funcs = sorted((s, s + max(n, 1), name) for s, n, name in funcs)
        self.labels = labels or {}   # TRAMPOLINE_LABELS -> link address
        self.starts = [f[0] for f in self.funcs]
        self.addr = {name: s for s, _, name in self.funcs}
        self.files = files or {}
        self.objects = sorted(objects or [])   # (start, end, object file) from the link map
        self.ostarts = [o[0] for o in self.objects]
        self.label = label
        self.demangled = demangled or {}

    def func(self, addr):
        """The mangled name of the function holding addr, or None."""
        if addr >= TRAMPOLINE and "uservec" in self.labels:
            at = self.labels["uservec"] + addr - TRAMPOLINE
            names = [n for n in TRAMPOLINE_LABELS if n in self.labels and self.labels[n] <= at]
            return max(names, key=self.labels.get) if names else None
        i = bisect.bisect_right(self.starts, addr) - 1
        if i >= 0 and addr < self.funcs[i][1]:
            return self.funcs[i][2]
        return None

    def name(self, func):
        return self.demangled.get(func, func)

    def module(self, func):
        if self.label:
            return self.label
        i = bisect.bisect_right(self.ostarts, self.addr.get(func, -1)) - 1
        if func and i >= 0 and self.addr[func] < self.objects[i][1]:
            return object_module(self.objects[i][2])
        return kernel_module(func, self.files.get(func, ""))


def object_module(obj):
    """The module of a kernel object file named by the link map."""
    obj = obj.replace("\\", "/")
    m = re.search(r"(?:^|/)swift/(\w+)\.o$", obj)
    if m:
        return "Swift " + m.group(1)
    if "/lwip/glue/" in obj:
        return "lwIP glue"
    if "/lwip/" in obj:
        return "lwIP"
    return "kernel"


def load_map(path):
    """(start, end, object) of each text input section of ld.lld's -Map file."""
    out = []
    if not os.path.exists(path):
        return out
    rx = re.compile(r"^\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+\s+(\S+?\.o):\(\.text")
    with open(path) as f:
        for line in f:
            m = rx.match(line)
            if m:
                a, n = int(m.group(1), 16), int(m.group(2), 16)
                out.append((a, a + n, m.group(3)))
    return out


def kernel_module(func, path):
    """Which part of the kernel a function is: by its source file, or for Swift
    code (no debug information) by its mangled name."""
    m = re.match(r"\$[es](\d+)(\w+)", func or "")
    if m:
        return "Swift " + m.group(2)[:int(m.group(1))]
    if (func or "").startswith(("$es", "$ss")):
        return "Swift stdlib"
    path = path.replace("\\", "/")
    for part, module in (("/.deps/lwip", "lwIP"), ("/Net/", "lwIP glue"), ("/CShims/", "CShims"),
                         ("/Kernel/", "kernel")):
        if part in path:
            return module
    if (func or "").startswith("OUTLINED_FUNCTION"):
        return "Swift (outlined)"
    if (func or "").startswith("swift_"):
        return "Swift runtime"
    return "kernel" if func else "?"


def load_symbols(elf, label=None, mapfile=None):
    """Symbols of an ELF file: llvm-objdump -t for the functions, the link map
    (if given) or one batch call of llvm-symbolizer for their modules, one call
    of swift-demangle for Swift names."""
    out = subprocess.run([tool("llvm-objdump"), "-t", elf], capture_output=True, text=True,
                         check=True).stdout
    funcs, labels = [], {}
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]{16}) (.{7}) (\S+)\s+([0-9a-f]{16}) (.+)$", line)
        if m and "F" in m.group(2) and m.group(3).startswith(".text"):
            name = re.sub(r"^\.(hidden|protected|internal) ", "", m.group(5).strip())
            funcs.append((int(m.group(1), 16), int(m.group(4), 16), name))
        elif m and label is None and m.group(5).strip() in TRAMPOLINE_LABELS:
            labels[m.group(5).strip()] = int(m.group(1), 16)
    files = {}
    if funcs and label is None:
        q = "".join("0x%x\n" % a for a, _, _ in funcs)
        r = subprocess.run([tool("llvm-symbolizer"), "--obj=" + elf, "--no-inlines",
                            "--output-style=JSON"], input=q, capture_output=True, text=True)
        for (a, _, name), line in zip(funcs, r.stdout.splitlines()):
            try:
                sym = json.loads(line)["Symbol"][0]
                files[name] = sym.get("StartFileName") or sym.get("FileName") or ""
            except (ValueError, KeyError, IndexError):
                pass
    swift = sorted({n for _, _, n in funcs if n.startswith(("$e", "$s"))})
    demangled = {}
    if swift and os.path.exists(tool("swift-demangle")):
        r = subprocess.run([tool("swift-demangle"), "--simplified"], input="\n".join(swift) + "\n",
                           capture_output=True, text=True)
        names = r.stdout.splitlines()
        if len(names) == len(swift):
            demangled = dict(zip(swift, names))
    return Symbols(funcs, files, label, demangled, load_map(mapfile) if mapfile else None, labels)


# ------------------------------------------------------------------ stacks
class Frame(collections.namedtuple("Frame", "name module kernel")):
    def folded(self):
        n = self.name.replace(";", ":").replace(" ", "_")
        return n + "_[k]" if self.kernel else n


def frames(s, kernel, user):
    """A sample's frames, innermost first. kernel: Symbols of the kernel; user:
    Symbols of the sample's program or None. The ra register is a frame of its
    own only when pc is in a leaf or prologue: when ra is in another function
    than pc and is not the walk's first return address already."""
    syms = kernel if s.mode != "user" else user
    out = []

    def add(addr, is_ret):
        if syms is None:
            out.append(Frame("0x%x" % addr, "?", s.mode != "user"))
            return
        f = syms.func(addr - 1 if is_ret else addr)
        out.append(Frame(syms.name(f) if f else "0x%x" % addr, syms.module(f) if f else "?",
                         s.mode != "user"))

    add(s.pc, False)
    if s.ra and syms is not None:
        fpc, fra = syms.func(s.pc), syms.func(s.ra - 1)
        if fra and fra != fpc and (not s.stack or s.stack[0] != s.ra):
            add(s.ra, True)
    for r in s.stack:
        add(r, True)
    if s.mode == "kernel" and s.upc and user is not None:
        f = user.func(s.upc)
        out.append(Frame(user.name(f) if f else "0x%x" % s.upc, user.label or "?", False))
    return out


def user_label(program):
    return "user " + program


def symbolise(dump, kernel, user_symbols):
    """[(sample, frames)]; user_symbols(program) -> Symbols or None."""
    res = []
    for s in dump.samples:
        prog = dump.program(s)
        res.append((s, frames(s, kernel, user_symbols(prog) if s.pid else None)))
    return res


def root(dump, s):
    if s.mode == "idle":
        return "idle"
    return dump.program(s) if s.pid else "scheduler"


def folded(dump, stacks):
    """Lines `root;outer;...;leaf count`, sorted, for flamegraph.pl and speedscope."""
    counts = collections.Counter()
    for s, fr in stacks:
        counts[";".join([root(dump, s)] + [f.folded() for f in reversed(fr)])] += 1
    return ["%s %d" % (k, v) for k, v in sorted(counts.items())]


def flat(dump, stacks, top=25):
    """The flat profile as text lines: functions by self samples, with their
    share of all samples (self) and of the samples they are on the stack of."""
    total = len(stacks) or 1
    self_ = collections.Counter()
    incl = collections.Counter()
    modes = collections.Counter()
    modules = collections.Counter()
    skid = irqsoff = 0
    for s, fr in stacks:
        modes[s.mode] += 1
        irqsoff += s.mode == "kernel" and s.irqsoff
        i = 0
        while not dump.machine and s.mode == "kernel" and i + 1 < len(fr) and fr[i].kernel \
                and fr[i].name in SKID:
            i += 1
        skid += i > 0
        if s.mode == "idle":
            leaf = ("idle", "(idle) " + fr[0].name)
        else:
            leaf = (fr[i].module, fr[i].name + (IRQS_OFF if i else ""))
        self_[leaf] += 1
        modules[leaf[0]] += 1
        for key in {(f.module, f.name) for f in fr}:
            incl[key] += 1
    lines = ["%d samples at %d Hz on %d harts (%d lost): %s" % (
        len(stacks), dump.hz, dump.harts, dump.lost,
        ", ".join("%s %.1f%%" % (m, 100.0 * modes[m] / total) for m in ("user", "kernel", "idle")))]
    if dump.machine:
        lines.append("sampled in machine mode: the kernel ran with interrupts off in %.1f%% of samples "
                     "(%.1f%% of its non-idle ones)" % (100.0 * irqsoff / total,
                                                        100.0 * irqsoff / (modes["kernel"] or 1)))
    else:
        lines.append("%.1f%% of samples were taken where interrupts came back on (%s) and are "
                     "charged to its caller, marked%s" % (100.0 * skid / total, "/".join(sorted(SKID)),
                                                          IRQS_OFF))
    lines.append("by module: " + ", ".join("%s %.1f%%" % (m, 100.0 * n / total)
                                           for m, n in modules.most_common()))
    lines.append("%6s %6s %6s %6s  %-16s %s" % ("self", "self%", "cum%", "total%", "module", "function"))
    cum = 0
    for (module, name), n in self_.most_common(top):
        cum += n
        lines.append("%6d %5.1f%% %5.1f%% %5.1f%%  %-16s %s" % (
            n, 100.0 * n / total, 100.0 * cum / total,
            100.0 * incl.get((module, name.replace("(idle) ", "").replace(IRQS_OFF, "")), n) / total,
            module, name))
    return lines
