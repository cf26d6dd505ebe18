"""Runs ctapipe 0.26's sim_telarray calibration on the fixture files and dumps
what Lightpool's calibration tests compare against (calibration.test.ts).

Usage: CTAPIPE_PYTHON ctapipe-calibration-oracle.py OUTDIR FILE.simtel.zst...

For every file, through ctapipe's own SimTelEventSource (focal_length_choice
EQUIVALENT, as the reference DL1 files were made) and CameraCalibrator:

- per telescope, the calibration inputs the sim_telarray reader will have to
  provide: sampling rate, reference pulse shapes and their sample width,
  HV-disabled pixels, ctapipe's neighbour matrix (CSR, as the extractor
  iterates it), ctapipe's integration correction for a few windows;
- per telescope event: the raw pedestal sum and n_ped_slices, pedestal per
  sample, dc_to_pe, time shift (tm_calib), and what ctapipe made of the R0
  waveforms: R1 waveforms, selected gain channel, R1 pixel status, DL1 image
  and peak time (default CameraCalibrator);
- "cases": the same events through other configurations (the other
  extractors with non-default windows, windows at the trace edges, no
  invalid-pixel handler, waveform time shift, ...) and through modified
  inputs (extra HV-disabled pixels, saturating high gain, a lower gain
  threshold, no gain selection, tied maxima, uint32 R0), each with its configuration, any modified R0 and
  ctapipe's outputs.

Arrays go to OUTDIR as raw little-endian files, described in manifest.json
({"file", "dtype", "shape"}).
"""

import json
import sys
import warnings
from copy import deepcopy
from pathlib import Path

import numpy as np

warnings.simplefilter("ignore")

from ctapipe.calib import CameraCalibrator  # noqa: E402
from ctapipe.image.extractor import integration_correction  # noqa: E402
from ctapipe.io import SimTelEventSource  # noqa: E402
from ctapipe.io.simteleventsource import apply_simtel_r1_calibration  # noqa: E402
from traitlets.config import Config  # noqa: E402

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
counter = [0]


def arr(a):
    a = np.ascontiguousarray(a)
    if a.dtype == np.bool_:
        a = a.astype(np.uint8)
    name = f"a{counter[0]:05d}.bin"
    counter[0] += 1
    a.astype(a.dtype.newbyteorder("<")).tofile(out / name)
    return {"file": name, "dtype": a.dtype.name, "shape": list(a.shape)}


def source(path, config=None, hv_disabled=None):
    src = SimTelEventSource(path, focal_length_choice="EQUIVALENT", config=config)
    if hv_disabled is not None:
        for tel_id, pixels in hv_disabled.items():
            desc = src.file_.telescope_descriptions[tel_id]["disabled_pixels"]
            desc["HV_disabled"] = np.asarray(pixels, dtype=np.int32)
            desc["n_HV_disabled"] = len(pixels)
    return src


def dl1_outputs(event, tel_id, with_r1):
    dl1 = event.dl1.tel[tel_id]
    r1 = event.r1.tel[tel_id]
    res = {
        "image": arr(np.asarray(dl1.image)),
        "peak_time": arr(np.asarray(dl1.peak_time)),
        "selected_gain_channel": None if r1.selected_gain_channel is None else arr(r1.selected_gain_channel),
        "pixel_status": arr(r1.pixel_status),
    }
    if with_r1:
        res["r1"] = arr(r1.waveform)
    return res


