"""UCDP Georeferenced Event Dataset (GED) CSV, as released by the Uppsala Conflict Data Program.

Columns follow GED 23.1 and 24.1: id, relid, year, active_year, code_status, type_of_violence,
conflict_dset_id, conflict_new_id, conflict_name, dyad_dset_id, dyad_new_id, dyad_name, side_a_dset_id,
side_a_new_id, side_a, side_b_dset_id, side_b_new_id, side_b, number_of_sources, source_article,
source_office, source_date, source_headline, source_original, where_prec, where_coordinates,
where_description, adm_1, adm_2, latitude, longitude, geom_wkt, priogrid_gid, country, country_id, region,
event_clarity, date_prec, date_start, date_end, deaths_a, deaths_b, deaths_civilians, deaths_unknown, best,
high, low, gwnoa, gwnob.

GED classifies violence by who fights whom, not by how; Haven's events use ACLED's taxonomy, so each
``type_of_violence`` is cross-walked (see :data:`VIOLENCE_CROSSWALK` and ``docs/formats/ucdp.md``) and
keeps the UCDP label in ``violence_type``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from haven.errors import ValidationError
from haven.io.reading import Cells, CsvRows, Progress, read_date
from haven.model import (
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

GED_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start",
    "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
    "gwnoa", "gwnob",
)  # fmt: skip
REQUIRED = ("id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude",
            "date_prec", "date_start", "date_end", "best", "high", "low")  # fmt: skip

UCDP_SOURCE = Source("UCDP", "UCDP Georeferenced Event Dataset", "https://ucdp.uu.se", None, Reliability.B)


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """Where one UCDP ``type_of_violence`` lands in ACLED's taxonomy."""

    violence_type: str  # UCDP's own label, kept on the event
    event_type: str
    sub_event_type: str
    civilian_targeting: bool


# GED says who fought whom, not with what: an air strike and a ground battle between the same
# sides are both state-based. So the cross-walk picks the ACLED type that fits every event of a kind:
# organised sides fighting each other are "Battles / Armed clash"; an organised side killing
# civilians is "Violence against civilians / Attack". Explosions/Remote violence cannot be told
# from GED's columns and is never guessed.
VIOLENCE_CROSSWALK: dict[int, Crosswalk] = {
    1: Crosswalk("state-based conflict", "Battles", "Armed clash", False),
    2: Crosswalk("non-state conflict", "Battles", "Armed clash", False),
    3: Crosswalk("one-sided violence", "Violence against civilians", "Attack", True),
}
VIOLENCE_EXPECTED = "1 (state-based), 2 (non-state) or 3 (one-sided)"

# "Agence France Presse,2020-01-15,Strikes on Idlib market" - publisher, date, headline.
_ARTICLE = re.compile(
    r"^\s*(?P<publisher>[^,]+?)\s*,\s*(?P<date>\d{4}-\d{2}-\d{2})\s*(?:,\s*(?P<title>.*?))?\s*$"
)


def _actor_type(name: str, violence: int, side: str) -> ActorType | None:
    """ACLED's actor type where GED's conventions make it certain, else unknown."""
    if name.startswith("Government of"):
        return ActorType.STATE_FORCES
    if side == "b" and violence == 3:
        return ActorType.CIVILIANS
    return None


def _entries(value: str | None) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()] if value else []


