"""What the event and agreement readers share: document ids, places and dates in a sentence.

Dates are resolved against the publication date: "on Tuesday" is the last Tuesday on or before it,
"last week" the week before it (date precision 2), "in February" the month (precision 3), "27 February"
the day (precision 1, read with dateparser, never in the future of the publication).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from haven.geo import Gazetteer, Status
from haven.read.documents import ReadDocument, Span

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"  # noqa: E501

# Names the gazetteer would match to some village but that a report means as a country or capital.
NOT_PLACES_IN_SYRIA = frozenset(
    {
        "syria",
        "turkey",
        "russia",
        "iran",
        "moscow",
        "ankara",
        "tehran",
        "washington",
        "united states",
        "europe",
        "lebanon",
        "jordan",
        "iraq",
        "geneva",
        "nato",
        "sochi",
        "astana",
        "brussels",
        "new york",
    }
)
MIN_PLACE_SCORE = 0.9


def document_id(doc: ReadDocument) -> str:
    """A stable id for a document: the first 12 hex digits of its text's SHA-256."""
    return hashlib.sha256(doc.text.encode("utf-8")).hexdigest()[:12]


def dataset_of(doc: ReadDocument) -> str:
    """The dataset records read from a document are keyed in: ``read:<document id>``."""
    return f"read:{document_id(doc)}"


@dataclass(frozen=True)
class DateReading:
    start: date
    end: date | None
    precision: int  # ACLED: 1 day, 2 week, 3 month
    span: Span
    confidence: float


_DAY_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH})(?:,? (\d{{4}}))?", re.I), "dm"),
    (re.compile(rf"\b({_MONTH}) (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?\b", re.I), "md"),
    (re.compile(r"\b(?:on |late on |early on |last )?(" + "|".join(WEEKDAYS) + r")\b", re.I), "weekday"),
    (re.compile(r"\b(yesterday|today|last night|this morning|overnight|tonight)\b", re.I), "relative"),
    (re.compile(r"\b(last week|this week|past week|earlier this week)\b", re.I), "week"),
    (re.compile(r"\b(?:in|during|since|early|late|mid-?) ?(" + _MONTH + r")\b(?! \d)", re.I), "month"),
]


def _month_number(word: str) -> int:
    stem = word.rstrip(".").casefold()[:3]
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(stem))


def _past_day(month: int, day: int, year: int | None, published: date) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        found = date(published.year, month, day)
    except ValueError:
        return None
    if found > published:
        try:
            found = date(published.year - 1, month, day)
        except ValueError:
            return None
    return found


def read_date(text: str, offset: int, published: date | None) -> DateReading | None:
    """The first date a sentence states, resolved against the publication date."""
    found: list[tuple[int, DateReading]] = []
    for pattern, kind in _DAY_PATTERNS:
        for match in pattern.finditer(text):
            reading = _reading(match, kind, offset, published)
            if reading is not None:
                found.append((match.start(), reading))
                break
    if not found:
        return None
    # The most precise reading wins; among equals, the first in the sentence.
    found.sort(key=lambda item: (item[1].precision, item[0]))
    return found[0][1]


def _reading(match: re.Match[str], kind: str, offset: int, published: date | None) -> DateReading | None:
    span = Span(offset + match.start(), offset + match.end())
    if kind in ("dm", "md"):
        day_text, month_text = (match.group(1), match.group(2)) if kind == "dm" else (match[2], match[1])
        year = int(match.group(3)) if match.group(3) else None
        if published is None and year is None:
            return None
        day = _past_day(_month_number(month_text), int(day_text), year, published or date.max)
        return None if day is None else DateReading(day, None, 1, span, 0.9 if year else 0.85)
    if published is None:
        return None
    word = match.group(1).casefold() if kind != "week" else match.group(0).casefold()
    if kind == "weekday":
        back = (published.weekday() - WEEKDAYS.index(word)) % 7
        return DateReading(published - timedelta(days=back), None, 1, span, 0.8)
    if kind == "relative":
        day = published if word in ("today", "this morning", "tonight") else published - timedelta(days=1)
        if word == "overnight":
            day = published - timedelta(days=1)
        return DateReading(day, None, 1, span, 0.75)
    if kind == "week":
        monday = published - timedelta(days=published.weekday())
        if word in ("last week", "past week"):
            start = monday - timedelta(days=7) if word == "last week" else published - timedelta(days=7)
            return DateReading(
                start, start + timedelta(days=6) if word == "last week" else published, 2, span, 0.6
            )
        return DateReading(monday, published, 2, span, 0.6)
    month = _month_number(match.group(1))
    year = published.year if month <= published.month else published.year - 1
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return DateReading(first, min(last, published), 3, span, 0.5)


def parse_day(text: str, published: date | None) -> date | None:
    """A day written in words, for the CLI and corrections: ISO dates, "27 February 2020", "Tuesday"."""
    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past"}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


