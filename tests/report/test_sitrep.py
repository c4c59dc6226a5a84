"""Situation reports from the reference crisis: the data assembled, the HTML and the PDF."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from haven.analysis.flows import AdminIndex
from haven.errors import ValidationError
from haven.io.base import run_import
from haven.io.export.privacy import coarsen
from haven.io.locate import AreaLocator
from haven.io.registry import importer_for
from haven.io.temperature import read_temperatures
from haven.report import Sitrep, build_sitrep, render_html, render_pdf, write_sitrep
from haven.report._figures import figures_for_areas
from haven.report.render import Images, filename
from haven.services.reference import load_reference_crisis
from haven.store import RecordFilter, Store

START, END, PRODUCED = date(2019, 12, 1), date(2020, 3, 5), date(2020, 3, 6)


@pytest.fixture(scope="module")
def crisis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("sitrep") / "haven.db", create=True)
    load_reference_crisis(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def idleb(crisis: Store) -> Sitrep:
    return build_sitrep(crisis, "SY07", START, END, produced=PRODUCED)


@pytest.fixture(scope="module")
def images(idleb: Sitrep) -> Images:
    return Images.draw(idleb)


@pytest.fixture(scope="module")
def html(idleb: Sitrep, images: Images) -> str:
    return render_html(idleb, images)


@pytest.fixture(scope="module")
def pdf(idleb: Sitrep, html: str) -> PdfReader:
    data = render_pdf(idleb, html)
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def _images(reader: PdfReader) -> set[int]:
    """The image objects of a PDF (WeasyPrint lists every image in each page's resources; decoding them
    all with ``page.images`` would take seconds)."""
    found = set()
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()  # a dictionary in every page WeasyPrint writes
        xobjects = resources.get("/XObject", {})
        for ref in xobjects.get_object().values():
            if ref.get_object().get("/Subtype") == "/Image":
                found.add(ref.idnum)
    return found


def test_the_latest_displaced_figure_comes_with_its_sources_and_range(idleb: Sitrep) -> None:
    displaced = idleb.key_figure("displaced")
    assert displaced is not None
    assert (displaced.best, displaced.as_of, displaced.area) == ("almost 1,000,000", END, "Northwest Syria")
    assert displaced.counted == "since 1 Dec 2019"
    assert displaced.citation.publishers == ("OCHA",)
    [cited] = [s for s in idleb.sources if s.number in displaced.citation.refs]
    assert cited.title == "Recent Developments in Northwest Syria - Flash Update (5 March 2020)"
    # every report of "displaced since 1 December" in the period, from the three publishers
    assert (displaced.low, displaced.high, displaced.reports) == ("300,000", "1,000,000", 8)
    assert set(displaced.publishers) == {
        "OCHA",
        "United Nations (as quoted in news)",
        "UN Emergency Relief Coordinator",
    }
    assert idleb.highlights[0] == (
        "Almost 1,000,000 people displaced in Northwest Syria since 1 Dec 2019, as of 5 Mar 2020 "
        f"(OCHA, 5 Mar 2020 [{cited.number}]); the period's 8 reports from 3 sources range from 300,000 "
        "to 1,000,000."
    )


def test_title_key_figures_and_highlights(idleb: Sitrep) -> None:
    assert (idleb.title, idleb.period) == ("Idleb: Flash Update", "1 Dec 2019 – 5 Mar 2020")
    assert idleb.produced == PRODUCED
    assert [k.group.metric for k in idleb.headline][:3] == ["displaced", "idps_hosted", "civilians_killed"]
    hosted = idleb.key_figure("idps_hosted")
    assert hosted is not None
    assert (hosted.best, hosted.area) == ("over 712,000", "Dana sub-district (SY070301)")
    assert 3 <= len(idleb.highlights) <= 5
    assert all("[" in sentence for sentence in idleb.highlights), "every highlight cites its sources"


def test_events_fatalities_and_the_main_events(idleb: Sitrep) -> None:
    e = idleb.events
    assert (e.events, e.fatalities_low, e.fatalities_best, e.fatalities_high) == (12, 56, 87, 91)
    assert idleb.events_with_fatalities == 5
    assert "the 5 that report fatalities count 56–87–91 dead, low–best–high (" in idleb.highlights[1]
    first = idleb.main_events[0]
    assert (first.place, first.kind, first.low, first.best, first.high) == (
        "Balyun (Jabal al-Zawiya)",
        "Air/drone strike",
        22,
        34,
        34,
    )
    assert "Turkish presidency" in first.citation.publishers
    bests = [m.best for m in idleb.main_events if m.best is not None]
    assert bests == sorted(bests, reverse=True) == [34, 21, 19, 8, 5]
    without = [m for m in idleb.main_events if m.best is None]
    assert [m.start for m in without] == sorted(m.start for m in without)


def test_agreements_signed_or_in_force_and_the_crossings(idleb: Sitrep) -> None:
    moscow = next(a for a in idleb.agreements if a.name.endswith("(Moscow)"))
    assert moscow.signed_in_period and not moscow.in_force_in_period
    assert moscow.in_force == "in force from 6 Mar 2020 00:01"
    sochi = next(a for a in idleb.agreements if a.name.endswith("(Sochi)"))
    assert sochi.in_force_in_period and not sochi.signed_in_period
    assert len(idleb.agreements) == 5 and "4 agreements signed in the period" in idleb.highlights[4]
    hawa = next(c for c in idleb.crossings if c.name == "Bab al-Hawa")
    assert (hawa.status, hawa.days_open, hawa.days) == ("open for UN cross-border aid", 96, 96)
    assert idleb.highlights[3].startswith("On 5 Mar 2020, 2 of 2 border crossings were open")


def test_needs_and_gaps_say_what_is_missing(idleb: Sitrep) -> None:
    needs = idleb.needs
    assert needs.people == 1_000_000 and needs.basis is idleb.key_figure("displaced")
    water = next(line for line in needs.lines if line.indicator == "water")
    assert water.need == 15_000_000
    [exposed] = needs.exposed
    assert (exposed.name, exposed.inadequately_sheltered) == ("Northwest Syria", 315_000)
    assert needs.cold == []
    notes = " ".join(needs.notes)
    assert "No IDP site population counts" in notes
    assert "No temperature series was given" in notes
    assert "No aid deliveries are recorded" in notes


def test_cold_weather_risk_with_a_temperature_file(crisis: Store, tmp_path: Path) -> None:
    temps = tmp_path / "t.csv"
    temps.write_text("place,date,min,max\nNorthwest Syria,2020-02-10,-3,5\nNorthwest Syria,2020-02-11,1,7\n")
    report = build_sitrep(crisis, "SY07", START, END, climate="cold", temperatures=read_temperatures(temps))
    [cold] = report.needs.cold
    assert (cold.nights_below[0.0], cold.person_nights[0.0]) == (1, 315_000)
    space = next(line for line in report.needs.lines if line.indicator == "covered_space")
    assert (space.need, space.need_high) == (4_500_000, 5_500_000)  # 4.5-5.5 m2 a person in the cold
    assert "No temperature series" not in " ".join(report.needs.notes)


def test_the_map_never_shows_a_site_or_an_unverified_event_exactly(crisis: Store, idleb: Sitrep) -> None:
    m = idleb.map
    assert m.sites == crisis.count("site", RecordFilter(area="SY07")) == 1126
    assert sum(n for _, n in m.subareas) + m.sites_unplaced == m.sites
    assert all(unit.level == 3 for unit, _ in m.subareas)
    assert m.events_coarsened == 10 and m.events_unlocated == 2
    assert all(coarsen(mark.point) == mark.point for mark in m.events)  # grid-cell centres
    assert {layer.kind for layer in m.layers} == {"border", "line", "area"}  # border, M4, Moscow corridor
    assert [name for name, _, _ in m.crossings] == ["Bab al-Hawa"]


def test_the_html_is_self_contained(html: str, images: Images) -> None:
    assert images.map is not None and images.chart is not None
    assert images.map.startswith(b"\x89PNG") and images.chart.startswith(b"\x89PNG")
    assert re.search(r"https?://", html) is None
    assert re.findall(r'src="([^"]{0,22})', html) == ["data:image/png;base64,"] * 2
    assert "<link" not in html and "<script" not in html
    assert "Ritco" not in html  # an IDP site's name: sites are counted, never listed


def test_the_pdf_holds_the_key_figures_and_their_sources(pdf: PdfReader) -> None:
    pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) >= 3
    first = " ".join(pages[0].split())
    assert "Idleb: Flash Update" in first and "1 Dec 2019 – 5 Mar 2020" in first
    for text in ("almost 1,000,000", "over 712,000", "about 187", "OCHA, 5 Mar 2020 [1]", "Page 1 of"):
        assert text in first, text
    assert "Map: Idleb, 1 Dec 2019 – 5 Mar 2020" in first, "the map is on the first page"
    assert len(_images(pdf)) >= 2, "the map and the displacement chart"
    everything = " ".join(" ".join(pages).split())
    assert "Recent Developments in Northwest Syria - Flash Update (5 March 2020)" in everything
    assert "Balyun (Jabal al-Zawiya)" in everything
    assert "Idleb: Flash Update 1 Dec 2019 – 5 Mar 2020" in " ".join(pages[1].split()), "running header"


def test_strict_areas_leaves_out_figures_named_only_in_words(crisis: Store) -> None:
    report = build_sitrep(crisis, "SY07", START, END, strict_areas=True)
    assert {k.area for k in report.key_figures} == {"Idleb (SY07)", "Dana sub-district (SY070301)"}
    displaced = report.key_figure("displaced")
    assert displaced is not None and displaced.best == "about 390,000"


def test_an_area_with_no_data_gives_a_clear_report(store: Store, fixtures: Path, tmp_path: Path) -> None:
    run_import(store, importer_for("boundaries"), fixtures / "cod_ab_idleb_adm1.geojson")
    report = build_sitrep(store, "SY07", START, END)
    assert not report.has_data and report.key_figures == [] and report.main_events == []
    assert report.highlights[0] == (
        "Haven holds no reported figures, conflict events or IDP sites for Idleb (SY07) "
        "from 1 Dec 2019 to 5 Mar 2020."
    )
    assert report.displacement.series is None and report.displacement.flows is None
    out = write_sitrep(report, tmp_path / "empty.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "No figures are reported for Idleb in the period." in text
    assert "No dated displacement figures or movements" in text
    assert "No conflict events are recorded for Idleb" in text


def test_bad_input_gives_a_clear_error(crisis: Store, idleb: Sitrep, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"^area 'SY99': no place has this p-code in the database"):
        build_sitrep(crisis, "SY99", START, END)
    with pytest.raises(ValidationError, match=r"^area: give the p-code"):
        build_sitrep(crisis, " ", START, END)
    with pytest.raises(ValidationError, match=r"^to: 2019-11-30 is before from: 2019-12-01"):
        build_sitrep(crisis, "SY07", START, date(2019, 11, 30))
    with pytest.raises(ValidationError, match=r"^climate: 'arctic' is not a climate"):
        build_sitrep(crisis, "SY07", START, END, climate="arctic")
    with pytest.raises(ValidationError, match=r"cannot tell the report format from the suffix '\.docx'"):
        write_sitrep(idleb, tmp_path / "report.docx")
    with pytest.raises(ValidationError, match=r"^format: 'docx' is not a report format"):
        write_sitrep(idleb, tmp_path / "report.pdf", "docx")


def test_figures_counted_beyond_the_period_are_left_out(idleb: Sitrep, crisis: Store) -> None:
    later = [
        f
        for f in crisis.list("figure")
        if f.metric == "aid_trucks_per_month" and f.effective_date and f.effective_date > END
    ]
    assert later, "the reference crisis reports trucks up to 31 May 2020"
    assert all(k.as_of is None or k.as_of <= END for k in idleb.key_figures)
    assert "aid_trucks_per_month" not in {k.group.metric for k in idleb.key_figures}


# ---------------------------------------------------------------- several areas: northwest Syria
WEST_ALEPPO = Path(__file__).parent / "data" / "acled_west_aleppo_2020.csv"


@pytest.fixture(scope="module")
def northwest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The reference crisis (whose events all lie in Idleb) and two events in western Aleppo, placed by
    the sub-district polygons as `haven import acled` places them."""
    store = Store.open(tmp_path_factory.mktemp("sitrep-nw") / "haven.db", create=True)
    load_reference_crisis(store)
    run_import(store, importer_for("acled"), WEST_ALEPPO, locator=AreaLocator.from_store(store))
    yield store
    store.close()


