"""Per-child records (`--records`): one call gives a DataFrame, and the aggregate tables of the
same file are recomputed from it exactly."""
from __future__ import annotations

import h5py
import numpy as np
import pytest

import cpcsim_fixtures as fx
from analysis.records import RecordsError, child_records, referral_records


def _labels(f, name):
    return [x.decode() if isinstance(x, bytes) else x for x in f[name][()]]


@pytest.fixture(scope="module")
def records_file(binary, tmp_path_factory):
    out = tmp_path_factory.mktemp("records") / "records.h5"
    return fx.simulate(binary, fx.SCENARIOS / "no-network.toml", out, replicates=2, extra=["--records"])


def test_records_recompute_the_annual_and_monthly_tables(records_file):
    kids = child_records(records_file)
    refs = referral_records(records_file)
    assert len(kids) > 1000 and set(kids.replicate) == {0, 1}
    with h5py.File(records_file, "r") as f:
        annual, monthly = f["runs/annual"][()], f["runs/monthly"][()]
        avars, mvars = _labels(f, "labels/annual_vars"), _labels(f, "labels/monthly_vars")
        years = len(f["labels/years"][()])
    a = {v: annual[..., j].reshape(annual.shape[0], annual.shape[1], -1).sum(axis=2) for j, v in enumerate(avars)}
    for rep in (0, 1):
        k = kids[kids.replicate == rep]
        exit_day = k.exit_day.astype("float").to_numpy()  # <NA> -> nan: still alive
        for y in range(years):
            alive = (k.entry_day.to_numpy() < (y + 1) * 365) & (np.isnan(exit_day) | (exit_day >= y * 365))
            assert alive.sum() == a["children"][rep, y]
            died = (k.exit_cause == "death").to_numpy() & (np.floor(exit_day / 365) == y)
            assert died.sum() == a["deaths"][rep, y]
            for place in ("home", "hospice", "hospital"):
                assert (died & (k.death_place == place).to_numpy()).sum() == a[f"deaths_{place}"][rep, y]
            assert (died & (k.death_place == k.preferred_place).to_numpy()).sum() == a["deaths_preferred_place"][rep, y]
            assert (died & k.acp.to_numpy()).sum() == a["deaths_with_acp"][rep, y]
        for j, v in enumerate(mvars):
            if v != "prevalent":
                assert k[v].sum() == monthly[rep, ..., j].sum(), v
        r = refs[refs.replicate == rep]
        assert (r.sent_day >= 0).sum() == monthly[rep, ..., mvars.index("referrals")].sum()
        assert ((r.sent_day >= 0) & (r.outcome == "lost")).sum() == monthly[rep, ..., mvars.index("referrals_lost")].sum()
    # Days in the phases add up to each child's days in the horizon.
    end = years * 365
    span = np.minimum(kids.exit_day.astype("float").fillna(end).to_numpy(), end) - np.maximum(kids.entry_day, 0)
    phases = kids[["stable_days", "unstable_days", "deteriorating_days", "dying_days"]].sum(axis=1).to_numpy()
    assert (phases == np.maximum(span, 0)).all()


def test_files_without_records_say_so(run_file):
    with pytest.raises(RecordsError, match="no per-child records.*--records"):
        child_records(run_file)


def test_validation_table_checks_hospice_activity_against_the_runs(records_file):
    """The out-of-sample table (analysis/validation.py) compares hospice bed occupancy and the
    hospice caseload with published figures, each computed from the run's own tables."""
    from analysis.results import Results
    from analysis.validation import validation_table

    table, info = validation_table(records_file)
    assert info["replicates"] == 2
    rows = table.set_index("figure")
    occ = rows.loc["hospice bed occupancy (children's nights / staffed bed-nights)"]
    load = rows.loc["children on the region's hospice caseloads in a year"]
    with Results(records_file) as res:
        s = res.arm().frame("runs/summary")
        p = res.arm().frame("runs/provider")
    assert occ["_mean"] == pytest.approx(s[s.measure == "hospice_bed_occupancy"]["value"].mean())
    assert 0.2 < occ["_mean"] < 1.0
    with h5py.File(records_file, "r") as f:
        names, types = _labels(f, "labels/provider_names"), _labels(f, "labels/provider_types")
    hospices = {n for n, t in zip(names, types) if t == "hospice"}
    assert len(hospices) == 4
    per = p[(p.variable == "caseload") & p.provider.astype(str).isin(hospices)]
    expected = per.groupby(["replicate", "year"])["value"].sum().groupby("replicate").mean().mean()
    assert load["_mean"] == pytest.approx(expected)
    assert 400 < load["_mean"] < 2000
    assert load["verdict"] in ("consistent", "overlaps", "outside")
