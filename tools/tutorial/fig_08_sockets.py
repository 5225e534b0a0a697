"""Chapter 8's figures: the socket system calls (from Kernel/syscall.h and
syscall.c), netstat after the boot scenario, and a slow reader (scenario
`slowread`): the queue a socket keeps and the window the guest advertises."""
import glob, os, re, socketserver, threading

from figures import figure, table, fenced, tshark_fields, FigureError
from scenarios import scenario, ROOT, LEASE

SOCKET_CALLS = ["read", "write", "close", "socket", "bind", "listen", "accept", "accept4",
                "connect", "sendto", "recvfrom", "shutdown", "getsockname", "getpeername",
                "setsockopt", "getsockopt", "fcntl", "poll", "readv", "writev", "netinfo"]


@figure("sockets_syscalls", shape="exact")
def sockets_syscalls():
    """Number, handler and the file of the handler of each call a socket program
    uses, parsed from Kernel/syscall.h, syscall.c's table and Kernel/*.c."""
    numbers = {}
    for line in open(os.path.join(ROOT, "Kernel/syscall.h")):
        m = re.match(r"#define SYS_(\w+)\s+(\d+)", line)
        if m:
            numbers[m.group(1)] = int(m.group(2))
    table_c = open(os.path.join(ROOT, "Kernel/syscall.c")).read()
    handler = dict(re.findall(r"\[SYS_(\w+)\]\s*=\s*(\w+)", table_c))
    where = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "Kernel", "*.c"))):
        for m in re.finditer(r"^(sys_\w+)\(void\)", open(path).read(), re.M):
            where[m.group(1)] = os.path.relpath(path, ROOT)
    rows = []
    for name in SOCKET_CALLS:
        if name not in numbers or name not in handler:
            raise FigureError("SYS_%s is not in syscall.h or syscall.c's table" % name)
        h = handler[name]
        rows.append([numbers[name], "`%s`" % name, "`%s`" % h,
                     "[`%s`](../../%s)" % (where.get(h, "?"), where.get(h, ""))])
    rows.sort()
    return table(["a7", "call", "handler", "in"], rows)


@figure("sockets_netstat", needs=["boot"])
def sockets_netstat(boot):
    return fenced("$ netstat\n" + boot.output("netstat").strip("\n"))


# ------------------------------------------------------------------ slow reader
SLOW_BYTES = 200000


def _pattern(n):   # socktest's streambyte (User/lib/sockutil.c)
    return bytes(((i * 7 + (i >> 8) * 13) & 0xFF) for i in range(n))


class _Blast(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(_pattern(SLOW_BYTES))


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


@scenario("slowread")
def slowread(rec):
    """A host server sends 200000 bytes as fast as it can; the guest's
    `socktest slow` connects, reads nothing for a second, then reads 1000 bytes
    at a time (User/socktest.c). The host is 10.0.2.2 to the guest."""
    import guest
    srv = _Server(("127.0.0.1", 0), _Blast)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    try:
        with guest.booted("tutorial-slowread", cpus=1) as g:
            if not g.wait_for(LEASE, timeout=30):
                raise guest.TestFailure("no lease")
            rec.facts["port"] = port
            rec.cmd(g, "socktest slow 10.0.2.2 %d %d" % (port, SLOW_BYTES), timeout=120)
            g.poweroff()
        rec.keep(g)
    finally:
        srv.shutdown()
        srv.server_close()


@figure("sockets_slow_output", needs=["slowread"])
def sockets_slow_output(rec):
    line = "socktest slow 10.0.2.2 %d %d" % (rec.facts["port"], SLOW_BYTES)
    out = rec.output(line).strip("\n")
    return fenced("$ socktest slow 10.0.2.2 PORT %d\n%s" % (SLOW_BYTES, out))


@figure("sockets_slow_window", needs=["slowread"])
def sockets_slow_window(rec):
    """The window the guest advertises on the slow connection: its SYN, its first ACK
    of data, its last ACK before the program reads (the smallest window), and the
    window update after the program's first reads."""
    port = rec.facts["port"]
    flt = "ip.src == 10.0.2.15 && tcp.dstport == %d" % port
    rows = tshark_fields(rec.pcap, flt, ["frame.number", "frame.time_relative", "tcp.flags.syn",
                                         "tcp.ack", "tcp.window_size", "tcp.analysis.window_update"])
    update = next((i for i, r in enumerate(rows) if r[5]), None)
    data = next((i for i, r in enumerate(rows) if r[2] == "0" and int(r[3]) > 1), None)
    if update is None or data is None or data >= update:
        raise FigureError("slowread's capture has no data ACK followed by a window update from the guest")
    picks = [(0, "SYN: the whole window (TCP_WND)"),
             (data, "first ACK of data: the segments are queued, unread"),
             (update - 1, "last ACK before the program reads"),
             (update, "window update: the program read, tcp_recved")]
    out = []
    for i, what in picks:
        n, t, _, ack, win, _ = rows[i]
        out.append([n, "%.3f" % float(t), ack, win, what])
    return table(["frame", "time (s)", "ack (relative)", "window", "what"], out)
