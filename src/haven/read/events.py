"""Conflict events read from a report, in ACLED's taxonomy, each field tied to the words it came from.

A sentence proposes an event when it has a trigger ("air strikes", "shelling", "clashes",
"recaptured", "agreed a ceasefire", "gunmen killed"), the first in the sentence, which gives the ACLED
event type and sub-type; one event per village when it lists several. The actors named before the
trigger are the first side, those after it the second; the place is the most precise one the gazetteer
resolves (geo precision 1 a town, 2 near or "countryside of" a town or a sub-district, 3 a district or
province); the date is read in the sentence and resolved against the publication date, else taken from
the event told before, else the week before publication; fatalities and injured keep what the text
states ("at least 22" is low = best = 22 without a ceiling, "between 29 and 33" is low 29, high 33).
Sentences that go on about an event told before add to it ("The strike hit ... near Balyun") rather
than propose another.

Every event enters as :attr:`EventStatus.UNDER_REVIEW`, keyed ``read:<document id>`` /
``event-<n>``, with the document's source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

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
from haven.read._common import PlaceReading, Places, dataset_of, dateline_end, letter_led
from haven.read.attribution import find_attribution
from haven.read.candidates import Candidate, Evidence
from haven.read.casualties import read_count
from haven.read.documents import ReadDocument, Span
from haven.read.event_dates import (
    When,
    again,
    clause_date,
    dated_heading,
    days_after,
    event_date,
    opens_period,
    own_date,
)

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
            r"\b(?:air[ -]?strikes?|air[ -]?raids?|drone strikes?|air attacks?|barrel bombs?|"
            r"bomb(?:ed|ing|ings|ardment)?)\b",
            re.I,
        ),
        "Explosions/Remote violence",
        "Air/drone strike",
        0.8,
    ),
    (
        re.compile(
            r"\b(?:(?:war)?planes?|aircraft|jets|helicopters|drones|unmanned aerial vehicles?|UAVs?)\b", re.I
        ),
        "Explosions/Remote violence",
        "Air/drone strike",
        0.6,
    ),
    (
        # "struck artillery positions and rocket launchers": what was hit, not what fired
        re.compile(
            r"\b(?:shell(?:ed|ing|s)?|artillery|rockets?|missiles?|mortars?)\b"
            r"(?!\s+(?:positions?|launchers?|batter(?:y|ies)|depots?|pieces?|emplacements?))",
            re.I,
        ),
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        0.75,
    ),
    (
        re.compile(
            r"\b(?:car bomb|roadside bomb|motorcycle bomb|IED|landmine|explosive device)s?\b"
            r"|\bbooby-trapped\b|\b(?:bomb|explosive)-laden\b",
            re.I,
        ),
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        0.75,
    ),
    (
        re.compile(
            r"\b(?:recaptur(?:ed|es|ing)|retook|retaken|retaking|regain(?:ed|s|ing)|captur(?:ed|es|ing)|"
            r"seiz(?:ed|es|ing)|overran|(?:advanced|pushed|stormed|swept|moved) into|entered|fell to|"
            r"liberat(?:ed|es|ing))\b"
            # "say they have taken Kafranbel"
            r"|\b(?:took|taken)\s+(?-i:[A-Z])(?=[\w'-]+)"
            # "took control on Sunday, 16 February, of the towns of ..."
            r"|\b(?:took|taken|taking|take|takes) control\b(?:\s+[^.;]{0,40}?)?\s+of\b"
            # "taking the villages of ...": took a place, not "took refuge" or "took part"
            r"|\b(?:took|taken|taking|take)\s+(?:over\s+)?(?:the\s+)?(?:(?:strategic|key|nearby|"
            r"neighbouring|neighboring|\w+-held)\s+)?(?:towns?|villages?|city|hills?)\b",
            re.I,
        ),
        "Battles",
        "Government regains territory",  # or "Non-state actor overtakes territory", by who took it
        0.65,
    ),
    (
        re.compile(
            r"\b(?:clash(?:ed|es)?|fighting|battled|battles?|fought|firefights?|offensive against|"
            r"(?:traded|exchanged|exchanging|trading) (?:\w+ )?fire|exchanges? of (?:\w+ )?fire|"
            r"broke through|broken through|break through)\b",
            re.I,
        ),
        "Battles",
        "Armed clash",
        0.65,
    ),
    (
        # An attack on an armed side's positions is a battle (ACLED), not violence against civilians.
        re.compile(
            r"\b(?:attack(?:ed|s|ing)?|assault(?:ed|s)?|stormed)\b(?=[^.;]{0,40}?\b(?:positions?|posts?|"
            r"troops|forces|soldiers|bases?|checkpoints?|fighters|army)\b)"
            r"|\b(?:repelled|repulsed|thwarted|fought off|foiled)\s+(?:an?\s+)?(?:\w+\s+)?"
            r"(?:attack|assault|offensive|attempt|advance|incursion|push)",
            re.I,
        ),
        "Battles",
        "Armed clash",
        0.6,
    ),
    (
        re.compile(
            r"\b(?:agreed|signed|announced|reached|brokered|sealed)\b[^.]{0,60}?\b(?:cease-?fire|truce|"
            r"agreement|deal)\b"
            # "The truce that Russia and Turkey agreed in Moscow": the accord named before its verb
            r"|\b(?:cease-?fire|truce|agreement|deal)\s+(?:that|which)\s+[^.,;]{0,40}?\b(?:agreed|signed|"
            r"reached|brokered|sealed)\b"
            # "The ceasefire they agreed on 5 March", "the deal Putin and Erdogan sealed in Moscow"
            r"|\b(?:cease-?fire|truce|agreement|deal)\s+(?:that\s+|which\s+)?(?:they|both sides|the two "
            r"(?:sides|countries|leaders|presidents)|(?-i:[A-Z])[\w'-]+(?:\s+(?:and\s+)?(?-i:[A-Z])[\w'-]+){0,5})"
            r"\s+(?:had\s+|have\s+)?(?:agreed|signed|reached|sealed)\b"
            # "The truce, agreed on Thursday", "The ceasefire was agreed on Wednesday in Istanbul"
            r"|\b(?:cease-?fire|truce|agreement|deal)(?:,\s+(?:which was\s+|that was\s+)?|\s+(?:was|had been|"
            r"has been)\s+)(?:agreed|signed|reached|sealed)\b",
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
            rf"regime (?:forces|troops|units|aircraft|planes|helicopters|positions)|"
            rf"government (?:forces|troops|units)|Assad(?:'s)? forces|SAA|the army|army units|"
            # the UN's words: "Government of Syria (GoS) forces"
            rf"Government of Syria (?:\(GoS\) )?(?:forces|troops)|GoS (?:forces|troops)|"
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


def extract_events(doc: ReadDocument, gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Events a document reports: one per sentence with an event trigger (one per place when it names
    several: "shelling was reported in Saraqab and Maar Dibsi").

    A sentence that goes on about the event before it ("The strike hit Turkish positions near
    Balyun") proposes nothing of its own but gives that event the place it lacked; one that only
    refers back to an event ("fled the fighting", "killed in the fighting around the town") is passed
    over. A sentence without a date of its own takes the date of its section's heading or of the event
    told before it, as a wire report tells one day's events; "the same day" and "the next day" count
    from it. A later clause of another kind with a town of its own tells its own event ("..., while
    artillery shelled Sarmin"). A sentence with neither a day nor a town, nor anyone hit, that does not
    go on with the story just told, is a summary and proposes nothing (:mod:`haven.read.event_dates`
    reads the dates, :mod:`haven.read.casualties` the counts).
    """
    read = [(sentence, *_kind_of(doc.text[sentence.start : sentence.end])) for sentence in doc.sentences()]
    places = Places(doc, gazetteer, [sentence for sentence, c, trigger, _ in read if c or trigger])
    dataset = dataset_of(doc)
    dateline = dateline_end(doc.text)
    candidates: list[Candidate] = []
    told_in = -2  # the sentence that told the latest event
    heading: tuple[int, When] | None = None  # a section's dated heading ("Qminas, February 5")
    for index, (sentence, continuation, trigger, reference) in enumerate(read):
        text = doc.text[sentence.start : sentence.end]
        if trigger is None and continuation is None:
            dated = dated_heading(text, sentence.start, doc.published_on)
            heading = (index, dated) if dated is not None else heading
        told = _told_before(candidates, continuation.group("noun")) if continuation else None
        if told is not None and not _tells_another(trigger, told, continuation):
            if not own_date(text, doc.published_on, told):
                _give_place(told, places.in_sentence(sentence))
            told_in = index
            continue
        if trigger is None:
            continue
        if reference is not None:
            referred = _told_before(candidates, reference.group("noun"))
            if referred is not None and not _elsewhere(places.in_sentence(sentence), referred):
                continue  # "killed in the fighting", "but the offensive has": one told before
        earlier = candidates
        if trigger[1] == _AS_BEFORE:
            if not candidates:
                continue
            # "was also hit": by what hit the places before (a strike, shelling), not a battle
            hit = [i for i, c in enumerate(candidates) if c.record.event_type == "Explosions/Remote violence"]
            earlier = candidates[: hit[-1] + 1] if hit else candidates
            before: Event = earlier[-1].record
            trigger = (trigger[0], before.event_type, before.sub_event_type or before.event_type, trigger[3])
        cut = max(0, dateline - sentence.start)  # the dateline's date is the report's, not the event's
        clauses = _clauses(text, trigger, places, sentence)
        main = Span(sentence.start, clauses[0][1].start) if clauses else sentence
        # The first event's date, in its own clause if it states one (a later clause's "the next
        # morning" is that clause's).
        own_clause = text[cut : max(cut, main.end - sentence.start)]
        section = heading[1] if heading is not None and heading[0] > told_in else None
        start, published = sentence.start + cut, doc.published_on
        when = event_date(own_clause, start, published, earlier, trigger[0], section)
        if clauses and when is not None and when.span is None:
            when = event_date(text[cut:], start, published, earlier, trigger[0], section)
        if when is None or opens_period(doc.text, when.span):
            continue  # "Since 14 December, air strikes ...": what has gone on since, not one event
        if when.span is None and _GOES_ON.match(text, trigger[0].end()):
            continue  # "as bombardment continues": what goes on, on no day
        found: list[PlaceReading | None] = [*places.all_in_sentence(main)]
        if not any(_local(place) for place in found):
            found = [*places.all_in_sentence(sentence, tuple(where for _, where, _ in clauses))]
        # The story of the event just told goes on, with someone acting or something hit ("Turkey
        # retaliated by shelling government positions").
        going_on = told_in == index - 1 and bool(_actors(text, 0) or _target(text, 0))
        found = found or [None]
        if when.span is None and not going_on and not _placed_or_hit(found, text):
            # Neither a day nor a town of its own, nor anyone hit, and not the next step of the story
            # just told ("the air force kept up its strikes across the province", "the number of air
            # strikes remained high"): a summary or a reference, not an event a reviewer could place.
            continue
        told_in = index
        for day in (when, *again(doc, when)):
            for place in found:
                first = place is found[0] and day is when
                number = len(candidates) + 1
                candidates.append(
                    _event(doc, sentence, text, trigger, place, day, dataset, number, counts=first)
                )
        for clause, where, other in clauses:
            clause_when = clause_date(doc, clause, text, other[0], when)
            for place in places.all_in_sentence(where):
                if _local(place):
                    number = len(candidates) + 1
                    candidates.append(
                        _event(doc, sentence, text, other, place, clause_when, dataset, number, counts=False)
                    )
    return candidates


