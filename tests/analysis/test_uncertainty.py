"""analysis.uncertainty against the C++ analysis of a real comparison with parameter draws
(`cpcsim compare --uncertainty prior`): the file's /comparison/uncertainty tables must equal what
the Python package recomputes from the per-replicate summaries and the draws table."""
from __future__ import annotations

import math

import h5py
import numpy as np
import pytest

import cpcsim_fixtures as fx
from analysis import uncertainty as unc

TWO_AREA = fx.SOURCE_DIR / "tests" / "data" / "two-area" / "scenario.toml"


@pytest.fixture(scope="module")
def drawn_compare(binary, sim_dir):
    out = sim_dir / "compare-uncertainty.h5"
    fx.run_cpcsim(binary, ["compare", TWO_AREA, TWO_AREA, "-r", "8", "-o", out, "-q", "-t", "2", *fx.FAST,
                           "--set", "network.coordinator_wte=0", "--uncertainty", "prior"])
    return out


@pytest.fixture(scope="module")
def drawn_network_compare(binary, sim_dir):
    """A (no network) against B (coordinator and training) with draws, B's levers set by file."""
    b = sim_dir / "network-b.toml"
    b.write_text(f'[scenario]\nextends = "{TWO_AREA}"\n[network]\ncoordinator_wte = 1.0\ntraining = 1.0\n'
                 'shared_records = true\n')
    out = sim_dir / "compare-uncertainty-network.h5"
    fx.run_cpcsim(binary, ["compare", TWO_AREA, b, "-r", "12", "-o", out, "-q", "-t", "2", *fx.FAST,
                           "--uncertainty", "prior"])
    return out


def _close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape
    both_nan = np.isnan(a) & np.isnan(b)
    assert np.allclose(a[~both_nan], b[~both_nan], rtol=1e-9, atol=1e-12)


def test_draws_table_has_named_columns_shared_by_both_arms(drawn_compare):
    da, per_a = unc.read_draws(drawn_compare, "/arms/A/uncertainty")
    db, per_b = unc.read_draws(drawn_compare, "/arms/B/uncertainty")
    assert per_a == per_b == 2
    assert len(da) == 8 and "referral.loss_prob" in da.columns
    assert (da.to_numpy() == db.to_numpy()).all()
    # replicates 0 and 1 share draw 0; 2 is a new draw
    assert (da.iloc[0] == da.iloc[1]).all() and (da.iloc[0] != da.iloc[2]).any()


def test_python_matches_cpp_tables(drawn_network_compare):
    u = unc.analyse_comparison(drawn_network_compare)
    with h5py.File(drawn_network_compare, "r") as f:
        g = f["/comparison/uncertainty"]
        stats = [s.decode() if isinstance(s, bytes) else s for s in g["statistics"][()]]
        summary = g["summary"][()]
        measures = list(u.measures.index.get_level_values(0).unique())
        for i, m in enumerate(measures):
            for j, arm in enumerate(("A", "B", "B - A")):
                _close(summary[i, j], u.measures.loc[(m, arm), stats].to_numpy(dtype=float))
        _close(g["headline"][()], u.headlines[stats].to_numpy(dtype=float))
        sens = g["sensitivity"][()]
        for h, name in enumerate(unc.HEADLINES):
            s = u.sensitivity[name]
            _close(sens[h, :, 0], s["coefficient"])
            _close(sens[h, :, 1], s["low"])
            assert g["sensitivity_methods"][h].decode() == s["method"].iloc[0]
        for key, ce in (("per_child_reached", u.per_child_reached), ("per_preferred_place_death", u.per_preferred_death)):
            plane = g[f"{key}/plane"][()]
            _close(plane, [ce["delta_cost"], ce["delta_effect"], ce["icer"], ce["dominant"],
                           ce["more_effect_more_cost"], ce["less_effect_less_cost"], ce["dominated"]])
            _close(g[f"{key}/thresholds"][()], ce["thresholds"])
            _close(g[f"{key}/acceptability"][()], ce["acceptability"])


def test_sensitivity_ranks_the_driving_parameter_first():
    rng = np.random.default_rng(3)
    x = rng.uniform(size=(50, 6))
    y = np.log1p(10 * x[:, 4]) + 0.05 * rng.normal(size=50)
    s = unc.rank_sensitivity(x, y)
    assert s["coefficient"].abs().idxmax() == 4
    assert s.loc[4, "low"] > 0 and s["method"].iloc[0] == "prcc"


