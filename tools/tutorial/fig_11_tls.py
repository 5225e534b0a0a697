"""Chapter 11's figures: a verified HTTPS fetch and a refused one, from the tls
scenario's console and capture."""
import re

from figures import figure, table, fenced, tshark_fields, FigureError

HANDSHAKE = {"1": "ClientHello", "2": "ServerHello", "11": "Certificate", "12": "ServerKeyExchange",
             "14": "ServerHelloDone", "16": "ClientKeyExchange", "4": "NewSessionTicket"}
CONTENT = {"20": "ChangeCipherSpec", "21": "Alert", "22": "Handshake", "23": "Application Data"}


def _port(text):
    return re.sub(r"10\.0\.2\.2:\d+", "10.0.2.2:PORT", text)


@figure("tls_httpget", needs=["tls"])
def tls_httpget(tls):
    out = []
    for cmd, text in tls.runs:
        if cmd.startswith("httpget"):
            out.append("$ " + _port(cmd) + "\n" + _port(text.strip()))
    return fenced("\n".join(out))


def _records(tls, port, conn):
    """The TLS records of the conn-th connection (0, 1) to the bed's port: one row per run
    of frames one side sends (a flight; a 16 KiB record spans a dozen frames)."""
    streams = sorted({int(r[0]) for r in tshark_fields(tls.pcap, "tcp.port == %d" % port, ["tcp.stream"])})
    if len(streams) <= conn:
        raise FigureError("connection %d to port %d is not in the capture" % (conn, port))
    rows = tshark_fields(tls.pcap, "tls && tcp.stream == %d" % streams[conn],
                         ["ip.src", "tls.record.content_type", "tls.handshake.type", "tls.alert_message.desc"],
                         occurrence="a")
    out = []
    for src, ctype, htype, alert in rows:
        if not ctype:
            continue          # a segment of a record that ends in a later frame
        who = "guest → server" if src == "10.0.2.15" else "server → guest"
        types = [HANDSHAKE.get(h, "?") for h in htype.split(",") if h]
        records = ctype.split(",")
        kinds = []
        for i, c in enumerate(records):
            if c == "22":
                # one handshake message per record, except that the last of the frame's
                # records takes what is left; an encrypted one (Finished) has no type
                rest = len([r for r in records[i + 1:] if r == "22"])
                mine = types[:len(types) - rest] if rest < len(types) else types[:1]
                types = types[len(mine):]
                kinds.append(", ".join(mine) if mine else "Finished (encrypted)")
            elif c == "21":
                kinds.append("Alert (%s)" % {"48": "unknown CA"}.get(alert, alert) if alert
                             else "Alert (encrypted: close_notify)")
            else:
                kinds.append(CONTENT.get(c, c))
        # one row per flight: the frames one side sends before the other answers (how
        # a flight is cut into TCP segments depends on timing)
        if out and out[-1][0] == who:
            out[-1][1] += kinds
            out[-1][2] += 1
        else:
            out.append([who, kinds, 1])
    return [[who, " + ".join(k for i, k in enumerate(kinds) if k not in kinds[:i]), n]
            for who, kinds, n in out]


@figure("tls_handshake", needs=["tls"])
def tls_handshake(tls):
    return table(["direction", "TLS records (one flight)", "frames"], _records(tls, tls.facts["port"], 0))


@figure("tls_refused", needs=["tls"])
def tls_refused(tls):
    return table(["direction", "TLS records (one flight)", "frames"], _records(tls, tls.facts["port"], 1))


SUITES = {"0xc02c": "ECDHE-ECDSA-AES256-GCM-SHA384", "0xc030": "ECDHE-RSA-AES256-GCM-SHA384",
          "0xcca9": "ECDHE-ECDSA-CHACHA20-POLY1305", "0xcca8": "ECDHE-RSA-CHACHA20-POLY1305",
          "0xc02b": "ECDHE-ECDSA-AES128-GCM-SHA256", "0xc02f": "ECDHE-RSA-AES128-GCM-SHA256",
          "0x00ff": "EMPTY_RENEGOTIATION_INFO_SCSV (no renegotiation: RFC 5746)"}
EXTENSIONS = {"0": "server_name (SNI)", "10": "supported_groups", "11": "ec_point_formats",
              "13": "signature_algorithms", "22": "encrypt_then_mac", "23": "extended_master_secret",
              "35": "session_ticket", "65281": "renegotiation_info", "16": "ALPN"}


@figure("tls_client_hello", needs=["tls"])
def tls_client_hello(tls):
    """What the guest's ClientHello offers: version, cipher suites, extensions."""
    r = tshark_fields(tls.pcap, "tls.handshake.type == 1", [
        "tls.handshake.version", "tls.handshake.ciphersuite", "tls.handshake.extension.type"],
        occurrence="a")
    if not r:
        raise FigureError("no ClientHello")
    version, suites, exts = r[0]
    rows = [["version", "%s (TLS 1.2)" % version if version == "0x0303" else version]]
    rows += [["cipher suite %s" % c, SUITES.get(c, "?")] for c in suites.split(",")]
    rows += [["extension %s" % e, EXTENSIONS.get(e, "?")] for e in exts.split(",")]
    chosen = tshark_fields(tls.pcap, "tls.handshake.type == 2", ["tls.handshake.ciphersuite"])
    if chosen:
        rows.append(["the server chose", "%s %s" % (chosen[0][0], SUITES.get(chosen[0][0], "?"))])
    return table(["ClientHello field", "value"], rows)
