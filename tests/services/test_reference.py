from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point

from haven.errors import NotFoundError
from haven.model import Qualifier, RecordKey
from haven.services.reference import REFERENCE_CRISIS, load_reference_crisis, m4_waypoints, reference_path
from haven.store import ImportReport, RecordFilter, Store

DATASET = "nw-syria-2020"
KINDS = ("place", "event", "movement", "site", "site_snapshot", "figure", "agreement", "crossing")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list[ImportReport]]]:
    store = Store.open(tmp_path_factory.mktemp("reference") / "haven.db", create=True)
    reports = load_reference_crisis(store)
    yield store, reports
    store.close()


def _metric(geometry: shapely.Geometry) -> shapely.Geometry:
    """The geometry in UTM zone 37N, in metres."""
    transformer = Transformer.from_crs("EPSG:4326", "EPSG:32637", always_xy=True)
    return shapely.transform(geometry, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1])))


def test_reference_crisis_describes_the_shipped_data() -> None:
    assert REFERENCE_CRISIS.id == "nw-syria-2020"
    assert (REFERENCE_CRISIS.period_start.isoformat(), REFERENCE_CRISIS.period_end.isoformat()) == (
        "2019-12-01",
        "2020-03-05",
    )
    assert REFERENCE_CRISIS.area_name == "Northwest Syria"
    assert reference_path("reported_figures.csv").parent.name == "nw-syria-2020"
    with pytest.raises(NotFoundError, match=r"no file 'nope\.csv'"):
        reference_path("nope.csv")


def test_every_shipped_file_is_loaded(loaded: tuple[Store, list[ImportReport]]) -> None:
    _, reports = loaded
    shipped = {p.name for p in reference_path("reported_figures.csv").parent.iterdir()}
    imported = {Path(r.path).name for r in reports}
    zone_sources = {"syr_turkey_border_ocha_adminlines.geojson", "m4_highway_approx.csv"}
    gazetteer_sources = {"geonames_cities500_syria.csv"}  # read by haven.geo.gazetteer, not imported
    assert shipped - imported == zone_sources | gazetteer_sources
    assert all(r.inserted > 0 for r in reports)


def test_figures_keep_their_publishers_and_disagreements(loaded: tuple[Store, list[ImportReport]]) -> None:
    store, _ = loaded
    f13 = store.get("figure", RecordKey(DATASET, "F13"))
    assert (f13.value, f13.qualifier, f13.metric) == (948000, Qualifier.OVER, "displaced")
    assert [(s.publisher, s.title) for s in f13.sources] == [
        ("OCHA", "Recent Developments in Northwest Syria - Situation Report No. 9")
    ]
    displaced = [f for f in store.list("figure", RecordFilter(types=("displaced",))) if f.subgroup == "all"]
    by_value = {f.value: f for f in displaced}
    assert {390000, 586000} <= set(by_value)
    # two reports of early February, for different areas and from different publishers: both kept
    assert by_value[390000].area_pcode == "SY07" and by_value[586000].area_name == "Northwest Syria"
    assert by_value[390000].sources[0].publisher != by_value[586000].sources[0].publisher


def test_events_are_placed_in_the_admin_units_of_their_pcodes(
    loaded: tuple[Store, list[ImportReport]],
) -> None:
    store, _ = loaded
    in_idleb = {e.key.record_id for e in store.list("event", RecordFilter(area="SY07"))}
    everything = {e.key.record_id for e in store.list("event")}
    assert everything - in_idleb == {"K13"}  # Moscow
    assert store.place("C3916").name_en == "Saraqab"  # the news' "Saraqib"


def test_m4_zone_and_the_moscow_corridor(loaded: tuple[Store, list[ImportReport]]) -> None:
    store, _ = loaded
    m4 = store.zone("m4-highway")
    assert m4.recipe == {"kind": "line", "source": "m4_highway_approx.csv", "waypoints": m4_waypoints()}
    assert m4.recipe["waypoints"][0] == "C3916" and len(m4.recipe["waypoints"]) == 10
    assert isinstance(m4.geometry, LineString)
    border = store.zone("turkey-syria-border")
    assert border.recipe == {"kind": "line", "source": "syr_turkey_border_ocha_adminlines.geojson"}
    assert 800_000 < _metric(border.geometry).length < 820_000

    moscow = store.get("agreement", RecordKey(DATASET, "A4"))
    assert moscow.area_recipe == {"op": "buffer", "line": "m4-highway", "distance_km": 6, "side": "both"}
    saraqib, idlib = store.place("C3916").point, store.place("C3871").point
    assert moscow.area.contains(Point(saraqib))
    assert not moscow.area.contains(Point(idlib))
    # 6 km either side, measured in metres: the corridor is 12 km wide along the line, round at its ends
    line, area = _metric(m4.geometry), _metric(moscow.area)
    assert area.area == pytest.approx(12_000 * line.length + 3.14159 * 6_000**2, rel=0.02)
    assert line.hausdorff_distance(area.exterior) == pytest.approx(6_000, rel=0.01)
    assert store.get("agreement", RecordKey(DATASET, "A2")).area is None


def test_loading_twice_changes_nothing(store: Store) -> None:
    load_reference_crisis(store)
    counts = {kind: store.count(kind, RecordFilter(include_deleted=True)) for kind in KINDS}
    zones = [(z.name, z.recipe, z.geometry.wkb) for z in store.zones()]
    again = load_reference_crisis(store)
    assert [(r.inserted, r.updated, r.deleted) for r in again] == [(0, 0, 0)] * len(again)
    assert all(r.unchanged > 0 for r in again)
    assert {kind: store.count(kind, RecordFilter(include_deleted=True)) for kind in KINDS} == counts
    assert [(z.name, z.recipe, z.geometry.wkb) for z in store.zones()] == zones
    assert store.revisions("agreement", RecordKey(DATASET, "A4")) == []
