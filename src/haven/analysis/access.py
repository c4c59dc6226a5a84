"""Aid access: crossings and their dated status, deliveries, coverage of needs, closure impact.

A crossing counts as open on a day when its status that day begins with "open" ("open for UN
cross-border aid"); "closed", "suspended" or no status on record count as shut. The share a closure
would cut is the share of the period's trucks (and tonnage) that came through that crossing: it
assumes nothing is rerouted, so it is the most a closure could cut, not a forecast.

Coverage compares food tonnage delivered with the food a population needs: people × days × the kg a
person needs a day. The default, 0.6 kg, is the Sphere 2,100 kcal a day in dry rations of about
3,500 kcal per kg (cereals and pulses; oil is richer); pass your own ration weight. Trucks without a
tonnage count ``tonnes_per_truck`` (20 t by default, an assumption stated in every result).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from haven.errors import NotFoundError, ValidationError
from haven.model import Crossing, CrossingStatus, Delivery
from haven.store import RecordFilter, Store

KCAL_PER_PERSON_DAY = 2100.0
KCAL_PER_KG_DRY_RATION = 3500.0
DEFAULT_TONNES_PER_TRUCK = 20.0
FOOD_SECTORS = ("food", "food security", "fss")


def is_open(status: CrossingStatus | None) -> bool:
    return status is not None and status.status.strip().lower().startswith("open")


@dataclass
class CrossingAccess:
    """One crossing over a period: its statuses, days open, trucks and tonnage through it."""

    crossing_id: str | None
    name: str
    statuses: list[CrossingStatus]
    days_open: int | None
    days: int | None
    trucks: int = 0
    tonnage: float = 0.0
    trucks_without_tonnage: int = 0
    by_sector: dict[str, int] = field(default_factory=dict)
    share_of_trucks: float = 0.0
    share_of_tonnage: float = 0.0

    @property
    def closure_cuts(self) -> float:
        """The share of the period's trucks a closure of this crossing would cut (no rerouting)."""
        return self.share_of_trucks


@dataclass
class FoodCoverage:
    people: float
    days: int
    kg_per_person_day: float
    needed_tonnes: float
    delivered_tonnes: float
    estimated_tonnes: float  # of delivered, from trucks with no tonnage
    tonnes_per_truck: float

    @property
    def coverage(self) -> float:
        return 0.0 if self.needed_tonnes == 0 else self.delivered_tonnes / self.needed_tonnes

    @property
    def trucks_needed(self) -> float:
        return self.needed_tonnes / self.tonnes_per_truck


@dataclass
class AccessReport:
    start: date | None
    end: date | None
    crossings: list[CrossingAccess]
    trucks: int
    tonnage: float
    by_month: dict[date, dict[str, int]]
    by_sector: dict[str, int]
    coverage: FoodCoverage | None = None

    def crossing(self, name_or_id: str) -> CrossingAccess:
        key = name_or_id.casefold()
        for c in self.crossings:
            if key in (c.name.casefold(), (c.crossing_id or "").casefold()):
                return c
        raise NotFoundError(f"no crossing {name_or_id!r} (have {', '.join(c.name for c in self.crossings)})")


def _statuses_in(crossing: Crossing, start: date | None, end: date | None) -> list[CrossingStatus]:
    return [
        s
        for s in crossing.statuses
        if (end is None or s.valid_from <= end)
        and (start is None or s.valid_to is None or s.valid_to >= start)
    ]


def _days_open(crossing: Crossing, start: date, end: date) -> int:
    days, day = 0, start
    while day <= end:
        days += is_open(crossing.status_on(day))
        day += timedelta(days=1)
    return days


