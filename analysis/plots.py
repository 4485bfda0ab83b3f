"""Figures for the cpcsim report (matplotlib, Agg backend). Every function returns a Figure.

Conventions: intervals are 95% intervals drawn as error bars or bands; "A" (or the first design
point) is drawn in grey and "B" in blue, a single scenario in blue; rates are shown in per cent.
"""
from __future__ import annotations

import io
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter  # noqa: E402

__all__ = [
    "SIDE_COLOURS",
    "group_bars",
    "difference_bars",
    "ranked_bars_with_map",
    "stacked_shares",
    "time_bands",
    "sweep_curves",
    "panel_bars",
    "morris_plot",
    "png_bytes",
    "svg_bytes",
]

SIDE_COLOURS = ["#1f78b4", "#e08214"]
SINGLE_COLOUR = "#1f78b4"
SIDE_PAIR = ["#8c8c8c", "#1f78b4"]  # A grey (baseline), B blue

plt.rcParams.update({
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "svg.hashsalt": "cpcsim",  # reproducible SVG ids
    "svg.fonttype": "none",
})


def _colours(n: int) -> list[str]:
    if n == 1:
        return [SINGLE_COLOUR]
    if n == 2:
        return SIDE_PAIR
    cmap = plt.get_cmap("viridis")
    return [matplotlib.colors.to_hex(cmap(i / max(n - 1, 1))) for i in range(n)]


def _value_formatter(percent: bool, money: bool = False):
    if percent:
        return PercentFormatter(1.0, decimals=0)
    if money:
        return FuncFormatter(lambda v, _: _money_tick(v))
    return FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.3g}")


def _money_tick(v: float) -> str:
    a = abs(v)
    if a >= 1e6:
        return f"£{v / 1e6:,.1f}m"
    if a >= 1e3:
        return f"£{v / 1e3:,.0f}k"
    return f"£{v:,.0f}"


def _pts(v: float, _=None) -> str:
    """Tick label for a rate difference in percentage points: "+2 pts", "-0.5 pts", "0"."""
    if v == 0:
        return "0"
    text = f"{v * 100:+.1f}".rstrip("0").rstrip(".")
    return f"{text} pts"


def _err(mean, low, high):
    mean, low, high = (np.asarray(x, dtype=float) for x in (mean, low, high))
    lo = np.where(np.isnan(low), 0, mean - low)
    hi = np.where(np.isnan(high), 0, high - mean)
    return np.vstack([np.clip(lo, 0, None), np.clip(hi, 0, None)])


def group_bars(groups: Sequence[str], series: Sequence[tuple], title: str, xlabel: str, *,
               percent: bool = True, money: bool = False, ax=None) -> Figure:
    """Horizontal bars per group with 95% error bars; series = [(label, mean, low, high), ...]."""
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(6.0, 0.45 * len(groups) * max(1, len(series)) ** 0.6 + 1.4))
    else:
        fig = ax.figure
    n = len(series)
    h = 0.8 / n
    y = np.arange(len(groups))
    for i, (label, mean, low, high) in enumerate(series):
        pos = y - 0.4 + h * (i + 0.5)
        ax.barh(pos, np.nan_to_num(np.asarray(mean, float)), height=h * 0.92, color=_colours(n)[i], label=label,
                xerr=_err(mean, low, high), error_kw={"ecolor": "#333333", "capsize": 2, "lw": 0.8})
    ax.set_yticks(y)
    ax.set_yticklabels(groups)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    ax.xaxis.set_major_formatter(_value_formatter(percent, money))
    if n > 1:
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=n, fontsize=8, frameon=False)
    if own:
        fig.tight_layout()
    return fig


def difference_bars(groups: Sequence[str], diff, low, high, title: str, xlabel: str, *,
                    percent: bool = True, money: bool = False, ax=None) -> Figure:
    """Differences (B - A) per group as dots with 95% intervals around a zero line."""
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(6.0, 0.32 * len(groups) + 1.3))
    else:
        fig = ax.figure
    diff, low, high = (np.asarray(x, float) for x in (diff, low, high))
    y = np.arange(len(groups))
    colour = np.where(low > 0, "#1a9850", np.where(high < 0, "#d73027", "#666666"))
    ax.axvline(0, color="#999999", lw=0.8)
    for i in range(len(groups)):
        ax.plot([low[i], high[i]], [y[i], y[i]], color=colour[i], lw=2)
        ax.plot(diff[i], y[i], "o", color=colour[i], ms=5)
    ax.set_yticks(y)
    ax.set_yticklabels(groups)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    if percent:
        ax.xaxis.set_major_formatter(FuncFormatter(_pts))
    else:
        ax.xaxis.set_major_formatter(_value_formatter(False, money))
    if own:
        fig.tight_layout()
    return fig


