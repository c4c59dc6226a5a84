"""Haven's domain model: plain typed records with no storage or I/O code."""

from haven.model.account import PUBLIC, Permission, Role, User
from haven.model.agreement import Agreement, AgreementKind, Crossing, CrossingStatus, Zone
from haven.model.aid import Delivery
from haven.model.common import DatePrecision, Estimate, GeoPrecision, PrecisionScheme, RecordKey
from haven.model.event import (
    ACLED_TAXONOMY,
    Actor,
    ActorType,
    Event,
    EventStatus,
    Revision,
)
from haven.model.figure import Figure, Qualifier
from haven.model.movement import Movement
from haven.model.place import AdminLevel, Place
from haven.model.site import ShelterBreakdown, Site, SiteKind, SiteSnapshot
from haven.model.source import Document, Reliability, Source

__all__ = [
    "ACLED_TAXONOMY",
    "PUBLIC",
    "Actor",
    "ActorType",
    "AdminLevel",
    "Agreement",
    "AgreementKind",
    "Crossing",
    "CrossingStatus",
    "DatePrecision",
    "Delivery",
    "Document",
    "Estimate",
    "Event",
    "EventStatus",
    "Figure",
    "GeoPrecision",
    "Movement",
    "Permission",
    "Place",
    "PrecisionScheme",
    "Qualifier",
    "RecordKey",
    "Reliability",
    "Revision",
    "Role",
    "ShelterBreakdown",
    "Site",
    "SiteKind",
    "SiteSnapshot",
    "Source",
    "User",
    "Zone",
]
