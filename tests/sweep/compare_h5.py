#!/usr/bin/python3
"""Compare two cpcsim results files dataset by dataset.

Usage: compare_h5.py A.h5 B.h5

Every group, dataset (shape, dtype, exact values; NaN equals NaN) and attribute must be the
same, except the provenance attributes that say when and how a file was made (created_utc,
command_line on the root group), the task index of a task file (task, tasks) and the maximum
shape of extendible datasets. Exit status 0 when equal, 1 with a list of differences otherwise.
"""
import sys

import h5py
import numpy as np

IGNORED_ROOT_ATTRS = {"created_utc", "command_line", "task", "tasks"}


def attrs_of(obj, ignored):
    return {k: obj.attrs[k] for k in obj.attrs.keys() if k not in ignored}


def same_value(a, b):
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
        return False
    if a.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True)) and a.dtype == b.dtype
    if a.dtype.kind == "O":
        return [x.decode() if isinstance(x, bytes) else x for x in a.ravel()] == \
               [x.decode() if isinstance(x, bytes) else x for x in b.ravel()]
    return a.dtype == b.dtype and bool(np.array_equal(a, b))


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    fa, fb = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
    problems = []
    names_a, names_b = [], []
    fa.visit(names_a.append)
    fb.visit(names_b.append)
    for n in sorted(set(names_a) ^ set(names_b)):
        problems.append(f"/{n}: only in {'A' if n in names_a else 'B'}")
    checked = 0
    for name in ["/"] + sorted(set(names_a) & set(names_b)):
        a, b = fa[name], fb[name]
        ignored = IGNORED_ROOT_ATTRS if name == "/" else set()
        aa, ab = attrs_of(a, ignored), attrs_of(b, ignored)
        for k in sorted(set(aa) ^ set(ab)):
            problems.append(f"{name}: attribute {k} only in {'A' if k in aa else 'B'}")
        for k in sorted(set(aa) & set(ab)):
            if not same_value(aa[k], ab[k]):
                problems.append(f"{name}: attribute {k} differs: {aa[k]!r} vs {ab[k]!r}")
        if isinstance(a, h5py.Dataset) != isinstance(b, h5py.Dataset):
            problems.append(f"{name}: a dataset in one file and a group in the other")
            continue
        if isinstance(a, h5py.Dataset):
            checked += 1
            if a.shape != b.shape or a.dtype != b.dtype:
                problems.append(f"{name}: {a.dtype}{a.shape} vs {b.dtype}{b.shape}")
            elif not same_value(a[()], b[()]):
                problems.append(f"{name}: values differ")
    if problems:
        print(f"{sys.argv[1]} and {sys.argv[2]} differ:")
        for p in problems:
            print("  " + p)
        return 1
    print(f"identical: {checked} datasets and their attributes ({sys.argv[1]} = {sys.argv[2]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
