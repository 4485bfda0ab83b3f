"""analysis.stats and analysis.compare: t quantiles, paired and Welch intervals, and paired
comparisons of real compare and sweep files (common random numbers)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import compare as cmp
from analysis.results import open_results
from analysis.stats import fieller_ratio, mean_interval, paired_difference, t_cdf, t_quantile, welch_interval


@pytest.mark.parametrize("df, q", [(1, 12.7062), (2, 4.3027), (3, 3.1824), (4, 2.7764), (9, 2.2622),
                                   (29, 2.0452), (120, 1.9799)])
def test_t_quantile_matches_tables(df, q):
    assert t_quantile(0.975, df) == pytest.approx(q, abs=1e-4)


def test_t_quantile_inverts_cdf():
    for df in (1, 2.5, 7, 40.3):
        for p in (0.025, 0.3, 0.9, 0.995):
            assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, abs=1e-12)
        assert t_quantile(0.025, df) == pytest.approx(-t_quantile(0.975, df), rel=1e-12)
    assert t_quantile(0.975, math.inf) == pytest.approx(1.959964, abs=1e-6)
    assert math.isnan(t_quantile(0.975, 0))


def test_mean_interval_by_hand():
    v = [1.0, 2.0, 4.0, np.nan]
    mi = mean_interval(v)
    sd = np.std([1, 2, 4], ddof=1)
    assert (mi.n, mi.n_nan, mi.mean) == (3, 1, pytest.approx(7 / 3))
    assert mi.high - mi.mean == pytest.approx(t_quantile(0.975, 2) * sd / math.sqrt(3))
    one = mean_interval([5.0])
    assert one.mean == 5.0 and math.isnan(one.low)


def test_narrowing_hand_worked():
    # The case of tests/metrics/test_paired.cpp: A = 1, 2, 3 and B = 2, 4, 3 give differences
    # 1, 2, 0 (sd 1): paired half-width t(0.975, 2) / sqrt(3) = 2.484138; both arms have variance
    # 1, so Welch's df is 4 and its half-width t(0.975, 4) * sqrt(2/3) = 2.266958. Pairing widened
    # the interval: narrowing = 1 - 2.484138 / 2.266958 = -0.0958.
    d = paired_difference([1.0, 2.0, 3.0], [2.0, 4.0, 3.0])
    assert d.half_width == pytest.approx(2.484138, abs=1e-6)
    assert d.welch_half_width == pytest.approx(2.266958, abs=1e-6)
    assert d.narrowing == pytest.approx(-0.0958023, abs=1e-6)
    assert paired_difference([1.0, 2.0, 3.0], [2.0, 3.0, 4.0]).narrowing == 1.0  # zero paired width


def test_paired_and_welch_by_hand():
    a = np.array([10.0, 12.0, 9.0, 14.0, 11.0])
    b = a + np.array([1.0, 1.5, 0.5, 1.2, 0.8])
    d = paired_difference(a, b)
    diff = b - a
    half = t_quantile(0.975, 4) * diff.std(ddof=1) / math.sqrt(5)
    assert d.difference == pytest.approx(diff.mean())
    assert (d.low, d.high) == pytest.approx((diff.mean() - half, diff.mean() + half))
    va, vb = a.var(ddof=1) / 5, b.var(ddof=1) / 5
    df = (va + vb) ** 2 / (va ** 2 / 4 + vb ** 2 / 4)
    whalf = t_quantile(0.975, df) * math.sqrt(va + vb)
    assert d.welch_df == pytest.approx(df)
    assert d.welch_half_width == pytest.approx(whalf)
    assert d.narrowing == pytest.approx(1 - half / whalf)
    assert d.narrowing > 0.5  # strongly correlated pairs: pairing helps
    assert welch_interval(a, b)[0] == pytest.approx(d.difference)
    with pytest.raises(ValueError):
        paired_difference([1, 2], [1, 2, 3])
    same = paired_difference(a, a)
    assert same.difference == 0 and same.half_width == 0 and same.narrowing == 1.0
    const = paired_difference([2.0, 2.0], [3.0, 3.0])
    assert const.half_width == 0 and const.welch_half_width == 0 and math.isnan(const.narrowing)


def test_fieller_ratio():
    num = np.array([10.0, 12.0, 11.0, 13.0])
    r, lo, hi = fieller_ratio(num, np.full(4, 2.0))
    mi = mean_interval(num)
    # a constant denominator reduces Fieller's interval to the numerator's t-interval / constant
    assert r == pytest.approx(mi.mean / 2)
    assert (lo, hi) == pytest.approx((mi.low / 2, mi.high / 2))
    r, lo, hi = fieller_ratio([1.0, 2.0, 3.0], [-1.0, 0.5, 1.0])  # denominator not clearly non-zero
    assert math.isnan(lo) and math.isnan(hi)


def test_compare_arms_structure(compare_file):
    with open_results(compare_file) as r:
        c = cmp.compare_arms(r)
        s = r.summaries()
        assert set(c["measure"]) == set(s["measure"])
        assert (c["n"] == 3).all()
        ok = c.dropna(subset=["low", "high"])
        assert (ok["low"] <= ok["difference"] + 1e-12).all() and (ok["difference"] <= ok["high"] + 1e-12).all()
        np.testing.assert_allclose(c["mean_b"] - c["mean_a"], c["difference"], rtol=1e-9, atol=1e-9)
        fin = c[c["welch_half_width"] > 0]
        np.testing.assert_allclose(fin["narrowing"], 1 - fin["half_width"] / fin["welch_half_width"], rtol=1e-12)
        # side A's means are arm A's own means
        acc = c.set_index("measure").loc["access_rate"]
        a_vals = s[(s["arm"] == "A") & (s["measure"] == "access_rate")]["value"]
        assert acc["mean_a"] == pytest.approx(a_vals.mean())
        assert c.attrs["a"].startswith("A:") and c.attrs["b"].startswith("B:")


def test_compare_identical_arms_gives_zero(run_file, tmp_path):
    import cpcsim_fixtures as fx

    p = fx.make_compare(run_file, run_file, tmp_path / "same.h5")
    with open_results(p) as r:
        c = cmp.compare_arms(r, ["access_rate", "cost_total_per_year", "children_reached_per_year"])
        assert (c["difference"] == 0).all() and (c["half_width"] == 0).all()


def test_compare_points_and_groups(sweep_file):
    with open_results(sweep_file) as r:
        c = cmp.compare_points(r, 0, "funding x1.2", ["access_rate", "cost_total_per_year"])
        assert list(c["measure"]) == ["access_rate", "cost_total_per_year"]
        assert (c["n"] == 2).all()
        s = r.summaries(["cost_total_per_year"])
        b = s[(s["point"] == 2)]["value"].to_numpy() - s[(s["point"] == 0)]["value"].to_numpy()
        assert c.set_index("measure").loc["cost_total_per_year", "difference"] == pytest.approx(b.mean())
        g = cmp.compare_groups(r, "quintile", a=0, b=2)
        assert len(g) == 5 and list(g["quintile"].astype(str)) == list(r.arm().labels["quintiles"])
        with pytest.raises(ValueError, match="out of range"):
            cmp.compare_points(r, 0, 7)
        with pytest.raises(ValueError, match="unknown design point"):
            cmp.compare_points(r, 0, "nowhere")


def test_cost_per_extra(compare_file):
    with open_results(compare_file) as r:
        c = cmp.cost_per_extra(r)
        assert c["n"] == 3
        if c["effect_difference"] != 0:
            assert c["ratio"] == pytest.approx(c["cost_difference"] / c["effect_difference"])


def test_run_file_has_nothing_to_compare(run_file):
    with open_results(run_file) as r:
        with pytest.raises(ValueError, match="single-scenario run file"):
            cmp.compare(r)
        with pytest.raises(ValueError, match="needs a compare file"):
            cmp.compare_arms(r)
