"""The one table of HXL hashtags Haven reads and writes, for every kind of record.

HXL (hxlstandard.org) puts a row of hashtags under a file's header row; a column is known by
its hashtag and attributes, never by its header text. Each :class:`Tag` here names a Haven field,
the hashtag the exporter writes for it, and the tag patterns the importer accepts for it.

Patterns use libhxl's syntax: ``#affected+hh`` matches any ``#affected`` column with ``+hh``;
``-children`` excludes columns carrying ``+children``. When a column matches patterns of several
fields, the field whose pattern names the most attributes takes it; a field fed by several columns
reads, in each row, the first non-empty one in pattern order (so ``#adm4+code+origin`` is preferred
to ``#adm1+code+origin``). Attributes the tables do not name (``+idps``, ``+num``, ...) are ignored.

Values: dates are ISO ``YYYY-MM-DD`` (a lone ``#date`` may be a month, ``2020-02``); several
sources are joined with ``"; "``, their titles and addresses in the same order; precision codes are
written ``scheme:code`` (``acled:1``).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from haven.io.reading import read_date

ValueType = Literal["text", "int", "number", "date", "period", "flag", "list"]


@dataclass(frozen=True, slots=True)
class Tag:
    """One Haven field and how it appears in HXL."""

    field: str
    hashtag: str  # written on export; the importer must read it back as this field
    header: str  # header text written on export (never read)
    patterns: tuple[str, ...]  # accepted on import, in order of preference
    type: ValueType = "text"
    export: bool = True  # False: accepted on import only
    note: str = ""


def _t(
    field: str,
    hashtag: str,
    header: str,
    *accepts: str,
    type: ValueType = "text",
    export: bool = True,
    note: str = "",
) -> Tag:
    return Tag(field, hashtag, header, (*accepts,) if accepts else (hashtag,), type, export, note)


_SOURCES = (
    _t("sources", "#org+source", "Sources", "#org", type="list", note="publishers, joined with '; '"),
    _t("source_titles", "#meta+source", "Source titles", "#meta+source", type="list", note="same order"),
    _t("source_urls", "#meta+url", "Source links", "#meta+url", type="list", note="same order"),
)
_PUBLISHED = _t(
    "location_precision",
    "#meta+precision+published",
    "Location precision",
    "#meta+precision+published",
    note="'as recorded', or '0.1 degree grid cell centre' in a public export",
)
_PEOPLE = "#affected-hh-children-f-m-shelter"  # a head count, not one of its parts


_LEVELS = ("loc", "adm4", "adm3", "adm2", "adm1")


def _origin_or_dest(end: str, what: str, label: str) -> Tag:
    return _t(
        f"{end}_{what}",
        f"#loc+{what}+{end}",
        f"{label} {'p-code' if what == 'code' else 'name'}",
        *(f"#{level}+{what}+{end}" for level in _LEVELS),
        note="#loc or the finest of #adm4..#adm1" if end == "origin" else "",
    )


EVENT_TAGS: tuple[Tag, ...] = (
    _t("record_id", "#event+id", "Event id"),
    _t("status", "#status", "Review status", "#status", note="unverified, under_review, verified, ..."),
    _t("event_type", "#event+type", "Event type", "#event+type-sub"),
    _t("sub_event_type", "#event+subtype", "Sub-event type", "#event+subtype", "#event+type+sub"),
    _t("disorder_type", "#event+disorder", "Disorder type"),
    _t("violence_type", "#event+violence", "Violence type"),
    _t("date_start", "#date+start", "Start date", "#date+start", "#date+occurred", type="date"),
    _t("date_end", "#date+end", "End date", type="date"),
    _t("date_precision", "#meta+precision+date", "Date precision", note="scheme:code, e.g. acled:1"),
    _t("actor1", "#group+first+name", "Actor 1", "#group+first-type-assoc"),
    _t("actor1_type", "#group+first+type", "Actor 1 type", note="an ACLED actor type or its code 1-8"),
    _t("assoc_actor1", "#group+first+assoc", "Associated actors 1", note="joined with '; '"),
    _t("actor2", "#group+second+name", "Actor 2", "#group+second-type-assoc"),
    _t("actor2_type", "#group+second+type", "Actor 2 type"),
    _t("assoc_actor2", "#group+second+assoc", "Associated actors 2"),
    _t("civilian_targeting", "#meta+civilians+targeted", "Civilian targeting", type="flag"),
    _t("country_iso", "#country+code", "Country"),
    _t("admin1", "#adm1+name", "Admin 1"),
    _t("admin2", "#adm2+name", "Admin 2"),
    _t("admin3", "#adm3+name", "Admin 3"),
    _t("location_name", "#loc+name", "Location"),
    _t("place_pcode", "#loc+code", "Location p-code"),
    _t("lat", "#geo+lat", "Latitude", type="number"),
    _t("lon", "#geo+lon", "Longitude", type="number"),
    _t("geo_precision", "#meta+precision+geo", "Geo precision", note="scheme:code, e.g. acled:2"),
    _PUBLISHED,
    _t("fatalities_low", "#affected+killed+low", "Fatalities (low)", type="number"),
    _t(
        "fatalities_best",
        "#affected+killed+best",
        "Fatalities (best)",
        "#affected+killed+best",
        "#affected+killed-low-high",
        type="number",
    ),
    _t("fatalities_high", "#affected+killed+high", "Fatalities (high)", type="number"),
    _t("injured_low", "#affected+injured+low", "Injured (low)", type="number"),
    _t(
        "injured_best",
        "#affected+injured+best",
        "Injured (best)",
        "#affected+injured+best",
        "#affected+injured-low-high",
        type="number",
    ),
    _t("injured_high", "#affected+injured+high", "Injured (high)", type="number"),
    _t("notes", "#description", "Notes"),
    _t("tags", "#meta+tags", "Tags"),
    *_SOURCES,
)

MOVEMENT_TAGS: tuple[Tag, ...] = (
    _t("record_id", "#meta+id", "Record id", note="else a hash of the row"),
    _t("movement_type", "#meta+movement", "Movement type", note="displacement (default) or return"),
    _t("period_start", "#date+start", "Period start", type="date"),
    _t("period_end", "#date+end", "Period end", type="date"),
    _t(
        "period",
        "#date",
        "Date",
        "#date-start-end-reported",
        type="period",
        export=False,
        note="instead of start and end: a day, or a month as 2020-02",
    ),
    _origin_or_dest("origin", "code", "Origin"),
    _origin_or_dest("origin", "name", "Origin"),
    _origin_or_dest("dest", "code", "Destination"),
    _origin_or_dest("dest", "name", "Destination"),
    _t(
        "individuals",
        "#affected+idps+ind",
        "Individuals",
        _PEOPLE,
        type="number",
        note="#affected+ind or #affected+idps+ind",
    ),
    _t("households", "#affected+idps+hh", "Households", "#affected+hh", type="number"),
    _t("children", "#affected+idps+children", "Children", "#affected+children-f-m", type="number"),
    _t("women", "#affected+idps+f", "Women", "#affected+f-children", type="number"),
    _t("men", "#affected+idps+m", "Men", "#affected+m-children", type="number"),
    *_SOURCES,
)

SHELTER_FIELDS = ("open_air", "tents", "unfinished", "collective", "other")

SITE_TAGS: tuple[Tag, ...] = (
    _t("record_id", "#meta+id", "Record id", note="else the site p-code"),
    _t("site_pcode", "#loc+code", "Site p-code"),
    _t("name", "#loc+name", "Site name", "#loc+name-i_ar"),
    _t("name_ar", "#loc+name+i_ar", "Site name (Arabic)"),
    _t("kind", "#loc+type", "Site type", note="camp, informal settlement, collective centre, ..."),
    _t("place_pcode", "#adm4+code", "Community p-code", note="the host community"),
    _t("lat", "#geo+lat", "Latitude", type="number"),
    _t("lon", "#geo+lon", "Longitude", type="number"),
    _PUBLISHED,
    _t("capacity_individuals", "#capacity+ind", "Capacity (individuals)", "#capacity-hh", type="int"),
    _t("capacity_households", "#capacity+hh", "Capacity (households)", type="int"),
    _t(
        "as_of",
        "#date+asof",
        "Population as of",
        "#date+asof",
        "#date+reported",
        "#date-start-end",
        type="date",
    ),
    _t("status", "#status", "Site status", note="open or closed"),
    _t("individuals", "#affected+idps+ind", "IDPs (individuals)", _PEOPLE, type="int"),
    _t("households", "#affected+idps+hh", "IDPs (households)", "#affected+hh-shelter", type="int"),
    _t(
        "children", "#affected+idps+children", "IDPs (children)", "#affected+children-f-m-shelter", type="int"
    ),
    _t("women", "#affected+idps+f", "IDPs (women)", "#affected+f-children-shelter", type="int"),
    _t("men", "#affected+idps+m", "IDPs (men)", "#affected+m-children-shelter", type="int"),
    *(
        _t(f"shelter_{name}", f"#affected+shelter+{name}", f"In {name.replace('_', ' ')} shelter", type="int")
        for name in SHELTER_FIELDS
    ),
    *_SOURCES,
)

FIGURE_TAGS: tuple[Tag, ...] = (
    _t("record_id", "#meta+id", "Record id", note="else a hash of the row"),
    _t("metric", "#indicator+name", "Metric", "#indicator-subgroup"),
    _t("subgroup", "#indicator+subgroup", "Subgroup", note="default 'all'"),
    _t("value", "#value", "Value", "#value", "#affected", "#population", type="number"),
    _t("qualifier", "#meta+qualifier", "Qualifier", note="exact, about, over, almost, at least, up to"),
    _t("as_of", "#date+asof", "As of", "#date+asof", "#date-start-end-reported", type="date"),
    _t("period_start", "#date+start", "Counted from", type="date"),
    _t("period_end", "#date+end", "Counted to", type="date"),
    _t("reported_on", "#date+reported", "Reported on", type="date"),
    _t(
        "area_pcode",
        "#loc+code",
        "Area p-code",
        "#loc+code",
        "#adm4+code",
        "#adm3+code",
        "#adm2+code",
        "#adm1+code",
        "#country+code",
    ),
    _t(
        "area_name",
        "#loc+name",
        "Area",
        "#loc+name",
        "#adm4+name",
        "#adm3+name",
        "#adm2+name",
        "#adm1+name",
        "#country+name",
    ),
    *_SOURCES,
)

PLACE_TAGS: tuple[Tag, ...] = (
    _t("pcode", "#loc+code", "P-code"),
    _t("level", "#meta+level", "Admin level", type="int"),
    _t("name_en", "#loc+name", "Name", "#loc+name-i_ar"),
    _t("name_ar", "#loc+name+i_ar", "Name (Arabic)"),
    _t("adm0_pcode", "#country+code", "Country p-code"),
    _t("adm1_pcode", "#adm1+code", "Admin 1 p-code"),
    _t("adm2_pcode", "#adm2+code", "Admin 2 p-code"),
    _t("adm3_pcode", "#adm3+code", "Admin 3 p-code"),
    _t("kind", "#loc+type", "Kind"),
    _t("population", "#population", "Population", type="int"),
    _t("lat", "#geo+lat", "Latitude", type="number"),
    _t("lon", "#geo+lon", "Longitude", type="number"),
    _t("alt_names", "#loc+name+alt", "Other names", type="list"),
)

TAGS: dict[str, tuple[Tag, ...]] = {
    "event": EVENT_TAGS,
    "movement": MOVEMENT_TAGS,
    "site": SITE_TAGS,
    "figure": FIGURE_TAGS,
    "place": PLACE_TAGS,
}

# Kinds the importer reads, and the tag patterns that say a sheet holds that kind, tried in order.
DETECT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("event", ("#event",)),
    ("movement", tuple(f"#{level}+{end}" for end in ("origin", "dest") for level in _LEVELS)),
    ("figure", ("#indicator", "#value")),
    ("site", ("#loc+type", "#capacity", "#affected+shelter", "#loc")),
)
IMPORT_KINDS: tuple[str, ...] = tuple(kind for kind, _ in DETECT)


def exported(kind: str) -> tuple[Tag, ...]:
    """The tags written for a kind, in column order."""
    return tuple(tag for tag in TAGS[kind] if tag.export)


# ---------------------------------------------------------------- values
# How values are written in cells, shared by the importer and the exporters.
LIST_SEPARATOR = "; "
_MONTH_FORMATS = ("%B %Y", "%b %Y")


def join_list(items: Sequence[str | None]) -> str:
    """Several values in one cell; a missing one stays an empty slot so positions still line up."""
    return LIST_SEPARATOR.join(item or "" for item in items).strip() if any(items) else ""


def split_list(text: str | None) -> list[str]:
    """The values of a cell written by :func:`join_list` (empty slots kept as '')."""
    if not text or not text.strip():
        return []
    return [part.strip() for part in text.split(";")]


def format_precision(scheme: str, code: int) -> str:
    return f"{scheme}:{code}"


def parse_precision(text: str) -> tuple[str, int]:
    """``acled:1`` to ("acled", 1); a bare code is in Haven's own scheme. ``ValueError`` if neither."""
    scheme, _, code = text.strip().rpartition(":")
    scheme = scheme.strip().lower() or "haven"
    if not code.strip().isdigit():
        raise ValueError(f"{text!r} is not a precision code")
    return scheme, int(code)


def parse_period(text: str) -> tuple[date, date]:
    """A lone ``#date``: a day ("2020-02-15", "15 February 2020") or a month ("2020-02", "February 2020")."""
    value = text.strip()
    month: date | None = None
    if len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit():
        with suppress(ValueError):
            month = date(int(value[:4]), int(value[5:]), 1)
    for fmt in _MONTH_FORMATS:
        if month is None:
            with suppress(ValueError):
                month = datetime.strptime(value, fmt).date()
    if month is not None:
        last = calendar.monthrange(month.year, month.month)[1]
        return month, month.replace(day=last)
    day = read_date(value)
    return day, day


def cell_text(value: object) -> str:
    """A value as cell text: ISO dates, whole numbers without '.0', yes/no flags, '' for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


__all__ = [
    "DETECT",
    "IMPORT_KINDS",
    "SHELTER_FIELDS",
    "TAGS",
    "Tag",
    "ValueType",
    "cell_text",
    "exported",
    "format_precision",
    "join_list",
    "parse_period",
    "parse_precision",
    "split_list",
]
