"""Rows of accounts, API tokens, review holds and the audit log.

Plain storage: the rules (password strength, who may remove whom, who may claim what) live in
``haven.services``. A change that must be audited takes an :class:`AuditEntry` and writes it in the same
transaction, so the log never misses a change that was kept, nor records one that was rolled back.
SQLAlchemy Core only: the same code serves SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from haven.errors import NotFoundError, ValidationError
from haven.store import schema
from haven.store.repository import Store


def utcnow() -> datetime:
    """Naive UTC, as every DateTime column of the schema holds it."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    role: str
    password_hash: str
    session_key: str
    created_at: datetime


@dataclass(frozen=True)
class TokenRow:
    """An API token as listed: never its value, only its hash is stored."""

    id: int
    username: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Hold:
    """Someone is working on a queue item until ``expires_at``."""

    record_kind: str
    record_key: str
    username: str
    since: datetime
    expires_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: who did what to which record, why, and the change itself."""

    username: str
    action: str
    record_kind: str | None = None
    record_key: str | None = None
    note: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None  # set when written
    id: int | None = None


# ------------------------------------------------------------------ audit log
def _audit(conn: Connection, entry: AuditEntry | None) -> None:
    if entry is None:
        return
    conn.execute(
        insert(schema.audit_log).values(
            at=entry.at or utcnow(),
            username=entry.username,
            action=entry.action,
            record_kind=entry.record_kind,
            record_key=entry.record_key,
            note=entry.note,
            details=entry.details or None,
        )
    )


def write_audit(store: Store, entry: AuditEntry) -> None:
    with store.engine.begin() as conn:
        _audit(conn, entry)


def audit_entries(
    store: Store,
    *,
    username: str | None = None,
    record_kind: str | None = None,
    record_key: str | None = None,
    action: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Audit lines matching every filter given, oldest first (``start`` inclusive, ``end`` exclusive)."""
    c = schema.audit_log.c
    query = select(schema.audit_log).order_by(c.at, c.id)
    if username:
        query = query.where(c.username == username)
    if record_kind:
        query = query.where(c.record_kind == record_kind)
    if record_key:
        query = query.where(c.record_key == record_key)
    if action:
        query = query.where(c.action == action)
    if start:
        query = query.where(c.at >= start)
    if end:
        query = query.where(c.at < end)
    if limit:
        # The newest ``limit`` lines, still returned oldest first.
        query = query.order_by(None).order_by(c.at.desc(), c.id.desc()).limit(limit)
    with store.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    entries = [
        AuditEntry(
            r["username"],
            r["action"],
            r["record_kind"],
            r["record_key"],
            r["note"],
            r["details"] or {},
            r["at"],
            r["id"],
        )
        for r in rows
    ]
    return sorted(entries, key=lambda e: (e.at, e.id)) if limit else entries


# ------------------------------------------------------------------ users
def _user(row: Any) -> UserRow:
    return UserRow(
        row["id"], row["username"], row["role"], row["password_hash"], row["session_key"], row["created_at"]
    )


def insert_user(
    store: Store,
    username: str,
    role: str,
    password_hash: str,
    session_key: str,
    audit: AuditEntry | None = None,
) -> UserRow:
    table = schema.users
    with store.engine.begin() as conn:
        if conn.execute(select(table.c.id).where(table.c.username == username)).first() is not None:
            raise ValidationError(f"a user named {username!r} already exists")
        conn.execute(
            insert(table).values(
                username=username,
                role=role,
                password_hash=password_hash,
                session_key=session_key,
                created_at=utcnow(),
            )
        )
        _audit(conn, audit)
        return _user(conn.execute(select(table).where(table.c.username == username)).mappings().one())


def get_user(store: Store, username: str) -> UserRow | None:
    table = schema.users
    with store.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.username == username)).mappings().first()
    return None if row is None else _user(row)


def list_users(store: Store) -> list[UserRow]:
    table = schema.users
    with store.engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(table).order_by(table.c.username)).mappings()]


def count_users(store: Store, role: str) -> int:
    table = schema.users
    with store.engine.connect() as conn:
        query = select(func.count()).select_from(table).where(table.c.role == role)
        return int(conn.execute(query).scalar_one())


def update_user(store: Store, username: str, audit: AuditEntry | None = None, **values: Any) -> None:
    """Change ``role``, ``password_hash`` or ``session_key`` of a user."""
    table = schema.users
    with store.engine.begin() as conn:
        done = conn.execute(update(table).where(table.c.username == username).values(**values))
        if not done.rowcount:
            raise NotFoundError(f"no user named {username!r}")
        _audit(conn, audit)


def delete_user(store: Store, username: str, audit: AuditEntry | None = None) -> None:
    """Remove a user with their tokens and holds; the audit log keeps their name."""
    users, tokens, holds = schema.users, schema.api_tokens, schema.review_holds
    with store.engine.begin() as conn:
        user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
        if user_id is None:
            raise NotFoundError(f"no user named {username!r}")
        conn.execute(delete(tokens).where(tokens.c.user_id == user_id))
        conn.execute(delete(holds).where(holds.c.username == username))
        conn.execute(delete(users).where(users.c.id == user_id))
        _audit(conn, audit)


