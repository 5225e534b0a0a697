"""Chapter 7's scenario and figures: TCP's handshake, window, retransmission and
TIME_WAIT, from captures of the running system."""
import os, socket, threading, time

from figures import figure, table, tshark_fields, fenced, plot, FigureError
from scenarios import scenario, LEASE

UPLOAD_BYTES = 1 << 20


def _drain_and_close(listener, got):
    """The host's end of the guest's `nc`: read to EOF, then close (after the guest's FIN)."""
    c, _ = listener.accept()
    with c:
        n = 0
        while True:
            d = c.recv(65536)
            if not d:
                break
            n += len(d)
        got.append(n)


@scenario("tcp")
def tcp(rec):
    """A guest that closes first (nc to a host listener: the guest ends in TIME_WAIT),
    then 1 MiB from the host into `nc -l 80 > /up.bin` in the guest, a reader slower
    than the network (it writes to the disk), to watch the window it advertises."""
    import guest
    with guest.booted("tutorial-tcp", cpus=1) as g:
        if not g.wait_for(LEASE, timeout=30):
            raise guest.TestFailure("no lease")
        lsock = socket.socket()
        lsock.bind(("127.0.0.1", 0))
        lsock.listen(1)
        port = lsock.getsockname()[1]
        got = []
        t = threading.Thread(target=_drain_and_close, args=(lsock, got), daemon=True)
        t.start()
        rec.cmd(g, "nc 10.0.2.2 %d < README.md" % port, timeout=30)
        t.join(10)
        lsock.close()
        # the socket is gone once nc has closed it; its pcb stays in lwIP, in TIME_WAIT
        rec.cmd(g, "netstat")
        rec.cmd(g, "ifconfig")
        rec.facts.update(nc_port=port, nc_bytes=got[0] if got else 0)
        g.stop_boot_httpd()
        g.c.sendline("nc -d -l 80 > /up.bin")
        time.sleep(1)
        data = bytes(range(256)) * (UPLOAD_BYTES // 256)
        t0 = time.monotonic()
        for _ in range(40):
            try:
                with socket.create_connection(("127.0.0.1", g.fwdport), timeout=10) as s:
                    s.sendall(data)
                    s.shutdown(socket.SHUT_WR)
                    s.settimeout(60)
                    while s.recv(65536):
                        pass
                break
            except OSError:
                time.sleep(0.5)
        rec.facts["upload_seconds"] = round(time.monotonic() - t0, 2)
        g.c.expect(guest.PROMPT, timeout=60)
        rec.cmd(g, "ls /up.bin")
        g.poweroff()
    rec.keep(g)


def _segments(pcap, display_filter):
    return tshark_fields(pcap, display_filter, [
        "frame.time_relative", "ip.src", "tcp.srcport", "tcp.dstport", "tcp.flags.str",
        "tcp.seq", "tcp.ack", "tcp.window_size", "tcp.len", "tcp.options.mss_val"])


@figure("tcp_handshake", needs=["boot"])
def tcp_handshake(boot):
    """The keep-alive connection of the boot scenario's two curls, frame by frame."""
    rows = _segments(boot.pcap, "tcp.port == 80")
    if not rows:
        raise FigureError("no TCP on port 80 in the boot capture")
    t0 = float(rows[0][0])
    out = []
    fins = 0
    for i, (t, src, sport, dport, flags, seq, ack, win, length, mss) in enumerate(rows):
        fins += "F" in flags
        # the handshake, data, the FINs and the ACK of the last FIN; not the pure
        # ACKs between (their number depends on timing: delayed ACKs)
        if not (i < 3 or int(length) > 0 or "F" in flags or fins == 2):
            continue
        if fins == 2 and "F" not in flags and out and out[-1][2] == "ACK":
            continue
        who = "guest → host" if src == "10.0.2.15" else "host → guest"
        names = ",".join(f for f in ("SYN", "FIN", "RST", "PSH", "ACK")
                         if {"SYN": "S", "FIN": "F", "RST": "R", "PSH": "P", "ACK": "A"}[f] in flags)
        out.append(["%.2f" % ((float(t) - t0) * 1000), who, names, seq, ack, win, length,
                    mss or ""])
    return table(["ms", "direction", "flags", "seq", "ack", "window", "data bytes", "MSS option"], out)


def _loss_stats(path):
    """Counts of one download's capture: what the guest sent and what came back."""
    def count(f):
        return len(tshark_fields(path, f, ["frame.number"]))
    data = "ip.src == 10.0.2.15 && tcp.srcport == 80 && tcp.len > 0"
    return {
        "segments": count(data),
        "retransmitted": count(data + " && tcp.analysis.retransmission"),
        "fast": count(data + " && tcp.analysis.fast_retransmission"),
        "dupacks": count("ip.dst == 10.0.2.15 && tcp.dstport == 80 && tcp.analysis.duplicate_ack"),
    }


@figure("tcp_loss_table", needs=["loss"])
def tcp_loss_table(loss):
    rows = []
    for r in loss.facts["runs"]:
        s = _loss_stats(os.path.join(loss.dir, r["pcap"]))
        relay = r["relay"]
        rows.append(["%g%%" % (r["rate"] * 100), "%d ms" % r["delay_ms"], r["bytes"],
                     "%.2f s" % r["seconds"], relay["up"]["lost"] + relay["down"]["lost"],
                     s["segments"], s["retransmitted"], s["fast"], s["dupacks"]])
    return table(["loss each way", "delay each way", "bytes", "time", "frames the relay dropped",
                  "data segments sent", "retransmitted", "of them fast retransmits",
                  "duplicate ACKs received"], rows)


@figure("tcp_timeseq", needs=["loss"])
def tcp_timeseq(loss):
    """Stevens' time-sequence graph of both downloads: each data segment the guest sent
    (retransmissions in red) and the host's cumulative ACK."""
    panels = []
    for r in loss.facts["runs"]:
        path = os.path.join(loss.dir, r["pcap"])
        segs = tshark_fields(path, "ip.src == 10.0.2.15 && tcp.srcport == 80 && tcp.len > 0",
                             ["frame.time_relative", "tcp.seq", "tcp.analysis.retransmission"])
        acks = tshark_fields(path, "ip.dst == 10.0.2.15 && tcp.dstport == 80",
                             ["frame.time_relative", "tcp.ack"])
        if not segs:
            raise FigureError("no data segments in %s" % r["pcap"])
        t0 = float(segs[0][0])
        first = [(float(t) - t0, int(q) / 1024) for t, q, re_ in segs if not re_]
        again = [(float(t) - t0, int(q) / 1024) for t, q, re_ in segs if re_]
        ack = [(float(t) - t0, int(a) / 1024) for t, a in acks if float(t) >= t0]
        series = [{"label": "data segment", "x": [p[0] for p in first], "y": [p[1] for p in first],
                   "kind": "points", "color": "tab:blue"},
                  {"label": "host's ACK", "x": [p[0] for p in ack], "y": [p[1] for p in ack],
                   "kind": "step", "color": "tab:green"}]
        if again:
            series.append({"label": "retransmission", "x": [p[0] for p in again],
                           "y": [p[1] for p in again], "kind": "points", "color": "tab:red",
                           "size": 16, "marker": "x"})
        panels.append({"title": "%g%% loss, %d ms delay: %.2f s" % (r["rate"] * 100, r["delay_ms"], r["seconds"]),
                       "xlabel": "seconds since the first data segment", "ylabel": "sequence number (KiB)",
                       "series": series})
    return plot("tcp-timeseq.png", {"title": "1 MiB from the guest's httpd to curl on the host",
                                    "size": [12, 4.5], "panels": panels})


@figure("tcp_window_plot", needs=["tcp"])
def tcp_window_plot(tcp):
    """The window the guest advertised while `nc -l` wrote 1 MiB to its disk."""
    rows = tshark_fields(tcp.pcap, "ip.src == 10.0.2.15 && tcp.srcport == 80",
                         ["frame.time_relative", "tcp.window_size", "tcp.ack"])
    if not rows:
        raise FigureError("no segments from the guest's port 80")
    t0 = float(rows[0][0])
    x = [float(r[0]) - t0 for r in rows]
    return plot("tcp-window.png", {
        "title": "1 MiB into `nc -l 80 > /up.bin`: the guest's advertised window",
        "size": [10, 4],
        "panels": [{"xlabel": "seconds", "ylabel": "bytes", "series": [
            {"label": "window advertised (bytes)", "x": x, "y": [int(r[1]) for r in rows], "kind": "step",
             "color": "tab:blue"}]},
            {"xlabel": "seconds", "ylabel": "KiB", "series": [
                {"label": "bytes acknowledged (KiB)", "x": x, "y": [int(r[2]) / 1024 for r in rows],
                 "kind": "step", "color": "tab:green"}]}]})


@figure("tcp_window_table", needs=["tcp"])
def tcp_window_table(tcp):
    rows = tshark_fields(tcp.pcap, "ip.src == 10.0.2.15 && tcp.srcport == 80",
                         ["tcp.window_size", "tcp.analysis.zero_window", "tcp.analysis.window_update"])
    wins = [int(r[0]) for r in rows if r[0]]
    zero = sum(1 for r in rows if r[1])
    updates = sum(1 for r in rows if r[2])
    return table(["segments from the guest", "largest window", "smallest window", "zero windows",
                  "window updates", "upload time"],
                 [[len(rows), max(wins), min(wins), zero, updates, "%.2f s" % tcp.facts["upload_seconds"]]])


@figure("tcp_time_wait", needs=["tcp"])
def tcp_time_wait(tcp):
    """The closing frames of the guest's nc (which closed first), and the socket
    table and lwIP's count of TCP pcbs just after."""
    port = tcp.facts["nc_port"]
    rows = _segments(tcp.pcap, "tcp.port == %d && (tcp.flags.fin == 1 || tcp.len == 0)" % port)
    out = []
    fin_seen = False
    for t, src, sport, dport, flags, seq, ack, win, length, mss in rows:
        fin_seen = fin_seen or "F" in flags
        if not fin_seen:
            continue          # the handshake and the ACKs of the data
        who = "guest → host" if src == "10.0.2.15" else "host → guest"
        names = ",".join(f for f in ("FIN", "ACK") if f[0] in flags)
        out.append([who, names, seq, ack])
    netstat = tcp.output("netstat").strip()
    pcbs = [l.strip() for l in tcp.output("ifconfig").split("\n") if "tcp pcbs" in l]
    return table(["direction", "flags", "seq", "ack"], out) + "\n" + fenced(
        "$ netstat\n%s\n$ ifconfig | grep pcbs     (the line of ifconfig's output)\n%s" % (
            netstat, "\n".join(pcbs)))
