"""`cpcsim serve` in headless Chromium (issue 15): the page loads, a lever moves the numbers, the
map draws every area, bad input is refused with the scenario's errors (never a crash), the saved
scenario runs in `cpcsim run` to the same numbers, and the results download as CSV and HDF5.

Needs CPCSIM_BINARY (CTest sets it) and, for the browser part, python3-selenium and
chromium-driver (scripts/setup.sh). CPCSIM_SCREENSHOT=path writes the page's screenshot there
(docs/images/explorer.png is made this way)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from analysis.results import open_results

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))  # cpcsim_fixtures

REPLICATES = 4
SEED = 20261126


def _binary() -> str:
    b = os.environ.get("CPCSIM_BINARY")
    if not b:
        pytest.skip("CPCSIM_BINARY is not set (CTest sets it)")
    return b


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    results = tmp_path_factory.mktemp("explorer-results")
    proc = subprocess.Popen([_binary(), "serve", "--port", "0", "--results", str(results), "-r", str(REPLICATES),
                             "-s", str(SEED), "-t", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("cpcsim serve: http://"):
        proc.kill()
        pytest.fail(f"cpcsim serve did not start: {line!r} {proc.stderr.read()}")
    url = line.split()[2]
    assert url.startswith("http://127.0.0.1:"), "listens on 127.0.0.1 by default"
    yield {"url": url, "results": results, "proc": proc}
    proc.terminate()
    proc.wait(timeout=20)


def _get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.read()


def _post(url, fields: dict | bytes):
    data = fields if isinstance(fields, bytes) else urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_bad_requests_get_4xx_and_the_scenario_errors(server):
    u = server["url"]
    status, body = _post(u + "api/run", {"network.leadership": "2"})
    assert status == 400
    problems = json.loads(body)["problems"]
    assert any("network.leadership" in p for p in problems), problems
    status, body = _post(u + "api/run", {"population.prevalence_multiplier": "2"})
    assert status == 400 and "not a lever" in body.decode()
    status, body = _post(u + "api/run", {"network.training": "1\nrun.years = 1"})
    assert status == 400 and "plain number" in body.decode()
    status, _ = _post(u + "api/run", b"network.training=" + b"1" * (200 * 1024))
    assert status == 413
    status, body = _post(u + "api/save", {"name": "../../escape.toml"})
    assert status == 400 and "plain file name" in body.decode()
    assert not (server["results"].parent.parent / "escape.toml").exists()
    try:
        _get(u + "api/download?file=" + urllib.parse.quote("../../../etc/passwd"))
        pytest.fail("a path outside the results folder was served")
    except urllib.error.HTTPError as e:
        assert e.code == 400
    try:
        _get(u + "api/status?job=abc")
        pytest.fail("a bad job number was accepted")
    except urllib.error.HTTPError as e:
        assert e.code == 400
    # Static files: no path leaves the page's folder or Debian's JavaScript folder.
    import http.client
    host, port = u[len("http://"):-1].split(":")
    for path in ("/web/../../../../etc/passwd", "/web/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/lib/../../../etc/passwd"):
        c = http.client.HTTPConnection(host, int(port), timeout=30)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        assert r.status >= 400 and b"root:" not in body, path
        c.close()
    assert _get(u + "lib/leaflet/leaflet.js")[0] == 200
    assert server["proc"].poll() is None, "the server is still running"


@pytest.fixture(scope="module")
def driver():
    from cpcsim_fixtures import headless_chromium
    d = headless_chromium()
    yield d
    d.quit()


def _wait(driver, condition: str, timeout=120.0):
    end = time.time() + timeout
    while time.time() < end:
        if driver.execute_script(f"return ({condition});"):
            return
        time.sleep(0.1)
    status = driver.execute_script("return document.getElementById('status').textContent")
    raise AssertionError(f"timed out waiting for {condition}; status: {status}")


def _finished(job_min: int) -> str:
    return (f"document.getElementById('status').dataset.state === 'done' && "
            f"Number(document.getElementById('status').dataset.done) === {REPLICATES} && "
            f"Number(document.getElementById('status').textContent.match(/Job (\\d+)/)[1]) >= {job_min}")


def _cell(driver, measure: str, column: int) -> str:
    """The cell's text with its line breaks as single spaces: "mean [low, high]"."""
    return " ".join(driver.execute_script(
        f"return document.querySelector('#benefits-harms tr[data-measure=\"{measure}\"]').children[{column}].textContent"
    ).split())


