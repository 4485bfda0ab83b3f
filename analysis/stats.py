"""Small statistics helpers: Student t quantiles, mean intervals, paired and Welch intervals.

Written with the standard library and numpy only (no scipy), so the analysis runs on Debian's
python3 with h5py, numpy, pandas and matplotlib.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "t_cdf",
    "t_quantile",
    "MeanInterval",
    "mean_interval",
    "PairedDifference",
    "paired_difference",
    "welch_interval",
    "fieller_ratio",
]


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz's method)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(lbt) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbt) * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` > 0 degrees of freedom (df may be fractional)."""
    if math.isnan(t) or not df > 0:
        return math.nan
    if math.isinf(df):
        return 0.5 * math.erfc(-t / math.sqrt(2.0))
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def _t_pdf(t: float, df: float) -> float:
    if math.isinf(df):
        return math.exp(-0.5 * t * t) / math.sqrt(2 * math.pi)
    lc = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(lc - (df + 1) / 2 * math.log1p(t * t / df))


@lru_cache(maxsize=4096)
def _t_quantile_cached(p: float, df: float) -> float:
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -_t_quantile_cached(1.0 - p, df)
    # Bracket, then safeguarded Newton iterations on the CDF.
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        lo, hi = hi, hi * 2.0
        if hi > 1e12:
            return math.inf
    x = 0.5 * (lo + hi)
    for _ in range(200):
        f = t_cdf(x, df) - p
        if f > 0:
            hi = x
        else:
            lo = x
        dens = _t_pdf(x, df)
        step = f / dens if dens > 0 else math.inf
        nx = x - step
        if not (lo < nx < hi):
            nx = 0.5 * (lo + hi)
        if abs(nx - x) <= 1e-14 * max(1.0, abs(x)):
            return nx
        x = nx
    return x


def t_quantile(p: float, df: float) -> float:
    """The p-quantile of Student's t with `df` degrees of freedom; NaN if df is not positive."""
    if not (0.0 < p < 1.0) or not (df > 0):
        return math.nan
    return _t_quantile_cached(float(p), float(df))


def _clean(values) -> np.ndarray:
    v = np.asarray(values, dtype=float).ravel()
    return v[~np.isnan(v)]


@dataclass(frozen=True)
class MeanInterval:
    """Mean of replicate values with a 95% t-interval; NaN values are left out (counted in n_nan)."""

    mean: float
    low: float
    high: float
    sd: float
    n: int
    n_nan: int = 0

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2.0

    def as_dict(self) -> dict:
        return asdict(self)


def mean_interval(values, level: float = 0.95) -> MeanInterval:
    """Mean and `level` t-interval (n - 1 degrees of freedom) of the non-NaN values."""
    raw = np.asarray(values, dtype=float).ravel()
    v = _clean(raw)
    n_nan = int(raw.size - v.size)
    n = int(v.size)
    if n == 0:
        return MeanInterval(math.nan, math.nan, math.nan, math.nan, 0, n_nan)
    mean = float(v.mean())
    if n < 2:
        return MeanInterval(mean, math.nan, math.nan, math.nan, 1, n_nan)
    sd = float(v.std(ddof=1))
    half = t_quantile(0.5 + level / 2.0, n - 1) * sd / math.sqrt(n)
    return MeanInterval(mean, mean - half, mean + half, sd, n, n_nan)


def welch_interval(a, b, level: float = 0.95) -> tuple[float, float, float, float]:
    """Unpaired (Welch) interval of mean(b) - mean(a): (difference, low, high, degrees of freedom)."""
    a, b = _clean(a), _clean(b)
    na, nb = a.size, b.size
    if na < 2 or nb < 2:
        d = float(b.mean() - a.mean()) if na and nb else math.nan
        return d, math.nan, math.nan, math.nan
    va, vb = a.var(ddof=1) / na, b.var(ddof=1) / nb
    d = float(b.mean() - a.mean())
    se2 = va + vb
    if se2 == 0:
        return d, d, d, math.inf
    df = se2 * se2 / ((va * va) / (na - 1) + (vb * vb) / (nb - 1))
    half = t_quantile(0.5 + level / 2.0, df) * math.sqrt(se2)
    return d, d - half, d + half, float(df)


@dataclass(frozen=True)
class PairedDifference:
    """B - A over replicate pairs (common random numbers), with the unpaired interval for contrast.

    narrowing = 1 - paired half-width / Welch half-width: how much narrower pairing made the 95%
    interval, as a fraction (0.68 = 68% narrower; 0 = no gain; negative = pairing widened it;
    1 = the paired interval has zero width; NaN with fewer than 2 pairs or a zero-width Welch
    interval). The same definition as `narrowing` in compare files (sim/metrics/paired.hpp).
    n counts complete pairs; n_dropped pairs with a NaN.
    """

    n: int
    n_dropped: int
    mean_a: float
    mean_b: float
    difference: float
    low: float
    high: float
    sd_difference: float
    half_width: float
    welch_low: float
    welch_high: float
    welch_df: float
    welch_half_width: float
    narrowing: float
    correlation: float

    def as_dict(self) -> dict:
        return asdict(self)


def paired_difference(a, b, level: float = 0.95) -> PairedDifference:
    """Paired comparison of b against a (arrays of the same length, element i paired with i)."""
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"paired_difference: {a.size} values of A but {b.size} of B; pairs must match")
    ok = ~(np.isnan(a) | np.isnan(b))
    a, b = a[ok], b[ok]
    n, dropped = int(a.size), int((~ok).sum())
    nan = math.nan
    if n == 0:
        return PairedDifference(0, dropped, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan)
    d = b - a
    mi = mean_interval(d, level)
    _, wl, wh, wdf = welch_interval(a, b, level)
    half = mi.half_width if n >= 2 else nan
    whalf = (wh - wl) / 2.0 if n >= 2 else nan
    narrowing = 1.0 - half / whalf if n >= 2 and whalf > 0 else nan
    corr = nan
    if n >= 2 and a.std() > 0 and b.std() > 0:
        corr = float(np.corrcoef(a, b)[0, 1])
    return PairedDifference(n, dropped, float(a.mean()), float(b.mean()), mi.mean, mi.low, mi.high,
                            mi.sd, half, wl, wh, wdf, whalf, narrowing, corr)


def fieller_ratio(num, den, level: float = 0.95) -> tuple[float, float, float]:
    """Ratio mean(num) / mean(den) of paired per-replicate values, with Fieller's interval.

    Returns (ratio, low, high). The interval is NaN (unbounded) when the denominator's mean is
    not clearly different from 0 at this level, because the ratio then has no finite bounds.
    """
    x = np.asarray(num, dtype=float).ravel()
    y = np.asarray(den, dtype=float).ravel()
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan
    mx, my = float(x.mean()), float(y.mean())
    ratio = mx / my if my != 0 else math.nan
    if n < 2:
        return ratio, math.nan, math.nan
    vxx = float(x.var(ddof=1)) / n
    vyy = float(y.var(ddof=1)) / n
    vxy = float(np.cov(x, y, ddof=1)[0, 1]) / n
    t2 = t_quantile(0.5 + level / 2.0, n - 1) ** 2
    # The set of r with (mx - r my)^2 <= t^2 (vxx - 2 r vxy + r^2 vyy): a quadratic in r.
    qa = my * my - t2 * vyy
    qb = mx * my - t2 * vxy
    qc = mx * mx - t2 * vxx
    if qa <= 0:
        return ratio, math.nan, math.nan
    disc = max(qb * qb - qa * qc, 0.0)
    root = math.sqrt(disc)
    return ratio, (qb - root) / qa, (qb + root) / qa
