"""The report weighs benefits against harms, speaks of groups in plain words, draws the areas'
real boundaries with their attribution, shows levels per area and per ICB, and fits a phone's
width (390 px) and a desktop's (1280 px) in headless Chromium."""
from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from analysis.compare import compare
from analysis.equity import rates_by_group
from analysis.geo import BoundariesError, load_boundaries, read_boundaries
from analysis.report import BENEFITS, HARMS, _cost_effect_words, group_words, verdict
from analysis.results import open_results
from analysis.stats import mean_interval


def _text(path: Path) -> str:
    t = re.sub(r"<img[^>]*>", "", path.read_text(encoding="utf-8"))
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", t)))


def _section(path: Path, key: str) -> str:
    m = re.search(rf'<section id="{key}">(.*?)</section>', path.read_text(encoding="utf-8"), re.S)
    assert m, f"no section {key}"
    return m.group(1)


def test_verdict_and_cost_words():
    assert verdict(1.0, 2.0, +1) == "better" and verdict(1.0, 2.0, -1) == "worse"
    assert verdict(-2.0, -1.0, -1) == "better" and verdict(-2.0, -1.0, +1) == "worse"
    assert verdict(-1.0, 2.0, +1) == "no clear change" and verdict(float("nan"), 1.0, +1) == "no clear change"
    c = {"cost_difference": -5000.0, "effect_difference": 30.0, "ratio": -166.7, "low": -300.0, "high": -50.0,
         "effect": "children_reached_per_year"}
    assert "no extra cost" in _cost_effect_words(c, "extra child reached")
    with_harm = _cost_effect_words(c, "extra child reached", harms_rose=True)
    assert "no extra cost" not in with_harm and "not a saving" in with_harm


def test_benefits_and_harms_table_matches_the_paired_differences(reports):
    path = reports["compare"]["html"]
    section = _section(path, "benefits_harms")
    rows = re.findall(r"<tr class='(\w*)'><td>([^<]+)</td>.*?<td class='verdict'>([^<]+)</td></tr>", section)
    labels = {htmllib.unescape(label): v for _, label, v in rows}
    from analysis.report import MEASURE_STYLE
    with open_results(reports["compare"]["results"]) as res:
        diffs = compare(res, "A", "B").set_index("measure")
        present = set(res.summaries()["measure"])
    expected_rows = 0
    for m, direction in BENEFITS + HARMS:
        if m not in present:
            continue
        expected_rows += 1
        d = diffs.loc[m]
        label = MEASURE_STYLE[m][0]
        assert label in labels, f"{label} missing from the benefits-and-harms table"
        assert labels[label] == verdict(d["low"], d["high"], direction), label
    assert len(rows) == expected_rows
    # Every kind of unmet need and the SPPC wait are harms the table shows.
    for m in ("first_assessment_wait_days", "unmet_days_ccn_per_year", "unmet_days_sppc_per_year",
              "respite_nights_unmet_per_year"):
        assert MEASURE_STYLE[m][0] in labels
    worse = [label for label, v in labels.items() if v == "worse"]
    summary = re.sub(r"<[^>]+>", "", _section(path, "summary"))
    if worse:
        assert "But some things got worse" in summary
        assert "no extra cost" not in summary
    else:
        assert "But some things got worse" not in summary


def test_groups_in_plain_words(reports):
    assert group_words("Q4") == "the second most deprived fifth"
    assert group_words("Q5 (most deprived)") == "the most deprived fifth"
    assert group_words("Q1 (least deprived)", short=True) == "least deprived"
    assert group_words("South Asian") == "South Asian"
    for kind in ("run", "compare", "sweep"):
        text = _text(reports[kind]["html"])
        before_appendix = text[:text.rindex("Appendix: how to reproduce")]
        assert not re.search(r"\bQ[1-5]\b", before_appendix), kind
    # The largest change is named only when it is clear.
    summary = _text(reports["compare"]["html"])
    m = re.search(r"largest clear change in access was among children in the ([a-z ]+) fifth of neighbourhoods "
                  r"by deprivation: ([+−-][\d.]+) pts \(([+−-][\d.]+) pts to ([+−-][\d.]+) pts\)", summary)
    if m:
        low, high = (float(x.replace("−", "-")) for x in m.groups()[2:])
        assert low > 0 or high < 0
    else:
        assert "no deprivation fifth's access changed clearly" in summary


def test_boundaries_cover_the_default_region(run_file):
    with open_results(run_file) as res:
        codes = [str(c) for c in res.population()["area_code"]]
    b = load_boundaries(codes)
    assert b is not None and set(codes) <= set(b.rings) and len(codes) == 15
    assert b.path.name == "boundaries.geojson" and b.path.parent.name == "yorkshire-humber"
    lon_lat = np.vstack([r for code in codes for r in b.rings[code]])
    assert -2.6 < lon_lat[:, 0].min() and lon_lat[:, 0].max() < 0.2 and 53.3 < lon_lat[:, 1].min() < 54.6
    assert any("Contains OS data © Crown copyright" in line for line in b.attribution)
    assert any("Open Government Licence" in line for line in b.attribution)
    assert any("Martin Chorley" in line for line in b.attribution)