def test_page_levers_map_save_and_run(server, driver, tmp_path):
    u = server["url"]
    driver.set_window_size(1280, 1100)
    driver.get(u)
    _wait(driver, _finished(1))
    # The baseline against itself: no change at all.
    assert _cell(driver, "access_rate", 3).startswith("0.000 [0.000, 0.000]")
    n_features = len(json.loads(_get(u + "api/boundaries")[1])["features"])
    assert n_features == 15
    assert "Open Government Licence" in driver.find_element("id", "attribution").text

    # Move levers: the 24/7 rota and pooled capacity on, statutory funding up.
    driver.find_element("css selector", "input[name='network.rota_24_7']").click()
    driver.find_element("css selector", "input[name='network.pooled_capacity']").click()
    driver.execute_script("const s = document.querySelector(\"input[name='funding.statutory_multiplier']\");"
                          "s.value = 1.5; s.dispatchEvent(new Event('input'));")
    _wait(driver, _finished(2) + " && document.getElementById('status').textContent.includes("
                  "'changed: network.pooled_capacity=true, network.rota_24_7=true, funding.statutory_multiplier=1.5')")
    changed = _cell(driver, "access_rate", 3)
    assert not changed.startswith("0.000 [0.000, 0.000]"), changed
    assert _cell(driver, "cost_total_per_year", 3) != "0.000 [0.000, 0.000]"
    # Every area drawn and coloured by its change.
    paths = driver.execute_script("return Array.from(document.querySelectorAll('#map path.area'))"
                                  ".map(p => [p.dataset.code, p.dataset.change, p.getAttribute('fill')])")
    assert len(paths) == n_features
    assert all(code and change not in (None, "") and fill for code, change, fill in paths), paths
    assert len({code for code, _, _ in paths}) == n_features
    for table in ("quintiles", "ethnic_groups", "place-of-death", "cost-per-payer"):
        assert driver.execute_script(f"return document.querySelectorAll('#{table} tbody tr').length") >= 3, table

    # A lever set to a value the page cannot check is refused with the server's words, shown on the page.
    driver.execute_script("const s = document.querySelector(\"input[name='network.training']\");"
                          "s.dataset.key = 'network.bogus'; s.dispatchEvent(new Event('input'));")
    _wait(driver, "!document.getElementById('errors').hidden", 30)
    assert "network.bogus" in driver.find_element("id", "errors").text
    driver.execute_script("const s = document.querySelector(\"input[name='network.training']\");"
                          "s.dataset.key = 'network.training';")

    _save_and_rerun(server, driver, tmp_path, "plan.toml")

    # Downloads: CSV at once; HDF5 written by the usual io code into the results folder.
    status_code, csv = _get(u + "api/results.csv")
    assert status_code == 200 and b"\naccess_rate,\"all\"," in csv
    code, body = _post(u + "api/results.h5", {"name": "explorer-results.h5"})
    assert code == 200
    h5 = Path(json.loads(body)["path"])
    assert h5.parent == server["results"]
    with open_results(h5) as res:
        assert set(res.summaries(derived=False)["arm"]) == {"A", "B"}


