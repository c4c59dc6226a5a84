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


def _read(text: str) -> dict[str, Figure]:
    """What each number in ``text`` was read as, by the words of its value."""
    doc = document_from_text(text, published=date(2020, 2, 20))
    return {c.text_of("value") or "": c.record for c in extract_figures(doc)}


def _triple(figure: Figure) -> tuple[float, str, str]:
    return (figure.value, figure.metric, figure.subgroup)


def test_a_part_said_as_so_many_of_them() -> None:
    read = _read(
        "Shells hit a bakery queue in Binnish, killing twelve civilians, five of them children. "
        "A clinic treated 30 patients, eight of whom children, that night."
    )
    assert _triple(read["five"]) == (5, "killed", "children")
    assert _triple(read["twelve"]) == (12, "killed", "all")
    assert read["five"].period_start is None or read["five"].period_start == read["twelve"].period_start


def test_a_part_counts_what_the_whole_counts() -> None:
    read = _read(
        "In all, 90 deaths were recorded across the governorate last week, including 52 civilians. "
        "A strike on a farm killed six labourers from a displaced family, including two boys."
    )
    assert _triple(read["52"]) == (52, "killed", "all")
    assert _triple(read["two"]) == (2, "killed", "children")  # not "displaced", which is the family's
    assert _triple(read["six"]) == (6, "killed", "all")


def test_an_inclusion_ends_with_its_clause() -> None:
    read = _read(
        "Rescuers pulled out the bodies of nine people, among them three women, and treated 14 injured "
        "civilians at the scene."
    )
    assert _triple(read["nine"]) == (9, "killed", "all")  # "the bodies of": they died
    assert _triple(read["three"]) == (3, "killed", "women")
    assert _triple(read["14"]) == (14, "injured", "all")  # not a part of the nine


def test_the_number_of_people_has_risen_to() -> None:
    read = _read(
        "The number of people uprooted from the Atareb area since 3 January has climbed to 41,250, among "
        "them 7,900 families. The total of children killed in the region stands at 64."
    )
    assert _triple(read["41,250"]) == (41_250, "displaced", "all")
    assert read["41,250"].period_start == date(2020, 1, 3)
    assert _triple(read["7,900"]) == (7_900, "displaced", "families")
    assert _triple(read["64"]) == (64, "killed", "children")


def test_what_the_predicate_says_the_people_are() -> None:
    read = _read("Some 1.9 million people across the northern districts and the camps are now in need.")
    assert _triple(read["1.9 million"]) == (1_900_000, "in_need", "all")  # not a population


def test_what_the_verb_does_to_its_object() -> None:
    read = _read(
        "The army has lost 17 soldiers near Kafr Nubl this month. The shelling pushed hundreds of families "
        "towards the camps. Ankara pushed 1,500 troops across the border."
    )
    assert _triple(read["17"]) == (17, "killed", "all")
    assert _triple(read["hundreds"]) == (200, "displaced", "families")
    assert _triple(read["1,500"]) == (1_500, "troops", "all")


def test_what_the_counted_people_are_said_to_be() -> None:
    read = _read("The field hospital in the area took in 63 wounded civilians on Sunday.")
    assert _triple(read["63"]) == (63, "injured", "all")


def test_home_to_people_is_a_population_home_to_refugees_is_hosted() -> None:
    read = _read(
        "The district is home to roughly 700,000 people. Lebanon, home to about 900,000 Syrian refugees, "
        "has shut its crossings."
    )
    assert _triple(read["700,000"]) == (700_000, "population", "all")
    assert _triple(read["900,000"]) == (900_000, "hosted", "all")


def test_a_headline_verb_read_as_a_noun() -> None:
    read = _read("UNHCR steps up aid as tens of thousands flee fighting in Idlib\n\nThe bombing went on.")
    assert _triple(read["tens of thousands"]) == (20_000, "displaced", "all")  # "flee" tagged a noun


def test_a_figure_restated_in_the_body_is_proposed_once() -> None:
    doc = document_from_text(
        "Eight civilians killed in strikes on Kafr Nubl\n\n"
        "Eight civilians were killed on Monday in strikes on the town of Kafr Nubl, rescuers said. "
        "On Wednesday, eight civilians were killed in shelling on Maarat Misrin, the same rescuers said.",
        published=date(2020, 2, 20),
    )
    killed = [c for c in extract_figures(doc) if c.record.metric == "killed"]
    # The headline and the first sentence are one figure, the Monday one; Wednesday's is another.
    assert [c.record.period_start for c in killed] == [date(2020, 2, 17), date(2020, 2, 19)]
    value = killed[0].evidence_for("value")
    assert value is not None and value.span.start > 0  # the body's statement, which says when


def test_the_first_day_of_a_range_of_dates_is_not_a_count() -> None:
    found = [
        m.text for m in find_numbers("31 people died between 20 and 23 January, and 40 from 2 to 4 March.")
    ]
    assert found == ["31", "40"]
