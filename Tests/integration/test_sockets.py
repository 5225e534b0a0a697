"""The sockets issue: the guest as TCP client of a host echo server (10.0.2.2), a host
client of a guest server through the forwarded port, UDP, 32 concurrent connections,
error codes, and a leak check over 200 connections (User/socktest.c is the guest side)."""
import hashlib, os, socket, struct, socketserver, threading, time
from guest import booted, expect_in, recv_all, TestFailure, ROOT


class _Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(65536)
            if not data:
                break
            self.request.sendall(data)


class _EchoOnce(socketserver.BaseRequestHandler):
    """Answer one read and close first (the guest's side then leaves no TIME_WAIT)."""
    def handle(self):
        data = self.request.recv(65536)
        if data:
            self.request.sendall(data)


BLAST = 300000


def _pattern(n):
    return bytes(((i * 7 + (i >> 8) * 13) & 0xFF) for i in range(n))


class _Blast(socketserver.BaseRequestHandler):
    """Send BLAST bytes of socktest's pattern as fast as the guest takes them."""
    def handle(self):
        self.request.sendall(_pattern(BLAST))


class _Reset(socketserver.BaseRequestHandler):
    """Say hello, then reset the connection (SO_LINGER 0)."""
    def handle(self):
        self.request.sendall(b"hello")
        time.sleep(0.1)
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()


class _UdpEcho(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data, self.client_address)


class _Threaded(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def _servers():
    tcp = _Threaded(("127.0.0.1", 0), _Echo)
    once = _Threaded(("127.0.0.1", 0), _EchoOnce)
    blast = _Threaded(("127.0.0.1", 0), _Blast)
    rst = _Threaded(("127.0.0.1", 0), _Reset)
    udp = socketserver.ThreadingUDPServer(("127.0.0.1", 0), _UdpEcho)
    for s in (tcp, once, blast, rst, udp):
        threading.Thread(target=s.serve_forever, daemon=True).start()
    return tcp, once, blast, rst, udp


def _closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def _check(out, what):
    if "socktest: PASS" not in out:
        raise TestFailure("%s:\n%s" % (what, out[-1500:]))


def test_sockets_guest_client_and_udp():
    tcp, once, blast, rst, udp = _servers()
    tport, uport = tcp.server_address[1], udp.server_address[1]
    try:
        with booted("sockets-client") as g:
            g.wait_for(r"lease after", timeout=15)
            out = g.run("socktest leak 10.0.2.2 %d 200" % once.server_address[1], timeout=300)
            _check(out, "leak check")
            out = g.run("socktest client 10.0.2.2 %d 1048576" % tport, timeout=120)
            _check(out, "1 MiB echo through a host server")
            expect_in(r"received 1048576", out, "client")
            out = g.run("socktest udpclient 10.0.2.2 %d 20" % uport, timeout=60)
            _check(out, "UDP echo")
            out = g.run("socktest many 10.0.2.2 %d 32" % tport, timeout=120)
            _check(out, "32 concurrent connections")
            out = g.run("socktest slow 10.0.2.2 %d %d" % (blast.server_address[1], BLAST), timeout=120)
            _check(out, "slow reader")
            out = g.run("socktest reset 10.0.2.2 %d" % rst.server_address[1], timeout=60)
            _check(out, "reset")
            out = g.run("socktest errors 10.0.2.2 %d" % _closed_port(), timeout=60)
            _check(out, "error codes")
            g.poweroff()
    finally:
        for s in (tcp, once, blast, rst, udp):
            s.shutdown()
    return "ok"


def test_sockets_guest_server():
    with booted("sockets-server") as g:
        g.wait_for(r"lease after", timeout=15)
        g.stop_boot_httpd()
        g.c.sendline("socktest server 80 2")
        g.c.expect("listening on 80", timeout=20)
        blob = os.urandom(256 * 1024)
        for _ in range(2):
            with socket.create_connection(("127.0.0.1", g.fwdport), timeout=30) as s:
                t = threading.Thread(target=lambda: s.sendall(blob) or s.shutdown(socket.SHUT_WR))
                t.start()
                got = recv_all(s)
                t.join()
            if hashlib.sha256(got).digest() != hashlib.sha256(blob).digest():
                raise TestFailure("echo of 256 KiB differs (%d bytes back)" % len(got))
        g.c.expect(r"\$ $", timeout=30)
        out = g.console()
        _check(out, "guest server")
        # several processes accepting on one listening socket (fork)
        g.c.sendline("socktest prefork 80 3")
        g.c.expect("prefork listening on 80", timeout=20)
        results = []

        def one(i):
            with socket.create_connection(("127.0.0.1", g.fwdport), timeout=30) as s:
                msg = b"request %d" % i
                s.sendall(msg)
                s.shutdown(socket.SHUT_WR)
                results.append(recv_all(s) == msg)
        # QEMU's hostfwd listens with a backlog of one and resets what overflows
        # it, so the host connects in waves of three
        for wave in range(4):
            threads = [threading.Thread(target=one, args=(3 * wave + i,)) for i in range(3)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        g.c.expect(r"prefork served (\d+)", timeout=30)
        if results.count(True) != 12 or g.c.match.group(1) != "12":
            raise TestFailure("prefork: %d of 12 echoed, guest served %s" % (results.count(True), g.c.match.group(1)))
        g.c.expect(r"\$ $", timeout=30)
        g.poweroff()
    return "ok"


def test_bsd_echo_programs():
    """Textbook BSD-sockets programs (User/posix/echocli.c, echoserv.c: POSIX
    programs with their standard includes, built on picolibc) against real peers:
    the guest client to a host echo server, and a host client to the guest server
    through the forwarded port."""
    tcp = _Threaded(("127.0.0.1", 0), _Echo)
    threading.Thread(target=tcp.serve_forever, daemon=True).start()
    try:
        with booted("bsd-echo") as g:
            g.wait_for(r"lease after", timeout=15)
            g.run("echo first line > lines; echo second line >> lines")
            out = g.run("echocli 10.0.2.2 %d < lines" % tcp.server_address[1], timeout=60)
            expect_in(r"first line\s*second line", out, "echocli through a host echo server")
            out = g.run("echocli 10.0.2.2 %d < lines" % _closed_port(), timeout=60)
            expect_in(r"echocli: connect: .*refused", out, "echocli to a closed port")
            g.stop_boot_httpd()
            g.c.sendline("echoserv 80 1 &")
            g.c.expect("echoserv: listening on port 80", timeout=20)
            msg = os.urandom(100000)
            with socket.create_connection(("127.0.0.1", g.fwdport), timeout=30) as s:
                t = threading.Thread(target=lambda: s.sendall(msg) or s.shutdown(socket.SHUT_WR))
                t.start()
                got = bytearray()
                while True:
                    d = s.recv(65536)
                    if not d:
                        break
                    got += d
                t.join()
            if bytes(got) != msg:
                raise TestFailure("echoserv returned %d of %d bytes, or different ones" % (len(got), len(msg)))
            if not g.wait_for(r"echoserv: connection from 10\.0\.2\.2:\d+", timeout=10):
                raise TestFailure("echoserv did not log the peer's address")
            g.poweroff()
    finally:
        tcp.shutdown()
        tcp.server_close()
