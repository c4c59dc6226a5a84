"""Who may do what: the roles of a Haven team and the anonymous public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Permission(StrEnum):
    """What a request may do. Reading exact locations is a permission: the public never has it."""

    READ = "read"  # aggregates, coarsened points, verified records
    READ_EXACT = "read_exact"  # exact site points and unverified events as recorded
    WRITE = "write"  # import, correct, create zones
    REVIEW = "review"  # verify, dispute, reject
    ADMIN = "admin"  # manage accounts


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    VIEWER = "viewer"
    PUBLIC = "public"

    @property
    def permissions(self) -> frozenset[Permission]:
        return _PERMISSIONS[self]

    def can(self, permission: Permission) -> bool:
        return permission in _PERMISSIONS[self]


_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PUBLIC: frozenset({Permission.READ}),
    Role.VIEWER: frozenset({Permission.READ, Permission.READ_EXACT}),
    Role.REVIEWER: frozenset({Permission.READ, Permission.READ_EXACT, Permission.REVIEW}),
    Role.ANALYST: frozenset({Permission.READ, Permission.READ_EXACT, Permission.WRITE}),
    Role.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True, slots=True)
class User:
    """A person with an account, or the anonymous public (``username`` "public", role PUBLIC)."""

    username: str
    role: Role
    created_at: datetime | None = None

    @property
    def is_public(self) -> bool:
        return self.role is Role.PUBLIC

    def can(self, permission: Permission) -> bool:
        return self.role.can(permission)


PUBLIC = User("public", Role.PUBLIC)
