"""Writers for one :class:`Table`: CSV and XLSX with an HXL hashtag row, GeoJSON, GeoPackage."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from shapely.geometry import mapping

from haven.errors import HavenError
from haven.io.export._rows import Table
from haven.io.hxl_tags import cell_text

CRS = "EPSG:4326"


def write_csv(table: Table, path: Path) -> None:
    """Header text in row 1, hashtags in row 2, then one row per record (UTF-8)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([t.header for t in table.tags])
        writer.writerow([t.hashtag for t in table.tags])
        for row in table.rows:
            writer.writerow([cell_text(row.get(t.field)) for t in table.tags])


def _xlsx_value(value: Any, kind: str) -> Any:
    """Numbers stay numbers; everything else is written as the text a CSV would hold."""
    if value is None:
        return None
    if kind in ("number", "int") and isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else float(value)
    return cell_text(value)


def write_xlsx(table: Table, path: Path) -> None:
    """One sheet named after the kind; other sheets of an existing workbook are kept."""
    from openpyxl import Workbook, load_workbook

    if path.exists():
        book = load_workbook(path)
        if table.layer in book.sheetnames:
            del book[table.layer]
    else:
        book = Workbook()
        book.remove(book.active)
    sheet = book.create_sheet(table.layer)
    sheet.append([t.header for t in table.tags])
    sheet.append([t.hashtag for t in table.tags])
    for row in table.rows:
        sheet.append([_xlsx_value(row.get(t.field), t.type) for t in table.tags])
    sheet.freeze_panes = "A3"
    book.save(path)


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _properties(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {t.field: _json_value(row.get(t.field)) for t in table.tags}


def write_geojson(table: Table, path: Path) -> None:
    """An RFC 7946 FeatureCollection in WGS 84 lon/lat; records without a location get a null geometry."""
    features = [
        {
            "type": "Feature",
            "geometry": mapping(geometry) if geometry is not None else None,
            "properties": _properties(table, row),
        }
        for row, geometry in zip(table.rows, table.geometries, strict=True)
    ]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"type": "FeatureCollection", "features": features}, handle, ensure_ascii=False)


def write_gpkg(table: Table, path: Path) -> None:
    """One layer named after the kind, EPSG:4326; other layers of an existing file are kept."""
    try:
        import geopandas as gpd
        import pandas as pd
        import pyogrio
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise HavenError(f"GeoPackage export needs geopandas and pyogrio ({exc.name} is missing)") from None

    columns: dict[str, Any] = {}
    for tag in table.tags:
        values = [_json_value(row.get(tag.field)) for row in table.rows]
        if tag.type == "int":
            columns[tag.field] = pd.array(values, dtype="Int64")
        elif tag.type == "number":
            columns[tag.field] = pd.array(values, dtype="Float64")
        else:
            columns[tag.field] = pd.array([None if v is None else cell_text(v) for v in values], dtype=object)
    geometry = gpd.GeoSeries(table.geometries, crs=CRS)
    frame = gpd.GeoDataFrame(pd.DataFrame(columns), geometry=geometry, crs=CRS)
    kinds = {g.geom_type for g in table.geometries if g is not None}
    geometry_type = "Point" if not kinds else (kinds.pop() if len(kinds) == 1 else "Unknown")
    pyogrio.write_dataframe(frame, path, layer=table.layer, driver="GPKG", geometry_type=geometry_type)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "geojson": write_geojson, "gpkg": write_gpkg}
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}

__all__ = ["CRS", "SUFFIXES", "WRITERS"]
