"""Numbers as reports write them: "950,000", "900 000", "3.6 million", "nearly a million", "dozens".

:func:`parse_number` reads one number phrase; :func:`find_numbers` finds every number phrase in a text
with its character offsets, leaving out years, dates, times, percentages and ordinals. Vague amounts
("tens of thousands", "dozens", "hundreds") read as the least they can mean and are marked ``vague``:
"dozens" is at least 24, "tens of thousands" at least 20,000.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SCALE_ABBREVIATIONS = {"m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "k": 1_000}
FRACTIONS = {"half": 0.5, "a half": 0.5, "a quarter": 0.25, "quarter": 0.25, "a third": 1 / 3, "third": 1 / 3}
# Vague plurals and the least each can mean.
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000}

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WORD = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
_SCALE = "hundred|thousand|million|billion"
_DIGITS = r"\d{1,3}(?:(?:,|\u202f|\u00a0|\x20)\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDS_NUMBER = rf"(?:{_WORD})(?:[- ](?:{_WORD}))?(?:\s+(?:{_SCALE})(?:\s+(?:and\s+)?(?:{_WORD}))?)*"

_PATTERN = re.compile(
    rf"""
    # A number phrase starts a word: telling the engine so up front lets it skip the rest of the text fast.
    (?=[0-9a-zA-Z])(?<!\w)
    (?:(?P<vague>(?:tens|hundreds|several\ hundred|several\ thousand)\s+of\s+(?:thousands|millions)
        |several\ (?:dozen|hundred|thousand|million)
        |a\ few\ (?:dozen|hundred|thousand)
        |(?:dozens|scores|hundreds|thousands|millions)(?=\s+(?:of\b|have\b|had\b|were\b|are\b|more\b)|[,.;])
    )
    |(?P<fraction>(?:half|a\ half|a\ quarter|a\ third)\s+(?:of\s+)?an?\s+(?:million|billion))
    |(?P<digits>(?<![\w.,/-])(?:{_DIGITS}))(?:\s*(?P<scale>million|billion|thousand|mn|bn|m|k)\b)?
    |(?P<a>\ban?\s+(?:dozen|hundred|thousand|million|billion)\b)
    |(?P<words>\b{_WORDS_NUMBER}\b))
    """,
    re.IGNORECASE | re.VERBOSE,
)
_AFTER_EXCLUDED = re.compile(
    rf"\s*(?:%|per\s?cent|percent|pct|km|kilomet|miles?\b|mi\b|metres|meters|years?\s+old|-year|year-old|"
    rf"(?:st|nd|rd|th)\b|a\.m\.|p\.m\.|am\b|pm\b|hours?\b|o'clock|(?:{_MONTHS})\b|/)",
    re.IGNORECASE,
)
_BEFORE_EXCLUDED = re.compile(
    rf"(?:\$|£|€|US\$|USD\s?|(?:{_MONTHS})\.?\s+|Resolution\s+|No\.\s*|number\s+|page\s+|#"
    rf"|\b(?:children|child|kids|boys|girls|those)\s+(?:under|below|over|aged)\s+|\baged\s+|"
    rf"\bage\s+of\s+)$",
    re.IGNORECASE,
)


# What each exclusion before a number ends with, spaces aside: a currency sign, "USD", a month,
# "Resolution", "No.", "number", "page", "under"/"below"/"over"/"aged" ("children under"), "age of".
_BEFORE_ENDINGS = (
    *_MONTHS.split("|"), "resolution", "no", "number", "page", "under", "below", "over", "aged", "of", "usd",
    "$", "#",
)  # fmt: skip


def _excluded_before(before: str) -> bool:
    """Whether the words before a number make it no count (``_BEFORE_EXCLUDED``). The search, anchored
    at the end, tries every place in the window; a window whose last word ends in none of the endings
    cannot match, which a look at its ASCII end tells (other characters may match a letter when the
    case is ignored, so those windows are searched)."""
    end = before.rstrip()[-12:].rstrip(".")
    if end.isascii() and not end.lower().endswith(_BEFORE_ENDINGS):
        return False
    return _BEFORE_EXCLUDED.search(before) is not None


_YEAR = re.compile(r"(?:19|20)\d\d")
_RANGE_AFTER = re.compile(r"\s*(?:-|–)\s*\d")
_RANGE_BEFORE = re.compile(r"\d\s*(?:-|–)\s*$")
# The first day of a range of dates: "between 14 and 16 December", "from 3 to 5 March".
_FIRST_DAY = re.compile(
    rf"\s+(?:and|to|until|till|through)\s+\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NumberMention:
    """A number phrase found in a text: where, what it says, and whether it is vague ("dozens")."""

    start: int
    end: int
    text: str
    value: float
    vague: bool = False


def parse_number(text: str) -> float | None:
    """The value of one number phrase, or None when it is not one.

    >>> parse_number("950,000"), parse_number("3.6 million"), parse_number("half a million")
    (950000.0, 3600000.0, 500000.0)
    """
    phrase = " ".join(text.strip().lower().replace("-", " ").split())
    if not phrase:
        return None
    phrase = phrase.removeprefix("some ").removeprefix("an estimated ")
    if phrase in VAGUE:
        return float(VAGUE[phrase])
    vague = re.fullmatch(r"(tens|hundreds|several hundred|several thousand) of (thousands|millions)", phrase)
    if vague:
        low = {"tens": 20, "hundreds": 200, "several hundred": 300, "several thousand": 3_000}[vague[1]]
        return float(low * SCALES[vague[2].removesuffix("s")])
    several = re.fullmatch(r"(several|a few) (dozen|hundred|thousand|million)", phrase)
    if several:
        return float(
            (3 if several[1] == "several" else 2) * (12 if several[2] == "dozen" else SCALES[several[2]])
        )
    fraction = re.fullmatch(r"(half|a half|a quarter|a third) (?:of )?an? (million|billion)", phrase)
    if fraction:
        return FRACTIONS[fraction[1]] * SCALES[fraction[2]]
    article = re.fullmatch(r"an? (dozen|hundred|thousand|million|billion)", phrase)
    if article:
        return float(12 if article[1] == "dozen" else SCALES[article[1]])
    digits = re.fullmatch(
        r"(\d[\d,\u202f\u00a0 ]*(?:\.\d+)?)\s*(million|billion|thousand|mn|bn|m|k)?", phrase
    )
    if digits:
        number = re.sub(r"[,\u202f\u00a0 ]", "", digits[1])
        if not re.fullmatch(r"\d+(?:\.\d+)?", number):
            return None
        scale = digits[2]
        factor = SCALES.get(scale or "", _SCALE_ABBREVIATIONS.get(scale or "", 1))
        return float(Decimal(number) * factor)  # exact: 4.1 million is 4,100,000, not 4,099,999.99...
    return _parse_words(phrase)


def _parse_words(phrase: str) -> float | None:
    total = 0
    current = 0
    seen = False
    for word in phrase.replace(" and ", " ").split():
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def find_numbers(text: str, start: int = 0, end: int | None = None) -> Iterator[NumberMention]:
    """Every number phrase in ``text[start:end]`` that may count something, with absolute offsets."""
    end = len(text) if end is None else end
    for match in _PATTERN.finditer(text, start, end):
        phrase = match.group()
        before = text[max(0, match.start() - 24) : match.start()]
        after = text[match.end() : match.end() + 12]
        if _AFTER_EXCLUDED.match(after) or _excluded_before(before):
            continue
        if match["digits"] and not match["scale"]:
            bare = match["digits"]
            if _YEAR.fullmatch(bare):  # a year
                continue
            if _RANGE_AFTER.match(after) or _RANGE_BEFORE.search(before):
                continue  # a range's other end or a code ("2019-20", "C-130")
            if len(bare) <= 2 and _FIRST_DAY.match(text, match.end()):
                continue
        if match["words"] and phrase.lower() in {"one"}:
            continue  # "one" is mostly a pronoun ("no one", "one of the")
        value = parse_number(phrase)
        if value is None:
            continue
        yield NumberMention(match.start(), match.end(), phrase, value, vague=bool(match["vague"]))