@pytest.fixture(scope="module")
def nw_report(northwest: Store) -> Sitrep:
    return build_sitrep(northwest, "SY07,SY02", START, END, title="Northwest Syria", produced=PRODUCED)


def test_a_report_of_two_areas_covers_both(northwest: Store, nw_report: Sitrep) -> None:
    assert [p.pcode for p in nw_report.areas] == ["SY07", "SY02"]
    assert (nw_report.title, nw_report.described) == (
        "Northwest Syria: Flash Update",
        "Idleb (SY07), Aleppo (SY02)",
    )
    events = {
        area: northwest.list("event", RecordFilter(start=START, end=END, area=area))
        for area in ("SY07", "SY02")
    }
    assert len(events["SY07"]) == 12 and len(events["SY02"]) == 2
    assert nw_report.events.events == 14 and nw_report.events.by_type["Government regains territory"] == 4 + 2
    places = {m.place for m in nw_report.main_events}
    assert {"Kafr Naha", "Big Orm"} <= places and "Balyun (Jabal al-Zawiya)" in places
    assert nw_report.highlights[1].startswith("14 conflict events recorded in Northwest Syria in the period")
    # key figures: Idleb's and those of wider or unplaced areas, each with its sources
    displaced = nw_report.key_figure("displaced")
    assert displaced is not None and (displaced.best, displaced.area) == (
        "almost 1,000,000",
        "Northwest Syria",
    )
    assert all(k.citation.publishers and k.citation.refs for k in nw_report.headline)


