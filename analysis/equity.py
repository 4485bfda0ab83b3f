"""Equity measures recomputed independently from the raw counts of a results file.

Written from the formulas in docs/equity.md (not from the simulator's C++), so that agreement
between the two is a real check. The input is grouped counts: each group has a population n
(children with a life-limiting condition: the denominator) and events e (children with the
outcome); its rate is y = e / n. Groups with n = 0 are ignored. Population shares f_i = n_i / N
are the weights; mu = sum e / sum n. Undefined measures are NaN (never silently 0).

Outcomes (from runs/annual): "access" = reached / children; "preferred_place" =
deaths_preferred_place / deaths. Periods: every reported year, and the whole horizon (counts
summed over the years), as in runs/equity_access and runs/equity_preferred_place.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "MEASURES",
    "OUTCOMES",
    "overall_rate",
    "rate_ratio",
    "rate_difference",
    "slope_index_of_inequality",
    "relative_index_of_inequality",
    "relative_index_of_inequality_mean",
    "concentration_index",
    "erreygers_index",
    "gini",
    "theil_t",
    "coefficient_of_variation",
    "max_rate",
    "min_rate",
    "best_worst_ratio",
    "equity_measures",
    "grouped_counts",
    "recompute",
    "check_against_simulator",
    "rates_by_group",
]

NAN = math.nan

#: Column order of runs/equity_* (docs/equity.md, "Summary columns").
MEASURES = [
    "rate_overall", "rate_ratio_q5_q1", "rate_difference_q5_q1", "sii", "rii", "rii_mean",
    "concentration_index", "erreygers_index", "gini_areas", "theil_t_areas", "cv_areas",
    "best_worst_ratio_areas", "max_rate_areas", "min_rate_areas", "rate_ratio_south_asian_white",
    "rate_ratio_black_white", "rate_ratio_mixed_other_white", "rural_urban_difference", "rural_urban_ratio",
]

#: outcome -> (numerator, denominator) annual variables
OUTCOMES = {"access": ("reached", "children"), "preferred_place": ("deaths_preferred_place", "deaths")}


# ----- groups -----------------------------------------------------------------------------------
def _groups(n, e) -> tuple[np.ndarray, np.ndarray]:
    n = np.asarray(n, dtype=float).ravel()
    e = np.asarray(e, dtype=float).ravel()
    if n.shape != e.shape:
        raise ValueError(f"{n.size} populations but {e.size} event counts")
    bad = [i for i in range(n.size)
           if not (math.isfinite(n[i]) and math.isfinite(e[i])) or n[i] < 0 or e[i] < 0 or e[i] > n[i]]
    if bad:
        raise ValueError("invalid group counts (negative, not finite, or more events than children) in groups "
                         + ", ".join(f"{i} (n={n[i]}, e={e[i]})" for i in bad))
    return n, e


def _populated(n, e):
    n, e = _groups(n, e)
    keep = n > 0
    return n[keep], e[keep]


def _wstats(n, e):
    """(f, y, mu) over populated groups: population shares, rates, weighted mean rate."""
    n, e = _populated(n, e)
    N = n.sum()
    f = n / N if N > 0 else n
    y = e / n if n.size else e
    mu = e.sum() / N if N > 0 else NAN
    return f, y, mu


def overall_rate(n, e) -> float:
    """Total events / total population; NaN when the total population is 0."""
    n, e = _groups(n, e)
    return float(e.sum() / n.sum()) if n.sum() > 0 else NAN


def rate_ratio(group: tuple[float, float], reference: tuple[float, float]) -> float:
    """y(group) / y(reference), each given as (population, events). NaN when either population is
    0 or the reference rate is 0."""
    (ng, eg), (nr, er) = group, reference
    if ng <= 0 or nr <= 0:
        return NAN
    yr = er / nr
    if yr == 0:
        return NAN
    return float((eg / ng) / yr)


def rate_difference(group: tuple[float, float], reference: tuple[float, float]) -> float:
    """y(group) - y(reference); NaN when either population is 0."""
    (ng, eg), (nr, er) = group, reference
    if ng <= 0 or nr <= 0:
        return NAN
    return float(eg / ng - er / nr)


# ----- the deprivation gradient (groups ordered least -> most deprived) ----------------------------
def _ridits(f: np.ndarray) -> np.ndarray:
    """Midpoints of cumulative population shares, least deprived first: x in (0, 1)."""
    before = np.concatenate(([0.0], np.cumsum(f)[:-1]))
    return before + f / 2.0


def _wcov(f, a, b) -> float:
    """Population-weighted covariance without small-sample correction, two-pass."""
    ma = float(np.sum(f * a))
    mb = float(np.sum(f * b))
    return float(np.sum(f * (a - ma) * (b - mb)))


def slope_index_of_inequality(n, e) -> float:
    """SII = cov_w(y, x) / var_w(x) with ridit x (0 = least deprived end, 1 = most deprived):
    fitted rate at the most deprived end minus that at the least deprived end. NaN with fewer than
    two populated groups."""
    f, y, mu = _wstats(n, e)
    if f.size < 2:
        return NAN
    x = _ridits(f)
    return _wcov(f, y, x) / _wcov(f, x, x)


def relative_index_of_inequality(n, e) -> float:
    """RII = (mu + SII/2) / (mu - SII/2): fitted rate at the most deprived end / at the least
    deprived end. NaN with fewer than two populated groups, a fitted least-deprived rate <= 0 or a
    fitted most-deprived rate < 0."""
    f, y, mu = _wstats(n, e)
    if f.size < 2:
        return NAN
    sii = slope_index_of_inequality(n, e)
    least = mu - sii / 2.0
    most = mu + sii / 2.0
    if not least > 0 or most < 0:
        return NAN
    return most / least


def relative_index_of_inequality_mean(n, e) -> float:
    """rii_mean = SII / mu. NaN with fewer than two populated groups or mu = 0."""
    f, y, mu = _wstats(n, e)
    if f.size < 2 or not mu > 0:
        return NAN
    return slope_index_of_inequality(n, e) / mu


def _rank_most_first(f: np.ndarray) -> np.ndarray:
    """Fractional rank with the MOST deprived first: R_i = share of all more deprived groups + f_i/2."""
    after = np.concatenate((np.cumsum(f[::-1])[::-1][1:], [0.0]))  # share of groups after i (more deprived)
    return after + f / 2.0


def concentration_index(n, e) -> float:
    """C = 2 cov_w(y, R) / mu, R ranked most deprived first (negative = concentrated among the more
    deprived). NaN with fewer than two populated groups or mu = 0."""
    f, y, mu = _wstats(n, e)
    if f.size < 2 or not mu > 0:
        return NAN
    return 2.0 * _wcov(f, y, _rank_most_first(f)) / mu


def erreygers_index(n, e) -> float:
    """E = 8 cov_w(y, R) (= 4 mu C for a rate in [0, 1]); 0 when every rate is 0; NaN with fewer
    than two populated groups."""
    f, y, mu = _wstats(n, e)
    if f.size < 2:
        return NAN
    return 8.0 * _wcov(f, y, _rank_most_first(f))


# ----- dispersion across areas (any order) --------------------------------------------------------
def gini(n, e) -> float:
    """Population-weighted Gini of area rates: sum_i f_i (y_i - mu)(2 F_i - 1) / mu, F_i the
    fractional rank with areas sorted by rate. One populated area -> 0; NaN when no area is
    populated or mu = 0."""
    f, y, mu = _wstats(n, e)
    if f.size == 0 or not mu > 0:
        return NAN
    if f.size == 1:
        return 0.0
    order = np.argsort(y, kind="stable")
    fs, ys = f[order], y[order]
    F = _ridits(fs)
    return float(np.sum(fs * (ys - mu) * (2.0 * F - 1.0)) / mu)


def theil_t(n, e) -> float:
    """Theil T = sum_i f_i q_i ln q_i, q_i = y_i / mu (areas with rate 0 contribute 0). One
    populated area -> 0; NaN when no area is populated or mu = 0."""
    f, y, mu = _wstats(n, e)
    if f.size == 0 or not mu > 0:
        return NAN
    if f.size == 1:
        return 0.0
    q = y / mu
    pos = q > 0
    return float(np.sum(f[pos] * q[pos] * np.log(q[pos])))


def coefficient_of_variation(n, e) -> float:
    """sqrt(sum_i f_i (y_i - mu)^2) / mu. One populated area -> 0; NaN as for gini."""
    f, y, mu = _wstats(n, e)
    if f.size == 0 or not mu > 0:
        return NAN
    if f.size == 1:
        return 0.0
    return float(math.sqrt(np.sum(f * (y - mu) ** 2)) / mu)


def max_rate(n, e) -> float:
    f, y, mu = _wstats(n, e)
    return float(y.max()) if y.size else NAN


def min_rate(n, e) -> float:
    f, y, mu = _wstats(n, e)
    return float(y.min()) if y.size else NAN


def best_worst_ratio(n, e) -> float:
    """max rate / min rate over populated areas; NaN when none is populated or the lowest is 0."""
    f, y, mu = _wstats(n, e)
    if y.size == 0 or y.min() == 0:
        return NAN
    return float(y.max() / y.min())


# ----- all measures ------------------------------------------------------------------------------
def equity_measures(quintile, ethnic, area, urban, rural) -> dict[str, float]:
    """Every measure of docs/equity.md for one outcome. Each argument is a pair (populations,
    events): quintile (5 groups, Q1 least deprived first), ethnic (White, South Asian, Black,
    Mixed/Other), area (any number), urban and rural (scalars). Breakdowns must partition the same
    children (ValueError otherwise); one with zero total population counts as not recorded and
    its measures are NaN."""
    qn, qe = _groups(*quintile)
    en, ee = _groups(*ethnic)
    an, ae = _groups(*area)
    un, ue = _groups([urban[0]], [urban[1]])
    rn, re_ = _groups([rural[0]], [rural[1]])
    if qn.size != 5 or en.size != 4:
        raise ValueError(f"expected 5 quintiles and 4 ethnic groups, got {qn.size} and {en.size}")
    total_n, total_e = qn.sum(), qe.sum()
    mismatched = []
    for name, n, e in (("ethnic", en, ee), ("area", an, ae), ("urban+rural", np.r_[un, rn], np.r_[ue, re_])):
        if n.sum() == 0:
            continue
        for a, b in ((n.sum(), total_n), (e.sum(), total_e)):
            if abs(a - b) > 1e-9 * max(abs(a), abs(b), 1.0):
                mismatched.append(name)
                break
    if mismatched:
        raise ValueError("breakdowns whose totals differ from the quintiles': " + ", ".join(mismatched))
    q = list(zip(qn, qe))
    eth = list(zip(en, ee)) if en.sum() > 0 else [(0.0, 0.0)] * 4
    has_area = an.sum() > 0
    has_ur = un[0] + rn[0] > 0
    area_or_nan = (lambda fn: fn(an, ae)) if has_area else (lambda fn: NAN)
    out = {
        "rate_overall": overall_rate(qn, qe),
        "rate_ratio_q5_q1": rate_ratio(q[4], q[0]),
        "rate_difference_q5_q1": rate_difference(q[4], q[0]),
        "sii": slope_index_of_inequality(qn, qe),
        "rii": relative_index_of_inequality(qn, qe),
        "rii_mean": relative_index_of_inequality_mean(qn, qe),
        "concentration_index": concentration_index(qn, qe),
        "erreygers_index": erreygers_index(qn, qe),
        "gini_areas": area_or_nan(gini),
        "theil_t_areas": area_or_nan(theil_t),
        "cv_areas": area_or_nan(coefficient_of_variation),
        "best_worst_ratio_areas": area_or_nan(best_worst_ratio),
        "max_rate_areas": area_or_nan(max_rate),
        "min_rate_areas": area_or_nan(min_rate),
        "rate_ratio_south_asian_white": rate_ratio(eth[1], eth[0]),
        "rate_ratio_black_white": rate_ratio(eth[2], eth[0]),
        "rate_ratio_mixed_other_white": rate_ratio(eth[3], eth[0]),
        "rural_urban_difference": rate_difference((rn[0], re_[0]), (un[0], ue[0])) if has_ur else NAN,
        "rural_urban_ratio": rate_ratio((rn[0], re_[0]), (un[0], ue[0])) if has_ur else NAN,
    }
    return {k: float(v) for k, v in out.items()}


# ----- from a results file -------------------------------------------------------------------------
def grouped_counts(annual: np.ndarray, annual_vars: Sequence[str], outcome: str = "access") -> dict:
    """Grouped (population, events) arrays from annual counts [..., area, quintile, ethnic, rural, var]
    already summed over years: returns {"quintile", "ethnic", "area", "urban", "rural"}."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {list(OUTCOMES)}, not {outcome!r}")
    num, den = OUTCOMES[outcome]
    vars_ = list(annual_vars)
    n = np.asarray(annual[..., vars_.index(den)], dtype=float)
    e = np.asarray(annual[..., vars_.index(num)], dtype=float)
    # n, e: [area, quintile, ethnic, rural]
    return {
        "quintile": (n.sum(axis=(0, 2, 3)), e.sum(axis=(0, 2, 3))),
        "ethnic": (n.sum(axis=(0, 1, 3)), e.sum(axis=(0, 1, 3))),
        "area": (n.sum(axis=(1, 2, 3)), e.sum(axis=(1, 2, 3))),
        "urban": (n[..., 0].sum(), e[..., 0].sum()),
        "rural": (n[..., 1].sum(), e[..., 1].sum()),
    }


