"""
ctapipe 0.26's CameraDisplay (matplotlib, Agg) drawing a new image per frame,
measured in the same run as bench/camera-render.bench.mjs (JSON on stdout):

    python camera-display.py ASSETS_CAMERAS_DIR SECONDS

Per camera (LSTCam, SCTCam): a 600×600 px figure (6 in at 100 dpi) with one
CameraDisplay and its colour bar; each frame sets a new random image
(`display.image = ...`, which rescales the colours) and renders the canvas
(`fig.canvas.draw()`); frames per second of wall-clock time and of this
process's CPU time.
"""
import json
import sys
import time
import warnings

warnings.simplefilter("ignore")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import astropy.units as u  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from ctapipe.instrument import CameraGeometry  # noqa: E402
from ctapipe.visualization import CameraDisplay  # noqa: E402

cameras_dir, seconds = sys.argv[1], float(sys.argv[2])
out = {"ctapipe": __import__("ctapipe").__version__, "matplotlib": matplotlib.__version__, "seconds": seconds}
rng = np.random.default_rng(1)
for name in ("LSTCam", "SCTCam"):
    with open(f"{cameras_dir}/{name}.camgeom.json") as f:
        d = json.load(f)
    geom = CameraGeometry(
        name=name, pix_id=np.asarray(d["pix_id"]),
        pix_x=np.asarray(d["pix_x"]) * u.m, pix_y=np.asarray(d["pix_y"]) * u.m, pix_area=np.asarray(d["pix_area"]) * u.m**2,
        pix_type=d["pix_type"], pix_rotation=d["pix_rotation_deg"] * u.deg, cam_rotation=d["cam_rotation_deg"] * u.deg,
    )
    images = [rng.gamma(2, 3, geom.n_pixels).astype(np.float32) for _ in range(16)]
    fig, ax = plt.subplots(figsize=(6, 6), dpi=100)
    disp = CameraDisplay(geom, ax=ax)
    disp.add_colorbar()
    for i in range(3):  # warm-up
        disp.image = images[i % 16]
        fig.canvas.draw()
    frames = 0
    t0, c0 = time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        disp.image = images[frames % 16]
        fig.canvas.draw()
        frames += 1
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    plt.close(fig)
    out[name] = {"frames": frames, "fps": frames / wall, "fps_per_cpu_second": frames / cpu if cpu > 0 else None}
print(json.dumps(out))
