"""The kernel issue: boot to the shell, a scripted shell session, kerneltests at
CPUS=3 and CPUS=1, poweroff."""
import os, re, time
import pexpect
from guest import booted, expect_in, sh, TestFailure, ROOT
from reliability import record

LINK_MAX = 32767   # Kernel/fs.h

# kerneltests' regressions of what hostile programs found, as the reliability
# report names them.
HOSTILE = {
    "deaddir": ("removed cwd whose parent is removed too: open(\"..\") (was a panic), create, "
                "mkdir, mknod, link inside it (leaked inodes)"),
    "killinit": "kill(1) (was a panic: init exiting)",
    "badwritetail": "a write whose source runs into unmapped memory partway (left allocated blocks "
                    "past the file's end, up to 16 and an index block)",
    "linkfull": "a file with 32767 names (made on the host), then one more (the 16-bit count "
                "wrapped: unlink was then refused for ever, or a named file freed)",
    "killrace": "200 kills each landing as a pipe reader, a pipe writer or a waiter goes to sleep "
                "(a kill was lost: the victim slept for ever)",
    "sockkillrace": "the same on an idle UDP receiver and a listener",
    "socktimeouts": "SO_RCVTIMEO {2^61 s, 1000 us}, {LONG_MAX, 0}, negative and bad microseconds "
                    "(wrapped to 1 ms, or refused)",
    "pipenonblock": "fcntl O_NONBLOCK on a pipe (was ignored: reads and writes blocked)",
    "truncrace": "two O_TRUNC of a 40 MiB file at once while a third process writes it "
                 "(blocks freed twice, 787 leaked)",
}


def _record_hostile(out, cpus):
    for name, what in HOSTILE.items():
        m = re.search(r"(?m)^test %s: (OK \((\d+) ticks\)|FAILED.*)$" % name, out)
        if m:
            ok = m.group(1).startswith("OK")
            record("hostile: " + name, {"program": "kerneltests " + name, "harts": cpus, "what": what},
                   ("passed in %s ms" % (int(m.group(2)) * 10)) if ok else m.group(1), ok)


def test_boot_to_prompt_and_poweroff():
    with booted("boot") as g:
        expect_in(r"xv6-net kernel is booting", g.console(), "boot banner")
        out = g.run("ls")
        for prog in ["cat", "echo", "grep", "kill", "ln", "ls", "mkdir", "rm", "wc",
                     "zombie", "poweroff", "kerneltests", "sh", "init"]:
            expect_in(r"(?m)^%s\s" % prog, out, "ls lists %s" % prog)
        g.poweroff()
        return "prompt after %.2f s" % g.boot_seconds


def test_shell_session():
    with booted("shell") as g:
        expect_in(r"(?m)^1 1 3\s*$", g.run("echo hi | grep hi | wc"), "pipeline")
        g.run("echo hello world > greeting")
        expect_in(r"^hello world$", g.run("cat greeting").strip(), "redirect out")
        expect_in(r"^1 2 12 *$", g.run("wc < greeting").strip(), "redirect in")
        expect_in(r"(?m)^a\n^b", g.run("echo a; echo b"), "sequence with ;")
        expect_in(r"^2 2 4", g.run("(echo a; echo b) | wc").strip(), "parentheses")
        g.run("mkdir dir")
        g.run("ln greeting dir/link")
        expect_in(r"hello world", g.run("cat dir/link"), "hard link")
        g.run("rm greeting")
        expect_in(r"hello world", g.run("cat dir/link"), "link survives rm")
        expect_in(r"cannot open|failed", g.run("cat greeting"), "removed file is gone")
        expect_in(r"exec nosuchprogram failed", g.run("nosuchprogram"), "missing program")
        g.run("cd dir")
        out = g.run("ls")
        expect_in(r"(?m)^link\s", out, "cd then ls")
        g.run("cd /")
        # the prompt may come before or after the background job's output
        g.c.sendline("echo background &")
        if not g.wait_for(r"background\r?\n", timeout=10):
            raise TestFailure("`echo background &` printed nothing")
        expect_in(r"done", g.run("echo done", expect=r"\ndone\r?\n"), "shell still answers after &")
        expect_in(r"(?m)^xv6-net is an xv6-style", g.run("grep xv6-net README.md"), "grep a file")
        # line editing: DEL and Ctrl-H erase a character, Ctrl-U the line typed so far
        for keys, want in (("echo abcX\x7fd", "abcd"), ("echo wrong\x15echo rig\x08ght", "right")):
            start = len(g.console())
            g.c.send(keys + "\r")
            if not g.wait_for(r"\n%s\r?\n" % want, timeout=10):
                raise TestFailure("typing %r printed %r, not %s" % (keys, g.console()[start:], want))
            g.c.expect(r"\$ $", timeout=10)
        g.poweroff()


def _ctrl_c_ends(g, line, started, what):
    """Start line, wait until it printed started (or a moment), type ^C: the shell
    must prompt again."""
    g.c.sendline(line)
    if started and not g.wait_for(started, timeout=30):
        raise TestFailure("`%s` did not start" % line)
    time.sleep(0.5)
    mark = len(g.console())
    g.c.send("\x03")
    try:
        g.c.expect(r"\^C\r?\n", timeout=10)   # the echo (past `started`, read above)
        g.c.expect(r"\$ $", timeout=10)
    except pexpect.TIMEOUT:
        raise TestFailure("^C did not end %s: %r" % (what, g.console()[mark:]))