def test_chance_level_of_many_coefficients():
    """With 100 inputs and 40 rows, the chance level is the Bonferroni bound, above the edge of a
    plain 95% interval, and the real driver passes it."""
    assert unc.chance_coefficient(100, 37) == pytest.approx(math.tanh(3.4807564 / math.sqrt(37)), rel=1e-6)
    assert math.isnan(unc.chance_coefficient(0, 37))
    rng = np.random.default_rng(11)
    x = rng.uniform(size=(40, 100))
    y = x[:, 0] + 0.05 * rng.normal(size=40)
    s = unc.rank_sensitivity(x, y)
    assert s["method"].iloc[0] == "spearman"
    # Permutations: close to the Bonferroni bound with 40 rows.
    assert s["chance"].iloc[0] == pytest.approx(unc.chance_coefficient(100, 37), abs=0.05)
    above = s[s["coefficient"].abs() > s["chance"]]
    assert 0 in above.index and len(above) <= 2
    # The level is above a plain interval's edge: a coefficient between the two is not a driver.
    assert s["chance"].iloc[0] > math.tanh(1.959964 / math.sqrt(37))


def test_chance_level_matches_the_simulator():
    """The permutation chance level is the simulator's, permutation for permutation: the same
    fixed table gives the level that tests/metrics/test_uncertainty_analysis.cpp checks (74/84)."""
    x = np.array([[((r * 31 + j * 17) % 13) / 13.0 for j in range(30)] for r in range(8)])
    y = np.array([((r * 7) % 11) / 11.0 for r in range(8)])
    level = unc.rank_sensitivity(x, y)["chance"].iloc[0]
    assert level == pytest.approx(0.8809523809523807, abs=1e-12)


def test_noise_share_and_acceptability_by_hand():
    u = unc.uncertain_interval([9, 11, 19, 21, 9, 11, 19, 21], 2)
    total = np.var([9, 11, 19, 21, 9, 11, 19, 21], ddof=1)
    assert u["noise_share"] == pytest.approx(2 / total)
    assert math.isnan(unc.uncertain_interval([1, 2, 3], 1)["noise_share"])
    ce = unc.cost_effectiveness([100, 200, 300, -50], [1, 1, 1, 1], [0, 150, 250, 1000])
    assert list(ce["acceptability"]) == [0.25, 0.5, 0.75, 1.0]
    assert ce["icer"] == pytest.approx(137.5)


def test_uncertainty_widens_intervals(binary, sim_dir, drawn_compare):
    plain = sim_dir / "compare-plain-8.h5"
    fx.run_cpcsim(binary, ["compare", TWO_AREA, TWO_AREA, "-r", "8", "-o", plain, "-q", "-t", "2", *fx.FAST,
                           "--set", "network.coordinator_wte=0"])
    with h5py.File(plain, "r") as f, h5py.File(drawn_compare, "r") as g:
        names = [n.decode() for n in f["/arms/A/labels/summary_measures"][()]]
        i = names.index("unplanned_admissions_per_year")
        sd_plain = np.std(f["/arms/A/runs/summary"][:, i], ddof=1)
        sd_drawn = np.std(g["/arms/A/runs/summary"][:, i], ddof=1)
    assert sd_drawn >= sd_plain


def test_report_has_the_uncertainty_section(drawn_network_compare, tmp_path):
    from analysis.report import build_report, likelihood_words
    rep = build_report(str(drawn_network_compare))
    assert "How sure are we: parameter uncertainty" in rep.html
    assert "Is B better?" in rep.html and "Noise share" in rep.html
    assert likelihood_words(0.5) == "about as likely as not" and likelihood_words(0.95) == "very likely"


def test_plain_report_has_no_uncertainty_section(compare_file):
    from analysis.report import build_report
    assert "How sure are we" not in build_report(str(compare_file)).html


def test_priors_with_a_calibrated_ensemble(binary, sim_dir):
    """--uncertainty prior --ensemble: the draws table holds the prior columns and then the
    ensemble's, each replicate pair's ensemble values are a set of the file, and the analysis
    names the ensemble as the source of the calibrated inputs."""
    import h5py

    ensemble = fx.SOURCE_DIR / "scenarios" / "yorkshire-humber" / "ensemble.h5"
    out = sim_dir / "compare-prior-ensemble.h5"
    fx.run_cpcsim(binary, ["compare", TWO_AREA, TWO_AREA, "-r", "4", "-o", out, "-q", "-t", "2", *fx.FAST,
                           "--uncertainty", "prior", "--ensemble", ensemble])
    draws, per_draw = unc.read_draws(out)
    with h5py.File(ensemble, "r") as f:
        columns = [c.decode() if isinstance(c, bytes) else str(c) for c in f["parameters"][()]]
        sets = np.asarray(f["values"][()], dtype=float).reshape(-1, len(columns))
    assert list(draws.columns[-len(columns):]) == columns
    assert len(draws.columns) > len(columns)  # prior columns too
    for name in columns:
        assert list(draws.columns).count(name) == 1  # not also drawn from its prior
    for _, row in draws.iterrows():
        values = row[columns].to_numpy(float)
        assert np.any(np.all(np.isclose(sets, values, rtol=0, atol=0), axis=1))
    assert per_draw == 2
    assert unc.ensemble_sources(out) and unc.ensemble_sources(out)[0].startswith("calibrated ensemble")
    assert unc.ensemble_sources(out, "/arms/B/uncertainty") == unc.ensemble_sources(out)
