"""The review workflow, shared by the CLI and the web: the queue, holds, decisions, and who did what.

The queue holds events not yet decided (status ``unverified`` or ``under_review``) and the candidates of
``haven read`` still pending. A reviewer *claims* an item to work on it: a hold for 30 minutes, which the
holder may renew; while it lasts nobody else may claim it or decide on it. A decision releases the hold.

Decisions and who may make them (the same rules for the CLI and the web):

=========  ==============================  ===================================================
decision   permission                      on an event / on a candidate
=========  ==============================  ===================================================
verify     review                          status verified / accept (write the record)
dispute    review (note required)          status disputed / not possible: correct or reject
reject     review (note required)          status rejected / reject the candidate
correct    write or review                 change fields / correct the candidate's record
=========  ==============================  ===================================================

``correct`` is open to analysts (write) because fixing a count or a type is data work, and to reviewers
because they find the mistakes; it does not decide the status. Every change keeps the previous state in
the record's revision history, and every claim, release and decision is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from haven.errors import HavenError, ValidationError
from haven.model import Document, Estimate, Event, EventStatus, Permission, RecordKey, Revision, Source, User
from haven.read import review as reading
from haven.services.serialize import to_jsonable
from haven.store import RecordFilter, Store
from haven.store import accounts as rows
from haven.store.accounts import AuditEntry, Hold, utcnow

HOLD_MINUTES = 30
ITEM_KINDS = ("event", "candidate")
PENDING_EVENT_STATUSES = (EventStatus.UNVERIFIED.value, EventStatus.UNDER_REVIEW.value)
PENDING_CANDIDATE_STATUS = "under_review"
# Fields a person may correct on an event: plain values that ``field=value`` text can express.
CORRECTABLE_EVENT_FIELDS = (
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "location_name",
    "place_pcode",
    "admin1",
    "admin2",
    "admin3",
    "fatalities",
    "injured",
    "civilian_targeting",
    "notes",
    "tags",
)


class Decision(StrEnum):
    VERIFY = "verify"
    DISPUTE = "dispute"
    REJECT = "reject"
    CORRECT = "correct"


_ALLOWED: dict[Decision, tuple[Permission, ...]] = {
    Decision.VERIFY: (Permission.REVIEW,),
    Decision.DISPUTE: (Permission.REVIEW,),
    Decision.REJECT: (Permission.REVIEW,),
    Decision.CORRECT: (Permission.WRITE, Permission.REVIEW),
}
# Claiming and reading the queue: whoever may make at least one decision.
QUEUE_PERMISSIONS = (Permission.REVIEW, Permission.WRITE)
_EVENT_STATUS = {
    Decision.VERIFY: EventStatus.VERIFIED,
    Decision.DISPUTE: EventStatus.DISPUTED,
    Decision.REJECT: EventStatus.REJECTED,
}


class NotPermittedError(HavenError):
    """The user's role does not allow this step of the workflow."""


class HeldError(HavenError):
    """Someone else holds the item."""

    def __init__(self, kind: str, key: str, hold: Hold) -> None:
        self.hold = hold
        super().__init__(
            f"{kind} {key} is held by {hold.username} until {hold.expires_at:%Y-%m-%d %H:%M} UTC: "
            "ask them to release it, or wait"
        )


@dataclass(frozen=True)
class QueueItem:
    """One row of the review queue."""

    kind: str  # event | candidate
    key: str  # "dataset:record_id" for an event, the candidate's id for a candidate
    type: str  # event type and sub-type, or the candidate's kind and what it proposes
    date: date | None
    place: str | None
    fatalities: Estimate | None
    sources: tuple[str, ...]  # publishers
    status: str
    holder: Hold | None
    confidence: float | None = None  # candidates: how sure the reader was


@dataclass(frozen=True)
class Span:
    """Where a candidate's field was read: the words themselves and the reader's confidence."""

    field: str
    text: str
    start: int
    end: int
    confidence: float


@dataclass
class ItemDetail:
    """Everything a reviewer looks at before deciding."""

    item: QueueItem
    record: Any  # the Event, or the candidate's proposed record (dict)
    fields: list[tuple[str, str]]
    sources: list[Source]
    document: Document | None = None
    spans: list[Span] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)


# ------------------------------------------------------------------ permissions
def can_use_queue(user: User) -> bool:
    return any(user.can(p) for p in QUEUE_PERMISSIONS)


