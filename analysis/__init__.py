"""cpcsim analysis: read cpcsim results files into tidy pandas tables, compare scenarios on common
random numbers, recompute the equity measures independently, and write a commissioner's report.

    from analysis import open_results, compare_arms, recompute_equity
    with open_results("compare.h5") as res:
        res.summaries()                 # long: arm, run, replicate, measure, value, unit, description
        compare_arms(res)               # B - A per measure: paired 95% interval, Welch, narrowing

    child_records("results.h5")      # --records: one row per child per replicate

    /usr/bin/python3 -m analysis.report results.h5 -o report.html [--figures DIR]

See analysis/README.md. Needs Debian's python3 with python3-h5py, -numpy, -pandas, -matplotlib.
"""
from .compare import compare_arms, compare_groups, compare_points, cost_per_extra
from .equity import check_against_simulator
from .equity import recompute as recompute_equity
from .equity import rates_by_group
from .records import RecordsError, child_records, referral_records
from .results import FORMAT, SCHEMA_VERSION, Results, ResultsError, open_results
from .stats import mean_interval, paired_difference
from .sweep import curve, marginal_spread, morris, point_means
from .targets import implausibility, load_targets, target_values
from .uncertainty import analyse_comparison

__all__ = [
    "analyse_comparison",
    "FORMAT",
    "SCHEMA_VERSION",
    "Results",
    "ResultsError",
    "open_results",
    "compare_arms",
    "compare_points",
    "compare_groups",
    "cost_per_extra",
    "recompute_equity",
    "check_against_simulator",
    "rates_by_group",
    "mean_interval",
    "paired_difference",
    "curve",
    "morris",
    "marginal_spread",
    "point_means",
    "child_records",
    "referral_records",
    "RecordsError",
    "load_targets",
    "target_values",
    "implausibility",
]
