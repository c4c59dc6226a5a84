"""Give points their admin chain from the sub-district polygons loaded in a store.

An :class:`AreaLocator` is the ``locator`` an import passes to the store's writer: events that come
with coordinates but no p-code (ACLED, UCDP) get the governorate, district and sub-district they lie
in. Points are looked up all at once against an STRtree of the admin3 polygons.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from haven.model import AdminLevel, Place
from haven.store import RecordFilter, Store

Chain = tuple[str | None, str | None, str | None]
_NOWHERE: Chain = (None, None, None)


class AreaLocator:
    """Finds the (adm1, adm2, adm3) p-codes of points; ``(None, None, None)`` outside every polygon.

    A point on the border of two units (or in an overlap left by simplification) goes to the unit
    whose p-code sorts first, so the answer never depends on load order.
    """

    def __init__(self, areas: Sequence[tuple[BaseGeometry, Chain]]) -> None:
        ordered = sorted(areas, key=lambda area: area[1][2] or "")
        self._chains: list[Chain] = [chain for _, chain in ordered]
        self._tree = shapely.STRtree([geometry for geometry, _ in ordered])

    @classmethod
    def from_places(cls, places: Sequence[Place]) -> AreaLocator | None:
        areas = [
            (place.geometry, _chain(place))
            for place in places
            if place.level == AdminLevel.ADM3 and place.geometry is not None and not place.geometry.is_empty
        ]
        return cls(areas) if areas else None

    @classmethod
    def from_store(cls, store: Store) -> AreaLocator | None:
        """A locator over the store's admin3 polygons, or ``None`` when no boundaries were loaded."""
        return cls.from_places(store.list("place", RecordFilter(levels=(int(AdminLevel.ADM3),))))

    def __len__(self) -> int:
        return len(self._chains)

    def __call__(self, points: Sequence[tuple[float, float]]) -> list[Chain]:
        if not points:
            return []
        coords = np.asarray(points, dtype=float).reshape(-1, 2)
        geometries = shapely.points(coords)
        found: list[Chain] = [_NOWHERE] * len(geometries)
        where, which = self._tree.query(geometries, predicate="intersects")
        # tree indices follow the p-code order, so the first hit per point is the smallest p-code
        for point_index, tree_index in sorted(zip(where.tolist(), which.tolist(), strict=True), reverse=True):
            found[point_index] = self._chains[tree_index]
        return found


def _chain(place: Place) -> Chain:
    parents = (*place.parents, None, None, None)
    return (parents[1], parents[2], place.pcode)


__all__ = ["AreaLocator"]
