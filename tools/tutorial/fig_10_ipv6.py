"""Chapter 10's figures: IPv6's address autoconfiguration at boot, from the boot
scenario's capture and console."""
import re

from figures import figure, table, fenced, tshark_fields, one_frame, console_lines, ms_since, FigureError
from scenarios import INET6, LEASE

ICMP6 = {"133": "Router Solicitation", "134": "Router Advertisement",
         "135": "Neighbor Solicitation", "136": "Neighbor Advertisement"}
# RS, RA, DAD's NS (from the unspecified address) and DHCPv6: the frames of
# autoconfiguration whose number does not depend on timing (MLD reports do)
AUTOCONF = "icmpv6.type == 133 || icmpv6.type == 134 || (icmpv6.type == 135 && ipv6.src == ::) || dhcpv6"


@figure("ipv6_autoconf", needs=["boot"])
def ipv6_autoconf(boot):
    rows = tshark_fields(boot.pcap, AUTOCONF, [
        "frame.time_epoch", "ipv6.src", "ipv6.dst", "icmpv6.type", "icmpv6.nd.ns.target_address",
        "icmpv6.opt.prefix", "dhcpv6.msgtype"])
    t0 = tshark_fields(boot.pcap, "frame.number == 1", ["frame.time_epoch"])[0][0]
    out = []
    for t, src, dst, kind, target, prefix, dhcp in rows:
        if dhcp:
            what = {"11": "DHCPv6 Information-request", "7": "DHCPv6 Reply"}.get(dhcp, "DHCPv6 " + dhcp)
            detail = "asks for the DNS server" if dhcp == "11" else "names the DNS server"
        else:
            what = ICMP6.get(kind, kind)
            detail = ("DAD: is anyone using %s?" % target if kind == "135"
                      else "prefix %s/64" % prefix if kind == "134" else "any router here?")
        out.append([ms_since(t, t0), src, dst, what, detail])
    return table(["ms after the first frame", "source", "destination", "message", "what it says"], out)


@figure("ipv6_ra", needs=["boot"])
def ipv6_ra(boot):
    """The router advertisement, decoded by tshark, its ICMPv6 part only."""
    n = tshark_fields(boot.pcap, "icmpv6.type == 134", ["frame.number"])
    if not n:
        raise FigureError("no router advertisement in the boot capture")
    text = one_frame(boot.pcap, int(n[0][0]), ["-V", "-O", "icmpv6"])
    at = text.find("Internet Control Message Protocol v6")
    if at < 0:
        raise FigureError("tshark did not decode the RA")
    return fenced(text[at:].rstrip())


def eui64(mac):
    b = [int(x, 16) for x in mac.split(":")]
    b[0] ^= 0x02
    words = [b[0] << 8 | b[1], b[2] << 8 | 0xff, 0xfe << 8 | b[3], b[4] << 8 | b[5]]
    return ":".join("%x" % w for w in words)


@figure("ipv6_eui64", needs=["boot"])
def ipv6_eui64(boot):
    """The interface identifier made from the MAC (RFC 4291 appendix A), step by step,
    and the addresses the kernel reported."""
    lease = re.search(LEASE, boot.console())
    line = re.search(INET6, boot.console())
    if not lease or not line:
        raise FigureError("no lease or inet6 line in the boot console")
    mac = lease.group(1)
    b = mac.split(":")
    flipped = "%02x" % (int(b[0], 16) ^ 2)
    iid = eui64(mac)
    rows = [["the MAC (from the device's config space)", mac],
            ["flip bit 1 of the first byte (universal/local)", ":".join([flipped] + b[1:])],
            ["insert ff:fe in the middle", ":".join([flipped] + b[1:3] + ["ff", "fe"] + b[3:])],
            ["the 64-bit interface identifier", iid],
            ["fe80::/64 + identifier: link-local", "fe80::" + iid],
            ["advertised prefix + identifier: global", "fec0::" + iid],
            ["the kernel's line says", "%s, %s" % (line.group(2), line.group(1))]]
    return table(["step", "value"], rows)


@figure("ipv6_lines", needs=["boot"])
def ipv6_lines(boot):
    return fenced("\n".join(console_lines(boot, [INET6])))


@figure("ipv6_ping", needs=["boot"])
def ipv6_ping(boot):
    return fenced("$ ping -c 2 fec0::2\n" + boot.output("ping -c 2 fec0::2").strip())


@figure("ipv6_ifconfig", needs=["boot"])
def ipv6_ifconfig(boot):
    keep = [l for l in boot.output("ifconfig").split("\n") if "inet6" in l or "ipv6" in l]
    return fenced("$ ifconfig   (the IPv6 lines)\n" + "\n".join(keep))
