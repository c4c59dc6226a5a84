from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from haven.analysis.access import access, access_report
from haven.analysis.cold import cold_by_area, cold_exposure, units_from_figures
from haven.analysis.needs import PopulationUnit
from haven.cli import humanitarian
from haven.errors import InputError
from haven.io.base import run_import
from haven.io.deliveries import DeliveriesImporter
from haven.io.temperature import read_temperatures
from haven.services.reference import load_reference_crisis
from haven.store import Store

DOCS = Path(__file__).parents[2] / "docs"


@pytest.fixture(scope="module")
def crisis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(Path(tmp_path_factory.mktemp("ref")) / "haven.db", create=True)
    load_reference_crisis(store)
    yield store
    store.close()


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_temperature_doc_example_reads(tmp_path: Path) -> None:
    block = re.search(r"```csv\n(.*?)```", (DOCS / "formats" / "temperature.md").read_text(), re.S)
    assert block is not None
    series = read_temperatures(_write(tmp_path / "t.csv", block[1]))
    assert len(series) >= 3


@given(st.floats(-40, 40), st.floats(0, 20))
def test_temperatures_round_trip(low: float, width: float) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = _write(
            Path(folder) / "t.csv", f"place,date,min,max\nSY07,2020-02-10,{low!r},{low + width!r}\n"
        )
        (day,) = read_temperatures(path).for_place("SY07")
    assert (day.day, day.minimum, day.maximum) == (date(2020, 2, 10), low, low + width)


