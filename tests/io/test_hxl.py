from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from haven.errors import HavenError, InputError
from haven.io.base import run_import
from haven.io.hxl import HxlImporter
from haven.io.hxl_tags import (
    TAGS,
    cell_text,
    format_precision,
    join_list,
    parse_period,
    parse_precision,
    split_list,
)
from haven.io.reading import Cells
from haven.io.registry import importer_for
from haven.model import Qualifier, RecordKey, ShelterBreakdown, SiteKind
from haven.store import RecordFilter, Store

MOVEMENT_HEADER = (
    "Id,Month,Origin,Destination,IDPs\n#meta+id,#date,#adm4+code+origin,#adm4+code+dest,#affected+ind\n"
)


def test_registry_gives_the_hxl_importer() -> None:
    assert isinstance(importer_for("hxl"), HxlImporter)


def test_movements_import_with_month_periods_and_disaggregation(store: Store, fixtures: Path) -> None:
    importer = HxlImporter()
    report = run_import(store, importer, fixtures / "hxl" / "movements.csv")
    assert importer.detected == "movement"
    assert report.inserted == 3
    first = store.get("movement", RecordKey("hxl", "HNAP-0001"))
    assert (first.period_start, first.period_end) == (date(2019, 12, 1), date(2019, 12, 31))
    assert first.individuals == 12500  # written "12,500"
    assert (first.households, first.children, first.women, first.men) == (2500, 6100, 3300, 3100)
    # the community p-code is preferred to the governorate one, both tagged +origin
    assert (first.origin_pcode, first.origin_name) == ("C4171", "Maarrat An Nu'man")
    assert (first.dest_pcode, first.dest_name) == ("C4205", "Dana")
    third = store.get("movement", RecordKey("hxl", "HNAP-0003"))
    assert third.origin_pcode == "SY07"  # no community given: the governorate is what is known
    assert third.origin_name is None
    assert sorted(s.publisher for s in third.sources) == ["HNAP", "OCHA"]


def test_sites_import_with_a_snapshot_when_population_and_date_are_given(
    store: Store, fixtures: Path
) -> None:
    report = run_import(store, HxlImporter(), fixtures / "hxl" / "sites.csv")
    assert report.by_kind["site"].inserted == 3
    assert report.by_kind["site_snapshot"].inserted == 2
    atmeh = store.get("site", RecordKey("hxl", "CP000101"))
    assert atmeh.kind is SiteKind.CAMP
    assert atmeh.point == pytest.approx((36.6862, 36.2035))
    assert (atmeh.place_pcode, atmeh.capacity_individuals) == ("C1234", 5000)
    snapshot = store.get("site_snapshot", RecordKey("hxl", "CP000101@2020-02-29"))
    assert snapshot.site_key == atmeh.key
    assert (snapshot.individuals, snapshot.households, snapshot.status) == (4800, 960, "open")
    assert snapshot.shelter == ShelterBreakdown(
        open_air=0, tents=4500, unfinished_buildings=300, collective=0
    )
    assert store.get("site", RecordKey("hxl", "CP000102")).kind is SiteKind.INFORMAL_SETTLEMENT
    assert store.get("site", RecordKey("hxl", "CP000103")).kind is SiteKind.COLLECTIVE_CENTRE


def test_events_import(store: Store, fixtures: Path) -> None:
    run_import(store, HxlImporter(), fixtures / "hxl" / "events.csv")
    balyun = store.get("event", RecordKey("hxl", "NWS-0002"))
    assert balyun.date_start == date(2020, 2, 27)
    assert balyun.fatalities.best == 34 and balyun.fatalities.low is None  # a plain #affected+killed
    assert balyun.actor1.name == "Military Forces of Syria (2000-)"
    assert balyun.actor1.type == "State forces"
    assert (balyun.geo_precision.scheme, balyun.geo_precision.code) == ("acled", 1)
    assert balyun.point == pytest.approx((36.5036, 35.6960))
    market = store.get("event", RecordKey("hxl", "NWS-0001"))
    assert sorted(s.publisher for s in market.sources) == ["SOHR", "Syrian Civil Defence"]


def test_figures_come_from_the_first_tagged_sheet_of_a_workbook(store: Store, fixtures: Path) -> None:
    importer = HxlImporter()
    run_import(store, importer, fixtures / "hxl" / "figures.xlsx")
    assert importer.detected == "figure"
    figures = store.list("figure")
    assert len(figures) == 3
    [headline] = [f for f in figures if f.value == 948000]
    assert headline.qualifier is Qualifier.OVER
    assert (headline.as_of, headline.period_start, headline.reported_on) == (
        date(2020, 3, 1),
        date(2019, 12, 1),
        date(2020, 3, 2),
    )
    assert (headline.area_pcode, headline.area_name, headline.subgroup) == ("SY07", "Idleb", "all")
    [source] = headline.sources
    assert source.publisher == "OCHA"
    assert source.title is not None and source.title.startswith("Syrian Arab Republic: Recent Developments")
    assert source.url == "https://reliefweb.int/"
    assert {f.subgroup for f in figures} == {"all", "children"}


