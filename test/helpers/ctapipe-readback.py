"""
Reads a file Lightpool wrote with the real ctapipe, as a user would, and says
what ctapipe made of it (JSON on stdout). Used by every read-back test
(test/helpers/ctapipe-readback.ts): recordings, exports, process outputs, and
whatever later writers produce.

    python ctapipe-readback.py FILE [--reference REF] [--focal-length-choice EFFECTIVE|EQUIVALENT]

Each step runs on its own and records {"ok": false, "error": "Type: message",
"where": "file:line"} instead of stopping the others:

- subarray: ctapipe.instrument.SubarrayDescription.from_hdf(FILE)
- event_source: HDF5EventSource(FILE) over every event; per telescope the
  number of images, and each image, peak time and mask compared bit for bit
  with the row of /dl1/event/telescope/images/tel_NNN PyTables reads, and the
  parameters (hillas intensity, width, morphology n_pixels) ctapipe read
  compared with the parameter table, when there is one
- reference: with --reference REF, every image ctapipe read from FILE compared
  bit for bit with REF's image of the same (obs_id, event_id, tel_id) or, when
  REF has none with that obs_id, of the same (event_id, tel_id) (a replay
  that loops counts obs_id up)
- table_loader: TableLoader.read_telescope_events with parameters, DL2,
  simulation, instrument, observation info and pointing; read_subarray_events;
  read_telescope_events_by_type with images (every table's rows, and the
  column names)

A step that does not apply (no parameters, no images) says so with
"skipped".
"""
import argparse
import json
import sys
import traceback
import warnings

warnings.simplefilter("ignore")

import numpy as np  # noqa: E402
import tables  # noqa: E402


def failure(exc):
    tb = traceback.extract_tb(exc.__traceback__)
    where = f"{tb[-1].filename}:{tb[-1].lineno}" if tb else ""
    return {"ok": False, "error": f"{type(exc).__name__}: {exc}", "where": where}


def key_tel(name):
    return int(name.split("_")[-1])


def file_images(path):
    """per tel_id: {(obs_id, event_id): (image, peak_time, image_mask)} as stored"""
    out = {}
    with tables.open_file(path) as f:
        if "/dl1/event/telescope/images" not in f:
            return out
        for t in f.get_node("/dl1/event/telescope/images"):
            rows = t.read()
            names = rows.dtype.names
            out[key_tel(t.name)] = {
                (int(r["obs_id"]), int(r["event_id"])): (
                    r["image"],
                    r["peak_time"] if "peak_time" in names else None,
                    r["image_mask"] if "image_mask" in names else None,
                )
                for r in rows
            }
    return out


def file_parameters(path):
    out = {}
    with tables.open_file(path) as f:
        if "/dl1/event/telescope/parameters" not in f:
            return out
        for t in f.get_node("/dl1/event/telescope/parameters"):
            rows = t.read()
            out[key_tel(t.name)] = {(int(r["obs_id"]), int(r["event_id"])): r for r in rows}
    return out


def bits(a):
    a = np.asarray(a)
    if a.dtype == np.bool_:
        return a.astype(np.uint8)
    return a.view(np.uint32) if a.dtype == np.float32 else a


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        a32, b32 = a.astype(np.float32), b.astype(np.float32)
        return bool(np.array_equal(a32.view(np.uint32), b32.view(np.uint32)))
    return bool(np.array_equal(a, b))


def same_value(a, b):
    a, b = float(a), float(b)
    return (np.isnan(a) and np.isnan(b)) or a == b


def run_subarray(path, focal):
    from ctapipe.instrument import SubarrayDescription

    try:
        s = SubarrayDescription.from_hdf(path, focal_length_choice=focal)
        return {
            "ok": True,
            "name": s.name,
            "tel_ids": [int(t) for t in s.tel_ids],
            "types": sorted({str(t) for t in s.telescope_types}),
            "cameras": sorted({t.camera.name for t in s.telescope_types}),
            # what a user's analysis calls first: the joined instrument table
            "table_rows": len(s.to_table("joined")),
        }
    except Exception as e:  # noqa: BLE001
        return failure(e)


