"""Writes the input of `npm run bench process`: a ctapipe DL1 file with
exactly N events, made from a smaller one by repeating its events (as
test/unit/main/process/enlarge-dl1.py does): every event table (rows with
obs_id and event_id under /dl1/event, /dl2/event, /simulation/event) gets
its rows again with event_id + k * 1,000,000, the last copy only for the
first events of the subarray trigger table so that the file holds N events.
PyTables appends with each table's own filters (the sample's: Blosc/zstd
level 5, shuffle, fletcher32), so the file is compressed as ctapipe writes.

Usage: python3 make-process-input.py IN.h5 OUT.h5 N
Prints JSON: {"events", "images", "repeats", "bytes"}.
"""
import json
import os
import shutil
import sys

import numpy as np
import tables


def main(inp, out, n_events):
    shutil.copy(inp, out)
    with tables.open_file(out, "a") as f:
        trigger = f.get_node("/dl1/event/subarray/trigger").read()
        per_copy = len(trigger)
        full, rest = divmod(n_events, per_copy)
        if full < 1:
            raise SystemExit(f"{inp}: {per_copy} events, more than the {n_events} asked for")
        last_ids = trigger["event_id"][:rest]
        for group in ("/dl1/event", "/dl2/event", "/simulation/event"):
            if group not in f:
                continue
            for node in f.walk_nodes(group, classname="Table"):
                names = node.colnames
                if "obs_id" not in names or "event_id" not in names:
                    continue
                rows = node.read()
                for k in range(1, full + (1 if rest else 0)):
                    more = rows if k < full else rows[np.isin(rows["event_id"], last_ids)]
                    more = more.copy()
                    more["event_id"] += k * 1_000_000
                    if len(more):
                        node.append(more)
                node.flush()
        events = len(f.get_node("/dl1/event/subarray/trigger"))
        images = sum(len(t) for t in f.walk_nodes("/dl1/event/telescope/images", classname="Table"))
    print(json.dumps({"events": events, "images": images, "repeats": full + (1 if rest else 0), "bytes": os.path.getsize(out)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