# ------------------------------------------------------------------ API tokens
def insert_token(
    store: Store, username: str, name: str, token_sha256: str, audit: AuditEntry | None = None
) -> int:
    users, tokens = schema.users, schema.api_tokens
    with store.engine.begin() as conn:
        user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
        if user_id is None:
            raise NotFoundError(f"no user named {username!r}")
        active = conn.execute(
            select(tokens.c.id).where(
                tokens.c.user_id == user_id, tokens.c.name == name, tokens.c.revoked_at.is_(None)
            )
        ).first()
        if active is not None:
            raise ValidationError(
                f"{username} already has a token named {name!r}: revoke it first or choose another name"
            )
        result = conn.execute(
            insert(tokens).values(user_id=user_id, name=name, token_sha256=token_sha256, created_at=utcnow())
        )
        _audit(conn, audit)
        return int(result.inserted_primary_key[0])  # type: ignore[index]


def user_for_token_hash(store: Store, token_sha256: str) -> UserRow | None:
    """The owner of an unrevoked token, noting that the token was used."""
    users, tokens = schema.users, schema.api_tokens
    query = (
        select(users, tokens.c.id.label("token_id"))
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_sha256 == token_sha256, tokens.c.revoked_at.is_(None))
    )
    with store.engine.begin() as conn:
        row = conn.execute(query).mappings().first()
        if row is None:
            return None
        conn.execute(update(tokens).where(tokens.c.id == row["token_id"]).values(last_used_at=utcnow()))
        return _user(row)


def list_tokens(store: Store, username: str | None = None) -> list[TokenRow]:
    users, tokens = schema.users, schema.api_tokens
    query = (
        select(tokens, users.c.username)
        .join(users, users.c.id == tokens.c.user_id)
        .order_by(users.c.username, tokens.c.id)
    )
    if username:
        query = query.where(users.c.username == username)
    with store.engine.connect() as conn:
        return [
            TokenRow(r["id"], r["username"], r["name"], r["created_at"], r["last_used_at"], r["revoked_at"])
            for r in conn.execute(query).mappings()
        ]


def revoke_tokens(store: Store, username: str, name: str | None, audit: AuditEntry | None = None) -> int:
    """Revoke a user's active token named ``name`` (all of them when ``None``): how many were revoked."""
    users, tokens = schema.users, schema.api_tokens
    with store.engine.begin() as conn:
        user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
        if user_id is None:
            raise NotFoundError(f"no user named {username!r}")
        query = update(tokens).where(tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None))
        if name is not None:
            query = query.where(tokens.c.name == name)
        count = conn.execute(query.values(revoked_at=utcnow())).rowcount
        if count:
            _audit(conn, audit)
        return int(count)


# ------------------------------------------------------------------ review holds
def _hold(row: Any) -> Hold:
    return Hold(row["record_kind"], row["record_key"], row["username"], row["since"], row["expires_at"])


def holds(store: Store, record_kind: str | None = None, *, now: datetime | None = None) -> dict[str, Hold]:
    """Unexpired holds by record key (of one kind, or keyed ``kind/key`` when no kind is given)."""
    table = schema.review_holds
    query = select(table).where(table.c.expires_at > (now or utcnow()))
    if record_kind:
        query = query.where(table.c.record_kind == record_kind)
    with store.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    if record_kind:
        return {r["record_key"]: _hold(r) for r in rows}
    return {f"{r['record_kind']}/{r['record_key']}": _hold(r) for r in rows}


def get_hold(store: Store, record_kind: str, record_key: str, *, now: datetime | None = None) -> Hold | None:
    table = schema.review_holds
    query = select(table).where(
        table.c.record_kind == record_kind,
        table.c.record_key == record_key,
        table.c.expires_at > (now or utcnow()),
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return None if row is None else _hold(row)


def take_hold(
    store: Store,
    record_kind: str,
    record_key: str,
    username: str,
    expires_at: datetime,
    audit: AuditEntry | None = None,
) -> Hold:
    """Hold an item for ``username`` unless someone else holds it: the hold in force afterwards.

    The caller compares its holder with ``username``; an expired hold of anyone is taken over, and the
    holder taking it again keeps ``since`` and gets the new expiry. One transaction, and the unique key
    on (kind, key) stops two claims from both inserting.
    """
    table = schema.review_holds
    now = utcnow()
    where = (table.c.record_kind == record_kind, table.c.record_key == record_key)
    with store.engine.begin() as conn:
        row = conn.execute(select(table).where(*where)).mappings().first()
        if row is not None and row["username"] != username and row["expires_at"] > now:
            return _hold(row)
        if row is None:
            values = {"username": username, "since": now, "expires_at": expires_at}
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(table).values(record_kind=record_kind, record_key=record_key, **values)
                    )
            except IntegrityError:  # another claim inserted first: theirs stands
                return _hold(conn.execute(select(table).where(*where)).mappings().one())
        else:
            since = row["since"] if row["username"] == username and row["expires_at"] > now else now
            conn.execute(
                update(table).where(*where).values(username=username, since=since, expires_at=expires_at)
            )
        _audit(conn, audit)
        return _hold(conn.execute(select(table).where(*where)).mappings().one())


def drop_hold(store: Store, record_kind: str, record_key: str, audit: AuditEntry | None = None) -> bool:
    """Remove an item's hold, if any (writing ``audit`` either way): whether there was one."""
    table = schema.review_holds
    with store.engine.begin() as conn:
        done = conn.execute(
            delete(table).where(table.c.record_kind == record_kind, table.c.record_key == record_key)
        )
        _audit(conn, audit)
        return bool(done.rowcount)


__all__ = [
    "AuditEntry",
    "Hold",
    "TokenRow",
    "UserRow",
    "audit_entries",
    "count_users",
    "delete_user",
    "drop_hold",
    "get_hold",
    "get_user",
    "holds",
    "insert_token",
    "insert_user",
    "list_tokens",
    "list_users",
    "revoke_tokens",
    "take_hold",
    "update_user",
    "user_for_token_hash",
    "utcnow",
    "write_audit",
]
