"""Domain records to table rows and back. One place knows both sides, so nothing else does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shapely import wkb
from sqlalchemy import Table

from haven.model import (
    Actor,
    ActorType,
    AdminLevel,
    Agreement,
    AgreementKind,
    Crossing,
    CrossingStatus,
    DatePrecision,
    Delivery,
    Estimate,
    Event,
    EventStatus,
    Figure,
    GeoPrecision,
    Movement,
    Place,
    PrecisionScheme,
    Qualifier,
    RecordKey,
    ShelterBreakdown,
    Site,
    SiteKind,
    SiteSnapshot,
    Source,
)
from haven.store import schema

Row = dict[str, Any]


def _geom_out(geometry: Any) -> bytes | None:
    return None if geometry is None else wkb.dumps(geometry)


def _geom_in(data: bytes | None) -> Any:
    return None if data is None else wkb.loads(data)


def _point_out(point: tuple[float, float] | None) -> tuple[float | None, float | None]:
    return (None, None) if point is None else point


def _point_in(row: Row) -> tuple[float, float] | None:
    return None if row["lon"] is None else (row["lon"], row["lat"])


def _enum_or_none(enum: Any, value: Any) -> Any:
    return None if value is None else enum(value)


# ---------------------------------------------------------------- places
def place_to_row(place: Place) -> Row:
    chain = list(place.parents) + [None] * (4 - len(place.parents))
    lon, lat = _point_out(place.point)
    return {
        "pcode": place.pcode,
        "level": int(place.level),
        "name_en": place.name_en,
        "name_ar": place.name_ar,
        "adm0_pcode": chain[0],
        "adm1_pcode": chain[1],
        "adm2_pcode": chain[2],
        "adm3_pcode": chain[3],
        "alt_names": list(place.alt_names) or None,
        "kind": place.kind,
        "population": place.population,
        "lon": lon,
        "lat": lat,
        "geom": _geom_out(place.geometry),
    }


def place_from_row(row: Row) -> Place:
    parents = tuple(
        code for code in (row["adm0_pcode"], row["adm1_pcode"], row["adm2_pcode"], row["adm3_pcode"]) if code
    )[: row["level"]]
    return Place(
        pcode=row["pcode"],
        level=AdminLevel(row["level"]),
        name_en=row["name_en"],
        name_ar=row["name_ar"],
        parents=parents,
        alt_names=tuple(row["alt_names"] or ()),
        point=_point_in(row),
        geometry=_geom_in(row["geom"]),
        population=row["population"],
        kind=row["kind"],
    )


# ---------------------------------------------------------------- events
def event_to_row(event: Event) -> Row:
    lon, lat = _point_out(event.point)
    a1, a2 = event.actor1, event.actor2
    return {
        "status": event.status.value,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "disorder_type": event.disorder_type,
        "violence_type": event.violence_type,
        "actor1": a1.name if a1 else None,
        "actor1_type": a1.type.value if a1 and a1.type else None,
        "assoc_actor1": "; ".join(a1.associated) if a1 and a1.associated else None,
        "actor2": a2.name if a2 else None,
        "actor2_type": a2.type.value if a2 and a2.type else None,
        "assoc_actor2": "; ".join(a2.associated) if a2 and a2.associated else None,
        "civilian_targeting": event.civilian_targeting,
        "country_iso": event.country_iso,
        "admin1": event.admin1,
        "admin2": event.admin2,
        "admin3": event.admin3,
        "location_name": event.location_name,
        "place_pcode": event.place_pcode,
        "lon": lon,
        "lat": lat,
        "geo_precision_scheme": event.geo_precision.scheme.value if event.geo_precision else None,
        "geo_precision": event.geo_precision.code if event.geo_precision else None,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "date_precision_scheme": event.date_precision.scheme.value if event.date_precision else None,
        "date_precision": event.date_precision.code if event.date_precision else None,
        "fatalities_low": event.fatalities.low,
        "fatalities_best": event.fatalities.best,
        "fatalities_high": event.fatalities.high,
        "injured_low": event.injured.low,
        "injured_best": event.injured.best,
        "injured_high": event.injured.high,
        "notes": event.notes,
        "tags": event.tags,
    }


def _actor_in(name: str | None, kind: str | None, assoc: str | None) -> Actor | None:
    if not name:
        return None
    associated = tuple(a.strip() for a in assoc.split(";")) if assoc else ()
    return Actor(name, _enum_or_none(ActorType, kind), associated)


def event_from_row(row: Row) -> Event:
    geo = (
        GeoPrecision(PrecisionScheme(row["geo_precision_scheme"]), row["geo_precision"])
        if row["geo_precision"] is not None
        else None
    )
    when = (
        DatePrecision(PrecisionScheme(row["date_precision_scheme"]), row["date_precision"])
        if row["date_precision"] is not None
        else None
    )
    return Event(
        key=RecordKey(row["dataset"], row["record_id"]),
        event_type=row["event_type"],
        sub_event_type=row["sub_event_type"],
        date_start=row["date_start"],
        date_end=row["date_end"],
        date_precision=when,
        actor1=_actor_in(row["actor1"], row["actor1_type"], row["assoc_actor1"]),
        actor2=_actor_in(row["actor2"], row["actor2_type"], row["assoc_actor2"]),
        civilian_targeting=bool(row["civilian_targeting"]),
        disorder_type=row["disorder_type"],
        violence_type=row["violence_type"],
        country_iso=row["country_iso"],
        admin1=row["admin1"],
        admin2=row["admin2"],
        admin3=row["admin3"],
        location_name=row["location_name"],
        place_pcode=row["place_pcode"],
        point=_point_in(row),
        geo_precision=geo,
        fatalities=Estimate(row["fatalities_low"], row["fatalities_best"], row["fatalities_high"]),
        injured=Estimate(row["injured_low"], row["injured_best"], row["injured_high"]),
        notes=row["notes"],
        tags=row["tags"],
        status=EventStatus(row["status"]),
        revision=row["revision"],
    )


# ---------------------------------------------------------------- movements
_MOVEMENT_FIELDS = (
    "movement_type", "period_start", "period_end", "origin_pcode", "origin_name", "dest_pcode",
    "dest_name", "individuals", "households", "children", "women", "men",
)  # fmt: skip


def movement_to_row(movement: Movement) -> Row:
    row = {name: getattr(movement, name) for name in _MOVEMENT_FIELDS}
    row["place_pcode"] = movement.dest_pcode
    return row


def movement_from_row(row: Row) -> Movement:
    return Movement(key=RecordKey(row["dataset"], row["record_id"]), **{n: row[n] for n in _MOVEMENT_FIELDS})


# ---------------------------------------------------------------- sites
def site_to_row(site: Site) -> Row:
    lon, lat = _point_out(site.point)
    return {
        "site_pcode": site.site_pcode,
        "name": site.name,
        "name_ar": site.name_ar,
        "kind": site.kind.value,
        "place_pcode": site.place_pcode,
        "lon": lon,
        "lat": lat,
        "capacity_individuals": site.capacity_individuals,
        "capacity_households": site.capacity_households,
    }


def site_from_row(row: Row) -> Site:
    return Site(
        key=RecordKey(row["dataset"], row["record_id"]),
        name=row["name"],
        kind=SiteKind(row["kind"]),
        site_pcode=row["site_pcode"],
        name_ar=row["name_ar"],
        place_pcode=row["place_pcode"],
        point=_point_in(row),
        capacity_individuals=row["capacity_individuals"],
        capacity_households=row["capacity_households"],
    )


_SHELTER = ("open_air", "tents", "unfinished_buildings", "collective", "other")


def snapshot_to_row(snapshot: SiteSnapshot) -> Row:
    row: Row = {
        "site_dataset": snapshot.site_key.dataset,
        "site_record_id": snapshot.site_key.record_id,
        "as_of": snapshot.as_of,
        "status": snapshot.status,
        "individuals": snapshot.individuals,
        "households": snapshot.households,
        "children": snapshot.children,
        "women": snapshot.women,
        "men": snapshot.men,
    }
    for name in _SHELTER:
        row[f"shelter_{name}"] = getattr(snapshot.shelter, name) if snapshot.shelter else None
    return row


def snapshot_from_row(row: Row) -> SiteSnapshot:
    shelter = None
    if any(row[f"shelter_{n}"] is not None for n in _SHELTER):
        shelter = ShelterBreakdown(**{n: row[f"shelter_{n}"] or 0 for n in _SHELTER})
    return SiteSnapshot(
        key=RecordKey(row["dataset"], row["record_id"]),
        site_key=RecordKey(row["site_dataset"], row["site_record_id"]),
        as_of=row["as_of"],
        individuals=row["individuals"],
        households=row["households"],
        children=row["children"],
        women=row["women"],
        men=row["men"],
        shelter=shelter,
        status=row["status"],
    )


# ---------------------------------------------------------------- figures
_FIGURE_FIELDS = (
    "metric", "subgroup", "value", "as_of", "period_start", "period_end", "reported_on", "area_name",
    "area_pcode",
)  # fmt: skip


def figure_to_row(figure: Figure) -> Row:
    row = {name: getattr(figure, name) for name in _FIGURE_FIELDS}
    row["qualifier"] = figure.qualifier.value
    return row


def figure_from_row(row: Row) -> Figure:
    return Figure(
        key=RecordKey(row["dataset"], row["record_id"]),
        qualifier=Qualifier(row["qualifier"]),
        **{n: row[n] for n in _FIGURE_FIELDS},
    )


# ---------------------------------------------------------------- agreements, crossings
def agreement_to_row(agreement: Agreement) -> Row:
    return {
        "name": agreement.name,
        "kind": agreement.kind.value,
        "parties": list(agreement.parties),
        "signed_on": agreement.signed_on,
        "effective_from": agreement.effective_from,
        "effective_to": agreement.effective_to,
        "area_description": agreement.area_description,
        "area_recipe": agreement.area_recipe,
        "geom": _geom_out(agreement.area),
        "provisions": agreement.provisions,
    }


def agreement_from_row(row: Row) -> Agreement:
    return Agreement(
        key=RecordKey(row["dataset"], row["record_id"]),
        name=row["name"],
        kind=AgreementKind(row["kind"]),
        parties=tuple(row["parties"]),
        signed_on=row["signed_on"],
        effective_from=row["effective_from"],
        effective_to=row["effective_to"],
        area_description=row["area_description"],
        area=_geom_in(row["geom"]),
        area_recipe=row["area_recipe"],
        provisions=row["provisions"],
    )


def crossing_to_row(crossing: Crossing) -> Row:
    return {
        "name": crossing.name,
        "alt_names": list(crossing.alt_names) or None,
        "border": crossing.border,
        "lon": crossing.point[0],
        "lat": crossing.point[1],
        "statuses": [
            {
                "status": s.status,
                "valid_from": s.valid_from.isoformat(),
                "valid_to": s.valid_to.isoformat() if s.valid_to else None,
                "note": s.note,
            }
            for s in crossing.statuses
        ],
    }


def crossing_from_row(row: Row) -> Crossing:
    from datetime import date

    return Crossing(
        key=RecordKey(row["dataset"], row["record_id"]),
        name=row["name"],
        point=(row["lon"], row["lat"]),
        alt_names=tuple(row["alt_names"] or ()),
        border=row["border"],
        statuses=[
            CrossingStatus(
                s["status"],
                date.fromisoformat(s["valid_from"]),
                date.fromisoformat(s["valid_to"]) if s["valid_to"] else None,
                s["note"],
            )
            for s in row["statuses"]
        ],
    )


# ---------------------------------------------------------------- deliveries
_DELIVERY_FIELDS = ("delivered_on", "crossing_id", "crossing_name", "trucks", "sector", "tonnage", "agency")


def delivery_to_row(delivery: Delivery) -> Row:
    return {name: getattr(delivery, name) for name in _DELIVERY_FIELDS}


def delivery_from_row(row: Row) -> Delivery:
    return Delivery(key=RecordKey(row["dataset"], row["record_id"]), **{n: row[n] for n in _DELIVERY_FIELDS})


# ---------------------------------------------------------------- registry
@dataclass(frozen=True)
class RecordKind:
    """How one kind of record is stored: its table, mappers, and how its key is read."""

    name: str
    table: Table
    record_type: type
    to_row: Callable[[Any], Row]
    from_row: Callable[[Row], Any]

    def key_of(self, record: Any) -> RecordKey:
        if isinstance(record, Place):
            return RecordKey("places", record.pcode)
        return record.key


KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        RecordKind("place", schema.places, Place, place_to_row, place_from_row),
        RecordKind("event", schema.events, Event, event_to_row, event_from_row),
        RecordKind("movement", schema.movements, Movement, movement_to_row, movement_from_row),
        RecordKind("site", schema.sites, Site, site_to_row, site_from_row),
        RecordKind("site_snapshot", schema.site_snapshots, SiteSnapshot, snapshot_to_row, snapshot_from_row),
        RecordKind("figure", schema.figures, Figure, figure_to_row, figure_from_row),
        RecordKind("agreement", schema.agreements, Agreement, agreement_to_row, agreement_from_row),
        RecordKind("crossing", schema.crossings, Crossing, crossing_to_row, crossing_from_row),
        RecordKind("delivery", schema.deliveries, Delivery, delivery_to_row, delivery_from_row),
    )
}


def kind_of(record: Any) -> RecordKind:
    for kind in KINDS.values():
        if isinstance(record, kind.record_type):
            return kind
    raise TypeError(f"no storage is defined for {type(record).__name__}")


def source_to_row(source: Source) -> Row:
    return {
        "key": source.key,
        "publisher": source.publisher,
        "title": source.title,
        "url": source.url,
        "published_on": source.published_on,
        "reliability": source.reliability.value,
    }


def jsonable(row: Row) -> Row:
    """A row as JSON-safe values, for the revision history."""
    out: Row = {}
    for name, value in row.items():
        if isinstance(value, bytes):
            out[name] = value.hex()
        elif isinstance(value, datetime) or hasattr(value, "isoformat"):
            out[name] = value.isoformat()
        else:
            out[name] = value
    return out
