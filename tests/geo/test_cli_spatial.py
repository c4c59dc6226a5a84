"""The spatial commands' wiring, through a local app built the way haven.cli.main builds its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from typer.testing import CliRunner

from haven.cli.spatial import compliance, profile_app, zone_app
from haven.store import Store

app = typer.Typer()
app.add_typer(zone_app, name="zone")
app.add_typer(profile_app, name="profile")
app.command()(compliance)


@app.callback()
def main(ctx: typer.Context, db: Annotated[str | None, typer.Option("--db")] = None) -> None:
    ctx.obj = {"db": db}


runner = CliRunner()


def test_zone_commands_on_the_reference_crisis(reference: Store, tmp_path: Path) -> None:
    db = reference.url.removeprefix("sqlite:///")

    def run(*args: str) -> str:
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 0, result.output
        return result.output

    made = json.loads(
        run("zone", "create", "cli-20mi", "--buffer", "turkey-syria-border", "--distance", "20",
            "--unit", "mi", "--within", "SY", "--place", "C3871", "--json")
    )  # fmt: skip
    assert made["places"] == {"C3871": True} and made["recipe"]["unit"] == "mi"
    assert reference.zone("cli-20mi").recipe == made["recipe"]
    reach = json.loads(
        run("zone", "create", "cli-idlib", "--buffer", "turkey-syria-border", "--within", "SY",
            "--reach", "C3871", "--json")
    )  # fmt: skip
    assert 20 < reach["reach"]["distance_km"] < 32.19 and reach["places"] == {}
    assert "cli-idlib" in run("zone", "list")
    inside = json.loads(run("zone", "inside", "cli-20mi", "--from", "2019-12-01", "--to", "2020-03-05",
                            "--place", "C3871", "--json"))  # fmt: skip
    assert inside["places"] == {"C3871": True} and inside["communities"] > 1000
    table = run("zone", "inside", "cli-20mi", "--place", "C3871")
    assert "population basis" in table and "C3871 inside?" in table
    out = tmp_path / "compare.geojson"
    run("zone", "compare", "cli-20mi", "cli-idlib", "--geojson", str(out))
    assert [f["properties"]["zone"] for f in json.loads(out.read_text())["features"]] == [
        "cli-20mi",
        "cli-idlib",
    ]
    shown = json.loads(run("zone", "show", "cli-idlib", "--json"))
    assert shown["recipe"]["op"] == "buffer"
    profile = json.loads(run("profile", "border", "--bands", "0,10,25", "--json"))
    assert [b["to_km"] for b in profile["bands"]] == [10, 25]
    report = json.loads(run("compliance", "A4", "--json"))
    assert report["violations"] == [] and report["events_after"] == 1


def test_zone_create_needs_exactly_one_recipe(reference: Store) -> None:
    db = reference.url.removeprefix("sqlite:///")
    result = runner.invoke(app, ["--db", db, "zone", "create", "x", "--admin", "SY07", "--union", "a"])
    assert result.exit_code == 1
    assert "give exactly one of --buffer" in str(result.exception)
