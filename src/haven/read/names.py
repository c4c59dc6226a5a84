"""Proper names by rules: runs of capitalised words ("Maarat al-Numan", "Syrian Observatory for Human
Rights", "U.N."), with what the words around them say about them.

The readers use names as candidate places (resolved by the gazetteer, which knows the region's towns
and villages far better than a statistical recogniser trained on news in general) and as candidate
sources ("the Observatory said"). A name does not say what it names; :class:`Name` carries the clues
the readers weigh: whether it opens its sentence (its first word may be capitalised only for that),
whether a place word introduces it ("in", "near", "the town of") or follows it ("province", "city").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from haven.read.spans import Span

_PARTICLE = r"(?:al|el|an|ash|as|ad|ar|at|az|ez|es|ibn|bin|abu)[-‐]"
_WORD = rf"(?:(?:[A-Z]\.){{2,}}|(?:{_PARTICLE})?[A-Z][\w'’]*(?:[-‐](?:{_PARTICLE})?[\w'’]+)*)"
_NAME = re.compile(rf"(?<![\w'’.-]){_WORD}(?:(?:[ \t]+(?:for|of)(?:[ \t]+the)?)?[ \t]+{_WORD})*(?![\w-])")
_POSSESSIVE = re.compile(r"['’]s?$")
# Capitalised words that open a sentence or a name without being part of one, and days, months and
# numbers, which are capitalised but name no one.
LEADING_WORDS = frozenset({
    "the", "a", "an", "in", "on", "at", "of", "for", "from", "to", "by", "with", "as", "since", "after",
    "before", "during", "until", "while", "when", "where", "and", "but", "or", "so", "yet", "if",
    "although", "though", "because", "once", "unlike", "like", "despite", "meanwhile", "separately",
    "however", "still", "also", "already", "now", "then", "there", "here", "this", "that", "these", "those",
    "it", "its", "their", "his", "her", "our", "we", "they", "he", "she", "i", "you", "some", "many",
    "most", "several", "all", "both", "each", "every", "any", "no", "nobody", "more", "nearly", "about",
    "around", "over", "almost", "only", "even", "just", "according", "earlier", "later", "last", "next",
    "yesterday", "today", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty", "thirty", "forty", "fifty", "hundred", "hundreds", "thousand", "thousands", "million",
    "millions", "dozens", "dozen", "scores", "tens", "half"
})  # fmt: skip
# Countries and capitals a report about Syria names: always names, never a Syrian village.
COUNTRIES_AND_CAPITALS = frozenset({
    "syria", "turkey", "russia", "iran", "moscow", "ankara", "tehran", "washington", "united states",
    "europe", "lebanon", "jordan", "iraq", "geneva", "nato", "sochi", "astana", "brussels", "new york",
    "beirut", "amman", "istanbul", "hatay", "antakya", "reyhanli", "kilis", "gaziantep", "qatar", "doha",
    "saudi arabia", "israel", "egypt", "germany", "france", "greece"
})  # fmt: skip
# Seats of government a report names for the government itself ("a claim Damascus denied", "Ankara and
# Damascus close to war"): a place only where a place word introduces it ("in Damascus").
SEATS_OF_GOVERNMENT = frozenset({"damascus"})
# Peoples' adjectives: capitalised, but they name no place ("Turkish positions", "Syrian troops").
NATIONALITIES = frozenset({
    "syrian", "turkish", "russian", "iranian", "kurdish", "arab", "american", "european", "lebanese",
    "iraqi", "jordanian", "israeli", "french", "british", "german", "chinese", "qatari", "saudi", "emirati",
    "egyptian", "western", "eastern"
})  # fmt: skip
# "Turkish-backed", "Russian-made": an adjective built on a name, not a name.
_COMPOUND_ADJECTIVE = re.compile(r"^[A-Z][\w'’]*[-‐](?!(?:al|el|an|ash|as|ad|ar|at|az)\b)[a-z][\w'’-]*$")
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|near|at|around|outside|into|toward|towards|across|throughout|inside|from|of|on|"
    r"between|and|to|nearby)|\b(?:town|city|village|villages|towns|area|areas|countryside|outskirts|"
    r"suburbs?|province|governorate|district|region|camp|camps)\s+of|\b(?:north|south|east|west|"
    r"north-?east|north-?west|south-?east|south-?west)(?:ern)?(?:\s+of)?|\bnearby|"
    # what was taken or hit: "captured Urum al-Kubra", "pounded Talmenes"
    r"\b(?:captured|seized|retook|recaptured|liberated|stormed|entered|shelled|pounded|bombed|struck|"
    r"targeted|raided|overran))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# The words _PLACE_BEFORE's cue can end with (before spaces and perhaps "the").
_PLACE_BEFORE_ENDINGS = (
    "in", "near", "at", "around", "outside", "into", "toward", "towards", "across", "throughout", "inside",
    "from", "of", "on", "between", "and", "to", "nearby", "north", "south", "east", "west", "northern",
    "southern", "eastern", "western", "captured", "seized", "retook", "recaptured", "liberated", "stormed",
    "entered", "shelled", "pounded", "bombed", "struck", "targeted", "raided", "overran",
)  # fmt: skip
_TITLE_BEFORE = re.compile(
    r"\b(?:President|Prime Minister|Minister|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|General|Gen\.|Secretary|Envoy|"
    r"spokesman|spokeswoman|spokesperson|official|commander|leader|regime of|forces of|loyal to)\s+$",
    re.IGNORECASE,
)
# The words _TITLE_BEFORE's title can end with (before spaces).
_TITLE_BEFORE_ENDINGS = (
    "president", "minister", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "general", "gen.",
    "secretary", "envoy", "spokesman", "spokeswoman", "spokesperson", "official", "commander", "leader", "of",
    "to",
)  # fmt: skip
_PARTY_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:forces|regime|government|troops|army|loyalists|supporters|militias?|fighters|"
    r"administration|said|says|told)\b",
    re.IGNORECASE,
)
# The crisis's leaders, whose names some village shares ("Assad"): never a place in these reports.
LEADERS = frozenset(
    ["assad", "al-assad", "putin", "erdogan", "lavrov", "akar", "lowcock", "guterres", "trump", "rouhani"]
)
_PLACE_AFTER = re.compile(
    r"^\s+(?:province|governorate|city|town|village|countryside|district|sub-?district|area|region|"
    r"camp|camps|outskirts|airbase|air base)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Name:
    """A run of capitalised words in a sentence, without a possessive "'s"."""

    span: Span
    text: str
    sentence: Span
    initial: bool  # opens its sentence
    place_cue: bool  # a place word introduces it ("in", "near", "the town of") or follows it ("province")
    actor_cue: bool = False  # a title introduces it ("President") or a party follows it ("Assad forces")


def find_names(text: str, sentences: Sequence[Span]) -> tuple[Name, ...]:
    """Every name in the sentences of ``text``, in order."""
    names: list[Name] = []
    for sentence in sentences:
        for match in _NAME.finditer(text, sentence.start, sentence.end):
            name = _name(text, sentence, match.start(), match.group())
            if name is not None:
                names.append(name)
    return tuple(names)


def _name(text: str, sentence: Span, start: int, words: str) -> Name | None:
    words = _POSSESSIVE.sub("", words)
    opening = start == sentence.start or text[sentence.start : start].strip() in {"", "“", '"', "‘", "("}
    # Leading words capitalised because they open the sentence or the name: "The", "In", "Five".
    while True:
        first, _, rest = words.partition(" ")
        if not _not_a_name(first) or not rest.strip():
            break
        skip = len(first) + (len(words) - len(first) - len(rest))
        start, words, opening = start + skip, rest, False
    if _not_a_name(words):
        return None
    common = is_common_word(words) and words.casefold() not in COUNTRIES_AND_CAPITALS
    if opening and " " not in words and not words.isupper() and common:
        return None  # "Rescue workers said", "Shelling struck": capitalised only to open the sentence
    span = Span(start, start + len(words))
    before = text[max(sentence.start, span.start - 40) : span.start]
    after = text[span.end : span.end + 24]
    place_before = may_end_with(before, _PLACE_BEFORE_ENDINGS, spaced=True, article=True)
    cue = bool((place_before and _PLACE_BEFORE.search(before)) or _PLACE_AFTER.match(after))
    leader = any(word.casefold() in LEADERS for word in words.split())
    title_before = may_end_with(before, _TITLE_BEFORE_ENDINGS, spaced=True)
    actor = leader or bool((title_before and _TITLE_BEFORE.search(before)) or _PARTY_AFTER.match(after))
    return Name(span, words, sentence, initial=opening, place_cue=cue, actor_cue=actor)


def may_end_with(window: str, endings: tuple[str, ...], *, spaced: bool, article: bool = False) -> bool:
    """Whether a pattern anchored at the end of ``window`` may match it, when every match's last word
    ends with one of ``endings`` (lower case) followed by spaces (at least one with ``spaced``) and,
    with ``article``, perhaps "the" and spaces. A necessary condition, cheap beside the search (which
    tries every place in the window): it is told from ASCII text only, as other characters may match a
    letter when the case is ignored, or be spaces; a window with any is left to the search."""
    if not window.isascii():
        return True
    if spaced and not window[-1:].isspace():
        return False
    words = window.split()
    if not words:
        return False
    if words[-1].lower().endswith(endings):
        return True
    return article and len(words) > 1 and words[-1].lower() == "the" and words[-2].lower().endswith(endings)


def _not_a_name(word: str) -> bool:
    return word.casefold() in LEADING_WORDS or bool(_COMPOUND_ADJECTIVE.match(word))


def is_common_word(word: str) -> bool:
    """Whether a word is an ordinary English word (in spaCy's lemma lists), not only a name."""
    lowered = word.casefold()
    words = _english_words()
    return lowered in words or (lowered.endswith("s") and lowered[:-1] in words)


@cache
def _english_words() -> frozenset[str]:
    """Base forms of English nouns, verbs, adjectives and adverbs, from the lemmatizer's tables."""
    from haven.read.analysis import nlp

    lookups = nlp().get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    words: set[str] = set(LEADING_WORDS)
    for table_name in ("lemma_index", "lemma_exc"):
        table = lookups.get_table(table_name)
        for pos in ("noun", "verb", "adj", "adv"):
            entries = table.get(pos, {})
            words.update(w for w in entries if "_" not in w)
    return frozenset(words)


# Words that make a name an organisation's or a person's rather than a place's.
_NOT_PLACE_WORDS = re.compile(
    r"\b(?:Nations|Observatory|Organi[sz]ation|Office|Council|Agency|Ministry|Programme|Program|"
    r"Committee|Crescent|Cross|Helmets|Defen[cs]e|Forces|Army|Front|Union|Fund|Commission|Rights|"
    r"Group|Society|Network|Coalition|Alliance|Assessment|Reuters|Press|News|Times|Post|Television|"
    r"President|Minister|Secretary|General|Governor|Spokesman|Spokeswoman|Spokesperson|Mr|Mrs|Ms|Dr|"
    r"Director|Coordinator|Envoy|Commander|Sheikh|Republic|Tahrir|Brigade|Division|Regiment|Corps|"
    r"Guard|Party|Movement|Liberation|Jaish|Ahrar|Faylaq|Update|Report|Statement|Briefing)\b"
)


def could_be_place(name: Name) -> bool:
    """Whether a name may name a place: not an organisation's or a person's (by its words), not a
    people's adjective ("Turkish"), an acronym ("U.N.", "UNICEF") or a heading's words."""
    text = name.text
    if name.actor_cue:
        return False  # "President Bashar al-Assad", "Assad forces"
    if "." in text or text.casefold() in NATIONALITIES or (text.isupper() and not name.initial):
        return False  # "U.N.", "Turkish", "UNICEF" (a dateline's or heading's capitals open their line)
    if " " in text and not name.place_cue and all(is_common_word(word) for word in text.split()):
        return False  # a heading in title case: "Recent Developments"
    return not _NOT_PLACE_WORDS.search(text)
