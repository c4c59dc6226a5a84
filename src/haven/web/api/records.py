"""Records: events, figures, movements, sites, agreements, crossings, places and imports.

Lists take the CLI's filters (``haven events list --help``) and are paged; a record's own URL is its
natural key, ``/api/events/{dataset}/{record_id}``, and gives its sources, revisions and status.
What the public may not see exactly is coarsened by :mod:`haven.web.api.common`.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from haven.geo.gazetteer import Gazetteer
from haven.model import ACLED_TAXONOMY, AgreementKind, EventStatus, RecordKey, SiteKind, User
from haven.services.serialize import to_jsonable
from haven.services.store_state import cached_for
from haven.store import RecordFilter, Store
from haven.web.api.common import (
    ERRORS,
    Area,
    Dataset,
    Deleted,
    Filters,
    ListPage,
    Page,
    PageParams,
    Text,
    Word,
    check_area,
    exact,
    list_records,
    page_of,
    paged,
    parameter_error,
    publish_record,
    publish_revisions,
)
from haven.web.auth import CurrentUser
from haven.web.deps import SettingsDep, StoreDep
from haven.web.settings import WebSettings

router = APIRouter(tags=["records"], responses=ERRORS)
places_router = APIRouter(tags=["places"], responses=ERRORS)

EVENT_TYPES = frozenset(ACLED_TAXONOMY) | {sub for subs in ACLED_TAXONOMY.values() for sub in subs}
MOVEMENT_TYPES = ("displacement", "return")

DatasetPath = Annotated[str, Path(min_length=1, description="The dataset the record came from.")]
RecordIdPath = Annotated[str, Path(min_length=1, description="The id the dataset gave the record.")]
Geometry = Annotated[bool, Query(description="Include polygons as GeoJSON geometry (they can be large).")]


def _page(
    request: Request,
    response: Response,
    records: list[Any],
    total: int,
    page: PageParams,
    user: User,
    settings: WebSettings,
) -> dict[str, Any]:
    items = [publish_record(r, user, settings) for r in records]
    return paged(request, response, items, total, page)


def _detail(
    store: Store, kind: str, key: RecordKey, user: User, settings: WebSettings, **options: Any
) -> Any:
    record = store.get(kind, key)
    data = publish_record(record, user, settings, **options)
    data["deleted"] = store.is_deleted(kind, key)
    data["revisions"] = publish_revisions(record, store.revisions(kind, key), user, settings)
    return data


# ---------------------------------------------------------------- events
@router.get("/events", response_model=ListPage, summary="List events")
def list_events(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    where: Filters,
    page: Page,
    types: Annotated[
        list[Word] | None, Query(alias="type", description="ACLED event or sub-event type; repeatable.")
    ] = None,
    actor: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Part of an actor's name.")
    ] = None,
    status: Annotated[list[EventStatus] | None, Query(description="Review status; repeatable.")] = None,
) -> dict[str, Any]:
    """Conflict events that overlap the period, in an area and below it, by type, actor, text and status.

    For the public, unverified events' points are snapped to the public grid and their notes and
    location names withheld (``location_precision`` and ``withheld`` say so); ``q`` searches those
    texts, so for the public it finds verified events only."""
    for value in types or []:
        if value not in EVENT_TYPES:
            raise parameter_error("type", f"{value!r} is not an ACLED event or sub-event type", value)
    where = replace(where, types=tuple(types or ()), actor=actor)
    statuses = set(status) if status else None
    if where.text and not exact(user):
        # a match would tell the public what a withheld note says
        statuses = {EventStatus.VERIFIED} & (statuses if statuses is not None else {EventStatus.VERIFIED})
    records, total = list_records(store, "event", where, page, statuses=statuses)
    return _page(request, response, records, total, page, user, settings)


@router.get("/events/{dataset}/{record_id}", summary="One event with its sources, revisions and status")
def get_event(
    dataset: DatasetPath, record_id: RecordIdPath, store: StoreDep, settings: SettingsDep, user: CurrentUser
) -> dict[str, Any]:
    """An event by its natural key, with its sources, review status and earlier revisions."""
    return _detail(store, "event", RecordKey(dataset, record_id), user, settings)


# ---------------------------------------------------------------- figures and movements
@router.get("/figures", response_model=ListPage, summary="List reported figures")
def list_figures(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    where: Filters,
    page: Page,
    types: Annotated[
        list[Word] | None, Query(alias="type", description="Metric, e.g. displaced; repeatable.")
    ] = None,
) -> dict[str, Any]:
    """Reported numbers, each with its qualifier, what it counts, area and sources."""
    records, total = list_records(store, "figure", replace(where, types=tuple(types or ())), page)
    return _page(request, response, records, total, page, user, settings)


@router.get("/figures/{dataset}/{record_id}", summary="One reported figure")
def get_figure(
    dataset: DatasetPath, record_id: RecordIdPath, store: StoreDep, settings: SettingsDep, user: CurrentUser
) -> dict[str, Any]:
    return _detail(store, "figure", RecordKey(dataset, record_id), user, settings)


@router.get("/movements", response_model=ListPage, summary="List movements")
def list_movements(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    where: Filters,
    page: Page,
    types: Annotated[
        list[Word] | None, Query(alias="type", description="displacement or return; repeatable.")
    ] = None,
) -> dict[str, Any]:
    """People who moved from an origin to a destination in a period; ``area`` matches either end."""
    for value in types or []:
        if value not in MOVEMENT_TYPES:
            raise parameter_error(
                "type", f"{value!r} is not a movement type (expected displacement or return)"
            )
    records, total = list_records(store, "movement", replace(where, types=tuple(types or ())), page)
    return _page(request, response, records, total, page, user, settings)


@router.get("/movements/{dataset}/{record_id}", summary="One movement")
def get_movement(
    dataset: DatasetPath, record_id: RecordIdPath, store: StoreDep, settings: SettingsDep, user: CurrentUser
) -> dict[str, Any]:
    return _detail(store, "movement", RecordKey(dataset, record_id), user, settings)


# ---------------------------------------------------------------- sites
def site_filter(
    store: StoreDep,
    area: Area = None,
    kinds: Annotated[list[SiteKind] | None, Query(alias="type", description="Site kind; repeatable.")] = None,
    text: Text = None,
    dataset: Dataset = None,
    deleted: Deleted = False,
) -> RecordFilter:
    """Sites have no period of their own, so no ``from``/``to``."""
    return RecordFilter(
        area=check_area(store, area),
        types=tuple(k.value for k in kinds or ()),
        text=text,
        dataset=dataset,
        include_deleted=deleted,
    )


@router.get("/sites", response_model=ListPage, summary="List IDP sites")
def list_sites(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    where: Annotated[RecordFilter, Depends(site_filter)],
    page: Page,
) -> dict[str, Any]:
    """IDP sites with their host community. For the public each ``point`` is snapped to the public grid."""
    records, total = list_records(store, "site", where, page)
    return _page(request, response, records, total, page, user, settings)


@router.get("/sites/{dataset}/{record_id}", summary="One IDP site with its population snapshots")
def get_site(
    dataset: DatasetPath, record_id: RecordIdPath, store: StoreDep, settings: SettingsDep, user: CurrentUser
) -> dict[str, Any]:
    key = RecordKey(dataset, record_id)
    data: dict[str, Any] = _detail(store, "site", key, user, settings)
    snapshots = [s for s in store.list("site_snapshot") if s.site_key == key]
    data["snapshots"] = [to_jsonable(s) for s in sorted(snapshots, key=lambda s: s.as_of)]
    return data


# ---------------------------------------------------------------- agreements and crossings
@router.get("/agreements", response_model=ListPage, summary="List agreements")
def list_agreements(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    where: Filters,
    page: Page,
    kinds: Annotated[
        list[AgreementKind] | None, Query(alias="type", description="Agreement kind; repeatable.")
    ] = None,
) -> dict[str, Any]:
    """Ceasefires, corridors, deadlines and access resolutions in force in the period."""
    where = replace(where, types=tuple(k.value for k in kinds or ()))
    records, total = list_records(store, "agreement", where, page)
    return _page(request, response, records, total, page, user, settings)


@router.get("/agreements/{dataset}/{record_id}", summary="One agreement")
def get_agreement(
    dataset: DatasetPath,
    record_id: RecordIdPath,
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    geometry: Geometry = False,
) -> dict[str, Any]:
    """An agreement with its parties, provisions and area (its recipe, and with ``geometry`` the polygon)."""
    key = RecordKey(dataset, record_id)
    return _detail(store, "agreement", key, user, settings, geometry=geometry)


@router.get("/crossings", response_model=ListPage, summary="List border crossings")
def list_crossings(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    page: Page,
    text: Text = None,
    dataset: Dataset = None,
) -> dict[str, Any]:
    """Border crossings with their dated status history."""
    where = RecordFilter(text=text, dataset=dataset)
    records, total = list_records(store, "crossing", where, page)
    return _page(request, response, records, total, page, user, settings)


@router.get("/crossings/{dataset}/{record_id}", summary="One border crossing")
def get_crossing(
    dataset: DatasetPath, record_id: RecordIdPath, store: StoreDep, settings: SettingsDep, user: CurrentUser
) -> dict[str, Any]:
    return _detail(store, "crossing", RecordKey(dataset, record_id), user, settings)


# ---------------------------------------------------------------- places
def _gazetteer(store: Store) -> Gazetteer:
    # about a second to build for Syria's 8,000 places: kept until an import changes the store
    return cached_for(store, "gazetteer", Gazetteer.from_store)


@places_router.get("/places", summary="Find the places a name may mean")
def find_places(
    store: StoreDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=200, description="A place name in English transliteration or Arabic."),
    ],
    context: Annotated[
        list[Word] | None,
        Query(description="A governorate, district, nearby place or country; repeatable."),
    ] = None,
    level: Annotated[
        int | None, Query(ge=0, le=4, description="Prefer this admin level (4 = community).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=50, description="How many candidates.")] = 5,
) -> dict[str, Any]:
    """Resolve a name as reports write it to OCHA p-codes, best first, like ``haven places find``."""
    resolution = _gazetteer(store).resolve(q, context or None, level=level, limit=limit)
    return resolution.to_dict()


@places_router.get("/places/{pcode}", summary="One place by p-code")
def get_place(
    pcode: Annotated[str, Path(min_length=1, description="OCHA p-code, e.g. C3871 (Idlib city) or SY07.")],
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    geometry: Geometry = False,
) -> dict[str, Any]:
    """An admin unit or community: names, parents, point, population and (with ``geometry``) its polygon."""
    return publish_record(store.place(pcode), user, settings, geometry=geometry)


# ---------------------------------------------------------------- imports
@router.get("/imports", response_model=ListPage, summary="List imports")
def list_imports(
    request: Request, response: Response, store: StoreDep, user: CurrentUser, page: Page
) -> dict[str, Any]:
    """Every import: when, which file (its name; the server path for signed-in users), its counts."""
    rows = store.imports()
    items = []
    for row in page_of(rows, page):
        item = {**row, "file": os.path.basename(row["path"])}
        if not exact(user):
            item.pop("path")  # where the server keeps its files is no business of the public
        items.append(to_jsonable(item))
    return paged(request, response, items, len(rows), page)


__all__ = ["places_router", "router"]
