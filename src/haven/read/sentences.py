"""Sentences by rules: the readers need sentence spans for every line of a report, but a statistical
parse only for the few sentences that hold a number (see :mod:`haven.read.analysis`).

A sentence ends at a blank line; at a line break after a line that ends a sentence or is short (a
headline, a dateline, "Published 7 February 2020"); and after ``.``, ``!`` or ``?`` (and any closing
quote or bracket) followed by a space and a capital, a digit or an opening quote, unless the word
before the full stop is an abbreviation ("Mr.", "Feb.", "No."), an initial ("J."), or dotted letters
("U.N.", "a.m.").
"""

from __future__ import annotations

import re

from haven.read.spans import Span

# Words that end with a full stop without ending a sentence, compared without the stop, case-folded.
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cmdr", "adm", "gov",
    "sen", "rep", "pres", "st", "jr", "sr", "rev", "hon", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "no", "nos", "vol", "art", "para", "fig", "p", "pp", "ch", "approx",
    "est", "inc", "ltd", "co", "corp", "dept", "govt", "univ", "vs", "etc", "al"
})  # fmt: skip
# A line shorter than this that does not end a sentence is a heading or a dateline of its own.
HEADING_CHARS = 70

_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_BLANK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE = re.compile(r"\n")
_WORD_BEFORE = re.compile(r"([\w.'’-]+)$")


_ENDS_SENTENCE = re.compile(r"[.!?:\"”’]$")
_DOTTED_LETTERS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?")
_INITIAL = re.compile(r"[A-Z]")


def split_sentences(text: str) -> list[Span]:
    """The sentences of ``text`` as spans (no blank ones), in order, without surrounding whitespace."""
    spans: list[Span] = []
    for block_start, block_end in _pieces(text, 0, len(text), _BLANK):
        for line_start, line_end in _lines(text, block_start, block_end):
            spans.extend(_within(text, line_start, line_end))
    return spans


def _pieces(text: str, start: int, end: int, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    pieces = []
    last = start
    for match in separator.finditer(text, start, end):
        pieces.append((last, match.start()))
        last = match.end()
    pieces.append((last, end))
    return pieces


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Join a block's lines into runs, breaking after a line that ends a sentence or is a heading."""
    runs: list[tuple[int, int]] = []
    run_start = start
    for line_start, line_end in _pieces(text, start, end, _LINE):
        line = text[line_start:line_end].rstrip()
        if not line:
            continue
        if line_end < end and (len(line.strip()) < HEADING_CHARS or _ENDS_SENTENCE.search(line)):
            runs.append((run_start, line_end))
            run_start = line_end + 1
    if run_start < end:
        runs.append((run_start, end))
    return runs


def _within(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    last = start
    for match in _END.finditer(text, start, end):
        before = _WORD_BEFORE.search(text, last, match.start())
        if before is not None and match.group().startswith(".") and _abbreviation(before.group(1)):
            continue
        spans.append(Span(last, match.end()))
        last = match.end()
    spans.append(Span(last, end))
    return [trimmed for span in spans if (trimmed := _trim(text, span)) is not None]


def _abbreviation(word: str) -> bool:
    """Whether the word before a full stop is an abbreviation rather than the end of a sentence."""
    if _DOTTED_LETTERS.fullmatch(word):  # U.N, U.S, a.m, e.g
        return True
    if _INITIAL.fullmatch(word):  # an initial: "J. Smith"
        return True
    return word.casefold().rstrip(".") in ABBREVIATIONS


def _trim(text: str, span: Span) -> Span | None:
    piece = text[span.start : span.end]
    stripped = piece.strip()
    if not stripped:
        return None
    start = span.start + (len(piece) - len(piece.lstrip()))
    return Span(start, start + len(stripped))