def _elsewhere(place: PlaceReading | None, told: Candidate) -> bool:
    """Whether a sentence's "the air strike" happened in another town than the one told before."""
    return _local(place) and place is not None and place.pcode != told.record.place_pcode


def _placed_or_hit(found: list[PlaceReading | None], sentence: str) -> bool:
    return any(_local(place) for place in found) or _has_victims(sentence)


_Trigger = tuple[re.Match[str], str, str, float]
_NEAR_WINDOW = 100  # characters before a trigger that the patterns ending at it can reach


def _words_before(text: str, match: re.Match[str]) -> str:
    return text[max(0, match.start() - _NEAR_WINDOW) : match.start()]


# Where a clause of its own may begin: "..., while regime artillery shelled ...", "...; shelling hit ...".
_CLAUSE_BREAK = re.compile(r",\s+|;\s+|\s+(?:while|whereas|as|and)\s+", re.I)


def _clauses(text: str, first: _Trigger, places: Places, sentence: Span) -> list[tuple[Span, Span, _Trigger]]:
    """Further events a sentence tells in clauses of their own, after its first: a trigger of another
    kind after a clause break, with a town or village of its own ("... pounded Ariha on Saturday,
    while regime artillery shelled the outskirts of Maasaran"; "battled insurgents at Saraqeb, a day
    after capturing the villages of Kafr Battikh and Dadikh"). Each is the clause (in the document's
    characters), the part of it that names where (after the trigger, or the whole clause when the
    trigger is a passive verb: "the village of Afs was shelled") and its trigger; none when the
    sentence tells one kind of event."""
    if first[1] == _AS_BEFORE:
        return []
    # Most sentences have no trigger after a clause break after the first: two searches tell.
    opening = _CLAUSE_BREAK.search(text, first[0].end())
    if opening is None or not _ANY_TRIGGER.search(text, opening.end()):
        return []
    later: list[_Trigger] = []
    for pattern, event_type, sub_type, confidence in _LETTER_LED_TRIGGERS:
        for match in pattern.finditer(text, first[0].end()):
            if event_type == "Explosions/Remote violence" and _BACKGROUND.search(_words_before(text, match)):
                continue
            if _stands(text, match, event_type, sub_type):
                later.append((match, event_type, sub_type, confidence))
            break
    if not later:
        return []
    later.sort(key=lambda t: t[0].start())
    # One word, one trigger: "roadside bomb" is an explosive device, not a bomb dropped from the air.
    later = [
        t for i, t in enumerate(later) if not any(o[0].start() < t[0].start() < o[0].end() for o in later[:i])
    ]
    clauses: list[tuple[Span, Span, _Trigger]] = []
    last = first
    for i, trigger in enumerate(later):
        if trigger[2] == last[2] or trigger[0].start() < last[0].end():
            continue
        end = next((t[0].start() for t in later[i + 1 :] if t[2] != trigger[2]), len(text))
        # The clause opens at the latest break after which it names a town of its own: "..., and the
        # next morning the village of Khan al-Subul, south of the town, was shelled".
        for found in reversed(list(_CLAUSE_BREAK.finditer(text, last[0].end(), trigger[0].start()))):
            head = text[found.end() : trigger[0].start()]
            near = head[-_NEAR_WINDOW:]
            if not _happened(head) or _THE_BEFORE.search(near):
                break
            span = Span(sentence.start + found.end(), sentence.start + end)
            # "the village of al-Hader after fierce clashes": a town before an active trigger is another's
            where = span if _PASSIVE.search(near) else Span(sentence.start + trigger[0].start(), span.end)
            if any(_local(place) for place in places.all_in_sentence(where)):
                if clauses and clauses[-1][0].end > span.start:
                    previous, previous_where, previous_trigger = clauses[-1]
                    clauses[-1] = (
                        Span(previous.start, span.start),
                        Span(previous_where.start, min(previous_where.end, span.start)),
                        previous_trigger,
                    )
                clauses.append((span, where, trigger))
                last = trigger
                break
    return clauses


