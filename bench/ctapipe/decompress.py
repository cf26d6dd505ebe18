"""
Native decompression alone, the decoders ctapipe 0.26 (pyeventio) reads
sim_telarray files with, for bench/simtel.bench.ts's "decompression
ceiling":

- zstd: `zstandard.ZstdDecompressor().stream_reader(file)` (pyeventio's
  EventIOFile), read in 1 MiB pieces and dropped;
- gzip: pyeventio runs `gzip -cd FILE` in a child process (zcat=True, what
  SimTelEventSource asks for), so its CPU time is the child's
  (resource.RUSAGE_CHILDREN), not ctapipe's process's; Python's zlib
  (`gzip.open`, pyeventio's fallback) is measured beside it.

    python decompress.py SECONDS FILE [FILE ...]

Per file and decoder: one pass first (not counted), then passes until
SECONDS have gone by; CPU seconds and decompressed bytes over those passes.
Prints one JSON object.
"""
import gzip
import json
import resource
import subprocess
import sys
import time

import zstandard

seconds = float(sys.argv[1])
files = sys.argv[2:]
PIECE = 1 << 20


def is_gzip(path):
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def drain(stream):
    n = 0
    while True:
        b = stream.read(PIECE)
        if not b:
            return n
        n += len(b)


def zstd_pass(path):
    with open(path, "rb") as f, zstandard.ZstdDecompressor().stream_reader(f) as s:
        return drain(s)


def zlib_pass(path):
    with gzip.open(path, "rb") as s:
        return drain(s)


def gzip_cd_pass(path):
    subprocess.run(["gzip", "-cd", path], stdout=subprocess.DEVNULL, check=True)
    return None


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(fn, path, child, size=None):
    clock = children_cpu if child else time.process_time
    size = fn(path) or size  # not counted
    acc = {"cpu": 0.0, "wall": 0.0, "passes": 0, "bytes": 0}
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds or acc["passes"] < 2:
        c0, w0 = clock(), time.perf_counter()
        n = fn(path)
        acc["cpu"] += clock() - c0
        acc["wall"] += time.perf_counter() - w0
        acc["passes"] += 1
        acc["bytes"] += n if n is not None else (size or 0)
    return acc


out = {"zstandard": zstandard.__version__, "files": {}}
for path in files:
    if is_gzip(path):
        size = zlib_pass(path)
        decoders = {"gzip -cd": measure(gzip_cd_pass, path, True, size), "zlib": measure(zlib_pass, path, False)}
        out["files"][path] = {"native": "gzip -cd", "decoders": decoders}
    else:
        out["files"][path] = {"native": "zstandard", "decoders": {"zstandard": measure(zstd_pass, path, False)}}
print(json.dumps(out))
