"""``haven user ...``: accounts, tokens and the audit log from the command line, on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from haven.cli.users import user_app
from haven.services import accounts
from haven.store import Store
from haven.store.accounts import audit_entries

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "haven.db"
    Store.open(path, create=True).close()
    return path


def user(db: Path, *args: str, input: str | None = None) -> Result:
    return runner.invoke(user_app, list(args), obj={"db": str(db)}, input=input)


def test_add_asks_the_password_twice_and_keeps_only_its_hash(db: Path) -> None:
    result = user(db, "add", "amal", "--role", "reviewer", input="a long password\na long password\n")
    assert result.exit_code == 0, result.output
    assert "added amal (reviewer)" in result.output
    assert "a long password" not in result.output
    with Store.open(db) as store:
        assert accounts.authenticate(store, "amal", "a long password") is not None
        (entry,) = audit_entries(store)
    assert entry.action == "user.add" and entry.username.startswith("cli")


def test_add_from_stdin_list_and_json(db: Path) -> None:
    for name, role in [("root", "admin"), ("vera", "viewer")]:
        added = user(db, "add", name, "--role", role, "--password-stdin", input=f"{name} password 1\n")
        assert added.exit_code == 0, added.output
    table = user(db, "list")
    assert "2 accounts" in table.output and "root" in table.output and "viewer" in table.output
    listed = json.loads(user(db, "list", "--json").output)
    assert [(u["username"], u["role"], u["has_token"]) for u in listed] == [
        ("root", "admin", False),
        ("vera", "viewer", False),
    ]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["--role", "boss"],
            "long password 1\n",
            "role 'boss' is not a role (expected one of admin, analyst",
        ),
        (["--role", "viewer"], "short\n", "password is too short: 5 characters (expected at least 10)"),
        (["--role", "viewer"], "\n", "--password-stdin: standard input is empty"),
    ],
)
def test_bad_input_is_one_clear_error(db: Path, args: list[str], stdin: str, message: str) -> None:
    result = user(db, "add", "amal", *args, "--password-stdin", input=stdin)
    assert result.exit_code == 1
    assert message in str(result.exception)


def test_token_is_printed_once_then_works_until_revoked(db: Path) -> None:
    user(db, "add", "ada", "--role", "analyst", "--password-stdin", input="analyst password\n")
    made = user(db, "token", "ada", "--name", "nightly")
    assert made.exit_code == 0, made.output
    token = made.output.strip()
    assert token.startswith("haven_")
    with Store.open(db) as store:
        found = accounts.user_for_token(store, token)
        assert found is not None and found.username == "ada"
    listed = user(db, "tokens", "ada")
    assert "nightly" in listed.output and "active" in listed.output and token not in listed.output
    assert "revoked 1 token of ada" in user(db, "revoke", "ada", "nightly").output
    with Store.open(db) as store:
        assert accounts.user_for_token(store, token) is None
    both = user(db, "revoke", "ada", "nightly", "--all")
    assert both.exit_code == 1 and "give a token NAME or --all" in str(both.exception)


def test_remove_refuses_the_last_admin_and_the_audit_lists_everything(db: Path) -> None:
    user(db, "add", "root", "--role", "admin", "--password-stdin", input="root password 1\n")
    user(db, "add", "rana", "--role", "reviewer", "--password-stdin", input="rana password 1\n")
    last = user(db, "remove", "root", "--yes")
    assert last.exit_code == 1 and "root is the last admin" in str(last.exception)
    aborted = user(db, "remove", "rana", input="n\n")
    assert aborted.exit_code == 1
    assert user(db, "remove", "rana", input="y\n").exit_code == 0
    assert [u["username"] for u in json.loads(user(db, "list", "--json").output)] == ["root"]
    changed = user(db, "role", "root", "analyst")
    assert changed.exit_code == 1 and "last admin" in str(changed.exception)
    log = json.loads(user(db, "audit", "--json").output)
    assert [(e["action"], e["record_key"]) for e in log] == [
        ("user.add", "root"),
        ("user.add", "rana"),
        ("user.remove", "rana"),
    ]
    table = user(db, "audit", "--kind", "user", "--key", "rana")
    assert "2 audit entries" in table.output
    assert "0 audit entries" in user(db, "audit", "--from", "2000-01-01", "--to", "2000-01-31").output


def test_password_and_role_changes(db: Path) -> None:
    user(db, "add", "rana", "--role", "reviewer", "--password-stdin", input="rana password 1\n")
    assert user(db, "password", "rana", "--password-stdin", input="rana password 2\n").exit_code == 0
    assert "rana is now analyst" in user(db, "role", "rana", "analyst").output
    with Store.open(db) as store:
        signed_in = accounts.authenticate(store, "rana", "rana password 2")
    assert signed_in is not None and signed_in.role.value == "analyst"
