"""The file system image from Python, for the tests that make, damage and check
images: tools/test_fsck.py, the integration harness (a private disk per guest,
checked with build/fsck when it ends) and the crash tests (tools/crash/).

The layout is Kernel/fs.h's (xv6's, with a doubly-indirect block); the constants
below must follow it. Nothing here checks an image: build/fsck does that."""
import os, re, struct, subprocess

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
FSCK = os.path.join(ROOT, "build", "fsck")
MKFS = os.path.join(ROOT, "build", "mkfs")

BSIZE = 1024
NDIRECT = 11
NINDIRECT = BSIZE // 4
MAXFILE = NDIRECT + NINDIRECT + NINDIRECT * NINDIRECT
ROOTINO = 1
T_DIR, T_FILE, T_DEVICE = 1, 2, 3
DINODE = struct.Struct("<hhhhI%dI" % (NDIRECT + 2))     # type major minor nlink size addrs
IPB = BSIZE // DINODE.size
DIRENT = struct.Struct("<H14s")
SUPER = struct.Struct("<8I")   # magic size nblocks ninodes nlog logstart inodestart bmapstart


def sparse_copy(src, dst):
    """Copy src to dst, writing only its data extents: a 128 MiB image with a
    few MiB in use copies in milliseconds and takes no more disk than that."""
    with open(src, "rb") as f, open(dst, "wb") as g:
        size = os.fstat(f.fileno()).st_size
        pos = 0
        while pos < size:
            try:
                data = os.lseek(f.fileno(), pos, os.SEEK_DATA)
            except OSError:          # no data after pos
                break
            hole = os.lseek(f.fileno(), data, os.SEEK_HOLE)
            f.seek(data)
            g.seek(data)
            left = hole - data
            while left > 0:
                chunk = f.read(min(left, 1 << 20))
                if not chunk:
                    break
                g.write(chunk)
                left -= len(chunk)
            pos = hole
        g.truncate(size)


def run_fsck(image, *args, timeout=120):
    """build/fsck on image: (exit status, output lines)."""
    r = subprocess.run([FSCK] + list(args) + [image], capture_output=True, text=True,
                       timeout=timeout)
    return r.returncode, (r.stdout + r.stderr).splitlines()


def fsck_summary(lines):
    """The summary line's fields: problems, log state ('empty', 'committed N',
    'damaged'), orphans. None if there is no summary (a crash of fsck)."""
    for line in reversed(lines):
        m = re.match(r"fsck: .*: (clean|(\d+) problems \(.*\)): (\d+) inodes in use, "
                     r"(\d+) orphans, (\d+) of (\d+) blocks in use; log: (.*)$", line)
        if m:
            log = m.group(7)
            c = re.match(r"committed, (\d+) blocks", log)
            return {"problems": int(m.group(2) or 0), "orphans": int(m.group(4)),
                    "inodes": int(m.group(3)), "blocks": int(m.group(5)),
                    "log": "committed" if c else ("damaged" if "damaged" in log else "empty"),
                    "log_blocks": int(c.group(1)) if c else 0}
    return None