def _arm_counts(arm) -> np.ndarray:
    data = arm.array("runs/annual")
    dims = arm.dims("runs/annual")
    expected = ["year", "area", "quintile", "ethnic_group", "rural", "annual_var"]
    if dims[1:] != expected:
        raise ValueError(f"runs/annual has dims {dims}; expected [run, {', '.join(expected)}]")
    return data


def recompute(results, outcome: str | None = None, *, arm: str | None = None) -> pd.DataFrame:
    """Every equity measure recomputed from runs/annual, in the layout of Results.equity():
    arm, run, replicate, outcome, period, year, measure, value."""
    outcomes = list(OUTCOMES) if outcome is None else [outcome]
    frames = []
    for a in results._arms(arm):
        data = _arm_counts(a)
        meta = a.run_meta()
        years = [int(y) for y in a.years]
        periods = [str(y) for y in years] + ["horizon"]
        rows = []
        for o in outcomes:
            for r in range(data.shape[0]):
                for p, period in enumerate(periods):
                    counts = data[r, p] if period != "horizon" else data[r].sum(axis=0, dtype=np.int64)
                    g = grouped_counts(counts, a.labels["annual_vars"], o)
                    values = equity_measures(g["quintile"], g["ethnic"], g["area"], g["urban"], g["rural"])
                    for m in MEASURES:
                        rows.append((r, o, period, years[p] if period != "horizon" else pd.NA, m, values[m]))
        f = pd.DataFrame(rows, columns=["run", "outcome", "period", "year", "measure", "value"])
        f["year"] = f["year"].astype("Int64")
        f["period"] = pd.Categorical(f["period"], categories=periods, ordered=True)
        f = meta.merge(f, on="run", how="right")
        frames.append(f)
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return out.reset_index(drop=True)


