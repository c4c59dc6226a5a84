"""ACLED CSV exports (acleddata.com) and ACLED's list of deleted events.

Columns follow the export as downloaded from the ACLED Explorer and API:
event_id_cnty, event_date, year, time_precision, disorder_type, event_type, sub_event_type,
actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, interaction, civilian_targeting,
iso, region, country, admin1, admin2, admin3, location, latitude, longitude, geo_precision,
source, source_scale, notes, fatalities, tags, timestamp.
Older exports write ``event_date`` as "15 January 2020" and ``inter1`` as a code 1-8; both are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

from haven.errors import ValidationError
from haven.io.base import Deletion
from haven.io.reading import Cells, CsvRows, Progress
from haven.model import (
    ACLED_TAXONOMY,
    Actor,
    ActorType,
    DatePrecision,
    Estimate,
    Event,
    GeoPrecision,
    PrecisionScheme,
    RecordKey,
    Reliability,
    Source,
)

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
REQUIRED = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "latitude", "longitude",
            "geo_precision", "fatalities")  # fmt: skip

ACLED_SOURCE = Source(
    "ACLED", "Armed Conflict Location & Event Data Project", "https://acleddata.com", None, Reliability.B
)
_ACTOR_TYPES = {t.value.lower(): t for t in ActorType}
_ACTOR_CODES = {str(i + 1): t for i, t in enumerate(ActorType)}
_SUB_TYPES = {sub: main for main, subs in ACLED_TAXONOMY.items() for sub in subs}
_GEO = {str(code): GeoPrecision(PrecisionScheme.ACLED, code) for code in (1, 2, 3)}
_WHEN = {str(code): DatePrecision(PrecisionScheme.ACLED, code) for code in (1, 2, 3)}


def _actor_type(cells: Cells, column: str) -> ActorType | None:
    value = cells.text(column)
    if value is None:
        return None
    found = _ACTOR_CODES.get(value) or _ACTOR_TYPES.get(value.lower())
    if found is None:
        raise cells.error(column, "not an ACLED actor type", "1-8 or a name such as 'State forces'")
    return found


def _associated(value: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split(";") if a.strip()) if value else ()


class AcledImporter:
    name: ClassVar[str] = "acled"
    summary: ClassVar[str] = "ACLED CSV export (event_id_cnty, event_date, event_type, ...)"
    default_dataset: ClassVar[str] = "acled"

    def __init__(self) -> None:
        # Exports repeat the same few dates, actors and sources on every row: build each once.
        self._sources: dict[str | None, list[Source]] = {}
        self._actors: dict[tuple[str, str, str, str], Actor] = {}
        self._dates: dict[str, date] = {}

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        for cells in CsvRows(path, required=REQUIRED, progress=progress, format_name="an ACLED export"):
            yield self.event(cells, dataset)

    def event(self, cells: Cells, dataset: str) -> Event:
        v = cells.values
        event_type = v["event_type"].strip()
        sub = v["sub_event_type"].strip()
        if _SUB_TYPES.get(sub) != event_type:
            self._taxonomy_error(cells, event_type)
        try:
            lat, lon = float(v["latitude"]), float(v["longitude"])
            fatalities = int(v["fatalities"])
            geo = _GEO[v["geo_precision"].strip()]
        except (ValueError, KeyError):
            lat = cells.number("latitude", required=True, lo=-90, hi=90)  # type: ignore[assignment]
            lon = cells.number("longitude", required=True, lo=-180, hi=180)  # type: ignore[assignment]
            fatalities = cells.integer("fatalities", required=True, lo=0)  # type: ignore[assignment]
            geo = GeoPrecision(
                PrecisionScheme.ACLED, cells.integer("geo_precision", required=True, lo=1, hi=3) or 0
            )
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and fatalities >= 0):
            cells.number("latitude", lo=-90, hi=90)
            cells.number("longitude", lo=-180, hi=180)
            cells.integer("fatalities", lo=0)
        try:
            return Event(
                key=RecordKey(dataset, cells.required("event_id_cnty")),
                event_type=event_type,
                sub_event_type=sub,
                date_start=self._date(cells),
                date_precision=_WHEN.get(v.get("time_precision", "").strip()) or self._date_precision(cells),
                disorder_type=v.get("disorder_type") or None,
                actor1=self._actor(cells, "actor1", "inter1", "assoc_actor_1"),
                actor2=self._actor(cells, "actor2", "inter2", "assoc_actor_2"),
                civilian_targeting=bool(v.get("civilian_targeting", "").strip()),
                country_iso=v.get("iso") or None,
                admin1=v.get("admin1") or None,
                admin2=v.get("admin2") or None,
                admin3=v.get("admin3") or None,
                location_name=v.get("location") or None,
                point=(lon, lat),
                geo_precision=geo,
                # ACLED counts are conservative: a floor and a best guess, with no stated ceiling.
                fatalities=Estimate(fatalities, fatalities, None),
                notes=v.get("notes") or None,
                tags=v.get("tags") or None,
                sources=self._event_sources(v.get("source")),
            )
        except ValidationError as exc:
            raise cells.error(None, str(exc)) from None

    @staticmethod
    def _taxonomy_error(cells: Cells, event_type: str) -> None:
        if event_type not in ACLED_TAXONOMY:
            raise cells.error("event_type", "not an ACLED event type", "one of " + ", ".join(ACLED_TAXONOMY))
        allowed = ", ".join(ACLED_TAXONOMY[event_type])
        raise cells.error("sub_event_type", f"not a sub-event type of {event_type}", "one of " + allowed)

    def _date(self, cells: Cells) -> date:
        text = cells.values["event_date"]
        found = self._dates.get(text)
        if found is None:
            found = self._dates[text] = cells.day("event_date", required=True)  # type: ignore[assignment]
        return found  # type: ignore[return-value]

    @staticmethod
    def _date_precision(cells: Cells) -> DatePrecision | None:
        code = cells.integer("time_precision", lo=1, hi=3)
        return None if code is None else DatePrecision(PrecisionScheme.ACLED, code)

    def _actor(self, cells: Cells, name_col: str, type_col: str, assoc_col: str) -> Actor | None:
        v = cells.values
        signature = (v.get(name_col, ""), v.get(type_col, ""), v.get(assoc_col, ""), name_col)
        actor = self._actors.get(signature)
        if actor is None:
            name = cells.text(name_col, required=name_col == "actor1")
            if name is None:
                return None
            actor = Actor(name, _actor_type(cells, type_col), _associated(cells.text(assoc_col)))
            self._actors[signature] = actor
        return actor

    def _event_sources(self, names: str | None) -> list[Source]:
        found = self._sources.get(names)
        if found is None:
            found = self._sources[names] = [ACLED_SOURCE, *(Source(name) for name in _associated(names))]
        return found


class AcledDeletionsImporter:
    """ACLED's deleted-events list: event_id_cnty and deleted_timestamp (Unix seconds)."""

    name: ClassVar[str] = "acled-deleted"
    summary: ClassVar[str] = "ACLED deleted events (event_id_cnty, deleted_timestamp)"
    default_dataset: ClassVar[str] = "acled"

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        required = ("event_id_cnty", "deleted_timestamp")
        rows = CsvRows(path, required=required, progress=progress, format_name="an ACLED deleted-events list")
        for cells in rows:
            stamp = cells.integer("deleted_timestamp", required=True, lo=0)
            when = datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None)  # type: ignore[arg-type]
            yield Deletion("event", dataset, cells.required("event_id_cnty"), when)
