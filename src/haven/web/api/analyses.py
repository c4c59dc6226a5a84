"""Analyses: the answers of ``haven figures reconcile``, ``flows``, ``needs``, ``access``,
``profile border``, ``compliance`` and ``overview``, as JSON.

Each route checks its parameters, calls the same library function as the CLI command and returns the
answer in the shape the command's ``--json`` prints (:mod:`haven.services.answers`). ``cold-risk`` is not
here: it needs a temperature file, and temperatures are not kept in the database.

Two answers name event locations and are coarsened for the public like the records: compliance
violations (their points and location names) and reconciled event fatalities (their place). The border
profile counts sites and events per distance band; band edges finer than half the public grid could
place them by differencing, so the public may only use edges in those steps.
"""

from __future__ import annotations

import itertools
import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from haven.analysis.access import DEFAULT_TONNES_PER_TRUCK, KCAL_PER_KG_DRY_RATION, KCAL_PER_PERSON_DAY
from haven.analysis.access import access as access_report
from haven.analysis.compliance import compliance_report
from haven.analysis.flows import check_hnap, net_change
from haven.analysis.flows import flows as flow_table
from haven.analysis.needs import needs_by_area, needs_for
from haven.analysis.reconcile import RULES, ReconcileRules, reconcile_event_fatalities, reconcile_figures
from haven.geo.profile import DEFAULT_BANDS_KM, border_profile
from haven.model import Event, RecordKey, Reliability, User
from haven.services.answers import flows_answer, overview_answer, reconcile_answer
from haven.services.overview import build_overview
from haven.services.serialize import to_jsonable
from haven.store import RecordFilter, Store
from haven.web.api.common import (
    ERRORS,
    Area,
    Dataset,
    Day,
    End,
    Start,
    Word,
    check_area,
    check_period,
    event_needs_coarsening,
    exact,
    parameter_error,
    published_point,
)
from haven.web.auth import CurrentUser
from haven.web.deps import SettingsDep, StoreDep
from haven.web.settings import WebSettings

router = APIRouter(tags=["analyses"], responses=ERRORS)

Phase = Literal["initial", "later"]
Climate = Literal["temperate", "cold"]
Frequency = Literal["day", "week", "month", "all"]


def _number(**options: Any) -> Any:
    """A finite number query parameter (``nan`` and ``inf`` are refused by name)."""
    return Query(allow_inf_nan=False, **options)


# ---------------------------------------------------------------- reconcile
def _grades(values: list[str]) -> dict[str, Reliability]:
    grades: dict[str, Reliability] = {}
    for value in values:
        publisher, _, grade = value.rpartition("=")
        if not publisher or grade.upper() not in Reliability.__members__:
            raise parameter_error(
                "grade", f"{value!r}: expected PUBLISHER=GRADE with a grade from A to F, e.g. OCHA=A", value
            )
        grades[publisher] = Reliability(grade.upper())
    return grades


def _rule_order(rules: str) -> tuple[str, ...]:
    order = tuple(r.strip() for r in rules.split(",") if r.strip())
    unknown = [r for r in order if r not in RULES]
    if unknown or not order:
        raise parameter_error(
            "rules", f"expected some of {', '.join(RULES)}, comma-separated; got {rules!r}", rules
        )
    return order


@router.get("/figures/reconcile", summary="Reconcile reported figures and event fatalities")
def reconcile(
    store: StoreDep,
    user: CurrentUser,
    metric: Annotated[list[Word] | None, Query(description="Only this metric; repeatable.")] = None,
    start: Start = None,
    end: End = None,
    area: Area = None,
    rules: Annotated[
        str, Query(max_length=100, description=f"Order of the best-value rules: {', '.join(RULES)}.")
    ] = ",".join(RULES),
    tolerance: Annotated[
        float, _number(ge=0, lt=1, description="Relative spread beyond which reports contradict.")
    ] = 0.2,
    days: Annotated[
        int, Query(ge=0, le=366, description="Days apart that still count as the same date.")
    ] = 3,
    grade: Annotated[
        list[Word] | None, Query(description="PUBLISHER=GRADE (A-F) overriding a source's reliability.")
    ] = None,
    strict_areas: Annotated[bool, Query(description="Never match an area named only in words.")] = False,
    ignore_qualifiers: Annotated[
        bool, Query(description="Do not bound the best value by over/almost.")
    ] = False,
    contradictions: Annotated[bool, Query(description="Only groups whose reports contradict.")] = False,
    all_groups: Annotated[
        bool, Query(alias="all", description="Also one-off figures outside any series.")
    ] = False,
    events: Annotated[bool, Query(description="Also reconcile event fatalities.")] = True,
) -> dict[str, Any]:
    """Range, best value, contradictions and every report with its sources (``haven figures reconcile``)."""
    check_period(start, end)
    config = ReconcileRules(
        order=_rule_order(rules),
        date_tolerance_days=days,
        spread_tolerance=tolerance,
        respect_qualifiers=not ignore_qualifiers,
        area_match="strict" if strict_areas else "loose",
        publisher_grades=_grades(grade or []),
    )
    where = RecordFilter(start=start, end=end, area=check_area(store, area))
    groups = reconcile_figures(
        store.list("figure", where),
        config,
        metrics=tuple(metric or ()),
        contradictions_only=contradictions,
        informative_only=not all_groups and not metric,
    )
    fatalities = (
        reconcile_event_fatalities(store.list("event", where), config, contradictions_only=contradictions)
        if events
        else []
    )
    answer = to_jsonable(reconcile_answer(config, groups, fatalities))
    if not exact(user):
        for group, row in zip(fatalities, answer["events"], strict=True):
            if any(event_needs_coarsening(e, user) for e in group.events):
                # the place is the first event's location name: free text, withheld like the record's
                row["place"] = group.events[0].place_pcode
                row["withheld"] = ["place"]
    return answer


