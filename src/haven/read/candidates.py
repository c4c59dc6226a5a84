"""What the readers propose: a record with, for each field, the words it came from and a confidence.

Nothing here is verified: a candidate is a suggestion for a person to accept or correct.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from haven.read.documents import ReadDocument, Span


@dataclass(frozen=True)
class Evidence:
    """Where one field of a candidate was read: ``field`` names it ("value", "metric", "as_of", ...)."""

    field: str
    span: Span
    confidence: float  # 0..1


@dataclass
class Candidate:
    """A proposed record (``Figure``, ``Event``, ``Agreement``, or a dict for a zone) and its evidence."""

    kind: str  # "figure" | "event" | "agreement" | "zone"
    record: Any
    evidence: list[Evidence]
    confidence: float
    document: ReadDocument

    def evidence_for(self, name: str) -> Evidence | None:
        """The evidence for one field, or None when the field was not read from the text."""
        for item in self.evidence:
            if item.field == name:
                return item
        return None

    def text_of(self, name: str) -> str | None:
        """The words a field was read from, or None."""
        item = self.evidence_for(name)
        if item is None:
            return None
        return self.document.snippet(item.span)
