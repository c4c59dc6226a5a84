"""Reported figures read from prose: "some 900,000 people have fled since December, according to the UN".

For each number phrase (:mod:`haven.read.numbers`) the reader looks, in the sentence around it, for what
it counts (the metric, from the counted noun and the verb that governs it), a subgroup (children,
women), the hedge before it (the qualifier), the period it counts ("since December", resolved against
the publication date), the area ("in the province", resolved by the gazetteer when one is given) and who
said it ("according to the United Nations", "the Observatory said"). A number whose metric cannot be
told is left out. Each field keeps the span it was read from and a confidence.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from haven.model import Figure, Qualifier, RecordKey, Source
from haven.read._common import NOT_PLACES_IN_SYRIA, accepted_place, letter_led
from haven.read.analysis import lemma
from haven.read.attribution import Attribution, find_attribution
from haven.read.candidates import Candidate, Evidence
from haven.read.documents import ReadDocument, Span, parse_date
from haven.read.names import Name, could_be_place
from haven.read.numbers import NumberMention, find_numbers

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from haven.geo import Gazetteer

DATASET = "read"

QUALIFIERS: list[tuple[re.Pattern[str], Qualifier]] = [
    (re.compile(r"\b(?:more than|over|upwards of|in excess of|above|exceeding)\s+$", re.I), Qualifier.OVER),
    (re.compile(r"\b(?:nearly|almost|close to|just under|just shy of)\s+$", re.I), Qualifier.ALMOST),
    (re.compile(r"\b(?:at least|no fewer than|no less than|a minimum of)\s+$", re.I), Qualifier.AT_LEAST),
    (re.compile(r"\b(?:up to|as many as|as much as|fewer than|less than|under)\s+$", re.I), Qualifier.UP_TO),
    (
        re.compile(
            r"\b(?:some|about|around|approximately|roughly|an estimated|estimated|an approximate|"
            r"almost exactly|circa|c\.|some estimated)\s+$",
            re.I,
        ),
        Qualifier.ABOUT,
    ),
]

# Verbs (lemmas) that say what people counted went through.
VERB_METRICS = {
    "flee": "displaced", "displace": "displaced", "uproot": "displaced", "escape": "displaced",
    "evacuate": "displaced", "leave": "displaced", "move": "displaced", "drive": "displaced",
    "kill": "killed", "die": "killed", "perish": "killed", "slay": "killed", "massacre": "killed",
    "injure": "injured", "wound": "injured", "hurt": "injured", "maim": "injured",
    "host": "hosted", "harbor": "hosted", "harbour": "hosted", "shelter": "hosted", "house": "hosted",
    "need": "in_need", "require": "in_need", "depend": "in_need", "rely": "in_need",
    "live": "population", "return": "returned",
    "arrive": "displaced",
}  # fmt: skip
# Verbs that say what happened to people only when the people are their object: "lost 59 soldiers",
# "pushed thousands of people towards the border" (but "pushed the toll to 41", "lost ground").
OBJECT_VERB_METRICS = {"lose": "killed", "push": "displaced", "force": "displaced"}
# Fighters pushed somewhere are moved, not displaced.
_FIGHTERS = {"troop", "soldier", "fighter", "rebel", "militant", "insurgent", "jihadist", "combatant"}
# Nouns that say what happened to the people counted in their "of" phrase: "the bodies of 472
# civilians", "the displacement of 900,000 people".
OF_NOUN_METRICS = {
    "body": "killed", "death": "killed", "killing": "killed", "murder": "killed", "funeral": "killed",
    "displacement": "displaced", "exodus": "displaced", "flight": "displaced", "evacuation": "displaced",
    "injury": "injured", "wounding": "injured", "return": "returned",
}  # fmt: skip
# Verb forms that are never nouns, though a headline's missing subject may get them tagged as such.
_NEVER_NOUNS = {"flee", "flees", "fled", "die", "dies", "died", "perish", "perished", "arrive", "arrived"}
# Nouns that stand for an amount of something: "the number of people displaced has reached 900,000".
_AMOUNT_NOUNS = {"number", "total", "count", "tally", "figure"}
# Verbs after which the predicate says what the subject is: "2.8 million people are in need".
_COPULAS = {"be", "remain", "stay"}
# Counted nouns that, "home to" a number of them, are hosted rather than living there.
_HOSTED_NOUNS = {"refugee", "syrian", "idp", "idps", "migrant", "asylum-seeker"}
# Nouns (lemmas) that are themselves what is counted.
NOUN_METRICS = {
    "truck": "trucks", "lorry": "trucks", "refugee": "refugees", "idp": "displaced", "idps": "displaced",
    "death": "killed", "fatality": "killed", "body": "killed", "casualty": "killed", "troop": "troops",
    "soldier": "troops", "school": "schools", "hospital": "health_facilities", "clinic": "health_facilities",
    "facility": "health_facilities", "tent": "tents", "camp": "camps", "resident": "population",
    "inhabitant": "population", "airstrike": "air_strikes", "strike": "air_strikes", "raid": "air_strikes",
    "vehicle": "vehicles",
}  # fmt: skip
# Words after the counted noun that say what happened to it: "people displaced", "children in need".
_POST_METRICS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(?:displaced|flee|flees|fled|fleeing|uprooted|on the move|forced (?:to flee|from))\b", re.I
        ),
        "displaced",
    ),
    (re.compile(r"\b(?:killed|dead|died|dying|lost their lives)\b", re.I), "killed"),
    (re.compile(r"\b(?:injured|wounded|hurt)\b", re.I), "injured"),
    (
        re.compile(
            r"\b(?:in need|needing|requiring|needs?\s+(?:humanitarian|aid|assistance|help|food))\b", re.I
        ),
        "in_need",
    ),
    (re.compile(r"\b(?:in tents)\b", re.I), "tents"),
    (
        re.compile(
            r"\b(?:in the open|without shelter|makeshift shelters?|under (?:the )?(?:olive )?trees)\b", re.I
        ),
        "without_shelter",
    ),
    (re.compile(r"\b(?:returned|returning)\b", re.I), "returned"),
]
_SENTENCE_METRICS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:displacement|displaced|fled|fleeing|exodus|uprooted)\b", re.I), "displaced"),
    (re.compile(r"\b(?:killed|killing|death toll|dead)\b", re.I), "killed"),
    (re.compile(r"\b(?:injured|wounded)\b", re.I), "injured"),
    (re.compile(r"\b(?:in need of|humanitarian assistance|need aid)\b", re.I), "in_need"),
]
PEOPLE = {
    "people", "person", "civilian", "individual", "syrian", "resident", "inhabitant", "refugee", "idp",
    "child", "woman", "man", "family", "household", "girl", "boy", "patient", "student", "worker", "other",
    "soldier", "troop", "fighter", "rebel", "teacher", "member", "doctor", "nurse", "paramedic",
    "volunteer", "journalist", "personnel", "serviceman", "officer", "medic", "militant", "insurgent",
    "jihadist", "gunman", "combatant", "staff", "employee", "villager", "pupil", "infant", "baby", "adult",
    "relative", "labourer", "laborer", "farmer", "shepherd",
}  # fmt: skip
SUBGROUPS = {
    "child": "children", "children": "children", "girl": "children", "boy": "children", "woman": "women",
    "women": "women", "family": "families", "families": "families", "household": "families",
}  # fmt: skip
_INCLUDING = re.compile(
    r"\b(?:including|includes|included|include|among them|among whom|of whom|of them|among those)\b"
    r",?[^.;:,]{0,25}$",
    re.I,
)
# "33 soldiers" count troops, "110,000 residents" a population, unless something happened to them.
_WEAK_NOUNS = {"troop", "soldier", "resident", "inhabitant"}
_SHARE = re.compile(
    r"\s+of\s+(?:the|those|them)\s+(?:\w+\s+)?(?:are|were|have been|had been)\s+(?:also\s+)?"
    r"(children|women|families|girls|boys)\b",
    re.I,
)
_HOSTS = re.compile(
    r"\b(?:(home to|hosts?|hosting|harbou?rs?|shelters)|(population of))\s+(?:[a-z]+\s+){0,2}$"
    r"|\b(?:a|the)\s+(?:town|city|village|camp|community)\s+(of)\s+(?:(?:about|around|some|nearly|almost|"
    r"roughly|over|more than|an estimated)\s+)?$",
    re.I,
)
# "nine civilians, four of them children": a part of the figure just before.
_PART_OF = re.compile(r"\s+of\s+(?:them|whom|those)\b", re.I)
_OF_WHOM = re.compile(
    r"\s+of\s+(?:whom|them)\s+(?:are|were|have been|had been)\s+(?:now\s+|also\s+|already\s+)?(\w+)", re.I
)
_ANAPHORIC_AREA = re.compile(
    r"\b(?:in|across|throughout|inside) (the (?:province|governorate|region|area))\b", re.I
)

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
_EXPLICIT = rf"(?:\d{{1,2}}\s+(?:{_MONTH})\.?(?:,?\s+\d{{4}})?|(?:{_MONTH})\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?)"
_PERIODS = re.compile(
    rf"""
    \bsince\s+(?:(?P<since_start>the\s+(?:start|beginning)\s+of\s+(?:the\s+year|(?:{_MONTH})))
        |(?P<since_explicit>{_EXPLICIT})|(?P<since_month>(?:early\s+|mid-?|late\s+)?(?:{_MONTH})(?:\s+\d{{4}})?)\b)
    |\bbetween\s+(?P<between_a>{_EXPLICIT})\s+and\s+(?P<between_b>{_EXPLICIT})
    |\b(?:in|over|during)\s+the\s+(?:past|last)\s+(?P<past_n>\d+|\w+)\s+(?P<past_unit>days?|weeks?|months?|hours)
    |\b(?P<last>last|this|past)\s+(?P<last_unit>week|month|weekend)\b
    |\bas\s+of\s+(?P<as_of>{_EXPLICIT}|(?:{_MONTH})\s+\d{{4}})
    |\bin\s+(?P<in_month>(?:{_MONTH}))\b(?!\s+\d{{1,2}}\b)
    |\b(?P<yesterday>yesterday|on\s+(?:{"|".join(_WEEKDAYS)}))\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Every period phrase starts with a word: "since", "between", "in", "last", "as of", "yesterday", "on".
