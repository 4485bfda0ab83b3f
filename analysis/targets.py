"""Calibration targets (a targets file, docs/calibration.md) evaluated on every run of a results
file, and their implausibility: the Python side of history matching.

    from analysis import open_results
    from analysis.targets import load_targets, target_values, implausibility
    targets = load_targets("scenarios/yorkshire-humber/targets.toml")
    with open_results("wave1.h5") as res:
        values = target_values(res, targets)        # one row per run, one column per target
        impl = implausibility(values, targets)      # per target (and design point): mean, I

A target's value per run is computed as `cpcsim calibration` computes it: a summary measure
(runs/summary), or scale × numerator / denominator with counters totalled over the horizon
(runs/annual, runs/monthly) or summary measures. Order targets (shapes) are left out.
"""
from __future__ import annotations

import math
import tomllib

import numpy as np
import pandas as pd

__all__ = ["load_targets", "target_values", "implausibility", "CUTOFF"]

CUTOFF = 3.0  # implausibility above which an input is ruled out (docs/calibration.md)


def load_targets(path) -> list[dict]:
    """The [[target]] tables of a targets file, in order (checked by `cpcsim calibration`; this
    reader only needs them well formed)."""
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    targets = doc.get("target")
    if not isinstance(targets, list) or not targets:
        raise ValueError(f"{path}: no [[target]] tables")
    return targets


def _output(arm, text: str) -> np.ndarray:
    """One value per run of an output named as in a targets file."""
    table, _, name = text.partition(".") if "." in text else ("summary", "", text)
    if table == "summary":
        names = arm.labels["summary_measures"]
        data = arm.group["runs/summary"]
        if name not in names:
            raise ValueError(f"unknown summary measure {name!r}")
        return np.asarray(data[:, names.index(name)], dtype=float)
    if table in ("annual", "monthly"):
        names = arm.labels[f"{table}_vars"]
        if name not in names:
            raise ValueError(f"unknown {table} counter {name!r}")
        data = np.asarray(arm.group[f"runs/{table}"][()])
        per_run = data[..., names.index(name)].reshape(data.shape[0], -1)
        if table == "annual":  # as the simulator totals them: year by year, as doubles
            years = per_run.reshape(data.shape[0], data.shape[1], -1).sum(axis=2, dtype=np.int64)
            return years.astype(float).sum(axis=1)
        return per_run.sum(axis=1, dtype=np.int64).astype(float)
    raise ValueError(f"unknown output table {table!r} in {text!r}")


def _value(arm, t: dict) -> np.ndarray | None:
    if "measure" in t:
        return _output(arm, t["measure"])
    if "ratio" in t:
        r = t["ratio"]
        num, den = _output(arm, r["numerator"]), _output(arm, r["denominator"])
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den != 0, float(r.get("scale", 1)) * num / den, np.nan)
    return None  # an order target


def target_values(res, targets: list[dict]) -> pd.DataFrame:
    """One row per run (the columns of res.runs(): arm, run, replicate, and for sweeps run_id,
    point and the varied parameters) and one column per measure or ratio target, by name."""
    frames = []
    for arm in res.arms.values():
        cols = {t["name"]: v for t in targets if (v := _value(arm, t)) is not None}
        frame = pd.DataFrame(cols)
        frame.insert(0, "arm", arm.name)
        frame.insert(1, "run", np.arange(arm.n_runs))
        frames.append(frame)
    values = pd.concat(frames, ignore_index=True)
    return res.runs().merge(values, on=["arm", "run"], how="left")


def implausibility(values: pd.DataFrame, targets: list[dict], by=("arm",)) -> pd.DataFrame:
    """Per group of runs (by arm; for a sweep pass by=("arm", "point")) and target: the mean over
    the group's runs, the variance across them (run variance), and
    I = |mean - observed| / sqrt(observation_sd^2 + discrepancy_sd^2 + run variance),
    as `cpcsim calibration` prints it; `ruled_out` when I > CUTOFF."""
    rows = []
    by = list(by)
    for key, group in values.groupby(by if len(by) > 1 else by[0], observed=True, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        for t in targets:
            if t["name"] not in group:
                continue
            v = group[t["name"]].dropna().to_numpy()
            mean = v.mean() if len(v) else math.nan
            var = v.var(ddof=1) if len(v) > 1 else 0.0
            total = t["observation_sd"] ** 2 + t["discrepancy_sd"] ** 2 + var
            dist = abs(mean - t["observed"])
            i = dist / math.sqrt(total) if total > 0 else (math.inf if dist > 0 else 0.0)
            rows.append({**dict(zip(by, key)), "target": t["name"], "id": t["id"], "mean": mean,
                         "run_variance": var, "observed": t["observed"], "implausibility": i,
                         "ruled_out": i > CUTOFF})
    return pd.DataFrame(rows)
