from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.errors import InputError
from haven.io.base import Importer, run_import
from haven.io.cccm import (
    CccmPopulationImporter,
    CccmSiteListImporter,
    CccmSiteTrackerImporter,
    split_site_name,
)
from haven.io.registry import importer_for
from haven.model import RecordKey, ShelterBreakdown, Site, SiteKind
from haven.store import RecordFilter, Store

POPULATION = "displacement/cccm_population_2022-11_subset.csv"
SITE_LIST = "displacement/cccm_site_list_subset.csv"
TRACKER = "displacement/cccm_site_tracker_subset.csv"
TRACKER_DATE = date(2023, 3, 31)


def _tracker() -> CccmSiteTrackerImporter:
    return CccmSiteTrackerImporter(as_of=TRACKER_DATE)


# ---------------------------------------------------------------- population
def test_population_rows_become_stock_figures_and_30_day_movements(store: Store, fixtures: Path) -> None:
    report = run_import(store, importer_for("cccm-population"), fixtures / POPULATION)
    assert report.by_kind["figure"].inserted == 10 * 4
    assert report.by_kind["movement"].inserted == 10 * 3
    idps = store.get("figure", RecordKey("cccm-population", "idps:2022-11:C4141:SY070302"))
    assert (idps.metric, idps.value, idps.subgroup, idps.qualifier) == ("idps", 11796, "all", "exact")
    assert (idps.as_of, idps.area_pcode, idps.area_name) == (date(2022, 11, 30), "C4141", "Big Hir Jamus")
    households = store.get("figure", RecordKey("cccm-population", "idp_households:2022-11:C4141:SY070302"))
    assert households.value == 2242
    arrivals = store.get("movement", RecordKey("cccm-population", "arrivals:2022-11:C1209:SY020200"))
    assert (arrivals.individuals, arrivals.households) == (68, 14)
    assert (arrivals.dest_pcode, arrivals.origin_pcode, arrivals.movement_type) == (
        "C1209",
        None,
        "displacement",
    )
    assert (arrivals.period_start, arrivals.period_end) == (date(2022, 11, 1), date(2022, 11, 30))
    departures = store.get("movement", RecordKey("cccm-population", "departures:2022-11:C1366:SY020300"))
    assert (departures.origin_pcode, departures.origin_name, departures.dest_pcode) == (
        "C1366",
        "Afrin",
        None,
    )
    assert (departures.individuals, departures.households) == (262, 51)
    returns = store.get("movement", RecordKey("cccm-population", "returns:2022-11:C1366:SY020300"))
    assert (returns.movement_type, returns.individuals) == ("return", 0)


def test_a_community_reported_under_two_subdistricts_keeps_both_rows(store: Store, fixtures: Path) -> None:
    run_import(store, importer_for("cccm-population"), fixtures / POPULATION)
    both = store.list("figure", RecordFilter(types=("population",), text="Big Hir Jamus"))
    assert sorted(f.value for f in both) == [1075, 13796]
    assert {f.area_pcode for f in both} == {"C4141"}
    # IDPs above the population (Tellemar) are kept as reported.
    tellemar = store.list("figure", RecordFilter(text="Tellemar", types=("population", "idps")))
    assert {f.metric: f.value for f in tellemar} == {"population": 650, "idps": 3000}


# ---------------------------------------------------------------- site register
def test_site_register_splits_names_and_maps_kinds(store: Store, fixtures: Path) -> None:
    report = run_import(store, importer_for("cccm-sites"), fixtures / SITE_LIST)
    assert report.inserted == 15

    def site(record_id: str) -> Site:
        return store.get("site", RecordKey("cccm-sites", record_id))

    ezza = site("CP000613")
    assert (ezza.name, ezza.name_ar, ezza.site_pcode, ezza.place_pcode) == (
        "Al Ezza",
        "العزة",
        "CP000613",
        "C1020",
    )
    assert (ezza.kind, ezza.point) == (SiteKind.OTHER, None)  # "NWS sites" names the region
    assert (site("CP001903").name, site("CP001903").name_ar) == ("Altawama", "التوامة")  # Arabic first
    azaz = site("CP000364")
    assert (azaz.name, azaz.name_ar) == ("Azaz Transit/Reception Centre", "مخيم ايواء اعزاز المؤقت (الشبيبة)")
    assert (site("CP000067").name, site("CP000067").name_ar) == ("Shahba'1 (Bab Al Hawa Lower/1)", "الشهبا 1")
    assert site("CP000637").site_pcode == "CP000637"  # " CP000637" in the file
    assert site("CP000952").site_pcode == "CP000952"  # "Cp000952"
    assert site("CP000952").kind is SiteKind.OTHER  # blank location_type
    niaraa = site("C1573:niaraa-rc")  # site_pcode N/A: keyed by community and name
    assert (niaraa.site_pcode, niaraa.name, niaraa.name_ar, niaraa.kind) == (
        None,
        "Niaraa RC",
        None,
        SiteKind.RECEPTION_CENTRE,
    )
    kinds = {s.site_pcode: s.kind for s in store.list("site")}
    assert kinds["TEMP027"] is SiteKind.INFORMAL_SETTLEMENT
    assert kinds["TEMP035"] is SiteKind.COLLECTIVE_CENTRE
    assert kinds["TEMP045"] is SiteKind.COLLECTIVE_CENTRE  # a school
    assert kinds["CP002154"] is SiteKind.CAMP
    assert kinds["CP001256"] is SiteKind.OTHER  # "NES sites"
    assert site("TEMP077").name == "Al Mahalla -Maqla'a -"  # runs of spaces collapsed


