"""Every error Haven raises on purpose derives from :class:`HavenError`.

The CLI turns any ``HavenError`` into its message and exit code 1; anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass


class HavenError(Exception):
    """Root of Haven's errors."""


class ValidationError(HavenError, ValueError):
    """A value broke a rule of the domain model (for example low > best)."""


@dataclass
class InputError(HavenError):
    """A file could not be read as the format it was said to be.

    Carries where the problem is (file, row, column), the bad value and what was expected,
    so that the message can be asserted in tests and acted on by a person.
    """

    path: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        where = [self.path]
        if self.row is not None:
            where.append(f"row {self.row:,}")
        if self.column is not None:
            where.append(f"column {self.column}")
        text = f"{', '.join(where)}: {self.message}"
        if self.value is not None:
            text += f" (got {self.value!r}"
            text += f"; expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        return text


class NotFoundError(HavenError, LookupError):
    """A record, place or file that was asked for does not exist."""


class StoreError(HavenError):
    """The database is missing, not migrated, or of a newer schema than this Haven."""
