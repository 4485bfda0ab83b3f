"""A commissioner's HTML report from a cpcsim results file (run, compare or sweep).

    /usr/bin/python3 -m analysis.report results.h5 -o report.html [--figures DIR] [--points A B]

One self-contained page: every figure is embedded as a base64 PNG. --figures DIR also saves every
figure as PNG and SVG (for slides). The report is written to a temporary file in the same
directory and renamed into place, so a failure never leaves a partial report and never touches an
existing one. Errors print one line ("analysis.report: error: ...") and exit with status 1.

What the page shows and how to read it: docs/report.md.
"""
from __future__ import annotations

import argparse
import base64
import html
import math
import os
import re
import signal
import sys
import tempfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import engagement as eng
from . import plots
from .compare import compare, compare_groups, cost_per_extra, paired_values, sides
from .equity import check_against_simulator, rates_by_group
from .geo import BoundariesError, load_boundaries
from .results import Results, ResultsError, open_results
from .stats import mean_interval, paired_difference
from .sweep import curve, marginal_spread, morris, ordered_parameters
from . import uncertainty as unc

__all__ = ["build_report", "write_report", "main", "Report", "SECTION_HEADINGS"]

SECTION_HEADINGS = {
    "summary": "Summary",
    "benefits_harms": "Benefits and harms",
    "uncertainty": "How sure are we: parameter uncertainty",
    "engagement": "The effect and how engaged the members became",
    "sweep_curves": "Outcomes across the sweep",
    "sensitivity": "Sensitivity ranking",
    "access_groups": "Access by deprivation and ethnic group",
    "access_area": "Access by area",
    "lottery": "The postcode lottery",
    "death": "Place of death and preferred place",
    "unmet": "Unmet need",
    "admissions": "Unplanned admissions",
    "cost": "Cost",
    "appendix": "Appendix: how to reproduce these results",
}

# How to show a measure: (plain label, kind, noun for sentences). kinds: percent (a share in
# [0, 1], differences in percentage points), points (a rate difference), count, money, days,
# ratio, index.
MEASURE_STYLE = {
    "access_rate": ("Children reached (access rate)", "percent", "access rate"),
    "children_reached_per_year": ("Children reached a year", "count", "children reached a year"),
    "preferred_place_deaths_per_year": ("Deaths at the preferred place a year", "count",
                                        "deaths at the preferred place a year"),
    "children_per_year": ("Children with a life-limiting condition, per year", "count", "children with an LLC a year"),
    "known_rate": ("Known to palliative care", "percent", "share known to palliative care"),
    "first_assessment_wait_days": ("Wait for first SPPC contact (days)", "days", "wait for a first SPPC contact"),
    "referral_mean_delay_days": ("Referral delay (days)", "days", "referral delay"),
    "referral_lost_share": ("Referrals lost", "percent", "share of referrals lost"),
    "deaths_per_year": ("Deaths a year", "count", "deaths a year"),
    "preferred_place_rate": ("Deaths at the preferred place", "percent", "share of deaths at the preferred place"),
    "deaths_preferred_place_per_year": ("Deaths at the preferred place, a year", "count",
                                        "deaths at the preferred place a year"),
    "acp_at_death_rate": ("Advance care plan in place at death", "percent", "share of deaths with an advance care plan"),
    "death_home_share": ("Deaths at home", "percent", "share of deaths at home"),
    "death_hospice_share": ("Deaths in a hospice", "percent", "share of deaths in a hospice"),
    "death_hospital_share": ("Deaths in hospital", "percent", "share of deaths in hospital"),
    "areas_24_7_share": ("Area-days with 24/7 end-of-life cover at home", "percent", "24/7 cover"),
    "respite_nights_unmet_per_year": ("Short-break nights not given", "count", "short-break nights not given a year"),
    "unmet_nights_symptom_per_year": ("Symptom-management nights not given", "count",
                                      "symptom-management nights not given a year"),
    "unmet_days_eol_per_year": ("Dying child-days waiting for a hospice bed", "count", "end-of-life days waiting for a bed"),
    "unmet_days_ccn_per_year": ("Child-days with a nursing visit missed", "count", "child-days with a nursing visit missed"),
    "unmet_days_sppc_per_year": ("Child-days with an SPPC contact missed", "count", "child-days with an SPPC contact missed"),
    "unmet_days_hospice_home_per_year": ("Child-days with a hospice-at-home visit missed", "count",
                                         "child-days with a hospice-at-home visit missed"),
    "unplanned_admissions_per_year": ("Unplanned admissions a year", "count", "unplanned admissions a year"),
    "bed_days_per_year": ("Hospital bed-days a year", "count", "hospital bed-days a year"),
    "picu_days_per_year": ("PICU bed-days a year", "count", "PICU bed-days a year"),
    "cost_total_per_year": ("Total cost a year", "money", "total cost a year"),
    "cost_statutory_per_year": ("Paid by NHS and local authorities, a year", "money", "statutory spending a year"),
    "cost_charitable_per_year": ("Paid by charity, a year", "money", "charitable spending a year"),
    "cost_hospital_per_year": ("Unplanned hospital activity, a year", "money", "hospital cost a year"),
    "cost_network_per_year": ("Network costs, a year", "money", "network cost a year"),
    "cost_providers_statutory_per_year": ("Providers, statutory funding, a year", "money", "statutory provider funding"),
    "cost_providers_charitable_per_year": ("Providers, charitable funding, a year", "money", "charitable provider funding"),
    "cost_per_child_reached": ("Cost per child reached", "money", "cost per child reached"),
    "access_gini_areas": ("Gini of area access rates", "index", "Gini across areas"),
    "access_sii": ("Slope index of inequality (access)", "points", "slope index of inequality"),
}

EQUITY_STYLE = [
    # (measure in runs/equity_*, label, kind, how to read)
    ("rate_overall", "Overall rate", "percent", "share of children with the outcome"),
    ("gini_areas", "Gini across areas", "index", "0 = every area equal; higher = more unequal"),
    ("theil_t_areas", "Theil T across areas", "index", "0 = every area equal; more sensitive to areas far above average"),
    ("cv_areas", "Coefficient of variation across areas", "index", "spread of area rates as a fraction of the average"),
    ("best_worst_ratio_areas", "Best / worst area", "ratio", "1 = equal; 2 = best area reaches children twice as often"),
    ("max_rate_areas", "Best area's rate", "percent", ""),
    ("min_rate_areas", "Worst area's rate", "percent", ""),
    ("rate_ratio_q5_q1", "Most / least deprived fifth (rate ratio)", "ratio", "1 = equal; below 1 = the most deprived reached less"),
    ("rate_difference_q5_q1", "Most minus least deprived fifth", "points", "0 = equal; negative = the most deprived reached less"),
    ("sii", "Slope index of inequality (SII)", "points", "gap from least to most deprived end, using all fifths; negative = less access for the more deprived"),
    ("rii", "Relative index of inequality (RII)", "ratio", "1 = no gradient; below 1 = less access for the more deprived"),
    ("concentration_index", "Concentration index", "index", "0 = no concentration; negative = concentrated among the more deprived"),
    ("erreygers_index", "Erreygers index", "index", "as the concentration index, corrected for a rate between 0 and 1"),
    ("rate_ratio_south_asian_white", "South Asian / White (rate ratio)", "ratio", "1 = equal"),
    ("rate_ratio_black_white", "Black / White (rate ratio)", "ratio", "1 = equal"),
    ("rate_ratio_mixed_other_white", "Mixed or other / White (rate ratio)", "ratio", "1 = equal"),
    ("rural_urban_difference", "Rural minus urban", "points", "0 = equal; negative = rural children reached less"),
]

KEY_MEASURES = ["children_reached_per_year", "access_rate", "first_assessment_wait_days", "preferred_place_rate",
                "access_gini_areas", "access_sii", "unplanned_admissions_per_year", "respite_nights_unmet_per_year",
                "unmet_days_ccn_per_year", "unmet_days_sppc_per_year", "cost_total_per_year", "cost_per_child_reached"]

SWEEP_OUTCOMES = ["access_rate", "children_reached_per_year", "preferred_place_rate", "access_gini_areas",
                  "unplanned_admissions_per_year", "cost_total_per_year"]

UNMET_MEASURES = ["respite_nights_unmet_per_year", "unmet_nights_symptom_per_year", "unmet_days_eol_per_year",
                  "unmet_days_ccn_per_year", "unmet_days_sppc_per_year", "unmet_days_hospice_home_per_year"]

# The benefits-and-harms table: (measure, +1 if higher is better for children and payers, -1 if
# lower is). Benefits are what a change aims to improve; harms what it may make worse on the way.
BENEFITS = [("children_reached_per_year", +1), ("access_rate", +1), ("preferred_place_rate", +1),
            ("death_hospital_share", -1), ("unplanned_admissions_per_year", -1), ("bed_days_per_year", -1),
            ("cost_total_per_year", -1)]
HARMS = [("first_assessment_wait_days", -1), ("referral_lost_share", -1)] + [(m, -1) for m in UNMET_MEASURES]

# Plain words for deprivation fifths (results files label them "Q1 (least deprived)" .. "Q5 (most
# deprived)"): in sentences, and short forms for figure axes.
QUINTILE_WORDS = {"Q1": "the least deprived fifth", "Q2": "the second least deprived fifth", "Q3": "the middle fifth",
                  "Q4": "the second most deprived fifth", "Q5": "the most deprived fifth"}
QUINTILE_SHORT = {"Q1": "least deprived", "Q2": "2nd least", "Q3": "middle", "Q4": "2nd most", "Q5": "most deprived"}


GROUP_CAPTION = {"quintile": "deprivation (fifths of neighbourhoods)", "ethnic_group": "ethnic group",
                 "area": "area", "rural": "rurality"}


def group_words(label, short: bool = False) -> str:
    """'Q4' or 'Q5 (most deprived)' -> plain words; other group labels unchanged."""
    s = str(label)
    key = s.split(" ", 1)[0]
    table = QUINTILE_SHORT if short else QUINTILE_WORDS
    return table.get(key, s)