# ---------------------------------------------------------------- site tracker
def test_tracker_rows_become_sites_with_snapshots(store: Store, fixtures: Path) -> None:
    importer = _tracker()
    report = run_import(store, importer, fixtures / TRACKER)
    assert (report.by_kind["site"].inserted, report.by_kind["site_snapshot"].inserted) == (11, 11)
    # rows 10-11 name no site; rows 13-14 repeat row 12 but for admin3pcode
    assert importer.skipped == [10, 11, 13, 14]

    zohoor = store.get("site", RecordKey("cccm-site-tracker", "CP002270"))
    assert (zohoor.kind, zohoor.place_pcode, zohoor.capacity_households) == (
        SiteKind.RECEPTION_CENTRE,
        "C3949",
        1000,
    )
    assert zohoor.point == (36.0678166, 36.13064)
    assert zohoor.name_ar is None  # "NA"
    snap = store.get("site_snapshot", RecordKey("cccm-site-tracker", "CP002270:2023-03-31"))
    assert (snap.site_key, snap.as_of, snap.status) == (zohoor.key, TRACKER_DATE, "open")
    assert (snap.individuals, snap.households, snap.children, snap.women, snap.men) == (
        5272,
        965,
        2913,
        1204,
        1155,
    )
    assert snap.shelter == ShelterBreakdown(tents=5272)

    affad = store.get("site", RecordKey("cccm-site-tracker", "CP001989"))
    assert (affad.place_pcode, affad.kind) == (None, SiteKind.CAMP)
    affad_snap = store.get("site_snapshot", RecordKey("cccm-site-tracker", "CP001989:2023-03-31"))
    assert affad_snap.shelter == ShelterBreakdown(other=209)  # "Cement construction"
    assert store.get("site", RecordKey("cccm-site-tracker", "TEMP026")).kind is SiteKind.OTHER  # a hospital
    no_latitude = store.get("site", RecordKey("cccm-site-tracker", "TEMP050"))
    assert (no_latitude.point, no_latitude.name_ar) == (None, None)
    arabic_only = store.get("site", RecordKey("cccm-site-tracker", "TEMP093"))
    assert arabic_only.name == arabic_only.name_ar == "الخيرات كفركرمين"
    watan = store.get("site", RecordKey("cccm-site-tracker", "SY07-ma-arrat-tamasrin:watan-reception-center"))
    assert (watan.site_pcode, watan.name_ar) == (None, "مركز وطن")
    watan_snap = store.get(
        "site_snapshot",
        RecordKey("cccm-site-tracker", "SY07-ma-arrat-tamasrin:watan-reception-center:2023-03-31"),
    )
    assert (watan_snap.status, watan_snap.individuals) == ("closed", 0)
    maram = store.list("site", RecordFilter(text="Maram"))
    assert [m.key.record_id for m in maram] == ["SY07-shekh-bahr:maram-shekh-bahr-maram"]  # site_pcode "-"


def test_tracker_without_a_date_is_refused(store: Store, fixtures: Path) -> None:
    path = fixtures / TRACKER
    with pytest.raises(InputError) as caught:
        run_import(store, importer_for("cccm-site-tracker"), path)
    assert str(caught.value) == (
        f"{path}: the CCCM site tracker carries no date: give the date it describes as as_of "
        "(CccmSiteTrackerImporter(as_of=...)) or add an as_of column "
        "(expected a date as YYYY-MM-DD or DD Month YYYY)"
    )
    assert store.count("site") == 0 and store.imports() == []


def test_tracker_reads_an_as_of_column(store: Store, fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / TRACKER).read_text(encoding="utf-8").splitlines()
    dated = tmp_path / "dated.csv"
    dated.write_text("\n".join([lines[0] + ",as_of", *(line + ",2023-02-20" for line in lines[1:])]) + "\n")
    run_import(store, importer_for("cccm-site-tracker"), dated)
    assert {s.as_of for s in store.list("site_snapshot")} == {date(2023, 2, 20)}


