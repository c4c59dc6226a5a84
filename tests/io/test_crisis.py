from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from shapely.geometry import Point

from haven.errors import InputError
from haven.io.base import run_import
from haven.io.crisis import AgreementArea, AgreementsImporter
from haven.io.registry import importer_for
from haven.model import AgreementKind, Qualifier, RecordKey
from haven.services.reference import reference_path
from haven.store import RecordFilter, Store

DATASET = "nw-syria-2020"


def key(record_id: str) -> RecordKey:
    return RecordKey(DATASET, record_id)


def _with_rows(tmp_path: Path, shipped: str, *rows: str, replace: tuple[str, str] | None = None) -> Path:
    """A copy of a shipped file, optionally with one text replaced, and rows appended."""
    text = reference_path(shipped).read_text(encoding="utf-8")
    if replace is not None:
        assert replace[0] in text
        text = text.replace(*replace)
    path = tmp_path / shipped
    path.write_text(text.rstrip("\n") + "\n" + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_figures_keep_qualifier_period_area_and_source(store: Store) -> None:
    report = run_import(store, importer_for("figures"), reference_path("reported_figures.csv"))
    assert (report.inserted, report.updated, report.unchanged) == (31, 0, 0)
    f13 = store.get("figure", key("F13"))
    assert (f13.metric, f13.subgroup, f13.value, f13.qualifier) == (
        "displaced",
        "all",
        948000,
        Qualifier.OVER,
    )
    assert (f13.period_start, f13.period_end, f13.as_of) == (
        date(2019, 12, 1),
        date(2020, 2, 26),
        date(2020, 2, 26),
    )
    [source] = f13.sources
    assert source.publisher == "OCHA"
    assert source.title == "Recent Developments in Northwest Syria - Situation Report No. 9"
    assert source.published_on == date(2020, 2, 26)
    f04 = store.get("figure", key("F04"))
    assert (f04.as_of, f04.area_pcode, f04.effective_date) == (None, "SY07", date(2020, 1, 31))
    assert store.get("figure", key("F22")).qualifier is Qualifier.ALMOST
    assert store.get("figure", key("F28")).qualifier is Qualifier.AT_LEAST
    assert store.get("figure", key("F03")).subgroup == "women_and_children_share_pct"


def test_key_events_keep_ranges_precision_and_every_source(store: Store) -> None:
    report = run_import(store, importer_for("events"), reference_path("key_events.csv"))
    assert report.inserted == 14
    market = store.get("event", key("K03"))
    assert (market.fatalities.low, market.fatalities.best, market.fatalities.high) == (15, 19, 19)
    assert (market.injured.low, market.injured.best, market.injured.high) == (65, 65, 65)
    assert market.civilian_targeting is True
    assert market.place_pcode == "C3871"
    assert market.point == pytest.approx((36.635276, 35.929008))
    assert (market.geo_precision.scheme, market.geo_precision.code) == ("acled", 1)
    assert [s.publisher for s in market.sources] == [
        "SOHR via AFP",
        "Syrian Civil Defence",
        "OHCHR via UN briefing of 6 February 2020",
    ]
    offensive = store.get("event", key("K01"))
    assert (offensive.date_start, offensive.date_end) == (date(2019, 12, 19), date(2019, 12, 24))
    assert not offensive.fatalities.is_known and offensive.civilian_targeting is False
    ceasefire = store.get("event", key("K02"))  # located by its governorate only
    assert (ceasefire.place_pcode, ceasefire.point, ceasefire.geo_precision.code) == ("SY07", None, 3)
    moscow = store.get("event", key("K13"))  # outside the area: no p-code, point or precision
    assert (moscow.place_pcode, moscow.point, moscow.geo_precision) == (None, None, None)
    assert moscow.location_name == "Moscow"


def test_agreements_map_kinds_parties_and_date_times(store: Store) -> None:
    report = run_import(store, importer_for("agreements"), reference_path("agreements.csv"))
    assert report.inserted == 5
    moscow = store.get("agreement", key("A4"))
    assert moscow.kind is AgreementKind.CEASEFIRE_AND_CORRIDOR
    assert moscow.parties == ("Russia", "Turkey")
    assert moscow.signed_on == date(2020, 3, 5)
    assert moscow.effective_from == datetime(2020, 3, 6, 0, 1)
    assert moscow.effective_to is None and moscow.area is None and moscow.area_recipe is None
    january = store.get("agreement", key("A2"))
    assert (january.effective_from, january.effective_to) == (
        datetime(2020, 1, 12),
        datetime(2020, 1, 14, 23, 59, 59),
    )
    assert store.get("agreement", key("A1")).kind is AgreementKind.DEMILITARIZED_ZONE
    assert store.get("agreement", key("A3")).parties == ("Turkey (demand on Syria)",)
    assert store.get("agreement", key("A3")).kind is AgreementKind.DEADLINE
    resolution = store.get("agreement", key("A5"))
    assert resolution.kind is AgreementKind.ACCESS_RESOLUTION
    assert [s.publisher for s in resolution.sources] == ["Resolution text"]


def test_agreement_areas_given_by_id_are_stored_with_their_recipe(store: Store) -> None:
    area = Point(36.7, 35.85).buffer(0.05)
    recipe = {"op": "buffer", "line": "m4-highway", "distance_km": 6, "side": "both"}
    importer = AgreementsImporter(areas={"A4": AgreementArea(area, recipe)})
    run_import(store, importer, reference_path("agreements.csv"))
    moscow = store.get("agreement", key("A4"))
    assert moscow.area_recipe == recipe
    assert moscow.area.equals_exact(area, 0)
    assert store.get("agreement", key("A2")).area is None


def test_crossings_get_a_dated_status(store: Store) -> None:
    report = run_import(store, importer_for("crossings"), reference_path("crossings.csv"))
    assert report.inserted == 2
    hawa = store.get("crossing", key("X1"))
    assert hawa.name == "Bab al-Hawa"
    assert hawa.alt_names == ("Bab al Hawa", "Cilvegozu (Turkish side)")
    assert hawa.point == pytest.approx((36.692639, 36.230639))
    assert hawa.status_on(date(2020, 2, 1)).status == "open for UN cross-border aid"
    assert hawa.status_on(date(2014, 7, 13)) is None


def test_rows_sharing_a_crossing_id_make_its_status_history(store: Store, tmp_path: Path) -> None:
    later = (
        "X1,Bab al-Hawa,Bab al-Hawa border gate,36.230639,36.692639,Syria-Turkey,"
        "open for UN cross-border aid (sole authorised crossing),2021-07-10,,Resolution 2585"
    )
    path = _with_rows(
        tmp_path,
        "crossings.csv",
        later,
        replace=(",2014-07-14,,Main UN", ",2014-07-14,2021-07-09,Main UN"),
    )
    report = run_import(store, importer_for("crossings"), path)
    assert report.inserted == 2
    hawa = store.get("crossing", key("X1"))
    assert [s.valid_from for s in hawa.statuses] == [date(2014, 7, 14), date(2021, 7, 10)]
    assert hawa.status_on(date(2022, 1, 1)).note == "Resolution 2585"
    assert hawa.status_on(date(2020, 2, 1)).status == "open for UN cross-border aid"
    assert hawa.alt_names == ("Bab al Hawa", "Cilvegozu (Turkish side)", "Bab al-Hawa border gate")


def test_a_crossing_moved_between_its_rows_is_an_error(store: Store, tmp_path: Path) -> None:
    moved = "X1,Bab al-Hawa,,36.3,36.692639,Syria-Turkey,closed,2021-07-10,,"
    path = _with_rows(tmp_path, "crossings.csv", moved)
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("crossings"), path)
    assert str(caught.value) == (
        f"{path}, row 4, column latitude: differs from row 2 of the same crossing "
        "(got '36.3'; expected 36.230639 as on row 2)"
    )


