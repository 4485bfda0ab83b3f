"""analysis.sweep: outcome curves over a parameter and Morris screening computed from the file."""
from __future__ import annotations

import math
import shutil

import h5py
import numpy as np
import pytest

from analysis import sweep as sw
from analysis.results import open_results
import cpcsim_fixtures as fx
from conftest import MORRIS_PARAMS, MORRIS_POINTS


def test_curve_over_a_grid(sweep_file):
    with open_results(sweep_file) as r:
        c = sw.curve(r, "access_rate", "funding.statutory_multiplier")
        assert list(c["value"]) == [0.8, 1.0, 1.2]
        assert list(c["n"]) == [2, 2, 2]
        assert ((c["low"] <= c["mean"]) & (c["mean"] <= c["high"])).all()
        pm = sw.point_means(r, ["access_rate"])
        np.testing.assert_allclose(pm.sort_values("point")["mean"], c["mean"], rtol=1e-12)
        with pytest.raises(ValueError, match="not a swept parameter"):
            sw.curve(r, "access_rate", "run.years")


def test_paired_with_a_base_point(sweep_file):
    """Point k against point 1 (x1.0), replicate by replicate: the differences are the per-replicate
    differences of the summaries, the base point's own difference is exactly zero."""
    with open_results(sweep_file) as r:
        p = sw.paired_with(r, 1, ["access_rate"])
        assert list(p["point"]) == [0, 1, 2]
        base = p[p["point"] == 1].iloc[0]
        assert base["difference"] == 0 and base["low"] == 0 and base["high"] == 0
        s = r.summaries(["access_rate"]).pivot(index="replicate", columns="point", values="value")
        np.testing.assert_allclose(p[p["point"] == 2]["difference"], (s[2] - s[1]).mean(), rtol=1e-12)
        np.testing.assert_allclose(p[p["point"] == 0]["base"], s[1].mean(), rtol=1e-12)
        assert (p["n"] == 2).all()
        # more statutory money, more children reached: the x1.2 point is not below the base
        assert p[p["point"] == 2]["difference"].iloc[0] >= 0
        with pytest.raises(ValueError, match="base point 7 is not in the sweep"):
            sw.paired_with(r, 7, ["access_rate"])


def test_morris_on_real_output(morris_file):
    with open_results(morris_file) as r:
        assert r.design_type == "morris"
        m = sw.morris(r, ["access_rate", "cost_total_per_year"])
        assert set(m["parameter"]) == set(MORRIS_PARAMS)
        # two trajectories x one step per parameter; the step between trajectories changes both
        assert (m["r"] == 2).all()
        assert (m["mu_star"] >= m["mu"].abs() - 1e-12).all()


def test_morris_known_effects(morris_file, tmp_path):
    """Replace one summary measure by an exact function of the design: y = 3 x1 + 2 x1 x2; the
    elementary effects per full range are then known by hand."""
    p = tmp_path / "morris-exact.h5"
    shutil.copy(morris_file, p)
    with h5py.File(p, "a") as f:
        names = [n.decode() for n in f["labels/summary_measures"][()]]
        j = names.index("access_rate")
        point = f["sweep/point"][()]
        x = np.asarray(MORRIS_POINTS, dtype=float)[point]
        data = f["runs/summary"][()]
        data[:, j] = 3 * x[:, 0] + 2 * x[:, 0] * x[:, 1]
        f["runs/summary"][...] = data
    with open_results(p) as r:
        m = sw.morris(r, ["access_rate"]).set_index("parameter")
    # x1 range 0.4, x2 range 1. Steps: x1 0.8->1.2 at x2=0: (3*0.4)/(0.4/0.4) = 1.2;
    # x2 0->1 at x1=1.2: 2*1.2 = 2.4; x2 0->1 at x1=1.0: 2.0; x1 1.0->0.8 at x2=1: (-0.6-0.4)/(-0.5) = 2.0
    e1 = [1.2, 2.0]
    e2 = [2.4, 2.0]
    assert m.loc["funding.statutory_multiplier", "mu_star"] == pytest.approx(np.mean(e1))
    assert m.loc["funding.statutory_multiplier", "sigma"] == pytest.approx(np.std(e1, ddof=1))
    assert m.loc["network.coordinator_wte", "mu"] == pytest.approx(np.mean(e2))
    assert m.index[0] == "network.coordinator_wte"  # ranked by mu*


