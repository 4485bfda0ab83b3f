#!/usr/bin/python3
"""Prints the README's headline tables (markdown rows) from real comparison files, so that the
README's numbers are regenerated, not retyped:

    scripts/readme-headline.py uncertainty out/default-compare.h5      # the table with parameter uncertainty
    scripts/readme-headline.py plain "no network -> full network" A.h5 [LABEL B.h5 ...]   # noise only

`uncertainty` needs a file from `cpcsim compare --uncertainty ...` (scripts/run-default.sh writes
one); `plain` takes pairs of a row label and a plain `cpcsim compare` file (fixed parameters).
Every number comes from analysis.uncertainty / analysis.compare, as in the report.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.compare import compare  # noqa: E402
from analysis.report import fmt, likelihood_words  # noqa: E402
from analysis.results import Results  # noqa: E402
from analysis.uncertainty import analyse_comparison  # noqa: E402

# headline, row label, kind of number, what "better" means in words
UNCERTAIN_ROWS = [
    ("children_reached_per_year", "children reached a year", "count", None),
    ("preferred_place_rate", "deaths at the preferred place", "points", None),
    ("unplanned_admissions_per_year", "unplanned admissions a year", "count", None),
    ("cost_total_per_year", "total cost a year", "money", "lower"),
    ("first_assessment_wait_days", "wait for a first SPPC assessment", "days", None),
    ("unmet_days_sppc_per_year", "unmet SPPC need (child-days a year)", "count", None),
    ("unmet_days_ccn_per_year", "unmet community nursing need (child-days a year)", "count", None),
    ("respite_nights_unmet_per_year", "unmet short-break nights a year", "count", None),
]

PLAIN_COLUMNS = [
    ("access_rate", "percent"),
    ("adequate_care_rate", "percent"),
    ("preferred_place_rate", "percent"),
    ("death_hospital_share", "percent"),
    ("first_assessment_wait_days", "days"),
    ("access_gini_areas", "ratio3"),
    ("cost_total_per_year", "money"),
]


def _signed(v: float, kind: str) -> str:
    if kind == "ratio3":
        return f"{v:+.3f}".replace("-", "−")
    return fmt(v, kind, signed=True, short=True)


def _plain(v: float, kind: str) -> str:
    return f"{v:.3f}" if kind == "ratio3" else fmt(v, kind, short=True)


def uncertainty_table(path: str) -> None:
    u = analyse_comparison(path)
    print(f"({len(u.draws) // max(1, u.per_draw)} parameter draws, {u.per_draw} replicates each)\n")
    print("| no network → full network | B − A [95% over draws] | P(full network better) | driver |")
    print("|---|---|---|---|")
    for name, label, kind, _ in UNCERTAIN_ROWS:
        h = u.headlines.loc[name]
        cell = f"{_signed(h['mean'], kind)} [{_signed(h['low'], kind)}, {_signed(h['high'], kind)}]"
        p = h["prob_better"]
        drivers = u.drivers(name, top=2)
        drive = ", ".join(f"`{d.removeprefix('prior_quantile.')}`" for d in drivers.index) if len(drivers) else "none clear"
        noise = h["noise_share"]
        print(f"| {label} | {cell} | {p * 100:.0f}%: {likelihood_words(p)} (noise {noise * 100:.0f}% of the spread) "
              f"| {drive} |")


def plain_table(pairs: list[str]) -> None:
    if len(pairs) % 2:
        sys.exit("plain: expected pairs of LABEL FILE")
    print("| question | " + " | ".join(m for m, _ in PLAIN_COLUMNS) + " |")
    print("|---|" + "---|" * len(PLAIN_COLUMNS))
    for label, path in zip(pairs[::2], pairs[1::2]):
        table = compare(Results(path))
        cells = []
        for m, kind in PLAIN_COLUMNS:
            rows = table[table["measure"] == m]
            if rows.empty:
                cells.append("n/a")
                continue
            r = rows.iloc[0]
            k = "points" if kind == "percent" else kind
            cells.append(f"{_plain(r['mean_a'], kind)} → {_plain(r['mean_b'], kind)}: "
                         f"{_signed(r['difference'], k)} [{_signed(r['low'], k)}, {_signed(r['high'], k)}]")
        print(f"| **{label}** | " + " | ".join(cells) + " |")


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[0] not in ("uncertainty", "plain"):
        sys.exit(__doc__)
    if argv[0] == "uncertainty":
        uncertainty_table(argv[1])
    else:
        plain_table(argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
