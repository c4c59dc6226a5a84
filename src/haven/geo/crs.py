"""Coordinate systems: Haven keeps geometry in longitude/latitude (EPSG:4326) and measures in metres.

Metric work (buffers, areas) happens in the UTM zone chosen from the area concerned
(:func:`utm_crs_for`); distances between points are geodesic on the WGS84 ellipsoid (:data:`GEOD`).
Functions here refuse coordinates that cannot be longitude/latitude rather than guess, and say which
``to_crs()`` call fixes the input.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry.base import BaseGeometry

from haven.errors import ValidationError

GEOGRAPHIC = "EPSG:4326"
GEOD = Geod(ellps="WGS84")
METRES_PER_MILE = 1609.344
UNITS = {"km": 1000.0, "mi": METRES_PER_MILE, "m": 1.0}


def to_metres(distance: float, unit: str) -> float:
    """A distance in ``unit`` (``km``, ``mi`` or ``m``) in metres."""
    if unit not in UNITS:
        raise ValidationError(f"unknown distance unit {unit!r} (expected one of {', '.join(UNITS)})")
    if not math.isfinite(distance) or distance < 0:
        raise ValidationError(f"a distance must be a non-negative number, got {distance}")
    return distance * UNITS[unit]


def require_geographic(geometry: BaseGeometry, what: str = "geometry") -> None:
    """Refuse a geometry whose coordinates cannot be longitude/latitude (a projected one, say)."""
    if geometry.is_empty:
        return
    min_x, min_y, max_x, max_y = geometry.bounds
    if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        raise ValidationError(
            f"{what} has coordinates outside longitude/latitude (bounds {min_x:.0f}, {min_y:.0f}, "
            f"{max_x:.0f}, {max_y:.0f}); Haven keeps geometry in {GEOGRAPHIC}: reproject it first, "
            f"e.g. GeoDataFrame.to_crs('{GEOGRAPHIC}') or haven.geo.crs.to_geographic(geometry, crs)"
        )


def check_same_crs(first: CRS | str | None, second: CRS | str | None) -> None:
    """Two geo inputs must share a CRS; the message names the ``to_crs()`` that fixes a mismatch."""
    if first is None or second is None:
        raise ValidationError("a geo input has no CRS: set it with GeoDataFrame.set_crs(...) first")
    a, b = CRS.from_user_input(first), CRS.from_user_input(second)
    if a != b:
        raise ValidationError(
            f"CRS mismatch: {a.to_string()} and {b.to_string()}; "
            f"reproject the second with .to_crs('{a.to_string()}')"
        )


def utm_crs_for(geometry: BaseGeometry) -> CRS:
    """The WGS84 UTM zone holding the centre of a longitude/latitude geometry's bounds."""
    require_geographic(geometry)
    if geometry.is_empty:
        raise ValidationError("an empty geometry has no UTM zone")
    min_x, min_y, max_x, max_y = geometry.bounds
    lon, lat = (min_x + max_x) / 2, (min_y + max_y) / 2
    zone = min(60, int((lon + 180) // 6) + 1)
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


@lru_cache(maxsize=32)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def _projector(source: str, target: str) -> Callable[[np.ndarray], np.ndarray]:
    transformer = _transformer(source, target)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return project


def to_metric(geometry: BaseGeometry, crs: CRS) -> BaseGeometry:
    """A longitude/latitude geometry in the projected ``crs`` (metres)."""
    require_geographic(geometry)
    if not crs.is_projected:
        raise ValidationError(f"{crs.to_string()} is not a projected CRS; metric work needs metres")
    return shapely.transform(geometry, _projector(GEOGRAPHIC, crs.to_string()))


def to_geographic(geometry: BaseGeometry, crs: CRS) -> BaseGeometry:
    """A geometry in the projected ``crs`` back in longitude/latitude."""
    return shapely.transform(geometry, _projector(crs.to_string(), GEOGRAPHIC))


def geodesic_distance_m(
    lon1: np.ndarray | float, lat1: np.ndarray | float, lon2: np.ndarray | float, lat2: np.ndarray | float
) -> np.ndarray:
    """Geodesic distances in metres on the WGS84 ellipsoid, element by element."""
    a1, b1, a2, b2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lon1, lat1, lon2, lat2)))
    _, _, distance = GEOD.inv(a1, b1, a2, b2)
    return np.asarray(distance, dtype=float)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in km between two (lon, lat) points."""
    _, _, metres = GEOD.inv(a[0], a[1], b[0], b[1])
    return float(metres) / 1000.0


def geodesic_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Geodesic distances in km between the (lon, lat) rows of ``a`` and ``b``."""
    return geodesic_distance_m(a[:, 0], a[:, 1], b[:, 0], b[:, 1]) / 1000.0


def distance_to_line_m(lons: np.ndarray, lats: np.ndarray, line: BaseGeometry) -> np.ndarray:
    """Geodesic distance in metres from each point to the nearest point of ``line``.

    The nearest point is found in the UTM zone of the line (where its position error is a few metres
    at most over a few hundred kilometres); the distance to it is then measured on the ellipsoid.
    """
    require_geographic(line, "the line")
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    if lons.size == 0:
        return np.zeros(0)
    crs = utm_crs_for(line)
    metric_line = to_metric(line, crs)
    forward = _transformer(GEOGRAPHIC, crs.to_string())
    x, y = forward.transform(lons, lats)
    points = shapely.points(np.column_stack([x, y]))
    nearest = shapely.get_point(shapely.shortest_line(points, metric_line), 1)
    back = _transformer(crs.to_string(), GEOGRAPHIC)
    near_lon, near_lat = back.transform(shapely.get_x(nearest), shapely.get_y(nearest))
    return geodesic_distance_m(lons, lats, near_lon, near_lat)


__all__ = [
    "GEOD",
    "GEOGRAPHIC",
    "METRES_PER_MILE",
    "UNITS",
    "check_same_crs",
    "distance_to_line_m",
    "geodesic_distance_m",
    "require_geographic",
    "to_geographic",
    "to_metres",
    "to_metric",
    "utm_crs_for",
]
