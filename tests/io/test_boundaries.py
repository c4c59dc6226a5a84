"""OCHA COD-AB boundaries importer.

Fixtures are cut from the OCHA COD-AB Syria release of 2020-12-17: ``cod_ab_idleb_adm3.geojson`` holds
six Idleb sub-districts (Idleb, Saraqab, Teftnaz, Ma'arrat An Nu'man, Dana, Ehsem) and
``cod_ab_idleb_adm1.geojson`` the Idleb governorate, simplified (250 m and 1 km in UTM 37N) and rounded
to 5 decimals. The GeoPackage and shapefile variants are written from them in the tests.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from haven.errors import InputError
from haven.io.base import run_import
from haven.io.boundaries import BoundariesImporter
from haven.io.registry import importer_for
from haven.model import AdminLevel
from haven.store import RecordFilter, Store

ADM3 = "cod_ab_idleb_adm3.geojson"
ADM1 = "cod_ab_idleb_adm1.geojson"
SARAQAB_COMMUNITY = (36.80611, 35.861105)  # OCHA community C3916


def _frame(fixtures: Path, name: str = ADM3) -> gpd.GeoDataFrame:
    frame = gpd.read_file(fixtures / name, engine="pyogrio")
    # shapefiles and GeoPackages have no datetime-with-null columns to round-trip; keep them as text
    frame["valid_on"] = frame["valid_on"].astype(str)
    return frame


def _geojson_with(fixtures: Path, target: Path, feature: dict[str, Any]) -> None:
    data = json.loads((fixtures / ADM3).read_text(encoding="utf-8"))
    data["features"].append(feature)
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_geojson_sub_districts_import_with_names_parents_and_polygons(store: Store, fixtures: Path) -> None:
    report = run_import(store, importer_for("boundaries"), fixtures / ADM3)
    assert (report.dataset, report.inserted, report.updated, report.unchanged) == ("cod-ab", 6, 0, 0)
    saraqab = store.place("SY070003")
    assert (saraqab.level, saraqab.name_en, saraqab.name_ar) == (AdminLevel.ADM3, "Saraqab", "سراقب")
    assert saraqab.parents == ("SY", "SY07", "SY0700")
    assert saraqab.geometry.geom_type == "Polygon" and saraqab.geometry.is_valid
    assert saraqab.geometry.contains(Point(SARAQAB_COMMUNITY))
    assert saraqab.geometry.contains(Point(saraqab.point))
    maarra = store.place("SY070200")
    assert maarra.parents[-1] == "SY0702" and maarra.alt_names == ("Maarrat An Numan",)  # adm3_ref_n
    assert store.place("SY070301").name_en == "Dana"

    governorate = run_import(store, importer_for("boundaries"), fixtures / ADM1)
    assert governorate.inserted == 1
    idleb = store.place("SY07")
    assert (idleb.level, idleb.parents, idleb.name_ar) == (AdminLevel.ADM1, ("SY",), "إدلب")
    assert all(idleb.geometry.contains(Point(store.place(p).point)) for p in ("SY070003", "SY070301"))
    assert store.count("place", RecordFilter(area="SY0700")) == 3  # Idleb, Saraqab and Teftnaz sub-districts


def test_reimport_is_idempotent(store: Store, fixtures: Path) -> None:
    run_import(store, importer_for("boundaries"), fixtures / ADM3)
    again = run_import(store, importer_for("boundaries"), fixtures / ADM3)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 6)


def test_geopackage_in_a_projected_crs_is_reprojected_to_lon_lat(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    original = _frame(fixtures)
    gpkg = tmp_path / "syr_admbnda_adm3.gpkg"
    original.to_crs("EPSG:32637").to_file(gpkg, layer="syr_admbnda_adm3", engine="pyogrio")
    original.iloc[:2].to_file(gpkg, layer="other", engine="pyogrio")
    report = run_import(store, BoundariesImporter(layer="syr_admbnda_adm3"), gpkg)
    assert report.inserted == 6
    for pcode, geometry in zip(original["adm3_pcode"], original.geometry, strict=True):
        # UTM and back moves a vertex by far less than a millimetre
        assert store.place(pcode).geometry.equals_exact(geometry, tolerance=1e-7), pcode


@pytest.mark.parametrize("zipped", [False, True])
def test_shapefile_plain_or_zipped(store: Store, fixtures: Path, tmp_path: Path, zipped: bool) -> None:
    shp = tmp_path / "syr_admbnda_adm3.shp"
    _frame(fixtures).to_file(shp, engine="pyogrio")
    path = shp
    if zipped:
        path = tmp_path / "syr_admbnda_adm3.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for part in tmp_path.glob("syr_admbnda_adm3.*"):
                if part != path:
                    archive.write(part, part.name)
    run_import(store, importer_for("boundaries"), path)
    assert sorted(p.pcode for p in store.list("place")) == sorted(_frame(fixtures)["adm3_pcode"])
    assert store.place("SY070301").name_ar == "دانا"  # the .cpg keeps the Arabic names UTF-8


def test_a_file_without_crs_is_refused(store: Store, fixtures: Path, tmp_path: Path) -> None:
    shp = tmp_path / "no_crs.shp"
    _frame(fixtures).to_file(shp, engine="pyogrio")
    shp.with_suffix(".prj").unlink()
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("boundaries"), shp)
    assert str(caught.value) == (
        f"{shp}: the file has no coordinate reference system "
        "(expected a file that names its CRS; a shapefile needs its .prj beside the .shp)"
    )
    assert store.imports() == []


def test_a_bad_last_feature_leaves_the_database_unchanged(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "adm3_bad.geojson"
    properties = {"adm3_name": "Sarmin", "adm3_pcode": "", "adm2_pcode": "SY0700", "adm1_pcode": "SY07"}
    _geojson_with(
        fixtures,
        bad,
        {"type": "Feature", "properties": properties, "geometry": box(36, 35, 37, 36).__geo_interface__},
    )
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("boundaries"), bad)
    assert str(caught.value) == (
        f"{bad}, row 7, column adm3_pcode: feature has no valid p-code "
        "(got ''; expected an OCHA p-code such as SY070301)"
    )
    assert store.count("place", RecordFilter(include_deleted=True)) == 0
    assert store.imports() == []


def test_a_feature_that_is_not_a_polygon_is_named(store: Store, fixtures: Path, tmp_path: Path) -> None:
    bad = tmp_path / "adm3_point.geojson"
    properties = {
        "adm3_name": "Sarmin",
        "adm3_pcode": "SY070006",
        "adm2_pcode": "SY0700",
        "adm1_pcode": "SY07",
    }
    _geojson_with(
        fixtures,
        bad,
        {"type": "Feature", "properties": properties, "geometry": Point(36.72, 35.9).__geo_interface__},
    )
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("boundaries"), bad)
    assert (
        str(caught.value) == f"{bad}, row 7: feature SY070006 is a Point (expected a polygon or multipolygon)"
    )


def test_a_file_without_pcode_columns_is_named(store: Store, tmp_path: Path) -> None:
    other = tmp_path / "zones.geojson"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(36, 35, 37, 36)], crs="EPSG:4326").to_file(
        other, engine="pyogrio"
    )
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("boundaries"), other)
    assert str(caught.value) == (
        f"{other}: no admN_pcode column: is this an OCHA COD-AB boundaries file? "
        "(expected a column adm0_pcode ... adm4_pcode, e.g. adm3_pcode for sub-districts)"
    )


def test_simplify_in_metres_drops_vertices_and_stays_close(store: Store, fixtures: Path) -> None:
    run_import(store, BoundariesImporter(simplify_m=1000), fixtures / ADM3)
    for pcode, geometry in zip(_frame(fixtures)["adm3_pcode"], _frame(fixtures).geometry, strict=True):
        simplified = store.place(pcode).geometry
        assert simplified.is_valid
        assert shapely.get_num_coordinates(simplified) < shapely.get_num_coordinates(geometry)
        # 1 km is about 0.009 degrees of latitude and 0.011 of longitude at 36 N
        assert simplified.hausdorff_distance(geometry) < 0.012


def test_simplify_needs_a_positive_tolerance() -> None:
    with pytest.raises(ValueError, match="simplify_m must be a positive number of metres, got 0"):
        BoundariesImporter(simplify_m=0)


def test_uppercase_columns_of_newer_cod_releases(store: Store, tmp_path: Path) -> None:
    newer = tmp_path / "syr_admbnda_adm2.geojson"
    frame = gpd.GeoDataFrame(
        {"ADM2_EN": ["Harim"], "ADM2_AR": ["حارم"], "ADM2_PCODE": ["SY0703"], "ADM1_PCODE": ["SY07"],
         "ADM0_PCODE": ["SY"]},
        geometry=[box(36.4, 36.0, 36.9, 36.4)],
        crs="EPSG:4326",
    )  # fmt: skip
    frame.to_file(newer, engine="pyogrio")
    run_import(store, importer_for("boundaries"), newer)
    harim = store.place("SY0703")
    assert (harim.level, harim.name_en, harim.name_ar, harim.parents) == (2, "Harim", "حارم", ("SY", "SY07"))


# ------------------------------------------------------------------ property test
_names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20
)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(_names.filter(str.strip), _names, st.integers(0, 99)),
        min_size=1,
        max_size=6,
        unique_by=lambda t: t[2],
    ),
    st.floats(0.001, 0.5),
)
def test_any_geojson_grid_reads_back_its_names_codes_and_shapes(
    units: list[tuple[str, str, int]], size: float
) -> None:
    features = []
    for column, (name_en, name_ar, number) in enumerate(units):
        cell = box(36 + column * size, 35, 36 + (column + 1) * size, 35 + size)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "adm2_name": name_en,
                    "adm2_name1": name_ar,
                    "adm2_pcode": f"SY07{number:02d}",
                    "adm1_pcode": "SY07",
                    "adm0_pcode": "SY",
                },
                "geometry": cell.__geo_interface__,
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "adm2.geojson"
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        places = list(BoundariesImporter().read(path, "cod-ab"))
    assert [p.pcode for p in places] == [f"SY07{n:02d}" for _, _, n in units]
    for place, (name_en, name_ar, _), feature in zip(places, units, features, strict=True):
        assert (place.name_en, place.name_ar) == (name_en.strip(), name_ar.strip() or None)
        assert place.parents == ("SY", "SY07")
        assert place.geometry.equals(shapely.geometry.shape(feature["geometry"]))


def test_an_invalid_polygon_is_repaired_not_refused(store: Store, fixtures: Path, tmp_path: Path) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[36.6, 35.9], [36.8, 36.1], [36.8, 35.9], [36.6, 36.1], [36.6, 35.9]]],
    }
    properties = {
        "adm3_name": "Sarmin",
        "adm3_pcode": "SY070006",
        "adm2_pcode": "SY0700",
        "adm1_pcode": "SY07",
    }
    path = tmp_path / "adm3_bowtie.geojson"
    _geojson_with(fixtures, path, {"type": "Feature", "properties": properties, "geometry": bowtie})
    run_import(store, importer_for("boundaries"), path)
    repaired = store.place("SY070006").geometry
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon"
    assert repaired.area == pytest.approx(0.02)  # two triangles of 0.2 x 0.1 / 2 each
