"""Places: administrative units and communities, identified by OCHA p-codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from shapely.geometry.base import BaseGeometry

from haven.errors import ValidationError
from haven.model.source import Source


class AdminLevel(IntEnum):
    """OCHA administrative levels; communities are admin4 in Syria's common operational datasets."""

    ADM0 = 0
    ADM1 = 1
    ADM2 = 2
    ADM3 = 3
    ADM4 = 4


@dataclass(slots=True)
class Place:
    """An administrative unit or community.

    ``parents`` holds the p-codes of the enclosing units from admin0 down, so
    ``parents[1]`` is the governorate. Geometry is in WGS 84 longitude/latitude.
    """

    pcode: str
    level: AdminLevel
    name_en: str
    name_ar: str | None = None
    parents: tuple[str, ...] = ()
    alt_names: tuple[str, ...] = ()
    point: tuple[float, float] | None = None  # (lon, lat)
    geometry: BaseGeometry | None = None
    population: int | None = None
    kind: str | None = None  # e.g. "Community", "Neighborhood", "Camp"
    sources: list[Source] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.pcode.strip():
            raise ValidationError("a place needs a p-code")
        if len(self.parents) > int(self.level):
            raise ValidationError(
                f"place {self.pcode} at admin{int(self.level)} cannot have {len(self.parents)} parents"
            )
        if self.point is not None:
            lon, lat = self.point
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValidationError(f"place {self.pcode}: ({lon}, {lat}) is not a longitude/latitude")

    @property
    def parent_pcode(self) -> str | None:
        return self.parents[-1] if self.parents else None

    def all_names(self) -> list[str]:
        names = [self.name_en, *([self.name_ar] if self.name_ar else []), *self.alt_names]
        return list(dict.fromkeys(n for n in names if n))


def pcode_chain(*pcodes: str | None) -> tuple[str, ...]:
    """Parents chain from admin0 down, dropping the unknown tail."""
    chain: list[str] = []
    for code in pcodes:
        if not code:
            break
        chain.append(code)
    return tuple(chain)


__all__ = ["AdminLevel", "Place", "pcode_chain"]