def can_decide(user: User, decision: Decision) -> bool:
    return any(user.can(p) for p in _ALLOWED[decision])


def _need(user: User, permissions: tuple[Permission, ...], doing: str) -> None:
    if not any(user.can(p) for p in permissions):
        needed = " or ".join(p.value for p in permissions)
        raise NotPermittedError(f"{user.username} ({user.role.value}) may not {doing}: it needs {needed}")


# ------------------------------------------------------------------ items
def _check_kind(kind: str) -> None:
    if kind not in ITEM_KINDS:
        raise ValidationError(
            f"kind {kind!r} is not a review item kind (expected one of {', '.join(ITEM_KINDS)})"
        )


def event_key(key: str) -> RecordKey:
    """``dataset:record_id`` (datasets may contain ':', record ids do not)."""
    dataset, _, record_id = key.rpartition(":")
    if not dataset or not record_id:
        raise ValidationError(f"event key {key!r} is not DATASET:RECORD_ID")
    return RecordKey(dataset, record_id)


def _candidate_id(key: str) -> int:
    try:
        return int(key)
    except ValueError:
        raise ValidationError(f"candidate key {key!r} is not a candidate id (a whole number)") from None


def _place(event: Event) -> str | None:
    names = [event.location_name, event.admin2 if event.admin2 != event.location_name else None]
    text = ", ".join(n for n in names if n)
    return text or event.place_pcode


def _event_item(event: Event, holder: Hold | None) -> QueueItem:
    kind = f"{event.event_type} / {event.sub_event_type}" if event.sub_event_type else event.event_type
    return QueueItem(
        "event",
        str(event.key),
        kind,
        event.date_start,
        _place(event),
        event.fatalities if event.fatalities.is_known else None,
        tuple(dict.fromkeys(s.publisher for s in event.sources)),
        event.status.value,
        holder,
    )


def _candidate_item(row: Mapping[str, Any], source: Source, holder: Hold | None) -> QueueItem:
    record = row["record"]
    kind = row["kind"]
    if kind == "event":
        what = f"event: {record.get('sub_event_type') or record.get('event_type')}"
        day, place = record.get("date_start"), record.get("location_name") or record.get("place_pcode")
        low, best, high = (record.get(f"fatalities_{p}") for p in ("low", "best", "high"))
        deaths = Estimate(low, best, high) if any(v is not None for v in (low, best, high)) else None
    elif kind == "figure":
        what = f"figure: {record.get('metric')} {record.get('qualifier', '')} {record.get('value'):,.0f}"
        day, place, deaths = record.get("as_of") or record.get("reported_on"), record.get("area_name"), None
    elif kind == "agreement":
        what = f"agreement: {record.get('kind')} {record.get('name') or ''}".strip()
        day, place, deaths = record.get("signed_on") or record.get("effective_from"), None, None
    else:
        what = f"zone: {record.get('name')}"
        day, place, deaths = None, None, None
    return QueueItem(
        "candidate",
        str(row["id"]),
        what,
        date.fromisoformat(str(day)[:10]) if day else None,
        place,
        deaths,
        (source.publisher,),
        row["status"],
        holder,
        float(row["confidence"]),
    )


def queue(
    store: Store, *, where: RecordFilter | None = None, limit: int | None = 200, candidates: bool = True
) -> list[QueueItem]:
    """Undecided events (oldest first, at most ``limit``) then pending candidates, each with its holder."""
    where = replace(where or RecordFilter(), statuses=PENDING_EVENT_STATUSES, limit=limit)
    held = rows.holds(store)
    items = [_event_item(e, held.get(f"event/{e.key}")) for e in store.list("event", where)]
    if candidates:
        sources: dict[int, Source] = {}
        for row in store.review_queue(status=PENDING_CANDIDATE_STATUS):
            if row["document_id"] not in sources:
                sources[row["document_id"]] = store.document(row["document_id"]).source
            items.append(
                _candidate_item(row, sources[row["document_id"]], held.get(f"candidate/{row['id']}"))
            )
    return items


def pending_count(store: Store, where: RecordFilter | None = None) -> int:
    """How many events await a decision (the queue shows at most its ``limit``)."""
    return store.count("event", replace(where or RecordFilter(), statuses=PENDING_EVENT_STATUSES, limit=None))


