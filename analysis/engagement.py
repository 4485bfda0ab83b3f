"""The network's effect as a function of how engaged its members became (issue 11, item 3).

Engagement is each member's state in the simulator (0 to 1, rising with the coordinator, leads and
early wins, decaying under stress; docs/model.md). A comparison's effect (B − A, replicate by
replicate on the same children) is only as large as the engagement B reached, so the report shows:

- the engagement reached by member type (mean over the horizon and replicates of arm B);
- per replicate, the mean engagement reached and the paired effect on the headline outcomes;
- where engagement varies between replicates (parameter draws, `--uncertainty prior`), the
  least-squares slope of each effect on engagement, per +0.1 engagement, with its 95% interval.

Within a comparison without draws, engagement varies only with the members' spread and the slope
is not estimable; the README's variants table (scripts/network-variants.sh) gives the effect at
other engagement levels.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .stats import t_quantile

__all__ = ["OUTCOMES", "MIN_SPREAD", "engagement_by_type", "effect_by_replicate", "slopes"]

OUTCOMES = ("death_hospital_share", "access_rate", "preferred_place_rate", "cost_total_per_year")
# Below this standard deviation of mean engagement across replicates, a slope is not reported.
MIN_SPREAD = 0.02


def _engagement(results, arm: str) -> pd.DataFrame:
    p = results.providers("engagement", arm=arm)
    return p[["replicate", "year", "provider", "provider_type", "value"]]


def engagement_by_type(results, arm: str = "B") -> pd.DataFrame:
    """Mean engagement reached by member type (over providers, years and replicates) and its
    range over providers. Columns: provider_type, mean, min_member, max_member, members."""
    e = _engagement(results, arm)
    per_member = e.groupby(["provider_type", "provider"])["value"].mean().reset_index()
    out = per_member.groupby("provider_type")["value"].agg(["mean", "min", "max", "count"]).reset_index()
    return out.rename(columns={"min": "min_member", "max": "max_member", "count": "members"})


def effect_by_replicate(results, outcomes=OUTCOMES, a: str = "A", b: str = "B") -> pd.DataFrame:
    """Per replicate present in both arms: B's mean engagement (over providers and years) and the
    paired difference B − A of each outcome. Columns: replicate, engagement, then one per outcome."""
    e = _engagement(results, b).groupby("replicate")["value"].mean().rename("engagement")
    s = results.summaries(list(outcomes))
    wide = s.pivot_table(index="replicate", columns=["arm", "measure"], values="value")
    diff = pd.DataFrame({m: wide[(b, m)] - wide[(a, m)] for m in outcomes})
    out = diff.join(e, how="inner").dropna(subset=["engagement"])
    return out.reset_index()[["replicate", "engagement", *outcomes]]


def slopes(per_replicate: pd.DataFrame, outcomes=OUTCOMES, per: float = 0.1) -> pd.DataFrame:
    """Least-squares slope of each effect on engagement, scaled to `per` engagement, with a 95%
    t-interval; NaN (with a reason) where engagement does not vary enough or there are fewer than
    4 replicates. Columns: outcome, slope, low, high, n, reason."""
    x = per_replicate["engagement"].to_numpy(float)
    rows = []
    for m in outcomes:
        y = per_replicate[m].to_numpy(float)
        ok = np.isfinite(x) & np.isfinite(y)
        n = int(ok.sum())
        reason = ""
        if n < 4:
            reason = f"{n} replicates (at least 4 needed)"
        elif np.std(x[ok], ddof=1) < MIN_SPREAD:
            reason = f"engagement varies too little between replicates (sd {np.std(x[ok], ddof=1):.3f} < {MIN_SPREAD})"
        if reason:
            rows.append({"outcome": m, "slope": np.nan, "low": np.nan, "high": np.nan, "n": n, "reason": reason})
            continue
        xs, ys = x[ok], y[ok]
        dx = xs - xs.mean()
        slope = float(np.sum(dx * (ys - ys.mean())) / np.sum(dx * dx))
        resid = ys - ys.mean() - slope * dx
        stderr = math.sqrt(float(np.sum(resid * resid)) / (n - 2) / float(np.sum(dx * dx)))
        half = t_quantile(0.975, n - 2) * stderr
        rows.append({"outcome": m, "slope": slope * per, "low": (slope - half) * per,
                     "high": (slope + half) * per, "n": n, "reason": ""})
    return pd.DataFrame(rows, columns=["outcome", "slope", "low", "high", "n", "reason"])
