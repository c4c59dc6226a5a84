"""The commands added by the analysis and reading layers work through the real `haven` app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haven.cli.main import app
from haven.services.reference import load_reference_crisis
from haven.store import Store

runner = CliRunner()

REPORT = """IDLIB, Syria (Wire) - Some 900,000 people have fled their homes since December, including an
estimated 500,000 children, according to the United Nations. According to the Syrian Observatory for
Human Rights, Russian and Syrian aircraft bombed a market in Saraqib on Tuesday, killing at least 12
civilians.
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("wiring") / "haven.db"
    with Store.open(path, create=True) as store:
        load_reference_crisis(store)
    yield path


def test_needs_and_reconcile_through_the_app(db: Path) -> None:
    needs = runner.invoke(app, ["--db", str(db), "needs", "--people", "948000", "--json"])
    assert needs.exit_code == 0, needs.output
    assert "14220000" in needs.output.replace(",", "").replace(".0", "")
    reconciled = runner.invoke(
        app, ["--db", str(db), "figures", "reconcile", "--metric", "displaced", "--json"]
    )
    assert reconciled.exit_code == 0, reconciled.output
    assert "586000" in reconciled.output.replace(",", "").replace(".0", "")


def test_read_queues_candidates_and_review_lists_them(db: Path, tmp_path: Path) -> None:
    report = tmp_path / "wire.txt"
    report.write_text(REPORT)
    read = runner.invoke(app, ["--db", str(db), "read", str(report), "--published", "2020-02-20", "--json"])
    assert read.exit_code == 0, read.output
    [document] = json.loads(read.output)
    assert document["queued"] > 0
    fields = {span["field"] for c in document["candidates"] for span in c["spans"]}
    assert {"value", "source"} <= fields
    again = runner.invoke(app, ["--db", str(db), "read", str(report), "--published", "2020-02-20", "--json"])
    assert json.loads(again.output)[0]["queued"] == 0  # re-reading queues nothing new

    queue = runner.invoke(app, ["--db", str(db), "review", "list", "--json"])
    assert queue.exit_code == 0, queue.output
    assert len(json.loads(queue.output)) == document["queued"]
