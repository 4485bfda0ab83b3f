"""analysis.results: opening and checking files, and the tidy tables, on real simulator output.

Only structure, labels and internal consistency are checked, never particular outcome values
(the model is being recalibrated).
"""
from __future__ import annotations

import shutil
import tomllib

import h5py
import numpy as np
import pandas as pd
import pytest

from analysis.results import CELL_DIMS, ResultsError, open_results
import cpcsim_fixtures as fx


def _labels(path, name, group="/"):
    with h5py.File(path, "r") as f:
        return [x.decode() if isinstance(x, bytes) else str(x) for x in f[group]["labels/" + name][()]]


# ----- opening and checking ---------------------------------------------------------------------------
def test_run_file_opens_with_kind_and_provenance(run_file):
    with open_results(run_file) as r:
        assert r.kind == "run"
        assert r.arm_names == ["run"]
        for key in ("format", "schema_version", "program_version", "git_commit", "command_line",
                    "created_utc", "scenario_name", "seed", "replicates"):
            assert key in r.provenance
        assert r.provenance["format"] == "cpcsim-results"
        assert r.arm().n_runs == r.provenance["replicates"] == 3
        assert list(r.years) == [int(y) for y in h5py.File(run_file, "r")["labels/years"][()]]


def test_missing_file_names_the_file(tmp_path):
    p = tmp_path / "nope.h5"
    with pytest.raises(ResultsError, match="nope.h5: no such file"):
        open_results(p)


def test_non_hdf5_file_is_refused(tmp_path):
    p = tmp_path / "notes.h5"
    p.write_text("this is not HDF5\n")
    with pytest.raises(ResultsError, match=r"notes\.h5: not an HDF5 file.*cpcsim results file"):
        open_results(p)


def test_foreign_hdf5_file_is_refused(tmp_path):
    p = tmp_path / "foreign.h5"
    with h5py.File(p, "w") as f:
        f["x"] = np.arange(3)
    with pytest.raises(ResultsError, match=r"foreign\.h5: not a cpcsim results file.*format = \"cpcsim-results\""):
        open_results(p)
    with h5py.File(p, "a") as f:
        f.attrs["format"] = "something-else"
    with pytest.raises(ResultsError, match=r"foreign\.h5: not a cpcsim results file.*something-else"):
        open_results(p)


def test_newer_schema_version_is_refused(run_file, tmp_path):
    p = tmp_path / "future.h5"
    shutil.copy(run_file, p)
    with h5py.File(p, "a") as f:
        f.attrs["schema_version"] = np.int64(99)
    with pytest.raises(ResultsError, match=r"future\.h5: schema version 99 is newer.*schema versions 1 to 1"):
        open_results(p)