def _set_post(driver, *, who: str, amount: str, unit: str | None = None, year: str | None = None) -> None:
    """Fills the page's first funding-change entry (provider or selection, unit, year) and sets its
    amount last, firing the input event that sends the request."""
    fields = f"d.querySelector('select.provider').value = '{who}';"
    if unit is not None:
        fields += f"d.querySelector('select.unit').value = '{unit}';"
    if year is not None:
        fields += f"d.querySelector('input.year').value = '{year}';"
    driver.execute_script("const d = document.querySelector('#posts div.post');" + fields +
                          f"const a = d.querySelector('input.amount'); a.value = '{amount}';"
                          "a.dispatchEvent(new Event('input'));")


def _save_and_rerun(server, driver, tmp_path, name: str, run_args=()) -> Path:
    """Saves the page's settings as `name` and runs it with `cpcsim run`: the same means as the page."""
    driver.execute_script("const l = document.getElementById('saved-link'); if (l) l.remove();")
    driver.find_element("id", "save-name").clear()
    driver.find_element("id", "save-name").send_keys(name)
    driver.find_element("id", "save-button").click()
    _wait(driver, "document.getElementById('saved-link') !== null", 30)
    saved = Path(driver.find_element("id", "saved-link").get_attribute("data-path"))
    assert saved == server["results"] / name and saved.is_file()

    status = json.loads(_get(server["url"] + "api/status")[1])
    assert status["state"] == "done" and status["done"] == REPLICATES
    served = {m["name"]: m["b"]["mean"] for m in status["measures"]}

    out = tmp_path / (name + ".h5")
    subprocess.run([_binary(), "run", str(saved), "-r", str(REPLICATES), "-s", str(SEED), "-o", str(out), "-q",
                    *run_args],
                   check=True, capture_output=True)
    with open_results(out) as res:
        s = res.summaries(derived=False)
        means = s.groupby("measure")["value"].mean()
    for m in ("access_rate", "preferred_place_rate", "cost_total_per_year", "unplanned_admissions_per_year"):
        assert means[m] == pytest.approx(served[m], rel=1e-5), m
    return saved


