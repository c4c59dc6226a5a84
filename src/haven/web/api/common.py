"""What every API route shares: pagination, the record filters, errors, and what each user may see.

Names kept stable for the dashboard routers (``layers``, ``dashboard``):

* :data:`Page` — a dependency giving :class:`PageParams` (``limit`` 1-1000, default 100; ``offset``);
  :func:`page_of` slices a list with it and :func:`paged` writes the list body and the
  ``X-Total-Count`` and ``Link`` headers.
* :func:`exact` — whether a user may see exact locations (``Permission.READ_EXACT``).
* :func:`published_point` ``(record, user, settings)`` (also ``publish_point``) — the point a user
  may see and its ``location_precision``; :func:`publish_record` — a whole record as that user may see
  it (points coarsened, free text withheld).
* :func:`parameter_error` — a 422 naming a query parameter, in FastAPI's own error shape.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, BeforeValidator, StringConstraints

from haven.errors import NotFoundError
from haven.io.export import privacy
from haven.io.export.privacy import public_revision, withheld_fields
from haven.model import Event, EventStatus, Permission, Revision, User
from haven.services.serialize import record_to_dict, to_jsonable
from haven.store import RecordFilter, Store
from haven.web.deps import StoreDep
from haven.web.settings import WebSettings

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000  # SQL offsets are 64-bit integers; no list is this long
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
T = TypeVar("T")


# ---------------------------------------------------------------- errors
class Problem(BaseModel):
    """Every error: ``detail`` is a sentence, or FastAPI's list of the parameters that failed."""

    detail: str | list[dict[str, Any]]


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The request cannot be answered as asked"},
    401: {"model": Problem, "description": "Unknown or revoked API token"},
    404: {"model": Problem, "description": "No such record, zone, agreement or p-code"},
    422: {"model": Problem, "description": "A parameter is missing or has a bad value"},
}


def parameter_error(
    name: str, message: str, value: Any = None, where: str = "query"
) -> RequestValidationError:
    """A 422 naming ``name`` (FastAPI's own shape, so clients parse one kind of validation error)."""
    return RequestValidationError(
        [{"type": "value_error", "loc": (where, name), "msg": message, "input": value}]
    )


# ---------------------------------------------------------------- pagination
class ListPage(BaseModel):
    """One page of a list: the items, how many there are in all, and which page this is."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class PageParams:
    limit: int = 100
    offset: int = 0


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1-1000).")] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> PageParams:
    return PageParams(limit, offset)


Page = Annotated[PageParams, Depends(page_params)]


def page_of(items: Sequence[T], page: PageParams) -> list[T]:
    return list(items[page.offset : page.offset + page.limit])


def paged(
    request: Request, response: Response, items: list[dict[str, Any]], total: int, page: PageParams
) -> dict[str, Any]:
    """The list body, with the total in ``X-Total-Count`` and RFC 8288 links to the other pages."""
    links = []

    def link(rel: str, offset: int) -> None:
        url = request.url.include_query_params(limit=page.limit, offset=offset)
        links.append(f'<{url}>; rel="{rel}"')

    if page.offset + page.limit < total:
        link("next", page.offset + page.limit)
    if page.offset > 0:
        link("prev", max(page.offset - page.limit, 0))
    link("first", 0)
    link("last", max((total - 1) // page.limit * page.limit, 0))
    response.headers["X-Total-Count"] = str(total)
    response.headers["Link"] = ", ".join(links)
    return {"items": items, "total": total, "limit": page.limit, "offset": page.offset}


# ---------------------------------------------------------------- filters
def _iso_day(value: Any) -> Any:
    # pydantic reads "1700000000" or "1.5e9" as a Unix time; a day in a URL is YYYY-MM-DD only
    if isinstance(value, str) and not ISO_DAY.fullmatch(value):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
Word = Annotated[str, StringConstraints(min_length=1, max_length=200)]  # an item of a repeatable parameter
Start = Annotated[
    Day | None, Query(alias="from", description="Start of the period (YYYY-MM-DD): records that overlap it.")
]
End = Annotated[Day | None, Query(alias="to", description="End of the period (YYYY-MM-DD).")]
Area = Annotated[
    str | None,
    Query(min_length=1, max_length=40, description="P-code: records in this unit or any unit below it."),
]
Dataset = Annotated[str | None, Query(min_length=1, max_length=200, description="Only this dataset.")]
Text = Annotated[
    str | None, Query(alias="q", min_length=1, max_length=200, description="Part of the notes or names.")
]
Deleted = Annotated[bool, Query(description="Include records withdrawn upstream.")]


def check_area(store: Store, area: str | None, name: str = "area") -> str | None:
    """``area`` if the store has a place with that p-code: an unknown one is a 422, not an empty list."""
    if area is None:
        return None
    try:
        store.place(area)
    except NotFoundError:
        raise parameter_error(name, f"no place with p-code {area!r}", area) from None
    return area


def check_period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise parameter_error("to", f"the period ends ({end}) before it starts ({start})", str(end))


def record_filter(
    store: StoreDep,
    start: Start = None,
    end: End = None,
    area: Area = None,
    text: Text = None,
    dataset: Dataset = None,
    deleted: Deleted = False,
) -> RecordFilter:
    """The filters every dated listing shares, checked: a bad one is a 422 that names it."""
    check_period(start, end)
    return RecordFilter(
        start=start,
        end=end,
        area=check_area(store, area),
        text=text,
        dataset=dataset,
        include_deleted=deleted,
    )


Filters = Annotated[RecordFilter, Depends(record_filter)]


def list_records(
    store: Store,
    kind: str,
    where: RecordFilter,
    page: PageParams,
    statuses: Collection[EventStatus] | None = None,
) -> tuple[list[Any], int]:
    """One page of records and the total, paged by the store."""
    if statuses is not None:
        if not statuses:  # e.g. the public asking for unverified events
            return [], 0
        where = replace(where, statuses=tuple(s.value for s in statuses))
    total = store.count(kind, where)
    if page.offset >= total:
        return [], total
    return store.list(kind, replace(where, limit=page.limit, offset=page.offset)), total


# ---------------------------------------------------------------- who sees what
def exact(user: User) -> bool:
    """Whether ``user`` may see exact site points and unverified events' points and notes."""
    return user.can(Permission.READ_EXACT)


