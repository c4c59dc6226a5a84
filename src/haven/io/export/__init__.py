"""Exports of Haven's records: CSV and XLSX with HXL hashtags, GeoJSON and GeoPackage.

Columns and hashtags come from :mod:`haven.io.hxl_tags`, the table the HXL importer reads, so an
exported CSV or workbook imports again unchanged. With ``public=True`` points that could harm
people are coarsened (see :mod:`haven.io.export.privacy`).
"""

from __future__ import annotations

import os
from pathlib import Path

from haven.errors import HavenError
from haven.io.export._rows import KIND_NAMES, build_table
from haven.io.export._writers import SUFFIXES, WRITERS
from haven.store import RecordFilter, Store

FORMATS = tuple(WRITERS)


def format_for(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The export format asked for, or the one the file's suffix names."""
    if fmt is not None:
        name = fmt.strip().lower().lstrip(".")
        if name not in WRITERS:
            raise HavenError(f"no export format {fmt!r} (expected one of {', '.join(FORMATS)})")
        return name
    suffix = Path(path).suffix.lower()
    found = SUFFIXES.get(suffix)
    if found is None:
        raise HavenError(
            f"cannot tell the export format from {str(path)!r} (expected a file ending in "
            f"{', '.join(SUFFIXES)}, or a format: {', '.join(FORMATS)})"
        )
    return found


def export_records(
    store: Store,
    kind: str,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    where: RecordFilter | None = None,
    public: bool = False,
) -> int:
    """Write the records of one kind to ``path``; return the number of rows written.

    ``kind`` is one of event, movement, site (each with its latest snapshot), figure, place.
    XLSX and GeoPackage files get one sheet or layer per kind, so several kinds can share a file.
    """
    name = kind.strip().lower().removesuffix("s")
    if name not in KIND_NAMES:
        raise HavenError(f"cannot export {kind!r} (expected one of {', '.join(KIND_NAMES)})")
    form = format_for(path, fmt)
    target = Path(path)
    if target.parent and not target.parent.is_dir():
        raise HavenError(f"no folder {str(target.parent)!r} to write {target.name!r} in")
    table = build_table(store, name, where, public)
    WRITERS[form](table, target)
    return len(table.rows)


__all__ = ["FORMATS", "export_records", "format_for"]
