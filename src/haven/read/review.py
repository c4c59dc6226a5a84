"""The review queue: candidates stored with their document, spans and confidences, for a person to decide.

``queue_document`` stores a read document (once, found again by its text's SHA-256) and its candidates
(once per kind and key: reading the same document again adds nothing). Nothing is verified:

* **accept** writes the record in the document's ``read:<document>`` dataset (a zone is built and saved
  by name). An accepted event keeps the status ``under_review`` until a reviewer verifies it
  (``Store.set_event_status``); an event matching a stored one (:mod:`haven.read.dedup`) also attaches
  the document's source to that event, and keeps its own count for reconciliation.
* **correct** changes fields (``field=value``), accepting the candidate first if needed: the record as
  read stays in the record's revision history.
* **reject** keeps the candidate with the note and, if it was accepted as an event, marks the event
  rejected.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary

from haven.errors import ValidationError
from haven.geo import Gazetteer
from haven.model import Document, Estimate, EventStatus, RecordKey, Source
from haven.read.agreements import extract_agreements
from haven.read.candidates import Candidate
from haven.read.dedup import find_match
from haven.read.documents import ReadDocument
from haven.read.events import extract_events
from haven.store import Store
from haven.store.mapping import KINDS, jsonable

RECORD_KINDS = ("figure", "event", "agreement")


def read_all(doc: ReadDocument, gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Every candidate a document gives: figures, events, agreements and zones."""
    from haven.read.figures import extract_figures

    return [
        *extract_figures(doc, gazetteer),
        *extract_events(doc, gazetteer),
        *extract_agreements(doc, gazetteer),
    ]


def record_to_json(kind: str, record: Any) -> dict[str, Any]:
    if kind == "zone":
        return dict(record)
    row = KINDS[kind].to_row(record)
    key = {"dataset": record.key.dataset, "record_id": record.key.record_id, "revision": 1}
    return {**key, **jsonable(row)}


def record_from_json(kind: str, data: dict[str, Any], sources: list[Source]) -> Any:
    if kind == "zone":
        return dict(data)
    table = KINDS[kind].table
    row: dict[str, Any] = {}
    for name, value in data.items():
        column = table.c.get(name)
        if value is not None and column is not None:
            if isinstance(column.type, DateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(column.type, Date):
                value = date.fromisoformat(value)
            elif isinstance(column.type, LargeBinary):
                value = bytes.fromhex(value)
        row[name] = value
    record = KINDS[kind].from_row(row)
    record.sources = list(sources)
    return record


def _key(candidate: Candidate) -> str:
    if candidate.kind == "zone":
        return str(candidate.record["name"])
    return str(candidate.record.key)


def queue_document(store: Store, doc: ReadDocument, candidates: list[Candidate]) -> tuple[int, list[int]]:
    """Store a document and its candidates for review: the document id and the new candidates' ids."""
    sha = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    document = Document(doc.source, doc.text, doc.title, published_on=doc.published_on)
    document_id, _ = store.save_document(document, sha)
    items = []
    for candidate in candidates:
        matches = None
        if candidate.kind == "event":
            match = find_match(store, candidate.record)
            matches = str(match.key) if match is not None else None
        items.append(
            {
                "kind": candidate.kind,
                "record_key": _key(candidate),
                "record": record_to_json(candidate.kind, candidate.record),
                "confidence": candidate.confidence,
                "matches": matches,
                "spans": [
                    {"field": e.field, "start": e.span.start, "end": e.span.end, "confidence": e.confidence}
                    for e in candidate.evidence
                ],
            }
        )
    return document_id, store.save_candidates(document_id, items)


def _record(store: Store, item: dict[str, Any]) -> Any:
    source = store.document(item["document_id"]).source
    return record_from_json(item["kind"], item["record"], [source])


def _write(store: Store, kind: str, record: Any, item: dict[str, Any]) -> None:
    with store.importing(kind, record.key.dataset, f"read:document:{item['document_id']}") as writer:
        writer.add(record)


def accept(store: Store, candidate_id: int, note: str | None = None) -> Any:
    """Write a candidate's record (see the module docstring); returns the record written."""
    item = store.review_item(candidate_id)
    if item["status"] in ("accepted", "corrected"):
        return _record(store, item)
    record = _record(store, item)
    if item["kind"] == "zone":
        from haven.geo.zones import create_zone

        if not record.get("recipe"):
            raise ValidationError(
                f"candidate {candidate_id}: the zone has no recipe to build; correct it with recipe=... first"
            )
        create_zone(store, record["name"], record["recipe"], record.get("description"))
    else:
        _write(store, item["kind"], record, item)
        if item["kind"] == "event" and item["matches"]:
            dataset, _, record_id = item["matches"].rpartition(":")
            store.add_record_source("event", RecordKey(dataset, record_id), record.sources[0])
    store.update_review_item(candidate_id, status="accepted", note=note)
    return record


def convert_field(record: Any, name: str, text: str) -> Any:
    """A corrected field's value read from the words a person typed (``fatalities=5/6/7``, a date...)."""
    current = getattr(record, name)
    if name in ("fatalities", "injured"):
        parts = [float(p) if p.strip() else None for p in text.split("/")]
        return Estimate(*parts) if len(parts) == 3 else Estimate.exact(parts[0])
    if isinstance(current, datetime):
        return datetime.fromisoformat(text)
    if isinstance(current, date) or name in ("date_start", "date_end", "as_of", "signed_on"):
        return date.fromisoformat(text)
    if isinstance(current, bool):
        return text.casefold() in ("1", "true", "yes")
    if isinstance(current, (int, float)) and not isinstance(current, bool):
        return type(current)(text)
    return text or None


def correct(store: Store, candidate_id: int, changes: dict[str, str], note: str | None = None) -> Any:
    """Change fields of a candidate's record; the record as read stays in its revision history."""
    item = store.review_item(candidate_id)
    if item["kind"] == "zone":
        record = dict(item["record"])
        record.update(changes)
        store.update_review_item(candidate_id, record=record, status="under_review", note=note)
        return record
    record = accept(store, candidate_id)
    fields = {f for f in getattr(type(record), "__dataclass_fields__", {})}
    unknown = [name for name in changes if name not in fields or name in ("key", "sources", "revisions")]
    if unknown:
        raise ValidationError(
            f"cannot correct {', '.join(unknown)} of a {item['kind']} (expected some of "
            f"{', '.join(sorted(fields - {'key', 'sources', 'revisions'}))})"
        )
    try:
        corrected = replace(
            record, **{name: convert_field(record, name, text) for name, text in changes.items()}
        )
    except ValueError as error:
        raise ValidationError(f"candidate {candidate_id}: {error}") from error
    if item["kind"] == "event":
        corrected.status = EventStatus.UNDER_REVIEW
    _write(store, item["kind"], corrected, item)
    store.update_review_item(
        candidate_id, status="corrected", note=note, record=record_to_json(item["kind"], corrected)
    )
    return corrected


def reject(store: Store, candidate_id: int, note: str) -> None:
    """Reject a candidate with a note; an accepted event is marked rejected too."""
    if not note.strip():
        raise ValidationError("a rejection needs a note saying why")
    item = store.review_item(candidate_id)
    if item["kind"] == "event" and item["status"] in ("accepted", "corrected"):
        record = _record(store, item)
        store.set_event_status(record.key, EventStatus.REJECTED, note)
    store.update_review_item(candidate_id, status="rejected", note=note)


__all__ = [
    "accept",
    "convert_field",
    "correct",
    "queue_document",
    "read_all",
    "record_from_json",
    "record_to_json",
    "reject",
]
