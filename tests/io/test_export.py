from __future__ import annotations

import csv
import json
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from shapely.geometry import Polygon

from haven.errors import HavenError
from haven.io.base import run_import
from haven.io.export import export_records, format_for
from haven.io.export.privacy import AS_RECORDED, COARSENED, coarsen, snap
from haven.io.hxl import HxlImporter
from haven.io.registry import importer_for
from haven.model import AdminLevel, EventStatus, Place, RecordKey
from haven.store import RecordFilter, Store

SKIP = {"sources", "revision", "revisions"}


def _same(first: Any, second: Any) -> None:
    """Two records equal field by field; sources by publisher, title and address."""
    for field in fields(first):
        if field.name not in SKIP:
            assert getattr(first, field.name) == getattr(second, field.name), field.name
    assert sorted((s.publisher, s.title, s.url) for s in first.sources) == sorted(
        (s.publisher, s.title, s.url) for s in second.sources
    )


@pytest.fixture
def loaded(store: Store, fixtures: Path) -> Store:
    run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv")
    for name in ("movements.csv", "sites.csv", "figures.xlsx"):
        run_import(store, HxlImporter(), fixtures / "hxl" / name)
    store.set_event_status(RecordKey("acled", "SYR900002"), EventStatus.VERIFIED)
    return store


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["event", "movement", "site", "figure"])
def test_export_then_import_round_trips(loaded: Store, tmp_path: Path, kind: str, fmt: str) -> None:
    path = tmp_path / f"export.{fmt}"
    written = export_records(loaded, kind, path)
    assert written == loaded.count(kind) > 0
    again = Store.open(tmp_path / "again.db", create=True)
    try:
        datasets = {r.key.dataset for r in loaded.list(kind)}
        for dataset in datasets:
            report = run_import(again, HxlImporter(kind=kind), path, dataset=dataset)
            assert report.by_kind[kind].inserted == written
        for dataset in datasets:
            before = loaded.list(kind, RecordFilter(dataset=dataset))
            after = {r.key: r for r in again.list(kind, RecordFilter(dataset=dataset))}
            for record in before:
                _same(record, after[record.key])
        if kind == "site":
            snapshots = {s.key: s for s in again.list("site_snapshot")}
            originals = loaded.list("site_snapshot")
            assert len(originals) == len(snapshots) == 2
            for snapshot in originals:
                _same(snapshot, snapshots[snapshot.key])
    finally:
        again.close()


