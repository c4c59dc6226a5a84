from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.errors import InputError
from haven.io.reading import Cells, CsvRows, read_date


def cells(**values: str) -> Cells:
    return Cells("f.csv", 7, values)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_read_in_every_format_the_field_writes(day: date) -> None:
    assert read_date(day.isoformat()) == day
    assert read_date(day.strftime("%d %B %Y")) == day  # ACLED's older exports
    assert read_date(day.strftime("%d/%m/%Y")) == day  # OCHA's last_update_date
    assert read_date(f"{day.isoformat()} 00:00:00") == day


@given(st.text(alphabet="abcxyz/-: ", max_size=12))
def test_non_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        read_date(text)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_whole_numbers_round_trip_with_or_without_thousands_separators(number: int) -> None:
    assert cells(n=str(number)).integer("n") == number
    assert cells(n=f"{number:,}").integer("n") == number


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_numbers_round_trip(number: float) -> None:
    assert cells(x=repr(number)).number("x") == number


def test_cell_errors_name_file_row_column_value_and_expectation() -> None:
    with pytest.raises(InputError) as caught:
        cells(fatalities="a dozen").integer("fatalities")
    assert (
        str(caught.value)
        == "f.csv, row 7, column fatalities: not a whole number (got 'a dozen'; expected a whole number)"
    )
    with pytest.raises(
        InputError, match=r"column lat: out of range \(got '91'; expected a number from -90 to 90\)"
    ):
        cells(lat="91").number("lat", lo=-90, hi=90)
    with pytest.raises(InputError, match="column n: not a whole number"):
        cells(n="2.5").integer("n")
    with pytest.raises(InputError, match="column x: a value is required here"):
        cells(x="  ").text("x", required=True)
    assert cells(flag="Yes").flag("flag") is True
    with pytest.raises(InputError, match="not a yes/no value"):
        cells(flag="perhaps").flag("flag")


def test_csv_rows_check_width_and_header(tmp_path: Path) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b\n1,2\n3\n")
    with pytest.raises(InputError, match=r"ragged.csv, row 3: has 1 cells, the header has 2"):
        list(CsvRows(ragged))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="the file is empty"):
        list(CsvRows(empty))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("a,b\nMa\xe2arrat,1\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8 text"):
        list(CsvRows(latin))
    with pytest.raises(InputError, match="no such file"):
        CsvRows(tmp_path / "missing.csv")
