"""Paired comparisons under common random numbers.

Replicate i of arm A and replicate i of arm B of a compare file simulate the same children (same
seed and replicate index), so B - A is compared replicate by replicate: the mean difference with
a 95% t-interval on n - 1 degrees of freedom. For contrast each row also gives the unpaired
(Welch) interval and `narrowing` = 1 - paired half-width / Welch half-width, the fraction by
which pairing narrowed the interval (negative if it widened it). The same works between two
design points of a sweep, whose replicates share seeds too.

Differences are always "B minus A" (compare files) or "point_b minus point_a" (sweeps).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from .equity import rates_by_group
from .stats import fieller_ratio, paired_difference

__all__ = ["sides", "paired_values", "compare_arms", "compare_points", "compare", "compare_groups",
           "cost_per_extra"]


def sides(results, a=None, b=None) -> tuple[dict, dict]:
    """The two sides of a comparison as selectors {"arm": name, "point": int|None, "label": str}.

    compare file: a, b default to "A", "B". sweep file: a, b are design points (index or name),
    defaulting to the first and the last point. A run file has nothing to compare.
    """
    if results.kind == "compare":
        a = "A" if a is None else a
        b = "B" if b is None else b
        for x in (a, b):
            results.arm(x)
        return ({"arm": a, "point": None, "label": f"{a}: {results.arm(a).scenario_name}"},
                {"arm": b, "point": None, "label": f"{b}: {results.arm(b).scenario_name}"})
    if results.kind == "sweep":
        names = results.point_names()
        if not names:
            raise ValueError(f"{results.path}: the sweep has no design points")

        def point(p, default):
            if p is None:
                p = default
            if isinstance(p, str):
                if p not in names:
                    raise ValueError(f"unknown design point {p!r}; points: {names}")
                return names.index(p)
            p = int(p)
            if not 0 <= p < len(names):
                raise ValueError(f"design point {p} out of range 0..{len(names) - 1}")
            return p

        pa, pb = point(a, 0), point(b, len(names) - 1)
        arm = results.arm().name
        return ({"arm": arm, "point": pa, "label": f"point {pa} ({names[pa]})"},
                {"arm": arm, "point": pb, "label": f"point {pb} ({names[pb]})"})
    raise ValueError(f"{results.path} is a single-scenario run file; a paired comparison needs a compare "
                     f"file (two arms) or a sweep file (design points)")


def _select(frame: pd.DataFrame, side: dict) -> pd.DataFrame:
    sel = frame["arm"] == side["arm"]
    if side["point"] is not None:
        sel &= frame["point"] == side["point"]
    return frame[sel]


def paired_values(frame: pd.DataFrame, side_a: dict, side_b: dict, value: str = "value",
                  keys: Sequence[str] = ()) -> pd.DataFrame:
    """Aligns a long table's values of the two sides by replicate (and `keys`): columns
    *keys, replicate, a, b. Replicates present on one side only are dropped."""
    cols = list(keys) + ["replicate"]
    fa = _select(frame, side_a)[cols + [value]].rename(columns={value: "a"})
    fb = _select(frame, side_b)[cols + [value]].rename(columns={value: "b"})
    return fa.merge(fb, on=cols, how="inner")


def _rows(pairs: pd.DataFrame, keys: Sequence[str], level: float) -> pd.DataFrame:
    rows = []
    keys = list(keys)
    if not keys:
        groups = [((), pairs)]
    else:
        groups = pairs.groupby(keys[0] if len(keys) == 1 else keys, sort=False, observed=True)
    for key, g in groups:
        g = g.sort_values("replicate")
        d = paired_difference(g["a"].to_numpy(float), g["b"].to_numpy(float), level).as_dict()
        key = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(keys, key)), **d})
    return pd.DataFrame(rows)


def compare(results, a=None, b=None, measures: Sequence[str] | None = None, *, derived: bool = True,
            level: float = 0.95) -> pd.DataFrame:
    """Paired comparison of every summary measure between two sides (see sides()).

    Columns: measure, unit, description, n, n_dropped, mean_a, mean_b, difference (b - a), low,
    high, sd_difference, half_width, welch_low, welch_high, welch_df, welch_half_width, narrowing,
    correlation. Attributes: out.attrs["a"], out.attrs["b"] describe the sides.
    """
    side_a, side_b = sides(results, a, b)
    s = results.summaries(measures, derived=derived)
    info = s.drop_duplicates("measure")[["measure", "unit", "description"]]
    pairs = paired_values(s, side_a, side_b, keys=["measure"])
    out = _rows(pairs, ["measure"], level)
    if out.empty:
        raise ValueError(f"{results.path}: no replicate appears on both sides ({side_a['label']}, {side_b['label']})")
    out = info.merge(out, on="measure", how="inner")
    out.attrs["a"] = side_a["label"]
    out.attrs["b"] = side_b["label"]
    return out.reset_index(drop=True)


def compare_arms(results, measures: Sequence[str] | None = None, *, a: str = "A", b: str = "B",
                 derived: bool = True, level: float = 0.95) -> pd.DataFrame:
    """compare() between the two arms of a compare file (B - A)."""
    if results.kind != "compare":
        raise ValueError(f"{results.path} is a {results.kind} file; compare_arms needs a compare file")
    return compare(results, a, b, measures, derived=derived, level=level)


def compare_points(results, point_a, point_b, measures: Sequence[str] | None = None, *,
                   derived: bool = True, level: float = 0.95) -> pd.DataFrame:
    """compare() between two design points of a sweep (point_b - point_a), paired by replicate."""
    if results.kind != "sweep":
        raise ValueError(f"{results.path} is a {results.kind} file; compare_points needs a sweep file")
    return compare(results, point_a, point_b, measures, derived=derived, level=level)


def compare_groups(results, by: str = "quintile", outcome: str = "access", a=None, b=None,
                   level: float = 0.95) -> pd.DataFrame:
    """Paired difference of an outcome's rate per group (quintile, ethnic_group, area, rural) over
    the horizon: one row per group with the columns of compare()."""
    side_a, side_b = sides(results, a, b)
    rates = rates_by_group(results, by=by, outcome=outcome)
    pairs = paired_values(rates, side_a, side_b, value="rate", keys=[by])
    out = _rows(pairs, [by], level)
    out.attrs["a"], out.attrs["b"] = side_a["label"], side_b["label"]
    return out


def cost_per_extra(results, a=None, b=None, *, cost: str = "cost_total_per_year",
                   effect: str = "children_reached_per_year", level: float = 0.95) -> dict:
    """Incremental cost per extra unit of effect (default: per extra child reached a year):
    mean(cost_b - cost_a) / mean(effect_b - effect_a) over paired replicates, with Fieller's
    interval (NaN bounds when the change in effect is not clearly different from 0).

    Returns {"ratio", "low", "high", "n", "cost_difference", "effect_difference", "cost", "effect"}.
    """
    side_a, side_b = sides(results, a, b)
    s = results.summaries([cost, effect])
    pc = paired_values(s[s["measure"] == cost], side_a, side_b)
    pe = paired_values(s[s["measure"] == effect], side_a, side_b)
    m = pc.merge(pe, on="replicate", suffixes=("_cost", "_effect"))
    dc = (m["b_cost"] - m["a_cost"]).to_numpy(float)
    de = (m["b_effect"] - m["a_effect"]).to_numpy(float)
    ratio, low, high = fieller_ratio(dc, de, level)
    return {"ratio": ratio, "low": low, "high": high, "n": int(len(m)),
            "cost_difference": float(np.nanmean(dc)) if len(dc) else math.nan,
            "effect_difference": float(np.nanmean(de)) if len(de) else math.nan,
            "cost": cost, "effect": effect}
