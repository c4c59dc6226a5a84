"""Reading text, HTML and PDF files: the text kept, the date and publisher found."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from haven.errors import InputError
from haven.read import Span, document_from_text, load_document, load_documents

WIRE = (
    "IDLIB, Syria, Feb 18, 2020 (Reuters) - Air strikes hit a market in Ariha on Tuesday, "
    "killing at least nine civilians, rescuers said.\n\nThe White Helmets said the toll could rise."
)

PAGE = """<html><head><title>Idlib update | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2020-02-21T08:00:00Z">
</head><body>
<header><a href="/">Home</a> World Politics Sport</header>
<nav class="menu"><ul><li>Subscribe now</li><li>Log in</li></ul></nav>
<article><h1>Families flee toward the border</h1>
<p>Tens of thousands of people fled Atareb this week.</p>
<div class="share-buttons">Share on social media</div>
<p>Aid groups said camps near Sarmada were full.</p></article>
<aside>Most read: celebrity news</aside>
<footer>Copyright 2020 Example News. All rights reserved.</footer>
<script>var tracking = 1;</script>
</body></html>"""


def test_text_with_dateline_gives_date_and_publisher() -> None:
    doc = document_from_text(WIRE)
    assert doc.published_on == date(2020, 2, 18)
    assert doc.source.publisher == "Reuters"
    assert doc.source.published_on == date(2020, 2, 18)


def test_given_date_and_publisher_win() -> None:
    doc = document_from_text(WIRE, published=date(2020, 2, 19), publisher="Wire desk")
    assert doc.published_on == date(2020, 2, 19)
    assert doc.source.publisher == "Wire desk"


def test_published_line_is_found() -> None:
    doc = document_from_text("Flash update no. 7\nPublished 3 March 2020\n\nShelling continued.")
    assert doc.published_on == date(2020, 3, 3)
    assert doc.source.publisher == "unknown"


def test_snippet_and_sentences() -> None:
    doc = document_from_text(WIRE)
    sentences = doc.sentences()
    assert len(sentences) >= 2
    assert doc.snippet(sentences[-1]).startswith("The White Helmets")
    assert doc.snippet(Span(0, 5)) == "IDLIB"
    assert doc.sentences() is sentences  # cached


def test_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text(WIRE, encoding="utf-8")
    doc = load_document(path)
    assert doc.text == WIRE
    assert doc.path == str(path)
    assert doc.published_on == date(2020, 2, 18)


def test_html_drops_boilerplate_and_reads_meta(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = load_document(path)
    assert "Tens of thousands of people fled Atareb this week." in doc.text
    assert "camps near Sarmada were full" in doc.text
    for boilerplate in ("Subscribe", "Home", "Copyright", "celebrity", "tracking", "Share on social"):
        assert boilerplate not in doc.text
    assert doc.published_on == date(2020, 2, 21)
    assert doc.source.publisher == "Example News"
    assert doc.title == "Idlib update | Example News"


def _write_pdf(path: Path, lines: list[str]) -> None:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.5, 11))
    for index, line in enumerate(lines):
        figure.text(0.05, 0.95 - 0.04 * index, line, fontsize=11)
    with PdfPages(path) as pdf:
        pdf.savefig(figure)


def test_pdf_text_and_date(tmp_path: Path) -> None:
    path = tmp_path / "update.pdf"
    _write_pdf(path, ["OCHA Flash Update", "Published 25 February 2020", "Some 948,000 people displaced."])
    doc = load_document(path, publisher="OCHA")
    assert "948,000 people displaced" in doc.text
    assert doc.published_on == date(2020, 2, 25)
    assert doc.source.publisher == "OCHA"


def test_folder_reads_each_readable_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x,y\n", encoding="utf-8")
    docs = list(load_documents(tmp_path, published=date(2020, 2, 22)))
    assert [Path(d.path or "").name for d in docs] == ["a.txt", "b.html"]
    assert all(d.published_on == date(2020, 2, 22) for d in docs)


def test_unknown_suffix_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"cannot read this kind of file \(got '.docx'; expected .htm, "):
        load_document(path)
