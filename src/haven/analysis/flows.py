"""Displacement flows: origin to destination at any admin level, by day, week or month.

A movement is counted over a period (a day, a month); when flows are binned finer or across periods,
its people are spread evenly over the days of its period and each bin takes the days it overlaps.
So a December HNAP arrival of 3,100 people gives 100 a day, and the bins always add up to the
movements' totals. A place is lifted to the asked admin level through the gazetteer (a community's
parents); a place the gazetteer lacks, or one above the asked level, stays as it is. An unknown end
(HNAP arrivals name no origin) is ``None``, shown as "unknown".

Datasets overlap: the HNAP OD matrix and the community arrivals count the same people. Pass
``dataset`` to pick one; :func:`check_hnap` compares them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from haven.errors import NotFoundError, ValidationError
from haven.model import Movement
from haven.store import RecordFilter, Store

FREQUENCIES = ("day", "week", "month", "all")
_PARTS = ("households", "children", "women", "men")


class AdminIndex:
    """p-code → the p-code of its unit at a given admin level, read from the store's gazetteer."""

    def __init__(self, store: Store | None = None, chains: dict[str, tuple[str, ...]] | None = None) -> None:
        self.store = store
        self.chains: dict[str, tuple[str, ...]] = dict(chains or {})
        self.names: dict[str, str] = {}

    def chain(self, pcode: str) -> tuple[str, ...]:
        """The p-codes from admin0 down to the place itself (just the place when unknown)."""
        if pcode not in self.chains:
            chain: tuple[str, ...] = (pcode,)
            if self.store is not None:
                try:
                    place = self.store.place(pcode)
                    chain = (*place.parents, place.pcode)
                    self.names[pcode] = place.name_en
                except NotFoundError:
                    pass
            self.chains[pcode] = chain
        return self.chains[pcode]

    def at_level(self, pcode: str | None, level: int | None) -> str | None:
        if pcode is None or level is None:
            return pcode
        chain = self.chain(pcode)
        if len(chain) == 1:
            return pcode  # not in the gazetteer: keep it as given
        return chain[min(level, len(chain) - 1)]

    def name(self, pcode: str | None) -> str:
        if pcode is None:
            return "unknown"
        if pcode not in self.names and self.store is not None:
            try:
                self.names[pcode] = self.store.place(pcode).name_en
            except NotFoundError:
                self.names[pcode] = pcode
        return self.names.get(pcode, pcode)


def bin_start(day: date, freq: str) -> date:
    """The first day of the bin a day falls in: itself, its ISO week's Monday, its month's first."""
    if freq == "day":
        return day
    if freq == "week":
        return day - timedelta(days=day.weekday())
    if freq == "month":
        return day.replace(day=1)
    if freq == "all":
        return date.min
    raise ValidationError(f"unknown frequency {freq!r} (expected one of {', '.join(FREQUENCIES)})")


def _spread(movement: Movement, freq: str, start: date | None, end: date | None) -> list[tuple[date, float]]:
    """(bin start, share of the movement) for each bin its period overlaps, within [start, end]."""
    days = (movement.period_end - movement.period_start).days + 1
    first = max(movement.period_start, start) if start else movement.period_start
    last = min(movement.period_end, end) if end else movement.period_end
    shares: dict[date, int] = defaultdict(int)
    day = first
    while day <= last:
        shares[bin_start(day, freq)] += 1
        day += timedelta(days=1)
    return [(b, n / days) for b, n in sorted(shares.items())]


@dataclass
class FlowCell:
    """People who moved from an origin to a destination in one bin (``None``: unknown end)."""

    period_start: date | None
    origin: str | None
    destination: str | None
    individuals: float = 0.0
    households: float = 0.0
    children: float = 0.0
    women: float = 0.0
    men: float = 0.0
    movements: int = 0
    without_breakdown: float = 0.0  # individuals of movements that gave no children/women/men

    def add(self, movement: Movement, share: float) -> None:
        self.individuals += movement.individuals * share
        for name in _PARTS:
            value = getattr(movement, name)
            if value is not None:
                setattr(self, name, getattr(self, name) + value * share)
        if movement.children is None and movement.women is None and movement.men is None:
            self.without_breakdown += movement.individuals * share
        self.movements += 1


