"""The shortcuts the readers take for speed give what the slow way gives.

Each shortcut skips work that cannot change the answer (a fuzzy search whose matches are never taken,
a regular-expression search that cannot match); these tests hold each to the slow way it stands for.
"""

from __future__ import annotations

import re

import pytest

from haven.geo import Gazetteer, Status
from haven.model import AdminLevel, Place
from haven.read.attribution import _full_name
from haven.read.events import (
    _LETTER_LED_ACTORS,
    _LETTER_LED_TARGETS,
    _LETTER_LED_TRIGGERS,
    ACTORS,
    TARGETS,
    TRIGGERS,
)
from haven.read.figures import _LETTER_LED_PERIODS, _PERIODS
from haven.read.names import (
    _PLACE_BEFORE,
    _PLACE_BEFORE_ENDINGS,
    _TITLE_BEFORE,
    _TITLE_BEFORE_ENDINGS,
    may_end_with,
)
from haven.read.numbers import _BEFORE_EXCLUDED, _excluded_before

REPORT = (
    "BEIRUT, Feb 20, 2020 (Reuters) - Russian and Syrian aircraft struck a market and a school in "
    "Sarmin on Tuesday, killing at least 12 civilians, the Syrian Observatory for Human Rights said. "
    "The Observatory said shelling near the town of Ariha killed five. Turkish-backed rebels clashed with "
    "government forces north of Saraqib, and HTS fighters attacked army positions. Some 900,000 people "
    "have fled since December, including children under 5, UN envoy Geir Pedersen told the Council in "
    "Resolution 2254's name; US$ 30 million was pledged on 3 March. Aid workers at a camp in Atmeh said "
    "the President of Turkey, Mr. Erdogan, and Dr. Lowcock met in Geneva. No. 4 of the convoys was hit. "
    "Chlorine, barrel bombs, car bombs and drone strikes were reported; the offensive against Idlib city "
    "continued, and the army retook Kafr Nabl."
)


def _windows(text: str, width: int) -> list[str]:
    return [text[max(0, end - width) : end] for end in range(len(text) + 1)]


def _synthetic(words: list[str]) -> list[str]:
    found = []
    for word in words:
        for case in (str, str.upper, str.title):
            for before in ("", "x ", "non-", "(", "within "):
                for after in (" ", "  ", " the ", "\n", " The  ", ""):
                    found.append(before + case(word) + after)
    return found


def _gazetteer() -> Gazetteer:
    places = [
        Place("XY", AdminLevel.ADM0, "Xland"),
        Place("XY01", AdminLevel.ADM1, "Northland", parents=("XY",), point=(10.0, 10.0)),
        Place("C1", AdminLevel.ADM4, "Kafr Nabl", parents=("XY", "XY01"), point=(10.0, 10.0)),
        Place("C2", AdminLevel.ADM4, "Maarat Misrin", parents=("XY", "XY01"), point=(10.3, 10.0)),
    ]
    return Gazetteer(places)


def test_without_fuzzy_a_name_only_a_fuzzy_search_finds_is_unresolved() -> None:
    gazetteer = _gazetteer()
    fuzzy = gazetteer.resolve("Kafr Nabt")  # a consonant changed: only the fuzzy search finds it
    assert fuzzy.best is not None and fuzzy.best.match == "fuzzy"
    plain = gazetteer.resolve("Kafr Nabt", fuzzy=False)
    assert plain.status is Status.UNRESOLVED and not plain.candidates
    # The flag is part of what is remembered: asking again either way gives each its own answer.
    assert gazetteer.resolve("Kafr Nabt").best == fuzzy.best
    assert gazetteer.resolve("Kafr Nabt", fuzzy=False).status is Status.UNRESOLVED
    # Spellings the fuzzy search is not needed for resolve the same either way.
    assert gazetteer.resolve("Kafr Nabl", fuzzy=False).best == gazetteer.resolve("Kafr Nabl").best
    assert [r.status for r in gazetteer.resolve_many(["Kafr Nabt", "Maarat Misrin"], fuzzy=False)] == [
        Status.UNRESOLVED,
        Status.RESOLVED,
    ]


def test_clear_cache_forgets_resolved_names() -> None:
    gazetteer = _gazetteer()
    first = gazetteer.resolve("Kafr Nabl")
    assert gazetteer.resolve("Kafr Nabl") is first  # remembered
    gazetteer.clear_cache()
    again = gazetteer.resolve("Kafr Nabl")
    assert again is not first and again == first


def test_letter_led_patterns_find_what_the_patterns_find() -> None:
    pairs = [(slow[0], fast[0]) for slow, fast in zip(TRIGGERS, _LETTER_LED_TRIGGERS, strict=True)]
    pairs += [(actor.pattern, fast) for actor, (_, fast) in zip(ACTORS, _LETTER_LED_ACTORS, strict=True)]
    pairs += [(slow[0], fast[0]) for slow, fast in zip(TARGETS, _LETTER_LED_TARGETS, strict=True)]
    pairs.append((_PERIODS, _LETTER_LED_PERIODS))
    for start in range(0, len(REPORT), 3):
        text = REPORT[start : start + 200]
        for pattern, fast in pairs:
            expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == expected, pattern.pattern


def test_the_words_before_a_number_exclude_it_as_the_search_does() -> None:
    forms = ["$", "£", "€", "US$", "USD", "Resolution", "No.", "number", "page", "#", "children under",
             "kids aged", "aged", "age of", "Feb.", "December", "Sept", "dismay"]  # fmt: skip
    windows = _windows(REPORT, 24) + _synthetic(forms)
    assert any(_BEFORE_EXCLUDED.search(w) for w in windows)
    for window in windows:
        assert _excluded_before(window) == (_BEFORE_EXCLUDED.search(window) is not None), window


@pytest.mark.parametrize(
    ("pattern", "endings", "article"),
    [(_PLACE_BEFORE, _PLACE_BEFORE_ENDINGS, True), (_TITLE_BEFORE, _TITLE_BEFORE_ENDINGS, False)],
)
def test_a_window_the_ending_check_rules_out_never_matches(
    pattern: re.Pattern[str], endings: tuple[str, ...], article: bool
) -> None:
    words = ["in", "near", "town of", "north-east", "southwestern", "east of", "between", "President",
             "Prime Minister", "Mr.", "Dr", "Gen.", "spokesman", "forces of", "loyal to"]  # fmt: skip
    windows = _windows(REPORT, 40) + _synthetic(words) + ["in the", "in\u00a0", "acroſs "]
    matched = 0
    for window in windows:
        if pattern.search(window):
            matched += 1
            assert may_end_with(window, endings, spaced=True, article=article), window
    assert matched > 10


def test_a_short_name_takes_its_full_form_named_elsewhere() -> None:
    def slow(text: str, name: str) -> str:
        found = re.search(
            rf"\b(?:[A-Z][\w.'-]*\s+)*{re.escape(name)}(?:\s+(?:for|of)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)",
            text,
        )
        full = re.sub(r"^(?:The|A|An)\s+", "", found.group()) if found else name
        return full if len(full) > len(name) else name

    assert _full_name(REPORT, "Observatory") == "Syrian Observatory for Human Rights"
    for name in set(re.findall(r"[A-Z][\w'-]*", REPORT)):
        assert _full_name(REPORT, name) == slow(REPORT, name), name
