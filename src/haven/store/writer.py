"""Writing one import: batched upserts keyed by dataset + record id, with revisions and sources.

An :class:`ImportWriter` lives inside one database transaction. Records are buffered and
flushed in batches; each flush looks the batch's keys up once, inserts the new, leaves the
unchanged alone, and archives the old state of the changed into ``revisions``. If anything
raises before the transaction commits, nothing of the import is kept.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from haven.errors import InputError
from haven.model import RecordKey, Source
from haven.store import schema
from haven.store.bulk import bulk_insert, bulk_insert_with_ids
from haven.store.mapping import KINDS, RecordKind, Row, jsonable, kind_of, source_to_row

BATCH_SIZE = 2000
_LOOKUP_CHUNK = 500
# Columns a reviewer owns: a re-import never overwrites them and they are not part of the source's content.
_REVIEW_COLUMNS = frozenset({"status"})
# Places are one gazetteer shared by all datasets: keyed by p-code, merged column by column.
_MERGED_KINDS = frozenset({"place"})

Locator = Callable[[Sequence[tuple[float, float]]], list[tuple[str | None, str | None, str | None]]]


@dataclass
class KindCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class ImportReport:
    """What one import did."""

    kind: str
    dataset: str
    path: str
    import_id: int | None = None
    rejected: int = 0
    by_kind: dict[str, KindCounts] = field(default_factory=lambda: defaultdict(KindCounts))
    notes: list[str] = field(default_factory=list)

    def _total(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.by_kind.values())

    @property
    def inserted(self) -> int:
        return self._total("inserted")

    @property
    def updated(self) -> int:
        return self._total("updated")

    @property
    def unchanged(self) -> int:
        return self._total("unchanged")

    @property
    def deleted(self) -> int:
        return self._total("deleted")

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dataset": self.dataset,
            "path": self.path,
            "import_id": self.import_id,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "rejected": self.rejected,
            "by_kind": {k: vars(v) for k, v in self.by_kind.items()},
            "notes": self.notes,
        }


def _hashed_values(rows: list[Row]) -> Callable[[Row], Any]:
    """A fast getter of the columns that make up a record's content (all but the reviewer's)."""
    names = sorted(name for name in rows[0] if name not in _REVIEW_COLUMNS)
    return itemgetter(*names)


def _content_hash(values: Any, source_keys: list[str]) -> str:
    # pickle is four times faster than repr here, and for str, numbers, None and dates its
    # output is fixed by protocol 5; the hash only tells "changed or not".
    data = pickle.dumps((values, sorted(source_keys)), protocol=5)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class ImportWriter:
    """Accepts records of any kind during one import, inside the caller's transaction."""

    def __init__(
        self,
        conn: Connection,
        report: ImportReport,
        sha256: str,
        *,
        locator: Locator | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.conn = conn
        self.report = report
        self.locator = locator
        self.batch_size = batch_size
        self.now = datetime.now(UTC).replace(tzinfo=None)
        self._buffers: dict[str, list[Any]] = defaultdict(list)
        self._source_ids: dict[str, int] = {}
        self._chains: dict[str, tuple[str | None, str | None, str | None]] | None = None
        self._had_rows: dict[tuple[str, str], bool] = {}
        self.import_id: int = conn.execute(  # type: ignore[index]
            insert(schema.imports).values(
                kind=report.kind,
                dataset=report.dataset,
                path=report.path,
                sha256=sha256,
                started_at=self.now,
                inserted=0,
                updated=0,
                unchanged=0,
                deleted=0,
                rejected=0,
            )
        ).inserted_primary_key[0]
        report.import_id = self.import_id

    # ------------------------------------------------------------ public
    def add(self, record: Any) -> None:
        kind = kind_of(record)
        buffer = self._buffers[kind.name]
        buffer.append(record)
        if len(buffer) >= self.batch_size:
            self._flush(kind, buffer)
            buffer.clear()

    def add_all(self, records: Iterable[Any]) -> None:
        for record in records:
            self.add(record)

    def mark_deleted(self, kind_name: str, dataset: str, record_ids: Sequence[str], when: datetime) -> int:
        """Mark records withdrawn upstream; their rows and history stay, flagged ``deleted_at``."""
        self.flush()
        kind = KINDS[kind_name]
        table = kind.table
        marked = 0
        for chunk in _chunks(list(record_ids), _LOOKUP_CHUNK):
            rows = self.conn.execute(
                select(table).where(
                    table.c.dataset == dataset, table.c.record_id.in_(chunk), table.c.deleted_at.is_(None)
                )
            ).mappings()
            for row in rows:
                self._archive(kind, dict(row), "deleted")
                self.conn.execute(
                    update(table)
                    .where(table.c.id == row["id"])
                    .values(deleted_at=when, revision=row["revision"] + 1, import_id=self.import_id)
                )
                marked += 1
        self.report.by_kind[kind_name].deleted += marked
        return marked

    def flush(self) -> None:
        for name, buffer in self._buffers.items():
            if buffer:
                self._flush(KINDS[name], buffer)
                buffer.clear()

    def finish(self) -> ImportReport:
        self.flush()
        r = self.report
        self.conn.execute(
            update(schema.imports)
            .where(schema.imports.c.id == self.import_id)
            .values(
                finished_at=datetime.now(UTC).replace(tzinfo=None),
                inserted=r.inserted,
                updated=r.updated,
                unchanged=r.unchanged,
                deleted=r.deleted,
                rejected=r.rejected,
            )
        )
        return r

    # ------------------------------------------------------------ internals
    def _flush(self, kind: RecordKind, records: list[Any]) -> None:
        merged = kind.name in _MERGED_KINDS
        keys = [kind.key_of(r) for r in records]
        rows = [kind.to_row(r) for r in records]
        self._fill_area_chain(kind, rows)
        source_keys = [[s.key for s in getattr(r, "sources", ())] for r in records]

        content_of = _hashed_values(rows)
        existing = self._lookup(kind, keys, full=merged) if self._may_exist(kind, keys[0].dataset) else {}
        # A merged record (a place) gathers the sources of every dataset that described it.
        linked = self._linked_source_keys(kind, [old["id"] for old in existing.values()]) if merged else {}
        counts = self.report.by_kind[kind.name]
        to_insert: list[Row] = []
        inserted_sources: list[list[Source]] = []
        seen_in_batch: set[str] = set()
        for record, key, row, skeys in zip(records, keys, rows, source_keys, strict=True):
            if key.record_id in seen_in_batch:
                raise InputError(
                    self.report.path, f"{kind.name} id {key.record_id!r} appears twice in this file"
                )
            seen_in_batch.add(key.record_id)
            old = existing.get(key.record_id)
            if old is not None and merged:
                row = {name: (value if value is not None else old[name]) for name, value in row.items()}
                skeys = sorted(linked.get(old["id"], set()) | set(skeys))
            digest = _content_hash(content_of(row), skeys)
            if old is None:
                row.update(
                    dataset=key.dataset,
                    record_id=key.record_id,
                    revision=1,
                    content_hash=digest,
                    import_id=self.import_id,
                )
                to_insert.append(row)
                inserted_sources.append(list(getattr(record, "sources", ())))
                continue
            if old["import_id"] == self.import_id:
                raise InputError(
                    self.report.path, f"{kind.name} id {key.record_id!r} appears twice in this file"
                )
            if old["content_hash"] == digest and old["deleted_at"] is None:
                counts.unchanged += 1
                continue
            self._replace(kind, old, row, digest, list(getattr(record, "sources", ())))
            counts.updated += 1

        if to_insert:
            ids = self._insert(kind, to_insert)
            self._link_sources(kind.name, zip(ids, inserted_sources, strict=True))
            counts.inserted += len(to_insert)

    def _may_exist(self, kind: RecordKind, dataset: str) -> bool:
        """Whether the dataset had records of this kind before this import began.

        A first import of a dataset (the common case for big files) skips the key look-ups;
        the unique constraint still catches an id that appears twice in the file.
        """
        if kind.name in _MERGED_KINDS:
            return True
        known = self._had_rows.get((kind.name, dataset))
        if known is None:
            table = kind.table
            query = select(table.c.id).where(table.c.dataset == dataset, table.c.import_id != self.import_id)
            known = self._had_rows[(kind.name, dataset)] = (
                self.conn.execute(query.limit(1)).first() is not None
            )
        return known

    def _insert(self, kind: RecordKind, rows: list[Row]) -> list[int]:
        key = ("pcode",) if kind.name in _MERGED_KINDS else ("dataset", "record_id")
        try:
            with self.conn.begin_nested():
                return bulk_insert_with_ids(self.conn, kind.table, rows, key)
        except IntegrityError:
            counts = Counter(row["record_id"] for row in rows)
            repeated = [key for key, n in counts.items() if n > 1]
            if not repeated:  # repeated across batches: find which ones are already in
                found = self._lookup(
                    kind, [RecordKey(rows[0]["dataset"], r["record_id"]) for r in rows], full=False
                )
                repeated = sorted(found)
            raise InputError(
                self.report.path, f"{kind.name} id {repeated[0]!r} appears twice in this file"
            ) from None

    def _lookup(self, kind: RecordKind, keys: list[Any], *, full: bool) -> dict[str, Row]:
        table = kind.table
        columns = (
            [table]
            if full
            else [table.c.id, table.c.record_id, table.c.content_hash, table.c.revision, table.c.deleted_at,
                  table.c.import_id]
        )  # fmt: skip
        found: dict[str, Row] = {}
        ids = [k.record_id for k in keys]
        for chunk in _chunks(ids, _LOOKUP_CHUNK):
            if kind.name in _MERGED_KINDS:
                where = [table.c.pcode.in_(chunk)]
            else:
                where = [table.c.dataset == keys[0].dataset, table.c.record_id.in_(chunk)]
            for row in self.conn.execute(select(*columns).where(*where)).mappings():
                found[row["record_id"]] = dict(row)
        return found

    def _replace(self, kind: RecordKind, old: Row, row: Row, digest: str, sources: list[Source]) -> None:
        table = kind.table
        full_old = dict(self.conn.execute(select(table).where(table.c.id == old["id"])).mappings().one())
        self._archive(kind, full_old, "restored" if old["deleted_at"] is not None else "updated")
        values = {name: value for name, value in row.items() if name not in _REVIEW_COLUMNS}
        values.update(
            content_hash=digest, revision=old["revision"] + 1, import_id=self.import_id, deleted_at=None
        )
        self.conn.execute(update(table).where(table.c.id == old["id"]).values(**values))
        if kind.name in _MERGED_KINDS:
            already = self._linked_source_keys(kind, [old["id"]]).get(old["id"], set())
            self._link_sources(kind.name, [(old["id"], [s for s in sources if s.key not in already])])
            return
        self.conn.execute(
            delete(schema.record_sources).where(
                schema.record_sources.c.record_kind == kind.name,
                schema.record_sources.c.record_pk == old["id"],
            )
        )
        self._link_sources(kind.name, [(old["id"], sources)])

    def _archive(self, kind: RecordKind, old: Row, change: str) -> None:
        self.conn.execute(
            insert(schema.revisions).values(
                record_kind=kind.name,
                record_pk=old["id"],
                revision=old["revision"],
                change=change,
                data=jsonable(old),
                import_id=self.import_id,
                recorded_at=self.now,
            )
        )

    def _linked_source_keys(self, kind: RecordKind, pks: list[int]) -> dict[int, set[str]]:
        link, src = schema.record_sources, schema.sources
        found: dict[int, set[str]] = defaultdict(set)
        for chunk in _chunks(pks, _LOOKUP_CHUNK):
            query = (
                select(link.c.record_pk, src.c.key)
                .join(src, src.c.id == link.c.source_id)
                .where(link.c.record_kind == kind.name, link.c.record_pk.in_(chunk))
            )
            for pk, key in self.conn.execute(query):
                found[pk].add(key)
        return found

    def _link_sources(self, kind_name: str, pairs: Iterable[tuple[int, list[Source]]]) -> None:
        links = []
        # Importers share one list among records with the same sources; resolve each list once.
        resolved: dict[int, set[int]] = {}
        for record_pk, record_sources in pairs:
            ids = resolved.get(id(record_sources))
            if ids is None:
                ids = resolved[id(record_sources)] = {self._source_id(s) for s in record_sources}
            for source_id in ids:
                links.append({"record_kind": kind_name, "record_pk": record_pk, "source_id": source_id})
        bulk_insert(self.conn, schema.record_sources, links)

    def _source_id(self, source: Source) -> int:
        key = source.key
        cached = self._source_ids.get(key)
        if cached is not None:
            return cached
        table = schema.sources
        found = self.conn.execute(select(table.c.id).where(table.c.key == key)).scalar()
        if found is None:
            inserted = self.conn.execute(insert(table).values(**source_to_row(source))).inserted_primary_key
            found = int(inserted[0]) if inserted else 0
        self._source_ids[key] = found
        return found

    def _fill_area_chain(self, kind: RecordKind, rows: list[Row]) -> None:
        """Give each row the admin chain it lies in, from its p-code or, failing that, its point."""
        if "adm1_pcode" not in kind.table.c or kind.name in _MERGED_KINDS:
            return
        chains = self._place_chains()
        unplaced: list[int] = []
        for i, row in enumerate(rows):
            code = row.get("place_pcode") or row.get("area_pcode")
            chain = chains.get(code) if code else None
            if chain is not None:
                row["adm1_pcode"], row["adm2_pcode"], row["adm3_pcode"] = chain
            elif row.get("lon") is not None and self.locator is not None:
                unplaced.append(i)
            else:
                row.setdefault("adm1_pcode", None)
                row.setdefault("adm2_pcode", None)
                row.setdefault("adm3_pcode", None)
        if unplaced:
            located = self.locator([(rows[i]["lon"], rows[i]["lat"]) for i in unplaced])  # type: ignore[misc]
            for i, chain in zip(unplaced, located, strict=True):
                rows[i]["adm1_pcode"], rows[i]["adm2_pcode"], rows[i]["adm3_pcode"] = chain

    def _place_chains(self) -> dict[str, tuple[str | None, str | None, str | None]]:
        if self._chains is None:
            p = schema.places
            self._chains = {}
            for row in self.conn.execute(
                select(p.c.pcode, p.c.level, p.c.adm1_pcode, p.c.adm2_pcode, p.c.adm3_pcode)
            ):
                chain = [row.adm1_pcode, row.adm2_pcode, row.adm3_pcode]
                if 1 <= row.level <= 3:
                    chain[row.level - 1] = row.pcode  # a unit lies in itself
                    chain[row.level :] = [None] * (3 - row.level)
                self._chains[row.pcode] = (chain[0], chain[1], chain[2])
        return self._chains


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = ["ImportReport", "ImportWriter", "KindCounts", "Locator"]