class Image:
    """An image file opened for reading and writing blocks, inodes, entries and
    bitmap bits. Writes go straight to the file."""

    def __init__(self, path, writable=True):
        self.path = path
        self.f = open(path, "r+b" if writable else "rb")
        (self.magic, self.size, self.nblocks, self.ninodes, self.nlog, self.logstart,
         self.inodestart, self.bmapstart) = SUPER.unpack(self.block(1)[:SUPER.size])
        self.datastart = self.bmapstart + (self.size + BSIZE * 8 - 1) // (BSIZE * 8)

    def close(self):
        self.f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def block(self, b):
        self.f.seek(b * BSIZE)
        return bytearray(self.f.read(BSIZE).ljust(BSIZE, b"\0"))

    def write_block(self, b, data):
        assert len(data) == BSIZE
        self.f.seek(b * BSIZE)
        self.f.write(bytes(data))
        self.f.flush()

    def patch(self, b, off, data):
        blk = self.block(b)
        blk[off:off + len(data)] = data
        self.write_block(b, blk)

    # -- inodes
    def inode_at(self, inum):
        return self.inodestart + inum // IPB, (inum % IPB) * DINODE.size

    def inode(self, inum):
        """dict: type major minor nlink size addrs"""
        b, off = self.inode_at(inum)
        v = DINODE.unpack(self.block(b)[off:off + DINODE.size])
        return {"type": v[0], "major": v[1], "minor": v[2], "nlink": v[3], "size": v[4],
                "addrs": list(v[5:])}

    def set_inode(self, inum, **fields):
        d = self.inode(inum)
        d.update(fields)
        b, off = self.inode_at(inum)
        self.patch(b, off, DINODE.pack(d["type"], d["major"], d["minor"], d["nlink"],
                                       d["size"], *d["addrs"]))

    def index(self, b):
        return list(struct.unpack("<%dI" % NINDIRECT, self.block(b)))

    def bmap(self, inum, bn):
        """Disk address of file block bn of inode inum (0: hole)."""
        a = self.inode(inum)["addrs"]
        if bn < NDIRECT:
            return a[bn]
        bn -= NDIRECT
        if bn < NINDIRECT:
            return self.index(a[NDIRECT])[bn] if a[NDIRECT] else 0
        bn -= NINDIRECT
        if not a[NDIRECT + 1]:
            return 0
        mid = self.index(a[NDIRECT + 1])[bn // NINDIRECT]
        return self.index(mid)[bn % NINDIRECT] if mid else 0

    # -- directories
    def entries(self, dinum):
        """[(offset, inum, name)] of directory dinum, empty slots included."""
        size = self.inode(dinum)["size"]
        out = []
        for off in range(0, size - size % DIRENT.size, DIRENT.size):
            b = self.bmap(dinum, off // BSIZE)
            raw = self.block(b)[off % BSIZE:off % BSIZE + DIRENT.size] if b else bytes(16)
            inum, name = DIRENT.unpack(raw)
            out.append((off, inum, name.rstrip(b"\0").decode("latin-1")))
        return out

    def lookup(self, path):
        """Inode number of an absolute path, or None."""
        inum = ROOTINO
        for part in [p for p in path.split("/") if p]:
            found = [e for e in self.entries(inum) if e[1] and e[2] == part]
            if not found:
                return None
            inum = found[0][1]
        return inum

    def entry_of(self, dinum, name):
        return [e for e in self.entries(dinum) if e[1] and e[2] == name][0]

    def set_entry(self, dinum, off, inum=None, name=None):
        b = self.bmap(dinum, off // BSIZE)
        raw = self.block(b)[off % BSIZE:off % BSIZE + DIRENT.size]
        old_inum, old_name = DIRENT.unpack(raw)
        self.patch(b, off % BSIZE, DIRENT.pack(old_inum if inum is None else inum,
                                                old_name if name is None else name.encode()))

    # -- bitmap
    def bit_at(self, b):
        return self.bmapstart + b // (BSIZE * 8), (b % (BSIZE * 8)) // 8, 1 << (b % 8)

    def marked(self, b):
        blk, byte, mask = self.bit_at(b)
        return bool(self.block(blk)[byte] & mask)

    def mark(self, b, used):
        blk, byte, mask = self.bit_at(b)
        data = self.block(blk)
        data[byte] = (data[byte] | mask) if used else (data[byte] & ~mask)
        self.write_block(blk, data)

    # -- log
    def set_log(self, homes, datas):
        """Write a committed log: header n = len(homes), block i goes to homes[i]."""
        for i, d in enumerate(datas):
            self.write_block(self.logstart + 1 + i, d)
        hdr = struct.pack("<i%di" % len(homes), len(homes), *homes)
        self.write_block(self.logstart, hdr.ljust(BSIZE, b"\0"))
