"""The overview of the reference crisis: what `make demo` shows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haven.cli.main import app
from haven.model import Qualifier
from haven.services.overview import FigureGroup, build_overview, describe_value
from haven.services.reference import REFERENCE_CRISIS, load_reference_crisis
from haven.store import Store


@pytest.fixture(scope="module")
def crisis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("crisis") / "haven.db", create=True)
    load_reference_crisis(store)
    yield store
    store.close()


def test_overview_of_the_offensive_has_the_948000_displaced_with_its_source(crisis: Store) -> None:
    o = build_overview(crisis, REFERENCE_CRISIS.period_start, REFERENCE_CRISIS.period_end)
    since_december = o.figures_by_metric[FigureGroup("displaced", "all", date(2019, 12, 1))]
    [f13] = [f for f in since_december if f.value == 948_000]
    assert f13.qualifier is Qualifier.OVER and describe_value(f13) == "over 948,000"
    assert [s.publisher for s in f13.sources] == ["OCHA"]
    assert f13.sources[0].title == "Recent Developments in Northwest Syria - Situation Report No. 9"
    # the disagreement is kept, not resolved away: both early-February counts are there
    assert {390_000, 586_000} <= {f.value for f in since_december}
    # a one-week count is not mixed into the running total
    assert all(f.value != 142_000 for f in since_december)
    assert o.latest("displaced", since=date(2019, 12, 1)).value == 1_000_000  # "almost", 5 March
    assert o.events.events > 0 and o.events.fatalities_best >= 34
    assert {c.name for c, status in o.crossings if status} == {"Bab al-Hawa", "Bab al-Salam"}


def test_overview_by_area_keeps_only_that_area(crisis: Store) -> None:
    o = build_overview(crisis, date(2019, 12, 1), date(2020, 3, 5), area="SY070301")
    assert o.area_name == "Dana (SY070301)"
    metrics = {group.metric for group in o.figures_by_metric}
    assert metrics == {"idps_hosted"}  # the 712,000 hosted in Dana sub-district


def test_demo_command_prints_the_overview(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "demo.db"), "demo"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "over 948,000" in result.output
    assert "OCHA, 26 Feb 2020" in result.output
    again = CliRunner().invoke(
        app,
        [
            "--db",
            str(tmp_path / "demo.db"),
            "overview",
            "--json",
            "--from",
            "2019-12-01",
            "--to",
            "2020-03-05",
        ],
    )
    figures = json.loads(again.output)["figures"]["displaced/all/since 2019-12-01"]
    assert any(f["value"] == 948_000 and f["qualifier"] == "over" for f in figures)
