"""What the event and agreement readers share: document ids, places and dates in a sentence.

Dates are resolved against the publication date: "on Tuesday" is the last Tuesday on or before it
("last Tuesday" in a report of a Tuesday is the week before), "last week" the week before it (date
precision 2), "in February" the month (precision 3), "27 February" the day (precision 1, never in the
future of the publication). Places are the document's names the gazetteer resolves (:class:`Places`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from weakref import WeakKeyDictionary

from rapidfuzz import fuzz

from haven.geo import Gazetteer, Resolution, Status
from haven.geo.gazetteer import MARGIN as AMBIGUITY_MARGIN
from haven.geo.gazetteer import Candidate as GazetteerCandidate
from haven.geo.gazetteer import name_similarity
from haven.geo.names import normalize, soft_form
from haven.read.documents import ReadDocument, Span
from haven.read.names import (
    COUNTRIES_AND_CAPITALS,
    SEATS_OF_GOVERNMENT,
    Name,
    could_be_place,
    is_common_word,
    may_end_with,
)

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
NOT_PLACES_IN_SYRIA = COUNTRIES_AND_CAPITALS
MIN_PLACE_SCORE = 0.9
MIN_CUED_PLACE_SCORE = 0.85


def document_id(doc: ReadDocument) -> str:
    """A stable id for a document: the first 12 hex digits of its text's SHA-256."""
    return hashlib.sha256(doc.text.encode("utf-8")).hexdigest()[:12]


def dataset_of(doc: ReadDocument) -> str:
    """The dataset records read from a document are keyed in: ``read:<document id>``."""
    return f"read:{document_id(doc)}"