@dataclass(frozen=True)
class PlaceReading:
    name: str
    span: Span
    pcode: str | None
    level: int | None
    point: tuple[float, float] | None
    chain: tuple[tuple[str, str], ...]
    precision: int  # ACLED 1 exact, 2 near, 3 region
    confidence: float


_NEAR = re.compile(
    r"(?:near|outskirts of|around|close to|(?:north|south|east|west|north-?east|north-?west|south-?east|"
    r"south-?west)(?:ern)? (?:of )?|countryside of|rural)\s*$",
    re.I,
)
_COUNTRYSIDE = re.compile(r"^\s*(?:countryside|outskirts|area|region|surroundings)\b", re.I)
_PROVINCE_AFTER = re.compile(r"^\s*(?:province|governorate)\b", re.I)
_PROVINCE_BEFORE = re.compile(r"(?:province|governorate) of\s*(?:the\s*)?$", re.I)


def provinces_named(doc: ReadDocument) -> set[str]:
    """Names the document itself calls a province ("the province of Idlib", "Idlib province")."""
    text = doc.text
    names = set()
    for match in re.finditer(r"(?:province|governorate) of (?:the )?([A-Z][\w'-]+)", text):
        names.add(match.group(1).casefold())
    for match in re.finditer(r"\b([A-Z][\w'-]+) (?:province|governorate)\b", text):
        names.add(match.group(1).casefold())
    return names


def read_place(
    doc: ReadDocument,
    sentence: Span,
    gazetteer: Gazetteer | None,
    provinces: set[str],
    skip: tuple[Span, ...] = (),
) -> PlaceReading | None:
    """The most precise place a sentence names that the gazetteer resolves (else the first named)."""
    text = doc.text
    readings: list[PlaceReading] = []
    for ent in doc.entities():
        if ent.label_ not in ("GPE", "LOC", "FAC") or not (sentence.start <= ent.start_char < sentence.end):
            continue
        if any(s.start <= ent.start_char < s.end for s in skip):
            continue
        name = ent.text.removeprefix("the ").strip()
        if name.casefold() in NOT_PLACES_IN_SYRIA or not name[:1].isupper():
            continue
        reading = _resolve_place(text, name, Span(ent.start_char, ent.end_char), gazetteer, provinces)
        if reading is not None:
            readings.append(reading)
    if gazetteer is not None:
        sentence_text = text[sentence.start : sentence.end]
        for match in _AFTER_PREPOSITION.finditer(sentence_text):
            start, end = sentence.start + match.start(1), sentence.start + match.end(1)
            name = match.group(1)
            if any(r.span.start <= start < r.span.end for r in readings) or any(
                s.start <= start < s.end for s in skip
            ):
                continue
            if name.casefold() in NOT_PLACES_IN_SYRIA or name.split()[0].casefold() in _NOT_NAMES:
                continue
            reading = _resolve_place(text, name, Span(start, end), gazetteer, provinces, strict=True)
            if reading is not None:
                readings.append(reading)
    if not readings:
        return None
    resolved = [r for r in readings if r.pcode]
    if resolved:
        return min(resolved, key=lambda r: (r.precision, -(r.level or 0), r.span.start))
    return readings[0]


_AFTER_PREPOSITION = re.compile(
    r"\b(?:in|near|at|of|around|outside|into|on|from|towards?)\s+((?:al-|el-)?[A-Z][\w'’-]+"
    r"(?:\s+(?:al-|an-|as-|ash-|el-)?[A-Z][\w'’-]+){0,2})"
)
_NOT_NAMES = frozenset((*WEEKDAYS, *MONTHS, "the", "turkish", "syrian", "russian", "president", "mr", "mr."))


def _resolve_place(
    text: str,
    name: str,
    span: Span,
    gazetteer: Gazetteer | None,
    provinces: set[str],
    *,
    strict: bool = False,
) -> PlaceReading | None:
    before, after = text[max(0, span.start - 40) : span.start], text[span.end : span.end + 20]
    near = bool(_NEAR.search(before) or _COUNTRYSIDE.match(after))
    province = bool(_PROVINCE_AFTER.match(after) or _PROVINCE_BEFORE.search(before))
    if gazetteer is None:
        return PlaceReading(name, span, None, None, None, (), 3 if province else (2 if near else 1), 0.3)
    level: int | None = 1 if province or name.casefold() in provinces else None
    resolution = gazetteer.resolve(name, level=level)
    best = resolution.best
    if resolution.status is not Status.RESOLVED or best is None or best.score < MIN_PLACE_SCORE:
        return None
    if strict and best.match == "fuzzy":
        return None
    if best.level <= 2:
        precision = 3
    elif near or best.level == 3:
        precision = 2
    else:
        precision = 1
    confidence = round(0.9 * best.score if precision == 1 else 0.75 * best.score, 2)
    return PlaceReading(name, span, best.pcode, best.level, best.point, best.chain, precision, confidence)


def sentence_text(doc: ReadDocument, sentence: Span) -> str:
    return doc.text[sentence.start : sentence.end]
