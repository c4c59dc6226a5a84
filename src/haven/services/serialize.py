"""Domain records as JSON-ready dictionaries, for ``--json`` output and the API."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from haven.model import RecordKey


def to_jsonable(value: Any) -> Any:
    if isinstance(value, RecordKey):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, BaseGeometry):
        return mapping(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


def record_to_dict(record: Any, *, geometry: bool = False) -> dict[str, Any]:
    """A record as a dict; polygons are left out unless asked for, they are large."""
    data: dict[str, Any] = to_jsonable(record)
    if not geometry:
        for name in ("geometry", "area"):
            if data.get(name) is not None:
                data[name] = f"<{getattr(record, name).geom_type}>"
    data.pop("revisions", None)
    return data
