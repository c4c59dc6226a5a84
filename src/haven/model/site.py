"""IDP sites and their dated population snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from haven.errors import ValidationError
from haven.model.common import RecordKey
from haven.model.source import Source


class SiteKind(StrEnum):
    CAMP = "camp"
    INFORMAL_SETTLEMENT = "informal_settlement"
    COLLECTIVE_CENTRE = "collective_centre"
    RECEPTION_CENTRE = "reception_centre"
    OTHER = "other"


@dataclass(slots=True)
class Site:
    """An IDP site. ``point`` is exact and sensitive: anything published is coarsened."""

    key: RecordKey
    name: str
    kind: SiteKind
    site_pcode: str | None = None
    name_ar: str | None = None
    place_pcode: str | None = None  # the host community
    point: tuple[float, float] | None = None  # (lon, lat)
    capacity_individuals: int | None = None
    capacity_households: int | None = None
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ShelterBreakdown:
    """How the people in a site are sheltered (individuals)."""

    open_air: int = 0
    tents: int = 0
    unfinished_buildings: int = 0
    collective: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.open_air + self.tents + self.unfinished_buildings + self.collective + self.other


@dataclass(slots=True)
class SiteSnapshot:
    """The population of a site on a date."""

    key: RecordKey
    site_key: RecordKey
    as_of: date
    individuals: int
    households: int | None = None
    children: int | None = None
    women: int | None = None
    men: int | None = None
    shelter: ShelterBreakdown | None = None
    status: str | None = None  # open / closed
    sources: list[Source] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.individuals < 0:
            raise ValidationError(f"site snapshot {self.key}: individuals cannot be negative")
        if self.shelter is not None and self.shelter.total > self.individuals:
            raise ValidationError(
                f"site snapshot {self.key}: shelter breakdown ({self.shelter.total}) exceeds "
                f"individuals ({self.individuals})"
            )
