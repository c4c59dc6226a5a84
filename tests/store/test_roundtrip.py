"""Records come back from the store exactly as they went in."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon

from haven.model import (
    ACLED_TAXONOMY,
    Actor,
    ActorType,
    AdminLevel,
    Agreement,
    AgreementKind,
    Crossing,
    CrossingStatus,
    DatePrecision,
    Estimate,
    Event,
    EventStatus,
    Figure,
    GeoPrecision,
    Movement,
    Place,
    PrecisionScheme,
    Qualifier,
    RecordKey,
    ShelterBreakdown,
    Site,
    SiteKind,
    SiteSnapshot,
    Source,
)
from haven.store import RecordFilter, Store

PAIRS = [(t, s) for t, subs in ACLED_TAXONOMY.items() for s in subs]
names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
)
counts = st.one_of(st.none(), st.integers(0, 10_000).map(float))


@st.composite
def estimates(draw: st.DrawFn) -> Estimate:
    values = sorted(draw(st.lists(st.integers(0, 5000), min_size=3, max_size=3)))
    mask = draw(st.lists(st.booleans(), min_size=3, max_size=3))
    return Estimate(*[float(v) if keep else None for v, keep in zip(values, mask, strict=True)])


@st.composite
def events(draw: st.DrawFn, record_id: str) -> Event:
    event_type, sub = draw(st.sampled_from(PAIRS))
    start = draw(st.dates(date(1989, 1, 1), date(2030, 1, 1)))
    scheme = draw(st.sampled_from([PrecisionScheme.ACLED, PrecisionScheme.UCDP]))
    return Event(
        key=RecordKey("prop", record_id),
        event_type=event_type,
        sub_event_type=sub,
        date_start=start,
        date_end=draw(st.one_of(st.none(), st.just(start))),
        date_precision=DatePrecision(scheme, draw(st.integers(1, 3))),
        actor1=Actor(
            draw(names), draw(st.one_of(st.none(), st.sampled_from(ActorType))), ("Ally A", "Ally B")
        ),
        actor2=draw(st.one_of(st.none(), names.map(Actor))),
        civilian_targeting=draw(st.booleans()),
        location_name=draw(names),
        point=(draw(st.floats(-180, 180)), draw(st.floats(-90, 90))),
        geo_precision=GeoPrecision(scheme, draw(st.integers(1, 3))),
        fatalities=draw(estimates()),
        injured=draw(estimates()),
        notes=draw(st.one_of(st.none(), names)),
        sources=[Source(draw(names), draw(st.one_of(st.none(), names)))],
        status=draw(st.sampled_from(EventStatus)),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_events_round_trip(data: st.DataObject, tmp_path_factory: object) -> None:
    folder: Path = tmp_path_factory.mktemp("rt")  # type: ignore[attr-defined]
    originals = [data.draw(events(f"E{i}")) for i in range(data.draw(st.integers(1, 5)))]
    with Store.open(folder / "h.db", create=True) as store:
        with store.importing("test", "prop", folder) as writer:
            writer.add_all(originals)
        stored = {e.key: e for e in store.list("event")}
    for original in originals:
        assert stored[original.key] == original


def test_every_other_kind_round_trips(store: Store, tmp_path: Path) -> None:
    source = Source("OCHA", "Flash Update", "https://example.org/fu", date(2020, 2, 20))
    place = Place(
        "SY070301",
        AdminLevel.ADM3,
        "Dana",
        "دانا",
        ("SY", "SY07", "SY0703"),
        ("Danah",),
        (36.7, 36.2),
        Polygon([(36.6, 36.1), (36.8, 36.1), (36.8, 36.3), (36.6, 36.1)]),
        412_000,
    )
    site_key = RecordKey("cccm", "CP000823")
    records = [
        place,
        Movement(
            RecordKey("hnap", "m1"),
            date(2020, 2, 1),
            date(2020, 2, 29),
            1200.5,
            "C3985",
            "Maarat",
            "C4121",
            "Sarmada",
            240,
            700,
            300,
            200,
            sources=[source],
        ),
        Site(
            site_key, "Ikraa", SiteKind.CAMP, "CP000823", "اقراء", "C4130", (36.66, 36.31), 320, 62, [source]
        ),
        SiteSnapshot(
            RecordKey("cccm", "CP000823@2020-02-01"),
            site_key,
            date(2020, 2, 1),
            320,
            62,
            184,
            71,
            65,
            ShelterBreakdown(tents=300, open_air=20),
            "open",
            [source],
        ),
        Figure(
            RecordKey("ref", "F13"),
            "displaced",
            948_000,
            Qualifier.OVER,
            "all",
            date(2020, 2, 26),
            date(2019, 12, 1),
            date(2020, 2, 26),
            date(2020, 2, 26),
            "Northwest Syria",
            None,
            [source],
        ),
        Agreement(
            RecordKey("ref", "A4"),
            "Moscow protocol",
            AgreementKind.CEASEFIRE_AND_CORRIDOR,
            ("Russia", "Turkey"),
            date(2020, 3, 5),
            datetime(2020, 3, 6, 0, 1),
            None,
            "M4 corridor",
            Polygon([(36, 35), (37, 35), (37, 36), (36, 35)]),
            {"op": "buffer", "distance_km": 6},
            "Cease all military actions",
            [source],
        ),
        Crossing(
            RecordKey("ref", "X1"),
            "Bab al-Hawa",
            (36.69, 36.23),
            ("Cilvegozu",),
            "Syria-Turkey",
            [CrossingStatus("open", date(2014, 7, 14), None, "UN cross-border")],
            [source],
        ),
    ]
    with store.importing("test", "mixed", tmp_path) as writer:
        writer.add_all(records)
    assert store.place("SY070301") == place
    assert store.list("movement") == [records[1]]
    assert store.list("site") == [records[2]]
    assert store.list("site_snapshot")[0].shelter == ShelterBreakdown(tents=300, open_air=20)
    assert store.list("figure") == [records[4]]
    agreement = store.list("agreement", RecordFilter(start=date(2020, 3, 1)))[0]
    assert agreement.area.equals(records[5].area) and agreement.area_recipe == {
        "op": "buffer",
        "distance_km": 6,
    }
    assert store.list("crossing") == [records[6]]
