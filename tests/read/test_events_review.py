"""Events, agreements and zones read from our own texts; dedup against the reference crisis; review."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from haven.analysis.reconcile import reconcile_event_fatalities
from haven.geo import Gazetteer
from haven.model import EventStatus, RecordKey
from haven.read.agreements import extract_agreements
from haven.read.documents import document_from_text
from haven.read.events import extract_events
from haven.read.review import accept, correct, queue_document, reject
from haven.services.reference import load_reference_crisis
from haven.store import Store

EDITORIAL = (
    "The war in Syria is reaching a terrible end in the northern province of Idlib. "
    "Russian and Syrian aircraft have been bombing civilian targets in Idlib for weeks. "
    "Turkey says the Assad forces must pull back by the end of this week. "
    "According to the Syrian Observatory for Human Rights, Russian and Syrian warplanes struck a market "
    "in Maarat al-Numan on Tuesday, killing at least 22 civilians and wounding 40 others. "
    "Ankara wants a safe zone about 20 miles deep along the border, including Idlib city."
)
WIRE = "An air strike on a Turkish convoy near Balyun on 27 February killed at least 33 Turkish soldiers."


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Gazetteer]]:
    store = Store.open(Path(tmp_path_factory.mktemp("read")) / "haven.db", create=True)
    load_reference_crisis(store)
    yield store, Gazetteer.from_store(store)
    store.close()


def test_air_strikes_on_civilians_by_russian_and_syrian_aircraft(world: tuple[Store, Gazetteer]) -> None:
    _, gazetteer = world
    doc = document_from_text(EDITORIAL, published=date(2020, 2, 20), publisher="Editorial Board")
    events = extract_events(doc, gazetteer)
    bombing = events[0]
    assert bombing.record.sub_event_type == "Air/drone strike"
    assert bombing.record.actor1.name == "Military Forces of Russia"
    assert bombing.record.actor1.associated == ("Military Forces of Syria",)
    assert bombing.record.civilian_targeting
    assert bombing.record.place_pcode == "SY07"  # the text calls Idlib a province
    assert bombing.record.status is EventStatus.UNDER_REVIEW
    market = next(c for c in events if c.record.place_pcode == "C3985")
    assert market.text_of("fatalities") == "killing at least 22 civilians"
    assert (market.record.fatalities.low, market.record.fatalities.high) == (22, None)
    assert market.record.injured.best == 40
    assert market.record.date_start == date(2020, 2, 18)  # the Tuesday before publication
    assert market.text_of("date") == "on Tuesday"
    assert market.record.geo_precision.code == 1
    assert market.record.tags == "target: market"


def test_deadline_and_proposed_zone(world: tuple[Store, Gazetteer]) -> None:
    _, gazetteer = world
    doc = document_from_text(EDITORIAL, published=date(2020, 2, 20))
    found = extract_agreements(doc, gazetteer)
    deadline = next(c for c in found if c.kind == "agreement")
    assert deadline.record.effective_to.date() == date(2020, 2, 23)
    assert deadline.text_of("effective_to") == "by the end of this week"
    zone = next(c for c in found if c.kind == "zone")
    assert zone.record["recipe"]["distance"] == 20 and zone.record["recipe"]["unit"] == "mi"
    assert {"name": "Idlib city", "pcode": "C3871"} in zone.record["includes"]


def test_ranges_are_kept_as_stated(world: tuple[Store, Gazetteer]) -> None:
    doc = document_from_text(
        "Shelling hit a school in Saraqib on 3 February; between 29 and 33 people were killed.",
        published=date(2020, 2, 5),
    )
    (event,) = extract_events(doc, world[1])
    assert event.record.sub_event_type == "Shelling/artillery/missile attack"
    assert (event.record.fatalities.low, event.record.fatalities.best, event.record.fatalities.high) == (
        29,
        None,
        33,
    )
    assert event.record.date_start == date(2020, 2, 3)


def test_a_second_report_of_balyun_attaches_and_keeps_its_count(world: tuple[Store, Gazetteer]) -> None:
    store, gazetteer = world
    doc = document_from_text(WIRE, published=date(2020, 2, 28), publisher="Wire Agency")
    candidates = extract_events(doc, gazetteer)
    _, ids = queue_document(store, doc, candidates)
    assert queue_document(store, doc, candidates)[1] == []  # reading again adds nothing
    (item,) = [i for i in store.review_queue() if i["id"] in ids]
    assert item["matches"] == "nw-syria-2020-key-events:K09" or item["matches"].endswith(":K09")
    event = accept(store, item["id"])
    k09_key = RecordKey(*item["matches"].rsplit(":", 1))
    assert "Wire Agency" in {s.publisher for s in store.get("event", k09_key).sources}
    stored = store.get("event", event.key)
    assert stored.status is EventStatus.UNDER_REVIEW and stored.fatalities.low == 33
    groups = reconcile_event_fatalities(store.list("event"))
    balyun = next(g for g in groups if any(e.key == k09_key for e in g.events))
    assert event.key in {e.key for e in balyun.events} and balyun.low == 22 and balyun.high == 34


def test_correct_keeps_the_original_and_reject_needs_a_note(world: tuple[Store, Gazetteer]) -> None:
    store, gazetteer = world
    doc = document_from_text(EDITORIAL, published=date(2020, 2, 20), publisher="Editorial Board")
    _, ids = queue_document(store, doc, extract_events(doc, gazetteer))
    corrected = correct(
        store, ids[0], {"fatalities": "5/6/7", "location_name": "Idlib province"}, note="checked"
    )
    assert corrected.fatalities.best == 6
    revisions = store.revisions("event", corrected.key)
    assert revisions[-1].data["fatalities_best"] is None  # the record as read
    assert store.review_item(ids[0])["status"] == "corrected"
    with pytest.raises(Exception, match="needs a note"):
        reject(store, ids[1], "  ")
    reject(store, ids[1], "a threat, not an event")
    assert store.review_item(ids[1])["status"] == "rejected"
    assert len(store.review_queue(document_id=store.review_item(ids[0])["document_id"])) == len(ids)


# Our own wire copy: an event told over two sentences, one told by "also", a list of places, dates
# counted from the event before, a province named bare, and background that is no event.
NARRATIVE = (
    "ANKARA, Feb 27, 2020 (AP) - At least 33 Turkish soldiers were killed in an air strike in Idlib on "
    "Thursday, a governor said. The strike hit Turkish positions near Balyun. Sarmin was also hit. "
    "Turkey retaliated by shelling government positions. The same day, shelling was reported in Saraqab "
    "and Maar Dibsi. The offensive, backed by Russian air strikes, has displaced thousands since December. "
    "Families fled the fighting in Maarat al-Numan."
)


def _rows(doc_text: str, published: date, gazetteer: Gazetteer) -> list[tuple[str | None, str | None, date]]:
    doc = document_from_text(doc_text, published=published)
    return [
        (c.record.sub_event_type, c.record.place_pcode, c.record.date_start)
        for c in extract_events(doc, gazetteer)
    ]


def test_a_report_told_over_several_sentences(world: tuple[Store, Gazetteer]) -> None:
    thursday = date(2020, 2, 27)
    assert _rows(NARRATIVE, thursday, world[1]) == [
        ("Air/drone strike", "C4302", thursday),  # "in Idlib" (the province) made precise: near Balyun
        ("Air/drone strike", "C3953", thursday),  # Sarmin "was also hit"
        ("Shelling/artillery/missile attack", None, thursday),  # no date of its own: the event before's
        ("Shelling/artillery/missile attack", "C3916", thursday),  # "the same day", once per place
        ("Shelling/artillery/missile attack", "C3931", thursday),
    ]


def test_last_weekday_and_the_trigger_that_comes_first(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "Syrian troops backed by Russian air power took control of Maarat al-Numan on Tuesday after weeks "
        "of bombardment. Russia and Turkey announced the ceasefire last Thursday."
    )
    rows = _rows(text, date(2020, 1, 30), world[1])  # a Thursday
    assert rows == [
        ("Government regains territory", "C3985", date(2020, 1, 28)),
        ("Agreement", None, date(2020, 1, 23)),
    ]


def test_phrasings_reporters_and_the_un_use(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "Government of Syria forces took control of Maaret An Nu'man city on 29 January. "
        "Warplanes pounded Talmenes and Maar Shurin on 30 January. "
        "Rebels said they had repelled an attempt by regime troops to advance on Kafr Ruma on 31 January. "
        "On 1 February, an air-strike hit the Al-Iman hospital in Darat Izza. "
        "Government troops pressed on the same day, taking the villages of Kafr Oweid and Sfuhen. "
        "Families took shelter in the town of Sarmada on 2 February."
    )
    assert _rows(text, date(2020, 2, 3), world[1]) == [
        ("Government regains territory", "C3985", date(2020, 1, 29)),  # the UN's name for the army
        ("Air/drone strike", "C3974", date(2020, 1, 30)),  # "Talmenes", listed with a place, is one
        ("Air/drone strike", "C3978", date(2020, 1, 30)),
        ("Armed clash", "C3984", date(2020, 1, 31)),  # an attempt to advance, repelled
        ("Air/drone strike", "C1139", date(2020, 2, 1)),  # where, not the hospital's name
        ("Government regains territory", "C4062", date(2020, 2, 1)),
        ("Government regains territory", "C4054", date(2020, 2, 1)),
    ]  # "took shelter in the town of" takes no town


def test_an_accord_named_before_its_verb(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "The truce that Russia and Turkey agreed in Moscow on Thursday has so far held. "
        "Aid agencies said the deal had brought little relief."
    )
    assert _rows(text, date(2020, 3, 9), world[1]) == [("Agreement", None, date(2020, 3, 5))]


def test_several_kinds_of_event_in_one_sentence(world: tuple[Store, Gazetteer]) -> None:
    saturday, sunday = date(2020, 2, 8), date(2020, 2, 9)
    text = (
        "Russian jets pounded Ariha on Saturday, while government artillery shelled the outskirts of Sarmin. "
        "Government troops battled rebels on the edge of Saraqib on Sunday, a day after capturing the "
        "village of Dadikh. "
        "Warplanes bombed a school in Taftanaz on Saturday evening, and the next morning the village of "
        "Afs was shelled."
    )
    assert _rows(text, date(2020, 2, 10), world[1]) == [
        ("Air/drone strike", "C4278", saturday),
        ("Shelling/artillery/missile attack", "C3953", saturday),  # a clause of its own, its own town
        ("Armed clash", "C3916", sunday),
        ("Government regains territory", "C3910", saturday),  # "a day after capturing": the day before
        ("Air/drone strike", "C3932", saturday),
        ("Shelling/artillery/missile attack", "C3920", sunday),  # "the next morning"
    ]


def test_places_listed_with_words_between(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "On 5 January, government artillery shelled Saraqib and the neighbouring village of Afs. "
        "On 6 January, Russian jets struck Binnish and the outskirts of Taftanaz."
    )
    assert _rows(text, date(2020, 1, 7), world[1]) == [
        ("Shelling/artillery/missile attack", "C3916", date(2020, 1, 5)),
        ("Shelling/artillery/missile attack", "C3920", date(2020, 1, 5)),
        ("Air/drone strike", "C3904", date(2020, 1, 6)),
        ("Air/drone strike", "C3932", date(2020, 1, 6)),
    ]


def test_summaries_periods_and_references_are_no_events(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "The Russian air force kept up a high tempo of air strikes across southern Idlib. "
        "Since 14 December, air strikes have been reported in and around Maarat al-Numan. "
        "Ankara said its shelling killed 76 soldiers, a claim Damascus denied. "
        "Civilian deaths fell, though the number of air strikes remained high."
    )
    rows = _rows(text, date(2020, 2, 5), world[1])
    assert [place for _, place, _ in rows] == [None]  # only the shelling, which killed; not in Damascus


def test_what_is_kept_without_a_day_or_a_town(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "Russian and Syrian aircraft have been bombing civilian targets in southern Idlib for weeks. "
        "Since Thursday, when 34 Turkish soldiers died in an air strike near Balyun, Turkish drones have "
        "hit Syrian tanks. "
        "The Syrian American Medical Society condemned the air strike that hit the hospital in Batabo on "
        "Tuesday, 25 February."
    )
    assert _rows(text, date(2020, 3, 2), world[1]) == [
        ("Air/drone strike", "SY07", date(2020, 2, 25)),  # civilians hit by named sides: for a reviewer
        ("Air/drone strike", "C4302", date(2020, 2, 27)),  # "since Thursday, when ...": that day
        ("Air/drone strike", "C1025", date(2020, 2, 25)),  # "the air strike that hit", in another town
    ]


def test_control_taken_with_the_day_between(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "Regime forces, backed by Russian air cover, took control on Sunday, 16 February, of the towns of "
        "Hreitan and Kafr Hamra. "
        "The following day, government units pushed into Anadan."
    )
    assert _rows(text, date(2020, 2, 17), world[1]) == [
        ("Government regains territory", "C1130", date(2020, 2, 16)),
        ("Government regains territory", "C1134", date(2020, 2, 16)),
        ("Government regains territory", "C1121", date(2020, 2, 17)),
    ]


def test_dated_headings_holidays_and_where_people_fled(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "Attacks documented\n\n"
        "Qminas, February 5\n"
        "Shortly after midnight, an air-dropped bomb hit a house in Qminas.\n\n"
        "On New Year's Day, a rocket slammed into a school in Sarmin.\n\n"
        "Kafr Naha came under heavy shelling on 11 February, and residents fled towards Darat Izza.\n\n"
        "The ceasefire they agreed on 5 March has stopped the Russian air raids. Government artillery "
        "shelled Balyun on Monday, and on Tuesday a roadside bomb exploded near Mhambal."
    )
    assert _rows(text, date(2020, 3, 11), world[1]) == [
        ("Air/drone strike", "C3876", date(2020, 2, 5)),  # the section's heading gives the day
        ("Shelling/artillery/missile attack", "C3953", date(2020, 1, 1)),
        ("Shelling/artillery/missile attack", "C1034", date(2020, 2, 11)),  # not where people fled
        ("Agreement", None, date(2020, 3, 5)),  # and no air raids: they were stopped
        ("Shelling/artillery/missile attack", "C4302", date(2020, 3, 9)),
        ("Remote explosive/landmine/IED", "C4330", date(2020, 3, 10)),
    ]


def test_regions_and_governments_are_no_towns(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "On 28 February, Turkish drones struck government positions across southern Idleb and western "
        "Aleppo. An air strike on Turkish troops brought Ankara and Damascus close to open war "
        "on 27 February. "
        "Displacement accelerates as bombardment continues."
    )
    rows = _rows(text, date(2020, 3, 3), world[1])
    assert [(kind, place) for kind, place, _ in rows] == [
        ("Air/drone strike", "SY07"),
        ("Air/drone strike", None),
    ]


def test_what_official_statements_say(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "Units of the Syrian Arab Army on Sunday liberated the town of al-Eis after fierce clashes. "
        "Engineering units began combing the liberated areas to remove mines and explosive devices. "
        "Today, terrorists broke through the defence lines of the army at Qmenas. "
        "To prevent them advancing into territory liberated by the government forces, aircraft struck them. "
        "Our armed unmanned aerial vehicles struck regime artillery positions and rocket launchers near "
        "Kafr Ruma on 1 March. "
        "Our forces will respond to any attack on our observation posts. "
        "Having taken Maarat al-Numan, the army is closing in on Saraqib."
    )
    assert _rows(text, date(2020, 3, 2), world[1]) == [
        ("Government regains territory", "C1181", date(2020, 3, 1)),  # not the clashes before it
        ("Armed clash", "C3876", date(2020, 3, 2)),
        ("Air/drone strike", None, date(2020, 3, 2)),  # the aircraft, not the territory "liberated by"
        ("Air/drone strike", "C3984", date(2020, 3, 1)),  # artillery positions were hit, not firing
    ]  # no mines lifted, nothing that "will" happen, nothing done "having taken" on no day


def test_a_headline_above_the_dateline(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "Bomb wounds Turkish soldiers as Idlib truce frays\n\n"
        "BEIRUT, March 18, 2020 (AFP) - A roadside bomb exploded near Mhambal on Tuesday, wounding three "
        "Turkish soldiers. Shells fell on the al-Zahraa neighbourhood of the city of Aleppo the same day, "
        "as fighting reached western Aleppo."
    )
    assert _rows(text, date(2020, 3, 18), world[1]) == [
        ("Remote explosive/landmine/IED", "C4330", date(2020, 3, 17)),
        ("Shelling/artillery/missile attack", "C1007", date(2020, 3, 17)),  # the city, not the province
    ]  # the headline's bomb is the body's; "western Aleppo" is the province


def test_the_same_event_again_on_another_day(world: tuple[Store, Gazetteer]) -> None:
    text = "Heavy fighting was recorded around Abu Dhuhur on 6 January and again on 7 January."
    assert _rows(text, date(2020, 1, 14), world[1]) == [
        ("Armed clash", "C3891", date(2020, 1, 6)),
        ("Armed clash", "C3891", date(2020, 1, 7)),
    ]


def test_accords_bombs_and_roads_as_reports_write_them(world: tuple[Store, Gazetteer]) -> None:
    text = (
        "ARMANAZ, Syria, March 7, 2020 (AP) - Regime shelling was reported overnight. "
        "A bomb hidden on a motorcycle exploded in a street in Armanaz late Friday. "
        "The ceasefire was agreed on Thursday in Moscow. "
        "On Sunday, government artillery fell on Bsanqul. "
        "Pro-government forces captured Urum al-Kubra, a town on the Aleppo-Bab al-Hawa road, on 5 March."
    )
    assert _rows(text, date(2020, 3, 9), world[1]) == [
        ("Shelling/artillery/missile attack", None, date(2020, 3, 8)),  # "Regime" opens it: no village
        ("Remote explosive/landmine/IED", "C4176", date(2020, 3, 6)),  # planted: nothing flew
        ("Agreement", None, date(2020, 3, 5)),
        ("Shelling/artillery/missile attack", "C4322", date(2020, 3, 8)),
        ("Government regains territory", "C1029", date(2020, 3, 5)),  # not Aleppo: a road's name
    ]
