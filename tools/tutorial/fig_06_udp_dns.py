"""Chapter 6's figures: UDP and DNS, from the `dns` scenario (dnsmasq on a tap)."""
import re

from figures import FigureError, figure, fenced, first_frame, one_frame, table, tshark_fields

LOOKUPS = ["nslookup www.tutorial.test", "nslookup -type=AAAA www.tutorial.test",
           "nslookup web.tutorial.test", "nslookup nothere.missing.test"]
QTYPES = {"1": "A", "5": "CNAME", "28": "AAAA"}
RCODES = {"0": "NOERROR", "2": "SERVFAIL", "3": "NXDOMAIN"}


@figure("nslookup_outputs", needs=["dns"])
def nslookup_outputs(dns):
    return fenced("\n".join("$ %s\n%s" % (c, dns.output(c).rstrip("\n")) for c in LOOKUPS))


@figure("dns_exchange", needs=["dns"])
def dns_exchange(dns):
    """Every DNS message of the scenario: queries and responses, their ids, ports and
    the records the answers hold."""
    rows = tshark_fields(dns.pcap, "dns", [
        "frame.number", "dns.flags.response", "dns.id", "udp.srcport", "udp.dstport", "dns.flags",
        "dns.qry.name", "dns.qry.type", "dns.flags.rcode", "dns.count.answers", "dns.resp.type",
        "dns.resp.ttl"], extra=["-E", "occurrence=a", "-E", "aggregator=,"])
    out = []
    for n, resp, ident, sport, dport, flags, qname, qtype, rcode, an, rtypes, ttls in rows:
        is_resp = resp in ("1", "True")
        out.append((n, "response" if is_resp else "query", ident, "%s → %s" % (sport, dport), flags,
                    qname, QTYPES.get(qtype, qtype),
                    RCODES.get(rcode, rcode) if is_resp else "",
                    an if is_resp else "",
                    ", ".join(QTYPES.get(t, t) for t in rtypes.split(",") if t),
                    ttls))
    return table(["frame", "message", "id", "UDP ports", "flags", "question", "type", "rcode",
                  "answers", "answer records", "TTLs"], out)



@figure("dns_query_bytes", needs=["dns"])
def dns_query_bytes(dns):
    """The first query's UDP header decoded (its checksum verified)."""
    n = first_frame(dns.pcap, "dns.flags.response == 0")
    text = one_frame(dns.pcap, n, ["-V", "-O", "udp", "-o", "udp.check_checksum:TRUE"])
    keep = [l for l in text.split("\n")
            if l.startswith("User Datagram") or re.match(r"    \S", l)]
    keep = [l for l in keep if not re.search(r"\[(Timestamps|Stream index|Time since|Time \w+ previous)", l)]
    return "Frame %d:\n\n" % n + fenced("\n".join(keep))


@figure("dns_query_hex", needs=["dns"], shape="header")
def dns_query_hex(dns):
    """The first query's bytes (its id, port, checksum and the tap's MAC are random:
    only the title is compared)."""
    n = first_frame(dns.pcap, "dns.flags.response == 0")
    return "The bytes of frame %d:\n\n" % n + fenced(one_frame(dns.pcap, n, ["-x"]))


@figure("dns_cname_answer", needs=["dns"])
def dns_cname_answer(dns):
    """tshark's decoding of the first answer with a CNAME (the flag bits left out)."""
    n = first_frame(dns.pcap, "dns.cname")
    text = one_frame(dns.pcap, n, ["-V", "-O", "dns"])
    start = text.find("Domain Name System")
    if start < 0:
        raise FigureError("frame %d has no DNS" % n)
    keep = [l for l in text[start:].split("\n")
            if l.strip() and not re.match(r"\s+[.01]{4} ", l) and "[Request In" not in l
            and "[Time:" not in l]
    return "Frame %d:\n\n" % n + fenced("\n".join(keep))
