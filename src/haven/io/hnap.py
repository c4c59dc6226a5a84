"""HNAP/ISMI monthly IDP movement tracking, as CSV sheets of OCHA's monthly workbook.

The Humanitarian Needs Assessment Programme (HNAP, with the ISMI task force) publishes each month a
workbook "IDP Movements and IDP Spontaneous Return Movements". Haven reads four of its sheets, each
saved as CSV (see ``docs/formats/hnap.md``):

* ``hnap-arrivals``: IDP arrivals by destination community (``month``, admin names and p-codes,
  ``community_pcode``, ``idp_arrivals``) -> one :class:`Movement` per row, origin unknown;
* ``hnap-returns``: spontaneous returns by community (same columns, ``return_arrivals``) -> one
  :class:`Movement` with ``movement_type`` "return" per row;
* ``hnap-od``: origin x destination governorate matrix in long form (``month``,
  ``origin_governorate``, ``destination_governorate``, ``idp_movements``) -> one :class:`Movement`
  per cell, governorate p-codes resolved from the names (an origin "Unknown" stays unknown);
* ``hnap-monthly``: monthly IDP arrivals per governorate (``governorate``, ``month``,
  ``idp_arrivals``) -> one :class:`Movement` per governorate and month, origin unknown.

Counts are kept as floats: the OD matrix apportions some movements and has cells such as 16034.6.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from haven.errors import ValidationError
from haven.io.reading import Cells, CsvRows, Progress
from haven.model import AdminLevel, Movement, RecordKey, Reliability, Source
from haven.store import RecordFilter, Store

HNAP_SOURCE = Source(
    "HNAP",
    "Humanitarian Needs Assessment Programme: IDP Movements and IDP Spontaneous Return Movements",
    None,
    None,
    Reliability.B,
)

# Syria's 14 governorates as HNAP spells them, with their OCHA COD-AB p-codes. The names are also
# OCHA's ``adm1_name`` (checked against syr_admbnda_adm1_ocha.geojson, COD-AB release 2020-12-17).
SYRIA_GOVERNORATES: dict[str, str] = {
    "Damascus": "SY01",
    "Aleppo": "SY02",
    "Rural Damascus": "SY03",
    "Homs": "SY04",
    "Hama": "SY05",
    "Lattakia": "SY06",
    "Idleb": "SY07",
    "Al-Hasakeh": "SY08",
    "Deir-ez-Zor": "SY09",
    "Tartous": "SY10",
    "Ar-Raqqa": "SY11",
    "Dar'a": "SY12",
    "As-Sweida": "SY13",
    "Quneitra": "SY14",
}

# Later HNAP matrices have an origin row "Unknown": kept as a movement with no origin.
UNKNOWN_ORIGIN = "unknown"
MONTH_EXPECTED = "a month as YYYY-MM"
COUNT_EXPECTED = "a number of people, 0 or more"
_PCODE = re.compile(r"[A-Z]{1,4}[0-9]{2,8}")
_YEAR_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_MONTH_FORMATS = ("%B %Y", "%b %Y", "%b-%Y", "%b-%y", "%B-%Y")


def month_span(text: str) -> tuple[date, date]:
    """The first and last day of a month written YYYY-MM (also "December 2018", "Dec-18").

    Raises ``ValueError`` for anything else.
    """
    value = " ".join(text.split())
    match = _YEAR_MONTH.fullmatch(value)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    else:
        for fmt in _MONTH_FORMATS:
            try:
                parsed = datetime.strptime(value, fmt)
            except ValueError:
                continue
            year, month = parsed.year, parsed.month
            break
        else:
            raise ValueError(f"{text!r} is not a month (expected {MONTH_EXPECTED})")
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        raise ValueError(f"{text!r} is not a month (expected {MONTH_EXPECTED})")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def cell_month(cells: Cells, column: str) -> tuple[date, date]:
    value = cells.required(column)
    try:
        return month_span(value)
    except ValueError:
        raise cells.error(column, "not a month", MONTH_EXPECTED) from None


def cell_count(cells: Cells, column: str) -> float:
    """A number of people: a non-negative number, fractions kept."""
    value = cells.required(column)
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        raise cells.error(column, "not a count", COUNT_EXPECTED) from None
    if number != number or number < 0 or number == float("inf"):
        raise cells.error(column, "not a count", COUNT_EXPECTED)
    return number


def cell_pcode(cells: Cells, column: str) -> str:
    value = cells.required(column).upper()
    if not _PCODE.fullmatch(value):
        raise cells.error(column, "not a p-code", "a p-code such as C4121 or SY07")
    return value


def name_key(name: str) -> str:
    """A governorate name reduced for matching: case, spaces, hyphens and apostrophes ignored."""
    return re.sub(r"[\s\-'\u2019`_.]+", "", name).casefold()


def movement(cells: Cells, key: RecordKey, **fields: Any) -> Movement:
    try:
        return Movement(key=key, sources=[HNAP_SOURCE], **fields)
    except ValidationError as exc:
        raise cells.error(None, str(exc)) from None


class _CommunityImporter:
    """Arrivals or returns by community: one movement into each community for the month."""

    name: ClassVar[str]
    summary: ClassVar[str]
    default_dataset: ClassVar[str]
    count_column: ClassVar[str]
    prefix: ClassVar[str]
    movement_type: ClassVar[str]
    format_name: ClassVar[str]

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        required = ("month", "community", "community_pcode", self.count_column)
        for cells in CsvRows(path, required=required, progress=progress, format_name=self.format_name):
            start, end = cell_month(cells, "month")
            pcode = cell_pcode(cells, "community_pcode")
            yield movement(
                cells,
                RecordKey(dataset, f"{self.prefix}:{start:%Y-%m}:{pcode}"),
                period_start=start,
                period_end=end,
                individuals=cell_count(cells, self.count_column),
                dest_pcode=pcode,
                dest_name=cells.required("community"),
                movement_type=self.movement_type,
            )


class HnapArrivalsImporter(_CommunityImporter):
    name: ClassVar[str] = "hnap-arrivals"
    summary: ClassVar[str] = (
        "HNAP IDP arrivals by destination community (month, community_pcode, idp_arrivals)"
    )
    default_dataset: ClassVar[str] = "hnap-arrivals"
    count_column: ClassVar[str] = "idp_arrivals"
    prefix: ClassVar[str] = "arrivals"
    movement_type: ClassVar[str] = "displacement"
    format_name: ClassVar[str] = "an HNAP arrivals-by-community sheet"


class HnapReturnsImporter(_CommunityImporter):
    name: ClassVar[str] = "hnap-returns"
    summary: ClassVar[str] = "HNAP spontaneous returns by community (month, community_pcode, return_arrivals)"
    default_dataset: ClassVar[str] = "hnap-returns"
    count_column: ClassVar[str] = "return_arrivals"
    prefix: ClassVar[str] = "returns"
    movement_type: ClassVar[str] = "return"
    format_name: ClassVar[str] = "an HNAP returns-by-community sheet"


class _GovernorateImporter:
    """Reads governorate names; ``prepare`` adds the names of the admin1 places in the store."""

    def __init__(self) -> None:
        self._codes: dict[str, str] = {name_key(n): code for n, code in SYRIA_GOVERNORATES.items()}
        self._names: dict[str, str] = {code: n for n, code in SYRIA_GOVERNORATES.items()}

    def prepare(self, store: Store) -> None:
        """Learn the governorates loaded in the store (their names, Arabic names and variants).

        A store name wins over the built-in table when both know it; the built-in table fills
        in when no boundaries are loaded.
        """
        for place in store.list("place", RecordFilter(levels=(int(AdminLevel.ADM1),))):
            if place.level == AdminLevel.ADM1:
                self._names[place.pcode] = place.name_en
                for name in place.all_names():
                    self._codes[name_key(name)] = place.pcode

    def governorate(self, cells: Cells, column: str) -> tuple[str, str]:
        """The p-code and name of the governorate a cell names."""
        name = cells.required(column)
        code = self._codes.get(name_key(name))
        if code is None:
            known = sorted(set(self._names.values()))
            raise cells.error(column, "not a Syrian governorate", "one of " + ", ".join(known))
        return code, name


class HnapOriginDestinationImporter(_GovernorateImporter):
    name: ClassVar[str] = "hnap-od"
    summary: ClassVar[str] = (
        "HNAP origin x destination governorate IDP movements "
        "(month, origin_governorate, destination_governorate, idp_movements)"
    )
    default_dataset: ClassVar[str] = "hnap-od"

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        required = ("month", "origin_governorate", "destination_governorate", "idp_movements")
        rows = CsvRows(
            path, required=required, progress=progress, format_name="an HNAP origin-destination sheet"
        )
        for cells in rows:
            start, end = cell_month(cells, "month")
            origin: str | None = None
            origin_name: str | None = None
            if (cells.text("origin_governorate") or "").casefold() != UNKNOWN_ORIGIN:
                origin, origin_name = self.governorate(cells, "origin_governorate")
            dest, dest_name = self.governorate(cells, "destination_governorate")
            yield movement(
                cells,
                RecordKey(dataset, f"od:{start:%Y-%m}:{origin or UNKNOWN_ORIGIN}:{dest}"),
                period_start=start,
                period_end=end,
                individuals=cell_count(cells, "idp_movements"),
                origin_pcode=origin,
                origin_name=origin_name,
                dest_pcode=dest,
                dest_name=dest_name,
            )


class HnapMonthlyImporter(_GovernorateImporter):
    name: ClassVar[str] = "hnap-monthly"
    summary: ClassVar[str] = "HNAP monthly IDP arrivals per governorate (governorate, month, idp_arrivals)"
    default_dataset: ClassVar[str] = "hnap-monthly"

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        required = ("governorate", "month", "idp_arrivals")
        rows = CsvRows(
            path, required=required, progress=progress, format_name="an HNAP monthly arrivals series"
        )
        for cells in rows:
            start, end = cell_month(cells, "month")
            dest, dest_name = self.governorate(cells, "governorate")
            yield movement(
                cells,
                RecordKey(dataset, f"monthly:{start:%Y-%m}:{dest}"),
                period_start=start,
                period_end=end,
                individuals=cell_count(cells, "idp_arrivals"),
                dest_pcode=dest,
                dest_name=dest_name,
            )


__all__ = [
    "HNAP_SOURCE",
    "SYRIA_GOVERNORATES",
    "HnapArrivalsImporter",
    "HnapMonthlyImporter",
    "HnapOriginDestinationImporter",
    "HnapReturnsImporter",
    "month_span",
]
