"""Cold-weather risk: person-nights below chosen temperatures for people without adequate shelter.

People without adequate shelter are those in the open air, in tents and in unfinished buildings
(the three categories OCHA and the CCCM Cluster report). For every place with such people and every
night whose minimum temperature is below a threshold, each of them counts one person-night at that
threshold. Children under five are counted apart: from the unit's own count when given, otherwise as
``under_five_share`` of the people exposed (an assumption, 15% by default, stated in every result:
replace it with site data when you have it).

A unit (site or area) takes the temperatures of its own code, else of the nearest enclosing unit
that has them (community, sub-district, district, governorate), else of its name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from haven.analysis.flows import AdminIndex
from haven.analysis.needs import INADEQUATE, PopulationUnit, aggregate_units
from haven.errors import ValidationError
from haven.io.temperature import DailyTemperature, TemperatureSeries
from haven.model import Figure

DEFAULT_THRESHOLDS = (0.0, -5.0)
DEFAULT_UNDER_FIVE_SHARE = 0.15


@dataclass
class ColdExposure:
    """One unit's exposure: person-nights below each threshold, in total, per shelter and under five."""

    unit: PopulationUnit
    temperature_place: str | None
    nights: int  # nights with a temperature
    nights_below: dict[float, int] = field(default_factory=dict)
    person_nights: dict[float, float] = field(default_factory=dict)
    by_shelter: dict[float, dict[str, float]] = field(default_factory=dict)
    under_five_person_nights: dict[float, float] = field(default_factory=dict)
    under_five: float = 0.0
    under_five_estimated: bool = False
    coldest: float | None = None


def _temperatures_for(
    unit: PopulationUnit, series: TemperatureSeries, index: AdminIndex | None
) -> str | None:
    candidates = [unit.code]
    if index is not None:
        candidates.extend(reversed(index.chain(unit.code)[:-1]))
        if unit.area:
            candidates.extend([unit.area, *reversed(index.chain(unit.area)[:-1])])
    candidates.append(unit.name)
    for code in candidates:
        if series.for_place(code):
            return code
    return None


def cold_exposure(
    units: Iterable[PopulationUnit],
    series: TemperatureSeries,
    *,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    start: date | None = None,
    end: date | None = None,
    under_five_share: float = DEFAULT_UNDER_FIVE_SHARE,
    index: AdminIndex | None = None,
) -> list[ColdExposure]:
    """Exposure per unit, ranked by person-nights below the first threshold (then the next)."""
    if not thresholds:
        raise ValidationError("give at least one temperature threshold")
    if not 0 <= under_five_share <= 1:
        raise ValidationError(f"under_five_share must be from 0 to 1, got {under_five_share}")
    out = []
    for unit in units:
        exposed = unit.inadequately_sheltered
        place = _temperatures_for(unit, series, index)
        days: list[DailyTemperature] = [
            d
            for d in (series.for_place(place) if place else [])
            if (start is None or d.day >= start) and (end is None or d.day <= end)
        ]
        exposure = ColdExposure(unit, place, len(days))
        if unit.under_five is not None and unit.people:
            exposure.under_five = unit.under_five * exposed / unit.people  # the exposed share of them
        else:
            exposure.under_five_estimated = True
            exposure.under_five = exposed * under_five_share
        exposure.coldest = min((d.minimum for d in days), default=None)
        for threshold in thresholds:
            below = sum(1 for d in days if d.minimum < threshold)
            exposure.nights_below[threshold] = below
            exposure.person_nights[threshold] = below * exposed
            exposure.by_shelter[threshold] = {name: below * getattr(unit, name) for name in INADEQUATE}
            exposure.under_five_person_nights[threshold] = below * exposure.under_five
        out.append(exposure)
    return sorted(out, key=lambda e: (*(-e.person_nights[t] for t in thresholds), e.unit.code))


def cold_by_area(
    units: Sequence[PopulationUnit],
    series: TemperatureSeries,
    index: AdminIndex | None = None,
    **options: object,
) -> list[ColdExposure]:
    """Exposure per area: each site is counted with its own temperatures, then summed per area."""
    per_site = cold_exposure(units, series, index=index, **options)  # type: ignore[arg-type]
    names = {u.area: index.name(u.area) for u in units if u.area} if index else {}
    areas = {a.code: a for a in aggregate_units(units, {k: v for k, v in names.items() if k})}
    totals: dict[str, ColdExposure] = {}
    for site in per_site:
        code = site.unit.area or "unknown"
        total = totals.get(code)
        if total is None:
            total = totals[code] = ColdExposure(areas[code], None, 0)
        total.nights = max(total.nights, site.nights)
        total.under_five += site.under_five
        total.under_five_estimated = total.under_five_estimated or site.under_five_estimated
        if site.coldest is not None:
            total.coldest = site.coldest if total.coldest is None else min(total.coldest, site.coldest)
        for t, value in site.person_nights.items():
            total.person_nights[t] = total.person_nights.get(t, 0.0) + value
            total.under_five_person_nights[t] = (
                total.under_five_person_nights.get(t, 0.0) + site.under_five_person_nights[t]
            )
            total.nights_below[t] = max(total.nights_below.get(t, 0), site.nights_below[t])
            shelter = total.by_shelter.setdefault(t, dict.fromkeys(INADEQUATE, 0.0))
            for name, v in site.by_shelter[t].items():
                shelter[name] += v
    thresholds = list(per_site[0].person_nights) if per_site else []
    return sorted(
        totals.values(),
        key=lambda e: (*(-e.person_nights.get(t, 0.0) for t in thresholds), e.unit.code),
    )


def units_from_figures(figures: Iterable[Figure], as_of: date | None = None) -> list[PopulationUnit]:
    """Exposure from reported figures (``displaced_shelter_open_air``/``_tents``/``_unfinished_buildings``).

    One unit per area, from the latest report of each metric on or before ``as_of``; used when no
    site snapshots give the shelter breakdown (the reference crisis reports it for the whole northwest).
    """
    latest: dict[tuple[str, str], Figure] = {}
    for f in figures:
        if not f.metric.startswith("displaced_shelter_") or f.subgroup != "all":
            continue
        day = f.effective_date
        if day is None or (as_of and day > as_of):
            continue
        area = f.area_pcode or f.area_name or "area not given"
        key = (area, f.metric)
        if key not in latest or day > (latest[key].effective_date or date.min):
            latest[key] = f
    units: dict[str, PopulationUnit] = {}
    for (area, metric), f in latest.items():
        unit = units.setdefault(area, PopulationUnit(area, f.area_name or area, 0.0, f.effective_date))
        name = metric.removeprefix("displaced_shelter_")
        if name in INADEQUATE:
            setattr(unit, name, f.value)
            unit.people += f.value
    return list(units.values())


__all__ = [
    "DEFAULT_THRESHOLDS",
    "DEFAULT_UNDER_FIVE_SHARE",
    "ColdExposure",
    "cold_by_area",
    "cold_exposure",
    "units_from_figures",
]
