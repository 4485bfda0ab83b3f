"""Open cpcsim results files (kind "run", "compare" or "sweep") and return tidy pandas tables.

    from analysis.results import open_results
    with open_results("results.h5") as res:
        res.kind                 # "run" | "compare" | "sweep"
        res.runs()               # one row per simulated run (arm, run, replicate, point, parameters)
        res.summaries()          # long: run x summary measure, with units and descriptions
        res.annual(by=["quintile"])
        res.monthly(["deaths"], by=["area"])
        res.equity()             # per year and over the horizon, access and preferred place

Every table labels its dimensions with categories (area names, quintile labels, ethnic groups,
urban/rural, provider names), months as dates and years as calendar years. A compare file has two
arms, "A" and "B"; every table of a compare file carries an `arm` column (run and sweep files: a
single arm named "run" or "sweep"). Sweep tables also carry `run_id`, `point` and `point_name`.

Files that cannot be read raise ResultsError, whose message names the file and says what was
expected (not HDF5, not a cpcsim results file, a newer schema version, missing datasets, ...).
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from typing import Iterable, Sequence

import h5py
import numpy as np
import pandas as pd

__all__ = [
    "FORMAT",
    "SCHEMA_VERSION",
    "KINDS",
    "CELL_DIMS",
    "ResultsError",
    "Results",
    "Arm",
    "open_results",
    "flatten_toml",
]

FORMAT = "cpcsim-results"
SCHEMA_VERSION = 1  # the newest schema this package reads
KINDS = ("run", "compare", "sweep")
CELL_DIMS = ("area", "quintile", "ethnic_group", "rural")

# Dimension name -> label dataset under labels/ (categorical axes).
_DIM_LABELS = {
    "area": "area_names",
    "quintile": "quintiles",
    "ethnic_group": "ethnic_groups",
    "rural": "rural",
    "age_band": "age_bands",
    "diagnosis": "diagnoses",
    "category": "categories",
    "provider": "provider_names",
    "monthly_var": "monthly_vars",
    "annual_var": "annual_vars",
    "provider_var": "provider_vars",
    "summary_measure": "summary_measures",
    "equity_measure": "equity_measures",
    "icb": "icbs",
    "icb_cost_var": "icb_cost_vars",
}
# Dimension name -> column name in tidy tables for the variable axes.
_VAR_COLUMN = {
    "monthly_var": "variable",
    "annual_var": "variable",
    "provider_var": "variable",
    "summary_measure": "measure",
    "equity_measure": "measure",
    "icb_cost_var": "variable",
}
_REQUIRED_LABELS = ("area_names", "area_codes", "quintiles", "ethnic_groups", "rural", "years",
                    "monthly_vars", "annual_vars", "provider_names", "provider_types", "provider_ids",
                    "provider_vars", "summary_measures", "summary_units", "summary_descriptions",
                    "equity_measures")
_REQUIRED_RUNS = ("summary", "equity_access", "equity_preferred_place")
# Groups of runs/ datasets a file may leave out (root attribute stored_outputs, `--store`); files
# without the attribute store every group.
_STORED_GROUPS = {"monthly": ("monthly",),
                  "annual": ("annual", "children_by_age", "deaths_by_age", "children_by_diagnosis",
                             "children_by_category"),
                  "provider": ("provider", "area_cover_days", "network_cost")}
_EQUITY_OUTCOMES = {"access": "equity_access", "preferred_place": "equity_preferred_place"}


class ResultsError(Exception):
    """A file that is not a readable cpcsim results file; the message names the file."""


class _BadText(ValueError):
    """Stored text that is not UTF-8; callers that know the file and object name say where."""


def _decode(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _BadText(f"text that is not valid UTF-8 (byte 0x{b[e.start]:02x} at position {e.start})") from None


def _text(x) -> str:
    if isinstance(x, (bytes, np.bytes_)):
        return _decode(bytes(x))
    if isinstance(x, np.ndarray) and x.shape == ():
        return _text(x[()])
    return str(x)


def _where(obj: h5py.HLObject, attr: str | None = None) -> str:
    """"FILE: /labels/area_names" (or "FILE: attribute dims of /runs/summary") for messages."""
    name = obj.name if attr is None else f"attribute {attr} of {obj.name}"
    return f"{obj.file.filename}: {name}"


def _strings(ds: h5py.Dataset) -> list[str]:
    if not isinstance(ds, h5py.Dataset) or ds.dtype.kind not in ("O", "S", "U"):
        what = "a group" if isinstance(ds, h5py.Group) else f"{ds.dtype} values"
        raise ResultsError(f"{_where(ds)}: expected text labels, found {what}")
    try:
        return [_text(v) for v in np.asarray(ds[()]).ravel()]
    except _BadText as e:
        raise ResultsError(f"{_where(ds)} holds {e}") from None


def _unique_labels(labels: Sequence[str], fallback: Sequence[str]) -> list[str]:
    """Category labels must be unique: duplicates get their code appended."""
    labels = list(labels)
    if len(set(labels)) == len(labels):
        return labels
    return [f"{name} ({code})" for name, code in zip(labels, fallback)]


def flatten_toml(table: dict, prefix: str = "") -> list[tuple[str, object]]:
    """Flattens a parsed TOML table into (dotted key, value) pairs, in file order."""
    out: list[tuple[str, object]] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(flatten_toml(value, name + "."))
        else:
            out.append((name, value))
    return out


@dataclass(frozen=True)
class _Axis:
    name: str
    values: object  # np.ndarray (numeric) or pd.Categorical-able list of labels
    categorical: bool


class Arm:
    """One set of simulated runs with its labels: the root of a run or sweep file, or one arm
    (/arms/A, /arms/B) of a compare file."""

    def __init__(self, results: "Results", name: str, group: h5py.Group):
        self.results = results
        self.name = name
        self.group = group
        self._cache: dict[str, np.ndarray] = {}
        self._scenario_name: str | None = None
        self._scenario: dict | None = None
        self.labels: dict[str, list[str]] = {}
        lab = group["labels"]
        for key in lab.keys():
            if key == "years":
                continue
            ds = lab[key]
            if (isinstance(ds, h5py.Dataset) and ds.dtype.kind in ("O", "S", "U")) or key in _REQUIRED_LABELS:
                self.labels[key] = _strings(ds)
        years = lab["years"]
        if not isinstance(years, h5py.Dataset) or years.dtype.kind not in ("i", "u") or years.ndim != 1:
            raise ResultsError(f"{_where(years)}: expected a 1-D dataset of calendar years (integers)")
        self.years = np.asarray(years[()], dtype=np.int64)
        codes = self.labels.get("area_codes", [str(i) for i in range(len(self.labels["area_names"]))])
        self.labels["area_names"] = _unique_labels(self.labels["area_names"], codes)
        pids = self.labels.get("provider_ids", [str(i) for i in range(len(self.labels["provider_names"]))])
        self.labels["provider_names"] = _unique_labels(self.labels["provider_names"], pids)
        self.n_runs = int(group["runs/summary"].shape[0])
        self.leading_dim = self.dims("runs/summary")[0]

    # ----- raw access -------------------------------------------------------------------------
    def path(self, name: str) -> str:
        return self.group[name].name

    def has(self, name: str) -> bool:
        return name in self.group

    def array(self, name: str) -> np.ndarray:
        """A dataset of this arm as a numpy array (cached); e.g. array("runs/annual")."""
        if name not in self._cache:
            try:
                self._cache[name] = np.asarray(self.group[name][()])
            except KeyError:
                raise ResultsError(self.results.missing_message(f"{self.group.name.rstrip('/')}/{name}")) from None
            except (OSError, RuntimeError) as e:
                raise ResultsError(f"{self.results.path}: cannot read {self.group.name.rstrip('/')}/{name} "
                                   f"(damaged file?): {e}") from None
        return self._cache[name]

    def dims(self, name: str) -> list[str]:
        if name not in self.group:
            raise ResultsError(self.results.missing_message(f"{self.group.name.rstrip('/')}/{name}"))
        ds = self.group[name]
        if "dims" not in ds.attrs:
            raise ResultsError(f"{self.results.path}: dataset {ds.name} has no 'dims' attribute")
        try:
            return [_text(d) for d in np.asarray(ds.attrs["dims"]).ravel()]
        except _BadText as e:
            raise ResultsError(f"{_where(ds, 'dims')} holds {e}") from None

    def text(self, name: str) -> str:
        """A scalar string dataset, e.g. text("scenario/scenario_toml"); "" if absent."""
        if name not in self.group:
            return ""
        ds = self.group[name]
        if not isinstance(ds, h5py.Dataset):
            raise ResultsError(f"{_where(ds)}: expected a text dataset, found a group")
        try:
            return _text(ds[()])
        except _BadText as e:
            raise ResultsError(f"{_where(ds)} holds {e}") from None

    @property
    def scenario_name(self) -> str:
        """The arm's scenario name: [scenario].name of its resolved TOML, else the scenario group's
        or the file's scenario_name attribute."""
        if self._scenario_name is None:
            name = ""
            try:
                name = str(self.scenario().get("scenario", {}).get("name", ""))
            except ResultsError:
                pass
            sc = self.group.get("scenario")
            try:
                if not name and sc is not None and "scenario_name" in sc.attrs:
                    name = _text(sc.attrs["scenario_name"])
            except _BadText as e:
                raise ResultsError(f"{_where(sc, 'scenario_name')} holds {e}") from None
            self._scenario_name = name or _text(self.results.provenance.get("scenario_name", ""))
        return self._scenario_name

    @property
    def scenario_toml(self) -> str:
        return self.text("scenario/scenario_toml")

    def scenario(self) -> dict:
        """The resolved scenario TOML parsed with tomllib ({} if the file holds none)."""
        if self._scenario is not None:
            return self._scenario
        text = self.scenario_toml
        if not text:
            return {}
        try:
            self._scenario = tomllib.loads(text)
            return self._scenario
        except tomllib.TOMLDecodeError as e:
            raise ResultsError(f"{self.results.path}: the stored scenario TOML of arm {self.name} "
                               f"does not parse: {e}") from None

    def label_values(self, dim: str):
        """Labels of one dimension: a list of strings (categorical) or a numeric array."""
        if dim in _DIM_LABELS:
            return self.labels[_DIM_LABELS[dim]]
        if dim == "year":
            return self.years
        if dim == "year_or_horizon":
            return [str(y) for y in self.years] + ["horizon"]
        if dim == "month":
            return self.month_dates()
        raise ResultsError(f"{self.results.path}: unknown dimension '{dim}'")

    def month_dates(self) -> pd.DatetimeIndex:
        """First day of every simulated month, from the first calendar year in labels/years."""
        n = int(self.group["runs/monthly"].shape[1]) if "runs/monthly" in self.group else 12 * self.years.size
        start = int(self.years[0]) if self.years.size else 2000
        return pd.date_range(f"{start}-01-01", periods=n, freq="MS")

    # ----- run metadata -----------------------------------------------------------------------
    def run_meta(self) -> pd.DataFrame:
        """One row per run (row of runs/*): arm, run, replicate (+ run_id, point, point_name)."""
        n = self.n_runs
        meta = pd.DataFrame({"arm": [self.name] * n, "run": np.arange(n, dtype=np.int64)})
        sweep = self.results._sweep_group()
        if sweep is not None and self.results.kind == "sweep":
            meta["run_id"] = np.asarray(sweep["run_id"][()], dtype=np.int64)
            point = np.asarray(sweep["point"][()], dtype=np.int64)
            meta["replicate"] = np.asarray(sweep["replicate"][()], dtype=np.int64)
            meta["point"] = point
            names = self.results.point_names()
            meta["point_name"] = [names[p] for p in point]
        else:
            if "runs/replicate" in self.group:
                meta["replicate"] = np.asarray(self.group["runs/replicate"][()], dtype=np.int64)
            else:
                meta["replicate"] = np.arange(n, dtype=np.int64)
        return meta

    # ----- tidy tables --------------------------------------------------------------------------
    def frame(self, name: str, *, select: dict | None = None, keep: Iterable[str] | None = None,
              value_name: str = "value") -> pd.DataFrame:
        """Any runs/* dataset as a long table labelled from its `dims` attribute.

        select: {dim: [labels]} keeps only those labels of a dimension (e.g. {"annual_var":
        ["reached"]}). keep: the cell dimensions (area, quintile, ethnic_group, rural) to keep; the
        others are summed over. By default every dimension is kept.
        """
        dims = self.dims(name)
        data = self.array(name)
        if data.ndim != len(dims):
            raise ResultsError(f"{self.results.path}: {self.path(name)} has {data.ndim} dimensions but "
                               f"its dims attribute names {len(dims)}")
        axes: list[_Axis] = []
        for i, dim in enumerate(dims):
            if i == 0:
                axes.append(_Axis("run", np.arange(data.shape[0]), False))
                continue
            labels = self.label_values(dim)
            if len(labels) != data.shape[i]:
                raise ResultsError(f"{self.results.path}: {self.path(name)} has {data.shape[i]} entries along "
                                   f"'{dim}' but {len(labels)} labels")
            column = _VAR_COLUMN.get(dim, dim)
            if dim == "month":
                axes.append(_Axis(column, np.asarray(labels), False))
            elif dim == "year":
                axes.append(_Axis(column, np.asarray(labels, dtype=np.int64), False))
            else:
                axes.append(_Axis(column, list(labels), True))
        for dim, wanted in (select or {}).items():
            if dim not in dims:
                raise ValueError(f"{name} has no dimension '{dim}' (it has {dims})")
            i = dims.index(dim)
            ax = axes[i]
            labels = list(ax.values)
            wanted = [wanted] if isinstance(wanted, (str, int, np.integer)) else list(wanted)
            missing = [w for w in wanted if w not in labels]
            if missing:
                raise ValueError(f"unknown {dim} {missing}; known: {labels}")
            idx = [labels.index(w) for w in wanted]
            data = np.take(data, idx, axis=i)
            vals = [labels[j] for j in idx]
            if ax.categorical:
                # keep the full category list so tables from different selections concatenate
                axes[i] = _Axis(ax.name, (vals, list(ax.values)), True)
            else:
                axes[i] = _Axis(ax.name, np.asarray(vals), False)
        if keep is not None:
            keep = set(keep)
            unknown = keep - set(CELL_DIMS)
            if unknown:
                raise ValueError(f"can only group by {CELL_DIMS}, not {sorted(unknown)}")
            drop = [i for i, d in enumerate(dims) if d in CELL_DIMS and d not in keep]
            if drop:
                data = data.sum(axis=tuple(drop), dtype=np.float64 if data.dtype.kind == "f" else np.int64)
                axes = [a for i, a in enumerate(axes) if i not in drop]
        return self._long(data, axes, value_name)

    def _long(self, data: np.ndarray, axes: list[_Axis], value_name: str) -> pd.DataFrame:
        shape = data.shape
        cols: dict[str, object] = {}
        meta = self.run_meta()
        for k, ax in enumerate(axes):
            view = [1] * len(shape)
            view[k] = shape[k]
            codes = np.broadcast_to(np.arange(shape[k]).reshape(view), shape).ravel()
            if k == 0:
                for c in meta.columns:
                    if c == "arm":
                        continue
                    cols[c] = meta[c].to_numpy()[codes]
                continue
            if ax.categorical:
                if isinstance(ax.values, tuple):
                    vals, cats = ax.values
                    codes = np.asarray([cats.index(v) for v in vals])[codes]
                else:
                    cats = ax.values
                cols[ax.name] = pd.Categorical.from_codes(codes, categories=cats, ordered=True)
            else:
                cols[ax.name] = np.asarray(ax.values)[codes]
        cols[value_name] = data.ravel()
        out = pd.DataFrame(cols)
        out.insert(0, "arm", self.name)
        return out


