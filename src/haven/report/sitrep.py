"""A situation report in the shape of an OCHA flash update, assembled from the store.

:func:`build_sitrep` gathers everything a report of one or more areas and a period shows, computed with the
analyses Haven already has: the overview's event totals, the reconciled key figures, the main events
(fatalities reconciled across datasets), crossings and aid access, agreements in force or signed,
the displacement series and flows, Sphere needs, cold-weather exposure and the map's layers. Every
number carries a :class:`~haven.report._sources.Citation`; what could not be computed is said in
``notes``, never left blank. Rendering is :mod:`haven.report.render`'s job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from haven import __version__
from haven.analysis.access import AccessReport, access_report
from haven.analysis.cold import DEFAULT_THRESHOLDS, ColdExposure, cold_exposure, units_from_figures
from haven.analysis.flows import AdminIndex, Flows, flows_from_movements
from haven.analysis.needs import (
    CLIMATES,
    PHASES,
    NeedLine,
    PopulationUnit,
    UnitNeeds,
    aggregate_units,
    latest_snapshots,
    load_standards,
    needs_for,
    site_units,
    unit_needs,
)
from haven.analysis.reconcile import ReconcileRules, area_label, reconcile_event_fatalities
from haven.analysis.series import CumulativeSeries, cumulative_series
from haven.errors import ValidationError
from haven.io.temperature import TemperatureSeries
from haven.model import Agreement, Event, Figure, Place
from haven.report._areas import joined_names, records_in, report_name, report_places
from haven.report._figures import KeyFigure, figures_for_areas, headline_figures, key_figures
from haven.report._format import day, period
from haven.report._highlights import highlights
from haven.report._mapdata import AreaMap, build_area_map
from haven.report._sources import Citation, CitedSource, SourceList
from haven.services.overview import EventSummary, summarise_events
from haven.store import RecordFilter, Store

NEED_INDICATORS = (
    "water", "people_per_latrine", "people_per_tap", "covered_space", "energy", "health_centres",
)  # fmt: skip
MAIN_EVENTS = 10
_NOTE_CHARS = 180


@dataclass(frozen=True)
class MainEvent:
    """One event of the period, or several records of it from different datasets."""

    start: date
    end: date | None
    place: str
    kind: str  # the sub-event type, else the event type
    event_type: str
    low: float | None
    best: float | None
    high: float | None
    citation: Citation
    note: str | None
    records: int


@dataclass(frozen=True)
class CrossingLine:
    name: str
    status: str | None  # on the last day of the period
    days_open: int | None
    days: int | None
    changes: tuple[str, ...]  # statuses that began within the period
    trucks: int
    share_of_trucks: float
    citation: Citation


@dataclass(frozen=True)
class AgreementLine:
    name: str
    kind: str
    parties: tuple[str, ...]
    signed_on: date | None
    in_force: str  # "in force 12–14 Jan 2020", "in force from 6 Mar 2020 00:01"
    in_force_in_period: bool
    signed_in_period: bool
    citation: Citation


@dataclass
class Displacement:
    """The reported running total of people displaced, and the movements into the area, by month."""

    series: CumulativeSeries | None
    series_label: str  # what the series counts, where
    series_citation: Citation
    flows: Flows | None
    flows_label: str
    flows_citation: Citation


@dataclass
class Needs:
    """Sphere needs of the displaced population, site gaps, cold exposure and aid access."""

    people: float | None
    basis: KeyFigure | None
    phase: str
    climate: str
    lines: list[NeedLine]
    by_area: list[UnitNeeds]
    exposed: list[PopulationUnit]  # people without adequate shelter, per area or site
    exposed_from: str
    exposed_citation: Citation
    cold: list[ColdExposure]
    thresholds: tuple[float, ...]
    access: AccessReport
    notes: list[str] = field(default_factory=list)  # what is missing, and so not computed


@dataclass
class Sitrep:
    areas: tuple[Place, ...]  # the report covers their union
    name: str  # of the whole: the title given, else the areas' names joined ("Idleb and Aleppo")
    start: date
    end: date
    produced: date
    version: str
    strict_areas: bool
    highlights: list[str]
    key_figures: list[KeyFigure]
    headline: list[KeyFigure]
    events: EventSummary
    events_with_fatalities: int
    events_citation: Citation  # of every event of the period
    main_events: list[MainEvent]
    crossings: list[CrossingLine]
    agreements: list[AgreementLine]
    displacement: Displacement
    needs: Needs
    map: AreaMap
    sources: list[CitedSource]

    @property
    def title(self) -> str:
        return f"{self.name}: Flash Update"

    @property
    def pcodes(self) -> tuple[str, ...]:
        return tuple(area.pcode for area in self.areas)

    @property
    def default_name(self) -> str:
        """The name a report of these areas has without a title."""
        return joined_names(self.areas)

    @property
    def described(self) -> str:
        """'Idleb (SY07)'; 'Idleb (SY07), Aleppo (SY02)': each area by its name and p-code."""
        return ", ".join(f"{area.name_en} ({area.pcode})" for area in self.areas)

    @property
    def period(self) -> str:
        return period(self.start, self.end)

    @property
    def has_data(self) -> bool:
        return bool(self.key_figures or self.events.events or self.map.sites)

    def key_figure(self, metric: str) -> KeyFigure | None:
        """The front-page figure of ``metric``, if the report has one."""
        return next((k for k in self.headline if k.group.metric == metric), None)


def _trim(text: str | None) -> str | None:
    if not text or len(text) <= _NOTE_CHARS:
        return text
    return text[: text.rfind(" ", 0, _NOTE_CHARS)].rstrip(";,.") + " …"


def main_events(
    events: Sequence[Event], sources: SourceList, rules: ReconcileRules, limit: int = MAIN_EVENTS
) -> list[MainEvent]:
    """The period's events by fatalities (best), then date; an event several datasets report is one line."""
    items: list[MainEvent] = []
    grouped = reconcile_event_fatalities(events, rules)
    seen = {e.key for g in grouped for e in g.events}
    for g in grouped:
        first = g.events[0]
        items.append(
            MainEvent(
                g.day,
                max((e.date_end or e.date_start for e in g.events), default=None),
                g.place,
                first.sub_event_type or first.event_type,
                first.event_type,
                g.low,
                g.best,
                g.high,
                sources.cite([s for e in g.events for s in e.sources]),
                _trim(first.notes),
                len(g.events),
            )
        )
    for e in events:
        if e.key in seen:
            continue
        items.append(
            MainEvent(
                e.date_start,
                e.date_end,
                e.location_name or e.place_pcode or "place not given",
                e.sub_event_type or e.event_type,
                e.event_type,
                None,
                None,
                None,
                sources.cite(e.sources),
                _trim(e.notes),
                1,
            )
        )
    items.sort(key=lambda m: (m.best is None, -(m.best or 0), m.start))
    return items[:limit]


