"""Agreement compliance on the reference crisis: the Moscow protocol's M4 corridor (A4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from haven.analysis.compliance import compliance_report
from haven.errors import NotFoundError, ValidationError
from haven.geo.zones import contains, create_zone
from haven.model import Actor, Estimate, Event, RecordKey
from haven.services.reference import load_reference_crisis
from haven.store import Store

# 2 km north of the M4 at Ariha (inside the 6 km corridor), and Sarmada by the Turkish border (outside)
IN_CORRIDOR = (36.6100, 35.8300)
OUTSIDE = (36.7220, 36.1780)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("compliance") / "haven.db", create=True)
    load_reference_crisis(store)
    yield store
    store.close()


def _event(record_id: str, day: date, point: tuple[float, float], kind: str = "Battles") -> Event:
    sub = {"Battles": "Armed clash", "Explosions/Remote violence": "Shelling/artillery/missile attack"}[kind]
    return Event(
        key=RecordKey("test-compliance", record_id),
        event_type=kind,
        sub_event_type=sub,
        date_start=day,
        actor1=Actor("Military Forces of Syria (2000-)"),
        actor2=Actor("Hayat Tahrir al-Sham"),
        point=point,
        fatalities=Estimate(1, 1, None),
    )


def test_the_m4_corridor_report_on_the_reference_data(reference: Store) -> None:
    report = compliance_report(reference, "A4")
    assert report.effective_from == datetime(2020, 3, 6, 0, 1)
    assert report.area == "the agreement's recipe, rebuilt"
    assert 900 < report.area_km2 < 1200  # about 12 km wide along about 80 km of road
    assert report.start == date(2020, 2, 5) and report.end == date(2020, 4, 5)
    # in the reference data only the joint patrol of 15 March (K14, not violent) is inside after
    assert report.events_after == 1 and report.violations == [] and report.first_violation is None
    # before: the key events in the window whose points lie in the corridor the loader stored
    a4 = next(a for a in reference.list("agreement") if a.key.record_id == "A4")
    expected = [
        e.key.record_id
        for e in reference.list("event")
        if e.point and date(2020, 2, 5) <= e.date_start < date(2020, 3, 6) and contains(a4.area, e.point)
    ]
    assert report.events_before == len(expected) >= 3  # Saraqib, 6 February to 2 March
    assert len(report.daily) == (report.end - report.start).days + 1
    assert sum(d.events for d in report.daily) == report.events_before + report.events_after


def test_an_event_in_the_corridor_after_0001_on_6_march_is_a_violation(reference: Store) -> None:
    corridor = compliance_report(reference, "A4")
    assert corridor.violations == []
    a4 = next(a for a in reference.list("agreement") if a.key.record_id == "A4")
    assert contains(a4.area, IN_CORRIDOR) and not contains(a4.area, OUTSIDE)  # type: ignore[arg-type]
    with reference.importing("event", "test-compliance", "test-compliance") as writer:
        writer.add(_event("after", date(2020, 3, 6), IN_CORRIDOR, "Explosions/Remote violence"))
        writer.add(_event("before", date(2020, 3, 4), IN_CORRIDOR))
        writer.add(_event("outside", date(2020, 3, 7), OUTSIDE))
    report = compliance_report(reference, "A4")
    assert [v.key for v in report.violations] == ["test-compliance:after"]
    assert report.violations[0].day == date(2020, 3, 6) and report.violations[0].location is None
    assert report.first_violation == date(2020, 3, 6) and report.days_to_first_violation == 0
    assert report.events_before == corridor.events_before + 1
    assert report.events_after == corridor.events_after + 1
    syria = report.by_actor["Military Forces of Syria (2000-)"]
    assert syria == {"before": 1, "after": 1}
    day = {d.day: d for d in report.daily}
    assert day[date(2020, 3, 6)].violent_events == 1 and day[date(2020, 3, 7)].events == 0


def test_a_deadline_needs_an_area_and_reports_its_state(reference: Store) -> None:
    with pytest.raises(ValidationError, match=r"agreement A3 has no area .* give one with --zone NAME"):
        compliance_report(reference, "A3")
    create_zone(reference, "idleb", {"op": "admin", "pcodes": ["SY07"]})
    report = compliance_report(reference, "A3", zone="idleb")
    assert report.deadline is not None and report.deadline.deadline.date() == date(2020, 2, 29)
    assert report.deadline.events_week_before >= 1  # K08, K09, K10: 25-27 February in Idleb
    assert report.end == date(2020, 2, 29)
    with pytest.raises(NotFoundError, match="no agreement 'A9'"):
        compliance_report(reference, "A9")