_PASSIVE = re.compile(r"\b(?:was|were|been|is|are|came under|come under|comes under)\s+(?:\w+\s+)?$", re.I)


def _tells_another(trigger: _Trigger | None, told: Candidate, continuation: re.Match[str] | None) -> bool:
    """Whether a sentence that opens on an event told before ("The raids came a day after ...") goes on
    to tell another kind of event ("... sparking fierce clashes around Jarjanaz")."""
    if trigger is None or continuation is None or trigger[1] == _AS_BEFORE:
        return False
    event: Event = told.record
    return trigger[0].start() >= continuation.end() and trigger[2] != event.sub_event_type


def _has_victims(sentence: str) -> bool:
    """Whether a sentence says whom an event hit: people killed or injured, or civilians attacked by
    a named side ("Russian and Syrian aircraft have been bombing civilian targets")."""
    if read_count(sentence, 0, "killed") is not None or read_count(sentence, 0, "injured") is not None:
        return True
    target = _target(sentence, 0)
    return target is not None and target[2] and any(not a.target_only for a, _ in _actors(sentence, 0))


def _local(place: PlaceReading | None) -> bool:
    """Whether a place is a town or village, or a sub-district: somewhere an event can be put."""
    return place is not None and place.pcode is not None and (place.level or 0) >= 3


