"""Citations: every number in a situation report names its source, and the sources are listed once.

Sources are numbered in the order the report first cites them. A source is cited by publisher and
title only: a report is shared offline and as a PDF, so it carries no web addresses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from haven.model import Source
from haven.report._format import day


@dataclass(frozen=True)
class CitedSource:
    number: int
    publisher: str
    title: str | None
    published_on: date | None
    reliability: str  # Admiralty grade, A (reliable) to F (cannot be judged)


@dataclass(frozen=True)
class Citation:
    """The sources of one number: publishers as the reader sees them and their list numbers."""

    publishers: tuple[str, ...]
    refs: tuple[int, ...]
    on: date | None = None  # when the number was published, if known

    def text(self, shown: int = 3) -> str:
        """'OCHA, 5 Mar 2020 [4]'; past ``shown`` publishers, 'and N more'; 'source not recorded' for none."""
        if not self.publishers:
            return "source not recorded"
        words = "; ".join(self.publishers[:shown])
        if len(self.publishers) > shown:
            words += f" and {len(self.publishers) - shown} more"
        if self.on:
            words += f", {day(self.on)}"
        return f"{words} [{ref_list(self.refs)}]"

    def __bool__(self) -> bool:
        return bool(self.publishers)


def ref_list(refs: Iterable[int]) -> str:
    """'1, 3, 12–27': runs of three or more as a span."""
    runs: list[list[int]] = []
    for ref in sorted(set(refs)):
        if runs and ref == runs[-1][-1] + 1:
            runs[-1].append(ref)
        else:
            runs.append([ref])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs]
    return ", ".join(parts)


class SourceList:
    """The numbered list of every source a report cites."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str], int] = {}
        self.entries: list[CitedSource] = []

    def cite(self, sources: Iterable[Source], on: date | None = None) -> Citation:
        refs: list[int] = []
        publishers: list[str] = []
        for source in sources:
            key = (source.publisher.strip().casefold(), (source.title or "").strip().casefold())
            number = self._numbers.get(key)
            if number is None:
                number = self._numbers[key] = len(self.entries) + 1
                self.entries.append(
                    CitedSource(
                        number, source.publisher, source.title, source.published_on, source.reliability.value
                    )
                )
            if number not in refs:
                refs.append(number)
            if source.publisher not in publishers:
                publishers.append(source.publisher)
        return Citation(tuple(publishers), tuple(sorted(refs)), on)


__all__ = ["Citation", "CitedSource", "SourceList", "ref_list"]
