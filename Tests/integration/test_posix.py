"""POSIX programs on picolibc (User/posix/, docs/posix.md): posixtest's library,
file, process and socket checks in the guest, a TCP client (getaddrinfo,
connect, send, recv) against a host server, and its failure cases: a refused
connection, a server that hangs up, bad usage, a missing program."""
import re, socket, threading
from guest import booted, expect_in, free_port, TestFailure
from test_apps import Server, wait_lease


def upper_echo(srv, c):
    """Answer each line with the line in capitals, as many lines as come."""
    f = c.makefile("rb")
    for line in f:
        srv.requests.append(line)
        c.sendall(line.upper())


def hang_up(srv, c):
    srv.requests.append(c.recv(100))


def test_posix_programs():
    echo, rude = Server(upper_echo), Server(hang_up)
    refused = free_port()
    try:
        with booted("posix", cpus=1) as g:
            out = g.run("posixtest local", timeout=120)
            if "FAIL" in out or not re.search(r"ALL (\d+) CHECKS PASSED", out):
                raise TestFailure("posixtest local:\n" + out[-2000:])
            checks = int(re.search(r"ALL (\d+) CHECKS PASSED", out).group(1))
            expect_in(r"AF_UNIX: Address family not supported", out, "strerror(EAFNOSUPPORT)")
            expect_in(r"herror: name not found", out, "herror on stderr")

            wait_lease(g)
            out = g.run("exitcode posixtest -n 3 tcp 10.0.2.2 %d hello" % echo.port, timeout=60)
            for i in range(3):
                expect_in(r"(?m)^reply: HELLO %d$" % i, out, "reply %d" % i)
            expect_in(r"exitcode: 0", out, "tcp client's status")
            if [r.decode() for r in echo.requests] != ["hello %d\n" % i for i in range(3)]:
                raise TestFailure("the server got %r" % echo.requests)

            out = g.run("exitcode posixtest tcp 10.0.2.2 %d x" % refused, timeout=60)
            expect_in(r"connect: Connection refused", out, "perror after a refused connect")
            expect_in(r"exitcode: 1", out, "status after a refused connect")
            out = g.run("exitcode posixtest tcp 10.0.2.2 %d bye" % rude.port, timeout=60)
            expect_in(r"the server closed the connection", out, "a server that hangs up")
            expect_in(r"exitcode: 1", out, "status after a hang-up")
            out = g.run("exitcode posixtest tcp no..such.host 80 x", timeout=60)
            expect_in(r"no\.\.such\.host: Name or service not known", out, "gai_strerror")
            expect_in(r"exitcode: 1", out, "status after a bad name")

            out = g.run("exitcode posixtest -q local", timeout=30)
            expect_in(r"usage: posixtest", out, "getopt's unknown option")
            expect_in(r"exitcode: 2", out, "status of bad usage")
            out = g.run("exitcode posixtest -n", timeout=30)
            expect_in(r"exitcode: 2", out, "-n without its argument")
            out = g.run("exitcode no-such-program", timeout=30)
            expect_in(r"no-such-program: No such file or directory", out, "execvp of a missing program")
            expect_in(r"exitcode: 127", out, "status of a missing program")
            g.poweroff()
        return "%d local checks" % checks
    finally:
        echo.close()
        rude.close()
