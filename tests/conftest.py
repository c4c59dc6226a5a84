from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from haven.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated SQLite store in a temporary folder."""
    db = Store.open(tmp_path / "haven.db", create=True)
    yield db
    db.close()
