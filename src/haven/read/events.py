"""Conflict events read from a report, in ACLED's taxonomy, each field tied to the words it came from.

One sentence proposes at most one event: its trigger ("air strikes", "shelling", "clashes",
"recaptured", "agreed a ceasefire", "gunmen killed") gives the ACLED event type and sub-type; the
actors named before the trigger are the first side, those after it the second; the place is the most
precise one the gazetteer resolves (geo precision 1 a town, 2 near or "countryside of" a town or a
sub-district, 3 a district or province); the date is read in the sentence and resolved against the
publication date (the publication date itself, at week precision, when the sentence gives none);
fatalities and injured keep what the text states ("at least 22" is low = best = 22 without a ceiling,
"between 29 and 33" is low 29, high 33).

Every event enters as :attr:`EventStatus.UNDER_REVIEW`, keyed ``read:<document id>`` /
``event-<n>``, with the document's source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from haven.geo import Gazetteer
from haven.model import (
    Actor,
    ActorType,
    DatePrecision,
    Estimate,
    Event,
    EventStatus,
    GeoPrecision,
    RecordKey,
    Source,
)
from haven.model.common import PrecisionScheme
from haven.read._common import dataset_of, provinces_named, read_date, read_place
from haven.read.attribution import find_attribution
from haven.read.candidates import Candidate, Evidence
from haven.read.documents import ReadDocument, Span

# (pattern, event type, sub-event type, confidence), most specific first.
TRIGGERS: list[tuple[re.Pattern[str], str, str, float]] = [
    (
        re.compile(r"\bchemical (?:weapons?|attack|gas)\b|\bchlorine\b|\bsarin\b", re.I),
        "Explosions/Remote violence",
        "Chemical weapon",
        0.8,
    ),
    (
        re.compile(
            r"\b(?:air ?strikes?|air ?raids?|drone strikes?|air attacks?|barrel bombs?|"
            r"bomb(?:ed|ing|ings|ardment)?)\b",
            re.I,
        ),
        "Explosions/Remote violence",
        "Air/drone strike",
        0.8,
    ),
    (
        re.compile(r"\b(?:(?:war)?planes?|aircraft|jets|helicopters)\b", re.I),
        "Explosions/Remote violence",
        "Air/drone strike",
        0.6,
    ),
    (
        re.compile(r"\b(?:shell(?:ed|ing|s)?|artillery|rockets?|missiles?|mortars?)\b", re.I),
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        0.75,
    ),
    (
        re.compile(r"\b(?:car bomb|roadside bomb|IED|landmine|explosive device)s?\b", re.I),
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        0.75,
    ),
    (
        re.compile(
            r"\b(?:recaptur(?:ed|es|ing)|retook|retaken|regain(?:ed|s)|captur(?:ed|es)|seiz(?:ed|es)|"
            r"took control of|taken control of|overran|advanced into|entered)\b",
            re.I,
        ),
        "Battles",
        "Government regains territory",  # or "Non-state actor overtakes territory", by who took it
        0.65,
    ),
    (
        re.compile(r"\b(?:clash(?:ed|es)?|fighting|battles?|fought|firefights?|offensive against)\b", re.I),
        "Battles",
        "Armed clash",
        0.65,
    ),
    (
        re.compile(
            r"\b(?:agreed|signed|announced|reached|brokered)\b[^.]{0,60}?\b(?:cease-?fire|truce|agreement|deal)\b",
            re.I,
        ),
        "Strategic developments",
        "Agreement",
        0.7,
    ),
    (
        re.compile(r"\b(?:gunmen|shot dead|executed|abducted|kidnapped|massacre)\b", re.I),
        "Violence against civilians",
        "Attack",
        0.6,
    ),
]


@dataclass(frozen=True)
class ActorPattern:
    pattern: re.Pattern[str]
    name: str
    type: ActorType
    government: bool  # the Syrian government side (for "regains territory")
    target_only: bool = False  # "Turkish positions": hit, never the attacker


_WEAPON = r"(?:war)?planes?|aircraft|jets|air ?force|helicopters?|drones?|artillery|forces|troops|army|soldiers|military"  # noqa: E501
ACTORS: list[ActorPattern] = [
    ActorPattern(
        re.compile(
            rf"\bRussian(?: and Syrian)?(?: government)? (?:{_WEAPON})\b|\bRussia\b(?= (?:bomb|strik))", re.I
        ),
        "Military Forces of Russia",
        ActorType.EXTERNAL_OTHER,
        True,
    ),
    ActorPattern(
        re.compile(
            rf"\b(?:(?:Russian and )?Syrian(?: government| regime| Arab)? (?:{_WEAPON})|"
            rf"regime (?:forces|troops|aircraft|planes|helicopters|positions)|government (?:forces|troops)|Assad(?:'s)? forces|SAA|"  # noqa: E501
            rf"forces (?:of|loyal to) (?:the regime of )?(?:President )?Bashar al-Assad)\b",
            re.I,
        ),
        "Military Forces of Syria",
        ActorType.STATE_FORCES,
        True,
    ),
    ActorPattern(
        re.compile(rf"\bTurk(?:ish|ey's)(?: and Syrian)? (?:{_WEAPON})\b", re.I),
        "Military Forces of Turkey",
        ActorType.EXTERNAL_OTHER,
        False,
    ),
    ActorPattern(
        re.compile(r"\bTurk(?:ish|ey's) (?:positions?|observation posts?|convoys?|posts?|bases?)\b", re.I),
        "Military Forces of Turkey",
        ActorType.EXTERNAL_OTHER,
        False,
        target_only=True,
    ),
    ActorPattern(
        re.compile(r"\b(?:HTS|Hayat Tahrir al-Sham|Hay'at Tahrir al-Sham|jihadists?)\b", re.I),
        "Hayat Tahrir al-Sham",
        ActorType.REBEL_GROUPS,
        False,
    ),
    ActorPattern(
        re.compile(r"\b(?:National Liberation Front|NLF|Syrian National Army|SNA)\b"),
        "NLF: National Liberation Front",
        ActorType.REBEL_GROUPS,
        False,
    ),
    ActorPattern(
        re.compile(
            r"\b(?:rebels?|rebel (?:fighters|groups)|opposition (?:fighters|groups|factions)|insurgents)\b",
            re.I,
        ),
        "Opposition Rebels (Syria)",
        ActorType.REBEL_GROUPS,
        False,
    ),
]
CIVILIANS = Actor("Civilians (Syria)", ActorType.CIVILIANS)

# Target kinds, and whether hitting one targets civilians.
TARGETS: list[tuple[re.Pattern[str], str, bool]] = [
    (re.compile(r"\bmarket(?:place)?s?\b", re.I), "market", True),
    (re.compile(r"\bschools?\b", re.I), "school", True),
    (
        re.compile(r"\bhospitals?\b|\bclinics?\b|\bmedical (?:centre|center|facility)\b", re.I),
        "hospital",
        True,
    ),
    (re.compile(r"\b(?:camps?|tents?|shelters?)\b", re.I), "camp", True),
    (re.compile(r"\bbakery|bakeries\b", re.I), "bakery", True),
    (re.compile(r"\bmosques?\b", re.I), "mosque", True),
    (
        re.compile(r"\b(?:residential|homes|houses|neighbourhoods?|neighborhoods?)\b", re.I),
        "residential",
        True,
    ),
    (re.compile(r"\bcivilian targets?\b|\bcivilians\b", re.I), "civilians", True),
    (re.compile(r"\bconvoys?\b", re.I), "convoy", False),
    (re.compile(r"\bobservation posts?\b", re.I), "observation post", False),
    (re.compile(r"\b(?:military )?positions?\b", re.I), "military position", False),
]

_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "a dozen": 12,
    "dozens": 24,
    "scores": 40,
}
_NUM = (
    r"(\d[\d,]*|" + "|".join(sorted((w for w in _WORDS if w not in ("a", "an")), key=len, reverse=True)) + ")"
)
_QUAL = r"(at least|more than|over|nearly|almost|about|around|some|up to|as many as|at most)?\s*"
_WHO = (
    r"(?:\s+(?:more\s+|other\s+)?(?:people|civilians|soldiers|troops|fighters|persons|children|women|"
    r"members|militants|rebels|servicemen|Turkish soldiers|Syrian soldiers|others))?"
)
_KILLED = r"(?:killed|killing|kills|dead|died|deaths|lost their lives|were killed|have been killed|killed\.)"
_INJURED = r"(?:injured|injuring|injures|wounded|wounding|wounds|hurt)"

_RANGE = re.compile(rf"\bbetween {_NUM} and {_NUM}{_WHO}", re.I)


def _count(word: str) -> int:
    word = word.casefold().replace(",", "")
    return int(word) if word.isdigit() else _WORDS[word]


def _estimate(qualifier: str | None, value: int) -> Estimate:
    qualifier = (qualifier or "").casefold()
    if qualifier in ("at least", "more than", "over"):
        return Estimate(value, value, None)
    if qualifier in ("up to", "as many as", "at most", "nearly", "almost"):
        return (
            Estimate(None, value, value) if qualifier in ("nearly", "almost") else Estimate(None, None, value)
        )
    return Estimate(value, value, value) if not qualifier else Estimate(None, value, None)


def read_count(sentence: str, offset: int, verb: str) -> tuple[Estimate, Span, float] | None:
    """A count of killed (``verb`` "killed") or injured ("injured") a sentence states, with its span."""
    verbs = _KILLED if verb == "killed" else _INJURED
    patterns = [
        re.compile(rf"\b{verbs}\s+(?:a total of\s+)?{_QUAL}{_NUM}{_WHO}", re.I),
        re.compile(
            rf"\b{_QUAL}{_NUM}{_WHO}\s+(?:were |have been |had been |are |reportedly |been )?(?:reported |reportedly )?{verbs}",  # noqa: E501
            re.I,
        ),
        re.compile(
            rf"\b(?:death toll|toll)\s+(?:rose to|reached|of|stood at|climbed to)\s+{_QUAL}{_NUM}", re.I
        ),
    ]
    if verb == "killed":
        window = re.search(rf"{_RANGE.pattern}\s+(?:\w+\s+){{0,3}}{_KILLED}", sentence, re.I)
        window = window or re.search(rf"{_KILLED}\s+{_RANGE.pattern}", sentence, re.I)
    else:
        window = re.search(rf"{_RANGE.pattern}\s+(?:\w+\s+){{0,3}}{_INJURED}", sentence, re.I)
    if window:
        found = _RANGE.search(window.group(0))
        assert found is not None
        low, high = sorted((_count(found.group(1)), _count(found.group(2))))
        return Estimate(low, None, high), Span(offset + window.start(), offset + window.end()), 0.8
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            qualifier, number = match.group(1), match.group(2)
            try:
                value = _count(number)
            except KeyError:
                continue
            span = Span(offset + match.start(), offset + match.end())
            vague = number.casefold() in ("dozens", "scores")
            estimate = Estimate(value, None, None) if vague else _estimate(qualifier, value)
            return estimate, span, 0.5 if vague else 0.85
    return None


def extract_events(doc: ReadDocument, gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Events a document reports, one candidate per sentence that has an event trigger."""
    candidates: list[Candidate] = []
    provinces = provinces_named(doc)
    dataset = dataset_of(doc)
    for sentence in doc.sentences():
        candidate = _event_in(doc, sentence, gazetteer, provinces, dataset, len(candidates) + 1)
        if candidate is not None:
            candidates.append(candidate)
    return candidates


