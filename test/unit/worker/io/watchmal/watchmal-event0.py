"""Reads event 0 of a WatChMaL hit file with h5py and prints it as JSON (the
reference the TypeScript WatChMaL reader is compared with)."""
import json
import sys

import h5py

with h5py.File(sys.argv[1], "r") as f:
    idx = f["event_hits_index"][:]
    n_hits = f["hit_pmt"].shape[0]
    start = int(idx[0])
    end = int(idx[1]) if len(idx) > 1 else n_hits
    out = {
        "n_events": int(f["event_hits_index"].shape[0]),
        "n_hits": int(n_hits),
        "hit_pmt": f["hit_pmt"][start:end].tolist(),
        "hit_time": [float(x) for x in f["hit_time"][start:end]],
        "label": int(f["labels"][0]),
        "event_id": int(f["event_ids"][0]),
        "energy": float(f["energies"][0, 0]),
        "position": [float(x) for x in f["positions"][0, 0]],
        "angles": [float(x) for x in f["angles"][0]],
        "root_file": f["root_files"].asstr()[0],
        "veto": bool(f["veto"][0]),
        "veto2": bool(f["veto2"][0]),
        "max_hit_pmt": int(f["hit_pmt"][:].max()),
        "attrs": {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f.attrs.items()},
    }
    if "hit_charge" in f:
        out["hit_charge"] = [float(x) for x in f["hit_charge"][start:end]]
    if "hit_parent" in f:
        out["hit_parent"] = f["hit_parent"][start:end].tolist()
    if "fully_contained" in f:
        out["fully_contained"] = bool(f["fully_contained"][0])
    print(json.dumps(out))