class Results:
    """An open cpcsim results file. Use open_results(); close() or use as a context manager."""

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        self._memo: dict = {}  # tables already built (returned as copies)
        self.file = _open_checked(self.path)
        try:
            self.provenance = {}
            for k, v in self.file.attrs.items():
                try:
                    self.provenance[k] = _attr_value(v)
                except _BadText as e:
                    raise ResultsError(f"{self.path}: root attribute {k} holds {e}") from None
            self.kind = self.provenance["kind"]
            self.arms = self._make_arms()
            self._validate()
        except BaseException:
            self.file.close()
            raise

    # ----- lifetime -----------------------------------------------------------------------------
    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> "Results":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Results({self.path!r}, kind={self.kind!r}, arms={list(self.arms)})"

    # ----- structure ----------------------------------------------------------------------------
    def _make_arms(self) -> dict[str, Arm]:
        f = self.file
        if self.kind == "compare":
            if "arms" not in f:
                raise ResultsError(f"{self.path}: a compare file must hold /arms/A and /arms/B; found no /arms group")
            missing = [a for a in ("A", "B") if a not in f["arms"]]
            if missing:
                raise ResultsError(f"{self.path}: a compare file must hold /arms/A and /arms/B; missing "
                                   + ", ".join("/arms/" + m for m in missing))
            groups = {"A": f["arms/A"], "B": f["arms/B"]}
        else:
            groups = {self.kind: f["/"]}
        for name, g in groups.items():
            where = g.name.rstrip("/")
            for sub in ("labels", "population", "runs"):
                if sub not in g:
                    raise ResultsError(f"{self.path}: damaged or incomplete cpcsim {self.kind} file: "
                                       f"expected group {where}/{sub}")
            for lab in _REQUIRED_LABELS:
                if not isinstance(g.get(f"labels/{lab}"), h5py.Dataset):
                    raise ResultsError(f"{self.path}: damaged or incomplete file: expected dataset "
                                       f"{where}/labels/{lab}")
            required = list(_REQUIRED_RUNS)
            for group in self.stored_outputs:
                required += _STORED_GROUPS[group]
            for ds in required:
                if not isinstance(g.get(f"runs/{ds}"), h5py.Dataset):
                    raise ResultsError(f"{self.path}: damaged or incomplete file: expected dataset {where}/runs/{ds}")
        if self.kind == "sweep":
            sweep = self._sweep_group()
            if sweep is None:
                raise ResultsError(f"{self.path}: a sweep file must hold a /sweep group")
            for ds in ("run_id", "point", "replicate", "point_names", "parameter_names", "point_values"):
                if ds not in sweep:
                    raise ResultsError(f"{self.path}: damaged sweep file: expected /sweep/{ds}")
        try:
            return {name: Arm(self, name, g) for name, g in groups.items()}
        except (KeyError, OSError, RuntimeError) as e:
            raise ResultsError(f"{self.path}: damaged cpcsim results file: {e}") from None

    def _validate(self) -> None:
        """Shape consistency between labels and datasets (cheap: reads shapes, not data)."""
        for arm in self.arms.values():
            runs = arm.group["runs"]
            n = arm.n_runs
            for key in runs.keys():
                ds = runs[key]
                if not isinstance(ds, h5py.Dataset) or ds.ndim == 0:
                    continue
                if ds.shape[0] != n:
                    raise ResultsError(f"{self.path}: {ds.name} has {ds.shape[0]} rows but runs/summary has {n}")
            checks = [("runs/summary", 1, "summary_measures"), ("runs/annual", 6, "annual_vars"),
                      ("runs/monthly", 6, "monthly_vars"), ("runs/provider", 3, "provider_vars"),
                      ("runs/provider", 2, "provider_names"), ("runs/annual", 2, "area_names"),
                      ("runs/equity_access", 2, "equity_measures")]
            for ds, axis, lab in checks:
                if ds not in arm.group:
                    continue  # not stored (stored_outputs)
                shape = arm.group[ds].shape
                if len(shape) <= axis or shape[axis] != len(arm.labels[lab]):
                    raise ResultsError(f"{self.path}: {arm.group[ds].name} does not match labels/{lab} "
                                       f"({shape} vs {len(arm.labels[lab])} labels)")
            if "runs/annual" in arm.group and arm.group["runs/annual"].shape[1] != arm.years.size:
                raise ResultsError(f"{self.path}: runs/annual has {arm.group['runs/annual'].shape[1]} years "
                                   f"but labels/years has {arm.years.size}")
            if "runs/monthly" in arm.group and arm.group["runs/monthly"].shape[1] != 12 * arm.years.size:
                raise ResultsError(f"{self.path}: runs/monthly has {arm.group['runs/monthly'].shape[1]} months; "
                                   f"expected 12 per year of labels/years ({12 * arm.years.size})")
        if self.kind == "sweep":
            sweep = self._sweep_group()
            n = self.arm().n_runs
            for ds in ("run_id", "point", "replicate"):
                if sweep[ds].shape != (n,):
                    raise ResultsError(f"{self.path}: /sweep/{ds} has shape {sweep[ds].shape}; expected ({n},)")
            npts, npar = len(self.point_names()), len(self.parameter_names())
            if sweep["point_values"].shape != (npts, npar):
                raise ResultsError(f"{self.path}: /sweep/point_values has shape {sweep['point_values'].shape}; "
                                   f"expected ({npts}, {npar})")
            pts = np.asarray(sweep["point"][()])
            if pts.size and (pts.min() < 0 or pts.max() >= npts):
                raise ResultsError(f"{self.path}: /sweep/point refers to points outside 0..{npts - 1}")

    def _sweep_group(self):
        g = self.file.get("sweep")
        return g if isinstance(g, h5py.Group) else None

    def arm(self, name: str | None = None) -> Arm:
        """An arm by name; without a name the first (the only one of a run or sweep file)."""
        if name is None:
            return next(iter(self.arms.values()))
        try:
            return self.arms[name]
        except KeyError:
            raise ValueError(f"{self.path} has no arm '{name}' (arms: {list(self.arms)})") from None

    def _arms(self, arm: str | None) -> list[Arm]:
        return list(self.arms.values()) if arm is None else [self.arm(arm)]

    @property
    def arm_names(self) -> list[str]:
        return list(self.arms)

    @property
    def stored_outputs(self) -> list[str]:
        """Groups of per-run tables the file stores (monthly, annual, provider; `--store`)."""
        text = self.provenance.get("stored_outputs")
        if text is None:
            return list(_STORED_GROUPS)
        items = [x for x in str(text).split(",") if x]
        unknown = [x for x in items if x not in _STORED_GROUPS]
        if unknown:
            raise ResultsError(f"{self.path}: root attribute stored_outputs names unknown outputs {unknown}; "
                               f"expected some of {', '.join(_STORED_GROUPS)}")
        return items

    def missing_message(self, dataset: str) -> str:
        """Why a dataset is absent: not stored (with the --store that would store it), or damage."""
        name = dataset.rsplit("/", 1)[-1]
        for group, members in _STORED_GROUPS.items():
            if name in members and group not in self.stored_outputs:
                return (f"{self.path}: no dataset {dataset}: the file stores only "
                        f"'{','.join(self.stored_outputs) or 'the summary'}' (written with --store); "
                        f"rerun with --store all (or a list including {group}) to get it")
        return f"{self.path}: no dataset {dataset}"

    @property
    def years(self) -> np.ndarray:
        return self.arm().years

    # ----- sweep design -------------------------------------------------------------------------
    def point_names(self) -> list[str]:
        sweep = self._sweep_group()
        return _strings(sweep["point_names"]) if sweep is not None and "point_names" in sweep else []

    def parameter_names(self) -> list[str]:
        sweep = self._sweep_group()
        return _strings(sweep["parameter_names"]) if sweep is not None and "parameter_names" in sweep else []

    @property
    def design_type(self) -> str:
        """The sweep design ("grid", "morris", ...) from the /sweep attributes; "" if not a sweep."""
        sweep = self._sweep_group()
        if sweep is None:
            return ""
        for key in ("design", "design_type", "type", "method"):
            if key in sweep.attrs:
                return _text(sweep.attrs[key]).strip().lower()
        return ""

    def design(self) -> pd.DataFrame:
        """Sweep design points: point, point_name, one column per varied parameter (empty if not a sweep)."""
        if self.kind != "sweep":
            return pd.DataFrame(columns=["point", "point_name"])
        values = np.asarray(self._sweep_group()["point_values"][()], dtype=float)
        out = pd.DataFrame({"point": np.arange(values.shape[0]), "point_name": self.point_names()})
        for j, p in enumerate(self.parameter_names()):
            out[p] = values[:, j]
        return out

    # ----- tidy tables --------------------------------------------------------------------------
    def runs(self) -> pd.DataFrame:
        """One row per run: arm, run (row in runs/*), replicate; sweeps add run_id, point,
        point_name and the value of every varied parameter."""
        frames = []
        for arm in self.arms.values():
            meta = arm.run_meta()
            meta["scenario"] = arm.scenario_name
            if self.kind == "sweep":
                meta = meta.merge(self.design().drop(columns=["point_name"]), on="point", how="left")
            frames.append(meta)
        return _concat(frames)

    def parameters(self, arm: str | None = None) -> pd.DataFrame:
        """The resolved scenario of each arm as key/value rows (arm, section, key, value, text)."""
        rows = []
        for a in self._arms(arm):
            for key, value in flatten_toml(a.scenario()):
                rows.append({"arm": a.name, "section": key.split(".")[0], "key": key, "value": value,
                             "text": _format_value(value)})
        return pd.DataFrame(rows, columns=["arm", "section", "key", "value", "text"])

    def summary_info(self) -> pd.DataFrame:
        """Summary measures: measure, unit, description (in file order)."""
        a = self.arm()
        return pd.DataFrame({"measure": a.labels["summary_measures"], "unit": a.labels["summary_units"],
                             "description": a.labels["summary_descriptions"]})

    def summaries(self, measures: Sequence[str] | None = None, *, derived: bool = True,
                  arm: str | None = None) -> pd.DataFrame:
        """Long table: arm, run, replicate, [sweep columns], measure, value, unit, description, source.

        source is "simulator" for runs/summary and "analysis" for measures this package derives
        from raw counts (e.g. children reached per year, unmet need of every kind); derived=False
        leaves those out.
        """
        key = ("summaries", derived, arm)
        if key not in self._memo:
            self._memo[key] = self._summaries(derived, arm)
        out = self._memo[key]
        if measures is not None:
            measures = list(measures)
            unknown = sorted(set(measures) - set(out["measure"]))
            if unknown:
                raise ValueError(f"unknown summary measures {unknown}")
            return out[out["measure"].isin(measures)].reset_index(drop=True)
        return out.copy()

    def _summaries(self, derived: bool, arm: str | None) -> pd.DataFrame:
        frames = []
        for a in self._arms(arm):
            f = a.frame("runs/summary")
            info = self.summary_info()
            f = f.merge(info, on="measure", how="left")
            f["measure"] = f["measure"].astype(str)
            f["source"] = "simulator"
            frames.append(f)
            if derived:
                frames.append(_derived_measures(a))
        return _concat(frames)

    def summary_wide(self, measures: Sequence[str] | None = None, *, derived: bool = True) -> pd.DataFrame:
        """One row per run (runs() columns) and one column per summary measure."""
        s = self.summaries(measures, derived=derived)
        wide = s.pivot_table(index=["arm", "run"], columns="measure", values="value", aggfunc="first",
                             dropna=False)
        wide.columns.name = None
        wide = wide.reset_index()
        return self.runs().merge(wide, on=["arm", "run"], how="left")

    def monthly(self, variables: Sequence[str] | str | None = None, by: Sequence[str] = (), *,
                wide: bool = False, arm: str | None = None) -> pd.DataFrame:
        """Monthly counters: arm, run, replicate, month (date), [by...], variable, value.

        by: cell dimensions to keep (area, quintile, ethnic_group, rural); the rest are summed.
        wide=True gives one column per variable instead of variable/value.
        """
        return self._cells("runs/monthly", "monthly_var", variables, by, wide, arm)

    def annual(self, variables: Sequence[str] | str | None = None, by: Sequence[str] = (), *,
               wide: bool = False, arm: str | None = None) -> pd.DataFrame:
        """Yearly counts of children: arm, run, replicate, year, [by...], variable, value."""
        return self._cells("runs/annual", "annual_var", variables, by, wide, arm)

    def _cells(self, name, vdim, variables, by, wide, arm) -> pd.DataFrame:
        if isinstance(by, str):
            by = [by]
        key = (name, None if variables is None else (variables,) if isinstance(variables, str) else tuple(variables),
               tuple(by), wide, arm)
        if key in self._memo:
            return self._memo[key].copy()
        out = self._cells_uncached(name, vdim, variables, by, wide, arm)
        if len(out) <= 200_000:  # keep small tables for reuse; big ones are rebuilt on demand
            self._memo[key] = out.copy()
        return out

    def _cells_uncached(self, name, vdim, variables, by, wide, arm) -> pd.DataFrame:
        select = None if variables is None else {vdim: [variables] if isinstance(variables, str) else list(variables)}
        frames = [a.frame(name, select=select, keep=by) for a in self._arms(arm)]
        out = _concat(frames)
        return _wide(out) if wide else out

    def provider_info(self, arm: str | None = None) -> pd.DataFrame:
        """Providers: arm, provider (name), provider_id, provider_type."""
        frames = []
        for a in self._arms(arm):
            frames.append(pd.DataFrame({"arm": a.name, "provider": a.labels["provider_names"],
                                        "provider_id": a.labels["provider_ids"],
                                        "provider_type": a.labels["provider_types"]}))
        return _concat(frames)

    def providers(self, variables: Sequence[str] | str | None = None, *, wide: bool = False,
                  arm: str | None = None) -> pd.DataFrame:
        """Provider money, staff and activity: arm, run, replicate, year, provider, provider_id,
        provider_type, variable, value (wide=True: one column per variable)."""
        select = None if variables is None else {"provider_var": [variables] if isinstance(variables, str) else list(variables)}
        frames = []
        for a in self._arms(arm):
            f = a.frame("runs/provider", select=select)
            pos = f.columns.get_loc("provider") + 1
            ids = np.asarray(a.labels["provider_ids"])[f["provider"].cat.codes.to_numpy()]
            types = np.asarray(a.labels["provider_types"])[f["provider"].cat.codes.to_numpy()]
            f.insert(pos, "provider_id", ids)
            f.insert(pos + 1, "provider_type", pd.Categorical(types))
            frames.append(f)
        out = _concat(frames)
        return _wide(out) if wide else out

    def icb_costs(self, variables: Sequence[str] | str | None = None, *, wide: bool = False,
                  arm: str | None = None) -> pd.DataFrame:
        """Costs per ICB and year (runs/icb_costs; docs/hdf5-schema.md): arm, run, replicate, year,
        icb, variable, value in GBP (wide=True: one column per variable). Over the ICBs each
        variable sums to the region's cost of the year."""
        select = None if variables is None else {"icb_cost_var": [variables] if isinstance(variables, str) else list(variables)}
        frames = []
        for a in self._arms(arm):
            if not a.has("runs/icb_costs"):
                raise ResultsError(f"{self.path}: arm {a.name} has no runs/icb_costs (written by cpcsim since "
                                   "issue 10; rerun the scenario to get costs per ICB)")
            frames.append(a.frame("runs/icb_costs", select=select))
        out = _concat(frames)
        return _wide(out) if wide else out

    def equity(self, outcome: str | None = None, *, arm: str | None = None) -> pd.DataFrame:
        """The simulator's equity measures: arm, run, replicate, outcome ("access" or
        "preferred_place"), period ("2025", ..., "horizon"), year (calendar year, <NA> for the
        horizon), measure, value."""
        outcomes = list(_EQUITY_OUTCOMES) if outcome is None else [outcome]
        frames = []
        for a in self._arms(arm):
            for o in outcomes:
                if o not in _EQUITY_OUTCOMES:
                    raise ValueError(f"outcome must be one of {list(_EQUITY_OUTCOMES)}, not {o!r}")
                f = a.frame("runs/" + _EQUITY_OUTCOMES[o]).rename(columns={"year_or_horizon": "period"})
                f.insert(f.columns.get_loc("period"), "outcome", o)
                period = f["period"].astype(str)
                year = pd.array([int(p) if p != "horizon" else pd.NA for p in period], dtype="Int64")
                f.insert(f.columns.get_loc("period") + 1, "year", year)
                f["measure"] = f["measure"].astype(str)
                frames.append(f)
        return _concat(frames)

    def population(self, arm: str | None = None) -> pd.DataFrame:
        """Areas: arm, area, area_code, icb, population_0_19, lat, lon, rural_share, quintile and
        ethnic shares (one column each)."""
        frames = []
        for a in self._arms(arm):
            names = a.labels["area_names"]
            f = pd.DataFrame({"arm": a.name, "area": pd.Categorical(names, categories=names, ordered=True),
                              "area_code": a.labels["area_codes"],
                              "icb": a.labels.get("area_icbs", [""] * len(names))})
            for key in ("population_0_19", "lat", "lon", "rural_share"):
                if f"population/{key}" in a.group:
                    f[key] = a.array(f"population/{key}").astype(float)
            if "population/quintile_share" in a.group:
                q = a.array("population/quintile_share")
                for j, lab in enumerate(a.labels["quintiles"]):
                    f[f"share {lab}"] = q[:, j]
            if "population/ethnic_share" in a.group:
                e = a.array("population/ethnic_share")
                for j, lab in enumerate(a.labels["ethnic_groups"]):
                    f[f"share {lab}"] = e[:, j]
            frames.append(f)
        return _concat(frames)

    def table(self, name: str, *, arm: str | None = None, **kwargs) -> pd.DataFrame:
        """Any runs/* dataset as a long labelled table, e.g. table("runs/deaths_by_age")."""
        if not name.startswith("runs/"):
            name = "runs/" + name
        return _concat([a.frame(name, **kwargs) for a in self._arms(arm)])


