"""Helpers for the analysis tests: locate the simulator, run it, and assemble compare and sweep
files from real run files with h5py (while `cpcsim compare` / `cpcsim sweep` may not exist yet).

The assembled files follow the layouts the analysis package reads (analysis/README.md): a compare
file holds two run files' groups under /arms/A and /arms/B; a sweep file stacks several run files
(one per design point) along a leading "run" dimension and adds the /sweep design tables.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Sequence

import h5py
import numpy as np

SOURCE_DIR = Path(__file__).resolve().parents[2]
SCENARIOS = SOURCE_DIR / "scenarios" / "yorkshire-humber"

# Small and fast: 2 reported years after a 1-year warm-up.
FAST = ["--set", "run.years=2", "--set", "run.warmup_years=1"]


def find_binary() -> Path:
    """CPCSIM_BINARY if set, else build/release/cpcsim (built with CMake if it is missing)."""
    env = os.environ.get("CPCSIM_BINARY")
    if env:
        p = Path(env)
        if not p.is_file():
            raise FileNotFoundError(f"CPCSIM_BINARY={env} does not exist")
        return p
    build = SOURCE_DIR / "build" / "release"
    p = build / "cpcsim"
    if not p.is_file():
        if not (build / "CMakeCache.txt").is_file():
            subprocess.run(["cmake", "-S", str(SOURCE_DIR), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                            "-DCPCSIM_BUILD_BENCH=OFF"], check=True, capture_output=True)
        subprocess.run(["cmake", "--build", str(build), "-j2", "--target", "cpcsim"], check=True, capture_output=True)
    return p


def run_cpcsim(binary: Path, args: Sequence[str], *, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError(f"cpcsim {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def simulate(binary: Path, scenario: str | Path, out: Path, replicates: int = 3, extra: Sequence[str] = (),
             seed: int | None = None) -> Path:
    args = ["run", str(scenario), "-r", str(replicates), "-o", str(out), "-q", "-t", "2", *FAST, *extra]
    if seed is not None:
        args += ["--seed", str(seed)]
    run_cpcsim(binary, args)
    return out


def _copy_attrs(src, dst) -> None:
    for k, v in src.attrs.items():
        dst.attrs[k] = v


def make_compare(run_a: Path, run_b: Path, out: Path) -> Path:
    """A compare file from two run files: /arms/A and /arms/B each hold scenario/, labels/,
    population/ and runs/ exactly like a run file's root."""
    with h5py.File(run_a, "r") as fa, h5py.File(run_b, "r") as fb, h5py.File(out, "w") as f:
        _copy_attrs(fa, f)
        f.attrs["kind"] = "compare"
        f.attrs["command_line"] = f"(test fixture) compare {run_a.name} {run_b.name}"
        for arm, src in (("A", fa), ("B", fb)):
            g = f.create_group(f"arms/{arm}")
            for name in ("scenario", "labels", "population", "runs"):
                src.copy(src[name], g, name=name)
    return out


def make_sweep(run_files: Sequence[Path], parameter_names: Sequence[str], point_values, out: Path, *,
               design: str = "grid", point_names: Sequence[str] | None = None,
               trajectory: Sequence[int] | None = None) -> Path:
    """A sweep file from run files, one per design point (in order): /runs/* rows are the runs of
    point 0, then point 1, ... (run id = row), the leading dimension is renamed "run", and /sweep
    holds run_id, point, replicate, point_names, parameter_names, point_values and a design attribute."""
    point_values = np.asarray(point_values, dtype=float).reshape(len(run_files), len(parameter_names))
    names = list(point_names) if point_names else [f"p{i}" for i in range(len(run_files))]
    srcs = [h5py.File(p, "r") for p in run_files]
    try:
        with h5py.File(out, "w") as f:
            _copy_attrs(srcs[0], f)
            f.attrs["kind"] = "sweep"
            f.attrs["command_line"] = "(test fixture) sweep of " + " ".join(Path(p).name for p in run_files)
            for name in ("scenario", "labels", "population"):
                srcs[0].copy(srcs[0][name], f, name=name)
            runs = f.create_group("runs")
            point, replicate = [], []
            for i, s in enumerate(srcs):
                n = s["runs/summary"].shape[0]
                point += [i] * n
                replicate += list(np.asarray(s["runs/replicate"][()]))
            for key in srcs[0]["runs"].keys():
                data = np.concatenate([np.asarray(s["runs/" + key][()]) for s in srcs], axis=0)
                ds = runs.create_dataset(key, data=data)
                for k, v in srcs[0]["runs/" + key].attrs.items():
                    ds.attrs[k] = v
                if "dims" in ds.attrs:
                    dims = [d.decode() if isinstance(d, bytes) else str(d) for d in ds.attrs["dims"]]
                    dims[0] = "run"
                    ds.attrs["dims"] = np.array(dims, dtype=h5py.string_dtype())
            sw = f.create_group("sweep")
            sw.attrs["design"] = design
            n = len(point)
            sw.create_dataset("run_id", data=np.arange(n, dtype=np.int64))
            sw.create_dataset("point", data=np.asarray(point, dtype=np.int64))
            sw.create_dataset("replicate", data=np.asarray(replicate, dtype=np.int64))
            sw.create_dataset("point_names", data=np.array(names, dtype=h5py.string_dtype()))
            sw.create_dataset("parameter_names", data=np.array(list(parameter_names), dtype=h5py.string_dtype()))
            sw.create_dataset("point_values", data=point_values)
            if trajectory is not None:
                sw.create_dataset("trajectory", data=np.asarray(trajectory, dtype=np.int64))
            f.attrs["replicates"] = np.int64(max(replicate) + 1 if replicate else 0)
    finally:
        for s in srcs:
            s.close()
    return out


def command_available(binary: Path, command: str) -> tuple[bool, str]:
    """Whether `cpcsim COMMAND --help` succeeds (the command exists in this build)."""
    proc = run_cpcsim(binary, [command, "--help"], check=False, timeout=30)
    return proc.returncode == 0, (proc.stderr or proc.stdout).strip().splitlines()[0] if (proc.stderr or proc.stdout) else ""


def headless_chromium():
    """A Selenium driver for headless Chromium (python3-selenium, chromium-driver: scripts/setup.sh);
    skips the test when Selenium is missing, fails when the driver is. Quit it when done."""
    import shutil

    import pytest
    webdriver = pytest.importorskip("selenium.webdriver", reason="python3-selenium (scripts/setup.sh installs it)")
    from selenium.webdriver.chrome.service import Service
    exe = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not Path(exe).exists():
        pytest.fail("chromedriver is missing (scripts/setup.sh installs chromium-driver)")
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(executable_path=exe), options=opts)