def test_the_map_of_two_areas_frames_and_outlines_both(
    northwest: Store, nw_report: Sitrep, idleb: Sitrep
) -> None:
    m = nw_report.map
    assert [a.pcode for a in m.areas] == ["SY07", "SY02"]
    assert m.sites == northwest.count("site", RecordFilter(area="SY07")) + northwest.count(
        "site", RecordFilter(area="SY02")
    )
    units = {u.pcode[:4] for u, _ in m.subareas}
    assert units == {"SY07", "SY02"}
    assert "SY02" not in {p.pcode for p in m.context} and "SY07" not in {p.pcode for p in m.context}
    assert m.extent is not None and idleb.map.extent is not None
    aleppo = northwest.place("SY02").geometry
    assert aleppo is not None and m.extent[2] >= aleppo.bounds[2] > idleb.map.extent[2]
    assert sum(mark.events for mark in m.events) + m.events_unlocated == 14
    images = Images.draw(nw_report)
    assert images.map is not None and images.map.startswith(b"\x89PNG")
    assert images.chart is not None and images.chart.startswith(b"\x89PNG")


def test_the_pdf_of_two_areas_is_titled_northwest_syria(nw_report: Sitrep, tmp_path: Path) -> None:
    out = write_sitrep(nw_report, tmp_path / "nw.pdf")
    reader = PdfReader(out)
    first = " ".join(reader.pages[0].extract_text().split())
    assert first.startswith("SITUATION REPORT · FLASH UPDATE Northwest Syria: Flash Update"), first[:120]
    assert "Idleb (SY07), Aleppo (SY02)" in first and "Map: Northwest Syria, 1 Dec 2019 – 5 Mar 2020" in first
    assert len(_images(reader)) >= 2, "the map and the displacement chart"
    everything = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Kafr Naha" in everything and "Balyun (Jabal al-Zawiya)" in everything
    assert '--area SY07,SY02 --title "Northwest Syria"' in everything


