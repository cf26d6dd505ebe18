"""
Compares what `lightpool process FILE.simtel.zst` wrote (OUT) with what
ctapipe-process 0.26 wrote from the same file (REF), table by table, and
prints JSON: {"tables": {path: {"rows": n, "values": n, "problems": [...]}},
"missing": [...], "max_r1_rel": x}. Rows are matched by (obs_id, event_id,
tel_id). Tolerances (issue 15 and compare-process.py):

- DL1 images: |d| <= max(1e-4 |ref|, 1e-3 p.e.); peak times |d| <= 1e-3 ns
  where the reference image is >= 1 p.e.; masks identical
- parameters and true parameters: |d| <= 1e-9 or |d| <= 1e-6 |ref|
  (timing: 1e-5 max(1, |ref|)), NaN exactly where REF has NaN, integers equal
- true impact distances: |d| <= 1e-9 or |d| <= 1e-6 |ref|
- R1 waveforms: |d| <= 1e-5 |ref| (zeros equal); pixel_status and
  selected_gain_channel equal; R0 waveforms, true images, trigger and
  shower tables equal
- instrument, pointing and simulation configuration tables: numbers within
  1e-6 relative (ctapipe stores some as float32), strings equal
- image_statistics: equal

    python compare-simtel-process.py OUT REF
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import numpy as np  # noqa: E402
import tables  # noqa: E402

out_path, ref_path = sys.argv[1], sys.argv[2]
result = {"tables": {}, "missing": [], "max_r1_rel": 0.0}

INTEGER = lambda a: a.dtype.kind in "iub"  # noqa: E731


def key_of(row, names):
    return tuple(int(row[n]) for n in ("obs_id", "event_id", "tel_id") if n in names)


def close(ours, ref, column):
    ours = np.asarray(ours)
    ref = np.asarray(ref)
    if ref.dtype.kind in "SU":
        return bool(np.all(ours == ref))
    if INTEGER(ref) and INTEGER(ours):
        return bool(np.all(ours.astype(np.int64) == ref.astype(np.int64)))
    o = ours.astype(np.float64)
    r = ref.astype(np.float64)
    nan = np.isnan(r)
    if not np.array_equal(nan, np.isnan(o)):
        return False
    d = np.abs(o - r)[~nan]
    rr = np.abs(r)[~nan]
    if column.startswith("timing_") or column.startswith("true_timing_"):
        return bool(np.all(d <= 1e-5 * np.maximum(1, rr)))
    return bool(np.all((d <= 1e-9) | (d <= 1e-6 * rr)))


def compare_rows(path, check):
    with tables.open_file(out_path) as fo, tables.open_file(ref_path) as fr:
        if path not in fr:
            return
        if path not in fo:
            result["missing"].append(path)
            return
        ours = fo.get_node(path).read()
        ref = fr.get_node(path).read()
    t = {"rows": int(len(ref)), "values": 0, "problems": []}
    result["tables"][path] = t
    names = ref.dtype.names
    for n in names:
        if n not in ours.dtype.names:
            t["problems"].append(f"column {n} missing")
    if t["problems"]:
        return
    indexed = "event_id" in names or "tel_id" in names
    by_key = {key_of(r, ours.dtype.names): r for r in ours}
    if len(ours) != len(ref):
        t["problems"].append(f"{len(ours)} rows, the reference {len(ref)}")
        return
    for i, r in enumerate(ref):
        k = key_of(r, names) if indexed else (i,)
        o = by_key.get(k) if indexed else ours[i]
        if o is None:
            t["problems"].append(f"row {k} missing")
            continue
        for n in names:
            t["values"] += int(np.size(r[n]))
            ok = check(n, o, r)
            if not ok and len(t["problems"]) < 12:
                t["problems"].append(f"{k} {n}: {np.asarray(o[n]).ravel()[:4]} vs {np.asarray(r[n]).ravel()[:4]}")


def exact(n, o, r):
    return bool(np.array_equal(np.asarray(o[n]), np.asarray(r[n]), equal_nan=np.asarray(r[n]).dtype.kind == "f"))


def tol(n, o, r):
    return close(o[n], r[n], n)


def images(n, o, r):
    if n == "image":
        a, b = o[n].astype(np.float64), r[n].astype(np.float64)
        return bool(np.all(np.abs(a - b) <= np.maximum(1e-4 * np.abs(b), 1e-3)))
    if n == "peak_time":
        m = r["image"] >= 1
        return bool(np.all(np.abs(o[n][m].astype(np.float64) - r[n][m].astype(np.float64)) <= 1e-3))
    return exact(n, o, r)


def r1(n, o, r):
    if n == "waveform":
        a, b = o[n].astype(np.float64), r[n].astype(np.float64)
        d = np.abs(a - b)
        nz = b != 0
        if np.any(nz):
            result["max_r1_rel"] = max(result["max_r1_rel"], float(np.max(d[nz] / np.abs(b[nz]))))
        return bool(np.all(d[~nz] == 0) and np.all(d[nz] <= 1e-5 * np.abs(b[nz])))
    return exact(n, o, r)


with tables.open_file(ref_path) as fr:
    tels = [t._v_name for t in fr.get_node("/dl1/event/telescope/images")]
    cams = [t._v_name for t in fr.get_node("/configuration/instrument/telescope/camera")]
    pointing = [t._v_name for t in fr.get_node("/configuration/telescope/pointing")]

for p in ["/dl1/event/subarray/trigger", "/dl1/event/telescope/trigger", "/simulation/event/subarray/shower"]:
    compare_rows(p, exact)
for p in ["/configuration/simulation/run", "/configuration/instrument/subarray/layout", "/configuration/instrument/telescope/optics"]:
    compare_rows(p, tol)
for c in cams:
    compare_rows(f"/configuration/instrument/telescope/camera/{c}", tol)
for t in pointing:
    compare_rows(f"/configuration/telescope/pointing/{t}", tol)
for t in tels:
    compare_rows(f"/dl1/event/telescope/images/{t}", images)
    compare_rows(f"/dl1/event/telescope/parameters/{t}", tol)
    compare_rows(f"/simulation/event/telescope/images/{t}", exact)
    compare_rows(f"/simulation/event/telescope/parameters/{t}", tol)
    compare_rows(f"/simulation/event/telescope/impact/{t}", tol)
    compare_rows(f"/r1/event/telescope/{t}", r1)
    compare_rows(f"/r0/event/telescope/{t}", exact)

with tables.open_file(out_path) as fo, tables.open_file(ref_path) as fr:
    a = fo.get_node("/dl1/service/image_statistics").read()
    b = fr.get_node("/dl1/service/image_statistics").read()
    same = a.dtype.names == b.dtype.names and all(np.array_equal(a[n], b[n]) for n in b.dtype.names)
    result["tables"]["/dl1/service/image_statistics"] = {
        "rows": int(len(b)),
        "values": int(len(b) * 4),
        "problems": [] if same else [f"{a.tolist()} vs {b.tolist()}"],
    }

print(json.dumps(result))
