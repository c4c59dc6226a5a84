from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.analysis.reconcile import (
    ReconcileRules,
    counts_in_notes,
    group_figures,
    reconcile_event_fatalities,
    reconcile_figures,
    reconcile_group,
)
from haven.errors import ValidationError
from haven.model import Estimate, Event, Figure, Qualifier, RecordKey, Reliability, Source
from haven.services.reference import load_reference_crisis
from haven.store import Store


@pytest.fixture(scope="module")
def crisis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(Path(tmp_path_factory.mktemp("ref")) / "haven.db", create=True)
    load_reference_crisis(store)
    yield store
    store.close()


def fig(
    rid: str,
    value: float,
    day: date,
    *,
    qualifier: Qualifier = Qualifier.ABOUT,
    reported: date | None = None,
    publisher: str = "OCHA",
    grade: Reliability = Reliability.F,
    pcode: str | None = None,
    area: str = "Northwest Syria",
    since: date | None = date(2019, 12, 1),
) -> Figure:
    return Figure(
        key=RecordKey("t", rid),
        metric="displaced",
        value=value,
        qualifier=qualifier,
        as_of=day,
        period_start=since,
        reported_on=reported or day,
        area_name=area,
        area_pcode=pcode,
        sources=[Source(publisher, reliability=grade)],
    )


def test_reference_crisis_displaced_series_and_the_390k_586k_contradiction(crisis: Store) -> None:
    groups = reconcile_figures(crisis.list("figure"), metrics=("displaced",))
    series = [g for g in groups if g.subgroup == "all" and g.since == date(2019, 12, 1)]
    assert [(g.low, g.high) for g in series] == [
        (300000, 300000),
        (350000, 350000),
        (390000, 586000),
        (800000, 800000),
        (900000, 900000),
        (948000, 948000),
        (1000000, 1000000),
    ]
    early = series[2]
    assert early.contradiction and early.best == 586000
    assert [f.key.record_id for f in early.reports] == ["F04", "F05"]
    assert any("390,000" in flag and "586,000" in flag for flag in early.flags)
    assert early.areas_differ
    assert not any(g.contradiction for g in series if g is not early)


def test_reference_crisis_turkish_casualty_counts_are_flagged(crisis: Store) -> None:
    results = {r.events[0].key.record_id: r for r in reconcile_event_fatalities(crisis.list("event"))}
    saraqib = results["K05"]
    assert saraqib.counts_by_noun["soldier"] == [4, 5, 6, 7]
    assert saraqib.contradiction and "soldier counts named: 4, 5, 6, 7" in saraqib.flags
    balyun = results["K09"]
    assert balyun.counts_by_noun["unspecified"] == [22, 29, 33, 34]
    assert (balyun.low, balyun.best, balyun.high) == (22, 34, 34) and balyun.contradiction
    assert not results["K07"].contradiction  # 5 soldiers, one count


def test_dates_within_tolerance_group_and_beyond_do_not() -> None:
    a, b = fig("a", 100, date(2020, 2, 1)), fig("b", 110, date(2020, 2, 4))
    assert len(group_figures([a, b], ReconcileRules(date_tolerance_days=3))) == 1
    assert len(group_figures([a, b], ReconcileRules(date_tolerance_days=2))) == 2


def test_different_counting_starts_are_different_quantities() -> None:
    a = fig("a", 100, date(2020, 2, 2))
    b = fig("b", 20, date(2020, 2, 2), since=date(2020, 1, 26))
    assert len(group_figures([a, b])) == 2


def test_area_rule_loose_and_strict() -> None:
    idleb = fig("a", 390, date(2020, 2, 1), pcode="SY07", area="Idleb")
    nws = fig("b", 586, date(2020, 2, 2))
    dana = fig("c", 500, date(2020, 2, 2), pcode="SY070301", area="Dana")
    assert len(group_figures([idleb, nws])) == 1
    assert len(group_figures([idleb, nws], ReconcileRules(area_match="strict"))) == 2
    assert len(group_figures([idleb, dana])) == 2  # two p-codes: never the same area


def test_recency_rule_picks_the_later_report() -> None:
    old = fig("old", 100, date(2020, 2, 1), reported=date(2020, 2, 2))
    new = fig("new", 90, date(2020, 2, 1), reported=date(2020, 2, 5))
    assert reconcile_group([old, new], ReconcileRules(order=("recency",))).best == 90


