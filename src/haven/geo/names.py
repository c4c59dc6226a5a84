"""Place-name normalisation for the gazetteer: one spelling-insensitive form and one skeleton key per name.

Two forms serve two purposes:

``normalize(name)``
    Case, diacritics, apostrophes (``'``, ``’``, ``ʿ``, ``ʾ``), hyphens and punctuation removed;
    Arabic without short vowels or tatweel, with hamza/alef forms, alef maqsura and ta marbuta folded.
    Two spellings with the same ``normalize`` are the same written name: ``"Ma'arrat An-Nu'man"`` and
    ``"ma`arrat an nu’man"``. Idempotent.

``skeleton(name)``
    A transliteration-insensitive key: the articles (al-, el-, ash-, as-, ad-, an-, ...; Arabic ال)
    dropped, digraphs folded (sh→s, kh/gh/q/g/c→k, th/dh→t, ou/oo→u, ee→i), doubled letters
    collapsed, a final h after a vowel (ta marbuta, "Atmeh") dropped, an initial vowel written ``a``
    and the vowels after it removed; words joined without spaces. ``Saraqib``, ``Saraqeb`` and
    ``Saraqab`` all give ``srkb``; ``Kafr Nabl`` and ``Kafranbel`` give ``kfrnbl``. Many names share
    a skeleton, so a skeleton match is only a candidate; the gazetteer scores it by ``soft_form`` similarity.

``soft_form(name)``
    Between the two: articles dropped and consonants folded like the skeleton, vowels kept as two
    classes (a/e/i and o/u; aw→u, ay→i), words joined. Used for fuzzy scoring.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARTICLE_LIST = "al el il ul ar er as es ash esh ad ed at et an en az ez ath eth adh edh ats"
ARTICLES = frozenset(_ARTICLE_LIST.split(" "))

_APOSTROPHES = "'’‘`´ʿʾʼʻˈ′"  # removed: Ma'arrat = Maarrat
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")  # short vowels, tatweel, Quranic marks
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ء": None,
        "ک": "ك",
        "ی": "ي",
        "ہ": "ه",
        "\u200e": None,
        "\u200f": None,
    }
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_ARABIC_CHAR = re.compile("[\u0600-\u06ff]")
_LATIN_FOLDS = (
    ("dj", "j"),
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "s"),
    ("kh", "k"),
    ("gh", "k"),
    ("th", "t"),
    ("dh", "t"),
    ("ph", "f"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("q", "k"),
    ("g", "k"),
    ("c", "k"),
    ("v", "w"),
)
_DIPHTHONG_W = re.compile(r"[aeo]w(?![aeiouy])")  # Sawran = Suran
_DIPHTHONG_Y = re.compile(r"y(?![aeiou])")  # Shaykh = Sheikh; a consonant y (Yarmuk, Abyad) stays
_VOWEL_CLASS = str.maketrans({"e": "a", "i": "a", "o": "u"})
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS = re.compile("[aeiouy]")
_ARABIC_LONG_VOWELS = re.compile("[اوي]")


def is_arabic(text: str) -> bool:
    """Whether the text is written (at least partly) in Arabic script."""
    return bool(_ARABIC_CHAR.search(text))


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Lower case, no diacritics, apostrophes or punctuation, single spaces; Arabic letter forms folded."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(ch for ch in text if ch not in _APOSTROPHES)
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = text.replace("ı", "i").replace("ß", "ss").replace("ø", "o").replace("đ", "d").replace("ł", "l")
    text = unicodedata.normalize("NFC", text)
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return " ".join(text.split())


def words(name: str) -> list[str]:
    """The words of a normalised name, articles dropped (unless the name is only articles)."""
    tokens = normalize(name).split()
    kept: list[str] = []
    for n, token in enumerate(tokens):
        if n and len(token) > 4 and token[:2] in ("al", "el") and not is_arabic(token):
            token = token[2:]  # an article written together with the word: Ein Elfijeh
        if is_arabic(token):
            if token.startswith("ال") and len(token) > 3:
                token = token[2:]
            elif token.startswith("وال") and len(token) > 4:
                token = token[3:]
            kept.append(token)
        elif token not in ARTICLES:
            kept.append(token)
    return kept or tokens


def _fold_latin(word: str) -> str:
    for old, new in _LATIN_FOLDS:
        word = word.replace(old, new)
    word = _DIPHTHONG_Y.sub("i", _DIPHTHONG_W.sub("u", word))
    word = word.translate(_VOWEL_CLASS)  # a/e/i and o/u: Idlib = Idleb, Saraqib = Saraqeb = Saraqab
    if len(word) > 2 and word.endswith("h") and word[-2] in "au":
        word = word[:-1]  # ta marbuta: Atmeh = Atma, Jableh = Jablah
    return _DOUBLES.sub(r"\1", word)


@lru_cache(maxsize=65536)
def soft_form(name: str) -> str:
    """Articles dropped, consonants and vowels folded, doubled letters collapsed, words joined."""
    parts = []
    for word in words(name):
        parts.append(_DOUBLES.sub(r"\1", word) if is_arabic(word) else _fold_latin(word))
    return _DOUBLES.sub(r"\1", "".join(parts))


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """The consonant skeleton of a name: the key that transliteration variants share."""
    parts = []
    for word in words(name):
        if is_arabic(word):
            parts.append(word[0] + _ARABIC_LONG_VOWELS.sub("", word[1:]))
        else:
            folded = _fold_latin(word)
            if folded:
                first = "a" if folded[0] in "aiu" else folded[0]  # Ain = Ein = Ayn, Idlib = Adlab
                parts.append(first + _VOWELS.sub("", folded[1:]))
    return _DOUBLES.sub(r"\1", "".join(parts))


__all__ = ["ARTICLES", "is_arabic", "normalize", "skeleton", "soft_form", "words"]
