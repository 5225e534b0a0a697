#!/usr/bin/env python3
"""Tests of tools/crash/model.py without QEMU: that the crash checker accepts the
states a crash may leave and refuses the ones it must not (a lost acknowledged
operation, garbage or zeros in a write, a half-done rename). Runnable as
`python3 tools/crash/test_model.py`; make test runs it."""
import os, sys, unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model  # noqa: E402

PLAN = """P 0 1 mkdir /cw/w0
P 0 2 write /cw/w0/f0 2 5000 1000
P 0 3 mkdir /cw/w0/d1
P 0 4 link /cw/w0/f0 /cw/w0/d1/f1
P 0 5 write /cw/w0/f2 5 300000 16384
P 0 6 rename /cw/w0/f2 /cw/w0/f0
P 0 7 over /cw/w0/d1/f1 7 3000 4096
P 0 8 rename /cw/w0/d1 /cw/w0/d2
P 0 9 write /cw/w0/d2/f1 9 100 512
P 0 10 unlink /cw/w0/d2/f1"""


def state(plan, j):
    s = model.State()
    for k in range(1, j + 1):
        s = model.apply(s, plan[k])
    return s


def dump_of(s):
    return s.files()


class Model(unittest.TestCase):
    def setUp(self):
        self.plan = model.parse_plans(PLAN.splitlines())[0]

    def find(self, dump, acked):
        return model.find_state(dump, self.plan, acked)

    def test_content_matches_crashwork(self):
        # pattern(ver, i) = (i * 2654435761) ^ (ver * 40503) ^ (i >> 7), 32 bits
        c = model.content(3, 10)
        self.assertEqual(c[:4], ((0 ^ (3 * 40503)) & 0xffffffff).to_bytes(4, "little"))
        self.assertEqual(c[4:8], ((2654435761 ^ (3 * 40503)) & 0xffffffff).to_bytes(4, "little"))
        self.assertEqual(len(c), 10)
        self.assertEqual(model.content(5, 300000)[:100], model.content(5, 100))

    def test_every_state_is_found(self):
        for j in range(0, 11):
            self.assertEqual(self.find(dump_of(state(self.plan, j)), j), (j, "done"))

    def test_more_done_than_acknowledged(self):
        self.assertEqual(self.find(dump_of(state(self.plan, 6)), 4), (6, "done"))

    def test_lost_acknowledged_operation(self):
        # op 6 (the rename) acknowledged, but the disk is as after op 5
        self.assertIsNone(self.find(dump_of(state(self.plan, 5)), 6))

    def test_write_prefix_accepted(self):
        s = state(self.plan, 4)
        files, dirs = s.files()
        for n in (0, 1024, 16384, 299999):
            files2 = dict(files, **{"/cw/w0/f2": model.content(5, 300000)[:n]})
            self.assertEqual(self.find((files2, dirs), 4), (4, "in flight"), n)
        self.assertEqual(self.find((files, dirs), 4), (4, "done"))   # not created yet

    def test_write_garbage_or_hole_refused(self):
        files, dirs = state(self.plan, 4).files()
        new = model.content(5, 300000)
        for bad in (new[:5000] + b"\0" * 1024, new[:2048] + b"x" + new[2049:4096],
                    b"\0" * 1024, new + b"\0"):
            files2 = dict(files, **{"/cw/w0/f2": bad})
            self.assertIsNone(self.find((files2, dirs), 4))

    def test_overwrite_in_flight(self):
        files, dirs = state(self.plan, 6).files()
        old = files["/cw/w0/d1/f1"]
        new = model.content(7, 3000)
        for k in (0, 1024, 2048, 3000):
            c = new[:k] + old[k:]
            files2 = dict(files, **{"/cw/w0/d1/f1": c})
            self.assertIsNotNone(self.find((files2, dirs), 6), k)
        # new bytes after old ones: never
        c = old[:1024] + new[1024:2048] + old[2048:]
        self.assertIsNone(self.find((dict(files, **{"/cw/w0/d1/f1": c}), dirs), 6))

    def test_links_agree(self):
        plan = model.parse_plans("""P 0 1 mkdir /cw/w0
P 0 2 write /cw/w0/a 2 5000 1000
P 0 3 link /cw/w0/a /cw/w0/b
P 0 4 write /cw/w0/b 4 3000 1000""".splitlines())[0]
        files, dirs = state(plan, 3).files()
        part = model.content(4, 3000)[:1000]
        self.assertEqual(model.find_state(({"/cw/w0/a": part, "/cw/w0/b": part}, dirs), plan, 3),
                         (3, "in flight"))
        self.assertIsNone(model.find_state(({"/cw/w0/a": files["/cw/w0/a"], "/cw/w0/b": part},
                                            dirs), plan, 3))

    def test_half_rename_refused(self):
        files, dirs = state(self.plan, 5).files()
        # both names, or neither
        both = dict(files, **{"/cw/w0/f0": files["/cw/w0/f2"]})
        self.assertIsNone(self.find((both, dirs), 5))
        neither = {p: v for p, v in files.items() if p not in ("/cw/w0/f2",)}
        neither.pop("/cw/w0/f0")
        self.assertIsNone(self.find((neither, dirs), 5))

    def test_directory_rename_moves_subtree(self):
        s = state(self.plan, 8)
        self.assertIn("/cw/w0/d2/f1", s.names)
        self.assertNotIn("/cw/w0/d1", s.names)
        files, dirs = s.files()
        dirs2 = (dirs - {"/cw/w0/d2"}) | {"/cw/w0/d1"}
        self.assertIsNone(self.find((files, dirs2), 8))

    def test_extra_file_refused(self):
        files, dirs = state(self.plan, 10).files()
        self.assertIsNone(self.find((dict(files, **{"/cw/w0/zz": b""}), dirs), 9))


if __name__ == "__main__":
    unittest.main(verbosity=1)
