"""Session fixtures for the analysis tests: the simulator binary and small real results files,
produced once per test session in a temporary directory.

The binary is CPCSIM_BINARY (set by CTest) or build/release/cpcsim (built if missing). Runs are
small (2 reported years after a 1-year warm-up, 2-3 replicates) so the whole suite stays well
under a minute on 2 cores.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))  # the source dir, for `import analysis`

import cpcsim_fixtures as fx  # noqa: E402

MORRIS_PARAMS = ["funding.statutory_multiplier", "network.coordinator_wte"]
# Two Morris trajectories over (statutory multiplier, coordinator WTE), one parameter changed per
# step; the step between trajectories changes both, so it is not an elementary effect.
MORRIS_POINTS = [(0.8, 0.0), (1.2, 0.0), (1.2, 1.0),
                 (1.0, 0.0), (1.0, 1.0), (0.8, 1.0)]


@pytest.fixture(scope="session")
def binary() -> Path:
    try:
        return fx.find_binary()
    except Exception as e:  # a missing simulator is a failure, not a skip
        pytest.fail(f"cannot find or build the cpcsim binary: {e}")


@pytest.fixture(scope="session")
def sim_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cpcsim-results")


@pytest.fixture(scope="session")
def run_file(binary, sim_dir) -> Path:
    """A real run file: the default scenario (no network), 3 replicates."""
    return fx.simulate(binary, fx.SCENARIOS / "no-network.toml", sim_dir / "run-A.h5", replicates=3)


@pytest.fixture(scope="session")
def run_file_b(binary, sim_dir) -> Path:
    """The full network on the same seed and replicates (common random numbers with run_file)."""
    return fx.simulate(binary, fx.SCENARIOS / "full-network.toml", sim_dir / "run-B.h5", replicates=3)


@pytest.fixture(scope="session")
def compare_file(run_file, run_file_b, sim_dir) -> Path:
    """A compare file assembled from the two run files (A = no network, B = full network)."""
    return fx.make_compare(run_file, run_file_b, sim_dir / "compare.h5")


@pytest.fixture(scope="session")
def sweep_file(binary, sim_dir) -> Path:
    """A grid sweep over the statutory funding multiplier (3 points x 2 replicates) from real runs."""
    values = [0.8, 1.0, 1.2]
    runs = [fx.simulate(binary, fx.SCENARIOS / "no-network.toml", sim_dir / f"grid-{i}.h5", replicates=2,
                        extra=["--set", f"funding.statutory_multiplier={v}"]) for i, v in enumerate(values)]
    return fx.make_sweep(runs, ["funding.statutory_multiplier"], [[v] for v in values], sim_dir / "sweep-grid.h5",
                         design="grid", point_names=[f"funding x{v}" for v in values])


@pytest.fixture(scope="session")
def morris_file(binary, sim_dir) -> Path:
    """A Morris-design sweep (2 trajectories, 2 parameters) from real runs, 2 replicates per point."""
    runs = []
    for i, (mult, wte) in enumerate(MORRIS_POINTS):
        runs.append(fx.simulate(binary, fx.SCENARIOS / "no-network.toml", sim_dir / f"morris-{i}.h5", replicates=2,
                                extra=["--set", f"funding.statutory_multiplier={mult}",
                                       "--set", f"network.coordinator_wte={wte}"]))
    return fx.make_sweep(runs, MORRIS_PARAMS, MORRIS_POINTS, sim_dir / "sweep-morris.h5", design="morris")


@pytest.fixture(scope="session")
def reports(run_file, compare_file, sweep_file, sim_dir) -> dict:
    """HTML reports (and --figures directories) of the run, compare and sweep files, built once."""
    from analysis.report import main

    out = {}
    for kind, path in (("run", run_file), ("compare", compare_file), ("sweep", sweep_file)):
        html = sim_dir / f"report-{kind}.html"
        figs = sim_dir / f"figures-{kind}"
        rc = main([str(path), "-o", str(html), "--figures", str(figs)])
        assert rc == 0, f"report of the {kind} file failed"
        out[kind] = {"html": html, "figures": figs, "results": path}
    return out


@pytest.fixture(scope="session")
def chromium() -> str:
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return exe
