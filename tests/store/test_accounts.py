"""Rows of accounts, tokens, holds and the audit log, on SQLite (or the test server when one is named)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from haven.errors import NotFoundError, ValidationError
from haven.store import Store
from haven.store import accounts as rows
from haven.store.accounts import AuditEntry, utcnow


def _add(store: Store, name: str, role: str = "viewer") -> rows.UserRow:
    return rows.insert_user(store, name, role, "argon2-hash-of-" + name, "key-" + name)


def test_a_user_is_stored_once_and_its_change_is_audited_in_the_same_transaction(store: Store) -> None:
    added = rows.insert_user(
        store, "amal", "reviewer", "h", "k", AuditEntry("root", "user.add", "user", "amal")
    )
    assert (added.username, added.role, added.session_key) == ("amal", "reviewer", "k")
    with pytest.raises(ValidationError, match="a user named 'amal' already exists"):
        rows.insert_user(store, "amal", "viewer", "h", "k", AuditEntry("root", "user.add", "user", "amal"))
    (entry,) = rows.audit_entries(store)
    assert (entry.username, entry.action, entry.record_key) == ("root", "user.add", "amal")
    assert rows.count_users(store, "reviewer") == 1


def test_removing_a_user_removes_tokens_and_holds_but_not_the_audit_log(store: Store) -> None:
    _add(store, "amal")
    rows.insert_token(store, "amal", "script", "a" * 64)
    rows.take_hold(store, "event", "d:1", "amal", utcnow() + timedelta(minutes=5))
    rows.write_audit(store, AuditEntry("amal", "review.claim", "event", "d:1"))
    rows.delete_user(store, "amal", AuditEntry("root", "user.remove", "user", "amal"))
    assert rows.get_user(store, "amal") is None
    assert rows.user_for_token_hash(store, "a" * 64) is None
    assert rows.get_hold(store, "event", "d:1") is None
    assert [e.action for e in rows.audit_entries(store)] == ["review.claim", "user.remove"]
    with pytest.raises(NotFoundError, match="no user named 'amal'"):
        rows.delete_user(store, "amal")


def test_tokens_are_found_by_hash_until_revoked_and_note_their_use(store: Store) -> None:
    _add(store, "amal")
    rows.insert_token(store, "amal", "script", "b" * 64)
    with pytest.raises(ValidationError, match="already has a token named 'script'"):
        rows.insert_token(store, "amal", "script", "c" * 64)
    found = rows.user_for_token_hash(store, "b" * 64)
    assert found is not None and found.username == "amal"
    (token,) = rows.list_tokens(store, "amal")
    assert token.last_used_at is not None and token.revoked_at is None
    assert rows.revoke_tokens(store, "amal", "script") == 1
    assert rows.user_for_token_hash(store, "b" * 64) is None
    rows.insert_token(store, "amal", "script", "c" * 64)  # the name is free again once revoked
    assert rows.revoke_tokens(store, "amal", None) == 1


def test_a_hold_refuses_others_until_it_expires_and_the_holder_extends_it(store: Store) -> None:
    now = utcnow()
    first = rows.take_hold(store, "event", "d:1", "amal", now + timedelta(minutes=30))
    again = rows.take_hold(store, "event", "d:1", "amal", now + timedelta(minutes=60))
    assert again.since == first.since and again.expires_at == now + timedelta(minutes=60)
    other = rows.take_hold(store, "event", "d:1", "basel", now + timedelta(minutes=30))
    assert other.username == "amal"  # refused: the caller sees who holds it
    assert set(rows.holds(store, "event")) == {"d:1"}
    # An expired hold is anyone's to take.
    rows.take_hold(store, "event", "d:2", "amal", now - timedelta(seconds=1))
    assert rows.get_hold(store, "event", "d:2") is None
    assert rows.take_hold(store, "event", "d:2", "basel", now + timedelta(minutes=5)).username == "basel"
    assert rows.drop_hold(store, "event", "d:1") is True
    assert rows.drop_hold(store, "event", "d:1") is False


def test_audit_entries_filter_by_user_record_and_period(store: Store) -> None:
    base = utcnow()
    for minutes, user, key in [(0, "amal", "d:1"), (10, "basel", "d:1"), (20, "amal", "d:2")]:
        rows.write_audit(
            store,
            AuditEntry(
                user, "review.verify", "event", key, "ok", {"n": minutes}, base + timedelta(minutes=minutes)
            ),
        )
    assert [e.details["n"] for e in rows.audit_entries(store, username="amal")] == [0, 20]
    assert [e.username for e in rows.audit_entries(store, record_kind="event", record_key="d:1")] == [
        "amal",
        "basel",
    ]
    period = rows.audit_entries(store, start=base + timedelta(minutes=5), end=base + timedelta(minutes=20))
    assert [e.details["n"] for e in period] == [10]
    assert [e.details["n"] for e in rows.audit_entries(store, limit=2)] == [10, 20]  # the newest, in order
