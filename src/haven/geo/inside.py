"""What is inside a zone for a time window: people, IDP sites, events, movements, crossings.

Population and IDPs are the community figures in the store (metric ``population`` and ``idps`` with a
community p-code as area). For Syria these come from the CCCM community list of November 2022, the only
community-level population there is: they say how many people live in a zone now, not during the window.
Every answer names its basis.

Points are tested all at once (``shapely.contains_xy`` against the prepared zone), never one by one.
The store's layers are read once into a :class:`SpatialIndex` (arrays of points, dates and values) and
kept until an import changes the store, so repeated questions about zones and windows cost milliseconds.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from haven.errors import ValidationError
from haven.geo.crs import require_geographic, to_metric, utm_crs_for
from haven.model import AdminLevel, Zone
from haven.store import RecordFilter, Store

POPULATION_METRICS = ("population", "idps")
EVENT_COLUMNS = (
    "lon", "lat", "date_start", "date_end", "event_type",
    "fatalities_low", "fatalities_best", "fatalities_high",
)  # fmt: skip


# ---------------------------------------------------------------- results
@dataclass(frozen=True)
class Fatalities:
    """Summed fatalities. ``high`` counts an event's best where its source gives no ceiling (ACLED)."""

    low: float = 0.0
    best: float = 0.0
    high: float = 0.0
    events_without_ceiling: int = 0


@dataclass(frozen=True)
class MovementTotals:
    """People moving into, out of and within the zone in movements that overlap the window."""

    arrivals: float = 0.0  # destination inside, origin outside or unknown
    departures: float = 0.0  # origin inside, destination outside or unknown
    within: float = 0.0  # both ends inside
    records_in: int = 0
    records_out: int = 0
    records_within: int = 0
    unresolved: int = 0  # an end is an admin unit only partly inside the zone


@dataclass(frozen=True)
class ZoneContents:
    """What is inside one zone for one window (``start``/``end`` None: all time)."""

    zone: str
    description: str | None
    start: date | None
    end: date | None
    area_km2: float
    communities: int
    population: float
    idps: float
    population_basis: str
    communities_with_figures: int
    sites: int
    sites_by_kind: dict[str, int]
    sites_unlocated: int  # sites with neither a point nor a host community with one: not counted
    events: int
    events_by_type: dict[str, int]
    fatalities: Fatalities
    movements: MovementTotals
    crossings: list[dict[str, Any]]
    places: dict[str, bool] = field(default_factory=dict)  # asked-about p-codes: inside or not

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------- the index
@dataclass
class _Points:
    lon: np.ndarray
    lat: np.ndarray

    def inside(self, geometry: BaseGeometry) -> np.ndarray:
        if self.lon.size == 0:
            return np.zeros(0, dtype=bool)
        return np.asarray(shapely.contains_xy(geometry, self.lon, self.lat), dtype=bool)


