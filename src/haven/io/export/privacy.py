"""Do no harm: what a public export or an anonymous API request may not show exactly.

An IDP site's exact point can direct an attack or a raid, and an unverified event's point may
be wrong in a way that hurts the people named near it. Published, those points are snapped to
the centre of a grid cell and the ``location_precision`` beside them says so. Site names,
p-codes and host communities stay: they are what responders look for, and they are public in
the CCCM lists.

Two grids:

* ``haven export --public`` snaps to 0.1 degree cells (about 11 km north-south, 9 km east-west
  in Syria), as it always has: :func:`coarsen`.
* The web API snaps to cells of a size in kilometres (``public_grid_km``): :func:`coarsen_km`.
  A cell is ``km`` high in latitude (a degree of latitude is 111.2 km on the mean sphere), and
  each row of cells is ``km`` wide at the latitude of its centre, so the cells are close to
  ``km`` by ``km`` on the ground anywhere but near the poles. This is a degree grid derived from
  kilometres, not a projected one: it needs no CRS library, every point of a cell maps to the same
  centre whatever its longitude, and the centre can be computed from the point alone.

An unverified event's free text may place it more finely than any grid: notes name streets,
schools and hospitals, and a location name can name a building ("Idlib Central Hospital"). The API
therefore withholds those fields from the public for events it coarsens (:func:`withheld_fields`);
the event keeps its type, date, actors, fatalities, admin units and community p-code, which is what
ACLED itself publishes. The export keeps the text, as before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from haven.errors import ValidationError
from haven.model import Event, EventStatus, Site

GRID_DEGREES = 0.1
AS_RECORDED = "as recorded"
COARSENED = "0.1 degree grid cell centre"
KM_PER_DEGREE = 6371.0088 * math.pi / 180  # a degree of latitude on the mean Earth sphere, 111.2 km
WITHHELD_TEXT = ("notes", "location_name")


def snap(value: float, cell: float = GRID_DEGREES) -> float:
    """The centre of the grid cell holding ``value`` (cells start at multiples of ``cell``)."""
    # round first so that 36.7 is not read as 36.6999999 and put in the cell below
    index = math.floor(round(value / cell, 9))
    return round((index + 0.5) * cell, 6)


def coarsen(point: tuple[float, float]) -> tuple[float, float]:
    """A (lon, lat) point moved to the centre of its 0.1 degree cell."""
    lon, lat = point
    return snap(lon), snap(lat)


def grid_label(km: float) -> str:
    """The ``location_precision`` of a point snapped by :func:`coarsen_km`."""
    return f"{km:g} km grid cell centre"


def coarsen_km(point: tuple[float, float], km: float) -> tuple[float, float]:
    """A (lon, lat) point moved to the centre of its cell of about ``km`` by ``km``."""
    if not km > 0 or math.isinf(km):
        raise ValidationError(f"the public grid must be a positive number of km, got {km!r}")
    lon, lat = point
    lat_cell = km / KM_PER_DEGREE
    lat_centre = max(-90.0, min(90.0, snap(lat, lat_cell)))
    # the row's centre, not the point, fixes the row's cell width: one longitude grid per row
    width = km / (KM_PER_DEGREE * max(math.cos(math.radians(lat_centre)), 1e-9))
    lon_centre = max(-180.0, min(180.0, snap(lon, min(width, 360.0))))
    return lon_centre, lat_centre


def must_coarsen(record: Any) -> bool:
    """Whether a public export may not show this record's point exactly."""
    if isinstance(record, Site):
        return True
    if isinstance(record, Event):
        return record.status is not EventStatus.VERIFIED
    return False


def published_point(
    record: Any, public: bool, grid_km: float | None = None
) -> tuple[tuple[float, float] | None, str | None]:
    """The point to publish for a record and the ``location_precision`` to state beside it.

    With ``grid_km`` the public point is snapped to the km grid, else to the 0.1 degree grid.
    """
    point = getattr(record, "point", None)
    if point is None:
        return None, None
    if public and must_coarsen(record):
        if grid_km is None:
            return coarsen(point), COARSENED
        return coarsen_km(point, grid_km), grid_label(grid_km)
    return point, AS_RECORDED


def withheld_fields(record: Any) -> tuple[str, ...]:
    """The free-text fields the public may not see for this record (see the module docstring)."""
    if isinstance(record, Event) and must_coarsen(record):
        return WITHHELD_TEXT
    return ()


def public_revision(record: Any, data: Mapping[str, Any], grid_km: float) -> dict[str, Any]:
    """An earlier state of ``record`` (a revision's ``data``) as the public may see it.

    A site's earlier point is always coarsened. An event's earlier point and text are shown as
    recorded only when both that state and the event now are verified: a point a reviewer has since
    disputed is no more public for having once been verified.
    """
    out = dict(data)
    if isinstance(record, Site):
        sensitive = True
    elif isinstance(record, Event):
        sensitive = must_coarsen(record) or out.get("status") != EventStatus.VERIFIED.value
    else:
        return out
    if not sensitive:
        return out
    lon, lat = out.get("lon"), out.get("lat")
    if isinstance(lon, int | float) and isinstance(lat, int | float):
        out["lon"], out["lat"] = coarsen_km((float(lon), float(lat)), grid_km)
        out["location_precision"] = grid_label(grid_km)
    if isinstance(record, Event):
        # a reviewer's note on a status change is free text about the place too
        withheld = [*WITHHELD_TEXT, "note"]
        for name in withheld:
            if out.get(name) is not None:
                out[name] = None
        out["withheld"] = withheld
    return out


__all__ = [
    "AS_RECORDED",
    "COARSENED",
    "GRID_DEGREES",
    "KM_PER_DEGREE",
    "WITHHELD_TEXT",
    "coarsen",
    "coarsen_km",
    "grid_label",
    "must_coarsen",
    "public_revision",
    "published_point",
    "snap",
    "withheld_fields",
]