def _format_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_format_value(v) for v in value) + "]"
    if isinstance(value, str):
        return value
    return repr(value) if isinstance(value, float) else str(value)


def _wide(out: pd.DataFrame) -> pd.DataFrame:
    """A long table (variable, value) with one column per variable."""
    index = [c for c in out.columns if c not in ("variable", "value")]
    out = out.pivot_table(index=index, columns="variable", values="value", aggfunc="first",
                          observed=True).reset_index()
    out.columns.name = None
    return out


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if f is not None]
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    return pd.concat(frames, ignore_index=True)


def _attr_value(v):
    if isinstance(v, (bytes, np.bytes_)):
        return _decode(bytes(v))
    if isinstance(v, np.ndarray):
        if v.shape == ():
            return _attr_value(v[()])
        return [_attr_value(x) for x in v.ravel()]
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


# Measures derived here from raw counts: (name, unit, description, function of an Arm -> per-run array)
def _per_year(arm: Arm, ds: str, var: str) -> np.ndarray:
    vars_ = arm.labels["monthly_vars" if ds == "runs/monthly" else "annual_vars"]
    data = arm.array(ds)
    j = vars_.index(var)
    total = data[..., j].reshape(data.shape[0], -1).sum(axis=1, dtype=np.int64)
    return total / max(arm.years.size, 1)


