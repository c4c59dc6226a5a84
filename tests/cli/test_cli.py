"""The CLI's wiring: commands reach the store, print tables or JSON, and fail cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from haven.cli.main import app
from haven.model import RecordKey
from haven.store import Store

runner = CliRunner()


def haven(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "haven", "--db", str(db), *args], capture_output=True, text=True, check=False
    )


def test_import_then_list_as_table_and_json(tmp_path: Path, fixtures: Path) -> None:
    db = tmp_path / "cli.db"
    result = runner.invoke(app, ["--db", str(db), "import", "acled", str(fixtures / "acled_nw_syria.csv")])
    assert result.exit_code == 0, result.output
    assert "4 inserted, 0 updated, 0 unchanged" in result.output
    with Store.open(db) as store:
        assert (
            store.get("event", RecordKey("acled", "SYR900003")).sub_event_type
            == "Government regains territory"
        )

    again = runner.invoke(
        app, ["--db", str(db), "import", "acled", str(fixtures / "acled_nw_syria.csv"), "--json"]
    )
    assert json.loads(again.output)["unchanged"] == 4

    table = runner.invoke(app, ["--db", str(db), "events", "list", "--type", "Air/drone strike"])
    assert table.exit_code == 0 and "2 events" in table.output and "SYR900004" in table.output

    listed = runner.invoke(
        app, ["--db", str(db), "events", "list", "--from", "2020-02-04", "--actor", "turkey", "--json"]
    )
    events = json.loads(listed.output)
    assert [e["key"] for e in events] == ["acled:SYR900004"]
    assert events[0]["fatalities"] == {"low": 34.0, "best": 34.0, "high": None}


def test_haven_db_environment_variable(tmp_path: Path, fixtures: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(
        app, ["import", "acled", str(fixtures / "acled_nw_syria.csv")], env={"HAVEN_DB": str(db)}
    )
    assert result.exit_code == 0, result.output
    assert Store.open(db).count("event") == 4


def test_errors_are_one_line_and_exit_1(tmp_path: Path, fixtures: Path) -> None:
    db = tmp_path / "err.db"
    bad = tmp_path / "bad.csv"
    bad.write_text((fixtures / "acled_nw_syria.csv").read_text().replace("2020-02-06", "2020-02-30"))
    result = haven(db, "import", "acled", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {bad}, row 4, column event_date: not a date "
        "(got '2020-02-30'; expected a date as YYYY-MM-DD or DD Month YYYY)"
    )
    assert "Traceback" not in result.stderr
    with Store.open(db) as store:
        assert store.count("event") == 0

    missing = haven(tmp_path / "never.db", "events", "list")
    assert missing.returncode == 1
    assert "is not a Haven database yet: run `haven init` first" in missing.stderr

    unknown = haven(db, "import", "acledd", str(bad))
    assert unknown.returncode == 1 and "no importer for 'acledd'" in unknown.stderr