def run_event_source(path, focal, stored, params):
    from ctapipe.io import HDF5EventSource

    out = {"ok": True, "events": 0, "images": 0, "masks_compared": 0, "per_tel": {}, "image_mismatch": [], "missing_in_file": [],
           "parameters_compared": 0, "parameter_mismatch": [], "event_ids": []}
    seen = {}
    try:
        with HDF5EventSource(path, focal_length_choice=focal) as source:
            out["datalevels"] = [d.name for d in source.datalevels]
            for event in source:
                out["events"] += 1
                key = (int(event.index.obs_id), int(event.index.event_id))
                out["event_ids"].append(list(key))
                for tel_id, dl1 in event.dl1.tel.items():
                    tel_id = int(tel_id)
                    if dl1.image is None:
                        continue
                    out["images"] += 1
                    out["per_tel"][str(tel_id)] = out["per_tel"].get(str(tel_id), 0) + 1
                    seen.setdefault(tel_id, set()).add(key)
                    row = stored.get(tel_id, {}).get(key)
                    if row is None:
                        out["missing_in_file"].append([tel_id, *key])
                        continue
                    image, peak, mask = row
                    # ctapipe reads image_mask only from files with parameters (HDF5EventSource ignores it otherwise)
                    mask_ok = True
                    if dl1.image_mask is not None:
                        out["masks_compared"] += 1
                        mask_ok = same(dl1.image_mask, mask)
                    if not (same(dl1.image, image) and same(dl1.peak_time, peak) and mask_ok):
                        out["image_mismatch"].append([tel_id, *key])
                    p = params.get(tel_id, {}).get(key)
                    if p is not None:
                        out["parameters_compared"] += 1
                        pc = dl1.parameters
                        pairs = [
                            ("hillas_intensity", pc.hillas.intensity),
                            ("hillas_width", getattr(pc.hillas.width, "value", pc.hillas.width)),
                            ("morphology_n_pixels", pc.morphology.n_pixels),
                            ("leakage_intensity_width_2", pc.leakage.intensity_width_2),
                        ]
                        for col, value in pairs:
                            if not same_value(value, p[col]):
                                out["parameter_mismatch"].append([tel_id, *key, col, float(value), float(p[col])])
        # every stored image was read
        out["stored_images"] = sum(len(v) for v in stored.values())
        out["not_read"] = [[t, *k] for t, rows in stored.items() for k in rows if k not in seen.get(t, set())][:20]
    except Exception as e:  # noqa: BLE001
        return {**failure(e), "events": out["events"], "images": out["images"]}
    for k in ("image_mismatch", "missing_in_file", "parameter_mismatch"):
        out[k + "_count"] = len(out[k])
        out[k] = out[k][:20]
    return out


def run_reference(stored, ref_path):
    ref = file_images(ref_path)
    by_event = {}
    for tel_id, rows in ref.items():
        for (obs, ev), v in rows.items():
            by_event[(tel_id, ev)] = v
    ref_obs = {obs for rows in ref.values() for (obs, _) in rows}
    out = {"ok": True, "compared": 0, "identical": 0, "missing": [], "mismatch": []}
    for tel_id, rows in stored.items():
        for (obs, ev), (image, peak, _mask) in rows.items():
            r = ref.get(tel_id, {}).get((obs, ev))
            if r is None and obs not in ref_obs:
                r = by_event.get((tel_id, ev))
            if r is None:
                out["missing"].append([tel_id, obs, ev])
                continue
            out["compared"] += 1
            if same(image, r[0]) and same(peak, r[1]):
                out["identical"] += 1
            else:
                out["mismatch"].append([tel_id, obs, ev])
    out["missing"] = out["missing"][:20]
    out["mismatch"] = out["mismatch"][:20]
    return out


def run_table_loader(path, focal, has_params, has_images):
    from ctapipe.io import TableLoader

    out = {"ok": True}
    try:
        with TableLoader(path, focal_length_choice=focal) as loader:
            t = loader.read_telescope_events(
                dl1_parameters=has_params, dl2=True, simulated=True, instrument=True,
                observation_info=True, pointing=True,
            )
            out["telescope_events"] = {"rows": len(t), "columns": list(t.colnames)}
            s = loader.read_subarray_events(dl2=True, simulated=True, observation_info=True)
            out["subarray_events"] = {"rows": len(s), "columns": list(s.colnames)}
            if has_images:
                by_type = loader.read_telescope_events_by_type(dl1_images=True, dl1_parameters=has_params)
                out["by_type"] = {k: len(v) for k, v in by_type.items()}
            if has_params:
                # the parameter columns came through with ctapipe's units
                out["hillas_intensity_finite"] = int(np.count_nonzero(np.isfinite(np.asarray(t["hillas_intensity"]))))
                out["hillas_width_unit"] = str(getattr(t["hillas_width"], "unit", ""))
    except Exception as e:  # noqa: BLE001
        return {**failure(e), **{k: v for k, v in out.items() if k != "ok"}}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--reference")
    ap.add_argument("--focal-length-choice", default="EFFECTIVE")
    a = ap.parse_args()
    import ctapipe

    stored = file_images(a.file)
    params = file_parameters(a.file)
    res = {"ctapipe": ctapipe.__version__, "file": a.file}
    res["subarray"] = run_subarray(a.file, a.focal_length_choice)
    res["event_source"] = run_event_source(a.file, a.focal_length_choice, stored, params)
    res["has_parameters"] = bool(params)
    res["stored_images"] = sum(len(v) for v in stored.values())
    with tables.open_file(a.file) as f:
        res["stored_events"] = len(f.get_node("/dl1/event/subarray/trigger")) if "/dl1/event/subarray/trigger" in f else 0
    if a.reference:
        res["reference"] = run_reference(stored, a.reference)
    res["table_loader"] = run_table_loader(a.file, a.focal_length_choice, bool(params), bool(stored))
    json.dump(res, sys.stdout, default=lambda o: o.item() if hasattr(o, "item") else str(o))


if __name__ == "__main__":
    main()
