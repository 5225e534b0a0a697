"""Chapter 1's figures: the machine (QEMU's command line, the memory map from the
kernel's headers, the boot lines and the devices the kernel found)."""
import os, re, subprocess

from figures import figure, table, fenced, console_lines, FigureError
from scenarios import ROOT


def defines(path):
    """The #defines of a header: name -> (value text, comment)."""
    out = {}
    for line in open(os.path.join(ROOT, path)):
        m = re.match(r"#define\s+(\w+)\s+(.*?)\s*(?://\s*(.*))?$", line)
        if m:
            out[m.group(1)] = (m.group(2), m.group(3) or "")
    return out


def evaluate(expr, names):
    """The value of a #define's expression (numbers, + * << and names defined before)."""
    expr = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[UL]+\b", r"\1", expr)
    expr = re.sub(r"[A-Za-z_]\w*", lambda m: "(%s)" % names[m.group(0)] if m.group(0) in names else m.group(0), expr)
    if not re.fullmatch(r"[0-9a-fA-Fx()+*<< \t-]+", expr):
        raise FigureError("cannot evaluate %r" % expr)
    return eval(expr)


# Which base addresses the table lists: the *_PA of a device, and RAM.
MAP_NAMES = ["TESTFINISHER_PA", "GOLDFISH_RTC_PA", "CLINT", "PLIC_PA", "UART0_PA",
             "VIRTIO_MMIO_BASE_PA", "PCIE_ECAM_PA", "PCIE_MMIO_PA", "KERNBASE", "PHYSTOP"]


@figure("machine_memmap")
def machine_memmap():
    """The physical map from Kernel/memlayout.h and CShims/include/platform.h: each
    base address, where the kernel reaches it, and what memlayout.h's map says is there."""
    defs = {}
    defs.update(defines("CShims/include/platform.h"))
    defs.update(defines("Kernel/memlayout.h"))
    values = {}
    for name, (expr, _) in defs.items():
        try:
            values[name] = evaluate(expr, values)
        except (FigureError, SyntaxError, KeyError, TypeError):
            pass
    # memlayout.h's own map, "// 10000000 -- uart0 (16550, irq 10)", by address
    described = {}
    for line in open(os.path.join(ROOT, "Kernel/memlayout.h")):
        m = re.match(r"//\s+([0-9A-Fa-f]{8})\s+--\s+(.*)", line)
        if m:
            described[int(m.group(1), 16)] = m.group(2).strip()
    window = values["DEVICE_WINDOW"]
    rows = []
    for name in MAP_NAMES:
        if name not in values:
            raise FigureError("no #define %s in memlayout.h or platform.h" % name)
        pa = values[name]
        where = "memlayout.h" if name in defines("Kernel/memlayout.h") else "platform.h"
        if name in ("KERNBASE", "PHYSTOP"):
            kva = "0x%x (direct map)" % pa
        elif name == "CLINT":
            kva = "not mapped (M-mode timer only)"
        else:
            kva = "0x%x" % (window + pa)
        what = described.get(pa, "end of RAM (%d MiB)" % ((pa - values["KERNBASE"]) >> 20)
                             if name == "PHYSTOP" else "")
        rows.append(["`%s`" % name, "0x%08x" % pa, kva, what, where])
    return table(["#define", "physical address", "kernel virtual address", "what is there",
                  "header"], rows)


@figure("machine_qemu")
def machine_qemu():
    """The QEMU command `make qemu` runs, one option per line (from `make -n qemu`)."""
    r = subprocess.run(["make", "-n", "qemu"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    line = next((l for l in r.stdout.split("\n") if l.startswith("qemu-system-riscv64")), None)
    if line is None:
        raise FigureError("make -n qemu prints no qemu-system-riscv64 line")
    line = re.sub(r"\$\{\w+\}", "", line)   # make's shell variables (the TLS forward, if free)
    words = line.split(" ")
    out, cur = [], words[0]
    for w in words[1:]:
        if w.startswith("-"):
            out.append(cur)
            cur = w
        else:
            cur += " " + w
    out.append(cur)
    return fenced(" \\\n    ".join(out), "sh")


BOOT_LINES = [
    r"xv6-net kernel is booting",
    r"virtio-blk: [^\n]*",
    r"virtio-rng: [^\n]*",
    r"virtio-net: [^\n]*",
    r"hart \d+ starting",
    r"en0: [0-9a-f:]{17} [^\n]*lease after[^\n]*",
    r"init: started httpd[^\n]*",
    r"init: starting sh",
    r"en0: inet6 [^\n]*\(after \d+ ms\)",
]


@figure("machine_boot", needs=["boot"])
def machine_boot(boot):
    """The kernel's boot lines from the boot scenario's console, in a fixed order."""
    lines = console_lines(boot, BOOT_LINES)
    # one "hart N starting" per other hart, in whatever order they raced: sorted
    harts = sorted(re.findall(r"hart \d+ starting", boot.console()))
    i = lines.index(next(l for l in lines if l.startswith("hart ")))
    lines[i:i + 1] = harts
    return fenced("\n".join(lines))


@figure("machine_devices", needs=["boot"])
def machine_devices(boot):
    """The virtio devices the kernel reported at boot, with the slot and registers
    their irq implies (slot i interrupts on PLIC irq 1 + i: platform.h)."""
    p = defines("CShims/include/platform.h")
    base = evaluate(p["VIRTIO_MMIO_BASE_PA"][0], {})
    stride = evaluate(p["VIRTIO_MMIO_STRIDE"][0], {})
    irq0 = evaluate(p["VIRTIO_MMIO_IRQ0"][0], {})
    rows = []
    for name in ("virtio-blk", "virtio-rng", "virtio-net"):
        m = re.search(r"%s: [^\n]*?irq (\d+)" % name, boot.console())
        if not m:
            raise FigureError("no `%s: irq N` line in the boot console" % name)
        irq = int(m.group(1))
        slot = irq - irq0
        rows.append([name, irq, slot, "0x%08x" % (base + stride * slot)])
    rows.sort(key=lambda r: r[2])
    return table(["device (console line)", "PLIC irq", "virtio-mmio slot", "registers at (physical)"], rows)
