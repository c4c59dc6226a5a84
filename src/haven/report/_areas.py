"""The areas a report covers: p-codes read from what the user gave, their name, and their records.

A report may cover several areas (Idleb and Aleppo for northwest Syria); it then works on their union,
so a record found under two of them counts once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from haven.errors import NotFoundError, ValidationError
from haven.model import Place
from haven.store import RecordFilter, Store

TITLE_CHARS = 80


def area_codes(area: str | Iterable[str]) -> list[str]:
    """The p-codes of ``area``: one string or several, each possibly comma-separated; each once."""
    given = [area] if isinstance(area, str) else list(area)
    codes = [code.strip() for text in given for code in text.split(",") if code.strip()]
    if not codes:
        raise ValidationError("area: give the p-code of the area the report covers, such as SY07")
    return list(dict.fromkeys(codes))


def _place(store: Store, code: str) -> Place:
    try:
        return store.place(code)
    except NotFoundError:
        raise ValidationError(
            f"area {code!r}: no place has this p-code in the database "
            "(expected an admin unit or community p-code such as SY07; "
            "haven places find NAME gives the p-code of a name)"
        ) from None


def report_places(store: Store, area: str | Iterable[str]) -> tuple[Place, ...]:
    """The places of ``area`` (see :func:`area_codes`), none inside another."""
    places = tuple(_place(store, code) for code in area_codes(area))
    for place in places:
        # a unit inside another given one adds nothing to the union, and its name would mislead the title
        outer = next((p for p in places if p.pcode in place.parents), None)
        if outer is not None:
            raise ValidationError(
                f"area {place.pcode!r}: {place.name_en} lies inside {outer.name_en} ({outer.pcode}), "
                "which the report already covers (expected areas that do not overlap)"
            )
    return places


def joined_names(places: Sequence[Place]) -> str:
    """'Idleb', 'Idleb and Aleppo', 'Idleb, Aleppo and Hama'."""
    names = [p.name_en for p in places]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def report_name(title: str | None, places: Sequence[Place]) -> str:
    """The title given, its spaces tidied; without one, the areas' names joined."""
    if title is None or not title.strip():
        return joined_names(places)
    name = " ".join(title.split())
    if len(name) > TITLE_CHARS:
        raise ValidationError(
            f"title: {len(name)} characters is too long for a title (expected at most {TITLE_CHARS})"
        )
    return name


def records_in(
    store: Store, kind: str, places: Sequence[Place], start: date | None = None, end: date | None = None
) -> list[Any]:
    """The records of ``kind`` in any of ``places`` (and the period), each once, in the store's order."""
    found: dict[Any, Any] = {}
    for place in places:
        for record in store.list(kind, RecordFilter(start=start, end=end, area=place.pcode)):
            found.setdefault(record.key, record)
    if len(places) == 1:
        return list(found.values())
    return sorted(found.values(), key=lambda r: getattr(r, "date_start", None) or date.min)


__all__ = ["TITLE_CHARS", "area_codes", "joined_names", "records_in", "report_name", "report_places"]
