"""Value types shared by several records: uncertainty, precision, record identity."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from haven.errors import ValidationError


@dataclass(frozen=True, slots=True)
class RecordKey:
    """The natural key of an imported record: which dataset, and the id the dataset gave it.

    Re-importing a file finds its records again by this key, so a record is never duplicated.
    """

    dataset: str
    record_id: str

    def __post_init__(self) -> None:
        if not self.dataset or not self.record_id:
            raise ValidationError(f"a record key needs a dataset and a record id, got {self!r}")

    def __str__(self) -> str:
        return f"{self.dataset}:{self.record_id}"


@dataclass(frozen=True, slots=True)
class Estimate:
    """A count known only within a range: low <= best <= high, any of them may be unknown."""

    low: float | None = None
    best: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        previous = 0.0
        for value in (self.low, self.best, self.high):
            if value is None:
                continue
            if value < 0:
                raise ValidationError(f"an estimate cannot be negative: {self.low}/{self.best}/{self.high}")
            if value < previous:
                raise ValidationError(
                    "an estimate needs low <= best <= high, "
                    f"got low={self.low} best={self.best} high={self.high}"
                )
            previous = value

    @classmethod
    def exact(cls, value: float | None) -> Estimate:
        return cls(value, value, value)

    @property
    def is_known(self) -> bool:
        return any(v is not None for v in (self.low, self.best, self.high))


class PrecisionScheme(StrEnum):
    """Whose precision codes a value uses; ACLED and UCDP code precision differently."""

    ACLED = "acled"
    UCDP = "ucdp"
    HAVEN = "haven"


# Codes and what they mean, per scheme. ACLED: codebook, "geo_precision" and "time_precision".
# UCDP GED codebook: "where_prec" 1-7 and "date_prec" 1-5.
_GEO_CODES: dict[PrecisionScheme, dict[int, str]] = {
    PrecisionScheme.ACLED: {
        1: "exact place",
        2: "near a place, or a part of a region",
        3: "a larger region; the provincial capital or a central point",
    },
    PrecisionScheme.UCDP: {
        1: "exact location",
        2: "within 25 km of a known point",
        3: "second-order administrative division",
        4: "first-order administrative division",
        5: "a linear feature or larger area than an admin division",
        6: "the country",
        7: "international waters or airspace",
    },
    PrecisionScheme.HAVEN: {1: "exact place", 2: "near a place", 3: "an administrative area"},
}
_DATE_CODES: dict[PrecisionScheme, dict[int, str]] = {
    PrecisionScheme.ACLED: {1: "day", 2: "week", 3: "month"},
    PrecisionScheme.UCDP: {
        1: "day",
        2: "2-6 days",
        3: "week",
        4: "month (8-30 days)",
        5: "more than a month",
    },
    PrecisionScheme.HAVEN: {1: "day", 2: "week", 3: "month"},
}


@dataclass(frozen=True, slots=True)
class _Precision:
    scheme: PrecisionScheme
    code: int

    _codes = _GEO_CODES  # overridden by subclasses

    def __post_init__(self) -> None:
        codes = self._codes[self.scheme]
        if self.code not in codes:
            raise ValidationError(
                f"{type(self).__name__} code {self.code} is not valid "
                f"in the {self.scheme.value.upper()} scheme "
                f"(expected one of {', '.join(map(str, codes))})"
            )

    @property
    def meaning(self) -> str:
        return self._codes[self.scheme][self.code]


@dataclass(frozen=True, slots=True)
class GeoPrecision(_Precision):
    """How exactly an event's coordinates locate it (ACLED 1-3 or UCDP where_prec 1-7)."""

    _codes = _GEO_CODES


@dataclass(frozen=True, slots=True)
class DatePrecision(_Precision):
    """How exactly an event's dates are known (ACLED time_precision 1-3, UCDP date_prec 1-5)."""

    _codes = _DATE_CODES
