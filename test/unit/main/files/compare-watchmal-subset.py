"""Checks a WatChMaL subset written by Lightpool against its source with h5py:
per-event datasets equal the source rows of the kept events, the hit arrays
equal the kept events' hits concatenated, event_hits_index points at them,
attributes are carried over and the provenance attributes are present.
Prints JSON."""
import json
import sys

import h5py
import numpy as np

src_path, out_path, indices = sys.argv[1], sys.argv[2], [int(x) for x in sys.argv[3].split(",")]
report = {"datasets": {}, "provenance": {}, "attrs": {}}
with h5py.File(src_path, "r") as src, h5py.File(out_path, "r") as out:
    idx = src["event_hits_index"][:]
    n_hits = src["hit_pmt"].shape[0]
    ends = np.append(idx[1:], n_hits)
    hit_rows = np.concatenate([np.arange(idx[i], ends[i]) for i in indices]).astype(int)
    starts = np.cumsum([0] + [int(ends[i] - idx[i]) for i in indices])[:-1]
    for name in src:
        a = src[name]
        b = out[name]
        if name == "event_hits_index":
            expected = starts
        elif name.startswith("hit_"):
            expected = a[:][hit_rows]
        else:
            expected = a[:][indices]
        got = b[:]
        if a.dtype.kind == "O":
            same = [x.decode() if isinstance(x, bytes) else x for x in expected] == [x.decode() if isinstance(x, bytes) else x for x in got]
        elif a.dtype.kind == "f":
            same = bool(np.array_equal(expected, got, equal_nan=True))
        else:
            same = bool(np.array_equal(expected, got))
        report["datasets"][name] = {"shape": list(b.shape), "dtype": str(b.dtype), "src_dtype": str(a.dtype), "equal": bool(same), "compression": b.compression}
    for k, v in src.attrs.items():
        report["attrs"][k] = str(out.attrs.get(k)) == str(v)
    for k, v in out.attrs.items():
        if k.startswith("lightpool"):
            report["provenance"][k] = v.item() if hasattr(v, "item") else v
print(json.dumps(report, default=str))