def telescope_info(src, tel_id):
    tel = src.subarray.tel[tel_id]
    ro = tel.camera.readout
    geom = tel.camera.geometry
    nb = geom.neighbor_matrix_sparse
    ps = src.file_.telescope_descriptions[tel_id]["pixel_settings"]
    width_ns = (1 / ro.sampling_rate).to_value("ns")
    corrections = {}
    n_samples = int(ps["sum_bins"])
    for w, s in [(7, 3), (5, 2), (9, 4), (6, 2), (6, 3), (7, 1), (6, 1), (12, 8), (7, 0), (3, 10), (40, 0), (1, 0)]:
        corrections[f"{w},{s}"] = integration_correction(
            ro.reference_pulse_shape, ro.reference_pulse_sample_width.to_value("ns"), width_ns, w, s
        ).tolist()
    return {
        "camera": tel.camera.name,
        "n_pixels": int(geom.n_pixels),
        "n_channels": int(ro.n_channels),
        "n_samples": n_samples,
        "time_slice_ns": float(ps["time_slice"]),
        "sampling_rate_ghz": float(ro.sampling_rate.to_value("GHz")),
        "sample_width_ns": float(width_ns),
        "reference_pulse_shape": arr(ro.reference_pulse_shape),
        "reference_pulse_sample_width_ns": float(ro.reference_pulse_sample_width.to_value("ns")),
        "ref_step_raw": float(ps["ref_step"]),
        "hv_disabled": [int(x) for x in src.file_.telescope_descriptions[tel_id]["disabled_pixels"]["HV_disabled"]],
        "neighbors_indptr": arr(nb.indptr.astype(np.int32)),
        "neighbors_indices": arr(nb.indices.astype(np.int32)),
        "integration_correction": corrections,
    }


def run_case(path, name, calib_config=None, source_config=None, hv_disabled=None, modify_r0=None, max_events=None, dump_r1=False):
    """Calibrates every event of `path` with the given configuration; modify_r0(tel_id, r0) -> new r0 or None."""
    src = source(path, config=source_config, hv_disabled=hv_disabled)
    cal = CameraCalibrator(subarray=src.subarray, config=calib_config)
    events = []
    for i, event in enumerate(src):
        if max_events is not None and i >= max_events:
            break
        for tel_id in event.r0.tel:
            entry = {"event_id": int(event.index.event_id), "tel_id": int(tel_id)}
            if modify_r0 is not None:
                r0 = modify_r0(tel_id, event.r0.tel[tel_id].waveform.copy(), event)
                if r0 is not None:
                    event.r0.tel[tel_id].waveform = r0
                    mon = event.mon.tel[tel_id].calibration
                    r1, sel = apply_simtel_r1_calibration(
                        r0, mon.pedestal_per_sample, mon.dc_to_pe, src.gain_selector, src.calib_scale, src.calib_shift
                    )
                    event.r1.tel[tel_id].waveform = r1
                    event.r1.tel[tel_id].selected_gain_channel = sel
                    event.r1.tel[tel_id].pixel_status = src._get_r1_pixel_status(tel_id, sel)
                    entry["r0"] = arr(r0)
            cal(event)
            entry.update(dl1_outputs(event, tel_id, with_r1=dump_r1 or modify_r0 is not None))
            events.append(entry)
    return {"name": name, "events": events}


def cfg(d):
    return Config(d) if d is not None else None


