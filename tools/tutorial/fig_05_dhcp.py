"""Chapter 5's figures: DHCP's exchange at boot."""
from figures import figure, table, tshark_fields, ms_since

DHCP_TYPES = {"1": "DISCOVER", "2": "OFFER", "3": "REQUEST", "5": "ACK", "6": "NAK"}


@figure("dhcp_dora", needs=["boot"])
def dhcp_dora(boot):
    """The first DHCP exchange of the boot capture, one row per message."""
    rows = tshark_fields(boot.pcap, "dhcp", [
        "frame.time_epoch", "eth.src", "ip.src", "ip.dst", "dhcp.option.dhcp", "dhcp.id",
        "dhcp.ip.your", "dhcp.option.requested_ip_address"])
    out, t0 = [], None
    for t, mac, src, dst, kind, xid, yiaddr, requested in rows[:4]:
        t0 = t0 or t
        out.append([ms_since(t, t0), mac, "%s → %s" % (src, dst), DHCP_TYPES.get(kind, kind),
                    xid, yiaddr if yiaddr != "0.0.0.0" else "", requested])
    return table(["ms", "from MAC", "IP source → destination", "message", "transaction id",
                  "yiaddr (offered)", "option 50 (requested)"], out)
