#!/usr/bin/env python3
"""One party's RTP for the integration tests: what a phone hears, counted.

Binds 127.0.0.1:PORT (the port the party's SDP advertises), sends PCMA
packets (160 bytes of BYTE, every 20 ms, its own SSRC) to PEER once given,
and counts every RTP packet it receives by SSRC. Every 100 ms it writes
OUT (atomically): {"ssrcs": {"<ssrc>": packets, ...}, "packets": total,
"last_ms": ms since the epoch of the last packet}. It stops after --max-s
seconds or on SIGTERM.

  rtp_party.py --port 40000 --peer 127.0.0.1:30000 --out party.json

--peer-file FILE: the peer is read from FILE ("host:port") once it exists,
and again whenever it changes: a test learns it after the party started,
and a phone's party talks to each call's port in turn. OUT also holds the
party's own SSRC ("ssrc"), which the other side hears.
"""
import argparse
import json
import os
import select
import signal
import socket
import struct
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--peer")
    ap.add_argument("--peer-file")
    ap.add_argument("--out", required=True)
    ap.add_argument("--byte", type=lambda s: int(s, 0), default=0xD5)
    ap.add_argument("--max-s", type=float, default=120)
    a = ap.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", a.port))
    sock.setblocking(False)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))

    def parse_peer(s):
        host, port = s.strip().rsplit(":", 1)
        return (host, int(port))

    peer = parse_peer(a.peer) if a.peer else None
    peer_mtime = 0
    ssrc = int.from_bytes(os.urandom(4), "big")
    seq, ts = 0, 0
    payload = bytes([a.byte]) * 160
    counts, total, last_ms = {}, 0, 0
    start = time.monotonic()
    next_send = next_write = start

    def write():
        tmp = a.out + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"ssrc": str(ssrc), "ssrcs": counts, "packets": total,
                       "last_ms": last_ms}, f)
        os.replace(tmp, a.out)

    while not stop and time.monotonic() - start < a.max_s:
        now = time.monotonic()
        if a.peer_file and os.path.exists(a.peer_file):
            mtime = os.stat(a.peer_file).st_mtime_ns
            if mtime != peer_mtime:
                try:
                    peer = parse_peer(open(a.peer_file).read())
                    peer_mtime = mtime
                except ValueError:
                    pass
        if peer and now >= next_send:
            hdr = struct.pack("!BBHII", 0x80, 8, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
            try:
                sock.sendto(hdr + payload, peer)
            except OSError:
                pass
            seq += 1
            ts += 160
            next_send += 0.02
            if next_send < now:
                next_send = now + 0.02
        if now >= next_write:
            write()
            next_write = now + 0.1
        wait = max(0.0, min(next_send if peer else now + 0.02, next_write) - time.monotonic())
        r, _, _ = select.select([sock], [], [], wait)
        if not r:
            continue
        while True:
            try:
                data = sock.recv(2048)
            except BlockingIOError:
                break
            if len(data) < 12 or data[0] >> 6 != 2:
                continue
            key = str(struct.unpack("!I", data[8:12])[0])
            counts[key] = counts.get(key, 0) + 1
            total += 1
            last_ms = int(time.time() * 1000)
    write()


if __name__ == "__main__":
    main()