def _provider_sum(arm: Arm, var: str, types: Iterable[str] | None = None) -> np.ndarray:
    data = arm.array("runs/provider")
    j = arm.labels["provider_vars"].index(var)
    sel = np.ones(data.shape[2], dtype=bool)
    if types is not None:
        sel = np.isin(np.asarray(arm.labels["provider_types"]), list(types))
    return data[:, :, sel, j].sum(axis=(1, 2)) / max(arm.years.size, 1)


DERIVED_MEASURES = [
    ("children_reached_per_year", "children", "children with any hospice or SPPC contact, per year",
     lambda a: _per_year(a, "runs/annual", "reached")),
    ("deaths_preferred_place_per_year", "deaths", "deaths at the family's preferred place, per year",
     lambda a: _per_year(a, "runs/annual", "deaths_preferred_place")),
    ("deaths_home_per_year", "deaths", "deaths at home, per year", lambda a: _per_year(a, "runs/annual", "deaths_home")),
    ("deaths_hospice_per_year", "deaths", "deaths in a hospice, per year",
     lambda a: _per_year(a, "runs/annual", "deaths_hospice")),
    ("deaths_hospital_per_year", "deaths", "deaths in hospital, per year",
     lambda a: _per_year(a, "runs/annual", "deaths_hospital")),
    ("unmet_days_hospice_home_per_year", "child-days",
     "child-days with a hospice-at-home visit due and not given, per year",
     lambda a: _per_year(a, "runs/monthly", "unmet_days_hospice_home")),
    ("unmet_nights_symptom_per_year", "nights", "symptom-management nights requested and not given, per year",
     lambda a: _per_year(a, "runs/monthly", "unmet_nights_symptom")),
    ("cost_providers_statutory_per_year", "GBP", "provider expenditure paid by the NHS and local authorities, per year",
     lambda a: _provider_sum(a, "statutory_gbp")),
    ("cost_providers_charitable_per_year", "GBP", "provider expenditure paid by charity, per year",
     lambda a: _provider_sum(a, "charitable_gbp")),
]


