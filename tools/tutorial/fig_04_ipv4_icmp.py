"""Chapter 4's figures: ping, the IPv4 header, the Internet checksum, and malformed
IPv4/ICMP frames injected through the relay (the scenario `malformed4`)."""
import re, struct, time

from figures import (figure, fenced, frame_bytes, first_frame, one_frame,
                     table, tshark_fields)
from scenarios import INET6, LEASE, scenario

PING = "ping -c 3 10.0.2.2"
ECHO_REQUEST = "icmp.type == 8 && ip.dst == 10.0.2.2"


@figure("ping_console", needs=["boot"])
def ping_console(boot):
    return fenced("$ %s\n%s" % (PING, boot.output(PING)))



@figure("echo_request_decoded", needs=["boot"])
def echo_request_decoded(boot):
    """tshark's decoding of the first echo request, IP and ICMP, one line per field
    (the bit-by-bit sub-lines, the little-endian readings and the data dump left out)."""
    n = first_frame(boot.pcap, ECHO_REQUEST)
    text = one_frame(boot.pcap, n, ["-V", "-O", "ip,icmp", "-o", "ip.check_checksum:TRUE"])
    keep = []
    for line in text.split("\n"):
        if line.startswith(("Internet Protocol", "Internet Control")):
            keep.append(line)
        elif re.match(r"    \S", line) and "(LE)" not in line:
            keep.append(line)
    return "Frame %d:\n\n" % n + fenced("\n".join(keep))