BAD_LAST_ROWS = [
    pytest.param(
        "figures",
        "reported_figures.csv",
        (
            "F01,2020-01-02,2020-01-01,displaced,all,300000,",
            "F01,2020-01-02,2020-01-01,displaced,all,310000,",
        ),
        "F32,2020-03-06,2020-03-05,displaced,all,960000,roughly,Northwest Syria,,2019-12-01,2020-03-05,"
        "OCHA,Update",
        "row 33, column qualifier: not a qualifier (got 'roughly'; "
        "expected one of exact, about, over, almost, at_least, up_to (or empty for exact))",
        id="figures",
    ),
    pytest.param(
        "events",
        "key_events.csv",
        ("Government forces enter the town", "Government forces take the town"),
        "K15,2020-02-30,2020-02-30,Saraqib,C3916,35.861105,36.80611,1,Battles,Armed clash,"
        "Military Forces of Syria,,,,,,,Fighting.,News reports",
        "row 16, column date_start: not a date (got '2020-02-30'; "
        "expected a date as YYYY-MM-DD or DD Month YYYY)",
        id="events",
    ),
    pytest.param(
        "agreements",
        "agreements.csv",
        ("Russia; Turkey,ceasefire,Idlib", "Russia; Turkey; Iran,ceasefire,Idlib"),
        "A6,Moscow follow-up,2020-03-10,10 March 2020 12:00,,Russia; Turkey,ceasefire,Idleb,"
        "Patrols,Statements",
        "row 7, column effective_from: not a date or date-time (got '10 March 2020 12:00'; "
        "expected a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM))",
        id="agreements",
    ),
    pytest.param(
        "crossings",
        "crossings.csv",
        ("North of Azaz", "Just north of Azaz"),
        "X3,Al Yarubiyah,Tal Kocher,north,42.1,Syria-Iraq,closed to UN cross-border aid,2020-01-10,,",
        "row 4, column latitude: not a number (got 'north'; expected a number)",
        id="crossings",
    ),
]


