"""The numpy a physicist writes for a camera's R0 and R1 'images' from a ctapipe HDF5 file with /r0 and
/r1 waveform tables, read with h5py: per event and telescope, r0.waveform[gain].sum(axis=-1) for each
gain and r1.waveform.sum(axis=-1) (numpy's own float32 sum), and sum(|r1|) (the scale of a float32
sum's rounding). usage: waveform-sums-ref.py FILE.h5"""
import json, sys
import h5py, numpy as np

f = h5py.File(sys.argv[1], "r")
trig = f["dl1/event/subarray/trigger"][:]
out = []
for ev in trig:
    e = {"obs_id": int(ev["obs_id"]), "event_id": int(ev["event_id"]), "tel": {}}
    for tname in f["r1/event/telescope"]:
        r1 = f["r1/event/telescope"][tname][:]
        r0 = f["r0/event/telescope"][tname][:]
        sel1 = r1[(r1["obs_id"] == ev["obs_id"]) & (r1["event_id"] == ev["event_id"])]
        sel0 = r0[(r0["obs_id"] == ev["obs_id"]) & (r0["event_id"] == ev["event_id"])]
        if len(sel1) == 0:
            continue
        w1 = sel1[0]["waveform"]
        w0 = sel0[0]["waveform"]
        e["tel"][str(int(tname[4:]))] = {
            "r1_dtype": str(w1.dtype),
            "r0_dtype": str(w0.dtype),
            "r1": w1.sum(axis=-1)[0].astype(float).tolist(),
            "r1_abs": np.abs(w1).sum(axis=-1)[0].astype(float).tolist(),
            "r0": [w0[g].sum(axis=-1).astype(float).tolist() for g in range(w0.shape[0])],
        }
    out.append(e)
print(json.dumps(out))
