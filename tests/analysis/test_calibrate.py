"""History matching (analysis.calibrate) on problems with known answers: no simulator runs."""
from __future__ import annotations

import math

import h5py
import numpy as np
import pandas as pd
import pytest

from analysis.calibrate import (Emulator, Space, active_inputs, combine, history_match, implausibility,
                                maximin_subset, write_ensemble)


def test_implausibility_arithmetic():
    # |10 - 7| / sqrt(1 + 2^2 + 1^2 + 3) = 3 / 3 = 1; with no uncertainty at all, any distance is infinite.
    assert implausibility(10.0, 7.0, 2.0, 1.0, run_var=1.0, em_var=3.0) == pytest.approx(1.0)
    assert implausibility(4.0, 7.0, 0.6, 0.8) == pytest.approx(3.0)
    assert implausibility(7.0, 7.0, 0.0, 0.0) == 0.0
    assert math.isinf(implausibility(7.5, 7.0, 0.0, 0.0))
    i = np.array([[0.5, 4.0, 2.0], [1.0, 2.9, 3.5], [0.1, 0.2, 0.3]])
    assert combine(i, "max").tolist() == [4.0, 3.5, 0.3]
    assert combine(i, "second").tolist() == [2.0, 2.9, 0.2]
    with pytest.raises(ValueError):
        combine(i, "third")


def smooth(x):
    return np.sin(3 * x[:, 0]) + 2 * x[:, 1] ** 2 - x[:, 0] * x[:, 1]


def test_emulator_recovers_a_smooth_function_with_calibrated_loo():
    from scipy.stats import qmc
    rng = np.random.default_rng(5)
    x = qmc.LatinHypercube(2, seed=rng).random(40)
    noise_sd = 0.05
    y = smooth(x) + rng.normal(0, noise_sd, len(x))
    em = Emulator(x, y, noise_sd ** 2, seed=1)
    test = qmc.LatinHypercube(2, seed=rng).random(200)
    mean, sd = em.predict(test)
    truth = smooth(test)
    # Accurate against the function's range (about 3), and honest: errors within 3 sd.
    assert np.sqrt(np.mean((mean - truth) ** 2)) < 0.08
    assert np.mean(np.abs(mean - truth) <= 3 * np.sqrt(sd ** 2 + 1e-6)) > 0.95
    loo = em.loo()
    z = loo["z"].to_numpy()
    assert np.mean(np.abs(z) <= 2) >= 0.85
    assert 0.4 < np.mean(z ** 2) < 2.0
    # The closed form equals refitting without the point (hyperparameters fixed) for one point.
    from sklearn.gaussian_process import GaussianProcessRegressor
    gp = GaussianProcessRegressor(kernel=em.gp.kernel_, alpha=em.gp.alpha[1:], optimizer=None, normalize_y=False)
    yn = (y - em.gp._y_train_mean) / em.gp._y_train_std
    gp.fit(x[1:], yn[1:])
    m0, s0 = gp.predict(x[:1], return_std=True)
    assert loo["loo_mean"][0] == pytest.approx(m0[0] * em.gp._y_train_std + em.gp._y_train_mean, rel=1e-6, abs=1e-9)
    assert loo["loo_sd"][0] == pytest.approx(math.sqrt(s0[0] ** 2 + em.gp.alpha[0]) * em.gp._y_train_std, rel=1e-5)


def test_active_inputs_and_an_emulator_on_them():
    """Of 30 inputs a target depends on three (one only through its square): the screen finds
    those, and the emulator on them predicts with the rest left to its white-noise term."""
    rng = np.random.default_rng(2)
    x = rng.random((120, 30))
    f = lambda x: 3 * x[:, 4] + 2 * (x[:, 17] - 0.5) ** 2 * 8 + np.sin(4 * x[:, 25])  # noqa: E731
    y = f(x) + 0.05 * x[:, 0] + rng.normal(0, 0.02, len(x))
    chosen, r2 = active_inputs(x, y, 6)
    assert {4, 17, 25} <= set(chosen[:3]) and r2 > 0.95
    em = Emulator(x, y, 0.02 ** 2, seed=1, active=chosen)
    assert em.screened and list(em.active) == sorted(chosen)
    test = rng.random((300, 30))
    mean, sd = em.predict(test)
    assert np.sqrt(np.mean((mean - f(test)) ** 2)) < 0.1
    ls = em.length_scales()
    assert np.isinf(ls[[i for i in range(30) if i not in chosen]]).all()
    z = em.loo()["z"].to_numpy()
    assert np.mean(np.abs(z) <= 2) >= 0.85
    # Fewer points than three per regression term: fewer inputs.
    assert len(active_inputs(x[:13], y[:13], 6)[0]) <= 2