def test_report_map_carries_the_attribution(reports):
    for kind in ("run", "compare"):
        area = _text(reports[kind]["html"])
        assert "Map: Source: Office for National Statistics licensed under the Open Government Licence" in area
        assert "Map data:" in area  # and again in the appendix
        assert "area centroids" not in area  # the real boundaries were drawn


def test_bad_boundaries_files_are_named(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    with pytest.raises(BoundariesError, match=r"bad\.geojson: not a GeoJSON file"):
        read_boundaries(bad)
    nocode = tmp_path / "nocode.geojson"
    nocode.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "x"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}))
    with pytest.raises(BoundariesError, match=r"nocode\.geojson: feature 0 has no 'code' property"):
        read_boundaries(nocode)
    point = tmp_path / "point.geojson"
    point.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "E1"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}))
    with pytest.raises(BoundariesError, match=r"feature 0 \(E1\): geometry type 'Point'; expected Polygon"):
        read_boundaries(point)
    good = tmp_path / "good.geojson"
    good.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "E1"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}))
    with pytest.raises(BoundariesError, match=r"good\.geojson: no boundary for area codes E2"):
        load_boundaries(["E1", "E2"], good)
    assert load_boundaries(["E1"], good).rings["E1"][0].shape == (4, 2)
    assert load_boundaries(["NOT-A-CODE"]) is None  # nothing found by default: the report falls back to dots


def test_levels_per_area_and_icb(reports):
    path = reports["compare"]["html"]
    section = _section(path, "access_area")
    tables = re.findall(r"<table class='measures'><caption>([^<]+)</caption>(.*?)</table>", section, re.S)
    captions = [c for c, _ in tables]
    assert "Access rate by area" in captions and "Access rate by integrated care board (areas pooled)" in captions
    with open_results(reports["compare"]["results"]) as res:
        pop = res.population(arm="A")
        rates = rates_by_group(res, by="area")
    icbs = sorted(set(str(i) for i in pop["icb"]))
    body = dict(tables)
    assert body["Access rate by area"].count("<tr>") == 1 + len(pop)
    icb_body = body["Access rate by integrated care board (areas pooled)"]
    assert icb_body.count("<tr>") == 1 + len(icbs) and len(icbs) >= 2
    # Recompute one ICB's level in A from the per-area counts: events and populations pooled.
    icb = icbs[0]
    members = set(pop.loc[pop["icb"].astype(str) == icb, "area"].astype(str))
    a = rates[(rates["arm"] == "A") & rates["area"].astype(str).isin(members)]
    per_rep = a.groupby("replicate")[["events", "population"]].sum()
    mi = mean_interval((per_rep["events"] / per_rep["population"]).to_numpy(float))
    row = re.search(rf"<tr><td>{re.escape(htmllib.escape(icb))}</td><td class='num'>([\d.]+)%", icb_body)
    assert row, icb
    assert float(row.group(1)) == pytest.approx(100 * mi.mean, abs=0.051)


@pytest.fixture(scope="module")
def driver():
    from cpcsim_fixtures import headless_chromium
    d = headless_chromium()
    yield d
    d.quit()


@pytest.mark.parametrize("width", [390, 1280])
def test_report_fits_the_width(driver, reports, width, tmp_path):
    driver.set_window_size(width, 900)
    driver.get(reports["compare"]["html"].resolve().as_uri())
    inner = driver.execute_script("return window.innerWidth")
    assert inner <= width
    page = driver.execute_script("return document.documentElement.scrollWidth")
    assert page <= inner, f"the page scrolls sideways at {width} px ({page} > {inner})"
    # Key tables and every figure lie within the viewport (a wide table scrolls inside itself).
    for sel in ("#summary table.measures", "#benefits_harms table", "#access_area table", "img"):
        rights = driver.execute_script(
            f"return Array.from(document.querySelectorAll('{sel}')).map(e => e.getBoundingClientRect().right)")
        assert rights, sel
        assert max(rights) <= inner + 0.5, f"{sel} overflows at {width} px"
    # The headline numbers are readable: the summary's first bullet is visible and not squeezed.
    box = driver.execute_script("const r = document.querySelector('ul.summary li').getBoundingClientRect();"
                                "return [r.width, r.height]")
    assert box[0] > 0.6 * min(inner, 1120) - 40 and box[1] > 0
    assert driver.find_element("css selector", "#benefits_harms td.verdict").is_displayed()
    shot = tmp_path / f"report-{width}.png"
    driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
