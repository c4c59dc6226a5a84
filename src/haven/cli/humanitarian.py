"""``haven flows``, ``haven figures reconcile``, ``haven needs``, ``haven cold-risk``, ``haven access``.

Each command parses its options, calls one function of ``haven.analysis`` and prints a table, or
JSON with ``--json``. ``reconcile`` is a plain function, attached to the ``figures`` sub-app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from haven.analysis.access import DEFAULT_TONNES_PER_TRUCK, KCAL_PER_KG_DRY_RATION, KCAL_PER_PERSON_DAY
from haven.analysis.access import access as access_report
from haven.analysis.cold import DEFAULT_UNDER_FIVE_SHARE, cold_by_area, cold_exposure, units_from_figures
from haven.analysis.flows import AdminIndex, check_hnap, net_change
from haven.analysis.flows import flows as flow_table
from haven.analysis.needs import load_standards, needs_by_area, needs_for, site_units
from haven.analysis.reconcile import (
    RULES,
    ReconcileRules,
    reconcile_event_fatalities,
    reconcile_figures,
)
from haven.analysis.series import cumulative_series, plot_series
from haven.cli.common import FromOption, JsonOption, ToOption, open_store, parse_day
from haven.cli.output import console, print_json, print_table
from haven.errors import HavenError
from haven.io.temperature import read_temperatures
from haven.model import Reliability
from haven.services.answers import flows_answer, reconcile_answer
from haven.store import RecordFilter


def _n(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.1f}"


# ---------------------------------------------------------------- flows
def flows(
    ctx: typer.Context,
    level: Annotated[int, typer.Option(help="Admin level to aggregate to: 0-4 (4 = communities).")] = 1,
    by: Annotated[str, typer.Option(help="Bins: day, week, month or all.")] = "month",
    start: FromOption = None,
    end: ToOption = None,
    area: Annotated[str | None, typer.Option(help="P-code: movements into this unit or below it.")] = None,
    dataset: Annotated[str | None, typer.Option(help="Only this dataset (datasets can overlap).")] = None,
    top: Annotated[int, typer.Option(help="Show the top N origins and destinations.")] = 10,
    cumulative: Annotated[bool, typer.Option(help="Show running totals since --from.")] = False,
    net: Annotated[bool, typer.Option(help="Show the net change per place instead.")] = False,
    hnap_check: Annotated[
        bool, typer.Option("--check-hnap", help="Check the HNAP OD matrix against the community arrivals.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Displacement flows, origin to destination, at an admin level and by day, week or month."""
    store = open_store(ctx)
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if hnap_check:
        checks = check_hnap(store)
        if as_json:
            print_json([{**vars(c), "agrees": c.agrees} for c in checks])
            return
        rows = [
            (
                c.pcode,
                c.name,
                _n(c.od_matrix),
                _n(c.communities),
                _n(c.haven_od),
                _n(c.haven_communities),
                c.agrees,
            )
            for c in checks
        ]
        print_table(
            "HNAP: OD matrix vs community arrivals vs Haven's flows, per destination governorate",
            [
                "p-code",
                "governorate",
                "OD matrix",
                "communities",
                "Haven (OD)",
                "Haven (communities)",
                "agree",
            ],
            rows,
        )
        return
    if net:
        changes = net_change(store, level=level, start=first, end=last, dataset=dataset)
        if as_json:
            print_json([{**vars(c), "net": c.net} for c in changes])
            return
        print_table(
            f"Net change per place (admin level {level})",
            ["p-code", "name", "arrived", "left", "returned", "net"],
            [(c.pcode, c.name, _n(c.arrived), _n(c.left), _n(c.returned), _n(c.net)) for c in changes[:top]],
        )
        return
    table = flow_table(store, level=level, freq=by, start=first, end=last, area=area, dataset=dataset)
    if as_json:
        print_json(flows_answer(table, top))
        return

    def name(code: str | None) -> str:
        return "unknown" if code is None else f"{table.names.get(code, code)} ({code})"

    caption = f"datasets: {', '.join(table.datasets) or 'none'}; total {_n(table.total)} people"
    if cumulative:
        print_table(
            f"Cumulative displacement since {first or 'the first movement'}",
            ["period", "people", "cumulative"],
            [
                (p, _n(v), _n(c))
                for (p, v), (_, c) in zip(table.by_period().items(), table.cumulative(), strict=True)
            ],
            caption=caption,
        )
        return
    flow_rows: list[tuple[Any, ...]] = [
        (
            c.period_start or "all",
            name(c.origin),
            name(c.destination),
            _n(c.individuals),
            _n(c.children),
            _n(c.women),
        )
        for c in table.cells
    ]
    print_table(
        f"Flows at admin level {level}, by {by}",
        ["period", "from", "to", "individuals", "children", "women"],
        flow_rows[:500],
        caption=caption
        + ("" if len(flow_rows) <= 500 else f"; first 500 of {len(flow_rows):,} rows (use --json)"),
    )
    print_table(
        "Top origins", ["origin", "individuals"], [(name(c), _n(v)) for c, v in table.top("origin", top)]
    )
    print_table(
        "Top destinations",
        ["destination", "individuals"],
        [(name(c), _n(v)) for c, v in table.top("destination", top)],
    )