def _agreements(
    store: Store, start: date, end: date, sources: SourceList
) -> list[tuple[Agreement, AgreementLine]]:
    """Agreements in force at some time in the period, or signed in it, by the day they were signed."""
    pairs = []
    for a in store.list("agreement"):
        begins = a.effective_from.date() if a.effective_from else None
        ends = a.effective_to.date() if a.effective_to else None
        in_force = begins is not None and begins <= end and (ends is None or ends >= start)
        signed = a.signed_on is not None and start <= a.signed_on <= end
        if not (in_force or signed):
            continue
        if a.effective_from is None:
            force = "date of effect not given"
        elif ends is not None:
            force = f"in force {period(begins, ends)}"
        else:
            force = f"in force from {day(a.effective_from)}"
        line = AgreementLine(
            a.name,
            a.kind.value.replace("_", " "),
            a.parties,
            a.signed_on,
            force,
            in_force,
            signed,
            sources.cite(a.sources, a.signed_on),
        )
        pairs.append((a, line))
    return sorted(pairs, key=lambda pair: pair[1].signed_on or date.min)


def _crossings(store: Store, report: AccessReport, end: date, sources: SourceList) -> list[CrossingLine]:
    records = {c.key.record_id: c for c in store.list("crossing")}
    lines = []
    for row in report.crossings:
        crossing = records.get(row.crossing_id or "")
        status = crossing.status_on(end) if crossing else None
        changes = tuple(
            f"{s.status} from {day(s.valid_from)}"
            for s in row.statuses
            if report.start and s.valid_from >= report.start
        )
        lines.append(
            CrossingLine(
                row.name,
                status.status if status else None,
                row.days_open,
                row.days,
                changes,
                row.trucks,
                row.share_of_trucks,
                sources.cite(crossing.sources if crossing else []),
            )
        )
    return lines