def test_one_icb_rota_and_new_posts(server, driver, tmp_path):
    """A 24/7 rota in one ICB only: the numbers change, the map changes mostly in that ICB's areas,
    and the saved scenario (with its [[local_network]] block) reruns to the same numbers; then new
    posts for one provider, and a bad provider refused with the scenario's message."""
    u = server["url"]
    info = json.loads(_get(u + "api/levers")[1])
    icb = "Humber and North Yorkshire"
    inside = {a["code"] for a in info["areas"] if a["icb"] == icb}
    assert 0 < len(inside) < len(info["areas"])
    driver.set_window_size(1280, 1100)
    driver.get(u)
    _wait(driver, _finished(1) + " && document.getElementById('status').textContent.includes('no lever changed')")
    job = json.loads(_get(u + "api/status")[1])["job"]

    driver.find_element("id", "add-place").click()
    driver.execute_script("const s = document.querySelector('#places select.where');"
                          f"s.value = 'icb:{icb}'; s.dispatchEvent(new Event('change'));")
    # The rota is staffed by engaged SPPC staff (docs/model.md): it comes with a coordinator and
    # clinical leadership there.
    driver.find_element("css selector", "#places input.place-lever[data-lever='network.rota_24_7']").click()
    for lever in ("coordinator_wte", "leadership"):
        driver.execute_script(f"const s = document.querySelector(\"#places input[data-lever='network.{lever}']\");"
                              "s.value = 1; s.dispatchEvent(new Event('input'));")
    _wait(driver, _finished(job + 1) + " && document.getElementById('status').textContent.includes("
                  f"'local.1: coordinator_wte=1 icb={icb} leadership=1 rota_24_7=true')")  # fields by name
    for measure in ("access_rate", "preferred_place_rate"):
        assert not _cell(driver, measure, 3).startswith("0.000 [0.000, 0.000]"), measure

    def map_changes():
        paths = driver.execute_script("return Array.from(document.querySelectorAll('#map path.area'))"
                                      ".map(p => [p.dataset.code, Number(p.dataset.change)])")
        assert len(paths) == len(info["areas"])
        return ([abs(c) for code, c in paths if code in inside], [abs(c) for code, c in paths if code not in inside])

    # Access changes mostly in the ICB's areas (elsewhere only through shared providers)...
    change_in, change_out = map_changes()
    assert sum(change_in) / len(change_in) > 2 * sum(change_out) / len(change_out), (change_in, change_out)
    # ...and 24/7 end-of-life cover only there.
    driver.execute_script("const s = document.getElementById('map-measure'); s.value = 'cover';"
                          "s.dispatchEvent(new Event('change'));")
    change_in, change_out = map_changes()
    assert max(change_in) > 0 and max(change_out) == 0, (change_in, change_out)

    driver.execute_script("const s = document.getElementById('map-measure'); s.value = 'access';"
                          "s.dispatchEvent(new Event('change'));")
    shot = os.environ.get("CPCSIM_SCREENSHOT")
    if shot:  # tall enough to show the map under the table
        driver.set_window_size(1280, 1500)
        driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.5)
        driver.save_screenshot(shot)
        driver.set_window_size(1280, 1100)

    saved = _save_and_rerun(server, driver, tmp_path, "one-icb-rota.toml")
    text = saved.read_text()
    assert "[[local_network]]" in text and f'icb = "{icb}"' in text and "rota_24_7 = true" in text

    # New posts for one hospice from year 2: the cost changes, and the saved file reruns.
    job = json.loads(_get(u + "api/status")[1])["job"]
    driver.find_element("id", "add-post").click()
    hospice = next(p["id"] for p in info["providers"] if p["type"] == "hospice")
    _set_post(driver, who=hospice, year="2", amount="3")
    _wait(driver, _finished(job + 1) + " && document.getElementById('status').textContent.includes("
                  f"'post.1: income=statutory provider={hospice} wte=3 year=2')")
    saved = _save_and_rerun(server, driver, tmp_path, "one-icb-rota-posts.toml")
    assert f'target = "{hospice}"' in saved.read_text()

    # A funding change for every community nursing team of one ICB (a selection, not one provider): statutory
    # income x 0.7 from year 2; the saved file holds the selection and reruns to the page's numbers.
    job = json.loads(_get(u + "api/status")[1])["job"]
    _set_post(driver, who=f"sel:{icb}|ccn", unit="multiplier", amount="0.7")
    _wait(driver, _finished(job + 1) + " && document.getElementById('status').textContent.includes("
                  f"'post.1: icb={icb} income=statutory multiplier=0.7 provider_type=ccn year=2')")
    saved = _save_and_rerun(server, driver, tmp_path, "one-icb-ccn-cut.toml")
    text = saved.read_text()
    assert f'icb = "{icb}"' in text and 'provider_type = "ccn"' in text and "multiplier = 0.7" in text

    # A provider the scenario does not have: the loader's own message, shown on the page.
    driver.execute_script("const d = document.querySelector('#posts div.post');"
                          "const o = document.createElement('option'); o.value = 'no-such-hospice';"
                          "const s = d.querySelector('select.provider'); s.appendChild(o); s.value = 'no-such-hospice';"
                          "s.dispatchEvent(new Event('input'));")
    _wait(driver, "!document.getElementById('errors').hidden", 30)
    assert "funding_change target 'no-such-hospice'" in driver.find_element("id", "errors").text
    status, body = _post(u + "api/run", {"local.1.icb": "Nowhere", "local.1.rota_24_7": "true"})
    assert status == 400 and "unknown ICB 'Nowhere'" in body.decode()


