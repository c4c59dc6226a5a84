"""Aid deliveries through border crossings: one row per crossing, day and sector.

Columns are described in ``docs/formats/deliveries.md``. The crossing is named as the source named
it (``Bab al-Hawa``, ``Cilvegozu``); when crossings are loaded, the name or any alternative name is
matched to the crossing's record id, and a name that matches none stops the import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from haven.errors import ValidationError
from haven.io.crisis import split_list
from haven.io.reading import Cells, CsvRows, Progress
from haven.model import Crossing, Delivery, RecordKey, Source
from haven.store import Store

DELIVERY_COLUMNS = ("delivery_id", "date", "crossing", "trucks", "sector", "tonnage", "agency", "source")
DELIVERY_REQUIRED = ("date", "crossing", "trucks")


def crossing_key(name: str) -> str:
    """A crossing name for matching: a bracketed note, case, hyphens, apostrophes and spaces ignored."""
    return "".join(ch for ch in re.sub(r"\(.*?\)", "", name).casefold() if ch.isalnum())


class DeliveriesImporter:
    """``deliveries.csv``: trucks through a crossing on a day, with sector and tonnage."""

    name: ClassVar[str] = "deliveries"
    summary: ClassVar[str] = "Aid deliveries (date, crossing, trucks, sector, tonnage, agency, source)"
    default_dataset: ClassVar[str] = "deliveries"

    def __init__(self) -> None:
        self.crossings: dict[str, Crossing] = {}

    def prepare(self, store: Store) -> None:
        for crossing in store.list("crossing"):
            for name in (crossing.name, *crossing.alt_names, crossing.key.record_id):
                self.crossings.setdefault(crossing_key(name), crossing)

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        rows = CsvRows(path, required=DELIVERY_REQUIRED, progress=progress, format_name="a deliveries file")
        for cells in rows:
            yield self.delivery(cells, dataset)

    def delivery(self, cells: Cells, dataset: str) -> Delivery:
        day = cells.day("date", required=True)
        trucks = cells.integer("trucks", required=True, lo=0)
        assert day is not None and trucks is not None
        named = cells.required("crossing")
        crossing_id: str | None = None
        if self.crossings:
            crossing = self.crossings.get(crossing_key(named))
            if crossing is None:
                known = sorted({c.name for c in self.crossings.values()})
                raise cells.error("crossing", "not a known crossing", "one of " + ", ".join(known))
            crossing_id = crossing.key.record_id
        sector = cells.text("sector")
        record_id = cells.text("delivery_id") or ":".join(
            [day.isoformat(), crossing_key(named), (sector or "all").casefold()]
        )
        try:
            return Delivery(
                key=RecordKey(dataset, record_id),
                delivered_on=day,
                crossing_name=named,
                trucks=trucks,
                crossing_id=crossing_id,
                sector=sector,
                tonnage=cells.number("tonnage", lo=0),
                agency=cells.text("agency"),
                sources=[Source(name) for name in split_list(cells.text("source"))],
            )
        except ValidationError as exc:
            raise cells.error(None, str(exc)) from None


__all__ = ["DELIVERY_COLUMNS", "DeliveriesImporter", "crossing_key"]
