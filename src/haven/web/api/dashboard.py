"""What the dashboard shows beside the map: key figures with their ranges and sources, and chart series.

The key figures are the overview's (:func:`haven.services.overview.build_overview`): every group of
reported figures counting the same thing, its latest report, the range reported and who reported it,
with the contradiction flags of :func:`haven.analysis.reconcile.reconcile_figures`. The displaced
series is :func:`haven.analysis.series.cumulative_series`: the reconciled reports of the most reported
count ("displaced since 1 December"), with the band the sources' qualifiers allow.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter

from haven.analysis.reconcile import FigureReconciliation, describe, reconcile_figures
from haven.analysis.series import cumulative_series
from haven.errors import ValidationError
from haven.model import Event, Figure
from haven.services.overview import FigureGroup, Overview, build_overview, describe_value
from haven.store import RecordFilter, Store
from haven.web.api.common import ERRORS, Area, End, Start
from haven.web.api.layers import EventTypes, event_filter
from haven.web.deps import StoreDep

router = APIRouter(prefix="/dashboard", tags=["dashboard"], responses=ERRORS)


@router.get("/summary", summary="Key figures for a period, area and event types, with ranges and sources")
def summary(
    store: StoreDep,
    start: Start = None,
    end: End = None,
    area: Area = None,
    types: EventTypes = None,
) -> dict[str, Any]:
    """Events and fatalities (low/best/high), every group of reported figures, sites, crossings, agreements.

    Event types filter the events only: reported figures do not have an event type.
    """
    where = event_filter(store, start, end, area, types)
    overview = build_overview(store, start, end, area, event_types=where.types)
    events = overview.events
    reconciled = reconcile_figures(f for figures in overview.figures_by_metric.values() for f in figures)
    on = end or date.today()
    crossings = [
        {"name": crossing.name, "status": status, "open": bool(status and status.startswith("open"))}
        for crossing, status in overview.crossings
    ]
    return {
        "period": {"from": start, "to": end},
        "area": {"pcode": overview.area, "name": overview.area_name},
        "types": list(types or ()),
        "events": {
            "count": events.events,
            "by_type": dict(events.by_type.most_common()),
            "fatalities": {
                "low": events.fatalities_low,
                "best": events.fatalities_best,
                "high": events.fatalities_high,
            },
            "without_high": events.events_without_high,
        },
        "figures": _figure_groups(overview, reconciled),
        "sites": overview.sites,
        "crossings": {"on": on, "open": sum(c["open"] for c in crossings), "list": crossings},
        "agreements": [
            {
                "key": str(a.key),
                "name": a.name,
                "kind": a.kind.value,
                "from": a.effective_from,
                "to": a.effective_to,
            }
            for a in overview.agreements
        ],
    }


def _figure_groups(overview: Overview, reconciled: list[FigureReconciliation]) -> list[dict[str, Any]]:
    flags: dict[FigureGroup, list[str]] = defaultdict(list)
    for rec in reconciled:
        if rec.contradiction:
            flags[FigureGroup(rec.metric, rec.subgroup, rec.since)] += rec.flags
    groups = []
    for group, figures in overview.figures_by_metric.items():
        latest = figures[-1]
        values = [f.value for f in figures]
        groups.append(
            {
                "metric": group.metric,
                "subgroup": group.subgroup,
                "label": group.label(),
                "since": group.since,
                "latest": _figure(latest),
                "low": min(values),
                "high": max(values),
                "range": _range_text(min(values), max(values), latest),
                "reports": len(figures),
                "sources": _sources(reversed(figures)),
                "contradiction": bool(flags.get(group)),
                "flags": flags.get(group, []),
            }
        )
    return groups


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "key": str(figure.key),
        "value": figure.value,
        "qualifier": figure.qualifier.value,
        "text": describe_value(figure),
        "as_of": figure.effective_date,
        "reported_on": figure.reported_on,
        "area": figure.area_name or figure.area_pcode,
        "publishers": list(dict.fromkeys(s.publisher for s in figure.sources)),
    }


def _range_text(low: float, high: float, latest: Figure) -> str:
    percent = latest.metric.endswith("_pct") or latest.subgroup.endswith("_pct")
    if low == high:
        return describe(low, percent=percent)
    return f"{describe(low, percent=percent)}–{describe(high, percent=percent)}"


def _sources(figures: Any) -> list[dict[str, Any]]:
    """Each publisher once, with the date of its latest report in the group (newest first)."""
    seen: dict[str, date | None] = {}
    for figure in figures:
        for source in figure.sources:
            seen.setdefault(source.publisher, figure.reported_on or figure.effective_date)
    return [{"publisher": name, "date": day} for name, day in seen.items()]


# ---------------------------------------------------------------- series
@router.get("/series", summary="Chart series: events per week by type; reported displaced over time")
def series(
    store: StoreDep,
    start: Start = None,
    end: End = None,
    area: Area = None,
    types: EventTypes = None,
) -> dict[str, Any]:
    events = store.list("event", event_filter(store, start, end, area, types))
    return {
        "events_per_week": events_per_week(events, start, end),
        "displaced": displaced_series(store, start, end, area),
    }


def events_per_week(events: list[Event], start: date | None, end: date | None) -> dict[str, Any]:
    """Events counted by the week (Monday first) they began in, per ACLED event type."""
    days = [e.date_start for e in events]
    first, last = start or min(days, default=None), end or max(days, default=None)
    if first is None or last is None:
        return {"weeks": [], "types": {}}
    monday = first - timedelta(days=first.weekday())
    weeks = [monday + timedelta(weeks=n) for n in range((last - monday).days // 7 + 1)]
    counts: dict[str, Counter[date]] = defaultdict(Counter)
    for event in events:
        day = max(event.date_start, first)
        counts[event.event_type][day - timedelta(days=day.weekday())] += 1
    return {
        "weeks": weeks,
        "types": {name: [counts[name][w] for w in weeks] for name in sorted(counts)},
    }


def displaced_series(store: Store, start: date | None, end: date | None, area: str | None) -> dict[str, Any]:
    """The daily estimate of people displaced, its band and every report, cut to the window."""
    figures = store.list("figure", RecordFilter(start=start, end=end, area=area, types=("displaced",)))
    try:
        estimate = cumulative_series(figures, "displaced")
    except ValidationError as exc:
        return {"label": None, "days": [], "low": [], "best": [], "high": [], "reports": [], "note": str(exc)}
    days = [d for d in estimate.days if (start is None or d.day >= start) and (end is None or d.day <= end)]
    reports = [
        {
            "day": figure.effective_date or point.day,
            "value": figure.value,
            "text": describe_value(figure),
            "publishers": list(dict.fromkeys(s.publisher for s in figure.sources)),
            "reported_on": figure.reported_on,
            "contradiction": point.reconciliation.contradiction,
        }
        for point in estimate.points
        if point.reconciliation is not None and (end is None or point.day <= end)
        for figure in point.reconciliation.reports
    ]
    return {
        "label": estimate.label,
        "days": [d.day for d in days],
        "low": [round(d.low) for d in days],
        "best": [round(d.best) for d in days],
        "high": [round(d.high) for d in days],
        "reports": reports,
        "note": None,
    }


__all__ = ["displaced_series", "events_per_week", "router"]
