"""Conflict events in ACLED's taxonomy, with precision, uncertainty, status and revisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from haven.errors import ValidationError
from haven.model.common import DatePrecision, Estimate, GeoPrecision, RecordKey
from haven.model.source import Source

# ACLED codebook (2023 and later): event types and the sub-event types each allows.
ACLED_TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}


class ActorType(StrEnum):
    """ACLED's actor types (the ``inter1``/``inter2`` codes 1-8)."""

    STATE_FORCES = "State forces"
    REBEL_GROUPS = "Rebel groups"
    POLITICAL_MILITIAS = "Political militias"
    IDENTITY_MILITIAS = "Identity militias"
    RIOTERS = "Rioters"
    PROTESTERS = "Protesters"
    CIVILIANS = "Civilians"
    EXTERNAL_OTHER = "External/Other forces"

    @classmethod
    def from_code(cls, code: int) -> ActorType:
        members = list(cls)
        if not 1 <= code <= len(members):
            raise ValidationError(f"ACLED actor type code {code} is not 1-8")
        return members[code - 1]


class EventStatus(StrEnum):
    """Where an event stands in review."""

    UNVERIFIED = "unverified"
    UNDER_REVIEW = "under_review"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    type: ActorType | None = None
    associated: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Revision:
    """One earlier state of a record, kept when an import or a reviewer changed it."""

    number: int
    recorded_at: datetime
    change: str  # "updated", "deleted", "restored", "status"
    data: dict[str, object]
    import_id: int | None = None


@dataclass(slots=True)
class Event:
    """A dated, located conflict event.

    ``event_type``/``sub_event_type`` follow ACLED; events from other datasets (UCDP GED) are
    cross-walked into it and keep their own classification in ``violence_type``.
    """

    key: RecordKey
    event_type: str
    sub_event_type: str | None
    date_start: date
    date_end: date | None = None
    date_precision: DatePrecision | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    civilian_targeting: bool = False
    disorder_type: str | None = None
    violence_type: str | None = None
    country_iso: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location_name: str | None = None
    place_pcode: str | None = None
    point: tuple[float, float] | None = None  # (lon, lat)
    geo_precision: GeoPrecision | None = None
    fatalities: Estimate = field(default_factory=Estimate)
    injured: Estimate = field(default_factory=Estimate)
    notes: str | None = None
    tags: str | None = None
    sources: list[Source] = field(default_factory=list)
    status: EventStatus = EventStatus.UNVERIFIED
    revision: int = 1
    revisions: list[Revision] = field(default_factory=list)

    def __post_init__(self) -> None:
        allowed = ACLED_TAXONOMY.get(self.event_type)
        if allowed is None:
            raise ValidationError(
                f"event {self.key}: event_type {self.event_type!r} is not an ACLED event type "
                f"(expected one of {', '.join(ACLED_TAXONOMY)})"
            )
        if self.sub_event_type is not None and self.sub_event_type not in allowed:
            raise ValidationError(
                f"event {self.key}: sub_event_type {self.sub_event_type!r} is not a kind of "
                f"{self.event_type!r} (expected one of {', '.join(allowed)})"
            )
        if self.date_end is not None and self.date_end < self.date_start:
            raise ValidationError(f"event {self.key}: date_end {self.date_end} is before {self.date_start}")