def _happened(before: str) -> bool:
    """Whether the words before a trigger let it tell an event: not one threatened or hoped for
    ("would", "threatened to"), one that goes on ("continued shelling"), or one people fled ("fled the
    fighting"). The patterns that end at the trigger need only the words just before it."""
    near = before[-_NEAR_WINDOW:]
    return not (_MODAL.search(before) or _ONGOING.search(near) or _FLED.search(near))


def _kind_of(text: str) -> tuple[re.Match[str] | None, _Trigger | None, re.Match[str] | None]:
    """What a sentence may do: go on about an event told before ("The strike hit ...": the match of its
    opening words), tell an event (its trigger), or name one told before ("killed in the fighting":
    the match of those words). Which it does depends on the events told before it."""
    continuation = _CONTINUATION.match(text)
    trigger = _trigger(text)
    if trigger is None:
        also = _ALSO_HIT.search(text)  # "Saraqib was also hit": one more of the event before
        return continuation, (also, _AS_BEFORE, _AS_BEFORE, 0.5) if also else None, None
    before = text[: trigger[0].start()]
    near = before[-_NEAR_WINDOW:]
    if not _happened(before) or _HAVING.search(near):
        return continuation, None, None  # "having taken ...": done before, on no day told
    if trigger[2] == "Government regains territory" and _TAKEN_AGAIN.match(text, trigger[0].end()):
        return continuation, None, None  # "had 'liberated' the towns": the towns told of before
    the = _THE_BEFORE.search(near)
    # "The bombing of a market ..." opening a report tells an event; "killed in the fighting" does not.
    opens = the is not None and the.start() + len(before) - len(near) == 0
    reference = _REFERENCE.match(text, trigger[0].start()) if the and not opens else None
    return continuation, trigger, reference


