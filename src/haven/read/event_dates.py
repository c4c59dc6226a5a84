"""When an event happened, as the sentences of a report tell it, resolved against the publication date:
the day the sentence states; one counted from the event told before ("the same day", "the next
morning", "the day before"); "two days after <the event>" counted back; the day a section's heading
gives ("Qminas, February 5"); else the event told before's day, as a wire report tells one day's
events; else the week before publication. Dates that open a period ("since 14 December") are not an
event's day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from haven.model import Event
from haven.read._common import read_date
from haven.read.candidates import Candidate
from haven.read.casualties import count_word
from haven.read.documents import ReadDocument, Span


@dataclass(frozen=True)
class When:
    """An event's day (or period), how precise it is, and the words it was read from."""

    start: date
    end: date | None
    precision: int  # ACLED: 1 day, 2 week, 3 month
    span: Span | None  # None when the date is the event before's, or the publication week
    confidence: float


_AGAIN = re.compile(r"\s+and\s+(?:again\s+)?(?:on\s+)?", re.I)


def again(doc: ReadDocument, when: When) -> list[When]:
    """The day an event happened again: "on 6 January and again on 7 January"."""
    if when.span is None or when.precision != 1:
        return []
    joined = _AGAIN.match(doc.text, when.span.end)
    if joined is None:
        return []
    end = joined.end()
    stated = read_date(doc.text[end : end + 30], end, doc.published_on)
    if stated is None or stated.precision != 1 or stated.span.start != end or stated.start == when.start:
        return []
    return [When(stated.start, None, 1, stated.span, stated.confidence)]


def clause_date(doc: ReadDocument, clause: Span, sentence: str, trigger: re.Match[str], main: When) -> When:
    """The date of an event a clause tells: its own ("and on Tuesday a roadside bomb ..."), counted
    from the sentence's first event ("the next morning", "a day after capturing ..."), or that event's."""
    text = doc.text[clause.start : clause.end]
    own = read_date(text, clause.start, doc.published_on)
    if own is not None:
        return When(own.start, own.end, own.precision, own.span, own.confidence)
    back = days_after(sentence, trigger)
    if back:
        return When(main.start - timedelta(days=back), None, 1, main.span, 0.6)
    relative = _relative_day(text, same_day=False)
    if relative is None:
        return main
    step, found = relative
    span = Span(clause.start + found.start(), clause.start + found.end())
    return When(main.start + timedelta(days=step), None, 1, span, 0.6)


_DAYS_AFTER = re.compile(r"\b(a|one|two|three|four|five) days? after\s+(?P<what>[^.;]*)$", re.I)


# "A day after the raids, clashes ...": the event told after the comma came later, not before.
_AFTER_THE_EVENT = re.compile(r"^(?:the|this|that)\s+(?:[\w'-]+\s+){0,2}?[\w'-]+,", re.I)


def days_after(text: str, trigger: re.Match[str]) -> int:
    """How many days before another an event is that "a day after" / "two days after" introduces
    ("a day after capturing the villages": the capture came the day before)."""
    before = text[: trigger.start()]
    if "after" not in before:
        return 0
    found = _DAYS_AFTER.search(before)
    if found is None or _AFTER_THE_EVENT.match(found.group("what")):
        return 0
    return count_word(found.group(1)) or 0


_SINCE = re.compile(r"\b(?:since|from)\s+(?:the\s+)?$", re.I)


_WHEN = re.compile(r"^,?\s+when\b", re.I)


def opens_period(text: str, span: Span | None) -> bool:
    """Whether a date opens a period ("since 14 December"), not the day of an event ("since Thursday,
    when 34 soldiers died in an air strike")."""
    if span is None or not _SINCE.search(text[max(0, span.start - 12) : span.start]):
        return False
    return not _WHEN.match(text[span.end : span.end + 8])


def own_date(text: str, published: date | None, told: Candidate) -> bool:
    """Whether a sentence states a day other than the event's it may go on about."""
    stated = read_date(text, 0, published)
    return stated is not None and stated.precision == 1 and stated.start != told.record.date_start


_SAME_DAY = re.compile(
    r"\b(?:the same day|that day|later that day|later the same day|the same night)\b", re.I
)


_NEXT_DAY = re.compile(r"\b(?:the (?:next|following) (?:day|morning|evening|night)|a day later)\b", re.I)


_DAY_BEFORE = re.compile(
    r"\b(?:the (?:day|night|evening) before|the previous (?:day|night|evening)|a day earlier)\b", re.I
)


def event_date(
    text: str,
    offset: int,
    published: date | None,
    earlier: list[Candidate],
    trigger: re.Match[str] | None = None,
    section: When | None = None,
) -> When | None:
    """The event's date: stated in the sentence, counted from the event before ("the same day"), the
    date of the section's heading or of the event before (a sentence with no date), or else the week
    before publication; "two days after <the event>" counts back from that."""
    found = _stated_when(text, offset, published, [] if section is not None else earlier)
    if section is not None and found is not None and found.span is None:
        found = section
    back = days_after(text, trigger) if trigger is not None and found is not None else 0
    if found is None or not back:
        return found
    return When(found.start - timedelta(days=back), None, 1, found.span, 0.6)


def dated_heading(text: str, offset: int, published: date | None) -> When | None:
    """The day a heading gives the section below it ("Qminas, February 5"): a short line without a
    full stop that states a day other than the report's own."""
    if len(text.split()) > 8 or text.rstrip().endswith((".", "!", "?", '"', "”", ":")):
        return None
    stated = read_date(text, offset, published)
    if stated is None or stated.precision != 1 or stated.start == published:
        return None
    return When(stated.start, stated.end, 1, stated.span, 0.6)


def _relative_day(text: str, *, same_day: bool = True) -> tuple[int, re.Match[str]] | None:
    """A day told from another ("the same day" 0, "the next morning" +1, "the day before" -1) and its
    words; a clause told after its sentence's first event is never "the same day" of its own."""
    found = (same_day and _SAME_DAY.search(text)) or _NEXT_DAY.search(text) or _DAY_BEFORE.search(text)
    if not found:
        return None
    step = 0 if same_day and _SAME_DAY.match(found.group()) else 1 if _NEXT_DAY.match(found.group()) else -1
    return step, found


def _stated_when(text: str, offset: int, published: date | None, earlier: list[Candidate]) -> When | None:
    before: Event | None = earlier[-1].record if earlier else None
    before_day = before.date_start if before is not None else None
    relative = _relative_day(text)
    if relative is not None and before_day is not None:
        step, found = relative
        span = Span(offset + found.start(), offset + found.end())
        return When(before_day + timedelta(days=step), None, 1, span, 0.7)
    stated = read_date(text, offset, published)
    if stated is not None:
        return When(stated.start, stated.end, stated.precision, stated.span, stated.confidence)
    if before is not None and before_day is not None:
        precision = before.date_precision.code if before.date_precision is not None else 2
        return When(before_day, before.date_end, precision, None, 0.5)
    if published is not None:
        return When(published - timedelta(days=6), published, 2, None, 0.4)
    return None