def test_ctrl_c():
    """^C at the console sends SIGINT to the foreground: a program looping in user
    code and one blocked reading the console end; the shell (which ignores it), init
    and httpd (started by init, ignoring it) stay, and ^C at the prompt drops the line."""
    with booted("ctrlc") as g:
        _ctrl_c_ends(g, "kerneltests ctrlc", r"spinning until \^C", "a looping program")
        expect_in(r"(?m)^alive\r?$", g.run("echo alive"), "the shell after ^C")
        _ctrl_c_ends(g, "cat", None, "cat reading the console")
        g.c.send("echo dropped")
        time.sleep(0.3)
        g.c.send("\x03")
        out = g.run("echo kept")
        expect_in(r"(?m)^kept\r?$", out, "a line after ^C at the prompt")
        if "dropped" in out:
            raise TestFailure("^C did not drop the line typed so far: %r" % out)
        if not g.httpd_listening():
            raise TestFailure("httpd did not survive ^C")
        g.poweroff()
        return "loop and console reader ended, shell and httpd kept"


def test_kill_with_signal():
    """`kill -SIG pid` sends a numbered signal: httpd (started by init, which ignores
    SIGINT) survives SIGINT and ends on SIGTERM; -0 probes; bad numbers and pids are
    reported; plain `kill pid` stays xv6's SIGKILL."""
    with booted("killsig") as g:
        g.start_httpd()
        m = re.search(g.BOOT_HTTPD, g.console())
        if not m:
            raise TestFailure("no httpd pid in the boot log")
        pid = m.group(1)
        expect_in(r"^\s*$", g.run("kill -0 1 %s" % pid), "kill -0 of live processes")
        expect_in(r"kill: bad signal 99", g.run("kill -99 %s" % pid), "signal 99")
        expect_in(r"kill: no process 9999", g.run("kill -15 9999"), "a missing pid")
        expect_in(r"init cannot be killed", g.run("kill -9 1"), "SIGKILL to init")
        expect_in(r"usage", g.run("kill -x 5"), "a signal that is not a number")
        g.run("kill -2 %s" % pid)
        time.sleep(0.5)
        if not g.httpd_listening():
            raise TestFailure("httpd did not ignore SIGINT")
        g.run("kill -15 %s" % pid)
        time.sleep(0.5)
        if g.httpd_listening():
            raise TestFailure("httpd survived SIGTERM")
        expect_in(r"no process %s" % pid, g.run("kill -0 %s" % pid), "kill -0 of an ended process")
        g.poweroff()
        return "SIGINT ignored, SIGTERM ends httpd"


# What the kernel prints when it finds its file system damaged: a test that
# makes it print one of these has corrupted the disk, whatever it reports.
FS_DAMAGE = r"bfree: |fs: directory \d+ names free|log: (bad header|skipping)"


def _kerneltests(cpus, args="", name=None):
    with booted(name or "kerneltests-cpus%d" % cpus, cpus=cpus) as g:
        out = g.run(("kerneltests " + args).strip(), timeout=600)
        if cpus == 3:
            _record_hostile(out, cpus)
        if "ALL TESTS PASSED" not in out:
            raise TestFailure("kerneltests %s(CPUS=%d) did not pass:\n%s" % (args, cpus, out[-2000:]))
        damage = re.findall(r"(?m)^.*(?:%s).*$" % FS_DAMAGE, g.console())
        if damage:
            raise TestFailure("the kernel reported file-system damage: %s" % damage[:5])
        g.poweroff()
        n = len(re.findall(r"(?m)^test .*: OK", out))
        return "%d tests" % n


def test_kerneltests_cpus3():
    return _kerneltests(3)


def test_kerneltests_cpus1():
    return _kerneltests(1)


def test_link_max():
    """A file with LINK_MAX names, made on the host (32767 links in the guest take
    minutes; `kerneltests linkmax` does it that way): the next link and a subdirectory
    past the limit are refused, and unlink and link work at the limit."""
    base = os.path.join("build", "test-disks", "linkmax-base.img")
    args = os.path.join(ROOT, "build", "test-disks", "linkmax.args")
    os.makedirs(os.path.dirname(args), exist_ok=True)
    with open(args, "w") as f:
        f.write("ktlm/f=README.md\n")
        for i in range(LINK_MAX - 1):
            f.write("ktlm/d%d/%d=@ktlm/f\n" % (i // 512, i % 512))
    fsargs = sh("make -s --no-print-directory -C %s fs-args" % ROOT).split()
    sh("cd %s && build/mkfs %s %s @%s" % (ROOT, base, " ".join(fsargs), args))
    with booted("linkmax", base=base) as g:
        out = g.run("kerneltests linkfull", timeout=120)
        if "ALL TESTS PASSED" not in out:
            raise TestFailure("kerneltests linkfull did not pass:\n%s" % out[-2000:])
        _record_hostile(out, 3)
        g.poweroff()
    os.unlink(os.path.join(ROOT, base))
    os.unlink(args)
    return "a file at LINK_MAX (%d) names" % LINK_MAX
