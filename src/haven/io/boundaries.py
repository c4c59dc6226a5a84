"""OCHA COD-AB administrative boundaries: GeoJSON, shapefile (plain or zipped) or GeoPackage.

One file holds one admin level. The level is the highest N with an ``admN_pcode`` column; names come
from ``admN_name`` (English) and ``admN_name1`` (Arabic), or ``admN_en``/``admN_ar`` in newer releases
(column names are matched case-insensitively, so ``ADM3_PCODE`` works too); the lower-level p-code
columns give the parent chain. Geometry is reprojected to EPSG:4326 when the file uses another CRS, and
optionally simplified with a tolerance in metres. A spatial file's "row" in error messages is the number
of the feature, counting from 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from haven.errors import InputError, ValidationError
from haven.io.reading import Progress
from haven.model import AdminLevel, Place, Reliability, Source
from haven.model.place import pcode_chain

COD_AB_SOURCE = Source(
    "OCHA",
    "Common Operational Dataset: subnational administrative boundaries (COD-AB)",
    "https://data.humdata.org/dataset/cod-ab-syr",
    None,
    Reliability.A,
)

if TYPE_CHECKING:
    import geopandas as gpd

_PCODE_COLUMN = re.compile(r"^adm([0-4])_pcode$")
_EN_NAMES = ("adm{n}_name", "adm{n}_en")
_AR_NAMES = ("adm{n}_name1", "adm{n}_ar")
_ALT_NAMES = ("adm{n}_ref_n", "adm{n}_ref", "adm{n}alt1en", "adm{n}alt2en", "adm{n}_alt1en", "adm{n}_alt2en")
PCODE_EXPECTED = "an OCHA p-code such as SY070301"
_PCODE = re.compile(r"^[A-Z]{2,3}[0-9A-Z]*$")
_COUNTRY = re.compile(r"^([A-Z]{2,3})[0-9]")


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


class BoundariesImporter:
    """Admin units with their polygons, one level per file.

    ``simplify_m`` simplifies each polygon with that tolerance in metres, in the UTM zone of the
    file's extent, keeping each polygon valid. Neighbouring units are simplified separately, so thin
    gaps or overlaps of up to about the tolerance can open along shared borders.
    ``layer`` picks a layer of a multi-layer file (a GeoPackage); the first layer is read otherwise.
    """

    name: ClassVar[str] = "boundaries"
    summary: ClassVar[str] = "OCHA COD-AB admin boundaries (GeoJSON, shapefile, GeoPackage) with admN_pcode"
    default_dataset: ClassVar[str] = "cod-ab"

    def __init__(self, *, simplify_m: float | None = None, layer: str | None = None) -> None:
        if simplify_m is not None and not simplify_m > 0:
            raise ValidationError(f"simplify_m must be a positive number of metres, got {simplify_m}")
        self.simplify_m = simplify_m
        self.layer = layer

    def read(self, path: Path, dataset: str, progress: Progress | None = None) -> Iterator[Any]:
        frame = self._frame(path)
        level = self._level(frame, path)
        columns = {c.lower(): c for c in frame.columns if c != frame.geometry.name}
        for index, (values, geometry) in enumerate(
            zip(frame.drop(columns=frame.geometry.name).to_dict("records"), frame.geometry, strict=True)
        ):
            yield self._place(
                path, index + 1, level, {k.lower(): v for k, v in values.items()}, geometry, columns
            )
        if progress is not None:
            size = path.stat().st_size if path.is_file() else 0
            progress(size, size)

    # ------------------------------------------------------------ reading the file
    def _frame(self, path: Path) -> gpd.GeoDataFrame:
        import geopandas
        import pyogrio
        import shapely

        try:
            frame = geopandas.read_file(path, layer=self.layer, engine="pyogrio")
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise InputError(
                str(path),
                f"cannot be read as a spatial file ({exc})",
                expected="GeoJSON, shapefile or GeoPackage",
            ) from None
        if frame.crs is None:
            raise InputError(
                str(path),
                "the file has no coordinate reference system",
                expected="a file that names its CRS; a shapefile needs its .prj beside the .shp",
            )
        if frame.empty:
            raise InputError(str(path), "the file has no features", expected="one polygon per admin unit")
        geometry = frame.geometry.values
        # COD-AB files carry self-touching rings and similar slips; repairing keeps the area.
        invalid = ~shapely.is_valid(geometry) & ~shapely.is_missing(geometry)
        if invalid.any():
            frame.loc[invalid, frame.geometry.name] = shapely.make_valid(geometry[invalid])
        if self.simplify_m is not None:
            projected = frame.to_crs(frame.estimate_utm_crs())
            projected[projected.geometry.name] = projected.geometry.simplify(
                self.simplify_m, preserve_topology=True
            )
            frame = projected
        if not frame.crs.equals("EPSG:4326", ignore_axis_order=True):
            frame = frame.to_crs("EPSG:4326")
        return frame

    @staticmethod
    def _level(frame: gpd.GeoDataFrame, path: Path) -> int:
        levels = [int(m.group(1)) for c in frame.columns if (m := _PCODE_COLUMN.match(c.lower()))]
        if not levels:
            raise InputError(
                str(path),
                "no admN_pcode column: is this an OCHA COD-AB boundaries file?",
                expected="a column adm0_pcode ... adm4_pcode, e.g. adm3_pcode for sub-districts",
            )
        return max(levels)

    def _place(
        self,
        path: Path,
        row: int,
        level: int,
        values: dict[str, Any],
        geometry: Any,
        columns: dict[str, str],
    ) -> Place:
        def error(column: str | None, message: str, expected: str | None = None) -> InputError:
            value = _text(values.get(column)) if column else None
            return InputError(
                str(path),
                message,
                row=row,
                column=columns.get(column, column) if column else None,
                value=value if value is not None or column is None else "",
                expected=expected,
            )

        pcode_column = f"adm{level}_pcode"
        pcode = _text(values.get(pcode_column))
        if pcode is None or not _PCODE.match(pcode):
            raise error(pcode_column, "feature has no valid p-code", PCODE_EXPECTED)
        name_column, name_en = self._first(values, _EN_NAMES, level)
        if name_en is None:
            raise error(name_column, "feature has no English name", "a name such as 'Dana'")
        _, name_ar = self._first(values, _AR_NAMES, level)
        parents = [_text(values.get(f"adm{parent}_pcode")) for parent in range(level)]
        if parents and parents[0] is None and (country := _COUNTRY.match(pcode)):
            parents[0] = country.group(1)  # OCHA p-codes start with the country's code
        if geometry is None or geometry.is_empty:
            raise error(None, f"feature {pcode} has no geometry", "a polygon or multipolygon")
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            polygons = _polygonal_part(geometry)
            if polygons is None:
                raise error(None, f"feature {pcode} is a {geometry.geom_type}", "a polygon or multipolygon")
            geometry = polygons
        minx, miny, maxx, maxy = geometry.bounds
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            raise error(
                None,
                f"feature {pcode} lies outside longitude/latitude bounds",
                "a CRS that matches the coordinates",
            )
        alt = [n for pattern in _ALT_NAMES if (n := _text(values.get(pattern.format(n=level))))]
        point = geometry.representative_point()
        try:
            return Place(
                pcode=pcode,
                level=AdminLevel(level),
                name_en=name_en,
                name_ar=name_ar,
                parents=pcode_chain(*parents),
                alt_names=tuple(dict.fromkeys(n for n in alt if n not in (name_en, name_ar))),
                point=(round(point.x, 6), round(point.y, 6)),
                geometry=geometry,
                sources=[COD_AB_SOURCE],
            )
        except ValidationError as exc:
            raise error(None, str(exc)) from None

    @staticmethod
    def _first(values: dict[str, Any], patterns: tuple[str, ...], level: int) -> tuple[str, str | None]:
        names = [p.format(n=level) for p in patterns]
        for name in names:
            text = _text(values.get(name))
            if text is not None:
                return name, text
        present = [n for n in names if n in values]
        return (present[0] if present else names[0]), None


def _polygonal_part(geometry: Any) -> Any:
    """The polygons of a geometry collection (what repairing an invalid polygon can return)."""
    from shapely.geometry import MultiPolygon, Polygon

    parts = [
        g for g in getattr(geometry, "geoms", ()) if isinstance(g, Polygon | MultiPolygon) and not g.is_empty
    ]
    if not parts:
        return None
    polygons: list[Polygon] = []
    for part in parts:
        polygons.extend(part.geoms if isinstance(part, MultiPolygon) else [part])
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


__all__ = ["BoundariesImporter"]