def _displacement(
    store: Store,
    areas: Sequence[Place],
    name: str,
    start: date,
    end: date,
    figures: Sequence[Figure],
    displaced: KeyFigure | None,
    sources: SourceList,
    rules: ReconcileRules,
) -> Displacement:
    series, series_label, series_citation = None, "", Citation((), ())
    if displaced is not None and displaced.group.subgroup == "all":
        since = displaced.group.since
        reports = [
            f for f in figures if f.metric == "displaced" and f.subgroup == "all" and f.period_start == since
        ]
        try:
            series = cumulative_series(reports, "displaced", "all", since, rules=rules)
        except ValidationError:
            pass  # reports with no date to place them on: no series to draw
        else:
            named = "; ".join(dict.fromkeys(area_label(f) for f in reports))
            series_label = f"People displaced {f'since {day(since)}' if since else ''}, as reported ({named})"
            series_citation = sources.cite([s for f in reports for s in f.sources])
    movements = records_in(store, "movement", areas, start, end)
    level = min(int(a.level) for a in areas)
    table = flows_from_movements(movements, AdminIndex(store), level=level, start=start, end=end)
    if table.total <= 0:
        return Displacement(series, series_label, series_citation, None, "", Citation((), ()))
    return Displacement(
        series,
        series_label,
        series_citation,
        table,
        f"People displaced into {name} by month ({', '.join(table.datasets)})",
        sources.cite([s for m in movements for s in m.sources]),
    )


def _needs(
    store: Store,
    areas: Sequence[Place],
    start: date,
    end: date,
    figures: Sequence[Figure],
    displaced: KeyFigure | None,
    sources: SourceList,
    *,
    phase: str,
    climate: str,
    temperatures: TemperatureSeries | None,
) -> Needs:
    notes: list[str] = []
    standards = load_standards()
    people = displaced.best_value if displaced else None
    lines = []
    if people:
        lines = needs_for(people, standards, phase=phase, climate=climate, indicators=NEED_INDICATORS)
    else:
        notes.append("No figure of people displaced in the period: Sphere needs are not computed.")

    index = AdminIndex(store)
    codes = {a.pcode for a in areas}
    units = [u for u in site_units(store, end, level=3) if u.area and codes.intersection(index.chain(u.area))]
    by_area: list[UnitNeeds] = []
    counts_citation = Citation((), ())
    if units:
        names = {u.area: index.name(u.area) for u in units if u.area}
        by_area = unit_needs(
            aggregate_units(units, names), standards, phase=phase, climate=climate, indicators=NEED_INDICATORS
        )
        counts_citation = sources.cite(
            [s for _site, snap in latest_snapshots(store, end) for s in snap.sources], end
        )
    else:
        notes.append(
            f"No IDP site population counts on or before {day(end)}: needs and gaps per sub-district "
            "are not computed (import a CCCM site tracker: haven import cccm)."
        )

    sheltered = [u for u in units if u.inadequately_sheltered]
    if sheltered:
        exposed = aggregate_units(sheltered, {u.area: index.name(u.area) for u in sheltered if u.area})
        exposed_from, exposed_citation = "IDP site counts", counts_citation
    else:
        exposed = units_from_figures(figures, end)
        exposed_from = "reported figures"
        shelter = [f for f in figures if f.metric.startswith("displaced_shelter_")]
        exposed_citation = sources.cite([s for f in shelter for s in f.sources])
    cold: list[ColdExposure] = []
    if not exposed:
        notes.append(
            "No count of people in the open air, tents or unfinished buildings: cold risk is not assessed."
        )
    elif temperatures is None:
        notes.append(
            "No temperature series was given: nights below freezing are not counted "
            "(haven sitrep --temperatures FILE, or haven cold-risk)."
        )
    else:
        cold = cold_exposure(exposed, temperatures, start=start, end=end, index=index)
        if not any(c.nights for c in cold):
            notes.append("The temperature series has no days for these areas in the period.")

    deliveries = store.list("delivery", RecordFilter(start=start, end=end))
    report = access_report(
        store.list("crossing"), deliveries, start=start, end=end, people=people if deliveries else None
    )
    if not deliveries:
        notes.append(
            f"No aid deliveries are recorded for {period(start, end)}: trucks and coverage per crossing "
            "are not computed (haven import deliveries)."
        )
    return Needs(
        people,
        displaced,
        phase,
        climate,
        lines,
        by_area,
        exposed,
        exposed_from,
        exposed_citation,
        cold,
        DEFAULT_THRESHOLDS,
        report,
        notes,
    )