def verdict(low: float, high: float, direction: int) -> str:
    """'better', 'worse' or 'no clear change' for a paired difference's interval."""
    if _nan(low) or _nan(high) or (low <= 0 <= high):
        return "no clear change"
    return "better" if (low > 0) == (direction > 0) else "worse"


# ----- formatting ----------------------------------------------------------------------------------
def _nan(v) -> bool:
    try:
        return v is None or (isinstance(v, float) and math.isnan(v)) or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def fmt(v, kind: str, signed: bool = False, short: bool = False) -> str:
    """A value for a table or sentence ("24.5%", "£55.9 million", "4,230", "0.143"); short=True
    writes millions of pounds as "£55.9m" (tables)."""
    if _nan(v) or (isinstance(v, float) and math.isinf(v)):
        return "n/a"
    v = float(v)
    sign = "+" if signed and v > 0 else ("−" if v < 0 else "")
    a = abs(v)
    if kind == "percent":
        return f"{sign}{a * 100:.1f}%" if not signed else f"{sign}{a * 100:.1f} pts"
    if kind == "points":
        return f"{sign}{a * 100:.1f} pts"
    if kind == "money":
        if a >= 1e6:
            return f"{sign}£{a / 1e6:,.2f}{'m' if short else ' million'}"
        if a >= 1e4:
            return f"{sign}£{a:,.0f}"
        return f"{sign}£{a:,.0f}" if a >= 100 else f"{sign}£{a:,.2f}"
    if kind == "count":
        return f"{sign}{a:,.0f}" if a >= 100 else f"{sign}{a:,.1f}"
    if kind == "days":
        return f"{sign}{a:,.1f}"
    if kind == "ratio":
        return f"{sign}{a:.2f}" if a < 100 else f"{sign}{a:,.0f}"
    return f"{sign}{a:.3f}"


def narrowing_text(narrowing: float) -> str:
    """`narrowing` (1 - paired / unpaired half-width, analysis.stats) in words: "68% narrower",
    "12% wider", "n/a"."""
    if _nan(narrowing):
        return "n/a"
    pct = round(abs(narrowing) * 100)
    return f"{pct}% wider" if narrowing < 0 and pct > 0 else f"{pct}% narrower"


def likelihood_words(p: float) -> str:
    """A probability in words (the calibrated language of IPCC-style reports)."""
    if _nan(p):
        return "unknown"
    if p >= 0.99:
        return "almost certainly"
    if p >= 0.9:
        return "very likely"
    if p >= 0.66:
        return "likely"
    if p > 0.33:
        return "about as likely as not"
    if p > 0.1:
        return "unlikely"
    if p > 0.01:
        return "very unlikely"
    return "almost certainly not"


def fmt_interval(mean, low, high, kind: str, signed: bool = False) -> str:
    if _nan(low) or _nan(high):
        return fmt(mean, kind, signed)
    return f"{fmt(mean, kind, signed)} ({fmt(low, kind, signed)} to {fmt(high, kind, signed)})"


def cell_interval(mean, low, high, kind: str, signed: bool = False) -> str:
    """HTML for a table cell: the mean, and the 95% interval below it in small print."""
    m = _esc(fmt(mean, kind, signed, short=True))
    if _nan(low) or _nan(high):
        return m
    return (f"{m}<br><span class='ci'>{_esc(fmt(low, kind, signed, short=True))} to "
            f"{_esc(fmt(high, kind, signed, short=True))}</span>")


def _number(v: float, kind: str) -> str:
    """A magnitude without its unit word (money keeps its £)."""
    a = abs(v)
    if kind in ("percent", "points"):
        return f"{a * 100:.1f}"
    if kind == "count":
        return f"{a:,.0f}" if a >= 10 else f"{a:,.1f}"
    return fmt(a, kind)


def _unit_words(kind: str) -> str:
    return " percentage points" if kind in ("percent", "points") else ""


def describe_change(diff, low, high, kind: str, noun: str, more: str = "more", fewer: str = "fewer") -> str:
    """Plain-language change with its uncertainty: "between 40 and 65 more children reached a year",
    "between 1.2 and 2.0 percentage points higher", "no clear change ...: from 3 fewer to 5 more"."""
    unit = _unit_words(kind)
    tail = f" {noun}" if noun else ""
    in_noun = f" in {noun}" if noun else ""
    if _nan(diff):
        return f"no estimate{in_noun}"
    if _nan(low) or _nan(high):
        if diff == 0:
            return f"no change{in_noun} (one replicate: no interval)"
        word = more if diff > 0 else fewer
        return f"about {_number(diff, kind)}{unit} {word}{tail} (too few replicates for an interval)"
    if low == high == diff:
        if diff == 0:
            return f"no change{in_noun} (identical in every replicate)"
        return f"exactly {_number(diff, kind)}{unit} {more if diff > 0 else fewer}{tail} in every replicate"
    if low > 0:
        return f"between {_number(low, kind)} and {_number(high, kind)}{unit} {more}{tail}"
    if high < 0:
        return f"between {_number(high, kind)} and {_number(low, kind)}{unit} {fewer}{tail}"
    return (f"no clear change{in_noun}: the 95% interval runs from {_number(low, kind)}{unit} {fewer} "
            f"to {_number(high, kind)}{unit} {more}")


def _esc(s) -> str:
    return html.escape(str(s), quote=True)


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-") or "figure"


# ----- the page ------------------------------------------------------------------------------------
@dataclass
class FigureOut:
    name: str
    caption: str
    png: bytes
    svg: bytes | None = None


@dataclass
class Report:
    title: str
    html: str
    figures: list[FigureOut] = field(default_factory=list)


