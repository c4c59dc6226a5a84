"""Built once from a store's imported records, built again after an import, and only then."""

from __future__ import annotations

from pathlib import Path

from haven.io.base import run_import
from haven.io.registry import importer_for
from haven.services.store_state import cached_for
from haven.store import Store
from haven.store.accounts import AuditEntry, write_audit


def test_built_once_and_again_after_an_import(store: Store, fixtures: Path) -> None:
    built: list[int] = []

    def build(_: Store) -> int:
        built.append(1)
        return len(built)

    token = store.state_token()
    assert cached_for(store, "test", build) == cached_for(store, "test", build) == 1
    write_audit(store, AuditEntry("rana", "review.claim", "event", "x:1"))  # not an import
    assert store.state_token() == token
    assert cached_for(store, "test", build) == 1
    run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv")
    assert store.state_token() != token
    assert cached_for(store, "test", build) == 2
    assert cached_for(store, "other", build) == 3  # each name is its own entry
    assert built == [1, 1, 1]