class UcdpImporter:
    name: ClassVar[str] = "ucdp"
    summary: ClassVar[str] = "UCDP GED CSV (id, type_of_violence, side_a, side_b, best, low, high, ...)"
    default_dataset: ClassVar[str] = "ucdp-ged"

    def __init__(self) -> None:
        self._sources: dict[str, Source] = {}

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        for cells in CsvRows(path, required=REQUIRED, progress=progress, format_name="a UCDP GED file"):
            yield self.event(cells, dataset)

    def event(self, cells: Cells, dataset: str) -> Event:
        violence = cells.integer("type_of_violence", required=True)
        crosswalk = VIOLENCE_CROSSWALK.get(violence)  # type: ignore[arg-type]
        if crosswalk is None:
            raise cells.error("type_of_violence", "not a UCDP type of violence", VIOLENCE_EXPECTED)
        assert violence is not None
        lat = cells.number("latitude", required=True, lo=-90, hi=90)
        lon = cells.number("longitude", required=True, lo=-180, hi=180)
        where_prec = cells.integer("where_prec", required=True, lo=1, hi=7)
        date_prec = cells.integer("date_prec", required=True, lo=1, hi=5)
        start = cells.day("date_start", required=True)
        end = cells.day("date_end", required=True)
        assert start is not None and end is not None
        if end < start:
            raise cells.error(
                "date_end", f"before date_start {start.isoformat()}", "a date on or after date_start"
            )
        fatalities = self._fatalities(cells)
        side_a, side_b = cells.required("side_a"), cells.required("side_b")
        try:
            return Event(
                key=RecordKey(dataset, cells.required("id")),
                event_type=crosswalk.event_type,
                sub_event_type=crosswalk.sub_event_type,
                date_start=start,
                date_end=end,
                date_precision=DatePrecision(PrecisionScheme.UCDP, date_prec),  # type: ignore[arg-type]
                actor1=Actor(side_a, _actor_type(side_a, violence, "a")),
                actor2=Actor(side_b, _actor_type(side_b, violence, "b")),
                civilian_targeting=crosswalk.civilian_targeting,
                disorder_type="Political violence",
                violence_type=crosswalk.violence_type,
                admin1=cells.text("adm_1"),
                admin2=cells.text("adm_2"),
                location_name=cells.text("where_coordinates"),
                point=(lon, lat),  # type: ignore[arg-type]
                geo_precision=GeoPrecision(PrecisionScheme.UCDP, where_prec),  # type: ignore[arg-type]
                fatalities=fatalities,
                notes=cells.text("where_description"),
                sources=self._event_sources(cells),
            )
        except ValidationError as exc:
            raise cells.error(None, str(exc)) from None

    @staticmethod
    def _fatalities(cells: Cells) -> Estimate:
        low = cells.integer("low", required=True, lo=0)
        best = cells.integer("best", required=True, lo=0)
        high = cells.integer("high", required=True, lo=0)
        assert low is not None and best is not None and high is not None
        if low > best:
            raise cells.error("low", f"more than best ({best})", "low <= best <= high")
        if best > high:
            raise cells.error("high", f"less than best ({best})", "low <= best <= high")
        return Estimate(low, best, high)

    def _event_sources(self, cells: Cells) -> list[Source]:
        """UCDP, then each article it cites (publisher, date, headline), then offices no article named."""
        found: dict[str, Source] = {UCDP_SOURCE.key: UCDP_SOURCE}
        named: set[str] = set()
        for entry in _entries(cells.text("source_article")):
            match = _ARTICLE.match(entry)
            if match is None:
                publisher, _, title = entry.partition(",")
                source = Source(publisher.strip(), title.strip() or None)
            else:
                try:
                    published = read_date(match["date"])
                except ValueError:
                    raise cells.error(
                        "source_article",
                        f"article {entry!r} has no valid date",
                        "Publisher,YYYY-MM-DD,Headline",
                    ) from None
                source = Source(match["publisher"], match["title"] or None, None, published)
            named.add(source.publisher.casefold())
            found.setdefault(source.key, self._shared(source))
        for office in _entries(cells.text("source_office")):
            if office.casefold() not in named:
                source = self._shared(Source(office))
                found.setdefault(source.key, source)
        return list(found.values())

    def _shared(self, source: Source) -> Source:
        return self._sources.setdefault(source.key, source)


__all__ = ["GED_COLUMNS", "UCDP_SOURCE", "VIOLENCE_CROSSWALK", "Crosswalk", "UcdpImporter"]