class _Builder:
    def __init__(self, res: Results, points=None, keep_svg: bool = False, boundaries=None):
        self.res = res
        self.boundaries = boundaries
        self.map_attribution: list[str] = []
        self.keep_svg = keep_svg
        self.figures: list[FigureOut] = []
        self.parts: list[str] = []
        self.kind = res.kind
        if res.kind == "run":
            arm = res.arm().name
            self.sides = [{"arm": arm, "point": None, "label": res.arm().scenario_name or "scenario"}]
        elif res.kind == "compare":
            self.sides = list(sides(res))
        else:
            pa, pb = points if points else _extreme_points(res)
            self.sides = list(sides(res, pa, pb))
        self.pair = len(self.sides) == 2
        self.summ = res.summaries()
        self.info = self.summ.drop_duplicates("measure").set_index("measure")[["unit", "description"]]
        self.diffs = compare(res, self.sides[0]["arm"] if res.kind == "compare" else self.sides[0]["point"],
                             self.sides[1]["arm"] if res.kind == "compare" else self.sides[1]["point"]
                             ) if self.pair else None
        self.years = [int(y) for y in res.years]

    # ----- helpers -------------------------------------------------------------------------------
    def side_short(self, i: int) -> str:
        s = self.sides[i]
        if self.kind == "compare":
            return s["arm"]
        if self.kind == "sweep":
            return f"point {s['point']}"
        return "scenario"

    def values(self, frame: pd.DataFrame, side: dict) -> pd.DataFrame:
        sel = frame["arm"] == side["arm"]
        if side["point"] is not None:
            sel &= frame["point"] == side["point"]
        return frame[sel]

    def level(self, measure: str, side: dict):
        v = self.values(self.summ[self.summ["measure"] == measure], side)["value"].to_numpy(float)
        return mean_interval(v)

    def diff(self, measure: str) -> dict | None:
        if self.diffs is None:
            return None
        row = self.diffs[self.diffs["measure"] == measure]
        return None if row.empty else row.iloc[0].to_dict()

    def style(self, measure: str):
        if measure in MEASURE_STYLE:
            return MEASURE_STYLE[measure]
        unit = self.info["unit"].get(measure, "") if measure in self.info.index else ""
        kind = {"share": "percent", "GBP": "money", "ratio": "ratio", "index": "index",
                "rate difference": "points", "days": "days"}.get(unit, "count")
        desc = self.info["description"].get(measure, measure) if measure in self.info.index else measure
        return desc[:1].upper() + desc[1:], kind, desc

    def figure(self, fig, name: str, caption: str) -> str:
        png = plots.png_bytes(fig)
        svg = plots.svg_bytes(fig) if self.keep_svg else None
        plots.plt.close(fig)
        slug = f"{len(self.figures) + 1:02d}-{_slug(name)}"
        self.figures.append(FigureOut(slug, caption, png, svg))
        b64 = base64.b64encode(png).decode("ascii")
        return (f'<figure id="fig-{slug}"><img src="data:image/png;base64,{b64}" alt="{_esc(caption)}">'
                f"<figcaption>{_esc(caption)}</figcaption></figure>")

    def h2(self, key: str) -> None:
        self.parts.append(f'<section id="{key}"><h2>{_esc(SECTION_HEADINGS[key])}</h2>')

    def end(self) -> None:
        self.parts.append("</section>")

    def p(self, text: str, cls: str = "") -> None:
        c = f' class="{cls}"' if cls else ""
        self.parts.append(f"<p{c}>{text}</p>")

    def measure_table(self, measures: list[str], caption: str = "") -> str:
        """Levels (run) or levels and paired differences (compare, sweep pair) of summary measures."""
        head = "<tr><th>Measure</th>"
        if self.pair:
            head += (f"<th>{_esc(self.side_short(0))}</th><th>{_esc(self.side_short(1))}</th>"
                     f"<th>Difference {_esc(self.side_short(1))} − {_esc(self.side_short(0))}</th>"
                     "<th title='1 − paired half-width ÷ unpaired (Welch) half-width'>Interval narrower by pairing</th>")
        else:
            head += "<th>Mean (95% interval)</th>"
        head += "</tr>"
        rows = []
        for m in measures:
            if m not in self.info.index:
                continue
            label, kind, _ = self.style(m)
            cells = [f"<td>{_esc(label)}</td>"]
            for side in self.sides:
                mi = self.level(m, side)
                cells.append(f"<td class='num'>{cell_interval(mi.mean, mi.low, mi.high, kind)}</td>")
            if self.pair:
                d = self.diff(m)
                if d is None:
                    cells.append("<td>n/a</td><td>n/a</td>")
                else:
                    dk = "points" if kind == "percent" else kind
                    cls = "num clear" if (d["low"] > 0 or d["high"] < 0) else "num"
                    cells.append(f"<td class='{cls}'>{cell_interval(d['difference'], d['low'], d['high'], dk, True)}</td>")
                    nar = d["narrowing"]
                    cells.append(f"<td class='num'>{narrowing_text(nar)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
        return f"<table class='measures'>{cap}<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"

    # ----- sections --------------------------------------------------------------------------------
    def build(self) -> str:
        self.summary()
        if self.pair:
            self.benefits_harms()
        if self.has_draws():
            self.uncertainty()
        if self.has_engagement():
            self.engagement()
        if self.kind == "sweep":
            self.sweep_curves()
            self.sensitivity()
        self.access_groups()
        self.access_area()
        self.lottery()
        self.death()
        self.unmet()
        self.admissions()
        self.cost()
        self.appendix()
        return "\n".join(self.parts)

    # ----- parameter uncertainty (files made with --uncertainty prior) --------------------------
    def has_draws(self) -> bool:
        return self.kind == "compare" and unc.has_draws(self.res.path)

    def uncertainty(self) -> None:
        u = unc.analyse_comparison(self.res.path)
        self.h2("uncertainty")
        n = int(u.headlines["n"].max())
        sources = unc.ensemble_sources(self.res.path)
        calibrated = (f" (the calibrated inputs from the {_esc(sources[0])}, the non-implausible parameter sets "
                      f"of history matching, docs/calibration.md)") if sources else ""
        self.p(f"These results were run with <b>parameter uncertainty</b>: every uncertain parameter (most "
               f"effect sizes are assumptions) was drawn from its declared distribution{calibrated}, one draw per "
               f"{u.per_draw} replicate pair{'s' if u.per_draw != 1 else ''} ({n} replicates, "
               f"{n // max(1, u.per_draw)} draws), the same draw in A and B. The ranges below are the middle 95% "
               f"of B − A over the draws, so they include what we do not know about the parameters, not only "
               f"simulation noise; the noise share says how much of that spread is noise alone.")
        rows = []
        for h in unc.HEADLINES:
            r = u.headlines.loc[h]
            label, kind, _ = self.style(h)
            drivers = u.drivers(h)
            names = ", ".join(f"{_esc(k)} ({v:+.2f})" for k, v in drivers["coefficient"].items()) or "none clear"
            rows.append(f"<tr><td>{_esc(label)}</td><td>{cell_interval(r['mean'], r['low'], r['high'], kind, signed=True)}</td>"
                        f"<td>{_esc(likelihood_words(r['prob_better']))} ({fmt(r['prob_better'], 'percent')})</td>"
                        f"<td>{fmt(r['noise_share'], 'percent')}</td><td>{names}</td></tr>")
        self.parts.append('<div class="wide"><table><caption>B − A with parameter uncertainty</caption>'
                          "<tr><th>Outcome</th><th>B − A [95% over draws]</th><th>Is B better?</th>"
                          "<th>Noise share</th><th>Assumptions that drive it (rank correlation)</th></tr>"
                          + "".join(rows) + "</table></div>")
        for noun, ce in (("extra child reached", u.per_child_reached),
                         ("extra death at the preferred place", u.per_preferred_death)):
            if _nan(ce["icer"]):
                continue
            if ce["dominant"] >= 0.5:
                text = (f"B costs less and achieves more in {fmt(ce['dominant'], 'percent')} of draws "
                        f"(per {noun}).")
            else:
                text = (f"Incremental cost per {noun}: <b>{fmt(ce['icer'], 'money')}</b> (mean Δcost / mean Δeffect); "
                        f"B achieves more at a higher cost in {fmt(ce['more_effect_more_cost'], 'percent')} of draws.")
            self.p(text)
        self.end()

    # ----- the effect against engagement (a compare file whose B arm has a network) --------------
    def has_engagement(self) -> bool:
        if self.kind != "compare" or not self.res.arm("B").has("runs/provider"):
            return False
        return bool((self.res.providers("engagement", arm="B")["value"] > 0).any())

    def engagement(self) -> None:
        self.h2("engagement")
        by_type = eng.engagement_by_type(self.res, "B")
        per = eng.effect_by_replicate(self.res)
        fits = eng.slopes(per).set_index("outcome")
        names = {"ccn": "community children's nursing", "sppc": "specialist palliative care teams",
                 "hospice": "hospices", "hospital": "hospitals"}
        self.p("A network works only as far as its members take part. Each member's <b>engagement</b> (0 = none, "
               "1 = full) rises with the coordinator, clinical leads and early wins and falls when staff are "
               "stretched; every mechanism's effect is scaled by it (docs/model.md). What B reached, over the "
               "reported years:")
        rows = "".join(f"<tr><td>{_esc(names.get(r.provider_type, r.provider_type))}</td>"
                       f"<td class='num'>{r.mean:.2f}</td><td class='num'>{r.min_member:.2f} to {r.max_member:.2f}</td>"
                       f"<td class='num'>{int(r.members)}</td></tr>" for r in by_type.itertuples())
        self.parts.append("<table><caption>Engagement reached in B, by kind of member</caption><tr><th>Members</th>"
                          "<th>Mean</th><th>Range over members</th><th>Members</th></tr>" + rows + "</table>")
        labels = {m: self.style(m) for m in eng.OUTCOMES}
        lines = []
        for m in eng.OUTCOMES:
            f = fits.loc[m]
            label, kind, noun = labels[m]
            if _nan(f["slope"]):
                continue
            dk = "points" if kind == "percent" else kind
            lines.append(f"<li>{_esc(noun[:1].upper() + noun[1:])}: {cell_interval(f['slope'], f['low'], f['high'], dk, True)} "
                         f"for every 0.1 more engagement</li>")
        spread = float(per["engagement"].std(ddof=1)) if len(per) > 1 else float("nan")
        if lines:
            self.p(f"Between replicates the mean engagement reached ranged from {per['engagement'].min():.2f} to "
                   f"{per['engagement'].max():.2f}. Fitting each replicate's effect (B − A on the same children) "
                   f"to its engagement:")
            self.parts.append("<ul>" + "".join(lines) + "</ul>")
            self.p("These slopes come from the spread between replicates (members' engagement differs by chance"
                   + (" and by parameter draw" if self.has_draws() else "") + "); a network that engages its members "
                   "less than B did should expect proportionally less.", "note")
        else:
            reason = fits["reason"].iloc[0] if len(fits) else "no replicates"
            self.p(f"The effect cannot be related to engagement from this file: {_esc(reason)}"
                   + (f" (sd {spread:.3f})" if math.isfinite(spread) else "") + ". Run more replicates or with "
                   "<code>--uncertainty prior</code>, or compare runs at other engagement rates "
                   "(README, 'What drives the effect').", "note")
        panels = [(labels[m][0], per[m], labels[m][1], fits.loc[m]["slope"] / 0.1) for m in eng.OUTCOMES[:3]]
        self.parts.append(self.figure(plots.effect_scatter(per["engagement"], panels, "mean engagement reached in B",
                                                           "Effect (B − A) in each replicate against engagement"),
                                      "effect-vs-engagement",
                                      "Each dot is one replicate: the paired effect against the mean engagement B "
                                      "reached; the line is the least-squares fit where engagement varies enough."))
        self.end()

    def _years_text(self) -> str:
        y = self.years
        if not y:
            return "no reported years"
        return f"{len(y)} year{'s' if len(y) != 1 else ''} ({y[0]}–{y[-1]})" if len(y) > 1 else f"1 year ({y[0]})"

    def summary(self) -> None:
        res = self.res
        self.h2("summary")
        n_runs = sum(a.n_runs for a in res.arms.values())
        bullets = []
        if self.kind == "run":
            self.p(f"This report describes one scenario, <b>{_esc(self.sides[0]['label'])}</b>, simulated over "
                   f"{self._years_text()} with {n_runs} replicate{'s' if n_runs != 1 else ''} "
                   f"(seed {_esc(res.provenance.get('seed', '?'))}). Figures are means over replicates with "
                   f"95% intervals, which show how much the result varies from one simulated population to another.")
            s = self.sides[0]
            kids, reach, acc = (self.level(m, s) for m in ("children_per_year", "children_reached_per_year", "access_rate"))
            bullets.append(f"In an average year about <b>{fmt(kids.mean, 'count')}</b> children had a life-limiting "
                           f"condition; <b>{fmt_interval(acc.mean, acc.low, acc.high, 'percent')}</b> of them had "
                           f"contact with specialist palliative care (a children's hospice or an SPPC team), about "
                           f"<b>{fmt_interval(reach.mean, reach.low, reach.high, 'count')}</b> children a year.")
            bullets += self._for_whom_levels()
            pp = self.level("preferred_place_rate", s)
            bullets.append(f"<b>{fmt_interval(pp.mean, pp.low, pp.high, 'percent')}</b> of children who died did so "
                           f"at the place their family preferred.")
            cost, cpc = self.level("cost_total_per_year", s), self.level("cost_per_child_reached", s)
            bullets.append(f"Care cost about <b>{fmt(cost.mean, 'money')}</b> a year in total "
                           f"({fmt(cpc.mean, 'money')} per child reached).")
        else:
            a, b = self.sides
            if self.kind == "compare":
                self.p(f"This report compares <b>A</b> ({_esc(res.arm('A').scenario_name)}) with <b>B</b> "
                       f"({_esc(res.arm('B').scenario_name)}) over {self._years_text()}. Both were run on the same "
                       f"simulated children (common random numbers, {self.diffs['n'].max()} replicate pairs), so "
                       f"differences are B minus A, replicate by replicate, with 95% intervals.")
            else:
                self.p(self._sweep_intro())
                self.p(f"The detailed sections below compare two design points on the same simulated children: "
                       f"<b>{_esc(a['label'])}</b> and <b>{_esc(b['label'])}</b> ({_esc(self._point_values_text(a['point']))} "
                       f"vs {_esc(self._point_values_text(b['point']))}); differences are the second minus the first.")
            who = "B" if self.kind == "compare" else f"Point {b['point']}"
            other = "A" if self.kind == "compare" else f"point {a['point']}"
            d = self.diff("children_reached_per_year")
            if d:
                if d["low"] > 0 or d["high"] < 0:
                    bullets.append(f"{_esc(who)} reached <b>{describe_change(d['difference'], d['low'], d['high'], 'count', 'children a year')}</b> "
                                   f"than {_esc(other)} (mean {fmt(d['difference'], 'count', True)}) with specialist palliative care.")
                else:
                    bullets.append(f"Children reached a year: <b>{describe_change(d['difference'], d['low'], d['high'], 'count', '')}</b> "
                                   f"(mean {fmt(d['difference'], 'count', True)}).")
            d = self.diff("access_rate")
            if d:
                bullets.append(f"Access rate: {describe_change(d['difference'], d['low'], d['high'], 'percent', '', 'higher', 'lower')} "
                               f"(from {fmt(d['mean_a'], 'percent')} to {fmt(d['mean_b'], 'percent')}).")
            bullets += self._for_whom_changes()
            d = self.diff("preferred_place_rate")
            if d:
                bullets.append(f"Deaths at the family's preferred place: {describe_change(d['difference'], d['low'], d['high'], 'percent', '', 'higher', 'lower')} "
                               f"({fmt(d['mean_a'], 'percent')} → {fmt(d['mean_b'], 'percent')}).")
            d = self.diff("unplanned_admissions_per_year")
            if d:
                bullets.append(f"Unplanned hospital admissions: {describe_change(d['difference'], d['low'], d['high'], 'count', 'admissions a year')}.")
            d = self.diff("cost_total_per_year")
            if d:
                bullets.append(f"Total cost a year: {describe_change(d['difference'], d['low'], d['high'], 'money', '', 'more', 'less')} "
                               f"({fmt(d['mean_a'], 'money')} → {fmt(d['mean_b'], 'money')}).")
            worse = self.harms_worse()
            if worse:
                bullets.append("<b>But some things got worse</b> (see Benefits and harms): " + "; ".join(worse) + ".")
            cpe = self._cost_per_extra(harms_rose=bool(worse))
            if cpe:
                bullets.append(cpe)
            nar = self.diffs[self.diffs["measure"].isin(KEY_MEASURES)]["narrowing"].dropna()
            if len(nar):
                bullets.append(f"Pairing the replicates (same children in both) made these intervals about "
                               f"<b>{narrowing_text(nar.median())}</b> (median over the key measures) than "
                               f"comparing independent runs would.")
        self.parts.append("<ul class='summary'>" + "".join(f"<li>{b}</li>" for b in bullets) + "</ul>")
        self.parts.append(self.measure_table(KEY_MEASURES, "Key figures, per year over the horizon"))
        self.p("How to read: a 95% interval is the range the average would fall in if the simulation were "
               "repeated with more replicates; when the interval of a difference includes zero the simulation "
               "cannot tell the two apart. In tables the small print under a value is its 95% interval; a bold "
               "difference is clear (its interval excludes zero). 'pts' are percentage points; £m are millions of pounds.", "note")
        self.end()

    def _for_whom_levels(self) -> list[str]:
        s = self.sides[0]
        out = []
        eq = self.res.equity("access")
        eq = self.values(eq[eq["period"].astype(str) == "horizon"], s)

        def lvl(m):
            return mean_interval(eq[eq["measure"] == m]["value"].to_numpy(float))

        rr = lvl("rate_ratio_q5_q1")
        sa, bw = lvl("rate_ratio_south_asian_white"), lvl("rate_ratio_black_white")
        ru = lvl("rural_urban_difference")
        out.append(f"For whom: children in the most deprived fifth of neighbourhoods were reached at "
                   f"<b>{fmt_interval(rr.mean, rr.low, rr.high, 'ratio')}</b> times the rate of the least deprived "
                   f"fifth; South Asian children at {fmt_interval(sa.mean, sa.low, sa.high, 'ratio')} and Black "
                   f"children at {fmt_interval(bw.mean, bw.low, bw.high, 'ratio')} times the rate of White children; "
                   f"rural minus urban: {fmt_interval(ru.mean, ru.low, ru.high, 'points', True)}.")
        g = lvl("gini_areas")
        hi, lo = lvl("max_rate_areas"), lvl("min_rate_areas")
        out.append(f"Postcode lottery: across areas, access ranged from about {fmt(lo.mean, 'percent')} to "
                   f"{fmt(hi.mean, 'percent')} of children; the Gini coefficient was "
                   f"{fmt_interval(g.mean, g.low, g.high, 'index')} (0 = every area equal).")
        return out

    def _for_whom_changes(self) -> list[str]:
        out = []
        try:
            q = compare_groups(self.res, "quintile", a=self._side_arg(0), b=self._side_arg(1))
        except ValueError:
            return out
        if not q.empty:
            q = q.dropna(subset=["difference"])
            if not q.empty:
                clear = q[(q["low"] > 0) | (q["high"] < 0)]
                most = q[q["quintile"].astype(str).str.startswith("Q5")]
                least = q[q["quintile"].astype(str).str.startswith("Q1")]
                if clear.empty:
                    text = (f"For whom: no deprivation fifth's access changed clearly (changes from "
                            f"{fmt(q['difference'].min(), 'points', True)} to {fmt(q['difference'].max(), 'points', True)}, "
                            f"each within its 95% interval of zero)")
                else:
                    best = clear.loc[clear["difference"].abs().idxmax()]
                    text = (f"For whom: the largest clear change in access was among children in "
                            f"<b>{_esc(group_words(best['quintile']))}</b> of neighbourhoods by deprivation: "
                            f"{fmt_interval(best['difference'], best['low'], best['high'], 'points', True)}")
                if not most.empty and not least.empty:
                    text += (f"; most deprived fifth: {fmt_interval(most.iloc[0]['difference'], most.iloc[0]['low'], most.iloc[0]['high'], 'points', True)}; "
                             f"least deprived fifth: {fmt_interval(least.iloc[0]['difference'], least.iloc[0]['low'], least.iloc[0]['high'], 'points', True)}")
                out.append(text + ".")
        d = self.diff("access_gini_areas")
        if d:
            if d["high"] < 0:
                verdict = "narrowed"
            elif d["low"] > 0:
                verdict = "widened"
            else:
                verdict = "did not change clearly"
            out.append(f"The postcode lottery {verdict}: the Gini of area access rates went from "
                       f"{fmt(d['mean_a'], 'index')} to {fmt(d['mean_b'], 'index')} "
                       f"(difference {fmt_interval(d['difference'], d['low'], d['high'], 'index', True)}).")
        d = self.diff("access_sii")
        if d:
            out.append(f"The deprivation gradient (slope index of inequality) went from "
                       f"{fmt(d['mean_a'], 'points')} to {fmt(d['mean_b'], 'points')} "
                       f"({describe_change(d['difference'], d['low'], d['high'], 'points', '', 'higher', 'lower')}; "
                       f"negative values mean less access for the more deprived).")
        return out

    def _side_arg(self, i: int):
        s = self.sides[i]
        return s["arm"] if self.kind == "compare" else s["point"]

    def _cost_per_extra(self, harms_rose: bool = False) -> str:
        try:
            c = cost_per_extra(self.res, self._side_arg(0), self._side_arg(1))
        except ValueError:
            return ""
        return "Cost per extra child reached: " + _cost_effect_words(c, "extra child reached", harms_rose) + "."

    # ----- benefits and harms ----------------------------------------------------------------------
    def _bh_rows(self, spec) -> list[dict]:
        rows = []
        for m, direction in spec:
            d = self.diff(m)
            if m not in self.info.index or d is None:
                continue
            label, kind, noun = self.style(m)
            rows.append({"measure": m, "label": label, "kind": kind, "noun": noun, "d": d,
                         "verdict": verdict(d["low"], d["high"], direction)})
        return rows

    def harms_worse(self) -> list[str]:
        """Plain-words list of the harms (and benefits) that clearly got worse, for the summary."""
        if not self.pair:
            return []
        out = []
        for r in self._bh_rows(HARMS + [b for b in BENEFITS if b[0] != "cost_total_per_year"]):
            if r["verdict"] != "worse":
                continue
            d, kind = r["d"], r["kind"]
            dk = "points" if kind == "percent" else kind
            out.append(f"{_esc(r['noun'])} from {fmt(d['mean_a'], kind)} to {fmt(d['mean_b'], kind)} "
                       f"({fmt_interval(d['difference'], d['low'], d['high'], dk, True)})")
        return out

    def benefits_harms(self) -> None:
        self.h2("benefits_harms")
        a, b = self.side_short(0), self.side_short(1)
        self.p(f"What {_esc(b)} changes compared with {_esc(a)}, weighed both ways: the outcomes a change aims to "
               f"improve, and the waits and care not given that it may make worse. 'Better' or 'worse' only when the "
               f"95% interval of the difference excludes zero; otherwise 'no clear change'. Care that was needed and "
               f"not given costs nothing in these accounts, so a lower cost with more unmet need is not a saving.")
        head = (f"<thead><tr><th>Outcome</th><th>{_esc(a)}</th><th>{_esc(b)}</th>"
                f"<th>Difference (95% interval)</th><th>For children</th></tr></thead>")
        for title, spec in (("Benefits: what the change aims to improve", BENEFITS),
                            ("Harms: waits and care not given", HARMS)):
            body = []
            for r in self._bh_rows(spec):
                d, kind = r["d"], r["kind"]
                dk = "points" if kind == "percent" else kind
                cls = {"better": "good", "worse": "bad"}.get(r["verdict"], "")
                body.append(f"<tr class='{cls}'><td>{_esc(r['label'])}</td><td class='num'>{_esc(fmt(d['mean_a'], kind))}</td>"
                            f"<td class='num'>{_esc(fmt(d['mean_b'], kind))}</td>"
                            f"<td class='num'>{cell_interval(d['difference'], d['low'], d['high'], dk, True)}</td>"
                            f"<td class='verdict'>{r['verdict']}</td></tr>")
            self.parts.append(f"<table class='measures bh'><caption>{_esc(title)}</caption>{head}"
                              f"<tbody>{''.join(body)}</tbody></table>")
        self.end()

    # ----- sweep -------------------------------------------------------------------------------------
    def _sweep_intro(self) -> str:
        res = self.res
        params = res.parameter_names()
        design = res.design_type or "unnamed"
        n_points = len(res.point_names())
        n_runs = res.arm().n_runs
        sweep_name = res.provenance.get("sweep_name")
        named = f" <b>{_esc(sweep_name)}</b>" if sweep_name else ""
        return (f"This report describes a sweep{named} of <b>{_esc(res.arm().scenario_name)}</b>: "
                f"{len(params)} parameter{'s' if len(params) != 1 else ''} "
                f"({_esc(', '.join(params))}) varied over {n_points} design points ({_esc(design)} design), "
                f"{n_runs} runs in all, each over {self._years_text()}.")

    def _point_values_text(self, point: int) -> str:
        d = self.res.design()
        row = d[d["point"] == point].iloc[0]
        params = self.res.parameter_names()
        if params and all(np.isfinite(row[p]) for p in params):
            return ", ".join(f"{p} = {row[p]:g}" for p in params)
        sweep = self.res._sweep_group()
        if sweep is not None and "point_settings" in sweep:
            text = sweep["point_settings"][point]
            return (text.decode() if isinstance(text, bytes) else str(text)) or str(row["point_name"])
        return str(row["point_name"])

    def sweep_curves(self) -> None:
        self.h2("sweep_curves")
        params = ordered_parameters(self.res)[:4]
        outcomes = [m for m in SWEEP_OUTCOMES if m in self.info.index]
        self.p("Each panel shows an outcome against one swept parameter: the line is the mean over all runs at "
               "that value (and over the other swept parameters, if any) and the band its 95% interval. "
               "Funding parameters come first.")
        for p in params:
            panels = []
            for m in outcomes:
                c = curve(self.res, m, p)
                label, kind, _ = self.style(m)
                panels.append((label, c["mean"].to_numpy(), c["low"].to_numpy(), c["high"].to_numpy(),
                               {"percent": "percent", "money": "money"}.get(kind, "number")))
            x = curve(self.res, outcomes[0], p)["value"].to_numpy()
            fig = plots.sweep_curves(x, panels, p, f"Outcomes against {p}")
            self.parts.append(self.figure(fig, f"sweep {p}", f"Outcomes against {p} (mean and 95% band)"))
        self.end()

    def sensitivity(self) -> None:
        self.h2("sensitivity")
        outcomes = [m for m in ["access_rate", "children_reached_per_year", "preferred_place_rate",
                                "access_gini_areas", "cost_total_per_year"] if m in self.info.index]
        if self.res.design_type == "morris":
            mm = morris(self.res, outcomes)
            self.p("Morris screening computed from the design in the file: μ* (mean absolute elementary effect) "
                   "ranks how much each parameter moves the outcome over its range; σ shows interactions or "
                   "non-linearity (σ comparable to μ* = the effect depends on the other parameters). "
                   "Effects are per full range of the parameter, in the outcome's units.")
            main = mm[mm["measure"] == outcomes[0]]
            fig = plots.morris_plot(main["parameter"].tolist(), main["mu_star"], main["sigma"],
                                    f"Morris screening: {self.style(outcomes[0])[0]}")
            self.parts.append(self.figure(fig, "morris", f"Morris μ* against σ for {self.style(outcomes[0])[0]}"))
            rows = []
            for m in outcomes:
                label, kind, _ = self.style(m)
                sub = mm[mm["measure"] == m]
                for rank, (_, r) in enumerate(sub.iterrows(), 1):
                    rows.append(f"<tr><td>{_esc(label)}</td><td class='num'>{rank}</td><td>{_esc(r['parameter'])}</td>"
                                f"<td class='num'>{_esc(fmt(r['mu_star'], kind))}</td><td class='num'>{_esc(fmt(r['mu'], kind, True))}</td>"
                                f"<td class='num'>{_esc(fmt(r['sigma'], kind))}</td><td class='num'>{r['r']}</td></tr>")
            self.parts.append("<table class='measures'><caption>Sensitivity ranking (Morris)</caption><thead><tr>"
                              "<th>Outcome</th><th>Rank</th><th>Parameter</th><th>μ*</th><th>μ</th><th>σ</th>"
                              "<th>Effects</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
        else:
            ms = marginal_spread(self.res, outcomes)
            self.p(f"This sweep's design ({_esc(self.res.design_type or 'unnamed')}) is not a Morris design, so "
                   "parameters are ranked by the spread of the outcome's marginal means: how far the average "
                   "outcome moves between the parameter's lowest and highest setting.")
            rows = []
            for m in outcomes:
                label, kind, _ = self.style(m)
                sub = ms[ms["measure"] == m]
                for rank, (_, r) in enumerate(sub.iterrows(), 1):
                    rows.append(f"<tr><td>{_esc(label)}</td><td class='num'>{rank}</td><td>{_esc(r['parameter'])}</td>"
                                f"<td class='num'>{r['levels']}</td><td class='num'>{_esc(fmt(r['low_value_mean'], kind))}</td>"
                                f"<td class='num'>{_esc(fmt(r['high_value_mean'], kind))}</td>"
                                f"<td class='num'>{_esc(fmt(r['spread'], 'points' if kind == 'percent' else kind))}</td></tr>")
            self.parts.append("<table class='measures'><caption>Sensitivity ranking (spread of marginal means)</caption>"
                              "<thead><tr><th>Outcome</th><th>Rank</th><th>Parameter</th><th>Levels</th>"
                              "<th>At lowest value</th><th>At highest value</th><th>Spread</th></tr></thead><tbody>"
                              + "".join(rows) + "</tbody></table>")
        self.end()

    # ----- access ----------------------------------------------------------------------------------
    def _group_series(self, by: str, outcome: str = "access"):
        rates = rates_by_group(self.res, by=by, outcome=outcome)
        groups = list(rates[by].cat.categories) if hasattr(rates[by], "cat") else sorted(rates[by].unique())
        series = []
        for i, side in enumerate(self.sides):
            r = self.values(rates, side)
            mis = [mean_interval(r[r[by] == g]["rate"].to_numpy(float)) for g in groups]
            label = self.side_short(i) if self.pair else "scenario"
            series.append((label, [m.mean for m in mis], [m.low for m in mis], [m.high for m in mis]))
        return groups, series

    def access_groups(self) -> None:
        self.h2("access_groups")
        self.p("Access rate: the share of children with a life-limiting condition who had any contact with a "
               "children's hospice or specialist paediatric palliative care (SPPC) team in a year, over all "
               "reported years. Bars are means over replicates; whiskers are 95% intervals.")
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
        for ax, by, title in ((axes[0], "quintile", "By deprivation (fifths of neighbourhoods)"),
                              (axes[1], "ethnic_group", "By ethnic group")):
            groups, series = self._group_series(by)
            plots.group_bars([group_words(g, True) for g in groups], series, title, "access rate", ax=ax)
        fig.tight_layout()
        self.parts.append(self.figure(fig, "access groups", "Access rate by deprivation (fifths of neighbourhoods) and by ethnic group"))
        if self.pair:
            fig, axes = plt.subplots(1, 2, figsize=(11, 3.2))
            tables = []
            for ax, by, title in ((axes[0], "quintile", "Change by deprivation"),
                                  (axes[1], "ethnic_group", "Change by ethnic group")):
                c = compare_groups(self.res, by, a=self._side_arg(0), b=self._side_arg(1))
                plots.difference_bars([group_words(g, True) for g in c[by]], c["difference"], c["low"], c["high"], title,
                                      f"{self.side_short(1)} − {self.side_short(0)}", ax=ax)
                tables.append((by, c))
            fig.tight_layout()
            self.parts.append(self.figure(fig, "access groups change",
                                          "Change in access rate by group (percentage points, 95% intervals; green = clearly up, red = clearly down)"))
            html_tables = []
            for by, c in tables:
                rows = "".join(f"<tr><td>{_esc(group_words(r[by]))}</td><td class='num'>{_esc(fmt(r['mean_a'], 'percent'))}</td>"
                               f"<td class='num'>{_esc(fmt(r['mean_b'], 'percent'))}</td>"
                               f"<td class='num'>{cell_interval(r['difference'], r['low'], r['high'], 'points', True)}</td></tr>"
                               for _, r in c.iterrows())
                html_tables.append(f"<table class='measures'><caption>Access rate by {_esc(GROUP_CAPTION[by])}</caption>"
                                   f"<thead><tr><th>Group</th><th>{_esc(self.side_short(0))}</th><th>{_esc(self.side_short(1))}</th>"
                                   f"<th>Difference (95% interval)</th></tr></thead><tbody>{rows}</tbody></table>")
            self.parts.append("<div class='row'>" + "".join(html_tables) + "</div>")
        else:
            tables = []
            for by in ("quintile", "ethnic_group"):
                groups, series = self._group_series(by)
                _, mean, low, high = series[0]
                rows = "".join(f"<tr><td>{_esc(group_words(g))}</td><td class='num'>{cell_interval(m, l, h, 'percent')}</td></tr>"
                               for g, m, l, h in zip(groups, mean, low, high))
                tables.append(f"<table class='measures'><caption>Access rate by {_esc(GROUP_CAPTION[by])}</caption>"
                              f"<thead><tr><th>Group</th><th>Access rate (95% interval)</th></tr></thead>"
                              f"<tbody>{rows}</tbody></table>")
            self.parts.append("<div class='row'>" + "".join(tables) + "</div>")
        self.end()

    def access_area(self) -> None:
        self.h2("access_area")
        pop = self.res.population(arm=self.sides[0]["arm"])
        areas = [str(a) for a in pop["area"]]
        codes = [str(c) for c in pop["area_code"]]
        shapes = None
        try:
            shapes = load_boundaries(codes, self.boundaries)
        except BoundariesError as e:
            self.p(f"No map drawn from boundaries: {_esc(e)}.", "note")
        where = "the map colours each area" if shapes else "the map places each area at its centroid, coloured"
        if self.pair:
            c = compare_groups(self.res, "area", a=self._side_arg(0), b=self._side_arg(1))
            c = c.set_index(c["area"].astype(str)).reindex(areas)
            self.p(f"Change in each area's access rate, ranked, with 95% intervals; {where} by the change "
                   f"(blue = up, red = down).")
            fig = plots.ranked_bars_with_map(areas, c["difference"], c["low"], c["high"], pop["lat"], pop["lon"],
                                             f"Change in access rate by area ({self.side_short(1)} − {self.side_short(0)})",
                                             "change in access rate", diverging=True, shapes=shapes, codes=codes)
            self.parts.append(self.figure(fig, "access area change", "Change in access rate by area, ranked, and map"))
        else:
            groups, series = self._group_series("area")
            _, mean, low, high = series[0]
            idx = [groups.index(a) for a in areas]
            self.p(f"Each area's access rate over the horizon, ranked from best to worst, with 95% intervals; {where} "
                   f"by its access rate.")
            fig = plots.ranked_bars_with_map(areas, np.asarray(mean)[idx], np.asarray(low)[idx], np.asarray(high)[idx],
                                             pop["lat"], pop["lon"], "Access rate by area", "access rate",
                                             shapes=shapes, codes=codes)
            self.parts.append(self.figure(fig, "access area", "Access rate by area, ranked, and map"))
        if shapes is not None:
            self.map_attribution = shapes.attribution
            self.p("Map: " + "; ".join(_esc(line) for line in shapes.attribution) if shapes.attribution
                   else f"Map boundaries: {_esc(shapes.path.name)}.", "note")
        icb_of = dict(zip(areas, [str(i) for i in pop["icb"]]))
        rates = rates_by_group(self.res, by="area")
        for by, frame in (("area", rates), ("icb", self._icb_rates(rates, icb_of))):
            self.parts.append(self._level_table(by, frame, icb_of))
        self.end()

    def _icb_rates(self, rates: pd.DataFrame, icb_of: dict) -> pd.DataFrame:
        """Per run and ICB: population, events and rate, summed over the ICB's areas."""
        r = rates.assign(icb=rates["area"].astype(str).map(icb_of))
        keys = [c for c in r.columns if c not in ("area", "population", "events", "rate", "icb")]
        g = r.groupby(keys + ["icb"], observed=True, sort=False)[["population", "events"]].sum().reset_index()
        g["rate"] = np.where(g["population"] > 0, g["events"] / g["population"].where(g["population"] > 0), np.nan)
        return g

    def _level_table(self, by: str, rates: pd.DataFrame, icb_of: dict) -> str:
        """Access-rate levels of each side (and the paired difference) per area or ICB."""
        groups = list(dict.fromkeys(str(g) for g in rates[by]))
        if by == "icb":
            groups = sorted(groups)
        rows = []
        for g in groups:
            sub = rates[rates[by].astype(str) == g]
            cells = [f"<td>{_esc(g)}</td>"]
            if by == "area":
                cells.append(f"<td>{_esc(icb_of.get(g, ''))}</td>")
            for side in self.sides:
                mi = mean_interval(self.values(sub, side)["rate"].to_numpy(float))
                cells.append(f"<td class='num'>{cell_interval(mi.mean, mi.low, mi.high, 'percent')}</td>")
            if self.pair:
                pv = paired_values(sub, self.sides[0], self.sides[1], value="rate")
                d = paired_difference(pv["a"], pv["b"])
                cls = "num clear" if (d.low > 0 or d.high < 0) else "num"
                cells.append(f"<td class='{cls}'>{cell_interval(d.difference, d.low, d.high, 'points', True)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        name = "Area" if by == "area" else "Integrated care board (ICB)"
        head = f"<tr><th>{name}</th>" + ("<th>ICB</th>" if by == "area" else "")
        head += "".join(f"<th>{_esc(self.side_short(i) if self.pair else 'Access rate (95% interval)')}</th>"
                        for i in range(len(self.sides)))
        if self.pair:
            head += f"<th>Difference {_esc(self.side_short(1))} − {_esc(self.side_short(0))}</th>"
        cap = "Access rate by area" if by == "area" else "Access rate by integrated care board (areas pooled)"
        return (f"<table class='measures'><caption>{cap}</caption><thead>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")

    def _equity_rows(self, outcome: str) -> tuple[str, pd.DataFrame]:
        eq = self.res.equity(outcome)
        hz = eq[eq["period"].astype(str) == "horizon"]
        rows = []
        for m, label, kind, how in EQUITY_STYLE:
            sub = hz[hz["measure"] == m]
            if sub.empty:
                continue
            cells = [f"<td>{_esc(label)}</td>"]
            for side in self.sides:
                mi = mean_interval(self.values(sub, side)["value"].to_numpy(float))
                nan_note = f" <span class='note'>({mi.n_nan} n/a)</span>" if mi.n_nan else ""
                cells.append(f"<td class='num'>{cell_interval(mi.mean, mi.low, mi.high, kind)}{nan_note}</td>")
            if self.pair:
                pv = paired_values(sub, self.sides[0], self.sides[1])
                d = paired_difference(pv["a"], pv["b"])
                dk = "points" if kind == "percent" else kind
                cells.append(f"<td class='num'>{cell_interval(d.difference, d.low, d.high, dk, True)}</td>")
            cells.append(f"<td class='how'>{_esc(how)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        head = "<tr><th>Measure</th>" + "".join(
            f"<th>{_esc(self.side_short(i) if self.pair else 'Mean (95% interval)')}</th>" for i in range(len(self.sides)))
        if self.pair:
            head += "<th>Difference (95% interval)</th>"
        head += "<th>How to read it</th></tr>"
        return f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody>", hz

    def lottery(self) -> None:
        self.h2("lottery")
        self.p("How fairly access is shared out, over the whole horizon (definitions: docs/equity.md). The area "
               "measures answer 'is it a postcode lottery?'; the deprivation and ethnic measures answer 'for whom?'. "
               "Each is computed per replicate and averaged; 'n/a' counts replicates where a measure is undefined.")
        body, _ = self._equity_rows("access")
        self.parts.append(f"<table class='measures'><caption>Equity of access</caption>{body}</table>")
        eq = self.res.equity("access")
        eq = eq[eq["period"].astype(str) != "horizon"]
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.2))
        for ax, m, title, kind in ((axes[0], "gini_areas", "Gini across areas, by year", "index"),
                                   (axes[1], "sii", "Slope index of inequality, by year", "points")):
            for i, side in enumerate(self.sides):
                sub = self.values(eq[eq["measure"] == m], side)
                years, means, lows, highs = [], [], [], []
                for y, g in sub.groupby("year", sort=True):
                    mi = mean_interval(g["value"].to_numpy(float))
                    years.append(int(y)), means.append(mi.mean), lows.append(mi.low), highs.append(mi.high)
                colour = plots._colours(len(self.sides))[i]
                ax.plot(years, means, "o-", color=colour, label=self.side_short(i) if self.pair else None)
                ax.fill_between(years, np.nan_to_num(lows, nan=np.nan), highs, color=colour, alpha=0.2, lw=0)
            ax.set_title(title, loc="left")
            ax.set_xticks(self.years)
            if kind == "points":
                ax.axhline(0, color="#999999", lw=0.8)
                ax.yaxis.set_major_formatter(plots.FuncFormatter(plots._pts))
            if self.pair:
                ax.legend(frameon=False, fontsize=8)
        fig.tight_layout()
        self.parts.append(self.figure(fig, "equity by year", "Postcode-lottery and deprivation-gradient measures by year (mean and 95% band)"))
        self.end()

    # ----- end of life -----------------------------------------------------------------------------
    def death(self) -> None:
        self.h2("death")
        cats = [("death_home_share", "home"), ("death_hospice_share", "hospice"), ("death_hospital_share", "hospital")]
        shares = [[self.level(m, s).mean for m, _ in cats] for s in self.sides]
        fig = plots.stacked_shares([self.side_short(i) if self.pair else "scenario" for i in range(len(self.sides))],
                                   [c for _, c in cats], shares, "Place of death")
        self.parts.append(self.figure(fig, "place of death", "Where children died (share of deaths, mean over replicates)"))
        self.parts.append(self.measure_table(["deaths_per_year", "preferred_place_rate", "deaths_preferred_place_per_year",
                                              "acp_at_death_rate", "death_home_share", "death_hospice_share",
                                              "death_hospital_share", "areas_24_7_share"],
                                             "Deaths, preferred place achieved and advance care plans"))
        body, _ = self._equity_rows("preferred_place")
        self.parts.append(f"<details><summary>Equity of preferred place of death</summary>"
                          f"<table class='measures'>{body}</table></details>")
        self.end()

    def unmet(self) -> None:
        self.h2("unmet")
        measures = [m for m in UNMET_MEASURES if m in self.info.index]
        self.p("Care that was needed and not given, by kind, per year: nights of short breaks (respite) or "
               "symptom management not given, days dying children waited for a hospice bed, and child-days with "
               "a community nursing, SPPC or hospice-at-home visit due and not given.")
        panels = []
        for m in measures:
            mis = [self.level(m, side) for side in self.sides]
            panels.append((self.style(m)[0], [x.mean for x in mis], [x.low for x in mis], [x.high for x in mis]))
        labels = [self.side_short(i) if self.pair else "scenario" for i in range(len(self.sides))]
        fig = plots.panel_bars(panels, labels, "Unmet need by kind, per year")
        self.parts.append(self.figure(fig, "unmet need", "Unmet need by kind, per year (mean and 95% interval; each panel has its own scale)"))
        self.parts.append(self.measure_table(measures, "Unmet need per year"))
        self.end()

    def admissions(self) -> None:
        self.h2("admissions")
        self.parts.append(self.measure_table(["unplanned_admissions_per_year", "bed_days_per_year", "picu_days_per_year"],
                                             "Unplanned hospital use per year"))
        if "monthly" not in self.res.stored_outputs:
            self.p("The monthly table was not stored (--store), so admissions by month are not shown.")
            self.end()
            return
        m = self.res.monthly("unplanned_admissions")
        series = []
        dates = None
        for i, side in enumerate(self.sides):
            sub = self.values(m, side)
            stats = [(d, mean_interval(g["value"].to_numpy(float))) for d, g in sub.groupby("month", sort=True)]
            dates = [d for d, _ in stats]
            series.append((self.side_short(i) if self.pair else "scenario", [s.mean for _, s in stats],
                           [s.low if not _nan(s.low) else s.mean for _, s in stats],
                           [s.high if not _nan(s.high) else s.mean for _, s in stats]))
        fig = plots.time_bands(dates, series, "Unplanned admissions per month", "admissions")
        self.parts.append(self.figure(fig, "admissions monthly", "Unplanned admissions per month (mean and 95% band)"))
        self.end()

    # ----- cost ------------------------------------------------------------------------------------
    def cost(self) -> None:
        self.h2("cost")
        self.p("Cost per year, by payer: providers' statutory income (NHS and local authorities), providers' "
               "charitable income, unplanned hospital activity (paid by the NHS) and network costs. "
               "Statutory = providers' statutory funding + hospital + network.")
        comps = [("cost_providers_statutory_per_year", "providers: statutory"),
                 ("cost_providers_charitable_per_year", "providers: charitable"),
                 ("cost_hospital_per_year", "hospital activity"), ("cost_network_per_year", "network")]
        comps = [(m, l) for m, l in comps if m in self.info.index]
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.4), gridspec_kw={"width_ratios": [1.1, 1.0]})
        ax = axes[0]
        left = np.zeros(len(self.sides))
        palette = ["#1f78b4", "#e08214", "#8c510a", "#7570b3"]
        for j, (m, l) in enumerate(comps):
            vals = np.array([self.level(m, s).mean for s in self.sides])
            ax.barh(np.arange(len(self.sides)), np.nan_to_num(vals), left=left, color=palette[j % 4], label=l, height=0.6)
            left += np.nan_to_num(vals)
        ax.set_yticks(np.arange(len(self.sides)))
        ax.set_yticklabels([self.side_short(i) if self.pair else "scenario" for i in range(len(self.sides))])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(plots.FuncFormatter(lambda v, _: plots._money_tick(v)))
        ax.set_title("By payer, per year", loc="left")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, frameon=False, fontsize=8)
        # by provider type, statutory vs charitable
        prov = self.res.providers(["statutory_gbp", "charitable_gbp"], wide=True)
        rows, stat, char = [], [], []
        nyears = max(len(self.years), 1)
        for i, side in enumerate(self.sides):
            sub = self.values(prov, side)
            nruns = max(sub["run"].nunique(), 1)
            g = sub.groupby("provider_type", observed=True)[["statutory_gbp", "charitable_gbp"]].sum() / (nruns * nyears)
            for t, r in g.iterrows():
                if not (r["statutory_gbp"] or r["charitable_gbp"]):
                    continue
                rows.append(f"{t} ({self.side_short(i)})" if self.pair else str(t))
                stat.append(r["statutory_gbp"])
                char.append(r["charitable_gbp"])
        ax = axes[1]
        y = np.arange(len(rows))
        ax.barh(y, stat, color="#1f78b4", label="statutory", height=0.6)
        ax.barh(y, char, left=stat, color="#e08214", label="charitable", height=0.6)
        ax.set_yticks(y)
        ax.set_yticklabels(rows, fontsize=8)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(plots.FuncFormatter(lambda v, _: plots._money_tick(v)))
        ax.set_title("Provider spending by type, per year", loc="left")
        ax.legend(frameon=False, fontsize=8, loc="lower right")
        fig.tight_layout()
        self.parts.append(self.figure(fig, "cost", "Cost by payer and provider spending by provider type, per year (means)"))
        self.parts.append(self.measure_table(["cost_total_per_year", "cost_statutory_per_year", "cost_charitable_per_year",
                                              "cost_providers_statutory_per_year", "cost_providers_charitable_per_year",
                                              "cost_hospital_per_year", "cost_network_per_year", "cost_per_child_reached"],
                                             "Cost per year"))
        if self.pair:
            parts = []
            for effect, noun in (("children_reached_per_year", "extra child reached"),
                                 ("deaths_preferred_place_per_year", "extra death at the preferred place")):
                c = cost_per_extra(self.res, self._side_arg(0), self._side_arg(1), effect=effect)
                val = _cost_effect_words(c, noun)
                parts.append(f"<li>Cost per {_esc(noun)}: {val}</li>")
            self.parts.append("<p>Incremental cost-effectiveness (change in total cost a year / change in the effect "
                              "a year, paired replicates, Fieller's interval):</p><ul>" + "".join(parts) + "</ul>")
        # provider table
        prov_all = self.res.providers(["budget_gbp", "statutory_gbp", "charitable_gbp", "units_given"], wide=True)
        rows_html = []
        per = {}
        for i, side in enumerate(self.sides):
            sub = self.values(prov_all, side)
            nruns = max(sub["run"].nunique(), 1)
            per[i] = sub.groupby(["provider", "provider_type"], observed=True)[
                ["budget_gbp", "statutory_gbp", "charitable_gbp", "units_given"]].sum() / (nruns * nyears)
        base = per[0].sort_values("budget_gbp", ascending=False)
        for (name, ptype), r in base.iterrows():
            cells = [f"<td>{_esc(name)}</td><td>{_esc(ptype)}</td>",
                     f"<td class='num'>{_esc(fmt(r['statutory_gbp'], 'money'))}</td>",
                     f"<td class='num'>{_esc(fmt(r['charitable_gbp'], 'money'))}</td>",
                     f"<td class='num'>{_esc(fmt(r['units_given'], 'count'))}</td>"]
            if self.pair:
                rb = per[1].loc[(name, ptype)] if (name, ptype) in per[1].index else None
                cells.append(f"<td class='num'>{_esc(fmt(rb['budget_gbp'] - r['budget_gbp'], 'money', True) if rb is not None else 'n/a')}</td>")
            rows_html.append("<tr>" + "".join(cells) + "</tr>")
        extra = f"<th>Change in spending ({_esc(self.side_short(1))} − {_esc(self.side_short(0))})</th>" if self.pair else ""
        label0 = f" ({_esc(self.side_short(0))})" if self.pair else ""
        self.parts.append(f"<details><summary>Spending by provider, per year{label0}</summary><table class='measures'>"
                          f"<thead><tr><th>Provider</th><th>Type</th><th>Statutory</th><th>Charitable</th>"
                          f"<th>Units of care given</th>{extra}</tr></thead><tbody>{''.join(rows_html)}</tbody></table></details>")
        self.end()

    # ----- appendix --------------------------------------------------------------------------------
    def appendix(self) -> None:
        res = self.res
        self.h2("appendix")
        prov = res.provenance
        if self.map_attribution:
            self.p("Map data: " + "; ".join(_esc(line) for line in self.map_attribution) + ".")
        rows = "".join(f"<tr><th>{_esc(k)}</th><td><code>{_esc(prov[k])}</code></td></tr>"
                       for k in ("kind", "program_version", "git_commit", "created_utc", "command_line",
                                 "scenario_name", "seed", "replicates", "schema_version") if k in prov)
        self.parts.append(f"<table class='prov'><caption>Provenance of {_esc(os.path.basename(res.path))}</caption>"
                          f"<tbody>{rows}</tbody></table>")
        self.p("To reproduce: check out the git commit above, build cpcsim, and run the command line above with the "
               "scenario files it names (the resolved scenario, with every parameter and override applied, is "
               "reproduced below, so a scenario file can be rebuilt from it). The same seed and replicate count give "
               "bit-identical results for any number of threads.")
        for arm in res.arms.values():
            self.parts.append(f"<p>Arm <b>{_esc(arm.name)}</b>: {_esc(arm.scenario_name)}; {arm.n_runs} runs; "
                              f"years {', '.join(str(y) for y in arm.years)}.</p>")
        params = res.parameters()
        if not params.empty:
            if self.kind == "compare":
                wide = params.pivot_table(index="key", columns="arm", values="text", aggfunc="first")
                order = list(dict.fromkeys(params["key"]))
                wide = wide.reindex(order)
                differ = wide[wide["A"].astype(str) != wide["B"].astype(str)]
                rows = "".join(f"<tr><td><code>{_esc(k)}</code></td><td>{_esc(r['A'])}</td><td>{_esc(r['B'])}</td></tr>"
                               for k, r in differ.iterrows())
                self.parts.append("<table class='measures'><caption>Scenario settings that differ between A and B"
                                  "</caption><thead><tr><th>Setting</th><th>A</th><th>B</th></tr></thead>"
                                  f"<tbody>{rows or '<tr><td colspan=3>none</td></tr>'}</tbody></table>")
            for arm in res.arms.values():
                p = params[params["arm"] == arm.name]
                rows = "".join(f"<tr><td><code>{_esc(r['key'])}</code></td><td>{_esc(r['text'])}</td></tr>"
                               for _, r in p.iterrows())
                self.parts.append(f"<details><summary>All scenario settings ({_esc(arm.name)}: {len(p)} settings)</summary>"
                                  f"<table class='measures'><thead><tr><th>Setting</th><th>Value</th></tr></thead>"
                                  f"<tbody>{rows}</tbody></table></details>")
                self.parts.append(f"<details><summary>Resolved scenario file ({_esc(arm.name)})</summary>"
                                  f"<pre>{_esc(arm.scenario_toml)}</pre></details>")
        if self.kind == "sweep":
            d = res.design()
            head = "".join(f"<th>{_esc(c)}</th>" for c in d.columns)
            rows = "".join("<tr>" + "".join(f"<td>{_esc(v if not isinstance(v, float) else f'{v:g}')}</td>" for v in r)
                           + "</tr>" for r in d.itertuples(index=False))
            self.parts.append(f"<details><summary>Sweep design ({_esc(res.design_type or 'unnamed')}, {len(d)} points)"
                              f"</summary><table class='measures'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
                              f"</table></details>")
        try:
            chk = check_against_simulator(res)
            ok = bool(chk["agree"].all())
            finite = chk[np.isfinite(chk["ours"]) & np.isfinite(chk["simulator"]) & (chk["simulator"] != 0)]
            worst = float((abs(finite["ours"] - finite["simulator"]) / abs(finite["simulator"])).max()) if len(finite) else 0.0
            self.p(f"Consistency check: every equity measure was recomputed independently from the raw counts "
                   f"({len(chk)} values); {'all agree' if ok else f'{int((~chk.agree).sum())} DISAGREE'} with the "
                   f"simulator's own (largest relative difference {worst:.1e}).", "note")
        except (ValueError, KeyError) as e:
            self.p(f"Consistency check of the equity measures could not be run: {_esc(e)}", "note")
        self.end()


