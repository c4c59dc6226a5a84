"""Do no harm: what a public export may not show exactly.

An IDP site's exact point can direct an attack or a raid, and an unverified event's point may
be wrong in a way that hurts the people named near it. In a public export those points are
snapped to the centre of a 0.1 degree grid cell (about 11 km north-south), and the
``location_precision`` column says so. Site names, p-codes and host communities stay: they are
what responders look for, and they are public in the CCCM lists.
"""

from __future__ import annotations

import math
from typing import Any

from haven.model import Event, EventStatus, Site

GRID_DEGREES = 0.1
AS_RECORDED = "as recorded"
COARSENED = "0.1 degree grid cell centre"


def snap(value: float, cell: float = GRID_DEGREES) -> float:
    """The centre of the grid cell holding ``value`` (cells start at multiples of ``cell``)."""
    # round first so that 36.7 is not read as 36.6999999 and put in the cell below
    index = math.floor(round(value / cell, 9))
    return round((index + 0.5) * cell, 6)


def coarsen(point: tuple[float, float]) -> tuple[float, float]:
    """A (lon, lat) point moved to the centre of its 0.1 degree cell."""
    lon, lat = point
    return snap(lon), snap(lat)


def must_coarsen(record: Any) -> bool:
    """Whether a public export may not show this record's point exactly."""
    if isinstance(record, Site):
        return True
    if isinstance(record, Event):
        return record.status is not EventStatus.VERIFIED
    return False


def published_point(record: Any, public: bool) -> tuple[tuple[float, float] | None, str | None]:
    """The point to publish for a record and the ``location_precision`` to state beside it."""
    point = getattr(record, "point", None)
    if point is None:
        return None, None
    if public and must_coarsen(record):
        return coarsen(point), COARSENED
    return point, AS_RECORDED


__all__ = ["AS_RECORDED", "COARSENED", "GRID_DEGREES", "coarsen", "must_coarsen", "published_point", "snap"]
