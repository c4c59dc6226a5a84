"""The overview of an area and period: what happened, who moved, what was reported, by whom."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from haven.model import Agreement, Crossing, Event, Figure
from haven.store import RecordFilter, Store


def describe_value(figure: Figure) -> str:
    """'over 948,000' — the number as the source hedged it."""
    number = f"{figure.value:,.0f}" if figure.value == int(figure.value) else f"{figure.value:,.1f}"
    if figure.metric.endswith("_pct") or figure.subgroup.endswith("_pct"):
        number += "%"
    return figure.qualifier.words + number


@dataclass(frozen=True, order=True)
class FigureGroup:
    """Figures that count the same thing: a metric, a subgroup, and where the count starts.

    "Displaced since 1 December" and "displaced in the past week" are different quantities,
    so their numbers must not be compared as one range.
    """

    metric: str
    subgroup: str
    since: date | None

    def label(self) -> str:
        text = self.metric.replace("_", " ")
        if self.subgroup != "all":
            text += f" · {self.subgroup.replace('_', ' ')}"
        return text


@dataclass
class EventSummary:
    events: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    fatalities_low: float = 0.0
    fatalities_best: float = 0.0
    fatalities_high: float = 0.0
    events_without_high: int = 0


@dataclass
class Overview:
    start: date | None
    end: date | None
    area: str | None
    area_name: str
    events: EventSummary
    figures_by_metric: dict[FigureGroup, list[Figure]]
    displaced_in_movements: float
    movements: int
    sites: int
    agreements: list[Agreement]
    crossings: list[tuple[Crossing, str | None]]

    def latest(self, metric: str, subgroup: str = "all", since: date | None = None) -> Figure | None:
        figures = self.figures_by_metric.get(FigureGroup(metric, subgroup, since), [])
        return figures[-1] if figures else None


_FIRST_METRICS = ("displaced", "idps_hosted", "civilians_killed", "civilians_injured", "in_need")


def group_order(group: FigureGroup) -> tuple[int, str, str, date]:
    """Sort key: the main humanitarian metrics first, then by name, subgroup and counting start."""
    rank = _FIRST_METRICS.index(group.metric) if group.metric in _FIRST_METRICS else len(_FIRST_METRICS)
    return (rank, group.metric, "" if group.subgroup == "all" else group.subgroup, group.since or date.min)


def summarise_events(events: Iterable[Event]) -> EventSummary:
    """Counts by type and fatalities low/best/high; an event without a high counts its best (or low)."""
    summary = EventSummary()
    for event in events:
        summary.events += 1
        summary.by_type[event.sub_event_type or event.event_type] += 1
        f = event.fatalities
        summary.fatalities_low += f.low or 0
        summary.fatalities_best += f.best if f.best is not None else (f.low or 0)
        if f.high is None:
            summary.events_without_high += 1
            summary.fatalities_high += f.best or f.low or 0
        else:
            summary.fatalities_high += f.high
    return summary


def build_overview(
    store: Store,
    start: date | None = None,
    end: date | None = None,
    area: str | None = None,
    *,
    area_name: str | None = None,
    event_types: tuple[str, ...] = (),
) -> Overview:
    """What happened in an area and period. ``area_name`` labels an area given by no p-code.

    ``event_types`` (ACLED types or sub-types) narrow the events only: figures have no event type.
    """
    where = RecordFilter(start=start, end=end, area=area)
    area_name = area_name or "all areas"
    if area:
        place = store.place(area)
        area_name = f"{place.name_en} ({place.pcode})"

    summary = summarise_events(store.list("event", replace(where, types=event_types)))

    figures: dict[FigureGroup, list[Figure]] = defaultdict(list)
    for figure in store.list("figure", where):
        figures[FigureGroup(figure.metric, figure.subgroup, figure.period_start)].append(figure)
    for items in figures.values():
        items.sort(key=lambda fig: (fig.effective_date or date.min, fig.reported_on or date.min))

    movements = [m for m in store.list("movement", where) if m.movement_type == "displacement"]
    crossings = [
        (c, (s.status if (s := c.status_on(end or date.today())) else None))
        for c in store.list("crossing", RecordFilter())
    ]
    return Overview(
        start=start,
        end=end,
        area=area,
        area_name=area_name,
        events=summary,
        figures_by_metric=dict(sorted(figures.items(), key=lambda item: group_order(item[0]))),
        displaced_in_movements=sum(m.individuals for m in movements),
        movements=len(movements),
        sites=store.count("site", RecordFilter(area=area)),
        agreements=store.list("agreement", RecordFilter(start=start, end=end)),
        crossings=crossings,
    )
