"""Reads event 0 of a ctapipe DL1 file with PyTables and prints it as JSON
(the reference the TypeScript DL1 reader is compared with). NaN -> null."""
import json
import math
import sys

import numpy as np
import tables


def clean(v):
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode()
    if isinstance(v, np.ndarray):
        return [clean(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) else f
    return v


def row_dict(table, row, skip=("obs_id", "event_id", "tel_id")):
    return {name: clean(row[name]) for name in table.colnames if name not in skip}


def find(table, obs_id, event_id):
    rows = table.read_where("(obs_id == %d) & (event_id == %d)" % (obs_id, event_id))
    return rows[0] if len(rows) else None


with tables.open_file(sys.argv[1]) as f:
    layout = f.root.configuration.instrument.subarray.layout
    tel_ids = sorted(int(t) for t in layout.col("tel_id"))
    trig = f.root.dl1.event.subarray.trigger[0]
    obs_id, event_id = int(trig["obs_id"]), int(trig["event_id"])
    triggered = [tel_ids[i] for i, v in enumerate(trig["tels_with_trigger"]) if v]
    out = {
        "obs_id": obs_id,
        "event_id": event_id,
        "time": clean(trig["time"]),
        "event_type": int(trig["event_type"]),
        "tel_ids": triggered,
        "telescopes": {},
        "layout": {
            "tel_id": clean(layout.col("tel_id")),
            "pos_x": clean(layout.col("pos_x")),
            "camera_name": clean(layout.col("camera_name")),
        },
        "optics": {
            "name": clean(f.root.configuration.instrument.telescope.optics.col("optics_name")),
            "effective_focal_length": clean(f.root.configuration.instrument.telescope.optics.col("effective_focal_length")),
            "equivalent_focal_length": clean(f.root.configuration.instrument.telescope.optics.col("equivalent_focal_length")),
        },
        "geometries": {},
    }
    for node in f.root.configuration.instrument.telescope.camera:
        if node._v_name.startswith("geometry_"):
            out["geometries"][node.attrs["CAM_ID"]] = {
                "pix_x": clean(node.col("pix_x")),
                "pix_y": clean(node.col("pix_y")),
                "pix_area": clean(node.col("pix_area")),
                "pix_type": str(node.attrs["PIX_TYPE"]),
                "pix_rot": float(node.attrs["PIX_ROT"]),
            }
    for tel_id in triggered:
        name = "tel_%03d" % tel_id
        t = {}
        images = f.get_node("/dl1/event/telescope/images/" + name)
        r = find(images, obs_id, event_id)
        t["image"] = clean(r["image"])
        t["peak_time"] = clean(r["peak_time"])
        t["image_mask"] = clean(r["image_mask"])
        t["is_valid"] = clean(r["is_valid"])
        params = f.get_node("/dl1/event/telescope/parameters/" + name)
        t["parameters"] = row_dict(params, find(params, obs_id, event_id))
        sim = f.get_node("/simulation/event/telescope/images/" + name)
        t["true_image"] = clean(find(sim, obs_id, event_id)["true_image"])
        out["telescopes"][str(tel_id)] = t
    shower = f.root.simulation.event.subarray.shower
    out["shower"] = row_dict(shower, find(shower, obs_id, event_id))
    geom = f.get_node("/dl2/event/subarray/geometry/HillasReconstructor")
    out["geometry"] = row_dict(geom, find(geom, obs_id, event_id))
    print(json.dumps(out))
