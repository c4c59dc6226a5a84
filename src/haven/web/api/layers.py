"""Map layers as GeoJSON FeatureCollections (RFC 7946: longitude/latitude, WGS 84).

Every layer is what the dashboard's map draws, and a plain GeoJSON file for QGIS or any other client.
Properties are few: what a popup or a legend needs, and how exactly the point is known
(``location_precision``). Anonymous requests get IDP sites and unverified events on the public grid
(:func:`haven.web.api.common.publish_point`), without the free text that could place an unverified event
more finely than the grid; admin boundaries and communities are public data and
come simplified, built once and kept in memory until an import changes the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

import shapely
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from haven.errors import NotFoundError
from haven.geo.inside import SpatialIndex
from haven.model import ACLED_TAXONOMY, Event, Site, SiteSnapshot, User, Zone
from haven.services.reference import BORDER_ZONE
from haven.services.store_state import cached_for
from haven.store import RecordFilter, Store
from haven.web.api.common import (
    ERRORS,
    Area,
    Day,
    End,
    Start,
    check_area,
    check_period,
    event_needs_coarsening,
    exact,
    parameter_error,
    publish_point,
)
from haven.web.auth import CurrentUser
from haven.web.deps import SettingsDep, StoreDep

router = APIRouter(prefix="/layers", tags=["map layers"], responses=ERRORS)

GEOJSON = "application/geo+json"
# Simplification per admin level, in degrees (0.005° is about 500 m): enough for a country map.
ADMIN_TOLERANCE = {1: 0.01, 2: 0.005, 3: 0.003}
COORDINATE_GRID = 1e-5  # about a metre: more digits only make the files larger

EventTypes = Annotated[
    list[str] | None, Query(alias="type", description="ACLED event or sub-event type (repeatable).")
]


def feature_collection(features: list[dict[str, Any]], **members: Any) -> JSONResponse:
    """A FeatureCollection response; ``members`` are foreign members (RFC 7946 §6.1)."""
    return JSONResponse({"type": "FeatureCollection", "features": features, **members}, media_type=GEOJSON)


def point_feature(point: tuple[float, float], properties: dict[str, Any]) -> dict[str, Any]:
    lon, lat = point
    geometry = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def shape_feature(geometry: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": mapping(geometry), "properties": properties}


# ---------------------------------------------------------------- events
@router.get("/events.geojson", summary="Events as points, coloured by type on the map")
def events_layer(
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    start: Start = None,
    end: End = None,
    area: Area = None,
    types: EventTypes = None,
) -> JSONResponse:
    """Located events overlapping the period. ``unlocated`` counts those with no point to draw."""
    events: list[Event] = store.list("event", event_filter(store, start, end, area, types))
    features = []
    for event in events:
        point, precision = publish_point(event, user, settings)
        if point is None:
            continue
        features.append(point_feature(point, _event_properties(event, precision, user)))
    return feature_collection(features, unlocated=len(events) - len(features))


def event_filter(
    store: Store, start: date | None, end: date | None, area: str | None, types: list[str] | None
) -> RecordFilter:
    """The events of a period, area and types; a bad period or unknown p-code is a 422 naming it."""
    check_period(start, end)
    unknown = [name for name in types or () if not is_event_type(name)]
    if unknown:
        raise parameter_error(
            "type",
            f"{unknown[0]!r} is not an ACLED event or sub-event type "
            f"(event types: {', '.join(ACLED_TAXONOMY)})",
            unknown[0],
        )
    return RecordFilter(start=start, end=end, area=check_area(store, area), types=tuple(types or ()))


def is_event_type(name: str) -> bool:
    """An ACLED event type or sub-event type (UCDP events are cross-walked into the same taxonomy)."""
    return name in ACLED_TAXONOMY or any(name in subs for subs in ACLED_TAXONOMY.values())


def _event_properties(event: Event, precision: str | None, user: User) -> dict[str, Any]:
    # A location name can name a building: withheld with the point's precision (see io.export.privacy).
    location = None if event_needs_coarsening(event, user) else event.location_name
    return {
        "key": str(event.key),
        "date": event.date_start.isoformat(),
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1.name if event.actor1 else None,
        "actor2": event.actor2.name if event.actor2 else None,
        "fatalities": event.fatalities.best,
        "fatalities_low": event.fatalities.low,
        "fatalities_high": event.fatalities.high,
        "status": event.status.value,
        "location": location,
        "pcode": event.place_pcode,
        "location_precision": precision,
        "geo_precision": event.geo_precision.meaning if event.geo_precision else None,
    }


# ---------------------------------------------------------------- IDP sites
@router.get("/sites.geojson", summary="IDP sites with their latest population")
def sites_layer(
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    on: Annotated[
        Day | None,
        Query(alias="date", description="Population as of this day (latest snapshot on or before it)."),
    ] = None,
    area: Area = None,
) -> JSONResponse:
    """Sites at their own point, else at their host community's (``location_precision`` says which)."""
    where = RecordFilter(area=check_area(store, area))
    snapshots = _latest_snapshots(store.list("site_snapshot", RecordFilter(end=on)))
    community_points = SpatialIndex.for_store(store).place_point
    features = []
    unlocated = 0
    for site in store.list("site", where):
        host = community_points.get(site.place_pcode) if site.place_pcode else None
        point, precision = publish_point(site if site.point else replace(site, point=host), user, settings)
        if point is None:
            unlocated += 1
            continue
        if site.point is None and exact(user):
            precision = "host community point"
        features.append(point_feature(point, _site_properties(site, snapshots.get(str(site.key)), precision)))
    return feature_collection(features, unlocated=unlocated)


