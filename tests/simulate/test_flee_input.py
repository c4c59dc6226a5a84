"""Reading Flee input sets: the fixture, and bad files with the messages they must produce."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.errors import InputError
from haven.simulate import Settings, load_flee_inputs, read_settings
from haven.simulate.observed import Series

from .conftest import FLEE_FIXTURE


def test_reads_flee_test_set() -> None:
    inputs = load_flee_inputs(FLEE_FIXTURE)
    assert [loc.name for loc in inputs.locations] == ["A", "B", "C", "C2", "D", "E", "F"]
    assert [loc.kind for loc in inputs.locations] == ["conflict_zone"] * 2 + ["town"] * 2 + ["camp"] * 3
    assert inputs.locations[1].conflict_date == 10
    assert inputs.locations[4].population == 30000  # a camp's capacity
    assert inputs.locations[2].population == 0  # empty population cell
    assert len(inputs.routes) == 9 and inputs.routes[0].distance == 100.0
    assert [(c.kind, c.name1, c.name2, c.start, c.end) for c in inputs.closures] == [
        ("country", "ABC", "DEF", 5, 8)
    ]
    assert inputs.conflicts is not None
    assert inputs.conflicts.names == ("A", "B") and inputs.conflicts.intensity.shape == (11, 2)
    assert (inputs.start_date, inputs.length) == (date(2020, 1, 1), 10)
    assert inputs.observed is not None and inputs.observed.total is not None
    assert sorted(inputs.observed.camps) == ["D", "E", "F"]
    assert inputs.settings == Settings()  # no simsetting.yml: flee 3.1's defaults
    assert inputs.warnings == ()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "locations.csv",
            '"town",0,\n"C2"',
            '"village",0,\n"C2"',
            "locations.csv, row 4, column location_type: unknown location type "
            "(got 'village'; expected conflict_zone",
        ),
        (
            "locations.csv",
            '"C2","C"',
            '"C","C"',
            "row 5, column name: location 'C' is already defined on row 4",
        ),
        (
            "locations.csv",
            '"conflict_zone",0,200000000',
            '"conflict_zone",,200000000',
            "row 2, column conflict_date: a conflict zone needs the day its conflict starts",
        ),
        ("locations.csv", "30000", "lots", "row 6, column population: not a whole number (got 'lots'"),
        (
            "routes.csv",
            '"C","D",150',
            '"C","Q",150',
            "routes.csv, row 5, column name2: no location of this name in locations.csv (got 'Q'",
        ),
        ("routes.csv", '"A","B",100', '"A","B",-5', "row 2, column distance: out of range (got '-5'"),
        (
            "closures.csv",
            "5,8",
            "8,5",
            "closures.csv, row 2, column closure_end: the closure ends before it starts",
        ),
        (
            "closures.csv",
            "country,",
            "border,",
            "row 2, column closure_type: not an accepted value (got 'border'",
        ),
        ("conflicts.csv", "3,1,1", "4,1,1", "conflicts.csv, row 5, column day: days must count up from 0"),
        (
            "conflicts.csv",
            "#Day, A, B",
            "#Day, A, Z",
            "conflicts.csv, row 1, column Z: no location of this name",
        ),
        ("conflicts.csv", "6,1,1", "6,1,x", "conflicts.csv, row 8, column B: not a number (got 'x'"),
        (
            "sim_period.csv",
            "Length,10",
            "Duration,10",
            "sim_period.csv: needs a StartDate row and a Length row",
        ),
        (
            "sim_period.csv",
            "2020-01-01",
            "01/01/2020",
            "row 1, column StartDate: not a date (got '01/01/2020'",
        ),
        (
            "refugee_data/data_layout.csv",
            "E,E.csv",
            "E,E2.csv",
            "data_layout.csv, row 3, column file: names a data file that does not exist (got 'E2.csv'",
        ),
        ("refugee_data/D.csv", "2010-01-11,50", "2010-13-11,50", "D.csv, row 3, column date: not a date"),
        (
            "refugee_data/F.csv",
            "2010-01-21,100",
            "2010-01-21,many",
            "F.csv, row 4, column count: not a whole number",
        ),
    ],
)
def test_bad_files_name_file_row_and_column(
    flee_copy: Path, file: str, old: str, new: str, message: str
) -> None:
    _edit(flee_copy / file, old, new)
    with pytest.raises(InputError) as caught:
        load_flee_inputs(flee_copy)
    assert message in str(caught.value)


def test_missing_files(flee_copy: Path, tmp_path: Path) -> None:
    (flee_copy / "routes.csv").unlink()
    with pytest.raises(InputError, match=r"routes.csv: no such file"):
        load_flee_inputs(flee_copy)
    with pytest.raises(InputError, match=r"no locations\.csv here"):
        load_flee_inputs(tmp_path)


def test_short_location_row(flee_copy: Path) -> None:
    _edit(flee_copy / "locations.csv", '"F","EF","DEF",1.0,1.0,"camp",,10000', '"F","EF","DEF"')
    with pytest.raises(InputError) as caught:
        load_flee_inputs(flee_copy)
    assert "locations.csv, row 8: has 3 cells, expected at least 8" in str(caught.value)


def test_unknown_closure_name_is_a_warning_as_in_flee(flee_copy: Path) -> None:
    (flee_copy / "closures.csv").write_text(
        "#closure_type,name1,name2,closure_start,closure_end\nlocation,Nowhere,X,1,2\n"
    )
    inputs = load_flee_inputs(flee_copy)
    assert inputs.closures == ()
    assert any("no location named 'Nowhere'" in w for w in inputs.warnings)


def test_registration_corrections_scale_earlier_counts(flee_copy: Path) -> None:
    (flee_copy / "registration_corrections.csv").write_text("D,2010-01-21,normalize\n")
    inputs = load_flee_inputs(flee_copy)
    assert inputs.observed is not None
    # counts before 2010-01-21 are scaled by 300/50 = 6
    assert list(inputs.observed.camps["D"].counts) == [12.0, 300.0, 300.0, 3000.0]
    (flee_copy / "registration_corrections.csv").write_text("D,2010-01-22,normalize\n")
    with pytest.raises(InputError, match="row 1, column date: no count for D on this date"):
        load_flee_inputs(flee_copy)


def test_settings_file(flee_copy: Path) -> None:
    (flee_copy / "simsetting.yml").write_text(
        "log_levels:\n  agent: 0  # ignored\nspawn_rules:\n  take_from_population: False\n"
        "  conflict_spawn_decay: [1.0, 0.5]\nmove_rules:\n  max_move_speed: 200\n  awareness_level: 2\n"
        "  camp_weight: 2.0\noptimisations:\n  hasten: 10\n"
    )
    settings = load_flee_inputs(flee_copy).settings
    assert settings.max_move_speed == 200.0 and settings.awareness_level == 2 and settings.camp_weight == 2.0
    assert settings.hasten == 10 and settings.conflict_spawn_decay == (1.0, 0.5)
    assert settings.decay(29) == 1.0 and settings.decay(30) == 0.5 and settings.decay(400) == 0.5
    assert settings.default_movechance == 0.3  # untouched default


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "move_rules:\n  max_move_speed: fast\n",
            "column move_rules.max_move_speed: not a number (got 'fast'",
        ),
        ("move_rules:\n  awareness_level: 1.5\n", "column move_rules.awareness_level: not a whole number"),
        ("move_rules:\n  stay_close_to_home: True\n", "does not implement stay_close_to_home"),
        ("move_rules:\n max_move_speed: 1\n  camp_weight: 2\n", "row 3: not valid YAML"),
        ("move_rules: [1, 2\n", "row 2: not valid YAML"),
        ("a: 1\na: 2\n", "row 2: not valid YAML: 'a' is given twice"),
        ("- 1\n- 2\n", "row 1: the settings file must be a mapping"),
    ],
)
def test_bad_settings(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "simsetting.yml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        read_settings(path)
    assert message in str(caught.value)


def _flee_interpolated(days: list[float], values: list[float], day: int) -> int:
    """flee 3.1's DataTable.get_interpolated_data as a plain loop: the reference for the vector code."""
    if day <= days[0]:
        return int(values[0])
    for i in range(1, len(days)):
        if day < days[i]:
            fraction = (day - days[i - 1]) / (days[i] - days[i - 1])
            if fraction > 1.0:
                return -1
            return int(values[i - 1] + fraction * (values[i] - values[i - 1]))
    return int(values[-1])


