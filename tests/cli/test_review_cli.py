"""``haven review`` decides through the shared workflow: statuses change, the audit log says who."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haven.cli.main import app
from haven.model import EventStatus, RecordKey
from haven.services.reference import load_reference_crisis
from haven.store import Store
from haven.store.accounts import audit_entries

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = tmp_path_factory.mktemp("review-cli") / "haven.db"
    with Store.open(path, create=True) as store:
        load_reference_crisis(store)
    return path


def test_verify_and_dispute_events_with_notes_in_the_audit_log(db: Path) -> None:
    verified = runner.invoke(
        app, ["--db", str(db), "review", "verify", "nw-syria-2020:K03", "--note", "two sources"]
    )
    assert verified.exit_code == 0, verified.output
    disputed = runner.invoke(
        app, ["--db", str(db), "review", "dispute", "nw-syria-2020:K05", "--note", "4, 5, 6 or 7 killed"]
    )
    assert disputed.exit_code == 0, disputed.output
    with Store.open(db) as store:
        assert store.get("event", RecordKey("nw-syria-2020", "K03")).status is EventStatus.VERIFIED
        assert store.get("event", RecordKey("nw-syria-2020", "K05")).status is EventStatus.DISPUTED
        entries = audit_entries(store, record_kind="event", record_key="nw-syria-2020:K05")
    assert [(e.username, e.action, e.note) for e in entries] == [
        (f"cli:{getpass.getuser()}", "review.dispute", "4, 5, 6 or 7 killed")
    ]


def test_a_dispute_needs_a_note_and_a_correction_needs_field_value(db: Path) -> None:
    no_note = runner.invoke(app, ["--db", str(db), "review", "dispute", "nw-syria-2020:K03", "--note", " "])
    assert no_note.exit_code == 1
    assert "note is required to dispute" in str(no_note.exception)
    bad = runner.invoke(app, ["--db", str(db), "review", "correct", "nw-syria-2020:K03", "fatalities"])
    assert bad.exit_code == 2
    assert "is not field=value" in bad.output