def _latest_snapshots(snapshots: Iterable[SiteSnapshot]) -> dict[str, SiteSnapshot]:
    latest: dict[str, SiteSnapshot] = {}
    for snapshot in snapshots:
        held = latest.get(str(snapshot.site_key))
        if held is None or snapshot.as_of >= held.as_of:
            latest[str(snapshot.site_key)] = snapshot
    return latest


def _site_properties(site: Site, snapshot: SiteSnapshot | None, precision: str | None) -> dict[str, Any]:
    return {
        "key": str(site.key),
        "name": site.name,
        "kind": site.kind.value,
        "pcode": site.site_pcode,
        "community": site.place_pcode,
        "individuals": snapshot.individuals if snapshot else None,
        "as_of": snapshot.as_of.isoformat() if snapshot else None,
        "status": snapshot.status if snapshot else None,
        "capacity": site.capacity_individuals,
        "location_precision": precision,
    }


# ---------------------------------------------------------------- communities
@router.get("/communities.geojson", summary="Communities (admin4) with population and IDPs")
def communities_layer(
    store: StoreDep,
    bbox: Annotated[
        str | None,
        Query(description="min_lon,min_lat,max_lon,max_lat: only communities in this box."),
    ] = None,
    min_idps: Annotated[
        float | None, Query(ge=0, description="Only communities hosting at least this many IDPs.")
    ] = None,
) -> JSONResponse:
    """Community points from the gazetteer; population and IDPs from the latest community figures."""
    box = _parse_bbox(bbox)
    collection = cached_for(store, "layers/communities", _communities)
    features = [
        f
        for f in collection["features"]
        if (box is None or _in_box(f["geometry"]["coordinates"], box))
        and (min_idps is None or (f["properties"]["idps"] or 0) >= min_idps)
    ]
    return feature_collection(features, basis=collection["basis"], total=len(collection["features"]))


def _communities(store: Store) -> dict[str, Any]:
    index = SpatialIndex.for_store(store)
    row = {pcode: i for i, pcode in enumerate(index.community_pcode.tolist())}
    features = []
    for place in store.list("place", RecordFilter(levels=(4,))):
        i = row.get(place.pcode)
        if i is None or place.point is None:
            continue
        population, idps = index.population[i], index.idps[i]
        properties = {
            "pcode": place.pcode,
            "name": place.name_en,
            "adm3": place.parents[3] if len(place.parents) > 3 else None,
            "population": None if population != population else float(population),  # NaN: no figure
            "idps": None if idps != idps else float(idps),
        }
        features.append(point_feature(place.point, properties))
    return {"features": features, "basis": index.population_basis}


