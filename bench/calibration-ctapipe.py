"""ctapipe 0.26's side of bench/calibration.bench.ts.

Usage: CTAPIPE_PYTHON calibration-ctapipe.py dump OUTDIR FILE.simtel.zst
       CTAPIPE_PYTHON calibration-ctapipe.py measure FILE.simtel.zst SECONDS

dump: the events' R0 waveforms and calibration inputs (pedestal per sample,
dc_to_pe, time shift) and the telescope's readout and neighbours, as raw
little-endian arrays described by OUTDIR/manifest.json (Lightpool calibrates
the same waveforms).

measure: for each case, calls per second of process CPU time in the best
~100 ms window over SECONDS (after a warm-up), and the overall wall-clock
rate, cycling over the file's telescope events:
  r0_to_r1      apply_simtel_r1_calibration with the ThresholdGainSelector
                (what SimTelEventSource does per telescope event)
  <Extractor>   CameraCalibrator(event) with that image extractor
                (DL0 copy, extraction with the integration correction, time
                shift, NeighborAverage), default windows
Prints one JSON object.
"""
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

warnings.simplefilter("ignore")

from ctapipe.calib import CameraCalibrator  # noqa: E402
from ctapipe.io import SimTelEventSource  # noqa: E402
from ctapipe.io.simteleventsource import apply_simtel_r1_calibration  # noqa: E402
from traitlets.config import Config  # noqa: E402

EXTRACTORS = ["NeighborPeakWindowSum", "LocalPeakWindowSum", "GlobalPeakWindowSum", "FixedWindowSum"]


def read_events(path):
    src = SimTelEventSource(path, focal_length_choice="EQUIVALENT")
    events = list(src)
    return src, events


def dump(out, path):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    src, events = read_events(path)
    n = [0]

    def arr(a):
        a = np.ascontiguousarray(a)
        name = f"a{n[0]:03d}.bin"
        n[0] += 1
        a.astype(a.dtype.newbyteorder("<")).tofile(out / name)
        return {"file": name, "dtype": a.dtype.name, "shape": list(a.shape)}

    tel_id = next(iter(events[0].r0.tel))
    tel = src.subarray.tel[tel_id]
    ro = tel.camera.readout
    nb = tel.camera.geometry.neighbor_matrix_sparse
    manifest = {
        "camera": tel.camera.name,
        "n_pixels": int(tel.camera.geometry.n_pixels),
        "n_channels": int(ro.n_channels),
        "time_slice_ns": float(src.file_.telescope_descriptions[tel_id]["pixel_settings"]["time_slice"]),
        "reference_pulse_shape": arr(ro.reference_pulse_shape),
        "reference_pulse_sample_width_ns": float(ro.reference_pulse_sample_width.to_value("ns")),
        "hv_disabled": [int(x) for x in src.file_.telescope_descriptions[tel_id]["disabled_pixels"]["HV_disabled"]],
        "neighbors_indptr": arr(nb.indptr.astype(np.int32)),
        "neighbors_indices": arr(nb.indices.astype(np.int32)),
        "events": [],
    }
    for ev in events:
        mon = ev.mon.tel[tel_id].calibration
        manifest["events"].append({
            "event_id": int(ev.index.event_id),
            "r0": arr(ev.r0.tel[tel_id].waveform),
            "pedestal": arr(mon.pedestal_per_sample),
            "dc_to_pe": arr(mon.dc_to_pe),
            "time_shift": arr(ev.calibration.tel[tel_id].dl1.time_shift),
        })
    (out / "manifest.json").write_text(json.dumps(manifest))


def rate(fn, seconds):
    for i in range(20):
        fn(i)
    calls = 0
    best = 0.0
    t0 = time.perf_counter()
    t = t0
    end = t0 + seconds
    while t < end:
        c0 = time.process_time()
        w0 = t
        before = calls
        while t - w0 < 0.1 and t < end:
            for _ in range(5):
                fn(calls)
                calls += 1
            t = time.perf_counter()
        cpu = time.process_time() - c0
        if cpu > 0.02:
            best = max(best, (calls - before) / cpu)
    return {"cpu": best, "wall": calls / (t - t0)}


def measure(path, seconds):
    src, events = read_events(path)
    tel_id = next(iter(events[0].r0.tel))
    result = {}
    inputs = [
        (ev.r0.tel[tel_id].waveform, ev.mon.tel[tel_id].calibration.pedestal_per_sample, ev.mon.tel[tel_id].calibration.dc_to_pe)
        for ev in events
    ]
    result["r0_to_r1"] = rate(lambda i: apply_simtel_r1_calibration(*inputs[i % len(inputs)], src.gain_selector), seconds)
    for name in EXTRACTORS:
        cal = CameraCalibrator(subarray=src.subarray, config=Config({"CameraCalibrator": {"image_extractor_type": name}}))
        result[name] = rate(lambda i: cal(events[i % len(events)]), seconds)
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3])
    else:
        measure(sys.argv[2], float(sys.argv[3]))