def ranked_bars_with_map(areas: Sequence[str], value, low, high, lat, lon, title: str, label: str, *,
                         diverging: bool = False, percent: bool = True, shapes=None, codes=None) -> Figure:
    """Areas ranked by value (bars with intervals) beside a map coloured by the same value: each
    area's boundary when `shapes` (analysis.geo.Boundaries) and the areas' `codes` are given, else
    one dot per area at its centroid."""
    value, low, high = (np.asarray(x, float) for x in (value, low, high))
    order = np.argsort(-np.nan_to_num(value, nan=-np.inf), kind="stable")
    n = len(areas)
    fig, (ax, axm) = plt.subplots(1, 2, figsize=(10.0, max(3.0, 0.28 * n + 1.2)),
                                  gridspec_kw={"width_ratios": [1.4, 1.0]})
    cmap = plt.get_cmap("RdBu" if diverging else "viridis")
    finite = value[np.isfinite(value)]
    if diverging:
        lim = float(np.max(np.abs(finite))) if finite.size else 1.0
        norm = matplotlib.colors.Normalize(-lim or -1, lim or 1)
    else:
        norm = matplotlib.colors.Normalize(float(finite.min()) if finite.size else 0,
                                           float(finite.max()) if finite.size else 1)
    y = np.arange(n)
    ax.barh(y, np.nan_to_num(value[order]), color=[cmap(norm(v)) for v in np.nan_to_num(value[order])],
            xerr=_err(value[order], low[order], high[order]), error_kw={"ecolor": "#333333", "capsize": 2, "lw": 0.8})
    if diverging:
        ax.axvline(0, color="#999999", lw=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels([areas[i] for i in order], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(label)
    ax.set_title(title, loc="left")
    if percent:
        if diverging:
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
            ax.xaxis.set_major_formatter(FuncFormatter(_pts))
        else:
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    lat, lon = np.asarray(lat, float), np.asarray(lon, float)
    if shapes is not None and codes is not None:
        from matplotlib.collections import PolyCollection
        polys, colours = [], []
        for i, code in enumerate(codes):
            for ring in shapes.rings[str(code)]:
                polys.append(ring)
                colours.append(cmap(norm(np.nan_to_num(value[i]))) if np.isfinite(value[i]) else "#dddddd")
        axm.add_collection(PolyCollection(polys, facecolors=colours, edgecolors="#ffffff", linewidths=0.6))
        allpts = np.vstack(polys)
        axm.set_xlim(allpts[:, 0].min(), allpts[:, 0].max())
        axm.set_ylim(allpts[:, 1].min(), allpts[:, 1].max())
        for i, name in enumerate(areas):
            axm.annotate(name, (lon[i], lat[i]), ha="center", va="center", fontsize=5.5, color="#111111")
        axm.set_xticks([])
        axm.set_yticks([])
        axm.set_title("Map", loc="left")
        sc = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
    else:
        sc = axm.scatter(lon, lat, c=np.nan_to_num(value), cmap=cmap, norm=norm, s=140, edgecolor="#333333", lw=0.6)
        for i, name in enumerate(areas):
            axm.annotate(name, (lon[i], lat[i]), xytext=(4, 4), textcoords="offset points", fontsize=6.5)
        axm.set_title("Map (area centroids)", loc="left")
        axm.set_xlabel("longitude")
        axm.set_ylabel("latitude")
    axm.set_aspect(1.0 / np.cos(np.deg2rad(np.nanmean(lat) if lat.size else 0.0)))
    cb = fig.colorbar(sc, ax=axm, shrink=0.7)
    cb.set_label(label, fontsize=8)
    if percent:
        cb.formatter = FuncFormatter(_pts) if diverging else PercentFormatter(1.0, decimals=0)
        cb.update_ticks()
    fig.tight_layout()
    return fig


def stacked_shares(sides: Sequence[str], categories: Sequence[str], shares, title: str) -> Figure:
    """One horizontal bar per side, split into category shares (rows of `shares` sum to about 1)."""
    shares = np.nan_to_num(np.asarray(shares, float))
    fig, ax = plt.subplots(figsize=(7.0, 0.55 * len(sides) + 1.5))
    colours = ["#1b9e77", "#7570b3", "#d95f02", "#e7298a", "#66a61e"]
    left = np.zeros(len(sides))
    y = np.arange(len(sides))
    for j, cat in enumerate(categories):
        ax.barh(y, shares[:, j], left=left, color=colours[j % len(colours)], label=cat, height=0.6)
        for i in range(len(sides)):
            if shares[i, j] >= 0.06:
                ax.text(left[i] + shares[i, j] / 2, y[i], f"{shares[i, j] * 100:.0f}%", ha="center", va="center",
                        color="white", fontsize=8, fontweight="bold")
        left += shares[:, j]
    ax.set_yticks(y)
    ax.set_yticklabels(sides)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.0, float(left.max()) if left.size else 1.0))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(title, loc="left")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=len(categories), frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def time_bands(dates, series: Sequence[tuple], title: str, ylabel: str, *, percent: bool = False) -> Figure:
    """Lines with 95% bands over time; series = [(label, mean, low, high), ...]."""
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    for i, (label, mean, low, high) in enumerate(series):
        c = _colours(len(series))[i]
        ax.plot(dates, mean, color=c, lw=1.6, label=label)
        ax.fill_between(dates, low, high, color=c, alpha=0.2, lw=0)
    ax.set_title(title, loc="left")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(_value_formatter(percent))
    if len(series) > 1:
        ax.legend(frameon=False, fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def sweep_curves(x, panels: Sequence[tuple], xlabel: str, title: str) -> Figure:
    """Small multiples of outcome vs a swept parameter: panels = [(name, mean, low, high, kind), ...]
    where kind is "percent", "money" or "number"."""
    n = len(panels)
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.7 * rows), squeeze=False)
    x = np.asarray(x, float)
    for k, (name, mean, low, high, kind) in enumerate(panels):
        ax = axes[k // cols][k % cols]
        ax.fill_between(x, low, high, color=SINGLE_COLOUR, alpha=0.2, lw=0)
        ax.plot(x, mean, "o-", color=SINGLE_COLOUR, ms=3.5, lw=1.5)
        ax.set_title(name, loc="left", fontsize=9)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.yaxis.set_major_formatter(_value_formatter(kind == "percent", kind == "money"))
        ax.tick_params(labelsize=8)
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].axis("off")
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=11)
    fig.tight_layout()
    return fig


