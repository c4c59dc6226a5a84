"""Agreements, ceasefires, deadlines and proposed zones read from a report.

A ceasefire or truce that parties "agreed", "announced" or "signed" is an ``Agreement`` of kind
ceasefire ("from midnight" sets its start to the next midnight after the publication day when no day is
named); a deadline ("by the end of this week", "until the end of February") is an ``Agreement`` of kind
deadline whose ``effective_to`` is that day, resolved against the publication date; a proposed "safe
zone" (or buffer, demilitarised zone) "about 20 miles deep along the border" is a zone candidate: a dict
with a recipe (:func:`haven.geo.zones.buffer_recipe` of the Turkey-Syria border, clipped to Syria) and the
places it should include, resolved by the gazetteer. Nothing is saved here.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from haven.geo import Gazetteer, Status
from haven.geo.zones import buffer_recipe
from haven.model import Agreement, AgreementKind, RecordKey
from haven.read._common import MONTHS, dataset_of, read_date
from haven.read.candidates import Candidate, Evidence
from haven.read.documents import ReadDocument, Span

BORDER_LINE = "turkey-syria-border"

_DEADLINE = re.compile(
    r"\b(?:by|until|before|no later than)\s+(?:the\s+)?end of\s+(this|next|the)\s+(week|month)\b"
    r"|\b(?:by|until|before)\s+(?:the\s+)?end of\s+(" + "|".join(MONTHS) + r")\b",
    re.I,
)
_CEASEFIRE = re.compile(
    r"\b(?:agreed|announced|signed|reached|brokered|declared)\b[^.]{0,60}?\b(cease-?fire|truce)\b", re.I
)
_FROM_MIDNIGHT = re.compile(r"\bfrom midnight\b", re.I)
_ZONE = re.compile(r"\b(safe zone|buffer zone|demilitari[sz]ed zone|security zone)\b", re.I)
_DEPTH = re.compile(
    r"\b(?:about|some|around|roughly|nearly)?\s*(\d+(?:\.\d+)?)[-\s]?(miles?|mi|kilometres?|kilometers?|km)\b",
    re.I,
)
_INCLUDING = re.compile(r"\binclud(?:ing|es|e)\s+((?:the\s+)?[\w ,'-]+?)(?:[.;]|$| that| which)", re.I)
_PARTIES = {
    "Turkey": re.compile(r"\bTurk(?:ey|ish)\b|\bErdogan\b", re.I),
    "Russia": re.compile(r"\bRussia(?:n)?\b|\bPutin\b|\bMoscow\b", re.I),
    "Syria": re.compile(r"\bAssad\b|\bSyrian government\b|\bDamascus\b", re.I),
}


def _parties(text: str) -> tuple[str, ...]:
    return tuple(name for name, pattern in _PARTIES.items() if pattern.search(text))


def _end_of(match: re.Match[str], published: date) -> date:
    if match.group(3):
        month = MONTHS.index(match.group(3).casefold()) + 1
        year = published.year if month >= published.month else published.year + 1
        first_next = date(year + (month == 12), month % 12 + 1, 1)
        return first_next - timedelta(days=1)
    which, unit = match.group(1).casefold(), match.group(2).casefold()
    if unit == "week":
        sunday = published + timedelta(days=6 - published.weekday())
        return sunday + timedelta(days=7) if which == "next" else sunday
    first_next = (published.replace(day=28) + timedelta(days=4)).replace(day=1)
    if which == "next":
        first_next = (first_next.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_next - timedelta(days=1)


def extract_agreements(doc: ReadDocument, gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Ceasefires and deadlines (``Agreement`` candidates) and proposed zones (dict candidates)."""
    found: list[Candidate] = []
    dataset = dataset_of(doc)
    for sentence in doc.sentences():
        text = doc.text[sentence.start : sentence.end]
        deadline = _DEADLINE.search(text)
        if deadline and doc.published_on is not None:
            day = _end_of(deadline, doc.published_on)
            span = Span(sentence.start + deadline.start(), sentence.start + deadline.end())
            record = Agreement(
                key=RecordKey(dataset, f"agreement-{len(found) + 1}"),
                name=f"Deadline: {' '.join(text.split())[:120]}",
                kind=AgreementKind.DEADLINE,
                parties=_parties(text),
                effective_to=datetime.combine(day, time(23, 59)),
                provisions=" ".join(text.split()),
                sources=[doc.source],
            )
            found.append(Candidate("agreement", record, [Evidence("effective_to", span, 0.7)], 0.7, doc))
        ceasefire = _CEASEFIRE.search(text)
        if ceasefire:
            evidence = [
                Evidence(
                    "kind", Span(sentence.start + ceasefire.start(), sentence.start + ceasefire.end()), 0.8
                )
            ]
            when = read_date(text, sentence.start, doc.published_on)
            start: datetime | None = None
            if when is not None:
                start = datetime.combine(when.start, time())
                evidence.append(Evidence("effective_from", when.span, when.confidence))
            midnight = _FROM_MIDNIGHT.search(text)
            if midnight:
                base = when.start if when else doc.published_on
                if base is not None:
                    start = datetime.combine(base + timedelta(days=1), time())
                    span = Span(sentence.start + midnight.start(), sentence.start + midnight.end())
                    evidence.append(Evidence("effective_from", span, 0.7))
            record = Agreement(
                key=RecordKey(dataset, f"agreement-{len(found) + 1}"),
                name=f"Ceasefire: {' '.join(text.split())[:120]}",
                kind=AgreementKind.CEASEFIRE,
                parties=_parties(text),
                signed_on=when.start if when else doc.published_on,
                effective_from=start,
                provisions=" ".join(text.split()),
                sources=[doc.source],
            )
            found.append(Candidate("agreement", record, evidence, 0.75, doc))
        zone = _ZONE.search(text)
        if zone:
            found.append(_zone(doc, sentence, text, zone, gazetteer, len(found) + 1))
    return found


