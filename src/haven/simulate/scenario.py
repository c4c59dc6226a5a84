"""Scenarios from Haven's data: Flee inputs built from communities, IDP sites, crossings and events.

``build_scenario(store, ScenarioSpec(...))`` turns what a store holds into the same :class:`FleeInputs`
the engine runs: communities become towns (conflict zones when recent events or an offensive reach
them), IDP sites become camps at their host community, crossings become foreign destinations whose
links close when the crossing is closed (or the border is sealed). Links join each community to its
nearest neighbours by geodesic distance times a detour factor (there is no road data). A safe zone is a
location attribute, ``attractiveness``, that multiplies a location's score; :func:`run_scenario` runs
the engine with it. Every assumption is listed in docs/simulation.md ("Scenarios from Haven's data").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from haven.errors import NotFoundError, ValidationError
from haven.geo.crs import geodesic_km, to_metres
from haven.geo.zones import buffer_recipe, rebuild
from haven.model import Zone
from haven.simulate.engine import Engine
from haven.simulate.flee_input import Closure, ConflictTable, FleeInputs, Location, Route
from haven.simulate.observed import ObservedData, Series
from haven.simulate.settings import Settings
from haven.simulate.validation import SimulationResult
from haven.store import RecordFilter, Store

VIOLENT_EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
DEFAULT_METRIC_CRS = "EPSG:32637"  # UTM 37N: northwest Syria; used only to buffer a border line


@dataclass(frozen=True)
class Advance:
    """An offensive reaching ``places`` (p-codes or community names) on ``day`` of the forecast."""

    places: tuple[str, ...]
    day: int
    intensity: float = 1.0

    def __post_init__(self) -> None:
        if self.day < 0:
            raise ValidationError(f"an advance starts on day {self.day}; expected day 0 or later")
        if not 0.0 < self.intensity <= 1.0:
            raise ValidationError(f"an advance has intensity {self.intensity}; expected a number in (0, 1]")


@dataclass(frozen=True)
class ScenarioSpec:
    """The knobs of a scenario. Defaults are the documented assumptions (docs/simulation.md)."""

    start: date
    days: int = 30
    area: tuple[str, ...] = ("SY07",)  # p-codes: communities in any of these areas
    window_days: int = 30  # events in the window before ``start`` make the initial conflict zones
    advances: tuple[Advance, ...] = ()
    border_sealed: bool = False
    safe_zone: BaseGeometry | Zone | str | None = None  # a polygon (lon/lat), a Zone, or a stored zone's name
    safe_zone_attractiveness: float = 3.0
    zones: Mapping[str, BaseGeometry] = field(default_factory=dict)  # more zones to forecast arrivals for
    people_per_agent: int = 100
    flight_rate: float = 0.02  # share of a conflict zone's people fleeing per day at intensity 1
    neighbours: int = 6
    detour: float = 1.3
    site_capacity: int = 1000  # room for newcomers in a site whose capacity is not known
    site_link_km: float = 2.0
    crossing_links: int = 3
    crossing_reach_km: float = 25.0
    conflict_radius_km: float = 5.0
    events_for_full_intensity: float = 3.0
    settings: Settings | None = None

    def __post_init__(self) -> None:
        checks = (
            ("days", self.days >= 1, "at least 1"),
            ("window_days", self.window_days >= 0, "0 or more"),
            ("people_per_agent", self.people_per_agent >= 1, "at least 1"),
            ("flight_rate", 0.0 <= self.flight_rate <= 1.0, "a share between 0 and 1"),
            ("neighbours", self.neighbours >= 1, "at least 1"),
            ("detour", self.detour >= 1.0, "at least 1 (a route is never shorter than the straight line)"),
            ("site_capacity", self.site_capacity >= 0, "0 (unlimited) or more"),
            ("safe_zone_attractiveness", self.safe_zone_attractiveness > 0, "more than 0"),
            ("events_for_full_intensity", self.events_for_full_intensity > 0, "more than 0"),
            ("conflict_radius_km", self.conflict_radius_km >= 0, "0 or more"),
        )
        for name, ok, expected in checks:
            if not ok:
                raise ValidationError(f"scenario {name} is {getattr(self, name)!r}; expected {expected}")
        if not self.area:
            raise ValidationError("a scenario needs at least one area p-code, e.g. SY07 (Idleb)")


@dataclass(frozen=True)
class Scenario:
    """Flee inputs built from a store, with what each location is and where it lies."""

    spec: ScenarioSpec
    inputs: FleeInputs
    kinds: tuple[str, ...]  # per location: community, site or crossing
    labels: tuple[str, ...]  # readable names (the Flee names are p-codes)
    points: np.ndarray  # locations × (lon, lat)
    host: tuple[str | None, ...]  # a site's host community p-code
    capacity: np.ndarray  # people; 0 = unlimited (sites and crossings); -1 for communities
    zones: dict[str, np.ndarray]  # zone name -> location indices inside it
    conflict_zones: dict[str, tuple[int, float]]  # p-code -> (first day, highest intensity)
    notes: tuple[str, ...] = ()

    @property
    def people_per_agent(self) -> int:
        return self.spec.people_per_agent

    def indices(self, kind: str) -> np.ndarray:
        return np.array([i for i, k in enumerate(self.kinds) if k == kind], dtype=np.int64)

    def summary(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "start": spec.start,
            "days": spec.days,
            "area": list(spec.area),
            "communities": len(self.indices("community")),
            "sites": len(self.indices("site")),
            "crossings": [self.labels[i] for i in self.indices("crossing")],
            "routes": len(self.inputs.routes),
            "conflict_zones": len(self.conflict_zones),
            "closures": [
                {"location": self.labels[self.inputs.index()[c.name1]], "from_day": c.start, "to_day": c.end}
                for c in self.inputs.closures
                if self.kinds[self.inputs.index()[c.name1]] == "crossing"
            ],
            "sites_closed_by_conflict": sum(
                1 for c in self.inputs.closures if self.kinds[self.inputs.index()[c.name1]] == "site"
            ),
            "people_to_flee": int(_total_people(self.inputs)),
            "people_per_agent": spec.people_per_agent,
            "zones": {
                name: {
                    "locations": len(idx),
                    "sites": int(sum(1 for i in idx if self.kinds[i] == "site")),
                    "site_capacity": int(self.capacity[[i for i in idx if self.kinds[i] == "site"]].sum())
                    if len(idx)
                    else 0,
                }
                for name, idx in self.zones.items()
            },
            "notes": list(self.notes),
        }


def _total_people(inputs: FleeInputs) -> float:
    observed = inputs.observed
    if observed is None or observed.total is None:
        return 0.0
    return float(observed.total.counts[-1])


# ------------------------------------------------------------------ geometry helpers
def _lonlat_km(points: np.ndarray, origin: tuple[float, float]) -> np.ndarray:
    """An equirectangular projection in km around ``origin``; used only to find nearest neighbours."""
    lon0, lat0 = origin
    k = 111.32
    return np.column_stack(
        [(points[:, 0] - lon0) * k * math.cos(math.radians(lat0)), (points[:, 1] - lat0) * 110.57]
    )


def _nearest(xy: np.ndarray, targets: np.ndarray, k: int, exclude_self: bool) -> np.ndarray:
    """Indices of the ``k`` nearest ``targets`` for each row of ``xy`` (brute force, in chunks)."""
    k = min(k, len(targets) - (1 if exclude_self else 0))
    out = np.zeros((len(xy), max(k, 0)), dtype=np.int64)
    if k <= 0:
        return out
    for first in range(0, len(xy), 1024):
        block = xy[first : first + 1024]
        d2 = ((block[:, None, :] - targets[None, :, :]) ** 2).sum(axis=2)
        if exclude_self:
            rows = np.arange(len(block))
            d2[rows, rows + first] = np.inf
        part = np.argpartition(d2, k - 1, axis=1)[:, :k]
        order = np.take_along_axis(d2, part, axis=1).argsort(axis=1)
        out[first : first + len(block)] = np.take_along_axis(part, order, axis=1)
    return out


def _components(n: int, pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return np.array([find(i) for i in range(n)], dtype=np.int64)


def knn_pairs(points: np.ndarray, k: int) -> list[tuple[int, int]]:
    """Undirected pairs joining each point to its ``k`` nearest, then components joined to the largest.

    A component that the nearest-neighbour links leave apart is joined by its shortest link to the rest,
    until one component remains, so that every community can reach every other.
    """
    n = len(points)
    if n < 2:
        return []
    xy = _lonlat_km(points, (float(points[:, 0].mean()), float(points[:, 1].mean())))
    near = _nearest(xy, xy, k, exclude_self=True)
    pairs = {(min(i, int(j)), max(i, int(j))) for i in range(n) for j in near[i]}
    while True:
        labels = _components(n, pairs)
        roots, sizes = np.unique(labels, return_counts=True)
        if len(roots) == 1:
            return sorted(pairs)
        small = roots[np.argmin(sizes)]
        inside = np.flatnonzero(labels == small)
        outside = np.flatnonzero(labels != small)
        best = _nearest(xy[inside], xy[outside], 1, exclude_self=False)[:, 0]
        d2 = ((xy[inside] - xy[outside[best]]) ** 2).sum(axis=1)
        i = int(np.argmin(d2))
        a, b = int(inside[i]), int(outside[best[i]])
        pairs.add((min(a, b), max(a, b)))


def border_strip(store: Store, depth_km: float, border_zone: str = "turkey-syria-border") -> BaseGeometry:
    """The strip ``depth_km`` deep along a stored border line, on the side of the store's country.

    For the reference crisis: the Syrian side of the Turkey-Syria border (20 miles = 32.2 km).
    """
    country = _country_of(store)
    return rebuild(buffer_recipe(border_zone, depth_km, within=country), store)


def _country_of(store: Store) -> str:
    governorates = store.list("place", RecordFilter(levels=(1,)))
    if not governorates or not governorates[0].parents:
        raise NotFoundError("no admin1 boundaries in the store to tell the sides of the border apart")
    return governorates[0].parents[0]


# ------------------------------------------------------------------ reading the store
def _communities(store: Store, area: tuple[str, ...]) -> list[Any]:
    found: dict[str, Any] = {}
    for code in area:
        for place in store.list("place", RecordFilter(area=code, levels=(4,))):
            if place.point is not None:
                found[place.pcode] = place
    if not found:
        raise NotFoundError(
            f"no communities with points in {', '.join(area)}; load communities first "
            "(e.g. `haven demo` for the reference crisis)"
        )
    return [found[k] for k in sorted(found)]


def _site_room(store: Store, sites: list[Any], default: int) -> tuple[np.ndarray, int]:
    """Room for newcomers per site: capacity minus the latest snapshot when known, else ``default``."""
    occupants: dict[Any, tuple[date, int]] = {}
    for snap in store.list("site_snapshot"):
        if snap.site_key not in occupants or snap.as_of >= occupants[snap.site_key][0]:
            occupants[snap.site_key] = (snap.as_of, snap.individuals)
    room = np.zeros(len(sites), dtype=np.float64)
    assumed = 0
    for i, site in enumerate(sites):
        if site.capacity_individuals is not None:
            room[i] = max(site.capacity_individuals - occupants.get(site.key, (None, 0))[1], 1)
        else:
            room[i] = default
            assumed += 1
    return room, assumed


def crossing_is_open(status: str | None) -> bool:
    """A crossing is closed when its status says "closed"; open otherwise (no status: open)."""
    return status is None or "closed" not in status.lower()


def _other_country(border: str | None, home: str) -> str:
    parts = [p.strip() for p in (border or "").replace("–", "-").split("-") if p.strip()]
    others = [p for p in parts if p.lower() != home.lower()]
    return others[0] if others else "abroad"


# ------------------------------------------------------------------ building the scenario
def _safe_zone_geometry(store: Store, value: BaseGeometry | Zone | str | None) -> BaseGeometry | None:
    if value is None:
        return None
    if isinstance(value, Zone):
        return value.geometry
    if isinstance(value, str):
        return store.zone(value).geometry
    return value


def _resolve_place(name: str, pcodes: list[str], places: list[Any]) -> int:
    if name in pcodes:
        return pcodes.index(name)
    wanted = name.strip().lower()
    hits = [i for i, p in enumerate(places) if wanted in (n.lower() for n in (p.name_en, *p.alt_names))]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise NotFoundError(
            f"no community {name!r} in the scenario's area; give a p-code (e.g. C3871 for Idlib city)"
        )
    codes = ", ".join(pcodes[i] for i in hits[:5])
    raise ValidationError(f"{name!r} names {len(hits)} communities ({codes}); give a p-code instead")


def _intensity_table(
    spec: ScenarioSpec, store: Store, places: list[Any], points: np.ndarray, notes: list[str]
) -> np.ndarray:
    """Intended conflict intensity per day and community (days × communities)."""
    n, days = len(places), spec.days
    pcodes = [p.pcode for p in places]
    weight_by_day = np.zeros((days, n))  # event weights arriving on each day

    def reach(lonlat: tuple[float, float], own: int | None, amount: float) -> np.ndarray:
        """``amount`` at the place itself, falling linearly to 0 at ``conflict_radius_km``."""
        here = np.zeros(n)
        if spec.conflict_radius_km > 0:
            d = geodesic_km(np.repeat([lonlat], n, axis=0), points)
            near = d < spec.conflict_radius_km
            here[near] = amount * (1.0 - d[near] / spec.conflict_radius_km)
        if own is not None:
            here[own] = amount
        return here

    begin = spec.start - timedelta(days=spec.window_days)
    end = spec.start + timedelta(days=days - 1)
    used = 0
    for event in store.list("event", RecordFilter(start=begin, end=end, types=VIOLENT_EVENT_TYPES)):
        if str(getattr(event, "status", "")) == "rejected":
            continue
        own = pcodes.index(event.place_pcode) if event.place_pcode in pcodes else None
        point = event.point or (tuple(points[own]) if own is not None else None)
        if point is None:
            continue
        day = max(0, (event.date_start - spec.start).days)
        weight_by_day[day] += reach((float(point[0]), float(point[1])), own, 1.0)
        used += 1
    notes.append(f"{used} violent events from {begin} to {end} make the conflict zones")
    intensity = np.minimum(np.cumsum(weight_by_day, axis=0) / spec.events_for_full_intensity, 1.0)
    for advance in spec.advances:
        if advance.day >= days:
            notes.append(f"an advance on day {advance.day} is after the forecast's {days} days; ignored")
            continue
        reached = np.zeros((days, n))
        for name in advance.places:
            own = _resolve_place(name, pcodes, places)
            lonlat = (float(points[own, 0]), float(points[own, 1]))
            reached[advance.day] = np.maximum(reached[advance.day], reach(lonlat, own, advance.intensity))
        reached = np.maximum.accumulate(reached, axis=0)
        intensity = np.maximum(intensity, reached)
    return intensity


def _flee_conflicts(intensity: np.ndarray) -> np.ndarray:
    """The conflicts.csv rows that make flee's rules follow ``intensity`` (which only rises).

    flee fixes a zone's intensity when it first rises above zero and ignores later changes. Where the
    intended intensity rises again on day d > 0, the row of day d-1 is set to 0 (flee keeps the zone: it
    only ends conflicts that fall from exactly 1) so that day d starts the zone afresh at the new value.
    """
    table = intensity.copy()
    rises = np.zeros_like(intensity, dtype=bool)
    rises[1:] = (intensity[1:] > intensity[:-1] + 1e-9) & (intensity[:-1] > 0)
    days, cols = np.nonzero(rises)
    table[days - 1, cols] = 0.0
    return table


def _expected_flight(intensity: np.ndarray, pop: np.ndarray, rate: float, settings: Settings) -> np.ndarray:
    """Cumulative people fleeing by day: rate × population × intensity × decay, populations depleted."""
    days = intensity.shape[0]
    left = pop.astype(np.float64).copy()
    started = np.full(intensity.shape[1], -1)
    total = np.zeros(days)
    running = 0.0
    for day in range(days):
        hot = intensity[day] > 0
        rises = intensity[day] > intensity[day - 1] + 1e-9 if day > 0 else np.zeros(len(hot), dtype=bool)
        started[hot & ((started < 0) | rises)] = day  # as the engine: a zone (re)starts when it rises
        decay = np.array([settings.decay(day - int(t)) for t in started[hot]])
        flee_now = np.minimum(rate * left[hot] * intensity[day, hot] * decay, left[hot])
        left[hot] -= flee_now
        running += float(flee_now.sum())
        total[day] = running
    return total


def build_scenario(store: Store, spec: ScenarioSpec) -> Scenario:
    """Flee inputs for ``spec`` from the communities, sites, crossings and events in ``store``."""
    notes: list[str] = []
    places = _communities(store, spec.area)
    pcodes = [p.pcode for p in places]
    community_points = np.array([p.point for p in places], dtype=np.float64)
    population = {
        pcode: figure.value
        for code in spec.area
        for pcode, figure in store.latest_figures("population", area=code).items()
    }
    pops = np.array([population.get(p.pcode, p.population or np.nan) for p in places], dtype=np.float64)
    known = pops[~np.isnan(pops)]
    fallback = float(np.median(known)) if len(known) else 1000.0
    if np.isnan(pops).any():
        notes.append(
            f"{int(np.isnan(pops).sum())} of {len(places)} communities have no population figure; "
            f"each is given the median of the others, {fallback:,.0f}"
        )
    pops = np.where(np.isnan(pops), fallback, pops)

    # sites at their point, else their host community's point
    index_of = {code: i for i, code in enumerate(pcodes)}
    sites = []
    for code in spec.area:
        sites.extend(store.list("site", RecordFilter(area=code)))
    sites = sorted(
        {s.site_pcode or s.key.record_id: s for s in sites if s.place_pcode in index_of}.values(),
        key=lambda s: s.site_pcode or s.key.record_id,
    )
    room, assumed = _site_room(store, sites, spec.site_capacity)
    if assumed:
        notes.append(
            f"{assumed} of {len(sites)} sites have no known capacity; each is assumed to have room for "
            f"{spec.site_capacity:,} newcomers" + (" (0: unlimited)" if spec.site_capacity == 0 else "")
        )

    home = "Syria"
    crossings = [c for c in store.list("crossing")]
    xy_com = _lonlat_km(community_points, tuple(community_points.mean(axis=0)))

    locations: list[Location] = []
    kinds: list[str] = []
    labels: list[str] = []
    host: list[str | None] = []
    pts: list[tuple[float, float]] = []
    capacity: list[float] = []
    region = {p.pcode: (p.parents[1] if len(p.parents) > 1 else "") for p in places}
    for place, pop, (lon, lat) in zip(places, pops, community_points, strict=True):
        locations.append(Location(place.pcode, region[place.pcode], home, lat, lon, "town", None, int(pop)))
        kinds.append("community")
        labels.append(place.name_en)
        host.append(None)
        pts.append((lon, lat))
        capacity.append(-1.0)
    routes: list[Route] = []
    for a, b in knn_pairs(community_points, spec.neighbours):
        d = geodesic_km(community_points[[a]], community_points[[b]])[0] * spec.detour
        routes.append(Route(pcodes[a], pcodes[b], round(max(d, 0.1), 1)))
    for site, cap in zip(sites, room, strict=True):
        code = site.site_pcode or site.key.record_id
        lon, lat = site.point or places[index_of[site.place_pcode]].point
        locations.append(Location(code, region[site.place_pcode], home, lat, lon, "camp", None, int(cap)))
        kinds.append("site")
        labels.append(site.name)
        host.append(site.place_pcode)
        pts.append((lon, lat))
        capacity.append(float(cap))
        routes.append(Route(site.place_pcode, code, spec.site_link_km))
    closures: list[Closure] = []
    for crossing in crossings:
        point = np.array([crossing.point], dtype=np.float64)
        xy = _lonlat_km(point, tuple(community_points.mean(axis=0)))
        near = _nearest(xy, xy_com, spec.crossing_links, exclude_self=False)[0]
        dist = geodesic_km(np.repeat(point, len(near), axis=0), community_points[near])
        keep = near[dist <= spec.crossing_reach_km]
        if not len(keep):
            notes.append(
                f"crossing {crossing.name} is {dist.min():.0f} km from the nearest community in the area "
                f"(more than {spec.crossing_reach_km:g} km); left out"
            )
            continue
        name = f"crossing:{crossing.key.record_id}"
        lon, lat = crossing.point
        country = _other_country(crossing.border, home)
        locations.append(Location(name, country, country, lat, lon, "camp", None, 0))
        kinds.append("crossing")
        labels.append(crossing.name)
        host.append(None)
        pts.append((lon, lat))
        capacity.append(0.0)
        for j, d in zip(near, dist, strict=True):
            if d <= spec.crossing_reach_km:
                routes.append(Route(pcodes[int(j)], name, round(max(d * spec.detour, 0.1), 1)))
        closures.extend(_crossing_closures(crossing, name, spec))

    # conflicts from events and advances
    intensity = _intensity_table(spec, store, places, community_points, notes)
    hot = np.flatnonzero(intensity.max(axis=0) > 0)
    conflict_zones = {
        pcodes[j]: (int(np.argmax(intensity[:, j] > 0)), float(intensity[:, j].max())) for j in hot
    }
    for i, kind in enumerate(kinds):  # a site in a community under attack is no refuge from that day
        if kind == "site" and host[i] in conflict_zones:
            closures.append(
                Closure("location", locations[i].name, "", conflict_zones[host[i] or ""][0], spec.days)
            )
    settings = spec.settings or Settings(insert_day0=False, take_from_population=True)
    settings = replace(
        settings, hasten=spec.people_per_agent, conflict_driven_spawning=False, insert_day0=False
    )
    table = ConflictTable(tuple(pcodes[j] for j in hot), _flee_conflicts(intensity[:, hot]))
    flight = _expected_flight(intensity[:, hot], pops[hot], spec.flight_rate, settings)
    dates = tuple(spec.start + timedelta(days=d) for d in range(spec.days))
    total = Series("total", "scenario: expected flight", dates, np.trunc(flight))
    observed = ObservedData("scenario", total, {})

    # safe zone and other zones
    points = np.array(pts, dtype=np.float64)
    zones: dict[str, np.ndarray] = {}
    zone_shapes = dict(spec.zones)
    safe = _safe_zone_geometry(store, spec.safe_zone)
    if safe is not None:
        zone_shapes = {"safe zone": safe, **zone_shapes}
    for zname, shape in zone_shapes.items():
        inside = shapely.contains_xy(shape, points[:, 0], points[:, 1]) | shapely.intersects(
            shape, shapely.points(points)
        )
        zones[zname] = np.flatnonzero(inside & (np.array(kinds) != "crossing"))
    crossing_idx = [i for i, k in enumerate(kinds) if k == "crossing"]
    if crossing_idx:
        zones["beyond the crossings"] = np.array(crossing_idx, dtype=np.int64)
    if safe is not None:
        inside = set(zones["safe zone"].tolist())
        locations = [
            replace(
                loc, attributes={**loc.attributes, "attractiveness": f"{spec.safe_zone_attractiveness:g}"}
            )
            if i in inside
            else loc
            for i, loc in enumerate(locations)
        ]
        cap = sum(capacity[i] for i in inside if kinds[i] == "site")
        notes.append(
            f"safe zone: {len(inside)} locations ({sum(1 for i in inside if kinds[i] == 'site')} sites, "
            f"room for {cap:,.0f} newcomers in its sites), attractiveness ×{spec.safe_zone_attractiveness:g}"
        )
    inputs = FleeInputs(
        folder=f"scenario from {store.url}",
        locations=tuple(locations),
        routes=tuple(routes),
        closures=tuple(closures),
        conflicts=table if len(hot) else None,
        start_date=spec.start,
        length=spec.days,
        observed=observed,
        settings=settings,
    )
    if not len(hot):
        notes.append("no conflict zone: nobody flees (no events in the window and no advance)")
    return Scenario(
        spec,
        inputs,
        tuple(kinds),
        tuple(labels),
        points,
        tuple(host),
        np.array(capacity),
        zones,
        conflict_zones,
        tuple(notes),
    )


def _crossing_closures(crossing: Any, name: str, spec: ScenarioSpec) -> list[Closure]:
    """Closures (whole days) of a crossing's links: sealed, or from its dated status history."""
    if spec.border_sealed:
        return [Closure("location", name, "", 0, spec.days)]
    closed = [
        not crossing_is_open(_status(crossing, spec.start + timedelta(days=d))) for d in range(spec.days)
    ]
    out: list[Closure] = []
    day = 0
    while day < spec.days:
        if closed[day]:
            end = day
            while end < spec.days and closed[end]:
                end += 1
            out.append(Closure("location", name, "", day, end))
            day = end
        day += 1
    return out