EFFECT_WORDS = {"children_reached_per_year": "reached {n} more children a year",
                "deaths_preferred_place_per_year": "had {n} more deaths a year at the family's preferred place"}


def _cost_effect_words(c: dict, noun: str, harms_rose: bool = False) -> str:
    """Plain words for an incremental cost-effectiveness ratio (see compare.cost_per_extra). Never
    'no extra cost' when a harm rose: unmet need is not costed, so a lower cost is not a saving."""
    dc, de = c["cost_difference"], c["effect_difference"]
    if _nan(dc) or _nan(de):
        return "not available"
    if de <= 0:
        return (f"not meaningful: the change in the effect is {fmt(de, 'count', True)} a year "
                f"(cost changed by {fmt(dc, 'money', True)} a year)")
    if dc <= 0:
        gain = EFFECT_WORDS.get(c["effect"], "gave {n} more of " + c["effect"]).format(n=fmt(de, "count"))
        if harms_rose:
            text = (f"lower recorded cost ({fmt(-dc, 'money')} a year less) while it {_esc(gain)}, but this is not "
                    f"a saving: care that was needed and not given rose (above), and it is not costed here")
        else:
            text = (f"<b>no extra cost</b>: the second option cost {fmt(-dc, 'money')} a year less and {_esc(gain)}, "
                    f"a saving of {fmt(-c['ratio'], 'money')} per {_esc(noun)}")
        if _nan(c["low"]):
            text += " (but the gain itself is uncertain: its 95% interval includes zero)"
        return text
    text = f"<b>{fmt(c['ratio'], 'money')}</b>"
    if _nan(c["low"]):
        return text + " (no finite interval: the change in the effect is too uncertain)"
    return text + f" (95% interval {fmt(c['low'], 'money')} to {fmt(c['high'], 'money')}; Fieller's method)"