@pytest.mark.parametrize(("kind", "shipped", "change", "bad_row", "message"), BAD_LAST_ROWS)
def test_bad_last_row_leaves_the_database_unchanged(
    store: Store, tmp_path: Path, kind: str, shipped: str, change: tuple[str, str], bad_row: str, message: str
) -> None:
    first = run_import(store, importer_for(kind), reference_path(shipped))
    record_kind = {
        "figures": "figure",
        "events": "event",
        "agreements": "agreement",
        "crossings": "crossing",
    }[kind]
    before = store.list(record_kind, RecordFilter(include_deleted=True))
    imports = store.imports()

    bad = _with_rows(tmp_path, shipped, bad_row, replace=change)
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for(kind), bad)
    assert str(caught.value) == f"{bad}, {message}"
    assert store.list(record_kind, RecordFilter(include_deleted=True)) == before  # the changed row too
    assert store.imports() == imports
    assert first.inserted == len(before)


@pytest.mark.parametrize(
    ("kind", "shipped", "count"),
    [("figures", "reported_figures.csv", 31), ("events", "key_events.csv", 14),
     ("agreements", "agreements.csv", 5), ("crossings", "crossings.csv", 2)],
)  # fmt: skip
def test_reimport_changes_nothing(store: Store, kind: str, shipped: str, count: int) -> None:
    run_import(store, importer_for(kind), reference_path(shipped))
    again = run_import(store, importer_for(kind), reference_path(shipped))
    assert (again.inserted, again.updated, again.unchanged, again.deleted) == (0, 0, count, 0)


def test_unknown_agreement_kind_names_the_accepted_words(store: Store, tmp_path: Path) -> None:
    path = _with_rows(tmp_path, "agreements.csv", "A6,Truce,2020-03-10,,,Russia; Turkey,truce,,,")
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("agreements"), path)
    error = caught.value
    assert (error.row, error.column, error.value, error.message) == (
        7,
        "kind",
        "truce",
        "not a kind of agreement",
    )
    assert "ceasefire and security corridor" in (error.expected or "")


def test_latitude_without_longitude_is_an_error(store: Store, tmp_path: Path) -> None:
    row = "K15,2020-03-06,,Saraqib,C3916,35.861105,,1,Battles,Armed clash,Military Forces of Syria,,,,,,,,"
    path = _with_rows(tmp_path, "key_events.csv", row)
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("events"), path)
    assert str(caught.value) == (
        f"{path}, row 16, column longitude: is empty but latitude is given "
        "(got ''; expected both latitude and longitude, or neither)"
    )


def test_fatalities_out_of_order_are_an_error(store: Store, tmp_path: Path) -> None:
    row = "K15,2020-03-06,,Saraqib,C3916,,,,Battles,Armed clash,Military Forces of Syria,,,20,19,25,,,"
    path = _with_rows(tmp_path, "key_events.csv", row)
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("events"), path)
    assert str(caught.value) == (
        f"{path}, row 16, column fatalities_best: an estimate needs low <= best <= high, "
        "got low=20 best=19 high=25 (got '19')"
    )
    assert store.count("event") == 0


def test_an_agreement_ending_before_it_starts_is_an_error(store: Store, tmp_path: Path) -> None:
    row = "A6,Truce,2020-03-10,2020-03-12,2020-03-11,Russia; Turkey,ceasefire,,,"
    path = _with_rows(tmp_path, "agreements.csv", row)
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("agreements"), path)
    assert str(caught.value) == (
        f"{path}, row 7, column effective_to: is before effective_from "
        "(got '2020-03-11'; expected 2020-03-12 00:00 or later)"
    )