def test_events_keep_their_review_status_and_estimates(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    export_records(loaded, "event", path)
    with open(path, encoding="utf-8", newline="") as handle:
        header, hashtags, *rows = list(csv.reader(handle))
    assert header[:3] == ["Event id", "Review status", "Event type"]
    assert hashtags[:3] == ["#event+id", "#status", "#event+type"]
    record = {tag: value for tag, value in zip(hashtags, rows[1], strict=True)}
    assert record["#event+id"] == "SYR900002"
    assert record["#status"] == "verified"
    assert (
        record["#affected+killed+low"],
        record["#affected+killed+best"],
        record["#affected+killed+high"],
    ) == (
        "8",
        "8",
        "",
    )
    assert record["#org+source"] == "ACLED; Turkish Ministry of Defence; SANA"  # in the order the store keeps


def test_a_workbook_gets_one_sheet_per_kind(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "haven.xlsx"
    for kind in ("event", "movement", "site", "figure"):
        export_records(loaded, kind, path)
    export_records(loaded, "event", path)  # again: replaces its sheet
    book = load_workbook(path, read_only=True)
    try:
        assert book.sheetnames == ["movements", "sites", "figures", "events"]
        rows = list(book["movements"].iter_rows(values_only=True))
    finally:
        book.close()
    assert rows[1][:3] == ("#meta+id", "#meta+movement", "#date+start")
    assert rows[2][:4] == ("HNAP-0001", "displacement", "2019-12-01", "2019-12-31")
    assert rows[2][8] == 12500  # numbers stay numbers


def test_geojson_is_rfc7946_lon_lat(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.geojson"
    assert export_records(loaded, "event", path) == 4
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [36.6353, 35.929]}
    assert first["properties"]["record_id"] == "SYR900001"
    assert first["properties"]["date_start"] == "2020-01-15"
    frame = pyogrio.read_dataframe(path)
    assert frame.crs.to_epsg() == 4326
    assert list(frame["record_id"]) == ["SYR900001", "SYR900002", "SYR900003", "SYR900004"]
    assert (frame.geometry.iloc[3].x, frame.geometry.iloc[3].y) == pytest.approx((36.5036, 35.6960))
    assert frame["fatalities_best"].iloc[3] == 34
    assert frame["location_precision"].iloc[0] == AS_RECORDED


def test_geopackage_has_one_layer_per_kind_in_epsg_4326(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "haven.gpkg"
    assert export_records(loaded, "site", path) == 3
    assert export_records(loaded, "movement", path) == 3
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert layers == {"sites": "Point", "movements": "Point"}
    sites = pyogrio.read_dataframe(path, layer="sites")
    assert sites.crs.to_epsg() == 4326
    atmeh = sites[sites["record_id"] == "CP000101"].iloc[0]
    assert (atmeh.geometry.x, atmeh.geometry.y) == pytest.approx((36.6862, 36.2035))
    assert (atmeh["name"], atmeh["kind"], atmeh["individuals"], atmeh["shelter_tents"]) == (
        "Atmeh Al-Karama camp",
        "camp",
        4800,
        4500,
    )
    assert atmeh["as_of"] == "2020-02-29"
    movements = pyogrio.read_dataframe(path, layer="movements")
    assert movements.geometry.isna().all()
    assert list(movements["dest_name"]) == ["Dana", "Sarmada", "Afrin"]


def test_place_polygons_are_exported_as_polygons(store: Store, tmp_path: Path) -> None:
    area = Polygon([(36.5, 35.8), (36.9, 35.8), (36.9, 36.1), (36.5, 36.1)])
    with store.importing("test", "places", tmp_path / "places") as writer:
        writer.add(
            Place("SY07", AdminLevel.ADM1, "Idleb", parents=("SY",), geometry=area, point=(36.7, 35.95))
        )
        writer.add(Place("C4205", AdminLevel.ADM4, "Dana", parents=("SY", "SY07", "SY0702", "SY070200")))
    path = tmp_path / "places.geojson"
    assert export_records(store, "place", path) == 2
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    assert features[0]["geometry"]["type"] == "Polygon"
    assert features[0]["geometry"]["coordinates"][0][0] == [36.5, 35.8]
    assert features[1]["geometry"] is None
    assert features[1]["properties"]["adm3_pcode"] == "SY070200"
    gpkg = tmp_path / "places.gpkg"
    export_records(store, "places", gpkg)
    frame = pyogrio.read_dataframe(gpkg, layer="places")
    assert frame.geometry.iloc[0].equals(area)


def test_public_exports_coarsen_sites_and_unverified_events(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    export_records(loaded, "site", path, public=True)
    with open(path, encoding="utf-8", newline="") as handle:
        _, hashtags, *rows = list(csv.reader(handle))
    sites = [dict(zip(hashtags, row, strict=True)) for row in rows]
    atmeh = sites[0]
    assert atmeh["#loc+name"] == "Atmeh Al-Karama camp"  # names stay
    assert (atmeh["#geo+lon"], atmeh["#geo+lat"]) == ("36.65", "36.25")  # never the exact point
    assert {s["#meta+precision+published"] for s in sites} == {COARSENED}

    events = tmp_path / "events.geojson"
    export_records(loaded, "event", events, public=True)
    found = {f["properties"]["record_id"]: f for f in json.loads(events.read_text())["features"]}
    verified = found["SYR900002"]
    assert verified["geometry"]["coordinates"] == [36.8061, 35.8611]
    assert verified["properties"]["location_precision"] == AS_RECORDED
    market = found["SYR900001"]
    assert market["geometry"]["coordinates"] == [36.65, 35.95]
    assert market["properties"]["location_precision"] == COARSENED
    assert (market["properties"]["lon"], market["properties"]["lat"]) == (36.65, 35.95)
    # an unverified event's place name and notes can say where as exactly as its point
    assert (market["properties"]["location_name"], market["properties"]["notes"]) == (None, None)
    assert verified["properties"]["location_name"]

    exact = tmp_path / "exact.geojson"
    export_records(loaded, "site", exact)
    [first, *_] = json.loads(exact.read_text())["features"]
    assert first["geometry"]["coordinates"] == [36.6862, 36.2035]


def test_filters_choose_the_records_and_the_snapshot(loaded: Store, tmp_path: Path) -> None:
    where = RecordFilter(start=date(2020, 2, 1), end=date(2020, 2, 29))
    assert export_records(loaded, "event", tmp_path / "feb.csv", where=where) == 3
    assert export_records(loaded, "movement", tmp_path / "feb_m.csv", where=where) == 1
    before = RecordFilter(end=date(2020, 1, 31))
    export_records(loaded, "site", tmp_path / "jan.geojson", where=before)
    features = json.loads((tmp_path / "jan.geojson").read_text())["features"]
    assert len(features) == 3
    assert all(f["properties"]["individuals"] is None for f in features)  # no snapshot yet in January


def test_the_format_comes_from_the_suffix_or_is_named() -> None:
    assert format_for("out.GeoJSON") == "geojson"
    assert format_for("out.json") == "geojson"
    assert format_for("out.dat", "GPKG") == "gpkg"
    with pytest.raises(HavenError) as caught:
        format_for("out.shp")
    assert str(caught.value) == (
        "cannot tell the export format from 'out.shp' (expected a file ending in .csv, .xlsx, .geojson, "
        ".json, .gpkg, or a format: csv, xlsx, geojson, gpkg)"
    )
    with pytest.raises(HavenError, match=r"no export format 'kml'"):
        format_for("out.kml", "kml")


def test_unknown_kinds_are_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(HavenError, match=r"cannot export 'crossing'"):
        export_records(store, "crossing", tmp_path / "x.csv")


# ---------------------------------------------------------------- privacy
coordinates = st.floats(min_value=-179.99, max_value=179.99, allow_nan=False)


@given(coordinates)
def test_snapping_moves_a_value_to_the_centre_of_its_cell(value: float) -> None:
    centre = snap(value)
    assert abs(centre - value) <= 0.05 + 1e-9
    assert round((centre - 0.05) * 10, 6) == pytest.approx(round((centre - 0.05) * 10))
    assert snap(centre) == centre  # a centre is its own cell's centre


@given(coordinates, st.floats(min_value=-89.99, max_value=89.99, allow_nan=False))
def test_points_in_one_cell_become_the_same_point(lon: float, lat: float) -> None:
    nudged = (lon + 0.001, lat - 0.001)
    if snap(nudged[0]) == snap(lon) and snap(nudged[1]) == snap(lat):
        assert coarsen(nudged) == coarsen((lon, lat))
    assert coarsen((lon, lat)) != (lon, lat) or (snap(lon), snap(lat)) == (lon, lat)