def test_a_sheet_can_be_chosen_by_name_or_index(store: Store, fixtures: Path) -> None:
    path = fixtures / "hxl" / "figures.xlsx"
    assert run_import(store, HxlImporter(sheet="Figures"), path).inserted == 3
    assert run_import(store, HxlImporter(sheet=1), path, dataset="again").inserted == 3
    with pytest.raises(InputError) as caught:
        run_import(store, HxlImporter(sheet="Data"), path)
    assert str(caught.value) == f"{path}: no sheet named 'Data' (the workbook has 'About', 'Figures')"
    with pytest.raises(InputError) as caught:
        run_import(store, HxlImporter(sheet=0), path)
    assert str(caught.value) == (
        f"{path}: sheet 'About': no HXL hashtag row in the first 25 rows; add a row of hashtags "
        "(#date, #adm1+code, ...) under the header row, or use an importer for the untagged format"
    )


def test_no_hashtags_anywhere_is_said_clearly(store: Store, fixtures: Path) -> None:
    workbook = fixtures / "hxl" / "no_hashtags.xlsx"
    with pytest.raises(InputError) as caught:
        run_import(store, HxlImporter(), workbook)
    assert str(caught.value) == (
        f"{workbook}: no HXL hashtag row in any sheet (looked at 'Arrivals', 'Notes'); add a row of "
        "hashtags (#date, #adm1+code, ...) under the header row of the sheet to import"
    )
    text = fixtures / "hxl" / "no_hashtags.csv"
    with pytest.raises(InputError, match=r"no_hashtags.csv: no HXL hashtag row in the first 25 rows"):
        run_import(store, HxlImporter(), text)
    assert store.imports() == []


@pytest.mark.parametrize("name", ["movements.csv", "sites.csv", "events.csv", "figures.xlsx"])
def test_reimport_inserts_nothing(store: Store, fixtures: Path, name: str) -> None:
    first = run_import(store, HxlImporter(), fixtures / "hxl" / name)
    again = run_import(store, HxlImporter(), fixtures / "hxl" / name)
    assert first.inserted > 0
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, first.inserted)


def test_rows_without_ids_get_a_stable_hash_of_their_hashtags_and_values(
    store: Store, tmp_path: Path
) -> None:
    one = tmp_path / "one.csv"
    one.write_text(
        "Month,Origin,IDPs\n#date,#adm4+code+origin,#affected+ind\n2020-02,C4171,100\n2020-02,C4174,50\n"
    )
    # the same data with other headers and the columns in another order
    two = tmp_path / "two.csv"
    two.write_text(
        "People,From,When\n#affected+ind,#adm4+code+origin,#date\n100,C4171,2020-02\n50,C4174,2020-02\n"
    )
    assert run_import(store, HxlImporter(), one).inserted == 2
    report = run_import(store, HxlImporter(), two)
    assert (report.inserted, report.unchanged) == (0, 2)


def test_a_bad_last_row_leaves_the_database_unchanged(store: Store, fixtures: Path, tmp_path: Path) -> None:
    bad = tmp_path / "movements_bad.csv"
    text = (fixtures / "hxl" / "movements.csv").read_text()
    bad.write_text(text + "HNAP-0004,2020-13,SY07,C4171,Maarrat An Nu'man,C4205,Dana,900,,,,,HNAP\n")
    with pytest.raises(InputError) as caught:
        run_import(store, HxlImporter(), bad)
    assert str(caught.value) == (
        f"{bad}, row 6, column #date (Month): not a day or a month "
        "(got '2020-13'; expected YYYY-MM-DD, or a month as YYYY-MM)"
    )
    assert store.count("movement", RecordFilter(include_deleted=True)) == 0
    assert store.imports() == []