def test_reliability_rule_and_publisher_override() -> None:
    news = fig("news", 100, date(2020, 2, 1), reported=date(2020, 2, 5), publisher="News")
    ocha = fig("ocha", 90, date(2020, 2, 1), reported=date(2020, 2, 2), grade=Reliability.B)
    assert reconcile_group([news, ocha]).best == 90
    rules = ReconcileRules(publisher_grades={"news": Reliability.A})
    assert reconcile_group([news, ocha], rules).best == 100


def test_specificity_rule_prefers_pcoded_exact_figures() -> None:
    vague = fig("vague", 100, date(2020, 2, 1))
    exact = fig("exact", 97, date(2020, 2, 1), qualifier=Qualifier.EXACT, pcode="SY07")
    assert reconcile_group([vague, exact], ReconcileRules(order=("specificity",))).best == 97


def test_qualifier_floor_raises_the_best_value_and_agrees_with_larger_values() -> None:
    over = fig("over", 800, date(2020, 2, 12), qualifier=Qualifier.OVER, reported=date(2020, 2, 1))
    about = fig("about", 700, date(2020, 2, 12), reported=date(2020, 2, 13))
    result = reconcile_group([over, about], ReconcileRules(order=("recency",)))
    assert (result.best, result.best_qualifier) == (800, Qualifier.AT_LEAST)
    assert not result.contradiction  # "over 800" and "about 900" can both be right:
    assert not reconcile_group([over, fig("x", 1000, date(2020, 2, 12))]).contradiction
    ignoring = ReconcileRules(order=("recency",), respect_qualifiers=False)
    assert reconcile_group([over, about], ignoring).best == 700


def test_floor_above_ceiling_is_a_contradiction() -> None:
    over = fig("over", 1000, date(2020, 3, 5), qualifier=Qualifier.OVER)
    almost = fig("almost", 950, date(2020, 3, 5), qualifier=Qualifier.ALMOST)
    assert reconcile_group([over, almost]).contradiction


def test_spread_tolerance_is_configurable() -> None:
    pair = [fig("a", 100, date(2020, 2, 1)), fig("b", 125, date(2020, 2, 1))]
    assert reconcile_group(pair, ReconcileRules(spread_tolerance=0.1)).contradiction
    assert not reconcile_group(pair, ReconcileRules(spread_tolerance=0.25)).contradiction


def test_unknown_rule_is_refused_with_the_choices() -> None:
    with pytest.raises(ValidationError, match="unknown reconciliation rule"):
        ReconcileRules(order=("loudness",))


def _event(dataset: str, rid: str, day: date, fatalities: Estimate, grade: Reliability) -> Event:
    return Event(
        key=RecordKey(dataset, rid),
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        date_start=day,
        point=(36.5036, 35.6960),
        fatalities=fatalities,
        sources=[Source(dataset, reliability=grade)],
    )


def test_events_from_several_datasets_are_matched_and_reconciled() -> None:
    acled = _event("acled", "1", date(2020, 2, 27), Estimate(33, 33, None), Reliability.B)
    ucdp = _event("ucdp", "9", date(2020, 2, 28), Estimate(29, 33, 36), Reliability.C)
    far = _event("ucdp", "10", date(2020, 3, 10), Estimate(2, 2, 2), Reliability.C)
    results = reconcile_event_fatalities([acled, ucdp, far])
    assert len(results) == 2
    joint = results[0]
    assert [e.key.dataset for e in joint.events] == ["acled", "ucdp"]
    assert (joint.low, joint.best, joint.high, joint.best_from) == (29, 33, 36, "acled:1")


@given(
    st.lists(st.integers(0, 999), min_size=1, max_size=4, unique=True),
    st.sampled_from(["soldiers", "civilians", "people", "children"]),
)
def test_counts_joined_by_then_or_share_their_noun(counts: list[int], noun: str) -> None:
    text = "early reports said " + " then ".join(map(str, counts)) + f" {noun}; a later toll"
    found = counts_in_notes(text)
    assert [m.value for m in found] == counts
    expected = {"soldiers": "soldier", "civilians": "civilian", "people": "person", "children": "child"}
    assert {m.noun for m in found} == {expected[noun]}


@given(st.integers(1, 28), st.sampled_from(["January", "February", "Mar"]), st.integers(1990, 2030))
def test_dates_times_years_and_codes_are_not_counts(day: int, month: str, year: int) -> None:
    text = f"On {day} {month} {year} at 00:01 two Su-24 jets flew over the M4; in {year} nothing else"
    assert counts_in_notes(text) == []