# ---------------------------------------------------------------- reconcile
def _grades(values: list[str] | None) -> dict[str, Reliability]:
    grades: dict[str, Reliability] = {}
    for value in values or []:
        publisher, _, grade = value.rpartition("=")
        if not publisher or grade.upper() not in Reliability.__members__:
            raise HavenError(
                f"--grade {value!r}: expected PUBLISHER=GRADE with a grade from A to F, e.g. OCHA=A"
            )
        grades[publisher] = Reliability(grade.upper())
    return grades


def reconcile(
    ctx: typer.Context,
    metrics: Annotated[
        list[str] | None, typer.Option("--metric", help="Only this metric. Repeatable.")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    area: Annotated[str | None, typer.Option(help="P-code: figures for this area or below it.")] = None,
    rules: Annotated[
        str, typer.Option(help=f"Order of the best-value rules, comma-separated: {', '.join(RULES)}.")
    ] = ",".join(RULES),
    tolerance: Annotated[float, typer.Option(help="Relative spread beyond which reports contradict.")] = 0.2,
    days: Annotated[int, typer.Option(help="Days apart that still count as the same date.")] = 3,
    grade: Annotated[
        list[str] | None,
        typer.Option(help="PUBLISHER=GRADE (A-F) overriding a source's reliability. Repeatable."),
    ] = None,
    strict_areas: Annotated[bool, typer.Option(help="Never match an area named only in words.")] = False,
    ignore_qualifiers: Annotated[
        bool, typer.Option(help="Do not bound the best value by over/almost.")
    ] = False,
    contradictions: Annotated[bool, typer.Option(help="Only groups whose reports contradict.")] = False,
    all_groups: Annotated[
        bool, typer.Option("--all", help="Also one-off figures outside any series.")
    ] = False,
    events: Annotated[bool, typer.Option(help="Also reconcile event fatalities.")] = True,
    chart: Annotated[
        Path | None, typer.Option(help="Draw the daily series of the first --metric (PNG or SVG).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Reconcile reported figures (and event fatalities): range, best value, contradictions, sources."""
    config = ReconcileRules(
        order=tuple(r.strip() for r in rules.split(",") if r.strip()),
        date_tolerance_days=days,
        spread_tolerance=tolerance,
        respect_qualifiers=not ignore_qualifiers,
        area_match="strict" if strict_areas else "loose",
        publisher_grades=_grades(grade),
    )
    store = open_store(ctx)
    where = RecordFilter(start=parse_day(start, "--from"), end=parse_day(end, "--to"), area=area)
    figures = store.list("figure", where)
    groups = reconcile_figures(
        figures,
        config,
        metrics=tuple(metrics or ()),
        contradictions_only=contradictions,
        informative_only=not all_groups and not metrics,
    )
    fatalities = reconcile_event_fatalities(
        store.list("event", where), config, contradictions_only=contradictions
    )
    if not events:
        fatalities = []
    if chart is not None:
        series = cumulative_series(figures, (metrics or ["displaced"])[0], rules=config)
        plot_series(series, chart)
    if as_json:
        print_json({**reconcile_answer(config, groups, fatalities), "chart": str(chart) if chart else None})
        return
    rows = []
    for g in groups:
        reports = "; ".join(
            f"{f.key.record_id} {f.qualifier.value.replace('_', ' ')} {f.value:,.0f} "
            f"({', '.join(s.publisher for s in f.sources)}, {f.reported_on or '?'})"
            for f in g.reports
        )
        day = f"{g.first_day}" + (f" – {g.last_day}" if g.last_day != g.first_day else "")
        rows.append(
            (
                g.label,
                g.since or "",
                day,
                g.range_text(),
                g.best_text(),
                f"{g.spread:.0%}",
                "CONTRADICTION: " + " | ".join(g.flags) if g.contradiction else " | ".join(g.flags),
                reports,
            )
        )
    print_table(
        f"Reported figures reconciled ({len(groups)} groups; rules {' > '.join(config.order)})",
        ["metric", "counted since", "as of", "range", "best", "spread", "flags", "every report"],
        rows,
    )
    if fatalities:
        print_table(
            "Event fatalities reported by several sources",
            ["date", "place", "low", "best", "high", "counts named in notes", "flags", "sources"],
            [
                (
                    r.day,
                    r.place,
                    _n(r.low),
                    _n(r.best),
                    _n(r.high),
                    "; ".join(f"{noun}: {', '.join(map(str, v))}" for noun, v in r.counts_by_noun.items()),
                    " | ".join(r.flags),
                    "; ".join(sorted({s.publisher for e in r.events for s in e.sources})),
                )
                for r in fatalities
            ],
        )
    if chart is not None:
        console.print(f"chart written to {chart}")


# ---------------------------------------------------------------- needs
def needs(
    ctx: typer.Context,
    people: Annotated[
        float | None, typer.Option(help="Needs of this many people (no database needed).")
    ] = None,
    phase: Annotated[
        str, typer.Option(help="initial or later (latrines 1:50 at first, 1:20 later).")
    ] = "initial",
    climate: Annotated[
        str, typer.Option(help="temperate or cold (covered space 3.5 or 4.5-5.5 m2).")
    ] = "temperate",
    household_size: Annotated[float, typer.Option(help="People per household.")] = 5.0,
    standards: Annotated[
        Path | None, typer.Option(help="Your own standards table (CSV, same columns as the shipped one).")
    ] = None,
    as_of: Annotated[str | None, typer.Option(help="Latest site snapshots on or before this day.")] = None,
    level: Annotated[int, typer.Option(help="Admin level of the areas (1-3).")] = 3,
    sites: Annotated[bool, typer.Option(help="Per site instead of per area.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Needs by the Sphere minimum standards, for a number of people or per site and area."""
    table = load_standards(standards)
    if people is not None:
        lines = needs_for(people, table, phase=phase, climate=climate, household_size=household_size)
        if as_json:
            print_json({"people": people, "phase": phase, "climate": climate, "needs": lines})
            return
        print_table(
            f"Needs of {people:,.0f} people ({phase} phase, {climate} climate)",
            ["indicator", "need", "standard value", "Sphere standard"],
            [(x.indicator, x.text(), x.standard.describe(), x.standard.standard) for x in lines],
            caption="Sphere Handbook 2018; edit or replace the table with --standards",
        )
        return
    store = open_store(ctx)
    results = needs_by_area(
        store,
        as_of=parse_day(as_of, "--as-of"),
        level=level,
        standards=table,
        phase=phase,
        climate=climate,
        household_size=household_size,
        sites=sites,
    )
    if not results:
        raise HavenError("no site has a population snapshot: import a CCCM site tracker, or give --people")
    if as_json:
        print_json(results)
        return
    wanted = ("water", "people_per_latrine", "people_per_tap", "covered_space")
    rows = []
    for r in results:
        shown = {x.indicator: x.text() for x in r.lines if x.indicator in wanted}
        rows.append(
            (
                f"{r.unit.name} ({r.unit.code})",
                _n(r.unit.people),
                _n(r.unit.inadequately_sheltered),
                *(shown.get(w, "") for w in wanted),
                _n(r.covered_space_gap_m2),
            )
        )
    print_table(
        f"Needs per {'site' if sites else f'admin{level} area'} ({phase} phase, {climate} climate)",
        [
            "unit",
            "people",
            "inadequate shelter",
            "water",
            "latrines",
            "taps",
            "covered space",
            "space gap m2",
        ],
        rows,
        caption="Sphere 2018: Water supply standard 2.1; Excreta management standard 3.2; Shelter standard 3",
    )


# ---------------------------------------------------------------- cold risk
def cold_risk(
    ctx: typer.Context,
    temperatures: Annotated[Path, typer.Argument(help="CSV with place, date, min, max (°C).")],
    below: Annotated[
        list[float] | None, typer.Option(help="Threshold in °C. Repeatable [default: 0, -5].")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    as_of: Annotated[str | None, typer.Option(help="Shelter data on or before this day.")] = None,
    level: Annotated[int, typer.Option(help="Admin level of the areas (1-3).")] = 3,
    under_five_share: Annotated[
        float, typer.Option(help="Share of exposed people under five, when a unit gives none.")
    ] = DEFAULT_UNDER_FIVE_SHARE,
    sites: Annotated[bool, typer.Option(help="Rank sites instead of areas.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Person-nights below freezing for people in the open air, tents and unfinished buildings."""
    store = open_store(ctx)
    series = read_temperatures(temperatures)
    thresholds = tuple(below or (0.0, -5.0))
    day = parse_day(as_of, "--as-of")
    units = site_units(store, day, level)
    index = AdminIndex(store)
    options: dict[str, Any] = {
        "thresholds": thresholds,
        "start": parse_day(start, "--from"),
        "end": parse_day(end, "--to"),
        "under_five_share": under_five_share,
    }
    source = "site snapshots"
    if not any(u.inadequately_sheltered for u in units):
        units = units_from_figures(store.list("figure"), day)
        source = "reported figures (displaced_shelter_*)"
        results = cold_exposure(units, series, index=index, **options)
    elif sites:
        results = cold_exposure(units, series, index=index, **options)
    else:
        results = cold_by_area(units, series, index, **options)
    if as_json:
        print_json({"exposure_from": source, "under_five_share": under_five_share, "units": results})
        return
    columns = ["unit", "without adequate shelter", "temperatures of", "coldest °C"]
    for t in thresholds:
        columns += [f"nights < {t:g}", f"person-nights < {t:g}", f"under five < {t:g}"]
    rows = []
    for r in results:
        row: list[Any] = [f"{r.unit.name} ({r.unit.code})", _n(r.unit.inadequately_sheltered)]
        row += [r.temperature_place or "no temperatures", "" if r.coldest is None else f"{r.coldest:g}"]
        for t in thresholds:
            row += [
                r.nights_below.get(t, 0),
                _n(r.person_nights.get(t)),
                _n(r.under_five_person_nights.get(t)),
            ]
        rows.append(row)
    estimated = any(r.under_five_estimated for r in results)
    print_table(
        "Cold-weather risk, ranked",
        columns,
        rows,
        caption=f"exposure from {source}"
        + (f"; under-fives estimated at {under_five_share:.0%} of the exposed" if estimated else ""),
    )


# ---------------------------------------------------------------- access
def access(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    people: Annotated[float | None, typer.Option(help="People to feed: food coverage of the period.")] = None,
    tonnes_per_truck: Annotated[
        float, typer.Option(help="Tonnes a truck carries when a delivery gives none.")
    ] = DEFAULT_TONNES_PER_TRUCK,
    kg_per_person_day: Annotated[
        float, typer.Option(help="Food a person needs a day, kg (2,100 kcal of dry rations).")
    ] = KCAL_PER_PERSON_DAY / KCAL_PER_KG_DRY_RATION,
    dataset: Annotated[str | None, typer.Option(help="Only deliveries of this dataset.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Crossings and their status, deliveries, food coverage and what closing a crossing would cut."""
    store = open_store(ctx)
    report = access_report(
        store,
        start=parse_day(start, "--from"),
        end=parse_day(end, "--to"),
        people=people,
        dataset=dataset,
        tonnes_per_truck=tonnes_per_truck,
        kg_per_person_day=kg_per_person_day,
    )
    if as_json:
        print_json(report)
        return
    print_table(
        f"Crossings and deliveries, {report.start or '?'} to {report.end or '?'}",
        ["crossing", "status in the period", "days open", "trucks", "tonnes", "closing it would cut"],
        [
            (
                c.name,
                "; ".join(f"{s.status} from {s.valid_from}" for s in c.statuses) or "no status on record",
                "" if c.days_open is None else f"{c.days_open} of {c.days}",
                f"{c.trucks:,}",
                _n(c.tonnage),
                f"{c.share_of_trucks:.0%} of trucks, {c.share_of_tonnage:.0%} of tonnes",
            )
            for c in report.crossings
        ],
        caption=f"{report.trucks:,} trucks; a closure's share assumes nothing is rerouted",
    )
    if report.by_sector:
        print_table(
            "Trucks by sector", ["sector", "trucks"], [(s, f"{n:,}") for s, n in report.by_sector.items()]
        )
    if report.coverage is not None:
        c = report.coverage
        print_table(
            "Food coverage",
            ["people", "days", "needed t", "delivered t", "coverage", "trucks needed"],
            [
                (
                    _n(c.people),
                    c.days,
                    _n(c.needed_tonnes),
                    _n(c.delivered_tonnes),
                    f"{c.coverage:.0%}",
                    _n(c.trucks_needed),
                )
            ],
            caption=f"{c.kg_per_person_day:.2f} kg a person a day; "
            f"{c.tonnes_per_truck:g} t a truck when not given",
        )


__all__ = ["access", "cold_risk", "flows", "needs", "reconcile"]
