"""Reading tabular files row by row, with errors that say exactly where and what.

Row numbers are the line numbers a spreadsheet shows: the header is row 1, the first data
row is row 2.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

from haven.errors import InputError

Progress = Callable[[int, int], None]  # (bytes done, bytes total)

_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f", ""}
_DATE_FORMATS = ("%d %B %Y", "%d/%m/%Y", "%d-%b-%Y", "%d %b %Y", "%Y/%m/%d")
DATE_EXPECTED = "a date as YYYY-MM-DD or DD Month YYYY"


class Cells:
    """One row's cells by column name, with typed getters that fail with file, row and column."""

    __slots__ = ("path", "row", "values")

    def __init__(self, path: str, row: int, values: dict[str, str]) -> None:
        self.path = path
        self.row = row
        self.values = values

    def error(self, column: str | None, message: str, expected: str | None = None) -> InputError:
        value = self.values.get(column) if column else None
        return InputError(self.path, message, row=self.row, column=column, value=value, expected=expected)

    def text(self, column: str, *, required: bool = False) -> str | None:
        value = (self.values.get(column) or "").strip()
        if not value:
            if required:
                raise self.error(column, "a value is required here", "a non-empty value")
            return None
        return value

    def required(self, column: str) -> str:
        value = self.text(column, required=True)
        assert value is not None
        return value

    def integer(
        self, column: str, *, required: bool = False, lo: int | None = None, hi: int | None = None
    ) -> int | None:
        value = self.text(column, required=required)
        if value is None:
            return None
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            raise self.error(column, "not a whole number", "a whole number") from None
        if not number.is_integer():
            raise self.error(column, "not a whole number", "a whole number")
        result = int(number)
        if (lo is not None and result < lo) or (hi is not None and result > hi):
            raise self.error(column, "out of range", "a whole number " + _bounds(lo, hi))
        return result

    def number(
        self, column: str, *, required: bool = False, lo: float | None = None, hi: float | None = None
    ) -> float | None:
        value = self.text(column, required=required)
        if value is None:
            return None
        try:
            result = float(value.replace(",", ""))
        except ValueError:
            raise self.error(column, "not a number", "a number") from None
        if result != result or (lo is not None and result < lo) or (hi is not None and result > hi):
            raise self.error(column, "out of range", "a number " + _bounds(lo, hi))
        return result

    def day(self, column: str, *, required: bool = False) -> date | None:
        value = self.text(column, required=required)
        return None if value is None else parse_date(value, self)(column)

    def flag(self, column: str) -> bool:
        value = (self.values.get(column) or "").strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise self.error(column, "not a yes/no value", "yes/no, true/false or 1/0")

    def choice(self, column: str, choices: Sequence[str], *, required: bool = False) -> str | None:
        value = self.text(column, required=required)
        if value is not None and value not in choices:
            raise self.error(column, "not an accepted value", "one of " + ", ".join(choices))
        return value


def _bounds(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"from {lo:g} to {hi:g}"
    return f"of at least {lo:g}" if lo is not None else f"of at most {hi:g}"


def parse_date(value: str, cells: Cells | None = None) -> Callable[[str], date]:
    """Parse ISO dates fast, then the formats the field uses; return a function raising with context."""
    text = value.strip()
    try:
        parsed = date.fromisoformat(text[:10])
        return lambda _column: parsed
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
            return lambda _column: parsed
        except ValueError:
            continue

    def fail(column: str) -> date:
        if cells is None:
            raise ValueError(f"{value!r} is not a date ({DATE_EXPECTED})")
        raise cells.error(column, "not a date", DATE_EXPECTED)

    return fail


def read_date(value: str) -> date:
    """A date in any accepted format, or ``ValueError``."""
    return parse_date(value)("")


class CsvRows:
    """Stream a CSV file as :class:`Cells`, checking its header first."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        required: Sequence[str] = (),
        progress: Progress | None = None,
        format_name: str = "a CSV file",
    ) -> None:
        self.path = str(path)
        self.required = tuple(required)
        self.progress = progress
        self.format_name = format_name
        if not Path(path).is_file():
            raise InputError(self.path, "no such file")

    def __iter__(self) -> Iterator[Cells]:
        total = os.path.getsize(self.path)
        with open(self.path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise InputError(
                    self.path, f"the file is empty (expected the header row of {self.format_name})"
                ) from None
            except UnicodeDecodeError as exc:
                raise InputError(self.path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
            missing = [name for name in self.required if name not in header]
            if missing:
                raise InputError(
                    self.path,
                    f"missing column(s) {', '.join(missing)}: is this {self.format_name}?",
                    row=1,
                    expected="columns " + ", ".join(self.required),
                )
            width = len(header)
            row_number = 1
            try:
                for values in reader:
                    row_number += 1
                    if not values:
                        continue
                    if len(values) != width:
                        raise InputError(
                            self.path,
                            f"has {len(values)} cells, the header has {width}",
                            row=row_number,
                            expected=f"{width} comma-separated cells",
                        )
                    yield Cells(self.path, row_number, dict(zip(header, values, strict=True)))
                    if self.progress is not None and row_number % 5000 == 0:
                        self.progress(handle.buffer.tell(), total)  # type: ignore[attr-defined]
            except UnicodeDecodeError as exc:
                raise InputError(self.path, f"not UTF-8 text ({exc.reason})", row=row_number + 1) from None
            except csv.Error as exc:
                raise InputError(self.path, f"malformed CSV: {exc}", row=row_number) from None
        if self.progress is not None:
            self.progress(total, total)