def _extreme_points(res: Results) -> tuple[int, int]:
    """Default sweep comparison: the design points with the lowest and highest parameter vectors
    (funding parameters first), so a one-parameter sweep compares its two ends."""
    d = res.design()
    d = d[d["point"].isin(set(res.runs()["point"]))]  # a task file may hold only some points
    params = [p for p in ordered_parameters(res) if d[p].notna().all()]
    if d.empty:
        raise ValueError(f"{res.path}: the sweep has no runs")
    order = d.sort_values(params + ["point"]) if params else d
    return int(order["point"].iloc[0]), int(order["point"].iloc[-1])


_CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;max-width:1120px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #1f78b4;padding-bottom:.2em;margin-top:2em}
.sub{color:#555;margin-top:0}ul.summary li{margin:.35em 0}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}caption{text-align:left;font-weight:bold;padding:.3em 0}
th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}thead th{background:#f3f6f9}
td.num{text-align:right;font-variant-numeric:tabular-nums}td.clear{font-weight:bold}.ci{color:#666;font-size:.85em;white-space:nowrap}
td:first-child{min-width:14em}
td.how{color:#555;font-size:.9em}.note{color:#555;font-size:.9em}
figure{margin:1em 0}figure img{max-width:100%;height:auto}figcaption{color:#555;font-size:.9em}
pre{background:#f6f8fa;padding:1em;overflow-x:auto;font-size:.8em}details{margin:.6em 0}summary{cursor:pointer;color:#1f5f99}
table.prov th{background:none;width:11em}nav a{margin-right:.8em}
.row{display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start}.row>table{min-width:0}
table{display:block;max-width:100%;overflow-x:auto}code{overflow-wrap:anywhere}p,li{overflow-wrap:break-word}
tr.good td.verdict{color:#1a7f37}tr.bad td.verdict{color:#b42318;font-weight:bold}
@media (max-width:600px){body{margin:.6em auto;padding:0 .6em;font-size:15px}h1{font-size:1.35em}
td:first-child{min-width:8em}th,td{padding:.25em .4em}nav a{display:inline-block;margin:.15em .6em .15em 0}
.row{gap:0}}
.wide{overflow-x:auto;max-width:100%}
"""


def build_report(path: str, *, points=None, keep_svg: bool = False, boundaries=None) -> Report:
    """Builds the report of a results file in memory (HTML text and figures). boundaries: a
    GeoJSON file for the map (default: found by analysis.geo.load_boundaries)."""
    with open_results(path) as res:
        b = _Builder(res, points=points, keep_svg=keep_svg, boundaries=boundaries)
        body = b.build()
        kind_title = {"run": "Scenario report", "compare": "Scenario comparison",
                      "sweep": "Sweep report"}[res.kind]
        name = res.provenance.get("scenario_name", "")
        if res.kind == "compare":
            name = f"{res.arm('A').scenario_name} vs {res.arm('B').scenario_name}"
        elif res.kind == "sweep" and res.provenance.get("sweep_name"):
            name = f"{res.provenance['sweep_name']} ({res.arm().scenario_name})"
        title = f"{kind_title}: {name}" if name else kind_title
        keys = ["summary"] + (["benefits_harms"] if b.pair else []) + (["uncertainty"] if b.has_draws() else []) + (
            ["sweep_curves", "sensitivity"] if res.kind == "sweep" else []) + [
            "access_groups", "access_area", "lottery", "death", "unmet", "admissions", "cost", "appendix"]
        nav = "".join(f'<a href="#{k}">{_esc(SECTION_HEADINGS[k])}</a>' for k in keys)
        sub = (f"cpcsim {_esc(res.provenance.get('program_version', '?'))} "
               f"(commit {_esc(res.provenance.get('git_commit', '?'))}), results file "
               f"{_esc(os.path.basename(res.path))}, created {_esc(res.provenance.get('created_utc', '?'))}")
        page = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                f"<meta name=\"generator\" content=\"cpcsim analysis.report\"><title>{_esc(title)}</title>"
                f"<style>{_CSS}</style></head><body>\n<h1>{_esc(title)}</h1><p class=\"sub\">{sub}</p>"
                f"<nav>{nav}</nav>\n{body}\n</body></html>\n")
        return Report(title, page, b.figures)


def _atomic_write(path: str, data: bytes) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OSError(f"{path}: directory {directory} does not exist")
    # SIGTERM and SIGINT wait while the file is made, until the try below covers it: a signal just
    # after mkstemp would otherwise leave it behind.
    stops = {signal.SIGTERM, signal.SIGINT}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a waiting signal is handled here, inside the try
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_report(results_path: str, out_path: str, figures_dir: str | None = None, *, points=None) -> Report:
    """Builds the report and writes it atomically to out_path; with figures_dir, also every figure as
    <nn-name>.png and .svg there. Nothing is written if building fails."""
    out_dir = os.path.dirname(os.path.abspath(out_path))
    if not os.path.isdir(out_dir):
        raise OSError(f"{out_path}: the directory {out_dir} does not exist")
    report = build_report(results_path, points=points, keep_svg=figures_dir is not None)
    _atomic_write(out_path, report.html.encode("utf-8"))
    if figures_dir is not None:
        os.makedirs(figures_dir, exist_ok=True)
        for fig in report.figures:
            with open(os.path.join(figures_dir, fig.name + ".png"), "wb") as f:
                f.write(fig.png)
            with open(os.path.join(figures_dir, fig.name + ".svg"), "wb") as f:
                f.write(fig.svg or b"")
    return report


def _parse_point(s: str):
    return int(s) if re.fullmatch(r"-?\d+", s) else s


def _naming(results: str, error) -> str:
    """One line that names the results file: messages of ResultsError start with it; any other
    (h5py, numpy or a KeyError's bare "'name'") gets it put in front."""
    text = " ".join(str(error).split())
    if isinstance(error, KeyError):
        text = f"missing {text}"
    if results not in text and os.path.abspath(results) not in text:
        text = f"{results}: {text}"
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m analysis.report",
        description="Write a commissioner's HTML report from a cpcsim results file (run, compare or sweep).")
    parser.add_argument("results", help="cpcsim results file (.h5)")
    parser.add_argument("-o", "--out", default="report.html", help="HTML file to write (default: report.html)")
    parser.add_argument("--figures", metavar="DIR", help="also save every figure as PNG and SVG in DIR")
    parser.add_argument("--points", nargs=2, metavar=("A", "B"),
                        help="sweep only: the two design points (index or name) to compare in detail")
    args = parser.parse_args(argv)
    # cpcsim report passes SIGTERM on: leave by SystemExit, so the temporary file is removed.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        points = tuple(_parse_point(p) for p in args.points) if args.points else None
        report = write_report(args.results, args.out, args.figures, points=points)
    except KeyboardInterrupt:
        print("analysis.report: interrupted; nothing written", file=sys.stderr)
        return 130
    except (ResultsError, ValueError, OSError, KeyError) as e:
        print(f"analysis.report: error: {_naming(args.results, e)}", file=sys.stderr)
        return 1
    except Exception as e:  # pragma: no cover - a bug: still one line, still no partial report
        msg = _naming(args.results, f"{type(e).__name__}: {e}")
        print(f"analysis.report: internal error while reading {msg}", file=sys.stderr)
        return 3
    print(f"written: {args.out} ({len(report.figures)} figures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
