"""
ctapipe 0.26's side of bench/simtel.bench.ts: sim_telarray file → DL1
parameters with SimTelEventSource(focal_length_choice="EQUIVALENT") +
CameraCalibrator + ImageProcessor, their defaults (what ctapipe-process does
without a configuration, less the writing), looping each file.

    python simtel.py SECONDS FILE [FILE ...]

Per file: one pass first (imports, numba compilation: startup, not
counted), then passes until SECONDS have gone by. A pass opens the file
(SimTelEventSource, CameraCalibrator, ImageProcessor: timed apart as
`open`) and then, for every event, calibrates it and runs the
ImageProcessor (timed: `events`). Two ways, pass by pass in turn:

- `full`: ImageProcessor as ctapipe-process runs it, which also
  parameterises the true image of simulated events that carry one;
- `same_work`: the true images set aside before the ImageProcessor
  (`event.simulation.tel[tel_id].true_image = None`), so ctapipe does the
  work Lightpool's chain does (it reads the true images all the same).

Rates per second of this process's CPU time (time.process_time), and of
wall-clock time. For gzip files pyeventio inflates in a `gzip -cd` child
process: its CPU time (resource.RUSAGE_CHILDREN, counted once the child is
reaped at close) is given apart as `child_cpu`, not in `cpu`. Run it on one thread (bench/ctapipe-oracle.ts sets
OPENBLAS_NUM_THREADS=1 and the like). Prints one JSON object.
"""
import json
import resource
import sys
import time
import warnings

warnings.simplefilter("ignore")

import ctapipe  # noqa: E402
from ctapipe.calib import CameraCalibrator  # noqa: E402
from ctapipe.image import ImageProcessor  # noqa: E402
from ctapipe.io import SimTelEventSource  # noqa: E402

seconds = float(sys.argv[1])
files = sys.argv[2:]


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def one_pass(path, same_work):
    k0 = children_cpu()
    c0, w0 = time.process_time(), time.perf_counter()
    source = SimTelEventSource(path, focal_length_choice="EQUIVALENT")
    calibrate = CameraCalibrator(subarray=source.subarray)
    process = ImageProcessor(subarray=source.subarray)
    c1, w1 = time.process_time(), time.perf_counter()
    events = images = 0
    for event in source:
        calibrate(event)
        if same_work and event.simulation is not None:
            for sim in event.simulation.tel.values():
                sim.true_image = None
        process(event)
        events += 1
        images += len(event.dl1.tel)
    c2, w2 = time.process_time(), time.perf_counter()
    source.close()
    child = children_cpu() - k0
    return {"events": events, "images": images, "open_cpu": c1 - c0, "open_wall": w1 - w0, "cpu": c2 - c1, "wall": w2 - w1, "child_cpu": child}


out = {"ctapipe": ctapipe.__version__, "files": {}}
for path in files:
    one_pass(path, False)  # startup: imports, numba compilation, caches
    acc = {mode: {"events": 0, "images": 0, "cpu": 0.0, "wall": 0.0, "open_cpu": 0.0, "open_wall": 0.0, "child_cpu": 0.0, "passes": 0} for mode in ("full", "same_work")}
    t0 = time.perf_counter()
    k = 0
    while time.perf_counter() - t0 < seconds or k < 2:
        mode = "full" if k % 2 == 0 else "same_work"
        r = one_pass(path, mode == "same_work")
        a = acc[mode]
        for key in ("events", "images", "cpu", "wall", "open_cpu", "open_wall", "child_cpu"):
            a[key] += r[key]
        a["passes"] += 1
        k += 1
    out["files"][path] = acc
print(json.dumps(out))
