"""Haven's curated crisis files: reported figures, key events, agreements and crossings.

These are the small hand-made tables a crisis team keeps beside the big datasets: what OCHA and
others said and when, the turning points, the agreements in force, the crossings aid uses. Each
row names its source. Columns are described in ``docs/formats/reference-crisis.md``; the
reference crisis ``nw-syria-2020`` ships one file of each.

Lists inside a cell (parties, sources, alternative names) are separated by semicolons.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, ClassVar

from shapely.geometry.base import BaseGeometry

from haven.errors import ValidationError
from haven.io.reading import Cells, CsvRows, Progress
from haven.model import (
    ACLED_TAXONOMY,
    Actor,
    Agreement,
    AgreementKind,
    Crossing,
    CrossingStatus,
    Estimate,
    Event,
    Figure,
    GeoPrecision,
    PrecisionScheme,
    Qualifier,
    RecordKey,
    Source,
)

DATASET = "nw-syria-2020"

FIGURE_COLUMNS = (
    "figure_id", "reported_on", "as_of", "metric", "subgroup", "value", "qualifier", "area_name",
    "area_pcode", "period_start", "period_end", "source_org", "source_title",
)  # fmt: skip
FIGURE_REQUIRED = ("figure_id", "reported_on", "metric", "value", "source_org")
EVENT_COLUMNS = (
    "event_id", "date_start", "date_end", "place_as_reported", "location_pcode", "latitude", "longitude",
    "geo_precision", "event_type", "sub_event_type", "actor1", "actor2", "civilian_targeting",
    "fatalities_low", "fatalities_best", "fatalities_high", "injured", "notes", "sources",
)  # fmt: skip
EVENT_REQUIRED = ("event_id", "date_start", "event_type", "sub_event_type", "actor1")
AGREEMENT_COLUMNS = (
    "agreement_id", "name", "signed_on", "effective_from", "effective_to", "parties", "kind",
    "area_description", "provisions", "source",
)  # fmt: skip
AGREEMENT_REQUIRED = ("agreement_id", "name", "kind", "parties")
CROSSING_COLUMNS = (
    "crossing_id", "name", "alt_names", "latitude", "longitude", "border", "status", "status_from",
    "status_to", "note",
)  # fmt: skip
CROSSING_REQUIRED = ("crossing_id", "name", "latitude", "longitude", "status", "status_from")

_QUALIFIERS: dict[str, Qualifier] = {
    **{q.value: q for q in Qualifier},
    "approximately": Qualifier.ABOUT,
    "around": Qualifier.ABOUT,
    "more_than": Qualifier.OVER,
    "nearly": Qualifier.ALMOST,
}
QUALIFIER_EXPECTED = "one of " + ", ".join(q.value for q in Qualifier) + " (or empty for exact)"

# The words curated files use for an agreement's kind, and Haven's own values.
_AGREEMENT_KINDS: dict[str, AgreementKind] = {
    **{k.value.replace("_", " "): k for k in AgreementKind},
    "ceasefire and security corridor": AgreementKind.CEASEFIRE_AND_CORRIDOR,
    "security corridor": AgreementKind.CORRIDOR,
    "humanitarian corridor": AgreementKind.CORRIDOR,
    "demilitarised zone": AgreementKind.DEMILITARIZED_ZONE,
    "ultimatum": AgreementKind.DEADLINE,
    "humanitarian access": AgreementKind.ACCESS_RESOLUTION,
}
AGREEMENT_KIND_EXPECTED = "one of " + ", ".join(sorted(_AGREEMENT_KINDS))
DATETIME_EXPECTED = "a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)"
_END_OF_DAY = time(23, 59, 59)


def split_list(value: str | None) -> tuple[str, ...]:
    """The entries of a semicolon-separated cell, stripped, empty ones dropped."""
    return tuple(part.strip() for part in value.split(";") if part.strip()) if value else ()


def _invalid(cells: Cells, column: str | None, exc: ValidationError) -> Exception:
    return cells.error(column, str(exc))


class FiguresImporter:
    """``reported_figures.csv``: one reported number per row, with its qualifier, period and source."""

    name: ClassVar[str] = "figures"
    summary: ClassVar[str] = (
        "Reported figures (figure_id, reported_on, metric, value, qualifier, source_org, ...)"
    )
    default_dataset: ClassVar[str] = DATASET

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        rows = CsvRows(
            path, required=FIGURE_REQUIRED, progress=progress, format_name="a reported-figures file"
        )
        for cells in rows:
            yield self.figure(cells, dataset)

    def figure(self, cells: Cells, dataset: str) -> Figure:
        qualifier = Qualifier.EXACT
        if (text := cells.text("qualifier")) is not None:
            found = _QUALIFIERS.get(text.lower().replace(" ", "_").replace("-", "_"))
            if found is None:
                raise cells.error("qualifier", "not a qualifier", QUALIFIER_EXPECTED)
            qualifier = found
        reported_on = cells.day("reported_on", required=True)
        value = cells.number("value", required=True, lo=0)
        assert value is not None
        try:
            return Figure(
                key=RecordKey(dataset, cells.required("figure_id")),
                metric=cells.required("metric"),
                value=value,
                qualifier=qualifier,
                subgroup=cells.text("subgroup") or "all",
                as_of=cells.day("as_of"),
                period_start=cells.day("period_start"),
                period_end=cells.day("period_end"),
                reported_on=reported_on,
                area_name=cells.text("area_name"),
                area_pcode=cells.text("area_pcode"),
                sources=[Source(cells.required("source_org"), cells.text("source_title"), None, reported_on)],
            )
        except ValidationError as exc:
            raise _invalid(cells, None, exc) from None


class KeyEventsImporter:
    """``key_events.csv``: turning points in ACLED's taxonomy, with low/best/high fatalities.

    ``geo_precision`` uses ACLED's codes (1 exact place, 2 near a place, 3 a region). An event
    located only by an admin unit (a p-code such as SY07) or not at all has no point.
    """

    name: ClassVar[str] = "events"
    summary: ClassVar[str] = "Key events (event_id, date_start, event_type, sub_event_type, actor1, ...)"
    default_dataset: ClassVar[str] = DATASET

    def __init__(self) -> None:
        self._sources: dict[str, Source] = {}

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        rows = CsvRows(path, required=EVENT_REQUIRED, progress=progress, format_name="a key-events file")
        for cells in rows:
            yield self.event(cells, dataset)

    def event(self, cells: Cells, dataset: str) -> Event:
        event_type = cells.required("event_type")
        if event_type not in ACLED_TAXONOMY:
            raise cells.error("event_type", "not an ACLED event type", "one of " + ", ".join(ACLED_TAXONOMY))
        sub = cells.required("sub_event_type")
        if sub not in ACLED_TAXONOMY[event_type]:
            raise cells.error(
                "sub_event_type",
                f"not a sub-event type of {event_type}",
                "one of " + ", ".join(ACLED_TAXONOMY[event_type]),
            )
        lat = cells.number("latitude", lo=-90, hi=90)
        lon = cells.number("longitude", lo=-180, hi=180)
        if (lat is None) != (lon is None):
            missing, given = ("longitude", "latitude") if lon is None else ("latitude", "longitude")
            raise cells.error(
                missing, f"is empty but {given} is given", "both latitude and longitude, or neither"
            )
        precision = cells.integer("geo_precision", lo=1, hi=3)
        actor2 = cells.text("actor2")
        try:
            fatalities = Estimate(
                cells.integer("fatalities_low", lo=0),
                cells.integer("fatalities_best", lo=0),
                cells.integer("fatalities_high", lo=0),
            )
        except ValidationError as exc:
            raise _invalid(cells, "fatalities_best", exc) from None
        try:
            return Event(
                key=RecordKey(dataset, cells.required("event_id")),
                event_type=event_type,
                sub_event_type=sub,
                date_start=cells.day("date_start", required=True),  # type: ignore[arg-type]
                date_end=cells.day("date_end"),
                actor1=Actor(cells.required("actor1")),
                actor2=Actor(actor2) if actor2 else None,
                civilian_targeting=cells.flag("civilian_targeting"),
                location_name=cells.text("place_as_reported"),
                place_pcode=cells.text("location_pcode"),
                point=(lon, lat) if lon is not None and lat is not None else None,
                geo_precision=GeoPrecision(PrecisionScheme.ACLED, precision) if precision else None,
                fatalities=fatalities,
                injured=Estimate.exact(cells.integer("injured", lo=0)),
                notes=cells.text("notes"),
                sources=[self._source(name) for name in split_list(cells.text("sources"))],
            )
        except ValidationError as exc:
            raise _invalid(cells, None, exc) from None

    def _source(self, name: str) -> Source:
        source = self._sources.get(name)
        if source is None:
            source = self._sources[name] = Source(name)
        return source


@dataclass(frozen=True)
class AgreementArea:
    """An area to give an agreement on import: the geometry and the recipe that built it."""

    geometry: BaseGeometry
    recipe: dict[str, Any]


class AgreementsImporter:
    """``agreements.csv``: agreements, ceasefires, deadlines and resolutions with dates and parties.

    ``effective_from`` and ``effective_to`` take a date or a date and time. A date alone starts at
    00:00 in ``effective_from`` and ends at 23:59:59 in ``effective_to``: an agreement in force
    "until 14 January" holds through that day. Areas that cannot be written in a CSV cell (a
    buffer around a highway, say) are given by agreement id in ``areas``.
    """

    name: ClassVar[str] = "agreements"
    summary: ClassVar[str] = "Agreements (agreement_id, name, kind, parties, signed_on, effective_from, ...)"
    default_dataset: ClassVar[str] = DATASET

    def __init__(self, areas: Mapping[str, AgreementArea] | None = None) -> None:
        self.areas = dict(areas or {})

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        rows = CsvRows(path, required=AGREEMENT_REQUIRED, progress=progress, format_name="an agreements file")
        for cells in rows:
            yield self.agreement(cells, dataset)

    def agreement(self, cells: Cells, dataset: str) -> Agreement:
        record_id = cells.required("agreement_id")
        kind = _AGREEMENT_KINDS.get(" ".join(cells.required("kind").lower().replace("_", " ").split()))
        if kind is None:
            raise cells.error("kind", "not a kind of agreement", AGREEMENT_KIND_EXPECTED)
        parties = split_list(cells.required("parties"))
        area = self.areas.get(record_id)
        starts = _moment(cells, "effective_from", time.min)
        ends = _moment(cells, "effective_to", _END_OF_DAY)
        if starts is not None and ends is not None and ends < starts:
            raise cells.error("effective_to", "is before effective_from", f"{starts:%Y-%m-%d %H:%M} or later")
        try:
            return Agreement(
                key=RecordKey(dataset, record_id),
                name=cells.required("name"),
                kind=kind,
                parties=parties,
                signed_on=cells.day("signed_on"),
                effective_from=starts,
                effective_to=ends,
                area_description=cells.text("area_description"),
                area=area.geometry if area else None,
                area_recipe=dict(area.recipe) if area else None,
                provisions=cells.text("provisions"),
                sources=[Source(name) for name in split_list(cells.text("source"))],
            )
        except ValidationError as exc:
            raise _invalid(cells, None, exc) from None


def _moment(cells: Cells, column: str, time_of_day: time) -> datetime | None:
    """A date and time, or a date alone taken at ``time_of_day``."""
    value = cells.text(column)
    if value is None:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time_of_day)
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise cells.error(column, "not a date or date-time", DATETIME_EXPECTED) from None


class CrossingsImporter:
    """``crossings.csv``: border crossings, one row per status; rows sharing an id are its history."""

    name: ClassVar[str] = "crossings"
    summary: ClassVar[str] = (
        "Border crossings (crossing_id, name, latitude, longitude, status, status_from, ...)"
    )
    default_dataset: ClassVar[str] = DATASET

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        rows = CsvRows(path, required=CROSSING_REQUIRED, progress=progress, format_name="a crossings file")
        crossings: dict[str, tuple[int, Crossing]] = {}
        for cells in rows:
            crossing = self.crossing(cells, dataset)
            first = crossings.get(crossing.key.record_id)
            if first is None:
                crossings[crossing.key.record_id] = (cells.row, crossing)
                continue
            row, earlier = first
            for column, now, before in (
                ("name", crossing.name, earlier.name),
                ("latitude", crossing.point[1], earlier.point[1]),
                ("longitude", crossing.point[0], earlier.point[0]),
            ):
                if now != before:
                    raise cells.error(
                        column,
                        f"differs from row {row:,} of the same crossing",
                        f"{before} as on row {row:,}",
                    )
            earlier.statuses.extend(crossing.statuses)
            earlier.alt_names = tuple(dict.fromkeys(earlier.alt_names + crossing.alt_names))
            earlier.sources.extend(s for s in crossing.sources if s not in earlier.sources)
        for _, crossing in crossings.values():
            crossing.statuses.sort(key=lambda s: s.valid_from)
            yield crossing

    def crossing(self, cells: Cells, dataset: str) -> Crossing:
        lat = cells.number("latitude", required=True, lo=-90, hi=90)
        lon = cells.number("longitude", required=True, lo=-180, hi=180)
        valid_from = cells.day("status_from", required=True)
        valid_to = cells.day("status_to")
        assert lat is not None and lon is not None and valid_from is not None
        if valid_to is not None and valid_to < valid_from:
            raise cells.error("status_to", "is before status_from", f"a date on or after {valid_from}")
        return Crossing(
            key=RecordKey(dataset, cells.required("crossing_id")),
            name=cells.required("name"),
            point=(lon, lat),
            alt_names=split_list(cells.text("alt_names")),
            border=cells.text("border"),
            statuses=[CrossingStatus(cells.required("status"), valid_from, valid_to, cells.text("note"))],
            # the file names no source per row: credit its own source column if it has one, else the file
            sources=[Source(name) for name in split_list(cells.text("source"))]
            or [Source("Haven reference data", f"{Path(cells.path).name}: compiled from public reporting")],
        )


__all__ = [
    "AgreementArea",
    "AgreementsImporter",
    "CrossingsImporter",
    "FiguresImporter",
    "KeyEventsImporter",
    "split_list",
]
