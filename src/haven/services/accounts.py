"""Accounts: people with a role, their Argon2 passwords and their API tokens.

Every change (a user added or removed, a password or role changed, a token made or revoked) is written to
the audit log in the same transaction, with ``actor`` as who made it. Passwords are kept only as Argon2id
hashes and API tokens only as their SHA-256: the plaintext token is shown once, when it is made.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from haven.errors import NotFoundError, ValidationError
from haven.model import Role, User
from haven.store import Store
from haven.store import accounts as rows
from haven.store.accounts import AuditEntry

MIN_PASSWORD_LENGTH = 10
ACCOUNT_ROLES = tuple(role for role in Role if role is not Role.PUBLIC)
TOKEN_PREFIX = "haven_"
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,63}")

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so a wrong name costs as much as a wrong password."""
    return _hasher.hash(secrets.token_urlsafe(16))


# An API token as listed; only :func:`create_token` ever returns a token's value, once.
Token = rows.TokenRow


def hash_password(password: str) -> str:
    """An Argon2id hash with the current parameters (for :func:`add_user` and tests)."""
    return _hasher.hash(password)


def parse_role(value: str) -> Role:
    """A role an account may have, or an error listing them."""
    try:
        role = Role(value.strip().lower())
    except ValueError:
        role = None
    if role is None or role is Role.PUBLIC:
        raise ValidationError(
            f"role {value!r} is not a role (expected one of {', '.join(r.value for r in ACCOUNT_ROLES)})"
        )
    return role


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"password is too short: {len(password)} characters (expected at least {MIN_PASSWORD_LENGTH})"
        )


def _check_username(username: str) -> None:
    if not _USERNAME.fullmatch(username):
        raise ValidationError(
            f"username {username!r} is not allowed (expected 2-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit)"
        )
    if username.lower() == "public":
        raise ValidationError("username 'public' is reserved for anonymous visitors")


def _to_user(row: rows.UserRow) -> User:
    return User(row.username, Role(row.role), row.created_at)


def add_user(store: Store, username: str, role: str | Role, password: str, *, actor: str) -> User:
    """Create an account; ``role`` is admin, analyst, reviewer or viewer; the password has 10+ characters."""
    _check_username(username)
    role = parse_role(str(role))
    check_password(password)
    audit = AuditEntry(actor, "user.add", "user", username, details={"role": role.value})
    row = rows.insert_user(store, username, role.value, hash_password(password), _new_session_key(), audit)
    return _to_user(row)


def get_user(store: Store, username: str) -> User:
    row = rows.get_user(store, username)
    if row is None:
        raise NotFoundError(f"no user named {username!r} (see `haven user list`)")
    return _to_user(row)


def list_users(store: Store) -> list[User]:
    return [_to_user(row) for row in rows.list_users(store)]


def remove_user(store: Store, username: str, *, actor: str) -> None:
    """Remove an account, its tokens and holds; its sessions end. The last admin cannot be removed."""
    user = get_user(store, username)
    if user.role is Role.ADMIN and rows.count_users(store, Role.ADMIN.value) <= 1:
        raise ValidationError(f"{username} is the last admin: add another admin before removing them")
    rows.delete_user(store, username, AuditEntry(actor, "user.remove", "user", username))


def set_password(store: Store, username: str, password: str, *, actor: str) -> None:
    """Change a password; the user's other sessions end."""
    check_password(password)
    get_user(store, username)
    audit = AuditEntry(actor, "user.password", "user", username)
    rows.update_user(
        store, username, audit, password_hash=hash_password(password), session_key=_new_session_key()
    )


def set_role(store: Store, username: str, role: str | Role, *, actor: str) -> User:
    """Change a role; the user's sessions end so the new rights apply at the next sign-in."""
    new = parse_role(str(role))
    user = get_user(store, username)
    if user.role is Role.ADMIN and new is not Role.ADMIN and rows.count_users(store, Role.ADMIN.value) <= 1:
        raise ValidationError(f"{username} is the last admin: add another admin before changing their role")
    audit = AuditEntry(
        actor, "user.role", "user", username, details={"from": user.role.value, "to": new.value}
    )
    rows.update_user(store, username, audit, role=new.value, session_key=_new_session_key())
    return get_user(store, username)


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The user if the password is theirs, else None (taking about as long for an unknown name)."""
    row = rows.get_user(store, username)
    if row is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_dummy_hash(), password)
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        # Parameters were raised since this hash was made: upgrade it while the password is at hand.
        # Not a change of password, so sessions stay and nothing is audited.
        rows.update_user(store, username, password_hash=hash_password(password))
    return _to_user(row)


# ------------------------------------------------------------------ sessions
def session_key(store: Store, username: str) -> str | None:
    """What a signed-in session must carry to stay valid; None once the user is removed."""
    row = rows.get_user(store, username)
    return None if row is None else row.session_key


def user_for_session(store: Store, username: str, key: str) -> User | None:
    """The user a session cookie names, if its key is still theirs (not after removal or a new password)."""
    row = rows.get_user(store, username)
    if row is None or not secrets.compare_digest(row.session_key, key):
        return None
    return _to_user(row)


def _new_session_key() -> str:
    return secrets.token_urlsafe(24)


# ------------------------------------------------------------------ API tokens
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, username: str, name: str = "default", *, actor: str) -> str:
    """A new API token for ``username``: the plaintext, returned this once; only its SHA-256 is kept."""
    name = name.strip()
    if not name:
        raise ValidationError("a token needs a name (for example the script that uses it)")
    get_user(store, username)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    audit = AuditEntry(actor, "token.create", "user", username, details={"token": name})
    rows.insert_token(store, username, name, _digest(token), audit)
    return token


def user_for_token(store: Store, token: str) -> User | None:
    """The owner of an active token, or None for an unknown or revoked one."""
    # The token carries 256 random bits, so looking its hash up directly leaks nothing useful by timing.
    row = rows.user_for_token_hash(store, _digest(token.strip()))
    return None if row is None else _to_user(row)


def list_tokens(store: Store, username: str | None = None) -> list[Token]:
    return rows.list_tokens(store, username)


def revoke_token(store: Store, username: str, name: str | None = None, *, actor: str) -> int:
    """Revoke ``username``'s active token called ``name``, or all of them: how many were revoked."""
    get_user(store, username)
    audit = AuditEntry(actor, "token.revoke", "user", username, details={"token": name or "*"})
    count = rows.revoke_tokens(store, username, name, audit)
    if name is not None and count == 0:
        raise NotFoundError(f"{username} has no active token named {name!r} (see `haven user tokens`)")
    return count


__all__ = [
    "ACCOUNT_ROLES",
    "MIN_PASSWORD_LENGTH",
    "Token",
    "add_user",
    "authenticate",
    "check_password",
    "create_token",
    "get_user",
    "hash_password",
    "list_tokens",
    "list_users",
    "parse_role",
    "remove_user",
    "revoke_token",
    "session_key",
    "set_password",
    "set_role",
    "user_for_session",
    "user_for_token",
]
