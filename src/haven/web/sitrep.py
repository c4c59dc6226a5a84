"""Situation reports on the dashboard: a form, and the report as HTML or as a PDF download.

Every reader, signed in or not, gets the same document: a report holds aggregates, and it shows IDP
sites only as counts per sub-district and unverified events at the centre of their grid cell.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from haven.errors import ValidationError
from haven.io.reading import read_date
from haven.report import Sitrep, build_sitrep, render_html, render_pdf
from haven.report.render import filename
from haven.store import RecordFilter, Store
from haven.web.deps import StoreDep
from haven.web.templating import render

router = APIRouter(tags=["situation reports"])

AreaQuery = Annotated[
    list[str],
    Query(
        description="P-code of the area: an admin unit or community, e.g. SY07. Several areas: repeat the "
        "parameter or separate p-codes by commas (SY07,SY02); the report covers them together."
    ),
]
TitleQuery = Annotated[
    str | None,
    Query(description='Name of the whole, e.g. "Northwest Syria" (default: the areas\' names joined).'),
]
FromQuery = Annotated[str, Query(alias="from", description="First day of the period, YYYY-MM-DD.")]
ToQuery = Annotated[str, Query(alias="to", description="Last day of the period, YYYY-MM-DD.")]
StrictQuery = Annotated[
    bool, Query(description="Leave out figures whose area is named only in words (no p-code).")
]
DEFAULT_DAYS = 30


def _day(value: str, name: str) -> date:
    try:
        return read_date(value)
    except ValueError:
        raise ValidationError(f"{name}: {value!r} is not a date (expected YYYY-MM-DD)") from None


def _report(
    store: Store, area: list[str], title: str | None, start: str, end: str, strict_areas: bool
) -> Sitrep:
    return build_sitrep(
        store, area, _day(start, "from"), _day(end, "to"), title=title, strict_areas=strict_areas
    )


def _default_period(store: Store) -> tuple[date, date]:
    """The last month of the events the store holds (or of today, when it holds none)."""
    days = store.event_columns(("date_start",))["date_start"]
    last = max(days, default=date.today())
    return last - timedelta(days=DEFAULT_DAYS), last


@router.get("/sitrep", response_class=HTMLResponse, include_in_schema=False)
def sitrep_form(request: Request, store: StoreDep) -> HTMLResponse:
    """The form: one or more areas, a title, a period, and a button for each format."""
    start, end = _default_period(store)
    areas = store.list("place", RecordFilter(levels=(1, 2, 3)))
    first_area = next((p.pcode for p in areas if p.level == 1), "")
    return render(
        request,
        "sitrep_form.html",
        {
            "areas": sorted(areas, key=lambda p: (p.level, p.name_en)),
            "area": ",".join(request.query_params.getlist("area")) or first_area,
            "title": request.query_params.get("title", ""),
            "start": request.query_params.get("from", start.isoformat()),
            "end": request.query_params.get("to", end.isoformat()),
            "strict_areas": request.query_params.get("strict_areas") == "true",
        },
    )


@router.get("/sitrep.html", response_class=HTMLResponse, summary="Situation report as HTML")
def sitrep_html(
    store: StoreDep,
    area: AreaQuery,
    start: FromQuery,
    end: ToQuery,
    title: TitleQuery = None,
    strict_areas: StrictQuery = False,
) -> HTMLResponse:
    """The situation report of one or more areas and a period as one self-contained HTML page."""
    report = _report(store, area, title, start, end, strict_areas)
    return HTMLResponse(
        render_html(report), headers={"Content-Disposition": f'inline; filename="{filename(report, "html")}"'}
    )


@router.get(
    "/sitrep.pdf",
    response_class=Response,
    summary="Situation report as PDF",
    responses={200: {"content": {"application/pdf": {}}, "description": "An A4 PDF, as an attachment."}},
)
def sitrep_pdf(
    store: StoreDep,
    area: AreaQuery,
    start: FromQuery,
    end: ToQuery,
    title: TitleQuery = None,
    strict_areas: StrictQuery = False,
) -> Response:
    """The situation report of one or more areas and a period as an A4 PDF download."""
    report = _report(store, area, title, start, end, strict_areas)
    return Response(
        render_pdf(report),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename(report, "pdf")}"'},
    )


__all__ = ["router"]
