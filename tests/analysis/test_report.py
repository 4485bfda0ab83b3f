"""analysis.report: the HTML report of run, compare and sweep files, rendered in headless Chromium,
its failure behaviour, and the `cpcsim report`, `cpcsim compare` and `cpcsim sweep` commands."""
from __future__ import annotations

import base64
import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import h5py
import numpy as np
import pytest

import cpcsim_fixtures as fx
from analysis.report import SECTION_HEADINGS, narrowing_text

COMMON = ["summary", "access_groups", "access_area", "lottery", "death", "unmet", "admissions", "cost", "appendix"]
EXPECTED = {"run": COMMON, "compare": COMMON + ["benefits_harms", "engagement"],
            "sweep": COMMON + ["benefits_harms", "sweep_curves", "sensitivity"]}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h2, self.imgs, self.refs, self.ids, self._in_h2 = [], [], [], set(), False
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        if tag == "svg":
            self.svgs += 1
        for key in ("src", "href"):
            if key in a and tag != "img":
                self.refs.append(a[key])
        if tag == "link" or tag == "script" and "src" in a:
            self.refs.append(a.get("href") or a.get("src"))

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.h2[-1] += data


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.mark.parametrize("kind", ["run", "compare", "sweep"])
def test_report_html_is_self_contained(kind, reports):
    html = reports[kind]["html"]
    page = _parse(html)
    headings = [h.strip() for h in page.h2]
    for key in EXPECTED[kind]:
        assert SECTION_HEADINGS[key] in headings, f"missing section {SECTION_HEADINGS[key]!r}"
    assert page.imgs, "no figures"
    for src in page.imgs:
        assert src.startswith("data:image/png;base64,"), src[:60]
        w, h = _png_size(base64.b64decode(src.split(",", 1)[1], validate=True))
        assert w > 100 and h > 100
    for ref in page.refs:  # only in-page anchors: nothing to fetch, nothing to break
        assert ref.startswith("#"), ref
        assert ref[1:] in page.ids, f"broken anchor {ref}"
    text = html.read_text(encoding="utf-8")
    assert "95%" in text and "nan" not in re.sub(r"<[^>]+>", " ", text).lower().split()
    with h5py.File(reports[kind]["results"], "r") as f:
        assert str(f.attrs["git_commit"]) in text and str(f.attrs["seed"]) in text


@pytest.mark.parametrize("kind", ["run", "compare", "sweep"])
def test_figures_dir_has_png_and_svg(kind, reports):
    figs = reports[kind]["figures"]
    pngs = sorted(figs.glob("*.png"))
    svgs = sorted(figs.glob("*.svg"))
    assert pngs and [p.stem for p in pngs] == [s.stem for s in svgs]
    assert len(pngs) == len(_parse(reports[kind]["html"]).imgs)
    for p in pngs:
        _png_size(p.read_bytes())
    for s in svgs:
        root = ET.parse(s).getroot()
        assert root.tag.endswith("svg")


def test_summary_speaks_plainly(reports):
    text = re.sub(r"<[^>]+>", "", reports["compare"]["html"].read_text(encoding="utf-8"))
    assert "This report compares A" in text and "same simulated children" in text
    assert re.search(r"(reached between [\d,.]+ and [\d,.]+ (more|fewer) children a year than A|"
                     r"Children reached a year: no clear change)", text)
    run_text = re.sub(r"<[^>]+>", "", reports["run"]["html"].read_text(encoding="utf-8"))
    assert "This report describes one scenario" in run_text
    sweep_text = re.sub(r"<[^>]+>", "", reports["sweep"]["html"].read_text(encoding="utf-8"))
    assert "This report describes a sweep" in sweep_text and "funding.statutory_multiplier" in sweep_text
    # Pairing is described as a percentage narrower or wider, never as "0.8x narrowed".
    assert re.search(r"made these intervals about \d+% (narrower|wider) \(median", text)
    assert "times narrower" not in text and "×" not in text


def test_narrowing_in_words():
    assert narrowing_text(0.684) == "68% narrower"
    assert narrowing_text(-0.0958) == "10% wider"
    assert narrowing_text(0.0) == "0% narrower"
    assert narrowing_text(1.0) == "100% narrower"
    assert narrowing_text(float("nan")) == "n/a"


def _chromium(chromium: str, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                               *args], capture_output=True, timeout=timeout)


def test_report_renders_in_chromium(reports, chromium, tmp_path):
    import matplotlib.image as mpimg

    html = reports["compare"]["html"]
    shot = tmp_path / "report.png"
    _chromium(chromium, f"--screenshot={shot}", "--window-size=1200,4000", html.resolve().as_uri())
    assert shot.is_file(), "chromium wrote no screenshot"
    data = shot.read_bytes()
    assert _png_size(data) == (1200, 4000)
    assert len(data) > 50_000
    img = mpimg.imread(shot)[..., :3]
    assert img.std() > 0.05, "screenshot is (nearly) blank"
    assert (img < 0.5).mean() > 0.005, "no text or figures visible"


def test_rendered_dom_has_the_headings(reports, chromium):
    html = reports["sweep"]["html"]
    proc = _chromium(chromium, "--dump-dom", html.resolve().as_uri())
    dom = proc.stdout.decode("utf-8", "replace")
    assert "<h2>" in dom, proc.stderr.decode(errors="replace")[-2000:]
    for key in EXPECTED["sweep"]:
        assert f"<h2>{SECTION_HEADINGS[key]}</h2>" in dom.replace("&amp;", "&")
    assert dom.count("<img") == len(_parse(html).imgs)


# ----- failures ------------------------------------------------------------------------------------
def _report_cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(fx.SOURCE_DIR))
    return subprocess.run([sys.executable, "-m", "analysis.report", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("content", ["text", "foreign", "newer"])
def test_bad_input_fails_cleanly_and_keeps_old_report(content, run_file, tmp_path):
    bad = tmp_path / "bad.h5"
    if content == "text":
        bad.write_text("not a results file")
    elif content == "foreign":
        with h5py.File(bad, "w") as f:
            f["x"] = np.zeros(3)
    else:
        bad.write_bytes(run_file.read_bytes())
        with h5py.File(bad, "a") as f:
            f.attrs["schema_version"] = np.int64(2)
    out = tmp_path / "report.html"
    out.write_text("previous report")
    proc = _report_cli(bad, "-o", out)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("analysis.report: error: ") and "bad.h5" in lines[0], proc.stderr
    assert out.read_text() == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.h5", "report.html"]  # no temporary left


def test_bad_input_writes_no_report(tmp_path):
    out = tmp_path / "new.html"
    proc = _report_cli(tmp_path / "missing.h5", "-o", out)
    assert proc.returncode == 1 and "missing.h5: no such file" in proc.stderr
    assert not out.exists()


def test_report_of_identical_arms_says_no_change(run_file, tmp_path):
    same = fx.make_compare(run_file, run_file, tmp_path / "same.h5")
    out = tmp_path / "same.html"
    proc = _report_cli(same, "-o", out)
    assert proc.returncode == 0, proc.stderr
    text = re.sub(r"<[^>]+>", "", out.read_text(encoding="utf-8"))
    assert "Children reached a year: no change" in text
    assert "all agree with the simulator" in text