class SpatialIndex:
    """The store's located records as arrays, for fast repeated zone queries.

    Build one with :meth:`for_store`, which reuses the last index of that store while no import has
    happened since (imports are the only way records enter, change or leave the store).
    """

    _cache: dict[str, tuple[Any, SpatialIndex]] = {}  # noqa: RUF012  (one cache per process)
    _lock = threading.Lock()

    def __init__(self, store: Store) -> None:
        self._load_places(store)
        self._load_population(store)
        self._load_sites(store)
        self._load_events(store)
        self._load_movements(store)
        self.crossings = store.list("crossing")

    @classmethod
    def for_store(cls, store: Store) -> SpatialIndex:
        token = store.state_token()
        with cls._lock:
            cached = cls._cache.get(store.url)
            if cached is not None and cached[0] == token:
                return cached[1]
        index = cls(store)
        with cls._lock:
            cls._cache[store.url] = (token, index)
        return index

    # ---------------------------------------------------------- loading
    def _load_places(self, store: Store) -> None:
        places = store.list("place", RecordFilter(levels=tuple(range(5))))
        self.place_point: dict[str, tuple[float, float]] = {p.pcode: p.point for p in places if p.point}
        self.admin_geometry: dict[str, BaseGeometry] = {
            p.pcode: p.geometry for p in places if p.level < AdminLevel.ADM4 and p.geometry is not None
        }
        communities = [p for p in places if p.level == AdminLevel.ADM4 and p.point]
        self.community_pcode = np.array([p.pcode for p in communities], dtype=object)
        self.communities = _Points(
            np.array([p.point[0] for p in communities], dtype=float),
            np.array([p.point[1] for p in communities], dtype=float),
        )

    def _load_population(self, store: Store) -> None:
        latest = {
            (metric, pcode): figure
            for metric in POPULATION_METRICS
            for pcode, figure in store.latest_figures(metric).items()
        }
        row = {pcode: i for i, pcode in enumerate(self.community_pcode.tolist())}
        self.population = np.full(len(row), np.nan)
        self.idps = np.full(len(row), np.nan)
        bases: Counter[str] = Counter()
        for (metric, pcode), figure in latest.items():
            if pcode in row:
                (self.population if metric == "population" else self.idps)[row[pcode]] = figure.value
                publisher = figure.sources[0].publisher if figure.sources else figure.key.dataset
                when = f"{figure.as_of:%b %Y}" if figure.as_of else "undated"
                bases[f"{publisher} {when}"] += 1
        self.population_basis = (
            "; ".join(f"{basis} ({count:,} community figures)" for basis, count in bases.most_common())
            or "no community population figures loaded"
        )

    def _load_sites(self, store: Store) -> None:
        lon, lat, kinds = [], [], []
        self.sites_unlocated = 0
        for site in store.list("site"):
            point = site.point or (self.place_point.get(site.place_pcode) if site.place_pcode else None)
            if point is None:
                self.sites_unlocated += 1
                continue
            lon.append(point[0])
            lat.append(point[1])
            kinds.append(site.kind.value)
        self.sites = _Points(np.array(lon, dtype=float), np.array(lat, dtype=float))
        self.site_kind = np.array(kinds, dtype=object)

    def _load_events(self, store: Store) -> None:
        columns = store.event_columns(EVENT_COLUMNS)
        self.events = _Points(np.array(columns["lon"], dtype=float), np.array(columns["lat"], dtype=float))
        self.event_first = np.array([d.toordinal() for d in columns["date_start"]], dtype=np.int32)
        self.event_last = np.array(
            [(e or s).toordinal() for s, e in zip(columns["date_start"], columns["date_end"], strict=True)],
            dtype=np.int32,
        )
        types = columns["event_type"]
        self.event_types = sorted(set(types))
        code = {name: i for i, name in enumerate(self.event_types)}
        self.event_type_code = np.array([code[t] for t in types], dtype=np.int16)
        self.f_low = np.array(columns["fatalities_low"], dtype=float)
        self.f_best = np.array(columns["fatalities_best"], dtype=float)
        self.f_high = np.array(columns["fatalities_high"], dtype=float)

    def _load_movements(self, store: Store) -> None:
        movements = store.list("movement")
        self.move_first = np.array([m.period_start.toordinal() for m in movements], dtype=np.int32)
        self.move_last = np.array([m.period_end.toordinal() for m in movements], dtype=np.int32)
        self.move_people = np.array([m.individuals for m in movements], dtype=float)
        self.move_origin = np.array([m.origin_pcode for m in movements], dtype=object)
        self.move_dest = np.array([m.dest_pcode for m in movements], dtype=object)

    # ---------------------------------------------------------- queries
    def events_in(self, geometry: BaseGeometry, start: date | None, end: date | None) -> np.ndarray:
        """Indices of the events inside ``geometry`` whose dates overlap [start, end]."""
        min_x, min_y, max_x, max_y = geometry.bounds
        lon, lat = self.events.lon, self.events.lat
        keep = (lon >= min_x) & (lon <= max_x) & (lat >= min_y) & (lat <= max_y)
        if end is not None:
            keep &= self.event_first <= end.toordinal()
        if start is not None:
            keep &= self.event_last >= start.toordinal()
        candidates = np.flatnonzero(keep)
        inside = shapely.contains_xy(geometry, lon[candidates], lat[candidates])
        return candidates[np.asarray(inside, dtype=bool)]

    def _endpoint_states(self, pcodes: np.ndarray, geometry: BaseGeometry) -> np.ndarray:
        """Per p-code: 1 inside, 0 outside or unknown, -1 an admin unit partly inside."""
        states = np.zeros(len(pcodes), dtype=np.int8)
        unique = {code for code in pcodes.tolist() if code}
        verdict: dict[str, int] = {}
        for code in unique:
            if code in self.admin_geometry:
                unit = self.admin_geometry[code]
                verdict[code] = 1 if geometry.contains(unit) else 0 if geometry.disjoint(unit) else -1
            elif code in self.place_point:
                lon, lat = self.place_point[code]
                verdict[code] = int(shapely.contains_xy(geometry, lon, lat))
        for i, code in enumerate(pcodes.tolist()):
            states[i] = verdict.get(code, 0) if code else 0
        return states

    def movements_in(self, geometry: BaseGeometry, start: date | None, end: date | None) -> MovementTotals:
        keep = np.ones(len(self.move_people), dtype=bool)
        if end is not None:
            keep &= self.move_first <= end.toordinal()
        if start is not None:
            keep &= self.move_last >= start.toordinal()
        origin = self._endpoint_states(self.move_origin[keep], geometry)
        dest = self._endpoint_states(self.move_dest[keep], geometry)
        people = self.move_people[keep]
        unresolved = (origin < 0) | (dest < 0)
        arrive = (dest == 1) & (origin == 0)
        leave = (origin == 1) & (dest == 0)
        stay = (origin == 1) & (dest == 1)
        return MovementTotals(
            arrivals=float(people[arrive].sum()),
            departures=float(people[leave].sum()),
            within=float(people[stay].sum()),
            records_in=int(arrive.sum()),
            records_out=int(leave.sum()),
            records_within=int(stay.sum()),
            unresolved=int(unresolved.sum()),
        )