def test_maximin_subset_spreads_points():
    rng = np.random.default_rng(1)
    pts = rng.random((2000, 2))
    idx = maximin_subset(pts, 20, rng)
    assert len(set(idx.tolist())) == 20
    chosen = pts[idx]
    d = np.linalg.norm(chosen[:, None] - chosen[None], axis=2) + np.eye(20) * 9
    rand = pts[:20]
    dr = np.linalg.norm(rand[:, None] - rand[None], axis=2) + np.eye(20) * 9
    assert d.min() > 2 * dr.min()


def synthetic(truth=(0.3, 0.7)):
    """Two parameters in [0, 1], two targets observed at the truth: f1 = x1 + noise, f2 = x1 + x2^2."""
    space = Space(["a", "b"], np.array([0.0, 0.0]), np.array([1.0, 1.0]))
    targets = [
        {"name": "f1", "observed": truth[0], "observation_sd": 0.02, "discrepancy_sd": 0.01},
        {"name": "f2", "observed": truth[0] + truth[1] ** 2, "observation_sd": 0.02, "discrepancy_sd": 0.01},
    ]
    rng = np.random.default_rng(3)
    calls = []

    def simulate(wave, x):
        reps = 3
        f1 = x[:, 0][:, None] + rng.normal(0, 0.01, (len(x), reps))
        f2 = (x[:, 0] + x[:, 1] ** 2)[:, None] + rng.normal(0, 0.01, (len(x), reps))
        calls.append(len(x))
        means = pd.DataFrame({"f1": f1.mean(axis=1), "f2": f2.mean(axis=1)})
        return means, {"f1": float(f1.var(axis=1, ddof=1).mean()), "f2": float(f2.var(axis=1, ddof=1).mean())}, reps

    return space, targets, simulate, calls


def test_nonimplausible_space_shrinks_to_the_known_answer():
    space, targets, simulate, calls = synthetic()
    r = history_match(simulate, space, targets, waves=3, points=25, seed=7, sample=2 ** 13, log=lambda *_: None)
    share = r["volume"]["nonimplausible_share"].to_numpy()
    assert len(share) == 3 and calls == [25, 25, 25]
    assert share[0] < 0.5 and np.all(np.diff(share) <= 1e-12)
    # The exact non-implausible set: |a - 0.3| <= 3 s1 and |a + b^2 - 0.79| <= 3 s2 (no emulator
    # variance): the final share is close to it from above (emulators only add variance).
    u = r["box_sample"]
    s = math.sqrt(0.02 ** 2 + 0.01 ** 2 + 0.01 ** 2)
    exact = (np.abs(u[:, 0] - 0.3) <= 3 * s) & (np.abs(u[:, 0] + u[:, 1] ** 2 - 0.79) <= 3 * s)
    assert exact.mean() <= share[-1] + 0.005
    assert share[-1] < 2.0 * exact.mean()
    # The kept region contains the truth and nothing far from it.
    final = u[r["masks"][-1]]
    assert np.all(np.abs(final[:, 0] - 0.3) < 0.12)
    assert len(r["members"]) > 10 and all(m["implausibility"] <= 3.0 for m in r["members"])
    assert all(abs(m["x"][0] - 0.3) < 0.12 for m in r["members"])
    # f1 pins a (its constraint on a is strong, on b nil); f2 alone leaves a ridge.
    c = r["constraints"].set_index("target")
    assert c.loc["f1", "a"] > 0.7 and abs(c.loc["f1", "b"]) < 0.1