def _zone(
    doc: ReadDocument,
    sentence: Span,
    text: str,
    zone: re.Match[str],
    gazetteer: Gazetteer | None,
    number: int,
) -> Candidate:
    def at(match: re.Match[str], group: int = 0) -> Span:
        return Span(sentence.start + match.start(group), sentence.start + match.end(group))

    evidence = [Evidence("kind", at(zone), 0.8)]
    depth = _DEPTH.search(text)
    recipe = None
    if depth and "border" in text.casefold():
        unit = depth.group(2).casefold()
        unit = "mi" if unit.startswith("mi") else "km"
        recipe = buffer_recipe(BORDER_LINE, float(depth.group(1)), unit, side="both", within="SY")
        evidence.append(Evidence("distance", at(depth), 0.75))
    includes: list[dict[str, object]] = []
    including = _INCLUDING.search(text)
    if including:
        evidence.append(Evidence("includes", at(including, 1), 0.6))
        for part in re.split(r",| and ", including.group(1)):
            name = part.strip().removeprefix("the ").strip()
            if not name or not name[:1].isupper():
                continue
            entry: dict[str, object] = {"name": name, "pcode": None}
            if gazetteer is not None:
                resolution = gazetteer.resolve(name, fuzzy=False)
                if resolution.status is Status.RESOLVED and resolution.best is not None:
                    entry["pcode"] = resolution.best.pcode
            includes.append(entry)
    record = {
        "name": f"{dataset_of(doc)}:zone-{number}",
        "kind": zone.group(1).casefold(),
        "recipe": recipe,
        "includes": includes,
        "parties": list(_parties(text)),
        "description": " ".join(text.split()),
    }
    confidence = 0.7 if recipe else 0.4
    return Candidate("zone", record, evidence, confidence, doc)


__all__ = ["BORDER_LINE", "extract_agreements"]
