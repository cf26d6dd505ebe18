"""What ctapipe-process wrote for a sim_telarray file (its .ctapipe.dl1.h5), read with h5py, as JSON:
per event and telescope the DL1 image, peak time, mask, some parameters, the true image, and the
R1 waveforms of the brightest pixels. usage: simtel-ref.py FILE.ctapipe.dl1.h5 NPIX"""
import json, sys
import h5py, numpy as np

f = h5py.File(sys.argv[1], "r")
npix = int(sys.argv[2])
out = {"events": [], "geometry": {}}
for name in f["configuration/instrument/telescope/camera"]:
    if name.startswith("geometry_"):
        g = f["configuration/instrument/telescope/camera"][name]
        out["geometry"][g.attrs["CAM_ID"].decode()] = {"pix_x": g["pix_x"].tolist(), "pix_y": g["pix_y"].tolist()}
trig = f["dl1/event/subarray/trigger"][:]
for ev in trig:
    e = {"obs_id": int(ev["obs_id"]), "event_id": int(ev["event_id"]), "tel": {}}
    for tname in f["dl1/event/telescope/images"]:
        img = f["dl1/event/telescope/images"][tname][:]
        row = img[(img["obs_id"] == ev["obs_id"]) & (img["event_id"] == ev["event_id"])]
        if len(row) == 0:
            continue
        row = row[0]
        par = f["dl1/event/telescope/parameters"][tname][:]
        prow = par[(par["obs_id"] == ev["obs_id"]) & (par["event_id"] == ev["event_id"])][0]
        r1 = f["r1/event/telescope"][tname][:]
        r1row = r1[(r1["obs_id"] == ev["obs_id"]) & (r1["event_id"] == ev["event_id"])][0]
        bright = np.argsort(-row["image"], kind="stable")[:npix]
        t = {
            "image": row["image"].astype(float).tolist(),
            "peak_time": row["peak_time"].astype(float).tolist(),
            "image_mask": row["image_mask"].astype(bool).tolist(),
            "parameters": {k: (None if not np.isfinite(prow[k]) else float(prow[k])) for k in ("hillas_intensity", "hillas_fov_lon", "hillas_fov_lat", "hillas_length", "hillas_width", "hillas_psi")},
            "bright": bright.tolist(),
            "r1": {str(p): r1row["waveform"][0, p].astype(float).tolist() for p in bright},
            "selected_gain_channel": {str(p): int(r1row["selected_gain_channel"][p]) for p in bright},
        }
        if "simulation/event/telescope/images" in f and tname in f["simulation/event/telescope/images"]:
            si = f["simulation/event/telescope/images"][tname][:]
            srow = si[(si["obs_id"] == ev["obs_id"]) & (si["event_id"] == ev["event_id"])]
            if len(srow) and "true_image" in si.dtype.names:
                t["true_image"] = srow[0]["true_image"].astype(int).tolist()
        e["tel"][str(int(tname[4:]))] = t
    out["events"].append(e)
print(json.dumps(out))
