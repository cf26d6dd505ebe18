"""Writes a small WatChMaL-layout hit file on the Super-K geometry (z axis):
each event lights the PMTs within 2.5 deg of the Cherenkov cone (41.4 deg)
of a vertex and direction, plus a little noise, with DataTools' angle
convention (polar = arccos(dir_y), azimuth = atan2(dir_z, dir_x)).
Usage: make-sk-ring.py GEOMETRY_CSV OUT_H5"""
import sys

import h5py
import numpy as np

geo = np.genfromtxt(sys.argv[1], delimiter=",", names=True)
pos = np.stack([geo["x_cm"], geo["y_cm"], geo["z_cm"]], axis=1)
rng = np.random.default_rng(5)
events = [((300.0, -500.0, 200.0), (1.2, 0.4)), ((-800.0, 200.0, -900.0), (0.6, 2.5)), ((0.0, 0.0, 0.0), (1.5707963, 0.0))]
pmts, charges, times, starts = [], [], [], []
for vertex, (polar, azimuth) in events:
    d = np.array([np.sin(polar) * np.cos(azimuth), np.cos(polar), np.sin(polar) * np.sin(azimuth)])
    v = pos - np.array(vertex)
    ang = np.degrees(np.arccos(np.clip(v @ d / np.linalg.norm(v, axis=1), -1, 1)))
    ring = np.nonzero(np.abs(ang - 41.4) < 2.5)[0]
    noise = rng.choice(len(pos), 30, replace=False)
    hit = np.unique(np.concatenate([ring, noise]))
    starts.append(sum(len(p) for p in pmts))
    pmts.append(hit.astype(np.int32))
    charges.append(rng.exponential(2.0, len(hit)).astype(np.float32) + 0.3)
    times.append((np.linalg.norm(v[hit], axis=1) / 22.5).astype(np.float32))
n = len(events)
with h5py.File(sys.argv[2], "w") as f:
    f["event_hits_index"] = np.array(starts, dtype=np.int64)
    f["hit_pmt"] = np.concatenate(pmts)
    f["hit_charge"] = np.concatenate(charges)
    f["hit_time"] = np.concatenate(times)
    f["labels"] = np.ones(n, dtype=np.int32)
    f["event_ids"] = np.arange(n, dtype=np.int32)
    f["energies"] = np.full((n, 1), 500.0, dtype=np.float32)
    f["positions"] = np.array([[e[0]] for e in events], dtype=np.float32)
    f["angles"] = np.array([e[1] for e in events], dtype=np.float32)
    f.create_dataset("root_files", data=["superk_synthetic_ring.root"] * n, dtype=h5py.string_dtype())
    print(",".join(str(len(np.unique(p))) for p in pmts))