# "The strike hit ...", "The fighting around the town ...": the sentence goes on about the event before.
_EVENT_NOUNS = (
    r"(?:air[ -]?strikes?|drone strikes?|strikes?|raids?|attacks?|assault|shelling|bombing|bombardment|"
    r"fighting|clashes|battle|offensive|advance|explosion|blast)"
)
_CONTINUATION = re.compile(
    rf"^(?:the|this|that)\s+(?:(?:latest|deadly|heavy|fierce|intense|russian|syrian|turkish|government|"
    rf"rebel|same)\s+)?(?P<noun>{_EVENT_NOUNS})\b(?!\s+(?:on|in|near|against)\b)",
    re.I,
)
# What kind of event each of those nouns goes on about (an event type or sub-type).
_NOUN_KINDS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"strike|raid|bomb", re.I), ("Air/drone strike",)),
    (re.compile(r"shelling", re.I), ("Shelling/artillery/missile attack",)),
    (re.compile(r"explosion|blast", re.I), ("Explosions/Remote violence",)),
    (re.compile(r"fighting|clashes|battle|offensive|advance|assault", re.I), ("Battles",)),
    (re.compile(r"attack", re.I), ("Explosions/Remote violence", "Battles", "Violence against civilians")),
]
# "... killed in the clashes": the trigger, after "the", names an event told before (if one was).
_THE_BEFORE = re.compile(
    r"\b(?:the|this|that|these|those)\s+(?:(?:latest|deadly|heavy|fierce|intense|ongoing|renewed|recent|"
    r"government|regime|russian|syrian)\s+)?$",
    re.I,
)
_REFERENCE = re.compile(rf"(?P<noun>{_EVENT_NOUNS})\b", re.I)
# "... fled the fighting", "driven out by the bombing": what people fled, not an event on a day.
_FLED = re.compile(
    r"\b(?:fled|fleeing|flee|escaped|escaping|displaced by|driven out by|uprooted by|because of|due to|"
    r"amid)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.I,
)
# "Saraqib was also hit": an event of the same kind as the one before, somewhere else.
_ALSO_HIT = re.compile(
    r"\b(?:was|were|had been|have been)\s+also\s+(?:hit|struck|targeted|bombed|shelled|attacked|pounded)\b"
    r"|\balso\s+(?:hit|struck|targeted|bombed|shelled|pounded)\b",
    re.I,
)
_AS_BEFORE = "as the event before"
# "continued shelling", "weeks of bombardment": what goes on, not an event on a day.
_ONGOING = re.compile(
    r"\b(?:continued|continuing|ongoing|persistent|constant|daily|nightly|relentless|incessant|"
    r"(?:days|weeks|months|years) of|"
    # "the number of air strikes remained high", "a high tempo of air strikes": a count or a pace
    r"(?:number|numbers|pace|tempo|rate|scale|frequency|intensity|level) of|"
    # "has stopped the Russian air raids", "denied carrying out air strikes": none happened
    r"(?:stopped|halted|ended|ceased|prevented|denied|denies|deny)\s+(?:the\s+)?(?:\w+\s+)?)"
    r"\s*(?<=\s)(?:\w+\s+)?$",
    re.I,
)
# "having taken Maarat al-Numan, the army is closing in on Saraqib": done before, on no day told.
_HAVING = re.compile(r"\bhaving\s+(?:\w+\s+)?$", re.I)
_TAKEN_AGAIN = re.compile(
    r"\W{0,2}\s+(?:the\s+(?:towns?|villages?|city|area|areas)(?!\s+of\b|\s+and\s+(?:towns?|villages?)\b)"
    r"|them|it)\b(?!-)",
    re.I,
)
_GOES_ON = re.compile(r"\s+(?:continues|continue|goes on|go on|persists|persist|grinds on)\b", re.I)


