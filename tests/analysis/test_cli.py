"""The simulator's own commands with the analysis package: `cpcsim report`, and files written by
`cpcsim compare` and `cpcsim sweep run` (each test skips, with the reason, only while the
command's --help fails in this build)."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pytest

import cpcsim_fixtures as fx
from analysis import equity as eq
from analysis.compare import compare_arms
from analysis.report import SECTION_HEADINGS
from analysis.results import open_results
from analysis.sweep import morris, point_means


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h2, self._in = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self._in = True
            self.h2.append("")

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.h2[-1] += data


def _headings(path) -> list[str]:
    p = _Headings()
    p.feed(path.read_text(encoding="utf-8"))
    return [h.strip() for h in p.h2]


def _need(binary, command: str) -> None:
    ok, why = fx.command_available(binary, command)
    if not ok:
        pytest.skip(f"`cpcsim {command} --help` fails: this build has no `{command}` command yet ({why})")


def _report_cli(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(fx.SOURCE_DIR))
    return subprocess.run([sys.executable, "-m", "analysis.report", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


def test_cpcsim_report_command(binary, run_file, tmp_path):
    _need(binary, "report")
    proc = fx.run_cpcsim(binary, ["report", "--help"])
    assert "--figures" in proc.stdout and "report.html" in proc.stdout
    out = tmp_path / "dir with space" / "r.html"
    out.parent.mkdir()
    fx.run_cpcsim(binary, ["report", run_file, "-o", out, "--figures", tmp_path / "figs"])
    assert SECTION_HEADINGS["summary"] in _headings(out)
    assert list((tmp_path / "figs").glob("*.svg")) and list((tmp_path / "figs").glob("*.png"))
    bad = tmp_path / "bad.h5"
    bad.write_text("nope")
    out.write_text("keep me")
    proc = fx.run_cpcsim(binary, ["report", bad, "-o", out], check=False)
    assert proc.returncode == 1 and "bad.h5" in proc.stderr
    assert out.read_text() == "keep me"
    proc = fx.run_cpcsim(binary, ["report", run_file, "--python", tmp_path / "no-python"], check=False)
    assert proc.returncode == 1 and "no-python" in proc.stderr


def test_real_compare_file(binary, tmp_path):
    _need(binary, "compare")
    out = tmp_path / "f.h5"
    fx.run_cpcsim(binary, ["compare", fx.SCENARIOS / "no-network.toml", fx.SCENARIOS / "full-network.toml",
                           "--out", out, "--replicates", "3", "--set", "run.years=2", "--set", "run.warmup_years=1",
                           "-q", "-t", "2"])
    with open_results(out) as r:
        assert r.kind == "compare" and r.arm_names == ["A", "B"]
        assert list(r.runs()["replicate"]) == [0, 1, 2, 0, 1, 2]
        chk = eq.check_against_simulator(r)
        assert chk["agree"].all(), chk[~chk["agree"]].head().to_string()
        c = compare_arms(r, ["access_rate", "children_reached_per_year"])
        assert (c["n"] == 3).all()
    html = tmp_path / "f.html"
    proc = _report_cli(out, "-o", html)
    assert proc.returncode == 0, proc.stderr
    assert SECTION_HEADINGS["summary"] in _headings(html)


SWEEPS = {
    "grid": """
[design]
type = "grid"
[design.parameters]
"funding.statutory_multiplier" = [0.8, 1.0, 1.2]
""",
    "morris": """
[design]
type = "morris"
trajectories = 2
levels = 4
[design.ranges]
"funding.statutory_multiplier" = { min = 0.8, max = 1.2 }
"network.coordinator_wte" = { min = 0.0, max = 2.0 }
""",
}


@pytest.mark.parametrize("design", ["grid", "morris"])
def test_real_sweep_file(design, binary, tmp_path):
    _need(binary, "sweep")
    spec = tmp_path / f"{design}.toml"
    spec.write_text(f"""[sweep]
name = "analysis test {design}"
scenario = "{(fx.SCENARIOS / 'no-network.toml').as_posix()}"
replicates = 2
seed = 20261126
""" + SWEEPS[design])
    out = tmp_path / f"{design}.h5"
    fx.run_cpcsim(binary, ["sweep", "run", spec, "--out", out, "-q", "-t", "2", "--set", "run.years=2",
                           "--set", "run.warmup_years=1"], timeout=300)
    with open_results(out) as r:
        assert r.kind == "sweep" and r.design_type == design and r.parameter_names()
        runs = r.runs()
        assert runs["run_id"].is_monotonic_increasing
        assert set(runs["point"]) == set(range(len(r.point_names())))
        assert (runs.groupby("point").size() == 2).all()
        chk = eq.check_against_simulator(r)
        assert chk["agree"].all(), chk[~chk["agree"]].head().to_string()
        # per-point means agree with `cpcsim sweep summary --csv` (intervals: the simulator uses a
        # 3-decimal t table, so they agree to about 1e-4)
        measures = ["access_rate", "cost_total_per_year"]
        proc = fx.run_cpcsim(binary, ["sweep", "summary", out, "--csv", "--measures", ",".join(measures)], check=False)
        if proc.returncode == 0 and proc.stdout.startswith("point_id"):
            theirs = list(csv.DictReader(io.StringIO(proc.stdout)))
            ours = point_means(r, measures).set_index(["point", "measure"])
            for row in theirs:
                mine = ours.loc[(int(row["point_id"]), row["measure"])]
                assert float(row["mean"]) == pytest.approx(mine["mean"], rel=1e-9)
                assert float(row["low"]) == pytest.approx(mine["low"], rel=1e-3, abs=1e-9)
        if design == "morris":
            m = morris(r, ["access_rate"])
            assert (m["r"] == 2).all() and m["mu_star"].notna().all()
    html = tmp_path / f"{design}.html"
    proc = _report_cli(out, "-o", html)
    assert proc.returncode == 0, proc.stderr
    headings = _headings(html)
    assert SECTION_HEADINGS["sweep_curves"] in headings and SECTION_HEADINGS["sensitivity"] in headings
    if design == "morris":
        assert "Morris" in html.read_text(encoding="utf-8")
