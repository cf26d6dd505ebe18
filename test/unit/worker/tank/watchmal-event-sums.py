"""For the given events of a WatChMaL hit file: the distinct hit PMTs and the
summed charge, as h5py/numpy read them (the reference for the tank views)."""
import json
import sys

import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as f:
    idx = f["event_hits_index"][:]
    n_hits = f["hit_pmt"].shape[0]
    out = {}
    for i in map(int, sys.argv[2:]):
        s = int(idx[i])
        e = int(idx[i + 1]) if i + 1 < len(idx) else n_hits
        pmt = f["hit_pmt"][s:e]
        q = f["hit_charge"][s:e]
        t = f["hit_time"][s:e]
        uniq = np.unique(pmt)
        first = {}
        for p, tt in zip(pmt.tolist(), t.tolist()):
            first[p] = min(first.get(p, tt), tt)
        out[i] = {
            "n_hits": int(e - s),
            "distinct": int(len(uniq)),
            "charge_sum": float(q.astype(np.float64).sum()),
            "pmt_max_charge": int(uniq[np.argmax([q[pmt == p].astype(np.float64).sum() for p in uniq])]) if len(uniq) else -1,
            "max_pmt_charge": float(max([q[pmt == p].astype(np.float64).sum() for p in uniq])) if len(uniq) else 0.0,
            "earliest": {str(k): v for k, v in list(first.items())[:20]},
        }
    print(json.dumps(out))