def _parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 4 or values[0] > values[2] or values[1] > values[3]:
        raise parameter_error(
            "bbox",
            "expected min_lon,min_lat,max_lon,max_lat with each min below its max, e.g. 36,35.5,37,36.5",
            text,
        )
    return values[0], values[1], values[2], values[3]


def _in_box(coordinates: list[float], box: tuple[float, float, float, float]) -> bool:
    lon, lat = coordinates
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


# ---------------------------------------------------------------- zones and the border
@router.get("/zones.geojson", summary="Zones: named areas and lines with their recipes")
def zones_layer(store: StoreDep) -> JSONResponse:
    return feature_collection([_zone_feature(zone) for zone in store.zones()])


@router.get("/border.geojson", summary="The Turkey–Syria border line")
def border_layer(store: StoreDep) -> JSONResponse:
    try:
        zone = store.zone(BORDER_ZONE)
    except NotFoundError:
        raise NotFoundError(
            f"no border line: the zone {BORDER_ZONE!r} is not in this database "
            "(`haven demo` loads it with the reference crisis)"
        ) from None
    return feature_collection([_zone_feature(zone)])


def _zone_feature(zone: Zone) -> dict[str, Any]:
    properties = {
        "name": zone.name,
        "description": zone.description,
        "op": zone.recipe.get("op") or zone.recipe.get("kind"),
        "geometry_type": zone.geometry.geom_type,
    }
    return shape_feature(shapely.set_precision(zone.geometry, COORDINATE_GRID), properties)


# ---------------------------------------------------------------- crossings
@router.get("/crossings.geojson", summary="Border crossings and their status on a day")
def crossings_layer(
    store: StoreDep,
    on: Annotated[Day | None, Query(alias="date", description="Status on this day (default: today).")] = None,
) -> JSONResponse:
    day = on or date.today()
    features = []
    for crossing in store.list("crossing"):
        status = crossing.status_on(day)
        properties = {
            "key": str(crossing.key),
            "name": crossing.name,
            "alt_names": list(crossing.alt_names),
            "border": crossing.border,
            "status": status.status if status else None,
            "status_from": status.valid_from.isoformat() if status else None,
            "status_to": status.valid_to.isoformat() if status and status.valid_to else None,
            "note": status.note if status else None,
            "on": day.isoformat(),
        }
        features.append(point_feature(crossing.point, properties))
    return feature_collection(features)


# ---------------------------------------------------------------- admin boundaries
@router.get("/admin.geojson", summary="Admin boundaries, simplified")
def admin_layer(
    store: StoreDep,
    level: Annotated[int, Query(ge=1, le=3, description="1 governorates, 2 districts, 3 sub-districts.")] = 1,
) -> JSONResponse:
    collection = cached_for(store, f"layers/admin{level}", lambda s: _admin(s, level))
    return feature_collection(collection["features"], level=level)


def _admin(store: Store, level: int) -> dict[str, Any]:
    tolerance = ADMIN_TOLERANCE[level]
    features = []
    for place in store.list("place", RecordFilter(levels=(level,))):
        if place.geometry is None:
            continue
        simple = place.geometry.simplify(tolerance, preserve_topology=True)
        properties = {
            "pcode": place.pcode,
            "name": place.name_en,
            "name_ar": place.name_ar,
            "level": level,
            "parent": place.parent_pcode,
        }
        features.append(shape_feature(shapely.set_precision(simple, COORDINATE_GRID), properties))
    return {"features": features}


# ---------------------------------------------------------------- the cache


__all__ = ["EventTypes", "event_filter", "feature_collection", "is_event_type", "router"]