def test_random_later_waves_sample_the_kept_region_uniformly():
    """With later_design = "random" the later waves' designs are uniform draws from the kept
    sample, so the ensemble is a sample from the prior restricted to what is kept."""
    space, targets, simulate, calls = synthetic()
    r = history_match(simulate, space, targets, waves=2, points=40, seed=3, sample=2 ** 13,
                      later_design="random", log=lambda *_: None)
    d2 = r["waves"][1].design
    kept1 = r["box_sample"][r["masks"][0]]
    assert all(any(np.array_equal(p, q) for q in kept1) for p in d2[:10])
    assert len({tuple(p) for p in d2}) == len(d2)


def test_ensemble_file_layout(tmp_path):
    space, targets, simulate, _ = synthetic()
    r = history_match(simulate, space, targets, waves=1, points=20, seed=7, sample=2 ** 12, log=lambda *_: None)
    write_ensemble(tmp_path / "e.h5", r, {"scenario": "x.toml"})
    with h5py.File(tmp_path / "e.h5", "r") as f:
        assert f.attrs["format"] == "cpcsim calibrated ensemble"
        assert [p.decode() if isinstance(p, bytes) else p for p in f["parameters"][()]] == ["a", "b"]
        v = f["values"][()]
        assert v.shape == (len(r["members"]), 2) and len(f["wave"]) == len(v)
        assert np.all(f["implausibility"][()] <= 3.0)
    assert not (tmp_path / "e.h5.tmp").exists()


def test_cpcsim_calibrate_end_to_end_and_the_ensemble_in_a_run(binary, tmp_path):
    """`cpcsim calibrate` on short runs: the waves run through `cpcsim sweep` (each wave a sweep
    file), the ensemble it writes drives `cpcsim run --uncertainty`, whose draws table holds set
    k mod N for draw k; a rerun resumes (same design, no new runs) and gives the same ensemble."""
    import subprocess

    out = tmp_path / "calib"
    # A wide cut-off: one-year runs at six random points of the prior space seldom meet every
    # target at 3 sds, and this test is of the plumbing, not of the calibration's answer.
    cmd = [str(binary), "calibrate", "--out", str(out), "--waves", "2", "--points", "6", "--replicates", "2",
           "--cutoff", "8", "--set", "run.years=1", "--set", "run.warmup_years=1", "--threads", "2", "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for k in (1, 2):
        assert (out / f"wave{k}" / "sweep.toml").exists() and (out / f"wave{k}" / "runs.h5").exists()
    with h5py.File(out / "ensemble.h5", "r") as f:
        sets = f["values"][()]
        names = [p.decode() if isinstance(p, bytes) else p for p in f["parameters"][()]]
    # The default space: prior quantiles, every one in (0, 1), no screened (network or cost) input.
    assert all(n.startswith("prior_quantile.") for n in names) and len(sets) >= 1
    assert not any(n.startswith(("prior_quantile.network.", "prior_quantile.cost.")) for n in names)
    assert np.all((sets > 0) & (sets < 1))
    diag = pd.read_csv(out / "emulator_diagnostics.csv")
    assert set(diag["wave"]) == {1, 2}
    first = (out / "ensemble.h5").read_bytes()
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    with h5py.File(out / "ensemble.h5", "r") as f:
        assert np.array_equal(f["values"][()], sets)
    assert len(first) > 0
    # The ensemble in a comparison: both arms use set (r // 2) mod N.
    scen = fx_scenarios()
    cmp = tmp_path / "cmp.h5"
    done = subprocess.run([str(binary), "compare", str(scen / "no-network.toml"), str(scen / "full-network.toml"),
                           "-r", "4", "--uncertainty", str(out / "ensemble.h5"), "--set", "run.years=1",
                           "--set", "run.warmup_years=1", "-o", str(cmp), "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with h5py.File(cmp, "r") as f:
        for arm in ("A", "B"):
            draws = f[f"arms/{arm}/uncertainty/draws"][()]
            for r in range(4):
                assert np.array_equal(draws[r], sets[(r // 2) % len(sets)])
    # A file that is not an ensemble is refused, naming it.
    bad = subprocess.run([str(binary), "run", str(scen / "no-network.toml"), "-r", "1", "--uncertainty", str(cmp),
                          "-o", str(tmp_path / "x.h5")], capture_output=True, text=True)
    assert bad.returncode != 0 and "cmp.h5" in bad.stderr and "not an ensemble" in bad.stderr
    assert not (tmp_path / "x.h5").exists()


def fx_scenarios():
    import cpcsim_fixtures as fx
    return fx.SCENARIOS
