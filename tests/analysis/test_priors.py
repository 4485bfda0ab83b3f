"""The prior space of history matching (analysis.priors): the quantile map of each prior family,
the Dirichlet transform, agreement with the simulator's own inverse CDFs, and the screening."""
from __future__ import annotations

import subprocess

import numpy as np
import pytest

import cpcsim_fixtures as fx
from analysis.priors import Prior, PriorSpace, dirichlet_shares, prior_ppf, read_priors, SCREENED

U = (np.arange(200000) + 0.5) / 200000  # a fine grid of quantiles: E over it is the prior's mean


def prior(family, a, b=0.0, c=0.0, lower=None, upper=None, applies="value"):
    return Prior("x", family, applies, a, b, c, lower, upper, -1, [], 1, [1.0], "")


@pytest.mark.parametrize("p, mean, sd", [
    (prior("beta", 0.25, 0.08), 0.25, 0.08),
    (prior("gamma", 35, 12), 35, 12),
    (prior("gamma", 0.6, 0.25), 0.6, 0.25),
    (prior("uniform", -1, 1), 0.0, 2 / np.sqrt(12)),
    (prior("triangular", 4, 7, 10), 7.0, np.sqrt((16 + 49 + 100 - 28 - 40 - 70) / 18)),
    (prior("triangular", 0, 0, 1), 1 / 3, np.sqrt(1 / 18)),
    (prior("lognormal", 1, 0.3), np.exp(0.045), np.sqrt((np.exp(0.09) - 1) * np.exp(0.09))),
])
def test_quantile_map_reproduces_each_prior_mean_and_sd(p, mean, sd):
    x = prior_ppf(p, U)
    assert np.mean(x) == pytest.approx(mean, rel=2e-3, abs=1e-4)
    assert np.std(x) == pytest.approx(sd, rel=5e-3)


def test_quantile_map_hits_named_quantiles_and_truncation():
    # Lognormal: the median at u = 0.5; the 97.5% quantile at median * exp(1.96 sigma).
    p = prior("lognormal", 60, 0.5)
    assert prior_ppf(p, 0.5) == pytest.approx(60)
    assert prior_ppf(p, 0.975) == pytest.approx(60 * np.exp(0.5 * 1.959964), rel=1e-6)
    # Truncated to [1, 1.4]: every quantile inside, the ends at u -> 0 and 1, and the median is
    # the untruncated distribution's quantile at the middle of the kept probability.
    t = prior("lognormal", 1.15, 0.06, lower=1.0, upper=1.4)
    x = prior_ppf(t, U)
    assert x.min() >= 1.0 and x.max() <= 1.4
    assert prior_ppf(t, 1e-12) == pytest.approx(1.0, abs=1e-6)
    from scipy import stats
    lo, hi = stats.norm.cdf(np.log(1.0 / 1.15) / 0.06), stats.norm.cdf(np.log(1.4 / 1.15) / 0.06)
    assert prior_ppf(t, 0.5) == pytest.approx(1.15 * np.exp(0.06 * stats.norm.ppf((lo + hi) / 2)), rel=1e-9)
    # Triangular mode: the CDF at the mode is (mode - min) / (max - min).
    assert prior_ppf(prior("triangular", 4, 7, 10), 0.5) == pytest.approx(7.0)


def test_dirichlet_transform_sums_to_one_with_the_dirichlet_mean_and_variance():
    s = np.array([0.5, 0.3, 0.2, 0.0])
    c = 20.0
    rng = np.random.default_rng(4)
    u = rng.random((40000, 4))
    w = dirichlet_shares(c, s, u)
    assert np.allclose(w.sum(axis=1), 1.0, atol=1e-12)
    assert np.all(w[:, 3] == 0) and np.all(w[:, :3] > 0)
    assert w.mean(axis=0) == pytest.approx(s, abs=0.005)
    # Dirichlet variance of share p: p (1 - p) / (c + 1).
    assert w.var(axis=0)[:3] == pytest.approx(s[:3] * (1 - s[:3]) / (c + 1), rel=0.05)
    # Monotone in its own quantile: a larger u_j gives a larger share j, the others fixed.
    lo, hi = dirichlet_shares(c, s, [0.2, 0.5, 0.5, 0.5]), dirichlet_shares(c, s, [0.8, 0.5, 0.5, 0.5])
    assert hi[0] > lo[0] and hi[1] < lo[1]


