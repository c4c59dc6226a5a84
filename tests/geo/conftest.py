from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from haven.services.reference import load_reference_crisis
from haven.store import Store


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The reference crisis, loaded once per test module (about 3 s)."""
    path: Path = tmp_path_factory.mktemp("reference") / "haven.db"
    store = Store.open(path, create=True)
    load_reference_crisis(store)
    yield store
    store.close()