def published_point(
    record: Any, user: User, settings: WebSettings
) -> tuple[tuple[float, float] | None, str | None]:
    """The point ``user`` may see for a record, and the ``location_precision`` to state beside it."""
    return privacy.published_point(record, not exact(user), settings.public_grid_km)


publish_point = published_point  # the name the API's first brief used; both stay


def publish_record(
    record: Any, user: User, settings: WebSettings, *, geometry: bool = False
) -> dict[str, Any]:
    """A record as JSON for ``user``: points coarsened and notes withheld where the public may not see."""
    data: dict[str, Any] = record_to_dict(record, geometry=geometry)
    if "point" in data:
        point, precision = published_point(record, user, settings)
        data["point"] = list(point) if point else None
        data["location_precision"] = precision
    if not exact(user):
        withheld = withheld_fields(record)
        for name in withheld:
            data[name] = None
        if withheld:
            data["withheld"] = list(withheld)
    return data


def publish_revisions(
    record: Any, revisions: Sequence[Revision], user: User, settings: WebSettings
) -> list[Any]:
    """A record's earlier states for ``user``; stored geometry (WKB) is left out, it is large and binary."""
    out = []
    for revision in revisions:
        data = {k: v for k, v in revision.data.items() if k != "geom"}
        if not exact(user):
            data = public_revision(record, data, settings.public_grid_km)
        out.append(
            to_jsonable(
                {
                    "number": revision.number,
                    "recorded_at": revision.recorded_at,
                    "change": revision.change,
                    "import_id": revision.import_id,
                    "data": data,
                }
            )
        )
    return out


def event_needs_coarsening(event: Event, user: User) -> bool:
    """Whether ``user`` may not see this event's exact point and text."""
    return not exact(user) and bool(withheld_fields(event))


__all__ = [
    "ERRORS",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "Day",
    "Filters",
    "ListPage",
    "Page",
    "PageParams",
    "Problem",
    "Word",
    "check_area",
    "check_period",
    "event_needs_coarsening",
    "exact",
    "list_records",
    "page_of",
    "paged",
    "parameter_error",
    "publish_point",
    "publish_record",
    "publish_revisions",
    "published_point",
    "record_filter",
]
