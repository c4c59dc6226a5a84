"""The gazetteer on the reference crisis: spelling variants, levels, ambiguity and context."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from haven.geo import Gazetteer, Status
from haven.geo.crs import distance_km
from haven.geo.gazetteer import parse_query, read_geonames
from haven.geo.names import normalize, skeleton, soft_form
from haven.model import AdminLevel, Place
from haven.services.reference import load_reference_crisis
from haven.store import Store

SARAQAB, MAARA, IDLEB_CITY, IDLEB_GOV, JISR = "C3916", "C3985", "C3871", "SY07", "C4199"
DANA_HARIM, DANA_MAARA, DANA_AL_BAB = "C4126", "C3965", "C8154"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gazetteer") / "haven.db"
    store = Store.open(path, create=True)
    load_reference_crisis(store)
    store.close()
    return path


@pytest.fixture(scope="module")
def gazetteer(db_path: Path) -> Iterator[Gazetteer]:
    store = Store.open(db_path)
    yield Gazetteer.from_store(store)
    store.close()


@pytest.mark.parametrize(
    ("name", "pcode"),
    [
        ("Saraqib", SARAQAB),
        ("Saraqeb", SARAQAB),
        ("Saraqab", SARAQAB),
        ("SARAQEB", SARAQAB),
        ("west of Saraqib", SARAQAB),
        ("سراقب", SARAQAB),
        ("Maarat al-Numan", MAARA),
        ("Ma'arrat an-Nu'man", MAARA),
        ("Maaret al-Noman", MAARA),
        ("Ma‘arrat al-Nu‘man countryside", MAARA),
        ("معرة النعمان", MAARA),
        ("Jisr al-Shughur", JISR),
        ("Jisr-Ash-Shugur", JISR),
        ("Jisr el-Shoghour", JISR),
        ("جسر الشغور", JISR),
        ("Idlib city", IDLEB_CITY),
        ("Idleb", IDLEB_CITY),
        ("إدلب", IDLEB_CITY),
        ("Idlib province", IDLEB_GOV),
        ("محافظة ادلب", IDLEB_GOV),
        ("Atmeh", "C4130"),
        ("Sarmada", "C4121"),
        ("Kafranbel", "C4068"),
        ("Orm al-Kubra", "C1029"),  # OCHA's "Big Orm": the size word as Arabic names end with it
        ("Big Orm", "C1029"),
    ],
)
def test_spelling_variants_resolve(gazetteer: Gazetteer, name: str, pcode: str) -> None:
    resolution = gazetteer.resolve(name)
    assert resolution.status is Status.RESOLVED, resolution
    assert resolution.best is not None and resolution.best.pcode == pcode


def test_a_name_at_several_levels_follows_the_level_asked(gazetteer: Gazetteer) -> None:
    city = gazetteer.resolve("Idlib")
    assert city.best is not None and city.best.pcode == IDLEB_CITY
    assert IDLEB_GOV in [c.pcode for c in city.candidates]  # the governorate is the same name, one level up
    governorate = gazetteer.resolve("Idlib", level=1)
    assert governorate.status is Status.RESOLVED and governorate.best is not None
    assert governorate.best.pcode == IDLEB_GOV
    largest = gazetteer.resolve("Idleb de-escalation area")
    assert largest.best is not None and largest.best.pcode == IDLEB_GOV


def test_candidate_carries_chain_point_and_match(gazetteer: Gazetteer) -> None:
    best = gazetteer.resolve("Saraqeb").best
    assert best is not None
    assert best.name == "Saraqab" and best.level == 4
    assert [p for p, _ in best.chain] == ["SY07", "SY0700", "SY070003"]  # no admin0 place is loaded
    assert dict(best.chain)["SY07"] == "Idleb"
    assert best.point is not None and distance_km(best.point, (36.806, 35.861)) < 1
    assert best.score == 1.0 and best.match == "exact" and best.source == "geonames"  # GeoNames spells it so
    variant = gazetteer.resolve("Sarraqeeb").best
    assert variant is not None and variant.pcode == SARAQAB
    assert 0.75 <= variant.score < 1 and variant.match == "variant"
    exact = gazetteer.resolve("Saraqab").best
    assert exact is not None and exact.score == 1.0 and exact.match == "exact"


def test_the_three_danas_are_ambiguous_without_context(gazetteer: Gazetteer) -> None:
    resolution = gazetteer.resolve("Dana")
    assert resolution.status is Status.AMBIGUOUS
    assert resolution.best is None
    found = {c.pcode for c in resolution.candidates}
    assert {DANA_HARIM, DANA_MAARA, DANA_AL_BAB} <= found
    assert "equally well" in resolution.note


def test_a_governorate_alone_leaves_two_danas(gazetteer: Gazetteer) -> None:
    resolution = gazetteer.resolve("Dana", context="Idleb")
    assert resolution.status is Status.AMBIGUOUS
    ranked = [c.pcode for c in resolution.candidates]
    assert {DANA_HARIM, DANA_MAARA} <= set(ranked)
    assert DANA_AL_BAB not in ranked or ranked.index(DANA_AL_BAB) > max(
        ranked.index(DANA_HARIM), ranked.index(DANA_MAARA)
    )


@pytest.mark.parametrize(
    ("name", "context", "pcode"),
    [
        ("Dana", "Harim", DANA_HARIM),
        ("Dana, Harim district", None, DANA_HARIM),
        ("Dana", "Sarmada", DANA_HARIM),  # proximity: Sarmada is a few km from Dana
        ("Dana", "Al Bab", DANA_AL_BAB),
        ("Dana, Aleppo", None, DANA_AL_BAB),
        ("Dana (Aleppo)", None, DANA_AL_BAB),
        ("Dana", "Maarat al-Numan", DANA_MAARA),
        ("Dana", ["Syria", "Harim"], DANA_HARIM),
    ],
)
def test_context_resolves_dana(
    gazetteer: Gazetteer, name: str, context: str | list[str] | None, pcode: str
) -> None:
    resolution = gazetteer.resolve(name, context)
    assert resolution.status is Status.RESOLVED, resolution.note
    assert resolution.best is not None and resolution.best.pcode == pcode
    assert resolution.context_used


def test_another_country_weighs_against_syrian_places(gazetteer: Gazetteer) -> None:
    resolution = gazetteer.resolve("Saraqib", context="Turkey")
    assert resolution.status is Status.UNRESOLVED
    assert resolution.candidates and resolution.candidates[0].pcode == SARAQAB
    assert resolution.context_used == ("Turkey",)


def test_nearby_resolved_names_place_an_ambiguous_one(gazetteer: Gazetteer) -> None:
    alone = gazetteer.resolve("Dana")
    assert alone.status is Status.AMBIGUOUS
    together = gazetteer.resolve_many(["Sarmada", "Atmeh", "Dana"])
    assert [r.status for r in together] == [Status.RESOLVED] * 3
    assert together[2].best is not None and together[2].best.pcode == DANA_HARIM


def test_nonsense_is_unresolved(gazetteer: Gazetteer) -> None:
    resolution = gazetteer.resolve("Xqzvwpl Nonexistentville")
    assert resolution.status is Status.UNRESOLVED
    assert resolution.best is None
    assert gazetteer.resolve("   ").status is Status.UNRESOLVED


def test_geonames_names_reach_the_community_they_name(gazetteer: Gazetteer) -> None:
    rows = {g.geonameid: g for g in read_geonames()}
    assert len(rows) == 308
    assert gazetteer.geonames_linked[164816] == SARAQAB  # GeoNames "Saraqib"
    assert gazetteer.geonames_linked[169389] == IDLEB_CITY
    assert len(gazetteer.geonames_linked) >= 250
    serakab = gazetteer.resolve("Serakab")  # only GeoNames spells it so
    assert serakab.best is not None and serakab.best.pcode == SARAQAB and serakab.best.source == "geonames"


def test_without_geonames_the_ocha_names_still_carry_variants(db_path: Path) -> None:
    store = Store.open(db_path)
    try:
        plain = Gazetteer.from_store(store, geonames=False)
    finally:
        store.close()
    assert plain.geonames_linked == {}
    best = plain.resolve("Saraqib").best
    assert best is not None and best.pcode == SARAQAB and best.source == "ocha"


def test_thousands_of_names_resolve_quickly(gazetteer: Gazetteer) -> None:
    names = [p.name_en for p in gazetteer.places[::4]]
    start = time.perf_counter()
    for name in names:
        gazetteer.resolve(name + "h")  # a variant each time, so nothing comes from the cache
    elapsed = time.perf_counter() - start
    assert len(names) > 1900
    assert elapsed < 20, f"{len(names)} names took {elapsed:.1f} s"


def test_a_small_gazetteer_from_places() -> None:
    places = [
        Place("XY01", AdminLevel.ADM1, "Northland", parents=("XY",), point=(10.0, 10.0)),
        Place("C1", AdminLevel.ADM4, "Tell Abyad", "تل أبيض", ("XY", "XY01"), point=(10.0, 10.0)),
        Place("C2", AdminLevel.ADM4, "Tall Abyad", parents=("XY", "XY01"), point=(10.5, 10.0)),
    ]
    gazetteer = Gazetteer(places)
    exact = gazetteer.resolve("Tell Abyad")  # the other is the same name in another spelling
    assert exact.status is Status.AMBIGUOUS and exact.candidates[0].pcode == "C1"
    assert gazetteer.resolve("Tal Abyad").status is Status.AMBIGUOUS
    near = gazetteer.resolve("Tal Abyad", near=[(10.01, 10.0)])
    assert near.best is not None and near.best.pcode == "C1"
    arabic = gazetteer.resolve("تل ابيض")
    assert arabic.best is not None and arabic.best.pcode == "C1"


def test_parse_query_splits_name_context_and_level() -> None:
    query = parse_query("Idlib city; Maaret Tamsrin; Darat Izza (schools and Idlib Central Hospital)")
    assert query.name == "idlib" and query.level == 4
    assert query.context == ["Maaret Tamsrin", "Darat Izza", "schools and Idlib Central Hospital"]
    assert parse_query("Dana sub-district").level == 3
    assert parse_query("Balyun (Jabal al-Zawiya)").context == ["Jabal al-Zawiya"]
    assert parse_query("north").name == "north"  # a name made only of descriptors stays a name


def test_places_find_cli(db_path: Path) -> None:
    from haven.cli.places import places_app

    runner = CliRunner()
    result = runner.invoke(
        places_app, ["find", "Dana", "--context", "Harim", "--json"], obj={"db": str(db_path)}
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == "resolved" and data["candidates"][0]["pcode"] == DANA_HARIM
    table = runner.invoke(places_app, ["find", "Dana"], obj={"db": str(db_path)})
    assert table.exit_code == 0, table.output
    assert "ambiguous" in table.output and DANA_AL_BAB in table.output


# ------------------------------------------------------------ the normaliser
_NAME = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzÂâÉéÎîŞşḤḥʿ’'`- ,.") + list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآء")
    ),
    max_size=30,
)


@given(_NAME)
def test_normalize_is_idempotent(name: str) -> None:
    assert normalize(normalize(name)) == normalize(name)


@given(_NAME)
def test_forms_ignore_case_diacritics_hyphens_and_apostrophes(name: str) -> None:
    variant = name.upper().replace("-", " ").replace("'", "’")
    assert normalize(variant) == normalize(name.replace("-", " ").replace("'", ""))
    assert soft_form(variant) == soft_form(name.replace("-", " "))
    assert skeleton(variant) == skeleton(name.replace("-", " "))


@given(
    st.sampled_from(["Saraqib", "Binnish", "Taftanaz", "Ariha", "Hama"]),
    st.sampled_from(["al-", "el-", "as-"]),
)
def test_the_article_does_not_change_the_key(name: str, article: str) -> None:
    assert skeleton(f"Tall {article}{name}") == skeleton(f"Tall {name}")
    assert soft_form(f"{article}{name}") == soft_form(name)


def test_known_variants_share_forms() -> None:
    assert skeleton("Saraqib") == skeleton("Saraqeb") == skeleton("Saraqab") == "srkb"
    assert soft_form("Maarat al-Numan") == soft_form("Ma'arrat An Nu'man") == soft_form("Maaret al-Nouman")
    assert soft_form("Jisr al-Shughur") == soft_form("Jisr-Ash-Shugur")
    assert soft_form("Atmeh") == soft_form("Atma")
    assert normalize("إدلب") == normalize("ادلب") and normalize("مَعَرَّة") == normalize("معره")
    assert soft_form("الدانا") == soft_form("دانا")
    assert normalize("Ḩārim") == "harim"
    assert skeleton("Kafr Nabl") == skeleton("Kafranbel")
