"""Sentences, names and dates by rules, and spaCy's analysis run only where the readers need it."""

from __future__ import annotations

from datetime import date, datetime

import dateparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.read import document_from_text
from haven.read.analysis import STATISTICAL, AttributeRules, lemma, nlp
from haven.read.documents import parse_date
from haven.read.names import could_be_place, find_names
from haven.read.sentences import split_sentences
from haven.read.spans import Span

WIRE = (
    "BEIRUT, Feb 5, 2020 (Reuters) - Syrian government forces recaptured the town of Saraqib on "
    "Wednesday, a commander said.\n\n"
    "U.N. official Mark Lowcock said last week. Mr. Erdogan met Russian officials on Feb. 3 in Ankara. "
    "“Babies are dying,” he said. Rescue workers said 11 civilians were killed in Taftanaz.\n\n"
    "A heading without a full stop\n"
    "Shelling struck the outskirts of Darat Izza on Sunday."
)


def _texts(text: str, spans: list[Span]) -> list[str]:
    return [text[s.start : s.end] for s in spans]


def test_sentences_end_at_stops_lines_and_headings_not_at_abbreviations() -> None:
    assert _texts(WIRE, split_sentences(WIRE)) == [
        "BEIRUT, Feb 5, 2020 (Reuters) - Syrian government forces recaptured the town of Saraqib on "
        "Wednesday, a commander said.",
        "U.N. official Mark Lowcock said last week.",
        "Mr. Erdogan met Russian officials on Feb. 3 in Ankara.",
        "“Babies are dying,” he said.",
        "Rescue workers said 11 civilians were killed in Taftanaz.",
        "A heading without a full stop",
        "Shelling struck the outskirts of Darat Izza on Sunday.",
    ]


_PIECES = st.sampled_from(
    ["Air strikes hit Ariha.", "Mr. Putin spoke.", "U.N. aid", "\n\n", "\n", " ", "“He left.”", "No. 6",
     "Some 900,000 fled", "?", "!", "e.g. this", "A"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_sentences_are_ordered_trimmed_spans_covering_every_word(text: str) -> None:
    spans = split_sentences(text)
    last = 0
    for span in spans:
        assert last <= span.start < span.end <= len(text)
        piece = text[span.start : span.end]
        assert piece == piece.strip() and piece
        assert not text[last : span.start].strip()  # nothing but blanks between sentences
        last = span.end
    assert not text[last:].strip()


def test_names_with_their_clues() -> None:
    text = (
        "Shelling struck the outskirts of Darat Izza on Monday. The Syrian Observatory for Human Rights "
        "said President Bashar al-Assad's forces took Maarat al-Numan, and Turkish-backed rebels fled."
    )
    names = {n.text: n for n in find_names(text, split_sentences(text))}
    assert "Shelling" not in names and "Monday" not in names  # a sentence's first word; a day
    assert names["Darat Izza"].place_cue and could_be_place(names["Darat Izza"])
    assert names["Syrian Observatory for Human Rights"].text.startswith("Syrian")
    assert not could_be_place(names["Syrian Observatory for Human Rights"])
    assert names["President Bashar al-Assad"].actor_cue
    assert not could_be_place(names["President Bashar al-Assad"])
    assert not names["Maarat al-Numan"].initial
    assert "Turkish-backed" not in names


@pytest.mark.parametrize(
    ("text", "relative_to"),
    [
        ("20 February 2020", None),
        ("Feb. 20, 2020", None),
        ("24 February", date(2020, 2, 26)),
        ("1 December", date(2020, 2, 20)),
        ("March 15", date(2020, 3, 5)),
        ("February 2020", None),
        ("29 February", date(2020, 1, 5)),  # not a day of 2019: left to dateparser, which says so too
    ],
)
def test_plain_dates_read_as_dateparser_reads_them(text: str, relative_to: date | None) -> None:
    assert parse_date(text, relative_to=relative_to) == _dateparser(text, relative_to)


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(2015, 1, 1), max_value=date(2024, 12, 31)),
    st.dates(min_value=date(2016, 1, 1), max_value=date(2024, 12, 31)),
    st.sampled_from(["{d} {B} {Y}", "{B} {d}, {Y}", "{d} {b}", "{b}. {d}", "{B} {d}", "{B} {Y}"]),
)
def test_plain_dates_agree_with_dateparser(day: date, base: date, form: str) -> None:
    text = form.format(d=day.day, B=day.strftime("%B"), b=day.strftime("%b"), Y=day.year)
    assert parse_date(text, relative_to=base) == _dateparser(text, base)


def _dateparser(text: str, relative_to: date | None) -> date | None:
    options: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if relative_to is not None:
        options["RELATIVE_BASE"] = datetime(relative_to.year, relative_to.month, relative_to.day)
        options["PREFER_DATES_FROM"] = "past"
    found = dateparser.parse(text, languages=["en"], settings=options)
    return found.date() if found else None


def test_only_the_sentences_asked_for_are_parsed_and_tokens_keep_their_offsets() -> None:
    doc = document_from_text(WIRE, published=date(2020, 2, 5))
    sentences = doc.sentences()
    with_number = [s for s in sentences if "11 civilians" in doc.snippet(s)]
    analysed = doc.analyse(with_number)
    assert doc.is_analysed(with_number[0]) and not doc.is_analysed(sentences[0])
    assert analysed.text == WIRE
    for token in analysed:
        assert WIRE[token.idx : token.idx + len(token.text)] == token.text
    killed = next(t for t in analysed if t.text == "killed")
    assert killed.tag_ == "VBN" and killed.pos_ == "VERB" and lemma(killed) == "kill"
    assert next(t for t in analysed if t.text == "recaptured").tag_ == ""  # not asked for: not tagged


def test_attribute_rules_give_what_spacys_attribute_ruler_gives() -> None:
    pipeline = nlp()
    ruler = pipeline.get_pipe("attribute_ruler")
    rules = AttributeRules(ruler)  # type: ignore[arg-type]
    text = (
        WIRE + " There were 3 of them; it's what they'd gotta do, isn't it? I ain't gonna say that those "
        "that came did not have doubts.\n  \nLet's go. Y'all know nothin' about 'em."
    )
    expected = pipeline.make_doc(text)
    for name in STATISTICAL:
        expected = pipeline.get_pipe(name)(expected)
    ours = expected.copy()
    ruler(expected)
    rules.apply(ours)
    assert [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in ours] == [
        (t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in expected
    ]