@dataclass
class Flows:
    """A flow table and how it was made."""

    level: int | None
    freq: str
    cells: list[FlowCell]
    datasets: list[str]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(c.individuals for c in self.cells)

    def matrix(self) -> dict[tuple[str | None, str | None], float]:
        """Origin → destination totals over all bins."""
        out: dict[tuple[str | None, str | None], float] = defaultdict(float)
        for cell in self.cells:
            out[(cell.origin, cell.destination)] += cell.individuals
        return dict(out)

    def by_period(self) -> dict[date | None, float]:
        out: dict[date | None, float] = defaultdict(float)
        for cell in self.cells:
            out[cell.period_start] += cell.individuals
        return dict(sorted(out.items(), key=lambda kv: kv[0] or date.min))

    def cumulative(self) -> list[tuple[date | None, float]]:
        """Running total over the bins, in order."""
        total, out = 0.0, []
        for period, value in self.by_period().items():
            total += value
            out.append((period, total))
        return out

    def top(self, end: str = "destination", n: int = 10) -> list[tuple[str | None, float]]:
        """The ``n`` largest origins or destinations by people."""
        if end not in ("origin", "destination"):
            raise ValidationError(f"end must be 'origin' or 'destination', got {end!r}")
        totals: dict[str | None, float] = defaultdict(float)
        for cell in self.cells:
            totals[getattr(cell, end)] += cell.individuals
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0] or ""))[:n]

    def disaggregation(self) -> dict[str, float]:
        """Children, women, men and households summed, and the people no breakdown covers."""
        out = {name: sum(getattr(c, name) for c in self.cells) for name in _PARTS}
        out["individuals"] = self.total
        out["without_breakdown"] = sum(c.without_breakdown for c in self.cells)
        return out


def flows_from_movements(
    movements: Iterable[Movement],
    index: AdminIndex,
    *,
    level: int | None = None,
    freq: str = "month",
    start: date | None = None,
    end: date | None = None,
    movement_type: str | None = "displacement",
) -> Flows:
    """Aggregate movements to origin → destination cells at ``level`` (0-4, ``None`` as given)."""
    if freq not in FREQUENCIES:
        raise ValidationError(f"unknown frequency {freq!r} (expected one of {', '.join(FREQUENCIES)})")
    if level is not None and not 0 <= level <= 4:
        raise ValidationError(f"admin level must be 0-4, got {level}")
    cells: dict[tuple[date | None, str | None, str | None], FlowCell] = {}
    datasets: set[str] = set()
    for movement in movements:
        if movement_type and movement.movement_type != movement_type:
            continue
        origin = index.at_level(movement.origin_pcode, level)
        dest = index.at_level(movement.dest_pcode, level)
        for period, share in _spread(movement, freq, start, end):
            key = (None if freq == "all" else period, origin, dest)
            cell = cells.get(key)
            if cell is None:
                cell = cells[key] = FlowCell(*key)
            cell.add(movement, share)
            datasets.add(movement.key.dataset)
    ordered = sorted(cells.values(), key=lambda c: (c.period_start or date.min, -c.individuals))
    names = {code: index.name(code) for c in ordered for code in (c.origin, c.destination) if code}
    return Flows(level, freq, ordered, sorted(datasets), names)


def flows(
    store: Store,
    *,
    level: int | None = 1,
    freq: str = "month",
    start: date | None = None,
    end: date | None = None,
    area: str | None = None,
    dataset: str | None = None,
    movement_type: str | None = "displacement",
) -> Flows:
    """Flows from the store's movements; ``area`` keeps movements into that unit or below it."""
    where = RecordFilter(start=start, end=end, area=area, dataset=dataset)
    return flows_from_movements(
        store.list("movement", where),
        AdminIndex(store),
        level=level,
        freq=freq,
        start=start,
        end=end,
        movement_type=movement_type,
    )


@dataclass(frozen=True)
class NetChange:
    pcode: str
    name: str
    arrived: float
    left: float
    returned: float

    @property
    def net(self) -> float:
        return self.arrived + self.returned - self.left