def _told_before(candidates: list[Candidate], noun: str) -> Candidate | None:
    """The latest event of the kind a sentence's "The strike ..." goes on about."""
    kinds = next((kinds for pattern, kinds in _NOUN_KINDS if pattern.search(noun)), ())
    for candidate in reversed(candidates):
        event: Event = candidate.record
        if event.sub_event_type in kinds or event.event_type in kinds:
            return candidate
    return None


def _give_place(last: Candidate, place: PlaceReading | None) -> None:
    """Give an event the community a following sentence names, if it had none as precise."""
    event: Event = last.record
    if place is None or place.pcode is None or place.level != 4:
        return
    if event.place_pcode is not None and event.geo_precision is not None and event.geo_precision.code == 1:
        return
    evidence = [e for e in last.evidence if e.field != "place"]
    evidence.append(Evidence("place", place.span, place.confidence))
    last.record = replace(event, **_place_fields(place))
    last.evidence = evidence


def _place_fields(place: PlaceReading | None) -> dict[str, Any]:
    admin = dict(enumerate(name for _, name in place.chain[1:])) if place else {}
    return {
        "country_iso": "SYR" if place is not None and place.pcode else None,
        "admin1": admin.get(0),
        "admin2": admin.get(1),
        "admin3": admin.get(2),
        "location_name": place.name if place else None,
        "place_pcode": place.pcode if place else None,
        "point": place.point if place else None,
        "geo_precision": GeoPrecision(PrecisionScheme.ACLED, place.precision) if place else None,
    }


def _event(
    doc: ReadDocument,
    sentence: Span,
    text: str,
    trigger: tuple[re.Match[str], str, str, float],
    place: PlaceReading | None,
    when: When,
    dataset: str,
    number: int,
    *,
    counts: bool,
) -> Candidate:
    """One event candidate; ``counts``: whether the sentence's fatalities and injured are this event's
    (the first of several places) or another's."""
    match, event_type, sub_type, type_confidence = trigger
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
    if event_type == "Battles" and sub_type == "Government regains territory":
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
    fatalities = read_count(text, sentence.start, "killed") if counts else None
    injured = read_count(text, sentence.start, "injured") if counts else None
    if fatalities is not None:
        evidence.append(Evidence("fatalities", fatalities[1], fatalities[2]))
    if injured is not None:
        evidence.append(Evidence("injured", injured[1], injured[2]))
    if place is not None:
        evidence.append(Evidence("place", place.span, place.confidence))
    if when.span is not None:
        evidence.append(Evidence("date", when.span, when.confidence))
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
        date_start=when.start,
        date_end=when.end if when.end and when.end != when.start else None,
        date_precision=DatePrecision(PrecisionScheme.ACLED, when.precision),
        actor1=actor1,
        actor2=actor2,
        civilian_targeting=civilian and event_type not in ("Battles", "Strategic developments"),
        fatalities=fatalities[0] if fatalities else Estimate(),
        injured=injured[0] if injured else Estimate(),
        notes=" ".join(text.split()),
        tags=tags,
        sources=sources,
        status=EventStatus.UNDER_REVIEW,
        **_place_fields(place),
    )
    weights = [e.confidence for e in evidence]
    missing = (place is None or place.pcode is None) + (when.span is None)
    confidence = round(sum(weights) / len(weights) * (1 - 0.15 * missing), 2)
    return Candidate("event", event, evidence, confidence, doc)


