"""Ensembles on a real Dask LocalCluster, the done-when forecast, and the `haven simulate` commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from haven.cli.simulate import simulate_app
from haven.services.reference import load_reference_crisis
from haven.simulate import load_flee_inputs
from haven.simulate.ensemble import forecast_scenario, run_ensemble
from haven.simulate.scenario import Advance, ScenarioSpec, border_strip, build_scenario, miles, run_scenario
from haven.store import Store

# Tests use threads (processes=False): a process-based LocalCluster costs 2-4 s more to start on 2 cores.


@pytest.fixture(scope="module")
def ref_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("ref") / "haven.db"
    store = Store.open(path, create=True)
    load_reference_crisis(store)
    store.close()
    yield path


def test_ensemble_on_a_local_cluster_matches_single_runs(flee_copy: Path) -> None:
    inputs = load_flee_inputs(flee_copy)
    groups = {"first two": [0, 1]}
    result = run_ensemble(inputs, 6, days=8, first_seed=10, workers=2, processes=False, groups=groups)
    assert result.seeds == tuple(range(10, 16))
    assert result.runs.shape == (6, 8, len(inputs.locations))
    for k, seed in enumerate(result.seeds):  # each task is exactly the seeded run
        counts = run_scenario(inputs, 8, seed).counts
        assert np.array_equal(result.runs[k], counts)
        assert np.array_equal(result.group_runs[k, :, 0], counts[:, :2].sum(axis=1))
    bands = result.bands()
    assert bands.median.shape == (8, len(inputs.locations))
    assert (bands.low <= bands.median).all() and (bands.median <= bands.high).all()
    assert (bands.high > bands.low).any()  # seeds differ
    expected = np.quantile(result.runs[:, -1, 0].astype(float), 0.95)
    assert bands.high[-1, 0] == pytest.approx(expected)


def test_done_when_offensive_sealed_border_safe_zone_gives_bands_per_site(ref_db: Path) -> None:
    store = Store.open(ref_db)
    spec = ScenarioSpec(
        start=date(2020, 2, 1),
        days=10,
        advances=(Advance(("C3871",), 2),),  # the offensive reaches Idlib city on day 2
        border_sealed=True,
        safe_zone=border_strip(store, miles(20)),
        people_per_agent=300,
    )
    scenario = build_scenario(store, spec)
    store.close()
    forecast = forecast_scenario(scenario, 4, workers=2, processes=False)
    sites = scenario.indices("site")
    assert forecast.sites.names == tuple(scenario.inputs.locations[i].name for i in sites)
    assert forecast.sites.median.shape == (10, len(sites))
    assert (forecast.sites.low <= forecast.sites.high).all()
    assert forecast.sites.median[-1].sum() > 0
    high = forecast.zones.column("beyond the crossings")[2]
    assert high.max() == 0  # the border is sealed
    assert forecast.zones.median[-1, forecast.zones.names.index("safe zone")] > 0
    rows = forecast.site_rows(3)
    assert [r["median"] for r in rows] == sorted((r["median"] for r in rows), reverse=True)
    idlib_sites = [i for i in sites if scenario.host[i] == "C3871"]
    assert idlib_sites and all(  # sites in the city under attack take nobody after day 2
        forecast.sites.high[-1, list(sites).index(i)] == forecast.sites.high[2, list(sites).index(i)]
        for i in idlib_sites
    )


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context, db: str | None = None) -> None:
        ctx.obj = {"db": db}  # as haven.cli.main does

    app.add_typer(simulate_app, name="simulate")
    return app


def test_cli_flee_inputs_writes_out_csv(flee_copy: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _app(), ["simulate", "flee-inputs", str(flee_copy), "--days", "5", "--out", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["days"] == 5 and 0 <= summary["averaged_relative_difference"] < 1
    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert lines[0].startswith("Day,Date,") and len(lines) == 6


def test_cli_scenario_json_and_chart(ref_db: Path, tmp_path: Path) -> None:
    args = ["--db", str(ref_db), "simulate", "scenario", "--start", "2020-02-01", "--days", "5"]
    args += ["--advance", "C3871:1", "--border-sealed", "--safe-zone-border-km", "32.19"]
    args += ["--people-per-agent", "500", "--top", "4", "--out", str(tmp_path), "--json"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["runs"] == 1 and len(data["dates"]) == 5 and len(data["sites"]) == 4
    assert data["scenario"]["closures"] == [{"location": "Bab al-Hawa", "from_day": 0, "to_day": 5}]
    assert set(data["zones"]) == {"safe zone", "beyond the crossings"}
    assert (tmp_path / "bands.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = json.loads((tmp_path / "forecast.json").read_text())
    assert len(saved["sites"]) == data["scenario"]["sites"]


def test_cli_scenario_bad_advance_is_one_clear_error(ref_db: Path) -> None:
    result = CliRunner().invoke(_app(), ["--db", str(ref_db), "simulate", "scenario", "--advance", "C3871"])
    assert result.exit_code != 0
    assert "expected PLACE:DAY" in str(result.exception)
