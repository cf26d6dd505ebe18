"""Prints where each dataset's raw data lives in an HDF5 file (byte offset and
size of every chunk, or of the contiguous block), as JSON; the fuzz test uses
it to corrupt data chunks rather than metadata."""
import json
import sys

import h5py

out = []


def visit(name, obj):
    if not isinstance(obj, h5py.Dataset):
        return
    dsid = obj.id
    if obj.chunks:
        for i in range(dsid.get_num_chunks()):
            info = dsid.get_chunk_info(i)
            out.append({"path": "/" + name, "offset": int(info.byte_offset), "size": int(info.size)})
    else:
        off = dsid.get_offset()
        if off is not None:
            out.append({"path": "/" + name, "offset": int(off), "size": int(dsid.get_storage_size())})


with h5py.File(sys.argv[1], "r") as f:
    f.visititems(visit)
print(json.dumps(out))
