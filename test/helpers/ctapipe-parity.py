"""
The parity runner's ctapipe side: runs ctapipe 0.26 on the images it is given
and writes what ctapipe makes of them in the reference-value format Lightpool's
parity checker reads (src-main/tools/ctapipe-refvalues.ts, the format of
test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz), so Lightpool's
numbers are compared with ctapipe's computed in the same run.

    python ctapipe-parity.py INPUT.json > OUTPUT.jsonl

INPUT.json:
  {"cameras": [{"camera": NAME, "geometry_file": ".../NAME.camgeom.json", "focal_length": m}],
   "images":  [{"global_index": i, "camera": NAME, "image": [...], "peak_time": [...],
                "settings": [{"setting": S, "picture_thresh": p, "boundary_thresh": b,
                              "keep_isolated_pixels": bool, "min_number_picture_neighbors": n}]}]}

Per camera a "camera" record with ctapipe's neighbour lists; per image an
"image_data" record; per image and setting an "image" record: ctapipe's
tailcuts_clean mask, and ImageProcessor's parameters on it in the camera
frame (m) and the telescope frame (deg) — morphology always, then Hillas (its
error ends the row: everything else NaN), leakage, concentration, intensity
statistics, timing (its error leaves the timing NaN) and peak-time statistics
— with the first error as the status ("ok" otherwise). NaN is written null.
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import astropy.units as u  # noqa: E402
import numpy as np  # noqa: E402
from ctapipe.coordinates import CameraFrame, TelescopeFrame  # noqa: E402
from ctapipe.image import (  # noqa: E402
    HillasParameterizationError,
    concentration_parameters,
    hillas_parameters,
    leakage_parameters,
    morphology_parameters,
    tailcuts_clean,
    timing_parameters,
)
from ctapipe.image.statistics import descriptive_statistics  # noqa: E402
from ctapipe.instrument import CameraGeometry  # noqa: E402

PIX_TYPE = {"hexagon": "hexagon", "square": "square"}


def load_geometry(spec):
    with open(spec["geometry_file"]) as f:
        d = json.load(f)
    return CameraGeometry(
        name=spec["camera"],
        pix_id=np.asarray(d["pix_id"]),
        pix_x=np.asarray(d["pix_x"], dtype=np.float64) * u.m,
        pix_y=np.asarray(d["pix_y"], dtype=np.float64) * u.m,
        pix_area=np.asarray(d["pix_area"], dtype=np.float64) * u.m**2,
        pix_type=PIX_TYPE[d["pix_type"]],
        pix_rotation=d["pix_rotation_deg"] * u.deg,
        cam_rotation=d["cam_rotation_deg"] * u.deg,
        frame=CameraFrame(focal_length=spec["focal_length"] * u.m),
    )


def plain(v):
    if isinstance(v, u.Quantity):
        if v.unit.physical_type == "angle":
            v = v.to_value(u.deg)
        else:
            v = v.value
    v = float(v) if not isinstance(v, (bool, np.bool_)) else bool(v)
    return None if isinstance(v, float) and np.isnan(v) else v


def record(container, prefix):
    return {f"{prefix}_{k}": plain(v) for k, v in container.items() if k != "meta"}


def parameters(geom, image, peak_time, mask):
    out = {}
    status = "ok"
    morph = morphology_parameters(geom=geom, image_mask=mask)
    out.update(record(morph, "morphology"))
    try:
        h = hillas_parameters(geom=geom[mask], image=image[mask])
    except HillasParameterizationError as e:
        return out, f"{type(e).__name__}: {e}"
    out.update(record(h, "hillas"))
    out.update(record(leakage_parameters(geom=geom, image=image, cleaning_mask=mask), "leakage"))
    out.update(record(concentration_parameters(geom=geom[mask], image=image[mask], hillas_parameters=h), "concentration"))
    out.update(record(descriptive_statistics(image[mask]), "intensity"))
    try:
        t = timing_parameters(geom=geom[mask], image=image[mask], peak_time=peak_time[mask], hillas_parameters=h)
        out.update(record(t, "timing"))
    except Exception as e:  # noqa: BLE001
        out.update({"timing_slope": None, "timing_intercept": None, "timing_deviation": None})
        status = f"{type(e).__name__}: {e}"
    out.update(record(descriptive_statistics(peak_time[mask]), "peak_time"))
    return out, status


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    geoms = {}
    for cam in spec["cameras"]:
        g = load_geometry(cam)
        geoms[cam["camera"]] = (g, g.transform_to(TelescopeFrame()))
        print(json.dumps({"kind": "camera", "camera": cam["camera"], "n_pixels": int(g.n_pixels), "pix_type": cam.get("pix_type", str(g.pix_type.value)),
                          "focal_length_m_used_for_telescope_frame": cam["focal_length"],
                          "neighbors": [[int(j) for j in row] for row in g.neighbors]}))
    for im in spec["images"]:
        cam, tel = geoms[im["camera"]]
        image = np.asarray(im["image"], dtype=np.float32)
        peak = np.asarray(im["peak_time"], dtype=np.float32)
        print(json.dumps({"kind": "image_data", "global_index": im["global_index"], "camera": im["camera"], "index_in_camera": im["global_index"],
                          "image": [float(x) for x in image], "peak_time": [float(x) for x in peak]}))
        for s in im["settings"]:
            mask = tailcuts_clean(cam, image, picture_thresh=s["picture_thresh"], boundary_thresh=s["boundary_thresh"],
                                  keep_isolated_pixels=s["keep_isolated_pixels"], min_number_picture_neighbors=s["min_number_picture_neighbors"])
            camera_frame, camera_status = parameters(cam, image, peak, mask)
            telescope_frame, telescope_status = parameters(tel, image, peak, mask)
            print(json.dumps({"kind": "image", "global_index": im["global_index"], "camera": im["camera"], "index_in_camera": im["global_index"], **s,
                              "mask_pixel_indices": [int(i) for i in np.nonzero(mask)[0]],
                              "camera_frame": camera_frame, "camera_frame_status": camera_status,
                              "telescope_frame": telescope_frame, "telescope_frame_status": telescope_status}))


if __name__ == "__main__":
    main()