_LETTER_LED_PERIODS = letter_led(_PERIODS)
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|stated|warned|added|announced|reported)\s+$", re.I)
_THAT_INCLUDES = re.compile(r"^\s*(?:that|this)\s+(?:includes|included)\b", re.I)
_OF_THE = re.compile(r"\s+of\s+(?:the\s+|these\s+|those\s+)?")
_WOMEN_AND_CHILDREN = re.compile(r"\s+(?:\w+\s+)?(?:of\s+)?(women and children|children and women)\b", re.I)
_CLAUSE_END = re.compile(r"[,;:(]|\b(?:and|but|while|whereas|since|after|according)\b")
_POPULATION_WORDS = re.compile(r"\b(?:in|living in|across|inside|home to|population of|trapped in)\b")
_AREA_WORD_BEFORE = re.compile(r"\b(?:in|across|inside|throughout|of|to)\s+(?:the\s+)?$", re.I)
_LEADING_THE = re.compile(r"^the\s+", re.I)


# Below this confidence a metric was guessed from words near the number rather than read from what
# happened to the counted noun.
_FIRM = 0.8


@dataclass
class _Found:
    """A field's value with where it was read and how sure the reader is."""

    value: object
    span: Span | None
    confidence: float


def extract_figures(doc: ReadDocument, gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Propose the figures a document reports, each as a ``Candidate(kind="figure")``."""
    # Only sentences that state a number need spaCy's parse; they are analysed together, in one batch.
    with_numbers = [
        (sentence, mentions)
        for sentence in doc.sentences()
        if (mentions := list(find_numbers(doc.text, sentence.start, sentence.end)))
    ]
    analysed = doc.analyse(sentence for sentence, _ in with_numbers)
    candidates: list[Candidate] = []
    key_base = hashlib.sha1(doc.text.encode()).hexdigest()[:12]
    for chars, mentions in with_numbers:
        sentence = analysed.char_span(chars.start, chars.end, alignment_mode="expand")
        if sentence is None:
            continue
        said = find_attribution(doc, Span(sentence.start_char, sentence.end_char))
        for mention in mentions:
            candidate = _read_figure(doc, analysed, sentence, mention, said, candidates, gazetteer, key_base)
            if candidate is not None:
                candidates.append(candidate)
    return _without_restatements(candidates)


def _without_restatements(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per figure: a headline or a summary's bullet restated in the body ("Six civilians
    killed in raids on al-Atareb" ... "Six civilians were killed on Tuesday in raids on ...") is the
    same figure; the statement that says more about it is kept, the later one if neither does."""
    kept: list[Candidate] = []
    seen: dict[tuple[float, str, str], list[int]] = {}  # (value, metric, subgroup) -> places in kept
    for candidate in candidates:
        figure: Figure = candidate.record
        places = seen.setdefault((figure.value, figure.metric, figure.subgroup), [])
        twin = next((i for i in places if _restates(kept[i].record, figure)), None)
        if twin is None:
            places.append(len(kept))
            kept.append(candidate)
        elif len(candidate.evidence) >= len(kept[twin].evidence):
            kept[twin] = candidate  # the body, later, says at least as much as its headline
    if len(kept) == len(candidates):
        return candidates
    return sorted(kept, key=lambda c: c.evidence[0].span.start)


def _restates(first: Figure, second: Figure) -> bool:
    """Whether two figures of the same count of the same people have nothing that tells them apart
    (a different period, place or source; a field only one of them gives does not)."""
    fields = ("period_start", "period_end", "as_of", "area_name")
    if any(
        None not in (getattr(first, f), getattr(second, f)) and getattr(first, f) != getattr(second, f)
        for f in fields
    ):
        return False
    said = [figure.sources[0].publisher if len(figure.sources) > 1 else None for figure in (first, second)]
    return None in said or said[0] == said[1]


def _read_figure(
    doc: ReadDocument,
    analysed: Doc,
    sentence: SpacySpan,
    mention: NumberMention,
    said: Attribution | None,
    earlier: list[Candidate],
    gazetteer: Gazetteer | None,
    key_base: str,
) -> Candidate | None:
    text = doc.text
    number_tokens = analysed.char_span(mention.start, mention.end, alignment_mode="expand")
    if number_tokens is None or len(number_tokens) == 0:
        return None
    number = number_tokens[-1]
    noun = _counted_noun(number, mention, text)
    anchor = noun if noun is not None else number
    before = text[sentence.start_char : mention.start]

    # A part of the figure just before it: "including an estimated 500,000 children", "nine civilians,
    # four of them children".
    parent: Candidate | None = None
    if _INCLUDING.search(before) or _THAT_INCLUDES.match(before) or _PART_OF.match(text, mention.end):
        parent = _previous_figure(earlier, mention.start)

    subgroup = _subgroup(noun, mention, text)
    metric = _metric(doc, analysed, sentence, number, noun, mention)
    if parent is not None and (metric is None or metric.confidence < _FIRM):
        # A part counts what the whole counts, unless its own words say so clearly.
        parent_figure: Figure = parent.record
        metric = _Found(parent_figure.metric, None, 0.75)
    if metric is None:
        return None
    if (
        metric.value == "population"
        and subgroup is None
        and noun is not None
        and lemma(noun).lower() == "family"
    ):
        subgroup = _Found("families", Span(noun.idx, noun.idx + len(noun.text)), 0.8)

    qualifier = _qualifier(text, mention)
    period = _period(doc, sentence, mention)
    if period is None and parent is not None:
        parent_figure = parent.record
        if parent_figure.period_start or parent_figure.period_end or parent_figure.as_of:
            period = _Found(
                (parent_figure.period_start, parent_figure.period_end, parent_figure.as_of), None, 0.6
            )
    area = _area(doc, analysed, sentence, anchor, metric, gazetteer)
    attribution = _Found(said.name, said.span, said.confidence) if said else None
    if attribution is None and parent is not None:
        parent_source = parent.evidence and [e for e in parent.evidence if e.field == "source"]
        if parent_source:
            attribution = _Found(parent.record.sources[0].publisher, parent_source[0].span, 0.6)

    dates: tuple[date | None, date | None, date | None] = period.value if period else (None, None, None)  # type: ignore[assignment]
    period_start, period_end, as_of = dates
    sources = []
    if attribution is not None:
        sources.append(Source(publisher=str(attribution.value), published_on=doc.published_on))
    sources.append(doc.source)
    place: tuple[str | None, str | None] = area.value if area else (None, None)  # type: ignore[assignment]
    area_name, area_pcode = place
    record = Figure(
        key=RecordKey(DATASET, f"{key_base}:figure:{mention.start}-{mention.end}"),
        metric=str(metric.value),
        value=mention.value,
        qualifier=qualifier.value,  # type: ignore[arg-type]
        subgroup=str(subgroup.value) if subgroup else "all",
        as_of=as_of,
        period_start=period_start,
        period_end=period_end,
        reported_on=doc.published_on,
        area_name=area_name,
        area_pcode=area_pcode,
        sources=sources,
    )
    value_confidence = 0.6 if mention.vague else 0.95
    evidence = [Evidence("value", Span(mention.start, mention.end), value_confidence)]
    for name, found in (
        ("metric", metric),
        ("subgroup", subgroup),
        ("qualifier", qualifier),
        ("period", period),
        ("area", area),
        ("source", attribution),
    ):
        if found is not None and found.span is not None:
            evidence.append(Evidence(name, found.span, found.confidence))
    confidence = round(min(value_confidence, metric.confidence) * (0.9 if parent else 1.0), 3)
    return Candidate(kind="figure", record=record, evidence=evidence, confidence=confidence, document=doc)


# --- what is counted -------------------------------------------------------------------------------


def _counted_noun(number: Token, mention: NumberMention, text: str) -> Token | None:
    """The noun a number counts: "900,000 people", "tens of thousands of children", or None ("dozens")."""
    doc = number.doc
    of_whom = _OF_WHOM.match(text, mention.end)
    if of_whom:
        found = doc.char_span(of_whom.start(1), of_whom.end(1), alignment_mode="expand")
        if found is not None and len(found):
            return found[0]
    part_of = _PART_OF.match(text, mention.end)
    if part_of and number.head.pos_ == "NOUN" and number.head.idx >= part_of.end():
        return number.head  # "four of them children": the number's head after "of them"
    following = _OF_THE.match(text[mention.end :])
    if following:
        index = _token_at(doc, mention.end + following.end())
        if index is not None:
            for token in doc[index : index + 3]:
                if token.pos_ in {"NOUN", "PROPN"}:
                    return token
                if token.pos_ not in {"ADJ", "NUM"}:
                    break
    modifies = number.dep_ in {"nummod", "quantmod", "compound", "amod"}
    if modifies and number.head.pos_ in {"NOUN", "PROPN"} and number.head.i > number.i:
        return number.head
    for token in doc[number.i + 1 : number.i + 4]:
        if token.pos_ in {"NOUN", "PROPN"}:
            # "tens of thousands flee bombing": a verb that is never a noun, tagged as one in a
            # headline, is what happened to the number, not what it counts.
            return None if token.lower_ in _NEVER_NOUNS else token
        if token.pos_ not in {"ADJ", "NUM", "ADV"} and token.text.lower() not in {"displaced", "syrian"}:
            break
    return _amount_of(number)


def _amount_of(number: Token) -> Token | None:
    """What an amount that the number gives is of: "the number of people displaced has reached
    900,000", "the total of civilians killed stands at 41" (the people), from the verb's subject."""
    verb = number.head
    if verb.pos_ == "ADP" and number.dep_ == "pobj":  # "has risen to 216,432", "stands at 41"
        verb = verb.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    for subject in verb.children:
        if subject.dep_ not in {"nsubj", "nsubjpass"} or lemma(subject).lower() not in _AMOUNT_NOUNS:
            continue
        for of in subject.children:
            if of.dep_ == "prep" and of.lower_ == "of":
                return next((token for token in of.children if token.dep_ == "pobj"), None)
    return None


def _token_at(doc: Doc, char: int) -> int | None:
    """The first token starting at or after ``char`` (a binary search: token offsets only grow)."""
    low, high = 0, len(doc)
    while low < high:
        middle = (low + high) // 2
        if doc[middle].idx >= char:
            high = middle
        else:
            low = middle + 1
    return low if low < len(doc) else None


def _subgroup(noun: Token | None, mention: NumberMention, text: str) -> _Found | None:
    after = text[mention.end : mention.end + 60]
    both = _WOMEN_AND_CHILDREN.match(after)
    if both:
        start = mention.end + both.start(1)
        return _Found("women_and_children", Span(start, mention.end + both.end(1)), 0.9)
    # "180,000 of the displaced are children": a share of a group, said to be of a subgroup.
    share = _SHARE.match(after)
    if share:
        start = mention.end + share.start(1)
        return _Found(SUBGROUPS[share.group(1).lower()], Span(start, mention.end + share.end(1)), 0.85)
    if noun is None:
        return None
    name = SUBGROUPS.get(lemma(noun).lower()) or SUBGROUPS.get(noun.text.lower())
    if name is None:
        return None
    return _Found(name, Span(noun.idx, noun.idx + len(noun.text)), 0.9)


def _metric(
    doc: ReadDocument,
    analysed: Doc,
    sentence: SpacySpan,
    number: Token,
    noun: Token | None,
    mention: NumberMention,
) -> _Found | None:
    anchor = noun if noun is not None else number
    text = doc.text

    def at(token: Token, confidence: float, metric: str) -> _Found:
        return _Found(metric, Span(token.idx, token.idx + len(token.text)), confidence)

    governing = _governing_verb(anchor)
    noun_lemma = lemma(noun).lower() if noun is not None else None
    lead = text[max(sentence.start_char, mention.start - 40) : mention.start]
    hosts = _HOSTS.search(lead)
    if hosts and (noun_lemma is None or noun_lemma in PEOPLE | {"refugee", "syrian"}):
        start = mention.start - len(lead) + hosts.start()
        # "Turkey, home to 3.6 million Syrians" hosts them; "the region is home to three million
        # people" is where they live.
        hosted = hosts.group(1) is not None and (
            hosts.group(1).lower() != "home to" or noun_lemma is None or noun_lemma in _HOSTED_NOUNS
        )
        return _Found("hosted" if hosted else "population", Span(start, start + len(hosts.group())), 0.8)
    if noun is not None and noun_lemma is not None:
        if noun_lemma in NOUN_METRICS and noun_lemma not in _WEAK_NOUNS:
            metric = NOUN_METRICS[noun_lemma]
            if (
                metric == "refugees"
                and governing is not None
                and VERB_METRICS.get(lemma(governing)) == "hosted"
            ):
                return at(governing, 0.85, "hosted")
            return at(noun, 0.85, metric)
        if noun_lemma not in PEOPLE and noun.text.lower() not in {"people", "children", "women", "syrians"}:
            return None  # counts something else: "20 miles", "three years", "500 tonnes"
    # What follows the counted noun: "people displaced", "children in need".
    rest_end = min(sentence.end_char, anchor.idx + len(anchor.text) + 40)
    rest_start = anchor.idx + len(anchor.text)
    found = _post_metric(analysed, text, rest_start, rest_end, 0.85)
    if found is not None:
        return found
    # What the predicate says the counted people are: "2.8 million people across the northwest were
    # already in need of assistance".
    if anchor.dep_ in {"nsubj", "nsubjpass"} and lemma(anchor.head).lower() in _COPULAS:
        copula = anchor.head
        if copula.idx > anchor.idx:
            right = copula.right_edge
            end = min(sentence.end_char, right.idx + len(right.text), copula.idx + 80)
            found = _post_metric(analysed, text, copula.idx + len(copula.text), end, 0.8)
            if found is not None:
                return found
    # The noun whose "of" phrase holds them: "the bodies of 472 civilians".
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "of":
        holder = anchor.head.head
        of_metric = OF_NOUN_METRICS.get(lemma(holder).lower()) if holder.pos_ == "NOUN" else None
        if of_metric is not None:
            return at(holder, 0.85, of_metric)
    if governing is not None:
        verb_lemma = lemma(governing).lower()
        verb_metric = VERB_METRICS.get(verb_lemma)
        if verb_metric is None:
            for child in governing.children:  # "forced 900,000 people to flee"
                if child.dep_ in {"xcomp", "advcl", "ccomp"} and lemma(child).lower() in VERB_METRICS:
                    return at(child, 0.8, VERB_METRICS[lemma(child).lower()])
        if verb_metric is not None:
            return at(governing, 0.85, verb_metric)
        object_metric = OBJECT_VERB_METRICS.get(verb_lemma)
        if (
            object_metric is not None
            and any(t.head.i == governing.i and t.dep_ in {"dobj", "nsubjpass"} for t in (anchor, number))
            and not (object_metric == "displaced" and noun_lemma in _FIGHTERS)
        ):
            return at(governing, 0.8, object_metric)
    if noun is not None:
        # What the counted noun is said to be before it: "47 wounded people", "5,000 displaced families".
        for modifier in noun.lefts:
            if modifier.dep_ == "amod" and modifier.i > number.i:
                end = modifier.idx + len(modifier.text)
                found = _post_metric(analysed, text, modifier.idx, end, 0.8, attributive=True)
                if found is not None:
                    return found
    if noun_lemma is not None and noun_lemma in _WEAK_NOUNS:
        return at(noun, 0.6, NOUN_METRICS[noun_lemma])  # type: ignore[arg-type]
    if noun is not None:
        # "3 million civilians in the province", "home to 4 million people"
        local = text[max(sentence.start_char, mention.start - 30) : rest_end]
        place = _POPULATION_WORDS.search(local)
        if place:
            start = max(sentence.start_char, mention.start - 30) + place.start()
            return _Found("population", Span(start, start + len(place.group())), 0.6)
    for pattern, metric in _SENTENCE_METRICS:
        for match in pattern.finditer(text, sentence.start_char, sentence.end_char):
            if abs(match.start() - mention.start) >= 80 or _attributive(analysed, match.start()):
                continue
            return _Found(metric, Span(match.start(), match.end()), 0.5)
    return None


def _post_metric(
    analysed: Doc, text: str, start: int, end: int, confidence: float, *, attributive: bool = False
) -> _Found | None:
    """A metric said by words in ``text[start:end]`` up to the end of their clause ("displaced", "in
    need"), unless the word describes another noun ("five members of a displaced family") and
    ``attributive`` is false."""
    rest = _CLAUSE_END.split(text[start:end], maxsplit=1)[0]
    for pattern, metric in _POST_METRICS:
        for match in pattern.finditer(rest):
            if not attributive and _attributive(analysed, start + match.start()):
                continue
            return _Found(metric, Span(start + match.start(), start + match.end()), confidence)
    return None


def _attributive(analysed: Doc, char: int) -> bool:
    """Whether the word at ``char`` is an adjective of a noun after it ("a displaced family")."""
    index = _token_at(analysed, char)
    if index is None:
        return False
    token = analysed[index]
    return token.dep_ == "amod" and token.head.i > token.i


def _governing_verb(token: Token) -> Token | None:
    """The verb a noun phrase hangs from, through prepositions and conjunctions (at most four steps)."""
    current = token
    for _ in range(4):
        if current.head is current:
            return current if current.pos_ in {"VERB", "AUX"} else None
        current = current.head
        if current.pos_ == "VERB" or (current.pos_ == "AUX" and current.dep_ == "ROOT"):
            return current
    return None


def _previous_figure(earlier: list[Candidate], before: int) -> Candidate | None:
    for candidate in reversed(earlier):
        value = candidate.evidence_for("value")
        if value is not None and before - value.span.end < 400 and candidate.record.subgroup == "all":
            return candidate
    return None


def _qualifier(text: str, mention: NumberMention) -> _Found:
    before = text[max(0, mention.start - 25) : mention.start]
    for pattern, qualifier in QUALIFIERS:
        match = pattern.search(before)
        if match:
            start = mention.start - len(before) + match.start()
            return _Found(qualifier, Span(start, start + len(match.group().rstrip())), 0.9)
    if mention.vague:
        return _Found(Qualifier.AT_LEAST, None, 0.5)
    return _Found(Qualifier.EXACT, None, 0.7)


# --- when --------------------------------------------------------------------------------------------


def _period(doc: ReadDocument, sentence: SpacySpan, mention: NumberMention) -> _Found | None:
    """The period a figure counts, or its as-of date: the nearest date phrase in its sentence."""
    published = doc.published_on
    best: tuple[int, re.Match[str]] | None = None
    for match in _LETTER_LED_PERIODS.finditer(doc.text, sentence.start_char, sentence.end_char):
        if _SAID_BEFORE.search(doc.text[max(0, match.start() - 12) : match.start()]):
            continue  # "Lowcock said last week": when it was said, not what was counted
        distance = abs(match.start() - mention.start)
        if best is None or distance < best[0]:
            best = (distance, match)
    if best is None:
        return None
    match = best[1]
    resolved = _resolve_period(match, published)
    if resolved is None:
        return None
    return _Found(resolved, Span(match.start(), match.end()), 0.8)


def _resolve_period(
    match: re.Match[str], published: date | None
) -> tuple[date | None, date | None, date | None]:
    anchor = published
    if match["since_start"]:
        words = match["since_start"].lower()
        if anchor is None:
            return None  # type: ignore[return-value]
        month_name = words.rsplit(" ", 1)[-1]
        if month_name in _MONTHS:
            return (_last_month_start(_MONTHS[month_name], anchor), None, None)
        return (date(anchor.year, 1, 1), None, None)
    if match["since_explicit"]:
        return (parse_date(match["since_explicit"], relative_to=anchor), None, None)
    if match["since_month"]:
        words = match["since_month"].lower()
        year = re.search(r"\d{4}", words)
        month = _MONTHS[re.search(_MONTH, words)[0]]  # type: ignore[index]
        day = 15 if words.startswith("mid") else 1
        if year:
            return (date(int(year[0]), month, day), None, None)
        if anchor is None:
            return None  # type: ignore[return-value]
        return (_last_month_start(month, anchor).replace(day=day), None, None)
    if match["between_a"]:
        start = parse_date(match["between_a"], relative_to=anchor)
        end = parse_date(match["between_b"], relative_to=anchor)
        if start and end and end < start:
            return None  # type: ignore[return-value]
        return (start, end, None)
    if match["as_of"]:
        return (None, None, parse_date(match["as_of"], relative_to=anchor))
    if anchor is None:
        return None  # type: ignore[return-value]
    if match["past_n"]:
        n_text = match["past_n"].lower()
        n = int(n_text) if n_text.isdigit() else _NUMBER_WORDS.get(n_text, 1)
        unit = match["past_unit"].lower().rstrip("s")
        days = {"day": n, "week": 7 * n, "month": 30 * n, "hour": max(1, n // 24)}[unit]
        return (anchor - timedelta(days=days), anchor, None)
    if match["last"]:
        which, unit = match["last"].lower(), match["last_unit"].lower()
        if unit == "month":
            if which == "this":
                return (anchor.replace(day=1), anchor, None)
            end = anchor.replace(day=1) - timedelta(days=1)
            return (end.replace(day=1), end, None)
        monday = anchor - timedelta(days=anchor.weekday())
        if which == "this":
            return (monday, anchor, None)
        if which == "past":
            return (anchor - timedelta(days=7), anchor, None)
        return (monday - timedelta(days=7), monday - timedelta(days=1), None)
    if match["in_month"]:
        month = _MONTHS[match["in_month"].lower()]
        start = _last_month_start(month, anchor)
        last_day = calendar.monthrange(start.year, month)[1]
        return (start, min(start.replace(day=last_day), anchor) if start <= anchor else None, None)
    if match["yesterday"]:
        words = match["yesterday"].lower()
        if words == "yesterday":
            when = anchor - timedelta(days=1)
        else:
            weekday = _WEEKDAYS[words.split()[-1]]
            when = anchor - timedelta(days=(anchor.weekday() - weekday) % 7)
        return (when, when, None)
    return None  # type: ignore[return-value]


def _last_month_start(month: int, anchor: date) -> date:
    """The first day of the latest ``month`` that began on or before ``anchor``."""
    year = anchor.year if month <= anchor.month else anchor.year - 1
    return date(year, month, 1)


# --- where ------------------------------------------------------------------------------------------------


def _area(
    doc: ReadDocument,
    analysed: Doc,
    sentence: SpacySpan,
    anchor: Token,
    metric: _Found,
    gazetteer: Gazetteer | None,
) -> _Found | None:
    """The place a figure is for: the host of "hosted" figures, else a place named just after it."""
    place: Name | None = None
    if metric.value == "hosted":
        verb = _governing_verb(anchor)
        if verb is not None:
            subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is not None and subject.lower_ in {"which", "that", "who"} and verb.dep_ == "relcl":
                subject = verb.head
            if subject is not None:
                place = _name_at(doc, subject.idx)
    if place is None:
        window_end = min(sentence.end_char, anchor.idx + len(anchor.text) + 60)
        after = doc.text[anchor.idx + len(anchor.text) : window_end]
        anaphor = _ANAPHORIC_AREA.search(after)
        chars = Span(sentence.start_char, sentence.end_char)
        for name in doc.names_in(chars):
            if not anchor.idx < name.span.start < window_end or not _is_place(name, gazetteer):
                continue
            preceding = doc.text[max(sentence.start_char, name.span.start - 12) : name.span.start]
            introduced = _AREA_WORD_BEFORE.search(preceding)
            if introduced and (anaphor is None or anaphor.start() > name.span.start - anchor.idx):
                place = name
                break
        if place is None and anaphor is not None:
            start = anchor.idx + len(anchor.text) + anaphor.start(1)
            named = _last_place_before(doc, start, gazetteer)
            span = Span(start, start + len(anaphor.group(1)))
            if named is None:
                return _Found((anaphor.group(1), None), span, 0.3)
            return _Found(_resolve_place(named.text, gazetteer), span, 0.6)
    if place is None:
        return None
    name_text, pcode = _resolve_place(place.text, gazetteer)
    return _Found((name_text, pcode), place.span, 0.8 if pcode or not gazetteer else 0.6)


def _is_place(name: Name, gazetteer: Gazetteer | None) -> bool:
    """Whether a name names a place: one the gazetteer knows, or a country or capital abroad (without
    a gazetteer: any name that is not an organisation's or a person's by its words)."""
    if not could_be_place(name):
        return False
    if gazetteer is None or name.text.casefold() in NOT_PLACES_IN_SYRIA:
        return True
    return _resolve_place(name.text, gazetteer)[1] is not None


def _name_at(doc: ReadDocument, char: int) -> Name | None:
    return next((name for name in doc.names() if char in name.span), None)


def _last_place_before(doc: ReadDocument, char: int, gazetteer: Gazetteer | None) -> Name | None:
    """The last place named before ``char`` that "the province" or "the region" can refer back to."""
    for name in reversed(doc.names()):
        if name.span.end > char or not could_be_place(name) or name.text.casefold() in NOT_PLACES_IN_SYRIA:
            continue
        if gazetteer is not None:
            if _resolve_place(name.text, gazetteer)[1] is not None:
                return name
        elif name.place_cue:
            return name
    return None


def _resolve_place(name: str, gazetteer: Gazetteer | None) -> tuple[str, str | None]:
    name = _LEADING_THE.sub("", name.strip())
    if gazetteer is None or name.casefold() in NOT_PLACES_IN_SYRIA:
        return name, None  # "3.6 million Syrians in Turkey": Turkey, not a Syrian village of that name
    best = accepted_place(name, gazetteer.resolve(name, fuzzy=False), cued=False)
    return name, best.pcode if best is not None else None


# --- who said it --------------------------------------------------------------------------------------------
