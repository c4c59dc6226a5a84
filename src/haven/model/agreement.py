"""Agreements (ceasefires, corridors, deadlines, access resolutions), crossings and zones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from shapely.geometry.base import BaseGeometry

from haven.errors import ValidationError
from haven.model.common import RecordKey
from haven.model.source import Source


class AgreementKind(StrEnum):
    CEASEFIRE = "ceasefire"
    CORRIDOR = "corridor"
    CEASEFIRE_AND_CORRIDOR = "ceasefire_and_corridor"
    DEMILITARIZED_ZONE = "demilitarized_zone"
    DEADLINE = "deadline"
    ACCESS_RESOLUTION = "access_resolution"
    OTHER = "other"


@dataclass(slots=True)
class Agreement:
    """An agreement with its area as geometry or as a recipe to build one (for example
    "6 km either side of the M4"), so the area can be recomputed when the line improves."""

    key: RecordKey
    name: str
    kind: AgreementKind
    parties: tuple[str, ...]
    signed_on: date | None = None
    effective_from: datetime | None = None
    effective_to: datetime | None = None
    area_description: str | None = None
    area: BaseGeometry | None = None
    area_recipe: dict[str, Any] | None = None
    provisions: str | None = None
    sources: list[Source] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError(f"agreement {self.key}: effective_to is before effective_from")


@dataclass(frozen=True, slots=True)
class CrossingStatus:
    status: str  # e.g. "open", "closed", "open for UN cross-border aid"
    valid_from: date
    valid_to: date | None = None
    note: str | None = None


@dataclass(slots=True)
class Crossing:
    """A border crossing and its dated status history."""

    key: RecordKey
    name: str
    point: tuple[float, float]  # (lon, lat)
    alt_names: tuple[str, ...] = ()
    border: str | None = None
    statuses: list[CrossingStatus] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def status_on(self, day: date) -> CrossingStatus | None:
        for status in sorted(self.statuses, key=lambda s: s.valid_from, reverse=True):
            if status.valid_from <= day and (status.valid_to is None or day <= status.valid_to):
                return status
        return None


@dataclass(slots=True)
class Zone:
    """A named area and the recipe that made it, so it can be rebuilt and explained."""

    name: str
    geometry: BaseGeometry
    recipe: dict[str, Any]
    description: str | None = None