def net_change(
    store: Store,
    *,
    level: int | None = None,
    start: date | None = None,
    end: date | None = None,
    dataset: str | None = None,
) -> list[NetChange]:
    """Per place: displaced people in, displaced people out, returns in; largest net change first."""
    index = AdminIndex(store)
    where = RecordFilter(start=start, end=end, dataset=dataset)
    arrived: dict[str, float] = defaultdict(float)
    left: dict[str, float] = defaultdict(float)
    returned: dict[str, float] = defaultdict(float)
    for movement in store.list("movement", where):
        share = sum(s for _, s in _spread(movement, "all", start, end))
        people = movement.individuals * share
        dest = index.at_level(movement.dest_pcode, level)
        origin = index.at_level(movement.origin_pcode, level)
        if origin == dest and origin is not None:
            continue  # moved within the unit: no change at this level
        if dest is not None:
            (returned if movement.movement_type == "return" else arrived)[dest] += people
        if origin is not None and movement.movement_type != "return":
            left[origin] += people
    codes = set(arrived) | set(left) | set(returned)
    rows = [NetChange(c, index.name(c), arrived[c], left[c], returned[c]) for c in codes]
    return sorted(rows, key=lambda r: (-abs(r.net), r.pcode))


@dataclass(frozen=True)
class HnapCheck:
    """One destination governorate: the OD matrix column, its communities' arrivals, Haven's flows."""

    pcode: str
    name: str
    od_matrix: float
    communities: float
    haven_od: float
    haven_communities: float
    tolerance: float

    @property
    def agrees(self) -> bool:
        values = (self.od_matrix, self.communities, self.haven_od, self.haven_communities)
        return max(values) - min(values) <= self.tolerance


def check_hnap(
    store: Store,
    *,
    od_dataset: str = "hnap-od",
    arrivals_dataset: str = "hnap-arrivals",
    month: date | None = None,
    tolerance: float = 0.5,
) -> list[HnapCheck]:
    """Whether the HNAP governorate OD matrix, the community arrivals and Haven's aggregates agree.

    The matrix's column total per destination governorate is summed straight from its cells; the
    community arrivals are placed in governorates by the gazetteer (not by HNAP's own columns); and
    both are also run through :func:`flows` at admin level 1. Half a person of tolerance covers the
    matrix's one-decimal apportioning.
    """
    end = None
    if month is not None:
        month = month.replace(day=1)
        end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    od = store.list("movement", RecordFilter(dataset=od_dataset, start=month, end=end))
    arrivals = store.list("movement", RecordFilter(dataset=arrivals_dataset, start=month, end=end))
    if not od or not arrivals:
        raise NotFoundError(
            f"check_hnap needs movements of datasets {od_dataset!r} and {arrivals_dataset!r}: "
            "import the HNAP OD matrix and community arrivals first"
        )
    index = AdminIndex(store)
    od_direct: dict[str, float] = defaultdict(float)
    for m in od:
        od_direct[m.dest_pcode or "unknown"] += m.individuals
    community: dict[str, float] = defaultdict(float)
    for m in arrivals:
        community[index.at_level(m.dest_pcode, 1) or "unknown"] += m.individuals

    def by_destination(movements: Sequence[Movement]) -> dict[str, float]:
        table = flows_from_movements(movements, index, level=1, freq="all", start=month, end=end)
        out: dict[str, float] = defaultdict(float)
        for (_, dest), value in table.matrix().items():
            out[dest or "unknown"] += value
        return out

    haven_od, haven_comm = by_destination(od), by_destination(arrivals)
    codes = sorted(set(od_direct) | set(community))
    return [
        HnapCheck(
            code,
            index.name(code),
            od_direct.get(code, 0.0),
            community.get(code, 0.0),
            haven_od.get(code, 0.0),
            haven_comm.get(code, 0.0),
            tolerance,
        )
        for code in codes
    ]


__all__ = [
    "FREQUENCIES",
    "AdminIndex",
    "FlowCell",
    "Flows",
    "HnapCheck",
    "NetChange",
    "bin_start",
    "check_hnap",
    "flows",
    "flows_from_movements",
    "net_change",
]
