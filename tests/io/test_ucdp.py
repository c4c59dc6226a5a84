"""UCDP GED importer.

The fixture ``ucdp_ged_syria.csv`` is constructed, not copied from a GED release: no retrievable GED
file covers Syria 2019-2020 (see the data provenance notes). Its five rows use GED 23.1's exact column
layout and restate events of the reference crisis' key_events.csv (K03, K05, K07, K08, K09)
with their reported low/best/high tolls; the ids (9001xx) and conflict/dyad ids are made up.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.errors import InputError
from haven.io.base import run_import
from haven.io.registry import importer_for
from haven.io.ucdp import GED_COLUMNS, VIOLENCE_CROSSWALK, UcdpImporter
from haven.model import ACLED_TAXONOMY, ActorType, Estimate, Event, RecordKey
from haven.store import RecordFilter, Store

FIXTURE = "ucdp_ged_syria.csv"


def test_ged_file_imports_with_estimates_precision_and_crosswalk(store: Store, fixtures: Path) -> None:
    report = run_import(store, importer_for("ucdp"), fixtures / FIXTURE)
    assert (report.dataset, report.inserted, report.updated, report.unchanged) == ("ucdp-ged", 5, 0, 0)

    market = store.get("event", RecordKey("ucdp-ged", "900101"))
    assert (market.event_type, market.sub_event_type) == ("Violence against civilians", "Attack")
    assert market.violence_type == "one-sided violence"
    assert market.civilian_targeting is True
    assert market.fatalities == Estimate(15, 19, 19)
    assert market.date_start == market.date_end == date(2020, 1, 15)  # "2020-01-15 00:00:00.000" in GED
    assert (market.geo_precision.scheme, market.geo_precision.code) == ("ucdp", 1)
    assert market.geo_precision.meaning == "exact location"
    assert (market.date_precision.scheme, market.date_precision.code) == ("ucdp", 1)
    assert market.point == pytest.approx((36.635276, 35.929008))
    assert market.actor1.name == "Government of Syria" and market.actor1.type is ActorType.STATE_FORCES
    assert market.actor2.name == "Civilians" and market.actor2.type is ActorType.CIVILIANS
    assert market.location_name == "Idlib town" and market.admin1 == "Idlib governorate"
    by_publisher = {s.publisher: s for s in market.sources}
    assert set(by_publisher) == {
        "UCDP",
        "Agence France Presse",
        "UN News",
        "Syrian Observatory for Human Rights",
    }
    afp = by_publisher["Agence France Presse"]
    assert (afp.title, afp.published_on) == ("Air strikes on Idlib market kill civilians", date(2020, 1, 15))
    assert by_publisher["Syrian Observatory for Human Rights"].title is None  # an office with no article

    balyun = store.get("event", RecordKey("ucdp-ged", "900105"))
    assert (balyun.event_type, balyun.sub_event_type) == ("Battles", "Armed clash")
    assert balyun.violence_type == "state-based conflict" and balyun.civilian_targeting is False
    assert balyun.fatalities == Estimate(22, 34, 34)
    assert balyun.actor2.type is ActorType.STATE_FORCES  # "Government of Turkey"

    near_saraqib = store.get("event", RecordKey("ucdp-ged", "900102"))
    assert near_saraqib.geo_precision.meaning == "within 25 km of a known point"
    assert store.count("event", RecordFilter(types=("Violence against civilians",))) == 2


def test_reimport_is_idempotent_and_a_changed_toll_is_a_revision(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    source = fixtures / FIXTURE
    run_import(store, importer_for("ucdp"), source)
    again = run_import(store, importer_for("ucdp"), source)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)

    revised = tmp_path / "ged_revised.csv"
    revised.write_text(source.read_text().replace(",0,34,0,0,34,34,22,", ",0,35,0,0,35,36,22,"))
    report = run_import(store, importer_for("ucdp"), revised)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 4)
    key = RecordKey("ucdp-ged", "900105")
    assert store.get("event", key).fatalities == Estimate(22, 35, 36)
    [previous] = store.revisions("event", key)
    assert (previous.data["fatalities_best"], previous.data["fatalities_high"]) == (34, 34)


def test_bad_last_row_leaves_the_database_unchanged(store: Store, fixtures: Path, tmp_path: Path) -> None:
    bad = tmp_path / "ged_bad.csv"
    lines = (fixtures / FIXTURE).read_text().splitlines()
    lines.append(lines[-1].replace("900105,", "900106,").replace(",34,34,22,", ",34,34,40,"))
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("ucdp"), bad)
    assert str(caught.value) == (
        f"{bad}, row 7, column low: more than best (34) (got '40'; expected low <= best <= high)"
    )
    assert store.count("event", RecordFilter(include_deleted=True)) == 0
    assert store.imports() == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            ",34,34,22,",
            ",34,30,22,",
            "row 6, column high: less than best (34) (got '30'; expected low <= best <= high)",
        ),
        (
            "900105,SYR-2020-1-15610-3,2020,1,Clear,1,",
            "900105,SYR-2020-1-15610-3,2020,1,Clear,4,",
            "row 6, column type_of_violence: not a UCDP type of violence "
            "(got '4'; expected 1 (state-based), 2 (non-state) or 3 (one-sided))",
        ),
        (
            "181154,Syria,652,Middle East,1,1,2020-02-27",
            "181154,Syria,652,Middle East,1,6,2020-02-27",
            "row 6, column date_prec: out of range (got '6'; expected a whole number from 1 to 5)",
        ),
        (
            ",Hatay governor;Turkish presidency,1,",
            ",Hatay governor;Turkish presidency,8,",
            "row 6, column where_prec: out of range (got '8'; expected a whole number from 1 to 7)",
        ),
        (
            "2020-02-27 00:00:00.000,2020-02-27 00:00:00.000",
            "2020-02-27 00:00:00.000,2020-02-26 00:00:00.000",
            "row 6, column date_end: before date_start 2020-02-27 "
            "(got '2020-02-26 00:00:00.000'; expected a date on or after date_start)",
        ),
    ],
)
def test_row_errors_name_row_column_and_expectation(
    store: Store, fixtures: Path, tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = (fixtures / FIXTURE).read_text()
    head, last = text.rstrip("\n").rsplit("\n", 1)
    assert old in last
    bad = tmp_path / "ged.csv"
    bad.write_text(head + "\n" + last.replace(old, new) + "\n")
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("ucdp"), bad)
    assert str(caught.value) == f"{bad}, {message}"


def test_a_file_that_is_not_ged_is_named_as_such(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "acled.csv"
    bad.write_text("event_id_cnty,event_date\nSYR1,2020-01-01\n")
    with pytest.raises(
        InputError, match=r"row 1: missing column\(s\) id, type_of_violence, .*a UCDP GED file\?"
    ):
        run_import(store, importer_for("ucdp"), bad)


def test_crosswalk_lands_inside_the_acled_taxonomy() -> None:
    for code, crosswalk in VIOLENCE_CROSSWALK.items():
        assert crosswalk.sub_event_type in ACLED_TAXONOMY[crosswalk.event_type], code
        assert crosswalk.civilian_targeting is (code == 3)


# ------------------------------------------------------------------ property tests
_names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
)


@st.composite
def ged_rows(draw: st.DrawFn) -> dict[str, str]:
    low = draw(st.integers(0, 5000))
    best = draw(st.integers(low, low + 5000))
    high = draw(st.integers(best, best + 5000))
    start = draw(st.dates(date(1989, 1, 1), date(2024, 12, 31)))
    end = start + timedelta(days=draw(st.integers(0, 400)))
    lat = draw(st.floats(-90, 90, allow_nan=False))
    lon = draw(st.floats(-180, 180, allow_nan=False))
    return {
        "id": str(draw(st.integers(1, 10**9))),
        "type_of_violence": str(draw(st.sampled_from(sorted(VIOLENCE_CROSSWALK)))),
        "side_a": draw(_names.filter(str.strip)),
        "side_b": draw(_names.filter(str.strip)),
        "where_prec": str(draw(st.integers(1, 7))),
        "date_prec": str(draw(st.integers(1, 5))),
        "latitude": repr(lat),
        "longitude": repr(lon),
        "date_start": start.isoformat() + draw(st.sampled_from(["", " 00:00:00.000"])),
        "date_end": end.isoformat(),
        "low": str(low),
        "best": str(best),
        "high": str(high),
        "where_coordinates": draw(_names),
    }


def _read(rows: list[dict[str, str]]) -> list[Event]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(GED_COLUMNS)
    writer.writerows([[row.get(c, "") for c in GED_COLUMNS] for row in rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ged.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return list(UcdpImporter().read(path, "ucdp-ged"))


@settings(max_examples=60, deadline=None)
@given(ged_rows())
def test_any_valid_ged_row_reads_back_what_it_says(row: dict[str, str]) -> None:
    [event] = _read([row])
    crosswalk = VIOLENCE_CROSSWALK[int(row["type_of_violence"])]
    assert event.key == RecordKey("ucdp-ged", row["id"])
    assert (event.event_type, event.violence_type) == (crosswalk.event_type, crosswalk.violence_type)
    assert event.fatalities == Estimate(int(row["low"]), int(row["best"]), int(row["high"]))
    assert event.date_start == date.fromisoformat(row["date_start"][:10])
    assert event.date_end == date.fromisoformat(row["date_end"])
    assert event.point == (float(row["longitude"]), float(row["latitude"]))
    assert (event.geo_precision.code, event.date_precision.code) == (
        int(row["where_prec"]),
        int(row["date_prec"]),
    )
    assert (event.actor1.name, event.actor2.name) == (row["side_a"].strip(), row["side_b"].strip())
    assert event.location_name == (row["where_coordinates"].strip() or None)


@settings(max_examples=60, deadline=None)
@given(ged_rows(), st.integers(0, 20000), st.integers(0, 20000), st.integers(0, 20000))
def test_an_estimate_out_of_order_is_refused_at_its_column(
    row: dict[str, str], low: int, best: int, high: int
) -> None:
    row = {**row, "low": str(low), "best": str(best), "high": str(high)}
    if low <= best <= high:
        assert _read([row])[0].fatalities == Estimate(low, best, high)
        return
    with pytest.raises(InputError) as caught:
        _read([row])
    assert caught.value.row == 2
    assert caught.value.column == ("low" if low > best else "high")
    assert caught.value.expected == "low <= best <= high"
