"""Character spans into a read document's text: every extracted field points at the words it came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """Character offsets into :attr:`ReadDocument.text`; ``end`` is exclusive."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"a span needs 0 <= start <= end, got {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def __contains__(self, char: object) -> bool:
        return isinstance(char, int) and self.start <= char < self.end
