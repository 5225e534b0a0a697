#!/usr/bin/env python3
"""Tests of build/fsck on the host: images made with build/mkfs, a clean one checked,
then copies damaged in each way fsck looks for (and committed logs whose replay fixes
or causes a problem), each of which fsck must name; and random bytes in inode, bitmap,
directory, index and log blocks, on which fsck must never crash (it runs here built
with AddressSanitizer and UndefinedBehaviorSanitizer when the host compiler has them).

Runnable as `python3 tools/test_fsck.py` after `make` (build/mkfs and build/fsck)."""
import hashlib, os, random, re, shutil, struct, subprocess, sys, tempfile, unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fsimage  # noqa: E402
from fsimage import BSIZE, NDIRECT, NINDIRECT, MAXFILE, ROOTINO, T_DIR, T_FILE, Image  # noqa: E402

ROOT = fsimage.ROOT
# The tree put into every test image: name -> size in bytes. big.bin reaches the
# doubly-indirect range (more than NDIRECT + NINDIRECT = 267 blocks).
FILES = {"hello.txt": 100, "five.bin": 5 * BSIZE, "big.bin": 300 * BSIZE + 17,
         "a/one.txt": 2000, "a/b/two.txt": 30000, "a/b/empty": 0}
GARBAGE_RUNS = 40          # random-bytes images per kind of block


def content(name, size):
    r = random.Random(name)
    return bytes(r.getrandbits(8) for _ in range(size))


