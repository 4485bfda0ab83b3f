"""The prior space of history matching (docs/calibration.md, "History matching", `--space prior`).

A point u of the unit cube [0, 1]^d is one prior quantile per uncertain input that can move a
calibration target: a scalar prior's value (or multiplier, gradient or odds ratio) is its inverse
CDF at u; a Dirichlet share table takes one quantile per column, each the inverse CDF of the
column's Gamma(c s_j, 1) variate, normalised to sum to 1 (the construction of a Dirichlet draw
from independent gammas, and exactly what a prior draw does in sim/scenario/uncertainty.cpp with
keyed uniforms in place of these quantiles). A design that is uniform in u is therefore a sample
from the prior, and points kept from it by history matching are prior-weighted.

The runs receive u itself (`--set prior_quantile.KEY=u`, `prior_quantile.KEY.LABEL=u` per
Dirichlet column): the simulator realises it with the same code as `--uncertainty prior`, so the
values below (inverse CDFs with SciPy) serve the report and the tests, never the runs.
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field

import numpy as np

__all__ = ["SCREENED", "QUANTILE_PREFIX", "Prior", "PriorSpace", "prior_ppf", "dirichlet_shares", "read_priors",
           "screened_reason"]

QUANTILE_PREFIX = "prior_quantile."

# Uncertain inputs left out of the calibration space because they cannot move a baseline target
# (every target is a figure of the no-network baseline). Each reason is checked by
# tests/analysis/test_priors.py::test_screened_inputs_do_not_move_targets, which runs the baseline
# with all of them at their 1% and then their 99% prior quantiles and finds every target equal.
SCREENED = [
    ("network.", "network effect sizes, engagement dynamics, rota and network costs: with every network lever "
                 "off (the baseline) no network mechanism runs"),
    ("cost.", "unit costs: they price activity and enter no target (C10 is a share of hospice income, not cost)"),
]


def screened_reason(key: str) -> str:
    for prefix, why in SCREENED:
        if key.startswith(prefix):
            return why
    return ""


@dataclass
class Prior:
    key: str
    family: str
    applies: str
    a: float
    b: float
    c: float
    lower: float | None
    upper: float | None
    element: int
    columns: list[str]
    rows: int
    values: list[float]
    describe: str
    q05_50_95: list = field(default_factory=list)  # the simulator's own inverse CDF at 5%, 50%, 95%

    @property
    def shares(self) -> np.ndarray:
        """A Dirichlet's centre: the mean over rows of each row's shares (as the simulator)."""
        v = np.asarray(self.values, dtype=float).reshape(self.rows, -1)
        tot = v.sum(axis=1, keepdims=True)
        return np.where(tot > 0, v / np.where(tot > 0, tot, 1), 0).mean(axis=0)


def _scipy_dist(p: Prior):
    from scipy import stats

    if p.family == "uniform":
        return stats.uniform(p.a, p.b - p.a)
    if p.family == "triangular":
        return stats.triang((p.b - p.a) / (p.c - p.a), loc=p.a, scale=p.c - p.a)
    if p.family == "beta":
        k = p.a * (1 - p.a) / p.b ** 2 - 1
        return stats.beta(p.a * k, (1 - p.a) * k)
    if p.family == "gamma":
        return stats.gamma((p.a / p.b) ** 2, scale=p.b ** 2 / p.a)
    if p.family == "lognormal":
        return stats.lognorm(p.b, scale=p.a)
    if p.family == "truncated_normal":
        return stats.norm(p.a, p.b)
    raise ValueError(f"{p.key}: no scalar inverse CDF for family {p.family!r}")


def prior_ppf(p: Prior, u) -> np.ndarray:
    """The drawn number of a scalar prior at quantiles u (truncation by inverse CDF, as in C++)."""
    d = _scipy_dist(p)
    lo = d.cdf(p.lower) if p.lower is not None else 0.0
    hi = d.cdf(p.upper) if p.upper is not None else 1.0
    return d.ppf(lo + np.asarray(u, dtype=float) * (hi - lo))


def dirichlet_shares(concentration: float, shares, u) -> np.ndarray:
    """Shares at quantiles u (..., columns): Gamma(c s_j, 1) quantiles normalised to sum to 1 (a
    Dirichlet(c s) variate when u is uniform); columns with share 0 stay 0."""
    from scipy import stats

    s = np.asarray(shares, dtype=float)
    u = np.asarray(u, dtype=float)
    g = np.where(s > 0, stats.gamma.ppf(u, np.where(s > 0, concentration * s, 1.0)), 0.0)
    return g / g.sum(axis=-1, keepdims=True)


def read_priors(binary: str, scenario, sets=()) -> list[Prior]:
    """The scenario's uncertain parameters and their priors (`cpcsim params --priors`)."""
    cmd = [binary, "params", "--priors", str(scenario)] + [x for kv in sets for x in ("--set", kv)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{scenario}: `{' '.join(cmd)}` failed: {r.stderr.strip()}")
    out = []
    for d in json.loads(r.stdout):
        out.append(Prior(d["key"], d["family"], d["applies"], d["a"], d["b"], d["c"], d["lower"], d["upper"],
                         d["element"], d["columns"], d["rows"], d["values"], d["describe"], d["q05_50_95"]))
    return out


class PriorSpace:
    """The unit cube of prior quantiles of the unscreened priors: column names are the simulator's
    --set keys (prior_quantile.KEY or prior_quantile.KEY.LABEL); a design row is written as it is."""

    def __init__(self, priors: list[Prior]):
        self.priors = [p for p in priors if not screened_reason(p.key)]
        self.screened = [p for p in priors if screened_reason(p.key)]
        self.names, self.labels, self._col = [], [], []
        for k, p in enumerate(self.priors):
            if p.family == "dirichlet":
                for j, c in enumerate(p.columns):
                    self.names.append(f"{QUANTILE_PREFIX}{p.key}.{c}")
                    self.labels.append(f"{p.key}[{c}] (share)")
                    self._col.append((k, j))
            else:
                self.names.append(QUANTILE_PREFIX + p.key)
                suffix = {"value": "", "multiplier": " (multiplier)", "gradient": " (gradient)",
                          "odds": " (odds ratio)"}[p.applies]
                self.labels.append(p.key + suffix)
                self._col.append((k, -1))
        self.lower = np.zeros(len(self.names))
        self.upper = np.ones(len(self.names))

    @property
    def dim(self) -> int:
        return len(self.names)

    def to_unit(self, x):
        return np.asarray(x, dtype=float)

    def from_unit(self, u):
        return np.asarray(u, dtype=float)

    def natural(self, u) -> np.ndarray:
        """(n, d) drawn numbers at quantile rows u: a scalar prior's value (or multiplier, gradient,
        odds ratio), a Dirichlet column's share."""
        u = np.atleast_2d(np.asarray(u, dtype=float))
        out = np.empty_like(u)
        for k, p in enumerate(self.priors):
            cols = [i for i, (kk, _) in enumerate(self._col) if kk == k]
            if p.family == "dirichlet":
                out[:, cols] = dirichlet_shares(p.a, p.shares, u[:, cols])
            else:
                out[:, cols[0]] = prior_ppf(p, u[:, cols[0]])
        return out
