"""analysis.equity: the measures of docs/equity.md recomputed independently, checked against the
worked example and analytic cases of the docs, and against the simulator's own values."""
from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import equity as eq
from analysis.results import open_results

# The worked example of docs/equity.md.
Q_N, Q_E = [100, 200, 300, 200, 200], [50, 80, 90, 60, 40]
A_N, A_E = [400, 300, 200, 100], [160, 90, 50, 20]
E_N, E_E = [600, 200, 100, 100], [210, 50, 30, 30]


def test_worked_example_gradient():
    assert eq.overall_rate(Q_N, Q_E) == pytest.approx(0.32)
    assert eq.slope_index_of_inequality(Q_N, Q_E) == pytest.approx(-23 / 79, rel=1e-12)
    assert eq.relative_index_of_inequality(Q_N, Q_E) == pytest.approx(0.374660, abs=1e-6)
    assert eq.relative_index_of_inequality_mean(Q_N, Q_E) == pytest.approx(-0.909810, abs=1e-6)
    assert eq.concentration_index(Q_N, Q_E) == pytest.approx(0.14375, rel=1e-12)
    assert eq.erreygers_index(Q_N, Q_E) == pytest.approx(0.184, rel=1e-12)


def test_worked_example_areas_ethnic_rural():
    assert eq.gini(A_N, A_E) == pytest.approx(0.121875, rel=1e-12)
    assert eq.theil_t(A_N, A_E) == pytest.approx(0.025473, abs=1e-6)
    assert eq.coefficient_of_variation(A_N, A_E) == pytest.approx(0.223170, abs=1e-6)
    assert eq.best_worst_ratio(A_N, A_E) == pytest.approx(2.0)
    m = eq.equity_measures((Q_N, Q_E), (E_N, E_E), (A_N, A_E), (800, 272), (200, 48))
    assert list(m) == eq.MEASURES
    assert m["rate_ratio_q5_q1"] == pytest.approx(0.4)
    assert m["rate_difference_q5_q1"] == pytest.approx(-0.3)
    assert m["rate_ratio_south_asian_white"] == pytest.approx(0.714286, abs=1e-6)
    assert m["rate_ratio_black_white"] == pytest.approx(0.857143, abs=1e-6)
    assert m["rate_ratio_mixed_other_white"] == pytest.approx(0.857143, abs=1e-6)
    assert m["rural_urban_difference"] == pytest.approx(-0.10)
    assert m["rural_urban_ratio"] == pytest.approx(0.705882, abs=1e-6)
    assert (m["max_rate_areas"], m["min_rate_areas"]) == pytest.approx((0.4, 0.2))


def test_analytic_cases():
    assert eq.gini([50, 50], [10, 30]) == pytest.approx(0.25)
    assert eq.theil_t([50, 50], [10, 30]) == pytest.approx(0.75 * math.log(1.5) - 0.25 * math.log(2))
    assert eq.coefficient_of_variation([50, 50], [10, 30]) == pytest.approx(0.5)
    assert eq.best_worst_ratio([50, 50], [10, 30]) == pytest.approx(3)
    # rates 0 and 0.4
    assert eq.theil_t([50, 50], [0, 20]) == pytest.approx(math.log(2))
    assert eq.gini([50, 50], [0, 20]) == pytest.approx(0.5)
    assert eq.coefficient_of_variation([50, 50], [0, 20]) == pytest.approx(1.0)
    assert math.isnan(eq.best_worst_ratio([50, 50], [0, 20]))
    # two equal groups, 0.6 (least deprived) and 0.2
    n, e = [100, 100], [60, 20]
    assert eq.concentration_index(n, e) == pytest.approx(0.25)
    assert eq.erreygers_index(n, e) == pytest.approx(0.4)
    assert eq.slope_index_of_inequality(n, e) == pytest.approx(-0.8)
    assert eq.relative_index_of_inequality(n, e) == pytest.approx(0.0, abs=1e-12)


def test_rates_linear_in_ridit():
    n = np.array([100.0, 300.0, 200.0, 250.0, 150.0])
    f = n / n.sum()
    x = np.cumsum(f) - f / 2
    y = 0.1 + 0.4 * x
    assert eq.slope_index_of_inequality(n, y * n) == pytest.approx(0.4, rel=1e-12)
    assert eq.relative_index_of_inequality(n, y * n) == pytest.approx(5.0, rel=1e-12)


