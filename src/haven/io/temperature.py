"""Daily temperatures per place: ``place, date, min, max`` in degrees Celsius.

Temperatures are kept as files, not in the database: they are a model input read whole for one
analysis (``haven cold-risk --temperatures FILE``), they come from forecasts and reanalyses that are
replaced rather than revised, and no listing or export needs them. ``place`` is a p-code (a site,
community or admin unit) or a name; rows for the same place and date are refused, as are a minimum
above the maximum and values outside -90..60 °C. Columns: ``docs/formats/temperature.md``.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from haven.io.reading import CsvRows

TEMPERATURE_REQUIRED = ("place", "date", "min", "max")
_LOWEST, _HIGHEST = -90.0, 60.0


@dataclass(frozen=True, slots=True)
class DailyTemperature:
    place: str
    day: date
    minimum: float
    maximum: float


@dataclass
class TemperatureSeries:
    """Daily minimum and maximum per place, in file order per place sorted by date."""

    by_place: dict[str, list[DailyTemperature]] = field(default_factory=dict)

    def places(self) -> list[str]:
        return sorted(self.by_place)

    def for_place(self, place: str) -> list[DailyTemperature]:
        return self.by_place.get(place, [])

    def __len__(self) -> int:
        return sum(len(days) for days in self.by_place.values())


def read_temperatures(path: str | os.PathLike[str]) -> TemperatureSeries:
    """Read a temperature file; a bad row raises ``InputError`` naming the row and column."""
    found: dict[str, dict[date, DailyTemperature]] = defaultdict(dict)
    rows = CsvRows(
        path, required=TEMPERATURE_REQUIRED, format_name="a temperature file (place, date, min, max)"
    )
    first_row: dict[tuple[str, date], int] = {}
    for cells in rows:
        place = cells.required("place")
        day = cells.day("date", required=True)
        low = cells.number("min", required=True, lo=_LOWEST, hi=_HIGHEST)
        high = cells.number("max", required=True, lo=_LOWEST, hi=_HIGHEST)
        assert day is not None and low is not None and high is not None
        if low > high:
            raise cells.error("min", f"is above max ({high:g})", f"a minimum of at most {high:g}")
        if (place, day) in first_row:
            raise cells.error(
                "date",
                f"repeats {place} on {day} (first on row {first_row[(place, day)]:,})",
                "one row per place and date",
            )
        first_row[(place, day)] = cells.row
        found[place][day] = DailyTemperature(place, day, low, high)
    return TemperatureSeries({place: [days[d] for d in sorted(days)] for place, days in found.items()})


__all__ = ["DailyTemperature", "TemperatureSeries", "read_temperatures"]
