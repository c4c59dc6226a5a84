"""Displacement flows between places."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from haven.errors import ValidationError
from haven.model.common import RecordKey
from haven.model.source import Source


@dataclass(slots=True)
class Movement:
    """People who moved from an origin to a destination during a period.

    Either end may be unknown (HNAP arrival tables name only the destination). Names are kept
    beside p-codes because sources often name places that no p-code list holds.
    """

    key: RecordKey
    period_start: date
    period_end: date
    individuals: float
    origin_pcode: str | None = None
    origin_name: str | None = None
    dest_pcode: str | None = None
    dest_name: str | None = None
    households: float | None = None
    children: float | None = None
    women: float | None = None
    men: float | None = None
    movement_type: str = "displacement"  # or "return"
    sources: list[Source] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValidationError(
                f"movement {self.key}: period ends {self.period_end} before {self.period_start}"
            )
        for name in ("individuals", "households", "children", "women", "men"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValidationError(f"movement {self.key}: {name} cannot be negative ({value})")
        parts = [v for v in (self.children, self.women, self.men) if v is not None]
        if sum(parts) > self.individuals * 1.0001 + 1 and None not in (self.women, self.men):
            raise ValidationError(
                f"movement {self.key}: children+women+men = {sum(parts):g} "
                f"exceeds individuals {self.individuals:g}"
            )
