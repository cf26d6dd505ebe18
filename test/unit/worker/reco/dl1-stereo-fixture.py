"""Reads what a stereo reconstruction needs from a ctapipe DL1/DL2 file and
prints it as JSON on stdout (used by hillas-reconstructor.test.ts).

Usage: /usr/bin/python3 dl1-stereo-fixture.py FILE.h5
"""
import json
import math
import sys

import numpy as np
import tables


def clean(v):
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode()
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        v = float(v)
        return None if math.isnan(v) else v
    if isinstance(v, np.ndarray):
        return [clean(x) for x in v.tolist()] if v.dtype.kind != "b" else v.tolist()
    return v


def table_to_columns(table, names=None):
    data = table.read()
    names = names or data.dtype.names
    return {n: [clean(x) for x in data[n]] for n in names}


def main(path):
    out = {}
    with tables.open_file(path) as f:
        layout = f.get_node("/configuration/instrument/subarray/layout")
        out["layout"] = table_to_columns(
            layout, ["tel_id", "pos_x", "pos_y", "pos_z", "camera_name", "optics_name", "camera_index"]
        )
        out["reference_itrs"] = [float(layout.attrs[f"reference_itrs_{c}"]) for c in "xyz"]
        out["optics"] = table_to_columns(
            f.get_node("/configuration/instrument/telescope/optics"),
            ["optics_name", "equivalent_focal_length", "effective_focal_length"],
        )
        cameras = {}
        for node in f.iter_nodes("/configuration/instrument/telescope/camera", classname="Table"):
            if not node._v_name.startswith("geometry_"):
                continue
            data = node.read()
            cameras[node._v_name] = {
                "name": clean(node.attrs.CAM_ID),
                "pix_x": data["pix_x"].tolist(),
                "pix_y": data["pix_y"].tolist(),
            }
        out["cameras"] = cameras
        ob = f.get_node("/configuration/observation/observation_block").read()
        out["subarray_pointing"] = {
            "lat_deg": float(ob["subarray_pointing_lat"][0]),
            "lon_deg": float(ob["subarray_pointing_lon"][0]),
            "frame": int(ob["subarray_pointing_frame"][0]),
        }
        pointing = {}
        for node in f.iter_nodes("/configuration/telescope/pointing", classname="Table"):
            row = node.read()
            assert len(row) == 1, "expected fixed pointing"
            pointing[int(row["tel_id"][0])] = {
                "alt_rad": float(row["telescope_pointing_altitude"][0]),
                "az_rad": float(row["telescope_pointing_azimuth"][0]),
            }
        out["pointing"] = pointing
        params = {}
        cols = [
            "event_id", "tel_id", "hillas_intensity", "hillas_fov_lon", "hillas_fov_lat",
            "hillas_psi", "hillas_length", "hillas_width", "morphology_n_pixels",
            "leakage_intensity_width_2", "core_psi",
        ]
        for node in f.iter_nodes("/dl1/event/telescope/parameters", classname="Table"):
            params[node._v_name] = table_to_columns(node, cols)
        out["parameters"] = params
        impact = {}
        for node in f.iter_nodes("/dl2/event/telescope/impact/HillasReconstructor", classname="Table"):
            impact[node._v_name] = table_to_columns(
                node, ["event_id", "tel_id", "HillasReconstructor_tel_impact_distance"]
            )
        out["impact"] = impact
        geom = f.get_node("/dl2/event/subarray/geometry/HillasReconstructor")
        out["geometry"] = table_to_columns(geom)
        out["stereo_statistics"] = table_to_columns(
            f.get_node("/dl2/service/tel_event_statistics/HillasReconstructor")
        )
    json.dump(out, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main(sys.argv[1])
