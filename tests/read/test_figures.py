"""Figures read from an editorial-like text, and the number parser."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.model import Figure, Qualifier
from haven.read import Candidate, ReadDocument, document_from_text
from haven.read.figures import extract_figures
from haven.read.numbers import find_numbers, parse_number

# Our own text, in the manner of an opinion piece on the Idlib offensive.
EDITORIAL = (
    "The war in Syria is reaching its cruelest chapter in Idlib.\n\n"
    "About 900,000 people have been displaced since December, according to the United Nations. "
    "That figure includes about 500,000 children. Few of them have tents, and the nights are freezing. "
    "Regime and Russian jets keep striking markets and clinics, and the offensive has made no distinction "
    "between fighters and the more than 3 million civilians in the province.\n\n"
    "Turkey, which already hosts 3.6 million Syrians, has closed its border. "
    "At least 14 civilians were killed in Sarmin on Tuesday, the Observatory said. "
    "The Syrian Observatory for Human Rights has tracked the offensive from the start."
)


@pytest.fixture(scope="module")
def figures() -> list[Candidate]:
    doc = document_from_text(EDITORIAL, published=date(2020, 2, 20), publisher="Daily Example")
    return extract_figures(doc)


def _find(figures: list[Candidate], words: str) -> Candidate:
    found = [c for c in figures if c.text_of("value") == words]
    assert len(found) == 1, [c.text_of("value") for c in figures]
    return found[0]


def test_displaced_since_december_per_un(figures: list[Candidate]) -> None:
    candidate = _find(figures, "900,000")
    figure: Figure = candidate.record
    assert (figure.value, figure.metric, figure.subgroup) == (900_000, "displaced", "all")
    assert figure.qualifier is Qualifier.ABOUT
    assert candidate.text_of("qualifier") == "About"
    assert figure.period_start == date(2019, 12, 1)
    assert candidate.text_of("period") == "since December"
    assert figure.reported_on == date(2020, 2, 20)
    assert figure.sources[0].publisher == "United Nations"
    assert candidate.text_of("source") == "the United Nations"
    assert figure.sources[-1].publisher == "Daily Example"
    assert candidate.kind == "figure"
    assert 0 < candidate.confidence <= 1


def test_children_are_a_subgroup_of_the_displaced(figures: list[Candidate]) -> None:
    candidate = _find(figures, "500,000")
    figure: Figure = candidate.record
    assert (figure.value, figure.metric, figure.subgroup) == (500_000, "displaced", "children")
    assert figure.qualifier is Qualifier.ABOUT
    assert candidate.text_of("subgroup") == "children"
    assert figure.period_start == date(2019, 12, 1)
    assert figure.sources[0].publisher == "United Nations"


def test_civilians_in_the_province(figures: list[Candidate]) -> None:
    candidate = _find(figures, "3 million")
    figure: Figure = candidate.record
    assert (figure.value, figure.metric, figure.qualifier) == (3_000_000, "population", Qualifier.OVER)
    assert candidate.text_of("qualifier") == "more than"
    assert candidate.text_of("area") == "the province"
    assert figure.area_name == "Idlib"


def test_syrians_hosted_in_turkey(figures: list[Candidate]) -> None:
    candidate = _find(figures, "3.6 million")
    figure: Figure = candidate.record
    assert (figure.value, figure.metric, figure.qualifier) == (3_600_000, "hosted", Qualifier.EXACT)
    assert figure.area_name == "Turkey"
    assert candidate.text_of("area") == "Turkey"


def test_killed_attributed_to_the_observatory(figures: list[Candidate]) -> None:
    candidate = _find(figures, "14")
    figure: Figure = candidate.record
    assert (figure.value, figure.metric, figure.qualifier) == (14, "killed", Qualifier.AT_LEAST)
    assert figure.sources[0].publisher == "Syrian Observatory for Human Rights"
    assert candidate.text_of("source") == "the Observatory"
    assert figure.period_start == figure.period_end == date(2020, 2, 18)  # the Tuesday before


def test_numbers_that_count_nothing_are_left_out(figures: list[Candidate]) -> None:
    values = sorted(c.record.value for c in figures)
    assert values == [14, 500_000, 900_000, 3_000_000, 3_600_000]


def test_every_span_points_into_the_text(figures: list[Candidate]) -> None:
    for candidate in figures:
        doc: ReadDocument = candidate.document
        for evidence in candidate.evidence:
            assert 0 <= evidence.span.start < evidence.span.end <= len(doc.text)
            assert 0 < evidence.confidence <= 1


def test_words_and_vague_amounts() -> None:
    doc = document_from_text(
        "Nearly a million people have fled. Tens of thousands of children sleep in the open. "
        "Dozens were killed in the raids, and half a million people are in need of aid.",
        published=date(2020, 2, 20),
    )
    read = {c.text_of("value"): c.record for c in extract_figures(doc)}
    assert read["a million"].value == 1_000_000 and read["a million"].qualifier is Qualifier.ALMOST
    assert read["a million"].metric == "displaced"
    assert read["Dozens"].metric == "killed" and read["Dozens"].qualifier is Qualifier.AT_LEAST
    assert read["half a million"].metric == "in_need" and read["half a million"].value == 500_000


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("950,000", 950_000),
        ("900 000", 900_000),
        ("3.6 million", 3_600_000),
        ("nearly a million", None),
        ("a million", 1_000_000),
        ("half a million", 500_000),
        ("tens of thousands", 20_000),
        ("hundreds of thousands", 200_000),
        ("dozens", 24),
        ("twenty-five thousand", 25_000),
        ("two hundred and fifty", 250),
        ("1.5m", 1_500_000),
        ("many", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_years_dates_and_distances_are_not_counts() -> None:
    text = "In 2020, on 20 February, 80 percent of a 20 miles strip; 12 trucks crossed."
    assert [m.text for m in find_numbers(text)] == ["12"]


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([",", " ", "\u202f"]))
def test_digits_with_separators_round_trip(value: int, separator: str) -> None:
    written = f"{value:,}".replace(",", separator)
    assert parse_number(written) == value
    found = list(find_numbers(f"reported {written} people"))
    assert [(m.text, m.value) for m in found] == [(written, value)]


_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]  # fmt: skip


def _words(n: int) -> str:
    """English words for 1..999,999 (test oracle written independently of the parser)."""
    parts: list[str] = []
    thousands, rest = divmod(n, 1000)
    if thousands:
        parts += [_words(thousands), "thousand"]
    hundreds, below = divmod(rest, 100)
    if hundreds:
        parts += [_ONES[hundreds], "hundred"]
    if below >= 20:
        parts.append(_TENS[below // 10] + (f"-{_ONES[below % 10]}" if below % 10 else ""))
    elif below >= 10:
        parts.append(_TEENS[below - 10])
    elif below:
        parts.append(_ONES[below])
    return " ".join(parts)


@given(st.integers(min_value=1, max_value=999_999))
def test_number_words_round_trip(value: int) -> None:
    assert parse_number(_words(value)) == value


def test_shares_towns_ages_and_exact_millions() -> None:
    doc = document_from_text(
        "Around 4.1 million people need assistance. Some 180,000 of the displaced are children under five. "
        "Tens of thousands of residents fled north to Maarat al-Numan, a town of about 100,000 people. "
        "Gunfire killed three teachers.",
        published=date(2020, 2, 20),
    )
    read = {c.text_of("value"): c.record for c in extract_figures(doc)}
    assert read["4.1 million"].value == 4_100_000 and read["4.1 million"].metric == "in_need"
    assert (read["180,000"].metric, read["180,000"].subgroup) == ("displaced", "children")
    assert "five" not in read  # an age, not a count
    assert read["Tens of thousands"].metric == "displaced"  # residents who fled, not a population
    assert read["100,000"].metric == "population"
    assert read["three"].metric == "killed"