def build_sitrep(
    store: Store,
    area: str | Sequence[str],
    start: date,
    end: date,
    *,
    title: str | None = None,
    produced: date | None = None,
    strict_areas: bool = False,
    phase: str = "initial",
    climate: str = "temperate",
    temperatures: TemperatureSeries | None = None,
    rules: ReconcileRules | None = None,
    events_shown: int = MAIN_EVENTS,
) -> Sitrep:
    """The situation report of ``area`` from ``start`` to ``end``, both days included.

    ``area`` is a p-code, several p-codes (a sequence, or comma-separated): the report covers their union,
    named ``title`` ("Northwest Syria") or, without one, by the areas' names joined ("Idleb and Aleppo").
    """
    if end < start:
        raise ValidationError(f"to: {end} is before from: {start} (a period ends on or after its start)")
    if phase not in PHASES:
        raise ValidationError(f"phase: {phase!r} is not a phase (expected {' or '.join(PHASES)})")
    if climate not in CLIMATES:
        raise ValidationError(f"climate: {climate!r} is not a climate (expected {' or '.join(CLIMATES)})")
    places = report_places(store, area)
    name = report_name(title, places)
    rules = rules or ReconcileRules()
    sources = SourceList()
    index = AdminIndex(store)

    # A figure counted up to a day after the period (e.g. trucks Jan-May for a Dec-Mar report)
    # describes another period; one about the period but published later is kept.
    known_by_end = [
        figure
        for figure in store.list("figure", RecordFilter(start=start, end=end))
        if (figure.effective_date or end) <= end
    ]
    figures = figures_for_areas(known_by_end, places, index, strict_areas=strict_areas)
    every_figure = key_figures(figures, sources, rules)
    headline = headline_figures(every_figure)
    displaced = next((k for k in headline if k.group.metric == "displaced"), None)

    events = records_in(store, "event", places, start, end)
    events_citation = sources.cite([s for e in events for s in e.sources])
    shown = main_events(events, sources, rules, events_shown)
    needs = _needs(
        store,
        places,
        start,
        end,
        figures,
        displaced,
        sources,
        phase=phase,
        climate=climate,
        temperatures=temperatures,
    )
    crossings = _crossings(store, needs.access, end, sources)
    agreements = _agreements(store, start, end, sources)
    area_map = build_area_map(store, places, events, [a for a, _ in agreements], end)
    displacement = _displacement(store, places, name, start, end, figures, displaced, sources, rules)

    report = Sitrep(
        areas=places,
        name=name,
        start=start,
        end=end,
        produced=produced or date.today(),
        version=__version__,
        strict_areas=strict_areas,
        highlights=[],
        key_figures=every_figure,
        headline=headline,
        events=summarise_events(events),
        events_with_fatalities=sum(1 for e in events if e.fatalities.is_known),
        events_citation=events_citation,
        main_events=shown,
        crossings=crossings,
        agreements=[line for _, line in agreements],
        displacement=displacement,
        needs=needs,
        map=area_map,
        sources=sources.entries,
    )
    report.highlights = highlights(report)
    return report


__all__ = [
    "NEED_INDICATORS",
    "AgreementLine",
    "CrossingLine",
    "Displacement",
    "MainEvent",
    "Needs",
    "Sitrep",
    "build_sitrep",
    "main_events",
]
