#!/usr/bin/python3
"""Markdown tables of funding-response sweeps for docs/funding.md: every measure at every level,
with the paired difference from the 100% point (common random numbers) and its 95% interval.

usage: scripts/funding-tables.py SWEEP.h5 [--group PREFIX ...]
  A grid sweep over one multiplier: one table, columns by the multiplier's value.
  A variants sweep (funding-response-by-type.toml): one table per --group PREFIX (the variants
  whose names start with it, plus the variant named "baseline" as the 100% column).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis import sweep as sw  # noqa: E402
from analysis.results import open_results  # noqa: E402

MEASURES = [  # (name, label, kind): kind "share" prints % and differences in points
    ("access_rate", "access (any hospice or SPPC contact in the year)", "share"),
    ("adequate_care_rate", "adequate care (>= 80% of the care due)", "share"),
    ("first_assessment_wait_days", "wait for a first SPPC assessment (days)", "num"),
    ("respite_nights_unmet_per_year", "short-break nights asked for and not given, a year", "num"),
    ("unmet_days_ccn_per_year", "child-days with a nursing visit due and not given, a year", "num"),
    ("unmet_days_sppc_per_year", "child-days with an SPPC contact due and not given, a year", "num"),
    ("hospice_bed_occupancy", "hospice bed occupancy", "share"),
    ("preferred_place_rate", "deaths at the preferred place", "share"),
    ("death_hospital_share", "deaths in hospital", "share"),
    ("unplanned_admissions_per_year", "unplanned admissions a year", "num"),
    ("bed_days_per_year", "hospital bed-days a year", "num"),
    ("cost_total_per_year", "total cost a year", "money"),
    ("cost_care_given_per_year", "care given at marginal unit costs, a year", "money"),
    ("cost_unmet_need_per_year", "unmet need at marginal unit costs, a year", "money"),
]


def num(x: float) -> str:
    a = abs(x)
    return f"{x:,.0f}" if a >= 100 else f"{x:.1f}" if a >= 10 else f"{x:.2f}"


def value(x: float, kind: str) -> str:
    return f"{100 * x:.1f}%" if kind == "share" else f"£{x / 1e6:.2f}m" if kind == "money" else num(x)


def diff(row, kind: str) -> str:
    d, lo, hi = row["difference"], row["low"], row["high"]
    if kind == "share":
        return f"{100 * d:+.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}] pts"
    if kind == "money":
        return f"{d / 1e6:+.2f}m [{lo / 1e6:+.2f}, {hi / 1e6:+.2f}]"
    return f"{num(d) if d < 0 else '+' + num(d)} [{num(lo)}, {num(hi)}]"


def table(paired, columns: list[tuple[str, int]], base: int) -> str:
    out = ["| measure | " + " | ".join(label for label, _ in columns) + " |",
           "|---|" + "---:|" * len(columns)]
    for name, label, kind in MEASURES:
        cells = []
        for _, point in columns:
            row = paired[(paired["measure"] == name) & (paired["point"] == point)].iloc[0]
            cells.append(value(row["mean"], kind) if point == base else
                         f"{value(row['mean'], kind)}<br>{diff(row, kind)}")
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def percent(name: str) -> int:
    m = re.search(r"(\d+)%", name)
    return int(m.group(1)) if m else 100


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sweep")
    ap.add_argument("--group", action="append", default=[])
    a = ap.parse_args(argv)
    with open_results(a.sweep) as r:
        design = r.design()
        names = dict(zip(design["point"], design["point_name"]))
        if a.group:
            base = int(design[design["point_name"] == "baseline"]["point"].iloc[0])
        else:
            param = r.parameter_names()[0]
            base = int(design[design[param] == 1.0]["point"].iloc[0])
        paired = sw.paired_with(r, base, [m for m, _, _ in MEASURES])
        n = int(paired["n"].min())
        if a.group:
            for g in a.group:
                pts = [p for p, nm in names.items() if nm.startswith(g)] + [base]
                cols = sorted(((f"{percent(names[p])}%", p) for p in pts), key=lambda c: percent(c[0]))
                print(f"### {g}: statutory income at 50% to 150%\n")
                print(table(paired, cols, base) + "\n")
        else:
            cols = [(f"{100 * v:.0f}%", int(p)) for p, v in zip(design["point"], design[param])]
            print(table(paired, cols, base) + "\n")
        print(f"(means over {n} paired replicates; under each level, the paired difference from 100% and its "
              f"95% interval)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