def test_tracker_refuses_a_site_repeated_with_other_figures(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    lines = (fixtures / TRACKER).read_text(encoding="utf-8").splitlines()
    lines[12] = lines[12].replace(",80,0,0,0,0,0,0,", ",80,3,12,3,3,3,3,")  # row 13
    changed = tmp_path / "changed.csv"
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run_import(store, _tracker(), changed)
    assert str(caught.value) == (
        f"{changed}, row 13: site SY07-ma-arrat-tamasrin:watan-reception-center is also on row 12 "
        "with different values"
    )


# ---------------------------------------------------------------- all three
CASES = [
    (
        "cccm-population",
        POPULATION,
        "2022-11,SY07,SY0703,SY070302,C4121,Idleb,Harim,Dana,Sarmada,80000,16000,1x,9000,0,0,0,0,0,0",
        12,
        "column idps_individuals: not a count (got '1x'; expected a number of people, 0 or more)",
    ),
    (
        "cccm-sites",
        SITE_LIST,
        "C4121,CP009999,Test / تجربة,Camp",
        17,
        "column location_type: not an accepted value (got 'Camp'; expected one of Planned Camp, "
        "Informal Site, Collective Center, School, Reception Center, NWS sites, NES sites)",
    ),
    (
        "cccm-site-tracker",
        TRACKER,
        "Idleb,Harim,Dana,Sarmada,SY07,SY070301,C4121,TEMP999,Test,تجربة,Reception Center,Tents,Yes,10,5,20,"
        "5,5,5,5,36.2,36.7,opened,",
        17,
        "column status: not an accepted value (got 'opened'; expected one of open, closed)",
    ),
]


def _importer(name: str) -> Importer:
    return _tracker() if name == "cccm-site-tracker" else importer_for(name)


@pytest.mark.parametrize(("name", "fixture"), [c[:2] for c in CASES], ids=[c[0] for c in CASES])
def test_reimport_changes_nothing(store: Store, fixtures: Path, name: str, fixture: str) -> None:
    first = run_import(store, _importer(name), fixtures / fixture)
    again = run_import(store, _importer(name), fixtures / fixture)
    assert first.inserted > 0
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, first.inserted)


@pytest.mark.parametrize(("name", "fixture", "bad_row", "row", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_last_row_leaves_the_database_unchanged(
    store: Store,
    fixtures: Path,
    tmp_path: Path,
    name: str,
    fixture: str,
    bad_row: str,
    row: int,
    message: str,
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text((fixtures / fixture).read_text(encoding="utf-8") + bad_row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run_import(store, _importer(name), bad)
    assert str(caught.value) == f"{bad}, row {row}, {message}"
    for kind in ("figure", "movement", "site", "site_snapshot"):
        assert store.count(kind, RecordFilter(include_deleted=True)) == 0
    assert store.imports() == []


# ---------------------------------------------------------------- name splitting
_latin = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéàü"))
_latin_extra = st.sampled_from(list("0123456789 ()-.'_/"))
_arabic = st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهوية"))
_arabic_extra = st.sampled_from(list("0123456789 ()-"))


def _words(letter: st.SearchStrategy[str], extra: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text with at least one letter of the script, other characters mixed in, spaces normalised."""
    text = st.builds(
        lambda first, rest: first + "".join(rest), letter, st.lists(st.one_of(letter, extra), max_size=15)
    )
    return text.map(lambda s: " ".join(s.split())).filter(lambda s: s.strip("/ ") == s and s != "")


english_names = _words(_latin, _latin_extra)
arabic_names = _words(_arabic, _arabic_extra)


@given(english_names, arabic_names, st.sampled_from(["/", " / ", "/ ", "  /"]))
def test_english_and_arabic_names_split_in_either_order(english: str, arabic: str, slash: str) -> None:
    assert split_site_name(f"{english}{slash}{arabic}") == (english, arabic)
    assert split_site_name(f"{arabic}{slash}{english}") == (english, arabic)


@given(english_names)
def test_a_name_without_arabic_is_kept_whole(english: str) -> None:
    assert split_site_name(f"  {english} ") == (english, None)


@given(arabic_names)
def test_an_arabic_only_name_serves_as_both_names(arabic: str) -> None:
    assert split_site_name(arabic) == (arabic, arabic)


def test_tracker_and_population_are_registered() -> None:
    assert isinstance(importer_for("cccm-site-tracker"), CccmSiteTrackerImporter)
    assert isinstance(importer_for("cccm-population"), CccmPopulationImporter)
    assert isinstance(importer_for("cccm-sites"), CccmSiteListImporter)
