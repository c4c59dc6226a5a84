"""Where a record came from: a publisher's report, dataset or statement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Reliability(StrEnum):
    """Source reliability on the Admiralty scale used by analysts (A best, F cannot be judged)."""

    A = "A"  # completely reliable
    B = "B"  # usually reliable
    C = "C"  # fairly reliable
    D = "D"  # not usually reliable
    E = "E"  # unreliable
    F = "F"  # reliability cannot be judged


@dataclass(frozen=True, slots=True)
class Source:
    """A publisher and, when known, the title, address and date of what it published."""

    publisher: str
    title: str | None = None
    url: str | None = None
    published_on: date | None = None
    reliability: Reliability = Reliability.F
    key: str = field(init=False, repr=False, compare=False)
    """Identity used to find the same source again across imports: publisher, title and address."""

    def __post_init__(self) -> None:
        parts = [self.publisher.strip().casefold(), (self.title or "").strip().casefold(), self.url or ""]
        object.__setattr__(self, "key", "|".join(parts))


@dataclass(slots=True)
class Document:
    """A report's text and metadata, kept so extracted records can point back at their words."""

    source: Source
    text: str
    title: str | None = None
    language: str = "en"
    published_on: date | None = None
    url: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