def _event_fields(event: Event) -> list[tuple[str, str]]:
    def text(value: Any) -> str:
        if isinstance(value, Estimate):
            return "/".join("?" if v is None else f"{v:g}" for v in (value.low, value.best, value.high))
        return "" if value is None else str(value)

    names = ("event_type", "sub_event_type", "date_start", "date_end", "actor1", "actor2",
             "location_name", "place_pcode", "admin1", "admin2", "admin3", "fatalities", "injured",
             "civilian_targeting", "notes", "tags", "status", "revision")  # fmt: skip
    shown = []
    for name in names:
        value = getattr(event, name)
        if name.startswith("actor") and value is not None:
            value = value.name
        shown.append((name, text(value)))
    return shown


def detail(store: Store, kind: str, key: str) -> ItemDetail:
    """One item with its sources, the spans it was read from (candidates), its history and audit trail."""
    _check_kind(kind)
    hold = rows.get_hold(store, kind, key)
    trail = rows.audit_entries(store, record_kind=kind, record_key=key)
    if kind == "event":
        record_key = event_key(key)
        event = store.get("event", record_key)
        return ItemDetail(
            _event_item(event, hold),
            event,
            _event_fields(event),
            list(event.sources),
            revisions=store.revisions("event", record_key),
            audit=trail,
        )
    row = store.review_item(_candidate_id(key))
    document = store.document(row["document_id"])
    spans = [
        Span(s["field"], document.text[s["start"] : s["end"]], s["start"], s["end"], s["confidence"])
        for s in row["spans"]
    ]
    revisions: list[Revision] = []
    record = row["record"]
    if row["kind"] != "zone" and row["status"] in ("accepted", "corrected"):
        written = RecordKey(record["dataset"], record["record_id"])
        revisions = store.revisions(row["kind"], written)
    fields = [(name, "" if value is None else str(value)) for name, value in record.items() if name != "geom"]
    return ItemDetail(
        _candidate_item(row, document.source, hold),
        record,
        fields,
        [document.source],
        document,
        spans,
        revisions,
        trail,
    )


def _exists(store: Store, kind: str, key: str) -> None:
    _check_kind(kind)
    if kind == "event":
        store.get("event", event_key(key))
    else:
        store.review_item(_candidate_id(key))


# ------------------------------------------------------------------ holds
def claim(store: Store, user: User, kind: str, key: str, *, minutes: int = HOLD_MINUTES) -> Hold:
    """Hold an item for ``minutes``; the holder claiming again extends it; anyone else is refused."""
    _need(user, QUEUE_PERMISSIONS, "claim review items")
    if not 1 <= minutes <= 24 * 60:
        raise ValidationError(f"minutes {minutes} is out of range (expected 1 to 1440)")
    _exists(store, kind, key)
    expires = utcnow() + timedelta(minutes=minutes)
    audit = AuditEntry(user.username, "review.claim", kind, key, details={"until": expires.isoformat()})
    hold = rows.take_hold(store, kind, key, user.username, expires, audit)
    if hold.username != user.username:
        raise HeldError(kind, key, hold)
    return hold


def release(store: Store, user: User, kind: str, key: str) -> bool:
    """Give up one's hold (an admin may release anyone's): whether there was a hold to release."""
    _check_kind(kind)
    hold = rows.get_hold(store, kind, key)
    if hold is None:
        return False
    if hold.username != user.username and not user.can(Permission.ADMIN):
        raise HeldError(kind, key, hold)
    audit = AuditEntry(user.username, "review.release", kind, key, details={"holder": hold.username})
    return rows.drop_hold(store, kind, key, audit)


# ------------------------------------------------------------------ decisions
@dataclass(frozen=True)
class Outcome:
    """What a decision did: the audit entry written, and the record as it now stands."""

    decision: Decision
    entry: AuditEntry
    record: Any


def decide(
    store: Store,
    user: User,
    kind: str,
    key: str,
    decision: Decision | str,
    note: str | None = None,
    changes: Mapping[str, str] | None = None,
) -> Outcome:
    """Apply a decision (see the module docstring) and release the item's hold."""
    try:
        decision = Decision(decision)
    except ValueError:
        expected = ", ".join(d.value for d in Decision)
        raise ValidationError(f"decision {decision!r} is not one of {expected}") from None
    _need(user, _ALLOWED[decision], f"{decision.value} review items")
    note = (note or "").strip() or None
    if decision in (Decision.DISPUTE, Decision.REJECT) and note is None:
        raise ValidationError(f"note is required to {decision.value}: say why")
    if decision is Decision.CORRECT and not changes:
        raise ValidationError("changes are required to correct: give field=value pairs")
    _exists(store, kind, key)
    hold = rows.get_hold(store, kind, key)
    if hold is not None and hold.username != user.username:
        raise HeldError(kind, key, hold)
    if kind == "event":
        record, details = _decide_event(store, user, event_key(key), decision, note, changes or {})
    else:
        record, details = _decide_candidate(store, _candidate_id(key), decision, note, changes or {})
    details["released_hold"] = hold is not None
    entry = AuditEntry(user.username, f"review.{decision.value}", kind, key, note, details)
    rows.drop_hold(store, kind, key, entry)
    return Outcome(decision, entry, record)


