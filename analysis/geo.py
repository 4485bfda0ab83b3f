"""Area boundaries for maps: a scenario folder's ``boundaries.geojson`` (RFC 7946, one feature per
area with a ``code`` property equal to the area's code in the results file) and the attribution
its licence requires, from the ``boundaries.md`` beside it (the quoted lines of its "Licence and
attribution" section).

    shapes = load_boundaries(["E08000016", ...])   # or None when no file covers the areas
    shapes.rings["E08000016"]                      # list of (n, 2) arrays of (lon, lat)
    shapes.attribution                             # list of lines to show with any map

Boundaries are for display only. The file is found, in order: the ``path`` argument, the
``CPCSIM_BOUNDARIES`` environment variable, then every ``scenarios/*/boundaries.geojson`` next to
this package (the source tree and an installed data folder have the same layout); the first file
whose codes include every requested code is used.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

__all__ = ["Boundaries", "BoundariesError", "load_boundaries", "read_boundaries"]


class BoundariesError(ValueError):
    """A boundaries file that cannot be used, with the file and what was expected."""


@dataclass
class Boundaries:
    path: Path
    rings: dict[str, list[np.ndarray]]  # area code -> outer rings (holes are not drawn)
    names: dict[str, str]
    attribution: list[str] = field(default_factory=list)


def _outer_rings(geometry: dict, where: str) -> list[np.ndarray]:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    else:
        raise BoundariesError(f"{where}: geometry type {kind!r}; expected Polygon or MultiPolygon")
    rings = []
    for poly in polygons or []:
        try:
            ring = np.asarray(poly[0], dtype=float)
        except (TypeError, ValueError, IndexError) as e:
            raise BoundariesError(f"{where}: coordinates are not a list of [longitude, latitude] pairs ({e})") from None
        if ring.ndim != 2 or ring.shape[1] < 2 or len(ring) < 3 or not np.isfinite(ring[:, :2]).all():
            raise BoundariesError(f"{where}: a ring needs at least 3 finite [longitude, latitude] pairs")
        rings.append(ring[:, :2])
    if not rings:
        raise BoundariesError(f"{where}: no polygon")
    return rings


def _attribution(md: Path) -> list[str]:
    """The quoted lines ('> ...') of the 'Licence and attribution' section of the .md beside it."""
    if not md.is_file():
        return []
    lines, inside = [], False
    for line in md.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside = "licence" in line.lower() or "attribution" in line.lower()
            continue
        if inside and line.startswith(">"):
            text = line.lstrip(">").strip()
            if text:
                lines.append(text)
    return lines


def read_boundaries(path: str | Path) -> Boundaries:
    """Reads one GeoJSON file; errors name the file and the feature."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BoundariesError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BoundariesError(f"{path}: not a GeoJSON file ({e})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise BoundariesError(f"{path}: expected a GeoJSON FeatureCollection")
    rings, names = {}, {}
    for i, feature in enumerate(data["features"]):
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = props.get("code") if isinstance(props, dict) else None
        if not isinstance(code, str) or not code:
            raise BoundariesError(f"{path}: feature {i} has no 'code' property (the area code)")
        if code in rings:
            raise BoundariesError(f"{path}: area code {code} appears twice")
        rings[code] = _outer_rings(feature.get("geometry"), f"{path}: feature {i} ({code})")
        names[code] = str(props.get("name", code))
    return Boundaries(path, rings, names, _attribution(path.with_suffix(".md")))


def _candidates(path: str | Path | None) -> Iterable[Path]:
    if path:
        yield Path(path)
        return
    env = os.environ.get("CPCSIM_BOUNDARIES")
    if env:
        yield Path(env)
    scenarios = Path(__file__).resolve().parent.parent / "scenarios"
    if scenarios.is_dir():
        yield from sorted(scenarios.glob("*/boundaries.geojson"))


def load_boundaries(codes: Iterable[str], path: str | Path | None = None) -> Boundaries | None:
    """The first boundaries file covering every code, or None. An explicit path that does not
    cover them (or cannot be read) is an error; the files searched by default are skipped."""
    wanted = {str(c) for c in codes}
    for candidate in _candidates(path):
        try:
            b = read_boundaries(candidate)
        except BoundariesError:
            if path:
                raise
            continue
        if wanted <= set(b.rings):
            return b
        if path:
            missing = sorted(wanted - set(b.rings))
            raise BoundariesError(f"{candidate}: no boundary for area codes {', '.join(missing[:5])}"
                                  f"{' ...' if len(missing) > 5 else ''}")
    return None
