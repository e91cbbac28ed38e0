#!/usr/bin/env python3
"""Compare our decoder with pyais, field by field.

Usage: compare.py DECODE_BINARY FILE...

DECODE_BINARY is the `decode` example (cargo build --release -p ais
--example decode; target/release/examples/decode). For each FILE it runs
`decode --per-line FILE` (one output line per input line) and decodes the
same lines with pyais, reassembling fragments the same way, then compares
every field both sides have. It prints a summary and the disagreements
grouped by (type, field), with one example each. Known disagreements are
documented in CONFORMANCE.md; the exit status is 1 when a message is decoded by one side only or a disagreement is not documented.
"""

import json
import math
import subprocess
import sys
from collections import Counter, defaultdict

from pyais import decode as py_decode

# Our (gpsd) field name -> pyais field name, where they differ.
RENAME = {"type": "msg_type", "shiptype": "ship_type", "stationtype": "station_type"}
SKIP = {"class", "scaled", "received", "channel", "partno"}


def nmea_lines(path):
    with open(path, "rb") as f:
        for raw in f.read().split(b"\n"):
            yield raw


def strip_suffix(line):
    # pyais does not accept receiver suffixes after the checksum.
    star = line.rfind(b"*")
    if star >= 0:
        return line[: star + 3]
    return line


def pyais_per_line(path):
    """One entry per input line: a dict, {'error': ...} or None."""
    pending = {}
    for raw in nmea_lines(path):
        line = raw.strip()
        if not line or line.startswith(b"$"):
            yield None
            continue
        body = line
        if body.startswith(b"\\"):
            end = body.find(b"\\", 1)
            body = body[end + 1 :]
        body = strip_suffix(body)
        parts = body.split(b",")
        try:
            total, num, seq, chan = int(parts[1]), int(parts[2]), parts[3], parts[4]
        except (IndexError, ValueError):
            yield {"error": "unparsed"}
            continue
        key = (chan, seq, total)
        if total == 1:
            frags = [body]
        else:
            if num == 1:
                pending[key] = [body]
                yield None
                continue
            if key not in pending or len(pending[key]) != num - 1:
                pending.pop(key, None)
                yield {"error": "orphan"}
                continue
            pending[key].append(body)
            if num < total:
                yield None
                continue
            frags = pending.pop(key)
        try:
            msg = py_decode(*frags)
            yield msg.asdict()
        except Exception as e:  # noqa: BLE001 - any failure is a data point
            yield {"error": type(e).__name__}


def norm(v):
    if hasattr(v, "value"):
        v = v.value
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, str):
        return v.strip()
    return v


def expand_ours(m):
    """Split gpsd composite fields into pyais's components."""
    out = dict(m)
    ts = m.get("timestamp")
    if isinstance(ts, str):
        if len(ts) == 20:  # YYYY-MM-DDTHH:MM:SSZ
            out.update(year=int(ts[0:4]), month=int(ts[5:7]), day=int(ts[8:10]),
                       hour=int(ts[11:13]), minute=int(ts[14:16]), second=int(ts[17:19]))
        elif len(ts) == 9:  # DDTHH:MMZ
            out.update(day=int(ts[0:2]), hour=int(ts[3:5]), minute=int(ts[6:8]))
        del out["timestamp"]
    eta = m.get("eta")
    if isinstance(eta, str) and len(eta) == 12:
        out.update(month=int(eta[0:2]), day=int(eta[3:5]), hour=int(eta[6:8]), minute=int(eta[9:11]))
        del out["eta"]
    if isinstance(m.get("turn"), str):
        out["turn"] = {"fastleft": -127, "fastright": 127, "nan": -128}[m["turn"]]
    if isinstance(m.get("data"), str) and ":" in m["data"]:
        nbits, hexs = m["data"].split(":")
        out["data_bits"] = int(nbits)
        out["data"] = hexs
    return out


