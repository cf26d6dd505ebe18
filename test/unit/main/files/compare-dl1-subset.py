"""Checks a DL1 subset written by Lightpool against its source with PyTables:
every event table of the output must equal the source rows of the kept
events (all columns, NaN-aware), every other table must equal the source
table, group/table attributes must be carried over (NROWS updated), and the
provenance attributes must be present. Optionally also computes which events
a cut keeps (any telescope passing, PyTables read_where). Prints JSON."""
import json
import sys

import numpy as np
import tables


def equal(a, b):
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    for name in a.dtype.names:
        x, y = a[name], b[name]
        if x.dtype.kind == "f":
            if not np.array_equal(x, y, equal_nan=True):
                return False
        elif not np.array_equal(x, y):
            return False
    return True


def attrs_of(node):
    return {k: node._v_attrs[k] for k in node._v_attrs._v_attrnames}


src_path, out_path = sys.argv[1], sys.argv[2]
cut = sys.argv[3] if len(sys.argv) > 3 else None
report = {"tables": {}, "attrs_mismatch": [], "provenance": {}}
with tables.open_file(src_path) as src, tables.open_file(out_path) as out:
    trig = out.root.dl1.event.subarray.trigger.read()
    kept = set(zip(trig["obs_id"].tolist(), trig["event_id"].tolist()))
    report["kept"] = sorted([list(k) for k in kept])
    for node in src.walk_nodes("/"):
        path = node._v_pathname
        if isinstance(node, tables.Group):
            onode = out.get_node(path)
            for k, v in attrs_of(node).items():
                if k not in onode._v_attrs._v_attrnames or str(onode._v_attrs[k]) != str(v):
                    if not k.startswith("LIGHTPOOL"):
                        report["attrs_mismatch"].append(f"{path}:{k}")
            continue
        if not isinstance(node, tables.Table):
            continue
        a = node.read()
        b = out.get_node(path).read()
        if "obs_id" in a.dtype.names and "event_id" in a.dtype.names:
            sel = np.array([(o, e) in kept for o, e in zip(a["obs_id"].tolist(), a["event_id"].tolist())], dtype=bool)
            expected = a[sel]
            kind = "event"
        else:
            expected = a
            kind = "copy"
        onode = out.get_node(path)
        report["tables"][path] = {"kind": kind, "expected_rows": int(len(expected)), "rows": int(len(b)), "equal": bool(equal(expected, b)), "nrows_attr": int(onode._v_attrs["NROWS"]) if "NROWS" in onode._v_attrs._v_attrnames else None}
        for k, v in attrs_of(node).items():
            if k == "NROWS":
                continue
            ov = onode._v_attrs[k] if k in onode._v_attrs._v_attrnames else None
            if ov is None or str(ov) != str(v):
                report["attrs_mismatch"].append(f"{path}:{k}")
    for k in out.root._v_attrs._v_attrnames:
        if k.startswith("LIGHTPOOL"):
            v = out.root._v_attrs[k]
            report["provenance"][k] = v.item() if hasattr(v, "item") else v
    if cut:
        passing = set()
        for t in src.root.dl1.event.telescope.parameters:
            for r in t.read_where(cut):
                passing.add((int(r["obs_id"]), int(r["event_id"])))
        report["cut_kept"] = sorted([list(k) for k in passing])
print(json.dumps(report, default=str))