_MODAL = re.compile(
    r"\b(?:threaten(?:s|ed)? to|would|could|might|may|will|plans? to|planned to|hoping|hopes? to|unless|if|"
    r"vow(?:s|ed)? to|pledg(?:es|ed) to)\b",
    re.I,
)


def _at(sentence: Span, match: re.Match[str]) -> Span:
    return Span(sentence.start + match.start(), sentence.start + match.end())


def _trigger(text: str) -> tuple[re.Match[str], str, str, float] | None:
    """The sentence's event trigger: the first in the sentence (among equals, the most specific kind)
    that is not a background ("troops backed by Russian air strikes") or a mere plane."""
    if not _ANY_TRIGGER.search(text):
        return None
    found: list[tuple[int, int, tuple[re.Match[str], str, str, float]]] = []
    for rank, (pattern, event_type, sub_type, confidence) in enumerate(_LETTER_LED_TRIGGERS):
        for match in pattern.finditer(text):
            if event_type == "Explosions/Remote violence" and _BACKGROUND.search(_words_before(text, match)):
                continue  # "troops backed by Russian air strikes": the strikes back another action
            if not _stands(text, match, event_type, sub_type):
                break
            found.append((match.start(), rank, (match, event_type, sub_type, confidence)))
            break
    if not found:
        return None
    first = min(found, key=lambda item: item[:2])[2]
    planted = (
        _PLANTED_BOMB.search(first[0].group()) and _EXPLODED.search(text) and not _FROM_THE_AIR.search(text)
    )
    if first[2] == "Air/drone strike" and planted:
        return (first[0], "Explosions/Remote violence", "Remote explosive/landmine/IED", first[3])
    # Of the words that say the same kind of event ("planes ... bombing"), the most telling is shown.
    first = min((item for item in found if item[2][2] == first[2]), key=lambda item: item[1])[2]
    if first[2] == "Armed clash":
        # A battle in which ground changed hands ("a counter-attack ..., retaking two villages") is
        # coded as the change of territory.
        taken = [item[2] for item in found if item[2][2] == "Government regains territory"]
        # ... unless the ground changed hands on another day ("battled ..., a day after capturing").
        if taken and not days_after(text, taken[0][0]):
            return taken[0]
    return first


# Any trigger at all: most sentences have none, and one search tells.
# Every trigger starts with a word of letters: a look-ahead for a letter spares the engine trying each
# alternative at every other place (the same matches, found about twice as fast).
_ANY_TRIGGER = re.compile(
    "(?=[a-z])(?:" + "|".join(f"(?:{pattern.pattern})" for pattern, *_ in TRIGGERS) + ")", re.I
)
_LETTER_LED_TRIGGERS: list[tuple[re.Pattern[str], str, str, float]] = [
    (letter_led(pattern), event_type, sub_type, confidence)
    for pattern, event_type, sub_type, confidence in TRIGGERS
]
# Actors and targets too start with a word of letters.
_LETTER_LED_ACTORS = [(actor, letter_led(actor.pattern)) for actor in ACTORS]
_LETTER_LED_TARGETS: list[tuple[re.Pattern[str], str, bool]] = [
    (letter_led(pattern), kind, civilian) for pattern, kind, civilian in TARGETS
]
# Words before a trigger that make it the backing of another action, not an event of its own.
_BACKGROUND = re.compile(
    r"\b(?:backed|supported|aided|covered|helped) by (?:[\w-]+ ){0,3}$|\bwith the (?:help|support|backing|"
    r"cover) of (?:[\w-]+ ){0,3}$|\bunder (?:the )?cover of (?:[\w-]+ ){0,3}$",
    re.I,
)


