from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from haven.errors import InputError
from haven.io.base import run_import
from haven.io.registry import importer_for
from haven.model import ActorType, EventStatus, RecordKey
from haven.store import RecordFilter, Store


def test_acled_export_imports_every_row_with_its_sources(store: Store, fixtures: Path) -> None:
    report = run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv")
    assert (report.inserted, report.updated, report.unchanged) == (4, 0, 0)
    balyun = store.get("event", RecordKey("acled", "SYR900004"))
    assert balyun.date_start == date(2020, 2, 27)  # written "27 February 2020" in the file
    assert balyun.sub_event_type == "Air/drone strike"
    assert balyun.actor1.type is ActorType.EXTERNAL_OTHER  # inter1 given as the code 8
    assert balyun.fatalities.best == 34
    assert balyun.geo_precision.code == 1 and balyun.geo_precision.scheme == "acled"
    assert balyun.point == pytest.approx((36.5036, 35.6960))
    assert {s.publisher for s in balyun.sources} == {"ACLED", "Anadolu Agency", "SOHR"}
    assert balyun.status is EventStatus.UNVERIFIED
    market = store.get("event", RecordKey("acled", "SYR900001"))
    assert market.civilian_targeting is True


def test_reimport_changes_nothing_and_changed_rows_become_revisions(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    source = fixtures / "acled_nw_syria.csv"
    run_import(store, importer_for("acled"), source)
    again = run_import(store, importer_for("acled"), source)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)

    changed = tmp_path / "acled_update.csv"
    changed.write_text(source.read_text().replace(",34,,1582900000", ",36,,1583000000"))
    report = run_import(store, importer_for("acled"), changed)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 3)
    key = RecordKey("acled", "SYR900004")
    assert store.get("event", key).fatalities.best == 36
    assert store.get("event", key).revision == 2
    [previous] = store.revisions("event", key)
    assert previous.change == "updated" and previous.data["fatalities_best"] == 34


def test_reviewer_status_survives_reimport(store: Store, fixtures: Path) -> None:
    run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv")
    key = RecordKey("acled", "SYR900002")
    store.set_event_status(key, EventStatus.VERIFIED, "checked against the Turkish MoD statement")
    run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv")
    assert store.get("event", key).status is EventStatus.VERIFIED
    assert [r.change for r in store.revisions("event", key)] == ["status"]


def test_deleted_upstream_events_are_marked_not_dropped(store: Store, fixtures: Path, tmp_path: Path) -> None:
    run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv")
    deletions = tmp_path / "deleted.csv"
    deletions.write_text("event_id_cnty,deleted_timestamp\nSYR900003,1583020800\n")
    report = run_import(store, importer_for("acled-deleted"), deletions)
    assert report.deleted == 1
    key = RecordKey("acled", "SYR900003")
    assert store.is_deleted("event", key)
    assert store.count("event") == 3
    assert store.count("event", RecordFilter(include_deleted=True)) == 4
    # the next full export still has it: it comes back, and the history says so
    run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv")
    assert not store.is_deleted("event", key)
    assert [r.change for r in store.revisions("event", key)] == ["deleted", "restored"]


def test_bad_last_row_leaves_the_database_unchanged(store: Store, fixtures: Path, tmp_path: Path) -> None:
    bad = tmp_path / "acled_bad.csv"
    lines = (fixtures / "acled_nw_syria.csv").read_text().splitlines()
    lines.append(lines[-1].replace("SYR900004,27 February 2020", "SYR900005,31 February 2020"))
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("acled"), bad)
    assert str(caught.value) == (
        f"{bad}, row 6, column event_date: not a date "
        "(got '31 February 2020'; expected a date as YYYY-MM-DD or DD Month YYYY)"
    )
    assert store.count("event", RecordFilter(include_deleted=True)) == 0
    assert store.imports() == []


def test_sub_event_type_must_belong_to_its_event_type(store: Store, fixtures: Path, tmp_path: Path) -> None:
    bad = tmp_path / "acled_bad.csv"
    bad.write_text(
        (fixtures / "acled_nw_syria.csv").read_text().replace("Battles,Government", "Riots,Government")
    )
    with pytest.raises(InputError, match=r"row 4, column sub_event_type: not a sub-event type of Riots"):
        run_import(store, importer_for("acled"), bad)


def test_missing_columns_are_named(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "not_acled.csv"
    bad.write_text("id,date\n1,2020-01-01\n")
    with pytest.raises(
        InputError, match=r"row 1: missing column\(s\) event_id_cnty, event_date.*: is this an ACLED export\?"
    ):
        run_import(store, importer_for("acled"), bad)
