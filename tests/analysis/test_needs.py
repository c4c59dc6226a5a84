from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from haven.analysis.needs import (
    PopulationUnit,
    aggregate_units,
    load_standards,
    needs_by_area,
    needs_for,
    unit_needs,
)
from haven.errors import InputError, ValidationError
from haven.model import AdminLevel, Place, RecordKey, ShelterBreakdown, Site, SiteKind, SiteSnapshot
from haven.store import Store


def test_needs_of_948000_people_by_sphere() -> None:
    lines = {line.indicator: line for line in needs_for(948_000)}
    water = lines["water"]
    assert water.need == pytest.approx(14_220_000) and water.unit == "litres/day"
    assert "14.2 million" in water.text()
    assert water.standard.standard == "Water supply standard 2.1: Access and water quantity"
    latrines = lines["people_per_latrine"]
    assert latrines.need == 18_960 and latrines.unit == "latrines"
    assert latrines.standard.standard == "Excreta management standard 3.2: Access to and use of toilets"
    space = lines["covered_space"]
    assert space.need == pytest.approx(3_318_000) and "(3.3 km2)" in space.text()
    assert space.standard.standard == "Shelter and settlement standard 3: Living space"
    assert lines["people_per_tap"].need == 3_792
    assert lines["site_area"].need == pytest.approx(42_660_000)
    assert lines["energy"].need == pytest.approx(948_000 * 2100)


def test_phase_and_climate_choose_the_rows() -> None:
    later = {x.indicator: x for x in needs_for(1000, phase="later", climate="cold")}
    assert later["people_per_latrine"].need == 50
    assert (later["covered_space"].need, later["covered_space"].need_high) == (4500, 5500)


def test_ratios_round_up_and_households_use_the_household_size() -> None:
    lines = {x.indicator: x for x in needs_for(251, household_size=4)}
    assert lines["people_per_tap"].need == 2
    assert lines["water_containers"].need == pytest.approx(2 * 251 / 4)
    assert lines["health_workers"].need == pytest.approx(23 * 251 / 10000)


def test_shipped_table_names_a_standard_for_every_row() -> None:
    table = load_standards()
    assert len(table) >= 25 and all(s.standard and s.chapter for s in table)
    assert {s.sector for s in table} == {"WASH", "Shelter", "Food", "Health"}


def test_a_user_table_replaces_the_defaults(tmp_path: Path) -> None:
    own = tmp_path / "mine.csv"
    own.write_text(
        "indicator,sector,kind,value,value_high,unit,per,phase,climate,chapter,standard,note\n"
        "water,WASH,amount,20,,litres,person/day,any,any,Water,Local cluster standard,\n"
    )
    lines = needs_for(100, load_standards(own))
    assert [(x.indicator, x.need, x.standard.standard) for x in lines] == [
        ("water", 2000, "Local cluster standard")
    ]


def test_a_bad_user_table_says_where(tmp_path: Path) -> None:
    own = tmp_path / "bad.csv"
    own.write_text(
        "indicator,sector,kind,value,value_high,unit,per\nwater,WASH,amount,15,,litres,per fortnight\n"
    )
    with pytest.raises(InputError, match="row 2, column per"):
        load_standards(own)


def test_negative_people_are_refused() -> None:
    with pytest.raises(ValidationError):
        needs_for(-1)


def test_needs_and_gaps_per_site_and_area(store: Store, tmp_path: Path) -> None:
    marker = tmp_path / "sites"
    marker.write_text("test")
    with store.importing("test", "t", marker) as writer:
        writer.add(Place("SY07", AdminLevel.ADM1, "Idleb", parents=("SY",)))
        writer.add(Place("SY0703", AdminLevel.ADM2, "Harim", parents=("SY", "SY07")))
        writer.add(Place("SY070301", AdminLevel.ADM3, "Dana", parents=("SY", "SY07", "SY0703")))
        writer.add(Place("C4121", AdminLevel.ADM4, "Sarmada", parents=("SY", "SY07", "SY0703", "SY070301")))
        for n, people, open_air in (("1", 1000, 100), ("2", 500, 0)):
            key = RecordKey("t", f"site{n}")
            writer.add(Site(key, f"Camp {n}", SiteKind.CAMP, site_pcode=f"CP{n}", place_pcode="C4121"))
            writer.add(
                SiteSnapshot(
                    RecordKey("t", f"snap{n}"),
                    key,
                    date(2020, 2, 20),
                    people,
                    shelter=ShelterBreakdown(open_air=open_air, tents=people - open_air),
                )
            )
    per_site = {r.unit.code: r for r in needs_by_area(store, sites=True)}
    assert per_site["CP1"].line("water").need == 15_000
    assert per_site["CP1"].covered_space_gap_m2 == pytest.approx(350)
    per_area = needs_by_area(store, level=3)
    assert [(r.unit.code, r.unit.name, r.unit.people, r.unit.sites) for r in per_area] == [
        ("SY070301", "Dana", 1500, 2)
    ]
    assert per_area[0].line("people_per_latrine").need == 30


def test_aggregate_units_sums_shelter() -> None:
    units = [
        PopulationUnit("a", "A", 10, open_air=2, tents=3, area="X"),
        PopulationUnit("b", "B", 20, unfinished_buildings=5, area="X"),
    ]
    (area,) = aggregate_units(units)
    assert (area.people, area.inadequately_sheltered, area.sites) == (30, 10, 2)
    assert unit_needs([area])[0].line("water").need == 450