def letter_led(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern, for one whose every match starts with a letter, with a look-ahead for a letter
    first: the engine then skips other places at once rather than trying every alternative there."""
    return re.compile(f"(?=[a-zA-Z])(?:{pattern.pattern})", pattern.flags)


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
    (re.compile(r"\b(New Year['’]s Day|Christmas Day)\b", re.I), "holiday"),
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
    if kind == "holiday":
        month_day = (1, 1) if match.group(1).casefold().startswith("new") else (12, 25)
        holiday = _past_day(*month_day, None, published)
        return None if holiday is None else DateReading(holiday, None, 1, span, 0.85)
    word = match.group(1).casefold() if kind != "week" else match.group(0).casefold()
    if kind == "weekday":
        back = (published.weekday() - WEEKDAYS.index(word)) % 7
        if back == 0 and match.group(0).casefold().startswith("last "):
            back = 7  # "last Thursday" in a report of a Thursday is the week before
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
# The words _NEAR's phrase can end with (before spaces).
_NEAR_ENDINGS = ("near", "of", "around", "to", "north", "south", "east", "west", "northern", "southern",
                 "eastern", "western", "rural")  # fmt: skip
_COUNTRYSIDE = re.compile(r"^\s*(?:countryside|outskirts|area|region|surroundings)\b", re.I)
_PROVINCE_AFTER = re.compile(r"^\s*(?:province|governorate)\b", re.I)
# Names joined as a list: "Ariha, Sarmin and Binnish", "Saraqab and the neighbouring village of Afs",
# "Binnish and the outskirts of Taftanaz", "Ariha and the nearby village of Urum al-Joz". After "and", a
# few words ending in "of", "in" or "near" may stand between; a compass word or "from"/"to" may not ("X
# and the road north of Y" names Y as a landmark, not as a place hit).
_LISTED = re.compile(
    r"(?:\s+(?:city|town))?"  # "Ma'arrat An Nu'man city and residential neighbourhoods of Heish"
    r"\s*(?:,\s*(?:and\s+)?(?:the\s+(?:towns?|villages?)\s+of\s+)?|and\s+(?:(?:the|an?)\s+)?"
    r"(?:(?:(?!(?:north|south|east|west)|(?:from|to|towards|several|many|other)\b)[a-z][\w-]*\s+){0,4}?"
    r"(?:of|in|near)\s+(?:the\s+)?)?)",
    re.I,
)
# Where people went or came from ("fled towards Darat Izza"), not where an event happened.
_DESTINATION_BEFORE = re.compile(
    r"\b(?:from|to|towards?|fled|fleeing|heading|headed|moved|returned)\s+(?:the\s+(?:\w+\s+of\s+)?)?$", re.I
)
_ROAD_AFTER = re.compile(r"(?:\s*[–—-]\s*[\w' -]{1,30}?)?\s+(?:road|highway|motorway)\b", re.I)
_QUARTER_OF = re.compile(r"\s+(?:neighbou?rhoods?|quarters?|district)\s+(?:of|in)\b", re.I)
# "in Damascus": the place; "Ankara and Damascus", "a claim Damascus denied": the government.
_SEAT_AS_PLACE = re.compile(r"\b(?:in|near|at|outside|around|of)\s+(?:the\s+)?(?:city\s+of\s+)?$", re.I)
# "in Idlib", "across southern Idleb": a province named bare after a word for "in".
_COMPASS = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
_IN_REGION = re.compile(
    rf"(?:\b(?:in|across|throughout|inside|of|over|into|to|towards?)\s+(?:the\s+)?|\b{_COMPASS}\s+)$",
    re.I,
)  # "in Idlib", "across southern Idleb and western Aleppo", "as fighting reaches western Aleppo"
# "the city of Aleppo", "the town of Idlib": the town, whatever comes before.
_TOWN_OF_BEFORE = re.compile(r"\b(?:city|town|village)\s+of\s+(?:the\s+)?$", re.I)
# "the Idlib truce", "the Idlib offensive": the province's name used of what goes on there.
_REGION_NOUN_AFTER = re.compile(
    r"^\s+(?:truce|ceasefire|cease-fire|offensive|campaign|front|crisis|operation|de-escalation|deal|talks|"
    r"summit|war|battle|countryside|enclave|pocket)\b",
    re.I,
)
_TOWN_AFTER = re.compile(r"^\s+(?:city|town|village)\b", re.I)
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


class Places:
    """The places a document names, read once and resolved together by the gazetteer: places one
    report names lie near each other, so those it names unambiguously tell the gazetteer which of
    several same-named villages an ambiguous name means (``Gazetteer.resolve_many``).

    Candidates are the document's names (:mod:`haven.read.names`) that are not an organisation's or a
    person's, nor a country or capital abroad, nor the dateline's city; a name no place word introduces
    ("in", "near", "the town of") is left out if it is written in capitals or opens its sentence as an
    ordinary English word would ("Shelling struck ...").
    """

    def __init__(
        self, doc: ReadDocument, gazetteer: Gazetteer | None, sentences: Sequence[Span] | None = None
    ) -> None:
        """``sentences``: the only sentences places will be asked of (all when None)."""
        self.doc = doc
        self.gazetteer = gazetteer
        self.provinces = provinces_named(doc)
        dateline = dateline_end(doc.text)
        wanted = set(sentences) if sentences is not None else None
        everywhere = [
            name
            for name in doc.names()
            if name.span.start >= dateline
            and _may_be_place(name)
            and not self._government_seat(name)
            and not self._road(name)
            and not (name.span.start == dateline and _opens_as_a_word(name))
        ]
        self.names = [name for name in everywhere if wanted is None or name.sentence in wanted]
        self._resolutions: dict[tuple[str, int | None], Resolution] = {}
        if gazetteer is not None:
            self._resolve_together(gazetteer, everywhere)

    def _road(self, name: Name) -> bool:
        """Whether a name names a road ("the Aleppo-Bab al-Hawa road", "the Damascus-Aleppo highway")."""
        return bool(_ROAD_AFTER.match(self.doc.text, name.span.end))

    def _government_seat(self, name: Name) -> bool:
        if _words(name).casefold() not in SEATS_OF_GOVERNMENT:
            return False
        return not _SEAT_AS_PLACE.search(self.doc.text[max(0, name.span.start - 30) : name.span.start])

    def _resolve_together(self, gazetteer: Gazetteer, everywhere: list[Name]) -> None:
        """Resolve the names asked about; an ambiguous one again near the places the document names
        unambiguously (those asked about first, the rest of the document's only if they give none)."""
        plain = list(dict.fromkeys(_words(n) for n in self.names if self._level(n) is None))
        for words in plain:
            self._resolutions[(words, None)] = gazetteer.resolve(words, fuzzy=False)
        ambiguous = [w for w in plain if self._resolutions[(w, None)].status is Status.AMBIGUOUS]
        if not ambiguous:
            return
        points = self._points(plain)
        if not points:
            others = list(dict.fromkeys(_words(n) for n in everywhere))
            points = self._points([w for w in others if w not in ambiguous], resolve=True)
        # The province a document names ("in southern Idlib") holds the places it reports, as the
        # places it names unambiguously lie near them. (A context is one the place lies in: of two
        # provinces named, neither can be given.)
        provinces = _province_names(gazetteer)
        province_words = {w for w in {_words(n) for n in everywhere} if soft_form(w) in provinces}
        named = self.provinces | {
            _words(n).casefold() for n in everywhere if _words(n) in province_words and self._level(n) == 1
        }
        region = sorted(named) if len(named) == 1 else None
        if points or region:
            for words in ambiguous:
                self._resolutions[(words, None)] = gazetteer.resolve(words, region, near=points, fuzzy=False)

    def _points(self, names: list[str], *, resolve: bool = False) -> list[tuple[float, float]]:
        gazetteer = self.gazetteer
        assert gazetteer is not None
        points = []
        for words in names:
            found = gazetteer.resolve(words, fuzzy=False) if resolve else self._resolutions[(words, None)]
            if found.status is Status.RESOLVED and found.best is not None and found.best.point is not None:
                points.append(found.best.point)
        return points

    def in_sentence(self, sentence: Span, skip: tuple[Span, ...] = ()) -> PlaceReading | None:
        """The most precise place a sentence names that the gazetteer resolves (else the first named)."""
        found = self.all_in_sentence(sentence, skip)
        return found[0] if found else None

    def all_in_sentence(self, sentence: Span, skip: tuple[Span, ...] = ()) -> list[PlaceReading]:
        """The sentence's place (:meth:`in_sentence`) first, then the communities named with it in a
        list ("in Saraqab and Maar Dibsi", "on Ariha, Sarmin and Binnish")."""
        names = [
            name
            for name in self.names
            if sentence.start <= name.span.start < sentence.end
            and not any(name.span.start in s for s in skip)
        ]
        found = [self._reading(name) for name in names]
        if self.gazetteer is not None and None in found:
            self._read_listed(names, found)
        readings = [reading for reading in found if reading is not None]
        if not readings:
            return []
        there = [r for r in readings if not self._destination(r) and not self._quarter(r)]
        readings = there if any(r.pcode for r in there) else readings
        resolved = [r for r in readings if r.pcode]
        if not resolved:
            return [readings[0]]
        best = min(resolved, key=lambda r: (r.precision, -(r.level or 0), r.span.start))
        rivals = [
            r for r in resolved if r is not best and (r.precision, r.level) == (best.precision, best.level)
        ]
        if rivals:
            # Of places as precise, one a place word introduces ("the Al-Iman hospital in Darat Izza") is
            # where it happened rather than a name that merely resolves as a village too; the word
            # introduces every name of a list it opens ("in Ariha, Sarmin and Binnish").
            cued = {n.span for run in self._lists(names) if any(n.place_cue for n in run) for n in run}
            if best.span not in cued:
                best = next((r for r in rivals if r.span in cued), best)
        listed = [best]
        index = resolved.index(best)
        for step in (1, -1):
            i = index
            while 0 <= i + step < len(resolved):
                left, right = sorted((resolved[i], resolved[i + step]), key=lambda r: r.span.start)
                joined = _LISTED.fullmatch(self.doc.text[left.span.end : right.span.start])
                if joined is None or resolved[i + step].level != 4:
                    break
                i += step
                listed.append(resolved[i])
        return listed

    def _destination(self, reading: PlaceReading) -> bool:
        before = self.doc.text[max(0, reading.span.start - 30) : reading.span.start]
        return bool(_DESTINATION_BEFORE.search(before))

    def _quarter(self, reading: PlaceReading) -> bool:
        """Whether a name is a quarter of a town named after it ("the al-Zahraa neighbourhood of the city
        of Aleppo"): the town is the place."""
        return bool(_QUARTER_OF.match(self.doc.text, reading.span.end))

    def _lists(self, names: list[Name]) -> list[list[Name]]:
        """The names in runs joined as a list ("Ariha, Sarmin and Binnish"), each name alone otherwise."""
        runs: list[list[Name]] = []
        for name in names:
            if runs and _LISTED.fullmatch(self.doc.text[runs[-1][-1].span.end : name.span.start]):
                runs[-1].append(name)
            else:
                runs.append([name])
        return runs

    def _read_listed(self, names: list[Name], found: list[PlaceReading | None]) -> None:
        """Read a name listed with a community ("pounded Talmenes and Maar Shurin") as one a place
        word introduces: being listed with a place says it is one, as "in" would."""
        for i, name in enumerate(names):
            if found[i] is not None or name.place_cue:
                continue
            for j in (i - 1, i + 1):
                other = found[j] if 0 <= j < len(names) else None
                if other is None or other.level != 4:
                    continue
                left, right = sorted((name.span, other.span), key=lambda span: span.start)
                if _LISTED.fullmatch(self.doc.text[left.end : right.start]):
                    found[i] = self._reading(name, cued=True)
                    break

    def _level(self, name: Name) -> int | None:
        """1 when the name means a province: the text calls it one, here or anywhere in the document,
        or names it bare after "in" or "across" ("fighting in Idlib"), where a report that means the
        town says "Idlib city" or "the city of Idlib"."""
        text = self.doc.text
        before = text[max(0, name.span.start - 40) : name.span.start]
        after = text[name.span.end : name.span.end + 20]
        if _PROVINCE_AFTER.match(after) or _PROVINCE_BEFORE.search(before):
            return 1
        if _words(name).casefold() in self.provinces:
            return 1
        if _TOWN_AFTER.match(after) or _TOWN_OF_BEFORE.search(before):
            return None
        if (_IN_REGION.search(before) or _REGION_NOUN_AFTER.match(after)) and self._is_province(_words(name)):
            return 1
        return None

    def _is_province(self, words: str) -> bool:
        if self.gazetteer is None or soft_form(words) not in _province_names(self.gazetteer):
            return False
        best = self._resolution(words, 1).best
        return best is not None and best.level == 1 and best.score >= MIN_PLACE_SCORE

    def _resolution(self, words: str, level: int | None) -> Resolution:
        assert self.gazetteer is not None
        key = (words, level)
        if key not in self._resolutions:
            self._resolutions[key] = self.gazetteer.resolve(words, level=level, fuzzy=False)
        return self._resolutions[key]

    def _reading(self, name: Name, *, cued: bool = False) -> PlaceReading | None:
        text, span, words = self.doc.text, name.span, _words(name)
        before, after = text[max(0, span.start - 40) : span.start], text[span.end : span.end + 20]
        near_before = may_end_with(before, _NEAR_ENDINGS, spaced=False)
        near = bool((near_before and _NEAR.search(before)) or _COUNTRYSIDE.match(after))
        level = self._level(name)
        if self.gazetteer is None:
            precision = 3 if level == 1 else (2 if near else 1)
            return PlaceReading(words, span, None, None, None, (), precision, 0.3)
        best = accepted_place(words, self._resolution(words, level), cued=cued or name.place_cue)
        if best is None:
            return None
        if best.level <= 2:
            precision = 3
        elif near or best.level == 3:
            precision = 2
        else:
            precision = 1
        confidence = round(0.9 * best.score if precision == 1 else 0.75 * best.score, 2)
        return PlaceReading(
            words, span, best.pcode, best.level, best.point, best.chain, precision, confidence
        )


def accepted_place(words: str, resolution: Resolution, *, cued: bool) -> GazetteerCandidate | None:
    """The place a name is taken to be: the gazetteer's choice (or, among close rivals, the one place
    spelled exactly so), if spelled like the name. The gazetteer weighs candidates by the places around
    them too; the spelling is judged on its own, more leniently for a name the text introduces as a
    place ("the town of Jarjanaz" for Jarjnaz)."""
    best = resolution.best if resolution.status is Status.RESOLVED else _only_exact(resolution)
    if best is None or best.match == "fuzzy":
        return None
    least = MIN_CUED_PLACE_SCORE if cued else MIN_PLACE_SCORE
    return best if name_similarity(words, best.matched_name)[0] >= least else None


def _only_exact(resolution: Resolution) -> GazetteerCandidate | None:
    """Of an ambiguous name's close rivals, the one place spelled exactly so, if only one is: "Qah" is
    Qah, not a village whose name merely sounds like it; else the one spelled far more alike than the
    others: "Hass" is Has, not Heish, though both sound alike to the gazetteer's soft forms."""
    if resolution.status is not Status.AMBIGUOUS or not resolution.candidates:
        return None
    top = resolution.candidates[0].score
    close = [c for c in resolution.candidates if c.score >= top - AMBIGUITY_MARGIN]
    exact = [c for c in close if c.match == "exact"]
    if not exact:
        return _closest_spelling(resolution.query, close)
    first = exact[0]
    # One place, perhaps at several levels (Sarmin the town and Sarmin the sub-district around it).
    same = all(c is first or _related(c, first) for c in exact)
    return first if same else None


_FAR_MORE_ALIKE = 25  # points of edit-distance ratio between the closest spelling and the next place's


def _closest_spelling(query: str, close: list[GazetteerCandidate]) -> GazetteerCandidate | None:
    alike = sorted(
        ((fuzz.ratio(normalize(query), normalize(c.matched_name)), c) for c in close), key=lambda x: -x[0]
    )
    best_ratio, best = alike[0]
    others = [ratio for ratio, c in alike[1:] if not (c is best or _related(c, best))]
    if best_ratio >= 80 and (not others or best_ratio - max(others) >= _FAR_MORE_ALIKE):
        return best
    return None


def _related(a: GazetteerCandidate, b: GazetteerCandidate) -> bool:
    return a.pcode in {code for code, _ in b.chain} or b.pcode in {code for code, _ in a.chain}


_PROVINCES: WeakKeyDictionary[Gazetteer, frozenset[str]] = WeakKeyDictionary()


def _province_names(gazetteer: Gazetteer) -> frozenset[str]:
    """The governorates' names (soft forms): the only names "in X" can make a province of."""
    if gazetteer not in _PROVINCES:
        _PROVINCES[gazetteer] = frozenset(
            soft_form(name) for place in gazetteer.places if place.level == 1 for name in place.all_names()
        )
    return _PROVINCES[gazetteer]


def _words(name: Name) -> str:
    return name.text.removeprefix("the ").strip()


def _opens_as_a_word(name: Name) -> bool:
    """Whether a name that opens a wire report after its dateline ("... (AFP) - Regime and Russian air
    strikes ...") is an ordinary word capitalised for opening it."""
    words = _words(name)
    return " " not in words and is_common_word(words)


def _may_be_place(name: Name) -> bool:
    words = _words(name)
    if words.casefold() in NOT_PLACES_IN_SYRIA or not could_be_place(name):
        return False
    if words.rsplit(" ", 1)[-1].casefold() in NOT_PLACES_IN_SYRIA:
        return False  # "Northwest Syria", "southern Turkey": a region of a country
    if name.place_cue:
        return True
    # Without a place word before it, a name is taken if it is capitalised for being a name: not in
    # capitals (a heading, a dateline) and, opening its sentence, not an ordinary word ("Shelling").
    return not (words.isupper() or (name.initial and " " not in words and is_common_word(words)))


_DATELINE = re.compile(r"[A-Z][A-Z .'-]+,[^\n]{0,60}?(?:\([A-Za-z .]+\))?\s+[-\u2013\u2014]\s")


_DATELINE_UNDER_HEADLINE = re.compile(rf"\s*[^\n]{{0,160}}(?:\n\s*)+(?:{_DATELINE.pattern})")


def dateline_end(text: str) -> int:
    """Where a wire dateline ("BEIRUT, Feb 5, 2020 (Reuters) - ") ends, or 0: its city is where the
    report was filed, not where things happened."""
    match = _DATELINE.match(text, len(text) - len(text.lstrip()))
    if match is None:
        # after a headline: "Bomb wounds Turkish soldiers ...\nBEIRUT, March 18, 2020 (AFP) - ..."
        match = _DATELINE_UNDER_HEADLINE.match(text)
    return match.end() if match else 0


def sentence_text(doc: ReadDocument, sentence: Span) -> str:
    return doc.text[sentence.start : sentence.end]