# ---------------------------------------------------------------- the answer
def what_is_inside(
    store: Store,
    zone: Zone,
    start: date | None = None,
    end: date | None = None,
    *,
    places: Sequence[str] = (),
    index: SpatialIndex | None = None,
) -> ZoneContents:
    """Population, IDPs, sites, events, fatalities, movements and crossings inside ``zone``."""
    if start and end and end < start:
        raise ValidationError(f"period ends {end} before it starts {start}")
    geometry = zone.geometry
    require_geographic(geometry, f"zone {zone.name}")
    index = index or SpatialIndex.for_store(store)
    shapely.prepare(geometry)

    in_communities = index.communities.inside(geometry)
    population = index.population[in_communities]
    idps = index.idps[in_communities]

    in_sites = index.sites.inside(geometry)
    site_kinds = Counter(index.site_kind[in_sites].tolist())

    events = index.events_in(geometry, start, end)
    type_counts = np.bincount(index.event_type_code[events], minlength=len(index.event_types))
    by_type = {name: int(n) for name, n in zip(index.event_types, type_counts, strict=True) if n}
    low, best, high = index.f_low[events], index.f_best[events], index.f_high[events]
    no_ceiling = np.isnan(high)
    fatalities = Fatalities(
        low=float(np.nansum(low)),
        best=float(np.nansum(best)),
        high=float(np.nansum(np.where(no_ceiling, best, high))),
        events_without_ceiling=int(no_ceiling.sum()),
    )

    on = end or date.today()
    crossings = []
    for crossing in index.crossings:
        if shapely.contains_xy(geometry, *crossing.point):
            status = crossing.status_on(on)
            crossings.append({"name": crossing.name, "status": status.status if status else None, "on": on})

    asked = {}
    for pcode in places:
        point = index.place_point.get(pcode) or store.place(pcode).point
        if point is None:
            raise ValidationError(f"place {pcode} has no point to test")
        asked[pcode] = bool(shapely.contains_xy(geometry, *point))

    return ZoneContents(
        zone=zone.name,
        description=zone.description,
        start=start,
        end=end,
        area_km2=area_km2(geometry),
        communities=int(in_communities.sum()),
        population=float(np.nansum(population)),
        idps=float(np.nansum(idps)),
        population_basis=index.population_basis,
        communities_with_figures=int((~np.isnan(population)).sum()),
        sites=int(in_sites.sum()),
        sites_by_kind=dict(sorted(site_kinds.items())),
        sites_unlocated=index.sites_unlocated,
        events=len(events),
        events_by_type=by_type,
        fatalities=fatalities,
        movements=index.movements_in(geometry, start, end),
        crossings=crossings,
        places=asked,
    )


def compare_zones(
    store: Store, zones: Sequence[Zone], start: date | None = None, end: date | None = None, **options: Any
) -> list[ZoneContents]:
    """:func:`what_is_inside` for several zones over the same window, in the order given."""
    index = SpatialIndex.for_store(store)
    return [what_is_inside(store, zone, start, end, index=index, **options) for zone in zones]


def area_km2(geometry: BaseGeometry) -> float:
    """The area of a longitude/latitude geometry in km², measured in its UTM zone."""
    if geometry.is_empty:
        return 0.0
    return float(to_metric(geometry, utm_crs_for(geometry)).area / 1e6)


def contents_geojson(results: Sequence[ZoneContents], zones: Sequence[Zone]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one feature per zone, its geometry and what is inside as properties."""
    geometries = {zone.name: zone.geometry for zone in zones}
    features = []
    for result in results:
        properties = _flat(result.as_dict())
        features.append(
            {"type": "Feature", "geometry": mapping(geometries[result.zone]), "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested results as flat GeoJSON properties (QGIS shows flat ones as columns)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and key not in ("places",):
            out.update(_flat(value, f"{name}_"))
        elif isinstance(value, date):
            out[name] = value.isoformat()
        elif isinstance(value, list | dict):
            out[name] = _jsonable(value)
        else:
            out[name] = value
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


__all__ = [
    "Fatalities",
    "MovementTotals",
    "SpatialIndex",
    "ZoneContents",
    "area_km2",
    "compare_zones",
    "contents_geojson",
    "what_is_inside",
]
