"""Analysis of runs with parameter uncertainty (`cpcsim run|compare --uncertainty prior`).

The same numbers as the C++ tables (sim/metrics/uncertainty.cpp), computed from a results file's
per-replicate summaries and its draws table, so a file can be re-analysed without re-running and
the two implementations are tested against each other (tests/analysis/test_uncertainty.py):

- for an outcome or a paired difference: the 2.5% and 97.5% quantiles over replicates (each with
  its own parameter draw), the share of the variance due to simulation noise alone (pooled
  variance between replicates sharing a draw over the total), and the share of replicates > 0;
- which parameters drive a headline difference: partial rank correlation (PRCC) with a Fisher
  95% interval, or Spearman correlation when there are too few draws for PRCC;
- cost-effectiveness: mean incremental cost per extra child reached and per extra death at the
  preferred place, the quadrants of the cost-effectiveness plane and an acceptability curve.

Written with numpy, pandas and h5py only.
"""
from __future__ import annotations

import math
from statistics import NormalDist
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

__all__ = [
    "HEADLINES",
    "HIGHER_IS_BETTER",
    "read_draws",
    "uncertain_interval",
    "rank_sensitivity",
    "cost_effectiveness",
    "acceptability_thresholds",
    "headline_value",
    "ComparisonUncertainty",
    "analyse_comparison",
    "has_draws",
    "ensemble_sources",
]

Z975 = 1.959963984540054

#: Headline differences whose drivers are ranked (sim/metrics/uncertainty.cpp, same order).
HEADLINES = [
    "children_reached_per_year",
    "preferred_place_deaths_per_year",
    "access_rate",
    "preferred_place_rate",
    "first_assessment_wait_days",
    "unmet_days_ccn_per_year",
    "unmet_days_sppc_per_year",
    "respite_nights_unmet_per_year",
    "unplanned_admissions_per_year",
    "cost_total_per_year",
]
#: Headlines for which a larger value is better; for the others a smaller one is.
HIGHER_IS_BETTER = {"children_reached_per_year", "preferred_place_deaths_per_year", "access_rate",
                    "preferred_place_rate"}


def _text(x) -> str:
    return x.decode("utf-8") if isinstance(x, bytes) else str(x)


def has_draws(path, group: str = "/arms/A/uncertainty") -> bool:
    with h5py.File(path, "r") as f:
        return f"{group}/draws" in f


def ensemble_sources(path, group: str = "/arms/A/uncertainty") -> list[str]:
    """The distinct 'calibrated ensemble ...' entries of a draws table's distributions: where the
    calibrated inputs came from (empty when every column was drawn from its prior)."""
    with h5py.File(path, "r") as f:
        if f"{group}/distributions" not in f:
            return []
        names = [_text(d) for d in f[group]["distributions"][()]]
    return sorted({d for d in names if d.startswith("calibrated ensemble")})


def read_draws(path, group: str = "/arms/A/uncertainty") -> tuple[pd.DataFrame, int]:
    """The draws table ([replicate, parameter], columns named) and replicates per draw."""
    with h5py.File(path, "r") as f:
        if f"{group}/draws" not in f:
            raise KeyError(f"{path}: {group}/draws is missing (the file was not made with --uncertainty)")
        g = f[group]
        columns = [_text(c) for c in g["parameters"][()]]
        values = np.asarray(g["draws"][()], dtype=float).reshape(-1, len(columns))
        per_draw = int(g.attrs["per_draw"])
    return pd.DataFrame(values, columns=columns), per_draw


def _quantile7(v: np.ndarray, p: float) -> float:
    return float(np.quantile(v, p)) if v.size else math.nan


def uncertain_interval(values, per_draw: int) -> dict:
    """Mean, 2.5%/97.5% quantiles, noise share and half-width, P(> 0) of per-replicate values."""
    values = np.asarray(values, dtype=float)
    v = values[~np.isnan(values)]
    out = {"mean": math.nan, "low": math.nan, "high": math.nan, "noise_share": math.nan,
           "noise_half_width": math.nan, "prob_positive": math.nan, "n": int(v.size)}
    if not v.size:
        return out
    mean = float(v.sum() / v.size)
    out.update(mean=mean, low=_quantile7(v, 0.025), high=_quantile7(v, 0.975),
               prob_positive=float(np.count_nonzero(v > 0) / v.size))
    per = max(1, int(per_draw))
    within, dof = 0.0, 0.0
    for start in range(0, values.size, per):
        g = values[start:start + per]
        g = g[~np.isnan(g)]
        if g.size < 2:
            continue
        within += float(((g - g.mean()) ** 2).sum())
        dof += g.size - 1
    total = float(((v - mean) ** 2).sum() / (v.size - 1)) if v.size > 1 else math.nan
    if dof > 0:
        noise = within / dof
        out["noise_half_width"] = Z975 * math.sqrt(noise)
        out["noise_share"] = min(1.0, noise / total) if total > 0 else math.nan
    return out