# ---------------------------------------------------------------- flows
Level = Annotated[int, Query(ge=0, le=4, description="Admin level to aggregate to: 0-4 (4 = communities).")]


@router.get("/flows", summary="Displacement flows, origin to destination")
def flows(
    store: StoreDep,
    level: Level = 1,
    by: Annotated[Frequency, Query(description="Bins: day, week, month or all.")] = "month",
    start: Start = None,
    end: End = None,
    area: Area = None,
    dataset: Dataset = None,
    top: Annotated[int, Query(ge=1, le=1000, description="The top N origins and destinations.")] = 10,
) -> dict[str, Any]:
    """Flows at an admin level and by day, week or month, with running totals, like ``haven flows --json``."""
    check_period(start, end)
    table = flow_table(
        store, level=level, freq=by, start=start, end=end, area=check_area(store, area), dataset=dataset
    )
    return to_jsonable(flows_answer(table, top))


@router.get("/flows/net", summary="Net change of people per place")
def flows_net(
    store: StoreDep,
    level: Level = 1,
    start: Start = None,
    end: End = None,
    dataset: Dataset = None,
) -> list[dict[str, Any]]:
    """Per place: people arrived, left and returned, largest net change first (``haven flows --net``)."""
    check_period(start, end)
    changes = net_change(store, level=level, start=start, end=end, dataset=dataset)
    return [to_jsonable({**vars(c), "net": c.net}) for c in changes]


@router.get("/flows/hnap-check", summary="Check the HNAP OD matrix against the community arrivals")
def flows_hnap_check(store: StoreDep) -> list[dict[str, Any]]:
    """Per destination governorate: the OD matrix, the community arrivals and Haven's flows of both."""
    return [to_jsonable({**vars(c), "agrees": c.agrees}) for c in check_hnap(store)]


# ---------------------------------------------------------------- needs
HouseholdSize = Annotated[float, _number(gt=0, le=100, description="People per household.")]


@router.get("/needs", summary="Needs per area or site by the Sphere standards")
def needs(
    store: StoreDep,
    as_of: Annotated[Day | None, Query(description="Latest site snapshots on or before this day.")] = None,
    level: Annotated[int, Query(ge=1, le=3, description="Admin level of the areas (1-3).")] = 3,
    phase: Annotated[
        Phase, Query(description="initial or later (latrines 1:50 at first, 1:20 later).")
    ] = "initial",
    climate: Annotated[Climate, Query(description="temperate or cold (covered space).")] = "temperate",
    household_size: HouseholdSize = 5.0,
    sites: Annotated[bool, Query(description="Per site instead of per area.")] = False,
) -> dict[str, Any]:
    """Needs from the latest site population snapshots, like ``haven needs --json`` (``units``)."""
    units = needs_by_area(
        store,
        as_of=as_of,
        level=level,
        phase=phase,
        climate=climate,
        household_size=household_size,
        sites=sites,
    )
    answer: dict[str, Any] = {
        "as_of": as_of,
        "level": level,
        "phase": phase,
        "climate": climate,
        "sites": sites,
        "units": units,
    }
    if not units:
        answer["note"] = "no site has a population snapshot: import a CCCM site tracker"
    return to_jsonable(answer)


@router.get("/needs/for", summary="Needs of a number of people by the Sphere standards")
def needs_of_people(
    people: Annotated[float, _number(ge=0, le=1e10, description="How many people.")],
    phase: Annotated[Phase, Query()] = "initial",
    climate: Annotated[Climate, Query()] = "temperate",
    household_size: HouseholdSize = 5.0,
) -> dict[str, Any]:
    """Water, latrines, taps, covered space … for ``people``, like ``haven needs --people N --json``."""
    lines = needs_for(people, phase=phase, climate=climate, household_size=household_size)
    return to_jsonable({"people": people, "phase": phase, "climate": climate, "needs": lines})


