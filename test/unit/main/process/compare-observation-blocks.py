"""
Compares the observation and scheduling block tables of DL1 files made from
the same sim_telarray file: OUT (lightpool process) against REF
(ctapipe-process 0.26), column by column, and prints JSON
{"tables": {path: {"columns": [...], "rows": n, "problems": [...]}},
"max_time_diff_s": x}. Every column must be there with the reference's
dtype and equal values (NaN where the reference has NaN); the time columns
(MJD, TAI) are also reported as the largest difference in seconds.

    python compare-observation-blocks.py OUT REF
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import numpy as np  # noqa: E402
import tables  # noqa: E402

out_path, ref_path = sys.argv[1], sys.argv[2]
result = {"tables": {}, "max_time_diff_s": 0.0}
with tables.open_file(out_path) as fo, tables.open_file(ref_path) as fr:
    for path in ["/configuration/observation/scheduling_block", "/configuration/observation/observation_block"]:
        ref = fr.get_node(path).read()
        t = {"columns": list(ref.dtype.names), "rows": int(len(ref)), "problems": []}
        result["tables"][path] = t
        if path not in fo:
            t["problems"].append("missing")
            continue
        ours = fo.get_node(path).read()
        if len(ours) != len(ref):
            t["problems"].append(f"{len(ours)} rows, the reference {len(ref)}")
            continue
        for n in ref.dtype.names:
            if n not in ours.dtype.names:
                t["problems"].append(f"column {n} missing")
                continue
            a, b = ours[n], ref[n]
            if a.dtype != b.dtype:
                t["problems"].append(f"{n}: dtype {a.dtype}, the reference {b.dtype}")
            if n.endswith("_time"):
                d = np.abs(a.astype(np.float64) - b.astype(np.float64)) * 86400
                result["max_time_diff_s"] = max(result["max_time_diff_s"], float(np.max(d, initial=0)))
            if not np.array_equal(a, b, equal_nan=b.dtype.kind == "f"):
                t["problems"].append(f"{n}: {a.tolist()} vs {b.tolist()}")
print(json.dumps(result))
