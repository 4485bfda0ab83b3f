"""analysis.engagement: the network's effect as a function of the engagement its members reached."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import engagement as en
from analysis.results import open_results


def test_engagement_by_type_on_real_runs(compare_file):
    with open_results(compare_file) as r:
        b = en.engagement_by_type(r, "B")
        assert set(b["provider_type"]) == {"hospice", "sppc", "ccn", "hospital"}
        assert ((b["mean"] > 0) & (b["mean"] < 1)).all()
        assert (b["min_member"] <= b["mean"]).all() and (b["mean"] <= b["max_member"]).all()
        assert int(b["members"].sum()) == len(r.provider_info(arm="B"))
        a = en.engagement_by_type(r, "A")  # no network: nobody engages
        assert (a["max_member"] == 0).all()


def test_effect_by_replicate_is_the_paired_difference(compare_file):
    with open_results(compare_file) as r:
        per = en.effect_by_replicate(r)
        s = r.summaries(["death_hospital_share"]).pivot_table(index="replicate", columns="arm", values="value")
        np.testing.assert_allclose(per.set_index("replicate")["death_hospital_share"], s["B"] - s["A"], rtol=1e-12)
        assert ((per["engagement"] > 0) & (per["engagement"] < 1)).all()
        fits = en.slopes(per)  # 3 replicates: too few for a slope, and it says so
        assert fits["slope"].isna().all()
        assert fits["reason"].str.contains("at least 4").all()


def test_slopes_recover_a_known_line():
    rng = np.random.default_rng(7)
    x = np.linspace(0.3, 0.8, 40)
    per = pd.DataFrame({"engagement": x, "death_hospital_share": -0.4 * x + 0.01 + rng.normal(0, 0.002, x.size),
                        "access_rate": 0.1 * x})
    f = en.slopes(per, ["death_hospital_share", "access_rate"]).set_index("outcome")
    # per 0.1 engagement: -0.04 and +0.01
    assert f.loc["death_hospital_share", "low"] < -0.04 < f.loc["death_hospital_share", "high"]
    assert f.loc["death_hospital_share", "high"] - f.loc["death_hospital_share", "low"] < 0.005
    assert math.isclose(f.loc["access_rate", "slope"], 0.01, rel_tol=1e-9)


def test_no_slope_when_engagement_does_not_vary():
    per = pd.DataFrame({"engagement": [0.5, 0.5, 0.501, 0.5, 0.5], "access_rate": [0.01, 0.02, 0.0, 0.01, 0.03]})
    f = en.slopes(per, ["access_rate"]).iloc[0]
    assert math.isnan(f["slope"]) and "varies too little" in f["reason"]
