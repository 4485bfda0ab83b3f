"""Damages one stored chunk of a dataset in place: flips bytes in the middle of the chunk at its
file offset (found with HDF5's chunk index, H5Dget_chunk_info through h5py), so HDF5 metadata
stays intact and only the data is wrong -- as a bad disk block or an edit would leave it.
usage: damage_chunk.py FILE DATASET [CHUNK_INDEX]"""
import sys

import h5py

path, name = sys.argv[1], sys.argv[2]
index = int(sys.argv[3]) if len(sys.argv) > 3 else 0
with h5py.File(path, "r") as f:
    info = f[name].id.get_chunk_info(index)
    offset, size = info.byte_offset, info.size
if size < 16:
    sys.exit(f"{path}: {name}: chunk {index} holds only {size} bytes")
with open(path, "r+b") as f:
    f.seek(offset + size // 2)
    b = bytearray(f.read(4))
    f.seek(offset + size // 2)
    f.write(bytes(x ^ 0x5A for x in b))
print(f"damaged {name} chunk {index}: 4 bytes at file offset {offset + size // 2} (chunk of {size} bytes)")
