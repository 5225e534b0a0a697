#!/usr/bin/env python3
"""Tests of tools/profile/kprof.py on a hand-made dump and symbol tables: parsing,
the ra rule, module names, the folded stacks and the flat profile. No ELF files
or QEMU needed (make test runs it next to the other tools' tests)."""
import os, sys, unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kprof  # noqa: E402

# kernel: usertrap 0x1000-0x1100 calls syscall 0x1100-0x1200 calls sys_write
# 0x1200-0x1300, which calls memmove 0x1300-0x1340 (a leaf) and release
# 0x1340-0x1380; scheduler at 0x2000; a Swift function at 0x3000 (from Sockets.o).
KERNEL = kprof.Symbols(
    [(0x1000, 0x100, "usertrap"), (0x1100, 0x100, "syscall"), (0x1200, 0x100, "sys_write"),
     (0x1300, 0x40, "memmove"), (0x1340, 0x40, "release"), (0x2000, 0x100, "scheduler"),
     (0x3000, 0x80, "$e7Sockets6SocketC4sendyyF")],
    files={"usertrap": "/src/Kernel/trap.c"},
    demangled={"$e7Sockets6SocketC4sendyyF": "Socket.send()"},
    objects=[(0x1000, 0x1380, "build/obj/kernel/trap.o"), (0x3000, 0x3080, "build/swift/Sockets.o")])
USER = kprof.Symbols([(0x0, 0x40, "main"), (0x40, 0x20, "write")], label="user echo")

DUMP = """junk before
profile: begin hz=1000 harts=2 samples=5 lost=3 taken=8\r
C 0 0 -\r
C 1 4 echo\r
S 0 k 4 1 1310 1220 44 1120 1010\r
S 0 k 4 1 1350 1254 44 1254 1120 1010\r
S 1 u 4 1 48 10 0\r
S 1 i 0 0 2010 2000 0\r
S 0 k 4 1 3010 0 44 1120 1010\r
profile: end samples=5 lost=3\r
$ """


class TestProfile(unittest.TestCase):
    def setUp(self):
        self.dump = kprof.Dump(DUMP)
        self.stacks = kprof.symbolise(self.dump, KERNEL, lambda p: USER if p == "echo" else None)

    def test_parse(self):
        d = self.dump
        self.assertEqual((d.hz, d.harts, d.lost, d.taken, len(d.samples)), (1000, 2, 3, 8, 5))
        self.assertEqual(d.comms[1], (4, "echo"))
        s = d.samples[1]
        self.assertEqual((s.hart, s.mode, s.pid, s.pc, s.ra, s.upc, s.stack),
                         (0, "kernel", 4, 0x1350, 0x1254, 0x44, [0x1254, 0x1120, 0x1010]))

    def test_cut_dump_is_refused(self):
        with self.assertRaises(ValueError):
            kprof.Dump(DUMP.replace("profile: end samples=5", "profile: end samples=6"))
        with self.assertRaises(ValueError):
            kprof.Dump(DUMP.split("profile: end")[0])

    def names(self, i):
        return [f.name for f in self.stacks[i][1]]

    def test_leaf_gets_its_caller_from_ra(self):
        # memmove is a leaf: ra (in sys_write) is the frame the walk lacks
        self.assertEqual(self.names(0), ["memmove", "sys_write", "syscall", "usertrap", "write"])

    def test_ra_repeating_the_walk_is_dropped(self):
        # release has set up its frame: the walk's first return address is the
        # ra register's value, which must not appear twice
        self.assertEqual(self.names(1), ["release", "sys_write", "syscall", "usertrap", "write"])

    def test_ra_in_pc_function_is_dropped(self):
        s = kprof.Sample(0, "kernel", 4, 1, 0x1210, 0x1230, 0, [0x1120])
        self.assertEqual([f.name for f in kprof.frames(s, KERNEL, None)], ["sys_write", "syscall"])

    def test_user_sample(self):
        self.assertEqual(self.names(2), ["write", "main"])    # a leaf stub called by main
        self.assertTrue(all(f.module == "user echo" for f in self.stacks[2][1]))

    def test_modules(self):
        self.assertEqual(KERNEL.module("usertrap"), "kernel")
        self.assertEqual(KERNEL.module("$e7Sockets6SocketC4sendyyF"), "Swift Sockets")
        self.assertEqual(kprof.kernel_module("tcp_write", "/x/.deps/lwip-2.1.3/src/core/tcp_out.c"), "lwIP")
        self.assertEqual(kprof.kernel_module("$e6VirtIO3FooV", ""), "Swift VirtIO")
        self.assertEqual(kprof.object_module("build/lwip/glue/lwip_netif.o"), "lwIP glue")
        self.assertEqual(kprof.object_module("build/lwip/core/tcp.o"), "lwIP")

    def test_folded(self):
        lines = kprof.folded(self.dump, self.stacks)
        for line in lines:
            stack, count = line.rsplit(" ", 1)
            self.assertTrue(count.isdigit() and " " not in stack, line)
        self.assertIn("echo;write;usertrap_[k];syscall_[k];sys_write_[k];memmove_[k] 1", lines)
        self.assertIn("idle;scheduler_[k] 1", lines)
        self.assertIn("echo;main;write 1", lines)
        self.assertEqual(sum(int(l.rsplit(" ", 1)[1]) for l in lines), 5)

    def test_flat(self):
        text = "\n".join(kprof.flat(self.dump, self.stacks))
        self.assertIn("5 samples at 1000 Hz on 2 harts (3 lost)", text)
        self.assertIn("sys_write [irqs off]", text)        # release's sample, charged to its caller
        self.assertIn("Swift Sockets    Socket.send()", text)
        self.assertIn("(idle) scheduler", text)


class TestMachineSampler(unittest.TestCase):
    """A dump of machine-mode samples: exact pcs, capitals for interrupts off."""
    TEXT = DUMP.replace("taken=8", "taken=8 sampler=machine").replace("S 0 k 4 1 1350", "S 0 K 4 1 1350") \
        .replace("S 0 k 4 1 3010", "S 0 K 4 1 3010")

    def test_exact_and_irqs_off(self):
        dump = kprof.Dump(self.TEXT)
        self.assertTrue(dump.machine and not kprof.Dump(DUMP).machine)
        self.assertEqual([s.irqsoff for s in dump.samples], [False, True, False, False, True])
        text = "\n".join(kprof.flat(dump, kprof.symbolise(dump, KERNEL, lambda p: USER)))
        self.assertIn("interrupts off in 40.0% of samples (66.7% of its non-idle ones)", text)
        self.assertNotIn("[irqs off]", text)              # release's sample stays release's
        self.assertIn("kernel           release", text)

    def test_trampoline_labels(self):
        k = kprof.Symbols([(0x1000, 0x100, "usertrap")], labels={"uservec": 0x5000, "userret": 0x508c})
        self.assertEqual((k.func(kprof.TRAMPOLINE), k.func(kprof.TRAMPOLINE + 0x90)), ("uservec", "userret"))


if __name__ == "__main__":
    unittest.main()
