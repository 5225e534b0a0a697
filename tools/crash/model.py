"""What the disk may hold after a crash during User/crashwork.c's plans.

crashwork prints each process's plan ("P w k OP ARGS") before it starts and "A w k"
after each operation returns. The processes work in separate directories
(/cw/w<w>), so each is checked on its own. Operations 1..a of a process (a = the
last acknowledgement the host saw) are on disk; more may have finished with their acknowledgement still in the console when
the machine died. So the disk must look like state(j) for some j >= a, where state(j)
is the tree after operations 1..j, or like state(j) with operation j+1 in flight:
  - one transaction (mkdir, rmdir, create, trunc, link, unlink, rename): all or
    nothing, i.e. state(j) or state(j+1), both covered by trying every j;
  - write F (O_TRUNC, then write() calls of several transactions each): F absent if
    it did not exist, its old bytes (O_TRUNC not yet committed), or a prefix of the
    new bytes; never other bytes, never zeros where data was written;
  - over F (rewrite from offset 0 without O_TRUNC): new bytes up to some k, the old
    ones after it.
A file's other names (hard links) must show the same bytes."""
import struct

M32 = 0xffffffff
_base = b""          # the words i*2654435761 ^ (i >> 7), as bytes, for content()


def content(ver, size):
    """crashwork's content VER, SIZE bytes: words pattern(VER, i), little-endian."""
    global _base
    n = (size + 3) // 4
    if len(_base) < 4 * n:
        m = max(n, 2 * len(_base) // 4, 1024)
        _base = struct.pack("<%dI" % m, *[((i * 2654435761) & M32) ^ (i >> 7) for i in range(m)])
    vs = struct.pack("<I", (ver * 40503) & M32) * n
    x = int.from_bytes(_base[:4 * n], "little") ^ int.from_bytes(vs, "little")
    return x.to_bytes(4 * n, "little")[:size]


def parse_plans(lines):
    """{w: {k: (kind, args)}} from the "P w k ..." lines."""
    plans = {}
    for line in lines:
        f = line.split()
        if len(f) >= 5 and f[0] == "P" and f[1].isdigit() and f[2].isdigit():
            plans.setdefault(int(f[1]), {})[int(f[2])] = (f[3], f[4:])
    return plans


def subtree(dump, top):
    """The part of a dump ({path: bytes}, {dirs}) at and below directory top."""
    def inside(p):
        return p == top or p.startswith(top + "/")
    return ({p: v for p, v in dump[0].items() if inside(p)}, {d for d in dump[1] if inside(d)})


class State:
    """The tree under /cw: names -> ("d",) or ("f", inode); inodes -> bytes."""

    def __init__(self, names=None, inodes=None, nextino=1):
        self.names = dict(names or {})
        self.inodes = dict(inodes or {})
        self.nextino = nextino

    def copy(self):
        return State(self.names, self.inodes, self.nextino)

    def newfile(self, path):
        self.names[path] = ("f", self.nextino)
        self.inodes[self.nextino] = b""
        self.nextino += 1

    def ino(self, path):
        return self.names[path][1]

    def links(self, ino):
        return [p for p, v in self.names.items() if v == ("f", ino)]

    def files(self):
        """path -> bytes, and the directories."""
        return ({p: self.inodes[v[1]] for p, v in self.names.items() if v[0] == "f"},
                {p for p, v in self.names.items() if v[0] == "d"})


def apply(state, op):
    """The state after op, done completely."""
    kind, a = op
    s = state.copy()
    if kind == "mkdir":
        s.names[a[0]] = ("d",)
    elif kind in ("rmdir", "unlink"):
        del s.names[a[0]]
    elif kind == "create":
        if a[0] not in s.names:
            s.newfile(a[0])
    elif kind == "trunc":
        s.inodes[s.ino(a[0])] = b""
    elif kind == "write":
        if a[0] not in s.names:
            s.newfile(a[0])
        s.inodes[s.ino(a[0])] = content(int(a[1]), int(a[2]))
    elif kind == "over":
        old = s.inodes[s.ino(a[0])]
        new = content(int(a[1]), int(a[2]))
        s.inodes[s.ino(a[0])] = new + old[len(new):]
    elif kind == "link":
        s.names[a[1]] = s.names[a[0]]
    elif kind == "rename":
        rename(s, a[0], a[1])
    else:
        raise ValueError("unknown operation %r" % (op,))
    return s


def rename(s, old, new):
    if s.names.get(new) == s.names[old] and s.names[old][0] == "f":
        return                               # two links of one inode: nothing happens
    s.names.pop(new, None)                   # a replaced file or empty directory
    for p in [p for p in s.names if p == old or p.startswith(old + "/")]:
        s.names[new + p[len(old):]] = s.names.pop(p)


# ---------------------------------------------------------------- matching

def _prefix_len(a, b):
    """Length of the longest common prefix of a and b (binary search on slices)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _suffix_from(c, old):
    """Smallest k with c[k:] == old[k:] (len(c) == len(old))."""
    lo, hi = 0, len(c)
    while lo < hi:
        mid = (lo + hi) // 2
        if c[mid:] == old[mid:]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def write_allowed(c, op, old):
    """May file bytes c be seen while write/over op runs on a file holding old
    (None: the file did not exist)?"""
    kind, a = op
    new = content(int(a[1]), int(a[2]))
    if kind == "write":
        return (old is not None and c == old) or (len(c) <= len(new) and new[:len(c)] == c)
    if len(c) > len(old):                   # the write went past the old end
        return len(c) <= len(new) and new[:len(c)] == c
    if len(c) != len(old):
        return False
    return _suffix_from(c, old) <= min(_prefix_len(c, new), len(new))


def same(dump, state):
    files, dirs = state.files()
    return dump[0] == files and dump[1] == dirs


def same_in_flight(dump, state, op):
    """dump = state with the write/over op part done."""
    kind, a = op
    if kind not in ("write", "over"):
        return False
    path = a[0]
    files, dirs = state.files()
    if dump[1] != dirs:
        return False
    names = state.links(state.ino(path)) if path in state.names else [path]
    rest = {p: v for p, v in files.items() if p not in names}
    if {p: v for p, v in dump[0].items() if p not in names} != rest:
        return False
    got = [dump[0].get(p) for p in names]
    if path not in state.names and got == [None]:
        return True                          # the create had not committed
    if any(g is None or g != got[0] for g in got):
        return False
    return write_allowed(got[0], op, files.get(path))


def find_state(dump, plan, acked):
    """The j (>= acked) whose state, or state with op j+1 in flight, the dump
    shows: (j, "done") or (j, "in flight"); None if there is none.
    dump = ({path: bytes}, {dirs}) for /cw and below."""
    s = State()
    for j in range(0, len(plan) + 1):
        if j > 0:
            s = apply(s, plan[j])
        if j < acked:
            continue
        if same(dump, s):
            return j, "done"
        if j < len(plan) and same_in_flight(dump, s, plan[j + 1]):
            return j, "in flight"
    return None


def explain(dump, plan, j):
    """What differs between the dump and state(j): a few lines."""
    s = State()
    for k in range(1, j + 1):
        s = apply(s, plan[k])
    files, dirs = s.files()
    out = []
    for p in sorted(set(files) | set(dump[0])):
        want, got = files.get(p), dump[0].get(p)
        if want is None:
            out.append("%s: on disk (%d bytes) but not in state %d" % (p, len(got), j))
        elif got is None:
            out.append("%s: missing (state %d has %d bytes)" % (p, j, len(want)))
        elif want != got:
            out.append("%s: %d bytes, want %d; first difference at byte %d" % (
                p, len(got), len(want), _prefix_len(got, want)))
    for d in sorted(dirs ^ dump[1]):
        out.append("%s/: directory %s" % (d, "missing" if d in dirs else "not in the state"))
    return out
