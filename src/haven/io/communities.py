"""OCHA's p-coded list of communities (populated places), one row per community.

Columns as OCHA Syria publishes them: admin1pcode, admin1name_en, admin1name_ar, admin2pcode,
admin2name_en, admin2name_ar, admin3pcode, admin3name_en, admin3name_ar, admin4pcode, admin4name_en,
admin4name_ar, location_pcode, location_name_en, location_name_ar, location_type, last_update_date,
latitude, longitude; any other columns (the working groups add area-of-control fields) are ignored.

Each row gives a community at admin level 4 and names its governorate, district and sub-district, so
those come out as places too (names only): a community list alone makes a usable gazetteer, and when
boundaries are loaded as well the store keeps their polygons, because places merge column by column.
The admin0 p-code is not a column; it is the country code that starts every OCHA p-code ("SY").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from haven.errors import ValidationError
from haven.io.reading import Cells, CsvRows, Progress
from haven.model import AdminLevel, Place, Reliability, Source

COMMUNITIES_SOURCE = Source(
    "OCHA", "Populated places and communities with p-codes (C-codes)", None, None, Reliability.A
)

REQUIRED = ("admin1pcode", "admin1name_en", "admin2pcode", "admin2name_en", "admin3pcode", "admin3name_en",
            "location_pcode", "location_name_en", "latitude", "longitude")  # fmt: skip
_COUNTRY = re.compile(r"^([A-Z]{2,3})[0-9]")
_PCODE = re.compile(r"^[A-Z]{1,3}[0-9A-Z]+$")


class CommunitiesImporter:
    name: ClassVar[str] = "communities"
    summary: ClassVar[str] = "OCHA community list (admin1pcode ... location_pcode, latitude, longitude)"
    default_dataset: ClassVar[str] = "ocha-communities"

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        rows = CsvRows(path, required=REQUIRED, progress=progress, format_name="an OCHA community list")
        communities: dict[str, int] = {}  # p-code -> row that gave it
        units: dict[str, tuple[int, Place]] = {}
        for cells in rows:
            chain = self._admin_units(cells)
            for column, unit in chain:
                seen = units.get(unit.pcode)
                if seen is None:
                    units[unit.pcode] = (cells.row, unit)
                    yield unit
                elif seen[1].name_en != unit.name_en:
                    raise cells.error(
                        column.replace("pcode", "name_en"),
                        f"row {seen[0]} named {unit.pcode} {seen[1].name_en!r}",
                        "the same name for a p-code on every row",
                    )
            community = self._community(cells, tuple(u.pcode for _, u in chain))
            first = communities.setdefault(community.pcode, cells.row)
            if first != cells.row:
                raise cells.error(
                    "location_pcode", f"appears twice (first at row {first})", "each community once"
                )
            yield community

    @staticmethod
    def _pcode(cells: Cells, column: str) -> str:
        code = cells.required(column)
        if not _PCODE.match(code):
            raise cells.error(column, "not a p-code", "an OCHA p-code such as SY070301 or C3916")
        return code

    def _admin_units(self, cells: Cells) -> list[tuple[str, Place]]:
        """The governorate, district and sub-district a row names, each with its parents."""
        adm1 = self._pcode(cells, "admin1pcode")
        country = _COUNTRY.match(adm1)
        if country is None:
            raise cells.error("admin1pcode", "does not start with a country code", "a p-code such as SY07")
        parents: list[str] = [country.group(1)]
        units: list[tuple[str, Place]] = []
        for level in (1, 2, 3):
            column = f"admin{level}pcode"
            code = self._pcode(cells, column)
            if not code.startswith(parents[-1]):
                raise cells.error(
                    column, f"does not start with its parent p-code {parents[-1]}", f"{parents[-1]}..."
                )
            units.append(
                (
                    column,
                    Place(
                        pcode=code,
                        level=AdminLevel(level),
                        name_en=cells.required(f"admin{level}name_en"),
                        name_ar=cells.text(f"admin{level}name_ar"),
                        parents=tuple(parents),
                        sources=[COMMUNITIES_SOURCE],
                    ),
                )
            )
            parents.append(code)
        return units

    def _community(self, cells: Cells, chain: tuple[str, ...]) -> Place:
        pcode = self._pcode(cells, "location_pcode")
        lat = cells.number("latitude", required=True, lo=-90, hi=90)
        lon = cells.number("longitude", required=True, lo=-180, hi=180)
        name_en = cells.required("location_name_en")
        name_ar = cells.text("location_name_ar")
        # "Rayan (Saraqab)" is the list's unambiguous label; "Rayan" is what people call it.
        alt = [cells.text("admin4name_en"), cells.text("admin4name_ar")]
        country = _COUNTRY.match(chain[0])
        assert country is not None
        try:
            return Place(
                pcode=pcode,
                level=AdminLevel.ADM4,
                name_en=name_en,
                name_ar=name_ar,
                parents=(country.group(1), *chain),
                alt_names=tuple(dict.fromkeys(n for n in alt if n and n not in (name_en, name_ar))),
                point=(lon, lat),  # type: ignore[arg-type]
                kind=cells.text("location_type"),
                sources=[COMMUNITIES_SOURCE],
            )
        except ValidationError as exc:
            raise cells.error(None, str(exc)) from None


__all__ = ["CommunitiesImporter"]