def _event_in(
    doc: ReadDocument,
    sentence: Span,
    gazetteer: Gazetteer | None,
    provinces: set[str],
    dataset: str,
    number: int,
) -> Candidate | None:
    text = doc.text[sentence.start : sentence.end]
    trigger = _trigger(text)
    if trigger is None:
        return None
    match, event_type, sub_type, type_confidence = trigger
    if _MODAL.search(text[: match.start()]):
        return None  # threatened, hoped for or conditional: not an event that happened
    evidence = [Evidence("event_type", _at(sentence, match), type_confidence)]
    actors = _actors(text, sentence.start)
    first = [a for a in actors if a[1].start < sentence.start + match.start() and not a[0].target_only]
    second = [a for a in actors if a[1].start >= sentence.start + match.start()]
    attackers = [a for a in second if not a[0].target_only][:1]
    actor1 = _side(first or attackers)
    remaining = [a for a in second if actor1 is None or a[0].name != actor1.name]
    if actor1 is not None:
        remaining = [a for a in remaining if a[0].name not in actor1.associated]
    actor2 = _side(remaining)
    if actor1 is not None:
        evidence.append(Evidence("actor1", (first or attackers)[0][1], 0.7))
    if actor2 is not None:
        evidence.append(Evidence("actor2", remaining[0][1], 0.6))
    if event_type == "Battles" and sub_type != "Armed clash":
        takers = first or attackers
        if takers and not takers[0][0].government:
            sub_type = "Non-state actor overtakes territory"
    target = _target(text, sentence.start)
    civilian = False
    tags = None
    if target is not None:
        kind, span, civilian = target
        evidence.append(Evidence("target", span, 0.7))
        tags = f"target: {kind}"
        if civilian and actor2 is None and event_type != "Strategic developments":
            actor2 = CIVILIANS
    fatalities = read_count(text, sentence.start, "killed")
    injured = read_count(text, sentence.start, "injured")
    if fatalities is not None:
        evidence.append(Evidence("fatalities", fatalities[1], fatalities[2]))
    if injured is not None:
        evidence.append(Evidence("injured", injured[1], injured[2]))
    place = read_place(doc, sentence, gazetteer, provinces)
    if place is not None:
        evidence.append(Evidence("place", place.span, place.confidence))
    when = read_date(text, sentence.start, doc.published_on)
    if when is not None:
        start, end, precision = when.start, when.end, when.precision
        evidence.append(Evidence("date", when.span, when.confidence))
    elif doc.published_on is not None:
        start, end, precision = doc.published_on - timedelta(days=6), doc.published_on, 2
    else:
        return None
    admin = dict(enumerate(name for _, name in place.chain[1:])) if place else {}
    # "According to the Syrian Observatory for Human Rights, ...": the named source first, then the report.
    said = find_attribution(doc, sentence)
    sources = [doc.source]
    if said is not None:
        sources.insert(0, Source(publisher=said.name, published_on=doc.published_on))
        evidence.append(Evidence("source", said.span, said.confidence))
    event = Event(
        key=RecordKey(dataset, f"event-{number}"),
        event_type=event_type,
        sub_event_type=sub_type,
        date_start=start,
        date_end=end if end and end != start else None,
        date_precision=DatePrecision(PrecisionScheme.ACLED, precision),
        actor1=actor1,
        actor2=actor2,
        civilian_targeting=civilian and event_type not in ("Battles", "Strategic developments"),
        country_iso="SYR" if place is not None and place.pcode else None,
        admin1=admin.get(0),
        admin2=admin.get(1),
        admin3=admin.get(2),
        location_name=place.name if place else None,
        place_pcode=place.pcode if place else None,
        point=place.point if place else None,
        geo_precision=GeoPrecision(PrecisionScheme.ACLED, place.precision) if place else None,
        fatalities=fatalities[0] if fatalities else Estimate(),
        injured=injured[0] if injured else Estimate(),
        notes=" ".join(text.split()),
        tags=tags,
        sources=sources,
        status=EventStatus.UNDER_REVIEW,
    )
    weights = [e.confidence for e in evidence]
    missing = (place is None or place.pcode is None) + (when is None)
    confidence = round(sum(weights) / len(weights) * (1 - 0.15 * missing), 2)
    return Candidate("event", event, evidence, confidence, doc)


