"""What a situation report's map shows, gathered from the store: nothing here draws.

Do no harm: a report is shared, so the map never carries an IDP site's point. Sites are counted per
sub-district (the host community's sub-district), and event points go through the public export's
coarsening (``haven.io.export.privacy``): unverified events sit at the centre of their 0.1 degree cell.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from haven.analysis.flows import AdminIndex
from haven.io.export.privacy import COARSENED, published_point
from haven.model import Agreement, Event, Place
from haven.report._areas import records_in
from haven.report._format import day
from haven.store import RecordFilter, Store

MARGIN = 0.06  # of the area's width and height, around it


@dataclass(frozen=True)
class EventMark:
    """Events of one type at one (published) point."""

    point: tuple[float, float]
    event_type: str
    events: int
    fatalities: float


@dataclass(frozen=True)
class MapLayer:
    label: str
    geometry: BaseGeometry
    kind: str  # "border", "line" or "area"


@dataclass
class AreaMap:
    areas: tuple[Place, ...]  # the report's areas, each outlined
    extent: tuple[float, float, float, float] | None  # min lon, min lat, max lon, max lat
    subareas: list[tuple[Place, int]] = field(default_factory=list)  # with the IDP sites counted in each
    districts: list[Place] = field(default_factory=list)
    context: list[Place] = field(default_factory=list)  # governorates around the areas
    events: list[EventMark] = field(default_factory=list)
    events_coarsened: int = 0
    events_unlocated: int = 0
    crossings: list[tuple[str, tuple[float, float], str | None]] = field(default_factory=list)
    layers: list[MapLayer] = field(default_factory=list)
    sites: int = 0
    sites_unplaced: int = 0  # sites whose host community is not known: counted, not mapped
    credits: list[str] = field(default_factory=list)


def _credit(label: str, publishers: Sequence[str]) -> str | None:
    names = list(dict.fromkeys(publishers))
    if not names:
        return None
    shown = "; ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{label}: {shown}"


def _units(store: Store, area: Place) -> tuple[list[Place], list[Place]]:
    """The sub-districts the map colours, and the districts it outlines, for an area of any level."""
    if area.level >= 4:
        parent = area.parent_pcode
        units = store.list("place", RecordFilter(levels=(3,), area=parent)) if parent else []
        return [u for u in units if u.pcode == parent], []
    if area.level == 3:
        return [area], []
    units = store.list("place", RecordFilter(levels=(3,), area=area.pcode))
    districts = store.list("place", RecordFilter(levels=(2,), area=area.pcode)) if area.level < 2 else []
    return units, districts


def _extent(areas: Sequence[Place], units: Sequence[Place]) -> tuple[float, float, float, float] | None:
    """What frames every area: their shapes and units' shapes, else their points (a community's)."""
    bounds = [g.bounds for g in (*(a.geometry for a in areas), *(u.geometry for u in units)) if g is not None]
    if not bounds:
        half = 0.1
        bounds = [(x - half, y - half, x + half, y + half) for a in areas if a.point for x, y in [a.point]]
    if not bounds:
        return None
    x0, y0 = min(b[0] for b in bounds), min(b[1] for b in bounds)
    x1, y1 = max(b[2] for b in bounds), max(b[3] for b in bounds)
    dx, dy = (x1 - x0) * MARGIN, (y1 - y0) * MARGIN
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def _union(lists: Sequence[Sequence[Place]]) -> list[Place]:
    """The places of several lists, each once, in the order first seen."""
    return list({p.pcode: p for places in lists for p in places}.values())


def build_area_map(
    store: Store, areas: Sequence[Place], events: Sequence[Event], agreements: Sequence[Agreement], on: date
) -> AreaMap:
    """The map's layers for ``areas``: the report's ``events`` and ``agreements``, crossings as on ``on``."""
    parts = [_units(store, area) for area in areas]
    units, districts = _union([u for u, _ in parts]), _union([d for _, d in parts])
    extent = _extent(areas, units)
    result = AreaMap(tuple(areas), extent, districts=districts)
    # store.place() leaves sources out; the polygons drawn carry them
    credits = [_credit("Boundaries", [s.publisher for u in (*units, *districts) for s in u.sources])]

    # IDP sites, counted per sub-district of their host community
    communities = _union([store.list("place", RecordFilter(levels=(4,), area=a.pcode)) for a in areas])
    index = AdminIndex(store, {p.pcode: (*p.parents, p.pcode) for p in communities})
    counts: Counter[str] = Counter()
    sites = records_in(store, "site", areas)
    for site in sites:
        unit = index.at_level(site.place_pcode, 3)
        if unit is None:
            result.sites_unplaced += 1
        else:
            counts[unit] += 1
    result.sites = len(sites)
    result.subareas = [(u, counts.get(u.pcode, 0)) for u in units]
    credits.append(_credit("IDP sites", [s.publisher for site in sites for s in site.sources]))

    marks: dict[tuple[tuple[float, float], str], list[float]] = defaultdict(list)
    for event in events:
        point, precision = published_point(event, public=True)
        if point is None:
            result.events_unlocated += 1
            continue
        result.events_coarsened += precision == COARSENED
        f = event.fatalities
        marks[(point, event.event_type)].append(f.best if f.best is not None else (f.low or 0.0))
    result.events = [EventMark(p, t, len(v), sum(v)) for (p, t), v in sorted(marks.items())]
    credits.append(_credit("Events", [s.publisher for e in events for s in e.sources]))

    if extent is None:
        result.credits = [c for c in credits if c]
        return result
    frame = box(*extent)
    shown = {area.pcode for area in areas}
    result.context = [
        p
        for p in store.list("place", RecordFilter(levels=(1,)))
        if p.pcode not in shown and p.geometry is not None and p.geometry.intersects(frame)
    ]
    crossings = [c for c in store.list("crossing") if frame.contains(box(*c.point, *c.point))]
    result.crossings = [(c.name, c.point, s.status if (s := c.status_on(on)) else None) for c in crossings]
    credits.append(_credit("Crossings", [s.publisher for c in crossings for s in c.sources]))
    for zone in store.zones():
        if not zone.geometry.intersects(frame):
            continue
        label = (zone.description or zone.name).split(" (")[0].split(", ")[0]
        if zone.geometry.geom_type not in ("LineString", "MultiLineString"):
            kind = "area"
        else:
            kind = "border" if "border" in zone.name else "line"
        result.layers.append(MapLayer(label, zone.geometry, kind))
    for agreement in agreements:
        if agreement.area is not None and agreement.area.intersects(frame):
            kind = agreement.kind.value.replace("_", " ").capitalize()
            signed = f", signed {day(agreement.signed_on)}" if agreement.signed_on else ""
            result.layers.append(MapLayer(f"{kind} area{signed}", agreement.area, "area"))
    result.credits = [c for c in credits if c]
    return result


__all__ = ["AreaMap", "EventMark", "MapLayer", "build_area_map"]
