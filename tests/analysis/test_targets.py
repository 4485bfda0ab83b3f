"""Targets evaluated on a results file match `cpcsim calibration` on the same runs."""
from __future__ import annotations

import re

import numpy as np
import pytest

import cpcsim_fixtures as fx
from analysis import open_results
from analysis.targets import implausibility, load_targets, target_values

TARGETS = fx.SCENARIOS / "targets.toml"


def test_targets_on_a_run_file_match_cpcsim_calibration(binary, run_file):
    targets = load_targets(TARGETS)
    with open_results(run_file) as res:
        values = target_values(res, targets)
        summary = res.summary_wide(derived=False)
        seed = int(res.provenance["seed"])
    assert len(values) == 3
    # A measure target is the summary column; a ratio of counters restates a share exactly.
    np.testing.assert_array_equal(values["deaths_per_year"], summary["deaths_per_year"])
    ratio = [{"name": "hospital", "id": "X", "ratio": {"numerator": "annual.deaths_hospital",
                                                      "denominator": "annual.deaths"},
              "observed": 0.75, "observation_sd": 0.035, "discrepancy_sd": 0.0175}]
    with open_results(run_file) as res:
        np.testing.assert_array_equal(target_values(res, ratio)["hospital"], summary["death_hospital_share"])
    # The same runs through the command line give the same implausibility (printed to 2 decimals).
    out = fx.run_cpcsim(binary, ["calibration", fx.SCENARIOS / "no-network.toml", "-r", "3", "-q", "-t", "2",
                                 "--seed", str(seed), *fx.FAST], check=False).stdout
    printed = [float(x) for x in re.findall(r"implausibility (\d+\.\d+)", out)]
    impl = implausibility(values, targets)
    assert len(printed) == len(impl) == 17  # C1-C12 but the shape C4
    np.testing.assert_allclose(impl["implausibility"].to_numpy(), printed, atol=0.0051)


def test_targets_per_design_point_of_a_sweep(sweep_file):
    targets = load_targets(TARGETS)
    with open_results(sweep_file) as res:
        values = target_values(res, targets)
        n_points = res.runs()["point"].nunique()
        assert len(values) == len(res.runs())
    impl = implausibility(values, targets, by=("arm", "point"))
    assert len(impl) == n_points * 17
    for _, row in impl.iterrows():  # each point's mean is the mean of its runs
        runs = values[values.point == row.point][row.target]
        assert row["mean"] == pytest.approx(runs.mean(), rel=1e-12)
    assert set(impl["ruled_out"]) <= {True, False}
