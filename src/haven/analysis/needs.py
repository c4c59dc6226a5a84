"""Needs by the Sphere minimum standards, and gaps per site and per area.

The standards are an editable table (``haven/data/sphere_standards.csv``, columns in
``docs/humanitarian.md``); pass your own file to use other values. Each row is one of three kinds:

``amount``
    a quantity per person, household or number of people: need = value × people / per
    (``per`` is ``person``, ``person/day``, ``person/month``, ``household`` or ``10000 people``).
    Households are people / ``household_size``.
``ratio``
    at most ``value`` people per unit (a tap, a latrine): need = people / value, rounded up.
``limit``
    a threshold that is not a quantity to supply (500 m to a water point); listed, not computed.

Rows apply in a ``phase`` (``initial``, ``later`` or ``any``) and ``climate`` (``temperate``, ``cold``
or ``any``). A row with a ``value_high`` gives a range (4.5-5.5 m2 of covered space in cold climates).
"""

from __future__ import annotations

import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path

from haven.analysis.flows import AdminIndex
from haven.errors import InputError, ValidationError
from haven.io.reading import CsvRows
from haven.model import Site, SiteSnapshot
from haven.store import RecordFilter, Store

KINDS = ("amount", "ratio", "limit")
PHASES = ("initial", "later")
CLIMATES = ("temperate", "cold")
STANDARD_COLUMNS = (
    "indicator", "sector", "kind", "value", "value_high", "unit", "per", "phase", "climate", "chapter",
    "standard", "note",
)  # fmt: skip
_PER = re.compile(
    r"^\s*(?P<count>[\d,]+\s+)?(?P<basis>person|people|household)s?\s*(?:/\s*(?P<time>\w+))?\s*$"
)


@dataclass(frozen=True)
class Standard:
    """One row of the standards table."""

    indicator: str
    sector: str
    kind: str
    value: float
    value_high: float | None
    unit: str
    per: str
    phase: str = "any"
    climate: str = "any"
    chapter: str = ""
    standard: str = ""
    note: str = ""

    def applies(self, phase: str, climate: str) -> bool:
        return self.phase in ("any", phase) and self.climate in ("any", climate)

    def describe(self) -> str:
        value = f"{self.value:g}" + (f"–{self.value_high:g}" if self.value_high is not None else "")
        if self.kind == "ratio":
            return f"1 per {value} people"
        if self.kind == "limit":
            return f"{value} {self.unit}"
        return f"{value} {self.unit} per {self.per}"


def _parse_per(text: str) -> tuple[float, str, str | None]:
    """'10000 people' → (10000, 'person', None); 'person/day' → (1, 'person', 'day')."""
    found = _PER.match(text)
    if found is None:
        raise ValueError(text)
    count = float(found["count"].replace(",", "")) if found["count"] else 1.0
    basis = "household" if found["basis"] == "household" else "person"
    return count, basis, found["time"]


def default_standards_path() -> Path:
    return Path(str(files("haven") / "data" / "sphere_standards.csv"))


def load_standards(path: str | os.PathLike[str] | None = None) -> list[Standard]:
    """The standards table: the shipped Sphere defaults, or your own file with the same columns."""
    source = Path(path) if path is not None else default_standards_path()
    rows = CsvRows(source, required=STANDARD_COLUMNS[:7], format_name="a standards table")
    standards = []
    for cells in rows:
        kind = cells.choice("kind", KINDS, required=True)
        value = cells.number("value", required=True, lo=0)
        high = cells.number("value_high", lo=0)
        assert kind is not None and value is not None
        if kind == "ratio" and value == 0:
            raise cells.error("value", "a ratio cannot be zero people per unit", "a number above 0")
        if high is not None and high < value:
            raise cells.error("value_high", "is below value", f"a number of at least {value:g}")
        per = cells.required("per")
        if kind == "amount":
            try:
                _parse_per(per)
            except ValueError:
                raise cells.error(
                    "per", "not a basis Haven can count", "person, person/day, household or '10000 people'"
                ) from None
        standards.append(
            Standard(
                indicator=cells.required("indicator"),
                sector=cells.required("sector"),
                kind=kind,
                value=value,
                value_high=high,
                unit=cells.required("unit"),
                per=per,
                phase=cells.choice("phase", ("any", *PHASES)) or "any",
                climate=cells.choice("climate", ("any", *CLIMATES)) or "any",
                chapter=cells.text("chapter") or "",
                standard=cells.text("standard") or "",
                note=cells.text("note") or "",
            )
        )
    if not standards:
        raise InputError(str(source), "the standards table has no rows")
    return standards


