"""What ctapipe 0.26 reads back from fixed-point columns (fixed-point.test.ts).

Usage: CTAPIPE_PYTHON fixed-point-oracle.py OUTDIR FILE.simtel.zst

1. ctapipe-process writes FILE's R1 waveforms, DL1 images and peak times as
   fixed-point integers (DataWriter.transform_waveform / transform_image /
   transform_peak_time) to OUTDIR/fixed_point.dl1.h5; ctapipe's read_table
   decodes them: dumped as raw float32 arrays.
2. FixedPointColumnTransform on values with NaN, ±inf, overflows and
   fractions for several storage types: the stored integers and ctapipe's
   inverse, dumped.

Everything is described in OUTDIR/manifest.json.
"""
import json
import sys
import warnings
from pathlib import Path

import numpy as np

warnings.simplefilter("ignore")

from ctapipe.core import run_tool  # noqa: E402
from ctapipe.io import read_table  # noqa: E402
from ctapipe.io.tableio import FixedPointColumnTransform  # noqa: E402
from ctapipe.tools.process import ProcessorTool  # noqa: E402

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
h5 = out / "fixed_point.dl1.h5"
argv = [f"--input={sys.argv[2]}", f"--output={h5}", "--overwrite", "--write-images",
        "--DataWriter.write_r1_waveforms=True", "--DataWriter.transform_waveform=True",
        "--DataWriter.transform_image=True", "--DataWriter.transform_peak_time=True",
        "--SimTelEventSource.focal_length_choice=EQUIVALENT", "--log-level=ERROR"]
rc = run_tool(ProcessorTool(), argv=argv, cwd=str(out))
assert rc == 0, rc

counter = [0]


def arr(a):
    a = np.ascontiguousarray(a)
    name = f"a{counter[0]:03d}.bin"
    counter[0] += 1
    a.astype(a.dtype.newbyteorder("<")).tofile(out / name)
    return {"file": name, "dtype": a.dtype.name, "shape": list(a.shape)}


manifest = {"file": h5.name, "tables": {}, "synthetic": []}
for path, cols in [("/r1/event/telescope/tel_001", ["waveform"]), ("/dl1/event/telescope/images/tel_001", ["image", "peak_time"])]:
    t = read_table(h5, path)
    manifest["tables"][path] = {c: arr(np.asarray(t[c])) for c in cols}

values = np.array([0.0, 1.23456, -1.23456, 0.0005, -0.0005, 0.0015, 2.5, -2.5, 1e9, -1e9, np.nan, np.inf, -np.inf, 12.345, -7.77, 31.4159], dtype=np.float64)
for scale, offset, source, target in [(1000.0, 0, "float32", "int32"), (100.0, 5, "float32", "uint16"), (10.0, -3, "float64", "int16"),
                                      (3.0, 0, "float32", "int8"), (1000.0, 7, "float64", "uint32"), (100.0, 0, "float32", "int64")]:
    tr = FixedPointColumnTransform(scale=scale, offset=offset, source_dtype=source, target_dtype=target)
    stored = tr(values.astype(source))
    decoded = tr.inverse(stored)
    manifest["synthetic"].append({"scale": scale, "offset": offset, "source": source, "target": target,
                                  "stored": arr(stored), "decoded": arr(np.asarray(decoded))})

(out / "manifest.json").write_text(json.dumps(manifest))
print(out / "manifest.json")
