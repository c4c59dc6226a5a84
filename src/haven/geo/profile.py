"""Border-distance profile: people, IDPs, sites and events per band of distance from a line.

Distances are geodesic (:func:`haven.geo.crs.distance_to_line_m`), from each community, site and event
point to the nearest point of the line. Only points inside ``within`` (for the Turkey-Syria border:
Syria, ``"SY"``) are counted, so the profile is of one side. Bands are half-open, ``[0, 5)``, ``[5, 10)``
... in km; points beyond the last edge are reported apart and are not in the totals, so the bands sum to
the totals exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import shapely

from haven.errors import ValidationError
from haven.geo.crs import distance_to_line_m
from haven.geo.inside import SpatialIndex
from haven.geo.zones import rebuild
from haven.store import Store

DEFAULT_BANDS_KM = (0.0, 5.0, 10.0, 20.0, 30.0, 50.0)


@dataclass(frozen=True)
class Band:
    """Counts for one distance band, ``[from_km, to_km)`` from the line."""

    from_km: float
    to_km: float | None  # None: no upper edge (the "beyond" row)
    communities: int = 0
    population: float = 0.0
    idps: float = 0.0
    sites: int = 0
    events: int = 0
    fatalities_best: float = 0.0


@dataclass(frozen=True)
class BorderProfile:
    line: str
    within: str | None
    start: date | None
    end: date | None
    bands: list[Band]
    total: Band  # the bands summed: from the first edge to the last
    beyond: Band  # past the last edge (not in the total)
    population_basis: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def border_profile(
    store: Store,
    line: str = "turkey-syria-border",
    bands_km: Sequence[float] = DEFAULT_BANDS_KM,
    *,
    within: str | None = "SY",
    start: date | None = None,
    end: date | None = None,
) -> BorderProfile:
    """Population, IDPs, sites and events per distance band from ``line`` (a stored zone)."""
    edges = np.asarray(bands_km, dtype=float)
    if len(edges) < 2 or np.any(np.diff(edges) <= 0) or edges[0] < 0:
        raise ValidationError(
            f"bands must be two or more increasing distances from 0 km, got {', '.join(map(str, bands_km))}"
        )
    if start and end and end < start:
        raise ValidationError(f"period ends {end} before it starts {start}")
    geometry = store.zone(line).geometry
    area = rebuild({"op": "admin", "pcodes": [within]}, store) if within else None
    if area is not None:
        shapely.prepare(area)
    index = SpatialIndex.for_store(store)

    def band_of(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For the points inside ``area``: their indices and band numbers (-1 before, len-1 beyond)."""
        keep = np.ones(len(lon), dtype=bool) if area is None else shapely.contains_xy(area, lon, lat)
        where = np.flatnonzero(keep)
        km = distance_to_line_m(lon[where], lat[where], geometry) / 1000
        return where, np.searchsorted(edges, km, side="right") - 1

    nbands = len(edges) - 1

    def sums(band: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
        # slot nbands: beyond the last edge; nbands + 1: nearer than the first (dropped)
        slots = np.where(band < 0, nbands + 1, np.minimum(band, nbands))
        weights = None if values is None else np.nan_to_num(values)
        return np.bincount(slots, weights=weights, minlength=nbands + 2)

    where, band = band_of(index.communities.lon, index.communities.lat)
    communities = sums(band)
    population = sums(band, index.population[where])
    idps = sums(band, index.idps[where])
    _, site_band = band_of(index.sites.lon, index.sites.lat)
    sites = sums(site_band)
    in_window = index.events_in(area or _everywhere(), start, end)
    event_band = band_of(index.events.lon[in_window], index.events.lat[in_window])[1]
    events = sums(event_band)
    fatalities = sums(event_band, index.f_best[in_window])

    def make(i: int, lo: float, hi: float | None) -> Band:
        return Band(
            lo, hi, int(communities[i]), float(population[i]), float(idps[i]), int(sites[i]), int(events[i]),
            float(fatalities[i]),
        )  # fmt: skip

    rows = [make(i, float(edges[i]), float(edges[i + 1])) for i in range(nbands)]
    total = Band(
        float(edges[0]),
        float(edges[-1]),
        sum(b.communities for b in rows),
        sum(b.population for b in rows),
        sum(b.idps for b in rows),
        sum(b.sites for b in rows),
        sum(b.events for b in rows),
        sum(b.fatalities_best for b in rows),
    )
    beyond = make(nbands, float(edges[-1]), None)
    return BorderProfile(line, within, start, end, rows, total, beyond, index.population_basis)


def _everywhere() -> shapely.Geometry:
    return shapely.box(-180, -90, 180, 90)


__all__ = ["DEFAULT_BANDS_KM", "Band", "BorderProfile", "border_profile"]