# ---------------------------------------------------------------- access
@router.get("/access", summary="Crossings, deliveries and food coverage")
def access(
    store: StoreDep,
    start: Start = None,
    end: End = None,
    people: Annotated[float | None, _number(ge=0, le=1e10, description="People to feed.")] = None,
    tonnes_per_truck: Annotated[
        float, _number(gt=0, le=1000, description="Tonnes a truck carries when a delivery gives none.")
    ] = DEFAULT_TONNES_PER_TRUCK,
    kg_per_person_day: Annotated[
        float, _number(gt=0, le=100, description="Food a person needs a day, kg.")
    ] = KCAL_PER_PERSON_DAY / KCAL_PER_KG_DRY_RATION,
    dataset: Dataset = None,
) -> dict[str, Any]:
    """Crossings and their status, trucks, tonnage and what closing each would cut, like ``haven access``."""
    check_period(start, end)
    report = access_report(
        store,
        start=start,
        end=end,
        people=people,
        dataset=dataset,
        tonnes_per_truck=tonnes_per_truck,
        kg_per_person_day=kg_per_person_day,
    )
    return to_jsonable(report)


# ---------------------------------------------------------------- border profile
def _bands(text: str, user: User, settings: WebSettings) -> list[float]:
    try:
        edges = [float(b) for b in text.split(",")]
    except ValueError:
        raise parameter_error(
            "bands", f"{text!r} is not a list of numbers (expected e.g. 0,5,10,20)", text
        ) from None
    if len(edges) < 2 or any(not math.isfinite(e) for e in edges) or edges[0] < 0:
        raise parameter_error("bands", "expected two or more increasing distances from 0 km", text)
    if any(b <= a for a, b in itertools.pairwise(edges)):
        raise parameter_error("bands", "expected two or more increasing distances from 0 km", text)
    step = settings.public_grid_km / 2
    if not exact(user) and any(abs(e / step - round(e / step)) > 1e-9 for e in edges):
        raise parameter_error(
            "bands",
            f"anonymous requests may use band edges in steps of {step:g} km (half the public grid), so that "
            "counts of sites and events cannot place them more finely than the public map; "
            "sign in for finer bands",
            text,
        )
    return edges


@router.get("/profile/border", summary="People, IDPs, sites and events by distance from a border")
def profile_border(
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    line: Annotated[
        str, Query(min_length=1, max_length=200, description="The line zone to measure from.")
    ] = ("turkey-syria-border"),
    bands: Annotated[str, Query(max_length=500, description="Band edges in km, comma-separated.")] = ",".join(
        f"{b:g}" for b in DEFAULT_BANDS_KM
    ),
    within: Annotated[
        str | None, Query(min_length=1, max_length=40, description="Count only inside this p-code.")
    ] = "SY",
    start: Start = None,
    end: End = None,
) -> dict[str, Any]:
    """Per distance band (geodesic): communities, population, IDPs, sites, events, fatalities."""
    check_period(start, end)
    edges = _bands(bands, user, settings)
    zone = store.zone(line)
    if zone.geometry.geom_type not in ("LineString", "MultiLineString"):
        raise parameter_error("line", f"zone {line!r} is a {zone.geometry.geom_type}, not a line", line)
    result = border_profile(store, line, edges, within=within, start=start, end=end)
    return to_jsonable(result)


# ---------------------------------------------------------------- compliance
def _coarsen_violations(store: Store, answer: dict[str, Any], user: User, settings: WebSettings) -> None:
    keys = [RecordKey(*v["key"].split(":", 1)) for v in answer["violations"]]
    events: dict[RecordKey, Event] = {key: store.get("event", key) for key in set(keys)}
    for key, violation in zip(keys, answer["violations"], strict=True):
        event = events[key]
        if event_needs_coarsening(event, user):
            point, precision = published_point(event, user, settings)
            violation["lon"], violation["lat"] = point if point else (None, None)
            violation["location_precision"] = precision
            violation["location"] = None
            violation["withheld"] = ["location"]


@router.get("/compliance/{agreement}", summary="Was an agreement kept inside its area?")
def compliance(
    agreement: Annotated[
        str, Path(min_length=1, max_length=200, description="Agreement id, e.g. A4 (or dataset:id).")
    ],
    store: StoreDep,
    settings: SettingsDep,
    user: CurrentUser,
    zone: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Use this zone as the area.")
    ] = None,
    before_days: Annotated[int, Query(ge=0, le=3650, description="Days before the effective day.")] = 30,
    end: End = None,
) -> dict[str, Any]:
    """Events inside the area before and after the agreement took effect; violations; a daily series."""
    report = compliance_report(store, agreement, zone=zone, before_days=before_days, end=end)
    answer: dict[str, Any] = to_jsonable(report)
    if not exact(user):
        _coarsen_violations(store, answer, user, settings)
    return answer


# ---------------------------------------------------------------- overview
@router.get("/overview", summary="Key figures for an area and period")
def overview(
    store: StoreDep,
    start: Start = None,
    end: End = None,
    area: Area = None,
    figures: Annotated[
        Literal["latest", "all"],
        Query(description="latest: the latest report of each group of figures; all: every report."),
    ] = "latest",
) -> dict[str, Any]:
    """Events by type with fatalities, figures, displacement, sites, agreements, crossings; with sources."""
    check_period(start, end)
    result = build_overview(store, start, end, check_area(store, area))
    return to_jsonable(overview_answer(result, figures))


__all__ = ["router"]