def _ranks(x: np.ndarray) -> np.ndarray:
    """Average ranks, 1-based (ties share the mean of their ranks)."""
    order = np.argsort(x, kind="stable")
    r = np.empty(x.size)
    i = 0
    while i < x.size:
        j = i
        while j + 1 < x.size and x[order[j + 1]] == x[order[i]]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return r


def _fisher(r: float, dof: float) -> tuple[float, float]:
    if math.isnan(r) or dof <= 0:
        return math.nan, math.nan
    z = math.atanh(min(max(r, -0.999999999), 0.999999999))
    half = Z975 / math.sqrt(dof)
    return min(r, math.tanh(z - half)), max(r, math.tanh(z + half))


def chance_coefficient(k: int, dof: float) -> float:
    """|r| exceeded by the largest of k null correlations with probability 5% (Bonferroni over
    the inputs, Fisher z): below it a coefficient is not evidence of a driver."""
    if k == 0 or dof <= 0:
        return math.nan
    return math.tanh(NormalDist().inv_cdf(1 - 0.025 / k) / math.sqrt(dof))


CHANCE_PERMUTATIONS = 2000
_MASK64 = (1 << 64) - 1


def _splitmix64(state: int):
    """SplitMix64, the same fixed stream as sim/metrics/uncertainty.cpp's."""
    while True:
        state = (state + 0x9E3779B97F4A7C15) & _MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        yield z ^ (z >> 31)


def permutation_chance(rx, ry) -> float:
    """|rho| that the largest of the inputs' rank correlations exceeds with probability 5% when
    the output is unrelated to every input: the 95th percentile, over CHANCE_PERMUTATIONS fixed
    permutations of the output's ranks, of the largest |correlation| with any input (as
    sim/metrics/uncertainty.cpp computes it, permutation for permutation). Exact for these
    inputs, where Fisher's z with a Bonferroni bound understates the tails with few rows."""
    def standardised(v):
        v = np.asarray(v, dtype=float)
        d = v - v.mean()
        ss = float(np.dot(d, d))
        return d / math.sqrt(ss) if ss > 0 else None
    b = standardised(ry)
    if b is None or not len(rx):
        return math.nan
    a = np.vstack([standardised(c) for c in rx])
    n = len(b)
    perm = list(range(n))
    rng = _splitmix64(0x9E3779B97F4A7C15)
    largest = np.empty(CHANCE_PERMUTATIONS)
    for k in range(CHANCE_PERMUTATIONS):
        for i in range(n - 1, 0, -1):
            j = ((next(rng) >> 11) * (i + 1)) >> 53
            perm[i], perm[j] = perm[j], perm[i]
        largest[k] = float(np.max(np.abs(a @ b[perm])))
    return float(np.quantile(largest, 0.95))


def rank_sensitivity(inputs, output) -> pd.DataFrame:
    """PRCC (or Spearman with too few rows) of each input column with the output.

    Returns a frame indexed by input name with columns coefficient, low, high, method, chance
    (chance_coefficient for the inputs and rows used, the same in every row).
    """
    x = pd.DataFrame(inputs)
    y = np.asarray(output, dtype=float)
    keep = ~np.isnan(y)
    xv, yv = x.to_numpy(dtype=float)[keep], y[keep]
    n, p = xv.shape
    coef = np.full(p, math.nan)
    low, high = np.full(p, math.nan), np.full(p, math.nan)
    method = "spearman"
    chance = math.nan
    if n >= 4:
        used = [j for j in range(p) if not np.all(xv[:, j] == xv[0, j])]
        rx = [_ranks(xv[:, j]) for j in used]
        ry = _ranks(yv)
        if len(used) and n >= len(used) + 4 and np.std(ry) > 0:
            c = np.corrcoef(np.vstack([*rx, ry]))
            try:
                inv = np.linalg.inv(c)
                method = "prcc"
                q = len(used)
                chance = chance_coefficient(q, n - 3 - (q - 1))
                for i, j in enumerate(used):
                    coef[j] = -inv[i, q] / math.sqrt(inv[i, i] * inv[q, q])
                    low[j], high[j] = _fisher(coef[j], n - 3 - (q - 1))
            except np.linalg.LinAlgError:
                method = "spearman"
        if method == "spearman":
            chance = permutation_chance(rx, ry) if np.std(ry) > 0 else math.nan
            for i, j in enumerate(used):
                if np.std(ry) > 0:
                    coef[j] = float(np.corrcoef(rx[i], ry)[0, 1])
                    low[j], high[j] = _fisher(coef[j], n - 3)
    return pd.DataFrame({"coefficient": coef, "low": low, "high": high, "method": method, "chance": chance},
                        index=x.columns)


def acceptability_thresholds(scale: float) -> np.ndarray:
    s = scale if scale > 0 and math.isfinite(scale) else 1.0
    return np.concatenate([[0.0], s * 10.0 ** (-2.0 + 4.0 * np.arange(40) / 39.0)])


