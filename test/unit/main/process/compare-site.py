"""
Reads the subarray's reference location of DL1 files with ctapipe 0.26's
SubarrayDescription.from_hdf and prints JSON, one entry per file:
{"itrs": [x, y, z] (m), "geodetic": [lon (deg), lat (deg), height (m)],
"attrs": [reference_itrs_x, _y, _z] or null (as stored, via PyTables)}.

    python compare-site.py FILE...
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import astropy.units as u  # noqa: E402
import tables  # noqa: E402
from ctapipe.instrument import SubarrayDescription  # noqa: E402

out = {}
for path in sys.argv[1:]:
    sub = SubarrayDescription.from_hdf(path, focal_length_choice="EQUIVALENT")
    loc = sub.reference_location
    g = loc.geodetic
    with tables.open_file(path) as f:
        a = f.get_node("/configuration/instrument/subarray/layout").attrs
        names = [f"reference_itrs_{c}" for c in "xyz"]
        attrs = [float(a[n]) for n in names] if all(n in a for n in names) else None
    out[path] = {
        "itrs": [float(loc.itrs.x.to_value(u.m)), float(loc.itrs.y.to_value(u.m)), float(loc.itrs.z.to_value(u.m))],
        "geodetic": [float(g.lon.to_value(u.deg)), float(g.lat.to_value(u.deg)), float(g.height.to_value(u.m))],
        "attrs": attrs,
    }
print(json.dumps(out))
