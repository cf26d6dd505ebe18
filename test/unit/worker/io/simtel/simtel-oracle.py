"""What pyeventio 1.16 and ctapipe 0.26 read from sim_telarray files, as JSON on stdout.

usage: simtel-oracle.py FILE.simtel.zst [FILE ...]

For each file: every EventIO object (nested, with type, version, id, sizes and addresses),
pyeventio's parsed run header, MC run header, telescope descriptions and monitoring, and
what ctapipe's SimTelEventSource(focal_length_choice="EQUIVALENT") builds: subarray
(camera geometry, readout, optics, positions) and every event (trigger, pointing, R0
waveforms, pedestals, dc_to_pe, pixel status, true image, shower). Where ctapipe-process
wrote NAME.ctapipe.dl1.h5 beside the file, its /r0 and true-image tables too.
Arrays travel as {"dtype", "shape", "b64"} (little-endian bytes, exact).
"""
import base64
import json
import os
import sys
import warnings

import numpy as np

warnings.simplefilter("ignore")


def arr(a):
    a = np.ascontiguousarray(np.asarray(a))
    if a.dtype.byteorder == ">":
        a = a.astype(a.dtype.newbyteorder("<"))
    return {"dtype": a.dtype.str, "shape": list(a.shape), "b64": base64.b64encode(a.tobytes()).decode()}


def plain(v):
    if isinstance(v, dict):
        return {str(k if not isinstance(k, bytes) else k.decode("utf-8", "replace")): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "fiub" and v.dtype.names is None:
            return arr(v)
        return [plain(x) for x in v.tolist()]
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, float) and not np.isfinite(v):
        return repr(v)
    return v


def objects(path):
    from eventio import EventIOFile

    out = []

    def walk(o, depth):
        h = o.header
        out.append([depth, h.type, h.version, h.id, int(h.content_size), int(h.content_address), bool(h.only_subobjects)])
        if h.only_subobjects:
            for s in o:
                walk(s, depth + 1)

    with EventIOFile(path) as f:
        for o in f:
            walk(o, 0)
    return out


def pyeventio(path):
    from eventio import SimTelFile

    with SimTelFile(path, skip_calibration=False) as f:
        res = {
            "header": plain(f.header),
            "mc_run_headers": plain(f.mc_run_headers),
            "telescope_descriptions": {},
            "global_meta": plain(f.global_meta),
            "telescope_meta": plain(f.telescope_meta),
            "n_history": len(f.history),
        }
        for tel_id, d in f.telescope_descriptions.items():
            d = dict(d)
            if "camera_organization" in d:
                co = dict(d["camera_organization"])
                co["sectors"] = [list(map(int, s)) for s in co["sectors"]]
                d["camera_organization"] = co
            res["telescope_descriptions"][str(tel_id)] = plain(d)
        events = []
        for ev in f:
            e = {
                "type": ev["type"],
                "event_id": int(ev["event_id"]),
                "trigger_information": plain(ev["trigger_information"]),
                "tracking_positions": plain(ev["tracking_positions"]),
                "telescopes": {},
                "mc_shower": plain(ev.get("mc_shower")),
                "mc_event": plain(ev.get("mc_event")),
                "photoelectron_sums": plain(ev.get("photoelectron_sums")),
                "calibration_type": ev.get("calibration_type"),
                "camera_monitorings": plain(ev.get("camera_monitorings")),
                "laser_calibrations": plain(ev.get("laser_calibrations")),
                "pixel_monitorings": plain(ev.get("pixel_monitorings")),
            }
            for tel_id, te in ev["telescope_events"].items():
                t = {"header": plain(te["header"]), "pixel_lists": plain(te["pixel_lists"])}
                for k in ("adc_samples", "adc_sums"):
                    if k in te:
                        t[k] = arr(te[k])
                if "pixel_timing" in te:
                    t["pixel_timing"] = plain(te["pixel_timing"])
                if "aux_traces" in te:
                    t["aux_traces"] = plain(te["aux_traces"])
                e["telescopes"][str(tel_id)] = t
            pes = ev.get("photoelectrons") or {}
            e["photoelectrons"] = {str(k): plain(v) for k, v in pes.items()}
            events.append(e)
    return res, events


