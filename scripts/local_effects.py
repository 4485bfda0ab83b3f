#!/usr/bin/env python3
"""Per-ICB paired effects of a comparison (cpcsim compare A B ...): where a local lever acts.

    /usr/bin/python3 scripts/local_effects.py compare.h5 [--provider ID ...]

For each ICB: B - A per year, mean over paired replicates with a 95% t interval, of children
reached (access), deaths at the preferred place, unplanned admissions, unmet SPPC and CCN days and
nights of 24/7 cover at home (summed over the ICB's areas); and for each --provider (id) its
contacts/visits/nights given, caseload, effective WTE and engagement. "(noise)" marks an interval
that holds 0. Used for docs/funding.md, "Local levers: worked scenarios".
"""
import argparse
import sys
from pathlib import Path

import h5py
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis import open_results  # noqa: E402

MONTHLY = ["unplanned_admissions", "unmet_days_sppc", "unmet_days_ccn"]
ANNUAL = ["reached", "children", "deaths_preferred_place", "deaths"]
T95 = {2: 12.71, 3: 4.30, 4: 3.18, 5: 2.78, 6: 2.57, 8: 2.36, 10: 2.26, 20: 2.09, 40: 2.02}


def t_interval(d):
    d = np.asarray(d, dtype=float)
    m = d.mean()
    se = d.std(ddof=1) / np.sqrt(d.size)
    t = T95.get(d.size, 2.0)
    return m, m - t * se, m + t * se


def fmt(m, lo, hi, digits=1):
    if m == 0 and lo == 0 and hi == 0:
        return "0 (identical)"
    noise = "" if (lo > 0 or hi < 0) else " (noise)"
    return f"{m:+.{digits}f} [{lo:+.{digits}f}, {hi:+.{digits}f}]{noise}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--provider", action="append", default=[])
    args = ap.parse_args()
    with open_results(args.file) as res:
        pop = res.population(arm="A")
        icb_of = dict(zip(pop["area"].astype(str), pop["icb"]))
        per = {}
        for arm in ("A", "B"):
            an = res.annual(ANNUAL, by=["area"], wide=True, arm=arm)
            mo = res.monthly(MONTHLY, by=["area"], wide=True, arm=arm)
            years = an["year"].nunique()
            an["icb"] = an["area"].astype(str).map(icb_of)
            mo["icb"] = mo["area"].astype(str).map(icb_of)
            per[arm] = (an.groupby(["replicate", "icb"])[ANNUAL].sum() / years).join(
                mo.groupby(["replicate", "icb"])[MONTHLY].sum() / years)
            with h5py.File(args.file, "r") as f:  # [replicate, year, area]
                cover = f[f"arms/{arm}/runs/area_cover_days"][...].sum(axis=1) / years
            names = list(pop["area"].astype(str))
            for i, rep in enumerate(sorted(per[arm].index.get_level_values(0).unique())):
                for icb in set(icb_of.values()):
                    per[arm].loc[(rep, icb), "cover_nights"] = sum(
                        cover[i, a] for a, n in enumerate(names) if icb_of[n] == icb)
        d = per["B"] - per["A"]
        n = d.index.get_level_values(0).nunique()
        print(f"B - A per year by ICB (mean over {n} paired replicates [95% t interval])\n")
        cols = [("reached", "children reached"), ("deaths_preferred_place", "deaths at the preferred place"),
                ("unplanned_admissions", "unplanned admissions"), ("unmet_days_sppc", "unmet SPPC days"),
                ("unmet_days_ccn", "unmet CCN days"), ("cover_nights", "area-nights of 24/7 cover")]
        print("| ICB | " + " | ".join(c[1] for c in cols) + " |")
        print("|---|" + "---:|" * len(cols))
        for icb, g in d.groupby(level="icb"):
            print(f"| {icb} | " + " | ".join(fmt(*t_interval(g[v].values)) for v, _ in cols) + " |")
        if args.provider:
            variables = ["units_given", "caseload", "effective_wte", "engagement"]
            pv = {arm: res.providers(variables, wide=True, arm=arm).groupby(["replicate", "provider_id"])[variables]
                  .mean() for arm in ("A", "B")}
            dp = pv["B"] - pv["A"]
            print("\n| provider (mean per year) | units given | caseload | effective WTE | engagement |")
            print("|---|---:|---:|---:|---:|")
            for p in args.provider:
                g = dp.xs(p, level="provider_id")
                print(f"| {p} | " + " | ".join(fmt(*t_interval(g[v].values), digits=2) for v in variables) + " |")


if __name__ == "__main__":
    main()
