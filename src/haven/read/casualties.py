"""How many people an event killed or injured, as a sentence states it: "killing at least 22
civilians" (low = best = 22, no ceiling), "between 29 and 33 were killed" (low 29, high 33), "dozens
killed" (at least 24). The figures reader counts people too, through the parse; this reader needs only
the count of one event, and reads it by patterns from the sentence alone.
"""

from __future__ import annotations

import re

from haven.model import Estimate
from haven.read.spans import Span

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


def _count_patterns(verbs: str) -> tuple[re.Pattern[str], ...]:
    return (
        re.compile(rf"\b{verbs}\s+(?:a total of\s+)?{_QUAL}{_NUM}{_WHO}", re.I),
        re.compile(
            rf"\b{_QUAL}{_NUM}{_WHO}\s+(?:were |have been |had been |are |reportedly |been )?(?:reported |reportedly )?{verbs}",  # noqa: E501
            re.I,
        ),
        re.compile(
            rf"\b(?:death toll|toll)\s+(?:rose to|reached|of|stood at|climbed to)\s+{_QUAL}{_NUM}", re.I
        ),
    )


_COUNTS = {"killed": _count_patterns(_KILLED), "injured": _count_patterns(_INJURED)}
_VERB_WORDS = {
    "killed": re.compile(rf"{_KILLED}|\btoll\b", re.I),
    "injured": re.compile(_INJURED, re.I),
}
_RANGES = {
    "killed": (
        re.compile(rf"{_RANGE.pattern}\s+(?:\w+\s+){{0,3}}{_KILLED}", re.I),
        re.compile(rf"{_KILLED}\s+{_RANGE.pattern}", re.I),
    ),
    "injured": (re.compile(rf"{_RANGE.pattern}\s+(?:\w+\s+){{0,3}}{_INJURED}", re.I),),
}


def read_count(sentence: str, offset: int, verb: str) -> tuple[Estimate, Span, float] | None:
    """A count of killed (``verb`` "killed") or injured ("injured") a sentence states, with its span."""
    if not _VERB_WORDS[verb].search(sentence):
        return None  # every pattern below needs one of these words
    window = next((m for pattern in _RANGES[verb] if (m := pattern.search(sentence))), None)
    if window:
        found = _RANGE.search(window.group(0))
        assert found is not None
        low, high = sorted((_count(found.group(1)), _count(found.group(2))))
        return Estimate(low, None, high), Span(offset + window.start(), offset + window.end()), 0.8
    for pattern in _COUNTS[verb]:
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


def count_word(word: str) -> int | None:
    """A number a word or numeral says ("two" 2, "33" 33), or None."""
    try:
        return _count(word)
    except (KeyError, ValueError):
        return None


__all__ = ["count_word", "read_count"]
