"""HXL-tagged CSV and Excel files (hxlstandard.org): movements, sites, figures and events.

Columns are found by hashtag and attributes through :mod:`haven.io.hxl_tags`, never by header
text. Which kind of record a sheet holds is read from its hashtags unless ``kind`` says it. In a
workbook the first sheet with a hashtag row is read, or the one ``sheet`` names (by name, or by
0-based index). Row numbers in errors are the ones a spreadsheet shows.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

import hxl
import hxl.input
from hxl.model import Column, TagPattern

from haven.errors import HavenError, InputError, ValidationError
from haven.io.hxl_tags import (
    DETECT,
    IMPORT_KINDS,
    SHELTER_FIELDS,
    TAGS,
    parse_period,
    parse_precision,
    split_list,
)
from haven.io.reading import Cells, Progress
from haven.model import (
    ACLED_TAXONOMY,
    Actor,
    ActorType,
    DatePrecision,
    Estimate,
    Event,
    EventStatus,
    Figure,
    GeoPrecision,
    Movement,
    PrecisionScheme,
    Qualifier,
    RecordKey,
    ShelterBreakdown,
    Site,
    SiteKind,
    SiteSnapshot,
    Source,
)

_SCAN_ROWS = 25  # libhxl looks for the hashtag row in the first 25 rows, and so do we
_SUB_TYPES = {sub: main for main, subs in ACLED_TAXONOMY.items() for sub in subs}
_ACTOR_TYPES = {t.value.lower(): t for t in ActorType}
_ACTOR_CODES = {str(i + 1): t for i, t in enumerate(ActorType)}
_SITE_KINDS: dict[str, SiteKind] = {
    **{kind.value: kind for kind in SiteKind},
    "planned_camp": SiteKind.CAMP,
    "formal_camp": SiteKind.CAMP,
    "self_settled_camp": SiteKind.INFORMAL_SETTLEMENT,
    "informal_site": SiteKind.INFORMAL_SETTLEMENT,
    "collective_center": SiteKind.COLLECTIVE_CENTRE,
    "reception_center": SiteKind.RECEPTION_CENTRE,
    "transit_centre": SiteKind.RECEPTION_CENTRE,
    "transit_center": SiteKind.RECEPTION_CENTRE,
}
_REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    # each inner tuple: at least one of these fields needs a column
    "event": (("event_type",), ("date_start",)),
    "movement": (("individuals",), ("period_start", "period")),
    "site": (("name",),),
    "figure": (("metric",), ("value",)),
}


def _normal(value: str) -> str:
    return value.strip().lower().replace("-", "_").replace(" ", "_")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _kind_name(kind: str) -> str:
    name = kind.strip().lower().removesuffix("s")
    if name not in IMPORT_KINDS:
        raise HavenError(f"HXL files hold no {kind!r} records (expected one of {', '.join(IMPORT_KINDS)})")
    return name


def detect_kind(columns: list[Column]) -> str | None:
    """The kind of record a sheet holds, judged by its hashtags (see ``hxl_tags.DETECT``)."""
    for kind, patterns in DETECT:
        if any(TagPattern.parse(p).match(c) for p in patterns for c in columns):
            return kind
    return None


class _Sheet:
    """The columns and data rows of the HXL sheet of one file."""

    def __init__(self, path: Path, handle: BinaryIO, sheet: str | int | None) -> None:
        self.path = str(path)
        self.sheet_name: str | None = None
        self._raw = self._input(handle, sheet)
        try:
            self._find_hashtags()
        except BaseException:
            self.close()
            raise

    def _find_hashtags(self) -> None:
        self._rows = _raw_rows(self._raw)
        previous: list[Any] = []
        columns: list[Column] | None = None
        for index in range(_SCAN_ROWS):
            try:
                values = next(self._rows)
            except StopIteration:
                break
            columns = Column.parse_list(values, previous)
            if columns:
                self.columns: list[Column] = columns
                self.hashtag_row = index + 1
                break
            previous = values
        if not columns:
            where = f"sheet {self.sheet_name!r}: " if self.sheet_name else ""
            raise InputError(
                self.path,
                f"{where}no HXL hashtag row in the first {_SCAN_ROWS} rows; add a row of hashtags "
                "(#date, #adm1+code, ...) under the header row, or use an importer for the untagged format",
            )
        self.labels = [_label(c, self.columns) for c in self.columns]
        # what a row's content hash is taken over: hashtags with sorted attributes, not header text
        self.hashtags = {
            label: c.get_display_tag(sort_attributes=True)
            for label, c in zip(self.labels, self.columns, strict=True)
        }

    def close(self) -> None:
        self._raw.__exit__(None, None, None)  # libhxl's CSV input wraps our handle and must close it

    def __enter__(self) -> _Sheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _input(self, handle: BinaryIO, sheet: str | int | None) -> Any:
        try:
            raw = hxl.input.make_input(handle, hxl.input.InputOptions(allow_local=True, encoding="utf-8-sig"))
        except hxl.HXLException as exc:
            raise InputError(self.path, f"not a CSV or Excel file libhxl can read ({exc})") from None
        if not isinstance(raw, hxl.input.ExcelInput):
            if sheet is not None:
                raise InputError(self.path, f"a CSV file has no sheets (sheet {sheet!r} was asked for)")
            return raw
        info = raw.get_sheet_info()
        names = [s["name"] for s in info]
        listed = ", ".join(repr(n) for n in names)
        if sheet is None:
            found = [i for i, s in enumerate(info) if s["is_hxlated"]]
            if not found:
                raise InputError(
                    self.path,
                    f"no HXL hashtag row in any sheet (looked at {listed}); add a row of hashtags "
                    "(#date, #adm1+code, ...) under the header row of the sheet to import",
                )
            index = found[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise InputError(
                    self.path, f"no sheet {sheet} (expected 0 to {len(names) - 1}: the workbook has {listed})"
                )
            index = sheet
        else:
            if sheet not in names:
                raise InputError(self.path, f"no sheet named {sheet!r} (the workbook has {listed})")
            index = names.index(sheet)
        self.sheet_name = names[index]
        options = hxl.input.InputOptions(allow_local=True, sheet_index=index)
        return hxl.input.ExcelInput(raw.contents, options)

    def __iter__(self) -> Iterator[Cells]:
        width = len(self.columns)
        for number, values in enumerate(self._rows, start=self.hashtag_row + 1):
            cells = [_cell(v) for v in values][:width]
            if not any(c.strip() for c in cells):
                continue
            cells += [""] * (width - len(cells))
            yield Cells(self.path, number, dict(zip(self.labels, cells, strict=True)))


def _raw_rows(raw: Any) -> Iterator[list[Any]]:
    rows = iter(raw)  # libhxl's Excel iterator has __next__ but no __iter__
    while True:
        try:
            yield next(rows)
        except StopIteration:
            return


def _label(column: Column, columns: list[Column]) -> str:
    """How errors name a column: its hashtag, then its header text."""
    tag = column.get_display_tag(sort_attributes=False)
    label = f"{tag} ({column.header.strip()})" if column.header and str(column.header).strip() else tag
    same = [
        c for c in columns if c.get_display_tag() == column.get_display_tag() and c.header == column.header
    ]
    if len(same) > 1:
        label += f" #{same.index(column) + 1}"
    return label


def layout(kind: str, sheet: _Sheet) -> dict[str, list[str]]:
    """Each field of ``kind`` and the labels of the columns that feed it, in order of preference."""
    ranked: dict[str, list[tuple[int, int, str]]] = {}
    for position, (column, label) in enumerate(zip(sheet.columns, sheet.labels, strict=True)):
        best: dict[str, tuple[int, int]] = {}  # field -> (specificity, pattern index)
        for tag in TAGS[kind]:
            for index, text in enumerate(tag.patterns):
                pattern = TagPattern.parse(text)
                if pattern.match(column):
                    best[tag.field] = (len(pattern.include_attributes), index)
                    break
        if not best:
            continue  # a column Haven has no field for
        top = max(spec for spec, _ in best.values())
        fields = [field for field, (spec, _) in best.items() if spec == top]
        if len(fields) > 1:
            raise InputError(
                sheet.path,
                f"the hashtag could be {' or '.join(fields)}",
                row=sheet.hashtag_row,
                column=label,
                expected="attributes that say which, as in the table in docs/formats/hxl.md",
            )
        ranked.setdefault(fields[0], []).append((best[fields[0]][1], position, label))
    found = {field: [label for *_, label in sorted(entries)] for field, entries in ranked.items()}
    tags = {tag.field: tag.hashtag for tag in TAGS[kind]}
    missing = [alts for alts in _REQUIRED[kind] if not any(f in found for f in alts)]
    if missing:
        names = ", ".join(" or ".join(tags[f] for f in alts) for alts in missing)
        raise InputError(
            sheet.path,
            f"missing hashtag(s) {names}: are these {kind}s?",
            row=sheet.hashtag_row,
            expected="columns tagged "
            + ", ".join(" or ".join(tags[f] for f in alts) for alts in _REQUIRED[kind]),
        )
    return found


class _Row:
    """One data row read by field, through whichever column feeds each field."""

    __slots__ = ("cells", "fields", "hashtags")

    def __init__(self, cells: Cells, fields: dict[str, list[str]], hashtags: dict[str, str]) -> None:
        self.cells = cells
        self.fields = fields
        self.hashtags = hashtags

    def column(self, field: str) -> str | None:
        labels = self.fields.get(field, [])
        for label in labels:
            if self.cells.values[label].strip():
                return label
        return labels[0] if labels else None

    def error(self, field: str | None, message: str, expected: str | None = None) -> InputError:
        return self.cells.error(self.column(field) if field else None, message, expected)

    def text(self, field: str, *, required: bool = False) -> str | None:
        column = self.column(field)
        if column is None:
            return None
        return self.cells.text(column, required=required)

    def required(self, field: str) -> str:
        value = self.text(field, required=True)
        assert value is not None
        return value

    def number(
        self, field: str, *, required: bool = False, lo: float | None = None, hi: float | None = None
    ) -> float | None:
        column = self.column(field)
        return None if column is None else self.cells.number(column, required=required, lo=lo, hi=hi)

    def integer(self, field: str, *, lo: int | None = 0) -> int | None:
        column = self.column(field)
        return None if column is None else self.cells.integer(column, lo=lo)

    def day(self, field: str, *, required: bool = False) -> date | None:
        column = self.column(field)
        return None if column is None else self.cells.day(column, required=required)

    def flag(self, field: str) -> bool:
        column = self.column(field)
        return False if column is None else self.cells.flag(column)

    def point(self) -> tuple[float, float] | None:
        lat = self.number("lat", lo=-90, hi=90)
        lon = self.number("lon", lo=-180, hi=180)
        if (lat is None) != (lon is None):
            missing = "lat" if lat is None else "lon"
            raise self.error(missing, "a point needs both a latitude and a longitude", "a number")
        return None if lat is None or lon is None else (lon, lat)

    def record_id(self, *identity: str) -> str:
        """The row's own id, else a stable hash of the values that identify it (all, by default)."""
        given = self.text("record_id")
        if given:
            return given
        if identity:
            parts = [f"{field}={self.text(field) or ''}" for field in identity]
        else:
            parts = sorted(
                f"{self.hashtags[label]}={value.strip()}"
                for label, value in self.cells.values.items()
                if value.strip()
            )
        return "h" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()

    def sources(self) -> list[Source]:
        publishers = split_list(self.text("sources"))
        titles = split_list(self.text("source_titles"))
        urls = split_list(self.text("source_urls"))
        for field, values in (("source_titles", titles), ("source_urls", urls)):
            if len(values) > len(publishers):
                raise self.error(
                    field,
                    f"{len(values)} values but {len(publishers)} publisher(s)",
                    "one value per publisher, joined with '; ', in the same order",
                )
        return [
            Source(
                name,
                titles[i] or None if i < len(titles) else None,
                urls[i] or None if i < len(urls) else None,
            )
            for i, name in enumerate(publishers)
            if name
        ]

    def precision(self, field: str, kind: type[GeoPrecision] | type[DatePrecision]) -> Any:
        text = self.text(field)
        if text is None:
            return None
        expected = "scheme:code such as acled:1 or ucdp:3 (schemes: acled, ucdp, haven)"
        try:
            scheme, code = parse_precision(text)
            return kind(PrecisionScheme(scheme), code)
        except (ValueError, ValidationError):
            raise self.error(field, "not a precision code", expected) from None


class HxlImporter:
    """Reads an HXL-tagged CSV or Excel sheet of movements, sites (with snapshots), figures or events."""

    name: ClassVar[str] = "hxl"
    summary: ClassVar[str] = "HXL-tagged CSV or XLSX: movements, sites, figures or events, found by hashtag"
    default_dataset: ClassVar[str] = "hxl"

    def __init__(self, kind: str | None = None, sheet: str | int | None = None) -> None:
        self.kind = _kind_name(kind) if kind else None
        self.sheet = sheet
        self.detected: str | None = None  # the kind the last read found

    def read(
        self, path: str | os.PathLike[str], dataset: str, progress: Progress | None = None
    ) -> Iterator[Any]:
        file = Path(path)
        if not file.is_file():
            raise InputError(str(file), "no such file")
        total = file.stat().st_size
        with open(file, "rb") as handle, _Sheet(file, handle, self.sheet) as sheet:
            kind = self.kind or detect_kind(sheet.columns)
            if kind is None:
                tags = " ".join(dict.fromkeys(c.get_display_tag() for c in sheet.columns))
                raise InputError(
                    str(file),
                    f"cannot tell what these hashtags describe: {tags}",
                    row=sheet.hashtag_row,
                    expected="#event (events), #adm1-4 or #loc with +origin or +dest (movements), "
                    "#indicator or #value (figures), #loc (sites); or say which with kind=",
                )
            self.detected = kind
            fields = layout(kind, sheet)
            build: Callable[[_Row, str], Iterator[Any]] = getattr(self, f"_{kind}s")
            for count, cells in enumerate(sheet, start=1):
                yield from build(_Row(cells, fields, sheet.hashtags), dataset)
                if progress is not None and count % 5000 == 0:
                    progress(min(handle.tell(), total), total)
        if progress is not None:
            progress(total, total)

    # ------------------------------------------------------------ kinds
    def _events(self, row: _Row, dataset: str) -> Iterator[Event]:
        event_type = row.required("event_type")
        if event_type not in ACLED_TAXONOMY:
            raise row.error("event_type", "not an ACLED event type", "one of " + ", ".join(ACLED_TAXONOMY))
        sub = row.text("sub_event_type")
        if sub is not None and _SUB_TYPES.get(sub) != event_type:
            raise row.error(
                "sub_event_type",
                f"not a sub-event type of {event_type}",
                "one of " + ", ".join(ACLED_TAXONOMY[event_type]),
            )
        status = row.text("status")
        if status is not None and _normal(status) not in set(EventStatus):
            raise row.error("status", "not a review status", "one of " + ", ".join(EventStatus))
        try:
            yield Event(
                key=RecordKey(dataset, row.record_id()),
                event_type=event_type,
                sub_event_type=sub,
                date_start=row.day("date_start", required=True),  # type: ignore[arg-type]
                date_end=row.day("date_end"),
                date_precision=row.precision("date_precision", DatePrecision),
                actor1=self._actor(row, "1"),
                actor2=self._actor(row, "2"),
                civilian_targeting=row.flag("civilian_targeting"),
                disorder_type=row.text("disorder_type"),
                violence_type=row.text("violence_type"),
                country_iso=row.text("country_iso"),
                admin1=row.text("admin1"),
                admin2=row.text("admin2"),
                admin3=row.text("admin3"),
                location_name=row.text("location_name"),
                place_pcode=row.text("place_pcode"),
                point=row.point(),
                geo_precision=row.precision("geo_precision", GeoPrecision),
                fatalities=self._estimate(row, "fatalities"),
                injured=self._estimate(row, "injured"),
                notes=row.text("notes"),
                tags=row.text("tags"),
                sources=row.sources(),
                status=EventStatus(_normal(status)) if status else EventStatus.UNVERIFIED,
            )
        except ValidationError as exc:
            raise row.error(None, str(exc)) from None

    @staticmethod
    def _actor(row: _Row, which: str) -> Actor | None:
        name = row.text(f"actor{which}")
        if name is None:
            return None
        kind = row.text(f"actor{which}_type")
        found = None
        if kind is not None:
            found = _ACTOR_CODES.get(kind) or _ACTOR_TYPES.get(kind.lower())
            if found is None:
                raise row.error(
                    f"actor{which}_type", "not an ACLED actor type", "1-8 or a name such as 'State forces'"
                )
        associated = tuple(a for a in split_list(row.text(f"assoc_actor{which}")) if a)
        return Actor(name, found, associated)

    @staticmethod
    def _estimate(row: _Row, what: str) -> Estimate:
        low, best, high = (row.number(f"{what}_{part}", lo=0) for part in ("low", "best", "high"))
        try:
            return Estimate(low, best, high)
        except ValidationError as exc:
            raise row.error(f"{what}_best", str(exc), "low <= best <= high") from None

    def _movements(self, row: _Row, dataset: str) -> Iterator[Movement]:
        start, end = row.day("period_start"), row.day("period_end")
        if start is None:
            text = row.text("period")
            if text is None:
                raise row.error(
                    "period_start" if "period_start" in row.fields else "period",
                    "a value is required here",
                    "a date",
                )
            try:
                start, end = parse_period(text)
            except ValueError:
                raise row.error(
                    "period", "not a day or a month", "YYYY-MM-DD, or a month as YYYY-MM"
                ) from None
        try:
            yield Movement(
                key=RecordKey(dataset, row.record_id()),
                period_start=start,
                period_end=end or start,
                individuals=row.number("individuals", required=True, lo=0),  # type: ignore[arg-type]
                origin_pcode=row.text("origin_code"),
                origin_name=row.text("origin_name"),
                dest_pcode=row.text("dest_code"),
                dest_name=row.text("dest_name"),
                households=row.number("households", lo=0),
                children=row.number("children", lo=0),
                women=row.number("women", lo=0),
                men=row.number("men", lo=0),
                movement_type=_normal(row.text("movement_type") or "displacement"),
                sources=row.sources(),
            )
        except ValidationError as exc:
            raise row.error(None, str(exc)) from None

    def _sites(self, row: _Row, dataset: str) -> Iterator[Site | SiteSnapshot]:
        kind_text = row.text("kind")
        kind = SiteKind.OTHER if kind_text is None else _SITE_KINDS.get(_normal(kind_text))
        if kind is None:
            raise row.error(
                "kind",
                "not a site type",
                "camp, informal settlement, collective centre, reception centre or other",
            )
        site_pcode = row.text("site_pcode")
        key = RecordKey(dataset, row.text("record_id") or site_pcode or row.record_id("name", "place_pcode"))
        sources = row.sources()
        site = Site(
            key=key,
            name=row.required("name"),
            kind=kind,
            site_pcode=site_pcode,
            name_ar=row.text("name_ar"),
            place_pcode=row.text("place_pcode"),
            point=row.point(),
            capacity_individuals=row.integer("capacity_individuals"),
            capacity_households=row.integer("capacity_households"),
            sources=sources,
        )
        yield site
        individuals = row.integer("individuals")
        if individuals is None:
            return
        as_of = row.day("as_of")
        if as_of is None:
            raise row.error(
                "as_of" if "as_of" in row.fields else "individuals",
                "a population needs the date it holds for",
                "a date in a #date+asof column",
            )
        shelter = None
        counts = {name: row.integer(f"shelter_{name}") for name in SHELTER_FIELDS}
        if any(v is not None for v in counts.values()):
            shelter = ShelterBreakdown(
                open_air=counts["open_air"] or 0,
                tents=counts["tents"] or 0,
                unfinished_buildings=counts["unfinished"] or 0,
                collective=counts["collective"] or 0,
                other=counts["other"] or 0,
            )
        try:
            yield SiteSnapshot(
                key=RecordKey(dataset, f"{key.record_id}@{as_of.isoformat()}"),
                site_key=key,
                as_of=as_of,
                individuals=individuals,
                households=row.integer("households"),
                children=row.integer("children"),
                women=row.integer("women"),
                men=row.integer("men"),
                shelter=shelter,
                status=row.text("status"),
                sources=sources,
            )
        except ValidationError as exc:
            raise row.error(None, str(exc)) from None

    def _figures(self, row: _Row, dataset: str) -> Iterator[Figure]:
        qualifier_text = row.text("qualifier")
        qualifier = Qualifier.EXACT
        if qualifier_text is not None:
            try:
                qualifier = Qualifier(_normal(qualifier_text))
            except ValueError:
                raise row.error("qualifier", "not a qualifier", "one of " + ", ".join(Qualifier)) from None
        try:
            yield Figure(
                key=RecordKey(dataset, row.record_id()),
                metric=row.required("metric"),
                value=row.number("value", required=True, lo=0),  # type: ignore[arg-type]
                qualifier=qualifier,
                subgroup=row.text("subgroup") or "all",
                as_of=row.day("as_of"),
                period_start=row.day("period_start"),
                period_end=row.day("period_end"),
                reported_on=row.day("reported_on"),
                area_name=row.text("area_name"),
                area_pcode=row.text("area_pcode"),
                sources=row.sources(),
            )
        except ValidationError as exc:
            raise row.error(None, str(exc)) from None


__all__ = ["HxlImporter", "detect_kind", "layout"]
