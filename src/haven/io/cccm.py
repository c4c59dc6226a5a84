"""CCCM Cluster and OCHA files on IDP sites and community populations in north Syria.

* ``cccm-population``: OCHA/CCCM monthly population and IDP tracking by community -> stock
  :class:`Figure` records (population, IDPs, and their households) and the 30-day new arrivals,
  departures and returnee arrivals as :class:`Movement` records;
* ``cccm-sites``: the CCCM site register (``admin4pcode``, ``site_pcode``, ``site_name``,
  ``location_type``) -> one :class:`Site` per row;
* ``cccm-site-tracker``: the tracker of IDP sites and reception centres (coordinates, capacity,
  people by sex and age, shelter, open/closed) -> a :class:`Site` and a :class:`SiteSnapshot` per site.

How rows become records, and why, is in ``docs/formats/cccm.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from haven.errors import InputError, ValidationError
from haven.io.hnap import cell_count, cell_month, cell_pcode
from haven.io.reading import DATE_EXPECTED, Cells, CsvRows, Progress, read_date
from haven.model import (
    Figure,
    Movement,
    Qualifier,
    RecordKey,
    Reliability,
    ShelterBreakdown,
    Site,
    SiteKind,
    SiteSnapshot,
    Source,
)

CCCM_POPULATION_SOURCE = Source(
    "OCHA / CCCM Cluster",
    "Monthly population and IDP tracking, northern Syria",
    None,
    None,
    Reliability.B,
)
CCCM_SITES_SOURCE = Source("CCCM Cluster (NW Syria)", "IDP site codes", None, None, Reliability.B)
CCCM_TRACKER_SOURCE = Source(
    "CCCM Cluster (NW Syria)", "IDP sites and reception centres tracker", None, None, Reliability.B
)

# Values the field writes for "nothing here".
_MISSING = frozenset({"", "na", "n/a", "-", "--", "none", "null"})
_SITE_CODE = re.compile(r"(CP|TEMP)[0-9]+")

# location_type of the site register. "NWS sites" and "NES sites" name the region (north-west and
# north-east Syria), not a kind of site, and 767 rows leave the type blank: the sites the register
# shares with the tracker include planned camps, reception and collective centres under those three
# labels, so they map to OTHER rather than to a guessed kind. Schools are the usual collective centre.
SITE_LIST_KINDS: dict[str, SiteKind] = {
    "Planned Camp": SiteKind.CAMP,
    "Informal Site": SiteKind.INFORMAL_SETTLEMENT,
    "Collective Center": SiteKind.COLLECTIVE_CENTRE,
    "School": SiteKind.COLLECTIVE_CENTRE,
    "Reception Center": SiteKind.RECEPTION_CENTRE,
    "NWS sites": SiteKind.OTHER,
    "NES sites": SiteKind.OTHER,
    "": SiteKind.OTHER,
}
# type_of_location of the tracker. A hospital may be a shelter or a health facility: OTHER.
TRACKER_KINDS: dict[str, SiteKind] = {
    "Planned Camp": SiteKind.CAMP,
    "Informal Site": SiteKind.INFORMAL_SETTLEMENT,
    "Collective Center": SiteKind.COLLECTIVE_CENTRE,
    "School": SiteKind.COLLECTIVE_CENTRE,
    "Reception Center": SiteKind.RECEPTION_CENTRE,
    "Hospital": SiteKind.OTHER,
}
# shelter_details names one kind of shelter for the whole site; everyone in it is counted there.
SHELTER_FIELDS: dict[str, str] = {
    "Tents": "tents",
    "Caravans": "other",
    "Cement construction": "other",
    "Cement rooms": "other",
    "Unfinished buildings": "unfinished_buildings",
    "Collective shelter": "collective",
    "Open air": "open_air",
}
SITE_STATUSES = ("open", "closed")


# ---------------------------------------------------------------- names
def squash(text: str) -> str:
    """Collapse runs of whitespace and strip the ends."""
    return " ".join(text.split())


def _has_arabic(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("ARABIC") and ch.isalpha() for ch in text)


def _has_latin(text: str) -> bool:
    return any(ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def _arabic_only(text: str) -> bool:
    return _has_arabic(text) and not _has_latin(text)


def split_site_name(text: str) -> tuple[str, str | None]:
    """Split "English / Arabic" (or "Arabic / English") into the English and the Arabic name.

    The English part may hold slashes of its own ("Shahba'1 (Bab Al Hawa Lower/1)/ الشهبا 1"), so an
    English-first name splits at the last slash and an Arabic-first one at the first. A name with no
    such split is returned whole; an Arabic-only name serves as both names.
    """
    name = squash(text)
    last = name.rfind("/")
    if last >= 0:
        left, right = squash(name[:last]), squash(name[last + 1 :])
        if _has_latin(left) and _arabic_only(right):
            return left, right
    first = name.find("/")
    if first >= 0:
        left, right = squash(name[:first]), squash(name[first + 1 :])
        if _arabic_only(left) and _has_latin(right):
            return right, left
    if _arabic_only(name):
        return name, name
    return name, None


def _slug(text: str) -> str:
    return "-".join(re.findall(r"\w+", text.casefold()))


def _present(cells: Cells, column: str) -> str | None:
    """A cell's text, or None for blank and the field's "NA", "N/A", "-"."""
    value = squash(cells.values.get(column) or "")
    return None if value.casefold() in _MISSING else value


def _site_code(cells: Cells, column: str) -> str | None:
    """A CP- or TEMP- site code, normalised; None where the file has none."""
    value = _present(cells, column)
    if value is None:
        return None
    code = value.replace(" ", "").upper()
    if not _SITE_CODE.fullmatch(code):
        raise cells.error(column, "not a site code", "a CCCM site code such as CP000613 or TEMP027, or N/A")
    return code


def _whole(cells: Cells, column: str) -> int | None:
    """A whole non-negative number, or None where the file says NA."""
    if _present(cells, column) is None:
        return None
    return cells.integer(column, lo=0, hi=10_000_000)


def _choice(cells: Cells, column: str, table: dict[str, Any], *, missing_ok: bool = False) -> Any:
    """Look a cell up in a table, ignoring case and extra spaces; blank is the "" entry if any."""
    value = _present(cells, column)
    if value is None and missing_ok:
        return None
    found = {name.casefold(): result for name, result in table.items()}.get((value or "").casefold())
    if found is None:
        shown = [name for name in table if name]
        raise cells.error(column, "not an accepted value", "one of " + ", ".join(shown))
    return found


# ---------------------------------------------------------------- population
def _month_end_window(end: date, days: int = 30) -> tuple[date, date]:
    return end - timedelta(days=days - 1), end


class CccmPopulationImporter:
    """Community population and IDP stock, with the 30-day flows, from the monthly tracking sheet.

    Record ids carry the sub-district as well as the community (``idps:2022-11:C4141:SY070302``):
    the November 2022 sheet reports two communities (C1658, C4141) twice, under two sub-districts.
    """

    name: ClassVar[str] = "cccm-population"
    summary: ClassVar[str] = (
        "OCHA/CCCM monthly population and IDPs by community (date, admin4pcode, population_individuals, ...)"
    )
    default_dataset: ClassVar[str] = "cccm-population"

    STOCKS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("population", "population_individuals"),
        ("households", "population_hhs"),
        ("idps", "idps_individuals"),
        ("idp_households", "idps_hhs"),
    )
    # (record id prefix, individuals column, households column, movement type, into the community?)
    FLOWS: ClassVar[tuple[tuple[str, str, str, str, bool], ...]] = (
        ("arrivals", "new_idp_arrivals_30d_individuals", "new_idp_arrivals_30d_hhs", "displacement", True),
        ("departures", "departures_30d_individuals", "departures_30d_hhs", "displacement", False),
        ("returns", "returnee_arrivals_30d_individuals", "returnee_arrivals_30d_hhs", "return", True),
    )
    REQUIRED: ClassVar[tuple[str, ...]] = (
        "date", "admin3pcode", "admin4pcode", "admin4name_en",
        *(column for _, column in STOCKS),
        *(column for flow in FLOWS for column in flow[1:3]),
    )  # fmt: skip

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        rows = CsvRows(
            path, required=self.REQUIRED, progress=progress, format_name="an OCHA/CCCM population sheet"
        )
        for cells in rows:
            _, month_end = cell_month(cells, "date")
            community = cell_pcode(cells, "admin4pcode")
            subdistrict = cell_pcode(cells, "admin3pcode")
            name = cells.required("admin4name_en")
            suffix = f"{month_end:%Y-%m}:{community}:{subdistrict}"
            for metric, column in self.STOCKS:
                yield Figure(
                    key=RecordKey(dataset, f"{metric}:{suffix}"),
                    metric=metric,
                    value=cell_count(cells, column),
                    qualifier=Qualifier.EXACT,
                    subgroup="all",
                    as_of=month_end,
                    area_name=name,
                    area_pcode=community,
                    sources=[CCCM_POPULATION_SOURCE],
                )
            start, end = _month_end_window(month_end)
            for prefix, people, households, kind, inward in self.FLOWS:
                ends: dict[str, Any] = {"dest_pcode": community, "dest_name": name}
                if not inward:
                    ends = {"origin_pcode": community, "origin_name": name}
                try:
                    yield Movement(
                        key=RecordKey(dataset, f"{prefix}:{suffix}"),
                        period_start=start,
                        period_end=end,
                        individuals=cell_count(cells, people),
                        households=cell_count(cells, households),
                        movement_type=kind,
                        sources=[CCCM_POPULATION_SOURCE],
                        **ends,
                    )
                except ValidationError as exc:
                    raise cells.error(None, str(exc)) from None


# ---------------------------------------------------------------- site register
class CccmSiteListImporter:
    """The CCCM register of IDP sites and their host communities. It has no coordinates."""

    name: ClassVar[str] = "cccm-sites"
    summary: ClassVar[str] = "CCCM IDP site register (admin4pcode, site_pcode, site_name, location_type)"
    default_dataset: ClassVar[str] = "cccm-sites"

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        required = ("admin4pcode", "site_pcode", "site_name", "location_type")
        for cells in CsvRows(path, required=required, progress=progress, format_name="a CCCM site register"):
            community = cell_pcode(cells, "admin4pcode")
            code = _site_code(cells, "site_pcode")
            name, name_ar = split_site_name(cells.required("site_name"))
            yield Site(
                key=RecordKey(dataset, code or f"{community}:{_slug(name)}"),
                name=name,
                name_ar=name_ar,
                kind=_choice(cells, "location_type", SITE_LIST_KINDS),
                site_pcode=code,
                place_pcode=community,
                sources=[CCCM_SITES_SOURCE],
            )


# ---------------------------------------------------------------- site tracker
class CccmSiteTrackerImporter:
    """The CCCM tracker of IDP sites and reception centres: a site and its snapshot per row.

    The tracker carries no date. Give ``as_of`` (the date the tracker describes), or add an
    ``as_of`` column (YYYY-MM-DD) to the file; a file with neither is refused before any row is read.

    Two kinds of rows are not imported; their row numbers are kept in :attr:`skipped`:

    * rows that name no site at all (site code, English and Arabic name all missing);
    * repeats of an earlier row that differ from it only in ``admin3pcode`` (the 2023 file repeats
      21 sites 19 times each, one copy per unrelated sub-district code).

    A site that appears twice with different figures is an error.
    """

    name: ClassVar[str] = "cccm-site-tracker"
    summary: ClassVar[str] = "CCCM tracker of IDP sites and reception centres (site_pcode, individuals, ...)"
    default_dataset: ClassVar[str] = "cccm-site-tracker"

    REQUIRED: ClassVar[tuple[str, ...]] = (
        "admin1pcode", "community", "admin4pcode", "site_pcode", "site_name", "site_name_ar",
        "type_of_location", "shelter_details", "planned_capacity_hh", "families", "individuals",
        "girls_children_under_18", "boys_children_under_18", "women_female_adults", "men_male_adults",
        "latitude", "longitude", "status",
    )  # fmt: skip
    # Columns that differ between the copies of a repeated row.
    UNRELIABLE: ClassVar[frozenset[str]] = frozenset({"admin3pcode"})

    def __init__(self, as_of: date | None = None) -> None:
        self.as_of = as_of
        self.skipped: list[int] = []

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        self.skipped = []
        rows = CsvRows(path, required=self.REQUIRED, progress=progress, format_name="a CCCM site tracker")
        seen: dict[str, tuple[int, dict[str, str]]] = {}
        for cells in rows:
            as_of = self._row_as_of(cells, path)
            if all(_present(cells, c) is None for c in ("site_pcode", "site_name", "site_name_ar")):
                self.skipped.append(cells.row)
                continue
            site = self.site(cells, dataset)
            content = {k: squash(v) for k, v in cells.values.items() if k not in self.UNRELIABLE}
            earlier = seen.get(site.key.record_id)
            if earlier is not None:
                if earlier[1] == content:
                    self.skipped.append(cells.row)
                    continue
                raise cells.error(
                    None,
                    f"site {site.key.record_id} is also on row {earlier[0]:,} with different values",
                )
            seen[site.key.record_id] = (cells.row, content)
            yield site
            yield self.snapshot(cells, site, as_of)

    def _row_as_of(self, cells: Cells, path: Path) -> date:
        """The row's as_of cell, else the importer's ``as_of``; refuses a row with neither."""
        if _present(cells, "as_of") is not None:
            try:
                return read_date(squash(cells.values["as_of"]))
            except ValueError:
                raise cells.error("as_of", "not a date", DATE_EXPECTED) from None
        if self.as_of is not None:
            return self.as_of
        if "as_of" in cells.values:
            raise cells.error(
                "as_of", "a value is required here (no as_of was given to the importer)", DATE_EXPECTED
            )
        raise InputError(
            str(path),
            "the CCCM site tracker carries no date: give the date it describes as as_of "
            "(CccmSiteTrackerImporter(as_of=...)) or add an as_of column",
            expected=DATE_EXPECTED,
        )

    def site(self, cells: Cells, dataset: str) -> Site:
        code = _site_code(cells, "site_pcode")
        english, arabic = _present(cells, "site_name"), _present(cells, "site_name_ar")
        if arabic is not None and not _has_arabic(arabic):
            arabic = None  # "(  )" and the like
        name = english or arabic
        if name is None:
            raise cells.error("site_name", "a site needs a name", "an English or Arabic name")
        community = _present(cells, "admin4pcode")
        if community is not None:
            community = cell_pcode(cells, "admin4pcode")
        if code is None:
            where = community or "-".join(
                part for part in (_present(cells, "admin1pcode"), _slug(cells.values["community"])) if part
            )
            record_id = f"{where}:{_slug(name)}"
        else:
            record_id = code
        lat = None if _present(cells, "latitude") is None else cells.number("latitude", lo=-90, hi=90)
        lon = None if _present(cells, "longitude") is None else cells.number("longitude", lo=-180, hi=180)
        return Site(
            key=RecordKey(dataset, record_id),
            name=name,
            name_ar=arabic,
            kind=_choice(cells, "type_of_location", TRACKER_KINDS),
            site_pcode=code,
            place_pcode=community,
            # Both coordinates or none: one row has a longitude without a latitude.
            point=(lon, lat) if lat is not None and lon is not None else None,
            capacity_households=_whole(cells, "planned_capacity_hh"),
            sources=[CCCM_TRACKER_SOURCE],
        )

    def snapshot(self, cells: Cells, site: Site, as_of: date) -> SiteSnapshot:
        individuals = _whole(cells, "individuals")
        if individuals is None:
            raise cells.error("individuals", "a value is required here", "a whole number of people")
        girls, boys = _whole(cells, "girls_children_under_18"), _whole(cells, "boys_children_under_18")
        where = _choice(cells, "shelter_details", SHELTER_FIELDS, missing_ok=True)
        status = _present(cells, "status")
        if status is None or status.casefold() not in SITE_STATUSES:
            raise cells.error("status", "not an accepted value", "one of " + ", ".join(SITE_STATUSES))
        try:
            return SiteSnapshot(
                key=RecordKey(site.key.dataset, f"{site.key.record_id}:{as_of.isoformat()}"),
                site_key=site.key,
                as_of=as_of,
                individuals=individuals,
                households=_whole(cells, "families"),
                children=girls + boys if girls is not None and boys is not None else None,
                women=_whole(cells, "women_female_adults"),
                men=_whole(cells, "men_male_adults"),
                shelter=ShelterBreakdown(**{where: individuals}) if where else None,
                status=status.casefold(),
                sources=[CCCM_TRACKER_SOURCE],
            )
        except ValidationError as exc:
            raise cells.error(None, str(exc)) from None


__all__ = [
    "CccmPopulationImporter",
    "CccmSiteListImporter",
    "CccmSiteTrackerImporter",
    "split_site_name",
]
