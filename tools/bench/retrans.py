#!/usr/bin/env python3
"""retrans.py: how each bulk TCP stream of a capture recovered from its losses.

  tools/bench/retrans.py PCAP [MIN_BYTES]

For the captures BENCH_LOSS_PCAP=DIR makes (tools/bench/run.py, the loss part): the
capture point is the guest's NIC, in front of the relay, so a download shows every
segment the guest sent (lost ones too) and the ACKs that reached it; an upload shows
the segments that reached the guest and every ACK it sent. For each stream carrying
at least MIN_BYTES (default 500000) it prints its duration and data, then each
retransmission (tshark's tcp.analysis.retransmission, fast_retransmission) with:
  hole   time from the first ACK for that sequence number (the receiver saying
         "missing") to the retransmission; what the sender's recovery cost
  after  whether the sender had seen 3 duplicate ACKs for it by then (fast) or not
and the time covered by holes longer than 100 ms (timeouts, the stalls that dominate under loss)."""
import collections, statistics, subprocess, sys

FIELDS = ["frame.time_relative", "tcp.stream", "ip.src", "tcp.seq", "tcp.len", "tcp.ack",
          "tcp.flags.ack", "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
          "tcp.analysis.duplicate_ack"]


def frames(pcap):
    cmd = ["tshark", "-r", pcap, "-Y", "tcp", "-T", "fields", "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        v = line.split("\t")
        yield dict(t=float(v[0]), stream=int(v[1]), src=v[2], seq=int(v[3] or 0), len=int(v[4] or 0),
                   ack=int(v[5] or 0), rexmit=bool(v[7]), fast=bool(v[8]), dupack=bool(v[9]))


def q(vals, p):
    vals = sorted(vals)
    return vals[min(len(vals) - 1, int(len(vals) * p))]


def report(pcap, min_bytes=500000):
    streams = collections.defaultdict(list)
    for f in frames(pcap):
        streams[f["stream"]].append(f)
    for sid, fs in sorted(streams.items()):
        by_src = collections.Counter()
        for f in fs:
            by_src[f["src"]] += f["len"]
        sender, data = by_src.most_common(1)[0]
        if data < min_bytes:
            continue
        first_ack = {}        # ack number from the receiver -> first time seen
        dups = collections.Counter()
        holes, fast, rto = [], 0, 0
        for f in fs:
            if f["src"] != sender:
                first_ack.setdefault(f["ack"], f["t"])
                if f["dupack"]:
                    dups[f["ack"]] += 1
            elif f["rexmit"] or f["fast"]:
                t0 = first_ack.get(f["seq"])
                holes.append((t0, f["t"]) if t0 is not None else None)
                if dups[f["seq"]] >= 3:
                    fast += 1
                else:
                    rto += 1
        sent = [f for f in fs if f["src"] == sender and f["len"]]
        dur = fs[-1]["t"] - sent[0]["t"]
        spans = [h for h in holes if h is not None]
        known = [b - a for a, b in spans]
        print("%s stream %d: %s sends %d bytes in %.2f s (%d data segments, %d retransmitted: "
              "%d after 3 dup ACKs, %d without)" % (pcap, sid, sender, data, dur, len(sent), len(holes), fast, rto))
        if known:
            long = [h for h in known if h > 0.1]
            stalled = union([(a, b) for a, b in spans if b - a > 0.1])
            print("  hole before the retransmission: median %.0f ms, p90 %.0f ms, max %.0f ms; "
                  "%d over 100 ms, covering %.1f s (%.0f%% of the transfer)" % (
                      statistics.median(known) * 1e3, q(known, 0.9) * 1e3, max(known) * 1e3,
                      len(long), stalled, 100 * stalled / dur))


def union(spans):
    """Seconds covered by the (start, end) spans (a hole resent twice counts once)."""
    total, end = 0.0, None
    for a, b in sorted(spans):
        if end is None or a > end:
            total, end = total + b - a, b
        elif b > end:
            total, end = total + b - end, b
    return total


if __name__ == "__main__":
    report(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 500000)