def test_without_a_title_the_areas_names_are_joined(northwest: Store) -> None:
    report = build_sitrep(northwest, ["SY07", "SY02"], START, END)
    assert report.title == "Idleb and Aleppo: Flash Update"
    assert build_sitrep(northwest, ["SY07, SY02", "SY07"], START, END).pcodes == ("SY07", "SY02")
    assert filename(report, "pdf") == "sitrep-SY07_SY02-2019-12-01-2020-03-05.pdf"


def test_figures_of_either_area_count_and_others_do_not(crisis: Store) -> None:
    index = AdminIndex(crisis)
    places = [crisis.place("SY07"), crisis.place("SY02")]
    aleppo = crisis.place("SY02")
    figures = crisis.list("figure", RecordFilter(start=START, end=END))
    both = figures_for_areas(figures, places, index, strict_areas=True)
    assert {f.area_pcode for f in both} == {"SY07", "SY070301"}
    alone = figures_for_areas(figures, [aleppo], index, strict_areas=True)
    assert alone == [] and len(figures_for_areas(figures, [aleppo], index)) > 0  # only unplaced ones


def test_bad_areas_and_titles_are_named(crisis: Store) -> None:
    with pytest.raises(ValidationError, match=r"^area 'SY99': no place has this p-code"):
        build_sitrep(crisis, "SY07,SY99", START, END)
    with pytest.raises(ValidationError, match=r"^area 'SY0703': .* lies inside Idleb \(SY07\)"):
        build_sitrep(crisis, ["SY07", "SY0703"], START, END)
    with pytest.raises(ValidationError, match=r"^area: give the p-code"):
        build_sitrep(crisis, [" , "], START, END)
    with pytest.raises(ValidationError, match=r"^title: 81 characters is too long"):
        build_sitrep(crisis, "SY07", START, END, title="x" * 81)