@dataclass(frozen=True)
class NeedLine:
    """What one standard asks for a population, and the gap when what is provided is known."""

    indicator: str
    sector: str
    need: float
    need_high: float | None
    unit: str
    standard: Standard
    provided: float | None = None

    @property
    def gap(self) -> float | None:
        return None if self.provided is None else max(self.need - self.provided, 0.0)

    def text(self) -> str:
        def fmt(v: float) -> str:
            return f"{v:,.0f}" if v >= 100 or v == int(v) else f"{v:,.1f}"

        value = fmt(self.need) + (f"–{fmt(self.need_high)}" if self.need_high is not None else "")
        text = f"{value} {self.unit}"
        top = self.need_high if self.need_high is not None else self.need
        if self.unit.startswith("m2") and top >= 1e6:
            km2 = f"{self.need / 1e6:.1f}" + (
                f"–{self.need_high / 1e6:.1f}" if self.need_high is not None else ""
            )
            text += f" ({km2} km2)"
        elif top >= 1e6:
            millions = f"{self.need / 1e6:.1f}" + (
                f"–{self.need_high / 1e6:.1f}" if self.need_high is not None else ""
            )
            text += f" ({millions} million)"
        return text


def needs_for(
    people: float,
    standards: Sequence[Standard] | None = None,
    *,
    phase: str = "initial",
    climate: str = "temperate",
    household_size: float = 5.0,
    provided: Mapping[str, float] | None = None,
    indicators: Sequence[str] = (),
) -> list[NeedLine]:
    """Needs of ``people`` by each standard that applies in the phase and climate."""
    if people < 0:
        raise ValidationError(f"people cannot be negative ({people:g})")
    if phase not in PHASES or climate not in CLIMATES:
        raise ValidationError(
            f"phase must be one of {', '.join(PHASES)} and climate one of {', '.join(CLIMATES)}, "
            f"got {phase!r} and {climate!r}"
        )
    if household_size <= 0:
        raise ValidationError(f"household_size must be above 0, got {household_size:g}")
    standards = list(standards) if standards is not None else load_standards()
    provided = provided or {}
    lines = []
    for std in standards:
        if std.kind == "limit" or not std.applies(phase, climate):
            continue
        if indicators and std.indicator not in indicators:
            continue
        if std.kind == "ratio":
            need = float(math.ceil(people / std.value))
            high = None if std.value_high is None else float(math.ceil(people / std.value_high))
            # more people per unit means fewer units: the range runs the other way
            low_high = (high, need) if high is not None else (need, None)
            unit = std.unit
            lines.append(
                NeedLine(
                    std.indicator,
                    std.sector,
                    low_high[0],
                    low_high[1],
                    unit,
                    std,
                    provided.get(std.indicator),
                )
            )
            continue
        count, basis, per_time = _parse_per(std.per)
        base = people if basis == "person" else people / household_size
        need = std.value * base / count
        high = None if std.value_high is None else std.value_high * base / count
        unit = std.unit + (f"/{per_time}" if per_time else "")
        lines.append(NeedLine(std.indicator, std.sector, need, high, unit, std, provided.get(std.indicator)))
    return lines


# ---------------------------------------------------------------- sites and areas
INADEQUATE = ("open_air", "tents", "unfinished_buildings")


@dataclass
class PopulationUnit:
    """A site or an area with its people and how they are sheltered (individuals)."""

    code: str
    name: str
    people: float
    as_of: date | None = None
    open_air: float = 0.0
    tents: float = 0.0
    unfinished_buildings: float = 0.0
    children: float | None = None
    under_five: float | None = None
    sites: int = 1
    area: str | None = None

    @property
    def inadequately_sheltered(self) -> float:
        return self.open_air + self.tents + self.unfinished_buildings


@dataclass
class UnitNeeds:
    unit: PopulationUnit
    lines: list[NeedLine] = field(default_factory=list)
    covered_space_gap_m2: float | None = None  # the covered space of people in the open air

    def line(self, indicator: str) -> NeedLine:
        for line in self.lines:
            if line.indicator == indicator:
                return line
        raise ValidationError(
            f"no need line {indicator!r} (have {', '.join(x.indicator for x in self.lines)})"
        )