class Fsck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in (fsimage.MKFS, fsimage.FSCK):
            if not os.path.exists(tool):
                raise unittest.SkipTest("%s missing: run make first" % tool)
        cls.tmp = tempfile.mkdtemp(prefix="test_fsck.")
        src = os.path.join(cls.tmp, "src")
        args = []
        for name, size in FILES.items():
            path = os.path.join(src, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(content(name, size))
            args.append("%s=%s" % (name, path))
        cls.clean = os.path.join(cls.tmp, "clean.img")
        subprocess.run([fsimage.MKFS, cls.clean] + args, check=True, capture_output=True)
        cls.fsck_bin = cls.sanitized_fsck()
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def sanitized_fsck(cls):
        """fsck built with ASan + UBSan (any finding aborts), or build/fsck."""
        out = os.path.join(cls.tmp, "fsck-asan")
        r = subprocess.run(["cc", "-g", "-O1", "-fsanitize=address,undefined",
                            "-fno-sanitize-recover=all", "-I", os.path.join(ROOT, "Kernel"),
                            "-o", out, os.path.join(ROOT, "tools", "fsck.c")],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print("test_fsck: no sanitizer build (%s); using build/fsck" % r.stderr.strip()[-200:])
            return fsimage.FSCK
        return out

    # ---------------------------------------------------------------- helpers
    def copy(self):
        Fsck.n += 1
        path = os.path.join(self.tmp, "img%d.img" % Fsck.n)
        fsimage.sparse_copy(self.clean, path)
        return path

    def fsck(self, image, *args):
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
        r = subprocess.run([self.fsck_bin] + list(args) + [image], capture_output=True,
                           text=True, timeout=120, env=env)
        self.assertNotIn("runtime error", r.stderr)
        self.assertNotIn("Sanitizer", r.stderr)
        self.assertIn(r.returncode, (0, 1, 2), "fsck crashed: %s" % (r.stdout + r.stderr)[-2000:])
        return r.returncode, r.stdout

    def damaged(self, damage):
        """fsck's status and output on a copy of the clean image after damage(img)."""
        path = self.copy()
        with Image(path) as img:
            damage(img)
        return self.fsck(path)

    def assertProblem(self, damage, *patterns, status=1):
        rc, out = self.damaged(damage)
        self.assertEqual(rc, status, out)
        for p in patterns:
            self.assertRegex(out, p)
        self.assertRegex(out.splitlines()[-1], r"^fsck: .*: %s" % (
            r"\d+ problems" if status == 1 else "cannot check" if status == 2 else "clean"))
        return out

    def ino(self, img, path):
        return img.lookup(path)

    def lookup(self, path):
        """Inode number of path in the clean image (for patterns made before damage)."""
        with Image(self.clean, writable=False) as img:
            return img.lookup(path)

    def sha(self, path):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    # ---------------------------------------------------------------- clean
    def test_clean_image(self):
        rc, out = self.fsck(self.clean)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"clean: 9 inodes in use, 0 orphans, \d+ of 131072 blocks in use; log: empty")

    def test_verbose_lists_checks_and_inodes(self):
        rc, out = self.fsck(self.clean, "-v")
        self.assertEqual(rc, 0)
        for what in ("superblock:", "log: empty", "directories:", "blocks:", "links:", "bitmap:"):
            self.assertIn(what, out)
        self.assertRegex(out, r"inode \d+: file, nlink 1, size %d, /big.bin" % FILES["big.bin"])
        self.assertRegex(out, r"inode \d+: directory, nlink 2, size 64, /a\n")

    def test_dump_matches_sources(self):
        d = os.path.join(self.tmp, "dump")
        rc, out = self.fsck(self.clean, "--dump", d)
        self.assertEqual(rc, 0, out)
        for name, size in FILES.items():
            with open(os.path.join(d, name), "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(),
                                 hashlib.sha256(content(name, size)).hexdigest(), name)
        self.assertTrue(os.path.isdir(os.path.join(d, "a", "b")))

    def test_image_never_written_without_recover(self):
        path = self.copy()
        with Image(path) as img:
            img.set_inode(self.ino(img, "/hello.txt"), nlink=3)
        before = self.sha(path)
        self.fsck(path)
        self.fsck(path, "-v", "--dump", os.path.join(self.tmp, "dump-nw"))
        self.assertEqual(before, self.sha(path))

    # ---------------------------------------------------------------- superblock
    def test_bad_magic_is_unusable(self):
        self.assertProblem(lambda img: img.patch(1, 0, b"\0\0\0\0"), r"no xv6 file system", status=2)

    def test_size_past_image_is_unusable(self):
        self.assertProblem(lambda img: img.patch(1, 4, struct.pack("<I", 200000)),
                           r"says 200000 blocks but the image holds 131072", status=2)

    def test_regions_out_of_order_are_unusable(self):
        self.assertProblem(lambda img: img.patch(1, 28, struct.pack("<I", 100)),
                           r"regions out of order", status=2)

    def test_short_log_is_unusable(self):
        self.assertProblem(lambda img: img.patch(1, 16, struct.pack("<I", 10)),
                           r"log of 10 blocks", status=2)

    def test_truncated_and_empty_files_are_unusable(self):
        path = self.copy()
        os.truncate(path, 100 * BSIZE)
        rc, out = self.fsck(path)
        self.assertEqual(rc, 2, out)
        os.truncate(path, 0)
        rc, out = self.fsck(path)
        self.assertEqual(rc, 2, out)
        rc, out = self.fsck(os.path.join(self.tmp, "no-such.img"))
        self.assertEqual(rc, 2, out)

    def test_wrong_nblocks(self):
        self.assertProblem(lambda img: img.patch(1, 8, struct.pack("<I", 5)),
                           r"superblock: nblocks 5, but the data area holds \d+ blocks")

    # ---------------------------------------------------------------- inodes
    def test_bad_type(self):
        v = self.lookup("/hello.txt")
        out = self.assertProblem(lambda img: img.set_inode(v, type=7),
                                 r"inode %d: type 7 is not a directory, file or device" % v)
        # its entry no longer names a usable inode, its block nobody's
        self.assertRegex(out, r"block \d+: marked in use but no inode owns it")

    def test_size_past_maxfile(self):
        v = self.lookup("/five.bin")
        self.assertProblem(lambda img: img.set_inode(v, size=MAXFILE * BSIZE + 1),
                           r"inode %d: size %d is past the largest file" % (v, MAXFILE * BSIZE + 1))

    def test_address_outside_data_area(self):
        def damage(img):
            v = self.ino(img, "/five.bin")
            a = img.inode(v)["addrs"]
            a[2] = img.inodestart          # an inode block
            a[3] = img.size + 10           # past the disk
            img.set_inode(v, addrs=a)
        out = self.assertProblem(damage,
                                 r"inode \d+ /five.bin: file block 2 has address \d+, outside the data area",
                                 r"inode \d+ /five.bin: file block 3 has address 131082, outside")
        # the blocks those addresses replaced are now marked but unowned
        self.assertEqual(len(re.findall(r"marked in use but no inode owns it", out)), 2)

    def test_bad_index_entries(self):
        def damage(img):
            big = self.ino(img, "/big.bin")
            top = img.inode(big)["addrs"][NDIRECT + 1]
            mid = img.index(top)[0]
            e = img.index(mid)
            e[5] = 3                      # the log area
            img.write_block(mid, struct.pack("<%dI" % NINDIRECT, *e))
        self.assertProblem(damage, r"/big.bin: file block %d has address 3, outside the data area"
                           % (NDIRECT + NINDIRECT + 5))

    def test_block_past_size(self):
        def damage(img):
            img.set_inode(self.ino(img, "/five.bin"), size=1500)   # 2 blocks' worth of 5
        out = self.assertProblem(damage, r"/five.bin: file block 2 \(block \d+\) is past its size \(1500 bytes\)")
        self.assertIn("file block 4", out)
        self.assertNotIn("file block 1 ", out)

    def test_block_owned_by_two_inodes(self):
        def damage(img):
            one, two = self.ino(img, "/a/one.txt"), self.ino(img, "/hello.txt")
            a = img.inode(two)["addrs"]
            a[0] = img.inode(one)["addrs"][0]
            img.set_inode(two, addrs=a)
        self.assertProblem(damage, r"block \d+: owned by inode \d+ /(a/one|hello).txt and by inode \d+ /(hello|a/one).txt",
                           r"marked in use but no inode owns it")

    def test_block_twice_in_one_inode(self):
        def damage(img):
            v = self.ino(img, "/five.bin")
            a = img.inode(v)["addrs"]
            a[3] = a[1]
            img.set_inode(v, addrs=a)
        self.assertProblem(damage, r"block \d+: listed twice in inode \d+ /five.bin \(again as file block 3\)")

    def test_index_block_shared(self):
        def damage(img):
            big, two = self.ino(img, "/big.bin"), self.ino(img, "/a/b/two.txt")
            a = img.inode(two)["addrs"]
            a[NDIRECT] = img.inode(big)["addrs"][NDIRECT]
            img.set_inode(two, addrs=a, size=400 * BSIZE)
        self.assertProblem(damage, r"owned by inode \d+ /big.bin and by inode \d+ /a/b/two.txt "
                           r"\(as indirect block")

    # ---------------------------------------------------------------- bitmap
    def test_owned_block_marked_free(self):
        with Image(self.clean, writable=False) as img:
            b = img.bmap(img.lookup("/big.bin"), 280)
        self.assertProblem(lambda img: img.mark(b, False),
                           r"block %d: owned by inode \d+ /big.bin but marked free" % b)

    def test_free_block_marked(self):
        self.assertProblem(lambda img: img.mark(img.size - 3, True),
                           r"block 131069: marked in use but no inode owns it")

    def test_metadata_not_marked(self):
        def damage(img):
            img.mark(img.inodestart + 2, False)
            img.mark(img.logstart + 5, False)
            img.mark(img.bmapstart, False)
        self.assertProblem(damage, r"\(inode block\): not marked in use", r"\(log\): not marked",
                           r"\(bitmap block\): not marked")

    # ---------------------------------------------------------------- directories
    def test_dir_size_not_multiple(self):
        def damage(img):
            img.set_inode(self.ino(img, "/a"), size=64 + 3)
        self.assertProblem(damage, r"directory \d+ /a: size 67 is not a multiple of the entry size")

    def test_dot_names_another(self):
        def damage(img):
            a = self.ino(img, "/a")
            img.set_entry(a, 0, inum=ROOTINO)
        self.assertProblem(damage, r"directory \d+ /a: \"\.\" is entry 0 and names inode 1")

    def test_missing_dot_and_dotdot(self):
        def damage(img):
            a = self.ino(img, "/a/b")
            img.set_entry(a, 0, inum=0)
            img.set_entry(a, 16, name="dd")
        self.assertProblem(damage, r"directory \d+ /a/b: no \"\.\" entry")

    def test_dotdot_names_wrong_parent(self):
        def damage(img):
            img.set_entry(self.ino(img, "/a/b"), 16, inum=ROOTINO)
        self.assertProblem(damage, r"directory \d+ /a/b: \"\.\.\" names inode 1, but its parent is \d+ /a")

    def test_root_dotdot_names_itself(self):
        def damage(img):
            img.set_entry(ROOTINO, 16, inum=self.ino(img, "/a"))
        self.assertProblem(damage, r"directory 1 /: \"\.\.\" names inode \d+, but its parent is 1 /")

    def test_entry_names_free_inode(self):
        def damage(img):
            off = img.entry_of(ROOTINO, "hello.txt")[0]
            img.set_entry(ROOTINO, off, inum=500)
        self.assertProblem(damage, r"directory 1 /: entry \"hello.txt\" names inode 500, which is free",
                           r"not reachable from the root")

    def test_entry_inum_out_of_range(self):
        def damage(img):
            off = img.entry_of(self.ino(img, "/a"), "one.txt")[0]
            img.set_entry(self.ino(img, "/a"), off, inum=60000)
        self.assertProblem(damage, r"/a: entry \"one.txt\" names inode 60000, past the last \(1023\)")

    def test_bad_and_duplicate_names(self):
        def damage(img):
            off = img.entry_of(ROOTINO, "five.bin")[0]
            img.set_entry(ROOTINO, off, name="hello.txt")
            off = img.entry_of(ROOTINO, "big.bin")[0]
            img.set_entry(ROOTINO, off, name="x/y")
        self.assertProblem(damage, r"directory 1 /: holds the name \"hello.txt\" more than once",
                           r"directory 1 /: entry \d+ has a bad name \"x/y\"")

    def test_directory_named_twice(self):
        def damage(img):
            off = img.entry_of(ROOTINO, "hello.txt")[0]
            img.set_entry(ROOTINO, off, inum=self.ino(img, "/a/b"), name="again")
        self.assertProblem(damage, r"directory \d+ /again: named by 2 entries; a directory has exactly one",
                           r"directory 1 /: nlink 2, want 3",
                           r"inode \d+ \(file, nlink 1, size 100\): not reachable from the root")

    def test_directory_cycle_ends(self):
        def damage(img):
            b = self.ino(img, "/a/b")
            off = img.entry_of(b, "two.txt")[0]
            img.set_entry(b, off, inum=self.ino(img, "/a"), name="loop")
        self.assertProblem(damage, r"directory \d+ /a: named by 2 entries")

    # ---------------------------------------------------------------- links, reachability
    def test_file_nlink_too_high_and_low(self):
        def damage(img):
            img.set_inode(self.ino(img, "/hello.txt"), nlink=2)
            img.set_inode(self.ino(img, "/a/one.txt"), nlink=0)
        self.assertProblem(damage, r"inode \d+ /hello.txt: nlink 2, but 1 directory entries name it",
                           r"inode \d+ /a/one.txt: nlink 0 but named by 1 entries")

    def test_dir_nlink(self):
        def damage(img):
            img.set_inode(self.ino(img, "/a"), nlink=1)
        self.assertProblem(damage, r"directory \d+ /a: nlink 1, want 2 \(1 \+ 1 subdirectories\)")

    def test_unreachable_file(self):
        def damage(img):
            off = img.entry_of(ROOTINO, "five.bin")[0]
            img.set_entry(ROOTINO, off, inum=0)
        self.assertProblem(damage, r"inode \d+: nlink 1, but 0 directory entries name it",
                           r"inode \d+ \(file, nlink 1, size 5120\): not reachable from the root")

    def test_unreachable_directory_tree(self):
        def damage(img):
            a = self.ino(img, "/a")
            off = img.entry_of(a, "b")[0]
            img.set_entry(a, off, inum=0)
        out = self.assertProblem(damage, r"directory \d+: named by 0 entries",
                                 r"\(directory, nlink 1, size \d+\): not reachable")
        self.assertEqual(len(re.findall(r"not reachable", out)), 3)   # b, two.txt, empty

    def test_orphan_is_not_a_problem(self):
        v = self.lookup("/big.bin")

        def damage(img):
            off = img.entry_of(ROOTINO, "big.bin")[0]
            img.set_entry(ROOTINO, off, inum=0)
            img.set_inode(v, nlink=0)
        rc, out = self.damaged(damage)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"orphan: inode %d \(file, size %d\): nlink 0, the next boot frees it"
                         % (v, FILES["big.bin"]))
        self.assertRegex(out, r"clean: 9 inodes in use, 1 orphans")

    def test_orphan_blocks_still_owned(self):
        def damage(img):
            v = self.ino(img, "/five.bin")
            img.set_entry(ROOTINO, img.entry_of(ROOTINO, "five.bin")[0], inum=0)
            img.set_inode(v, nlink=0)
            a = img.inode(self.ino(img, "/hello.txt"))["addrs"]
            a[1] = img.inode(v)["addrs"][0]
            img.set_inode(self.ino(img, "/hello.txt"), addrs=a)
        self.assertProblem(damage, r"block \d+: owned by inode \d+ /hello.txt and by inode \d+ \(as file block 0\)",
                           r"/hello.txt: file block 1 \(block \d+\) is past its size")

    def test_orphan_being_freed_is_not_a_problem(self):
        """A crash while iput frees a big orphan in steps: size 0, blocks left."""
        def damage(img):
            v = self.ino(img, "/big.bin")
            img.set_entry(ROOTINO, img.entry_of(ROOTINO, "big.bin")[0], inum=0)
            img.set_inode(v, nlink=0, size=0)
        rc, out = self.damaged(damage)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"clean: 9 inodes in use, 1 orphans")

    def test_removed_directory_without_dotdot_is_not_a_problem(self):
        """unlink takes a removed directory's ".." away; "." stays (someone's cwd)."""
        def damage(img):
            b = self.ino(img, "/a/b")
            a = self.ino(img, "/a")
            for name in ("two.txt", "empty"):      # open files, removed
                img.set_inode(self.ino(img, "/a/b/" + name), nlink=0)
            for name in ("two.txt", "empty", ".."):
                img.set_entry(b, img.entry_of(b, name)[0], inum=0)
            img.set_entry(a, img.entry_of(a, "b")[0], inum=0)
            img.set_inode(b, nlink=0)
            img.set_inode(a, nlink=1)
        rc, out = self.damaged(damage)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"orphan: inode \d+ \(directory, size \d+\)")

    def test_removed_directory_with_entries(self):
        def damage(img):
            b = self.ino(img, "/a/b")
            a = self.ino(img, "/a")
            img.set_entry(a, img.entry_of(a, "b")[0], inum=0)
            img.set_inode(b, nlink=0)
            img.set_inode(a, nlink=1)
        self.assertProblem(damage, r"directory \d+: removed \(nlink 0, freed at the next boot\) "
                           r"but still names \"two.txt\"")

    def test_root_not_a_directory(self):
        self.assertProblem(lambda img: img.set_inode(ROOTINO, type=T_FILE),
                           r"inode 1, the root, is not a directory")

    # ---------------------------------------------------------------- log
    def fixed_by_log(self, img):
        """Damage an inode at home; put the right inode block in a committed log."""
        v = self.ino(img, "/hello.txt")
        blk, _ = img.inode_at(v)
        good = img.block(blk)
        img.set_inode(v, type=9)
        img.set_log([blk], [good])

    def test_committed_log_replay_fixes(self):
        path = self.copy()
        with Image(path) as img:
            self.fixed_by_log(img)
        before = self.sha(path)
        rc, out = self.fsck(path)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"clean: .*log: committed, 1 blocks replayed")
        self.assertEqual(before, self.sha(path),
                         "fsck wrote the image without --recover")
        rc, out = self.fsck(path, "--recover")
        self.assertEqual(rc, 0, out)
        rc, out = self.fsck(path)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"log: empty")
        with Image(path) as img:
            self.assertEqual(img.inode(img.lookup("/hello.txt"))["type"], T_FILE)

    def test_committed_log_replay_causes_problem(self):
        def damage(img):
            v = self.ino(img, "/five.bin")
            blk, off = img.inode_at(v)
            bad = img.block(blk)
            bad[off + 6:off + 8] = struct.pack("<h", 4)            # nlink 4
            img.set_log([blk], [bad])
        self.assertProblem(damage, r"/five.bin: nlink 4, but 1 directory entries name it",
                           r"log: committed, 1 blocks replayed")

    def test_uncommitted_log_is_ignored(self):
        def damage(img):
            self.fixed_by_log(img)
            img.patch(img.logstart, 0, struct.pack("<i", 0))        # header n = 0
        self.assertProblem(damage, r"type 9 is not a directory", r"log: empty")

    def test_damaged_log_header(self):
        self.assertProblem(lambda img: img.patch(img.logstart, 0, struct.pack("<i", 1000)),
                           r"log: header says 1000 blocks \(at most \d+\): damaged",
                           r"log: damaged header, ignored")

    def test_log_entry_outside(self):
        def damage(img):
            img.set_log([img.size + 7, 1], [bytes(BSIZE), bytes(BSIZE)])
        self.assertProblem(damage, r"log: entry 0 names block 131079, outside the file system",
                           r"log: entry 1 names block 1, outside")

    # ---------------------------------------------------------------- garbage
    def garbage(self, pick, seed0):
        """Random bytes into the blocks pick(img, rnd) chooses; fsck must not crash."""
        statuses = {}
        for seed in range(seed0, seed0 + GARBAGE_RUNS):
            rnd = random.Random(seed)
            path = self.copy()
            with Image(path) as img:
                for b in pick(img, rnd):
                    data = bytearray(img.block(b))
                    n = rnd.choice((1, 8, 64, BSIZE))
                    at = rnd.randrange(0, BSIZE - n + 1)
                    data[at:at + n] = bytes(rnd.getrandbits(8) for _ in range(n))
                    img.write_block(b, data)
            rc, out = self.fsck(path, "-v", "--dump", os.path.join(self.tmp, "gdump%d" % seed))
            self.assertRegex(out.splitlines()[-1], r"^fsck: ", out[-500:])
            statuses[rc] = statuses.get(rc, 0) + 1
            os.unlink(path)
            if os.environ.get("TEST_FSCK_SHOW"):
                print(seed, rc, out.splitlines()[-1][-150:])
            shutil.rmtree(os.path.join(self.tmp, "gdump%d" % seed), ignore_errors=True)
        return statuses

    def test_garbage_inode_blocks(self):
        s = self.garbage(lambda img, r: [img.inodestart + r.randrange(0, 2) for _ in range(r.randint(1, 3))], 100)
        self.assertGreater(s.get(1, 0), 0)

    def test_garbage_bitmap_blocks(self):
        s = self.garbage(lambda img, r: [img.bmapstart + r.randrange(0, 2)], 200)
        self.assertGreater(s.get(1, 0), 0)

    def test_garbage_directory_blocks(self):
        def pick(img, r):
            d = r.choice(["/", "/a", "/a/b"])
            return [img.bmap(img.lookup(d), 0)]
        self.garbage(pick, 300)

    def test_garbage_index_blocks(self):
        def pick(img, r):
            a = img.inode(img.lookup("/big.bin"))["addrs"]
            top = a[NDIRECT + 1]
            return [r.choice([a[NDIRECT], top, img.index(top)[0]])]
        s = self.garbage(pick, 400)
        self.assertGreater(s.get(1, 0), 0)

    def test_garbage_log(self):
        def pick(img, r):
            # a plausible committed header, then random bytes in it and its blocks
            n = r.randint(1, 20)
            meta = [img.inodestart, img.inodestart + 1, img.bmapstart, img.bmap(ROOTINO, 0)]
            homes = [r.choice(meta) if r.random() < 0.5 else r.randrange(0, img.size + 100)
                     for _ in range(n)]
            img.set_log(homes, [bytes(r.getrandbits(8) for _ in range(BSIZE)) for _ in range(n)])
            return [img.logstart] if r.random() < 0.3 else []
        self.garbage(pick, 500)

    def test_garbage_superblock(self):
        s = self.garbage(lambda img, r: [1], 600)
        self.assertGreater(s.get(2, 0), 0)


if __name__ == "__main__":
    unittest.main(verbosity=1)
