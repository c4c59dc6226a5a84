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
from datetime import UTC, datetime
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
        self._sources: dict[str, Source] = {}

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        for cells in CsvRows(path, required=REQUIRED, progress=progress, format_name="an ACLED export"):
            yield self.event(cells, dataset)

    def event(self, cells: Cells, dataset: str) -> Event:
        event_type = cells.required("event_type")
        if event_type not in ACLED_TAXONOMY:
            raise cells.error("event_type", "not an ACLED event type", "one of " + ", ".join(ACLED_TAXONOMY))
        sub = cells.required("sub_event_type")
        if _SUB_TYPES.get(sub) != event_type:
            raise cells.error(
                "sub_event_type",
                f"not a sub-event type of {event_type}",
                "one of " + ", ".join(ACLED_TAXONOMY[event_type]),
            )
        lat = cells.number("latitude", required=True, lo=-90, hi=90)
        lon = cells.number("longitude", required=True, lo=-180, hi=180)
        fatalities = cells.integer("fatalities", required=True, lo=0)
        time_precision = cells.integer("time_precision", lo=1, hi=3)
        geo_precision = cells.integer("geo_precision", required=True, lo=1, hi=3)
        civilian = cells.text("civilian_targeting")
        try:
            return Event(
                key=RecordKey(dataset, cells.required("event_id_cnty")),
                event_type=event_type,
                sub_event_type=sub,
                date_start=cells.day("event_date", required=True),  # type: ignore[arg-type]
                date_precision=DatePrecision(PrecisionScheme.ACLED, time_precision)
                if time_precision
                else None,
                disorder_type=cells.text("disorder_type"),
                actor1=Actor(
                    cells.required("actor1"),
                    _actor_type(cells, "inter1"),
                    _associated(cells.text("assoc_actor_1")),
                ),
                actor2=(
                    Actor(name, _actor_type(cells, "inter2"), _associated(cells.text("assoc_actor_2")))
                    if (name := cells.text("actor2"))
                    else None
                ),
                civilian_targeting=bool(civilian),
                country_iso=cells.text("iso"),
                admin1=cells.text("admin1"),
                admin2=cells.text("admin2"),
                admin3=cells.text("admin3"),
                location_name=cells.text("location"),
                point=(lon, lat),  # type: ignore[arg-type]
                geo_precision=GeoPrecision(PrecisionScheme.ACLED, geo_precision),  # type: ignore[arg-type]
                # ACLED counts are conservative: a floor and a best guess, with no stated ceiling.
                fatalities=Estimate(fatalities, fatalities, None),
                notes=cells.text("notes"),
                tags=cells.text("tags"),
                sources=self._event_sources(cells.text("source")),
            )
        except ValidationError as exc:
            raise cells.error(None, str(exc)) from None

    def _event_sources(self, names: str | None) -> list[Source]:
        found = [ACLED_SOURCE]
        for name in _associated(names):
            source = self._sources.get(name)
            if source is None:
                source = self._sources[name] = Source(name)
            found.append(source)
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