def test_parameter_uncertainty(server, driver, tmp_path):
    """The page's switch runs both arms with parameter draws: the same draw in both arms of a pair
    (no lever moved: no difference at all), wider intervals, the mode said on the page, and the
    saved scenario reruns to the same numbers with the options its header gives."""
    u = server["url"]
    driver.get(u)
    _wait(driver, _finished(1) + " && document.getElementById('status').textContent.includes('no lever changed')")
    assert "scenario's parameter values" in driver.find_element("id", "mode").text
    point = json.loads(_get(u + "api/status")[1])
    driver.find_element("id", "uncertainty").click()
    _wait(driver, _finished(point["job"] + 1) + " && document.getElementById('mode').dataset.mode === 'prior'")
    assert "the same draw in both arms" in driver.find_element("id", "mode").text
    drawn = json.loads(_get(u + "api/status")[1])
    assert drawn["uncertainty"] == "prior"
    width = lambda s, m: next(x["a"]["high"] - x["a"]["low"] for x in s["measures"] if x["name"] == m)
    assert width(drawn, "cost_total_per_year") > width(point, "cost_total_per_year")
    for m in drawn["measures"]:
        assert m["diff"]["mean"] == 0, m
    driver.find_element("css selector", "input[name='network.rota_24_7']").click()
    _wait(driver, _finished(drawn["job"] + 1) + " && document.getElementById('status').textContent.includes("
                  "'changed: network.rota_24_7=true')")
    saved = _save_and_rerun(server, driver, tmp_path, "with-draws.toml",
                            ("--uncertainty", "prior", "--replicates-per-draw", "2"))
    assert "--uncertainty prior --replicates-per-draw 2" in saved.read_text()


def test_solve_panel(server, driver):
    """The solve panel: a bad target shows the server's problem; a one-lever solve draws the
    settings tried with Chart.js and shows the server's answer."""
    driver.set_window_size(1200, 900)
    driver.get(server["url"])
    _wait(driver, "document.getElementById('solve-form') !== null && typeof Chart !== 'undefined'")
    set_value = "(id, v) => { document.getElementById(id).value = v; }"
    driver.execute_script(f"({set_value})('solve-value', 'abc')")
    driver.find_element("id", "solve-button").click()
    _wait(driver, "!document.getElementById('solve-errors').hidden")
    assert "field target: expected MEASURE >= VALUE" in driver.find_element("id", "solve-errors").text
    # One lever, no measure to minimise: the bisection, on 2 replicates of the baseline's seed.
    for element, value in [("solve-kind", "change from the baseline"), ("solve-measure", "access_rate"),
                           ("solve-op", ">="), ("solve-value", "0.002"), ("solve-minimise", ""),
                           ("solve-replicates", "2"), ("solve-confidence", "0.5")]:
        driver.execute_script(f"({set_value})(arguments[0], arguments[1])", element, value)
    driver.find_element("id", "solve-button").click()
    _wait(driver, "document.getElementById('solve-answer').textContent !== ''", timeout=300)
    status, body = _get(server["url"] + "api/solve")
    result = json.loads(body)
    assert result["state"] == "done"
    points = result["result"]["points"]
    answer = result["result"]["answer"]
    assert answer is not None and answer["share_met"]["share"] >= 0.5
    value = answer["levers"]["funding.statutory_multiplier"]
    assert 1.0 <= value <= 3.0
    text = driver.find_element("id", "solve-answer").text
    assert text.startswith(f"Answer: funding.statutory_multiplier = {value:.3f}")
    drawn = driver.execute_script(
        "const c = Chart.getChart('solve-chart'); return c.data.datasets[0].data.length + c.data.datasets[1].data.length")
    assert drawn == len(points)
    assert "Solve done" in driver.find_element("id", "solve-status").text
    assert not driver.find_element("id", "solve-errors").is_displayed()


def test_page_fits_a_phone(server, driver):
    driver.set_window_size(390, 900)
    driver.get(server["url"])
    _wait(driver, "document.getElementById('status').dataset.state !== undefined")
    inner = driver.execute_script("return window.innerWidth")
    assert driver.execute_script("return document.documentElement.scrollWidth") <= inner
