"""Agreement compliance: was a ceasefire kept inside its area, was a deadline met?

For an agreement with an area (its geometry, its recipe rebuilt, or a zone given instead) and an
effective time, the report counts the events inside the area by each actor before and after, lists the
violations (violent events inside the area after the effective time), gives a daily series and the time
to the first violation. For a deadline it gives the state at the deadline: what happened inside the area
in the week before and the week after.

Events are dated by day. An event on the day an agreement took effect counts as after it when the
agreement took effect in that day's first minute (the Moscow protocol: 00:01 on 6 March 2020); otherwise
it is listed apart as "on the effective day", neither before nor after. Events a reviewer rejected and
events without coordinates are left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from haven.errors import NotFoundError, ValidationError
from haven.geo.inside import area_km2
from haven.geo.zones import rebuild
from haven.model import Agreement, AgreementKind
from haven.store import Store

VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
_COLUMNS = (
    "dataset", "record_id", "date_start", "event_type", "sub_event_type", "actor1", "actor2",
    "location_name", "lon", "lat", "fatalities_best", "status",
)  # fmt: skip
_FIRST_MINUTE = time(0, 1)


@dataclass(frozen=True)
class Violation:
    key: str
    day: date
    event_type: str
    sub_event_type: str | None
    actor1: str | None
    actor2: str | None
    location: str | None
    lon: float
    lat: float
    fatalities_best: float | None


@dataclass(frozen=True)
class DayCount:
    day: date
    events: int
    violent_events: int
    fatalities_best: float


@dataclass(frozen=True)
class DeadlineState:
    deadline: datetime
    events_week_before: int
    events_week_after: int
    by_actor_week_before: dict[str, int]
    by_actor_week_after: dict[str, int]
    territory_changes_after: int  # "Government regains territory" / "Non-state actor overtakes territory"


@dataclass(frozen=True)
class ComplianceReport:
    agreement: str
    name: str
    kind: str
    parties: tuple[str, ...]
    area: str  # where the area came from
    area_km2: float
    effective_from: datetime
    effective_to: datetime | None
    start: date  # the report covers [start, end]
    end: date
    events_before: int
    events_after: int
    events_on_effective_day: int  # neither before nor after (the agreement took effect later that day)
    by_actor: dict[str, dict[str, int]]  # actor1 -> {"before": n, "after": n}
    violations: list[Violation]
    daily: list[DayCount]
    first_violation: date | None
    days_to_first_violation: int | None  # whole days from the effective day; 0 = the same day
    deadline: DeadlineState | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def find_agreement(store: Store, agreement_id: str) -> Agreement:
    """An agreement by its id (``A4``), or ``dataset:id`` when several datasets use the id."""
    dataset, _, record_id = agreement_id.rpartition(":")
    found = [
        a
        for a in store.list("agreement")
        if a.key.record_id == record_id and (not dataset or a.key.dataset == dataset)
    ]
    if not found:
        known = ", ".join(sorted(a.key.record_id for a in store.list("agreement"))) or "none loaded"
        raise NotFoundError(f"no agreement {agreement_id!r} (agreements: {known})")
    if len(found) > 1:
        keys = ", ".join(str(a.key) for a in found)
        raise ValidationError(f"agreement id {agreement_id!r} is in several datasets ({keys}): name one")
    return found[0]


def compliance_report(
    store: Store,
    agreement_id: str,
    *,
    zone: str | Mapping[str, Any] | None = None,
    before_days: int = 30,
    end: date | None = None,
) -> ComplianceReport:
    """Events inside an agreement's area before and after it took effect; violations; daily series.

    ``zone`` (a stored zone name or a recipe) replaces the agreement's own area, and is required when
    it has none. The report runs from ``before_days`` before the effective day to ``end`` (default: the
    agreement's end, or 30 days after it took effect).
    """
    agreement = find_agreement(store, agreement_id)
    effective = agreement.effective_from
    if effective is None:
        raise ValidationError(f"agreement {agreement_id} has no effective time: nothing to compare")
    area, area_source = _area(store, agreement, zone)
    effective_day = effective.date()
    start = effective_day - timedelta(days=before_days)
    if end is None:
        end = agreement.effective_to.date() if agreement.effective_to else effective_day + timedelta(days=30)
    if end < effective_day:
        raise ValidationError(f"the report must end on or after the effective day {effective_day}, got {end}")
    events = _events_inside(store, area, start, end)
    day_counts_as_after = effective.time() <= _FIRST_MINUTE

    before = after = same_day = 0
    by_actor: dict[str, Counter[str]] = defaultdict(Counter)
    violations: list[Violation] = []
    daily_events: Counter[date] = Counter()
    daily_violent: Counter[date] = Counter()
    daily_fatalities: Counter[date] = Counter()
    for event in events:
        day = event["date_start"]
        violent = event["event_type"] in VIOLENT_TYPES
        daily_events[day] += 1
        daily_violent[day] += violent
        daily_fatalities[day] += event["fatalities_best"] or 0
        actor = event["actor1"] or "(unknown)"
        if day < effective_day:
            before += 1
            by_actor[actor]["before"] += 1
        elif day > effective_day or day_counts_as_after:
            after += 1
            by_actor[actor]["after"] += 1
            if violent:
                violations.append(_violation(event))
        else:
            same_day += 1
            by_actor[actor]["effective day"] += 1
    violations.sort(key=lambda v: (v.day, v.key))
    first = violations[0].day if violations else None
    daily = [
        DayCount(day, daily_events[day], daily_violent[day], float(daily_fatalities[day]))
        for day in (start + timedelta(days=n) for n in range((end - start).days + 1))
    ]
    deadline = None
    if agreement.kind == AgreementKind.DEADLINE and agreement.effective_to is not None:
        deadline = _deadline_state(store, area, agreement.effective_to)
    notes = [
        "events are dated by day; " + ("the effective day counts as after" if day_counts_as_after else
                                        "events on the effective day are counted apart"),
        f"violations: {', '.join(VIOLENT_TYPES)} inside the area after the effective time",
    ]  # fmt: skip
    return ComplianceReport(
        agreement=str(agreement.key),
        name=agreement.name,
        kind=agreement.kind.value,
        parties=agreement.parties,
        area=area_source,
        area_km2=area_km2(area),
        effective_from=effective,
        effective_to=agreement.effective_to,
        start=start,
        end=end,
        events_before=before,
        events_after=after,
        events_on_effective_day=same_day,
        by_actor={actor: dict(counts) for actor, counts in sorted(by_actor.items())},
        violations=violations,
        daily=daily,
        first_violation=first,
        days_to_first_violation=None if first is None else (first - effective_day).days,
        deadline=deadline,
        notes=notes,
    )


def _area(
    store: Store, agreement: Agreement, zone: str | Mapping[str, Any] | None
) -> tuple[BaseGeometry, str]:
    if zone is not None:
        if isinstance(zone, str):
            return store.zone(zone).geometry, f"zone {zone}"
        return rebuild(zone, store), "the recipe given"
    if agreement.area_recipe:
        return rebuild(agreement.area_recipe, store), "the agreement's recipe, rebuilt"
    if agreement.area is not None:
        return agreement.area, "the agreement's stored area"
    raise ValidationError(
        f"agreement {agreement.key.record_id} has no area ({agreement.area_description or 'not described'}); "
        "give one with --zone NAME (see `haven zone create`)"
    )


def _events_inside(store: Store, area: BaseGeometry, start: date, end: date) -> list[dict[str, Any]]:
    columns = store.event_columns(_COLUMNS, start=start, end=end, bbox=area.bounds)
    if not columns["lon"]:
        return []
    lon, lat = np.array(columns["lon"], dtype=float), np.array(columns["lat"], dtype=float)
    shapely.prepare(area)
    inside = np.flatnonzero(shapely.contains_xy(area, lon, lat))
    rows = [{name: columns[name][i] for name in _COLUMNS} for i in inside.tolist()]
    return [row for row in rows if row["status"] != "rejected"]


def _violation(event: Mapping[str, Any]) -> Violation:
    return Violation(
        key=f"{event['dataset']}:{event['record_id']}",
        day=event["date_start"],
        event_type=event["event_type"],
        sub_event_type=event["sub_event_type"],
        actor1=event["actor1"],
        actor2=event["actor2"],
        location=event["location_name"],
        lon=event["lon"],
        lat=event["lat"],
        fatalities_best=event["fatalities_best"],
    )


def _deadline_state(store: Store, area: BaseGeometry, deadline: datetime) -> DeadlineState:
    day = deadline.date()
    week_before = _events_inside(store, area, day - timedelta(days=6), day)
    week_after = _events_inside(store, area, day + timedelta(days=1), day + timedelta(days=7))
    territory = ("Government regains territory", "Non-state actor overtakes territory")
    return DeadlineState(
        deadline=deadline,
        events_week_before=len(week_before),
        events_week_after=len(week_after),
        by_actor_week_before=dict(Counter(e["actor1"] or "(unknown)" for e in week_before)),
        by_actor_week_after=dict(Counter(e["actor1"] or "(unknown)" for e in week_after)),
        territory_changes_after=sum(e["sub_event_type"] in territory for e in week_after),
    )


__all__ = [
    "VIOLENT_TYPES",
    "ComplianceReport",
    "DayCount",
    "DeadlineState",
    "Violation",
    "compliance_report",
    "find_agreement",
]