_STRIKE_WORDS = re.compile(
    r"strike|raid|bomb|attack|hit|struck|target|pound|pummel|flatten|destroy|slam", re.I
)
# "A bomb hidden on a motorcycle exploded": a bomb that went off, with nothing flying, was planted.
_PLANTED_BOMB = re.compile(r"^bombs?$", re.I)
_EXPLODED = re.compile(r"\b(?:explod|went off|detonat)", re.I)
_FROM_THE_AIR = re.compile(r"\b(?:air|plane|jet|aircraft|helicopter|drone|dropped|warplane)", re.I)
_BY_AFTER = re.compile(r"\s+by\b", re.I)
_HELD_LAND = re.compile(
    r"\b(?:territory|territories|areas?|towns?|villages?|land|lands|positions?|regions?|settlements?)\s+$",
    re.I,
)
# An explosive device that stood for an event: it went off, or hit or hurt someone.
_EXPLODED_WORDS = re.compile(rf"{_EXPLODED.pattern}|blast|struck|hit|kill|wound|injur", re.I)
_SHELLING_WORDS = re.compile(
    r"shell|fire|fired|struck|hit|pound|attack|support|kill|target|slam|rain|fell|landed", re.I
)


def _stands(text: str, match: re.Match[str], event_type: str, sub_type: str) -> bool:
    """Whether a trigger word says an event happened, by what the sentence says around it."""
    if sub_type == "Air/drone strike" and not _STRIKE_WORDS.search(text):
        return False  # "planes" alone is not a strike
    if sub_type == "Shelling/artillery/missile attack" and not _SHELLING_WORDS.search(text):
        return False
    if sub_type == "Remote explosive/landmine/IED" and not _EXPLODED_WORDS.search(text):
        return False  # "combing the area to remove mines and explosive devices"
    # "entered" without a fighting party is not a territorial change
    if event_type == "Battles" and sub_type == "Government regains territory":
        # "territory liberated by the army": a description; "Saraqib was captured by", "..., retaken by
        # government troops": an event
        if _BY_AFTER.match(text, match.end()) and _HELD_LAND.search(text[: match.start()]):
            return False
        return bool(_actors(text, 0))
    return True


def _actors(text: str, offset: int) -> list[tuple[ActorPattern, Span]]:
    return [(actor, Span(offset + start, offset + end)) for actor, start, end in _actor_mentions(text)]


@lru_cache(maxsize=16)
def _actor_mentions(text: str) -> tuple[tuple[ActorPattern, int, int], ...]:
    """Each actor a sentence names, first mention only, in order. Remembered for the last sentences:
    a trigger is weighed by them, then every event of a list of villages reads them again."""
    found = sorted(
        (
            (actor, match.start(), match.end())
            for actor, pattern in _LETTER_LED_ACTORS
            for match in pattern.finditer(text)
        ),
        key=lambda item: item[1],
    )
    # "Russian and Syrian aircraft" names both: Syria is associated with the Russian mention.
    result: list[tuple[ActorPattern, int, int]] = []
    for actor, start, end in found:
        if any(a.name == actor.name for a, _, _ in result):
            continue
        result.append((actor, start, end))
    return tuple(result)


def _side(mentions: list[tuple[ActorPattern, Span]]) -> Actor | None:
    if not mentions:
        return None
    lead = mentions[0][0]
    allies = tuple(a.name for a, _ in mentions[1:] if a.government == lead.government and a.name != lead.name)
    return Actor(lead.name, lead.type, allies)


def _target(text: str, offset: int) -> tuple[str, Span, bool] | None:
    for pattern, kind, civilian in _LETTER_LED_TARGETS:
        match = pattern.search(text)
        if match is not None:
            return kind, Span(offset + match.start(), offset + match.end()), civilian
    return None


__all__ = ["ACTORS", "TARGETS", "TRIGGERS", "extract_events", "read_count"]
