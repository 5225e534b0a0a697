"""Chapter 5's figures: DHCP's exchange at boot."""
import os, re, shutil

from figures import (FigureError, fenced, figure, first_frame, frame_fields, console_lines,
                     ms_since, table, tshark_fields)
from scenarios import LEASE, ROOT, scenario

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


# ------------------------------------------------------------------ options, lease, timers



def _options(pcap, number):
    """(number, name, value) of each option of the DHCP message in frame `number`, as
    tshark decodes them."""
    out = []
    for proto, f in frame_fields(pcap, number, ["dhcp"]):
        if f["name"] != "dhcp.option.type":
            continue
        m = re.match(r"Option: \((\d+)\) (.*?)(?: \((.*)\))?$", f["showname"])
        if not m:
            continue
        values = [c["showname"].split(": ", 1)[-1] for c in f["children"]
                  if c["name"] not in ("dhcp.option.type", "dhcp.option.length") and not c["hide"]]
        out.append((int(m.group(1)), m.group(2), "; ".join(values) or m.group(3) or ""))
    return out


@figure("dhcp_offer_options", needs=["boot"])
def dhcp_offer_options(boot):
    """The options of the first OFFER, in the order the server put them."""
    n = first_frame(boot.pcap, "dhcp.option.dhcp == 2")
    return table(["option", "name", "value"], _options(boot.pcap, n))


@figure("dhcp_lease_lines", needs=["boot"])
def dhcp_lease_lines(boot):
    """The kernel's lease line on the console, and ifconfig's lease line."""
    lease = console_lines(boot, [LEASE])[0]
    since = [l.strip() for l in boot.output("ifconfig").split("\n") if "dhcp lease" in l]
    if not since:
        raise FigureError("ifconfig printed no dhcp lease line")
    return fenced(lease + "\n$ ifconfig\n...\n        " + since[0] + "\n...")


def _times(pcap):
    """Option 51, 58, 59 of the first ACK in pcap (seconds, or None if absent)."""
    n = first_frame(pcap, "dhcp.option.dhcp == 5")
    row = tshark_fields(pcap, "frame.number == %d" % n, [
        "dhcp.option.ip_address_lease_time", "dhcp.option.renewal_time_value",
        "dhcp.option.rebinding_time_value", "ip.src"])[0]
    return [int(v) if v else None for v in row[:3]] + [row[3]]


def _timer_row(server, pcap):
    lease, t1, t2, src = _times(pcap)
    if lease is None:
        raise FigureError("the ACK from %s names no lease time" % server)
    mins = lambda s: "%d s (%s min)" % (s, round(s / 60)) if s is not None else "absent"
    # lwIP's dhcp_handle_ack: without options 58/59, T1 = lease/2, T2 = lease*7/8
    # (RFC 2131 4.4.5); dhcp_bind rounds each to whole minutes (DHCP_COARSE_TIMER_SECS)
    t1u = t1 if t1 is not None else lease // 2
    t2u = t2 if t2 is not None else lease * 7 // 8
    return (server + " (" + src + ")", mins(lease), mins(t1), mins(t2),
            "%d min" % ((t1u + 30) // 60), "%d min" % ((t2u + 30) // 60))


@figure("dhcp_timers", needs=["boot", "dns"])
def dhcp_timers(boot, dns):
    """The lease, T1 and T2 each server's ACK gives, and the timers lwIP sets from them."""
    rows = [_timer_row("QEMU's user network", boot.pcap), _timer_row("dnsmasq", dns.pcap)]
    return table(["server", "option 51: lease", "option 58: T1", "option 59: T2",
                  "lwIP renews (T1) after", "lwIP rebinds (T2) after"], rows)


# ------------------------------------------------------------------ DHCP under loss
LOSS = 0.3
LOSS_SEEDS = (1, 2, 3)
LOSS_WAIT = 25          # seconds for a lease, per boot


@scenario("dhcp_loss")
def dhcp_loss(rec):
    """Three boots through the relay losing 30% of the frames each way (seeds 1, 2, 3),
    each with its own capture: how long the lease takes, and what was sent again."""
    import reliability as R
    rec.facts["runs"] = []
    for seed in LOSS_SEEDS:
        with R.relayed("tutorial-dhcp-loss%d" % seed, cpus=1, seed=seed,
                       relay_opts=["--loss", str(LOSS)]) as g:
            m = g.wait_for(LEASE, timeout=LOSS_WAIT)
            stats = g.relay.stats()
            g.poweroff()
        name = "seed%d.pcap" % seed
        shutil.copy(os.path.join(ROOT, g.pcap), rec.path(name))
        rec.facts["runs"].append({"seed": seed, "pcap": name, "lease_ms": int(m.group(6)) if m else None,
                                  "lost": stats["up"]["lost"] + stats["down"]["lost"]})


def _dhcp_frames(pcap):
    return tshark_fields(pcap, "dhcp", ["frame.time_epoch", "dhcp.option.dhcp", "dhcp.id"])


@figure("dhcp_loss_table", needs=["dhcp_loss"], shape="header")
def dhcp_loss_table(loss):
    """Per boot: the DHCP messages the guest sent and received, and the lease time."""
    rows = []
    for run in loss.facts["runs"]:
        kinds = [k for _, k, _ in _dhcp_frames(os.path.join(loss.dir, run["pcap"]))]
        rows.append((run["seed"], kinds.count("1"), kinds.count("2"), kinds.count("3"),
                     kinds.count("5"), run["lease_ms"] if run["lease_ms"] is not None
                     else "none in %d s" % LOSS_WAIT, run["lost"]))
    return table(["seed", "DISCOVER sent", "OFFER received", "REQUEST sent", "ACK received",
                  "lease after (ms)", "frames the relay lost"], rows)


@figure("dhcp_loss_timeline", needs=["dhcp_loss"], shape="header")
def dhcp_loss_timeline(loss):
    """The DHCP messages of the boot that sent the most DISCOVERs, in time order."""
    best, frames = None, []
    for run in loss.facts["runs"]:
        f = _dhcp_frames(os.path.join(loss.dir, run["pcap"]))
        if best is None or [k for _, k, _ in f].count("1") > [k for _, k, _ in frames].count("1"):
            best, frames = run, f
    t0 = frames[0][0] if frames else 0
    rows = [(ms_since(t, t0), DHCP_TYPES.get(k, k), xid) for t, k, xid in frames]
    return "Seed %d:\n\n" % best["seed"] + table(["ms since the first DISCOVER", "message", "transaction id"], rows)