def latest_snapshots(store: Store, as_of: date | None = None) -> list[tuple[Site, SiteSnapshot]]:
    """Each site with its latest population snapshot on or before ``as_of``."""
    sites = {s.key: s for s in store.list("site")}
    latest: dict[object, SiteSnapshot] = {}
    for snap in store.list("site_snapshot", RecordFilter(end=as_of)):
        if snap.site_key in sites and (
            snap.site_key not in latest or snap.as_of > latest[snap.site_key].as_of
        ):
            latest[snap.site_key] = snap
    return [(sites[key], snap) for key, snap in latest.items()]


def site_units(store: Store, as_of: date | None = None, level: int | None = 3) -> list[PopulationUnit]:
    """A population unit per site from its latest snapshot, tagged with its admin unit at ``level``."""
    index = AdminIndex(store)
    units = []
    for site, snap in latest_snapshots(store, as_of):
        shelter = snap.shelter
        units.append(
            PopulationUnit(
                code=site.site_pcode or site.key.record_id,
                name=site.name,
                people=snap.individuals,
                as_of=snap.as_of,
                open_air=shelter.open_air if shelter else 0,
                tents=shelter.tents if shelter else 0,
                unfinished_buildings=shelter.unfinished_buildings if shelter else 0,
                children=snap.children,
                area=index.at_level(site.place_pcode, level) if site.place_pcode else None,
            )
        )
    return units


def aggregate_units(
    units: Iterable[PopulationUnit], names: Mapping[str, str] | None = None
) -> list[PopulationUnit]:
    """Sum site units per area (``unit.area``); sites with no area go to 'unknown'."""
    totals: dict[str, PopulationUnit] = {}
    for unit in units:
        code = unit.area or "unknown"
        agg = totals.get(code)
        if agg is None:
            agg = totals[code] = PopulationUnit(code, (names or {}).get(code, code), 0.0, unit.as_of, sites=0)
        agg.people += unit.people
        agg.open_air += unit.open_air
        agg.tents += unit.tents
        agg.unfinished_buildings += unit.unfinished_buildings
        if unit.children is not None:
            agg.children = (agg.children or 0) + unit.children
        if unit.under_five is not None:
            agg.under_five = (agg.under_five or 0) + unit.under_five
        agg.sites += 1
        if unit.as_of and (agg.as_of is None or unit.as_of > agg.as_of):
            agg.as_of = unit.as_of
    return sorted(totals.values(), key=lambda u: -u.people)


def unit_needs(
    units: Iterable[PopulationUnit],
    standards: Sequence[Standard] | None = None,
    *,
    phase: str = "initial",
    climate: str = "temperate",
    household_size: float = 5.0,
    indicators: Sequence[str] = (),
) -> list[UnitNeeds]:
    """Needs per unit, and the covered space missing for the people it shelters in the open air."""
    standards = list(standards) if standards is not None else load_standards()
    space = [s for s in standards if s.indicator == "covered_space" and s.applies(phase, climate)]
    out = []
    for unit in units:
        lines = needs_for(
            unit.people,
            standards,
            phase=phase,
            climate=climate,
            household_size=household_size,
            indicators=indicators,
        )
        gap = unit.open_air * space[0].value if space else None
        out.append(UnitNeeds(unit, lines, gap))
    return out


def needs_by_area(
    store: Store,
    *,
    as_of: date | None = None,
    level: int = 3,
    standards: Sequence[Standard] | None = None,
    phase: str = "initial",
    climate: str = "temperate",
    household_size: float = 5.0,
    sites: bool = False,
) -> list[UnitNeeds]:
    """Needs per site (``sites=True``) or per admin unit at ``level``, from the latest site snapshots."""
    units = site_units(store, as_of, level)
    if not sites:
        index = AdminIndex(store)
        codes = {u.area for u in units if u.area}
        units = aggregate_units(units, {c: index.name(c) for c in codes})
    return unit_needs(units, standards, phase=phase, climate=climate, household_size=household_size)


def shelter_totals(units: Iterable[PopulationUnit]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for unit in units:
        out["people"] += unit.people
        for name in INADEQUATE:
            out[name] += getattr(unit, name)
    return dict(out)


__all__ = [
    "CLIMATES",
    "INADEQUATE",
    "KINDS",
    "PHASES",
    "STANDARD_COLUMNS",
    "NeedLine",
    "PopulationUnit",
    "Standard",
    "UnitNeeds",
    "aggregate_units",
    "default_standards_path",
    "latest_snapshots",
    "load_standards",
    "needs_by_area",
    "needs_for",
    "shelter_totals",
    "site_units",
    "unit_needs",
]