def test_morris_respects_trajectories(morris_file, tmp_path):
    p = tmp_path / "morris-traj.h5"
    shutil.copy(morris_file, p)
    with h5py.File(p, "a") as f:
        f["sweep/morris_trajectory"] = np.array([0, 0, 1, 1, 2, 2], dtype=np.int64)
    with open_results(p) as r:
        m = sw.morris(r, ["access_rate"]).set_index("parameter")
    # steps within a trajectory: 0->1 (x1), 2->3 (both parameters: not an effect), 4->5 (x1)
    assert m.loc["funding.statutory_multiplier", "r"] == 2  # 0->1 and 4->5
    assert m.loc["network.coordinator_wte", "r"] == 0
    assert math.isnan(m.loc["network.coordinator_wte", "mu_star"])


def test_marginal_spread_and_ordering(sweep_file):
    with open_results(sweep_file) as r:
        ms = sw.marginal_spread(r, ["access_rate"])
        assert len(ms) == 1 and ms.iloc[0]["levels"] == 3
        assert ms.iloc[0]["spread"] >= 0
        assert sw.ordered_parameters(r) == ["funding.statutory_multiplier"]


def test_not_a_sweep(run_file):
    with open_results(run_file) as r:
        with pytest.raises(ValueError, match="not a sweep"):
            sw.morris(r, ["access_rate"])


@pytest.fixture(scope="module")
def drawn_sweep(binary, sim_dir):
    """A real sweep with parameter draws: 2 points x 3 replicates of the two-area scenario, one
    draw per replicate; the swept parameter has a prior of its own."""
    two_area = fx.SOURCE_DIR / "tests" / "data" / "two-area" / "scenario.toml"
    spec = sim_dir / "drawn-sweep.toml"
    spec.write_text(f'[sweep]\nname = "drawn"\nscenario = "{two_area}"\nreplicates = 3\nseed = 4\n'
                    'set = { "run.years" = 1, "run.warmup_years" = 0 }\n\n[design]\ntype = "grid"\n'
                    '[design.parameters]\n"care.symptom_stay_prob" = [0.3, 0.5]\n')
    out = sim_dir / "drawn-sweep.h5"
    fx.run_cpcsim(binary, ["sweep", "run", spec, "-o", out, "-q", "-t", "2", "--uncertainty", "prior",
                           "--replicates-per-draw", "1"])
    return out


def test_sweep_draws_are_shared_by_points(drawn_sweep):
    r = open_results(drawn_sweep)
    d = sw.run_draws(r)
    assert len(d) == 6
    assert "care.symptom_stay_prob" not in d.columns  # the swept value wins: not drawn
    columns = [c for c in d.columns if c not in ("run", "run_id", "point", "replicate")]
    assert len(columns) > 20
    p0 = d[d["point"] == 0].set_index("replicate")[columns]
    p1 = d[d["point"] == 1].set_index("replicate")[columns]
    assert p0.equals(p1)  # the same draw for the same replicate at every point
    assert not p0.iloc[0].equals(p0.iloc[1])  # and another for another replicate
    with h5py.File(drawn_sweep) as f:
        assert np.array_equal(f["/uncertainty/draws"][()][2], p0.loc[2].to_numpy(float))


def test_paired_point_difference(drawn_sweep, sweep_file):
    r = open_results(drawn_sweep)
    d = sw.paired_point_difference(r, "cost_total_per_year", 0, 1)
    s = r.summaries(["cost_total_per_year"], derived=False)
    diff = (s[s["point"] == 1].sort_values("replicate")["value"].to_numpy()
            - s[s["point"] == 0].sort_values("replicate")["value"].to_numpy())
    assert d["n"] == 3
    assert d["mean"] == pytest.approx(diff.mean(), rel=1e-12)
    assert d["low"] <= d["mean"] <= d["high"]
    assert math.isnan(d["noise_share"])  # one replicate per draw: noise cannot be separated
    with pytest.raises(KeyError):
        sw.run_draws(open_results(sweep_file))  # a sweep without draws
