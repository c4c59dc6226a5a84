"""OCHA community list importer.

``ocha_communities_idleb.csv`` holds 32 real rows of the OCHA Syria community list (as posted by the
NW Syria Cash Working Group, columns unchanged): Saraqab, Idleb, Dana, Sarmada, Ma'arrat An Nu'man and
neighbours in eight Idleb sub-districts.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from haven.errors import InputError
from haven.io.base import run_import
from haven.io.communities import CommunitiesImporter
from haven.io.registry import importer_for
from haven.model import AdminLevel, Place
from haven.store import RecordFilter, Store

FIXTURE = "ocha_communities_idleb.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _replace_in_last_row(source: Path, target: Path, old: str, new: str) -> None:
    head, last = source.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    assert old in last
    target.write_text(head + "\n" + last.replace(old, new) + "\n", encoding="utf-8")


def test_communities_and_the_admin_units_they_name_are_imported(store: Store, fixtures: Path) -> None:
    rows = _rows(fixtures / FIXTURE)
    units = {row[f"admin{level}pcode"] for row in rows for level in (1, 2, 3)}
    report = run_import(store, importer_for("communities"), fixtures / FIXTURE)
    assert (report.dataset, report.inserted) == ("ocha-communities", len(rows) + len(units))
    assert (len(rows), len(units)) == (32, 13)

    saraqab = store.place("C3916")
    assert (saraqab.level, saraqab.name_en, saraqab.name_ar) == (AdminLevel.ADM4, "Saraqab", "سراقب - سراقب")
    assert saraqab.parents == ("SY", "SY07", "SY0700", "SY070003")
    assert saraqab.point == pytest.approx((36.80611, 35.861105))
    assert saraqab.alt_names == ("سراقب",) and saraqab.kind == "Community"
    dana = store.place("C4126")
    assert (dana.name_en, dana.alt_names) == ("Dana (Dana)", ("Dana", "الدانا"))
    assert store.place("C3943").alt_names == ("Harbanush", "حربنوش")  # the admin4 spelling differs

    sub_district = store.place("SY070003")
    assert (sub_district.level, sub_district.name_en, sub_district.name_ar) == (
        AdminLevel.ADM3,
        "Saraqab",
        "سراقب",
    )
    assert sub_district.parents == ("SY", "SY07", "SY0700") and sub_district.geometry is None
    assert store.place("SY0703").name_en == "Harim" and store.place("SY07").parents == ("SY",)
    in_dana = store.list("place", RecordFilter(area="SY070301"))
    assert {p.pcode for p in in_dana} == {
        "SY070301",
        "C4120",
        "C4121",
        "C4122",
        "C4123",
        "C4124",
        "C4126",
        "C4130",
    }


def test_reimport_is_idempotent(store: Store, fixtures: Path) -> None:
    first = run_import(store, importer_for("communities"), fixtures / FIXTURE)
    again = run_import(store, importer_for("communities"), fixtures / FIXTURE)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, first.inserted)


@pytest.mark.parametrize("boundaries_first", [True, False])
def test_boundary_polygons_and_community_names_merge_in_either_order(
    store: Store, fixtures: Path, boundaries_first: bool
) -> None:
    imports = [("boundaries", "cod_ab_idleb_adm3.geojson"), ("communities", FIXTURE)]
    for kind, name in imports if boundaries_first else imports[::-1]:
        run_import(store, importer_for(kind), fixtures / name)
    saraqab = store.place("SY070003")
    assert saraqab.geometry is not None and saraqab.geometry.geom_type == "Polygon"
    assert (saraqab.name_en, saraqab.parents) == ("Saraqab", ("SY", "SY07", "SY0700"))
    for row in _rows(fixtures / FIXTURE):
        area = store.place(row["admin3pcode"])
        if area.geometry is not None:  # the fixture has polygons for six of the eight sub-districts
            assert area.geometry.contains(Point(store.place(row["location_pcode"]).point)), row[
                "location_pcode"
            ]


def test_bad_last_row_leaves_the_database_unchanged(store: Store, fixtures: Path, tmp_path: Path) -> None:
    bad = tmp_path / "communities_bad.csv"
    _replace_in_last_row(fixtures / FIXTURE, bad, ",35.695991,36.503611,", ",35.695991,36.50.3611,")
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("communities"), bad)
    assert (
        str(caught.value)
        == f"{bad}, row 33, column longitude: not a number (got '36.50.3611'; expected a number)"
    )
    assert store.count("place", RecordFilter(include_deleted=True)) == 0
    assert store.imports() == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            ",C4302,Balyun,بليون,C4302,",
            ",C4302,Balyun,بليون,C3916,",
            "row 33, column location_pcode: appears twice (first at row 13) "
            "(got 'C3916'; expected each community once)",
        ),
        (
            "SY07,Idleb,إدلب,SY0705,Ariha,",
            "SY07,Idlib,إدلب,SY0705,Ariha,",
            "row 33, column admin1name_en: row 2 named SY07 'Idleb' "
            "(got 'Idlib'; expected the same name for a p-code on every row)",
        ),
        (
            ",SY070501,Ehsem,",
            ",SY070601,Ehsem,",
            "row 33, column admin3pcode: does not start with its parent p-code SY0705 "
            "(got 'SY070601'; expected SY0705...)",
        ),
        (
            ",35.695991,36.503611,",
            ",95.695991,36.503611,",
            "row 33, column latitude: out of range (got '95.695991'; expected a number from -90 to 90)",
        ),
    ],
)
def test_row_errors_are_named(
    store: Store, fixtures: Path, tmp_path: Path, old: str, new: str, message: str
) -> None:
    bad = tmp_path / "communities.csv"
    _replace_in_last_row(fixtures / FIXTURE, bad, old, new)
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("communities"), bad)
    assert str(caught.value) == f"{bad}, {message}"


# ------------------------------------------------------------------ property test
_COLUMNS = (
    "admin1pcode", "admin1name_en", "admin1name_ar", "admin2pcode", "admin2name_en", "admin2name_ar",
    "admin3pcode", "admin3name_en", "admin3name_ar", "admin4pcode", "admin4name_en", "admin4name_ar",
    "location_pcode", "location_name_en", "location_name_ar", "location_type", "last_update_date",
    "latitude", "longitude",
)  # fmt: skip
_names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
)


@st.composite
def community_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    count = draw(st.integers(1, 5))
    numbers = draw(st.lists(st.integers(1000, 9999), min_size=count, max_size=count, unique=True))
    rows = []
    for number in numbers:
        name = draw(_names.filter(str.strip))
        rows.append(
            {
                "admin1pcode": "SY07",
                "admin1name_en": "Idleb",
                "admin2pcode": "SY0703",
                "admin2name_en": "Harim",
                "admin3pcode": "SY070301",
                "admin3name_en": "Dana",
                "admin4pcode": f"C{number}",
                "admin4name_en": draw(st.one_of(st.just(name), _names)),
                "location_pcode": f"C{number}",
                "location_name_en": name,
                "location_name_ar": draw(_names),
                "latitude": repr(draw(st.floats(-90, 90, allow_nan=False))),
                "longitude": repr(draw(st.floats(-180, 180, allow_nan=False))),
            }
        )
    return rows


@settings(max_examples=40, deadline=None)
@given(community_rows())
def test_any_community_list_reads_back_its_names_and_points(rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, _COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "communities.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        places: list[Place] = list(CommunitiesImporter().read(path, "ocha-communities"))
    assert [p.pcode for p in places] == ["SY07", "SY0703", "SY070301"] + [r["location_pcode"] for r in rows]
    for place, row in zip(places[3:], rows, strict=True):
        name_en, name_ar = row["location_name_en"].strip(), row["location_name_ar"].strip() or None
        assert (place.name_en, place.name_ar) == (name_en, name_ar)
        assert place.point == (float(row["longitude"]), float(row["latitude"]))
        assert place.parents == ("SY", "SY07", "SY0703", "SY070301")
        admin4 = row["admin4name_en"].strip()
        # a blank admin4 name adds nothing; a different one becomes an alternate name
        assert (admin4 in place.alt_names) is (bool(admin4) and admin4 not in (name_en, name_ar))
