"""Writes a larger copy of a ctapipe DL1 file: every event table (rows with
obs_id and event_id under /dl1/event, /dl2/event, /simulation/event) repeated
K times with event_id + k * 1,000,000 (used by process.test.ts to have a run
long enough to interrupt).

Usage: /usr/bin/python3 enlarge-dl1.py IN.h5 OUT.h5 K
"""
import shutil
import sys

import tables


def main(inp, out, k):
    shutil.copy(inp, out)
    with tables.open_file(out, "a") as f:
        for group in ("/dl1/event", "/dl2/event", "/simulation/event"):
            if group not in f:
                continue
            for node in f.walk_nodes(group, classname="Table"):
                names = node.colnames
                if "obs_id" not in names or "event_id" not in names:
                    continue
                rows = node.read()
                for i in range(1, k):
                    more = rows.copy()
                    more["event_id"] += i * 1_000_000
                    node.append(more)
                node.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