def _words(data):
    if len(data) % 2:
        data += b"\0"
    return list(struct.unpack("!%dH" % (len(data) // 2), data))


def _sum_lines(title, data, field_at):
    """The checksum of data computed as RFC 1071 says, with the field at field_at
    taken as zero, against the value the frame carries."""
    zeroed = data[:field_at] + b"\0\0" + data[field_at + 2:]
    words = _words(zeroed)
    total = sum(words)
    folded = total
    while folded >> 16:
        folded = (folded & 0xffff) + (folded >> 16)
    mine = ~folded & 0xffff
    theirs = struct.unpack("!H", data[field_at:field_at + 2])[0]
    check = sum(_words(data))
    while check >> 16:
        check = (check & 0xffff) + (check >> 16)
    out = ["%s: %d bytes, %d 16-bit words (the checksum field taken as 0000)" % (title, len(data), len(words))]
    for i in range(0, len(words), 10):
        out.append("  " + " ".join("%04x" % w for w in words[i:i + 10]))
    out += ["  sum of the words          0x%x" % total,
            "  carries folded back in    0x%04x" % folded,
            "  one's complement          0x%04x" % mine,
            "  the frame carries         0x%04x  %s" % (theirs, "(the same)" if mine == theirs else "(DIFFERENT)"),
            "  receiver: sum with it     0x%04x  %s" % (check, "(all ones: valid)" if check == 0xffff else "(not all ones: invalid)")]
    return out


@figure("checksum_by_hand", needs=["boot"])
def checksum_by_hand(boot):
    """Both checksums of the first echo request recomputed from the frame's bytes."""
    n = first_frame(boot.pcap, ECHO_REQUEST)
    frame = frame_bytes(boot.pcap, n)
    ihl = (frame[14] & 15) * 4
    total = struct.unpack("!H", frame[16:18])[0]
    ip = frame[14:14 + ihl]
    icmp = frame[14 + ihl:14 + total]
    lines = ["frame %d, %d bytes" % (n, len(frame))]
    lines += _sum_lines("IPv4 header", ip, 10)
    lines += _sum_lines("ICMP message", icmp, 2)
    return fenced("\n".join(lines))


# ------------------------------------------------------------------ malformed frames
BATCH_ID = 0x4000      # batch i: IP identifications BATCH_ID + 16 i .., echo id BATCH_ID + i


def icmp_echo(ident, seq, payload=b"tutorial", check=None):
    import reliability as R
    msg = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + payload
    c = R.csum(msg) if check is None else check
    return msg[:2] + struct.pack("!H", c) + msg[4:]


def malformed_batches():
    """(name, [frames]) sent from the gateway's addresses to the guest, one batch per
    kind of damage, each with IP identifications of its own."""
    import reliability as R
    b = []

    def add(name, make):
        i = len(b)
        b.append((name, make(BATCH_ID + 16 * i, BATCH_ID + i)))
    add("a valid echo request (control)", lambda ip, e: [
        R.eth(R.ipv4(icmp_echo(e, 1), 1, ident=ip))])
    add("IP version 6 and 0 in an IPv4 frame", lambda ip, e: [
        R.eth(R.ipv4(icmp_echo(e, 1), 1, ident=ip + k, version=v)) for k, v in enumerate((6, 0))])
    add("IP header length 4 and 15 words", lambda ip, e: [
        R.eth(R.ipv4(icmp_echo(e, 1), 1, ident=ip + k, ihl=h)) for k, h in enumerate((4, 15))])
    add("Total Length past the frame, and below the header", lambda ip, e: [
        R.eth(R.ipv4(icmp_echo(e, 1), 1, ident=ip + k, total=t)) for k, t in enumerate((400, 12))])
    add("bad IP header checksum", lambda ip, e: [
        R.eth(R.ipv4(icmp_echo(e, 1), 1, ident=ip, check=0x1234))])
    add("echo request with TTL 1", lambda ip, e: [
        R.eth(R.ipv4(icmp_echo(e, 1), 1, ident=ip, ttl=1))])
    add("bad ICMP checksum", lambda ip, e: [
        R.eth(R.ipv4(icmp_echo(e, 1, check=0xbeef), 1, ident=ip))])
    add("ICMP message of 2 bytes", lambda ip, e: [
        R.eth(R.ipv4(b"\x08\x00", 1, ident=ip))])
    add("unknown IP protocol 253", lambda ip, e: [
        R.eth(R.ipv4(b"\0" * 16, 253, ident=ip))])
    add("UDP to a closed port", lambda ip, e: [
        R.eth(R.ipv4(R.udp(40000, 9, b"anyone?"), 17, ident=ip))])
    return b


# udp_recv is left out: it counts IPv6's UDP too (a DHCPv6 reply may land in any batch)
COUNTERS = ("ip_recv", "ip_drop", "ip_chkerr", "icmp_drop", "udp_drop", "udp_noport")


@scenario("malformed4")
def malformed4(rec):
    """A guest behind the relay (tools/netrelay.py, no faults); each batch of
    malformed_batches() is injected towards the guest, then `ifconfig`'s counters are
    read (after IPv6's autoconfiguration, whose traffic would blur them); at the end the
    guest pings the gateway."""
    import reliability as R
    rec.facts["batches"] = []
    with R.relayed("tutorial-malformed4", cpus=1, seed=1) as g:
        if not g.wait_for(LEASE, timeout=60):
            raise R.TestFailure("no lease through the relay")
        g.wait_for(INET6, timeout=30)     # IPv6's set-up traffic is over
        time.sleep(0.5)
        before = R.netinfo_counters(g)
        for name, frames in malformed_batches():
            for f in frames:
                g.relay.inject(f, pace=0.01)
            time.sleep(0.3)
            after = R.netinfo_counters(g)
            rec.facts["batches"].append({
                "name": name, "frames": len(frames),
                "lwip": {k: after["lwip"][k] - before["lwip"][k] for k in COUNTERS},
                "rx_dropped": after["rx"]["dropped"] - before["rx"]["dropped"]})
            before = after
        rec.cmd(g, "ping -c 2 10.0.2.2", timeout=30)
        g.poweroff()
    rec.keep(g)


ICMP_KINDS = {(0, 0): "echo reply", (3, 2): "protocol unreachable", (3, 3): "port unreachable"}


@figure("malformed_counters", needs=["malformed4"])
def malformed_counters(m):
    """Per batch: what the guest's counters did, and what it sent back."""
    sent = tshark_fields(m.pcap, "ip.src == 10.0.2.15 && icmp",
                         ["icmp.type", "icmp.code", "icmp.ident", "ip.id"],
                         extra=["-E", "occurrence=a", "-E", "aggregator=,"])
    answers = {}
    for typ, code, ident, ids in sent:
        kind = ICMP_KINDS.get((int(typ), int(code)), "ICMP %s/%s" % (typ, code))
        ident = int(ident.split(",")[0], 0) if ident else None
        inner = [int(x, 0) for x in ids.split(",")[1:]]   # the header an error quotes
        for i in range(len(m.facts["batches"])):
            if ident == BATCH_ID + i or any(BATCH_ID + 16 * i <= x < BATCH_ID + 16 * (i + 1) for x in inner):
                answers.setdefault(i, []).append(kind)
    rows = []
    for i, b in enumerate(m.facts["batches"]):
        moved = ", ".join("%s +%d" % (k, v) for k, v in b["lwip"].items() if v)
        if b["rx_dropped"]:
            moved += ", link dropped +%d" % b["rx_dropped"]
        rows.append((b["name"], b["frames"], moved or "(none)", ", ".join(answers.get(i, [])) or "nothing"))
    return table(["injected", "frames", "counters that moved", "the guest sent back"], rows)


@figure("malformed_ping", needs=["malformed4"])
def malformed_ping(m):
    return fenced("$ ping -c 2 10.0.2.2\n" + m.output("ping -c 2 10.0.2.2"))