def test_truncated_file_is_refused(run_file, tmp_path):
    p = tmp_path / "truncated.h5"
    data = run_file.read_bytes()
    p.write_bytes(data[: len(data) // 3])
    with pytest.raises(ResultsError, match=r"truncated\.h5"):
        r = open_results(p)
        r.summaries()  # if opening survives, reading the data must not


def test_missing_dataset_is_refused(run_file, tmp_path):
    p = tmp_path / "incomplete.h5"
    shutil.copy(run_file, p)
    with h5py.File(p, "a") as f:
        del f["runs/equity_access"]
    with pytest.raises(ResultsError, match=r"incomplete\.h5: .*runs/equity_access"):
        open_results(p)


def test_unknown_kind_is_refused(run_file, tmp_path):
    p = tmp_path / "odd.h5"
    shutil.copy(run_file, p)
    with h5py.File(p, "a") as f:
        f.attrs["kind"] = "mystery"
    with pytest.raises(ResultsError, match=r"odd\.h5: unknown kind 'mystery'"):
        open_results(p)


def test_compare_without_arms_is_refused(run_file, tmp_path):
    p = tmp_path / "half.h5"
    shutil.copy(run_file, p)
    with h5py.File(p, "a") as f:
        f.attrs["kind"] = "compare"
    with pytest.raises(ResultsError, match=r"half\.h5: a compare file must hold /arms/A and /arms/B"):
        open_results(p)


# ----- tidy tables -----------------------------------------------------------------------------------
def test_runs_and_parameters(run_file):
    with open_results(run_file) as r:
        runs = r.runs()
        assert list(runs["run"]) == [0, 1, 2]
        assert list(runs["replicate"]) == [0, 1, 2]
        assert set(runs["arm"]) == {"run"}
        params = r.parameters()
        assert params["key"].is_unique
        toml = tomllib.loads(h5py.File(run_file, "r")["scenario/scenario_toml"][()].decode())
        years = params.set_index("key").loc["run.years", "value"]
        assert years == toml["run"]["years"] == len(r.years)
        assert set(params["section"]) >= {"run", "network", "funding"}


def test_summaries_long_with_units_match_raw(run_file):
    with open_results(run_file) as r:
        s = r.summaries(derived=False)
        measures = _labels(run_file, "summary_measures")
        assert len(s) == 3 * len(measures)
        assert s["unit"].notna().all() and s["description"].notna().all()
        raw = h5py.File(run_file, "r")["runs/summary"][()]
        for i, m in enumerate(measures[:10]):
            got = s[s["measure"] == m].sort_values("run")["value"].to_numpy()
            np.testing.assert_array_equal(got, raw[:, i])
        d = r.summaries()
        assert set(d[d["source"] == "analysis"]["measure"]) >= {"children_reached_per_year", "unmet_nights_symptom_per_year"}
        wide = r.summary_wide()
        assert len(wide) == 3 and "access_rate" in wide.columns and "children_reached_per_year" in wide.columns


def test_monthly_labels_dates_and_consistency(run_file):
    with open_results(run_file) as r:
        years = list(r.years)
        m = r.monthly(["deaths", "entries"], by=["quintile", "rural"])
        assert pd.api.types.is_datetime64_any_dtype(m["month"])
        months = sorted(m["month"].unique())
        assert len(months) == 12 * len(years)
        assert pd.Timestamp(months[0]) == pd.Timestamp(f"{years[0]}-01-01")
        assert pd.Timestamp(months[-1]) == pd.Timestamp(f"{years[-1]}-12-01")
        assert list(m["quintile"].cat.categories) == _labels(run_file, "quintiles")
        assert list(m["rural"].cat.categories) == ["urban", "rural"]
        assert set(m["variable"].astype(str)) == {"deaths", "entries"}
        # Summing the kept dimensions gives the totals; monthly deaths add up to the yearly counts.
        total = r.monthly("deaths")
        by = m[m["variable"] == "deaths"].groupby(["run", "month"])["value"].sum()
        np.testing.assert_array_equal(by.to_numpy(), total.sort_values(["run", "month"])["value"].to_numpy())
        total["year"] = total["month"].dt.year
        per_year = total.groupby(["run", "year"])["value"].sum()
        annual = r.annual("deaths").set_index(["run", "year"])["value"]
        np.testing.assert_array_equal(per_year.sort_index().to_numpy(), annual.sort_index().to_numpy())


def test_annual_by_area_wide(run_file):
    with open_results(run_file) as r:
        a = r.annual(by=["area"], wide=True)
        areas = _labels(run_file, "area_names")
        assert list(a["area"].cat.categories) == areas
        assert len(a) == 3 * len(r.years) * len(areas)
        for v in _labels(run_file, "annual_vars"):
            assert v in a.columns
        assert (a["reached"] <= a["children"]).all()
        long = r.annual("reached", by=["area"])
        np.testing.assert_array_equal(long["value"].to_numpy(), a["reached"].to_numpy())
        cells = r.annual("children", by=list(CELL_DIMS))
        assert {"area", "quintile", "ethnic_group", "rural"} <= set(cells.columns)
        assert cells["value"].sum() == r.annual("children")["value"].sum()


def test_provider_tables(run_file):
    with open_results(run_file) as r:
        info = r.provider_info()
        assert list(info["provider_id"]) == _labels(run_file, "provider_ids")
        p = r.providers(wide=True)
        assert set(p["provider_type"].astype(str)) == set(info["provider_type"])
        assert len(p) == 3 * len(r.years) * len(info)
        assert set(p["year"]) == set(int(y) for y in r.years)
        np.testing.assert_allclose(p["budget_gbp"], p["statutory_gbp"] + p["charitable_gbp"], rtol=1e-9, atol=1e-3)


def test_icb_costs_sum_to_the_region(run_file):
    with open_results(run_file) as r:
        c = r.icb_costs(wide=True)
        assert len(c) == 3 * len(r.years) * len(set(c["icb"]))
        p = r.providers(wide=True)
        for var, col in (("provider_statutory", "statutory_gbp"), ("provider_charitable", "charitable_gbp")):
            by_year = c.groupby(["run", "year"], observed=True)[var].sum()
            expected = p.groupby(["run", "year"], observed=True)[col].sum()
            np.testing.assert_allclose(by_year.to_numpy(), expected.to_numpy(), rtol=1e-9)
        np.testing.assert_allclose(c["total"], c["provider_statutory"] + c["provider_charitable"] + c["hospital"]
                                   + c["network"], rtol=1e-9)


def test_equity_table_periods(run_file):
    with open_results(run_file) as r:
        e = r.equity()
        assert set(e["outcome"]) == {"access", "preferred_place"}
        assert list(e["period"].cat.categories) == [str(y) for y in r.years] + ["horizon"]
        assert e.loc[e["period"] == "horizon", "year"].isna().all()
        assert (e.loc[e["period"] != "horizon", "year"].astype(int) ==
                e.loc[e["period"] != "horizon", "period"].astype(str).astype(int)).all()
        assert set(e["measure"]) == set(_labels(run_file, "equity_measures"))


def test_population_and_generic_table(run_file):
    with open_results(run_file) as r:
        pop = r.population()
        assert list(pop["area"].astype(str)) == _labels(run_file, "area_names")
        assert {"lat", "lon", "population_0_19", "share Q1 (least deprived)", "share White"} <= set(pop.columns)
        ages = r.table("children_by_age")
        assert list(ages["age_band"].cat.categories) == _labels(run_file, "age_bands")


def test_compare_file_has_two_arms(compare_file, run_file, run_file_b):
    with open_results(compare_file) as r:
        assert r.kind == "compare" and r.arm_names == ["A", "B"]
        runs = r.runs()
        assert list(runs["arm"]) == ["A"] * 3 + ["B"] * 3
        s = r.summaries(["access_rate"])
        with open_results(run_file) as ra, open_results(run_file_b) as rb:
            np.testing.assert_array_equal(s[s["arm"] == "A"]["value"], ra.summaries(["access_rate"])["value"])
            np.testing.assert_array_equal(s[s["arm"] == "B"]["value"], rb.summaries(["access_rate"])["value"])
        assert r.parameters()["arm"].unique().tolist() == ["A", "B"]
        m = r.monthly("deaths", by=["area"])
        assert m["area"].dtype.name == "category" and set(m["arm"]) == {"A", "B"}


def test_sweep_file_tables(sweep_file):
    with open_results(sweep_file) as r:
        assert r.kind == "sweep" and r.design_type == "grid"
        assert r.parameter_names() == ["funding.statutory_multiplier"]
        runs = r.runs()
        assert list(runs["point"]) == [0, 0, 1, 1, 2, 2]
        assert list(runs["replicate"]) == [0, 1, 0, 1, 0, 1]
        assert list(runs["funding.statutory_multiplier"]) == [0.8, 0.8, 1.0, 1.0, 1.2, 1.2]
        assert list(runs["point_name"].unique()) == r.point_names()
        s = r.summaries(["access_rate"])
        assert {"point", "point_name", "run_id"} <= set(s.columns)
        d = r.design()
        assert list(d.columns) == ["point", "point_name", "funding.statutory_multiplier"]


def test_store_annual_file_reads_without_the_monthly_table(binary, sim_dir, run_file):
    """--store annual: same summary, no monthly table, a clear error naming --store when asked for it."""
    lean = fx.simulate(binary, fx.SCENARIOS / "no-network.toml", sim_dir / "run-A-annual.h5", replicates=3,
                       extra=["--store", "annual"])
    with open_results(lean) as r, open_results(run_file) as full:
        assert r.stored_outputs == ["annual", "provider"]
        assert full.stored_outputs == ["monthly", "annual", "provider"]
        s_lean = r.summaries(derived=False).sort_values(["run", "measure"])["value"].to_numpy()
        s_full = full.summaries(derived=False).sort_values(["run", "measure"])["value"].to_numpy()
        np.testing.assert_array_equal(s_lean, s_full)
        assert r.annual("deaths").equals(full.annual("deaths"))
        with pytest.raises(ResultsError, match="stores only 'annual,provider'.*--store all"):
            r.monthly("deaths")
        derived = set(r.summaries()["measure"])
        assert "unmet_nights_symptom_per_year" not in derived  # needs the monthly table
        assert "deaths_home_per_year" in derived
