"""ctapipe 0.26's CameraCalibrator with a chosen image extractor on a sim_telarray file: JSON on stdout.

usage: extractor-oracle.py FILE.simtel.zst '{"type": "LocalPeakWindowSum", "window_width": 5, ...}'

The configuration names ctapipe's ImageExtractor class and its traits (snake_case); every
other setting is ctapipe's default. For each event: obs_id, event_id and, per telescope,
the DL1 image (p.e.) and peak time (ns) as lists of float32 values.
"""
import json
import sys
import warnings

import numpy as np

warnings.simplefilter("ignore")

from traitlets.config import Config  # noqa: E402
from ctapipe.calib import CameraCalibrator  # noqa: E402
from ctapipe.io import SimTelEventSource  # noqa: E402

path, spec = sys.argv[1], json.loads(sys.argv[2])
kind = spec.pop("type")
config = Config({"CameraCalibrator": {"image_extractor_type": kind}, kind: spec})
source = SimTelEventSource(path, focal_length_choice="EQUIVALENT")
calibrator = CameraCalibrator(subarray=source.subarray, config=config)
events = []
for event in source:
    calibrator(event)
    tel = {}
    for tel_id, dl1 in event.dl1.tel.items():
        tel[str(tel_id)] = {
            "image": np.asarray(dl1.image, dtype=np.float32).tolist(),
            "peak_time": np.asarray(dl1.peak_time, dtype=np.float32).tolist(),
        }
    events.append({"obs_id": int(event.index.obs_id), "event_id": int(event.index.event_id), "tel": tel})
json.dump({"extractor": kind, "events": events}, sys.stdout)
