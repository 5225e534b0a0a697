"""Chapter 3's figures: Ethernet and ARP in the boot capture."""
import re

from figures import (FigureError, figure, fenced, frame_fields, first_frame, one_frame,
                     table, tshark_fields, ms_since)

# The first ARP request the guest makes for another host (not its announcement, whose
# sender and target addresses are the same), and the first reply.
REQUEST = "arp.opcode == 1 && arp.src.proto_ipv4 != arp.dst.proto_ipv4"
REPLY = "arp.opcode == 2"
ANNOUNCE = "arp.opcode == 1 && arp.src.proto_ipv4 == arp.dst.proto_ipv4"


@figure("arp_hex", needs=["boot"])
def arp_hex(boot):
    """The hex dump of the first ARP request and of its reply."""
    out = []
    for title, flt in (("request", REQUEST), ("reply", REPLY)):
        n = first_frame(boot.pcap, flt)
        summary = tshark_fields(boot.pcap, "frame.number == %d" % n, ["frame.len", "_ws.col.Info"])[0]
        out.append("Frame %d, the %s (%s bytes): %s\n\n" % (n, title, summary[0], summary[1]))
        out.append(fenced(one_frame(boot.pcap, n, ["-x"])))
        out.append("\n")
    return "".join(out).rstrip("\n") + "\n"


def _value(field):
    """What a field holds, as tshark words it ("request (1)", "IPv4 (0x0800)")."""
    text = field["showname"]
    return text.split(": ", 1)[1] if ": " in text else field["show"]


@figure("arp_fields", needs=["boot"])
def arp_fields(boot):
    """Every field of the request and of the reply: offset, size, name, the two values."""
    req = frame_fields(boot.pcap, first_frame(boot.pcap, REQUEST), ["eth", "arp"])
    rep = frame_fields(boot.pcap, first_frame(boot.pcap, REPLY), ["eth", "arp"])
    rep_by_name = {f["name"]: f for _, f in rep if not f["hide"]}
    rows, seen = [], set()
    for proto, f in req + [(p, f) for p, f in rep if f["name"] not in {g["name"] for _, g in req}]:
        if f["hide"] or f["size"] == 0 or f["name"] in seen:
            continue
        seen.add(f["name"])
        name = f["showname"].split(": ", 1)[0]
        in_req = any(g["name"] == f["name"] for _, g in req)
        r = rep_by_name.get(f["name"])
        rows.append((f["pos"], f["size"], proto, name, "`%s`" % f["name"],
                     _value(f) if in_req else "(none)", _value(r) if r else "(none)"))
    rows.sort(key=lambda r: r[0])
    return table(["offset", "bytes", "header", "field", "tshark name", "request", "reply"], rows)


@figure("arp_frames", needs=["boot"])
def arp_frames(boot):
    """The ARP frames the guest's first minutes need: its announcement after the lease,
    the request for the gateway and the reply, with their sizes and time since the ACK."""
    ack = tshark_fields(boot.pcap, "dhcp.option.dhcp == 5", ["frame.time_epoch"])
    if not ack:
        raise FigureError("no DHCP ACK in the boot capture")
    t0 = ack[0][0]
    rows = []
    for what, flt in (("announcement", ANNOUNCE), ("request", REQUEST), ("reply", REPLY)):
        n = first_frame(boot.pcap, flt)
        t, length, dst, op, smac, sip, tmac, tip = tshark_fields(
            boot.pcap, "frame.number == %d" % n,
            ["frame.time_epoch", "frame.len", "eth.dst", "arp.opcode", "arp.src.hw_mac",
             "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4"])[0]
        rows.append((n, what, ms_since(t, t0), length, dst, op, smac, sip, tmac, tip))
    return table(["frame", "what", "ms after the DHCP ACK", "bytes", "Ethernet destination",
                  "opcode", "sender MAC", "sender IP", "target MAC", "target IP"], rows)


@figure("ifconfig_link", needs=["boot"])
def ifconfig_link(boot):
    """The link-level lines of `ifconfig`: flags and MTU, MAC, frame counters."""
    out = boot.output("ifconfig")
    keep = [l for l in out.split("\n")
            if re.match(r"en0: flags|\s+(ether|device|RX packets|TX packets|lwip drops: arp)", l)]
    if len(keep) < 5:
        raise FigureError("ifconfig printed no link lines: %r" % out[:200])
    return fenced("$ ifconfig\n" + "\n".join(keep))
