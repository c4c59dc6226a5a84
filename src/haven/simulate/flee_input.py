"""Read a Flee input set: locations, routes, closures, conflicts, period, refugee data, settings.

The files are those of flee 3.1 (``InputGeography``, ``read_period``, ``DataTable``). Rows are read by
position, as Flee does; header and comment rows start with ``#``. Every problem that would make
Flee crash or silently misread the set is an :class:`~haven.errors.InputError` naming file, row,
column, the bad value and what was expected. Problems Flee tolerates and that occur in real input
sets (a closure naming a location that does not exist, data files with dates out of order) are
kept as ``warnings`` instead, and handled the way Flee handles them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from haven.errors import InputError
from haven.io.reading import Cells
from haven.simulate.observed import ObservedData, apply_registration_corrections, read_observed
from haven.simulate.settings import Settings, read_settings

LOCATION_COLUMNS = ("name", "region", "country", "lat", "lon", "location_type", "conflict_date", "population")
ROUTE_COLUMNS = ("name1", "name2", "distance", "forced_redirection")
CLOSURE_TYPES = ("country", "location", "link", "camp", "idpcamp", "remove_forced_redirection")
KINDS = ("conflict_zone", "town", "camp", "idpcamp", "forward", "marker")


def location_kind(location_type: str) -> str | None:
    """Flee's reading of ``location_type`` (substring tests, in flee's order), or None if unknown."""
    lowered = location_type.lower()
    if "camp" in lowered:
        return "idpcamp" if "idp" in lowered else "camp"
    if "conflict" in lowered:
        return "conflict_zone"
    if "forward" in lowered:
        return "forward"
    if "marker" in lowered:
        return "marker"
    if "default" in lowered or "town" in lowered:
        return "town"
    return None


@dataclass(frozen=True)
class Location:
    name: str
    region: str
    country: str
    lat: float
    lon: float
    kind: str  # one of KINDS
    conflict_date: int | None
    population: int  # population, or capacity for camps (0 = none given)
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    start: str
    end: str
    distance: float
    forced_redirection: int = 0
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Closure:
    kind: str  # one of CLOSURE_TYPES
    name1: str
    name2: str
    start: int
    end: int


@dataclass(frozen=True)
class ConflictTable:
    """``conflicts.csv``: intensity per day (rows) and location (columns)."""

    names: tuple[str, ...]
    intensity: np.ndarray = field(repr=False)  # float64, days × names


@dataclass(frozen=True)
class FleeInputs:
    folder: str
    locations: tuple[Location, ...]
    routes: tuple[Route, ...]
    closures: tuple[Closure, ...]
    conflicts: ConflictTable | None
    start_date: date
    length: int
    observed: ObservedData | None
    settings: Settings
    warnings: tuple[str, ...] = ()

    def index(self) -> dict[str, int]:
        return {loc.name: i for i, loc in enumerate(self.locations)}


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """All rows with their line numbers; blank rows dropped."""
    if not path.is_file():
        raise InputError(str(path), "no such file")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            return [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(str(path), f"malformed CSV: {exc}") from None


def _split_header(rows: list[tuple[int, list[str]]]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header: list[str] = []
    data = []
    for line, row in rows:
        if row[0].lstrip().startswith("#"):
            if not header:
                header = [cell.strip().lstrip("#").strip().strip('"') for cell in row]
            continue
        data.append((line, row))
    return header, data


def _cells(path: Path, line: int, row: list[str], names: tuple[str, ...], extra: list[str]) -> Cells:
    if len(row) < len(names):
        raise InputError(
            str(path),
            f"has {len(row)} cells, expected at least {len(names)}",
            row=line,
            expected="columns " + ", ".join(names),
        )
    values = {name: row[i] for i, name in enumerate(names)}
    for i in range(len(names), len(row)):
        key = extra[i] if i < len(extra) and extra[i] else f"column {i + 1}"
        values[key] = row[i]
    return Cells(str(path), line, values)


def read_locations(path: Path) -> tuple[Location, ...]:
    header, data = _split_header(_csv_rows(path))
    locations: list[Location] = []
    seen: dict[str, int] = {}
    for line, row in data:
        cells = _cells(path, line, row, LOCATION_COLUMNS, header)
        name = cells.required("name")
        if name in seen:
            raise cells.error(
                "name", f"location {name!r} is already defined on row {seen[name]}", "unique names"
            )
        seen[name] = line
        raw_type = cells.required("location_type")
        kind = location_kind(raw_type)
        if kind is None:
            raise cells.error(
                "location_type",
                "unknown location type",
                "conflict_zone, town, camp, idpcamp, forward or marker",
            )
        conflict_date = cells.integer("conflict_date", lo=0)
        if kind == "conflict_zone" and conflict_date is None:
            raise cells.error(
                "conflict_date",
                "a conflict zone needs the day its conflict starts",
                "a whole number of days (0 = from the start)",
            )
        attributes = {k: v.strip() for k, v in cells.values.items() if k not in LOCATION_COLUMNS}
        if "conflict_intensity" in attributes:
            cells.number("conflict_intensity", lo=0.0)
        locations.append(
            Location(
                name=name,
                region=(cells.text("region") or ""),
                country=(cells.text("country") or "unknown"),
                lat=cells.number("lat", lo=-90, hi=90) or 0.0,
                lon=cells.number("lon", lo=-180, hi=180) or 0.0,
                kind=kind,
                conflict_date=conflict_date,
                population=cells.integer("population", lo=0) or 0,
                attributes=attributes,
            )
        )
    if not locations:
        raise InputError(
            str(path), "no locations in the file", expected="rows of " + ",".join(LOCATION_COLUMNS)
        )
    return tuple(locations)


def read_routes(path: Path, names: set[str]) -> tuple[Route, ...]:
    header, data = _split_header(_csv_rows(path))
    routes = []
    for line, row in data:
        cells = _cells(path, line, row, ROUTE_COLUMNS[:3], header)
        start, end = cells.required("name1"), cells.required("name2")
        for column, value in (("name1", start), ("name2", end)):
            if value not in names:
                raise cells.error(column, "no location of this name in locations.csv", "a location name")
        if start == end:
            raise cells.error("name2", "a route from a location to itself", "another location")
        distance = cells.number("distance", required=True, lo=0.0)
        forced = cells.integer(ROUTE_COLUMNS[3], lo=0, hi=2) if ROUTE_COLUMNS[3] in cells.values else 0
        attributes = {k: v.strip() for k, v in cells.values.items() if k not in ROUTE_COLUMNS and v.strip()}
        for key in ("max_move_speed", "walk_probability"):
            if key in attributes:
                cells.number(key, lo=0.0, hi=1.0 if key == "walk_probability" else None)
        assert distance is not None
        routes.append(Route(start, end, distance, forced or 0, attributes))
    return tuple(routes)


def read_closures(path: Path, locations: tuple[Location, ...], warnings: list[str]) -> tuple[Closure, ...]:
    if not path.is_file():
        return ()
    _, data = _split_header(_csv_rows(path))
    names = {loc.name for loc in locations}
    countries = {loc.country for loc in locations}
    closures = []
    columns = ("closure_type", "name1", "name2", "closure_start", "closure_end")
    for line, row in data:
        cells = _cells(path, line, row, columns, [])
        kind = cells.choice("closure_type", CLOSURE_TYPES, required=True)
        name1, name2 = cells.text("name1") or "", cells.text("name2") or ""
        start = cells.integer("closure_start", required=True, lo=0)
        end = cells.integer("closure_end", required=True, lo=0)
        assert kind is not None and start is not None and end is not None
        if end < start:
            raise cells.error(
                "closure_end", "the closure ends before it starts", f"a day of at least {start}"
            )
        known = countries if kind == "country" else names
        wanted = (name1, name2) if kind in ("country", "link", "remove_forced_redirection") else (name1,)
        unknown = [n for n in wanted if n not in known]
        if unknown:
            what = "country" if kind == "country" else "location"
            warnings.append(
                f"{path}: row {line}: no {what} named {unknown[0]!r}; closure ignored (as in Flee)"
            )
            continue
        closures.append(Closure(kind, name1, name2, start, end))
    return tuple(closures)


def read_conflicts(path: Path, names: set[str]) -> ConflictTable:
    rows = _csv_rows(path)
    header = [cell.strip().lstrip("#").strip() for cell in rows[0][1]]
    while header and not header[-1]:
        header.pop()  # Flee's files often end the header with ", "
    columns = header[1:]
    if not columns:
        raise InputError(
            str(path), "no location columns in the header", row=1, expected="#Day,<location>,..."
        )
    for name in columns:
        if name not in names:
            raise InputError(
                str(path),
                "no location of this name in locations.csv",
                row=rows[0][0],
                column=name,
                value=name,
                expected="a location name",
            )
    values = np.zeros((len(rows) - 1, len(columns)))
    for day, (line, row) in enumerate(rows[1:]):
        while len(row) > len(header) and not row[-1].strip():
            row = row[:-1]
        if len(row) != len(header):
            raise InputError(
                str(path),
                f"has {len(row)} cells, the header has {len(header)}",
                row=line,
                expected=f"{len(header)} comma-separated cells",
            )
        cells = Cells(str(path), line, dict(zip(["day", *columns], row, strict=True)))
        if cells.integer("day", required=True) != day:
            raise cells.error("day", "days must count up from 0 one row at a time", str(day))
        for j, name in enumerate(columns):
            values[day, j] = cells.number(name, required=True, lo=0.0)
    if values.shape[0] == 0:
        raise InputError(str(path), "no days in the file", expected="one row per day from day 0")
    return ConflictTable(tuple(columns), values)


def read_period(path: Path) -> tuple[date, int]:
    found: dict[str, tuple[int, str]] = {}
    for line, row in _csv_rows(path):
        if len(row) >= 2:
            found[row[0].strip().lower()] = (line, row[1].strip())
    if "startdate" not in found or "length" not in found:
        raise InputError(
            str(path), "needs a StartDate row and a Length row", expected="StartDate,YYYY-MM-DD and Length,N"
        )
    line, text = found["startdate"]
    try:
        start = date.fromisoformat(text)
    except ValueError:
        raise InputError(
            str(path), "not a date", row=line, column="StartDate", value=text, expected="a date as YYYY-MM-DD"
        ) from None
    line, text = found["length"]
    length = Cells(str(path), line, {"Length": text}).integer("Length", required=True, lo=1)
    assert length is not None
    return start, length


def _find_input_folder(folder: Path) -> Path:
    for candidate in (folder, folder / "input_csv", folder / "input_files"):
        if (candidate / "locations.csv").is_file():
            return candidate
    raise InputError(
        str(folder), "no locations.csv here or in input_csv/ or input_files/", expected="a Flee input folder"
    )


def _find_data_folder(folder: Path, inputs: Path) -> Path | None:
    for candidate in (
        inputs / "refugee_data",
        folder / "refugee_data",
        folder / "source_data",
        inputs.parent / "source_data",
    ):
        if (candidate / "data_layout.csv").is_file():
            return candidate
    return None


def load_flee_inputs(
    folder: str | Path,
    *,
    data_folder: str | Path | None = None,
    settings: Settings | str | Path | None = None,
) -> FleeInputs:
    """Read a Flee input set.

    ``folder`` holds ``locations.csv`` (directly, or in ``input_csv/`` or ``input_files/``). The refugee
    data folder is ``data_folder`` or the first of ``refugee_data/`` or ``source_data/`` beside the
    input files that has a ``data_layout.csv``; without one the inputs have no observed data. Settings
    are ``settings`` (a :class:`Settings` or a YAML path), else ``simsetting.yml`` in the folder or its
    parent, else flee 3.1's defaults.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(str(root), "no such folder")
    base = _find_input_folder(root)
    warnings: list[str] = []
    locations = read_locations(base / "locations.csv")
    names = {loc.name for loc in locations}
    routes = read_routes(base / "routes.csv", names)
    closures = read_closures(base / "closures.csv", locations, warnings)
    conflicts = read_conflicts(base / "conflicts.csv", names) if (base / "conflicts.csv").is_file() else None
    period = next((base / n for n in ("sim_period.csv", "conflict_period.csv") if (base / n).is_file()), None)
    if period is None:
        raise InputError(
            str(base), "no sim_period.csv or conflict_period.csv", expected="StartDate and Length rows"
        )
    start, length = read_period(period)
    data = Path(data_folder) if data_folder is not None else _find_data_folder(root, base)
    observed = None
    if data is not None:
        observed = read_observed(data, names)
        corrections = base / "registration_corrections.csv"
        if corrections.is_file():
            observed = apply_registration_corrections(observed, corrections)
        warnings.extend(observed.warnings)
    if isinstance(settings, Settings):
        chosen = settings
    elif settings is not None:
        chosen = read_settings(settings)
    else:
        yml = next(
            (
                p
                for p in (base / "simsetting.yml", root / "simsetting.yml", base.parent / "simsetting.yml")
                if p.is_file()
            ),
            None,
        )
        chosen = read_settings(yml) if yml is not None else Settings()
    return FleeInputs(
        str(base), locations, routes, closures, conflicts, start, length, observed, chosen, tuple(warnings)
    )
