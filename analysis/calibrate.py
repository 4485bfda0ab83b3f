"""History matching in waves (docs/calibration.md, "History matching"): the calibrated ensemble.

    /usr/bin/python3 -m analysis.calibrate --out calib/            # 3 waves, defaults below
    cpcsim calibrate --out calib/                                   # the same, through the simulator

The space searched is the unit cube of prior quantiles of every uncertain input that can move a
target (`--space prior`, the default; analysis/priors.py), or the box of a sweep file's
[design.ranges] (`--space box` or `--space FILE`). Per wave k:

1. a space-filling design of `--points` inputs: wave 1 a Latin hypercube of the space
   (scipy.stats.qmc); later waves drawn from a scrambled Sobol sample of the space, kept only
   where every earlier wave's emulators find it non-implausible (uniformly at random in the prior
   space, so the ensemble is prior-weighted; a maximin subset in a box);
2. the runs, through the sweep machinery: the design is written as a sweep file
   (`waveK/sweep.toml`, a `variants` design) and run with `cpcsim sweep run --resume`, so a
   killed calibration resumes where it stopped, and `--runner "mpirun -np 8"` (or running the
   written sweep files on Slurm, then calling this again) spreads the runs;
3. one Gaussian-process emulator per target (scikit-learn, ARD squared-exponential kernel on the
   target's active inputs, chosen by a regression screen when the space has more than
   `--active`, plus white noise for the rest; fitted to the replicate means with the run-to-run
   variance of a mean as a known nugget), with leave-one-out diagnostics (closed form,
   hyperparameters fixed);
4. the implausibility of a candidate x for target t,
       I_t(x) = |E[f_t(x)] - z_t| / sqrt(Var_em,t(x) + obs_sd_t^2 + disc_sd_t^2 + run_var_t),
   where run_var_t is the variance of one run's value (pooled over the wave's points: the world
   observed is one realisation); x is non-implausible when max_t I_t(x) <= 3 (`--rule max`,
   the default) or the second largest is (`--rule second`);
5. the non-implausible volume: the share of a fixed Sobol sample of the whole box that every
   wave so far keeps.

The ensemble (`ensemble.h5`, read by `cpcsim run/compare --uncertainty ENSEMBLE.h5`) holds the
design points of every wave whose own runs pass the same rule (their simulated means in place of
the emulator, no emulator variance) and that every wave's emulators keep.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import subprocess
import sys
import time
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["CUTOFF", "Space", "Emulator", "implausibility", "combine", "read_space", "maximin_subset",
           "history_match", "write_ensemble", "ENSEMBLE_FORMAT", "main"]

CUTOFF = 3.0
ENSEMBLE_FORMAT = "cpcsim calibrated ensemble"
ENSEMBLE_VERSION = 1
ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------------------------
# The arithmetic

def implausibility(mean, observed, obs_sd, disc_sd, run_var=0.0, em_var=0.0):
    """I = |mean - observed| / sqrt(em_var + obs_sd^2 + disc_sd^2 + run_var), element-wise."""
    mean = np.asarray(mean, dtype=float)
    total = np.asarray(em_var, dtype=float) + obs_sd ** 2 + disc_sd ** 2 + np.asarray(run_var, dtype=float)
    dist = np.abs(mean - observed)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(total > 0, dist / np.sqrt(np.maximum(total, 0)), np.where(dist > 0, np.inf, 0.0))
    return out


def combine(impl: np.ndarray, rule: str = "max") -> np.ndarray:
    """One implausibility per row of an (n, targets) array: the largest ("max") or the second
    largest ("second", which lets one target's emulator be wrong without ruling a point out)."""
    impl = np.atleast_2d(np.asarray(impl, dtype=float))
    if rule == "max" or impl.shape[1] < 2:
        return impl.max(axis=1)
    if rule == "second":
        return np.sort(impl, axis=1)[:, -2]
    raise ValueError(f"rule must be 'max' or 'second', got {rule!r}")


@dataclass
class Space:
    """The box searched: one [lower, upper] range per parameter key (as a sweep's --set key)."""
    names: list[str]
    lower: np.ndarray
    upper: np.ndarray

    def to_unit(self, x):
        return (np.asarray(x, dtype=float) - self.lower) / (self.upper - self.lower)

    def from_unit(self, u):
        return self.lower + np.asarray(u, dtype=float) * (self.upper - self.lower)

    @property
    def dim(self) -> int:
        return len(self.names)


def read_space(path) -> tuple[Space, dict]:
    """The box of a sweep file's [design.ranges] and its [sweep] table (scenario resolved)."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise SystemExit(f"{path}: cannot read the space file: {e}")
    ranges = doc.get("design", {}).get("ranges")
    if not isinstance(ranges, dict) or not ranges:
        raise SystemExit(f"{path}: expected a [design.ranges] table of \"key\" = {{ min = a, max = b }}")
    names, lo, hi = [], [], []
    for key, r in ranges.items():
        if not (isinstance(r, dict) and "min" in r and "max" in r and float(r["min"]) < float(r["max"])):
            raise SystemExit(f"{path}: key design.ranges.{key}: expected {{ min = a, max = b }} with a < b")
        names.append(key)
        lo.append(float(r["min"]))
        hi.append(float(r["max"]))
    sweep = dict(doc.get("sweep", {}))
    if "scenario" not in sweep:
        raise SystemExit(f"{path}: key sweep.scenario: expected the base scenario")
    sweep["scenario"] = (path.parent / sweep["scenario"]).resolve()
    return Space(names, np.array(lo), np.array(hi)), sweep


# --------------------------------------------------------------------------------------------
# Emulators

class Emulator:
    """A Gaussian process of one target over the unit box: E[f(x)] and its sd (the uncertainty of
    the emulator, not of a run). `noise_var` is the variance of each training value (the run
    variance over the number of replicates averaged), a known nugget."""

    def __init__(self, x, y, noise_var, seed: int = 0, active=None):
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

        self.x_all = np.asarray(x, dtype=float)
        self.dim = self.x_all.shape[1]
        # The active inputs (Andrianakis et al. 2015): the GP sees only these; what the others do
        # is left to a fitted white-noise term, part of the emulator's variance.
        self.active = np.arange(self.dim) if active is None else np.asarray(sorted(active), dtype=int)
        self.screened = len(self.active) < self.dim
        self.x = self.x_all[:, self.active]
        self.y = np.asarray(y, dtype=float)
        d = self.x.shape[1]
        self.scale = float(self.y.std())
        self.centre = float(self.y.mean())
        self.gp = None
        self.noise_var = np.broadcast_to(np.asarray(noise_var, dtype=float), self.y.shape).copy()
        if not self.scale > 0 or len(self.y) < 3 or d == 0:
            return  # a constant: predicts its mean with zero emulator variance
        kernel = ConstantKernel(1.0, (1e-2, 1e2)) * RBF(np.full(d, 0.5), (0.03, 30.0))
        if self.screened:
            kernel = kernel + WhiteKernel(0.05, (1e-6, 1.0))
        alpha = self.noise_var / self.scale ** 2 + 1e-6
        self.gp = GaussianProcessRegressor(kernel=kernel, alpha=alpha, normalize_y=True,
                                           n_restarts_optimizer=2, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # bounds reached are reported by length_scales()
            self.gp.fit(self.x, self.y)

    def predict(self, x):
        """Emulator mean and sd at the rows of x (unit box, every input)."""
        x = np.atleast_2d(np.asarray(x, dtype=float))
        if self.gp is None:
            return np.full(len(x), self.centre), np.zeros(len(x))
        mean, sd = self.gp.predict(x[:, self.active], return_std=True)
        return mean, sd

    def inactive_sd(self) -> float:
        """The sd the white-noise term gives the inputs left out (0 when none is)."""
        if self.gp is None or not self.screened:
            return 0.0
        return float(np.sqrt(self.gp.kernel_.k2.noise_level) * self.gp._y_train_std)

    def length_scales(self) -> np.ndarray:
        out = np.full(self.dim, np.inf)
        if self.gp is not None:
            rbf = self.gp.kernel_.k1.k2 if self.screened else self.gp.kernel_.k2
            out[self.active] = np.atleast_1d(rbf.length_scale)
        return out

    def loo(self) -> pd.DataFrame:
        """Leave-one-out predictions of every training value (Rasmussen & Williams eq. 5.12, the
        fitted hyperparameters kept): mean, sd (including the training value's own noise) and the
        standardised error z = (y - mean) / sd, which should look standard normal."""
        if self.gp is None:
            return pd.DataFrame({"y": self.y, "loo_mean": self.centre, "loo_sd": np.sqrt(self.noise_var),
                                 "z": np.where(self.noise_var > 0, (self.y - self.centre) /
                                               np.sqrt(np.maximum(self.noise_var, 1e-300)), 0.0)})
        from scipy.linalg import cho_solve

        kinv = cho_solve((self.gp.L_, True), np.eye(len(self.y)))
        diag = np.diag(kinv)
        y_norm = (self.y - self.gp._y_train_mean) / self.gp._y_train_std
        mean_norm = y_norm - self.gp.alpha_.ravel() / diag
        mean = mean_norm * self.gp._y_train_std + self.gp._y_train_mean
        sd = np.sqrt(1.0 / diag) * self.gp._y_train_std
        return pd.DataFrame({"y": self.y, "loo_mean": mean, "loo_sd": sd, "z": (self.y - mean) / sd})


def active_inputs(x, y, most: int, min_gain: float = 0.01) -> tuple[list[int], float]:
    """The inputs a target depends on (Andrianakis et al. 2015, first screen): forward selection
    of inputs by least squares on a linear and a quadratic term each, adding the input that most
    reduces the residual sum of squares until `most` are in or the next adds less than `min_gain`
    to R^2. Returns the chosen column indices and the R^2 of the final regression."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = x.shape
    tss = float(np.sum((y - y.mean()) ** 2))
    most = min(most, (n - 1) // 6)  # at least three points per regression term
    if not tss > 0 or most <= 0:
        return [], 0.0
    chosen: list[int] = []
    base = np.ones((n, 1))
    r2 = 0.0
    while len(chosen) < min(most, d):
        best, best_rss = -1, np.inf
        for j in range(d):
            if j in chosen:
                continue
            xc = x[:, j] - 0.5
            a = np.column_stack([base, xc, xc ** 2])
            coef, *_ = np.linalg.lstsq(a, y, rcond=None)
            rss = float(np.sum((y - a @ coef) ** 2))
            if rss < best_rss:
                best, best_rss = j, rss
        gain = 1 - best_rss / tss - r2
        if chosen and gain < min_gain:
            break
        chosen.append(best)
        xc = x[:, best] - 0.5
        base = np.column_stack([base, xc, xc ** 2])
        r2 = 1 - best_rss / tss
    return chosen, r2


def maximin_subset(points: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of n rows of `points` chosen greedily to be far apart (each next point the one
    farthest from those chosen), starting at a random one: a space-filling design inside any
    shape a sample covers."""
    m = len(points)
    if m <= n:
        return np.arange(m)
    chosen = [int(rng.integers(m))]
    dist = np.linalg.norm(points - points[chosen[0]], axis=1)
    for _ in range(n - 1):
        nxt = int(np.argmax(dist))
        chosen.append(nxt)
        dist = np.minimum(dist, np.linalg.norm(points - points[nxt], axis=1))
    return np.array(chosen)


# --------------------------------------------------------------------------------------------
# The waves

@dataclass
class Wave:
    number: int
    design: np.ndarray            # unit box, (points, d)
    means: pd.DataFrame           # per point: target means
    run_var: dict                 # per target: pooled variance of one run
    replicates: int
    emulators: dict = field(default_factory=dict)


def targets_of(targets: list[dict]) -> list[dict]:
    """The measure and ratio targets (order targets are shapes, not emulated)."""
    return [t for t in targets if "observed" in t]


def emulator_implausibility(wave: Wave, targets: list[dict], u: np.ndarray) -> np.ndarray:
    """(n, targets) implausibility of unit-box rows u under one wave's emulators."""
    out = np.empty((len(u), len(targets)))
    for j, t in enumerate(targets):
        mean, sd = wave.emulators[t["name"]].predict(u)
        out[:, j] = implausibility(mean, t["observed"], t["observation_sd"], t["discrepancy_sd"],
                                   wave.run_var[t["name"]], sd ** 2)
    return out


def kept_by(waves: list[Wave], targets, u: np.ndarray, rule: str, cutoff: float) -> np.ndarray:
    """Boolean mask of the rows of u that every wave's emulators keep (evaluated in turn, each
    wave only where the earlier ones kept: a later wave's emulator is built for that region)."""
    keep = np.ones(len(u), dtype=bool)
    for w in waves:
        idx = np.flatnonzero(keep)
        if len(idx) == 0:
            break
        keep[idx] = combine(emulator_implausibility(w, targets, u[idx]), rule) <= cutoff
    return keep


def history_match(simulate, space: Space, targets: list[dict], *, waves: int = 3, points: int = 60,
                  seed: int = 1, rule: str = "max", cutoff: float = CUTOFF, sample: int = 2 ** 15,
                  active: int = 0, later_design: str = "maximin", log=print) -> dict:
    """Runs the waves. `simulate(wave, x)` runs the design x (rows in the space's units) and
    returns (per-point target means DataFrame, per-target pooled run variance, replicates).
    Returns waves, the volume sample and its mask per wave, tables and the ensemble.

    `active` > 0 emulates each target on at most that many inputs, chosen by active_inputs()
    (when the space has more). `later_design` chooses waves 2.. among the kept sample points:
    "maximin" (space-filling) or "random" (uniform: with a space of prior quantiles, a sample from
    the prior restricted to the non-implausible region, so the ensemble is prior-weighted)."""
    from scipy.stats import qmc

    targets = targets_of(targets)
    rng = np.random.default_rng([seed, 13])
    box_sample = qmc.Sobol(space.dim, scramble=True, seed=rng).random(sample)
    done: list[Wave] = []
    volume_rows, loo_rows, diag_rows, cons_rows, ruled_rows = [], [], [], [], []
    masks = []
    keep = np.ones(len(box_sample), dtype=bool)
    for k in range(1, waves + 1):
        wrng = np.random.default_rng([seed, k])
        if k == 1:
            design = qmc.LatinHypercube(space.dim, seed=wrng).random(points)
        else:
            candidates = box_sample[keep]
            if len(candidates) < points:
                # Too few kept sample points to choose from: sample the kept box more densely.
                lo, hi = candidates.min(axis=0), candidates.max(axis=0)
                extra = lo + qmc.Sobol(space.dim, scramble=True, seed=wrng).random(2 ** 14) * (hi - lo)
                candidates = np.vstack([candidates, extra[kept_by(done, targets, extra, rule, cutoff)]])
            if len(candidates) == 0:
                log(f"wave {k}: no non-implausible input left; stopping")
                break
            if later_design == "random":
                design = candidates[np.sort(wrng.choice(len(candidates), min(points, len(candidates)), replace=False))]
            else:
                design = candidates[maximin_subset(candidates, points, wrng)]
        t0 = time.time()
        means, run_var, reps = simulate(k, space.from_unit(design))
        log(f"wave {k}: {len(design)} points x {reps} replicates simulated in {time.time() - t0:.0f} s")
        wave = Wave(k, design, means, run_var, reps)
        for j, t in enumerate(targets):
            name = t["name"]
            act, r2 = (active_inputs(design, means[name].to_numpy(), active) if 0 < active < space.dim
                       else (list(range(space.dim)), math.nan))
            em = Emulator(design, means[name].to_numpy(), run_var[name] / reps, seed=seed + k, active=act)
            wave.emulators[name] = em
            loo = em.loo()
            loo.insert(0, "point", np.arange(len(loo)))
            loo.insert(0, "target", name)
            loo.insert(0, "wave", k)
            loo_rows.append(loo)
            z = loo["z"].to_numpy()
            ls = em.length_scales()
            diag_rows.append({"wave": k, "target": name, "share_abs_z_le_2": float(np.mean(np.abs(z) <= 2)),
                              "mean_z2": float(np.mean(z ** 2)), "max_abs_z": float(np.max(np.abs(z))),
                              "range_of_means": float(np.ptp(means[name])),
                              "emulator_sd_mean": float(np.mean(em.predict(design)[1])),
                              "active_inputs": "; ".join(f"{space_label(space, i)} ({ls[i]:.2g})" for i in em.active)
                              if em.screened else "all", "screen_r2": r2, "inactive_sd": em.inactive_sd(),
                              **({f"length_scale[{p}]": float(v) for p, v in zip(space.names, ls)}
                                 if not em.screened else {})})
        # Where the wave's input space was (the earlier waves' non-implausible region), what
        # each target rules out on its own, and what the wave keeps.
        region = np.flatnonzero(keep)
        impl = emulator_implausibility(wave, targets, box_sample[region])
        for j, t in enumerate(targets):
            ruled_rows.append({"wave": k, "target": t["name"], "share_ruled_out": float(np.mean(impl[:, j] > cutoff))})
        new_keep = np.zeros_like(keep)
        new_keep[region] = combine(impl, rule) <= cutoff
        keep = new_keep
        masks.append(keep.copy())
        done.append(wave)
        kept = box_sample[keep]
        volume_rows.append({"wave": k, "points": len(design), "replicates": reps,
                            "nonimplausible_share": float(keep.mean()), "sample": len(box_sample),
                            **{f"{p} low": float(space.from_unit(kept.min(axis=0))[i]) if len(kept) else math.nan
                               for i, p in enumerate(space.names)},
                            **{f"{p} high": float(space.from_unit(kept.max(axis=0))[i]) if len(kept) else math.nan
                               for i, p in enumerate(space.names)}})
        log(f"wave {k}: non-implausible share of the box {keep.mean():.4f} ({keep.sum()} of {len(keep)})")
        if k == 1:
            # Which targets constrain which parameters: on the whole box (wave 1's emulators are
            # the ones built for it), how much each target alone narrows each parameter (1 - sd
            # of the kept values / sd of all), and the share of the box it rules out.
            sd_all = box_sample.std(axis=0)
            for j, t in enumerate(targets):
                kept_t = impl[:, j] <= cutoff
                row = {"target": t["name"], "share_ruled_out": float(1 - kept_t.mean())}
                for i, p in enumerate(space.names):
                    # Clipped at 0 and rounded: a target that keeps everything shows 0, not -1e-15.
                    row[p] = round(max(0.0, float(1 - box_sample[kept_t, i].std() / sd_all[i])), 3) \
                        if kept_t.sum() > 1 else 1.0
                cons_rows.append(row)
        if not keep.any():
            log(f"wave {k}: the whole box is implausible; stopping")
            break
    # The ensemble: run design points that pass on their own runs and that every wave keeps.
    members = []
    for w in done:
        impl = np.column_stack([
            implausibility(w.means[t["name"]].to_numpy(), t["observed"], t["observation_sd"], t["discrepancy_sd"],
                           w.run_var[t["name"]]) for t in targets])
        comb = combine(impl, rule)
        ok = (comb <= cutoff) & kept_by(done, targets, w.design, rule, cutoff)
        for i in np.flatnonzero(ok):
            members.append({"wave": w.number, "point": int(i), "x": space.from_unit(w.design[i]),
                            "implausibility": float(comb[i]), "target_implausibility": impl[i]})
    # In a seeded random order, so that the first k sets (a run with few draws uses only those)
    # are a random subsample of the ensemble, not the first wave's.
    members = [members[i] for i in ensemble_order(len(members), seed)]
    return {"waves": done, "targets": targets, "space": space, "rule": rule, "cutoff": cutoff,
            "box_sample": box_sample, "masks": masks, "members": members,
            "volume": pd.DataFrame(volume_rows), "loo": pd.concat(loo_rows, ignore_index=True) if loo_rows else None,
            "diagnostics": pd.DataFrame(diag_rows), "constraints": pd.DataFrame(cons_rows),
            "ruled_out": pd.DataFrame(ruled_rows)}


def space_label(space, i: int) -> str:
    """A readable name of input i (a prior space's draw-column label, else the key)."""
    return space.labels[i] if hasattr(space, "labels") else space.names[i]


def ensemble_order(n: int, seed: int) -> np.ndarray:
    """The order of the ensemble's n sets: a permutation keyed by the seed."""
    return np.random.default_rng([seed, 99]).permutation(n)


# --------------------------------------------------------------------------------------------
# Running the waves through `cpcsim sweep`

def _toml_key(key: str) -> str:
    return json.dumps(key)


def write_wave_sweep(path: Path, space: Space, x: np.ndarray, scenario: Path, replicates: int, seed: int,
                     wave: int, base_set: list[str] = ()) -> None:
    """The design as a sweep file (a `variants` design, one variant per point); `base_set` holds
    overrides of every point as "key=value" (the value as TOML text)."""
    rel = os.path.relpath(scenario, path.parent)
    lines = ["# History matching wave %d (written by analysis.calibrate; docs/calibration.md)." % wave,
             "[sweep]", f'name = "history matching wave {wave}"', f"scenario = {json.dumps(rel)}",
             f"replicates = {replicates}", f"seed = {seed}", 'store = "summary"']
    if base_set:
        pairs = [kv.split("=", 1) for kv in base_set]
        lines.append("set = { " + ", ".join(f"{_toml_key(k.strip())} = {v.strip()}" for k, v in pairs) + " }")
    lines += ["", "[design]", 'type = "variants"']
    for i, row in enumerate(x):
        sets = ", ".join(f"{_toml_key(k)} = {float(v)!r}" for k, v in zip(space.names, row))
        lines += ["", "[[design.variant]]", f'name = "w{wave}p{i}"', f"set = {{ {sets} }}"]
    text = "\n".join(lines) + "\n"
    if path.exists() and path.read_text() == text:
        return
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def sweep_simulator(binary: str, out: Path, space: Space, scenario: Path, targets: list[dict], replicates: int,
                    seed: int, threads: int, runner: str = "", quiet: bool = False, base_set=()):
    """The `simulate` of history_match: writes waveK/sweep.toml, runs it with `cpcsim sweep run
    --resume` and reads the target values of every run."""
    from analysis import open_results
    from analysis.targets import target_values

    def simulate(wave: int, x: np.ndarray):
        d = out / f"wave{wave}"
        d.mkdir(parents=True, exist_ok=True)
        sweep = d / "sweep.toml"
        write_wave_sweep(sweep, space, x, scenario, replicates, seed, wave, base_set)
        results = d / "runs.h5"
        cmd = shlex.split(runner) + [binary, "sweep", "run", str(sweep), "--out", str(results), "--resume",
                                     "--threads", str(threads)] + (["--quiet"] if quiet else [])
        rc = subprocess.run(cmd).returncode
        if rc != 0:
            raise SystemExit(f"{sweep}: `{' '.join(cmd)}` failed with status {rc}")
        with open_results(results) as res:
            values = target_values(res, targets)
        names = [t["name"] for t in targets_of(targets)]
        means = values.groupby("point")[names].mean().sort_index().reset_index(drop=True)
        if len(means) != len(x):
            raise SystemExit(f"{results}: holds {len(means)} design points, expected {len(x)}")
        var = values.groupby("point")[names].var(ddof=1).mean()
        return means, {n: float(var[n]) if np.isfinite(var[n]) else 0.0 for n in names}, replicates

    return simulate


# --------------------------------------------------------------------------------------------
# Outputs

def write_ensemble(path, result: dict, attrs: dict) -> None:
    """The ensemble file `cpcsim run/compare --uncertainty FILE` reads (docs/hdf5-schema.md)."""
    import h5py

    space, targets, members = result["space"], result["targets"], result["members"]
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with h5py.File(tmp, "w") as f:
        f.attrs["format"] = ENSEMBLE_FORMAT
        f.attrs["format_version"] = ENSEMBLE_VERSION
        f.attrs["rule"] = result["rule"]
        f.attrs["cutoff"] = result["cutoff"]
        for k, v in attrs.items():
            f.attrs[k] = v
        s = h5py.string_dtype()
        f.create_dataset("parameters", data=np.array(space.names, dtype=object), dtype=s)
        f.create_dataset("values", data=np.array([m["x"] for m in members], dtype=float).reshape(-1, space.dim))
        f.create_dataset("wave", data=np.array([m["wave"] for m in members], dtype=np.int32))
        f.create_dataset("point", data=np.array([m["point"] for m in members], dtype=np.int32))
        f.create_dataset("implausibility", data=np.array([m["implausibility"] for m in members], dtype=float))
        f.create_dataset("targets", data=np.array([t["name"] for t in targets], dtype=object), dtype=s)
        f.create_dataset("target_implausibility",
                         data=np.array([m["target_implausibility"] for m in members], dtype=float).reshape(
                             -1, len(targets)))
        f.create_dataset("lower", data=space.lower)
        f.create_dataset("upper", data=space.upper)
        v = result["volume"]
        f.create_dataset("volume/wave", data=v["wave"].to_numpy(np.int32))
        f.create_dataset("volume/nonimplausible_share", data=v["nonimplausible_share"].to_numpy(float))
    tmp.replace(path)


def write_figures(out: Path, result: dict) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    space, targets = result["space"], result["targets"]
    # Leave-one-out: predicted against simulated, per target, last wave.
    loo = result["loo"]
    last = loo["wave"].max()
    cols = 4
    rows = math.ceil(len(targets) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.8 * rows), squeeze=False)
    for ax, t in zip(axes.flat, targets):
        d = loo[(loo["wave"] == last) & (loo["target"] == t["name"])]
        ax.errorbar(d["y"], d["loo_mean"], yerr=2 * d["loo_sd"], fmt="o", ms=2, lw=0.5)
        lo, hi = min(d["y"].min(), d["loo_mean"].min()), max(d["y"].max(), d["loo_mean"].max())
        ax.plot([lo, hi], [lo, hi], "k-", lw=0.5)
        ax.set_title(t["name"], fontsize=8)
        ax.tick_params(labelsize=6)
    for ax in list(axes.flat)[len(targets):]:
        ax.axis("off")
    fig.suptitle(f"Leave-one-out emulator predictions (±2 sd) against simulated means, wave {last}")
    fig.tight_layout()
    fig.savefig(out / "loo.png", dpi=110)
    plt.close(fig)
    # Marginals of the non-implausible sample, per wave (the inputs most narrowed, at most 20).
    sample = result["box_sample"]
    shown = most_narrowed(result, 20)
    cols = 5
    rows = max(1, math.ceil(len(shown) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 2.4 * rows), squeeze=False)
    for ax, i in zip(axes.flat, shown):
        for k, m in enumerate(result["masks"], start=1):
            if m.any():
                ax.hist(space.from_unit(sample[m])[:, i], bins=20, range=(space.lower[i], space.upper[i]),
                        histtype="step", density=True, label=f"wave {k}")
        ax.set_title(space_label(space, i), fontsize=6)
        ax.tick_params(labelsize=6)
    if shown:
        axes.flat[0].legend(fontsize=6)
    for ax in list(axes.flat)[len(shown):]:
        ax.axis("off")
    unit = "prior quantile (the prior is flat, density 1)" if hasattr(space, "priors") else "the box"
    fig.suptitle(f"Non-implausible inputs after each wave (marginal densities over {unit}; the "
                 f"{len(shown)} most narrowed of {space.dim})", fontsize=9)
    fig.tight_layout()
    fig.savefig(out / "nonimplausible.png", dpi=110)
    plt.close(fig)
    # Which targets constrain which parameters (the inputs any target narrows, at most 25).
    c = result["constraints"].set_index("target")[space.names]
    cols_shown = [i for i in np.argsort(-c.max(axis=0).to_numpy(), kind="stable")[:25]]
    c = c.iloc[:, cols_shown]
    fig, ax = plt.subplots(figsize=(1.5 + 0.45 * len(cols_shown), 1.5 + 0.35 * len(c)))
    im = ax.imshow(c.to_numpy(), vmin=0, vmax=1, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(cols_shown)), [space_label(space, i) for i in cols_shown], rotation=60, ha="right",
                  fontsize=6)
    ax.set_yticks(range(len(c)), c.index, fontsize=7)
    fig.colorbar(im, label="1 - sd kept / sd of the space (wave 1, target alone)")
    fig.tight_layout()
    fig.savefig(out / "constraints.png", dpi=110)
    plt.close(fig)


def narrowing(result: dict) -> np.ndarray:
    """Per input, 1 - sd of the last wave's non-implausible sample / sd of the whole sample."""
    sample, m = result["box_sample"], result["masks"][-1] if result["masks"] else None
    if m is None or m.sum() < 2:
        return np.zeros(sample.shape[1])
    return np.clip(1 - sample[m].std(axis=0) / sample.std(axis=0), 0, 1)


def most_narrowed(result: dict, n: int) -> list[int]:
    return [int(i) for i in np.argsort(-narrowing(result), kind="stable")[:n]]


def _md_table(df: pd.DataFrame, digits: int = 3) -> str:
    def fmt(v):
        if isinstance(v, float):
            return "n/a" if not np.isfinite(v) else f"{v:.{digits}g}"
        return str(v)
    lines = ["| " + " | ".join(map(str, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def write_report(out: Path, result: dict, command: str, seconds: float) -> str:
    space = result["space"]
    prior = hasattr(space, "priors")
    vol = result["volume"][["wave", "points", "replicates", "nonimplausible_share"]]
    diag_cols = ["wave", "target", "share_abs_z_le_2", "mean_z2", "max_abs_z", "range_of_means", "emulator_sd_mean"]
    if "active_inputs" in result["diagnostics"]:
        diag_cols += ["screen_r2", "inactive_sd", "active_inputs"]
    diag = result["diagnostics"][diag_cols]
    # Which targets narrow which inputs: the three each narrows most.
    cons = result["constraints"]
    rows = []
    for _, r in cons.iterrows():
        v = r[space.names].to_numpy(float)
        top = [i for i in np.argsort(-v, kind="stable")[:3] if v[i] >= 0.02]
        rows.append({"target": r["target"], "share ruled out": r["share_ruled_out"],
                     "inputs narrowed (1 - sd ratio)": "; ".join(f"{space_label(space, i)} ({v[i]:.2f})" for i in top)
                     or "none"})
    cons_t = pd.DataFrame(rows)
    members = result["members"]
    x = np.array([m["x"] for m in members]) if members else np.empty((0, space.dim))
    shown = most_narrowed(result, 25)
    nar = narrowing(result)
    if prior:
        # Quantiles of the drawn numbers over the Sobol sample of the prior and over its part the
        # last wave keeps (a Dirichlet share's marginal is not a function of its own quantile alone).
        sample = result["box_sample"]
        nat = space.natural(sample[:, :])[:, shown]
        kept = nat[result["masks"][-1]] if result["masks"] else nat[:0]
        ens = space.natural(x) if len(x) else None
        ranges = pd.DataFrame({"input": [space_label(space, i) for i in shown],
                               "prior 5%": np.quantile(nat, 0.05, axis=0), "prior median": np.quantile(nat, 0.5, axis=0),
                               "prior 95%": np.quantile(nat, 0.95, axis=0), "narrowed": nar[shown]})
        if len(kept) > 1:
            ranges["kept 5%"] = np.quantile(kept, 0.05, axis=0)
            ranges["kept 95%"] = np.quantile(kept, 0.95, axis=0)
        if ens is not None:
            ranges["ensemble 5%"] = np.quantile(ens[:, shown], 0.05, axis=0)
            ranges["ensemble median"] = np.quantile(ens[:, shown], 0.5, axis=0)
            ranges["ensemble 95%"] = np.quantile(ens[:, shown], 0.95, axis=0)
        range_title = (f"## Inputs: prior and ensemble (the {len(shown)} of {space.dim} most narrowed; value, "
                       "or the multiplier, gradient or odds ratio drawn, or a share)")
        screened = "".join(f"\n- `{p.key}`" for p in space.screened)
        space_text = [f"Space: the prior quantiles of {len(space.priors)} uncertain parameters ({space.dim} "
                      "dimensions, a Dirichlet taking one per column). Screened out (they cannot move a "
                      f"baseline target; analysis/priors.py SCREENED):{screened}"]
    else:
        box = result["volume"].iloc[-1]
        ranges = pd.DataFrame({"parameter": space.names, "box low": space.lower, "box high": space.upper,
                               "kept low": [box[f"{p} low"] for p in space.names],
                               "kept high": [box[f"{p} high"] for p in space.names]})
        if len(x):
            ranges["ensemble mean"] = x.mean(axis=0)
            ranges["ensemble 5%"] = np.quantile(x, 0.05, axis=0)
            ranges["ensemble 95%"] = np.quantile(x, 0.95, axis=0)
        range_title = "## Parameters: box, kept range (last wave) and ensemble"
        space_text = [f"Space: the box of {space.dim} parameters."]
    text = [f"# History matching: {len(result['waves'])} waves",
            "", f"Command: `{command}` ({seconds:.0f} s).", "", *space_text,
            "", f"Rule: a point is non-implausible when the {'largest' if result['rule'] == 'max' else 'second largest'}"
            f" implausibility over {len(result['targets'])} targets is at most {result['cutoff']}.",
            "", "## Non-implausible share of the space per wave", "", _md_table(vol, 4),
            "", range_title, "", _md_table(ranges, 3),
            "", f"## Ensemble: {len(members)} parameter sets (ensemble.h5)", "",
            "## Emulator leave-one-out diagnostics (z should look standard normal: ~95% within ±2, mean z² ≈ 1)",
            "", _md_table(diag, 3),
            "", "## Which targets constrain which inputs (wave 1 emulators over the whole space, target alone: "
            "share ruled out, and 1 - sd of the kept values / sd of all)", "",
            _md_table(cons_t, 2), "", "Figures: loo.png, nonimplausible.png, constraints.png."]
    md = "\n".join(text) + "\n"
    (out / "report.md").write_text(md)
    return md


# --------------------------------------------------------------------------------------------

def default_binary() -> str:
    env = os.environ.get("CPCSIM_BINARY")
    if env:
        return env
    local = ROOT / "build" / "release" / "cpcsim"
    return str(local) if local.exists() else "cpcsim"


def main(argv=None) -> int:
    from analysis.targets import load_targets

    ap = argparse.ArgumentParser(prog="cpcsim calibrate",
                                 description="History matching in waves (docs/calibration.md); writes OUT/ensemble.h5, "
                                             "tables and figures. Also runs as /usr/bin/python3 -m analysis.calibrate.")
    ap.add_argument("--space", default="prior",
                    help="'prior' (the default): the unit cube of prior quantiles of every uncertain input that can "
                         "move a target (analysis/priors.py); 'box' or a sweep FILE: the box of that file's "
                         "[design.ranges] (default file: scenarios/sweeps/calibration-wave1.toml)")
    ap.add_argument("--sweep-file", default=str(ROOT / "scenarios/sweeps/calibration-wave1.toml"),
                    help="sweep file whose [sweep] names the base scenario and seed (and, with --space box, whose "
                         "[design.ranges] is the box)")
    ap.add_argument("--active", type=int, default=None,
                    help="emulate each target on at most this many inputs, screened by regression (default 6 in "
                         "the prior space, all in a box)")
    ap.add_argument("--targets", help="targets file (default: targets.toml next to the base scenario)")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--waves", type=int, default=3)
    ap.add_argument("--points", type=int, default=None,
                    help="design points per wave (default 120 in the prior space, 60 in a box)")
    ap.add_argument("--replicates", type=int, default=3, help="replicates per design point")
    ap.add_argument("--rule", choices=["max", "second"], default="max")
    ap.add_argument("--cutoff", type=float, default=CUTOFF)
    ap.add_argument("--seed", type=int, help="design and run seed (default: the space file's)")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--binary", default=default_binary(), help="the cpcsim that runs the sweeps")
    ap.add_argument("--runner", default="", help='prefix of each sweep run, e.g. "mpirun -np 8"')
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a parameter of every run (e.g. run.years=2 for a quick check); repeatable")
    ap.add_argument("--quiet", action="store_true", help="no progress output and no printed report")
    a = ap.parse_args(argv)
    for kv in a.set:
        if "=" not in kv:
            ap.error(f"--set expects KEY=VALUE, got {kv!r}")
    prior_space = a.space == "prior"
    if a.space not in ("prior", "box"):
        a.sweep_file = a.space  # a box file
    if a.points is None:
        a.points = 120 if prior_space else 60
    if a.active is None:
        a.active = 6 if prior_space else 0
    for name, lo, hi in (("waves", 1, 20), ("points", 5, 10000), ("replicates", 2, 1000)):
        if not lo <= getattr(a, name) <= hi:
            ap.error(f"--{name} must be between {lo} and {hi}")
    start = time.time()
    box, sweep = read_space(a.sweep_file)
    scenario = sweep["scenario"]
    if prior_space:
        from analysis.priors import PriorSpace, read_priors
        space = PriorSpace(read_priors(a.binary, scenario, a.set))
    else:
        space = box
    targets_path = Path(a.targets) if a.targets else scenario.parent / "targets.toml"
    targets = load_targets(targets_path)
    seed = a.seed if a.seed is not None else int(sweep.get("seed", 20261126))
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    log = (lambda *_: None) if a.quiet else (lambda m: print(m, flush=True))
    sim = sweep_simulator(a.binary, out, space, scenario, targets, a.replicates, seed, a.threads, a.runner, a.quiet,
                          a.set)
    result = history_match(sim, space, targets, waves=a.waves, points=a.points, seed=seed, rule=a.rule,
                           cutoff=a.cutoff, active=a.active, later_design="random" if prior_space else "maximin",
                           log=log)
    seconds = time.time() - start
    result["volume"].to_csv(out / "volume.csv", index=False)
    result["diagnostics"].to_csv(out / "emulator_diagnostics.csv", index=False)
    result["loo"].to_csv(out / "emulator_loo.csv", index=False)
    result["constraints"].to_csv(out / "constraints.csv", index=False)
    result["ruled_out"].to_csv(out / "ruled_out_by_target.csv", index=False)
    if not result["members"]:
        print(f"{out}: no design point passes on its own runs; no ensemble written", file=sys.stderr)
        return 1
    command = "python3 -m analysis.calibrate " + " ".join(shlex.quote(x) for x in (argv if argv is not None
                                                                                    else sys.argv[1:]))
    def where(p):  # relative to the source tree when inside it (the file is shipped), else absolute
        p = Path(p).resolve()
        return str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p)

    write_ensemble(out / "ensemble.h5", result, {
        "scenario": where(scenario), "targets_file": where(targets_path), "space": "prior" if prior_space else "box",
        "space_file": where(a.sweep_file), "seed": seed, "replicates": a.replicates,
        "points_per_wave": a.points, "waves": len(result["waves"]), "command": command})
    write_figures(out, result)
    md = write_report(out, result, command, seconds)
    if not a.quiet:
        print(md)
    print(f"written: {out / 'ensemble.h5'} ({len(result['members'])} parameter sets) in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
