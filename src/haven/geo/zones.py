"""Zones as data: each zone is stored with the recipe that made it, and :func:`rebuild` recomputes it.

A recipe is plain JSON. Operations (``op``):

- ``buffer``: a line (a stored zone such as ``"turkey-syria-border"`` or ``"m4-highway"``, or an inline
  GeoJSON geometry) widened by ``distance`` in ``unit`` (``km``, ``mi``, ``m``; ``distance_km`` is also
  read), on ``side`` ``both``, ``left`` or ``right`` of the line's direction, optionally ``clip``-ped to
  another recipe. "The Syrian side of the border" is the buffer clipped to Syria: ``{"op": "admin",
  "pcodes": ["SY"]}``. Buffers are built in the UTM zone of the line (:func:`haven.geo.crs.utm_crs_for`).
- ``geojson``: a polygon from a GeoJSON geometry, feature or feature collection (``geometry``).
- ``admin``: the union of admin units by p-code (``pcodes``); a country code such as ``SY`` stands for
  all its governorates.
- ``union``, ``intersection``, ``difference``: of the recipes or stored zone names listed in ``of``.
- ``zone``: a stored zone by ``name`` (rebuilt from its own recipe when it has one).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from haven.errors import NotFoundError, ValidationError
from haven.geo.crs import (
    GEOGRAPHIC,
    distance_to_line_m,
    require_geographic,
    to_geographic,
    to_metres,
    to_metric,
    utm_crs_for,
)
from haven.model import Place, Zone
from haven.store import RecordFilter, Store

Recipe = dict[str, Any]
SIDES = ("both", "left", "right")
QUAD_SEGS = 64  # arcs of a 50 km buffer within 1.5 m of the true circle
OPS = ("buffer", "geojson", "admin", "union", "intersection", "difference", "zone")


def buffer_recipe(
    line: str | Mapping[str, Any],
    distance: float,
    unit: str = "km",
    *,
    side: str = "both",
    within: str | None = None,
) -> Recipe:
    """The recipe of a buffer of ``line``; ``within`` (a p-code, e.g. ``"SY"``) keeps only that side."""
    recipe: Recipe = {"op": "buffer", "line": line, "distance": distance, "unit": unit, "side": side}
    if within:
        recipe["clip"] = {"op": "admin", "pcodes": [within]}
    to_metres(distance, unit)
    return recipe


def geojson_recipe(data: Mapping[str, Any] | str | Path) -> Recipe:
    """The recipe of a polygon from GeoJSON (a mapping, or the path of a .geojson file)."""
    loaded = json.loads(Path(data).read_text(encoding="utf-8")) if isinstance(data, str | Path) else data
    return {"op": "geojson", "geometry": dict(loaded)}


def rebuild(recipe: Mapping[str, Any], store: Store) -> BaseGeometry:
    """The geometry a recipe makes, recomputed from what is in the store now (EPSG:4326)."""
    return _Builder(store).build(recipe)


def create_zone(store: Store, name: str, recipe: Mapping[str, Any], description: str | None = None) -> Zone:
    """Build a zone from its recipe and save it (replacing a zone of that name)."""
    if not name.strip():
        raise ValidationError("a zone needs a name")
    zone = Zone(name, rebuild(recipe, store), dict(recipe), description or describe(recipe))
    store.save_zone(zone)
    return zone


def describe(recipe: Mapping[str, Any]) -> str:
    """A recipe in words, e.g. "20 mi (32.2 km) of turkey-syria-border, both sides, within SY"."""
    op = recipe.get("op")
    if op == "buffer":
        metres = _distance_m(recipe)
        line = recipe["line"] if isinstance(recipe["line"], str) else "a line"
        unit = recipe.get("unit", "km")
        amount = f"{recipe.get('distance', metres / 1000):g} {unit}"
        if unit != "km":
            amount += f" ({metres / 1000:.1f} km)"
        sides = {"both": "both sides", "left": "left side", "right": "right side"}[recipe.get("side", "both")]
        text = f"{amount} of {line}, {sides}"
        if "clip" in recipe:
            text += f", within {_short(recipe['clip'])}"
        return text
    if op in ("union", "intersection", "difference"):
        return f"{op} of " + ", ".join(_short(part) for part in recipe.get("of", []))
    return _short(recipe)


def _short(part: Any) -> str:
    if isinstance(part, str):
        return part
    if part.get("op") == "admin":
        return "+".join(part.get("pcodes", []))
    if part.get("op") == "zone":
        return str(part.get("name"))
    if part.get("op") == "geojson":
        return "a GeoJSON polygon"
    return describe(part)


def contains(zone: Zone | BaseGeometry, place: Place | tuple[float, float]) -> bool:
    """Whether a place (its point) or a (lon, lat) lies inside a zone."""
    geometry = zone.geometry if isinstance(zone, Zone) else zone
    point = place.point if isinstance(place, Place) else place
    if point is None:
        raise ValidationError(f"place {place.pcode} has no point to test")  # type: ignore[union-attr]
    return bool(shapely.contains_xy(geometry, point[0], point[1]))


@dataclass(frozen=True)
class BufferReach:
    """The smallest buffer of a line that takes in a place."""

    pcode: str
    name: str
    line: str
    distance_km: float  # as the zone is built (in its UTM zone): a buffer this wide includes the place
    geodesic_km: float  # the true distance to the line on the ellipsoid
    crs: str  # where buffers of this line are built


def smallest_buffer(store: Store, recipe: Mapping[str, Any], pcode: str) -> BufferReach:
    """The smallest ``distance`` for which the buffer ``recipe`` takes in the place ``pcode``.

    The recipe's own distance is ignored; its line, side and clip are kept. A place outside the clip
    area, or on the other side of a one-sided buffer, is in no such buffer: that is an error.
    """
    if recipe.get("op") != "buffer":
        raise ValidationError(f"smallest_buffer needs a buffer recipe, got op {recipe.get('op')!r}")
    place = store.place(pcode)
    if place.point is None:
        raise ValidationError(f"place {pcode} has no point")
    builder = _Builder(store)
    line = builder.line(recipe["line"])
    crs = utm_crs_for(line)
    lon, lat = place.point
    metric_point = to_metric(shapely.Point(lon, lat), crs)
    planar_m = float(shapely.distance(to_metric(line, crs), metric_point))
    geodesic_m = float(distance_to_line_m(np.array([lon]), np.array([lat]), line)[0])
    if "clip" in recipe and not contains(builder.build(recipe["clip"]), place):
        raise ValidationError(f"{place.name_en} ({pcode}) is outside the clip area: no buffer takes it in")
    trial = {**recipe, "distance": (planar_m + 1) / 1000, "unit": "km"}
    trial.pop("distance_km", None)
    if not contains(builder.build(trial), place):
        raise ValidationError(f"{place.name_en} ({pcode}) is on the other side of the line")
    line_name = recipe["line"] if isinstance(recipe["line"], str) else "line"
    return BufferReach(pcode, place.name_en, line_name, planar_m / 1000, geodesic_m / 1000, crs.to_string())


# ---------------------------------------------------------------- building
def _number(recipe: Mapping[str, Any], field: str) -> float:
    value = recipe[field]
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"buffer recipe field {field!r}: {value!r} is not a number") from None


def _distance_m(recipe: Mapping[str, Any]) -> float:
    if "distance" in recipe:
        return to_metres(_number(recipe, "distance"), str(recipe.get("unit", "km")))
    for unit in ("km", "mi", "m"):
        if f"distance_{unit}" in recipe:
            return to_metres(_number(recipe, f"distance_{unit}"), unit)
    raise ValidationError('a buffer recipe needs a distance (e.g. "distance": 20, "unit": "mi")')


class _Builder:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._zones: dict[str, Zone] | None = None
        self._building: list[str] = []

    def zone(self, name: str) -> Zone:
        if self._zones is None:
            self._zones = {zone.name: zone for zone in self.store.zones()}
        if name not in self._zones:
            known = ", ".join(sorted(self._zones)) or "none"
            raise NotFoundError(
                f"no zone named {name!r} (zones: {known}); create it with `haven zone create`"
            )
        return self._zones[name]

    def line(self, ref: str | Mapping[str, Any]) -> BaseGeometry:
        geometry = self.zone(ref).geometry if isinstance(ref, str) else _geojson_geometry(ref)
        require_geographic(geometry, "the line")
        if geometry.geom_type not in ("LineString", "MultiLineString"):
            raise ValidationError(f"a buffer needs a line, got a {geometry.geom_type}")
        return geometry

    def build(self, recipe: Mapping[str, Any] | str) -> BaseGeometry:
        if isinstance(recipe, str):
            recipe = {"op": "zone", "name": recipe}
        op = recipe.get("op")
        if op == "buffer":
            geometry = self._buffer(recipe)
        elif op == "geojson":
            geometry = _geojson_geometry(recipe.get("geometry"))
            if geometry.geom_type not in ("Polygon", "MultiPolygon"):
                raise ValidationError(f"a GeoJSON zone must be a polygon, got a {geometry.geom_type}")
        elif op == "admin":
            geometry = self._admin(recipe.get("pcodes") or [])
        elif op in ("union", "intersection", "difference"):
            parts = [self.build(part) for part in recipe.get("of") or []]
            if len(parts) < (1 if op == "union" else 2):
                raise ValidationError(f"{op} needs {'one' if op == 'union' else 'two'} or more zones in 'of'")
            if op == "union":
                geometry = shapely.union_all(parts)
            elif op == "intersection":
                geometry = shapely.intersection_all(parts)
            else:
                geometry = parts[0].difference(shapely.union_all(parts[1:]))
        elif op == "zone":
            geometry = self._stored(str(recipe.get("name")))
        else:
            raise ValidationError(f"unknown zone recipe op {op!r} (expected one of {', '.join(OPS)})")
        require_geographic(geometry)
        return shapely.make_valid(geometry) if not geometry.is_valid else geometry

    def _stored(self, name: str) -> BaseGeometry:
        zone = self.zone(name)
        if zone.recipe.get("op") not in OPS:  # stored as data (e.g. a line from a file): use as is
            return zone.geometry
        if name in self._building:
            raise ValidationError(
                f"zone recipes refer to each other in a loop: {' -> '.join(self._building)}"
            )
        self._building.append(name)
        try:
            return self.build(zone.recipe)
        finally:
            self._building.pop()

    def _buffer(self, recipe: Mapping[str, Any]) -> BaseGeometry:
        if "line" not in recipe:
            raise ValidationError('a buffer recipe needs a line: a zone name or a GeoJSON line ("line": …)')
        line = self.line(recipe["line"])
        metres = _distance_m(recipe)
        side = recipe.get("side", "both")
        if side not in SIDES:
            raise ValidationError(f"unknown side {side!r} (expected one of {', '.join(SIDES)})")
        crs = utm_crs_for(line)
        metric = to_metric(line, crs)
        if side == "both":
            widened = metric.buffer(metres, quad_segs=QUAD_SEGS)
        else:  # shapely: a positive distance is the left of the line's direction
            widened = metric.buffer(
                metres if side == "left" else -metres, quad_segs=QUAD_SEGS, single_sided=True
            )
        geometry = to_geographic(widened, crs)
        if "clip" in recipe:
            geometry = geometry.intersection(self.build(recipe["clip"]))
        return geometry

    def _admin(self, pcodes: list[str]) -> BaseGeometry:
        if not pcodes:
            raise ValidationError("an admin zone needs one or more p-codes")
        parts: list[BaseGeometry] = []
        for pcode in pcodes:
            try:
                place = self.store.place(pcode)
            except NotFoundError:
                place = None
            if place is not None and place.geometry is not None:
                parts.append(place.geometry)
                continue
            # a country code, or a unit without a polygon: the polygons of the units just below it
            below = [
                p
                for p in self.store.list("place", RecordFilter(levels=(1, 2, 3)))
                if pcode in p.parents and p.geometry is not None
            ]
            if not below:
                raise NotFoundError(
                    f"no admin unit with a polygon for p-code {pcode!r}; load boundaries first"
                )
            top = min(p.level for p in below)
            parts.extend(p.geometry for p in below if p.level == top and p.geometry is not None)
        return shapely.union_all(parts)


def _geojson_geometry(data: Any) -> BaseGeometry:
    if not isinstance(data, Mapping):
        raise ValidationError("expected a GeoJSON object (geometry, Feature or FeatureCollection)")
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features") or []
        if not features:
            raise ValidationError("the GeoJSON feature collection is empty")
        geometry = shapely.union_all([_geojson_geometry(f) for f in features])
    elif kind == "Feature":
        geometry = _geojson_geometry(data.get("geometry"))
    else:
        try:
            geometry = shape(data)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"not a GeoJSON geometry ({exc})") from None
    crs = (data.get("crs") or {}).get("properties", {}).get("name", "")
    if crs and not crs.endswith(("CRS84", "4326")):
        raise ValidationError(
            f"GeoJSON in {crs}: Haven needs {GEOGRAPHIC}; reproject with to_crs('{GEOGRAPHIC}')"
        )
    require_geographic(geometry, "the GeoJSON geometry")
    return geometry


__all__ = [
    "BufferReach",
    "Recipe",
    "buffer_recipe",
    "contains",
    "create_zone",
    "describe",
    "geojson_recipe",
    "rebuild",
    "smallest_buffer",
]