def test_properties():
    n = np.array([120.0, 80.0, 200.0, 50.0, 150.0])
    e = np.array([30.0, 24.0, 40.0, 20.0, 30.0])
    equal = eq.equity_measures((n, 0.3 * n), ([150] * 4, [45] * 4), (n, 0.3 * n), (300, 90), (300, 90))
    for k in ("sii", "rii_mean", "concentration_index", "erreygers_index", "gini_areas", "theil_t_areas", "cv_areas"):
        assert equal[k] == pytest.approx(0.0, abs=1e-15), k
    for k in ("rii", "rate_ratio_q5_q1", "best_worst_ratio_areas", "rate_ratio_south_asian_white", "rural_urban_ratio"):
        assert equal[k] == pytest.approx(1.0), k
    k = 0.5
    for fn in (eq.relative_index_of_inequality, eq.relative_index_of_inequality_mean, eq.concentration_index,
               eq.gini, eq.theil_t, eq.coefficient_of_variation):
        assert fn(n, k * e) == pytest.approx(fn(n, e), rel=1e-12)
    for fn in (eq.slope_index_of_inequality, eq.erreygers_index):
        assert fn(n, k * e) == pytest.approx(k * fn(n, e), rel=1e-12)
    perm = [3, 0, 4, 1, 2]
    for fn in (eq.gini, eq.theil_t, eq.coefficient_of_variation, eq.best_worst_ratio):
        assert fn(n[perm], e[perm]) == pytest.approx(fn(n, e), rel=1e-12)
    # zero-population groups change nothing
    assert eq.gini(np.r_[n, 0], np.r_[e, 0]) == pytest.approx(eq.gini(n, e), rel=1e-15)
    assert eq.slope_index_of_inequality([100, 0, 100], [60, 0, 20]) == pytest.approx(-0.8)


def test_edge_cases_are_nan():
    assert math.isnan(eq.slope_index_of_inequality([100, 0, 0], [10, 0, 0]))
    assert eq.slope_index_of_inequality([100, 100], [0, 0]) == 0.0
    assert math.isnan(eq.concentration_index([100, 100], [0, 0]))
    assert eq.erreygers_index([100, 100], [0, 0]) == 0.0
    assert math.isnan(eq.gini([0, 0], [0, 0])) and math.isnan(eq.gini([10, 10], [0, 0]))
    assert eq.gini([10], [3]) == 0.0 and eq.theil_t([10], [3]) == 0.0 and eq.best_worst_ratio([10], [3]) == 1.0
    assert math.isnan(eq.rate_ratio((10, 3), (10, 0)))
    assert math.isnan(eq.rate_difference((0, 0), (10, 2)))
    empty = eq.equity_measures(([0] * 5, [0] * 5), ([0] * 4, [0] * 4), ([0, 0], [0, 0]), (0, 0), (0, 0))
    assert all(math.isnan(v) for v in empty.values())


def test_bad_counts_raise():
    with pytest.raises(ValueError, match="more events than children"):
        eq.gini([10, 10], [11, 2])
    with pytest.raises(ValueError, match="invalid group counts"):
        eq.gini([10, -1], [1, 0])
    with pytest.raises(ValueError, match="breakdowns whose totals differ"):
        eq.equity_measures((Q_N, Q_E), (E_N, E_E), ([999], [320]), (800, 272), (200, 48))


@pytest.mark.parametrize("which", ["run_file", "compare_file", "sweep_file", "morris_file"])
def test_recomputation_agrees_with_simulator(which, request):
    """Every equity measure, per year and over the horizon, for both outcomes and every run,
    recomputed from runs/annual, equals runs/equity_access and runs/equity_preferred_place to a
    relative 1e-9, and is NaN exactly where the simulator's is."""
    path = request.getfixturevalue(which)
    with open_results(path) as r:
        chk = eq.check_against_simulator(r, rtol=1e-9)
        n_runs = sum(a.n_runs for a in r.arms.values())
        assert len(chk) == n_runs * 2 * (len(r.years) + 1) * len(eq.MEASURES)
        bad = chk[~chk["agree"]]
        assert bad.empty, f"disagreements:\n{bad.head(20).to_string()}"
        assert (np.isnan(chk["ours"]) == np.isnan(chk["simulator"])).all()


def test_rates_by_group_are_consistent(run_file):
    with open_results(run_file) as r:
        q = eq.rates_by_group(r, "quintile")
        assert list(q["quintile"].cat.categories) == list(r.arm().labels["quintiles"])
        a = eq.rates_by_group(r, "area")
        # every breakdown partitions the same children
        for df in (q, a, eq.rates_by_group(r, "ethnic_group"), eq.rates_by_group(r, "rural")):
            tot = df.groupby("run")[["population", "events"]].sum()
            np.testing.assert_array_equal(tot.to_numpy(), q.groupby("run")[["population", "events"]].sum().to_numpy())
        # the overall rate over the horizon is the simulator's rate_overall
        e = r.equity("access")
        ov = e[(e["period"] == "horizon") & (e["measure"] == "rate_overall")].sort_values("run")["value"].to_numpy()
        tot = q.groupby("run")[["population", "events"]].sum()
        np.testing.assert_allclose(tot["events"] / tot["population"], ov, rtol=1e-12)
        year = int(r.years[0])
        y1 = eq.rates_by_group(r, "quintile", period=year)
        assert (y1["population"] <= q["population"].to_numpy()).all()
