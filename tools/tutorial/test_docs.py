#!/usr/bin/env python3
"""The drift check's own tests (make test runs them before `docs.py --check`): what a
shape keeps and what it forgets, code excerpts by regex and brace, lab markers left
out, and a chapter whose block was edited by hand (or whose code moved on) reported as
drift while one whose numbers changed is not. No guest is booted."""
import os, subprocess, sys, tempfile, unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import docs, figures  # noqa: E402

TABLE = """| ms | direction | flags | seq |
|---|---|---|---|
| 0.00 | host → guest | SYN | 0 |
| 1.52 | guest → host | SYN,ACK | 0 |
"""


class Shapes(unittest.TestCase):
    def test_numbers_forgotten(self):
        other = TABLE.replace("1.52", "13.7").replace("| 0 |\n| 1", "| 12345 |\n| 1")
        self.assertEqual(figures.shape(TABLE, "numbers"), figures.shape(other, "numbers"))
        for a, b in (("10.0.2.15/24", "10.0.2.99/8"), ("0xadc9825f", "0x578efb96"),
                     ("fe80::5054:ff:fe12:3456", "fe80::1"), ("52:54:00:12:34:56", "52:55:0a:00:02:02")):
            self.assertEqual(figures.normalize("at %s now" % a), figures.normalize("at %s now" % b))

    def test_frames_and_fields_kept(self):
        for edited in (TABLE.replace("SYN,ACK", "RST"), TABLE.replace("direction", "dir"),
                       TABLE + "| 2.00 | host → guest | ACK | 1 |\n"):
            self.assertNotEqual(figures.shape(TABLE, "numbers"), figures.shape(edited, "numbers"))

    def test_header_shape_keeps_columns_only(self):
        rows = TABLE + "| 9.00 | guest → host | FIN | 7 |\n"
        self.assertEqual(figures.shape(TABLE, "header"), figures.shape(rows, "header"))
        self.assertNotEqual(figures.shape(TABLE, "header"),
                            figures.shape(TABLE.replace("flags", "kind"), "header"))


class Excerpts(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=os.path.join(docs.ROOT, "build"))
        self.rel = os.path.relpath(os.path.join(self.dir, "x.c"), docs.ROOT)
        open(os.path.join(docs.ROOT, self.rel), "w").write(
            "int a;\n// says why\nstatic int\nf(int x)\n{\n  if(x){ return \"}\"[0]; }\n"
            "  // LAB(t) begin: the body\n  x++;\n  // LAB(t) stub:\n  // return 0;\n"
            "  // LAB(t) end\n  return x;\n}\nint b;\n")

    def tearDown(self):
        subprocess.run(["rm", "-rf", self.dir])

    def test_brace_block_with_comment_and_type(self):
        md = docs.code_excerpt(self.rel, r"^f\(int")
        self.assertIn("lines 2–13", md)
        self.assertIn("// says why\nstatic int\nf(int x)", md)
        self.assertTrue(md.rstrip().endswith("}\n```"))
        self.assertNotIn("int b;", md)

    def test_lab_markers_and_stub_left_out(self):
        md = docs.code_excerpt(self.rel, r"^f\(int")
        self.assertIn("  x++;", md)
        self.assertNotIn("LAB(", md)
        self.assertNotIn("return 0;", md)

    def test_a_missing_function_is_an_error(self):
        with self.assertRaises(docs.DocError):
            docs.code_excerpt(self.rel, r"^nosuch\(")


class Chapters(unittest.TestCase):
    """docs.py --check --code-only on a chapter in a scratch tutorial folder."""

    def check(self, text):
        d = tempfile.mkdtemp(dir=os.path.join(docs.ROOT, "build"))
        try:
            open(os.path.join(d, "01-x.md"), "w").write(text)
            saved = docs.TUTORIAL
            docs.TUTORIAL = d
            sys.argv = ["docs.py", "--check", "--code-only"]
            try:
                docs.main()
                return 0
            except SystemExit as e:
                return e.code
            finally:
                docs.TUTORIAL = saved
        finally:
            subprocess.run(["rm", "-rf", d])

    def test_fresh_passes_edited_fails(self):
        block = docs.code_excerpt("tools/tutorial/plot.py", r"^def main")
        good = "# 1. X\n\n<!-- gen: code tools/tutorial/plot.py \"^def main\" -->\n%s<!-- /gen -->\n" % block
        self.assertEqual(self.check(good), 0)
        self.assertEqual(self.check(good.replace("ax.grid(True", "ax.grid(False")), 1)
        self.assertEqual(self.check(good.replace("^def main", "^def nosuch")), 1)


if __name__ == "__main__":
    unittest.main()