def _derived_measures(arm: Arm) -> pd.DataFrame:
    meta = arm.run_meta()
    frames = []
    for name, unit, desc, fn in DERIVED_MEASURES:
        try:
            values = np.asarray(fn(arm), dtype=float)
        except (ValueError, KeyError, ResultsError):
            continue  # a counter or table this file does not have
        f = meta.copy()
        f["measure"] = name
        f["value"] = values
        f["unit"] = unit
        f["description"] = desc
        f["source"] = "analysis"
        frames.append(f)
    return pd.concat(frames, ignore_index=True) if frames else None


def _open_checked(path: str) -> h5py.File:
    if not os.path.exists(path):
        raise ResultsError(f"{path}: no such file (expected a cpcsim results file, .h5)")
    if os.path.isdir(path):
        raise ResultsError(f"{path}: is a directory, not a cpcsim results file")
    try:
        is_hdf5 = h5py.is_hdf5(path)
    except OSError as e:
        raise ResultsError(f"{path}: cannot be read: {e}") from None
    if not is_hdf5:
        raise ResultsError(f"{path}: not an HDF5 file (expected a cpcsim results file written by "
                           f"`cpcsim run`, `cpcsim compare` or `cpcsim sweep`)")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise ResultsError(f"{path}: truncated or corrupt HDF5 file ({e})") from None
    try:
        attrs = f.attrs
        if "format" not in attrs:
            raise ResultsError(f"{path}: not a cpcsim results file (expected a root attribute "
                               f"format = \"{FORMAT}\"; the file has no 'format' attribute)")
        fmt = _attr_value(attrs["format"])
        if fmt != FORMAT:
            raise ResultsError(f"{path}: not a cpcsim results file (expected format = \"{FORMAT}\"; found {fmt!r})")
        if "schema_version" not in attrs:
            raise ResultsError(f"{path}: damaged cpcsim results file: no 'schema_version' attribute "
                               f"(expected schema version {SCHEMA_VERSION})")
        version = _attr_value(attrs["schema_version"])
        if not isinstance(version, (int, np.integer)) or isinstance(version, bool):
            raise ResultsError(f"{path}: damaged cpcsim results file: schema_version is {version!r}; "
                               f"expected an integer")
        if version > SCHEMA_VERSION:
            raise ResultsError(f"{path}: schema version {version} is newer than this analysis package "
                               f"reads (schema versions 1 to {SCHEMA_VERSION}); use the analysis/ of the "
                               f"cpcsim that wrote the file")
        if version < 1:
            raise ResultsError(f"{path}: damaged cpcsim results file: invalid schema version {version}")
        kind = _attr_value(attrs.get("kind", ""))
        if kind not in KINDS:
            raise ResultsError(f"{path}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    except ResultsError:
        f.close()
        raise
    except _BadText as e:
        f.close()
        raise ResultsError(f"{path}: not a cpcsim results file: a root attribute holds {e}") from None
    except (OSError, RuntimeError, KeyError) as e:
        f.close()
        raise ResultsError(f"{path}: truncated or corrupt cpcsim results file ({e})") from None
    return f


def open_results(path: str | os.PathLike) -> Results:
    """Opens and checks a cpcsim results file; raises ResultsError if it cannot be read."""
    return Results(path)
