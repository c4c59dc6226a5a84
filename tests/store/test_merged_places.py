"""Places are one gazetteer: each dataset adds columns and sources, and reloading changes nothing."""

from __future__ import annotations

from pathlib import Path

from haven.io.base import run_import
from haven.io.registry import importer_for
from haven.store import RecordFilter, Store


def test_boundaries_and_communities_merge_their_sources_and_reload_unchanged(
    store: Store, fixtures: Path
) -> None:
    boundaries, communities = fixtures / "cod_ab_idleb_adm3.geojson", fixtures / "ocha_communities_idleb.csv"
    run_import(store, importer_for("boundaries"), boundaries)
    run_import(store, importer_for("communities"), communities)

    [dana] = store.list("place", RecordFilter(text="dana", levels=(3,)))
    assert dana.geometry is not None  # from the boundaries
    assert {s.title for s in dana.sources} == {
        "Common Operational Dataset: subnational administrative boundaries (COD-AB)",
        "Populated places and communities with p-codes (C-codes)",
    }

    again = [run_import(store, importer_for("boundaries"), boundaries)]
    again.append(run_import(store, importer_for("communities"), communities))
    assert [(r.inserted, r.updated) for r in again] == [(0, 0), (0, 0)]
