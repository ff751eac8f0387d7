"""Per-hop residence time of a SIP proxy, from a packet capture of its port.

A hop is the time from a message reaching the proxy to the first message it causes leaving it:
a request to its forwarded copy (or to the 100 Trying tm answers it with), a reply to its relayed
copy. Both ends of a hop are taken from the same capture clock, so the proxy's time is measured
without the clients' timer steps (SIPp's response times come in milliseconds). Retransmissions
count once: the first copy in and the first copy out.
"""
import struct
import subprocess
import time
from collections import defaultdict
from pathlib import Path

PCAP_NS_MAGIC = 0xA1B23C4D


class Capture:
    """tcpdump on lo for one UDP port, nanosecond timestamps, into a file; needs root."""

    def __init__(self, port, path: Path):
        self.port, self.path = port, path
        self.proc = None
        self.dropped = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            ["tcpdump", "-i", "lo", "-n", "-s", "0", "-B", "32768", "--time-stamp-precision=nano", "-U",
             "-w", str(self.path), "udp", "port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while not (self.path.exists() and self.path.stat().st_size >= 24):  # the pcap header: tcpdump is listening
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise OSError(f"tcpdump did not start: {self.proc.stderr.read() if self.proc.poll() is not None else 'timeout'}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        _, err = self.proc.communicate(timeout=30)
        for line in err.splitlines():
            if "dropped by kernel" in line:
                self.dropped = int(line.split()[0])
        return False


def packets(path: Path):
    """(time_ns, src_port, dst_port, payload) of each UDP/IPv4 packet of an Ethernet-framed pcap (lo)."""
    data = path.read_bytes()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    if magic != PCAP_NS_MAGIC:
        raise ValueError(f"{path}: not a nanosecond pcap (magic {magic:#x})")
    linktype = struct.unpack("<I", data[20:24])[0]
    if linktype != 1:
        raise ValueError(f"{path}: link type {linktype}, expected Ethernet (lo)")
    off = 24
    while off + 16 <= len(data):
        sec, nsec, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(frame) < 14 + 20 + 8 or frame[12:14] != b"\x08\x00":
            continue
        ihl = (frame[14] & 0x0F) * 4
        if frame[23] != 17:
            continue
        udp = 14 + ihl
        sport, dport = struct.unpack("!HH", frame[udp:udp + 4])
        yield sec * 1_000_000_000 + nsec, sport, dport, frame[udp + 8:]


def sip_key(payload: bytes):
    """('Q', method, call-id, cseq) for a request, ('R', code, call-id, cseq) for a reply; None if not SIP."""
    head = payload.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    first = lines[0].split(" ", 2)
    call_id = cseq = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name in ("call-id", "i"):
            call_id = value.strip()
        elif name == "cseq":
            cseq = " ".join(value.split())
    if not call_id or not cseq or len(first) < 2:
        return None
    if first[0].startswith("SIP/2.0"):
        return ("R", first[1], call_id, cseq)
    return ("Q", first[0], call_id, cseq)


def hops(path: Path, proxy_port):
    """Residence times in µs by hop kind ('INVITE', '180 INVITE', 'INVITE->100' ...)."""
    first_in = {}
    seen_out = set()
    out = defaultdict(list)
    for t, sport, dport, payload in packets(path):
        key = sip_key(payload)
        if key is None:
            continue
        if dport == proxy_port and sport != proxy_port:
            first_in.setdefault(key, t)
        elif sport == proxy_port and key not in seen_out:
            seen_out.add(key)
            kind, what, call_id, cseq = key
            if kind == "R" and what == "100":  # a 100 is the proxy's own answer to the request it received
                cause, label = ("Q", cseq.split(" ", 1)[1], call_id, cseq), f"{cseq.split(' ', 1)[1]}->100"
            else:
                cause, label = key, (what if kind == "Q" else f"{what} {cseq.split(' ', 1)[1]}")
            t_in = first_in.get(cause)
            if t_in is not None and t >= t_in:
                out[label].append((t - t_in) / 1000)
    return out


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def summary(by_kind):
    """p50/p99/p99.9 in µs over every hop, and per kind, with counts."""
    every = [v for vs in by_kind.values() for v in vs]
    res = {"hop_count": len(every), "hop_p50_us": percentile(every, 50), "hop_p99_us": percentile(every, 99),
           "hop_p999_us": percentile(every, 99.9)}
    res["hop_kinds"] = {k: {"n": len(v), "p50": percentile(v, 50), "p99": percentile(v, 99), "p999": percentile(v, 99.9)}
                        for k, v in sorted(by_kind.items())}
    return res
