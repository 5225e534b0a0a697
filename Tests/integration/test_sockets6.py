"""Issue 15: AF_INET6 sockets in the guest over lwIP's loopback (User/sock6test.c):
TCP and UDP over ::1, a dual-stack listener accepting 127.0.0.1 as
::ffff:127.0.0.1, IPV6_V6ONLY, getsockname/getpeername in both families, ICMPv6
echo to ::1 through a raw socket, and malformed arguments that must fail with
Linux's errno and never panic the kernel."""
from guest import booted, TestFailure


def test_sockets6_loopback():
    with booted("sockets6", cpus=1) as g:
        out = g.run("sock6test", timeout=120)
        if "sock6test: PASS" not in out:
            fails = [l for l in out.splitlines() if "FAIL" in l]
            raise TestFailure("sock6test:\n%s\n%s" % ("\n".join(fails), out[-1500:]))
