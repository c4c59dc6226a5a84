"""Records as flat rows keyed by the field names of :mod:`haven.io.hxl_tags`, ready to write."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from haven.io.export.privacy import published_point, withheld_fields
from haven.io.hxl_tags import Tag, exported, format_precision, join_list
from haven.model import Event, Figure, Movement, Place, Site, SiteSnapshot, Source
from haven.store import RecordFilter, Store

Flat = dict[str, Any]
KIND_NAMES = ("event", "movement", "site", "figure", "place")


@dataclass
class Table:
    """What one export writes: the columns, one flat row per record, and each row's geometry."""

    kind: str
    tags: tuple[Tag, ...]
    rows: list[Flat]
    geometries: list[BaseGeometry | None]

    @property
    def layer(self) -> str:
        return f"{self.kind}s"


def _sources(sources: list[Source]) -> Flat:
    return {
        "sources": join_list([s.publisher for s in sources]) or None,
        "source_titles": join_list([s.title for s in sources]) or None,
        "source_urls": join_list([s.url for s in sources]) or None,
    }


def _point(row: Flat, record: Any, public: bool) -> Point | None:
    point, precision = published_point(record, public)
    row["lon"], row["lat"] = point if point else (None, None)
    row["location_precision"] = precision
    return Point(point) if point else None


def event_row(event: Event) -> Flat:
    a1, a2 = event.actor1, event.actor2
    return {
        "record_id": event.key.record_id,
        "status": event.status.value,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "disorder_type": event.disorder_type,
        "violence_type": event.violence_type,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "date_precision": format_precision(event.date_precision.scheme, event.date_precision.code)
        if event.date_precision
        else None,
        "actor1": a1.name if a1 else None,
        "actor1_type": a1.type.value if a1 and a1.type else None,
        "assoc_actor1": join_list(list(a1.associated)) or None if a1 else None,
        "actor2": a2.name if a2 else None,
        "actor2_type": a2.type.value if a2 and a2.type else None,
        "assoc_actor2": join_list(list(a2.associated)) or None if a2 else None,
        "civilian_targeting": event.civilian_targeting,
        "country_iso": event.country_iso,
        "admin1": event.admin1,
        "admin2": event.admin2,
        "admin3": event.admin3,
        "location_name": event.location_name,
        "place_pcode": event.place_pcode,
        "geo_precision": format_precision(event.geo_precision.scheme, event.geo_precision.code)
        if event.geo_precision
        else None,
        **{f"fatalities_{p}": getattr(event.fatalities, p) for p in ("low", "best", "high")},
        **{f"injured_{p}": getattr(event.injured, p) for p in ("low", "best", "high")},
        "notes": event.notes,
        "tags": event.tags,
        **_sources(event.sources),
    }


def movement_row(movement: Movement) -> Flat:
    return {
        "record_id": movement.key.record_id,
        "movement_type": movement.movement_type,
        "period_start": movement.period_start,
        "period_end": movement.period_end,
        "origin_code": movement.origin_pcode,
        "origin_name": movement.origin_name,
        "dest_code": movement.dest_pcode,
        "dest_name": movement.dest_name,
        "individuals": movement.individuals,
        "households": movement.households,
        "children": movement.children,
        "women": movement.women,
        "men": movement.men,
        **_sources(movement.sources),
    }


def site_row(site: Site, snapshot: SiteSnapshot | None) -> Flat:
    row: Flat = {
        "record_id": site.key.record_id,
        "site_pcode": site.site_pcode,
        "name": site.name,
        "name_ar": site.name_ar,
        "kind": site.kind.value,
        "place_pcode": site.place_pcode,
        "capacity_individuals": site.capacity_individuals,
        "capacity_households": site.capacity_households,
        **_sources(site.sources),
    }
    if snapshot is not None:
        shelter = snapshot.shelter
        row.update(
            as_of=snapshot.as_of,
            status=snapshot.status,
            individuals=snapshot.individuals,
            households=snapshot.households,
            children=snapshot.children,
            women=snapshot.women,
            men=snapshot.men,
            shelter_open_air=shelter.open_air if shelter else None,
            shelter_tents=shelter.tents if shelter else None,
            shelter_unfinished=shelter.unfinished_buildings if shelter else None,
            shelter_collective=shelter.collective if shelter else None,
            shelter_other=shelter.other if shelter else None,
        )
    return row


def figure_row(figure: Figure) -> Flat:
    return {
        "record_id": figure.key.record_id,
        "metric": figure.metric,
        "subgroup": figure.subgroup,
        "value": figure.value,
        "qualifier": figure.qualifier.value,
        "as_of": figure.as_of,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "reported_on": figure.reported_on,
        "area_pcode": figure.area_pcode,
        "area_name": figure.area_name,
        **_sources(figure.sources),
    }


def place_row(place: Place) -> Flat:
    chain = [*place.parents, None, None, None, None]
    lon, lat = place.point if place.point else (None, None)
    return {
        "pcode": place.pcode,
        "level": int(place.level),
        "name_en": place.name_en,
        "name_ar": place.name_ar,
        **{f"adm{i}_pcode": chain[i] for i in range(4)},
        "kind": place.kind,
        "population": place.population,
        "lat": lat,
        "lon": lon,
        "alt_names": join_list(list(place.alt_names)) or None,
    }


def _latest_snapshots(store: Store, where: RecordFilter | None) -> dict[tuple[str, str], SiteSnapshot]:
    """Each site's newest snapshot, up to the filter's end date when it has one."""
    end = where.end if where else None
    latest: dict[tuple[str, str], SiteSnapshot] = {}
    for snapshot in store.list("site_snapshot", RecordFilter(end=end)):
        key = (snapshot.site_key.dataset, snapshot.site_key.record_id)
        if key not in latest or snapshot.as_of >= latest[key].as_of:
            latest[key] = snapshot
    return latest


def build_table(store: Store, kind: str, where: RecordFilter | None, public: bool) -> Table:
    """Read the records of ``kind`` and flatten them; with ``public``, coarsen what must be."""
    if kind == "site":
        # a site has no dates of its own: the period picks its snapshot, not whether it is listed
        records = store.list("site", replace(where, start=None, end=None) if where else None)
    else:
        records = store.list(kind, where)
    snapshots = _latest_snapshots(store, where) if kind == "site" else {}
    rows: list[Flat] = []
    geometries: list[BaseGeometry | None] = []
    for record in records:
        if isinstance(record, Event):
            row = event_row(record)
            geometries.append(_point(row, record, public))
            if public:  # a location name or a note can name a building as exactly as a point
                row.update(dict.fromkeys(withheld_fields(record)))
        elif isinstance(record, Site):
            row = site_row(record, snapshots.get((record.key.dataset, record.key.record_id)))
            geometries.append(_point(row, record, public))
        elif isinstance(record, Movement):
            row = movement_row(record)
            geometries.append(None)
        elif isinstance(record, Figure):
            row = figure_row(record)
            geometries.append(None)
        else:
            row = place_row(record)
            geometries.append(record.geometry or (Point(record.point) if record.point else None))
        rows.append(row)
    return Table(kind, exported(kind), rows, geometries)


__all__ = ["KIND_NAMES", "Flat", "Table", "build_table"]
