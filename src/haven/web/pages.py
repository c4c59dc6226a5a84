"""The pages: the dashboard and the analysis pages (figures, zones, compliance).

Each page calls the same library function as its CLI command (``haven overview``, ``haven figures
reconcile``, ``haven zone compare``, ``haven compliance``) and renders the result; the dashboard's
map, key figures and charts then follow its filters through ``/api/layers`` and ``/api/dashboard``.
Bad query parameters give the page back with the error named (status 422, or 404 for an unknown
p-code, zone or agreement), never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from haven.analysis.compliance import compliance_report
from haven.analysis.reconcile import ReconcileRules, reconcile_event_fatalities, reconcile_figures
from haven.errors import HavenError, NotFoundError, ValidationError
from haven.geo.inside import compare_zones
from haven.model import ACLED_TAXONOMY, Permission
from haven.services.reference import REFERENCE_CRISIS
from haven.services.serialize import to_jsonable
from haven.store import RecordFilter, Store
from haven.web.api.layers import is_event_type
from haven.web.auth import CurrentUser
from haven.web.deps import SettingsDep, StoreDep
from haven.web.templating import render

router = APIRouter(include_in_schema=False)

# One colour per ACLED event type, shared by the map, its legend and the charts.
EVENT_COLOURS: dict[str, str] = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2471a3",
    "Riots": "#138d75",
    "Strategic developments": "#5d6d7e",
}
DEFAULT_DAYS = 90  # the default window when the store does not hold the reference crisis


def _status(error: HavenError) -> int:
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ValidationError):
        return 422
    return 400


def parse_day(value: str | None, name: str) -> date | None:
    """A query parameter as a date; an empty value is no date."""
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(f"{name}: {value!r} is not a date (expected YYYY-MM-DD)") from None


@dataclass(frozen=True)
class Window:
    """The period and area a page looks at, from its query string."""

    start: date | None
    end: date | None
    area: str | None

    @classmethod
    def of(cls, request: Request, store: Store) -> Window:
        query = request.query_params
        start, end = parse_day(query.get("from"), "from"), parse_day(query.get("to"), "to")
        if start and end and end < start:
            raise ValidationError(f"to: {end} is before from: {start}")
        area = (query.get("area") or "").strip() or None
        if area:
            store.place(area)  # an unknown p-code says so
        return cls(start, end, area)

    def where(self) -> RecordFilter:
        return RecordFilter(start=self.start, end=self.end, area=self.area)


def _page(
    request: Request,
    template: str,
    build: Callable[[], dict[str, Any]],
    fallback: Callable[[], dict[str, Any]],
) -> HTMLResponse:
    """Render ``template`` with ``build()``, or with ``fallback()`` and the error when the input is bad."""
    try:
        return render(request, template, build())
    except HavenError as error:
        return render(request, template, {**fallback(), "page_error": str(error)}, status_code=_status(error))


def _areas(store: Store) -> list[dict[str, Any]]:
    """Governorates, districts and sub-districts for the area pickers, in p-code order."""
    places = store.list("place", RecordFilter(levels=(1, 2, 3)))
    return [{"pcode": p.pcode, "name": p.name_en, "level": int(p.level)} for p in places]


# ---------------------------------------------------------------- the dashboard
@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, store: StoreDep, settings: SettingsDep, user: CurrentUser) -> HTMLResponse:
    def build() -> dict[str, Any]:
        window = Window.of(request, store)
        types = [t for t in request.query_params.getlist("type") if t]
        unknown = [t for t in types if not is_event_type(t)]
        if unknown:
            raise ValidationError(
                f"type: {unknown[0]!r} is not an ACLED event type "
                f"(expected one of {', '.join(ACLED_TAXONOMY)})"
            )
        return _dashboard_context(store, window, types, settings.tile_url, settings.tile_attribution, user)

    def fallback() -> dict[str, Any]:
        return _dashboard_context(
            store, Window(None, None, None), [], settings.tile_url, settings.tile_attribution, user
        )

    return _page(request, "dashboard.html", build, fallback)


def default_window(store: Store) -> tuple[date, date, date, date]:
    """(slider min, slider max, default from, default to): the events' dates and the reference period.

    The reference crisis opens on its period; other data on its last ``DEFAULT_DAYS`` days.
    """
    columns = store.event_columns(("date_start", "date_end"))
    days = [d for d in columns["date_start"] + columns["date_end"] if d is not None]
    if store.count("event", RecordFilter(dataset=REFERENCE_CRISIS.id)) or not days:
        first, last = REFERENCE_CRISIS.period_start, REFERENCE_CRISIS.period_end
    else:
        last = max(days)
        first = max(min(days), last - timedelta(days=DEFAULT_DAYS))
    return min([first, *days]), max([last, *days]), first, last


def _dashboard_context(
    store: Store,
    window: Window,
    types: list[str],
    tile_url: str | None,
    tile_attribution: str,
    user: Any,
) -> dict[str, Any]:
    low, high, first, last = default_window(store)
    start, end = window.start or first, window.end or last
    present = set(store.event_columns(("event_type",))["event_type"])
    event_types = [t for t in ACLED_TAXONOMY if t in present or t in types]
    config = {
        "range": {"min": min(low, start), "max": max(high, end)},
        "defaults": {"from": first, "to": last},
        "filters": {"from": start, "to": end, "area": window.area, "types": types},
        "colours": EVENT_COLOURS,
        "eventTypes": event_types,
        "tile": {"url": tile_url, "attribution": tile_attribution} if tile_url else None,
        "exact": user.can(Permission.READ_EXACT),
    }
    return {
        "config": to_jsonable(config),
        "areas": _areas(store),
        "event_types": event_types,
        "colours": EVENT_COLOURS,
    }


# ---------------------------------------------------------------- figures
@router.get("/figures", response_class=HTMLResponse)
def figures_page(request: Request, store: StoreDep) -> HTMLResponse:
    """Reported figures reconciled, as ``haven figures reconcile``: groups, ranges, best values, flags."""
    query = request.query_params
    metrics = [m for m in query.getlist("metric") if m]
    only_contradictions = query.get("contradictions") in ("1", "on", "true")
    every_group = query.get("all") in ("1", "on", "true")
    base = {
        "chosen_metrics": metrics,
        "contradictions": only_contradictions,
        "every_group": every_group,
        "areas": _areas(store),
        "query": query,
    }

    def build() -> dict[str, Any]:
        window = Window.of(request, store)
        where = window.where()
        figures = store.list("figure", where)
        known = sorted({f.metric for f in figures})
        unknown = [m for m in metrics if m not in known]
        if unknown:
            raise ValidationError(
                f"metric: no {unknown[0]!r} figure in this period and area (metrics here: {', '.join(known)})"
            )
        rules = ReconcileRules()
        groups = reconcile_figures(
            figures,
            rules,
            metrics=tuple(metrics),
            contradictions_only=only_contradictions,
            informative_only=not every_group and not metrics,
        )
        fatalities = reconcile_event_fatalities(
            store.list("event", where), rules, contradictions_only=only_contradictions
        )
        return {
            **base,
            "window": window,
            "metrics": known,
            "groups": groups,
            "fatalities": fatalities,
            "rules": rules,
        }

    def fallback() -> dict[str, Any]:
        empty = Window(None, None, None)
        return {**base, "window": empty, "metrics": [], "groups": [], "fatalities": [], "rules": None}

    return _page(request, "figures.html", build, fallback)


# ---------------------------------------------------------------- zones
@router.get("/zones", response_class=HTMLResponse)
def zones_page(request: Request, store: StoreDep) -> HTMLResponse:
    """Zones side by side, as ``haven zone compare``: what is inside each for a window."""
    zones = store.zones()
    names = [n for n in request.query_params.getlist("zone") if n]

    def build() -> dict[str, Any]:
        window = Window.of(request, store)
        chosen = [store.zone(name) for name in dict.fromkeys(names)]
        results = compare_zones(store, chosen, window.start, window.end) if chosen else []
        types = sorted({t for r in results for t in r.events_by_type})
        return {**base, "window": window, "results": results, "types": types}

    base = {"zones": zones, "chosen": names, "query": request.query_params}

    def fallback() -> dict[str, Any]:
        return {**base, "window": Window(None, None, None), "results": [], "types": []}

    return _page(request, "zones.html", build, fallback)


# ---------------------------------------------------------------- compliance
@router.get("/compliance", response_class=HTMLResponse)
def compliance_page(request: Request, store: StoreDep) -> HTMLResponse:
    """An agreement's compliance, as ``haven compliance``: events before and after, violations, daily."""
    query = request.query_params
    agreements = [a for a in store.list("agreement") if a.effective_from is not None]
    with_area = [a for a in agreements if a.area is not None or a.area_recipe]
    default = (with_area or agreements)[0].key.record_id if agreements else None
    chosen = (query.get("agreement") or "").strip() or default
    zone = (query.get("zone") or "").strip() or None

    def build() -> dict[str, Any]:
        if chosen is None:
            raise NotFoundError("no agreement with an effective date is loaded (`haven import agreements`)")
        before = _whole_number(query.get("before_days"), "before_days", 30)
        end = parse_day(query.get("to"), "to")
        report = compliance_report(store, chosen, zone=zone, before_days=before, end=end)
        return {**base, "report": report, "before_days": before, "daily": _daily_series(report.daily)}

    base = {
        "agreements": agreements,
        "zones": store.zones(),
        "chosen": chosen,
        "zone": zone,
        "query": query,
    }

    def fallback() -> dict[str, Any]:
        return {**base, "report": None, "before_days": 30, "daily": None}

    return _page(request, "compliance.html", build, fallback)


def _whole_number(value: str | None, name: str, default: int) -> int:
    if value is None or not value.strip():
        return default
    if not value.strip().isdigit():
        raise ValidationError(f"{name}: {value!r} is not a whole number of days (expected e.g. 30)")
    return int(value)


def _daily_series(daily: list[Any]) -> dict[str, list[Any]]:
    return {
        "days": [d.day.isoformat() for d in daily],
        "events": [d.events for d in daily],
        "violent": [d.violent_events for d in daily],
        "fatalities": [d.fatalities_best for d in daily],
    }


__all__ = ["EVENT_COLOURS", "default_window", "parse_day", "router"]
