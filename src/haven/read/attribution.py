"""Who a sentence attributes its claims to: "according to the United Nations", "the Observatory said".

Shared by the figure and event readers, so a number and an event in the same sentence credit the same
source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from haven.read.analysis import lemma
from haven.read.documents import ReadDocument, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Attribution:
    name: str  # the source's full name where the text gives it ("Syrian Observatory for Human Rights")
    span: Span
    confidence: float


SAY_VERBS = {
    "say", "report", "estimate", "tell", "state", "announce", "warn", "document", "record", "count", "add",
    "note", "confirm", "put", "calculate", "tally",
}  # fmt: skip
_ACCORDING = re.compile(
    r"\b(?i:according to)\s+((?:the\s+)?[^,.;:()\"“”]{2,80}?)(?=\s*[,.;:()\"“”]|\s+(?:that|who)\b|$)"
)


def find_attribution(doc: ReadDocument, sentence_chars: Span) -> Attribution | None:
    """Who a sentence attributes what it says to: "according to X", "X said" (its subject, from
    spaCy's parse where the sentence was analysed, else the words before the verb)."""
    text = doc.text
    according = _ACCORDING.search(text, sentence_chars.start, sentence_chars.end)
    if according:
        name = _clean_source(according.group(1))
        if name:
            return Attribution(_full_name(text, name), Span(according.start(1), according.end(1)), 0.85)
    if doc.is_analysed(sentence_chars):
        return _parsed_subject(doc, sentence_chars)
    return _subject_before_verb(doc, sentence_chars)


def _parsed_subject(doc: ReadDocument, sentence_chars: Span) -> Attribution | None:
    text = doc.text
    analysed = doc.spacy_doc()
    sentence = analysed.char_span(sentence_chars.start, sentence_chars.end, alignment_mode="expand")
    if sentence is None:
        return None
    if not _SAY_FORMS.search(text, sentence_chars.start, sentence_chars.end):
        return None  # no form of a say-verb: no need to walk the parse
    for token in sentence:
        if token.pos_ != "VERB" or lemma(token).lower() not in SAY_VERBS:
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ == "PRON":
            continue
        tokens = [t for t in subject.subtree if t.dep_ not in {"punct"} and t.i < token.i]
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        name = _clean_source(text[start:end])
        if name and (_is_named(doc, analysed, start, end) or _OFFICIAL.search(name)):
            return Attribution(_full_name(text, name), Span(start, end), 0.75)
    return None


# A say-verb and the words before it back to the start of its clause.
_SAY_WORD = re.compile(
    r"\b(?:said|says|say|reported|reports|told|tells|estimated|estimates|stated|states|announced|"
    r"announces|warned|warns|documented|recorded|counted|confirmed|confirms|added|noted|calculated)\b"
)
# Every form of the say-verbs (lemmas in SAY_VERBS): a sentence with none has no say-verb to parse.
_SAY_FORMS = re.compile(
    # The look-ahead on the forms' first letters spares the engine trying every form at every word.
    r"\b(?=[acdenprstw])(?:said|says|say|saying|report|reported|reports|reporting|told|tell|tells|telling|"
    r"estimated|"
    r"estimates|estimate|estimating|stated|states|state|stating|announced|announces|announce|announcing|"
    r"warned|warns|warn|warning|documented|documents|document|documenting|recorded|records|record|"
    r"recording|counted|counts|count|counting|confirmed|confirms|confirm|confirming|added|adds|add|adding|"
    r"noted|notes|note|noting|calculated|calculates|calculate|put|puts|putting|tallied|tallies|tally)\b",
    re.I,
)
_CLAUSE_START = re.compile(r"(?:^|[,;:(\u2014\u2013]|\s-\s|\bthat\b|\band\b)\s*", re.I)
_OFFICIAL = re.compile(r"\b(?:official|officials|agency|ministry|spokesman|spokeswoman|spokesperson)\b", re.I)


def _subject_before_verb(doc: ReadDocument, sentence_chars: Span) -> Attribution | None:
    """Without a parse: the named words just before a say-verb ("the Observatory said")."""
    text = doc.text
    for verb in _SAY_WORD.finditer(text, sentence_chars.start, sentence_chars.end):
        clause = text[sentence_chars.start : verb.start()]
        starts = [m.end() for m in _CLAUSE_START.finditer(clause)]
        start = sentence_chars.start + (starts[-1] if starts else 0)
        words = text[start : verb.start()].strip()
        if not words or len(words) > 80:
            continue
        begin = start + text[start : verb.start()].index(words)
        end = begin + len(words)
        name = _clean_source(words)
        named = any(begin <= n.span.start < end for n in doc.names())
        if name and (named or _OFFICIAL.search(name)):
            return Attribution(_full_name(text, name), Span(begin, end), 0.6)
    return None


_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_POSSESSIVE_S = re.compile(r"'s$")


def _clean_source(name: str) -> str:
    name = _LEADING_ARTICLE.sub("", name.strip())
    name = _POSSESSIVE_S.sub("", name)
    return name if 1 < len(name) <= 80 and name[:1].isupper() else ""


def _is_named(doc: ReadDocument, analysed: Doc, start: int, end: int) -> bool:
    return any(start <= n.span.start < end or n.span.start <= start < n.span.end for n in doc.names()) or any(
        t.pos_ == "PROPN" for t in analysed.char_span(start, end, alignment_mode="expand") or []
    )


_FOR_OR_OF = re.compile(r"\s+(?:for|of)\s+[A-Z]")


def _followed_by_for_or_of(text: str, name: str) -> bool:
    """Whether the name stands anywhere before "for X"/"of X", as a full form must: most names never
    do, and the search for a full form would try every capitalised word of the text."""
    at = text.find(name)
    while at >= 0:
        if _FOR_OR_OF.match(text, at + len(name)):
            return True
        at = text.find(name, at + 1)
    return False


def _full_name(text: str, name: str) -> str:
    """A short name's full form named earlier: "the Observatory" -> "Syrian Observatory for Human Rights"."""
    if " " in name or not _followed_by_for_or_of(text, name):
        return name
    pattern = re.compile(
        rf"\b(?:[A-Z][\w.'-]*\s+)*{re.escape(name)}(?:\s+(?:for|of)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)"
    )
    match = pattern.search(text)
    full = re.sub(r"^(?:The|A|An)\s+", "", match.group()) if match else name
    return full if len(full) > len(name) else name
