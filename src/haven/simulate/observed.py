"""The refugee data folder of a Flee input set: ``data_layout.csv`` and one ``date,count`` file per name.

``total`` is the registered total that drives spawning; every other name is a camp whose counts
are compared with the simulation. Interpolation follows flee 3.1's ``DataTable`` exactly, including
its behaviour on dates that are out of order (real UNHCR files have such typos and Flee uses them as
they are), because the averaged relative difference must be computed against the same numbers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from haven.errors import InputError
from haven.io.reading import Cells


@dataclass(frozen=True)
class Series:
    """One ``date,count`` file (or several summed), in file order."""

    name: str
    path: str
    dates: tuple[date, ...]
    counts: np.ndarray = field(repr=False)  # float64, after registration corrections

    def daily(self, start: date, days: int, hasten: int = 1) -> np.ndarray:
        """Flee's interpolated value (``DataTable.get_field``) for days ``0 .. days-1``, as int64."""
        offsets = np.array([(d - start).days for d in self.dates], dtype=np.float64)
        values = self.counts / float(hasten)
        query = np.arange(days, dtype=np.float64)
        out = np.empty(days, dtype=np.int64)
        before = query <= offsets[0]
        out[before] = int(values[0])
        if len(offsets) == 1:
            out[~before] = int(values[0])
            return out
        later = query[:, None] < offsets[None, 1:]  # flee scans for the first later entry
        found = later.any(axis=1)
        i = later.argmax(axis=1) + 1
        old_day, new_day = offsets[i - 1], offsets[i]
        old_val, new_val = values[i - 1], values[i]
        with np.errstate(divide="ignore", invalid="ignore"):
            fraction = (query - old_day) / (new_day - old_day)
            interpolated = old_val + fraction * (new_val - old_val)
        interpolated = np.where(fraction > 1.0, -1.0, interpolated)  # flee's error value
        rest = ~before
        out[rest & found] = np.trunc(interpolated[rest & found]).astype(np.int64)
        out[rest & ~found] = int(values[-1])
        return out


@dataclass(frozen=True)
class ObservedData:
    """The refugee data folder: the ``total`` series (if any) and one series per camp."""

    folder: str
    total: Series | None
    camps: dict[str, Series]
    warnings: tuple[str, ...] = ()


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            return [(reader.line_num, row) for row in reader]
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(str(path), f"malformed CSV: {exc}") from None


def read_series(path: Path, name: str, warnings: list[str]) -> Series:
    """Read one ``date,count`` file. Header, comment and blank-count rows are skipped as flee does."""
    dates: list[date] = []
    counts: list[float] = []
    for index, (line, row) in enumerate(_rows(path)):
        if len(row) < 2 or not row[0].strip() or row[0].lstrip().startswith("#") or not row[1].strip():
            continue
        if index == 0 and row[0].strip() in ("Date", "DateTime"):
            continue
        cells = Cells(str(path), line, {"date": row[0], "count": row[1]})
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            raise cells.error("date", "not a date", "a date as YYYY-MM-DD") from None
        count = cells.integer("count", required=True, lo=0)
        assert count is not None
        if dates and day <= dates[-1]:
            warnings.append(
                f"{path}: row {line}: date {day} is not after {dates[-1]}; used in file order as Flee does"
            )
        dates.append(day)
        counts.append(float(count))
    if not dates:
        raise InputError(str(path), "no dated counts in the file", expected="rows of YYYY-MM-DD,count")
    return Series(name, str(path), tuple(dates), np.array(counts))


def _summed(parts: list[Series]) -> Series:
    """Several files for one name: counts summed on the union of their dates (Haven's simplification)."""
    all_dates = sorted({d for part in parts for d in part.dates})
    origin = all_dates[0]
    total = np.zeros(len(all_dates))
    span = (all_dates[-1] - origin).days + 1
    index = [(d - origin).days for d in all_dates]
    for part in parts:
        total += part.daily(origin, span)[index]
    return Series(parts[0].name, "+".join(p.path for p in parts), tuple(all_dates), total)


def read_observed(
    folder: str | Path, location_names: set[str], layout: str = "data_layout.csv"
) -> ObservedData:
    """Read ``data_layout.csv`` in ``folder`` and every file it names."""
    base = Path(folder)
    layout_path = base / layout
    warnings: list[str] = []
    total: Series | None = None
    camps: dict[str, Series] = {}
    for line, row in _rows(layout_path):
        if len(row) < 2 or not row[0].strip() or row[0].strip().startswith("#"):
            continue
        name = row[0].strip()
        files = [cell.strip() for cell in row[1:] if cell.strip()]
        if not files:
            raise InputError(
                str(layout_path), "no data file named", row=line, column="file", expected="name,file.csv"
            )
        if name != "total" and name not in location_names:
            warnings.append(f"{layout_path}: row {line}: {name!r} is not a location; its data is not used")
            continue
        if name in camps or (name == "total" and total is not None):
            raise InputError(
                str(layout_path), f"{name!r} is listed twice", row=line, column="name", value=name
            )
        parts = []
        for file in files:
            path = base / file
            if not path.is_file():
                raise InputError(
                    str(layout_path),
                    "names a data file that does not exist",
                    row=line,
                    column="file",
                    value=file,
                    expected=f"a CSV file in {base}",
                )
            parts.append(read_series(path, name, warnings))
        series = parts[0] if len(parts) == 1 else _summed(parts)
        if name == "total":
            total = series
        else:
            camps[name] = series
    return ObservedData(str(base), total, camps, tuple(warnings))


def apply_registration_corrections(observed: ObservedData, path: Path) -> ObservedData:
    """flee's ``ReadL1Corrections``: scale the counts before a change of registration method.

    Each row is ``name,date[,mode]``; counts before that date are multiplied by
    (count on the date) / (count just before it).
    """
    camps = dict(observed.camps)
    for line, row in _rows(path):
        if len(row) < 2 or not row[0].strip() or row[0].strip().startswith("#"):
            continue
        cells = Cells(str(path), line, {"name": row[0], "date": row[1]})
        name = row[0].strip()
        if name not in camps:
            raise cells.error("name", "no refugee data for this name in data_layout.csv", "a camp with data")
        try:
            day = date.fromisoformat(row[1].strip())
        except ValueError:
            raise cells.error("date", "not a date", "a date as YYYY-MM-DD") from None
        series = camps[name]
        counts = series.counts.copy()
        matches = [i for i, d in enumerate(series.dates) if d == day and i > 0]
        if not matches:
            raise cells.error(
                "date", f"no count for {name} on this date after its first", f"a date in {series.path}"
            )
        for i in matches:
            if counts[i - 1] == 0:
                raise cells.error("date", "the count just before this date is 0, so it cannot be scaled")
            counts[:i] *= counts[i] / counts[i - 1]
        camps[name] = Series(series.name, series.path, series.dates, counts)
    return ObservedData(observed.folder, observed.total, camps, observed.warnings)