def check_against_simulator(results, rtol: float = 1e-9, atol: float = 0.0) -> pd.DataFrame:
    """Recomputed vs stored measures, one row per (arm, run, outcome, period, measure), with
    columns ours, simulator, agree (relative tolerance rtol; NaN agrees only with NaN)."""
    ours = recompute(results)
    theirs = results.equity()
    keys = ["arm", "run", "outcome", "period", "measure"]
    ours = ours.assign(period=ours["period"].astype(str))
    theirs = theirs.assign(period=theirs["period"].astype(str))
    m = ours.rename(columns={"value": "ours"}).merge(
        theirs[keys + ["value"]].rename(columns={"value": "simulator"}), on=keys, how="outer", indicator=True)
    a, b = m["ours"].to_numpy(float), m["simulator"].to_numpy(float)
    both_nan = np.isnan(a) & np.isnan(b)
    close = np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=False)
    m["agree"] = (both_nan | close) & (m["_merge"] == "both")
    return m.drop(columns="_merge")


def rates_by_group(results, by: str = "quintile", outcome: str = "access", period: str | int = "horizon",
                   *, arm: str | None = None) -> pd.DataFrame:
    """Per run and group: population, events and rate of an outcome, over the horizon or one year.

    by: "quintile", "ethnic_group", "area" or "rural". Returns arm, run, replicate, [sweep
    columns], <by>, population, events, rate (NaN where the population is 0).
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {list(OUTCOMES)}, not {outcome!r}")
    num, den = OUTCOMES[outcome]
    f = results.annual([num, den], by=[by], wide=True, arm=arm)
    if period != "horizon":
        f = f[f["year"] == int(period)]
    keys = [c for c in f.columns if c not in ("year", num, den)]
    g = f.groupby(keys, observed=True, sort=False)[[num, den]].sum().reset_index()
    g = g.rename(columns={den: "population", num: "events"})
    g["population"] = g["population"].astype(float)
    g["events"] = g["events"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        g["rate"] = np.where(g["population"] > 0, g["events"] / g["population"].where(g["population"] > 0), np.nan)
    return g
