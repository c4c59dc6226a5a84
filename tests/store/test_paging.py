"""Listings page in their stable order, and filter by review status, in the database."""

from __future__ import annotations

from pathlib import Path

from haven.io.base import run_import
from haven.io.registry import importer_for
from haven.model import EventStatus
from haven.store import RecordFilter, Store


def test_pages_cover_the_listing_once_in_order(store: Store, fixtures: Path) -> None:
    run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv")
    every = [e.key for e in store.list("event")]
    assert len(every) == 4
    pages = [
        [e.key for e in store.list("event", RecordFilter(limit=3, offset=offset))]
        for offset in range(0, len(every), 3)
    ]
    assert [key for page in pages for key in page] == every
    assert store.list("event", RecordFilter(limit=3, offset=len(every))) == []


def test_status_filter(store: Store, fixtures: Path) -> None:
    run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv")
    first = store.list("event")[0]
    store.set_event_status(first.key, EventStatus.VERIFIED)
    verified = RecordFilter(statuses=(EventStatus.VERIFIED.value,))
    assert [e.key for e in store.list("event", verified)] == [first.key]
    assert store.count("event", verified) == 1