manifest = {"files": {}}
for path in sys.argv[2:]:
    name = Path(path).name.split(".")[0]
    src = source(path)
    tels = {}
    events = []
    cal = CameraCalibrator(subarray=src.subarray)
    for event in src:
        for tel_id in event.r0.tel:
            if tel_id not in tels:
                tels[tel_id] = telescope_info(src, tel_id)
            mon = event.mon.tel[tel_id]
            raw = src.file_  # noqa: F841 (the source keeps the raw dicts per event only transiently)
            cal(event)
            entry = {
                "event_id": int(event.index.event_id),
                "tel_id": int(tel_id),
                "r0": arr(event.r0.tel[tel_id].waveform),
                "pedestal_per_sample": arr(mon.calibration.pedestal_per_sample),
                "dc_to_pe": arr(mon.calibration.dc_to_pe),
                "time_shift": arr(event.calibration.tel[tel_id].dl1.time_shift),
                "r1_dtype": str(event.r1.tel[tel_id].waveform.dtype),
            }
            entry.update(dl1_outputs(event, tel_id, with_r1=True))
            events.append(entry)

    # the raw pedestal sums (pedestal_per_sample = pedestal / n_ped_slices): read through eventio as ctapipe does
    from eventio import SimTelFile

    with SimTelFile(path) as f:
        peds = []
        for ev in f:
            for tel_id in ev["telescope_events"]:
                cm = ev["camera_monitorings"][tel_id]
                peds.append({"tel_id": int(tel_id), "pedestal": arr(cm["pedestal"]), "n_ped_slices": int(cm["n_ped_slices"]),
                             "n_ped_slices_type": type(cm["n_ped_slices"]).__name__})
            break

    cases = []
    first = next(iter(tels.values()))
    n_samples = events[0]["r0"]["shape"][-1]  # the samples in the events (sum_bins may differ: adc_sums only)
    n_pixels = first["n_pixels"]
    if n_samples > 1:
        extractor_cases = {
            "local_w5_s2": {"CameraCalibrator": {"image_extractor_type": "LocalPeakWindowSum"},
                            "LocalPeakWindowSum": {"window_width": 5, "window_shift": 2}},
            "global_w9_s4": {"CameraCalibrator": {"image_extractor_type": "GlobalPeakWindowSum"},
                             "GlobalPeakWindowSum": {"window_width": 9, "window_shift": 4}},
            "global_fraction": {"CameraCalibrator": {"image_extractor_type": "GlobalPeakWindowSum"},
                                "GlobalPeakWindowSum": {"window_width": 6, "window_shift": 2, "pixel_fraction": 0.05}},
            "fixed_w6_s1": {"CameraCalibrator": {"image_extractor_type": "FixedWindowSum"},
                            "FixedWindowSum": {"peak_index": n_samples // 2, "window_width": 6, "window_shift": 1}},
            "fixed_start_edge": {"CameraCalibrator": {"image_extractor_type": "FixedWindowSum"},
                                 "FixedWindowSum": {"peak_index": 1, "window_width": 6, "window_shift": 3}},
            "fixed_end_edge": {"CameraCalibrator": {"image_extractor_type": "FixedWindowSum"},
                               "FixedWindowSum": {"peak_index": n_samples - 2, "window_width": 7, "window_shift": 0,
                                                  "apply_integration_correction": False}},
            "fixed_default": {"CameraCalibrator": {"image_extractor_type": "FixedWindowSum"}},
            "neighbor_lw1_nocorr": {"NeighborPeakWindowSum": {"window_width": 5, "window_shift": 1, "local_weight": 1,
                                                              "apply_integration_correction": False}},
            "neighbor_wide_edges": {"NeighborPeakWindowSum": {"window_width": 12, "window_shift": 8}},
            "no_invalid_pixel_handler": {"CameraCalibrator": {"invalid_pixel_handler_type": None}},
            "no_peak_time_shift": {"CameraCalibrator": {"apply_peak_time_shift": False}},
            "waveform_time_shift": {"CameraCalibrator": {"apply_waveform_time_shift": True}},
        }
        for cname, c in extractor_cases.items():
            case = run_case(path, cname, calib_config=cfg(c))
            case["config"] = c
            cases.append(case)

    # extra HV-disabled pixels: a pixel with all its neighbours (so it has no valid neighbour: zero-filled),
    # the brightest pixels of the first event, and the first pixels
    first_tel = next(iter(tels))
    indptr = np.fromfile(out / tels[first_tel]["neighbors_indptr"]["file"], dtype="<i4")
    indices = np.fromfile(out / tels[first_tel]["neighbors_indices"]["file"], dtype="<i4")
    centre = n_pixels // 2
    cluster = [centre] + indices[indptr[centre]:indptr[centre + 1]].tolist()
    brightest = np.argsort(np.fromfile(out / events[0]["image"]["file"], dtype="<f4"))[-5:].tolist()
    disabled = sorted(set(tels[first_tel]["hv_disabled"] + cluster + brightest + [0, 1, 2]))
    case = run_case(path, "hv_disabled", hv_disabled={first_tel: disabled})
    case["config"] = {}
    case["hv_disabled"] = disabled
    cases.append(case)
    if n_samples > 1:
        c = {"CameraCalibrator": {"image_extractor_type": "GlobalPeakWindowSum"}}
        case = run_case(path, "hv_disabled_global", calib_config=cfg(c), hv_disabled={first_tel: disabled})
        case["config"] = c
        case["hv_disabled"] = disabled
        cases.append(case)

    if first["n_channels"] == 2:
        # saturation: the high gain of the 40 brightest pixels pushed over the 4000 counts threshold
        def saturate(tel_id, r0, event):
            ped = event.mon.tel[tel_id].calibration.pedestal_per_sample
            hg = r0[0].astype(np.float64)
            amp = hg.max(axis=-1) - ped[0]
            pix = np.argsort(amp)[-40:]
            scale = 4100.0 / np.maximum(amp[pix], 1.0)
            r0[0, pix] = np.clip(ped[0, pix, None] + (hg[pix] - ped[0, pix, None]) * scale[:, None], 0, 4095).astype(np.uint16)
            return r0

        case = run_case(path, "saturated_high_gain", modify_r0=saturate)
        case["config"] = {}
        cases.append(case)

        # a lower threshold of the ThresholdGainSelector: a tenth of the pixels read out in low gain
        r0 = np.fromfile(out / events[0]["r0"]["file"], dtype="<u2").reshape(events[0]["r0"]["shape"])
        threshold = float(np.percentile(r0[0].max(axis=-1), 90))
        c = {"ThresholdGainSelector": {"threshold": threshold}}
        case = run_case(path, "gain_threshold", source_config=cfg(c))
        case["config"] = c
        cases.append(case)

        # no gain selection (SimTelEventSource.select_gain = False): both channels calibrated and
        # extracted, each with its own integration correction and time shift; with the extra HV-disabled pixels
        c = {"SimTelEventSource": {"select_gain": False}}
        case = run_case(path, "no_gain_selection", source_config=cfg(c), hv_disabled={first_tel: disabled}, dump_r1=True)
        case["config"] = c
        case["hv_disabled"] = disabled
        cases.append(case)

    if n_samples > 1:
        # tied maxima: flat traces, plateaus, and a pixel whose neighbours all carry the same plateau
        def ties(tel_id, r0, event):
            ns = r0.shape[-1]
            base = int(np.median(r0[0]))
            r0[:, 10] = base + 3  # flat trace
            r0[:, 11] = base
            plateau = np.full(ns, base, dtype=r0.dtype)
            plateau[ns // 3: ns // 3 + 4] = base + 200
            for p in (20, 21, 22):
                r0[:, p] = plateau
            c2 = centre + 7
            for nb in indices[indptr[c2]:indptr[c2 + 1]]:
                r0[:, nb] = plateau
            r0[:, c2] = plateau[::-1]
            return r0

        for extractor in ("NeighborPeakWindowSum", "LocalPeakWindowSum", "GlobalPeakWindowSum"):
            c = {"CameraCalibrator": {"image_extractor_type": extractor}}
            case = run_case(path, f"ties_{extractor}", calib_config=cfg(c), modify_r0=ties)
            case["config"] = c
            cases.append(case)

        # uint32 R0 (as the 40,000-pixel camera has): numpy makes R1 float64, and the extractors run their float64 versions
        for extractor in ("NeighborPeakWindowSum", "GlobalPeakWindowSum"):
            c = {"CameraCalibrator": {"image_extractor_type": extractor}}
            case = run_case(path, f"uint32_r0_{extractor}", calib_config=cfg(c), modify_r0=lambda tel_id, r0, event: r0.astype(np.uint32))
            case["config"] = c
            cases.append(case)

    manifest["files"][name] = {
        "telescopes": {str(k): v for k, v in tels.items()},
        "events": events,
        "pedestal_sums": peds,
        "cases": cases,
    }

(out / "manifest.json").write_text(json.dumps(manifest))
print(out / "manifest.json")