def verify(store: Store, user: User, kind: str, key: str, note: str | None = None) -> Outcome:
    return decide(store, user, kind, key, Decision.VERIFY, note)


def dispute(store: Store, user: User, kind: str, key: str, note: str) -> Outcome:
    return decide(store, user, kind, key, Decision.DISPUTE, note)


def reject(store: Store, user: User, kind: str, key: str, note: str) -> Outcome:
    return decide(store, user, kind, key, Decision.REJECT, note)


def correct(
    store: Store, user: User, kind: str, key: str, changes: Mapping[str, str], note: str | None = None
) -> Outcome:
    return decide(store, user, kind, key, Decision.CORRECT, note, changes)


def _decide_event(
    store: Store, user: User, key: RecordKey, decision: Decision, note: str | None, changes: Mapping[str, str]
) -> tuple[Event, dict[str, Any]]:
    event: Event = store.get("event", key)
    if decision is not Decision.CORRECT:
        status = _EVENT_STATUS[decision]
        store.set_event_status(key, status, note)
        return store.get("event", key), {"status": {"from": event.status.value, "to": status.value}}
    unknown = [name for name in changes if name not in CORRECTABLE_EVENT_FIELDS]
    if unknown:
        raise ValidationError(
            f"cannot correct {', '.join(unknown)} of an event (expected some of "
            f"{', '.join(CORRECTABLE_EVENT_FIELDS)}; decide the status with verify, dispute or reject)"
        )
    try:
        # The same field=value reading as correcting a candidate (haven review correct).
        values = {name: reading.convert_field(event, name, text) for name, text in changes.items()}
        corrected = replace(event, **values)
    except ValueError as error:  # includes ValidationError from the model's checks
        raise ValidationError(f"event {key}: {error}") from error
    with store.importing(
        "correction", key.dataset, f"review correction of {key} by {user.username}"
    ) as writer:
        writer.add(corrected)
    diff = {
        name: {"from": to_jsonable(getattr(event, name)), "to": to_jsonable(values[name])} for name in values
    }
    return store.get("event", key), {"changes": diff}


def _decide_candidate(
    store: Store, candidate_id: int, decision: Decision, note: str | None, changes: Mapping[str, str]
) -> tuple[Any, dict[str, Any]]:
    before = store.review_item(candidate_id)["status"]
    if decision is Decision.VERIFY:
        record = reading.accept(store, candidate_id, note)
    elif decision is Decision.REJECT:
        reading.reject(store, candidate_id, note or "")
        record = None
    elif decision is Decision.CORRECT:
        record = reading.correct(store, candidate_id, dict(changes), note)
    else:
        raise ValidationError(
            f"candidate {candidate_id}: a candidate cannot be disputed "
            "(verify to accept it, correct or reject it)"
        )
    after = store.review_item(candidate_id)["status"]
    details: dict[str, Any] = {"status": {"from": before, "to": after}}
    if changes:
        details["changes"] = dict(changes)
    if record is not None and not isinstance(record, dict):
        details["record"] = str(record.key)
    return record, details


def audit_trail(store: Store, kind: str, key: str) -> list[AuditEntry]:
    return rows.audit_entries(store, record_kind=kind, record_key=key)


__all__ = [
    "CORRECTABLE_EVENT_FIELDS",
    "HOLD_MINUTES",
    "ITEM_KINDS",
    "Decision",
    "HeldError",
    "ItemDetail",
    "NotPermittedError",
    "Outcome",
    "QueueItem",
    "Span",
    "audit_trail",
    "can_decide",
    "can_use_queue",
    "claim",
    "correct",
    "decide",
    "detail",
    "dispute",
    "event_key",
    "pending_count",
    "queue",
    "reject",
    "release",
    "verify",
]
