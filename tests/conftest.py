from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from haven.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
# Set to a server URL (e.g. postgresql+psycopg://postgres@127.0.0.1:55432/postgres) to run every
# store test on that server instead of SQLite, each in a database of its own.
SERVER_URL = os.environ.get("HAVEN_TEST_DATABASE_URL")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated store: SQLite in a temporary folder, or a new database on a test server."""
    if not SERVER_URL:
        db = Store.open(tmp_path / "haven.db", create=True)
        yield db
        db.close()
        return
    name = f"haven_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    db = Store.open(url, create=True)
    try:
        yield db
    finally:
        db.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}"'))
        admin.dispose()
