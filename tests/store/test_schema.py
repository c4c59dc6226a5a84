from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from haven.errors import StoreError
from haven.store import Store
from haven.store.schema import metadata


def test_migrations_build_exactly_the_schema_the_code_declares(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_opening_an_uninitialised_database_says_what_to_do(tmp_path: Path) -> None:
    create_engine(f"sqlite:///{tmp_path / 'empty.db'}").connect().close()
    with pytest.raises(StoreError, match=r"is not a Haven database yet: run `haven init` first"):
        Store.open(tmp_path / "empty.db")


def test_init_is_idempotent(tmp_path: Path) -> None:
    Store.open(tmp_path / "h.db", create=True).close()
    with Store.open(tmp_path / "h.db", create=True) as again:
        assert again.table_counts()["event"] == 0


def test_haven_db_environment_variable_picks_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HAVEN_DB", str(tmp_path / "from_env.db"))
    Store.open(create=True).close()
    assert (tmp_path / "from_env.db").exists()
