#!/usr/bin/env python3
"""One RTP party for media tests: sends a G.711 A-law tone and counts what
arrives, telling the tones it hears apart.

  rtpparty.py --port P [--host IP] [--to HOST:PORT | --peer-file FILE]
              [--tone HZ] [--ssrc N] [--ms MS] [--detect 400,800,1600]
              [--out FILE [--live]]

Binds IP:P (127.0.0.1). With --to, sends a 20 ms PCMA packet (payload 8, 160
bytes) of a sine at --tone Hz every 20 ms for --ms, from that same socket
(so rtpengine's latching sees the party's one address). It receives for --ms
plus 300 ms, then writes a JSON summary (to --out, else stdout):

  {"packets": N, "bytes": N, "streams": [{"ssrc": S, "src": "ip:port",
   "packets": N, "tones": {"400": 0.97, "800": 0.01, ...}}, ...],
   "heard": ["400"]}

A stream is one (SSRC, source address). "tones" is, for each --detect
frequency, the share of the stream's decoded energy at that frequency
(Goertzel over each packet, summed); "heard" lists the tones whose share is
at least 0.2 in some stream, or in the sum of all streams' audio when
packets of several streams carry the same timestamps (a mixed stream is one
SSRC, so it shows there too).

--peer-file: the far end is read from FILE ("host:port") once it exists,
and again whenever it changes (a test learns rtpengine's port after the
party started; a phone's party talks to each call's port in turn). --live:
OUT is written every 100 ms (atomically) while the party runs, so a test
can watch what a phone hears as it happens; "ssrc" is the party's own SSRC
(what the others hear from it) and "ssrcs" the packets received per SSRC.

Stops on its own after --ms + 300 ms (a test never waits on it longer), or
on SIGTERM; the summary is written either way.
"""
import argparse
import json
import math
import os
import select
import signal
import socket
import struct
import sys
import time


def alaw_encode(sample):
    """16-bit linear sample to one A-law byte (G.711)."""
    sign = 0x00 if sample < 0 else 0x80
    if sample < 0:
        sample = -sample - 1 if sample > -32768 else 32767
    sample = min(sample, 32635)
    if sample >= 256:
        exp = 7
        mask = 0x4000
        while not sample & mask and exp > 1:
            exp -= 1
            mask >>= 1
        mant = (sample >> (exp + 3)) & 0x0F
        byte = (exp << 4) | mant
    else:
        byte = sample >> 4
    return (byte | sign) ^ 0x55


def alaw_decode(byte):
    byte ^= 0x55
    sign = byte & 0x80
    exp = (byte & 0x70) >> 4
    mant = byte & 0x0F
    if exp == 0:
        sample = (mant << 4) + 8
    else:
        sample = ((mant << 4) + 0x108) << (exp - 1)
    return sample if sign else -sample


DECODE = [alaw_decode(b) for b in range(256)]


def goertzel(samples, freq, rate=8000):
    k = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return s1 * s1 + s2 * s2 - k * s1 * s2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--to")
    ap.add_argument("--peer-file")
    ap.add_argument("--live", action="store_true")
    ap.add_argument("--tone", type=float, default=400)
    ap.add_argument("--ssrc", type=int, default=None)
    ap.add_argument("--ms", type=int, default=3000)
    ap.add_argument("--detect", default="")
    ap.add_argument("--out")
    a = ap.parse_args()

    detect = [int(x) for x in a.detect.split(",") if x]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((a.host, a.port))
    def parse_dest(text):
        host, port = text.strip().rsplit(":", 1)
        return (host, int(port))

    dest = parse_dest(a.to) if a.to else None
    peer_mtime = 0
    ssrc = a.ssrc if a.ssrc is not None else a.port * 7919 & 0xFFFFFFFF
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))

    streams = {}
    start = time.monotonic()
    send_until = start + a.ms / 1000.0
    recv_until = send_until + 0.3
    seq = 0
    next_send = start
    next_write = start
    phase = 0.0
    step = 2 * math.pi * a.tone / 8000
    while not stop:
        now = time.monotonic()
        if now >= recv_until:
            break
        if a.peer_file and os.path.exists(a.peer_file):
            mtime = os.stat(a.peer_file).st_mtime_ns
            if mtime != peer_mtime:
                try:
                    dest = parse_dest(open(a.peer_file).read())
                    peer_mtime = mtime
                except ValueError:
                    pass
        if a.live and a.out and now >= next_write:
            write(a.out, summary(streams, detect, seq, ssrc))
            next_write = now + 0.1
        if dest and now >= next_send and now < send_until:
            payload = bytearray(160)
            for i in range(160):
                payload[i] = alaw_encode(int(8000 * math.sin(phase)))
                phase += step
            hdr = struct.pack("!BBHII", 0x80, 8, seq & 0xFFFF, (seq * 160) & 0xFFFFFFFF, ssrc)
            sock.sendto(hdr + bytes(payload), dest)
            seq += 1
            next_send += 0.02
        wait = max(0.0, min(next_send if dest and next_send < send_until else recv_until,
                            recv_until, next_write if a.live else recv_until,
                            now + 0.05) - time.monotonic())
        r, _, _ = select.select([sock], [], [], wait)
        if not r:
            continue
        data, src = sock.recvfrom(2048)
        if len(data) < 12 or data[0] >> 6 != 2:
            continue
        cc = data[0] & 0x0F
        pt = data[1] & 0x7F
        seq_, ts, s = struct.unpack("!HII", data[2:12])
        key = (s, "%s:%d" % src)
        st = streams.setdefault(key, {"packets": 0, "bytes": 0, "energy": [0.0] * len(detect),
                                      "total": 0.0, "pts": set(),
                                      "seq": [seq_, seq_], "ts": [ts, ts]})
        st["packets"] += 1
        st["seq"][1] = seq_
        st["ts"][1] = ts
        st["bytes"] += len(data)
        st["pts"].add(pt)
        if pt == 8 and detect:
            pcm = [DECODE[b] for b in data[12 + 4 * cc:]]
            total = sum(x * x for x in pcm) * len(pcm) / 2.0
            st["total"] += total
            for i, f in enumerate(detect):
                st["energy"][i] += goertzel(pcm, f)

    out = summary(streams, detect, seq, ssrc)
    if a.out:
        write(a.out, out)
    else:
        print(json.dumps(out))


def write(path, out):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(json.dumps(out) + "\n")
    os.replace(tmp, path)


def summary(streams, detect, sent, own):
    out = {"packets": 0, "bytes": 0, "sent": sent, "ssrc": str(own), "ssrcs": {},
           "streams": [], "heard": []}
    heard = set()
    for (s, src), st in sorted(streams.items(), key=lambda kv: -kv[1]["packets"]):
        tones = {}
        for i, f in enumerate(detect):
            share = st["energy"][i] / st["total"] if st["total"] else 0.0
            tones[str(f)] = round(share, 3)
            if share >= 0.2:
                heard.add(str(f))
        out["packets"] += st["packets"]
        out["bytes"] += st["bytes"]
        out["ssrcs"][str(s)] = out["ssrcs"].get(str(s), 0) + st["packets"]
        out["streams"].append({"ssrc": s, "src": src, "packets": st["packets"],
                               "payload_types": sorted(st["pts"]), "seq": st["seq"],
                               "ts": st["ts"], "tones": tones})
    out["heard"] = sorted(heard, key=int)
    return out


if __name__ == "__main__":
    sys.exit(main())