_MODAL = re.compile(
    r"\b(?:threaten(?:s|ed)? to|would|could|might|may|plans? to|planned to|hoping|hopes? to|unless|if)\b",
    re.I,
)


def _at(sentence: Span, match: re.Match[str]) -> Span:
    return Span(sentence.start + match.start(), sentence.start + match.end())


def _trigger(text: str) -> tuple[re.Match[str], str, str, float] | None:
    for pattern, event_type, sub_type, confidence in TRIGGERS:
        match = pattern.search(text)
        if match is None:
            continue
        if sub_type == "Air/drone strike" and not re.search(
            r"strike|raid|bomb|attack|hit|struck|target", text, re.I
        ):
            continue  # "planes" alone is not a strike
        if sub_type == "Shelling/artillery/missile attack" and not re.search(
            r"shell|fire|fired|struck|hit|pound|attack|support|kill|target", text, re.I
        ):
            continue
        if event_type == "Battles" and sub_type != "Armed clash" and not _actors(text, 0):
            continue  # "entered" without a fighting party is not a territorial change
        return match, event_type, sub_type, confidence
    return None


def _actors(text: str, offset: int) -> list[tuple[ActorPattern, Span]]:
    found: list[tuple[ActorPattern, Span]] = []
    for actor in ACTORS:
        for match in actor.pattern.finditer(text):
            found.append((actor, Span(offset + match.start(), offset + match.end())))
    found.sort(key=lambda item: item[1].start)
    # "Russian and Syrian aircraft" names both: Syria is associated with the Russian mention.
    result: list[tuple[ActorPattern, Span]] = []
    for actor, span in found:
        if any(a.name == actor.name for a, _ in result):
            continue
        result.append((actor, span))
    return result


def _side(mentions: list[tuple[ActorPattern, Span]]) -> Actor | None:
    if not mentions:
        return None
    lead = mentions[0][0]
    allies = tuple(a.name for a, _ in mentions[1:] if a.government == lead.government and a.name != lead.name)
    return Actor(lead.name, lead.type, allies)


def _target(text: str, offset: int) -> tuple[str, Span, bool] | None:
    for pattern, kind, civilian in TARGETS:
        match = pattern.search(text)
        if match is not None:
            return kind, Span(offset + match.start(), offset + match.end()), civilian
    return None


__all__ = ["ACTORS", "TARGETS", "TRIGGERS", "extract_events", "read_count"]
