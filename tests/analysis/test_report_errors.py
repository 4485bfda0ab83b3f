"""Damaged and foreign results files given to the report (issue 9: 14 `cpcsim report` errors were
raw Python messages without the file's name). Every case must fail with exit status 1 (a bad
input, not a crash), one line on stderr that starts with "analysis.report: error: ", names the
file and says what was wrong, and leave no report (nor a temporary file) behind."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

import cpcsim_fixtures as fx


def _report(results: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(fx.SOURCE_DIR))
    return subprocess.run([sys.executable, "-m", "analysis.report", str(results), "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)


def _set_attr(name, value):
    def edit(f):
        f.attrs[name] = value
    return edit


def _delete(path):
    def edit(f):
        del f[path]
    return edit


def _replace(path, data):
    def edit(f):
        attrs = dict(f[path].attrs)
        del f[path]
        f[path] = data
        for k, v in attrs.items():
            f[path].attrs[k] = v
    return edit


def _replace_with_group(path):
    def edit(f):
        del f[path]
        f.create_group(path)
    return edit


def _bad_utf8_labels(path):
    def edit(f):
        n = f[path].shape[0]
        attrs = dict(f[path].attrs)
        del f[path]
        f.create_dataset(path, data=np.array([b"Le\xe9ds"] * n, dtype=h5py.string_dtype("utf-8")))
        for k, v in attrs.items():
            f[path].attrs[k] = v
    return edit


def _del_attr(path, name):
    def edit(f):
        del f[path].attrs[name]
    return edit


def _shift_points(f):
    _replace("sweep/point", np.asarray(f["sweep/point"][()]) + 1000)(f)


def _scenario_text(text: bytes):
    def edit(f):
        for name in ("scenario/scenario_toml",):
            if name in f:
                del f[name]
                f.create_dataset(name, data=text, dtype=h5py.string_dtype("utf-8"))
    return edit


# (id, file kind, edit, words the message must contain besides the file name)
CASES = [
    ("kind-banana", "run", _set_attr("kind", "banana"), ["kind", "banana"]),
    ("kind-number", "run", _set_attr("kind", 3), ["kind"]),
    ("no-kind", "run", lambda f: f.attrs.__delitem__("kind"), ["kind"]),
    ("schema-text", "run", _set_attr("schema_version", "one"), ["schema_version"]),
    ("format-bytes-bad", "run", _set_attr("format", np.bytes_(b"\xff\xfe")), ["format"]),
    ("no-summary", "run", _delete("runs/summary"), ["runs/summary"]),
    ("no-annual", "run", _delete("runs/annual"), ["runs/annual"]),
    ("no-area-names", "run", _delete("labels/area_names"), ["labels/area_names"]),
    ("no-years", "run", _delete("labels/years"), ["labels/years"]),
    ("no-labels", "run", _delete("labels"), ["labels"]),
    ("summary-is-group", "run", _replace_with_group("runs/summary"), ["runs/summary"]),
    ("years-are-text", "run", _replace("labels/years", np.array([b"a", b"b"])), ["labels/years"]),
    ("area-names-numbers", "run", _replace("labels/area_names", np.arange(2.0)), ["labels/area_names"]),
    ("summary-1d", "run", _replace("runs/summary", np.zeros(3)), ["runs/summary"]),
    ("summary-text", "run", _replace("runs/summary", np.array([[b"x"] * 3] * 3)), ["runs/summary"]),
    ("no-dims", "run", _del_attr("runs/summary", "dims"), ["dims"]),
    ("bad-dims", "run", lambda f: f["runs/summary"].attrs.__setitem__("dims", ["replicate", "banana"]),
     ["banana"]),
    ("area-names-bad-utf8", "run", _bad_utf8_labels("labels/area_names"), ["labels/area_names", "UTF-8"]),
    ("provider-names-bad-utf8", "run", _bad_utf8_labels("labels/provider_names"),
     ["labels/provider_names", "UTF-8"]),
    ("scenario-bad-utf8", "run", _scenario_text(b"[scenario]\nname = \"\xe9\"\n"), ["UTF-8"]),
    ("scenario-not-toml", "run", _scenario_text(b"[scenario\nname = 3"), ["TOML"]),
    ("compare-no-B", "compare", _delete("arms/B"), ["arms/B"]),
    ("compare-no-arms", "compare", _delete("arms"), ["arms"]),
    ("compare-A-no-summary", "compare", _delete("arms/A/runs/summary"), ["arms/A/runs/summary"]),
    ("sweep-no-point", "sweep", _delete("sweep/point"), ["sweep/point"]),
    ("sweep-no-sweep", "sweep", _delete("sweep"), ["sweep"]),
    ("sweep-point-names-bad-utf8", "sweep", _bad_utf8_labels("sweep/point_names"), ["sweep/point_names", "UTF-8"]),
    ("sweep-point-out-of-range", "sweep", _shift_points, ["sweep/point"]),
]


def _source(kind, run_file, compare_file, sweep_file) -> Path:
    return {"run": run_file, "compare": compare_file, "sweep": sweep_file}[kind]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_damaged_file_gives_one_line_naming_file_and_problem(case, run_file, compare_file, sweep_file, tmp_path):
    name, kind, edit, words = case
    bad = tmp_path / f"damaged-{name}.h5"
    shutil.copyfile(_source(kind, run_file, compare_file, sweep_file), bad)
    with h5py.File(bad, "a") as f:
        edit(f)
    out = tmp_path / "report.html"
    proc = _report(bad, out)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("analysis.report: error: "), proc.stderr
    assert bad.name in lines[0], lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [bad.name]  # no report, no temporary file


@pytest.mark.parametrize("content,words", [
    (b"", ["not an HDF5 file"]),
    (b"\x89HDF\r\n\x1a\n" + b"\0" * 100, ["HDF5"]),
    (b"\xff\xfe not text at all", ["not an HDF5 file"]),
])
def test_foreign_bytes_name_the_file(content, words, tmp_path):
    bad = tmp_path / "foreign.h5"
    bad.write_bytes(content)
    proc = _report(bad, tmp_path / "r.html")
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and "foreign.h5" in lines[0], proc.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert not (tmp_path / "r.html").exists()


def test_truncated_file_names_the_file(run_file, tmp_path):
    bad = tmp_path / "truncated.h5"
    bad.write_bytes(run_file.read_bytes()[: run_file.stat().st_size // 2])
    proc = _report(bad, tmp_path / "r.html")
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and "truncated.h5" in lines[0], proc.stderr
    assert not (tmp_path / "r.html").exists()


def test_a_directory_names_the_path(tmp_path):
    d = tmp_path / "folder.h5"
    d.mkdir()
    proc = _report(d, tmp_path / "r.html")
    assert proc.returncode == 1 and "folder.h5" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "r.html").exists()


# A signal that arrives just as the temporary report file has been created (the moment between
# mkstemp returning and the cleanup that covers the file) must not leave that file behind. The
# child installs the report's own SIGTERM handler, and mkstemp is wrapped to send SIGTERM to the
# process the instant the file exists.
_SIGNAL_AT_MKSTEMP = r"""
import os, signal, sys, tempfile
import analysis.report as report
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # as report.main() does
real_mkstemp = tempfile.mkstemp
def mkstemp_then_signal(*args, **kwargs):
    made = real_mkstemp(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGTERM)
    return made
tempfile.mkstemp = mkstemp_then_signal
report._atomic_write(sys.argv[1], b"<html></html>")
"""


def test_a_signal_as_the_temporary_file_is_made_leaves_nothing(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(fx.SOURCE_DIR))
    out = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-c", _SIGNAL_AT_MKSTEMP, str(out)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 143, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []
