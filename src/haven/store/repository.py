"""The repository: the one object the layers above use to read and write Haven's data.

Nothing above ``haven.store`` writes SQL. Queries here use SQLAlchemy Core only, so the same
code runs on SQLite (the embedded default) and PostgreSQL.
"""

from __future__ import annotations

import builtins
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from shapely import wkb
from sqlalchemy import Connection, Engine, Table, and_, func, insert, or_, select, update

from haven.errors import NotFoundError, ValidationError
from haven.model import Document, EventStatus, Figure, Place, RecordKey, Revision, Source, Zone
from haven.model.source import Reliability
from haven.store import schema
from haven.store.engine import check_schema, database_url, make_engine, upgrade
from haven.store.mapping import KINDS, Row, jsonable, source_to_row
from haven.store.writer import ImportReport, ImportWriter, Locator


@dataclass(frozen=True)
class RecordFilter:
    """What a listing asks for. Every field is optional; all given ones must hold."""

    start: date | None = None
    end: date | None = None
    area: str | None = None  # a p-code: records in it or in any unit below it
    types: tuple[str, ...] = ()  # event types, sub-event types, figure metrics, site kinds
    actor: str | None = None  # substring, case-insensitive
    text: str | None = None  # substring of notes, names
    dataset: str | None = None
    include_deleted: bool = False
    levels: tuple[int, ...] = ()  # places: admin levels 0-4
    statuses: tuple[str, ...] = ()  # events: review statuses (unverified, under_review, ...)
    limit: int | None = None
    offset: int = 0  # with limit: one page of a listing in its stable order


def file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Store:
    """A Haven database."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    # ------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None, *, create: bool = False) -> Store:
        """Open a database by path or URL. With ``create``, make or migrate its schema first."""
        url = database_url(location)
        engine = make_engine(url)
        if create:
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            upgrade(engine)
        else:
            check_schema(engine, url)
        return cls(engine, url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ writing
    @contextmanager
    def importing(
        self,
        kind: str,
        dataset: str,
        path: str | os.PathLike[str],
        *,
        locator: Locator | None = None,
        batch_size: int | None = None,
    ) -> Iterator[ImportWriter]:
        """One import, one transaction: everything the block writes is kept, or none of it."""
        report = ImportReport(kind=kind, dataset=dataset, path=str(path))
        sha = file_sha256(path) if Path(path).is_file() else hashlib.sha256(str(path).encode()).hexdigest()
        with self.engine.begin() as conn:
            options: dict[str, Any] = {"locator": locator}
            if batch_size:
                options["batch_size"] = batch_size
            writer = ImportWriter(conn, report, sha, **options)
            yield writer
            writer.finish()

    def set_event_status(self, key: RecordKey, status: EventStatus, note: str | None = None) -> None:
        """A reviewer's decision; the previous state goes into the revision history."""
        table = schema.events
        with self.engine.begin() as conn:
            row = _row_by_key(conn, table, key)
            if row is None:
                raise NotFoundError(f"no event {key}")
            conn.execute(
                insert(schema.revisions).values(
                    record_kind="event",
                    record_pk=row["id"],
                    revision=row["revision"],
                    change="status",
                    data={**jsonable(dict(row)), "note": note},
                    recorded_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
            conn.execute(
                update(table)
                .where(table.c.id == row["id"])
                .values(status=status.value, revision=row["revision"] + 1)
            )

    def save_zone(self, zone: Zone) -> None:
        table = schema.zones
        values = {
            "description": zone.description,
            "recipe": zone.recipe,
            "geom": wkb.dumps(zone.geometry),
            "created_at": datetime.now(UTC).replace(tzinfo=None),
        }
        with self.engine.begin() as conn:
            existing = conn.execute(select(table.c.id).where(table.c.name == zone.name)).scalar()
            if existing is None:
                conn.execute(insert(table).values(name=zone.name, **values))
            else:
                conn.execute(update(table).where(table.c.id == existing).values(**values))

    # ------------------------------------------------------------ documents and the review queue
    def save_document(self, document: Document, sha256: str) -> tuple[int, bool]:
        """Store a read document once (found again by its text's SHA-256): its id, and whether it is new."""
        table = schema.documents
        with self.engine.begin() as conn:
            found = conn.execute(select(table.c.id).where(table.c.sha256 == sha256)).scalar()
            if found is not None:
                return int(found), False
            source_id = _source_id(conn, document.source)
            result = conn.execute(
                insert(table).values(
                    source_id=source_id,
                    title=document.title,
                    text=document.text,
                    language=document.language,
                    published_on=document.published_on,
                    url=document.url,
                    meta=dict(document.metadata),
                    sha256=sha256,
                )
            )
            return int(result.inserted_primary_key[0]), True  # type: ignore[index]

    def document(self, document_id: int) -> Document:
        table, src = schema.documents, schema.sources
        with self.engine.connect() as conn:
            columns = [
                src.c.publisher,
                src.c.title.label("source_title"),
                src.c.url.label("source_url"),
                src.c.published_on.label("source_published_on"),
                src.c.reliability,
            ]
            query = select(table, *columns).join(src, src.c.id == table.c.source_id)
            row = conn.execute(query.where(table.c.id == document_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no document {document_id}")
        source = Source(
            row["publisher"],
            row["source_title"],
            row["source_url"],
            row["source_published_on"],
            Reliability(row["reliability"]),
        )
        return Document(
            source,
            row["text"],
            row["title"],
            row["language"],
            row["published_on"],
            row["url"],
            row["meta"] or {},
        )

    def save_candidates(self, document_id: int, items: Sequence[dict[str, Any]]) -> builtins.list[int]:
        """Add candidates of a document to the review queue, skipping those it already holds (same kind
        and key); each item: kind, record_key, record (JSON), confidence, matches, spans (field, start,
        end, confidence). Returns the ids of the ones added."""
        table, spans = schema.candidates, schema.extraction_spans
        added: builtins.list[int] = []
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.engine.begin() as conn:
            held = {
                (r.kind, r.record_key)
                for r in conn.execute(
                    select(table.c.kind, table.c.record_key).where(table.c.document_id == document_id)
                )
            }
            for item in items:
                if (item["kind"], item["record_key"]) in held:
                    continue
                result = conn.execute(
                    insert(table).values(
                        document_id=document_id,
                        kind=item["kind"],
                        record_key=item["record_key"],
                        record=item["record"],
                        confidence=item["confidence"],
                        status="under_review",
                        matches=item.get("matches"),
                        created_at=now,
                    )
                )
                pk = int(result.inserted_primary_key[0])  # type: ignore[index]
                rows = [{**span, "candidate_id": pk} for span in item.get("spans", [])]
                if rows:
                    conn.execute(insert(spans), rows)
                added.append(pk)
        return added

    def review_queue(
        self, *, status: str | None = None, kind: str | None = None, document_id: int | None = None
    ) -> builtins.list[dict[str, Any]]:
        """Candidates in the review queue, oldest first, each with its spans."""
        table = schema.candidates
        query = select(table).order_by(table.c.id)
        if status:
            query = query.where(table.c.status == status)
        if kind:
            query = query.where(table.c.kind == kind)
        if document_id is not None:
            query = query.where(table.c.document_id == document_id)
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(query).mappings()]
            return self._with_spans(conn, rows)

    def review_item(self, candidate_id: int) -> dict[str, Any]:
        table = schema.candidates
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.id == candidate_id)).mappings().first()
            if row is None:
                raise NotFoundError(
                    f"no candidate {candidate_id} in the review queue (see `haven review list`)"
                )
            return self._with_spans(conn, [dict(row)])[0]

    def update_review_item(self, candidate_id: int, **values: Any) -> None:
        """Record a reviewer's decision on a candidate: ``status``, ``note``, ``record``, ``matches``."""
        table = schema.candidates
        values["reviewed_at"] = datetime.now(UTC).replace(tzinfo=None)
        with self.engine.begin() as conn:
            done = conn.execute(update(table).where(table.c.id == candidate_id).values(**values))
            if not done.rowcount:
                raise NotFoundError(f"no candidate {candidate_id} in the review queue")

    def add_record_source(self, kind_name: str, key: RecordKey, source: Source) -> bool:
        """Attach one more source to a stored record; False when it already had it."""
        table = KINDS[kind_name].table
        links = schema.record_sources
        with self.engine.begin() as conn:
            row = _row_by_key(conn, table, key)
            if row is None:
                raise NotFoundError(f"no {kind_name} {key}")
            source_id = _source_id(conn, source)
            exists = conn.execute(
                select(links.c.source_id).where(
                    links.c.record_kind == kind_name,
                    links.c.record_pk == row["id"],
                    links.c.source_id == source_id,
                )
            ).first()
            if exists is not None:
                return False
            conn.execute(
                insert(links).values(record_kind=kind_name, record_pk=row["id"], source_id=source_id)
            )
            return True

    @staticmethod
    def _with_spans(conn: Any, rows: builtins.list[dict[str, Any]]) -> builtins.list[dict[str, Any]]:
        spans = schema.extraction_spans
        by_candidate: dict[int, builtins.list[dict[str, Any]]] = defaultdict(builtins.list)
        ids = [r["id"] for r in rows]
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            query = select(spans).where(spans.c.candidate_id.in_(chunk)).order_by(spans.c.id)
            for span in conn.execute(query).mappings():
                by_candidate[span["candidate_id"]].append(
                    {k: span[k] for k in ("field", "start", "end", "confidence")}
                )
        for row in rows:
            row["spans"] = by_candidate.get(row["id"], [])
        return rows

    # ------------------------------------------------------------ reading
    def list(self, kind_name: str, where: RecordFilter | None = None) -> builtins.list[Any]:
        """Records of one kind matching a filter, each with its sources attached."""
        kind = KINDS[kind_name]
        where = where or RecordFilter()
        table = kind.table
        query = select(table).where(*self._conditions(kind_name, where)).order_by(*self._order(kind_name))
        if where.limit:
            query = query.limit(where.limit)
        if where.offset:
            query = query.offset(where.offset)
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(query).mappings()]
            sources = self._sources_for(conn, kind_name, [r["id"] for r in rows])
        records = []
        for row in rows:
            record = kind.from_row(row)
            if hasattr(record, "sources"):
                record.sources = sources.get(row["id"], [])
            records.append(record)
        return records

    def latest_figures(self, metric: str, *, area: str | None = None) -> dict[str, Figure]:
        """The latest figure of ``metric`` (subgroup "all") for each area p-code, by as-of date."""
        latest: dict[str, Figure] = {}
        for figure in self.list("figure", RecordFilter(types=(metric,), area=area)):
            if figure.area_pcode is None or figure.subgroup != "all":
                continue
            held = latest.get(figure.area_pcode)
            if held is None or (figure.as_of or date.min) >= (held.as_of or date.min):
                latest[figure.area_pcode] = figure
        return latest

    def count(self, kind_name: str, where: RecordFilter | None = None) -> int:
        kind = KINDS[kind_name]
        query = (
            select(func.count())
            .select_from(kind.table)
            .where(*self._conditions(kind_name, where or RecordFilter()))
        )
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def get(self, kind_name: str, key: RecordKey) -> Any:
        table = KINDS[kind_name].table
        with self.engine.connect() as conn:
            row = _row_by_key(conn, table, key)
            if row is None:
                raise NotFoundError(f"no {kind_name} {key}")
            record = KINDS[kind_name].from_row(dict(row))
            if hasattr(record, "sources"):
                record.sources = self._sources_for(conn, kind_name, [row["id"]]).get(row["id"], [])
            return record

    def is_deleted(self, kind_name: str, key: RecordKey) -> bool:
        table = KINDS[kind_name].table
        with self.engine.connect() as conn:
            row = _row_by_key(conn, table, key)
        if row is None:
            raise NotFoundError(f"no {kind_name} {key}")
        return row["deleted_at"] is not None

    def revisions(self, kind_name: str, key: RecordKey) -> builtins.list[Revision]:
        """The earlier states of a record, oldest first."""
        table, rev = KINDS[kind_name].table, schema.revisions
        with self.engine.connect() as conn:
            row = _row_by_key(conn, table, key)
            if row is None:
                raise NotFoundError(f"no {kind_name} {key}")
            pk = row["id"]
            rows = conn.execute(
                select(rev).where(rev.c.record_kind == kind_name, rev.c.record_pk == pk).order_by(rev.c.id)
            ).mappings()
            return [
                Revision(r["revision"], r["recorded_at"], r["change"], r["data"], r["import_id"])
                for r in rows
            ]

    def place(self, pcode: str) -> Place:
        table = schema.places
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.pcode == pcode)).mappings().first()
        if row is None:
            raise NotFoundError(f"no place with p-code {pcode!r}; load boundaries or communities first")
        return KINDS["place"].from_row(dict(row))

    def zones(self) -> builtins.list[Zone]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.zones).order_by(schema.zones.c.name)).mappings().all()
        return [Zone(r["name"], wkb.loads(r["geom"]), r["recipe"], r["description"]) for r in rows]

    def zone(self, name: str) -> Zone:
        for zone in self.zones():
            if zone.name == name:
                return zone
        raise NotFoundError(f"no zone named {name!r}")

    def event_columns(
        self,
        columns: Sequence[str],
        *,
        start: date | None = None,
        end: date | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> dict[str, builtins.list[Any]]:
        """Columns of the located, non-deleted events in a lon/lat box and period, as one list each.

        For spatial queries over many events: no records, no sources, one round trip. ``bbox`` is
        (min_lon, min_lat, max_lon, max_lat); an event belongs to the period when its dates overlap it.
        """
        c = schema.events.c
        unknown = [name for name in columns if name not in c]
        if unknown:
            raise ValidationError(f"events have no column {unknown[0]!r}")
        conds: builtins.list[Any] = [c.deleted_at.is_(None), c.lon.is_not(None), c.lat.is_not(None)]
        if start and end and end < start:
            raise ValidationError(f"period ends {end} before it starts {start}")
        if end:
            conds.append(c.date_start <= end)
        if start:
            conds.append(func.coalesce(c.date_end, c.date_start) >= start)
        if bbox:
            min_lon, min_lat, max_lon, max_lat = bbox
            conds += [c.lon.between(min_lon, max_lon), c.lat.between(min_lat, max_lat)]
        query = select(*[c[name] for name in columns]).where(*conds)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return {name: [] for name in columns}
        return {name: list(values) for name, values in zip(columns, zip(*rows, strict=True), strict=True)}

    def imports(self) -> builtins.list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [
                dict(r) for r in conn.execute(select(schema.imports).order_by(schema.imports.c.id)).mappings()
            ]

    def state_token(self) -> tuple[Any, ...]:
        """A value that changes whenever an import finishes: imports are the only way records enter,
        change or leave, so whatever is built from imported records can be kept while it holds.
        (Reviews and zones do not go through imports.)"""
        table = schema.imports
        with self.engine.connect() as conn:
            count, last = conn.execute(select(func.count(), func.max(table.c.id))).one()
            finished = conn.execute(select(table.c.finished_at).where(table.c.id == last)).scalar()
        return (count, last, finished)

    def table_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                name: int(conn.execute(select(func.count()).select_from(kind.table)).scalar_one())
                for name, kind in KINDS.items()
            }

    # ------------------------------------------------------------ internals
    def _conditions(self, kind_name: str, where: RecordFilter) -> builtins.list[Any]:
        table = KINDS[kind_name].table
        c = table.c
        conds: list[Any] = []
        if not where.include_deleted:
            conds.append(c.deleted_at.is_(None))
        if where.dataset:
            conds.append(c.dataset == where.dataset)
        if where.levels and "level" in c:
            conds.append(c.level.in_(where.levels))
        if where.statuses and "status" in c:
            conds.append(c.status.in_(where.statuses))
        start_col, end_col = _period_columns(kind_name, c)
        if where.start and where.end and where.end < where.start:
            raise ValidationError(f"period ends {where.end} before it starts {where.start}")
        if start_col is not None:
            # A record belongs to a period when what it describes overlaps it.
            if where.end:
                conds.append(start_col <= where.end)
            if where.start and kind_name == "agreement":
                conds.append(or_(end_col.is_(None), end_col >= where.start))  # no end: still in force
            elif where.start:
                conds.append(func.coalesce(end_col, start_col) >= where.start)
        if where.area:
            names = ("adm1_pcode", "adm2_pcode", "adm3_pcode", "place_pcode", "area_pcode", "pcode")
            area_cols = [getattr(c, name) for name in names if name in c]
            conds.append(or_(*[col == where.area for col in area_cols]))
        if where.types:
            type_names = ("event_type", "sub_event_type", "metric", "kind", "movement_type")
            type_cols = [getattr(c, name) for name in type_names if name in c]
            conds.append(or_(*[col.in_(where.types) for col in type_cols]))
        if where.actor and "actor1" in c:
            pattern = f"%{where.actor.lower()}%"
            actor_cols = (c.actor1, c.actor2, c.assoc_actor1, c.assoc_actor2)
            conds.append(or_(*[func.lower(col).like(pattern) for col in actor_cols]))
        if where.text:
            pattern = f"%{where.text.lower()}%"
            text_names = (
                "notes",
                "location_name",
                "name",
                "name_en",
                "area_name",
                "origin_name",
                "dest_name",
            )
            text_cols = [getattr(c, name) for name in text_names if name in c]
            conds.append(or_(*[func.lower(col).like(pattern) for col in text_cols]))
        return conds

    @staticmethod
    def _order(kind_name: str) -> builtins.list[Any]:
        c = KINDS[kind_name].table.c
        start_col, end_col = _period_columns(kind_name, c)
        if kind_name == "figure":
            return [end_col, c.id]  # the date a figure holds for
        return [start_col, c.id] if start_col is not None else [c.id]

    @staticmethod
    def _sources_for(conn: Any, kind_name: str, pks: builtins.list[int]) -> dict[int, builtins.list[Source]]:
        found: dict[int, list[Source]] = defaultdict(list)
        link, src = schema.record_sources, schema.sources
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            rows = conn.execute(
                select(link.c.record_pk, src)
                .join(src, src.c.id == link.c.source_id)
                .where(and_(link.c.record_kind == kind_name, link.c.record_pk.in_(chunk)))
                .order_by(src.c.id)
            ).mappings()
            for r in rows:
                found[r["record_pk"]].append(
                    Source(
                        r["publisher"], r["title"], r["url"], r["published_on"], Reliability(r["reliability"])
                    )
                )
        return found


def _source_id(conn: Connection, source: Source) -> int:
    table = schema.sources
    found = conn.execute(select(table.c.id).where(table.c.key == source.key)).scalar()
    if found is None:
        inserted = conn.execute(insert(table).values(**source_to_row(source))).inserted_primary_key
        found = inserted[0] if inserted else 0
    return int(found)


def _row_by_key(conn: Connection, table: Table, key: RecordKey) -> Row | None:
    query = select(table).where(table.c.dataset == key.dataset, table.c.record_id == key.record_id)
    found = conn.execute(query).mappings().first()
    return None if found is None else dict(found)


def _period_columns(kind_name: str, c: Any) -> tuple[Any, Any]:
    pairs = {
        "event": ("date_start", "date_end"),
        "movement": ("period_start", "period_end"),
        "site_snapshot": ("as_of", None),
        "figure": ("period_start", "as_of"),
        "agreement": ("effective_from", "effective_to"),
    }
    names = pairs.get(kind_name)
    if names is None:
        return None, None
    start = getattr(c, names[0])
    end = getattr(c, names[1]) if names[1] else None
    if kind_name == "figure":
        # A figure counts [period_start, period_end] or holds on as_of.
        return func.coalesce(c.period_start, c.as_of, c.reported_on), func.coalesce(
            c.as_of, c.period_end, c.reported_on
        )
    return start, end


__all__ = ["RecordFilter", "Row", "Store", "file_sha256"]