def cost_effectiveness(delta_cost, delta_effect, thresholds=None) -> dict:
    """Mean incremental cost and effect, ICER, CE-plane quadrant shares and acceptability curve."""
    c, e = np.asarray(delta_cost, dtype=float), np.asarray(delta_effect, dtype=float)
    ok = ~(np.isnan(c) | np.isnan(e))
    c, e = c[ok], e[ok]
    dc, de = float(c.mean()), float(e.mean())
    icer = dc / de if de != 0 else math.nan
    if thresholds is None:
        thresholds = acceptability_thresholds(abs(icer))
    thresholds = np.asarray(thresholds, dtype=float)
    return {
        "delta_cost": dc, "delta_effect": de, "icer": icer,
        "dominant": float(np.mean((e > 0) & (c <= 0))),
        "more_effect_more_cost": float(np.mean((e > 0) & (c > 0))),
        "less_effect_less_cost": float(np.mean((e <= 0) & (c <= 0))),
        "dominated": float(np.mean((e <= 0) & (c > 0))),
        "thresholds": thresholds,
        "acceptability": np.array([float(np.mean(t * e - c > 0)) for t in thresholds]),
        "points": pd.DataFrame({"delta_effect": e, "delta_cost": c}),
    }


def headline_value(summary: pd.DataFrame, name: str) -> np.ndarray:
    """Per replicate value of a headline from a [replicate, measure] summary frame."""
    if name == "children_reached_per_year":
        return (summary["access_rate"] * summary["children_per_year"]).to_numpy()
    if name == "preferred_place_deaths_per_year":
        return (summary["preferred_place_rate"] * summary["deaths_per_year"]).to_numpy()
    return summary[name].to_numpy()


def _summary(f: h5py.File, arm: str) -> pd.DataFrame:
    names = [_text(n) for n in f[f"/arms/{arm}/labels/summary_measures"][()]]
    return pd.DataFrame(np.asarray(f[f"/arms/{arm}/runs/summary"][()], dtype=float), columns=names)


@dataclass
class ComparisonUncertainty:
    """A comparison with draws, analysed (every table a DataFrame)."""
    per_draw: int
    draws: pd.DataFrame
    measures: pd.DataFrame        # index (measure, arm in A/B/B - A); columns mean, low, high, ...
    headlines: pd.DataFrame       # index headline; columns as above plus prob_better
    sensitivity: dict = field(default_factory=dict)  # headline -> frame by parameter
    per_child_reached: dict = field(default_factory=dict)
    per_preferred_death: dict = field(default_factory=dict)

    def drivers(self, headline: str, top: int = 3) -> pd.DataFrame:
        """The parameters with the largest |coefficient| whose interval excludes 0 and which lie
        above the chance level of so many coefficients (rank_sensitivity's chance column)."""
        s = self.sensitivity[headline].dropna(subset=["coefficient"])
        s = s[((s["low"] > 0) | (s["high"] < 0)) & (s["coefficient"].abs() > s["chance"])]
        return s.reindex(s["coefficient"].abs().sort_values(ascending=False).index).head(top)


def analyse_comparison(path) -> ComparisonUncertainty:
    """Analyses a compare file made with --uncertainty (every number re-computed from the runs)."""
    draws, per_draw = read_draws(path, "/arms/A/uncertainty")
    with h5py.File(path, "r") as f:
        a, b = _summary(f, "A"), _summary(f, "B")
    rows = []
    for m in a.columns:
        for arm, v in (("A", a[m]), ("B", b[m]), ("B - A", b[m] - a[m])):
            rows.append({"measure": m, "arm": arm, **uncertain_interval(v.to_numpy(), per_draw)})
    measures = pd.DataFrame(rows).set_index(["measure", "arm"])
    head_rows, sens, diffs = [], {}, {}
    for h in HEADLINES:
        d = headline_value(b, h) - headline_value(a, h)
        diffs[h] = d
        u = uncertain_interval(d, per_draw)
        u["prob_better"] = u["prob_positive"] if h in HIGHER_IS_BETTER else 1 - u["prob_positive"]
        head_rows.append({"headline": h, **u})
        # over draws: replicates sharing a draw have the same inputs, so their differences are averaged
        per = max(1, per_draw)
        n_draws = len(d) // per if len(d) % per == 0 else len(d) // per + 1
        means = [np.nanmean(d[k * per:(k + 1) * per]) if np.any(~np.isnan(d[k * per:(k + 1) * per])) else math.nan
                 for k in range(n_draws)]
        sens[h] = rank_sensitivity(draws.iloc[::per].reset_index(drop=True), means)
    headlines = pd.DataFrame(head_rows).set_index("headline")
    cost = diffs["cost_total_per_year"]
    return ComparisonUncertainty(
        per_draw=per_draw, draws=draws, measures=measures, headlines=headlines, sensitivity=sens,
        per_child_reached=cost_effectiveness(cost, diffs["children_reached_per_year"]),
        per_preferred_death=cost_effectiveness(cost, diffs["preferred_place_deaths_per_year"]))
