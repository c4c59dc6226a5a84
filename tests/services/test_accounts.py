"""Accounts with real Argon2 hashes: adding, signing in, tokens, removal, and the audit of each change."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from haven.errors import NotFoundError, ValidationError
from haven.model import Role
from haven.services import accounts
from haven.store import Store
from haven.store import accounts as rows


def test_add_user_keeps_only_an_argon2_hash_and_authenticates(store: Store) -> None:
    user = accounts.add_user(store, "amal", "reviewer", "correct horse battery", actor="root")
    assert (user.username, user.role) == ("amal", Role.REVIEWER)
    stored = rows.get_user(store, "amal")
    assert stored is not None and stored.password_hash.startswith("$argon2id$")
    assert "correct horse battery" not in stored.password_hash
    assert accounts.authenticate(store, "amal", "correct horse battery") == user
    assert accounts.authenticate(store, "amal", "wrong password!") is None
    assert accounts.authenticate(store, "nobody", "correct horse battery") is None
    (entry,) = rows.audit_entries(store)
    assert (entry.username, entry.action, entry.record_key, entry.details) == (
        "root",
        "user.add",
        "amal",
        {"role": "reviewer"},
    )


@pytest.mark.parametrize(
    ("username", "role", "password", "message"),
    [
        ("amal", "reviewer", "short", "password is too short: 5 characters (expected at least 10)"),
        (
            "amal",
            "boss",
            "long enough pw",
            "role 'boss' is not a role (expected one of admin, analyst, reviewer",
        ),
        ("amal", "public", "long enough pw", "role 'public' is not a role"),
        ("a b", "viewer", "long enough pw", "username 'a b' is not allowed"),
        ("public", "viewer", "long enough pw", "username 'public' is reserved"),
    ],
)
def test_bad_accounts_are_refused_with_the_reason(
    store: Store, username: str, role: str, password: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        accounts.add_user(store, username, role, password, actor="root")
    assert accounts.list_users(store) == []
    assert rows.audit_entries(store) == []


def test_the_last_admin_cannot_be_removed(store: Store) -> None:
    accounts.add_user(store, "root", "admin", "root-password", actor="setup")
    with pytest.raises(
        ValidationError, match="root is the last admin: add another admin before removing them"
    ):
        accounts.remove_user(store, "root", actor="root")
    with pytest.raises(ValidationError, match="root is the last admin"):
        accounts.set_role(store, "root", "viewer", actor="root")
    accounts.add_user(store, "second", "admin", "second-password", actor="root")
    accounts.remove_user(store, "root", actor="second")
    assert [u.username for u in accounts.list_users(store)] == ["second"]
    with pytest.raises(NotFoundError, match="no user named 'root'"):
        accounts.remove_user(store, "root", actor="second")
    assert [e.action for e in rows.audit_entries(store)] == ["user.add", "user.add", "user.remove"]


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_sign_in(store: Store) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("an old password")
    rows.insert_user(store, "amal", "viewer", weak, "key")
    assert accounts.authenticate(store, "amal", "an old password") is not None
    upgraded = rows.get_user(store, "amal")
    assert upgraded is not None and upgraded.password_hash != weak
    assert not PasswordHasher().check_needs_rehash(upgraded.password_hash)
    assert upgraded.session_key == "key"  # same password: sessions stay
    assert accounts.authenticate(store, "amal", "an old password") is not None


def test_sessions_end_when_the_password_changes_or_the_user_is_removed(store: Store) -> None:
    accounts.add_user(store, "amal", "viewer", "first password", actor="root")
    key = accounts.session_key(store, "amal")
    assert key is not None and accounts.user_for_session(store, "amal", key) is not None
    accounts.set_password(store, "amal", "second password", actor="amal")
    assert accounts.user_for_session(store, "amal", key) is None
    new_key = accounts.session_key(store, "amal")
    assert new_key is not None and accounts.authenticate(store, "amal", "second password") is not None
    accounts.remove_user(store, "amal", actor="root")
    assert accounts.user_for_session(store, "amal", new_key) is None
    # Re-added under the same name, the old cookie still signs nobody in.
    accounts.add_user(store, "amal", "viewer", "third password", actor="root")
    assert accounts.user_for_session(store, "amal", new_key) is None


def test_a_token_is_shown_once_stored_as_a_hash_and_revocable(store: Store) -> None:
    accounts.add_user(store, "amal", "analyst", "long password", actor="root")
    token = accounts.create_token(store, "amal", "nightly import", actor="root")
    assert token.startswith("haven_") and len(token) > 40
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT token_sha256 FROM api_tokens")).scalar_one()
    assert token not in stored and len(stored) == 64
    user = accounts.user_for_token(store, token)
    assert user is not None and user.username == "amal"
    assert accounts.user_for_token(store, token + "x") is None
    (listed,) = accounts.list_tokens(store, "amal")
    assert listed.name == "nightly import" and listed.active and listed.last_used_at is not None
    assert accounts.revoke_token(store, "amal", "nightly import", actor="root") == 1
    assert accounts.user_for_token(store, token) is None
    with pytest.raises(NotFoundError, match="amal has no active token named 'nightly import'"):
        accounts.revoke_token(store, "amal", "nightly import", actor="root")
    actions = [(e.action, e.details) for e in rows.audit_entries(store)][1:]
    assert actions == [
        ("token.create", {"token": "nightly import"}),
        ("token.revoke", {"token": "nightly import"}),
    ]
