"""Reported figures: a number someone published, with its qualifier and what it counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from haven.errors import ValidationError
from haven.model.common import RecordKey
from haven.model.source import Source


class Qualifier(StrEnum):
    """How the publisher hedged the number ("over 948,000", "almost a million")."""

    EXACT = "exact"
    ABOUT = "about"
    OVER = "over"
    ALMOST = "almost"
    AT_LEAST = "at_least"
    UP_TO = "up_to"

    @property
    def words(self) -> str:
        """How the qualifier reads before a number: 'over ', 'at least ', or nothing when exact."""
        return "" if self is Qualifier.EXACT else self.value.replace("_", " ") + " "


@dataclass(slots=True)
class Figure:
    """One reported number.

    ``as_of`` is the date the figure holds for; ``period_start``/``period_end`` the span it counts
    ("displaced since 1 December"). ``reported_on`` is when it was published.
    """

    key: RecordKey
    metric: str
    value: float
    qualifier: Qualifier = Qualifier.EXACT
    subgroup: str = "all"
    as_of: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    reported_on: date | None = None
    area_name: str | None = None
    area_pcode: str | None = None
    sources: list[Source] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.metric:
            raise ValidationError(f"figure {self.key}: a figure needs a metric")
        if self.value < 0:
            raise ValidationError(f"figure {self.key}: value cannot be negative ({self.value})")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(f"figure {self.key}: period ends before it starts")

    @property
    def effective_date(self) -> date | None:
        """The date the figure describes: as-of, else the end of what it counts, else publication."""
        return self.as_of or self.period_end or self.reported_on
