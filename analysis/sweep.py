"""Sweep analyses: outcome curves over a parameter, and sensitivity rankings (Morris).

Morris elementary effects are computed from the file itself: the design points are read in order
and every step between consecutive points that changes exactly one parameter is an elementary
effect of that parameter, EE = (y(next) - y(this)) / (change in the parameter as a fraction of its
range over the design), y being the mean over the point's replicates. If the file has a
/sweep/trajectory dataset (trajectory index per point), steps are only taken within a trajectory.
mu* = mean |EE| (overall influence), mu = mean EE (direction), sigma = SD of EE (interactions or
non-linearity), following Morris (1991) and Campolongo, Cariboni & Saltelli (2007).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .stats import mean_interval
from .uncertainty import read_draws, uncertain_interval

__all__ = ["point_means", "curve", "paired_with", "morris", "marginal_spread", "ordered_parameters", "run_draws",
           "paired_point_difference"]


def _require_sweep(results) -> None:
    if results.kind != "sweep":
        raise ValueError(f"{results.path} is a {results.kind} file, not a sweep")


def ordered_parameters(results) -> list[str]:
    """Varied parameters, funding parameters first (the commissioner's lever), then file order."""
    names = results.parameter_names()
    return sorted(names, key=lambda p: (0 if "funding" in p or "budget" in p or "gbp" in p else 1, names.index(p)))


def point_means(results, measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Per design point and measure: mean, low, high (95% t-interval over replicates), n, plus the
    point's parameter values."""
    _require_sweep(results)
    s = results.summaries(measures)
    rows = []
    for (point, measure), g in s.groupby(["point", "measure"], sort=True):
        mi = mean_interval(g["value"].to_numpy(float))
        rows.append({"point": point, "measure": measure, "mean": mi.mean, "low": mi.low, "high": mi.high,
                     "n": mi.n, "n_nan": mi.n_nan})
    out = pd.DataFrame(rows)
    return out.merge(results.design(), on="point", how="left")


def curve(results, measure: str, parameter: str) -> pd.DataFrame:
    """Outcome against one parameter: for each distinct value, the mean and 95% interval over all
    runs with that value (marginal over any other varied parameters). Columns: value, mean, low,
    high, n."""
    _require_sweep(results)
    if parameter not in results.parameter_names():
        raise ValueError(f"{parameter!r} is not a swept parameter; swept: {results.parameter_names()}")
    s = results.summaries([measure])
    runs = results.runs()[["arm", "run", parameter]]
    s = s.merge(runs, on=["arm", "run"], how="left")
    rows = []
    for value, g in s.groupby(parameter, sort=True):
        mi = mean_interval(g["value"].to_numpy(float))
        rows.append({"value": float(value), "mean": mi.mean, "low": mi.low, "high": mi.high, "n": mi.n})
    return pd.DataFrame(rows, columns=["value", "mean", "low", "high", "n"])


def paired_with(results, base_point: int, measures: Sequence[str]) -> pd.DataFrame:
    """Every design point against one base point, replicate by replicate (common random numbers:
    replicate k of every point simulates the same children). Per point and measure: the point's
    mean, the base's mean, and the mean paired difference with its 95% t-interval over the
    replicates both have. Columns: point, point_name, measure, mean, base, difference, low, high, n.
    Raises ValueError if the base point is not in the file or a point shares no replicate with it."""
    _require_sweep(results)
    s = results.summaries(list(measures))
    points = sorted(s["point"].unique())
    if base_point not in points:
        raise ValueError(f"{results.path}: base point {base_point} is not in the sweep (points {points[0]}..{points[-1]})")
    names = dict(zip(results.design()["point"], results.design()["point_name"]))
    base = s[s["point"] == base_point].set_index(["measure", "replicate"])["value"]
    rows = []
    for (point, measure), g in s.groupby(["point", "measure"], sort=True):
        b = base.loc[measure]
        g = g.set_index("replicate")["value"]
        shared = g.index.intersection(b.index)
        if len(shared) == 0:
            raise ValueError(f"{results.path}: point {point} shares no replicate with base point {base_point}")
        d = mean_interval((g.loc[shared] - b.loc[shared]).to_numpy(float))
        rows.append({"point": point, "point_name": names.get(point, str(point)), "measure": measure,
                     "mean": float(g.loc[shared].mean()), "base": float(b.loc[shared].mean()),
                     "difference": d.mean, "low": d.low, "high": d.high, "n": d.n})
    return pd.DataFrame(rows, columns=["point", "point_name", "measure", "mean", "base", "difference", "low",
                                       "high", "n"])


def _sweep_array(results, *names):
    sweep = results._sweep_group()
    for name in names:
        if sweep is not None and name in sweep:
            return np.asarray(sweep[name][()])
    return None


def morris(results, measures: Sequence[str], *, rtol: float = 1e-12) -> pd.DataFrame:
    """Morris screening statistics from the file's design: one row per (measure, parameter) with
    r (number of elementary effects), mu, mu_star, sigma; sorted by mu_star within each measure.

    Uses /sweep/morris_trajectory and /sweep/morris_changed (as `cpcsim sweep` writes them) when
    present, else takes consecutive points that differ in exactly one parameter. Effects are per
    full range of the parameter: /sweep/parameter_min..max if present, else the design's span."""
    _require_sweep(results)
    design = results.design()
    params = results.parameter_names()
    X = design[params].to_numpy(float)
    lo, hi = _sweep_array(results, "parameter_min"), _sweep_array(results, "parameter_max")
    if lo is not None and hi is not None and lo.shape == hi.shape == (len(params),):
        span = hi.astype(float) - lo.astype(float)
    else:
        span = np.nanmax(X, axis=0) - np.nanmin(X, axis=0) if len(X) else np.zeros(len(params))
    traj = _sweep_array(results, "morris_trajectory", "trajectory")
    changed = _sweep_array(results, "morris_changed")
    pm = point_means(results, measures)
    rows = []
    for measure in measures:
        y = pm[pm["measure"] == measure].set_index("point")["mean"].reindex(range(len(X))).to_numpy(float)
        effects: dict[int, list[float]] = {j: [] for j in range(len(params))}
        for p in range(1, len(X)):
            if traj is not None and traj[p] != traj[p - 1]:
                continue
            delta = X[p] - X[p - 1]
            moved = np.flatnonzero(~np.isclose(delta, 0.0, rtol=0, atol=rtol * np.maximum(np.abs(X[p - 1]), 1.0)))
            if changed is not None:
                j = int(changed[p])
                if j < 0 or j >= len(params) or list(moved) != [j]:
                    continue
            elif moved.size != 1:
                continue
            else:
                j = int(moved[0])
            if not span[j] > 0 or np.isnan(y[p]) or np.isnan(y[p - 1]):
                continue
            effects[j].append((y[p] - y[p - 1]) / (delta[j] / span[j]))
        for j, p in enumerate(params):
            ee = np.asarray(effects[j], float)
            rows.append({"measure": measure, "parameter": p, "r": int(ee.size),
                         "mu": float(ee.mean()) if ee.size else np.nan,
                         "mu_star": float(np.abs(ee).mean()) if ee.size else np.nan,
                         "sigma": float(ee.std(ddof=1)) if ee.size > 1 else np.nan})
    out = pd.DataFrame(rows, columns=["measure", "parameter", "r", "mu", "mu_star", "sigma"])
    return (out.sort_values(["measure", "mu_star"], ascending=[True, False], na_position="last")
            .reset_index(drop=True))


def marginal_spread(results, measures: Sequence[str]) -> pd.DataFrame:
    """A design-free ranking: for each parameter, the range (max - min) of the outcome's marginal
    means over the parameter's values. Columns: measure, parameter, levels, low_value_mean,
    high_value_mean, spread; sorted by spread within each measure."""
    _require_sweep(results)
    rows = []
    for measure in measures:
        for p in results.parameter_names():
            c = curve(results, measure, p)
            finite = c["mean"].dropna()
            rows.append({"measure": measure, "parameter": p, "levels": int(len(c)),
                         "low_value_mean": float(c["mean"].iloc[0]) if len(c) else np.nan,
                         "high_value_mean": float(c["mean"].iloc[-1]) if len(c) else np.nan,
                         "spread": float(finite.max() - finite.min()) if len(finite) else np.nan})
    out = pd.DataFrame(rows, columns=["measure", "parameter", "levels", "low_value_mean", "high_value_mean", "spread"])
    return (out.sort_values(["measure", "spread"], ascending=[True, False], na_position="last")
            .reset_index(drop=True))


def run_draws(results) -> pd.DataFrame:
    """The parameter draw of every run of a sweep made with `--uncertainty prior`: one row per run
    (run, run_id, point, replicate) and one column per uncertain parameter. Every design point uses
    the same draw for the same replicate (row replicate of /uncertainty/draws). KeyError if the file
    has no draws."""
    _require_sweep(results)
    draws, _ = read_draws(results.path, "/uncertainty")
    runs = results.runs()[["run", "run_id", "point", "replicate"]].reset_index(drop=True)
    rows = draws.iloc[runs["replicate"].to_numpy(int)].reset_index(drop=True)
    return pd.concat([runs, rows], axis=1)


def paired_point_difference(results, measure: str, point_a: int, point_b: int) -> dict:
    """B - A of one summary measure between two design points of a sweep, paired by replicate
    (same illness random numbers and, with `--uncertainty prior`, the same parameter draw): the
    mean, the 2.5%/97.5% quantiles over replicates, the share of the variance due to simulation
    noise alone (replicates sharing a draw) and P(B - A > 0), as analysis.uncertainty computes them
    for a comparison. Without draws every replicate counts as its own draw."""
    _require_sweep(results)
    s = results.summaries([measure], derived=False)
    a = s[s["point"] == point_a].set_index("replicate")["value"]
    b = s[s["point"] == point_b].set_index("replicate")["value"]
    common = a.index.intersection(b.index).sort_values()
    if common.empty:
        raise ValueError(f"{results.path}: points {point_a} and {point_b} share no replicate")
    try:
        _, per_draw = read_draws(results.path, "/uncertainty")
    except KeyError:
        per_draw = 1
    return uncertain_interval((b.loc[common] - a.loc[common]).to_numpy(float), per_draw)