def same(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) or isinstance(b, float):
            return math.isclose(a, b, rel_tol=1e-6, abs_tol=1.5e-4)
        return a == b
    if isinstance(a, str) and isinstance(b, str) and len(a) != len(b):
        # Hex data: pyais pads to whole bytes.
        return a.rstrip("0") == b.rstrip("0")
    return a == b


def compare(binary, path):
    ours = subprocess.run([binary, "--per-line", path], check=True, capture_output=True).stdout
    ours = [json.loads(x) for x in ours.decode().split("\n")[:-1]]
    theirs = list(pyais_per_line(path))
    n = min(len(ours), len(theirs))
    stats = Counter()
    diffs = defaultdict(list)
    only = Counter()
    for i in range(n):
        o, t = ours[i], theirs[i]
        o_ok = isinstance(o, dict) and "error" not in o
        t_ok = isinstance(t, dict) and "error" not in t
        if o_ok and t_ok:
            stats["both"] += 1
            oo = expand_ours(o)
            if o.get("type") == 21 and t.get("name_ext"):
                t = dict(t, name=(t.get("name") or "") + t["name_ext"])
            for k, v in oo.items():
                if k in SKIP or k == "data_bits":
                    continue
                pk = RENAME.get(k, k)
                if pk not in t:
                    only[(o["type"], k)] += 1
                    continue
                stats["fields"] += 1
                tv = norm(t[pk])
                if tv is None and v in (0, 0.0):
                    # A trailing optional field the sender left out: we
                    # report it as 0 (gpsd does too), pyais as None.
                    only[(o["type"], k + " (absent: ours 0, pyais None)")] += 1
                    continue
                if o["type"] in (17, 22, 23) and k.endswith(("lon", "lat")) and isinstance(tv, (int, float)):
                    # pyais gives these 1/10-minute positions in minutes.
                    tv = tv / 60.0
                if not same(v, tv):
                    diffs[(o["type"], k)].append((i + 1, v, tv))
        elif o_ok:
            stats["ours_only"] += 1
            diffs[(o["type"], "<pyais failed: %s>" % (t or {}).get("error"))].append((i + 1, "ok", t))
        elif t_ok:
            stats["pyais_only"] += 1
            diffs[(t.get("msg_type"), "<we failed: %s>" % (o or {}).get("error"))].append((i + 1, o, "ok"))
        elif o is not None or t is not None:
            stats["both_failed"] += 1
    return stats, diffs, only


# Disagreements explained in CONFORMANCE.md, where we follow ITU-R M.1371-5
# (or keep what was transmitted). Anything else fails the run.
DOCUMENTED = {
    (5, "destination"), (5, "shipname"), (5, "shiptype"), (21, "name"),
    (25, "data"), (25, "app_id"), (26, "data"), (26, "app_id"),
}


def main():
    binary, files = sys.argv[1], sys.argv[2:]
    failures = []
    for path in files:
        stats, diffs, only = compare(binary, path)
        if stats["ours_only"] or stats["pyais_only"]:
            failures.append(f"{path}: messages decoded by one side only")
        for key in diffs:
            if key not in DOCUMENTED:
                failures.append(f"{path}: undocumented disagreement on type {key[0]} {key[1]}")
        print(f"== {path}")
        print(f"   messages decoded by both: {stats['both']}, fields compared: {stats['fields']}")
        print(f"   only ours: {stats['ours_only']}, only pyais: {stats['pyais_only']}, "
              f"both failed: {stats['both_failed']}")
        if not diffs:
            print("   no disagreements")
        for (typ, field), rows in sorted(diffs.items(), key=lambda x: (x[0][0] or 0, x[0][1])):
            line, a, b = rows[0]
            print(f"   type {typ} {field}: {len(rows)} disagreements; e.g. line {line}: ours={a!r} pyais={b!r}")
        for (t, k), c in sorted(only.items()):
            print(f"   not compared, pyais lacks: type {t} {k} ({c})")
    for f in failures:
        print(f"FAIL {f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
