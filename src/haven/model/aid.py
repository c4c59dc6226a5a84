"""Aid deliveries: trucks that crossed into the area, by date, crossing and sector."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from haven.errors import ValidationError
from haven.model.common import RecordKey
from haven.model.source import Source


@dataclass(slots=True)
class Delivery:
    """Trucks that entered through one crossing on one day, for one sector.

    ``crossing_id`` is the record id of the :class:`~haven.model.Crossing` (``X1``) when known;
    ``crossing_name`` keeps the name the source used, so a delivery names its crossing either way.
    """

    key: RecordKey
    delivered_on: date
    crossing_name: str
    trucks: int
    crossing_id: str | None = None
    sector: str | None = None
    tonnage: float | None = None
    agency: str | None = None
    sources: list[Source] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.crossing_name.strip():
            raise ValidationError(f"delivery {self.key}: a delivery needs the crossing it came through")
        if self.trucks < 0:
            raise ValidationError(f"delivery {self.key}: trucks cannot be negative ({self.trucks})")
        if self.tonnage is not None and self.tonnage < 0:
            raise ValidationError(f"delivery {self.key}: tonnage cannot be negative ({self.tonnage})")
