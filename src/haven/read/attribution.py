"""Who a sentence attributes its claims to: "according to the United Nations", "the Observatory said".

Shared by the figure and event readers, so a number and an event in the same sentence credit the same
source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    """Who a sentence attributes what it says to: "according to X", "X said", "said X"."""
    text = doc.text
    analysed = doc.spacy_doc()
    sentence = analysed.char_span(sentence_chars.start, sentence_chars.end, alignment_mode="expand")
    if sentence is None:
        return None
    according = _ACCORDING.search(text, sentence.start_char, sentence.end_char)
    if according:
        name = _clean_source(according.group(1))
        if name:
            return Attribution(_full_name(analysed, name), Span(according.start(1), according.end(1)), 0.85)
    for token in sentence:
        if token.lemma_.lower() not in SAY_VERBS or token.pos_ != "VERB":
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ == "PRON":
            continue
        tokens = [t for t in subject.subtree if t.dep_ not in {"punct"} and t.i < token.i]
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        name = _clean_source(text[start:end])
        if name and (
            _is_named(doc, analysed, start, end) or re.search(r"\b(?:official|agency|ministry)\b", name, re.I)
        ):
            return Attribution(_full_name(analysed, name), Span(start, end), 0.75)
    return None


def _clean_source(name: str) -> str:
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.I)
    name = re.sub(r"'s$", "", name)
    return name if 1 < len(name) <= 80 and name[:1].isupper() else ""


def _is_named(doc: ReadDocument, analysed: Doc, start: int, end: int) -> bool:
    return any(
        e.label_ in {"ORG", "PERSON", "NORP", "GPE"} and e.start_char < end and e.end_char > start
        for e in doc.entities()
    ) or any(t.pos_ == "PROPN" for t in analysed.char_span(start, end, alignment_mode="expand") or [])


def _full_name(analysed: Doc, name: str) -> str:
    """A short name's full form named earlier: "the Observatory" -> "Syrian Observatory for Human Rights"."""
    if " " in name:
        return name
    pattern = re.compile(
        rf"\b(?:[A-Z][\w.'-]*\s+)*{re.escape(name)}(?:\s+(?:for|of)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)"
    )
    match = pattern.search(analysed.text)
    full = re.sub(r"^(?:The|A|An)\s+", "", match.group()) if match else name
    return full if len(full) > len(name) else name
