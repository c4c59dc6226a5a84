"""Situation reports on the web: the form, the PDF download, the HTML page and their errors."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

PERIOD = {"area": "SY07", "from": "2019-12-01", "to": "2020-03-05"}


def test_the_form_offers_areas_and_both_formats(client: TestClient) -> None:
    response = client.get("/sitrep", params={"area": "SY0703"})
    assert response.status_code == 200
    assert response.template.name == "sitrep_form.html"  # type: ignore[attr-defined]
    context = response.context  # type: ignore[attr-defined]
    assert context["area"] == "SY0703"
    assert {"SY07", "SY0703", "SY070301"} <= {p.pcode for p in context["areas"]}
    assert context["end"] == "2020-03-15"  # the latest event the store holds
    page = response.text
    assert 'formaction="/sitrep.html"' in page and 'formaction="/sitrep.pdf"' in page
    assert 'name="from"' in page and 'name="to"' in page


def test_the_pdf_downloads_as_an_attachment(client: TestClient) -> None:
    response = client.get("/sitrep.pdf", params=PERIOD)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="sitrep-SY07-2019-12-01-2020-03-05.pdf"'
    )
    assert response.content.startswith(b"%PDF-")


def test_the_html_report_is_self_contained(client: TestClient) -> None:
    response = client.get("/sitrep.html", params=PERIOD)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>Idleb: Flash Update · 1 Dec 2019 – 5 Mar 2020</title>" in response.text
    assert "almost 1,000,000" in response.text
    assert re.search(r"https?://", response.text) is None


def test_strict_areas_leaves_out_figures_named_only_in_words(client: TestClient) -> None:
    loose = client.get("/sitrep.html", params=PERIOD).text
    strict = client.get("/sitrep.html", params=PERIOD | {"strict_areas": "true"}).text
    figure_for = '<div class="kf-detail">Northwest Syria · '
    assert figure_for in loose and figure_for not in strict
    assert '<div class="kf-value">about 390,000</div>' in strict


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"from": "2019-13-01"}, "from: '2019-13-01' is not a date (expected YYYY-MM-DD)"),
        ({"to": "soon"}, "to: 'soon' is not a date (expected YYYY-MM-DD)"),
        ({"to": "2019-11-30"}, "to: 2019-11-30 is before from: 2019-12-01"),
        ({"area": "SY99"}, "area 'SY99': no place has this p-code in the database"),
    ],
)
def test_bad_parameters_give_422_naming_them(client: TestClient, params: dict[str, str], detail: str) -> None:
    for route in ("/sitrep.pdf", "/sitrep.html"):
        response = client.get(route, params=PERIOD | params)
        assert response.status_code == 422, response.text
        assert response.json()["detail"].startswith(detail)


def test_a_missing_parameter_is_named(client: TestClient) -> None:
    response = client.get("/sitrep.pdf", params={"area": "SY07", "to": "2020-03-05"})
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", "from"]]


NORTHWEST = {"from": "2019-12-01", "to": "2020-03-05", "title": "Northwest Syria"}


@pytest.mark.parametrize("areas", [["SY07,SY02"], ["SY07", "SY02"]], ids=["comma-separated", "repeated"])
def test_a_report_of_several_areas(client: TestClient, areas: list[str]) -> None:
    response = client.get("/sitrep.html", params={**NORTHWEST, "area": areas})
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        'inline; filename="sitrep-SY07_SY02-2019-12-01-2020-03-05.html"'
    )
    page = response.text
    assert "<title>Northwest Syria: Flash Update · 1 Dec 2019 – 5 Mar 2020</title>" in page
    assert "Idleb (SY07), Aleppo (SY02)" in page and "almost 1,000,000" in page
    assert re.findall(r'src="([^"]{0,22})', page) == ["data:image/png;base64,"] * 2  # the map and the chart


def test_the_pdf_of_several_areas(client: TestClient) -> None:
    response = client.get("/sitrep.pdf", params={**NORTHWEST, "area": ["SY07", "SY02"]})
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        'attachment; filename="sitrep-SY07_SY02-2019-12-01-2020-03-05.pdf"'
    )
    first = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Northwest Syria: Flash Update" in " ".join(first.split())


def test_the_form_keeps_several_areas_and_the_title(client: TestClient) -> None:
    response = client.get("/sitrep", params={"area": ["SY07", "SY02"], "title": "Northwest Syria"})
    assert response.status_code == 200
    context = response.context  # type: ignore[attr-defined]
    assert (context["area"], context["title"]) == ("SY07,SY02", "Northwest Syria")
    assert 'name="title"' in response.text
    assert 'haven sitrep --area SY07,SY02 --title "Northwest Syria"' in response.text


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"area": ["SY07", "SY99"]}, "area 'SY99': no place has this p-code in the database"),
        ({"area": "SY07,SY0703"}, "area 'SY0703': Harim lies inside Idleb (SY07)"),
        ({"area": "SY07", "title": "x" * 81}, "title: 81 characters is too long for a title"),
    ],
)
def test_bad_areas_and_titles_give_422(
    client: TestClient, params: dict[str, str | list[str]], detail: str
) -> None:
    for route in ("/sitrep.pdf", "/sitrep.html"):
        response = client.get(route, params={**NORTHWEST, **params})
        assert response.status_code == 422, response.text
        assert response.json()["detail"].startswith(detail)
