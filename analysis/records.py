"""Per-child records (`cpcsim run --records`, `cpcsim compare --records`) as pandas DataFrames.

    from analysis.records import child_records, referral_records
    kids = child_records("results.h5")            # one row per child per replicate
    refs = referral_records("compare.h5", arm="B")

Days count from the first reported day (day 0 = 1 January of the first reported year; years are
365 days); negative days fall in the warm-up or before. Missing days (never reached, still
alive, reached before the simulation's first day) are <NA>; `alive_at_start` marks the children
alive on the simulation's first day, whose earlier history is not recorded. The layout is in
docs/hdf5-schema.md ("Per-child records").
"""
from __future__ import annotations

import h5py
import numpy as np
import pandas as pd

__all__ = ["child_records", "referral_records", "RecordsError"]


class RecordsError(Exception):
    """The file has no per-child records (or cannot be read); the message names the file."""


def _groups(path, arm):
    """(arm name, root group of that arm) for each arm asked for; the file stays open in the caller."""
    f = h5py.File(path, "r")
    kind = f.attrs.get("kind")
    kind = kind.decode() if isinstance(kind, bytes) else kind
    if kind == "compare":
        names = [arm] if arm else ["A", "B"]
        roots = [(n, f[f"arms/{n}"]) for n in names if f"arms/{n}" in f]
        if not roots:
            f.close()
            raise RecordsError(f"{path}: a compare file has arms A and B, not {arm!r}")
    else:
        roots = [(arm or str(kind), f)]
    for name, g in roots:
        if "records" not in g:
            f.close()
            raise RecordsError(f"{path}: no per-child records in arm {name!r}; "
                               "write them with `cpcsim run --records` or `cpcsim compare --records`")
    return f, roots


def _labels(g, name):
    return [x.decode() if isinstance(x, bytes) else x for x in g[name][()]]


def _days(values, no_day, before_start):
    values = np.asarray(values, dtype=np.int64)
    return pd.arrays.IntegerArray(values, np.isin(values, [no_day, before_start]))


def _categorical(codes, labels, missing=None):
    codes = np.asarray(codes, dtype=np.int64)
    if missing is not None:
        codes = np.where(codes == missing, -1, codes)
    return pd.Categorical.from_codes(codes, categories=labels)


def _children(arm, g):
    r = g["records"]
    c = r["children"]
    no_day, before = int(r.attrs["no_day"]), int(r.attrs["before_start_day"])
    phases, services = _labels(r, "phases"), _labels(r, "services")
    places = _labels(r, "places")
    df = pd.DataFrame({
        "arm": arm,
        "replicate": c["replicate"][()].astype(np.int64),
        "id": c["id"][()].astype(np.int64),
        "cell": c["cell"][()].astype(np.int64),
        "area": _categorical(c["area"][()], _labels(g, "labels/area_names")),
        "area_code": np.asarray(_labels(g, "labels/area_codes"), dtype=object)[c["area"][()]],
        "quintile": _categorical(c["quintile"][()], _labels(g, "labels/quintiles")),
        "ethnic_group": _categorical(c["ethnic_group"][()], _labels(g, "labels/ethnic_groups")),
        "rural": _categorical(c["rural"][()], _labels(g, "labels/rural")),
        "female": c["female"][()].astype(bool),
        "diagnosis": _categorical(c["diagnosis"][()], _labels(g, "labels/diagnoses")),
        "category": _categorical(c["category"][()], _labels(g, "labels/categories")),
        "birth_day": c["birth_day"][()].astype(np.int64),
        "entry_day": c["entry_day"][()].astype(np.int64),
        "exit_day": _days(c["exit_day"][()], no_day, before),
        "exit_cause": _categorical(c["exit_cause"][()], _labels(r, "exit_causes")),
        "identified_day": _days(c["identified_day"][()], no_day, before),
        "death_place": _categorical(c["death_place"][()], places, missing=255),
        "preferred_place": _categorical(c["preferred_place"][()], places),
        "acp": c["acp"][()].astype(bool),
    })
    first = c["phase_first_day"][()]
    df["alive_at_start"] = (first == before).any(axis=1)
    df["known_at_start"] = c["identified_day"][()] == before
    for j, p in enumerate(phases):
        df[f"{p}_days"] = c["phase_days"][:, j].astype(np.int64)
    for j, p in enumerate(phases):
        df[f"first_{p}_day"] = _days(first[:, j], no_day, before)
    caseload = c["caseload_from"][()]
    for j, s in enumerate(services):
        df[f"{s}_caseload_from_day"] = _days(caseload[:, j], no_day, before)
        df[f"on_{s}_caseload_at_start"] = caseload[:, j] == before
    totals = c["totals"][()]
    for j, v in enumerate(_labels(r, "totals_vars")):
        if v != "prevalent":
            df[v] = totals[:, j].astype(np.int64)
    return df


def child_records(path, arm: str | None = None) -> pd.DataFrame:
    """One row per child alive on a reported day, per replicate (and per arm of a compare file,
    or only `arm`): demographics and cell, diagnosis and ACT category, entry, exit and
    identification days, days in each phase and the first day in each, the day each caseload was
    joined, death place, preferred place and ACP, and the child's total of every monthly counter
    (care needed and received, referrals, admissions, bed-days, PICU days ...)."""
    f, roots = _groups(path, arm)
    with f:
        return pd.concat([_children(n, g) for n, g in roots], ignore_index=True)


def referral_records(path, arm: str | None = None) -> pd.DataFrame:
    """One row per referral of the recorded children: replicate, child id, service, outcome
    (pending, lost, refused, accepted), day sent and day decided."""
    f, roots = _groups(path, arm)
    frames = []
    with f:
        for name, g in roots:
            r = g["records"]
            x = r["referrals"]
            no_day, before = int(r.attrs["no_day"]), int(r.attrs["before_start_day"])
            frames.append(pd.DataFrame({
                "arm": name,
                "replicate": x["replicate"][()].astype(np.int64),
                "child": x["child"][()].astype(np.int64),
                "service": _categorical(x["service"][()], _labels(r, "services")),
                "outcome": _categorical(x["outcome"][()], _labels(r, "referral_outcomes")),
                "sent_day": x["sent_day"][()].astype(np.int64),
                "decided_day": _days(x["decided_day"][()], no_day, before),
            }))
    return pd.concat(frames, ignore_index=True)