def _status(crossing: Any, day: date) -> str | None:
    status = crossing.status_on(day)
    return None if status is None else str(status.status)


# ------------------------------------------------------------------ running
class ScenarioEngine(Engine):
    """The engine, with each location's score multiplied by its ``attractiveness`` attribute (default 1).

    Without that attribute it is the plain engine: same rules, same random numbers.
    """

    def __init__(self, inputs: FleeInputs, settings: Settings, days: int, rng: np.random.Generator) -> None:
        super().__init__(inputs, settings, days, rng)
        self.attractiveness = np.array(
            [float(loc.attributes.get("attractiveness", 1.0)) for loc in inputs.locations], dtype=np.float64
        )
        self._plain = bool(np.all(self.attractiveness == 1.0))

    def scores(self, day: int) -> np.ndarray:
        score = super().scores(day)
        return score if self._plain else score * self.attractiveness


def run_scenario(inputs: FleeInputs | Scenario, days: int | None = None, seed: int = 0) -> SimulationResult:
    """One seeded run of a scenario (or any Flee input set) with location attractiveness honoured."""
    flee = inputs.inputs if isinstance(inputs, Scenario) else inputs
    length = flee.length if days is None else days
    if length < 1:
        raise ValidationError(f"days is {length}; expected at least 1")
    return ScenarioEngine(flee, flee.settings, length, np.random.default_rng(seed)).run()


def miles(value: float) -> float:
    """Miles in km (a safe zone "20 miles deep" is ``border_strip(store, miles(20))``)."""
    return to_metres(value, "mi") / 1000.0


__all__ = [
    "Advance",
    "Scenario",
    "ScenarioEngine",
    "ScenarioSpec",
    "border_strip",
    "build_scenario",
    "crossing_is_open",
    "knn_pairs",
    "miles",
    "run_scenario",
]
