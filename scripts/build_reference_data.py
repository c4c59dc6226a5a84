"""Build the reference crisis data shipped inside the package (``src/haven/data/nw-syria-2020/``).

Reads the collected public data in ``../shared/data`` (see its PROVENANCE.md) and writes the package
folder: the curated crisis files unchanged, Syria's adm1-adm3 boundaries simplified, and the
communities, HNAP and CCCM files Haven imports. Prints file sizes, boundary vertex counts before
and after, and how far the simplified boundaries lie from the originals.

    .venv/bin/python scripts/build_reference_data.py [--shared ../shared/data] [--tolerance 300]

Simplification: the 272 sub-districts are made valid, projected to UTM zone 37N (EPSG:32637) and
simplified together as one coverage (``shapely.coverage_simplify``, Visvalingam-Whyatt), so that
neighbours keep one shared edge with no gaps or overlaps. Districts and governorates are then the
union of their simplified sub-districts, so the three levels nest exactly. Coordinates are written in
EPSG:4326 rounded to 5 decimals (about 1 m).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "haven" / "data" / "nw-syria-2020"
METRIC_CRS = "EPSG:32637"  # UTM zone 37N: Syria lies in 35.7-42.4 E, mostly in 36-42 E
DEFAULT_TOLERANCE_M = 400.0
DECIMALS = 5

CURATED = (
    "reported_figures.csv",
    "key_events.csv",
    "agreements.csv",
    "crossings.csv",
    "m4_highway_approx.csv",
)
COPIED = {  # shared/data path -> package file name
    "boundaries/syr_turkey_border_ocha_adminlines.geojson": "syr_turkey_border_ocha_adminlines.geojson",
    "displacement/cccm_nws_idp_site_list_pcodes.csv": "cccm_nws_idp_site_list_pcodes.csv",
    "displacement/ocha_cccm_north_syria_community_population_idps_2022-11.csv":
        "ocha_cccm_north_syria_community_population_idps_2022-11.csv",
    "displacement/hnap_idp_arrivals_by_community_2018-12.csv": "hnap_idp_arrivals_by_community_2018-12.csv",
    "displacement/hnap_idp_returns_by_community_2018-12.csv": "hnap_idp_returns_by_community_2018-12.csv",
    "displacement/hnap_idp_od_matrix_governorate_2018-12.csv": "hnap_idp_od_matrix_governorate_2018-12.csv",
    "displacement/hnap_idp_arrivals_by_governorate_monthly_2016-01_2019-01.csv":
        "hnap_idp_arrivals_by_governorate_monthly_2016-01_2019-01.csv",
}  # fmt: skip
# Boundary properties left out to save space: the same for every unit (version v02, valid_on 2020-12-17,
# languages en/ar, Syria's name) or held by the parent unit's own file (its Arabic name).
BOUNDARY_DROPPED = ("adm0_name", "adm0_name1", "valid_on", "valid_to", "version", "lang", "lang1")
COMMUNITIES = "places/ocha_syria_communities_aoc.csv"
COMMUNITIES_OUT = "ocha_syria_communities.csv"
# The area-of-control columns describe 2022-23, not the crisis period, and are the working group's own.
COMMUNITY_DROPPED = ("zone", "aoc_rosc", "nws_aoc")

Coords = Callable[[np.ndarray], np.ndarray]


def _projector(source: str, target: str) -> Coords:
    transformer = Transformer.from_crs(source, target, always_xy=True)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return project


TO_METRIC = _projector("EPSG:4326", METRIC_CRS)
TO_LONLAT = _projector(METRIC_CRS, "EPSG:4326")


def _read_features(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]  # type: ignore[no-any-return]


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    return fixed


def _rounded(geometry: BaseGeometry) -> BaseGeometry:
    rounded = shapely.transform(geometry, lambda c: np.round(c, DECIMALS))
    return rounded if rounded.is_valid else _polygonal(rounded)


def _write_geojson(path: Path, features: list[tuple[dict[str, Any], BaseGeometry]]) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": props, "geometry": mapping(geom)} for props, geom in features
        ],
    }
    path.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


def _kept_properties(props: dict[str, Any], level: int) -> dict[str, Any]:
    parents_ar = {f"adm{k}_name1" for k in range(level)}
    return {k: v for k, v in props.items() if k not in BOUNDARY_DROPPED and k not in parents_ar}


def _vertices(geometries: list[BaseGeometry]) -> int:
    return int(sum(shapely.get_num_coordinates(g) for g in geometries))


def build_boundaries(shared: Path, out: Path, tolerance: float) -> list[str]:
    """Simplify adm3 as a coverage, dissolve it into adm2 and adm1; return report lines."""
    folder = shared / "boundaries"
    originals = {
        level: _read_features(folder / f"syr_admbnda_adm{level}_ocha.geojson") for level in (1, 2, 3)
    }
    metric = {
        level: [_polygonal(shapely.transform(shape(f["geometry"]), TO_METRIC)) for f in feats]
        for level, feats in originals.items()
    }
    adm3_props = [f["properties"] for f in originals[3]]
    simplified3 = list(shapely.coverage_simplify(metric[3], tolerance))

    simplified: dict[int, list[BaseGeometry]] = {3: simplified3}
    for level in (1, 2):
        key = f"adm{level}_pcode"
        parts: dict[str, list[BaseGeometry]] = {}
        for props, geom in zip(adm3_props, simplified3, strict=True):
            parts.setdefault(props[key], []).append(geom)
        missing = [f["properties"][key] for f in originals[level] if f["properties"][key] not in parts]
        if missing:
            raise SystemExit(f"adm{level} units with no sub-district: {', '.join(missing)}")
        simplified[level] = [shapely.union_all(parts[f["properties"][key]]) for f in originals[level]]

    lines = [
        f"boundaries: coverage simplification in {METRIC_CRS}, tolerance {tolerance:g} m "
        f"(Visvalingam-Whyatt), coordinates rounded to {DECIMALS} decimals"
    ]
    for level in (1, 2, 3):
        written = [_rounded(shapely.transform(g, TO_LONLAT)) for g in simplified[level]]
        invalid = sum(not g.is_valid for g in written)
        back = [shapely.transform(g, TO_METRIC) for g in written]
        displacement = max(
            shapely.hausdorff_distance(a.boundary, b.boundary, densify=0.25)
            for a, b in zip(metric[level], back, strict=True)
        )
        name = f"syr_admbnda_adm{level}_ocha.geojson"
        _write_geojson(
            out / name,
            [
                (_kept_properties(f["properties"], level), g)
                for f, g in zip(originals[level], written, strict=True)
            ],
        )
        lines.append(
            f"  adm{level}: {len(written)} units, "
            f"vertices {_vertices(metric[level]):,} -> {_vertices(written):,}, "
            f"max boundary displacement {displacement:,.0f} m, invalid after rounding {invalid}"
        )
    before = _community_check(shared, folder / "syr_admbnda_adm3_ocha.geojson")
    after = _community_check(shared, out / "syr_admbnda_adm3_ocha.geojson")
    lines.append(f"  community points in the sub-district their p-code names: {before} before, {after} after")
    return lines


def _community_check(shared: Path, adm3: Path) -> str:
    """How many community points fall in another sub-district once the boundaries are simplified."""
    with open(shared / COMMUNITIES, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    points = shapely.points([(float(r["longitude"]), float(r["latitude"])) for r in rows])
    feats = _read_features(adm3)
    tree = shapely.STRtree([shapely.make_valid(shape(f["geometry"])) for f in feats])
    codes = [f["properties"]["adm3_pcode"] for f in feats]
    point_idx, poly_idx = tree.query(points, predicate="intersects")
    found = {int(p): codes[int(g)] for p, g in zip(point_idx, poly_idx, strict=True)}
    matched = sum(found.get(i) == r["admin3pcode"] for i, r in enumerate(rows))
    return f"{matched:,} of {len(rows):,} ({len(rows) - len(found):,} in none)"


def build_communities(shared: Path, out: Path) -> str:
    with open(shared / COMMUNITIES, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c for c in reader.fieldnames or () if c not in COMMUNITY_DROPPED]
        rows = list(reader)
    with open(out / COMMUNITIES_OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return f"communities: {len(rows):,} rows, dropped columns {', '.join(COMMUNITY_DROPPED)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the collected data folder")
    parser.add_argument("--out", type=Path, default=OUT, help="the package data folder to write")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE_M, help="metres (VW tolerance)")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    for name in CURATED:
        shutil.copyfile(args.shared / "nw-syria-2020" / name, out / name)
    for source, name in COPIED.items():
        shutil.copyfile(args.shared / source, out / name)
    report = [build_communities(args.shared, out), *build_boundaries(args.shared, out, args.tolerance)]

    print("\n".join(report))
    total = 0
    print("files:")
    for path in sorted(out.iterdir()):
        size = path.stat().st_size
        total += size
        print(f"  {path.name:<64} {size:>10,} bytes")
    print(f"  {'total':<64} {total:>10,} bytes")


if __name__ == "__main__":
    main()
