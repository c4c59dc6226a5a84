"""The review workflow on the reference crisis: queue, holds, decisions, permissions and the audit log."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from haven.errors import ValidationError
from haven.geo import Gazetteer
from haven.model import EventStatus, RecordKey, Role, User
from haven.read.documents import document_from_text
from haven.read.events import extract_events
from haven.read.review import queue_document
from haven.services import review
from haven.services.reference import load_reference_crisis
from haven.store import Store
from haven.store import accounts as rows
from haven.store.accounts import utcnow

RANA = User("rana", Role.REVIEWER)
SAMI = User("sami", Role.REVIEWER)
ADA = User("ada", Role.ANALYST)
VERA = User("vera", Role.VIEWER)
K03 = "nw-syria-2020:K03"
WIRE = "An air strike on a Turkish convoy near Balyun on 27 February killed at least 33 Turkish soldiers."


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review") / "haven.db"
    with Store.open(path, create=True) as store:
        load_reference_crisis(store)
    return path


@pytest.fixture
def store(loaded: Path, tmp_path: Path) -> Iterator[Store]:
    shutil.copyfile(loaded, tmp_path / "haven.db")
    with Store.open(tmp_path / "haven.db") as db:
        yield db


def test_the_queue_lists_undecided_events_with_their_holder(store: Store) -> None:
    items = review.queue(store)
    assert len(items) == 14 == review.pending_count(store)
    k03 = next(i for i in items if i.key == K03)
    assert (k03.kind, k03.status, k03.holder) == ("event", "unverified", None)
    assert k03.type.startswith("Explosions/Remote violence") and k03.fatalities is not None
    assert k03.fatalities.best == 19 and k03.sources
    review.claim(store, RANA, "event", K03)
    review.verify(store, RANA, "event", "nw-syria-2020:K01")
    again = {i.key: i for i in review.queue(store)}
    holder = again[K03].holder
    assert holder is not None and holder.username == "rana"
    assert "nw-syria-2020:K01" not in again and len(again) == 13


def test_claim_refuses_another_reviewer_and_the_holder_extends(store: Store) -> None:
    first = review.claim(store, RANA, "event", K03)
    assert timedelta(minutes=29) < first.expires_at - utcnow() <= timedelta(minutes=30)
    with pytest.raises(
        review.HeldError, match=r"event nw-syria-2020:K03 is held by rana until \d{4}-\d\d-\d\d"
    ):
        review.claim(store, SAMI, "event", K03)
    longer = review.claim(store, RANA, "event", K03, minutes=60)
    assert longer.since == first.since and longer.expires_at > first.expires_at
    with pytest.raises(review.HeldError, match="held by rana"):
        review.release(store, SAMI, "event", K03)
    assert review.release(store, RANA, "event", K03) is True
    assert review.claim(store, SAMI, "event", K03).username == "sami"
    actions = [(e.username, e.action) for e in review.audit_trail(store, "event", K03)]
    assert actions == [
        ("rana", "review.claim"),
        ("rana", "review.claim"),
        ("rana", "review.release"),
        ("sami", "review.claim"),
    ]


def test_a_decision_on_someone_elses_item_is_refused_and_a_decision_releases_the_hold(store: Store) -> None:
    review.claim(store, RANA, "event", K03)
    with pytest.raises(review.HeldError, match="held by rana"):
        review.verify(store, SAMI, "event", K03)
    assert store.get("event", RecordKey("nw-syria-2020", "K03")).status is EventStatus.UNVERIFIED
    outcome = review.verify(store, RANA, "event", K03, note="two sources agree")
    assert outcome.record.status is EventStatus.VERIFIED
    assert store.get("event", RecordKey("nw-syria-2020", "K03")).status is EventStatus.VERIFIED
    assert rows.get_hold(store, "event", K03) is None
    last = review.audit_trail(store, "event", K03)[-1]
    assert (last.username, last.action, last.note) == ("rana", "review.verify", "two sources agree")
    assert last.details == {"status": {"from": "unverified", "to": "verified"}, "released_hold": True}
    (revision,) = store.revisions("event", RecordKey("nw-syria-2020", "K03"))
    assert revision.change == "status" and revision.data["status"] == "unverified"


def test_dispute_and_reject_need_a_note_and_the_review_permission(store: Store) -> None:
    with pytest.raises(ValidationError, match="note is required to dispute: say why"):
        review.dispute(store, RANA, "event", K03, "  ")
    with pytest.raises(
        review.NotPermittedError, match=r"ada \(analyst\) may not reject review items: it needs review"
    ):
        review.reject(store, ADA, "event", K03, "duplicate")
    with pytest.raises(review.NotPermittedError, match=r"vera \(viewer\) may not claim"):
        review.claim(store, VERA, "event", K03)
    review.dispute(store, RANA, "event", K03, "the count differs between sources")
    assert store.get("event", RecordKey("nw-syria-2020", "K03")).status is EventStatus.DISPUTED
    review.reject(store, RANA, "event", "nw-syria-2020:K05", "a duplicate of K03")
    assert store.get("event", RecordKey("nw-syria-2020", "K05")).status is EventStatus.REJECTED


def test_an_analyst_corrects_fatalities_and_the_history_keeps_the_old_value(store: Store) -> None:
    key = RecordKey("nw-syria-2020", "K03")
    outcome = review.correct(store, ADA, "event", K03, {"fatalities": "21"}, note="OCHA flash update")
    assert outcome.record.fatalities.best == 21
    stored = store.get("event", key)
    assert stored.fatalities.best == 21 and stored.status is EventStatus.UNVERIFIED
    assert store.revisions("event", key)[-1].data["fatalities_best"] == 19
    entry = review.audit_trail(store, "event", K03)[-1]
    assert entry.action == "review.correct" and entry.username == "ada"
    assert entry.details["changes"]["fatalities"]["from"]["best"] == 19
    assert entry.details["changes"]["fatalities"]["to"] == {"low": 21.0, "best": 21.0, "high": 21.0}
    with pytest.raises(ValidationError, match="cannot correct status of an event"):
        review.correct(store, ADA, "event", K03, {"status": "verified"})
    with pytest.raises(ValidationError, match="is not an ACLED event type"):
        review.correct(store, ADA, "event", K03, {"event_type": "Picnic"})
    with pytest.raises(review.NotPermittedError, match="needs write or review"):
        review.correct(store, VERA, "event", K03, {"fatalities": "1"})


def test_unknown_items_and_decisions_are_named(store: Store) -> None:
    with pytest.raises(ValidationError, match="kind 'site' is not a review item kind"):
        review.claim(store, RANA, "site", "x:1")
    with pytest.raises(Exception, match="no event nw-syria-2020:K99"):
        review.claim(store, RANA, "event", "nw-syria-2020:K99")
    with pytest.raises(
        ValidationError, match="decision 'approve' is not one of verify, dispute, reject, correct"
    ):
        review.decide(store, RANA, "event", K03, "approve")


def test_candidates_of_a_read_report_are_in_the_queue_and_decided_through_the_reading_review(
    store: Store,
) -> None:
    doc = document_from_text(WIRE, published=date(2020, 2, 28), publisher="Wire Agency")
    _, (candidate_id,) = queue_document(store, doc, extract_events(doc, Gazetteer.from_store(store)))
    key = str(candidate_id)
    item = next(i for i in review.queue(store) if i.kind == "candidate")
    assert (item.key, item.sources, item.status) == (key, ("Wire Agency",), "under_review")
    assert item.fatalities is not None and item.fatalities.low == 33
    shown = review.detail(store, "candidate", key)
    spans = {span.field: span.text for span in shown.spans}
    assert spans["fatalities"] == "killed at least 33 Turkish soldiers" and spans["place"] == "Balyun"
    with pytest.raises(ValidationError, match="a candidate cannot be disputed"):
        review.dispute(store, RANA, "candidate", key, "unsure")
    review.claim(store, RANA, "candidate", key)
    outcome = review.verify(store, RANA, "candidate", key, note="matches K09")
    assert store.review_item(candidate_id)["status"] == "accepted"
    written = store.get("event", outcome.record.key)
    assert written.status is EventStatus.UNDER_REVIEW  # accepted, still to be verified as an event
    assert str(outcome.record.key) in {i.key for i in review.queue(store)}
    assert all(i.kind != "candidate" for i in review.queue(store))
    last = review.audit_trail(store, "candidate", key)[-1]
    assert last.details["status"] == {"from": "under_review", "to": "accepted"}
    assert last.details["record"] == str(outcome.record.key)


def test_detail_shows_sources_history_and_audit(store: Store) -> None:
    review.claim(store, RANA, "event", K03)
    review.correct(store, RANA, "event", K03, {"notes": "checked against two reports"})
    shown = review.detail(store, "event", K03)
    assert shown.sources and dict(shown.fields)["notes"] == "checked against two reports"
    assert [r.change for r in shown.revisions] == ["updated"]
    assert [e.action for e in shown.audit] == ["review.claim", "review.correct"]
    assert shown.item.holder is None