def access_report(
    crossings: Sequence[Crossing],
    deliveries: Iterable[Delivery],
    *,
    start: date | None = None,
    end: date | None = None,
    people: float | None = None,
    kg_per_person_day: float = KCAL_PER_PERSON_DAY / KCAL_PER_KG_DRY_RATION,
    tonnes_per_truck: float = DEFAULT_TONNES_PER_TRUCK,
    food_sectors: Sequence[str] = FOOD_SECTORS,
) -> AccessReport:
    """Deliveries per crossing, sector and month in [start, end], each crossing's share, and coverage."""
    if start and end and end < start:
        raise ValidationError(f"period ends {end} before it starts {start}")
    if tonnes_per_truck <= 0 or kg_per_person_day <= 0:
        raise ValidationError("tonnes_per_truck and kg_per_person_day must be above 0")
    chosen = [
        d
        for d in deliveries
        if (start is None or d.delivered_on >= start) and (end is None or d.delivered_on <= end)
    ]
    first = start or min((d.delivered_on for d in chosen), default=None)
    last = end or max((d.delivered_on for d in chosen), default=None)
    rows: dict[str, CrossingAccess] = {}
    for c in crossings:
        days = (last - first).days + 1 if first and last else None
        rows[c.key.record_id] = CrossingAccess(
            c.key.record_id,
            c.name,
            _statuses_in(c, first, last),
            _days_open(c, first, last) if first and last else None,
            days,
        )
    by_month: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_sector: dict[str, int] = defaultdict(int)
    food = estimated = 0.0
    food_names = {s.casefold() for s in food_sectors}
    for d in chosen:
        key = d.crossing_id or d.crossing_name
        row = rows.get(key)
        if row is None:
            row = rows[key] = CrossingAccess(d.crossing_id, d.crossing_name, [], None, None)
        row.trucks += d.trucks
        sector = d.sector or "unspecified"
        row.by_sector[sector] = row.by_sector.get(sector, 0) + d.trucks
        if d.tonnage is None:
            row.trucks_without_tonnage += d.trucks
        else:
            row.tonnage += d.tonnage
        by_month[d.delivered_on.replace(day=1)][row.name] += d.trucks
        by_sector[sector] += d.trucks
        if sector.casefold() in food_names:
            tonnes = d.tonnage if d.tonnage is not None else d.trucks * tonnes_per_truck
            food += tonnes
            if d.tonnage is None:
                estimated += tonnes
    trucks = sum(r.trucks for r in rows.values())
    tonnage = sum(r.tonnage for r in rows.values())
    for row in rows.values():
        row.share_of_trucks = row.trucks / trucks if trucks else 0.0
        row.share_of_tonnage = row.tonnage / tonnage if tonnage else 0.0
    coverage = None
    if people is not None and first and last:
        days = (last - first).days + 1
        needed = people * days * kg_per_person_day / 1000
        coverage = FoodCoverage(people, days, kg_per_person_day, needed, food, estimated, tonnes_per_truck)
    return AccessReport(
        start=first,
        end=last,
        crossings=sorted(rows.values(), key=lambda r: (-r.trucks, r.name)),
        trucks=trucks,
        tonnage=tonnage,
        by_month={m: dict(v) for m, v in sorted(by_month.items())},
        by_sector=dict(sorted(by_sector.items(), key=lambda kv: -kv[1])),
        coverage=coverage,
    )


def access(
    store: Store,
    *,
    start: date | None = None,
    end: date | None = None,
    people: float | None = None,
    dataset: str | None = None,
    **options: Any,
) -> AccessReport:
    """:func:`access_report` over the store's crossings and deliveries."""
    return access_report(
        store.list("crossing"),
        store.list("delivery", RecordFilter(dataset=dataset)),
        start=start,
        end=end,
        people=people,
        **options,
    )


__all__ = [
    "DEFAULT_TONNES_PER_TRUCK",
    "KCAL_PER_KG_DRY_RATION",
    "KCAL_PER_PERSON_DAY",
    "AccessReport",
    "CrossingAccess",
    "FoodCoverage",
    "access",
    "access_report",
    "is_open",
]