def test_python_and_simulator_inverse_cdfs_agree(binary):
    """The report's values (SciPy) and the runs' (sim/scenario/uncertainty.cpp) at 5%, 50%, 95%."""
    priors = read_priors(str(binary), fx.SCENARIOS / "no-network.toml")
    scalars = [p for p in priors if p.family != "dirichlet"]
    assert len(scalars) > 40 and any(p.family == "dirichlet" for p in priors)
    for p in scalars:
        assert prior_ppf(p, [0.05, 0.5, 0.95]) == pytest.approx(p.q05_50_95, rel=1e-6, abs=1e-9), p.key
    space = PriorSpace(priors)
    assert space.dim > len(space.priors) and {p.key.split(".")[0] for p in space.screened} <= {"network", "cost"}
    assert not any(n.startswith("prior_quantile.network.") for n in space.names)
    # natural() maps the centre of the cube to each scalar prior's median and Dirichlet shares summing to 1.
    nat = space.natural(np.full((1, space.dim), 0.5))[0]
    for k, p in enumerate(space.priors):
        cols = [i for i, n in enumerate(space.names) if n == f"prior_quantile.{p.key}" or
                n.startswith(f"prior_quantile.{p.key}.")]
        if p.family == "dirichlet":
            assert nat[cols].sum() == pytest.approx(1.0)
        else:
            assert nat[cols[0]] == pytest.approx(p.q05_50_95[1], rel=1e-6, abs=1e-9)


def _targets_at(binary, tmp_path, name, u):
    from analysis import open_results
    from analysis.targets import load_targets, target_values

    priors = read_priors(str(binary), fx.SCENARIOS / "no-network.toml")
    sets = []
    for p in priors:
        if not any(p.key.startswith(prefix) for prefix, _ in SCREENED):
            continue
        keys = [f"prior_quantile.{p.key}.{c}" for c in p.columns] if p.family == "dirichlet" else \
            [f"prior_quantile.{p.key}"]
        sets += [x for k in keys for x in ("--set", f"{k}={u}")]
    out = tmp_path / f"{name}.h5"
    fx.run_cpcsim(binary, ["run", str(fx.SCENARIOS / "no-network.toml"), "-r", "1", "--set", "run.years=1",
                           "--set", "run.warmup_years=1", *sets, "-o", str(out), "-q"])
    targets = load_targets(fx.SCENARIOS / "targets.toml")
    names = [t["name"] for t in targets if "observed" in t]
    with open_results(out) as res:
        return target_values(res, targets)[names], len(sets) // 2


def test_screened_inputs_do_not_move_targets(binary, tmp_path):
    """Every screened prior at its 1% and then its 99% quantile: every target identical."""
    low, n = _targets_at(binary, tmp_path, "low", 0.01)
    high, _ = _targets_at(binary, tmp_path, "high", 0.99)
    assert n > 20
    cols = list(low.columns)
    assert len(cols) >= 17
    a, b = low[cols].to_numpy(dtype=float), high[cols].to_numpy(dtype=float)
    assert np.all(np.isfinite(a)) and np.array_equal(a, b), dict(zip(cols, zip(a[0], b[0])))


def test_a_prior_quantile_override_is_checked(binary, tmp_path):
    scen = str(fx.SCENARIOS / "no-network.toml")
    for bad, says in [("prior_quantile.phase.unstable_mean_days=1.5", "strictly between 0 and 1"),
                      ("prior_quantile.no.such_key=0.5", "unknown parameter"),
                      ("prior_quantile.population.diagnosis_shares=0.5", "one quantile per column"),
                      ("prior_quantile.network.coordinator_wte=0.5", "has no prior")]:
        r = subprocess.run([str(binary), "params", "--priors", scen, "--set", bad], capture_output=True, text=True)
        assert r.returncode != 0 and says in r.stderr, (bad, r.stderr)
    # A realised prior is fixed: it leaves the prior space.
    ok = read_priors(str(binary), scen, ["prior_quantile.phase.unstable_mean_days=0.3"])
    assert "phase.unstable_mean_days" not in [p.key for p in ok]