def effect_scatter(x, panels: Sequence[tuple], xlabel: str, title: str) -> Figure:
    """Small multiples of a paired effect against one input, one point per replicate, with the
    least-squares line where given: panels = [(name, y, kind, slope_or_nan), ...]."""
    n = len(panels)
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n, 2.8), squeeze=False)
    x = np.asarray(x, float)
    for k, (name, y, kind, slope) in enumerate(panels):
        ax = axes[0][k]
        y = np.asarray(y, float)
        ax.axhline(0, color="#888888", lw=0.8)
        ax.plot(x, y, "o", color=SINGLE_COLOUR, ms=4, alpha=0.8)
        if np.isfinite(slope) and len(x) > 1:
            xs = np.linspace(x.min(), x.max(), 2)
            ax.plot(xs, y.mean() + slope * (xs - x.mean()), "-", color="#444444", lw=1.2)
        ax.set_title(name, loc="left", fontsize=9)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.yaxis.set_major_formatter(_pts if kind == "percent" else _value_formatter(False, kind == "money"))
        ax.tick_params(labelsize=8)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=11)
    fig.tight_layout()
    return fig


def panel_bars(panels: Sequence[tuple], side_labels: Sequence[str], title: str, *, money: bool = False) -> Figure:
    """One small panel per measure, each on its own scale: panels = [(name, means, lows, highs), ...]
    with one value per side (bar + 95% interval)."""
    n = len(panels)
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.5 * cols, 2.4 * rows), squeeze=False)
    colours = _colours(len(side_labels))
    x = np.arange(len(side_labels))
    for k, (name, mean, low, high) in enumerate(panels):
        ax = axes[k // cols][k % cols]
        ax.bar(x, np.nan_to_num(np.asarray(mean, float)), color=colours, width=0.6,
               yerr=_err(mean, low, high), error_kw={"ecolor": "#333333", "capsize": 3, "lw": 0.8})
        ax.set_xticks(x)
        ax.set_xticklabels(side_labels, fontsize=8)
        ax.set_title(name, loc="left", fontsize=9, wrap=True)
        ax.yaxis.set_major_formatter(_value_formatter(False, money))
        ax.tick_params(labelsize=8)
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].axis("off")
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=11)
    fig.tight_layout()
    return fig


def morris_plot(names: Sequence[str], mu_star, sigma, title: str) -> Figure:
    """Morris screening: mu* (mean absolute elementary effect) against sigma, one point per parameter."""
    mu_star, sigma = np.asarray(mu_star, float), np.asarray(sigma, float)
    fig, ax = plt.subplots(figsize=(6.5, 4.0))
    ax.scatter(mu_star, np.nan_to_num(sigma), s=40, color=SINGLE_COLOUR)
    for i, name in enumerate(names):
        ax.annotate(name, (mu_star[i], np.nan_to_num(sigma[i])), xytext=(4, 3), textcoords="offset points", fontsize=8)
    top = float(np.nanmax(np.r_[mu_star, sigma, 0])) * 1.1 or 1.0
    ax.plot([0, top], [0, top], ls="--", color="#999999", lw=0.8)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("μ* (mean |elementary effect|): overall influence")
    ax.set_ylabel("σ: interactions / non-linearity")
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def png_bytes(fig: Figure, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def svg_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()