def ctapipe_source(path):
    import astropy.units as u
    from ctapipe.io import SimTelEventSource

    src = SimTelEventSource(path, focal_length_choice="EQUIVALENT")
    sub = src.subarray
    tels = {}
    for tel_id, tel in sub.tel.items():
        geom = tel.camera.geometry
        ro = tel.camera.readout
        opt = tel.optics
        tels[str(tel_id)] = {
            "name": tel.name,
            "type": str(tel.type),
            "position_m": sub.positions[tel_id].to_value(u.m).tolist(),
            "optics": {
                "name": opt.name,
                "size_type": str(opt.size_type.value),
                "reflector_shape": str(opt.reflector_shape.value if hasattr(opt.reflector_shape, "value") else opt.reflector_shape),
                "n_mirrors": int(opt.n_mirrors),
                "n_mirror_tiles": int(opt.n_mirror_tiles),
                "mirror_area_m2": float(opt.mirror_area.to_value(u.m**2)),
                "equivalent_focal_length_m": float(opt.equivalent_focal_length.to_value(u.m)),
                "effective_focal_length_m": float(opt.effective_focal_length.to_value(u.m)) if np.isfinite(opt.effective_focal_length.value) else None,
            },
            "camera": {
                "name": tel.camera.name,
                "pix_id": arr(geom.pix_id),
                "pix_x": arr(geom.pix_x.to_value(u.m)),
                "pix_y": arr(geom.pix_y.to_value(u.m)),
                "pix_area": arr(geom.pix_area.to_value(u.m**2)),
                "pix_type": geom.pix_type.value,
                "pix_rotation_deg": float(geom.pix_rotation.to_value(u.deg)),
                "cam_rotation_deg": float(geom.cam_rotation.to_value(u.deg)),
                "focal_length_m": float(geom.frame.focal_length.to_value(u.m)),
                "neighbors": [list(map(int, n)) for n in geom.neighbors],
                "sampling_rate_ghz": float(ro.sampling_rate.to_value(u.GHz)),
                "reference_pulse_shape": arr(ro.reference_pulse_shape),
                "reference_pulse_sample_width_ns": float(ro.reference_pulse_sample_width.to_value(u.ns)),
                "n_channels": int(ro.n_channels),
                "n_pixels": int(ro.n_pixels),
                "n_samples": int(ro.n_samples),
            },
        }
    res = {
        "subarray_name": sub.name,
        "tel_ids": [int(t) for t in sub.tel_ids],
        "telescopes": tels,
        "obs_id": int(src.obs_id),
        "has_true_image": bool(src._has_true_image),
        "events": [],
    }
    for ev in src:
        e = {
            "obs_id": int(ev.index.obs_id),
            "event_id": int(ev.index.event_id),
            "count": int(ev.count),
            "event_type": int(ev.trigger.event_type.value),
            "tels_with_trigger": [int(t) for t in ev.trigger.tels_with_trigger],
            "array_pointing": {
                "altitude_rad": None if ev.pointing.array_altitude is None else float(ev.pointing.array_altitude.to_value(u.rad)),
                "azimuth_rad": None if ev.pointing.array_azimuth is None else float(ev.pointing.array_azimuth.to_value(u.rad)),
            },
            "shower": None,
            "tel": {},
        }
        sh = ev.simulation.shower if ev.simulation is not None else None
        if sh is not None:
            e["shower"] = {
                "energy_tev": float(sh.energy.to_value(u.TeV)),
                "alt_rad": float(sh.alt.to_value(u.rad)),
                "az_rad": float(sh.az.to_value(u.rad)),
                "core_x_m": float(sh.core_x.to_value(u.m)),
                "core_y_m": float(sh.core_y.to_value(u.m)),
                "h_first_int_m": float(sh.h_first_int.to_value(u.m)),
                "x_max_g_cm2": float(sh.x_max.value),
                "shower_primary_id": int(sh.shower_primary_id),
                "starting_grammage_g_cm2": None if not np.isfinite(sh.starting_grammage.value) else float(sh.starting_grammage.value),
            }
        for tel_id in ev.r0.tel:
            mon = ev.mon.tel[tel_id]
            trig = ev.trigger.tel.get(tel_id)
            simtel = ev.simulation.tel.get(tel_id) if ev.simulation is not None else None
            t = {
                "r0": arr(ev.r0.tel[tel_id].waveform),
                "pedestal_per_sample": arr(mon.calibration.pedestal_per_sample),
                "dc_to_pe": arr(mon.calibration.dc_to_pe),
                "hardware_failing_pixels": arr(mon.pixel_status.hardware_failing_pixels),
                "r1_pixel_status": arr(ev.r1.tel[tel_id].pixel_status),
                "time_shift": arr(ev.calibration.tel[tel_id].dl1.time_shift),
                "pointing": {
                    "azimuth_rad": float(ev.pointing.tel[tel_id].azimuth.to_value(u.rad)),
                    "altitude_rad": float(ev.pointing.tel[tel_id].altitude.to_value(u.rad)),
                },
                "n_trigger_pixels": None if trig is None else int(trig.n_trigger_pixels),
                "trigger_pixels": None if trig is None or trig.trigger_pixels is None else [int(x) for x in trig.trigger_pixels],
                "true_image": None if simtel is None or simtel.true_image is None else arr(simtel.true_image),
                "true_image_sum": None if simtel is None or simtel.true_image_sum is None else float(simtel.true_image_sum),
            }
            e["tel"][str(tel_id)] = t
        res["events"].append(e)
    src.close()
    return res


def dl1_reference(path):
    stem = os.path.basename(path)
    for ext in (".simtel.zst", ".simtel.gz"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
    h5 = os.path.join(os.path.dirname(path), stem + ".ctapipe.dl1.h5")
    if not os.path.exists(h5):
        return None
    import tables

    res = {"r0": {}, "true_images": {}}
    with tables.open_file(h5) as f:
        if "/r0/event/telescope" in f:
            for node in f.get_node("/r0/event/telescope"):
                t = node.read()
                res["r0"][node.name] = [{"event_id": int(r["event_id"]), "waveform": arr(r["waveform"])} for r in t]
        if "/simulation/event/telescope/images" in f:
            for node in f.get_node("/simulation/event/telescope/images"):
                t = node.read()
                rows = []
                for r in t:
                    row = {"event_id": int(r["event_id"]), "true_image_sum": int(r["true_image_sum"])}
                    if "true_image" in t.dtype.names:
                        row["true_image"] = arr(r["true_image"])
                    rows.append(row)
                res["true_images"][node.name] = rows
    return res


def main():
    out = {}
    for path in sys.argv[1:]:
        info, events = pyeventio(path)
        out[os.path.basename(path)] = {
            "objects": objects(path),
            "pyeventio": info,
            "pyeventio_events": events,
            "ctapipe": ctapipe_source(path),
            "dl1": dl1_reference(path),
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