@given(
    st.lists(
        st.tuples(st.integers(-30, 60), st.integers(0, 10**6)),
        min_size=1,
        max_size=8,
        unique_by=lambda x: x[0],
    )
)
def test_interpolation_matches_flee_including_unsorted_dates(rows: list[tuple[int, int]]) -> None:
    start = date(2020, 1, 1)
    from datetime import timedelta

    series = Series(
        "x", "x.csv", tuple(start + timedelta(days=d) for d, _ in rows), np.array([float(v) for _, v in rows])
    )
    got = series.daily(start, 40)
    expected = [
        _flee_interpolated([float(d) for d, _ in rows], [float(v) for _, v in rows], t) for t in range(40)
    ]
    assert got.tolist() == expected


def test_interpolation_by_hand() -> None:
    start = date(2010, 1, 1)
    series = Series("total", "t.csv", (date(2010, 1, 1), date(2010, 1, 11)), np.array([10.0, 100.0]))
    # 10 + 90 * t / 10, truncated; held at 100 after the last date
    assert series.daily(start, 13).tolist() == [10, 19, 28, 37, 46, 55, 64, 73, 82, 91, 100, 100, 100]
    assert series.daily(start, 3, hasten=3).tolist() == [3, 6, 9]  # 10/3 + 30/3 * t / 10 -> 3.33, 6.33, 9.33