def test_errors_in_a_workbook_name_the_spreadsheet_row_and_the_column(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Title of the table"])
    sheet.append(["Site", "People", "As of"])
    sheet.append(["#loc+name", "#affected+ind", "#date+asof"])
    sheet.append(["Atmeh", 1500, "2020-02-01"])
    sheet.append(["Kafr Lusin", "many", "2020-02-01"])
    path = tmp_path / "sites.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        run_import(store, HxlImporter(), path)
    assert str(caught.value) == (
        f"{path}, row 5, column #affected+ind (People): not a whole number "
        "(got 'many'; expected a whole number)"
    )
    assert store.count("site") == 0


def test_a_population_without_a_date_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("Site,People\n#loc+name,#affected+ind\nAtmeh,1500\n")
    with pytest.raises(InputError) as caught:
        run_import(store, HxlImporter(), path)
    assert str(caught.value) == (
        f"{path}, row 3, column #affected+ind (People): a population needs the date it holds for "
        "(got '1500'; expected a date in a #date+asof column)"
    )


def test_kind_is_detected_or_forced(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "unknown.csv"
    path.write_text("Sector,Note\n#sector,#description\nWASH,water trucking\n")
    with pytest.raises(InputError) as caught:
        run_import(store, HxlImporter(), path)
    assert str(caught.value) == (
        f"{path}, row 2: cannot tell what these hashtags describe: #sector #description "
        "(expected #event (events), #adm1-4 or #loc with +origin or +dest (movements), "
        "#indicator or #value (figures), #loc (sites); or say which with kind=)"
    )
    sites = tmp_path / "places.csv"
    sites.write_text("Name,Value\n#loc+name,#value\nAtmeh,3\n")
    with pytest.raises(InputError, match=r"missing hashtag\(s\) #indicator\+name: are these figures\?"):
        run_import(store, HxlImporter(), sites)  # #value says figures, but the metric is missing
    report = run_import(store, HxlImporter(kind="sites"), sites)
    assert report.by_kind["site"].inserted == 1
    with pytest.raises(HavenError, match=r"HXL files hold no 'crossings' records"):
        HxlImporter(kind="crossings")


def test_missing_hashtags_are_named(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "movements.csv"
    path.write_text("Origin,Destination\n#adm4+code+origin,#adm4+code+dest\nC4171,C4205\n")
    with pytest.raises(InputError) as caught:
        run_import(store, HxlImporter(), path)
    assert str(caught.value) == (
        f"{path}, row 2: missing hashtag(s) #affected+idps+ind, #date+start or #date: are these movements? "
        "(expected columns tagged #affected+idps+ind, #date+start or #date)"
    )


def test_a_column_that_could_be_two_fields_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "movements.csv"
    path.write_text(
        MOVEMENT_HEADER.replace("#affected+ind", "#affected+ind,#affected+hh+f") + "a,2020-02,X,Y,5,1\n"
    )
    with pytest.raises(InputError) as caught:
        run_import(store, HxlImporter(), path)
    assert str(caught.value) == (
        f"{path}, row 2, column #affected+hh+f: the hashtag could be households or women "
        "(expected attributes that say which, as in the table in docs/formats/hxl.md)"
    )


def test_every_exported_hashtag_reads_back_as_its_own_field() -> None:
    from hxl.model import Column

    from haven.io.hxl import layout

    class _Sheet:
        path = "table"
        hashtag_row = 2

        def __init__(self, columns: list[Column]) -> None:
            self.columns = columns
            self.labels = [c.display_tag for c in columns]

    for kind in ("event", "movement", "site", "figure"):
        tags = [t for t in TAGS[kind] if t.export]
        columns = [Column.parse(t.hashtag, header=t.header) for t in tags]
        found = layout(kind, _Sheet(columns))  # type: ignore[arg-type]
        for tag in tags:
            if tag.field != "location_precision":
                assert found[tag.field][0] == tag.hashtag, (kind, tag.field)


# ---------------------------------------------------------------- value parsing
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(days)
def test_a_day_is_a_period_of_one_day(day: date) -> None:
    assert parse_period(day.isoformat()) == (day, day)
    assert parse_period(day.strftime("%d %B %Y")) == (day, day)


@given(days)
def test_a_month_is_the_period_from_its_first_to_its_last_day(day: date) -> None:
    last = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    assert parse_period(day.strftime("%Y-%m")) == (day.replace(day=1), last)
    assert parse_period(day.strftime("%B %Y")) == (day.replace(day=1), last)


@given(st.sampled_from(["acled", "ucdp", "haven"]), st.integers(min_value=0, max_value=99))
def test_precision_codes_round_trip(scheme: str, code: int) -> None:
    assert parse_precision(format_precision(scheme, code)) == (scheme, code)


@given(st.text(alphabet=st.characters(blacklist_characters=":"), min_size=1))
def test_precision_without_a_code_is_refused(text: str) -> None:
    if not text.strip().isdigit():
        with pytest.raises(ValueError, match="is not a precision code"):
            parse_precision(text + ":x")


names = st.text(
    alphabet=st.characters(blacklist_characters=";", blacklist_categories=("Cs", "Cc")), min_size=1
)


@given(st.lists(names.map(str.strip).filter(bool), max_size=5))
def test_lists_in_one_cell_round_trip(items: list[str]) -> None:
    assert split_list(join_list(items)) == items


@given(st.lists(st.one_of(st.none(), names.map(str.strip).filter(bool)), min_size=1, max_size=5))
def test_missing_list_slots_keep_the_others_in_place(items: list[str | None]) -> None:
    parts = split_list(join_list(items))
    if any(items):
        assert len(parts) >= len([i for i in items if i])
        # the last slot that has a value is still at its index
        last = max(i for i, item in enumerate(items) if item)
        assert parts[last] == items[last]
    else:
        assert parts == []


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_numbers_written_to_cells_read_back_exactly(value: float) -> None:
    cells = Cells("t.csv", 3, {"#value": cell_text(value)})
    assert cells.number("#value") == value


@given(st.integers(min_value=0, max_value=10**12))
def test_whole_numbers_are_written_without_a_decimal_point(value: int) -> None:
    text = cell_text(float(value))
    assert "." not in text and "e" not in text
    assert Cells("t.csv", 3, {"n": text}).integer("n") == value