def test_bad_temperature_rows_say_where(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", "place,date,min,max\nSY07,2020-02-10,5,1\n")
    with pytest.raises(InputError, match="row 2, column min"):
        read_temperatures(path)
    path = _write(tmp_path / "u.csv", "place,date,min,max\nSY07,2020-02-10,1,5\nSY07,2020-02-10,1,5\n")
    with pytest.raises(InputError, match="row 3, column date"):
        read_temperatures(path)


TEMPS = (
    "place,date,min,max\n"
    "SY070301,2020-02-10,-6,4\nSY070301,2020-02-11,-1,6\nSY070301,2020-02-12,2,9\n"
    "Northwest Syria,2020-02-10,-3,5\nNorthwest Syria,2020-02-11,1,7\n"
)


def test_person_nights_below_thresholds_children_apart(tmp_path: Path) -> None:
    series = read_temperatures(_write(tmp_path / "t.csv", TEMPS))
    units = [
        PopulationUnit("CP1", "Camp 1", 1000, open_air=100, tents=300, area="SY070301", under_five=150),
        PopulationUnit("CP2", "Camp 2", 500, unfinished_buildings=50, area="SY070301"),
        PopulationUnit("CP3", "Camp 3", 900, area="SY070301"),  # all adequately sheltered
    ]
    from haven.analysis.flows import AdminIndex

    index = AdminIndex(chains={"SY070301": ("SY", "SY07", "SY0703", "SY070301")})
    ranked = cold_exposure(units, series, thresholds=(0, -5), index=index)
    assert [r.unit.code for r in ranked] == ["CP1", "CP2", "CP3"]
    camp1 = ranked[0]
    assert camp1.temperature_place == "SY070301"
    assert (camp1.nights_below[0], camp1.nights_below[-5]) == (2, 1)
    assert camp1.person_nights[0] == 800 and camp1.person_nights[-5] == 400
    assert camp1.by_shelter[0] == {"open_air": 200, "tents": 600, "unfinished_buildings": 0}
    assert camp1.under_five_person_nights[0] == pytest.approx(2 * 150 * 400 / 1000)
    assert not camp1.under_five_estimated
    assert ranked[1].under_five_estimated and ranked[1].under_five_person_nights[0] == pytest.approx(
        2 * 50 * 0.15
    )
    assert ranked[2].person_nights[0] == 0
    (area,) = cold_by_area(units, series, index, thresholds=(0,))
    assert area.person_nights[0] == 900


def test_cold_exposure_from_reported_shelter_figures(crisis: Store, tmp_path: Path) -> None:
    series = read_temperatures(_write(tmp_path / "t.csv", TEMPS))
    (unit,) = units_from_figures(crisis.list("figure"))
    assert (unit.open_air, unit.tents, unit.unfinished_buildings) == (17_000, 135_000, 163_000)
    (result,) = cold_exposure([unit], series, thresholds=(0,))
    assert result.person_nights[0] == 315_000


DELIVERIES = (
    "delivery_id,date,crossing,trucks,sector,tonnage,agency,source\n"
    "D1,2020-02-01,Bab al-Hawa,60,Food,1200,WFP,OCHA\n"
    "D2,2020-02-01,Cilvegozu,20,Shelter,,UNHCR,OCHA\n"
    "D3,2020-02-02,Bab al-Salam,20,Food,400,WFP,OCHA\n"
)


def test_deliveries_import_matches_crossing_names(crisis: Store, tmp_path: Path) -> None:
    report = run_import(crisis, DeliveriesImporter(), _write(tmp_path / "d.csv", DELIVERIES))
    assert report.inserted == 3
    result = access(crisis, start=date(2020, 2, 1), end=date(2020, 2, 2), people=10_000)
    hawa = result.crossing("Bab al-Hawa")
    assert (hawa.trucks, hawa.crossing_id, hawa.days_open, hawa.days) == (80, "X1", 2, 2)
    assert hawa.closure_cuts == pytest.approx(0.8) and result.crossing("X2").closure_cuts == pytest.approx(
        0.2
    )
    assert result.by_sector == {"Food": 80, "Shelter": 20}
    cover = result.coverage
    assert cover is not None and cover.needed_tonnes == pytest.approx(10_000 * 2 * 0.6 / 1000)
    assert cover.delivered_tonnes == 1600 and cover.coverage > 1
    again = run_import(crisis, DeliveriesImporter(), tmp_path / "d.csv")
    assert (again.inserted, again.unchanged) == (0, 3)


def test_unknown_crossing_stops_the_import(crisis: Store, tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.csv", "date,crossing,trucks\n2020-02-01,Atmeh,4\n")
    with pytest.raises(InputError, match="row 2, column crossing: not a known crossing"):
        run_import(crisis, DeliveriesImporter(), bad)


def test_closed_crossing_days_are_not_open() -> None:
    from haven.model import Crossing, CrossingStatus, RecordKey

    crossing = Crossing(
        RecordKey("t", "X9"),
        "Bab al-Salam",
        (37.0, 36.6),
        statuses=[
            CrossingStatus("open for UN cross-border aid", date(2014, 7, 14), date(2020, 7, 10)),
            CrossingStatus("closed to UN aid", date(2020, 7, 11)),
        ],
    )
    report = access_report([crossing], [], start=date(2020, 7, 1), end=date(2020, 7, 20))
    assert report.crossings[0].days_open == 10 and len(report.crossings[0].statuses) == 2


# ---------------------------------------------------------------- CLI wiring
def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context, db: str = typer.Option(None, "--db")) -> None:
        ctx.obj = {"db": db}

    app.command("flows")(humanitarian.flows)
    app.command("reconcile")(humanitarian.reconcile)
    app.command("needs")(humanitarian.needs)
    app.command("cold-risk")(humanitarian.cold_risk)
    app.command("access")(humanitarian.access)
    return app


def test_cli_commands(crisis: Store, tmp_path: Path) -> None:
    import json

    runner = CliRunner()
    db = crisis.url.removeprefix("sqlite:///")
    result = runner.invoke(_app(), ["--db", db, "reconcile", "--metric", "displaced", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    early = [g for g in data["figures"] if g["low"] == 390000]
    assert early and early[0]["high"] == 586000 and early[0]["contradiction"]
    assert any(e["counts_named"].get("soldier") == [4, 5, 6, 7] for e in data["events"])
    chart = tmp_path / "displaced.svg"
    result = runner.invoke(_app(), ["--db", db, "reconcile", "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    assert "33%" in result.output and chart.exists()
    result = runner.invoke(_app(), ["needs", "--people", "948000"])
    assert result.exit_code == 0 and "18,960 latrines" in result.output
    assert "14,220,000 litres/day" in result.output and "3,318,000 m2" in result.output
    result = runner.invoke(_app(), ["--db", db, "flows", "--check-hnap", "--json"])
    assert result.exit_code == 0 and all(row["agrees"] for row in json.loads(result.output))
    result = runner.invoke(_app(), ["--db", db, "flows", "--dataset", "hnap-od", "--level", "1"])
    assert result.exit_code == 0 and "Deir-ez-Zor (SY09)" in result.output
    temps = _write(tmp_path / "t.csv", TEMPS)
    result = runner.invoke(_app(), ["--db", db, "cold-risk", str(temps), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["units"][0]["person_nights"]["0.0"] == 315_000
    result = runner.invoke(_app(), ["--db", db, "access", "--json"])
    assert result.exit_code == 0 and {c["name"] for c in json.loads(result.output)["crossings"]} >= {
        "Bab al-Hawa"
    }
